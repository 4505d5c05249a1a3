"""The must-show of the procedure, in a real browser against a real server: the front desk
registers an inheritance application with two applicants, a notary accepts it, reviews it and
submits it for approval, and the director approves it.

Every step ends with the shared page checks and a screenshot (the failing page's too).
Buttons are found by name or by their form's action, never by their text: the interface is
Chinese by default and its catalog may still be incomplete, so visible texts are compared with
the English text or its current translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import Browser, Page, expect

from notary.cases.models import Case
from notary.cases.rules import CaseStatus
from notary.extensions import db
from notary.parties.rules import Sex
from tests.e2e.conftest import PageChecks, open_signed_in
from tests.factories import resident_id

pytestmark = pytest.mark.e2e



@dataclass
class Heir:
    """An applicant as the front desk types them in."""

    name: str
    sex: Sex
    birth: date
    phone: str
    address: str
    number: str = field(init=False)

    def __post_init__(self) -> None:
        self.number = resident_id(self.birth, self.sex)  # valid and unique


class Steps:
    """Numbered steps of a story, each ending with the shared page checks on the page it left
    (PageChecks.look: layout, console, words, and a screenshot); a failing step leaves a
    screenshot of the page it failed on."""

    def __init__(self, checks: PageChecks) -> None:
        self.checks = checks
        self.page: Page | None = None

    @contextmanager
    def __call__(self, name: str, page: Page | None = None, *,
                 allow_status: tuple[int, ...] = ()) -> Iterator[Page]:
        if page is not None:
            self.page = page
        assert self.page is not None, "the first step needs a page"
        try:
            yield self.page
        except BaseException:
            path = self.checks.file(f"{name}-FAILED.png")
            try:
                self.page.screenshot(path=str(path), full_page=True)
            except Exception as exc:  # never hide the failure being recorded
                print(f"screenshot {path} failed: {exc}")
            raise
        self.checks.look(self.page, name, allow_status=allow_status)


def shown_as(app: Flask, *texts: Any) -> re.Pattern[str]:
    """A pattern matching any of the texts in English or in the current Chinese catalog."""
    options: set[str] = set()
    with app.test_request_context():
        for text in texts:
            if isinstance(text, CaseStatus):
                with force_locale("en"):
                    options.add(str(text.label))
                with force_locale("zh_Hans_CN"):
                    options.add(str(text.label))
            else:
                options.add(text)
                with force_locale("zh_Hans_CN"):
                    options.add(gettext(text))
    return re.compile(r"^\s*(" + "|".join(re.escape(o) for o in sorted(options)) + r")\s*$")


def fill_person(page: Page, i: int, heir: Heir) -> None:
    prefix = f"participants-{i}-"
    expect(page.locator(f'select[name="{prefix}role"]')).to_have_value("applicant")
    page.fill(f'input[name="{prefix}name"]', heir.name)
    page.fill(f'input[name="{prefix}document_number"]', heir.number)
    page.select_option(f'select[name="{prefix}sex"]', heir.sex.value)
    page.fill(f'input[name="{prefix}birth_date"]', heir.birth.isoformat())
    page.fill(f'input[name="{prefix}phone"]', heir.phone)
    page.fill(f'input[name="{prefix}address"]', heir.address)


def badge(page: Page) -> Any:
    return page.locator('main h1 ~ .badge[class*="status-"]')


def register_value(page: Page, app: Flask, label: str) -> Any:
    """The <dd> of the case register card next to the <dt> with the label."""
    pattern = shown_as(app, label)
    return page.locator("main dl dt").filter(has_text=pattern).locator(
        "xpath=following-sibling::dd[1]")


def approve(app: Flask, page: Page, case_url: str, opinion: str,
            checks: PageChecks | None = None) -> None:
    """The approver opens the approval page from the case, is refused without the opinion and
    the confirmation, then writes the opinion (审批意见), confirms and approves."""
    page.click(f'main .actions a[href$="{case_url}/step/approve"]')
    expect(page).to_have_url(re.compile(rf"{case_url}/step/approve$"))
    if checks is not None:
        checks.look(page, "approval-form")
    page.locator('main form button[type="submit"]').click()
    expect(page.locator('[data-field-error="opinion"]')).to_be_visible()
    expect(page.locator('[data-field-error="approved"]')).to_be_visible()
    if checks is not None:
        checks.look(page, "approval-refused-without-opinion")
    page.get_by_label(shown_as(app, "Approval opinion (审批意见)")).fill(opinion)
    page.locator('input[name="approved"]').check()
    page.locator('main form button[type="submit"]').click()


def expect_success(page: Page) -> None:
    expect(page.locator("main .alert-danger")).to_have_count(0)
    expect(page.locator("main .alert-success")).to_be_visible()


def test_intake_to_approval(app: Flask, live_server: str, browser: Browser,
                            staff: dict[str, dict[str, Any]], checks: PageChecks) -> None:
    steps = Steps(checks)
    contexts: list[Any] = []
    desk, notary, director = staff["desk"], staff["notary"], staff["director"]
    heir1 = Heir("张建华", Sex.MALE, date(1956, 3, 8), "13807341234",
                 "湖南省耒阳市蔡子池街道龙水村3组")
    heir2 = Heir("张秀英", Sex.FEMALE, date(1960, 11, 23), "15907345678",
                 "湖南省耒阳市灶市街街道新塘村7组")
    try:
        # --- Front desk: intake ---------------------------------------------------------
        page = open_signed_in(browser, live_server, desk, checks, contexts)
        with steps("new-application", page) as page:
            page.click('nav a[href$="/cases/new"]')
            expect(page).to_have_url(re.compile(r"/cases/new$"))
            expect(page.locator('input[name="participants-0-name"]')).to_be_visible()
            expect(page.locator('input[name="participants-1-name"]')).to_have_count(0)
        with steps("participant-1-filled") as page:
            page.get_by_label("继承", exact=True).check()
            page.fill('input[name="purpose"]', "办理房产过户")
            fill_person(page, 0, heir1)
        with steps("participant-2-row-added") as page:
            page.click('button[name="add_participant"]')
            expect(page.locator('input[name="participants-1-name"]')).to_be_visible()
            # What was typed so far survives the round trip.
            expect(page.locator('input[name="participants-0-name"]')).to_have_value("张建华")
            expect(page.locator('input[name="participants-0-document_number"]')).to_have_value(
                heir1.number)
            expect(page.get_by_label("继承", exact=True)).to_be_checked()
            expect(page.locator('input[name="purpose"]')).to_have_value("办理房产过户")
        with steps("participant-2-filled") as page:
            fill_person(page, 1, heir2)
        with steps("registered") as page:
            page.click('button[name="submit"]')
            expect(page).to_have_url(re.compile(r"/cases/\d+$"))
            expect_success(page)
            expect(badge(page)).to_have_text(shown_as(app, CaseStatus.APPLIED))
            case_id = int(page.url.rsplit("/", 1)[1])
            rows = page.locator("main table tbody tr")
            expect(rows).to_have_count(2)
            applicant = shown_as(app, "Applicant")
            for row, heir in zip((rows.nth(0), rows.nth(1)), (heir1, heir2), strict=True):
                expect(row.locator("td").nth(0)).to_have_text(applicant)
                expect(row.locator("td").nth(1)).to_have_text(heir.name)
            expect(page.locator("main")).to_contain_text("继承")
        case_url = f"/cases/{case_id}"

        # --- Notary: accept, review, submit for approval ----------------------------------
        page = open_signed_in(browser, live_server, notary, checks, contexts)
        with steps("notary-opens-case", page) as page:
            page.goto(case_url)
            expect(badge(page)).to_have_text(shown_as(app, CaseStatus.APPLIED))
        with steps("accept-form") as page:
            page.click(f'main a[href$="{case_url}/step/accept"]')
            expect(page).to_have_url(re.compile(rf"{case_url}/step/accept$"))
            expect(page.locator('select[name="notary_id"]')).to_have_value(str(notary["id"]))
            page.check('input[name="confirm"]')
            expect(page.locator('input[name="confirm"]')).to_be_checked()
        with steps("accepted") as page:
            page.click('main form:has(input[name="confirm"]) button[type="submit"]')
            expect(page).to_have_url(re.compile(rf"{case_url}$"))
            expect_success(page)
            expect(badge(page)).to_have_text(shown_as(app, CaseStatus.ACCEPTED))
            expect(register_value(page, app, "Handling notary")).to_have_text(
                notary["full_name"])
        # 公证法 art. 27 ¶2: each applicant is told, signs the printed notice, and the notary
        # records it; approval waits for it.
        for heir in (heir1, heir2):
            with steps(f"notice-{heir.number[-4:]}-recorded") as page:
                row = page.locator("#notices tbody tr").filter(has_text=heir.name)
                printed = page.request.get(row.get_by_role(
                    "link", name=shown_as(app, "Print")).get_attribute("href") or "")
                assert printed.ok and printed.body().startswith(b"%PDF")
                row.get_by_role("link", name=shown_as(app, "Record")).click()
                expect(page.get_by_label(shown_as(app, "What the party was told"))
                       ).to_contain_text("公证法第三十六条")
                page.get_by_role("button", name=shown_as(app, "Save")).click()
                # Not signed yet: refused next to the box, nothing recorded.
                expect(page.locator('[data-field-error="party_signed"]')).to_be_visible()
                page.get_by_label(shown_as(
                    app, "The party signed the printed notice (告知书)")).check()
                page.get_by_role("button", name=shown_as(app, "Save")).click()
                expect_success(page)
                expect(page.locator("#notices tbody tr").filter(has_text=heir.name)
                       ).to_contain_text(notary["full_name"])
        with steps("under-review") as page:
            page.click(f'main form[action$="{case_url}/step/start_review"] button')
            expect_success(page)
            expect(badge(page)).to_have_text(shown_as(app, CaseStatus.UNDER_REVIEW))
        # An inheritance case goes for approval only with its materials (2009 checklist).
        with steps("approval-blocked-by-checklist") as page:
            page.click(f'main form[action$="{case_url}/step/submit_for_approval"] button')
            # The step page says why, and the case stays under review.
            expect(page.locator("main .alert-danger")).to_be_visible()
        with steps("decedent-entered") as page:
            page.goto(case_url)
            page.click(f'main a[href$="/inheritance/cases/{case_id}/decedent"]')
            page.fill('input[name="name"]', "张德胜")
            page.fill('input[name="death_date"]', "2024-03-01")
            page.fill('input[name="last_residence"]', "湖南省耒阳市蔡子池街道龙水村3组")
            page.click('main button[type="submit"]')
            expect_success(page)
        for name, relation in (("李桂英", "spouse"), ("张建华", "child"), ("张秀英", "child")):
            with steps(f"relative-{relation}-added") as page:
                page.click(f'main a[href$="/inheritance/cases/{case_id}/members/new"]')
                page.fill('input[name="name"]', name)
                page.select_option('select[name="relation"]', relation)
                page.click('main button[type="submit"]')
                expect_success(page)
        with steps("estate-item-added") as page:
            page.click(f'main a[href$="/inheritance/cases/{case_id}/assets/new"]')
            page.fill('input[name="description"]', "耒阳市蔡子池街道房屋一套")
            page.fill('input[name="value"]', "600000")
            page.check('input[name="is_marital"]')
            page.click('main button[type="submit"]')
            expect_success(page)
            expect(page.locator("#inheritance table.heirs")).to_contain_text("1/3")
        with steps("checklist-complete") as page:
            page.click(f'main a[href$="/inheritance/cases/{case_id}/checklist"]')
            for n in range(1, 11):
                page.select_option(f'select[name="state_{n}"]', "present")
            page.click('main button[type="submit"]')
            expect_success(page)
            page.locator("#inheritance").screenshot(path=str(checks.file("inheritance-panel.png")))
        with steps("submitted-for-approval") as page:
            page.click(f'main form[action$="{case_url}/step/submit_for_approval"] button')
            expect_success(page)
            expect(badge(page)).to_have_text(shown_as(app, CaseStatus.AWAITING_APPROVAL))
            # The handling notary cannot approve their own case: no button for it.
            expect(page.locator('a[href$="/step/approve"]')).to_have_count(0)

        # --- Director: approve -------------------------------------------------------------
        page = open_signed_in(browser, live_server, director, checks, contexts)
        with steps("director-opens-case", page) as page:
            page.goto(case_url)
            expect(badge(page)).to_have_text(shown_as(app, CaseStatus.AWAITING_APPROVAL))
            expect(page.locator(f'main .actions a[href$="{case_url}/step/approve"]')
                   ).to_be_visible()
        with steps("approved") as page:
            approve(app, page, case_url, "事实清楚，继承人范围及份额确定无误，同意出证。", checks)
            expect(page).to_have_url(re.compile(rf"{case_url}$"))
            expect_success(page)
            expect(badge(page)).to_have_text(shown_as(app, CaseStatus.APPROVED))
            expect(register_value(page, app, "Approver")).to_have_text(director["full_name"])
            expect(register_value(page, app, "Handling notary")).to_have_text(
                notary["full_name"])
            # The participants (the first table; the inheritance panel has its own).
            expect(page.locator("main table").first.locator("tbody tr")).to_have_count(2)
    finally:
        for context in contexts:
            context.close()

    # --- What the server stored ------------------------------------------------------------
    db.session.remove()  # a fresh session sees the server's commits
    case = db.session.get(Case, case_id)
    assert case is not None
    assert case.status is CaseStatus.APPROVED
    assert case.approver_id == director["id"]
    assert case.handling_notary_id == notary["id"]
    assert case.intake_by_id == desk["id"]
    assert sorted(p.party.name for p in case.applicants) == ["张建华", "张秀英"]
    assert sorted(p.party.document_number for p in case.applicants) == sorted(
        [heir1.number, heir2.number])
    assert [m.code for m in case.matters] == ["inheritance"]
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1
    db.session.remove()
