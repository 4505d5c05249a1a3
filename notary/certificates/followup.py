"""After issue: review (复查) and its outcomes, delivery (送达), foreign use and the Taiwan
duplicate (副本), archiving (归档)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from notary.cases.models import Case, Category
from notary.cases.rules import Action
from notary.cases.services import ensure_may_act_on_case
from notary.cases.workflow import StepContext, register_step_effect
from notary.certificates import rules
from notary.certificates.models import (
    ArchiveFile,
    Certificate,
    CertificateReview,
    CertificateStatus,
    Delivery,
    ForeignUse,
    Retention,
    ReviewOutcome,
)
from notary.certificates.pdf import CatalogueData
from notary.certificates.services import (
    _assign_number,
    _ensure_drafter,
    _mark_issued,
    _missing_message,
    _unused_code,
    get_certificate,
    office_today,
    unprintable_chars,
)
from notary.core import audit
from notary.core.errors import DomainError, ErrorCollector, NotFound
from notary.core.models import utcnow
from notary.core.permissions import Permission, ensure_permitted, register_object_guard
from notary.core.uploads import clean_filename, resolve_stored, store_upload
from notary.extensions import db

# --- review (复查), 公证程序规则 2020 arts. 61-63 ---------------------------------------------


@dataclass(frozen=True)
class ReviewData:
    applicant: str
    is_party: bool
    applied_on: date | None
    known_on: date | None  # the party: received the certificate; others: knew of it
    request: str
    reviewer_id: int | None = None  # a notary other than the issuing one (art. 62)


def record_review(cert: Certificate, data: ReviewData, *, actor: Any) -> CertificateReview:
    """Record a written review application after checking its time limits (art. 61)."""
    ensure_permitted(actor, Permission.CERTIFICATE_REVIEW)
    if cert.issued_on is None or cert.status is CertificateStatus.REVOKED:
        raise DomainError(_("Only a valid issued certificate can be reviewed."))
    errors = ErrorCollector()
    if not data.applicant.strip():
        errors.add("applicant", _("This field is required."))
    if not data.request.strip():
        errors.add("request", _("State the alleged error, the reasons and what is asked "
                                "(revoke or correct)."))
    if data.applied_on is None:
        errors.add("applied_on", _("This field is required."))
    elif data.applied_on > office_today() or data.applied_on < cert.issued_on:
        errors.add("applied_on", _("The date must lie between the issue date and today."))
    if data.known_on is None:
        errors.add("known_on", _("This field is required."))
    if data.applied_on and data.known_on:
        late = rules.review_deadline_problems(applied_on=data.applied_on,
                                              issued_on=cert.issued_on, known_on=data.known_on)
        if "one_year" in late:
            errors.add("known_on", _("More than one year has passed since the applicant "
                                     "received or learned of the certificate (公证程序规则 "
                                     "art. 61): the application cannot be accepted."))
        if "twenty_years" in late:
            errors.add("applied_on", _("More than twenty years have passed since the "
                                       "certificate was issued (art. 61)."))
    from notary.certificates import reviewing

    if data.reviewer_id is not None and (problem := reviewing.reviewer_problem(
            cert, data.reviewer_id)):
        errors.add("reviewer_id", problem)
    errors.raise_if_any()
    assert data.applied_on is not None
    review = CertificateReview(certificate_id=cert.id, applicant=data.applicant.strip(),
                               is_party=data.is_party, applied_on=data.applied_on,
                               known_on=data.known_on, request=data.request.strip(),
                               reviewer_id=data.reviewer_id,
                               decision_due_on=reviewing.decision_due_for(data.applied_on, []))
    db.session.add(review)
    audit.record(db.session, actor, "certificate.review", review,
                 after=audit.snapshot(review, ("certificate_id", "applicant", "applied_on",
                                               "request", "reviewer_id", "decision_due_on")))
    db.session.commit()
    return review


def get_review(review_id: int) -> CertificateReview:
    """Load a review or raise NotFound."""
    review = db.session.get(CertificateReview, review_id)
    if review is None:
        raise NotFound(_("No such review."))
    return review


def reviews_of(case_id: int) -> list[CertificateReview]:
    """The reviews of the case's certificates, oldest first."""
    return list(db.session.scalars(
        sa.select(CertificateReview).join(Certificate,
                                          Certificate.id == CertificateReview.certificate_id)
        .where(Certificate.case_id == case_id).order_by(CertificateReview.id)))


