"""The case file as the rules stand, in a real browser against a real server:

- a will for an 80-year-old is not approved until the interview's recording is attached, its
  file is closed to other staff until the testator's death is recorded, and internal opinions
  go into the second volume;
- a review is concluded by a second notary, decided by the director inside its deadline and
  the revocation announced, and the public verification page says so;
- a complaint is registered at the front desk and answered by the director;
- the administrator records a notary's suspension, the suspended notary cannot take a case,
  and an application outside the office's jurisdiction ends as 不予受理.

The review story starts from a certificate issued through the services (its issue is the
subject of test_intake_to_approval and the certificate tests); everything after is typed and
clicked. Every page visited runs the shared page checks and leaves a screenshot.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from notary.casefile.models import WillFile
from notary.cases.models import Case
from notary.cases.rules import CaseStatus
from notary.certificates import services as certificate_services
from notary.certificates.models import CertificateReview, CertificateStatus
from notary.complaints.models import Complaint, ComplaintOutcome
from notary.core.models import frozen_time, office_today
from notary.core.permissions import Role
from notary.extensions import db
from notary.parties.rules import Sex
from tests.cases.samples import advance
from tests.e2e.conftest import DESKTOP, PageChecks, open_signed_in
from tests.e2e.test_intake_to_approval import (
    Heir,
    Steps,
    approve,
    badge,
    expect_success,
    fill_person,
    shown_as,
)
from tests.factories import PASSWORD, create_staff, register_case

pytestmark = pytest.mark.e2e

MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 256


@pytest.fixture
def more_staff(app: Flask, staff: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A second notary and the administrator, committed before the server starts."""
    people = {"reviewer": create_staff(Role.NOTARY, full_name="周文彬"),
              "admin": create_staff(Role.ADMIN, full_name="龙海涛")}
    out = {key: {"id": u.id, "username": u.username, "full_name": u.full_name,
                 "password": PASSWORD} for key, u in people.items()}
    db.session.commit()
    db.session.remove()
    return {**staff, **out}


def said(app: Flask, text: str) -> re.Pattern[str]:
    """The text in English or Chinese, anywhere inside an element."""
    return re.compile(shown_as(app, text).pattern.removeprefix(r"^\s*(").removesuffix(
        r")\s*$"))


def click_step(page: Page, case_url: str, action: str) -> None:
    page.click(f'main form[action$="{case_url}/step/{action}"] button')


