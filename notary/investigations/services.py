"""Investigation services: plan a task, record what was found (笔录), attach photos, close it.

A verification task opened while the case is under review moves the case into verification
(START_VERIFICATION), which pauses the statutory clock with the reason 核实 (公证法 art. 30)
through the deadlines' own step effect; closing the last open task takes the case back into
review (RESUME_REVIEW). The case's status is the one source of truth for the pause.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from notary.auth.models import User
from notary.cases import workflow
from notary.cases.models import Case
from notary.cases.rules import EDITABLE_STATUSES, Action, CaseStatus
from notary.cases.services import is_case_worker
from notary.cases.workflow import StepContext, register_step_check, register_step_effect
from notary.core import audit
from notary.core.errors import DomainError, ErrorCollector, NotFound, NotPermitted
from notary.core.models import local_date, utcnow
from notary.core.permissions import Permission, Role, ensure_permitted, register_object_guard
from notary.core.uploads import clean_filename, store_upload
from notary.extensions import db
from notary.investigations.models import (
    Investigation,
    InvestigationAttachment,
    InvestigationRecord,
    Method,
    PersonRole,
    RecordPerson,
    RecordQuestion,
    TaskStatus,
)

FIELD_ROLES = frozenset({Role.ASSISTANT, Role.NOTARY, Role.DIRECTOR})
TASK_FIELDS = ("method", "purpose", "place", "scheduled_at", "due_on", "other_office",
               "witness_name", "witness_contact", "status")


@dataclass(frozen=True)
class TaskData:
    method: Method
    purpose: str
    staff_ids: list[int]
    place: str | None = None
    scheduled_at: datetime | None = None  # aware
    other_office: str | None = None
    witness_name: str | None = None
    witness_contact: str | None = None


@dataclass(frozen=True)
class PersonData:
    role: PersonRole
    name: str
    document_number: str | None = None
    relation: str | None = None
    signed: bool = False
    fingerprinted: bool = False


@dataclass(frozen=True)
class RecordData:
    place: str
    started_at: datetime
    recorder_id: int
    ended_at: datetime | None = None
    observations: str | None = None
    persons: list[PersonData] = field(default_factory=list)
    questions: list[tuple[str, str]] = field(default_factory=list)


def get_investigation(investigation_id: int) -> Investigation:
    """Load a task or raise NotFound."""
    task = db.session.get(Investigation, investigation_id)
    if task is None:
        raise NotFound(_("No such investigation."))
    return task


def get_record(record_id: int) -> InvestigationRecord:
    """Load a record or raise NotFound."""
    record = db.session.get(InvestigationRecord, record_id)
    if record is None:
        raise NotFound(_("No such record."))
    return record


def investigations_of(case_id: int) -> list[Investigation]:
    """The case's tasks, oldest first."""
    return list(db.session.scalars(sa.select(Investigation).where(
        Investigation.case_id == case_id).order_by(Investigation.id)))


def two_person_rule_applies(case: Case) -> bool:
    """Binding for wills, on-site supervision and evidence preservation; else office policy."""
    codes = set(current_app.config["TWO_PERSON_MATTERS"])
    if any(m.code in codes for m in case.matters):
        return True
    return bool(current_app.config["INVESTIGATION_TWO_PERSON_RULE"])


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def can_work_on(actor: Any, task_or_case: Investigation | Case) -> bool:
    """Case workers plan tasks; they and the assigned staff record and close them."""
    if isinstance(task_or_case, Investigation):
        case = db.session.get(Case, task_or_case.case_id)
        assert case is not None
        if actor.id in {u.id for u in task_or_case.staff}:
            return True
        return is_case_worker(actor, case)
    return is_case_worker(actor, task_or_case)


def _ensure(actor: Any, target: Investigation | Case) -> None:
    ensure_permitted(actor, Permission.INVESTIGATION_MANAGE)
    if not can_work_on(actor, target):
        raise NotPermitted(_("Only the notary handling this case, their assistant, the staff "
                             "assigned to the task or the director can do this."))


