"""Approval, issue, delivery and archiving of a certificate, in a real browser.

The director opens a case awaiting approval and approves it on the approval page: refused
without the written opinion (审批意见) and the confirmation, approved with both, the opinion
filed in the second volume. The handling notary issues the certificate: it takes its number
and its verification code; its PDF is opened, rendered and read (the number, the wording,
the code), and its QR code, decoded from the rendered page, leads anyone without an account
to the verification page, which says the certificate is valid. The notary then records the
delivery (送达) and files the case (归档).
"""

from __future__ import annotations

import re
import subprocess
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from notary.auth.models import User
from notary.casefile.models import FileNote, FileNoteKind
from notary.cases.models import Case
from notary.cases.rules import CaseStatus
from notary.certificates import services as certificates
from notary.extensions import db
from tests.cases.samples import advance, settle_nothing_charged
from tests.e2e.conftest import DESKTOP, PageChecks, open_signed_in
from tests.e2e.test_intake_to_approval import approve, badge, expect_success, shown_as
from tests.factories import person, register_case, tell_applicants

pytestmark = pytest.mark.e2e

PUBLIC = "https://gz.example.cn"
OPINION = "申请人身份及声明内容经核实无误，签名真实，同意出证。"


@pytest.fixture
def server_settings() -> str:
    """The address the certificates' QR codes point to (the office's public site)."""
    return f'PUBLIC_BASE_URL = "{PUBLIC}"\n'


@pytest.fixture
def awaiting(app: Flask, staff: dict[str, Any]) -> dict[str, Any]:
    """A declaration of 龙春花 drafted, told, nothing to charge, awaiting approval."""
    desk, notary, director = (db.session.get(User, staff[k]["id"])
                              for k in ("desk", "notary", "director"))
    case = advance(register_case(desk, matters=("declaration",), applicants=(person("龙春花"),)),
                   CaseStatus.AWAITING_APPROVAL, notary=notary, director=director)
    certificates.prepare_drafts(case, actor=notary)
    tell_applicants(case, notary)
    settle_nothing_charged(case, notary)
    out = {"id": case.id, "url": f"/cases/{case.id}", "number": case.acceptance_number}
    db.session.commit()
    db.session.remove()
    return out


def test_the_director_approves_with_an_opinion_and_the_issued_certificate_verifies(
        app: Flask, browser: Browser, live_server: str, staff: dict[str, Any],
        awaiting: dict[str, Any], checks: PageChecks) -> None:
    case_url = awaiting["url"]
    contexts: list[Any] = []
    try:
        # --- The director: the approval page, refused, then approved --------------------------
        page = open_signed_in(browser, live_server, staff["director"], checks, contexts)
        page.goto(case_url)
        expect(badge(page)).to_have_text(shown_as(app, CaseStatus.AWAITING_APPROVAL))
        checks.look(page, "awaiting-approval")
        approve(app, page, case_url, OPINION, checks)
        expect(page).to_have_url(re.compile(rf"{case_url}$"))
        expect_success(page)
        expect(badge(page)).to_have_text(shown_as(app, CaseStatus.APPROVED))
        expect(page.locator("#second-volume")).to_contain_text("审批意见")
        checks.look(page, "approved")

        # --- The notary issues the certificate -------------------------------------------------
        page = open_signed_in(browser, live_server, staff["notary"], checks, contexts)
        page.goto(case_url)
        page.click(f'main .actions a[href$="{case_url}/step/issue"]')
        checks.look(page, "issue-form")
        page.locator('main form button[type="submit"]').click()
        expect(page).to_have_url(re.compile(rf"{case_url}$"))
        expect_success(page)
        expect(badge(page)).to_have_text(shown_as(app, CaseStatus.ISSUED))
        row = page.locator("#certificates table.certificates tbody tr").first
        number = row.locator("td").nth(1).inner_text().strip()
        code = row.locator("td").nth(2).inner_text().strip()
        assert re.fullmatch(r"[(（]\d{4}[)）].+证字第\d+号", number), number
        assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code), code
        checks.look(page, "issued")

        # --- The PDF, opened and read; its QR code decoded -----------------------------------
        href = row.get_by_role("link", name="PDF", exact=True).get_attribute("href")
        response = page.request.get(href or "")
        assert response.ok and response.headers["content-type"] == "application/pdf"
        pdf = checks.file("certificate.pdf")
        pdf.write_bytes(response.body())
        png = checks.file("certificate")
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(png)], check=True, timeout=60)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, timeout=60,
                              capture_output=True, text=True).stdout
        for shown in ("公证书", number, "龙春花", code):
            assert shown in text.replace(" ", ""), shown
        qr = subprocess.run(["zbarimg", "--quiet", "--raw", f"{png}.png"], check=True,
                            timeout=60, capture_output=True, text=True).stdout.strip()
        assert qr == f"{PUBLIC}/verify/{code}", qr

        # --- Anyone, without an account, follows the QR code -------------------------------
        public = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="zh-CN")
        contexts.append(public)
        anonymous = checks.watch(public.new_page())
        anonymous.goto(urlsplit(qr).path)
        expect(anonymous.locator('[data-outcome="valid"]')).to_contain_text("有效")
        expect(anonymous.locator("main")).to_contain_text(number)
        checks.look(anonymous, "verified-valid")

        # --- Delivery and archiving ---------------------------------------------------------
        page.click(f'main .actions a[href$="{case_url}/step/deliver"]')
        page.get_by_label(shown_as(app, "Delivery")).select_option("pickup")
        page.get_by_label(shown_as(app, "Received by")).fill("龙春花")
        checks.look(page, "deliver-form")
        page.locator('main form button[type="submit"]').click()
        expect_success(page)
        expect(badge(page)).to_have_text(shown_as(app, CaseStatus.DELIVERED))
        checks.look(page, "delivered")
        page.click(f'main .actions a[href$="{case_url}/step/archive"]')
        page.get_by_label(shown_as(app, "Archive number")).fill("2026-民-0415")
        checks.look(page, "archive-form")
        page.locator('main form button[type="submit"]').click()
        expect_success(page)
        expect(badge(page)).to_have_text(shown_as(app, CaseStatus.ARCHIVED))
        expect(page.locator("main")).to_contain_text("2026-民-0415")
        checks.look(page, "archived")
    finally:
        for context in contexts:
            context.close()

    db.session.remove()
    case = db.session.get(Case, awaiting["id"])
    assert case is not None and case.status is CaseStatus.ARCHIVED
    assert case.approver_id == staff["director"]["id"]
    assert case.archive_number == "2026-民-0415" and case.delivered_to == "龙春花"
    note = db.session.query(FileNote).filter_by(case_id=case.id,
                                                kind=FileNoteKind.APPROVAL).one()
    assert note.body == OPINION
    db.session.remove()
