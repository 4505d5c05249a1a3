"""The endings other than a certificate, in a real browser: the director (the office head
decides 不予办理 and 终止) refuses one case on a ground of 公证法 art. 31 and terminates another;
the handling notary records the withdrawal (撤回) of a third; each through the case page's
button and the step page that asks for the ground and the reason (refused without a reason).
The notary then files each closed case (卷宗归档) with its archive number. The case pages show
the ending, its ground and reason, and the archive number.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from notary.auth.models import User
from notary.cases.models import Case
from notary.cases.rules import Action, CaseStatus, ClosingType
from notary.cases.workflow import StepData, perform
from notary.extensions import db
from tests.e2e.conftest import PageChecks, open_signed_in
from tests.factories import person, register_case

pytestmark = pytest.mark.e2e

# key, applicant, button, step page title, ground (label or None), reason, status, archive no.
ENDINGS = (
    ("refuse", "段春生", "不予办理", "（四）当事人之间对申请公证的事项有争议的",
     "兄妹二人对房屋份额有争议，已告知其通过诉讼解决。", "不予办理", "2026-不-001"),
    ("terminate", "李桂英", "终止公证", "（五）其他应当终止的情形",
     "申请人出国，六个月内无法到场补充材料。", "终止公证", "2026-终-002"),
    ("withdraw", "周秀英", "登记撤回", None,
     "申请人书面申请撤回，材料已退还。", "已撤回", "2026-撤-003"),
)


@pytest.fixture
def three_cases(app: Flask, staff: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Three accepted cases of the notary (committed before the server starts)."""
    desk, notary = (db.session.get(User, staff[k]["id"]) for k in ("desk", "notary"))
    out: dict[str, dict[str, Any]] = {}
    for key, name, *_ in ENDINGS:
        case = register_case(desk, applicants=(person(name),))
        perform(case, Action.ACCEPT, StepData(notary_id=notary.id, conditions_confirmed=True),
                actor=notary)
        out[key] = {"id": case.id, "number": case.acceptance_number}
    db.session.commit()
    db.session.remove()
    return out


def register_value(page: Page, label: str) -> Any:
    return page.locator("main dl dt").filter(has_text=re.compile(rf"^{label}$")).locator(
        "xpath=following-sibling::dd[1]")


def test_a_case_is_refused_one_terminated_one_withdrawn_and_each_file_archived(
        app: Flask, browser: Browser, live_server: str, staff: dict[str, Any],
        three_cases: dict[str, dict[str, Any]], checks: PageChecks) -> None:
    contexts: list[Any] = []
    try:
        notary = open_signed_in(browser, live_server, staff["notary"], checks, contexts)
        director = open_signed_in(browser, live_server, staff["director"], checks, contexts)
        for key, _name, button, ground, reason, status, archive_no in ENDINGS:
            case = three_cases[key]
            page = notary if key == "withdraw" else director
            if page is director:
                # The notary has no 不予办理 or 终止 button: the office head decides.
                notary.goto(f"/cases/{case['id']}")
                expect(notary.locator(".actions")).to_contain_text("登记撤回")
                expect(notary.locator(".actions").get_by_role("link", name=button)
                       ).to_have_count(0)
            page.get_by_role("link", name="案件", exact=True).click()
            page.get_by_role("link", name=case["number"]).first.click()
            expect(page).to_have_url(re.compile(rf"/cases/{case['id']}$"))
            expect(page.locator("main h1 ~ .badge")).to_have_text("已受理")
            page.locator(".actions").get_by_role("link", name=button, exact=True).click()
            expect(page).to_have_url(re.compile(rf"/cases/{case['id']}/step/{key}$"))
            checks.look(page, f"{key}-form")
            # Without the reason (and the ground): refused next to the field, nothing changes.
            page.get_by_role("button", name=button, exact=True).click()
            expect(page.locator('[data-field-error="reason"]')).to_contain_text("理由")
            if ground is not None:
                expect(page.locator('[data-field-error="ground"]')).to_be_visible()
                page.get_by_label("法定事由", exact=True).select_option(label=ground)
            checks.look(page, f"{key}-refused-without-reason")
            page.get_by_label("理由", exact=True).fill(reason)
            page.get_by_role("button", name=button, exact=True).click()
            expect(page).to_have_url(re.compile(rf"/cases/{case['id']}$"))
            expect(page.locator("main .alert-success")).to_contain_text(status)
            expect(page.locator("main h1 ~ .badge")).to_have_text(status)
            expect(page.locator(".actions")).to_have_count(0)  # no step after an ending
            expect(register_value(page, "理由")).to_have_text(reason)
            if ground is not None:
                expect(register_value(page, "法定事由")).to_have_text(ground)
                # The history reads the ground against its own ending, not as its number.
                entry = page.locator("ol.timeline li").filter(has_text=button).first
                expect(entry).to_contain_text(ground)
            checks.look(page, f"{key}-closed")

            # --- The handling notary files the closed case -----------------------------------
            page = notary
            page.goto(f"/cases/{case['id']}")
            page.get_by_role("link", name="卷宗归档").click()
            checks.look(page, f"{key}-archive-form")
            page.get_by_role("button", name="卷宗归档").click()
            expect(page.locator('[data-field-error="archive_number"]')).to_be_visible()
            page.get_by_label("档案编号", exact=True).fill(archive_no)
            page.get_by_role("button", name="卷宗归档").click()
            expect(page.locator("main .alert-success")).to_contain_text("卷宗已归档")
            expect(register_value(page, "档案编号")).to_have_text(archive_no)
            expect(page.locator("main h1 ~ .badge")).to_have_text(status)  # stays the ending
            expect(page.get_by_role("link", name="卷宗归档")).to_have_count(0)
            # Filed: no archive deadline left, no approval waiting for a notice.
            main = page.locator("main")
            expect(main).not_to_contain_text("前归档")
            expect(main).not_to_contain_text("不能审批")
            checks.look(page, f"{key}-archived")
    finally:
        for context in contexts:
            context.close()

    db.session.remove()
    closings = {"refuse": (CaseStatus.REFUSED, ClosingType.REFUSED, "4"),
                "terminate": (CaseStatus.TERMINATED, ClosingType.TERMINATED, "5"),
                "withdraw": (CaseStatus.WITHDRAWN, ClosingType.WITHDRAWN, None)}
    for key, _name, _button, _ground, reason, _status, archive_no in ENDINGS:
        case = db.session.get(Case, three_cases[key]["id"])
        assert case is not None
        assert (case.status, case.closing_type, case.closing_ground) == closings[key]
        assert case.closing_reason == reason and case.closed_at is not None
        assert case.archive_number == archive_no and case.archived_at is not None
    db.session.remove()