def _validate_task(case: Case, data: TaskData) -> tuple[list[User], ErrorCollector]:
    errors = ErrorCollector()
    if not data.purpose.strip():
        errors.add("purpose", _("This field is required."))
    staff = list(db.session.scalars(sa.select(User).where(User.id.in_(data.staff_ids or [-1]))))
    if len(staff) != len(set(data.staff_ids)) or any(
            not u.is_enabled or u.role not in FIELD_ROLES for u in staff):
        errors.add("staff_ids", _("Choose notaries, assistants or the director."))
    elif not staff:
        errors.add("staff_ids", _("Assign at least one member of staff."))
    elif data.method.needs_two and two_person_rule_applies(case) and len(staff) < 2 \
            and not (data.witness_name or "").strip():
        errors.add("staff_ids", _("Visits and interviews need two staff, or one and a witness "
                                  "(enter the witness)."))
    if data.method in {Method.SITE_VISIT, Method.INTERVIEW, Method.HOME_VISIT}:
        if not (data.place or "").strip():
            errors.add("place", _("Enter where the visit takes place."))
        if data.scheduled_at is None:
            errors.add("scheduled_at", _("Enter the date and time."))
    if data.method is Method.COMMISSIONED and not (data.other_office or "").strip():
        errors.add("other_office", _("Enter the office asked to verify."))
    if data.method.is_verification:
        if case.status not in {CaseStatus.UNDER_REVIEW, CaseStatus.VERIFYING}:
            errors.add("", _("Verification is part of the review: start the review first."))
    elif case.status not in EDITABLE_STATUSES:
        errors.add("", _("A home visit can be planned only while the case is open."))
    return staff, errors


def create_investigation(case: Case, data: TaskData, *, actor: Any) -> Investigation:
    """Plan a verification task or home visit; a verification task pauses the case's clock."""
    _ensure(actor, case)
    staff, errors = _validate_task(case, data)
    moves_case = data.method.is_verification and case.status is CaseStatus.UNDER_REVIEW
    if moves_case and not errors:
        problem = workflow.refusal_reason(actor, case, Action.START_VERIFICATION)
        if problem:
            errors.add("", problem)
    errors.raise_if_any()
    task = Investigation(
        case_id=case.id, method=data.method, purpose=data.purpose.strip(),
        place=(data.place or "").strip() or None, scheduled_at=data.scheduled_at,
        other_office=(data.other_office or "").strip() or None,
        witness_name=(data.witness_name or "").strip() or None,
        witness_contact=(data.witness_contact or "").strip() or None,
        created_by_id=actor.id, staff=staff, paused_case=moves_case,
    )
    if data.method is Method.COMMISSIONED:
        # 公证程序规则 2020 art. 33: the other office answers within one month.
        start = local_date(data.scheduled_at or utcnow())
        task.due_on = add_months(start, int(current_app.config[
            "COMMISSIONED_VERIFICATION_MONTHS"]))
    db.session.add(task)
    db.session.flush()
    after = {**audit.snapshot(task, TASK_FIELDS), "staff": [u.full_name for u in staff]}
    audit.record(db.session, actor, "investigation.create", task, after=after)
    audit.record(db.session, actor, "case.investigation_add", case,
                 after={"investigation": f"{task.method.label}: {task.purpose}"})
    if moves_case:
        # One unit of work: the step commits the task together with the case's new status.
        workflow.perform(case, Action.START_VERIFICATION,
                         workflow.StepData(reason=_("Investigation: %(purpose)s",
                                                    purpose=task.purpose)), actor=actor)
    else:
        db.session.commit()
    return task


def _open_verifications(case_id: int, *, excluding: int | None = None) -> int:
    query = sa.select(sa.func.count(Investigation.id)).where(
        Investigation.case_id == case_id, Investigation.status == TaskStatus.OPEN,
        Investigation.method != Method.HOME_VISIT)
    if excluding is not None:
        query = query.where(Investigation.id != excluding)
    return int(db.session.scalar(query) or 0)


def close_investigation(task: Investigation, outcome: str, *, done: bool,
                        actor: Any) -> bool:
    """Record the outcome (or why it was cancelled) and close the task; return whether the
    case went back into review (the last open verification of a case in 核实)."""
    _ensure(actor, task)
    if not task.is_open:
        raise DomainError(_("This task is already closed."))
    errors = ErrorCollector()
    if not outcome.strip():
        errors.add("outcome", _("Record the outcome.") if done else
                   _("Give the reason; it is recorded in the file."))
    if done and task.method.needs_two and not task.records:
        errors.add("outcome", _("Add the record (笔录) of the visit or interview first."))
    errors.raise_if_any()
    before = audit.snapshot(task, ("status", "outcome"))
    task.status = TaskStatus.DONE if done else TaskStatus.CANCELLED
    task.outcome, task.closed_at, task.closed_by_id = outcome.strip(), utcnow(), actor.id
    audit.record(db.session, actor, "investigation.close", task, before=before,
                 after=audit.snapshot(task, ("status", "outcome")))
    case = db.session.get(Case, task.case_id)
    assert case is not None
    audit.record(db.session, actor, "case.investigation_close", case,
                 after={"investigation": f"{task.method.label}: {task.status.label}"})
    db.session.flush()
    if (task.method.is_verification and case.status is CaseStatus.VERIFYING
            and _open_verifications(case.id) == 0
            and workflow.refusal_reason(actor, case, Action.RESUME_REVIEW) is None):
        workflow.perform(case, Action.RESUME_REVIEW, workflow.StepData(), actor=actor)
        return True
    db.session.commit()
    return False


