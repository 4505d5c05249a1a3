"""The review's procedure (复查) around the decision in followup.py: the reviewer (a notary
other than the one who issued), the pauses, the reviewer's conclusion for the head to approve,
and the carrying out (recall, correction, the public announcement of a revocation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from notary.auth.models import User
from notary.certificates import review_rules
from notary.certificates.models import (
    Certificate,
    CertificateReview,
    ReviewOutcome,
    ReviewPause,
    ReviewPauseKind,
)
from notary.core import audit
from notary.core.errors import DomainError, ErrorCollector, NotPermitted, ValidationFailed
from notary.core.models import local_date, office_today, utcnow
from notary.core.permissions import Permission, Role, ensure_permitted
from notary.extensions import db


def issuing_notary_id(cert: Certificate) -> int | None:
    """The notary who issued the certificate: its case's handling notary (承办公证员)."""
    return cert.case.handling_notary_id


def reviewer_problem(cert: Certificate, reviewer_id: int) -> str | None:
    """Why this user cannot review the certificate, or None."""
    user = db.session.get(User, reviewer_id)
    if user is None or user.role not in {Role.NOTARY, Role.DIRECTOR} or not user.is_enabled:
        return _("Choose an active notary.")
    if reviewer_id == issuing_notary_id(cert):
        # 指派原承办公证员之外的公证员进行复查 (公证程序规则 2020 art. 62 [R]).
        return _("The notary who issued the certificate cannot review it.")
    if user.is_suspended_on(office_today()):
        return _("This notary's practice is suspended: choose another.")
    return None


def pauses_of(review_id: int) -> list[ReviewPause]:
    """The review's pauses, oldest first."""
    return list(db.session.scalars(sa.select(ReviewPause).where(
        ReviewPause.review_id == review_id).order_by(ReviewPause.id)))


def _spans(pauses: list[ReviewPause]) -> list[tuple[str, date, date | None]]:
    return [(p.kind.value, p.started_on, p.ended_on) for p in pauses]


def decision_due_for(applied_on: date, pauses: list[ReviewPause]) -> date:
    """The decision's deadline after the time not counted (at most six months of it)."""
    cfg = current_app.config
    skipped = review_rules.not_counted_days(_spans(pauses), applied_on=applied_on,
                                            today=office_today(),
                                            cap_months=int(cfg["REVIEW_PAUSE_MONTHS"]))
    return review_rules.decision_due(applied_on, skipped, int(cfg["REVIEW_DECISION_DAYS"]))


def assign_reviewer(review: CertificateReview, reviewer_id: int, *,
                    actor: Any) -> CertificateReview:
    """The head assigns the review to a notary other than the issuing one."""
    ensure_permitted(actor, Permission.CERTIFICATE_REVIEW)
    if review.outcome is not None:
        raise DomainError(_("This review is already decided."))
    if problem := reviewer_problem(review.certificate, reviewer_id):
        raise ValidationFailed({"reviewer_id": [problem]})
    before = {"reviewer_id": review.reviewer_id}
    review.reviewer_id = reviewer_id
    review.proposed_outcome = review.proposed_at = None  # a new reviewer concludes anew
    audit.record(db.session, actor, "certificate.review_assign", review, before=before,
                 after={"reviewer_id": reviewer_id})
    db.session.commit()
    return review


def _ensure_reviewer(review: CertificateReview, actor: Any) -> None:
    ensure_permitted(actor, Permission.REVIEW_CONDUCT)
    if actor.id != review.reviewer_id:
        raise NotPermitted(_("Only the notary assigned to this review can do this."))
    if review.outcome is not None:
        raise DomainError(_("This review is already decided."))


