"""Legal-aid services: record a case's legal aid, and the agency's later confirmation.

法律援助法 art. 53 ¶2 obliges the office to reduce or waive the fee of a legal-aid recipient:
recording legal aid files the waiver (or reduction) as a fee request with ground legal_aid,
which the director decides like any other (never the person who asked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from notary.cases.models import Case
from notary.cases.services import ensure_may_act_on_case
from notary.core import audit
from notary.core.errors import DomainError, ErrorCollector, NotFound
from notary.core.models import office_today, utcnow
from notary.core.permissions import Permission, ensure_permitted, register_object_guard
from notary.extensions import db
from notary.fees import services as fee_services
from notary.fees.models import ReductionGround, ReliefKind
from notary.fees.services import Upload
from notary.legal_aid import queries
from notary.legal_aid.models import AidRelief, AidRoute, Eligibility, LegalAidRecord

DEFAULT_AGENCY = "耒阳市法律援助中心"


@dataclass(frozen=True)
class LegalAidData:
    recipient_id: int | None
    eligibility: Eligibility
    route: AidRoute
    relief: AidRelief = AidRelief.WAIVE
    percent: Decimal | None = None
    agency_name: str = DEFAULT_AGENCY
    eligibility_detail: str | None = None
    evidence: Upload | None = None
    decision_number: str | None = None
    decision_date: date | None = None
    decision_scan: Upload | None = None
    emergency_reason: str | None = None


@dataclass(frozen=True)
class ConfirmData:
    decision_number: str | None
    decision_date: date | None
    decision_scan: Upload | None


def get_record(record_id: int) -> LegalAidRecord:
    """Load a legal-aid record or raise NotFound."""
    record = db.session.get(LegalAidRecord, record_id)
    if record is None:
        raise NotFound(_("No such legal-aid record."))
    return record


def _check_letter(number: str | None, day: date | None, scan: Upload | None,
                  errors: ErrorCollector) -> None:
    if not (number or "").strip():
        errors.add("decision_number", _("Enter the number of the agency's decision letter."))
    if day is None:
        errors.add("decision_date", _("Enter the date of the decision letter."))
    elif day > office_today():
        errors.add("decision_date", _("The date cannot be in the future."))
    if scan is None:
        errors.add("decision_scan", _("Attach the scan of the decision letter."))


def record_legal_aid(case: Case, data: LegalAidData, *, actor: Any) -> LegalAidRecord:
    """Record legal aid on a case and request the fee waiver or reduction it gives."""
    ensure_permitted(actor, Permission.LEGAL_AID_MANAGE)
    ensure_may_act_on_case(actor, case)
    if queries.record_of(case.id) is not None:
        raise DomainError(_("This case already has a legal-aid record."))
    errors = ErrorCollector()
    parties = {p.party_id for p in case.active_participants}
    if data.recipient_id not in parties:
        errors.add("recipient_id", _("Choose the recipient among the case's participants."))
    if data.eligibility is Eligibility.ECONOMIC_HARDSHIP:
        # art. 34: the province's hardship standard, shown by evidence (收入证明 etc.).
        if data.evidence is None:
            errors.add("evidence", _("Attach the evidence of economic hardship."))
        if not (data.eligibility_detail or "").strip():
            errors.add("eligibility_detail", _("Describe the hardship and the evidence."))
    if not (data.agency_name or "").strip():
        errors.add("agency_name", _("This field is required."))
    if data.route is AidRoute.DECISION:
        _check_letter(data.decision_number, data.decision_date, data.decision_scan, errors)
    elif not (data.emergency_reason or "").strip():
        errors.add("emergency_reason", _("Explain why the office acts before the agency "
                                         "decides."))
    kind = ReliefKind.WAIVE if data.relief is AidRelief.WAIVE else ReliefKind.REDUCE
    relief = fee_services.ReductionData(
        kind=kind, ground=ReductionGround.LEGAL_AID,
        percent=None if kind is ReliefKind.WAIVE else data.percent,
        reason=_("Legal aid (法律援助法 art. 53)"))
    try:
        # Validated now, written below, so every problem shows at once.
        fee_errors = ErrorCollector()
        fee_services.check_legal_aid_relief(case, relief, fee_errors)
    except DomainError as exc:
        errors.add("", exc.message)
    else:
        for name, messages in fee_errors.errors.items():
            for message in messages:
                errors.add(name, message)
    errors.raise_if_any()
    evidence = (fee_services.store_attachment(case, data.evidence, actor=actor, field="evidence")
                if data.evidence else None)
    scan = (fee_services.store_attachment(case, data.decision_scan, actor=actor,
                                          field="decision_scan")
            if data.route is AidRoute.DECISION and data.decision_scan else None)
    reduction = fee_services.build_reduction(case, relief, actor=actor, legal_aid=True)
    now = utcnow()
    record = LegalAidRecord(
        case_id=case.id, recipient_id=data.recipient_id, eligibility=data.eligibility,
        eligibility_detail=(data.eligibility_detail or "").strip() or None,
        evidence_id=evidence.id if evidence else None, route=data.route,
        agency_name=data.agency_name.strip()[:100],
        decision_number=(data.decision_number or "").strip()[:64] or None
        if data.route is AidRoute.DECISION else None,
        decision_date=data.decision_date if data.route is AidRoute.DECISION else None,
        decision_scan_id=scan.id if scan else None,
        emergency_reason=(data.emergency_reason or "").strip() or None
        if data.route is AidRoute.EMERGENCY else None,
        confirmed_at=now if data.route is AidRoute.DECISION else None,
        relief=data.relief, reduction=reduction, created_by_id=actor.id)
    db.session.add(record)
    audit.record(db.session, actor, "legal_aid.record", case, after={
        "eligibility": data.eligibility, "route": data.route, "relief": data.relief,
        "decision_number": record.decision_number})
    db.session.commit()
    return record


def confirm_emergency(record: LegalAidRecord, data: ConfirmData, *, actor: Any) -> LegalAidRecord:
    """Enter the agency's decision letter for legal aid the office gave first (先行办理)."""
    ensure_permitted(actor, Permission.LEGAL_AID_MANAGE)
    ensure_may_act_on_case(actor, record.case)
    if not record.awaiting_confirmation:
        raise DomainError(_("This legal aid needs no confirmation."))
    errors = ErrorCollector()
    _check_letter(data.decision_number, data.decision_date, data.decision_scan, errors)
    errors.raise_if_any()
    assert data.decision_scan is not None
    scan = fee_services.store_attachment(record.case, data.decision_scan, actor=actor,
                                         field="decision_scan")
    record.decision_number = (data.decision_number or "").strip()[:64]
    record.decision_date = data.decision_date
    record.decision_scan_id = scan.id
    record.confirmed_at = utcnow()
    audit.record(db.session, actor, "legal_aid.confirm", record.case, after={
        "decision_number": record.decision_number, "decision_date": record.decision_date})
    db.session.commit()
    return record


def _guard_record(actor: Any, record_id: int) -> None:
    ensure_may_act_on_case(actor, get_record(record_id).case)


# "record_id" names a legal-aid record on these pages and in the API (the investigations'
# records are named under their task).
register_object_guard("legal_aid:record_id", _guard_record)
register_object_guard("api:record_id", _guard_record)
