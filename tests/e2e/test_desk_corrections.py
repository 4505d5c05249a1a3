"""Two mistaken walk-ins are voided and one entry is corrected at the front desk, in a real
browser; the desk's counts and the director's half-year figures follow, and the log stays
readable at 1366 px with the voided entries struck through, never deleted."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, expect

from notary.consultations.models import Channel, Consultation
from notary.core.models import office_today
from notary.extensions import db
from tests.e2e.conftest import PageChecks, open_signed_in

pytestmark = pytest.mark.e2e

WALK_INS = (("继承公证需要哪些材料", "3", "父亲去世，询问房产继承所需材料"),
            ("误录：测试", "2", ""),
            ("遗嘱公证预约", "1", "重复登记"))


def test_mistaken_walk_ins_are_voided_and_the_figures_follow(
        app: Any, browser: Browser, live_server: str, staff: dict[str, Any],
        checks: PageChecks) -> None:
    contexts: list[Any] = []
    try:
        page = open_signed_in(browser, live_server, staff["desk"], checks, contexts)
        page.get_by_role("link", name="接待", exact=True).click()
        checks.look(page, "desk")
        form = page.locator("#consultation-form")
        for topic, people, summary in WALK_INS:
            form.get_by_label("事项", exact=True).fill(topic)
            form.get_by_label("方式", exact=True).select_option(label="来访")
            form.get_by_label("人数", exact=True).fill(people)
            if summary:
                form.get_by_label("摘要", exact=True).fill(summary)
            form.get_by_role("button", name="登记（回车）").click()
            expect(page.locator("main .alert-success")).to_be_visible()
        visits = page.locator('#today-counts td[data-channel="visit"]')
        expect(visits).to_have_text("6")
        checks.look(page, "three-walk-ins-logged")

        # The two mistakes: voided with their reasons, struck through, no longer counted.
        for topic, reason in (("误录：测试", "测试时误录，并无来访"),
                              ("遗嘱公证预约", "同一来访登记了两次")):
            row = page.locator("#consultation-log tbody tr").filter(has_text=topic)
            row.get_by_role("link", name="作废").click()
            expect(page.locator("#void-entry")).to_contain_text(topic)
            page.get_by_role("button", name="作废该记录").click()  # no reason: refused
            expect(page.locator('[data-field-error="reason"]')).to_be_visible()
            checks.look(page, "void-needs-a-reason")
            page.get_by_label("作废理由", exact=True).fill(reason)
            page.get_by_role("button", name="作废该记录").click()
            expect(page.locator("main .alert-success")).to_contain_text("作废")
            voided = page.locator("#consultation-log tr.consultation-void").filter(
                has_text=topic)
            expect(voided).to_contain_text(reason)
            expect(voided.get_by_role("link", name="作废")).to_have_count(0)
        expect(visits).to_have_text("3")
        checks.look(page, "two-voided")

        # The genuine one: three people were in fact two, and it was a phone call.
        row = page.locator("#consultation-log tbody tr").filter(has_text="继承公证需要哪些材料")
        row.get_by_role("link", name="更正").click()
        expect(page.get_by_label("事项", exact=True)).to_have_value("继承公证需要哪些材料")
        page.get_by_label("人数", exact=True).fill("2")
        page.get_by_label("方式", exact=True).select_option(label="电话")
        page.get_by_label("更正理由", exact=True).fill("来电误记为来访，人数误记")
        checks.look(page, "correct-form")
        page.get_by_role("button", name="保存更正").click()
        expect(page.locator("main .alert-success")).to_contain_text("已更正")
        expect(visits).to_have_text("0")
        expect(page.locator('#today-counts td[data-channel="phone"]')).to_have_text("2")
        expect(page.locator("#consultation-log tbody tr")).to_have_count(3)  # none deleted
        checks.look(page, "corrected")
        page.get_by_role("link", name="查询记录").click()
        expect(page.locator("#consultation-log tr.consultation-void")).to_have_count(2)
        checks.look(page, "log-search")

        # --- The director's half-year figures leave the voided walk-ins out ---------------
        director = open_signed_in(browser, live_server, staff["director"], checks, contexts)
        director.get_by_role("link", name="统计", exact=True).click()
        period = director.locator("#period-form")
        period.get_by_label("年度", exact=True).fill(str(office_today().year))
        period.get_by_label("半年", exact=True).select_option(
            "1" if office_today().month <= 6 else "2")
        period.get_by_role("button", name="显示").click()
        expect(director.locator('[data-key$=":来访接待"]')).to_have_text("0")
        expect(director.locator('[data-key$=":电话咨询"]')).to_have_text("2")
        checks.look(director, "half-year-figures")
    finally:
        for context in contexts:
            context.close()
    db.session.remove()
    rows = db.session.scalars(sa.select(Consultation).order_by(Consultation.id)).all()
    assert [(c.channel, c.persons, c.voided_at is not None) for c in rows] == [
        (Channel.PHONE, 2, False), (Channel.VISIT, 2, True), (Channel.VISIT, 1, True)]
    db.session.remove()