def test_a_will_of_an_80_year_old_waits_for_its_recording_and_stays_confidential(
        app: Flask, live_server: str, browser: Browser, more_staff: dict[str, Any],
        checks: PageChecks, tmp_path: Path) -> None:
    steps = Steps(checks)
    contexts: list[Any] = []
    desk, notary, director = more_staff["desk"], more_staff["notary"], more_staff["director"]
    today = office_today()
    testator = Heir("刘桂英", Sex.FEMALE, date(today.year - 81, 2, 10), "13907341111",
                    "湖南省耒阳市水东江街道五一村2组")
    video = tmp_path / "谈话录像.mp4"
    video.write_bytes(MP4)
    try:
        page = open_signed_in(browser, live_server, desk, checks, contexts)
        with steps("will-desk-registers", page) as page:
            page.click('nav a[href$="/cases/new"]')
            page.get_by_label("遗嘱", exact=True).check()
            page.fill('input[name="purpose"]', "订立遗嘱")
            fill_person(page, 0, testator)
            page.click('button[name="submit"]')
            expect_success(page)
            case_url = "/cases/" + page.url.rsplit("/", 1)[1]
        page = open_signed_in(browser, live_server, notary, checks, contexts)
        with steps("will-notary-accepts", page) as page:
            page.goto(case_url)
            page.click(f'main a[href$="{case_url}/step/accept"]')
            page.check('input[name="confirm"]')
            page.click('main form:has(input[name="confirm"]) button[type="submit"]')
            expect_success(page)
            click_step(page, case_url, "start_review")
            expect_success(page)
            # The recording is required: the testator is 81.
            will = page.locator("#will-file")
            expect(will).to_contain_text(said(app, "Required before approval"))
            expect(will).to_contain_text(said(app, "Confidential (密卷)"))
        with steps("will-notice-recorded") as page:
            page.locator("#notices").get_by_role("link", name=shown_as(app, "Record")).click()
            page.get_by_label(shown_as(app, "The party signed the printed notice (告知书)")
                              ).check()
            page.get_by_role("button", name=shown_as(app, "Save")).click()
            expect_success(page)
            click_step(page, case_url, "submit_for_approval")
            expect_success(page)
        page = open_signed_in(browser, live_server, director, checks, contexts)
        with steps("will-approval-refused-without-recording", page) as page:
            page.goto(case_url)
            approve(app, page, case_url, "同意出证。")
            expect(page.locator("main .alert-danger")).to_contain_text("遗嘱公证细则")
        with steps("will-still-awaiting-approval") as page:
            page.goto(case_url)
            expect(badge(page)).to_have_text(shown_as(app, CaseStatus.AWAITING_APPROVAL))
        with steps("will-recording-attached", contexts[1].pages[0]) as page:
            page.goto(case_url)
            page.locator("#will-file").get_by_role("link", name=shown_as(app, "Attach")).click()
            page.get_by_label(shown_as(app, "Recording of the interview (audio or video)")
                              ).set_input_files(str(video))
            page.get_by_role("button", name=shown_as(app, "Save")).click()
            expect_success(page)
            expect(page.locator("#will-file")).to_contain_text("谈话录像.mp4")
        with steps("will-opinion-filed-in-second-volume") as page:
            page.get_by_role("link", name=shown_as(app, "Add a document")).click()
            page.get_by_label(shown_as(app, "Kind")).select_option("discussion")
            page.get_by_label(shown_as(app, "Title")).fill("遗嘱人行为能力讨论意见")
            page.get_by_label(shown_as(app, "Text")).fill("经谈话，遗嘱人意识清楚，表达真实。")
            page.get_by_role("button", name=shown_as(app, "Save")).click()
            expect_success(page)
            expect(page.locator("#second-volume")).to_contain_text("遗嘱人行为能力讨论意见")
        with steps("will-approved", contexts[2].pages[0]) as page:
            page.goto(case_url)
            approve(app, page, case_url, "遗嘱人意识清楚，谈话录像已附卷，同意出证。")
            expect_success(page)
            expect(badge(page)).to_have_text(shown_as(app, CaseStatus.APPROVED))
            catalogue = page.request.get(page.locator("#casefile").get_by_role(
                "link", name=shown_as(app, "File catalogue (卷内目录)")).get_attribute("href")
                or "")
            assert catalogue.ok and catalogue.body().startswith(b"%PDF")
            checks.file("will-catalogue.pdf").write_bytes(catalogue.body())
        with steps("will-closed-to-the-front-desk", contexts[0].pages[0],
                   allow_status=(403,)) as page:
            page.goto(case_url)
            expect(page.locator("main")).to_contain_text("密卷")
            expect(page.locator("#notices")).to_have_count(0)
        with steps("will-death-recorded", contexts[2].pages[0]) as page:
            page.goto(case_url)
            page.get_by_role("link", name=shown_as(app, "Record the testator's death")).click()
            page.get_by_label(shown_as(app, "Date of death")).fill(today.isoformat())
            page.get_by_label(shown_as(app, "Proof of death")).fill("居民死亡医学证明书 No.4304812")
            page.get_by_role("button", name=shown_as(app, "Save")).click()
            expect_success(page)
            expect(page.locator("#will-file")).to_contain_text(said(app, "Ordinary file"))
        with steps("will-open-to-the-front-desk", contexts[0].pages[0]) as page:
            page.goto(case_url)
            expect(page.locator("#notices")).to_contain_text("刘桂英")
            # The second volume is internal: the front desk does not see it.
            expect(page.locator("#second-volume")).to_have_count(0)
    finally:
        for context in contexts:
            context.close()
    db.session.remove()
    case = db.session.get(Case, int(case_url.rsplit("/", 1)[1]))
    assert case is not None and case.status is CaseStatus.APPROVED
    record = db.session.get(WillFile, case.id)
    assert record is not None and record.recording_sha256 and record.death_on == today
    db.session.remove()


