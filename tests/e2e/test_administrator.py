"""The administrator's settings, in a real browser: a new member of staff is given an account
(refused with a short password, created with a good one, listed); the matter catalogue gets
a better English name for a matter; the fee schedule in force is opened; and the working-day
calendar gets the office's own closure day, which is listed with its note, then removed.
Every page is opened from the settings menu (设置), as the administrator does.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from notary.auth.models import User
from notary.cases.models import MatterType
from notary.core.models import office_today
from notary.core.permissions import Role
from notary.deadlines.models import CalendarDay
from notary.extensions import db
from tests.e2e.conftest import PageChecks, open_signed_in
from tests.e2e.menus import open_settings
from tests.e2e.test_intake_to_approval import expect_success, shown_as
from tests.factories import PASSWORD, create_staff
from tests.fees.helpers import seed_hunan_tariffs

pytestmark = pytest.mark.e2e


@pytest.fixture
def admin(app: Flask, staff: dict[str, Any]) -> dict[str, Any]:
    """The administrator, and the province's fee schedules in the database."""
    user = create_staff(Role.ADMIN, full_name="龙海涛")
    seed_hunan_tariffs()
    out = {"id": user.id, "username": user.username, "full_name": user.full_name,
           "password": PASSWORD}
    db.session.commit()
    db.session.remove()
    return out


def settings(app: Flask, page: Page, entry: str) -> None:
    open_settings(page)
    page.locator("nav .dropdown-menu").get_by_role("link", name=shown_as(app, entry)).click()


def test_the_administrator_adds_a_user_names_a_matter_and_closes_the_office_a_day(
        app: Flask, browser: Browser, live_server: str, admin: dict[str, Any],
        checks: PageChecks) -> None:
    closure = date(office_today().year + 1, 3, 16)
    while closure.weekday() > 4:  # a working day on which the office closes
        closure += timedelta(days=1)
    contexts: list[Any] = []
    try:
        page = open_signed_in(browser, live_server, admin, checks, contexts)

        # --- Users -------------------------------------------------------------------------
        settings(app, page, "Users")
        checks.look(page, "users")
        page.get_by_role("link", name=shown_as(app, "New user")).click()
        page.get_by_label(shown_as(app, "User name")).fill("he.lijuan")
        page.get_by_label(shown_as(app, "Full name")).fill("贺丽娟")
        page.get_by_label(shown_as(app, "Role")).select_option("assistant")
        page.get_by_label(shown_as(app, "Password")).fill("short")
        page.get_by_role("button", name=shown_as(app, "Save")).click()
        expect(page.locator('[data-field-error="password"]')).to_be_visible()
        checks.look(page, "user-refused-short-password")
        page.get_by_label(shown_as(app, "Password")).fill("Leiyang-2026-desk")
        page.get_by_role("button", name=shown_as(app, "Save")).click()
        expect_success(page)
        expect(page.locator("main table")).to_contain_text("贺丽娟")
        checks.look(page, "user-created")

        # --- The matter catalogue ------------------------------------------------------------
        settings(app, page, "Matters")
        checks.look(page, "matters")
        page.locator("main table tr").filter(has_text="亲属关系").first.get_by_role(
            "link", name="kinship").click()
        page.get_by_label(shown_as(app, "English name")).fill("Kinship (family relations)")
        checks.look(page, "matter-form")
        page.get_by_role("button", name=shown_as(app, "Save")).click()
        expect_success(page)
        expect(page.locator("main table")).to_contain_text("Kinship (family relations)")
        checks.look(page, "matter-saved")

        # --- The fee schedule in force --------------------------------------------------------
        settings(app, page, "Fee schedule")
        checks.look(page, "tariffs")
        page.locator("main").get_by_role("link", name=re.compile("737号")).click()
        expect(page.locator("main table.tariff-lines")).to_contain_text("继承")
        checks.look(page, "tariff-737")

        # --- The working-day calendar ---------------------------------------------------------
        settings(app, page, "Calendar")
        checks.look(page, "calendar")
        page.get_by_label(shown_as(app, "Date")).fill(closure.isoformat())
        page.get_by_label(shown_as(app, "Kind of day")).select_option("0")
        page.get_by_label(shown_as(app, "Note")).fill("办公楼停电检修，全天闭馆")
        page.get_by_role("button", name=shown_as(app, "Save")).click()
        expect_success(page)
        expect(page).to_have_url(re.compile(rf"year={closure.year}"))
        row = page.locator("main table tbody tr").filter(has_text=closure.isoformat())
        expect(row).to_contain_text("办公楼停电检修")
        checks.look(page, "calendar-closure-added")
        row.get_by_role("button", name=shown_as(app, "Remove")).click()
        expect_success(page)
        checks.look(page, "calendar-closure-removed")
    finally:
        for context in contexts:
            context.close()

    db.session.remove()
    user = db.session.scalars(sa.select(User).where(User.username == "he.lijuan")).one()
    assert (user.full_name, user.role) == ("贺丽娟", Role.ASSISTANT)
    assert db.session.scalars(sa.select(MatterType.name_en).where(
        MatterType.name.like("%亲属关系%"))).first() == "Kinship (family relations)"
    assert db.session.scalars(sa.select(CalendarDay).where(CalendarDay.day == closure)
                              ).first() is None
    db.session.remove()
