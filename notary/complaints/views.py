"""Complaint pages: the register (paginated), a new complaint, one complaint and its answer."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from notary.complaints import bp, services
from notary.complaints.forms import AnswerForm, ComplaintForm
from notary.complaints.models import ComplaintChannel, ComplaintOutcome
from notary.core.audit_labels import register_audit_labels
from notary.core.forms import run_service
from notary.core.models import office_today
from notary.core.params import arg, arg_page, parse_choice, reads
from notary.core.permissions import Permission, has_permission, permission_required
from notary.extensions import db

register_audit_labels(
    actions={"complaint.register": _l("Complaint registered"),
             "complaint.answer": _l("Complaint answered")},
    fields={"received_on": _l("Received on"), "channel": _l("Channel"),
            "answer_due_on": _l("Answer due"), "answered_on": _l("Answered on"),
            "outcome": _l("Outcome"), "late": _l("Answered late")},
    enums={"channel": ComplaintChannel, "outcome": ComplaintOutcome},
)


@bp.route("/")
@reads("status", "page")
@permission_required(Permission.COMPLAINT_REGISTER)
def index() -> str:
    status = arg("status", lambda name, raw: parse_choice(name, raw, ("open", "answered")),
                 None)
    page = db.paginate(services.register_statement(status), page=arg_page(),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("complaints/index.html", page=page, status=status,
                           today=office_today())


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.COMPLAINT_REGISTER)
def create() -> str | Response:
    form = ComplaintForm()
    if not form.is_submitted():
        form.received_on.data = office_today()
    if form.validate_on_submit() and (complaint := run_service(
            form, lambda: services.register_complaint(form.to_data(), actor=current_user))):
        flash(_("Complaint registered: answer due by %(day)s.", day=complaint.answer_due_on),
              "success")
        return redirect(url_for("complaints.detail", complaint_id=complaint.id))
    return render_template("complaints/form.html", form=form)


@bp.route("/<int:complaint_id>", methods=["GET", "POST"])
@permission_required(Permission.COMPLAINT_REGISTER)
def detail(complaint_id: int) -> str | Response:
    complaint = services.get_complaint(complaint_id)
    form = AnswerForm()
    if not form.is_submitted():
        form.answered_on.data = office_today()
    if form.is_submitted() and has_permission(current_user, Permission.COMPLAINT_ANSWER) \
            and form.validate_on_submit() and run_service(
                form, lambda: services.answer_complaint(complaint, form.to_data(),
                                                        actor=current_user)):
        flash(_("The answer is recorded."), "success")
        return redirect(url_for("complaints.detail", complaint_id=complaint.id))
    return render_template("complaints/detail.html", complaint=complaint, form=form,
                           today=office_today(),
                           can_answer=has_permission(current_user, Permission.COMPLAINT_ANSWER))
