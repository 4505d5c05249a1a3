"""Investigation pages: my upcoming tasks, plan a task, its record and PDF, attachments, close."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from notary.cases import queries as case_queries
from notary.cases import services as case_services
from notary.cases.models import Case
from notary.cases.panels import CasePanel, register_case_panel
from notary.core.errors import NotFound
from notary.core.forms import run_service
from notary.core.models import local_date, office_today, utcnow
from notary.core.paging import paginate_rows
from notary.core.params import arg_page, reads
from notary.core.pdf import pdf_response
from notary.core.permissions import Permission, Role, has_permission, permission_required
from notary.core.uploads import send_stored
from notary.investigations import bp, queries, services
from notary.investigations.forms import AttachmentForm, CloseForm, RecordForm, TaskForm
from notary.investigations.models import Method
from notary.investigations.pdf import RecordHeader, build_record_pdf

FIELD_ROLES = (Role.ASSISTANT, Role.NOTARY, Role.DIRECTOR)


# Tasks of the coming days listed on the page at most; past that, a note says how to narrow.
UPCOMING_AT_MOST = 100


@bp.route("/")
@reads("page")
@permission_required(Permission.INVESTIGATION_MANAGE)
def upcoming() -> str:
    today = office_today()
    everyone = current_user.role is Role.DIRECTOR
    user_id = None if everyone else current_user.id
    pending = paginate_rows(queries.pending_statement(user_id, today), page=arg_page(),
                            per_page=current_app.config["PAGE_SIZE"])
    pending.items = [queries.TaskRow(task, case) for task, case in pending.items]
    by_day, upcoming_total = queries.upcoming_by_day(
        user_id, today, int(current_app.config["UPCOMING_TASK_DAYS"]), limit=UPCOMING_AT_MOST)
    year_start = date(today.year, 1, 1)
    counts = queries.counts_by_method(year_start, date(today.year + 1, 1, 1))
    return render_template("investigations/upcoming.html", pending=pending, by_day=by_day,
                           upcoming_total=upcoming_total, upcoming_at_most=UPCOMING_AT_MOST,
                           today=today, everyone=everyone, counts=counts, methods=list(Method))


def _panel(case: Case, actor: Any) -> dict[str, Any] | None:
    tasks = services.investigations_of(case.id)
    can_plan = (has_permission(actor, Permission.INVESTIGATION_MANAGE)
                and services.can_work_on(actor, case)
                and case.status.value in {"applied", "accepted", "under_review", "verifying",
                                          "supplementing"})
    if not tasks and not can_plan:
        return None
    return {"tasks": tasks, "can_plan": can_plan}


register_case_panel(CasePanel("investigations/_panel.html", _panel, column="main", order=20))


@bp.route("/cases/<int:case_id>/new", methods=["GET", "POST"])
@permission_required(Permission.INVESTIGATION_MANAGE)
def create(case_id: int) -> str | Response:
    case = case_services.get_case(case_id)
    form = TaskForm()
    form.setup([(i, n) for i, n in case_queries.staff_choices(*FIELD_ROLES) if i is not None])
    if form.validate_on_submit() and (task := run_service(form, lambda: services
                                      .create_investigation(case, form.to_data(),
                                                            actor=current_user))):
        flash(_("The task is planned.") if not task.paused_case else
              _("The task is planned; the case is in verification and its clock is paused."),
              "success")
        return redirect(url_for("investigations.detail", investigation_id=task.id))
    if not form.is_submitted():
        form.staff_ids.data = [current_user.id]
    return render_template("investigations/form.html", case=case, form=form,
                           rule_applies=services.two_person_rule_applies(case))


@bp.route("/<int:investigation_id>")
@permission_required(Permission.CASE_VIEW)
def detail(investigation_id: int) -> str:
    task = services.get_investigation(investigation_id)
    case = case_services.get_case(task.case_id)
    names = case_queries.user_names({task.created_by_id or 0, task.closed_by_id or 0})
    can_work = (has_permission(current_user, Permission.INVESTIGATION_MANAGE)
                and services.can_work_on(current_user, task))
    return render_template("investigations/detail.html", task=task, case=case, names=names,
                           can_work=can_work, attachment_form=AttachmentForm())


@bp.route("/<int:investigation_id>/close", methods=["GET", "POST"])
@permission_required(Permission.INVESTIGATION_MANAGE)
def close(investigation_id: int) -> str | Response:
    task = services.get_investigation(investigation_id)
    case = case_services.get_case(task.case_id)
    form = CloseForm()
    if form.validate_on_submit():
        done = form.result.data == "done"
        closed = run_service(form, lambda: (services.close_investigation(
            task, form.outcome.data or "", done=done, actor=current_user),))
        if closed is not None:
            flash(_("The task is closed; the case is back in review.") if closed[0] else
                  _("The task is closed."), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("investigations/close.html", task=task, case=case, form=form)


@bp.route("/<int:investigation_id>/records/new", methods=["GET", "POST"])
@permission_required(Permission.INVESTIGATION_MANAGE)
def add_record(investigation_id: int) -> str | Response:
    task = services.get_investigation(investigation_id)
    case = case_services.get_case(task.case_id)
    form = RecordForm()
    form.recorder_id.choices = [(u.id, u.full_name) for u in task.staff] or [
        (current_user.id, current_user.full_name)]
    if not form.is_submitted():
        form.place.data = task.place
        form.started_at.data = (task.scheduled_at or utcnow()).astimezone(
            local_tz()).replace(tzinfo=None, second=0, microsecond=0)
        form.recorder_id.data = current_user.id
    if form.validate_on_submit() and run_service(form, lambda: services.add_record(
            task, form.to_data(), actor=current_user)):
        flash(_("The record is saved."), "success")
        return redirect(url_for("investigations.detail", investigation_id=task.id))
    return render_template("investigations/record_form.html", task=task, case=case, form=form)


def local_tz() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


@bp.route("/records/<int:record_id>.pdf")
@permission_required(Permission.CASE_VIEW)
def record_pdf(record_id: int) -> Response:
    record = services.get_record(record_id)
    task = services.get_investigation(record.investigation_id)
    case = case_services.get_case(task.case_id)
    header = RecordHeader(office_name=current_app.config["OFFICE_NAME"],
                          case_number=case.display_number,
                          staff_names=[u.full_name for u in task.staff],
                          method_label=str(task.method.label))
    return pdf_response(lambda: build_record_pdf(task, record, header),
                        f"record-{record.id}-{local_date(record.started_at)}.pdf",
                        back=url_for("investigations.detail", investigation_id=task.id))


@bp.route("/<int:investigation_id>/attachments", methods=["POST"])
@permission_required(Permission.INVESTIGATION_MANAGE)
def upload(investigation_id: int) -> Response:
    task = services.get_investigation(investigation_id)
    form = AttachmentForm()
    if form.validate_on_submit():
        upload_file = form.file.data
        if run_service(form, lambda: services.add_attachment(
                task, form.title.data or "", upload_file.filename or "", upload_file.stream,
                actor=current_user)):
            flash(_("Attached."), "success")
    for messages in [*form.errors.values(), form.form_errors]:
        for message in messages:
            flash(str(message), "danger")
    return redirect(url_for("investigations.detail", investigation_id=task.id))


@bp.route("/<int:investigation_id>/attachments/<int:attachment_id>")
@permission_required(Permission.MATERIAL_VIEW)
def download(investigation_id: int, attachment_id: int) -> Response:
    task = services.get_investigation(investigation_id)
    attachment = next((a for a in task.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise NotFound(_("No such attachment."))
    return send_stored(attachment)