def pause_review(review: CertificateReview, kind: ReviewPauseKind, started_on: date | None,
                 reason: str, *, actor: Any) -> ReviewPause:
    """Stop the review's clock while materials are supplemented or facts verified."""
    _ensure_reviewer(review, actor)
    errors = ErrorCollector()
    if review.paused_since is not None:
        errors.add("", _("The review is already paused."))
    if started_on is None:
        errors.add("started_on", _("This field is required."))
    elif not review.applied_on <= started_on <= office_today():
        errors.add("started_on", _("The date must lie between the application and today."))
    if not reason.strip():
        errors.add("reason", _("Give the reason; it is recorded in the file."))
    pauses = pauses_of(review.id)
    if kind.value in review_rules.CAPPED_KINDS and not review_rules.capped_days_left(
            _spans(pauses), applied_on=review.applied_on, today=office_today(),
            cap_months=int(current_app.config["REVIEW_PAUSE_MONTHS"])):
        errors.add("kind", _("Six months have been spent on materials and verification: "
                             "the review must now be decided."))
    errors.raise_if_any()
    assert started_on is not None
    pause = ReviewPause(review_id=review.id, kind=kind, started_on=started_on,
                        reason=reason.strip())
    db.session.add(pause)
    review.paused_since = started_on
    audit.record(db.session, actor, "certificate.review_pause", review,
                 after={"pause": kind.value, "started_on": started_on}, reason=reason.strip())
    db.session.commit()
    return pause


def resume_review(review: CertificateReview, ended_on: date | None, *,
                  actor: Any) -> CertificateReview:
    """Restart the clock; the decision's deadline moves by the time not counted."""
    _ensure_reviewer(review, actor)
    pauses = pauses_of(review.id)
    open_pause = next((p for p in pauses if p.ended_on is None), None)
    if open_pause is None:
        raise DomainError(_("The review is not paused."))
    if ended_on is None or not open_pause.started_on <= ended_on <= office_today():
        raise ValidationFailed({"ended_on": [_("The date must lie between the pause's start "
                                               "and today.")]})
    open_pause.ended_on, review.paused_since = ended_on, None
    before = {"decision_due_on": review.decision_due_on}
    review.decision_due_on = decision_due_for(review.applied_on, pauses)
    audit.record(db.session, actor, "certificate.review_resume", review, before=before,
                 after={"decision_due_on": review.decision_due_on, "ended_on": ended_on})
    db.session.commit()
    return review


def propose_conclusion(review: CertificateReview, outcome: ReviewOutcome, decision: str,
                       corrected_body: str, *, actor: Any) -> CertificateReview:
    """The reviewer's conclusion (复查意见), for the head to approve."""
    _ensure_reviewer(review, actor)
    errors = ErrorCollector()
    if review.paused_since is not None:
        errors.add("", _("Resume the review before concluding it."))
    if not decision.strip():
        errors.add("decision", _("Give the reasons for the decision."))
    if outcome in {ReviewOutcome.REISSUE, ReviewOutcome.SUPPLEMENT} \
            and not corrected_body.strip():
        errors.add("corrected_body", _("Write the corrected wording."))
    errors.raise_if_any()
    review.proposed_outcome, review.proposed_decision = outcome, decision.strip()
    review.proposed_body = corrected_body.strip() or None
    review.proposed_at = utcnow()
    audit.record(db.session, actor, "certificate.review_propose", review,
                 after={"proposed_outcome": outcome.value}, reason=decision.strip())
    db.session.commit()
    return review


def ensure_ready_for_decision(review: CertificateReview) -> None:
    """The head decides only on the conclusion of a reviewer who did not issue it."""
    if review.reviewer_id is None or review.proposed_at is None:
        raise DomainError(_("The assigned reviewer has not concluded yet."))
    if review.reviewer_id == issuing_notary_id(review.certificate):
        raise DomainError(_("The notary who issued the certificate cannot review it."))
    if review.paused_since is not None:
        raise DomainError(_("The review is paused."))


