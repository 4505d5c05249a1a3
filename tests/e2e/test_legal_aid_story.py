"""Legal aid from the request to the quarterly filing form, in a real browser.

The notary charges a 出生 case its fee, records the legal-aid agency's decision for the
applicant with the evidence of hardship and the decision letter's scan (a form without the
evidence is refused); the fee waiver waits for the director, who approves it on the requests
page; the case's fee panel then shows the waiver; the director opens the quarter's filing form
(法律援助 → 季度备案表) and downloads its XLSX, which lists the case with its fee waived.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from notary.auth.models import User
from notary.cases.rules import CaseStatus
from notary.core.models import office_today
from notary.extensions import db
from notary.fees.models import Reduction
from notary.legal_aid.models import LegalAidRecord
from tests.cases.samples import advance, pdf_bytes
from tests.e2e.conftest import PageChecks, open_signed_in
from tests.factories import person, register_case
from tests.fees.helpers import seed_hunan_tariffs

pytestmark = pytest.mark.e2e


@pytest.fixture
def aid_case(app: Flask, staff: dict[str, Any]) -> dict[str, Any]:
    """The office's tariffs and a 出生 case under review (committed before the server starts)."""
    seed_hunan_tariffs()
    desk, notary, director = (db.session.get(User, staff[k]["id"])
                              for k in ("desk", "notary", "director"))
    case = register_case(desk, matters=("birth",), applicants=(person("龙小梅"),))
    advance(case, CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    out = {"id": case.id, "number": case.acceptance_number}
    db.session.commit()
    db.session.remove()
    return out


def test_legal_aid_is_recorded_approved_waives_the_fee_and_is_filed_for_the_quarter(
        app: Flask, browser: Browser, live_server: str, staff: dict[str, Any],
        aid_case: dict[str, Any], checks: PageChecks, tmp_path: Path) -> None:
    contexts: list[Any] = []
    case_url = f"/cases/{aid_case['id']}"
    evidence = tmp_path / "低保证明.pdf"
    evidence.write_bytes(pdf_bytes())
    letter = tmp_path / "法律援助决定书.pdf"
    letter.write_bytes(pdf_bytes())
    today = office_today()
    try:
        # --- The notary charges the fee and records the agency's decision -----------------
        page = open_signed_in(browser, live_server, staff["notary"], checks, contexts)
        page.goto(case_url)
        fees = page.locator("#fees")
        fees.get_by_role("link", name=re.compile(r"^\+ 出生$")).click()
        page.locator("main").get_by_role("button", name="计费").click()
        expect(page.locator("main .alert-success")).to_be_visible()
        expect(page.locator("#fees")).to_contain_text("150.00")
        page.locator("#legal-aid").get_by_role("link", name="登记法律援助").click()
        checks.look(page, "legal-aid-form")
        expect(page.get_by_label("受援人", exact=True)).to_have_value(re.compile(r"\d+"))
        page.get_by_label("受援条件", exact=True).select_option("economic_hardship")
        page.get_by_label("受援条件说明", exact=True).fill("家庭人均月收入低于本省经济困难标准")
        page.get_by_label("办理方式", exact=True).select_option("decision")
        page.get_by_label("决定书编号", exact=True).fill("耒法援决字〔2026〕第7号")
        page.get_by_label("决定书日期", exact=True).fill(today.isoformat())
        page.get_by_label("决定书扫描件", exact=True).set_input_files(str(letter))
        page.get_by_role("button", name="登记法律援助").click()
        # The evidence of hardship is required: refused next to the field, the rest kept.
        expect(page.locator('[data-field-error="evidence"]')).to_be_visible()
        expect(page.get_by_label("决定书编号", exact=True)).to_have_value("耒法援决字〔2026〕第7号")
        checks.look(page, "legal-aid-needs-evidence")
        page.get_by_label("决定书扫描件", exact=True).set_input_files(str(letter))
        page.get_by_label("经济困难证明（PDF、JPEG或PNG）", exact=True).set_input_files(
            str(evidence))
        page.get_by_role("button", name="登记法律援助").click()
        expect(page).to_have_url(re.compile(rf"{case_url}(#legal-aid)?$"))
        expect(page.locator("main .alert-success")).to_be_visible()
        panel = page.locator("#legal-aid")
        expect(panel).to_contain_text("龙小梅")
        expect(panel).to_contain_text("耒法援决字〔2026〕第7号")
        expect(panel.get_by_role("link", name="证明材料")).to_be_visible()
        checks.look(page, "legal-aid-recorded")

        # --- The director approves the waiver ---------------------------------------------
        director = open_signed_in(browser, live_server, staff["director"], checks, contexts)
        director.get_by_role("link", name="减免审批", exact=True).click()
        row = director.locator("main table tbody tr").filter(has_text=aid_case["number"])
        expect(row).to_have_count(1)
        # The list says what is decided in money: the fee and what the waiver takes off.
        expect(row.locator("td.text-end").nth(0)).to_have_text("150.00")
        expect(row.locator("td.text-end").nth(2)).to_have_text("150.00")
        checks.look(director, "requests-waiting")
        row.get_by_role("link", name="审批").click()
        checks.look(director, "decide-form")
        director.get_by_label("决定", exact=True).select_option("approve")
        director.get_by_role("button", name="记录决定").click()
        expect(director.locator("main .alert-success")).to_be_visible()
        director.goto(case_url)
        expect(director.locator("#legal-aid")).to_contain_text("审批通过")
        expect(director.locator("#fees")).to_contain_text("150.00")
        # The history says what happened in words, not in stored codes.
        for code in ("economic_hardship", "waive", "legal_aid", "approved"):
            expect(director.locator("main")).not_to_contain_text(code)
        expect(director.locator("#fees")).to_contain_text("免收")
        checks.look(director, "fee-waived")

        # --- The quarter's filing form -----------------------------------------------------
        director.get_by_role("link", name="法律援助", exact=True).click()
        director.get_by_role("link", name="季度备案表").click()
        expect(director.locator("main")).to_contain_text(aid_case["number"])
        checks.look(director, "quarterly-filing")
        with director.expect_download() as download:
            director.locator("main").get_by_role("link", name="XLSX").click()
        path = tmp_path / "filing.xlsx"
        download.value.save_as(path)
    finally:
        for context in contexts:
            context.close()

    book = load_workbook(io.BytesIO(path.read_bytes()))
    sheet = book.active
    assert sheet is not None
    quarter = (today.month - 1) // 3 + 1
    assert sheet.title == f"{today.year}Q{quarter}"
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert aid_case["number"] in cells and "龙小梅" in cells, cells
    assert any("150" in c for c in cells), cells
    db.session.remove()
    record = db.session.query(LegalAidRecord).one()
    assert record.case_id == aid_case["id"] and record.evidence is not None
    reduction = db.session.query(Reduction).one()
    assert reduction.status.value == "approved" and reduction.decided_by_id == staff[
        "director"]["id"]
    db.session.remove()
