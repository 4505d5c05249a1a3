"""Front-desk services: log a consultation, start an application from it, public lookup."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from notary.auth.models import User
from notary.cases import services as case_services
from notary.cases.models import Case, MatterType, ParticipantRole
from notary.cases.rules import CaseStatus
from notary.consultations.models import CaseLookup, Channel, Consultation, Outcome
from notary.core import audit
from notary.core.errors import DomainError, ErrorCollector, NotFound
from notary.core.models import utcnow
from notary.core.permissions import Permission, ensure_permitted
from notary.deadlines.models import CaseClock
from notary.extensions import db

PHONE_RE = re.compile(r"^[0-9+\- ]{3,32}$")


@dataclass(frozen=True)
class ConsultationData:
    channel: Channel
    persons: int
    topic: str
    received_at: datetime | None = None  # None: now
    matter_type_id: int | None = None
    summary: str | None = None
    outcome: Outcome = Outcome.ANSWERED
    name: str | None = None
    phone: str | None = None
    taken_by_id: int | None = None  # None: the actor (首问负责: who took the call)


def log_consultation(data: ConsultationData, *, actor: Any) -> Consultation:
    """Record one consultation or visit (咨询 / 来访) in the front-desk log."""
    ensure_permitted(actor, Permission.CONSULTATION_LOG)
    errors = ErrorCollector()
    now = utcnow()
    if not 1 <= data.persons <= 500:
        errors.add("persons", _("Enter the number of people, from 1 to 500."))
    if not data.topic.strip():
        errors.add("topic", _("This field is required."))
    if data.received_at is not None and data.received_at > now + timedelta(minutes=5):
        errors.add("received_at", _("The time cannot be in the future."))
    if data.phone and not PHONE_RE.match(data.phone):
        errors.add("phone", _("Enter a phone number of digits (with + or - if needed)."))
    if data.matter_type_id is not None and db.session.get(MatterType,
                                                          data.matter_type_id) is None:
        errors.add("matter_type_id", _("Choose a matter from the catalogue."))
    if data.taken_by_id is not None and db.session.get(User, data.taken_by_id) is None:
        errors.add("taken_by_id", _("Choose a member of staff."))
    if data.outcome is Outcome.APPLICATION:
        errors.add("outcome", _("Use “Start an application” in the log to open the intake "
                                "form: the case is linked when it is registered."))
    errors.raise_if_any()
    consultation = Consultation(
        received_at=data.received_at or now, channel=data.channel, persons=data.persons,
        topic=data.topic.strip(), matter_type_id=data.matter_type_id,
        summary=(data.summary or "").strip() or None, outcome=data.outcome,
        name=(data.name or "").strip() or None, phone=(data.phone or "").strip() or None,
        taken_by_id=data.taken_by_id or actor.id)
    db.session.add(consultation)
    audit.record(db.session, actor, "consultation.log", consultation,
                 after={"channel": data.channel.value, "persons": data.persons,
                        "topic": consultation.topic, "outcome": data.outcome.value})
    db.session.commit()
    return consultation


def get_consultation(consultation_id: int) -> Consultation:
    """Load a consultation or raise NotFound."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        raise NotFound(_("No such consultation."))
    return consultation


def start_application(consultation: Consultation, data: case_services.ApplicationData, *,
                      actor: Any) -> Case:
    """Register the application the consultation led to, and link the two (首问负责)."""
    ensure_permitted(actor, Permission.CONSULTATION_LOG)
    if consultation.case_id is not None:
        raise DomainError(_("An application was already started from this "
                                          "consultation."))
    case = case_services.register_application(data, actor=actor)
    before = {"outcome": consultation.outcome.value, "case_id": None}
    consultation.case_id = case.id
    consultation.outcome = Outcome.APPLICATION
    audit.record(db.session, actor, "consultation.link", consultation, before=before,
                 after={"outcome": Outcome.APPLICATION.value, "case_id": case.id,
                        "first_contact_id": consultation.taken_by_id})
    db.session.commit()
    return case


# --- the public lookup ------------------------------------------------------------------------


@dataclass(frozen=True)
class LookupAnswer:
    refused: bool = False  # over the rate limit
    found: bool = False
    number: str = ""
    status: CaseStatus | None = None
    expected: date | None = None
    paused: bool = False


def normalise_number(text: str) -> str:
    """An acceptance number as typed: half-width brackets and stray spaces forgiven."""
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def lookup_case(number: str, phone_tail: str, client_ip: str) -> LookupAnswer:
    """Find a case by acceptance number and the applicant's phone tail (logged, rate-limited).

    A wrong number and a wrong phone give the same answer, so the lookup cannot be used to
    find out which acceptance numbers exist.
    """
    cfg = current_app.config
    now = utcnow()
    number = normalise_number(number)
    window = now - timedelta(minutes=int(cfg["LOOKUP_RATE_WINDOW_MINUTES"]))
    recent = db.session.scalar(sa.select(sa.func.count(CaseLookup.id)).where(
        CaseLookup.client_ip == client_ip, CaseLookup.looked_up_at >= window)) or 0
    log = CaseLookup(looked_up_at=now, client_ip=client_ip[:64], acceptance_number=number[:64])
    db.session.add(log)
    if recent >= int(cfg["LOOKUP_RATE_LIMIT"]):
        log.refused = True
        db.session.commit()
        return LookupAnswer(refused=True, number=number)
    case = db.session.scalars(sa.select(Case).where(Case.acceptance_number == number)).first()
    matched = case is not None and any(
        (p.party.phone or "").replace(" ", "").endswith(phone_tail)
        for p in case.active_participants if p.role is ParticipantRole.APPLICANT)
    log.found = matched
    db.session.commit()
    if not matched or case is None:
        return LookupAnswer(number=number)
    clock = db.session.get(CaseClock, case.id)
    expected = None if clock is None or clock.stopped_on else clock.effective_due
    return LookupAnswer(found=True, number=number, status=case.status, expected=expected,
                        paused=clock is not None and clock.paused_since is not None
                        and not clock.stopped_on)