@pytest.fixture
def issued_certificate(app: Flask, more_staff: dict[str, Any]) -> dict[str, Any]:
    """A declaration certificate issued 26 days ago by the first notary."""
    from notary.auth.models import User

    desk = db.session.get(User, more_staff["desk"]["id"])
    notary = db.session.get(User, more_staff["notary"]["id"])
    director = db.session.get(User, more_staff["director"]["id"])
    issued_on = office_today() - timedelta(days=26)
    with frozen_time(datetime(issued_on.year, issued_on.month, issued_on.day, 2, tzinfo=UTC)):
        case = advance(register_case(desk, matters=("declaration",)), CaseStatus.ISSUED,
                       notary=notary, director=director)
    cert = certificate_services.certificates_of(case.id)[0]
    out = {"case_id": case.id, "number": cert.number, "code": cert.verification_code,
           "issued_on": issued_on}
    db.session.commit()
    db.session.remove()
    return out


def test_a_second_notary_reviews_and_the_revocation_is_announced_and_shown(
        app: Flask, live_server: str, browser: Browser, more_staff: dict[str, Any],
        issued_certificate: dict[str, Any], checks: PageChecks) -> None:
    steps = Steps(checks)
    contexts: list[Any] = []
    director, reviewer = more_staff["director"], more_staff["reviewer"]
    case_url = f"/cases/{issued_certificate['case_id']}"
    issued_on = issued_certificate["issued_on"]
    try:
        page = open_signed_in(browser, live_server, director, checks, contexts)
        with steps("review-registered", page) as page:
            page.goto(case_url)
            page.locator("#certificates").get_by_role(
                "link", name=shown_as(app, "Review")).click()
            page.get_by_label(shown_as(app, "Applicant for review")).fill("张三")
            page.get_by_label(shown_as(app, "Application received on")).fill(
                issued_on.isoformat())
            page.get_by_label(shown_as(
                app, "Certificate received (party) or learned of (others) on")).fill(
                issued_on.isoformat())
            page.get_by_label(shown_as(app, "Alleged error, reasons and request")).fill(
                "声明内容与事实不符，请求撤销")
            # The issuing notary is not offered as reviewer.
            reviewer_select = page.get_by_label(shown_as(
                app, "Reviewing notary (not the one who issued it)"))
            expect(reviewer_select.locator("option")).not_to_contain_text(
                [more_staff["notary"]["full_name"]])
            reviewer_select.select_option(label=reviewer["full_name"])
            page.get_by_role("button", name=shown_as(app, "Save")).click()
            expect_success(page)
            expect(page.locator("#reviews")).to_contain_text(reviewer["full_name"])
        with steps("review-in-the-deadline-queue") as page:
            page.click('nav a[href$="/deadlines/"]')
            expect(page.locator("#queue-reviews")).to_contain_text(issued_certificate["number"])
        page = open_signed_in(browser, live_server, reviewer, checks, contexts)
        with steps("review-concluded-by-second-notary", page) as page:
            page.goto(case_url)
            page.locator("#reviews").get_by_role(
                "link", name=shown_as(app, "Write the conclusion")).click()
            page.get_by_label(shown_as(app, "Outcome")).select_option("revoke")
            page.get_by_label(shown_as(app, "Reasons for the decision")).fill(
                "经核实，声明所述事实不真实，应予撤销。")
            page.get_by_role("button", name=shown_as(app, "Save")).click()
            expect_success(page)
        with steps("review-decided-by-director", contexts[0].pages[0]) as page:
            page.goto(case_url)
            page.locator("#reviews").get_by_role(
                "link", name=shown_as(app, "Approve the decision")).click()
            expect(page.get_by_label(shown_as(app, "Outcome"))).to_have_value("revoke")
            page.get_by_role("button", name=shown_as(app, "Save")).click()
            expect_success(page)
        with steps("revocation-announced") as page:
            page.locator("#reviews").get_by_role("link", name=shown_as(app, "Record it")).click()
            page.get_by_label(shown_as(app, "Announced in")).select_option("本处公告栏")
            page.get_by_label(shown_as(app, "Announcement reference")).fill("耒证公告〔2026〕1号")
            page.get_by_role("button", name=shown_as(app, "Save")).click()
            expect_success(page)
            expect(page.locator("#reviews")).to_contain_text("本处公告栏")
        public = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="zh-CN")
        contexts.append(public)
        with steps("verification-page-says-revoked", checks.watch(public.new_page())) as page:
            page.goto("/verify")
            page.get_by_label(shown_as(app, "Certificate number")).fill(
                issued_certificate["number"])
            page.get_by_label(shown_as(app, "Verification code")).fill(
                issued_certificate["code"])
            page.get_by_role("button", name=shown_as(app, "Verify")).click()
            expect(page.locator('[data-outcome="revoked"]')).to_be_visible()
            expect(page.locator("[data-announced]")).to_contain_text("本处公告栏")
    finally:
        for context in contexts:
            context.close()
    db.session.remove()
    review = db.session.scalars(sa.select(CertificateReview)).one()
    assert review.reviewer_id == reviewer["id"] and review.decided_by_id == director["id"]
    assert review.decided_at is not None and review.decision_due_on is not None
    assert review.decided_at.date() <= review.decision_due_on
    assert review.certificate.status is CertificateStatus.REVOKED
    assert review.announcement_reference == "耒证公告〔2026〕1号"
    db.session.remove()


