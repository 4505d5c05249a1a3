"""The director's half year, in a real browser.

Three certificates were issued this half year, one of them for use in Hong Kong. The director
opens 统计: the period picker shows only the fields of the chosen kind of period (a month asks
for the year and the month, a date range for its two dates, a half year for the year and the
half); the half year shows the concluded cases with 涉港澳台 counted and the charts. The CSV,
XLSX and PDF exports are downloaded and read: the same figures, and the PDF with room to sign
(填表人, 负责人, 公章).
"""

from __future__ import annotations

import csv
import io
import subprocess
from typing import Any

import openpyxl
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from notary.auth.models import User
from notary.cases.models import Category
from notary.cases.rules import CaseStatus
from notary.core.models import office_today
from notary.extensions import db
from tests.cases.samples import advance
from tests.e2e.conftest import PageChecks, open_signed_in
from tests.factories import person, register_case

pytestmark = pytest.mark.e2e


@pytest.fixture
def half_year(app: Flask, staff: dict[str, Any]) -> None:
    """Two domestic certificates and one for Hong Kong, issued today."""
    desk, notary, director = (db.session.get(User, staff[k]["id"])
                              for k in ("desk", "notary", "director"))
    for name, category, place in (("罗海燕", Category.DOMESTIC_CIVIL, None),
                                  ("贺建军", Category.DOMESTIC_CIVIL, None),
                                  ("陈美玲", Category.HONG_KONG, "香港")):
        advance(register_case(desk, matters=("declaration",), applicants=(person(name),),
                              category=category, place_of_use=place),
                CaseStatus.ISSUED, notary=notary, director=director)
    db.session.commit()
    db.session.remove()


def visible_fields(page: Page) -> list[str]:
    """The names of the period form's fields a person sees."""
    return page.locator("#period-form").evaluate(
        "f => [...f.querySelectorAll('input, select')].filter(e => e.offsetParent !== null)"
        ".map(e => e.name)")


def download(page: Page, name: str) -> bytes:
    with page.expect_download() as info:
        page.locator(".d-print-none").get_by_role("link", name=name, exact=True).click()
    path = info.value.path()
    assert path is not None
    with open(path, "rb") as f:
        return f.read()


def test_the_director_reads_the_half_year_and_its_exports(
        app: Flask, browser: Browser, live_server: str, staff: dict[str, Any],
        half_year: None, checks: PageChecks) -> None:
    today = office_today()
    half = "1" if today.month <= 6 else "2"
    contexts: list[Any] = []
    try:
        page = open_signed_in(browser, live_server, staff["director"], checks, contexts)
        page.locator("nav").get_by_role("link", name="统计", exact=True).click()
        form = page.locator("#period-form")
        # The period picker: only the fields of the chosen kind.
        assert visible_fields(page) == ["kind", "year", "half"]
        form.get_by_label("统计期间", exact=True).select_option("month")
        assert visible_fields(page) == ["kind", "year", "month"]
        checks.look(page, "period-month")
        form.get_by_label("统计期间", exact=True).select_option("range")
        assert visible_fields(page) == ["kind", "start", "end"]
        checks.look(page, "period-range")
        form.get_by_label("统计期间", exact=True).select_option("half")
        assert visible_fields(page) == ["kind", "year", "half"]
        form.get_by_label("年度", exact=True).fill(str(today.year))
        form.get_by_label("半年", exact=True).select_option(half)
        form.get_by_role("button", name="显示").click()
        expect(page.locator('[data-key="concluded:办结合计"]')).to_have_text("3")
        expect(page.locator('[data-key="certificates:其中涉港澳台"]')).to_have_text("1")
        expect(page.locator("#chart-category svg")).to_be_visible()
        expect(page.locator("#chart-trend svg")).to_be_visible()
        assert visible_fields(page) == ["kind", "year", "half"]
        checks.look(page, "half-year")

        # --- The exports, downloaded and read ----------------------------------------------
        rows = list(csv.reader(io.StringIO(download(page, "CSV").decode("utf-8-sig"))))
        figures = {(r[0], r[1]): r[2] for r in rows if len(r) > 2}
        assert figures[("办结公证事项", "办结合计")] == "3"
        assert figures[("出具公证书（件）", "其中涉港澳台")] == "1"
        book = openpyxl.load_workbook(io.BytesIO(download(page, "XLSX")), read_only=True)
        cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                 for c in row if c is not None]
        assert "办结合计" in cells and "其中涉港澳台" in cells
        pdf = checks.file("report.pdf")
        # The PDF opens in the browser (inline): fetched as the browser fetches it.
        link = page.locator(".d-print-none").get_by_role("link", name="PDF", exact=True)
        response = page.request.get(link.get_attribute("href") or "")
        assert response.ok and response.headers["content-type"] == "application/pdf"
        pdf.write_bytes(response.body())
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(checks.file("report"))], check=True, timeout=60)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, timeout=60,
                              capture_output=True, text=True).stdout
        for shown in ("办结合计", "其中涉港澳台", "填表人", "负责人", "公章"):
            assert shown in text, shown
        checks.look(page, "after-exports")
    finally:
        for context in contexts:
            context.close()