def set_execution_due(review: CertificateReview, outcome: ReviewOutcome, today: date) -> None:
    """An upheld certificate needs nothing more; the rest is carried out within 10 days."""
    if outcome is ReviewOutcome.UPHOLD:
        review.carried_out_on = today
        return
    review.execution_due_on = review_rules.execution_due(
        today, int(current_app.config["REVIEW_EXECUTION_DAYS"]))


@dataclass(frozen=True)
class CarryOutData:
    carried_out_on: date | None
    announced_on: date | None = None
    channel: str | None = None
    reference: str | None = None


def carry_out(review: CertificateReview, data: CarryOutData, *,
              actor: Any) -> CertificateReview:
    """Record that the decision was carried out; a revocation records its public
    announcement (公告, 公证法 art. 39): when, where and its reference."""
    ensure_permitted(actor, Permission.CERTIFICATE_REVIEW)
    if review.outcome is None or review.carried_out_on is not None:
        raise DomainError(_("Nothing is left to carry out for this review."))
    errors = ErrorCollector()
    decided = local_date(review.decided_at) if review.decided_at else review.applied_on
    if data.carried_out_on is None:
        errors.add("carried_out_on", _("This field is required."))
    elif not decided <= data.carried_out_on <= office_today():
        errors.add("carried_out_on", _("The date must lie between the decision and today."))
    if review.outcome is ReviewOutcome.REVOKE:
        if data.announced_on is None:
            errors.add("announced_on", _("A revoked certificate is publicly announced "
                                         "(公证法 art. 39): enter the date."))
        elif not decided <= data.announced_on <= office_today():
            errors.add("announced_on", _("The date must lie between the decision and today."))
        if not (data.channel or "").strip():
            errors.add("channel", _("This field is required."))
    errors.raise_if_any()
    review.carried_out_on = data.carried_out_on
    if review.outcome is ReviewOutcome.REVOKE:
        review.announced_on = data.announced_on
        review.announcement_channel = (data.channel or "").strip()[:64]
        review.announcement_reference = (data.reference or "").strip()[:200] or None
    audit.record(db.session, actor, "certificate.review_carried_out", review,
                 after={"carried_out_on": data.carried_out_on,
                        "announced_on": review.announced_on,
                        "announcement_channel": review.announcement_channel,
                        "late": bool(review.execution_due_on and data.carried_out_on
                                     and data.carried_out_on > review.execution_due_on)})
    db.session.commit()
    return review


def reviews_due_statement(today: date, user_id: int | None = None) -> sa.Select[Any]:
    """Reviews near or past a deadline: undecided and running (the decision's 30 days), or
    decided and not yet carried out (the 10 days); the soonest first."""
    horizon = today + timedelta(days=int(current_app.config["REVIEW_DUE_SOON_DAYS"]))
    deciding = sa.and_(CertificateReview.outcome.is_(None),
                       CertificateReview.paused_since.is_(None),
                       CertificateReview.decision_due_on <= horizon)
    executing = sa.and_(CertificateReview.outcome.is_not(None),
                        CertificateReview.carried_out_on.is_(None),
                        CertificateReview.execution_due_on <= horizon)
    due = sa.case((CertificateReview.outcome.is_(None), CertificateReview.decision_due_on),
                  else_=CertificateReview.execution_due_on)
    stmt = sa.select(CertificateReview).where(sa.or_(deciding, executing))
    if user_id is not None:
        stmt = stmt.where(CertificateReview.reviewer_id == user_id)
    return stmt.order_by(due, CertificateReview.id)


def reviews_due(today: date, user_id: int | None = None, limit: int = 200
                ) -> list[CertificateReview]:
    """The rows of the reviews queue."""
    return list(db.session.scalars(reviews_due_statement(today, user_id).limit(limit)))


def revocation_of(cert: Certificate) -> CertificateReview | None:
    """The review that revoked the certificate, if any (for the public page)."""
    return db.session.scalar(sa.select(CertificateReview).where(
        CertificateReview.certificate_id == cert.id,
        CertificateReview.outcome == ReviewOutcome.REVOKE))
