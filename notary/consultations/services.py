"""Front-desk services: log a consultation, start an application from it, public lookup."""

from __future__ import annotations

import re
import unicodedata
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


def _check(data: ConsultationData, *, allow_application: bool = False) -> ErrorCollector:
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
    if data.outcome is Outcome.APPLICATION and not allow_application:
        errors.add("outcome", _("Use “Start an application” in the log to open the intake "
                                "form: the case is linked when it is registered."))
    return errors


def log_consultation(data: ConsultationData, *, actor: Any) -> Consultation:
    """Record one consultation or visit (咨询 / 来访) in the front-desk log."""
    ensure_permitted(actor, Permission.CONSULTATION_LOG)
    now = utcnow()
    errors = _check(data)
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


CORRECTED_FIELDS = ("received_at", "channel", "persons", "topic", "matter_type_id", "summary",
                    "outcome", "name", "phone", "taken_by_id")


def _require_reason(errors: ErrorCollector, reason: str) -> None:
    if not reason.strip():
        errors.add("reason", _("Give the reason; it is recorded in the audit trail."))


def correct_consultation(consultation: Consultation, data: ConsultationData, reason: str, *,
                         actor: Any) -> Consultation:
    """Correct a mistaken entry of the front-desk log; the old values stay in the audit trail."""
    ensure_permitted(actor, Permission.CONSULTATION_LOG)
    if consultation.is_void:
        raise DomainError(_("This entry is void: it can no longer be corrected."))
    linked = consultation.case_id is not None
    errors = _check(data, allow_application=linked)
    if linked and data.outcome is not Outcome.APPLICATION:
        errors.add("outcome", _("An application was started from this entry: its outcome "
                                "stays."))
    _require_reason(errors, reason)
    errors.raise_if_any()
    before = audit.snapshot(consultation, CORRECTED_FIELDS)
    consultation.received_at = data.received_at or consultation.received_at
    consultation.channel, consultation.persons = data.channel, data.persons
    consultation.topic = data.topic.strip()
    consultation.matter_type_id = data.matter_type_id
    consultation.summary = (data.summary or "").strip() or None
    consultation.outcome = data.outcome
    consultation.name = (data.name or "").strip() or None
    consultation.phone = (data.phone or "").strip() or None
    consultation.taken_by_id = data.taken_by_id or consultation.taken_by_id
    before, after = audit.changed_only(before, audit.snapshot(consultation, CORRECTED_FIELDS))
    if not after:
        db.session.rollback()
        raise DomainError(_("Nothing was changed."))
    consultation.corrected_at = utcnow()
    audit.record(db.session, actor, "consultation.correct", consultation, before=before,
                 after=after, reason=reason.strip())
    db.session.commit()
    return consultation


def void_consultation(consultation: Consultation, reason: str, *, actor: Any) -> Consultation:
    """Void a mistaken entry: it stays in the log, marked, and leaves every count."""
    ensure_permitted(actor, Permission.CONSULTATION_LOG)
    if consultation.is_void:
        raise DomainError(_("This entry is already void."))
    if consultation.case_id is not None:
        raise DomainError(_("An application was started from this entry: it is the case's "
                            "first contact and cannot be voided."))
    errors = ErrorCollector()
    _require_reason(errors, reason)
    errors.raise_if_any()
    consultation.voided_at, consultation.voided_by_id = utcnow(), actor.id
    consultation.void_reason = reason.strip()[:500]
    audit.record(db.session, actor, "consultation.void", consultation,
                 before={"voided": False}, after={"voided": True}, reason=reason.strip())
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
    delivery_method: str | None = None  # pickup / mail, once delivered


# Past these a due date means nothing to the party (the certificate is out, or the matter ended).
FINISHED_STATUSES = frozenset({CaseStatus.ISSUED, CaseStatus.DELIVERED, CaseStatus.ARCHIVED,
                               CaseStatus.REFUSED, CaseStatus.TERMINATED, CaseStatus.WITHDRAWN,
                               CaseStatus.NOT_ACCEPTED})

# Brackets as people type them around the year: （2026）〔2026〕[2026] (2026) 【2026】.
_BRACKETS = str.maketrans("（）〔〕【】［］[]", "()()()()()")


def normalise_number(text: str) -> str:
    """An acceptance number as typed: full-width digits and letters made half-width, every
    kind of bracket made round, spaces dropped."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).translate(_BRACKETS)


def parse_number(text: str) -> tuple[int | None, int] | None:
    """(year or None, sequence) from an acceptance number however it is typed:
    `（2026）耒证受字第00184号`, `2026耒证受字第184号`, `〔2026〕184`, `耒证受字184号`, `184`."""
    runs = re.findall(r"\d+", normalise_number(text))
    if not runs or len(runs) > 2:
        return None
    seq = int(runs[-1])
    if len(runs) == 2:
        year = int(runs[0])
        return (year, seq) if 1980 <= year <= 2200 else None
    return None, seq


def _lookup_candidates(text: str) -> list[Case]:
    """Cases the typed number may mean: the same year and sequence (any year when none was
    typed), or the number written exactly as stored (an imported ledger's own numbering)."""
    conditions = [Case.acceptance_number == text.strip()]
    if (parsed := parse_number(text)) is not None:
        year, seq = parsed
        same = Case.acceptance_seq == seq
        conditions.append(sa.and_(same, Case.acceptance_year == year) if year else same)
    return list(db.session.scalars(sa.select(Case).where(sa.or_(*conditions))
                                   .order_by(Case.id.desc()).limit(20)))


def lookup_case(number: str, phone_tail: str, client_ip: str) -> LookupAnswer:
    """Find a case by acceptance number and the applicant's phone tail (logged, rate-limited).

    A wrong number and a wrong phone give the same answer, so the lookup cannot be used to
    find out which acceptance numbers exist.
    """
    cfg = current_app.config
    now = utcnow()
    typed = number
    number = normalise_number(number)
    phone_tail = unicodedata.normalize("NFKC", phone_tail).strip()
    window = now - timedelta(minutes=int(cfg["LOOKUP_RATE_WINDOW_MINUTES"]))
    recent = db.session.scalar(sa.select(sa.func.count(CaseLookup.id)).where(
        CaseLookup.client_ip == client_ip, CaseLookup.looked_up_at >= window)) or 0
    log = CaseLookup(looked_up_at=now, client_ip=client_ip[:64], acceptance_number=number[:64])
    db.session.add(log)
    if recent >= int(cfg["LOOKUP_RATE_LIMIT"]):
        log.refused = True
        db.session.commit()
        return LookupAnswer(refused=True, number=number)
    # Without the year several cases share a sequence: the applicant's phone tells them apart.
    case = next((c for c in _lookup_candidates(typed) if any(
        (p.party.phone or "").replace(" ", "").endswith(phone_tail)
        for p in c.active_participants if p.role is ParticipantRole.APPLICANT)), None)
    log.found = case is not None
    db.session.commit()
    if case is None:
        return LookupAnswer(number=number)
    clock = db.session.get(CaseClock, case.id)
    finished = case.status in FINISHED_STATUSES
    expected = None if clock is None or clock.stopped_on or finished else clock.effective_due
    return LookupAnswer(found=True, number=case.display_number, status=case.status,
                        expected=expected,
                        paused=clock is not None and clock.paused_since is not None
                        and not clock.stopped_on,
                        delivery_method=case.delivery_method)
