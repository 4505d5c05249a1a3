"""Complaint services: register a complaint the day it comes in, answer it by its deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from notary.cases.models import Case
from notary.complaints.models import Complaint, ComplaintChannel, ComplaintOutcome
from notary.core import audit
from notary.core.errors import DomainError, ErrorCollector, NotFound
from notary.core.models import office_today
from notary.core.permissions import Permission, ensure_permitted
from notary.extensions import db


@dataclass(frozen=True)
class ComplaintData:
    received_on: date | None
    channel: ComplaintChannel
    complainant_name: str
    complainant_phone: str | None
    complainant_address: str | None
    subject: str
    staff_involved: str | None
    case_number: str | None  # the acceptance number of the case complained about, if any
    forwarded_by: str | None
    forwarded_reference: str | None


@dataclass(frozen=True)
class AnswerData:
    answer: str
    answered_on: date | None
    outcome: ComplaintOutcome | None


def answer_due(received_on: date) -> date:
    """The office's deadline to answer (COMPLAINT_ANSWER_DAYS, an office setting [U])."""
    return received_on + timedelta(days=int(current_app.config["COMPLAINT_ANSWER_DAYS"]))


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def register_complaint(data: ComplaintData, *, actor: Any) -> Complaint:
    """Register a complaint with who made it, what about and the answer's deadline."""
    ensure_permitted(actor, Permission.COMPLAINT_REGISTER)
    errors = ErrorCollector()
    if data.received_on is None:
        errors.add("received_on", _("This field is required."))
    elif data.received_on > office_today():
        errors.add("received_on", _("The date cannot be in the future."))
    if not data.complainant_name.strip():
        errors.add("complainant_name", _("This field is required."))
    if not data.subject.strip():
        errors.add("subject", _("Say what the complaint is about."))
    if data.channel is ComplaintChannel.FORWARDED and not _clean(data.forwarded_by):
        errors.add("forwarded_by", _("Name the authority that forwarded it."))
    case_id = None
    if number := _clean(data.case_number):
        case_id = db.session.scalar(sa.select(Case.id).where(Case.acceptance_number == number))
        if case_id is None:
            errors.add("case_number", _("No case has this acceptance number."))
    errors.raise_if_any()
    assert data.received_on is not None
    complaint = Complaint(
        received_on=data.received_on, channel=data.channel,
        complainant_name=data.complainant_name.strip(),
        complainant_phone=_clean(data.complainant_phone),
        complainant_address=_clean(data.complainant_address), subject=data.subject.strip(),
        staff_involved=_clean(data.staff_involved), case_id=case_id,
        forwarded_by=_clean(data.forwarded_by),
        forwarded_reference=_clean(data.forwarded_reference),
        answer_due_on=answer_due(data.received_on), registered_by_id=actor.id)
    db.session.add(complaint)
    audit.record(db.session, actor, "complaint.register", complaint,
                 after={"received_on": complaint.received_on, "channel": data.channel.value,
                        "case_id": case_id, "answer_due_on": complaint.answer_due_on})
    db.session.commit()
    return complaint


def answer_complaint(complaint: Complaint, data: AnswerData, *, actor: Any) -> Complaint:
    """Record the office's answer, its date and the outcome (an answer is never rewritten)."""
    ensure_permitted(actor, Permission.COMPLAINT_ANSWER)
    if complaint.answered_on is not None:
        raise DomainError(_("This complaint is already answered."))
    errors = ErrorCollector()
    if not data.answer.strip():
        errors.add("answer", _("This field is required."))
    if data.answered_on is None:
        errors.add("answered_on", _("This field is required."))
    elif not complaint.received_on <= data.answered_on <= office_today():
        errors.add("answered_on", _("The date must lie between receipt and today."))
    if data.outcome is None:
        errors.add("outcome", _("This field is required."))
    errors.raise_if_any()
    complaint.answer, complaint.answered_on = data.answer.strip(), data.answered_on
    complaint.outcome, complaint.answered_by_id = data.outcome, actor.id
    audit.record(db.session, actor, "complaint.answer", complaint,
                 after={"answered_on": data.answered_on,
                        "outcome": data.outcome.value if data.outcome else None,
                        "late": data.answered_on is not None
                        and data.answered_on > complaint.answer_due_on})
    db.session.commit()
    return complaint


def get_complaint(complaint_id: int) -> Complaint:
    """Load a complaint or raise NotFound."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound(_("No such complaint."))
    return complaint


def register_statement(status: str | None) -> sa.Select[Any]:
    """The register, newest first: all, the open ones (oldest deadline first) or answered."""
    stmt = sa.select(Complaint)
    if status == "open":
        return stmt.where(Complaint.answered_on.is_(None)).order_by(Complaint.answer_due_on,
                                                                     Complaint.id)
    if status == "answered":
        stmt = stmt.where(Complaint.answered_on.is_not(None))
    return stmt.order_by(Complaint.received_on.desc(), Complaint.id.desc())