def add_record(task: Investigation, data: RecordData, *, actor: Any) -> InvestigationRecord:
    """Add the record (笔录) of an interview or inspection to a task."""
    _ensure(actor, task)
    errors = ErrorCollector()
    if not data.place.strip():
        errors.add("place", _("This field is required."))
    if data.recorder_id not in {u.id for u in task.staff} | {actor.id}:
        errors.add("recorder_id", _("The recorder must be one of the staff on the task."))
    if data.ended_at is not None and data.ended_at < data.started_at:
        errors.add("ended_at", _("The end is before the start."))
    if not data.questions and not (data.observations or "").strip():
        errors.add("questions", _("Record the questions and answers, or what was seen."))
    if data.questions and not any(p.role is PersonRole.QUESTIONED for p in data.persons):
        errors.add("persons", _("Enter who was questioned."))
    errors.raise_if_any()
    record = InvestigationRecord(
        investigation_id=task.id, place=data.place.strip(), started_at=data.started_at,
        ended_at=data.ended_at, recorder_id=data.recorder_id,
        observations=(data.observations or "").strip() or None)
    record.persons = [RecordPerson(position=i, role=p.role, name=p.name.strip(),
                                   document_number=(p.document_number or "").strip() or None,
                                   relation=(p.relation or "").strip() or None, signed=p.signed,
                                   fingerprinted=p.fingerprinted)
                      for i, p in enumerate(data.persons)]
    record.questions = [RecordQuestion(position=i, question=q, answer=a)
                        for i, (q, a) in enumerate(data.questions)]
    db.session.add(record)
    db.session.flush()
    audit.record(db.session, actor, "investigation.record", task, after={
        "record": record.id, "place": record.place,
        "persons": [p.name + (f"（{marks}）" if (marks := "、".join(
            m for m, done in (("签名", p.signed), ("捺印", p.fingerprinted)) if done)) else "")
                    for p in record.persons],
        "questions": len(record.questions)})
    db.session.commit()
    return record


def add_attachment(task: Investigation, title: str, filename: str, stream: BinaryIO, *,
                   actor: Any) -> InvestigationAttachment:
    """Attach a photo or scan (PDF, JPEG, PNG) to a task."""
    _ensure(actor, task)
    errors = ErrorCollector()
    if not title.strip():
        errors.add("title", _("This field is required."))
    errors.raise_if_any()
    stored = store_upload(stream, Path(current_app.config["UPLOAD_FOLDER"]),
                          max_bytes=int(current_app.config["UPLOAD_MAX_BYTES"]))
    attachment = InvestigationAttachment(
        investigation_id=task.id, title=title.strip(), original_filename=clean_filename(filename),
        stored_path=stored.relative_path, content_type=stored.content_type, size=stored.size,
        sha256=stored.sha256, uploaded_by_id=actor.id)
    db.session.add(attachment)
    db.session.flush()
    audit.record(db.session, actor, "investigation.attachment", task,
                 after={"material": attachment.title, "sha256": attachment.sha256,
                        "size": attachment.size})
    db.session.commit()
    return attachment


# --- hooks on the procedure -----------------------------------------------------------------

@register_step_check
def _no_review_while_verifying(step: StepContext, errors: ErrorCollector) -> None:
    """The clock stays paused while a verification task is open (公证法 art. 30)."""
    if step.action is Action.RESUME_REVIEW and step.from_status is CaseStatus.VERIFYING \
            and _open_verifications(step.case.id):
        errors.add("", _("An investigation on this case is still open: record its outcome "
                         "or cancel it first."))


@register_step_effect
def _cancel_open_tasks(step: StepContext) -> None:
    """A refused, terminated or withdrawn case needs no more field work."""
    if step.action not in {Action.REFUSE, Action.TERMINATE, Action.WITHDRAW}:
        return
    for task in db.session.scalars(sa.select(Investigation).where(
            Investigation.case_id == step.case.id, Investigation.status == TaskStatus.OPEN)):
        task.status, task.closed_at = TaskStatus.CANCELLED, step.at
        task.closed_by_id = step.actor.id
        task.outcome = _("Cancelled: the case was closed.")
        audit.record(db.session, step.actor, "investigation.close", task,
                     before={"status": TaskStatus.OPEN.value},
                     after={"status": TaskStatus.CANCELLED.value})
    db.session.flush()


def _guard_investigation(actor: Any, investigation_id: int) -> None:
    if not can_work_on(actor, get_investigation(investigation_id)):
        raise NotPermitted(_("Only the notary handling this case, their assistant, the staff "
                             "assigned to the task or the director can do this."))


register_object_guard("investigation_id", _guard_investigation)
