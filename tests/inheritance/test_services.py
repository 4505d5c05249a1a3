"""Inheritance services: the must-show family on a case, the checklist gate, the division."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
import sqlalchemy as sa

from notary.cases.models import Case
from notary.cases.rules import Action, CaseStatus
from notary.core.audit import AuditEntry
from notary.core.errors import DomainError, NotPermitted, ValidationFailed
from notary.core.permissions import Role
from notary.extensions import db
from notary.inheritance import services
from notary.inheritance.models import AssetKind, ChecklistState, DeathProof, LossGround
from notary.inheritance.rules import Relation
from tests.factories import create_staff

D = date
M = services.MemberData


def must_show_case(staff: dict[str, Any], accepted: Callable[..., Case]) -> Case:
    """A predeceased son who left two children, a living spouse, one renouncing daughter and
    a marital home."""
    case = accepted(D(2026, 11, 2), matters=("inheritance",))
    n = staff["notary"]
    services.save_decedent(case, services.DecedentData(
        "李德胜", D(2024, 3, 1), DeathProof.MEDICAL, document="430481195001011234",
        death_place="耒阳市人民医院", last_residence="耒阳市蔡子池街道"), actor=n)
    services.save_member(case, None, M("王秀英", Relation.SPOUSE), actor=n)
    son = services.save_member(case, None, M("李建国", Relation.CHILD,
                                             death_date=D(2019, 5, 1)), actor=n)
    services.save_member(case, None, M("李小明", Relation.DESCENDANT, via_id=son.id), actor=n)
    services.save_member(case, None, M("李小红", Relation.DESCENDANT, via_id=son.id), actor=n)
    services.save_member(case, None, M("李春梅", Relation.CHILD, renounced=True,
                                       renounced_on=D(2024, 4, 1)), actor=n)
    services.add_asset(case, services.AssetData(AssetKind.REAL_ESTATE, "蔡子池街道住房一套",
                                                Decimal("600000.00"), is_marital=True), actor=n)
    return case


def stored(case: Case) -> dict[str, dict[str, Any]]:
    file = services.get_file(case)
    assert file is not None and file.result is not None
    return {p["name"]: p for p in file.result["people"]}


def test_must_show_heirs_and_shares_each_with_its_article(
        staff: dict[str, Any], accepted: Callable[..., Case]) -> None:
    case = must_show_case(staff, accepted)
    people = stored(case)
    heirs = {name: (p["share"], p["amount"]) for name, p in people.items() if p["final"]}
    assert heirs == {"王秀英": ("1/2", "150000.00"), "李小明": ("1/4", "75000.00"),
                     "李小红": ("1/4", "75000.00")}
    assert people["王秀英"]["articles"] == ["民法典第1127条", "民法典第1130条"]
    assert "民法典第1128条" in people["李小明"]["articles"]
    assert people["李春梅"]["outcome"] == "excluded"
    assert people["李春梅"]["articles"] == ["民法典第1124条"]
    assert people["李建国"]["outcome"] == "excluded"
    file = services.get_file(case)
    assert file is not None and file.result is not None
    assert file.result["spouse_half"] == "300000.00"
    assert file.result["inheritable"] == "300000.00"
    assert any("1153" in note for note in file.result["notes"])


def test_the_reasons_read_in_the_language_of_whoever_opens_the_case(
        app: Any, staff: dict[str, Any], accepted: Callable[..., Case]) -> None:
    # Saved by a reader of Chinese, the stored text is Chinese; each reader gets the codes'
    # sentences in their own language, the article as it is cited.
    from flask_babel import force_locale

    case = must_show_case(staff, accepted)
    file = services.get_file(case)
    assert file is not None
    with force_locale("en"):
        readable = services.readable_result(file.result)
    spouse = next(p for p in readable["people"] if p["name"] == "王秀英")
    assert spouse["reasons"][0].startswith("First-order heir")
    assert spouse["reasons"][0].endswith("（民法典第1127条）")
    assert any(note.startswith("Half of the marital property") for note in readable["notes"])
    # A determination stored before the codes were keeps its text.
    old = {**file.result, "people": [{**p, "reason_codes": None} for p in file.result["people"]]}
    for p in old["people"]:
        del p["reason_codes"]
    assert services.readable_result(old)["people"][0]["reasons"] == (
        file.result["people"][0]["reasons"])


def test_the_checklist_blocks_approval_until_complete_or_overridden(
        staff: dict[str, Any], accepted: Callable[..., Case], step: Any) -> None:
    case = accepted(D(2026, 11, 2), matters=("inheritance",))
    with pytest.raises(ValidationFailed) as exc:
        step(case, Action.SUBMIT_FOR_APPROVAL, D(2026, 11, 3))
    assert "" in exc.value.errors
    services.save_decedent(case, services.DecedentData("李德胜", D(2024, 3, 1),
                                                       DeathProof.POLICE), actor=staff["notary"])
    assert services.missing_items(case.id) == list(range(1, 11))
    # Nothing recorded calls for items 4 and 6-10 yet: approval names only what is needed.
    assert services.items_not_called(case) == (4, 6, 7, 8, 9, 10)
    with pytest.raises(ValidationFailed) as exc:
        step(case, Action.SUBMIT_FOR_APPROVAL, D(2026, 11, 3))
    assert "1、2、3、5" in exc.value.errors[""][0]
    # Checked as missing by the notary (a guardian's proof awaited), item 10 is needed.
    services.update_checklist(case, {**{i: (ChecklistState.PRESENT, None) for i in range(1, 10)},
                                     10: (ChecklistState.MISSING, "监护证明未到")},
                              actor=staff["notary"])
    assert services.items_not_called(case) == ()
    with pytest.raises(ValidationFailed) as exc:
        step(case, Action.SUBMIT_FOR_APPROVAL, D(2026, 11, 3))
    assert "10" in exc.value.errors[""][0]
    with pytest.raises(NotPermitted):
        services.override_checklist(case, "监护人证明在途", actor=staff["notary"])
    with pytest.raises(ValidationFailed):
        services.override_checklist(case, " ", actor=staff["director"])
    services.override_checklist(case, "无监护情形，主任确认", actor=staff["director"])
    step(case, Action.SUBMIT_FOR_APPROVAL, D(2026, 11, 3))
    assert case.status is CaseStatus.AWAITING_APPROVAL
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "inheritance.checklist_override")).one()
    assert entry.reason == "无监护情形，主任确认" and entry.after == {"missing": [10]}


def test_other_matters_are_not_gated(staff: dict[str, Any], accepted: Callable[..., Case],
                                     step: Any) -> None:
    case = accepted(D(2026, 11, 2))
    step(case, Action.SUBMIT_FOR_APPROVAL, D(2026, 11, 3))
    assert case.status is CaseStatus.AWAITING_APPROVAL
    with pytest.raises(DomainError):
        services.save_decedent(case, services.DecedentData("某", D(2024, 3, 1),
                                                           DeathProof.MEDICAL),
                               actor=staff["notary"])


def test_member_validation(staff: dict[str, Any], accepted: Callable[..., Case]) -> None:
    case = must_show_case(staff, accepted)
    n = staff["notary"]
    with pytest.raises(ValidationFailed) as exc:
        services.save_member(case, None, M("", Relation.DESCENDANT, renounced=True,
                                           renounced_on=D(2020, 1, 1), forgiven=True,
                                           lost_right_ground=LossGround.KILLED,
                                           main_support=True), actor=n)
    assert set(exc.value.errors) == {"name", "via_id", "renounced_on", "forgiven",
                                     "main_support"}
    with pytest.raises(ValidationFailed) as exc:
        services.save_member(case, None, M("某", Relation.SPOUSE, successor_of_id=1), actor=n)
    assert "successor_of_id" in exc.value.errors


def test_correcting_a_member_recomputes_and_removing_is_kept(
        staff: dict[str, Any], accepted: Callable[..., Case]) -> None:
    case = must_show_case(staff, accepted)
    daughter = next(m for m in services.members_of(case.id) if m.name == "李春梅")
    services.save_member(case, daughter, M("李春梅", Relation.CHILD), actor=staff["notary"])
    assert stored(case)["李春梅"]["share"] == "1/3"
    son = next(m for m in services.members_of(case.id) if m.name == "李建国")
    with pytest.raises(DomainError):
        services.remove_member(case, son, actor=staff["notary"])
    services.remove_member(case, daughter, actor=staff["notary"])
    assert "李春梅" not in stored(case)
    assert daughter.is_removed


def test_agreed_division_is_validated_audited_and_lapses(
        staff: dict[str, Any], accepted: Callable[..., Case]) -> None:
    case = must_show_case(staff, accepted)
    ids = {m.name: m.id for m in services.members_of(case.id)}
    heirs = [ids["王秀英"], ids["李小明"], ids["李小红"]]
    with pytest.raises(ValidationFailed):
        services.record_division(case, dict(zip(heirs, [Fraction(1, 2)] * 3, strict=True)),
                                 "协议", actor=staff["notary"])
    with pytest.raises(ValidationFailed):
        services.record_division(case, {heirs[0]: Fraction(1)}, "", actor=staff["notary"])
    shares = {heirs[0]: Fraction(1), heirs[1]: Fraction(0), heirs[2]: Fraction(0)}
    file = services.record_division(case, shares, "孙子女自愿将份额给予祖母，2026年11月3日签订协议",
                                    actor=staff["notary"])
    money = services.agreed_amounts(file)
    assert money[heirs[0]] == (Fraction(1), Decimal("300000.00"))
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == "inheritance.division")) == 1
    # A new heir appears: the agreement no longer covers everyone and lapses (audited).
    services.save_member(case, None, M("李老太", Relation.PARENT), actor=staff["notary"])
    assert file.agreed_shares is None
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == "inheritance.division_lapsed")) == 1


def test_notice_period_from_the_office_setting(staff: dict[str, Any],
                                               accepted: Callable[..., Case]) -> None:
    case = must_show_case(staff, accepted)
    file = services.set_notice(case, D(2026, 11, 3), None, actor=staff["notary"])
    assert (file.notice_days, file.notice_end) == (30, D(2026, 12, 2))
    file = services.set_notice(case, D(2026, 11, 3), 15, actor=staff["notary"])
    assert file.notice_end == D(2026, 11, 17)
    with pytest.raises(ValidationFailed):
        services.set_notice(case, D(2026, 11, 3), 0, actor=staff["notary"])


def test_only_case_workers_edit(staff: dict[str, Any], accepted: Callable[..., Case]) -> None:
    case = accepted(D(2026, 11, 2), matters=("inheritance",))
    data = services.DecedentData("李德胜", D(2024, 3, 1), DeathProof.COURT)
    with pytest.raises(NotPermitted):
        services.save_decedent(case, data, actor=create_staff(Role.NOTARY))
    with pytest.raises(NotPermitted):
        services.save_decedent(case, data, actor=staff["desk"])
    services.save_decedent(case, data, actor=staff["director"])



def test_the_recorded_facts_call_for_the_if_any_items(
        staff: dict[str, Any], accepted: Callable[..., Case]) -> None:
    # A spouse (7), a predeceased son (4), a renunciation (8), a minor grandchild (10): each
    # calls for its item; no will (6) and no agent (9): those stay not called for.
    case = must_show_case(staff, accepted)
    services.save_member(case, None, M("李小宝", Relation.DESCENDANT,
                                       via_id=services.members_of(case.id)[1].id,
                                       birth_date=D(2015, 6, 1)), actor=staff["notary"])
    assert services.items_not_called(case, today=D(2026, 11, 3)) == (6, 9)
    assert services.items_not_called(case, today=D(2034, 6, 1)) == (6, 9, 10)  # grown up
