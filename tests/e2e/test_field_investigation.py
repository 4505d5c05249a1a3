"""Two staff go to the village the same day to verify an inheritance, in a real browser.

The notary opens the case (the heirs and the estate readable at 1366 px), plans the visit by
ticking two colleagues, which pauses the case's 15-working-day clock; writes the record (笔录)
with everyone who was questioned or present and how each confirmed it; prints it with a
signature line per person; closes the task; the case page shows the pause with its dates.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, expect

from notary.auth.models import User
from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import StepData, perform
from notary.core.permissions import Role
from notary.extensions import db
from notary.inheritance import services as inheritance
from notary.inheritance.models import AssetKind, DeathProof
from notary.inheritance.rules import Relation
from notary.investigations.models import Investigation, PersonRole, TaskStatus
from tests.e2e.conftest import PageChecks, open_signed_in
from tests.factories import PASSWORD, create_staff, person, register_case

pytestmark = pytest.mark.e2e


@pytest.fixture
def village_case(app: Flask, staff: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """An inheritance case under review with its family and estate, and two colleagues of the
    notary: an assistant and a second notary (committed before the server starts)."""
    notary = db.session.get(User, staff["notary"]["id"])
    desk = db.session.get(User, staff["desk"]["id"])
    colleagues = {"assistant": create_staff(Role.ASSISTANT, full_name="曾念华"),
                  "second": create_staff(Role.NOTARY, full_name="胡正启")}
    case = register_case(desk, matters=("inheritance",),
                         applicants=(person("段春生"), person("段秀英")))
    perform(case, Action.ACCEPT, StepData(notary_id=notary.id, conditions_confirmed=True),
            actor=notary)
    perform(case, Action.START_REVIEW, StepData(), actor=notary)
    inheritance.save_decedent(case, inheritance.DecedentData(
        name="段文斌", death_date=date(2025, 2, 9), death_proof=DeathProof.MEDICAL,
        death_place="耒阳市人民医院", last_residence="湖南省耒阳市蔡子池街道龙水村3组"),
        actor=notary)
    spouse = inheritance.save_member(case, None, inheritance.MemberData(
        name="周秀英", relation=Relation.SPOUSE, death_date=date(2022, 12, 2)), actor=notary)
    assert spouse.id
    inheritance.save_member(case, None, inheritance.MemberData(
        name="段春生", relation=Relation.CHILD), actor=notary)
    inheritance.save_member(case, None, inheritance.MemberData(
        name="段秀英", relation=Relation.CHILD), actor=notary)
    inheritance.add_asset(case, inheritance.AssetData(
        kind=AssetKind.REAL_ESTATE, description="耒阳市蔡子池街道龙水村住宅一套（不动产权证号略）",
        value=Decimal("860000"), is_marital=True), actor=notary)
    inheritance.add_asset(case, inheritance.AssetData(
        kind=AssetKind.DEPOSIT, description="耒阳农村商业银行存款", value=Decimal("34949")),
        actor=notary)
    out = {"case_id": case.id, "number": case.acceptance_number,
           **{key: {"id": u.id, "username": u.username, "full_name": u.full_name,
                    "password": PASSWORD} for key, u in colleagues.items()}}
    db.session.commit()
    db.session.remove()
    return out


def test_two_staff_verify_an_inheritance_in_the_village_and_the_clock_pauses(
        app: Flask, browser: Browser, live_server: str, staff: dict[str, Any],
        village_case: dict[str, Any], checks: PageChecks, tmp_path: Path) -> None:
    contexts: list[Any] = []
    case_url = f"/cases/{village_case['case_id']}"
    assistant, second = village_case["assistant"], village_case["second"]
    try:
        page = open_signed_in(browser, live_server, staff["notary"], checks, contexts)
        page.get_by_role("link", name="案件", exact=True).click()
        page.get_by_role("link", name=village_case["number"]).first.click()
        expect(page).to_have_url(re.compile(rf"{case_url}$"))
        heirs = page.locator("#inheritance table.heirs")
        expect(heirs).to_contain_text("段春生")
        expect(heirs).to_contain_text("1/2")
        expect(page.locator("#inheritance")).to_contain_text("耒阳农村商业银行存款")
        # The look checks that no word of the heirs' or the estate's table (their 编辑 and
        # 移除 links among them) is squeezed to one character per line.
        checks.look(page, "case-under-review")

        # --- Plan the visit: tick two colleagues -------------------------------------------
        page.locator("#investigations").get_by_role("link", name="安排任务").click()
        checks.look(page, "plan-form")
        staff_box = page.get_by_role("group", name="承办人员")
        expect(staff_box.get_by_role("checkbox")).to_have_count(4)  # notary, director, two
        expect(staff_box.get_by_label(staff["notary"]["full_name"])).to_be_checked()
        # Nobody ticked: refused next to the field, what was typed kept.
        staff_box.get_by_label(staff["notary"]["full_name"]).uncheck()
        page.get_by_label("方式", exact=True).select_option(label="实地核实")
        page.get_by_label("日期和时间", exact=True).fill("2026-03-10T09:00")
        page.get_by_label("用途", exact=True).fill("到龙水村村委会核实被继承人段文斌的亲属关系")
        page.get_by_label("地点", exact=True).fill("耒阳市蔡子池街道龙水村村委会")
        page.get_by_role("button", name="安排任务").click()
        expect(page.locator('[data-field-error="staff_ids"]')).to_contain_text(
            "请至少指派一名工作人员")
        expect(page.get_by_label("地点", exact=True)).to_have_value("耒阳市蔡子池街道龙水村村委会")
        checks.look(page, "plan-refused-without-staff")
        staff_box = page.get_by_role("group", name="承办人员")
        staff_box.get_by_label(assistant["full_name"]).check()
        staff_box.get_by_label(second["full_name"]).check()
        page.get_by_role("button", name="安排任务").click()
        expect(page.locator("main .alert-success")).to_contain_text("暂停")
        expect(page.locator("main dl")).to_contain_text(assistant["full_name"])
        expect(page.locator("main dl")).to_contain_text(second["full_name"])
        checks.look(page, "task-planned")
        task_url = page.url

        # The case page: in verification, its clock paused since today.
        page.get_by_role("link", name=village_case["number"]).click()
        clock = page.locator("#clock")
        expect(clock).to_contain_text("计时中止")
        expect(clock.locator("tbody tr")).to_have_count(1)
        expect(clock.locator("tbody tr td").nth(2)).to_have_text("—")
        expect(page.locator("main h1 ~ .badge")).to_have_text("核实中")
        checks.look(page, "case-paused")

        # --- The record: the villager questioned, the committee member present ---------------
        page.goto(task_url)
        page.get_by_role("link", name="添加笔录").click()
        checks.look(page, "record-form")
        roles = page.get_by_label("角色", exact=True)
        expect(roles.first.locator("option")).to_have_text(["被询问人", "见证人", "在场人"])
        page.get_by_label("结束时间", exact=True).fill("2026-03-10T10:30")
        names = page.get_by_label("姓名（名称）", exact=True)
        names.nth(0).fill("段运来")
        page.get_by_label("与事项的关系", exact=True).nth(0).fill("邻居")
        page.get_by_label("已签名", exact=True).nth(0).check()
        page.get_by_label("已捺指印", exact=True).nth(0).check()
        roles.nth(1).select_option(label="在场人")
        names.nth(1).fill("李国平")
        page.get_by_label("与事项的关系", exact=True).nth(1).fill("村委会主任")
        page.get_by_label("已签名", exact=True).nth(1).check()
        page.get_by_label("问答（每行以“问：”或“答：”开头）", exact=True).fill(
            "问：你与段文斌是什么关系？\n答：邻居，认识三十多年。\n"
            "问：段文斌有几个子女？\n答：两个，段春生和段秀英，没有收养的。")
        page.get_by_role("button", name="保存笔录").click()
        expect(page.locator("main .alert-success")).to_be_visible()
        people = page.locator(".record-person")
        expect(people).to_have_text(["被询问人: 段运来 已签名、已捺指印",
                                     "在场人: 李国平 已签名"])
        checks.look(page, "record-saved")
        pdf = page.request.get(page.get_by_role("link", name="PDF").get_attribute("href") or "")
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        (tmp_path / "record.pdf").write_bytes(pdf.body())
        text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "record.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        squeezed = re.sub(r"\s+", "", text)
        for line in ("被询问人：段运来已签名/已捺指印", "在场人：李国平已签名/未捺指印",
                     f"核实人员：{assistant['full_name']}签名：",
                     f"核实人员：{second['full_name']}签名：", "记录人："):
            assert line in squeezed, (line, text)

        # --- Close the task: the case is back in review, the pause has its end ---------------
        page.get_by_role("link", name="结束任务").click()
        checks.look(page, "close-form")
        page.get_by_label("结果", exact=True).fill(
            "核实无误：被继承人段文斌有子女二人，配偶先于其死亡。")
        page.get_by_role("button", name="结束任务").click()
        expect(page.locator("main .alert-success")).to_contain_text("审查")
        expect(page.locator("main h1 ~ .badge")).to_have_text("审查中")
        clock = page.locator("#clock")
        expect(clock.locator("tbody tr td").nth(2)).not_to_have_text("—")
        expect(page.locator("#investigations")).to_contain_text("已完成")
        checks.look(page, "case-back-in-review")
    finally:
        for context in contexts:
            context.close()

    db.session.remove()
    task = db.session.scalars(sa.select(Investigation)).one()
    assert task.status is TaskStatus.DONE and task.paused_case
    assert sorted(u.full_name for u in task.staff) == sorted(
        [assistant["full_name"], second["full_name"]])
    record = task.records[0]
    assert [(p.role, p.name, p.signed, p.fingerprinted) for p in record.persons] == [
        (PersonRole.QUESTIONED, "段运来", True, True), (PersonRole.PRESENT, "李国平", True, False)]
    from notary.cases.models import Case

    case = db.session.get(Case, village_case["case_id"])
    assert case is not None and case.status is CaseStatus.UNDER_REVIEW
    db.session.remove()
