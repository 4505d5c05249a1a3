"""A name the Pinyin dictionary does not know, on a certificate for abroad, in a real browser.

The administrator checks 李𠮷 on the Documents page: 𠮷 prints but has no known reading; the
reading form is filled with the character; a reading with a tone number is refused next to the
field; `ji` is recorded and listed. The notary of the English case for 李𠮷 then fills the
drafts from the case again: the translation page of the preview names the applicant Li Ji.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from notary.auth.models import User
from notary.cases.models import Category
from notary.cases.rules import CaseStatus
from notary.core.permissions import Role
from notary.extensions import db
from tests.cases.samples import advance
from tests.e2e.conftest import PageChecks, open_signed_in
from tests.e2e.menus import open_settings
from tests.factories import PASSWORD, create_staff, person, register_case

pytestmark = pytest.mark.e2e


@pytest.fixture
def rare_name_case(app: Flask, staff: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """An administrator and an English-translation case of 李𠮷 under review, drafted before
    the office recorded how 𠮷 is read (committed before the server starts)."""
    from notary.certificates import services as certificates

    desk, notary, director = (db.session.get(User, staff[k]["id"])
                              for k in ("desk", "notary", "director"))
    admin = create_staff(Role.ADMIN, full_name="赵管理")
    case = advance(register_case(desk, matters=("declaration",), category=Category.FOREIGN_CIVIL,
                                 place_of_use="美国", translation_language="英语",
                                 applicants=(person("李𠮷"),)),
                   CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    cert = certificates.prepare_drafts(case, actor=notary)[0]
    assert "𠮷" in cert.applicant_block_en
    out = {"case_id": case.id, "certificate_id": cert.id,
           "admin": {"id": admin.id, "username": admin.username, "full_name": admin.full_name,
                     "password": PASSWORD}}
    db.session.commit()
    db.session.remove()
    return out


def test_the_office_records_how_a_rare_character_is_read_and_the_translation_uses_it(
        app: Flask, browser: Browser, live_server: str, staff: dict[str, Any],
        rare_name_case: dict[str, Any], checks: PageChecks, tmp_path: Path) -> None:
    contexts: list[Any] = []
    try:
        page = open_signed_in(browser, live_server, rare_name_case["admin"], checks, contexts)
        open_settings(page)
        page.get_by_role("link", name="文书设置").click()
        page.get_by_label("要检查的文字").fill("李𠮷")
        page.get_by_role("button", name="检查").click()
        expect(page.locator('[data-reading="𠮷"]')).to_have_text("未知")
        expect(page.locator('[data-reading="李"]')).to_have_text("li")
        expect(page.get_by_label("字符", exact=True)).to_have_value("𠮷")
        checks.look(page, "documents-unknown-reading")
        page.get_by_label("拼音（不带声调）").fill("ji2")
        page.get_by_role("button", name="登记读音").click()
        expect(page.locator('[data-field-error="reading"]')).to_contain_text("不带声调")
        checks.look(page, "reading-refused")
        page.get_by_label("拼音（不带声调）").fill("ji")
        page.get_by_role("button", name="登记读音").click()
        expect(page.locator(".alert-success").first).to_contain_text("“𠮷”的读音已登记")
        expect(page.locator('[data-reading="𠮷"]')).to_contain_text("ji")
        expect(page.locator("[data-readings]")).to_contain_text("ji")
        checks.look(page, "reading-recorded")

        page = open_signed_in(browser, live_server, staff["notary"], checks, contexts)
        page.goto(f"/cases/{rare_name_case['case_id']}")
        page.get_by_role("button", name="按案件信息重新生成草稿").click()
        checks.look(page, "drafts-filled-again")
        response = page.request.get(f"/certificates/{rare_name_case['certificate_id']}"
                                    "/preview.pdf")
        assert response.status == 200
        pdf = tmp_path / "preview.pdf"
        pdf.write_bytes(response.body())
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        english = text.split("\f")[1]
        assert "Li Ji" in english and "𠮷" not in english
        assert "李𠮷" in text.split("\f")[0]  # the Chinese page keeps the name as written
    finally:
        for context in contexts:
            context.close()
