"""Front-desk pages: the quick log with today's counts, the searchable log, starting an
application from a consultation, and the public case lookup."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from notary.cases import queries as case_queries
from notary.cases.forms import ApplicationForm
from notary.cases.models import Case
from notary.cases.panels import CasePanel, register_case_panel
from notary.cases.rules import CaseStatus
from notary.consultations import bp, lookup_bp, queries, services
from notary.consultations.forms import (
    ConsultationForm,
    CorrectionForm,
    LogFilterForm,
    LookupForm,
    VoidForm,
)
from notary.consultations.models import Channel
from notary.core import audit_labels
from notary.core.forms import run_service
from notary.core.models import office_today
from notary.core.paging import paginate_capped
from notary.core.params import arg_page, reads
from notary.core.permissions import Permission, Role, has_permission, permission_required, public
from notary.parties.rules import mask_phone

audit_labels.register_audit_labels(actions={
    "consultation.log": _l("Consultation logged"),
    "consultation.link": _l("Application started from a consultation"),
    "consultation.correct": _l("Consultation corrected"),
    "consultation.void": _l("Consultation voided"),
}, fields={"voided": _l("Void"), "channel": _l("Channel"), "persons": _l("People"),
           "topic": _l("Topic"), "outcome": _l("Outcome"),
           "first_contact_id": _l("First contact")})


@bp.app_template_filter("masked_phone")
def masked_phone(phone: str | None) -> str:
    """A phone number as lists show it (138****5678)."""
    return mask_phone(phone) if phone else ""


def first_contact_panel(case: Case, actor: Any) -> dict[str, Any] | None:
    """The consultation the application came from, and who took it (首问负责)."""
    if not has_permission(actor, Permission.CONSULTATION_LOG):
        return None
    found = queries.consultations_of_case(case.id)
    return {"consultations": found} if found else None


register_case_panel(CasePanel(template="consultations/_panel.html", context=first_contact_panel,
                              column="side", order=5))


def _staff() -> list[tuple[int | None, str]]:
    return [(uid, name) for uid, name in case_queries.staff_choices(*Role) if uid is not None]


@bp.route("/", methods=["GET", "POST"])
@permission_required(Permission.CONSULTATION_LOG)
def index() -> str | Response:
    form = ConsultationForm()
    form.setup(case_queries.matter_choices(), _staff())
    if request.method == "GET":
        form.taken_by_id.data = current_user.id
    if form.validate_on_submit() and run_service(
            form, lambda: services.log_consultation(form.to_data(), actor=current_user)):
        flash(_("Logged."), "success")
        return redirect(url_for("consultations.index"))
    today = office_today()
    counts = queries.day_counts(today)
    return render_template("consultations/index.html", form=form, today=today,
                           log=queries.day_log(today), counts=counts, channels=list(Channel),
                           total=(sum(n for n, _p in counts.values()),
                                  sum(p for _n, p in counts.values())))


@bp.route("/log")
@reads(LogFilterForm, "page")
@permission_required(Permission.CONSULTATION_LOG)
def search() -> str:
    form = LogFilterForm(request.args)
    form.setup()
    form.validate()
    channel = None if form.channel.errors or not form.channel.data else Channel(form.channel.data)
    filters = queries.LogFilters(
        q=form.q.data or None, channel=channel, include_void=True,
        date_from=None if form.date_from.errors else form.date_from.data,
        date_to=None if form.date_to.errors else form.date_to.data)
    page = paginate_capped(queries.log_statement(filters), page=arg_page(),
                           per_page=current_app.config["PAGE_SIZE"])
    return render_template("consultations/search.html", form=form, page=page)


@bp.route("/<int:consultation_id>/correct", methods=["GET", "POST"])
@permission_required(Permission.CONSULTATION_LOG)
def correct(consultation_id: int) -> str | Response:
    consultation = services.get_consultation(consultation_id)
    form = CorrectionForm()
    form.setup_for(consultation, case_queries.matter_choices(), _staff())
    if request.method == "GET":
        form.fill_from(consultation)
    if form.validate_on_submit() and run_service(form, lambda: services.correct_consultation(
            consultation, form.to_data(), form.reason.data or "", actor=current_user)):
        flash(_("The entry is corrected; its earlier values are kept in the audit trail."),
              "success")
        return redirect(url_for("consultations.index"))
    return render_template("consultations/correct.html", form=form, consultation=consultation)


@bp.route("/<int:consultation_id>/void", methods=["GET", "POST"])
@permission_required(Permission.CONSULTATION_LOG)
def void(consultation_id: int) -> str | Response:
    consultation = services.get_consultation(consultation_id)
    form = VoidForm()
    if form.validate_on_submit() and run_service(form, lambda: services.void_consultation(
            consultation, form.reason.data or "", actor=current_user)):
        flash(_("The entry is void: it stays in the log, marked, and no figure counts it."),
              "success")
        return redirect(url_for("consultations.index"))
    return render_template("consultations/void.html", form=form, consultation=consultation)


@bp.route("/<int:consultation_id>/application", methods=["GET", "POST"])
@permission_required(Permission.CONSULTATION_LOG, Permission.CASE_CREATE)
def start_application(consultation_id: int) -> str | Response:
    consultation = services.get_consultation(consultation_id)
    if consultation.case_id is not None:
        flash(_("An application was already started from this consultation."), "info")
        return redirect(url_for("cases.detail", case_id=consultation.case_id))
    form = ApplicationForm()
    form.setup(case_queries.matter_choices(),
               case_queries.handling_notary_choices(office_today()))
    if request.method == "GET":
        _prefill(form, consultation)
    elif "add_participant" in request.form:
        form.participants.append_entry()
        return render_template("cases/new.html", form=form, consultation=consultation)
    elif finder := case_queries.intake_finder(form, request.form):
        return render_template("cases/new.html", form=form, consultation=consultation, **finder)
    if form.validate_on_submit() and (case := run_service(form, lambda: services.start_application(
            consultation, form.to_data(), actor=current_user))):
        flash(_("Application registered and linked to the consultation."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/new.html", form=form, consultation=consultation)


def _prefill(form: ApplicationForm, consultation: Any) -> None:
    """What the desk already knows: the matter, the caller's name and phone, the summary."""
    if consultation.matter_type_id:
        form.matter_ids.data = [consultation.matter_type_id]
    person = form.participants[0].form
    person.name.data = consultation.name or ""
    person.phone.data = consultation.phone or ""
    form.notes.data = "\n".join(x for x in (consultation.topic, consultation.summary) if x)


