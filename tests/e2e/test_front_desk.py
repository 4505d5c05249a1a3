"""The front desk logs a phone consultation with the keyboard alone, in a real browser: the form
opens with the cursor in the topic, Tab moves on, typing fills in, Enter logs it."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, expect

from notary.consultations.models import Channel, Consultation
from notary.extensions import db
from tests.e2e.conftest import PageChecks, open_signed_in
from tests.e2e.test_intake_to_approval import Steps

pytestmark = pytest.mark.e2e


def test_a_phone_consultation_is_logged_with_the_keyboard_alone(
        app: Any, browser: Browser, live_server: str, staff: dict[str, Any],
        checks: PageChecks) -> None:
    contexts: list[Any] = []
    steps = Steps(checks)
    try:
        page = open_signed_in(browser, live_server, staff["desk"], checks, contexts)
        with steps("desk-opens-ready-to-type", page):
            page.goto("/desk/")
            expect(page.locator('input[name="topic"]')).to_be_focused()
        with steps("typed-with-tab-and-enter"):
            page.keyboard.type("继承公证需要哪些材料")
            page.keyboard.press("Tab")  # channel: phone is the default
            expect(page.locator('select[name="channel"]')).to_be_focused()
            page.keyboard.press("Tab")  # people: Tab selects the 1, typing replaces it
            page.keyboard.type("2")
            page.keyboard.press("Tab")  # matter (optional)
            page.keyboard.press("Tab")  # outcome: answered is the default
            page.keyboard.press("Tab")
            page.keyboard.type("父亲去世，询问存款继承所需材料")
            page.keyboard.press("Tab")
            page.keyboard.type("段文江")
            page.keyboard.press("Tab")
            page.keyboard.type("13812345678")
        with steps("logged"):
            page.keyboard.press("Enter")
            expect(page.locator("main .alert-success")).to_have_count(1)
            row = page.locator("#consultation-log tbody tr").first
            expect(row).to_contain_text("继承公证需要哪些材料")
            expect(row).to_contain_text("138****5678")
            expect(page.locator('#today-counts td[data-channel="phone"]')).to_have_text("2")
            # Ready for the next call straight away.
            expect(page.locator('input[name="topic"]')).to_be_focused()
            expect(page.locator('input[name="topic"]')).to_have_value(re.compile(r"^$"))
    finally:
        for context in contexts:
            context.close()
    db.session.expire_all()
    entry = db.session.scalars(sa.select(Consultation)).one()
    assert (entry.channel, entry.persons, entry.name, entry.phone, entry.taken_by_id) == (
        Channel.PHONE, 2, "段文江", "13812345678", staff["desk"]["id"])
