"""A party checks their case on a phone, without an account, in a real browser: the number
is typed the way it is said (no brackets, no leading zeros, full-width digits), and the
answer tells the stage, the date it is due, and for a certificate how to collect it."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from notary.auth.models import User
from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import StepData, perform
from notary.deadlines.models import CaseClock
from notary.extensions import db
from tests.e2e.conftest import PageChecks
from tests.factories import person, register_case

pytestmark = pytest.mark.e2e

PHONE: dict[str, int] = {"width": 390, "height": 844}
ADDRESS = "耒阳市五一西路公证大楼一楼"
HOURS = "周一至周五 8:00-12:00，14:30-17:30"


@pytest.fixture
def server_settings() -> str:
    return (f'OFFICE_ADDRESS = "{ADDRESS}"\nOFFICE_HOURS = "{HOURS}"\n'
            'OFFICE_PHONE = "0734-4321000"\n')


@pytest.fixture
def two_cases(app: Flask, staff: dict[str, Any]) -> dict[str, Any]:
    """An accepted case, and one whose certificate is out (its status set directly: issuing
    is the intake story's and the documents story's business)."""
    desk, notary = (db.session.get(User, staff[k]["id"]) for k in ("desk", "notary"))
    out: dict[str, Any] = {}
    for key, name, phone in (("accepted", "段文江", "13812345678"),
                             ("issued", "李桂英", "13907341111")):
        case = register_case(desk, applicants=(person(name, phone=phone),))
        perform(case, Action.ACCEPT, StepData(notary_id=notary.id, conditions_confirmed=True),
                actor=notary)
        clock = db.session.get(CaseClock, case.id)
        out[key] = {"number": case.acceptance_number, "year": case.acceptance_year,
                    "seq": case.acceptance_seq,
                    "due": clock.effective_due if clock else None}
        if key == "issued":
            case.status = CaseStatus.ISSUED
    db.session.commit()
    db.session.remove()
    return out


def test_a_party_looks_up_the_case_on_a_phone_with_the_number_typed_loosely(
        app: Flask, browser: Browser, live_server: str, two_cases: dict[str, Any],
        checks: PageChecks) -> None:
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="zh-CN",
                                  is_mobile=True, has_touch=True)
    try:
        page = checks.watch(context.new_page())
        page.goto("/lookup/")
        checks.look(page, "lookup-form")
        accepted, issued = two_cases["accepted"], two_cases["issued"]
        # As said at the counter: no brackets, no leading zeros.
        page.get_by_label("受理号", exact=True).fill(
            f"{accepted['year']}耒证受字第{accepted['seq']}号")
        page.get_by_label("申请人电话后四位", exact=True).fill("5678")
        page.get_by_role("button", name="查询").click()
        answer = page.locator("#lookup-answer")
        expect(answer).to_contain_text(accepted["number"])
        expect(page.locator("#lookup-stage")).to_have_text("已受理")
        expect(answer).to_contain_text("已指定承办公证员")
        due = accepted["due"]
        expect(page.locator("#lookup-due")).to_contain_text(due.isoformat())
        expect(page.locator("#lookup-collect")).to_have_count(0)
        checks.look(page, "accepted-found")

        # As printed on the receipt, brackets and leading zeros; and without the year at all.
        for typed in (accepted["number"], f"耒证受字第{accepted['seq']}号"):
            page.get_by_label("受理号", exact=True).fill(typed)
            page.get_by_role("button", name="查询").click()
            expect(page.locator("#lookup-stage")).to_have_text("已受理")
            expect(answer).to_contain_text(accepted["number"])
        checks.look(page, "accepted-found-without-year")

        # Full-width digits in square brackets, the phone tail in full-width too.
        wide = str.maketrans("0123456789", "０１２３４５６７８９")
        page.get_by_label("受理号", exact=True).fill(
            f"〔{issued['year']}〕{issued['seq']}".translate(wide))
        page.get_by_label("申请人电话后四位", exact=True).fill("1111".translate(wide))
        page.get_by_role("button", name="查询").click()
        expect(page.locator("#lookup-stage")).to_have_text("已出证")
        expect(page.locator("#lookup-due")).to_have_count(0)  # nothing is due any more
        collect = page.locator("#lookup-collect")
        expect(collect).to_contain_text("领取方式")
        expect(collect).to_contain_text("身份证")
        expect(collect).to_contain_text(ADDRESS)
        expect(collect).to_contain_text(HOURS)
        expect(collect).to_contain_text("0734-4321000")
        checks.look(page, "issued-found")

        # The wrong phone: the same answer as a number that does not exist.
        page.get_by_label("申请人电话后四位", exact=True).fill("0000")
        page.get_by_role("button", name="查询").click()
        expect(page.locator("#lookup-answer")).to_contain_text("没有")
        checks.look(page, "wrong-phone")
    finally:
        context.close()