@lookup_bp.route("/", methods=["GET", "POST"])
@public
def lookup() -> tuple[str, int] | str:
    form = LookupForm()
    answer = None
    if form.validate_on_submit():
        answer = services.lookup_case(form.number.data or "", form.phone_tail.data or "",
                                      request.remote_addr or "unknown")
    page = render_template("consultations/lookup.html", form=form, answer=answer,
                           stage=STAGE_HINTS.get(answer.status) if answer and answer.status
                           else None, office=_office_contact())
    return (page, 429) if answer and answer.refused else page


def _office_contact() -> dict[str, str]:
    cfg = current_app.config
    return {"address": cfg["OFFICE_ADDRESS"], "hours": cfg["OFFICE_HOURS"],
            "phone": cfg["OFFICE_PHONE"]}


# What each stage means for the party who looks it up (the status label alone says little).
STAGE_HINTS = {
    CaseStatus.APPLIED: _l("Your application is registered and waits to be accepted."),
    CaseStatus.ACCEPTED: _l("Your application is accepted; a notary is assigned."),
    CaseStatus.UNDER_REVIEW: _l("The notary is examining your application and materials."),
    CaseStatus.SUPPLEMENTING: _l("Materials are missing: please bring what the office asked "
                                 "for. The time limit waits meanwhile."),
    CaseStatus.VERIFYING: _l("The office is verifying facts; the time limit waits meanwhile."),
    CaseStatus.AWAITING_APPROVAL: _l("The examination is done; the certificate awaits "
                                     "approval."),
    CaseStatus.APPROVED: _l("Approved: the certificate is being prepared."),
    CaseStatus.ISSUED: _l("Your certificate is ready to be collected."),
    CaseStatus.DELIVERED: _l("Your certificate has been handed over."),
    CaseStatus.ARCHIVED: _l("The matter is finished and filed."),
    CaseStatus.REFUSED: _l("The matter is closed; the office has told you why."),
    CaseStatus.TERMINATED: _l("The matter is closed; the office has told you why."),
    CaseStatus.WITHDRAWN: _l("The application was withdrawn."),
    CaseStatus.NOT_ACCEPTED: _l("The application was not accepted; the office has told you "
                                "why."),
}
