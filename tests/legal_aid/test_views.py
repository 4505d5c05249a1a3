"""Legal-aid pages through the client: the panel, the form with uploads, the reminder, the
filing form page and downloads."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import load_workbook

from notary.cases.rules import CaseStatus
from notary.legal_aid import queries
from tests.cases.samples import advance, pdf_bytes
from tests.factories import register_case


def test_record_emergency_legal_aid_and_confirm_it(tariff, login_as, desk, notary, director):
    case = register_case(desk, matters=("will",))
    advance(case, CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    client = login_as(notary)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"/legal-aid/cases/{case.id}/new" in page
    party_id = case.applicants[0].party_id
    response = client.post(f"/legal-aid/cases/{case.id}/new", data={
        "recipient_id": party_id, "eligibility": "economic_hardship", "route": "emergency",
        "agency_name": "耒阳市法律援助中心", "relief": "waive", "eligibility_detail": "",
        "emergency_reason": "遗嘱人病危"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-field-error="evidence"' in html
    assert "遗嘱人病危" in html  # what was typed stays
    response = client.post(f"/legal-aid/cases/{case.id}/new", data={
        "recipient_id": party_id, "eligibility": "economic_hardship", "route": "emergency",
        "agency_name": "耒阳市法律援助中心", "relief": "waive",
        "eligibility_detail": "家庭人均月收入低于标准", "emergency_reason": "遗嘱人病危",
        "evidence": (io.BytesIO(pdf_bytes()), "收入证明.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    record = queries.record_of(case.id)
    assert record is not None and record.awaiting_confirmation
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"/legal-aid/{record.id}/confirm" in page
    # The case history reads in words: the labels, not the stored codes.
    for code in ("economic_hardship", ">emergency", "waive", "legal_aid", "pending"):
        assert code not in page, code
    assert f"/legal-aid/{record.id}/confirm" in client.get("/legal-aid/").get_data(as_text=True)
    response = client.post(f"/legal-aid/{record.id}/confirm", data={
        "decision_number": "耒法援决字〔2026〕第3号", "decision_date": date.today().isoformat(),
        "decision_scan": (io.BytesIO(pdf_bytes()), "决定书.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert not queries.record_of(case.id).awaiting_confirmation


def test_filing_page_and_downloads(tariff, login_as, notary):
    client = login_as(notary)
    html = client.get("/legal-aid/filing?year=2026&quarter=2").get_data(as_text=True)
    assert "2026" in html and "/legal-aid/filing.pdf?year=2026&amp;quarter=2" in html
    response = client.get("/legal-aid/filing.pdf?year=2026&quarter=2")
    assert response.mimetype == "application/pdf" and response.get_data().startswith(b"%PDF")
    response = client.get("/legal-aid/filing.xlsx?year=2026&quarter=2")
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.active is not None and book.active.title == "2026Q2"
    assert client.get("/legal-aid/filing?year=2026&quarter=9").status_code == 200
    assert client.get("/legal-aid/filing?year=abc").status_code == 400


def test_panel_hidden_from_those_who_cannot_see_fees(tariff, login_as, desk: Any) -> None:
    case = register_case(desk)
    html = login_as(desk).get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'id="legal-aid"' not in html  # nothing recorded and the desk cannot record it
