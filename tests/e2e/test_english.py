"""A notary and the director who read the interface in English, in a real browser.

The notary (profile language English) opens an inheritance case, plans a village visit with
two colleagues ticked and writes its record; the director opens the statistics of a half
year. Every page passes the checks in English: no Chinese in the menu, headings, labels,
buttons, table headers, badges, alerts or help text (names, addresses and document text are
content and stay Chinese), no raw code, and the layout holds at 1366 and 1280 px.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, expect

from notary.auth.models import User
from notary.core.clock import office_today
from notary.extensions import db
from notary.investigations.models import Investigation
from tests.e2e.conftest import PageChecks, open_signed_in
from tests.e2e.test_field_investigation import village_case  # noqa: F401  (a fixture)

pytestmark = pytest.mark.e2e


@pytest.fixture
def english(app: Flask, staff: dict[str, dict[str, Any]],
            village_case: dict[str, Any]) -> None:  # noqa: F811
    """The notary and the director chose English in their profiles."""
    for key in ("notary", "director"):
        user = db.session.get(User, staff[key]["id"])
        assert user is not None
        user.locale = "en"
    db.session.commit()
    db.session.remove()


def test_a_notary_reading_english_plans_and_records_a_visit_and_the_director_reads_figures(
        app: Flask, browser: Browser, live_server: str, staff: dict[str, Any],
        village_case: dict[str, Any], english: None, checks: PageChecks) -> None:  # noqa: F811
    contexts: list[Any] = []
    case_url = f"/cases/{village_case['case_id']}"
    assistant, second = village_case["assistant"], village_case["second"]
    try:
        page = open_signed_in(browser, live_server, staff["notary"], checks, contexts)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.get_by_role("link", name="Cases", exact=True).click()
        checks.look(page, "cases")
        page.get_by_role("link", name=village_case["number"]).first.click()
        expect(page).to_have_url(re.compile(rf"{case_url}$"))
        expect(page.locator("main h1 ~ .badge")).to_have_text("Under review")
        expect(page.locator("#inheritance table.heirs")).to_contain_text("段春生")
        checks.look(page, "case-under-review")

        # --- Plan the visit with two colleagues ticked ----------------------------------------
        page.locator("#investigations").get_by_role("link", name="Plan a task").click()
        checks.look(page, "plan-form")
        staff_box = page.get_by_role("group", name="Assigned staff")
        staff_box.get_by_label(assistant["full_name"]).check()
        staff_box.get_by_label(second["full_name"]).check()
        page.get_by_label("Method", exact=True).select_option(label="On-site visit")
        page.get_by_label("Date and time", exact=True).fill("2026-03-10T09:00")
        page.get_by_label("Purpose", exact=True).fill("到龙水村村委会核实被继承人段文斌的亲属关系")
        page.get_by_label("Place", exact=True).fill("耒阳市蔡子池街道龙水村村委会")
        page.get_by_role("button", name="Plan the task").click()
        expect(page.locator("main .alert-success")).to_be_visible()
        expect(page.locator("main dl")).to_contain_text(assistant["full_name"])
        checks.look(page, "task-planned")
        task_url = page.url

        page.get_by_role("link", name=village_case["number"]).click()
        checks.look(page, "case-paused")

        # --- The record -----------------------------------------------------------------------
        page.goto(task_url)
        page.get_by_role("link", name="Add a record").click()
        checks.look(page, "record-form")
        page.get_by_label("Ended", exact=True).fill("2026-03-10T10:30")
        page.get_by_label("Name", exact=True).nth(0).fill("段运来")
        page.get_by_label("Relation to the matter", exact=True).nth(0).fill("邻居")
        page.get_by_label("Signed", exact=True).nth(0).check()
        page.locator("textarea[name=questions]").fill(
            "问：你与段文斌是什么关系？\n答：邻居，认识三十多年。")
        page.get_by_role("button", name="Save the record").click()
        expect(page.locator("main .alert-success")).to_be_visible()
        expect(page.locator(".record-person")).to_have_count(1)
        checks.look(page, "record-saved")

        # --- The director's half-year figures -------------------------------------------------
        director = open_signed_in(browser, live_server, staff["director"], checks, contexts)
        director.get_by_role("link", name="Statistics", exact=True).click()
        period = director.locator("#period-form")
        period.get_by_label("Year", exact=True).fill(str(office_today().year))
        period.get_by_label("Half", exact=True).select_option(
            "1" if office_today().month <= 6 else "2")
        period.get_by_role("button", name="Show").click()
        checks.look(director, "half-year-statistics")
    finally:
        for context in contexts:
            context.close()

    db.session.remove()
    task = db.session.scalars(sa.select(Investigation)).one()
    assert sorted(u.full_name for u in task.staff) == sorted(
        [staff["notary"]["full_name"], assistant["full_name"], second["full_name"]])
    assert [p.name for p in task.records[0].persons] == ["段运来"]
    db.session.remove()