def test_a_complaint_is_registered_at_the_desk_and_answered_by_the_director(
        app: Flask, live_server: str, browser: Browser, more_staff: dict[str, Any],
        checks: PageChecks) -> None:
    steps = Steps(checks)
    contexts: list[Any] = []
    try:
        page = open_signed_in(browser, live_server, more_staff["desk"], checks, contexts)
        with steps("complaint-desk-registers", page) as page:
            page.locator("nav").get_by_role("link", name=shown_as(app, "Front desk")).click()
            page.get_by_role("link", name=shown_as(app, "Complaints")).click()
            page.get_by_role("link", name=shown_as(app, "Register a complaint")).click()
            page.get_by_label(shown_as(app, "Channel")).select_option("visit")
            page.get_by_label(shown_as(app, "Complainant")).fill("段文江")
            page.get_by_label(shown_as(app, "Phone")).fill("13812345678")
            page.get_by_label(shown_as(app, "What the complaint is about")).fill(
                "办理继承公证等候时间过长")
            page.get_by_role("button", name=shown_as(app, "Register")).click()
            expect_success(page)
            expect(page.locator("#complaint")).to_contain_text("138****5678")
        page = open_signed_in(browser, live_server, more_staff["director"], checks, contexts)
        with steps("complaint-director-answers", page) as page:
            page.locator("nav").get_by_role("link", name=shown_as(app, "Front desk")).click()
            page.get_by_role("link", name=shown_as(app, "Complaints")).click()
            page.locator("#complaints").get_by_role("link").first.click()
            page.get_by_label(shown_as(app, "The office's answer")).fill(
                "已核实情况，向投诉人说明并致歉，调整窗口排班。")
            page.get_by_label(shown_as(app, "Outcome")).select_option("upheld")
            page.get_by_role("button", name=shown_as(app, "Record the answer")).click()
            expect_success(page)
            expect(page.locator("#complaint")).to_contain_text(said(app, "Upheld"))
    finally:
        for context in contexts:
            context.close()
    db.session.remove()
    complaint = db.session.scalars(sa.select(Complaint)).one()
    assert complaint.outcome is ComplaintOutcome.UPHELD
    assert complaint.answered_by_id == more_staff["director"]["id"]
    db.session.remove()


