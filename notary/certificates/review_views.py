"""Review pages around the decision (复查): assign the reviewer, pause and resume, the
reviewer's conclusion, the carrying out with the announcement of a revocation."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import DateField, StringField, TextAreaField

from notary.certificates import bp, followup, reviewing
from notary.certificates.forms import DecisionForm
from notary.certificates.models import (
    Certificate,
    CertificateReview,
    ReviewOutcome,
    ReviewPauseKind,
)
from notary.core.audit_labels import register_audit_labels
from notary.core.forms import (
    BaseForm,
    SelectField,
    int_or_none,
    max_length,
    optional,
    required,
    run_service,
    strip,
)
from notary.core.models import office_today
from notary.core.permissions import Permission, Role, permission_required

register_audit_labels(
    actions={"certificate.review_assign": _l("Review assigned to a notary"),
             "certificate.review_pause": _l("Review paused"),
             "certificate.review_resume": _l("Review resumed"),
             "certificate.review_propose": _l("Reviewer's conclusion written"),
             "certificate.review_carried_out": _l("Review decision carried out")},
    fields={"reviewer_id": _l("Reviewing notary"), "decision_due_on": _l("Decision due"),
            "proposed_outcome": _l("Proposed outcome"),
            "carried_out_on": _l("Carried out on"), "announced_on": _l("Announced on"),
            "announcement_channel": _l("Announced in")},
    enums={"proposed_outcome": ReviewOutcome},
)


def reviewer_choices(cert: Certificate) -> list[tuple[int | None, str]]:
    """Active notaries and the director, less the one who issued the certificate."""
    from notary.cases.queries import staff_choices

    issuer = reviewing.issuing_notary_id(cert)
    return [(i, n) for i, n in staff_choices(Role.NOTARY, Role.DIRECTOR) if i != issuer]


class AssignReviewerForm(BaseForm):
    reviewer_id = SelectField(_l("Reviewing notary (not the one who issued it)"), choices=[],
                              coerce=int_or_none, validators=[required()])


class PauseForm(BaseForm):
    kind = SelectField(_l("Waiting for"), choices=[], validators=[required()])
    started_on = DateField(_l("From"), validators=[optional()])
    reason = TextAreaField(_l("Reason"), validators=[optional(), max_length(2000)],
                           filters=[strip])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = ReviewPauseKind.choices()


class ResumeForm(BaseForm):
    ended_on = DateField(_l("Resumed on"), validators=[optional()])


class CarryOutForm(BaseForm):
    carried_out_on = DateField(_l("Carried out on"), validators=[optional()])
    announced_on = DateField(_l("Revocation announced on (公告)"), validators=[optional()])
    channel = SelectField(_l("Announced in"), choices=[], validators=[optional()])
    reference = StringField(_l("Announcement reference"),
                            validators=[optional(), max_length(200)], filters=[strip])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.channel.choices = [("", "—"), *((c, c) for c in current_app.config[
            "REVOCATION_ANNOUNCEMENT_CHANNELS"])]


def _back(review: CertificateReview) -> Response:
    return redirect(url_for("cases.detail", case_id=review.certificate.case_id,
                            _anchor="certificates"))


def _page(review: CertificateReview, form: Any, title: str, **extra: Any) -> str:
    return render_template("certificates/review_form.html", review=review, form=form,
                           title=title, case=review.certificate.case, **extra)


@bp.route("/reviews/<int:review_id>/assign", methods=["GET", "POST"])
@permission_required(Permission.CERTIFICATE_REVIEW)
def assign_reviewer(review_id: int) -> str | Response:
    review = followup.get_review(review_id)
    form = AssignReviewerForm(data={"reviewer_id": review.reviewer_id})
    form.reviewer_id.choices = [(None, "—"), *reviewer_choices(review.certificate)]
    if form.validate_on_submit() and run_service(form, lambda: reviewing.assign_reviewer(
            review, form.reviewer_id.data, actor=current_user)):
        flash(_("Saved."), "success")
        return _back(review)
    return _page(review, form, _("Assign the review"))


@bp.route("/reviews/<int:review_id>/conclude", methods=["GET", "POST"])
@permission_required(Permission.REVIEW_CONDUCT)
def conclude(review_id: int) -> str | Response:
    review = followup.get_review(review_id)
    form = DecisionForm()
    if not form.is_submitted():
        form.corrected_body.data = review.proposed_body or review.certificate.body
    if form.validate_on_submit() and run_service(form, lambda: reviewing.propose_conclusion(
            review, ReviewOutcome(form.outcome.data), form.decision.data or "",
            form.corrected_body.data or "", actor=current_user)):
        flash(_("Your conclusion goes to the director for approval."), "success")
        return _back(review)
    return _page(review, form, _("Review conclusion"), wide=True)


@bp.route("/reviews/<int:review_id>/pause", methods=["GET", "POST"])
@permission_required(Permission.REVIEW_CONDUCT)
def pause(review_id: int) -> str | Response:
    review = followup.get_review(review_id)
    form = PauseForm()
    if not form.is_submitted():
        form.started_on.data = office_today()
    if form.validate_on_submit() and run_service(form, lambda: reviewing.pause_review(
            review, ReviewPauseKind(form.kind.data), form.started_on.data,
            form.reason.data or "", actor=current_user)):
        flash(_("The review's clock is stopped."), "success")
        return _back(review)
    return _page(review, form, _("Pause the review"))


@bp.route("/reviews/<int:review_id>/resume", methods=["GET", "POST"])
@permission_required(Permission.REVIEW_CONDUCT)
def resume(review_id: int) -> str | Response:
    review = followup.get_review(review_id)
    form = ResumeForm()
    if not form.is_submitted():
        form.ended_on.data = office_today()
    if form.validate_on_submit() and run_service(form, lambda: reviewing.resume_review(
            review, form.ended_on.data, actor=current_user)):
        flash(_("The review's clock runs again: decision due %(day)s.",
                day=review.decision_due_on), "success")
        return _back(review)
    return _page(review, form, _("Resume the review"))


@bp.route("/reviews/<int:review_id>/carry-out", methods=["GET", "POST"])
@permission_required(Permission.CERTIFICATE_REVIEW)
def carry_out(review_id: int) -> str | Response:
    review = followup.get_review(review_id)
    form = CarryOutForm()
    if not form.is_submitted():
        form.carried_out_on.data = office_today()
        if review.outcome is ReviewOutcome.REVOKE:
            form.announced_on.data = office_today()
    if form.validate_on_submit() and run_service(form, lambda: reviewing.carry_out(
            review, reviewing.CarryOutData(form.carried_out_on.data, form.announced_on.data,
                                           form.channel.data, form.reference.data),
            actor=current_user)):
        flash(_("Recorded as carried out."), "success")
        return _back(review)
    return _page(review, form, _("Carry out the review decision"),
                 revoking=review.outcome is ReviewOutcome.REVOKE)

