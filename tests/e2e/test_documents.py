"""Stories of the documents the office prints, in a real browser against a real server.

- The administrator opens *Documents*: the verification address (here unset, so issuing would
  be refused, saying what to set), the fonts in use, and a check of a name: 𠮷 and 𡒄 print
  (BabelStone Han), 𰁁 does not.
- The front desk records a party's birth record (province, county, parents) on the party page.
- A notary previews a draft whose applicant has a character no font has: one page names it
  and leads back to the case; so does the register's PDF, which lists that name.
- Anyone verifies a certificate in their browser's language (English), and switches to Chinese.

The case with the unprintable name is made by the services before the server starts (it needs
an accepted case with a draft; intake and acceptance are the intake story's).
Every page visited runs the shared page checks and leaves a screenshot.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from notary.cases.rules import CaseStatus
from notary.core.permissions import Role
from notary.extensions import db
from tests.e2e.conftest import DESKTOP, PageChecks, open_signed_in
from tests.e2e.menus import open_settings

pytestmark = pytest.mark.e2e


@pytest.fixture
def documents_data(app: Flask, staff: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """An administrator, a party 王𡒄, and an accepted case of 𰁁春华 with a draft."""
    from notary.auth.models import User
    from notary.certificates import services as certificates
    from notary.parties import services as parties
    from tests.cases.samples import advance
    from tests.factories import PASSWORD, create_staff, person, register_case

    admin = create_staff(Role.ADMIN, full_name="赵管理")
    desk, notary, director = (db.session.get(User, staff[k]["id"])
                              for k in ("desk", "notary", "director"))
    party = parties.create_party(person("王𡒄", birth_province=None, birth_county=None,
                                        father_name=None, mother_name=None), actor=desk)
    case = advance(register_case(desk, matters=("declaration",), applicants=(
        person("𰁁春华"),)), CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    certificates.prepare_drafts(case, actor=notary)
    out = {"admin": {"id": admin.id, "username": admin.username, "full_name": admin.full_name,
                     "password": PASSWORD}, "party_id": party.id, "case_id": case.id}
    db.session.commit()
    db.session.remove()
    return out


def test_documents_stories(app: Flask, staff: dict[str, dict[str, Any]],
                           documents_data: dict[str, Any], live_server: str, browser: Browser,
                           checks: PageChecks) -> None:
    contexts: list[Any] = []
    try:
        # The administrator: Documents, the address, the fonts, a name checked.
        page = open_signed_in(browser, live_server, documents_data["admin"], checks, contexts)
        open_settings(page)  # the settings menu
        page.get_by_role("link", name="文书设置").click()
        expect(page.get_by_role("heading", name="文书设置")).to_be_visible()
        checks.look(page, "documents-settings")
        expect(page.locator('[data-address="refused"]')).to_contain_text("PUBLIC_BASE_URL")
        expect(page.get_by_role("cell", name="BabelStone Han")).to_be_visible()
        page.get_by_label("要检查的文字").fill("李𠮷 王𡒄 𰁁")
        page.get_by_role("button", name="检查").click()
        expect(page.locator('[data-check="refused"]')).to_contain_text("𰁁（U+30041）")
        expect(page.get_by_role("row", name=re.compile("𠮷"))).to_contain_text("BabelStone Han")
        checks.look(page, "admin-fonts")

        # The front desk: the party's birth record.
        page = open_signed_in(browser, live_server, staff["desk"], checks, contexts)
        page.get_by_role("link", name="当事人").click()
        checks.look(page, "parties")
        page.get_by_role("link", name="王𡒄").first.click()
        checks.look(page, "party")
        page.get_by_role("link", name="编辑").click()
        page.get_by_label("出生地省（自治区、直辖市）").fill("湖南省")
        page.get_by_label("出生地县（市）").fill("耒阳市")
        page.get_by_label("父亲").fill("王大山")
        page.get_by_label("母亲").fill("李秀英")
        checks.look(page, "party-birth-record-form")
        page.get_by_role("button", name="保存").click()
        expect(page.locator("dl")).to_contain_text("湖南省耒阳市")
        expect(page.locator("dl")).to_contain_text("王大山、李秀英")
        checks.look(page, "party-birth-record")

        # A notary: the draft of 𰁁春华 cannot print; the page says why and leads back.
        page = open_signed_in(browser, live_server, staff["notary"], checks, contexts)
        page.goto(f"/cases/{documents_data['case_id']}")
        page.get_by_role("link", name="预览").first.click()
        expect(page.get_by_role("heading", name="此文书无法打印")).to_be_visible()
        expect(page.get_by_role("cell", name="U+30041")).to_be_visible()
        checks.look(page, "unprintable", allow_status=(409,))
        page.get_by_role("link", name="返回").click()
        expect(page).to_have_url(re.compile(rf"/cases/{documents_data['case_id']}"))
        checks.look(page, "case")
        # The register as a PDF: it lists 𰁁春华 too, so it gets the same page.
        page.get_by_role("link", name="登记簿").click()
        checks.look(page, "register")
        page.get_by_role("link", name="PDF", exact=True).click()
        expect(page.get_by_role("cell", name="U+30041")).to_be_visible()
        checks.look(page, "register-unprintable", allow_status=(409,))
        page.get_by_role("link", name="返回").click()
        expect(page).to_have_url(re.compile(r"/cases/register"))
        checks.look(page, "register-again")

        # Anyone, in English by the browser's language, then in Chinese by choice.
        context = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="en-GB")
        contexts.append(context)
        context.set_default_timeout(10_000)
        page = checks.watch(context.new_page())
        page.goto("/verify")
        checks.look(page, "verify-form-english")
        expect(page.get_by_role("heading", name="Verify a notarial certificate")).to_be_visible()
        page.get_by_label("Verification code").fill("ABCD-EFGH")
        page.get_by_role("button", name="Verify").click()
        expect(page.locator('[data-outcome="unknown"]')).to_contain_text("Not found")
        checks.look(page, "verify-english")
        page.get_by_role("link", name="中文").click()
        expect(page.get_by_role("heading", name="公证书真伪查验")).to_be_visible()
        checks.look(page, "verify-chinese")
    finally:
        for context in contexts:
            context.close()
