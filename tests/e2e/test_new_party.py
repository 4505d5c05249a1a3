"""The front desk registers a new party from the parties list, in a real browser: the empty
form opens without the box that says someone else saved the record meanwhile."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, expect

from notary.extensions import db
from notary.parties.models import Party
from notary.parties.rules import Sex
from tests.e2e.conftest import PageChecks, open_signed_in
from tests.factories import resident_id

pytestmark = pytest.mark.e2e


def test_a_new_party_is_registered_from_a_fresh_form(
        app: Any, browser: Browser, live_server: str, staff: dict[str, Any],
        checks: PageChecks) -> None:
    contexts: list[Any] = []
    number = resident_id(date(1962, 4, 18), Sex.FEMALE)
    try:
        page = open_signed_in(browser, live_server, staff["desk"], checks, contexts)
        page.get_by_role("link", name="当事人", exact=True).click()
        checks.look(page, "parties")
        page.get_by_role("link", name="新增当事人").click()
        expect(page.get_by_role("heading", name="新增当事人")).to_be_visible()
        # A fresh form: nobody else saved anything, so no conflict box.
        expect(page.locator("#merge")).to_have_count(0)
        expect(page.get_by_text("对方已保存的值与您填写的值")).to_have_count(0)
        checks.look(page, "new-party-form")
        page.get_by_label("姓名（名称）", exact=True).fill("李桂英")
        page.get_by_label("证件号码", exact=True).fill(number)
        page.get_by_label("性别", exact=True).select_option(label="女")
        page.get_by_label("联系电话", exact=True).fill("13907341111")
        page.get_by_role("button", name="保存").click()
        expect(page).to_have_url(re.compile(r"/parties/\d+$"))
        expect(page.locator("main .alert-success")).to_be_visible()
        expect(page.locator("main")).to_contain_text("李桂英")
        checks.look(page, "party-registered")
    finally:
        for context in contexts:
            context.close()
    db.session.remove()
    party = db.session.scalars(sa.select(Party)).one()
    assert (party.name, party.document_number, party.phone) == ("李桂英", number, "13907341111")
    db.session.remove()
