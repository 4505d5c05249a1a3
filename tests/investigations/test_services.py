"""Investigation tasks: the two-person rule, the clock pause through 核实, records, closing."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from notary.cases.models import Case
from notary.cases.rules import Action, CaseStatus
from notary.core.audit import AuditEntry
from notary.core.errors import DomainError, NotPermitted, ValidationFailed
from notary.core.models import frozen_time
from notary.core.permissions import Role
from notary.deadlines import services as deadlines
from notary.deadlines.models import PauseKind
from notary.extensions import db
from notary.investigations import queries, services
from notary.investigations.models import Method, PersonRole, TaskStatus
from tests.deadlines.conftest import at
from tests.factories import create_staff
from tests.test_permissions import PNG

D = date


def task_data(staff: list[Any], method: Method = Method.SITE_VISIT, **kw: Any
              ) -> services.TaskData:
    kw.setdefault("place", "耒阳市哲桥镇石湾村村委会")
    kw.setdefault("scheduled_at", at(D(2026, 10, 12), 9))
    return services.TaskData(method, "核实被继承人的亲属关系", [u.id for u in staff], **kw)


def record_data(recorder: Any) -> services.RecordData:
    return services.RecordData(
        place="石湾村村委会", started_at=at(D(2026, 10, 12), 9), recorder_id=recorder.id,
        persons=[services.PersonData(PersonRole.QUESTIONED, "谢茂池", "430481195601011234",
                                     "村主任", signed=True, fingerprinted=True)],
        questions=[("被继承人李德胜有几个子女？",
                    "三个：长子李建国（已故），次女李秀英，三女李冬梅。")],
        observations="查阅村委会户籍底册，记载与申请人陈述一致。")


def test_a_visit_with_one_staff_member_is_refused_with_two_accepted_and_pauses_the_clock(
        staff: dict[str, Any], accepted: Callable[..., Case]) -> None:
    # The must-show (service side; the PDF and the page are in test_views/test_pdf).
    case = accepted(D(2026, 9, 30))
    notary, assistant = staff["notary"], staff["assistant"]
    with frozen_time(at(D(2026, 10, 12))):
        with pytest.raises(ValidationFailed) as exc:
            services.create_investigation(case, task_data([notary]), actor=notary)
        assert "staff_ids" in exc.value.errors
        assert case.status is CaseStatus.UNDER_REVIEW
        task = services.create_investigation(case, task_data([notary, assistant]), actor=notary)
    assert task.paused_case and case.status is CaseStatus.VERIFYING
    clock = deadlines.get_clock(case)
    assert clock is not None and clock.due_date is None
    assert [(p.kind, p.started_on, p.ended_on) for p in clock.pauses] == [
        (PauseKind.VERIFICATION, D(2026, 10, 12), None)]
    with frozen_time(at(D(2026, 10, 12), 11)):
        services.add_record(task, record_data(assistant), actor=assistant)
    with frozen_time(at(D(2026, 10, 15))):
        assert services.close_investigation(task, "亲属关系属实。", done=True, actor=notary)
    assert case.status is CaseStatus.UNDER_REVIEW and task.status is TaskStatus.DONE
    clock = deadlines.get_clock(case)
    assert clock is not None and clock.due_date == D(2026, 10, 30)  # 3 days paused


def test_one_staff_member_and_a_witness_is_enough(staff: dict[str, Any],
                                                  accepted: Callable[..., Case]) -> None:
    case = accepted(D(2026, 11, 2))
    task = services.create_investigation(
        case, task_data([staff["notary"]], witness_name="村支书谢某"), actor=staff["notary"])
    assert task.witness_name == "村支书谢某"


def test_the_office_may_switch_the_rule_off_except_for_wills(
        app: Flask, staff: dict[str, Any], accepted: Callable[..., Case]) -> None:
    app.config["INVESTIGATION_TWO_PERSON_RULE"] = False
    case = accepted(D(2026, 11, 2))
    services.create_investigation(case, task_data([staff["notary"]]), actor=staff["notary"])
    will = accepted(D(2026, 11, 2), matters=("will",))
    with pytest.raises(ValidationFailed):
        services.create_investigation(will, task_data([staff["notary"]]), actor=staff["notary"])


def test_letters_and_registry_queries_need_one_person(staff: dict[str, Any],
                                                      accepted: Callable[..., Case]) -> None:
    case = accepted(D(2026, 11, 2))
    task = services.create_investigation(case, task_data([staff["notary"]], Method.REGISTRY,
                                                         place=None, scheduled_at=None),
                                         actor=staff["notary"])
    assert task.paused_case


def test_commissioned_verification_is_due_within_one_month(
        staff: dict[str, Any], accepted: Callable[..., Case]) -> None:
    case = accepted(D(2027, 1, 4))
    with frozen_time(at(D(2027, 1, 31))):
        with pytest.raises(ValidationFailed) as exc:
            services.create_investigation(case, task_data([staff["notary"]], Method.COMMISSIONED,
                                                          scheduled_at=None),
                                          actor=staff["notary"])
        assert "other_office" in exc.value.errors
        task = services.create_investigation(case, task_data(
            [staff["notary"]], Method.COMMISSIONED, scheduled_at=None,
            other_office="广州市南方公证处"), actor=staff["notary"])
    assert task.due_on == D(2027, 2, 28)
    assert services.add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert services.add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)


def test_verification_needs_the_review_started(staff: dict[str, Any], step: Any) -> None:
    from tests.factories import register_case

    case = register_case(staff["desk"])
    step(case, Action.ACCEPT, D(2026, 11, 2))
    with pytest.raises(ValidationFailed) as exc:
        services.create_investigation(case, task_data([staff["notary"], staff["assistant"]]),
                                      actor=staff["notary"])
    assert "" in exc.value.errors


def test_a_home_visit_does_not_pause_the_clock(staff: dict[str, Any],
                                               accepted: Callable[..., Case]) -> None:
    case = accepted(D(2026, 11, 2))
    task = services.create_investigation(case, task_data(
        [staff["notary"], staff["assistant"]], Method.HOME_VISIT), actor=staff["notary"])
    assert not task.paused_case and case.status is CaseStatus.UNDER_REVIEW
    with frozen_time(at(D(2026, 11, 3))):
        services.add_record(task, record_data(staff["notary"]), actor=staff["notary"])
        assert not services.close_investigation(task, "已上门办理签字。", done=True,
                                                actor=staff["notary"])
    counts = queries.counts_by_method(D(2026, 1, 1), D(2027, 1, 1))
    assert counts == {Method.HOME_VISIT: 1}


def test_review_cannot_resume_while_a_task_is_open(staff: dict[str, Any],
                                                   accepted: Callable[..., Case],
                                                   step: Any) -> None:
    case = accepted(D(2026, 11, 2))
    first = services.create_investigation(case, task_data([staff["notary"], staff["assistant"]]),
                                          actor=staff["notary"])
    second = services.create_investigation(case, task_data([staff["notary"]], Method.PHONE),
                                           actor=staff["notary"])
    assert not second.paused_case  # already in 核实
    with pytest.raises(ValidationFailed):
        step(case, Action.RESUME_REVIEW, D(2026, 11, 3))
    # Cancelling the visit leaves the phone check open: still verifying.
    assert not services.close_investigation(first, "村委会负责人不在，改期。", done=False,
                                            actor=staff["notary"])
    assert case.status is CaseStatus.VERIFYING
    assert services.close_investigation(second, "电话核实无误。", done=True,
                                        actor=staff["notary"])
    assert case.status is CaseStatus.UNDER_REVIEW


def test_a_visit_closes_only_with_its_record(staff: dict[str, Any],
                                             accepted: Callable[..., Case]) -> None:
    case = accepted(D(2026, 11, 2))
    task = services.create_investigation(case, task_data([staff["notary"], staff["assistant"]]),
                                         actor=staff["notary"])
    with pytest.raises(ValidationFailed) as exc:
        services.close_investigation(task, "属实", done=True, actor=staff["notary"])
    assert "outcome" in exc.value.errors
    services.close_investigation(task, "改期", done=False, actor=staff["notary"])
    with pytest.raises(DomainError):
        services.close_investigation(task, "再次", done=False, actor=staff["notary"])


def test_closing_the_case_cancels_open_tasks(staff: dict[str, Any],
                                             accepted: Callable[..., Case], step: Any) -> None:
    case = accepted(D(2026, 11, 2))
    task = services.create_investigation(case, task_data([staff["notary"], staff["assistant"]]),
                                         actor=staff["notary"])
    step(case, Action.TERMINATE, D(2026, 11, 5), ground="4")
    assert task.status is TaskStatus.CANCELLED


def test_only_case_workers_plan_and_assigned_staff_record(
        staff: dict[str, Any], accepted: Callable[..., Case]) -> None:
    case = accepted(D(2026, 11, 2))
    other = create_staff(Role.NOTARY)
    with pytest.raises(NotPermitted):
        services.create_investigation(case, task_data([other, staff["assistant"]]), actor=other)
    with pytest.raises(NotPermitted):
        services.create_investigation(case, task_data([staff["notary"]]), actor=staff["desk"])
    task = services.create_investigation(case, task_data([staff["notary"], staff["assistant"]]),
                                         actor=staff["notary"])
    # The assistant is not on the case, but is on the task: they record it.
    record = services.add_record(task, record_data(staff["assistant"]), actor=staff["assistant"])
    assert record.persons[0].fingerprinted
    with pytest.raises(NotPermitted):
        services.add_record(task, record_data(other), actor=other)


def test_record_validation(staff: dict[str, Any], accepted: Callable[..., Case]) -> None:
    case = accepted(D(2026, 11, 2))
    task = services.create_investigation(case, task_data([staff["notary"], staff["assistant"]]),
                                         actor=staff["notary"])
    bad = services.RecordData(place="", started_at=at(D(2026, 11, 2)),
                              ended_at=at(D(2026, 11, 1)), recorder_id=staff["desk"].id,
                              questions=[("问题", "回答")])
    with pytest.raises(ValidationFailed) as exc:
        services.add_record(task, bad, actor=staff["notary"])
    assert set(exc.value.errors) == {"place", "recorder_id", "ended_at", "persons"}


def test_attachments_and_audit(staff: dict[str, Any], accepted: Callable[..., Case]) -> None:
    case = accepted(D(2026, 11, 2))
    task = services.create_investigation(case, task_data([staff["notary"], staff["assistant"]]),
                                         actor=staff["notary"])
    photo = services.add_attachment(task, "村委会户籍底册照片", "p.png", io.BytesIO(PNG),
                                    actor=staff["notary"])
    assert photo.content_type == "image/png" and len(photo.sha256) == 64
    with pytest.raises(ValidationFailed):
        services.add_attachment(task, "坏文件", "x.png", io.BytesIO(b"nope"),
                                actor=staff["notary"])
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"investigation.create", "investigation.attachment", "case.investigation_add",
            "case.start_verification"} <= actions


def test_upcoming_tasks_by_day_mine_and_everyone(staff: dict[str, Any],
                                                 accepted: Callable[..., Case]) -> None:
    case = accepted(D(2026, 11, 2))
    other = create_staff(Role.ASSISTANT)
    services.create_investigation(case, task_data([staff["notary"], staff["assistant"]],
                                                  scheduled_at=at(D(2026, 11, 4), 15)),
                                  actor=staff["notary"])
    services.create_investigation(case, task_data([staff["notary"], other], Method.HOME_VISIT,
                                                  scheduled_at=at(D(2026, 11, 3), 9)),
                                  actor=staff["notary"])
    def pending(user_id: int | None, today: date) -> list[Any]:
        return [task for task, _case in db.session.execute(
            queries.pending_statement(user_id, today)).all()]

    days, total = queries.upcoming_by_day(staff["assistant"].id, D(2026, 11, 3), 14)
    assert pending(staff["assistant"].id, D(2026, 11, 3)) == []
    assert list(days) == [D(2026, 11, 4)] and total == 1
    days, total = queries.upcoming_by_day(None, D(2026, 11, 3), 14)
    assert list(days) == [D(2026, 11, 3), D(2026, 11, 4)] and total == 2
    days, total = queries.upcoming_by_day(None, D(2026, 11, 3), 14, limit=1)
    assert list(days) == [D(2026, 11, 3)] and total == 2  # one shown, more than one there
    days, _total = queries.upcoming_by_day(other.id, D(2026, 11, 5), 14)
    assert [t.method for t in pending(other.id, D(2026, 11, 5))] == [Method.HOME_VISIT]
    assert days == {}
