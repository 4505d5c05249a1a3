"""A notary with more cases than a home page lists: the first ten of a stage and of the
overdue queue, how many there are, and the rest one click away, page by page, in a real
browser; the case list, the deadline queues and the investigations page as the director."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, expect

from notary.auth.models import User
from notary.cases.rules import Action
from notary.cases.workflow import StepData, perform
from notary.core.models import office_today
from notary.deadlines.models import CaseClock
from notary.extensions import db
from tests.e2e.conftest import PageChecks, open_signed_in
from tests.factories import person, register_case

pytestmark = pytest.mark.e2e

CASES = 13  # more than the ten a home page list shows


@pytest.fixture
def accepted_cases(app: Flask, staff: dict[str, Any]) -> list[int]:
    """Thirteen accepted cases of the notary, their clocks past due (committed before the
    server starts)."""
    desk, notary = (db.session.get(User, staff[k]["id"]) for k in ("desk", "notary"))
    ids = []
    for i in range(CASES):
        case = register_case(desk, applicants=(person(f"申请人{i + 1:02d}"),))
        perform(case, Action.ACCEPT, StepData(notary_id=notary.id, conditions_confirmed=True),
                actor=notary)
        ids.append(case.id)
    db.session.execute(sa.update(CaseClock).where(CaseClock.case_id.in_(ids))
                       .values(effective_due=office_today() - timedelta(days=1)))
    director = db.session.get(User, staff["director"]["id"])
    assert director is not None
    director.locale = "en"  # the director reads the same pages in English
    db.session.commit()
    db.session.remove()
    return ids


def test_a_home_page_shows_ten_and_the_rest_page_by_page(
        browser: Browser, live_server: str, staff: dict[str, Any], checks: PageChecks,
        accepted_cases: list[int]) -> None:
    contexts: list[Any] = []
    try:
        page = open_signed_in(browser, live_server, staff["notary"], checks, contexts)
        stage = page.locator("#stage-accepted")
        expect(stage).to_contain_text(str(CASES))
        table = stage.locator("xpath=following-sibling::table[1]")
        expect(table.locator("tbody tr")).to_have_count(5)
        overdue = page.locator(".card.border-danger")
        expect(overdue.locator(".badge")).to_have_text(str(CASES))
        expect(overdue.locator("tbody tr")).to_have_count(10)
        checks.look(page, "home-ten-of-thirteen")

        more = page.locator("main a[href$='list=accepted']")
        expect(more).to_have_text(f"全部 {CASES} 件，逐页查看 →")
        more.click()
        expect(page.locator("h1")).to_have_text("已受理")
        expect(page.locator("main table tbody tr")).to_have_count(CASES)
        expect(page.locator("main")).to_contain_text(f"共{CASES}条")
        checks.look(page, "home-list-accepted")
        page.get_by_role("link", name="首页").first.click()

        overdue = page.locator(".card.border-danger")
        overdue.get_by_role("link", name=f"全部 {CASES} 件，逐页查看").click()
        expect(page.locator(".nav-pills .nav-link.active")).to_contain_text("逾期")
        expect(page.locator("#queue-overdue tbody tr")).to_have_count(CASES)
        expect(page.locator("#queue-due_soon")).to_have_count(0)  # one queue at a time
        checks.look(page, "deadlines-overdue-queue")
        page.get_by_role("link", name="全部队列").click()
        expect(page.locator("#queue-overdue tbody tr")).to_have_count(10)
        expect(page.locator("#queue-overdue")).to_contain_text(f"全部 {CASES} 件，逐页查看")
        checks.look(page, "deadlines-all-queues")

        page.get_by_role("link", name="案件", exact=True).first.click()
        expect(page.locator("main table.case-table tbody tr")).to_have_count(CASES)
        expect(page.locator("main table.case-table")).to_contain_text("申请人13")
        checks.look(page, "case-list")

        director = open_signed_in(browser, live_server, staff["director"], checks, contexts)
        expect(director.locator("html")).to_have_attribute("lang", "en")
        expect(director.locator("main")).to_contain_text("Applications waiting for acceptance")
        card = director.locator(".card.border-danger")
        expect(card.locator(".badge")).to_have_text(str(CASES))
        checks.look(director, "home-director-english")
        card.get_by_role("link", name=f"All {CASES}, page by page").click()
        expect(director.locator("#queue-overdue tbody tr")).to_have_count(CASES)
        checks.look(director, "deadlines-overdue-english")
        director.goto(f"{live_server}/?list=to_accept")
        expect(director.locator("h1")).to_have_text("Applications waiting for acceptance")
        checks.look(director, "home-list-english")
        director.get_by_role("link", name="Cases", exact=True).first.click()
        expect(director.locator("main table.case-table tbody tr")).to_have_count(CASES)
        checks.look(director, "case-list-english")
        director.goto(f"{live_server}/investigations/")
        checks.look(director, "investigations-english")
    finally:
        for context in contexts:
            context.close()
