"""The clock on each case: starts at acceptance, pauses for 补充材料 / 核实 / 不可抗力, stops at
issue; expedited targets; calendar corrections; recusal (公证法 arts. 23, 30)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from notary.cases import services as case_services
from notary.cases.models import Case, Urgency
from notary.cases.rules import Action
from notary.core.audit import AuditEntry
from notary.core.errors import DomainError, NotPermitted, ValidationFailed
from notary.core.models import frozen_time
from notary.core.permissions import Role
from notary.deadlines import services
from notary.deadlines.models import PauseKind, RecusalStatus, Relation
from notary.extensions import db
from notary.parties.rules import DocumentType
from tests.deadlines.conftest import at
from tests.factories import application, create_staff, person, register_case, resident_id

D = date


def clock_of(case: Case) -> Any:
    clock = services.get_clock(case)
    assert clock is not None
    return clock


def test_accepted_before_national_day_and_a_verification_pause(
        accepted: Callable[..., Case], step: Callable[..., Case]) -> None:
    # The issue's must-show. Accepted Wed 30 Sep 2026: Oct 1-7 are holidays, Sat 10 Oct is a
    # make-up working day, so the 15th working day is Tue 27 Oct.
    case = accepted(D(2026, 9, 30))
    assert clock_of(case).accepted_on == D(2026, 9, 30)
    assert clock_of(case).due_date == D(2026, 10, 27)
    # 核实 from Mon 12 Oct, back to review Thu 15 Oct: 3 working days paused -> Fri 30 Oct.
    step(case, Action.START_VERIFICATION, D(2026, 10, 12))
    clock = clock_of(case)
    assert clock.due_date is None and clock.paused_since == D(2026, 10, 12)
    assert [(p.kind, p.started_on, p.ended_on) for p in clock.pauses] == [
        (PauseKind.VERIFICATION, D(2026, 10, 12), None)]
    step(case, Action.RESUME_REVIEW, D(2026, 10, 15))
    clock = clock_of(case)
    assert clock.due_date == D(2026, 10, 30) and clock.paused_since is None


def test_used_days_exclude_the_pause(accepted: Callable[..., Case],
                                     step: Callable[..., Case]) -> None:
    case = accepted(D(2026, 9, 30))
    step(case, Action.START_VERIFICATION, D(2026, 10, 12))
    step(case, Action.RESUME_REVIEW, D(2026, 10, 15))
    # Counted by 20 Oct: Oct 8, 9, 10 (make-up Sat), 15, 16, 19, 20 = 7.
    state = services.clock_state(clock_of(case), today=D(2026, 10, 20))
    assert state.used == 7 and state.left == 8


def test_supplement_pause_and_issue_record_time_to_certificate(
        accepted: Callable[..., Case], step: Callable[..., Case]) -> None:
    case = accepted(D(2026, 11, 2))  # Monday
    step(case, Action.REQUEST_SUPPLEMENT, D(2026, 11, 4))
    step(case, Action.RESUME_REVIEW, D(2026, 11, 9))  # Nov 4, 5, 6 paused
    for action in (Action.SUBMIT_FOR_APPROVAL, Action.APPROVE):
        step(case, action, D(2026, 11, 10))
    step(case, Action.ISSUE, D(2026, 11, 12))
    clock = clock_of(case)
    # Counted: Nov 3, 9, 10, 11, 12 = 5 working days.
    assert clock.stopped_on == D(2026, 11, 12)
    assert clock.working_days_to_issue == 5 and clock.issued_on_time is True
    assert all(p.ended_on is not None for p in clock.pauses)
    assert clock.effective_due == D(2026, 11, 26)


def test_closing_stops_the_clock_and_closes_pauses(
        accepted: Callable[..., Case], step: Callable[..., Case]) -> None:
    case = accepted(D(2026, 11, 2))
    step(case, Action.REQUEST_SUPPLEMENT, D(2026, 11, 3))
    step(case, Action.TERMINATE, D(2026, 11, 20), ground="1")
    clock = clock_of(case)
    assert clock.stopped_on == D(2026, 11, 20)
    assert clock.pauses[0].ended_on == D(2026, 11, 20)
    assert clock.working_days_to_issue is None


def test_no_clock_before_acceptance(staff: dict[str, Any]) -> None:
    case = register_case(staff["desk"])
    assert services.get_clock(case) is None


def test_force_majeure_pause_and_resume(app: Flask, accepted: Callable[..., Case],
                                        staff: dict[str, Any]) -> None:
    case = accepted(D(2026, 11, 2))
    with frozen_time(at(D(2026, 11, 4))):
        pause = services.pause_clock(case, PauseKind.FORCE_MAJEURE, "暴雨致道路中断",
                                     actor=staff["notary"])
    assert clock_of(case).due_date is None
    with frozen_time(at(D(2026, 11, 6))):
        services.resume_clock(case, pause.id, actor=staff["notary"])
    # Nov 4 and 5 paused: due moves from Nov 23 to Nov 25.
    assert clock_of(case).due_date == D(2026, 11, 25)
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.target_id == case.id, AuditEntry.action.like("clock.%"))).all()
    assert actions == ["clock.pause", "clock.resume"]


def test_translation_pause_only_when_the_office_enables_it(
        app: Flask, accepted: Callable[..., Case], staff: dict[str, Any]) -> None:
    case = accepted(D(2026, 11, 2))
    with pytest.raises(ValidationFailed) as exc:
        services.pause_clock(case, PauseKind.TRANSLATION, "翻译", actor=staff["notary"])
    assert "kind" in exc.value.errors
    app.config["CLOCK_EXTRA_PAUSE_KINDS"] = ("translation",)
    services.pause_clock(case, PauseKind.TRANSLATION, "翻译", actor=staff["notary"])
    assert clock_of(case).paused_since is not None


def test_pause_needs_a_reason_and_a_case_worker(accepted: Callable[..., Case],
                                               staff: dict[str, Any]) -> None:
    case = accepted(D(2026, 11, 2))
    with pytest.raises(ValidationFailed) as exc:
        services.pause_clock(case, PauseKind.FORCE_MAJEURE, " ", actor=staff["notary"])
    assert "reason" in exc.value.errors
    other = create_staff(Role.NOTARY)
    with pytest.raises(NotPermitted):
        services.pause_clock(case, PauseKind.FORCE_MAJEURE, "洪水", actor=other)
    with pytest.raises(NotPermitted):
        services.pause_clock(case, PauseKind.FORCE_MAJEURE, "洪水", actor=staff["desk"])


def test_status_pauses_cannot_be_resumed_by_hand(accepted: Callable[..., Case],
                                                 step: Callable[..., Case],
                                                 staff: dict[str, Any]) -> None:
    case = accepted(D(2026, 11, 2))
    step(case, Action.START_VERIFICATION, D(2026, 11, 3))
    pause = clock_of(case).pauses[0]
    with pytest.raises(DomainError):
        services.resume_clock(case, pause.id, actor=staff["notary"])


@pytest.mark.parametrize(("days", "due"), [(0, D(2026, 9, 30)), (3, D(2026, 10, 10))])
def test_expedited_target_approved_by_the_director(
        accepted: Callable[..., Case], staff: dict[str, Any], days: int, due: date) -> None:
    case = accepted(D(2026, 9, 30), urgency=Urgency.SPECIAL, urgency_reason="急需办理丧事")
    with pytest.raises(NotPermitted):
        services.approve_expedite(case, days, "特事特办", actor=staff["notary"])
    clock = services.approve_expedite(case, days, "特事特办", actor=staff["director"])
    assert clock.expedite_due_date == due
    assert clock.effective_due == due  # earlier than the statutory 27 Oct
    assert clock.due_date == D(2026, 10, 27)


def test_expedited_target_bounds(accepted: Callable[..., Case], staff: dict[str, Any]) -> None:
    case = accepted(D(2026, 9, 30))
    with pytest.raises(ValidationFailed) as exc:
        services.approve_expedite(case, 15, "", actor=staff["director"])
    assert set(exc.value.errors) == {"days", "note"}


def test_calendar_correction_moves_open_deadlines(app: Flask, accepted: Callable[..., Case],
                                                  staff: dict[str, Any]) -> None:
    case = accepted(D(2026, 11, 2))
    assert clock_of(case).due_date == D(2026, 11, 23)
    services.set_calendar_day(D(2026, 11, 20), False, "地方假日", actor=staff["admin"])
    assert clock_of(case).due_date == D(2026, 11, 24)
    entry_id = db.session.scalar(sa.text("SELECT id FROM calendar_days"))
    services.remove_calendar_day(entry_id, actor=staff["admin"])
    assert clock_of(case).due_date == D(2026, 11, 23)
    with pytest.raises(NotPermitted):
        services.set_calendar_day(D(2026, 11, 20), False, "x", actor=staff["director"])


def test_unknown_year_warning_until_the_year_is_complete(app: Flask,
                                                         staff: dict[str, Any]) -> None:
    assert services.calendar_warnings(D(2026, 11, 30)) == [2027]
    assert services.calendar_warnings(D(2026, 6, 30)) == []
    services.set_calendar_day(D(2027, 1, 1), False, "元旦", actor=staff["admin"])
    services.set_year_complete(2027, True, actor=staff["admin"])
    assert services.calendar_warnings(D(2026, 11, 30)) == []
    services.set_year_complete(2027, False, actor=staff["admin"])
    assert services.calendar_warnings(D(2026, 11, 30)) == [2027]


# --- recusal --------------------------------------------------------------------------------

def _record(notary: Any, admin: Any, relation: Relation, number: str) -> None:
    services.add_staff_relation(notary, relation, "亲属", DocumentType.RESIDENT_ID, number,
                                actor=admin)


def test_assigning_a_notary_who_is_a_party_is_refused(staff: dict[str, Any],
                                                      step: Callable[..., Case]) -> None:
    own_id = resident_id()
    _record(staff["notary"], staff["admin"], Relation.SELF, own_id)
    case = register_case(staff["desk"], applicants=(person("谢文慧", document_number=own_id),))
    with pytest.raises(ValidationFailed) as exc:
        case_services.assign_staff(case, notary_id=staff["notary"].id, assistant_id=None,
                                   actor=staff["director"])
    # The article is cited in either language (the Chinese catalog writes 《公证法》第二十三条).
    message = exc.value.errors["notary_id"][0]
    assert "公证法 art. 23" in message or "《公证法》第二十三条" in message
    with pytest.raises(ValidationFailed) as exc:
        step(case, Action.ACCEPT, D(2026, 11, 2))
    assert "notary_id" in exc.value.errors
    assert case.handling_notary_id is None


def test_a_recorded_relative_blocks_assignment_and_joining(staff: dict[str, Any],
                                                           accepted: Callable[..., Case]) -> None:
    spouse = resident_id()
    _record(staff["notary"], staff["admin"], Relation.SPOUSE, spouse)
    case = accepted(D(2026, 11, 2))  # handled by staff["notary"]
    with pytest.raises(ValidationFailed) as exc:
        case_services.add_participant(case, case_services.ParticipantData(
            case_services.ParticipantRole.APPLICANT, party=person("王芳", document_number=spouse)),
            actor=staff["notary"])
    assert "participants-0-document_number" in exc.value.errors
    # A retired record no longer blocks.
    entry = services.relations_of(staff["notary"].id)[0]
    services.set_staff_relation_active(entry.id, False, actor=staff["admin"])
    case_services.add_participant(case, case_services.ParticipantData(
        case_services.ParticipantRole.APPLICANT, party=person("王芳", document_number=spouse)),
        actor=staff["notary"])


def test_intake_with_a_conflicted_notary_is_refused(staff: dict[str, Any]) -> None:
    own_id = resident_id()
    _record(staff["notary"], staff["admin"], Relation.SELF, own_id)
    data = application(applicants=(person("谢文慧", document_number=own_id),))
    data = case_services.ApplicationData(details=data.details, participants=data.participants,
                                         handling_notary_id=staff["notary"].id)
    with pytest.raises(ValidationFailed) as exc:
        case_services.register_application(data, actor=staff["desk"])
    assert "handling_notary_id" in exc.value.errors


def test_recusal_request_granted_reassigns_the_case(staff: dict[str, Any],
                                                    accepted: Callable[..., Case]) -> None:
    case = accepted(D(2026, 11, 2))
    other = create_staff(Role.NOTARY)
    request = services.request_recusal(case, "张三", "公证员系对方当事人的亲戚",
                                       actor=staff["desk"])
    with pytest.raises(ValidationFailed):  # one pending request at a time
        services.request_recusal(case, "张三", "再次申请", actor=staff["desk"])
    with pytest.raises(NotPermitted):
        services.decide_recusal(request, True, other.id, "同意", actor=staff["notary"])
    with pytest.raises(ValidationFailed) as exc:
        services.decide_recusal(request, True, staff["notary"].id, "同意",
                                actor=staff["director"])
    assert "new_notary_id" in exc.value.errors
    services.decide_recusal(request, True, other.id, "申请理由成立", actor=staff["director"])
    assert request.status is RecusalStatus.GRANTED
    assert case.handling_notary_id == other.id
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "recusal.decide")).one()
    assert entry.before == {"handling_notary_id": staff["notary"].id}
    assert entry.after["handling_notary_id"] == other.id


def test_recusal_request_rejected_keeps_the_notary(staff: dict[str, Any],
                                                   accepted: Callable[..., Case]) -> None:
    case = accepted(D(2026, 11, 2))
    request = services.request_recusal(case, "张三", "理由不足", actor=staff["desk"])
    services.decide_recusal(request, False, None, "不属于回避情形", actor=staff["director"])
    assert request.status is RecusalStatus.REJECTED
    assert case.handling_notary_id == staff["notary"].id
    with pytest.raises(DomainError):
        services.decide_recusal(request, True, None, "改变主意", actor=staff["director"])
