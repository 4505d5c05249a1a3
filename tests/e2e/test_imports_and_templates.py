"""Stories of hostile input on two office pages, in a real browser against a real server.

- The director checks a ledger whose 处理结果 says 预约办理 in free text: the dry run does
  not refuse it, lists a note for that row and offers the import; the import then runs.
- The administrator types a wording template that would build a text of four million
  characters: the page answers at once, in Chinese, next to the template field.

Every page visited runs the shared page checks and leaves a screenshot.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from notary.core.permissions import Role
from notary.extensions import db
from notary.ledger.services import CONSULTATION_COLUMNS
from tests.e2e.conftest import PageChecks, open_signed_in
from tests.e2e.menus import open_settings
from tests.statistics.helpers import csv_bytes

pytestmark = pytest.mark.e2e


@pytest.fixture
def admin(app: Flask, staff: dict[str, dict[str, Any]]) -> dict[str, Any]:
    from tests.factories import PASSWORD, create_staff

    user = create_staff(Role.ADMIN, full_name="赵管理")
    out = {"id": user.id, "username": user.username, "full_name": user.full_name,
           "password": PASSWORD}
    db.session.commit()
    db.session.remove()
    return out


def test_a_free_text_outcome_and_a_runaway_template(
        staff: dict[str, dict[str, Any]], admin: dict[str, Any], live_server: str,
        browser: Browser, checks: PageChecks, tmp_path: Path) -> None:
    ledger = tmp_path / "咨询接待.csv"
    ledger.write_bytes(csv_bytes(CONSULTATION_COLUMNS, [
        {"日期": "2025-05-06", "方式": "来访", "人数": "2", "事项": "继承", "接待人": "刘晓燕",
         "处理结果": "预约办理"},
        {"日期": "2025-05-07", "方式": "电话", "人数": "1", "事项": "遗嘱", "接待人": "刘晓燕",
         "处理结果": "解答"}]))
    contexts: list[Any] = []
    try:
        page = open_signed_in(browser, live_server, staff["director"], checks, contexts)
        open_settings(page)  # the settings menu
        page.get_by_role("link", name="台账导入").click()
        checks.look(page, "ledger-form")
        page.get_by_label(re.compile("台账文件")).set_input_files(str(ledger))
        page.get_by_role("button", name="检查（试导入）").click()
        notes = page.locator("#ledger-warnings")
        expect(notes).to_contain_text("预约办理")
        expect(notes.locator("tbody tr")).to_have_count(1)
        expect(notes).to_contain_text("人次照常统计")
        expect(page.locator("#ledger-errors")).to_have_count(0)
        checks.look(page, "ledger-note")
        page.get_by_role("button", name="导入以上数据").click()
        expect(page.locator("#ledger-result")).to_contain_text("2")
        checks.look(page, "ledger-imported")

        page = open_signed_in(browser, live_server, admin, checks, contexts)
        open_settings(page)
        page.get_by_role("link", name="证词模板").click()
        checks.look(page, "wording-templates")
        page.goto("/admin/wording/declaration")
        checks.look(page, "wording-declaration")
        page.get_by_label("证词模板", exact=True).fill("{{ 'x' * 4000000 }}")
        page.get_by_role("button", name="保存").click()
        expect(page.locator('[data-field-error="body"]')).to_contain_text(
            "模板生成的文字或列表超过100000个字符或项")
        checks.look(page, "template-refused")
    finally:
        for context in contexts:
            context.close()
