"""An application from a walk-in consultation with two applicants, in a real browser.

The front desk logs the walk-in, turns it into an application (the caller's name and phone come
over); typing an applicant's 18-digit resident ID number fills the sex and the birth date; a
party the office already knows is reused by the ID number, not registered twice. The 承办公证员
list at intake has only those who may handle a case (no suspended notary); the 申请表 and the
受理回执 print. The director's attempt to assign the suspended notary is refused with the
reason. The notary accepts the case: the acceptance number is shown and the 受理通知书 prints;
the party, signed out, finds the case by that number and the last digits of the phone.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from notary.auth.models import User
from notary.cases.models import Case
from notary.cases.rules import CaseStatus
from notary.consultations.models import Consultation
from notary.core.models import office_today
from notary.core.permissions import Role
from notary.extensions import db
from notary.parties import services as parties
from notary.parties.models import Party
from notary.parties.rules import Sex
from tests.e2e.conftest import DESKTOP, PageChecks, open_signed_in
from tests.factories import create_staff, person, resident_id

pytestmark = pytest.mark.e2e

NEW_BIRTH, NEW_SEX = date(1958, 7, 21), Sex.FEMALE
KNOWN_BIRTH = date(1962, 2, 14)


@pytest.fixture
def office(app: Flask, staff: dict[str, Any]) -> dict[str, Any]:
    """A party the office already knows, and a notary whose practice is suspended."""
    desk = db.session.get(User, staff["desk"]["id"])
    known = parties.create_party(person("段春生", birth_date=KNOWN_BIRTH, phone="13907341111",
                                        address="湖南省耒阳市蔡子池街道龙水村3组"), actor=desk)
    suspended = create_staff(Role.NOTARY, full_name="胡正启")
    suspended.suspended_from = office_today() - timedelta(days=10)
    out = {"known_id": known.id, "known_number": known.document_number,
           "suspended": {"id": suspended.id, "full_name": suspended.full_name}}
    db.session.commit()
    db.session.remove()
    return out


def pdf_text(page: Page, href: str, path: Path) -> str:
    response = page.request.get(href)
    assert response.status == 200, href
    assert response.headers["content-type"] == "application/pdf", href
    path.write_bytes(response.body())
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


def test_a_walk_in_becomes_an_application_of_two_and_is_accepted_and_looked_up(
        app: Flask, browser: Browser, live_server: str, staff: dict[str, Any],
        office: dict[str, Any], checks: PageChecks, tmp_path: Path) -> None:
    contexts: list[Any] = []
    new_number = resident_id(NEW_BIRTH, NEW_SEX)
    try:
        # --- The front desk logs the walk-in and starts the application -------------------
        page = open_signed_in(browser, live_server, staff["desk"], checks, contexts)
        page.get_by_role("link", name="接待", exact=True).click()
        form = page.locator("#consultation-form")
        form.get_by_label("事项", exact=True).fill("继承父亲房产，兄妹二人同来")
        form.get_by_label("方式", exact=True).select_option(label="来访")
        form.get_by_label("人数", exact=True).fill("2")
        form.get_by_label("姓名（选填）", exact=True).fill("段秀英")
        form.get_by_label("电话（选填）", exact=True).fill("15907345678")
        form.get_by_role("button", name="登记（回车）").click()
        expect(page.locator("main .alert-success")).to_be_visible()
        checks.look(page, "walk-in-logged")
        row = page.locator("#consultation-log tbody tr").filter(has_text="继承父亲房产")
        row.get_by_role("link", name="发起办证申请").click()
        checks.look(page, "application-from-consultation")
        first = page.locator("fieldset.participant").nth(0)
        expect(first.get_by_label("姓名（名称）", exact=True)).to_have_value("段秀英")
        expect(first.get_by_label("联系电话", exact=True)).to_have_value("15907345678")

        # The 承办公证员 list: the notary and the director, not the suspended notary.
        notaries = page.get_by_label("承办公证员", exact=True).locator("option")
        expect(notaries).to_have_text(["—", staff["director"]["full_name"],
                                       staff["notary"]["full_name"]])
        page.get_by_label("继承", exact=True).check()
        page.get_by_label("用途", exact=True).fill("办理房产过户")

        # The first applicant: the ID number fills the sex and the birth date.
        first.get_by_label("证件号码", exact=True).press_sequentially(new_number)
        expect(first.get_by_label("性别", exact=True)).to_have_value(NEW_SEX.value)
        expect(first.get_by_label("出生日期", exact=True)).to_have_value(NEW_BIRTH.isoformat())
        first.get_by_label("地址", exact=True).fill("湖南省耒阳市灶市街街道新塘村7组")
        checks.look(page, "first-applicant-filled-from-id")

        # The second: the party the office knows, found by name and picked, not typed again.
        finder = page.locator("#party-finder")
        finder.get_by_label("姓名或证件号码", exact=True).fill("段春")
        finder.get_by_role("button", name="查找").click()
        found = page.locator("#party-finder tbody tr")
        expect(found).to_have_count(1)
        expect(found).to_contain_text("段春生")
        expect(found).not_to_contain_text(office["known_number"])  # masked in the list
        checks.look(page, "known-party-found")
        found.get_by_role("button", name="选用").click()
        first = page.locator("fieldset.participant").nth(0)
        expect(first.get_by_label("证件号码", exact=True)).to_have_value(new_number)
        expect(first.get_by_label("地址", exact=True)).to_have_value(
            "湖南省耒阳市灶市街街道新塘村7组")
        second = page.locator("fieldset.participant").nth(1)
        expect(second.get_by_label("姓名（名称）", exact=True)).to_have_value("段春生")
        expect(second.get_by_label("证件号码", exact=True)).to_have_value(office["known_number"])
        expect(second.get_by_label("出生日期", exact=True)).to_have_value(
            KNOWN_BIRTH.isoformat())
        expect(second.get_by_label("联系电话", exact=True)).to_have_value("13907341111")
        expect(page.get_by_label("继承", exact=True)).to_be_checked()
        checks.look(page, "second-applicant-known")
        page.get_by_role("button", name="登记申请").click()
        expect(page).to_have_url(re.compile(r"/cases/\d+$"))
        expect(page.locator("main .alert-success")).to_be_visible()
        case_id = int(page.url.rsplit("/", 1)[1])
        expect(page.locator("main h1 ~ .badge")).to_have_text("已申请")
        checks.look(page, "application-registered")

        # The application form and the receipt print.
        papers = page.locator("#intake-papers")
        text = pdf_text(page, papers.get_by_role("link", name="申请表").get_attribute("href")
                        or "", tmp_path / "application.pdf")
        for expected in ("公证申请表", "段秀英", "段春生", new_number, "继承", "办理房产过户",
                         staff["desk"]["full_name"]):
            assert expected in text, (expected, text)
        text = pdf_text(page, papers.get_by_role("link", name="受理回执").get_attribute("href")
                        or "", tmp_path / "receipt.pdf")
        assert "受理回执" in text and f"#{case_id}" in text and "段秀英、段春生" in text, text
        expect(papers.get_by_role("link", name="受理通知书")).to_have_count(0)

        # --- The director cannot assign the suspended notary ------------------------------
        director = open_signed_in(browser, live_server, staff["director"], checks, contexts)
        director.goto(f"/cases/{case_id}")
        director.get_by_role("link", name="指派承办人员").click()
        director.get_by_label("承办公证员", exact=True).select_option(
            label=office["suspended"]["full_name"])
        director.get_by_role("button", name="保存").click()
        expect(director.locator('[data-field-error="notary_id"]')).to_contain_text("停止执业")
        checks.look(director, "suspended-notary-refused")
        director.get_by_label("承办公证员", exact=True).select_option(
            label=staff["notary"]["full_name"])
        director.get_by_role("button", name="保存").click()
        expect(director.locator("main .alert-success")).to_be_visible()
        checks.look(director, "notary-assigned")

        # --- The notary accepts -----------------------------------------------------------
        notary = open_signed_in(browser, live_server, staff["notary"], checks, contexts)
        notary.goto(f"/cases/{case_id}")
        notary.locator(".actions").get_by_role("link", name="受理", exact=True).click()
        checks.look(notary, "accept-form")
        notary.get_by_role("checkbox").check()
        notary.get_by_role("button", name="受理", exact=True).click()
        expect(notary.locator("main h1 ~ .badge")).to_have_text("已受理")
        heading = notary.locator("main h1").inner_text()
        match = re.search(r"（(\d{4})）.*第(\d+)号", heading)
        assert match, heading
        number = heading.strip()
        checks.look(notary, "accepted")
        notice = notary.locator("#intake-papers").get_by_role("link", name="受理通知书")
        text = pdf_text(notary, notice.get_attribute("href") or "", tmp_path / "notice.pdf")
        for expected in ("受理通知书", number, "段秀英、段春生", staff["notary"]["full_name"],
                         "决定受理"):
            assert expected in text, (expected, text)

        # --- The party looks it up, signed out --------------------------------------------
        context = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="zh-CN")
        contexts.append(context)
        public = checks.watch(context.new_page())
        public.goto("/lookup/")
        public.get_by_label("受理号", exact=True).fill(number)
        public.get_by_label("申请人电话后四位", exact=True).fill("5678")
        public.get_by_role("button", name="查询").click()
        expect(public.locator("#lookup-answer")).to_contain_text(number)
        expect(public.locator("#lookup-stage")).to_have_text("已受理")
        checks.look(public, "public-lookup")
    finally:
        for context in contexts:
            context.close()

    db.session.remove()
    case = db.session.get(Case, case_id)
    assert case is not None and case.status is CaseStatus.ACCEPTED
    assert case.handling_notary_id == staff["notary"]["id"]
    applicants = {p.party.name: p.party for p in case.applicants}
    assert applicants["段春生"].id == office["known_id"]  # the known party, not a new one
    assert (applicants["段秀英"].sex, applicants["段秀英"].birth_date) == (NEW_SEX, NEW_BIRTH)
    assert db.session.scalar(sa.select(sa.func.count(Party.id))) == 2
    consultation = db.session.scalars(sa.select(Consultation)).one()
    assert consultation.case_id == case_id
    db.session.remove()
