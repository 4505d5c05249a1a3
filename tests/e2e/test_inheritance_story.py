"""An inheritance file built in a real browser, from the parties already on the case.

A widow and her two children applied together after the father's death. The notary enters the
decedent, then the family: each of the three is picked from the people already on the case
(name, ID number and birth date come over, nothing is typed again) and given the relation; a
son who died before his father is typed in. The estate: a savings deposit held with the widow
(marital property) and one in the father's own name. The heir table then says who inherits and
why (the article of each reason), each heir's share and amount; the widow's row shows her own
half of the marital deposit (民法典 art. 1153) and what she receives in all; the estate's total,
her half and what is divided follow below. Every item is within the small-estate threshold, so
the checklist item the simplified route does not require is not shown as missing.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from notary.auth.models import User
from notary.cases.rules import CaseStatus
from notary.extensions import db
from notary.parties.rules import Sex
from tests.cases.samples import advance
from tests.e2e.conftest import PageChecks, open_signed_in
from tests.e2e.test_intake_to_approval import expect_success, shown_as
from tests.factories import person, register_case

pytestmark = pytest.mark.e2e

FAMILY = (("周桂兰", Sex.FEMALE, date(1958, 4, 2), "spouse"),
          ("段春生", Sex.MALE, date(1982, 9, 15), "child"),
          ("段秀英", Sex.FEMALE, date(1986, 1, 30), "child"))


@pytest.fixture
def inheritance_case(app: Flask, staff: dict[str, Any]) -> dict[str, Any]:
    """An accepted inheritance case with the widow and two children as applicants."""
    desk, notary, director = (db.session.get(User, staff[k]["id"])
                              for k in ("desk", "notary", "director"))
    case = advance(register_case(desk, matters=("inheritance",), applicants=tuple(
        person(name, sex=sex, birth_date=born) for name, sex, born, _ in FAMILY)),
        CaseStatus.ACCEPTED, notary=notary, director=director)
    out = {"id": case.id, "url": f"/cases/{case.id}"}
    db.session.commit()
    db.session.remove()
    return out


def heir_row(page: Page, name: str) -> Any:
    return page.locator("#inheritance table.heirs tbody tr").filter(has_text=name)


def test_the_family_is_picked_from_the_case_and_the_heirs_read_with_reasons_and_amounts(
        app: Flask, browser: Browser, live_server: str, staff: dict[str, Any],
        inheritance_case: dict[str, Any], checks: PageChecks) -> None:
    case_url = inheritance_case["url"]
    panel_link = f'#inheritance a[href$="/inheritance/cases/{inheritance_case["id"]}'
    contexts: list[Any] = []
    try:
        page = open_signed_in(browser, live_server, staff["notary"], checks, contexts)
        page.goto(case_url)
        checks.look(page, "case-without-decedent")

        # --- The decedent ----------------------------------------------------------------------
        page.click(f'{panel_link}/decedent"]')
        page.get_by_label(shown_as(app, "Name of the decedent")).fill("段德明")
        page.get_by_label(shown_as(app, "Date of death")).fill("2025-03-08")
        page.get_by_label(shown_as(app, "Place of death")).fill("耒阳市人民医院")
        page.get_by_label(shown_as(app, "Last residence")).fill("湖南省耒阳市蔡子池街道龙水村5组")
        page.get_by_label(shown_as(app, "Proof of death")).select_option("medical")
        checks.look(page, "decedent-form")
        page.locator('main form button[type="submit"]').click()
        expect_success(page)

        # --- The family, picked from the case --------------------------------------------------
        for name, _sex, born, relation in FAMILY:
            page.click(f'{panel_link}/members/new"]')
            page.locator("#pick-party").get_by_role("link", name=name, exact=True).click()
            expect(page.get_by_label(shown_as(app, "Name"), exact=True)).to_have_value(name)
            expect(page.get_by_label(shown_as(app, "Identity document number"))
                   ).to_have_value(re.compile(r"^\d{17}[\dX]$"))
            expect(page.get_by_label(shown_as(app, "Date of birth"))).to_have_value(
                born.isoformat())
            page.get_by_label(shown_as(app, "Relation to the decedent")).select_option(relation)
            checks.look(page, f"relative-{name}-picked")
            page.locator('main form button[type="submit"]').click()
            expect_success(page)
        # Everyone on the case is in the family now: nothing left to pick.
        page.click(f'{panel_link}/members/new"]')
        expect(page.locator("#pick-party")).to_have_count(0)
        page.get_by_label(shown_as(app, "Name"), exact=True).fill("段春林")
        page.get_by_label(shown_as(app, "Relation to the decedent")).select_option("child")
        page.get_by_label(shown_as(app, "Date of death (if dead)")).fill("2019-06-01")
        checks.look(page, "relative-predeceased-typed")
        page.locator('main form button[type="submit"]').click()
        expect_success(page)

        # --- The estate ----------------------------------------------------------------------
        for kind, description, value, marital in (
                ("deposit", "耒阳农村商业银行定期存款（周桂兰名下）", "48000", True),
                ("deposit", "中国邮政储蓄银行活期存款（段德明名下）", "30000", False)):
            page.click(f'{panel_link}/assets/new"]')
            page.get_by_label(shown_as(app, "Kind"), exact=True).select_option(kind)
            page.get_by_label(shown_as(app, "Description")).fill(description)
            page.get_by_label(shown_as(app, "Value (yuan)")).fill(value)
            if marital:
                page.get_by_label(shown_as(app, "Marital property (夫妻共同财产)")).check()
            checks.look(page, f"asset-{value}")
            page.locator('main form button[type="submit"]').click()
            expect_success(page)

        # --- The heirs, with reasons, shares and amounts ------------------------------------
        # 78,000 in all; the widow keeps half of the 48,000 (24,000); 54,000 is divided by
        # three first-order heirs (the son who died first has no children: no subrogation).
        widow = heir_row(page, "周桂兰")
        expect(widow.locator("td").nth(4)).to_have_text("1/3")
        expect(widow.locator("td").nth(5)).to_contain_text("18000.00")
        expect(widow.locator(".own-half")).to_contain_text("24000.00")
        expect(widow.locator(".total")).to_contain_text("42000.00")
        expect(widow.locator("td.reasons")).to_contain_text("民法典第1127条")
        for child in ("段春生", "段秀英"):
            row = heir_row(page, child)
            expect(row.locator("td").nth(4)).to_have_text("1/3")
            expect(row.locator("td").nth(5)).to_have_text("18000.00")
            expect(row.locator("td.reasons")).to_contain_text("民法典第1130条")
            expect(row.locator(".own-half")).to_have_count(0)
        expect(heir_row(page, "段春林").locator("td.reasons")).to_contain_text("先于被继承人死亡")
        foot = page.locator("#inheritance table.estate tfoot")
        expect(foot).to_contain_text("78000.00")
        expect(foot).to_contain_text("24000.00")
        expect(foot).to_contain_text("54000.00")

        # --- The checklist: what the small-estate route does not require, and the "if any"
        # items nothing recorded calls for (no will, no renunciation, no agent, no minor),
        # are not missing; the spouse calls for item 7, the son who died for item 4 --------
        checklist = page.locator("#inheritance ol.checklist")
        optional = checklist.locator("li[data-optional]")
        expect(optional).to_have_count(5)
        expect(optional.filter(has_text="简易程序")).to_have_count(1)
        expect(optional.filter(has_text="按已登记的情况无需提供")).to_have_count(4)
        for n in range(5):
            expect(optional.nth(n)).not_to_have_class(re.compile("text-danger"))
        expect(checklist.locator("li").nth(6)).to_have_class(re.compile("text-danger"))  # 7
        expect(checklist.locator("li").nth(3)).to_have_class(re.compile("text-danger"))  # 4
        expect(page.locator("#small-estate")).to_be_visible()
        checks.look(page, "heirs-and-estate")
    finally:
        for context in contexts:
            context.close()