def decide_review(review: CertificateReview, outcome: ReviewOutcome, decision: str,
                  corrected_body: str, *, actor: Any) -> CertificateReview:
    """Decide a review: uphold, correct and reissue, 补正, or revoke (void from the start)."""
    ensure_permitted(actor, Permission.CERTIFICATE_REVIEW)
    if review.outcome is not None:
        raise DomainError(_("This review is already decided."))
    cert = review.certificate
    from notary.certificates import reviewing

    # The head approves the conclusion of a reviewer other than the issuing notary.
    reviewing.ensure_ready_for_decision(review)
    errors = ErrorCollector()
    if not decision.strip():
        errors.add("decision", _("Give the reasons for the decision."))
    needs_text = outcome in {ReviewOutcome.REISSUE, ReviewOutcome.SUPPLEMENT}
    if needs_text and not corrected_body.strip():
        errors.add("corrected_body", _("Write the corrected wording."))
    elif needs_text and (missing := unprintable_chars([corrected_body])):
        errors.add("corrected_body", _missing_message(missing))
    errors.raise_if_any()
    now, today = utcnow(), office_today()
    before = {"status": cert.status.value}
    if outcome is ReviewOutcome.REVOKE:
        cert.status, cert.revoked_at = CertificateStatus.REVOKED, now
        cert.revoked_reason = decision.strip()
    elif needs_text:
        new = Certificate(case_id=cert.case_id, position=cert.position,
                          matter_code=cert.matter_code, matter_text=cert.matter_text,
                          applicant_block=cert.applicant_block, body=corrected_body.strip(),
                          with_translation=False, corrects_id=cert.id, frozen_at=now,
                          verification_code=_unused_code(), status=CertificateStatus.APPROVED)
        db.session.add(new)
        if outcome is ReviewOutcome.SUPPLEMENT:
            # The 补正 certificate keeps the original number with the suffix (domain.md §1.5).
            new.series, new.year = cert.series, cert.year
            new.number = rules.correction_number(cert.number or "")
            cert.status = CertificateStatus.CORRECTED
        else:
            _assign_number(new, cert.case, today)
            cert.status = CertificateStatus.REISSUED
        _mark_issued(new, cert.case, now, today)
        db.session.flush()
        review.new_certificate_id = new.id
    if outcome in {ReviewOutcome.REVOKE, ReviewOutcome.SUPPLEMENT}:
        # Reported to the notary association the same day (公证程序规则 art. 63).
        review.report_due_on = today
    review.outcome, review.decision = outcome, decision.strip()
    review.decided_at, review.decided_by_id = now, actor.id
    reviewing.set_execution_due(review, outcome, today)
    audit.record(db.session, actor, f"certificate.review_{outcome.value}", cert,
                 before=before, after={"status": cert.status.value,
                                       "new_certificate_id": review.new_certificate_id},
                 reason=decision.strip())
    db.session.commit()
    return review


def mark_reported(review: CertificateReview, *, actor: Any) -> CertificateReview:
    """Record that the revocation or 补正 was reported to the notary association."""
    ensure_permitted(actor, Permission.CERTIFICATE_REVIEW)
    if review.report_due_on is None or review.reported_at is not None:
        raise DomainError(_("Nothing is due to be reported for this review."))
    review.reported_at = utcnow()
    audit.record(db.session, actor, "certificate.reported", review,
                 after={"reported_at": review.reported_at})
    db.session.commit()
    return review


def reports_due() -> list[CertificateReview]:
    """Revocations and corrections not yet reported to the association (due the same day)."""
    return list(db.session.scalars(sa.select(CertificateReview).where(
        CertificateReview.report_due_on.is_not(None), CertificateReview.reported_at.is_(None))
        .order_by(CertificateReview.report_due_on)))


# --- delivery (送达) --------------------------------------------------------------------------


