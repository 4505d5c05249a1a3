"""A certificate number imported from the office's ledger is never issued again."""

from __future__ import annotations

from typing import Any

from flask import Flask

from notary.cases.models import Category
from notary.cases.rules import CaseStatus
from notary.certificates import rules
from notary.certificates.services import certificates_of
from notary.deadlines.services import office_today
from notary.ledger.services import CASE_COLUMNS, import_ledger, read_ledger
from tests.cases.samples import advance
from tests.factories import register_case
from tests.statistics.helpers import case as ledger_case
from tests.statistics.helpers import csv_bytes


def test_the_counter_moves_past_an_imported_number(app: Flask, desk: Any, notary: Any,
                                                   director: Any) -> None:
    series = app.config["CERTIFICATE_SERIES"]
    code = rules.series_for(Category.DOMESTIC_CIVIL.value, series)
    year = office_today().year

    def number(seq: int) -> str:
        return rules.format_number(series[code]["format"], year, seq,
                                   int(series[code].get("width", 0)))

    day = f"{year}-01-05"
    row = ledger_case(1, day, "声明", "国内民事", "出证", day, 公证书编号=number(1))
    result = import_ledger(read_ledger([("cases.csv", csv_bytes(CASE_COLUMNS, [row]))]),
                           actor=director)
    assert not result.errors
    case = advance(register_case(desk, matters=("declaration",)), CaseStatus.ISSUED,
                   notary=notary, director=director)
    assert [c.number for c in certificates_of(case.id)] == [number(2)]
    assert case.certificate_number == number(2)
