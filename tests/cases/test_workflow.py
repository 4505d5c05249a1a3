"""The procedure through workflow.perform: who may take each step, and what each step records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask

from notary.cases import services
from notary.cases.models import Case, CaseEvent
from notary.cases.rules import (
    Action,
    CaseStatus,
    ClosingType,
    RefusalGround,
    TerminationGround,
)
from notary.cases.workflow import StepData, allowed_actions, perform, refusal_reason
from notary.core.audit import AuditEntry
from notary.core.errors import DomainError, NotPermitted, ValidationFailed
from notary.core.models import frozen_time
from notary.core.permissions import Role
from notary.extensions import db
from tests.cases.samples import advance, step_data
from tests.factories import create_staff, matter, person, register_case, tell_applicants

SHANGHAI = ZoneInfo("Asia/Shanghai")
S = CaseStatus
A = Action


def events(case: Case) -> list[CaseEvent]:
    return list(db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id)
                                   .order_by(CaseEvent.id)))


def step_audits(case: Case) -> list[AuditEntry]:
    """The audit entries of procedure steps (not of registration, edits, ...)."""
    step_names = {f"case.{a.value}" for a in Action}
    return [e for e in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.target_type == "cases",
                                    AuditEntry.target_id == case.id).order_by(AuditEntry.id))
        if e.action in step_names]


def assert_not_available(case: Case, action: Action, actor: Any,
                         data: StepData | None = None) -> None:
    """The state machine refuses the step (a DomainError that is not a permission problem)."""
    before = (case.status, len(events(case)))
    with pytest.raises(DomainError) as excinfo:
        perform(case, action, data or StepData(reason="r", ground="1"), actor=actor)
    assert type(excinfo.value) is DomainError
    assert (case.status, len(events(case))) == before


def assert_not_permitted(case: Case, action: Action, actor: Any,
                         data: StepData | None = None) -> None:
    before = (case.status, len(events(case)))
    with pytest.raises(NotPermitted):
        perform(case, action, data or step_data(action, case), actor=actor)
    db.session.rollback()
    assert (case.status, len(events(case))) == before
    assert action not in allowed_actions(actor, case)


# --- the whole procedure --------------------------------------------------------------------

def test_the_whole_procedure_records_every_step(desk: Any, notary: Any,
                                                director: Any) -> None:
    case = register_case(desk)
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    script: list[tuple[Action, Any, StepData, CaseStatus]] = [
        (A.ACCEPT, notary, StepData(conditions_confirmed=True), S.ACCEPTED),
        (A.START_REVIEW, notary, StepData(), S.UNDER_REVIEW),
        (A.REQUEST_SUPPLEMENT, notary, StepData(reason="缺亲属关系证明"), S.SUPPLEMENTING),
        (A.RESUME_REVIEW, notary, StepData(), S.UNDER_REVIEW),
        (A.START_VERIFICATION, notary, StepData(reason="向派出所核实"), S.VERIFYING),
        (A.RESUME_REVIEW, notary, StepData(), S.UNDER_REVIEW),
        (A.SUBMIT_FOR_APPROVAL, notary, StepData(), S.AWAITING_APPROVAL),
        (A.RETURN_FOR_REVIEW, director, StepData(reason="证词需修改"), S.UNDER_REVIEW),
        (A.SUBMIT_FOR_APPROVAL, notary, StepData(), S.AWAITING_APPROVAL),
        (A.APPROVE, director, StepData(), S.APPROVED),
        (A.ISSUE, notary, StepData(), S.ISSUED),
        (A.DELIVER, notary, StepData(delivery_method="pickup", delivered_to="张三"),
         S.DELIVERED),
        (A.ARCHIVE, notary, StepData(archive_number="2026-永-1"), S.ARCHIVED),
    ]
    times = []
    for n, (action, actor, data, target) in enumerate(script):
        at = start + timedelta(hours=n)
        times.append(at)
        from_status = case.status
        with frozen_time(at):
            if action is A.APPROVE:
                tell_applicants(case, notary)
            perform(case, action, data, actor=actor)
        assert case.status is target
        evs, audits = events(case), step_audits(case)
        assert len(evs) == len(audits) == n + 1  # exactly one of each per step
        ev, entry = evs[-1], audits[-1]
        assert (ev.action, ev.from_status, ev.to_status) == (action.value, from_status, target)
        assert ev.actor_id == entry.actor_id == actor.id
        assert ev.created_at == entry.created_at == at
        assert ev.reason == entry.reason == (data.reason or None)
        assert entry.action == f"case.{action.value}"
        assert entry.before is not None and entry.before["status"] == from_status.value
        assert entry.after is not None and entry.after["status"] == target.value

    db.session.expire_all()
    case = db.session.get(Case, case.id)  # type: ignore[assignment]
    assert case.handling_notary_id == notary.id
    assert case.approver_id == director.id
    assert case.accepted_at == times[0]
    assert case.approved_at == times[9]
    assert case.issued_at == times[10]
    assert case.delivered_at == times[11]
    assert case.archived_at == times[12]
    assert (case.closing_type, case.closed_at) == (ClosingType.ISSUED, times[10])
    assert case.certificate_number == "（2026）湘衡耒证字第1号"
    assert (case.delivery_method, case.delivered_to) == ("pickup", "张三")
    assert case.archive_number == "2026-永-1"
    assert allowed_actions(director, case) == []


def test_audit_after_holds_only_what_the_step_changed(desk: Any, notary: Any) -> None:
    case = register_case(desk)
    perform(case, A.ACCEPT, StepData(conditions_confirmed=True), actor=notary)
    perform(case, A.START_REVIEW, StepData(), actor=notary)
    accept, review = step_audits(case)
    assert accept.after == {"status": "accepted", "acceptance_number": case.acceptance_number,
                            "handling_notary_id": notary.id}
    assert review.after == {"status": "under_review"}


@pytest.mark.parametrize(("action", "field"), [
    (A.REQUEST_SUPPLEMENT, "reason"),
    (A.START_VERIFICATION, "reason"),
])
def test_pauses_need_a_reason(desk: Any, notary: Any, director: Any, action: Action,
                              field: str) -> None:
    case = advance(register_case(desk), S.UNDER_REVIEW, notary=notary, director=director)
    with pytest.raises(ValidationFailed) as excinfo:
        perform(case, action, StepData(reason="  "), actor=notary)
    assert set(excinfo.value.errors) == {field}
    assert case.status is S.UNDER_REVIEW


def test_return_for_review_needs_a_reason(desk: Any, notary: Any, director: Any) -> None:
    case = advance(register_case(desk), S.AWAITING_APPROVAL, notary=notary, director=director)
    with pytest.raises(ValidationFailed) as excinfo:
        perform(case, A.RETURN_FOR_REVIEW, StepData(), actor=director)
    assert set(excinfo.value.errors) == {"reason"}


def test_deliver_needs_the_recipient(desk: Any, notary: Any, director: Any) -> None:
    case = advance(register_case(desk), S.ISSUED, notary=notary, director=director)
    with pytest.raises(ValidationFailed) as excinfo:
        perform(case, A.DELIVER, StepData(delivery_method="mail"), actor=notary)
    assert set(excinfo.value.errors) == {"delivered_to"}


# --- acceptance numbers ---------------------------------------------------------------------

def _accept_at(case: Case, at: datetime, actor: Any) -> str:
    with frozen_time(at):
        perform(case, A.ACCEPT, StepData(conditions_confirmed=True), actor=actor)
    assert case.acceptance_number is not None
    return case.acceptance_number


def test_acceptance_numbers_are_sequential_and_restart_each_year(desk: Any,
                                                                  notary: Any) -> None:
    cases = [register_case(desk) for _ in range(5)]
    numbers = [
        _accept_at(cases[0], datetime(2026, 1, 1, 0, 0, tzinfo=SHANGHAI), notary),
        _accept_at(cases[1], datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI), notary),
        # 2026-12-31 23:59 in Shanghai is still 2026 ...
        _accept_at(cases[2], datetime(2026, 12, 31, 15, 59, tzinfo=UTC), notary),
        # ... and 16:30 UTC is already 2027-01-01 00:30 there.
        _accept_at(cases[3], datetime(2026, 12, 31, 16, 30, tzinfo=UTC), notary),
        _accept_at(cases[4], datetime(2027, 1, 1, 0, 0, tzinfo=SHANGHAI), notary),
    ]
    assert numbers == ["（2026）耒证受字第00001号", "（2026）耒证受字第00002号",
                       "（2026）耒证受字第00003号", "（2027）耒证受字第00001号",
                       "（2027）耒证受字第00002号"]
    assert [(c.acceptance_year, c.acceptance_seq) for c in cases] == [
        (2026, 1), (2026, 2), (2026, 3), (2027, 1), (2027, 2)]


def test_a_new_year_starts_at_one_at_shanghai_midnight(desk: Any, notary: Any) -> None:
    old, new = register_case(desk), register_case(desk)
    _accept_at(old, datetime(2026, 12, 31, 23, 59, 59, tzinfo=SHANGHAI), notary)
    assert _accept_at(new, datetime(2027, 1, 1, tzinfo=SHANGHAI), notary).startswith(
        "（2027）")
    assert (new.acceptance_year, new.acceptance_seq) == (2027, 1)


def test_acceptance_number_format_is_configurable(app: Flask, desk: Any, notary: Any) -> None:
    app.config["ACCEPTANCE_NUMBER_FORMAT"] = "{year}湘衡耒受{seq}"
    app.config["ACCEPTANCE_SEQ_WIDTH"] = 3
    first, second = register_case(desk), register_case(desk)
    at = datetime(2026, 5, 5, 10, tzinfo=SHANGHAI)
    assert _accept_at(first, at, notary) == "2026湘衡耒受001"
    assert _accept_at(second, at, notary) == "2026湘衡耒受002"


def test_a_refused_acceptance_uses_no_number(desk: Any, notary: Any) -> None:
    refused = register_case(desk, agents=(person("代理人"),))
    refused.matters = [*refused.matters, matter("will")]  # changed behind the service's back
    db.session.commit()
    with pytest.raises(ValidationFailed):
        perform(refused, A.ACCEPT, StepData(conditions_confirmed=True), actor=notary)
    db.session.rollback()
    assert refused.status is S.APPLIED and refused.acceptance_number is None
    other = register_case(desk)
    at = datetime(2026, 5, 5, 10, tzinfo=SHANGHAI)
    assert _accept_at(other, at, notary) == "（2026）耒证受字第00001号"


# --- who may take each step -----------------------------------------------------------------

def test_the_handling_notary_never_approves(desk: Any, notary: Any, director: Any) -> None:
    case = advance(register_case(desk), S.AWAITING_APPROVAL, notary=notary, director=director)
    with pytest.raises(NotPermitted):  # no CASE_APPROVE, and their own case anyway
        perform(case, A.APPROVE, StepData(), actor=notary)
    assert case.status is S.AWAITING_APPROVAL


def test_a_director_handling_the_case_cannot_approve_it(desk: Any, director: Any) -> None:
    case = register_case(desk)
    other_director = create_staff(Role.DIRECTOR)
    perform(case, A.ACCEPT, StepData(conditions_confirmed=True, notary_id=director.id),
            actor=director)
    perform(case, A.START_REVIEW, StepData(), actor=director)
    perform(case, A.SUBMIT_FOR_APPROVAL, StepData(), actor=director)
    assert_not_permitted(case, A.APPROVE, director)
    assert_not_permitted(case, A.RETURN_FOR_REVIEW, director, StepData(reason="x"))
    tell_applicants(case, director)
    perform(case, A.APPROVE, StepData(), actor=other_director)
    assert case.approver_id == other_director.id != case.handling_notary_id


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.ASSISTANT, Role.NOTARY])
def test_only_a_director_approves(desk: Any, notary: Any, director: Any, role: Role) -> None:
    case = advance(register_case(desk), S.AWAITING_APPROVAL, notary=notary, director=director)
    assert_not_permitted(case, A.APPROVE, create_staff(role))


def test_a_notary_cannot_accept_a_case_assigned_to_another(desk: Any, notary: Any,
                                                           director: Any) -> None:
    case = register_case(desk)
    services.assign_staff(case, notary_id=notary.id, assistant_id=None, actor=director)
    other = create_staff(Role.NOTARY)
    assert_not_permitted(case, A.ACCEPT, other)
    assert case.acceptance_number is None
    perform(case, A.ACCEPT, StepData(conditions_confirmed=True), actor=notary)
    assert case.handling_notary_id == notary.id


def test_the_director_accepts_for_the_assigned_notary(desk: Any, notary: Any,
                                                      director: Any) -> None:
    case = register_case(desk)
    services.assign_staff(case, notary_id=notary.id, assistant_id=None, actor=director)
    perform(case, A.ACCEPT, StepData(conditions_confirmed=True), actor=director)
    assert case.handling_notary_id == notary.id


@pytest.mark.parametrize(("status", "action"), [
    (S.ACCEPTED, A.START_REVIEW),
    (S.UNDER_REVIEW, A.SUBMIT_FOR_APPROVAL),
    (S.UNDER_REVIEW, A.REQUEST_SUPPLEMENT),
    (S.APPROVED, A.ISSUE),
    (S.UNDER_REVIEW, A.WITHDRAW),
])
def test_a_notary_cannot_work_on_another_notarys_case(desk: Any, notary: Any, director: Any,
                                                      status: CaseStatus,
                                                      action: Action) -> None:
    case = advance(register_case(desk), status, notary=notary, director=director)
    other = create_staff(Role.NOTARY)
    data = step_data(action, case)
    data = StepData(reason="r")
    assert_not_permitted(case, action, other, data)
    perform(case, action, data, actor=notary)  # the handling notary may


def test_an_assistant_reviews_but_does_not_submit_or_issue(desk: Any, notary: Any,
                                                           director: Any) -> None:
    case = register_case(desk)
    assistant = create_staff(Role.ASSISTANT)
    perform(case, A.ACCEPT, StepData(conditions_confirmed=True), actor=notary)
    # Not yet the case's assistant: nothing.
    assert_not_permitted(case, A.START_REVIEW, assistant)
    services.assign_staff(case, notary_id=notary.id, assistant_id=assistant.id, actor=director)
    perform(case, A.START_REVIEW, StepData(), actor=assistant)
    perform(case, A.REQUEST_SUPPLEMENT, StepData(reason="补户口本"), actor=assistant)
    perform(case, A.RESUME_REVIEW, StepData(), actor=assistant)
    assert case.status is S.UNDER_REVIEW
    assert_not_permitted(case, A.SUBMIT_FOR_APPROVAL, assistant)
    perform(case, A.SUBMIT_FOR_APPROVAL, StepData(), actor=notary)
    tell_applicants(case, notary)
    perform(case, A.APPROVE, StepData(), actor=director)
    assert_not_permitted(case, A.ISSUE, assistant)
    perform(case, A.ISSUE, step_data(A.ISSUE, case), actor=notary)
    assert case.status is S.ISSUED


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.ASSISTANT])
def test_only_notaries_accept(desk: Any, role: Role) -> None:
    case = register_case(desk)
    assert_not_permitted(case, A.ACCEPT, create_staff(role))


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.ASSISTANT, Role.NOTARY])
@pytest.mark.parametrize("action", [A.REFUSE, A.TERMINATE])
def test_only_the_director_refuses_or_terminates(desk: Any, notary: Any, director: Any,
                                                 role: Role, action: Action) -> None:
    case = advance(register_case(desk), S.UNDER_REVIEW, notary=notary, director=director)
    actor = notary if role is Role.NOTARY else create_staff(role)
    assert_not_permitted(case, action, actor, StepData(reason="r", ground="1"))


def test_refusal_reason_explains_an_unavailable_step(desk: Any, notary: Any) -> None:
    case = register_case(desk)
    assert refusal_reason(notary, case, A.ISSUE) is not None
    assert refusal_reason(notary, case, A.ACCEPT) is None


# --- closings -------------------------------------------------------------------------------

@pytest.mark.parametrize("ground", list(RefusalGround))
def test_refuse_on_each_statutory_ground(desk: Any, notary: Any, director: Any,
                                         ground: RefusalGround) -> None:
    case = advance(register_case(desk), S.UNDER_REVIEW, notary=notary, director=director)
    at = datetime(2026, 4, 1, 2, 0, tzinfo=UTC)
    with frozen_time(at):
        perform(case, A.REFUSE, StepData(ground=ground.value, reason="理由"), actor=director)
    assert case.status is S.REFUSED
    assert (case.closing_type, case.closed_at) == (ClosingType.REFUSED, at)
    assert (case.closing_ground, case.closing_reason) == (ground.value, "理由")
    assert events(case)[-1].ground == ground.value
    assert str(case.closing_ground_label) == str(ground.label)


@pytest.mark.parametrize(("ground", "reason", "fields"), [
    (None, "理由", {"ground"}),
    ("", "理由", {"ground"}),
    ("10", "理由", {"ground"}),
    ("0", "理由", {"ground"}),
    ("2", None, {"reason"}),
    ("2", "   ", {"reason"}),
    (None, None, {"ground", "reason"}),
])
def test_refuse_needs_a_ground_and_a_reason(desk: Any, notary: Any, director: Any,
                                            ground: str | None, reason: str | None,
                                            fields: set[str]) -> None:
    case = advance(register_case(desk), S.ACCEPTED, notary=notary, director=director)
    with pytest.raises(ValidationFailed) as excinfo:
        perform(case, A.REFUSE, StepData(ground=ground, reason=reason), actor=director)
    assert set(excinfo.value.errors) == fields
    assert case.status is S.ACCEPTED and case.closed_at is None


def test_not_accepted_is_its_own_ending_before_acceptance(desk: Any, notary: Any,
                                                          director: Any) -> None:
    # 不予受理 (公证程序规则 art. 19) at intake; 不予办理 (公证法 art. 31) only after acceptance.
    case = register_case(desk)
    with pytest.raises(DomainError):
        perform(case, A.REFUSE, StepData(ground="2", reason="与事项无利害关系"), actor=director)
    with pytest.raises(ValidationFailed) as excinfo:
        perform(case, A.REJECT, StepData(ground="9", reason="与事项无利害关系"), actor=notary)
    assert set(excinfo.value.errors) == {"ground"}
    perform(case, A.REJECT, StepData(ground="1", reason="与事项无利害关系"), actor=notary)
    assert case.status is S.NOT_ACCEPTED
    assert (case.closing_type, case.closing_ground) == (ClosingType.NOT_ACCEPTED, "1")
    assert case.acceptance_number is None and case.closed_at is not None
    assert "利害关系" in str(case.closing_ground_label) or "interest" in str(
        case.closing_ground_label)


@pytest.mark.parametrize("ground", list(TerminationGround))
def test_terminate_on_each_ground(desk: Any, notary: Any, director: Any,
                                  ground: TerminationGround) -> None:
    case = advance(register_case(desk), S.ACCEPTED, notary=notary, director=director)
    at = datetime(2026, 4, 2, 2, 0, tzinfo=UTC)
    with frozen_time(at):
        perform(case, A.TERMINATE, StepData(ground=ground.value, reason="理由"),
                actor=director)
    assert case.status is S.TERMINATED
    assert (case.closing_type, case.closed_at, case.closing_ground) == (
        ClosingType.TERMINATED, at, ground.value)


@pytest.mark.parametrize("ground", [None, "6", "9", "x"])
def test_terminate_needs_one_of_the_five_grounds(desk: Any, notary: Any, director: Any,
                                                 ground: str | None) -> None:
    case = advance(register_case(desk), S.ACCEPTED, notary=notary, director=director)
    with pytest.raises(ValidationFailed) as excinfo:
        perform(case, A.TERMINATE, StepData(ground=ground, reason="理由"), actor=director)
    assert set(excinfo.value.errors) == {"ground"}


def test_terminate_is_not_possible_before_acceptance(desk: Any, director: Any) -> None:
    assert_not_available(register_case(desk), A.TERMINATE, director)


@pytest.mark.parametrize("status", [S.APPLIED, S.ACCEPTED, S.UNDER_REVIEW, S.AWAITING_APPROVAL,
                                    S.APPROVED])
def test_withdraw_before_issue(desk: Any, notary: Any, director: Any,
                               status: CaseStatus) -> None:
    case = advance(register_case(desk), status, notary=notary, director=director)
    # Before acceptance the front desk records it; after, the case's own notary.
    actor = desk if status is S.APPLIED else notary
    at = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)
    with frozen_time(at):
        perform(case, A.WITHDRAW, StepData(reason="当事人撤回申请"), actor=actor)
    assert case.status is S.WITHDRAWN
    assert (case.closing_type, case.closed_at) == (ClosingType.WITHDRAWN, at)
    assert case.closing_reason == "当事人撤回申请"
    assert case.closing_ground is None


def test_withdraw_needs_a_reason(desk: Any) -> None:
    case = register_case(desk)
    with pytest.raises(ValidationFailed) as excinfo:
        perform(case, A.WITHDRAW, StepData(), actor=desk)
    assert set(excinfo.value.errors) == {"reason"}


@pytest.mark.parametrize("status", [S.ISSUED, S.DELIVERED, S.ARCHIVED])
def test_no_withdrawal_after_issue(desk: Any, notary: Any, director: Any,
                                   status: CaseStatus) -> None:
    case = advance(register_case(desk), status, notary=notary, director=director)
    for actor in (notary, director):
        assert_not_available(case, A.WITHDRAW, actor)
    assert case.closing_type is ClosingType.ISSUED


@pytest.mark.parametrize("closing", [A.REFUSE, A.TERMINATE, A.WITHDRAW])
def test_a_closed_case_cannot_move_again(desk: Any, notary: Any, director: Any,
                                         closing: Action) -> None:
    case = advance(register_case(desk), S.UNDER_REVIEW, notary=notary, director=director)
    perform(case, closing, StepData(ground="1", reason="理由"), actor=director)
    closed_at = case.closed_at
    for action in Action:
        assert_not_available(case, action, director,
                             StepData(reason="r", ground="1", delivered_to="x"))
    assert allowed_actions(director, case) == []
    assert case.closed_at == closed_at


def test_issue_numbers_the_certificate_from_the_series(desk: Any, notary: Any,
                                                       director: Any) -> None:
    # The number is no longer typed: each issue takes the next number of the year's series.
    first = advance(register_case(desk), S.APPROVED, notary=notary, director=director)
    second = advance(register_case(desk), S.APPROVED, notary=notary, director=director)
    at = datetime(2026, 4, 4, 2, 0, tzinfo=UTC)
    with frozen_time(at):
        perform(second, A.ISSUE, StepData(), actor=notary)
        perform(first, A.ISSUE, StepData(), actor=notary)
    assert second.certificate_number == "（2026）湘衡耒证字第1号"
    assert first.certificate_number == "（2026）湘衡耒证字第2号"
    assert (second.closing_type, second.closed_at, second.issued_at) == (
        ClosingType.ISSUED, at, at)


def test_accept_refuses_an_agent_on_an_in_person_matter(desk: Any, notary: Any) -> None:
    case = register_case(desk, agents=(person("代理人"),))
    case.matters = [*case.matters, matter("will")]  # changed behind the service's back
    db.session.commit()
    with pytest.raises(ValidationFailed) as excinfo:
        perform(case, A.ACCEPT, StepData(conditions_confirmed=True), actor=notary)
    assert set(excinfo.value.errors) == {""}
    db.session.rollback()
    assert case.status is S.APPLIED
    assert events(case) == []


def test_accept_needs_a_notary(desk: Any, director: Any) -> None:
    case = register_case(desk)
    with pytest.raises(ValidationFailed) as excinfo:
        perform(case, A.ACCEPT, StepData(conditions_confirmed=True, notary_id=desk.id),
                actor=director)
    assert set(excinfo.value.errors) == {"notary_id"}
    assert case.status is S.APPLIED


def test_acceptance_needs_the_confirmed_conditions(desk: Any, notary: Any) -> None:
    # 公证程序规则 art. 19 (conditions) and art. 21 (telling the applicant their rights): the
    # notary confirms both; without it nothing changes.
    case = register_case(desk)
    with pytest.raises(ValidationFailed) as exc:
        perform(case, Action.ACCEPT, StepData(), actor=notary)
    assert "confirm" in exc.value.errors
    db.session.refresh(case)
    assert case.status is CaseStatus.APPLIED and case.acceptance_number is None