@register_step_effect
def _after_issue_and_delivery(step: StepContext) -> None:
    """DELIVER opens the delivery record; ISSUE opens foreign-use tracking; ARCHIVE files."""
    case = step.case
    if step.action is Action.DELIVER and db.session.get(Delivery, case.id) is None:
        db.session.add(Delivery(case_id=case.id, delivered_on=office_today()))
    elif step.action is Action.ISSUE and case.category in FOREIGN_TRACKED \
            and db.session.get(ForeignUse, case.id) is None:
        db.session.add(ForeignUse(case_id=case.id, country=case.place_of_use or "",
                                  route=route_for(case.category, case.place_of_use or "")))
    elif step.action is Action.ARCHIVE and db.session.get(ArchiveFile, case.id) is None:
        codes = [m.code for m in case.matters]
        db.session.add(ArchiveFile(case_id=case.id, retention=Retention(rules.retention_for(
            codes)), is_confidential=rules.is_confidential(codes), due_on=archive_due(case),
            archived_on=office_today()))


def delivery_of(case_id: int) -> Delivery | None:
    """The case's delivery record, if delivered."""
    return db.session.get(Delivery, case_id)


def record_receipt(case: Case, tracking: str, receipt: BinaryIO | None, filename: str, *,
                   actor: Any) -> Delivery:
    """Attach the signed receipt (签收回执) and the mail tracking number to the delivery."""
    _ensure_drafter(actor, case)
    delivery = delivery_of(case.id)
    if delivery is None:
        raise DomainError(_("The certificate has not been delivered yet."))
    if receipt is None and not tracking.strip():
        raise DomainError(_("Upload the signed receipt or enter the tracking number."))
    before = audit.snapshot(delivery, ("mail_tracking", "receipt_sha256"))
    if receipt is not None:
        stored = store_upload(receipt, _receipts(), field="receipt",
                              max_bytes=int(current_app.config["UPLOAD_MAX_BYTES"]))
        delivery.receipt_path, delivery.receipt_sha256 = stored.relative_path, stored.sha256
        delivery.receipt_filename = clean_filename(filename, "receipt")
    delivery.mail_tracking = tracking.strip() or delivery.mail_tracking
    audit.record(db.session, actor, "certificate.receipt", case, before=before,
                 after=audit.snapshot(delivery, ("mail_tracking", "receipt_sha256")))
    db.session.commit()
    return delivery


def _receipts() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "receipts"


def receipt_path(delivery: Delivery) -> Path:
    """The stored receipt file."""
    if not delivery.receipt_path:
        raise NotFound(_("No receipt was uploaded."))
    return resolve_stored(_receipts(), delivery.receipt_path)


# --- foreign use (domain.md §4) ---------------------------------------------------------------

FOREIGN_TRACKED = {Category.FOREIGN_CIVIL, Category.FOREIGN_ECONOMIC, Category.TAIWAN}


def route_for(category: Category, country: str) -> str:
    """"taiwan" (副本 to the provincial association), "apostille" or "consular"."""
    if category is Category.TAIWAN:
        return "taiwan"
    return rules.legalization_route(country, office_today(),
                                    current_app.config["APOSTILLE_STATES"])


@dataclass(frozen=True)
class ForeignUseData:
    country: str
    submitted_on: date | None
    done_on: date | None
    embassy_on: date | None
    returned_on: date | None
    duplicate_sent_on: date | None
    duplicate_reference: str
    note: str


def foreign_use_of(case_id: int) -> ForeignUse | None:
    """The case's foreign-use record, if the case is for use abroad or in Taiwan."""
    return db.session.get(ForeignUse, case_id)


FOREIGN_FIELDS = ("country", "route", "submitted_on", "done_on", "embassy_on", "returned_on",
                  "duplicate_sent_on", "duplicate_reference", "note")