def test_a_suspended_notary_cannot_accept_and_an_application_ends_not_accepted(
        app: Flask, live_server: str, browser: Browser, more_staff: dict[str, Any],
        checks: PageChecks) -> None:
    steps = Steps(checks)
    contexts: list[Any] = []
    reviewer = more_staff["reviewer"]
    today = office_today()
    try:
        page = open_signed_in(browser, live_server, more_staff["admin"], checks, contexts)
        with steps("practice-admin-suspends", page) as page:
            page.locator("nav").get_by_role("button", name=shown_as(app, "Settings")).click()
            page.locator("nav").get_by_role("link", name=shown_as(app, "Users")).click()
            page.get_by_role("row").filter(has_text=reviewer["full_name"]).get_by_role(
                "link", name=shown_as(app, "No certificate number")).click()
            page.get_by_label(shown_as(app, "Practice certificate number (执业证号)")).fill(
                "14304200510000123")
            page.get_by_label(shown_as(app, "Suspended from")).fill(today.isoformat())
            page.get_by_label(shown_as(app, "Suspended until (inclusive)")).fill(
                (today + timedelta(days=90)).isoformat())
            page.get_by_label(shown_as(app, "Suspension decision")).fill(
                "衡阳市司法局衡司罚〔2026〕3号")
            page.get_by_role("button", name=shown_as(app, "Save")).click()
            expect_success(page)
            expect(page.get_by_role("row").filter(has_text=reviewer["full_name"])
                   ).to_contain_text("14304200510000123")
        page = open_signed_in(browser, live_server, more_staff["desk"], checks, contexts)
        with steps("not-accepted-desk-registers", page) as page:
            page.click('nav a[href$="/cases/new"]')
            page.get_by_label("委托", exact=True).check()
            fill_person(page, 0, Heir("黄志强", Sex.MALE, date(1975, 4, 1), "13607345555",
                                      "广东省广州市天河区"))
            page.click('button[name="submit"]')
            expect_success(page)
            case_url = "/cases/" + page.url.rsplit("/", 1)[1]
        page = open_signed_in(browser, live_server, reviewer, checks, contexts)
        with steps("suspended-notary-cannot-accept", page) as page:
            page.goto(case_url)
            page.click(f'main a[href$="{case_url}/step/accept"]')
            page.check('input[name="confirm"]')
            page.click('main form:has(input[name="confirm"]) button[type="submit"]')
            expect(page.locator('[data-field-error="notary_id"]')).to_be_visible()
        page = open_signed_in(browser, live_server, more_staff["notary"], checks, contexts)
        with steps("application-not-accepted", page) as page:
            page.goto(case_url)
            page.click(f'main a[href$="{case_url}/step/reject"]')
            page.get_by_label(shown_as(app, "Ground")).select_option("4")
            page.get_by_label(shown_as(app, "Reason")).fill(
                "当事人住所地及不动产均不在本处执业区域")
            page.get_by_role("button", name=re.compile("不予受理|Do not accept")).click()
            expect_success(page)
            expect(badge(page)).to_have_text(shown_as(app, CaseStatus.NOT_ACCEPTED))
    finally:
        for context in contexts:
            context.close()
    db.session.remove()
    case = db.session.get(Case, int(case_url.rsplit("/", 1)[1]))
    assert case is not None and case.status is CaseStatus.NOT_ACCEPTED
    assert case.acceptance_number is None
    db.session.remove()