def save_foreign_use(case: Case, data: ForeignUseData, *, actor: Any) -> ForeignUse:
    """Record the destination and the dated steps (Apostille, legalization, 副本 sent)."""
    _ensure_drafter(actor, case)
    record = foreign_use_of(case.id)
    if record is None:
        raise DomainError(_("This case has no certificate for use abroad or in Taiwan."))
    errors = ErrorCollector()
    dates = [("submitted_on", data.submitted_on), ("done_on", data.done_on),
             ("embassy_on", data.embassy_on), ("returned_on", data.returned_on),
             ("duplicate_sent_on", data.duplicate_sent_on)]
    issued = case.issued_at.date() if case.issued_at else None
    for field, value in dates:
        if value and ((issued and value < issued) or value > office_today()):
            errors.add(field, _("The date must lie between the issue date and today."))
    if case.category is not Category.TAIWAN and not data.country.strip():
        errors.add("country", _("This field is required."))
    errors.raise_if_any()
    before = audit.snapshot(record, FOREIGN_FIELDS)
    record.country = data.country.strip()
    record.route = route_for(case.category, record.country)
    for field, value in dates:
        setattr(record, field, value)
    record.duplicate_reference = data.duplicate_reference.strip() or None
    record.note = data.note.strip() or None
    before, after = audit.changed_only(before, audit.snapshot(record, FOREIGN_FIELDS))
    audit.record(db.session, actor, "certificate.foreign_use", case, before=before, after=after)
    db.session.commit()
    return record


def duplicates_pending() -> list[ForeignUse]:
    """Taiwan-use cases whose duplicate (副本) has not been sent to the association yet."""
    return list(db.session.scalars(sa.select(ForeignUse).where(
        ForeignUse.route == "taiwan", ForeignUse.duplicate_sent_on.is_(None))))


# --- archive (归档) ---------------------------------------------------------------------------


def archive_due(case: Case) -> date | None:
    """Three months after closing (公证程序规则 arts. 58-59)."""
    from notary.core.models import local_date
    from notary.deadlines.queries import archive_deadline

    return archive_deadline(local_date(case.closed_at)) if case.closed_at else None


def archive_of(case_id: int) -> ArchiveFile | None:
    """The case's archive record."""
    return db.session.get(ArchiveFile, case_id)


def set_retention(case: Case, retention: Retention, confidential: bool, *,
                  actor: Any) -> ArchiveFile:
    """Change the retention class or confidentiality (a will's file stays confidential)."""
    _ensure_drafter(actor, case)
    record = archive_of(case.id)
    if record is None:
        raise DomainError(_("The file is not archived yet."))
    if not confidential and rules.is_confidential(m.code for m in case.matters):
        raise DomainError(_("A will's file is kept confidential (公证程序规则 art. 60)."))
    before = audit.snapshot(record, ("retention", "is_confidential"))
    record.retention, record.is_confidential = retention, confidential
    audit.record(db.session, actor, "certificate.retention", case, before=before,
                 after=audit.snapshot(record, ("retention", "is_confidential")))
    db.session.commit()
    return record


def catalogue_of(case: Case) -> CatalogueData:
    """The file catalogue (卷内目录): what the file holds, in filing order."""
    from notary.cases.catalogue import materials_of
    from notary.certificates.services import certificates_of
    from notary.core.templating import local_date

    rows: list[tuple[str, str, str]] = [("公证申请表", local_date(case.applied_at), "")]
    rows += [(m.title, local_date(m.uploaded_at), m.original_filename)
             for m in materials_of(case.id)]
    for cert in certificates_of(case.id):
        if cert.number:
            rows.append((f"公证书 {cert.number}（{cert.matter_text}）",
                         str(cert.issued_on or ""), cert.status.label))
    delivery = delivery_of(case.id)
    if delivery is not None:
        rows.append(("送达回执", str(delivery.delivered_on),
                     "已上传" if delivery.receipt_path else "未上传"))
    record = archive_of(case.id)
    return CatalogueData(
        office=current_app.config["OFFICE_NAME"], case_number=case.display_number,
        archive_number=case.archive_number or "", parties="、".join(
            p.party.name for p in case.applicants),
        matters="、".join(m.name for m in case.matters),
        retention=str(record.retention.label) if record else "",
        confidential=bool(record and record.is_confidential),
        certificate_numbers="、".join(c.number for c in certificates_of(case.id) if c.number),
        rows=tuple(rows))


def _guard_review(actor: Any, review_id: int) -> None:
    review = get_review(review_id)
    if actor is not None and actor.id == review.reviewer_id:
        return  # the reviewer is by rule not the case's notary (公证程序规则 art. 62)
    ensure_may_act_on_case(actor, get_certificate(review.certificate_id).case)


register_object_guard("review_id", _guard_review)
