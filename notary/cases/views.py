"""Case pages: list, intake, detail, edit, procedure steps, materials, register, matters."""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms.fields.core import UnboundField

from notary.auth.forms import EmptyForm
from notary.cases import admin_bp, bp, catalogue, exports, pdf, queries, services, workflow
from notary.cases.forms import (
    ApplicationForm,
    ArchiveFileForm,
    AssignForm,
    CaseDetailsForm,
    CaseFilterForm,
    MaterialForm,
    MatterTypeForm,
    ParticipantAddForm,
    RegisterFilterForm,
    RemoveParticipantForm,
    StepForm,
)
from notary.cases.models import ACTION_LABELS, Case, Category, ParticipantRole, Urgency
from notary.cases.panels import panels_for
from notary.cases.row_html import case_rows_html
from notary.cases.rules import (
    Action,
    CaseStatus,
    NotAcceptedGround,
    RefusalGround,
    TerminationGround,
)
from notary.core.audit_labels import register_audit_labels
from notary.core.errors import DomainError, NotPermitted, ValidationFailed
from notary.core.forms import merge_rows, run_service
from notary.core.models import office_today, utcnow
from notary.core.page_cache import cached_page, kept_for_version
from notary.core.paging import page_of, paginate_capped
from notary.core.params import (
    arg,
    arg_page,
    bad_parameters,
    note_bad,
    parse_bool,
    reads,
    refuse_noted,
)
from notary.core.pdf import pdf_response
from notary.core.permissions import Permission, Role, has_permission, permission_required
from notary.core.templating import kept_fragments, render_fragment
from notary.core.uploads import send_stored
from notary.extensions import db

NOTARY_ROLES = (Role.NOTARY, Role.DIRECTOR)
LIST_COUNT_CAP = 2_000  # the case list counts this far (80 pages), then says "more than"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Steps that need input (a reason, a number...) get their own page; the rest are one click.
STEPS_WITH_FORM = frozenset({Action.ACCEPT, Action.REQUEST_SUPPLEMENT, Action.START_VERIFICATION,
                             Action.RETURN_FOR_REVIEW, Action.APPROVE, Action.ISSUE,
                             Action.DELIVER,
                             Action.ARCHIVE, Action.REFUSE, Action.TERMINATE, Action.WITHDRAW,
                             Action.REJECT})


# How the case history reads the case's own audit entries (the kernel is told, never asks).
AUDIT_ACTIONS = {
    "case.register": _l("Application registered"),
    "case.update": _l("Details changed"),
    "case.participant_add": _l("Participant added"),
    "case.participant_remove": _l("Participant removed"),
    "case.material_add": _l("Material added"),
    "case.assign": _l("Staff assigned"),
    "case.accept": _l("Accepted"),
    "case.start_review": _l("Review started"),
    "case.request_supplement": _l("Materials requested"),
    "case.start_verification": _l("Verification started"),
    "case.resume_review": _l("Review resumed"),
    "case.submit_for_approval": _l("Submitted for approval"),
    "case.return_for_review": _l("Returned for review"),
    "case.approve": _l("Approved"),
    "case.issue": _l("Certificate issued"),
    "case.deliver": _l("Delivered"),
    "case.archive": _l("Archived"),
    "case.refuse": _l("Refused"),
    "case.terminate": _l("Terminated"),
    "case.withdraw": _l("Withdrawn"),
    "case.archive_file": _l("File archived"),
    "case.export": _l("Cases exported"),
    "case.investigation_add": _l("Investigation planned"),
    "case.investigation_close": _l("Investigation closed"),
    "case.heir_change": _l("Family changed"),
}
AUDIT_FIELDS = {
    "status": _l("Status"),
    "category": _l("Category"),
    "place_of_use": _l("Country or region of use"),
    "purpose": _l("Purpose"),
    "document_name": _l("Document to be notarized"),
    "translation_language": _l("Translation language"),
    "copies": _l("Copies"),
    "urgency": _l("Urgency"),
    "urgency_reason": _l("Reason for urgency"),
    "notes": _l("Notes"),
    "matters": _l("Matters"),
    "participants": _l("Participants"),
    "participant": _l("Participant"),
    "party_id": _l("Party"),
    "material": _l("Material"),
    "size": _l("Size (bytes)"),
    "acceptance_number": _l("Acceptance no."),
    "handling_notary_id": _l("Handling notary"),
    "assistant_id": _l("Assistant"),
    "certificate_number": _l("Certificate number"),
    "delivered_to": _l("Received by"),
    "archive_number": _l("Archive number"),
    "closing_ground": _l("Ground"),
    "investigation": _l("Investigation"),
}


def _participant_line(value: dict[str, Any]) -> str:
    try:
        role = str(ParticipantRole(str(value.get("role"))).label)
    except ValueError:
        role = str(value.get("role"))
    return f"{role}: {value.get('name')}"


register_audit_labels(AUDIT_ACTIONS, AUDIT_FIELDS,
                      enums={"status": CaseStatus, "category": Category, "urgency": Urgency},
                      formatters={"participants": _participant_line,
                                  "participant": _participant_line},
                      # The grounds are numbered per ending: "4" is a dispute under 公证法
                      # art. 31 but obstruction under the termination rule.
                      action_enums={("case.refuse", "closing_ground"): RefusalGround,
                                    ("case.terminate", "closing_ground"): TerminationGround,
                                    ("case.reject", "closing_ground"): NotAcceptedGround})


bp.add_app_template_global(case_rows_html)


@bp.app_template_global()
def action_label(action: Action) -> str:
    """The button text of a procedure step."""
    return str(ACTION_LABELS[action])


@bp.route("/")
@reads(CaseFilterForm, "page")
@permission_required(Permission.CASE_VIEW)
@cached_page
def index() -> str:
    filters_html, filters = _filter_block()
    per_page = current_app.config["PAGE_SIZE"]
    number = arg_page()
    offset = (number - 1) * per_page
    rows, total, capped = queries.list_page(filters, offset=offset, per_page=per_page,
                                            cap=LIST_COUNT_CAP)
    page = page_of(queries.case_rows(rows), page=number, per_page=per_page, total=total,
                   total_capped=capped)
    return render_template("cases/index.html", filters_html=filters_html, page=page)


# The query-string names the filter form reads (the page number is not one of them).
_FILTER_FIELDS = frozenset(name for name, value in vars(CaseFilterForm).items()
                           if isinstance(value, UnboundField))


def _filter_block() -> tuple[Markup, queries.CaseFilters]:
    """The list's filter form, rendered, and the filters it gives.

    The form is a pure function of its part of the query string, the choices and the
    language, so the rendered form and its filters are kept by those (`KeptFragments`): the
    same filters asked again are not parsed and rendered again. A value the form refused is
    refused again (the page answers 400). The choices are read once per data version."""
    locale = str(get_locale())
    matters, notaries = kept_for_version(("cases.filter_choices", locale), lambda: (
        tuple(queries.matter_choices(active_only=False)),
        tuple(queries.staff_choices(*NOTARY_ROLES))))
    key = ("cases.filters", locale, matters, notaries,
           tuple((k, v) for k, v in request.args.items(multi=True) if k in _FILTER_FIELDS))
    store = kept_fragments()
    kept = store.get(key)
    if kept is None:
        already = len(bad_parameters())
        form, filters = _list_filters(list(matters), list(notaries))
        kept = store.put(key, (render_fragment("cases/_filters.html", form=form), filters,
                               tuple(bad_parameters()[already:])))
    else:
        for refused in kept[2]:
            note_bad(refused)
    return kept[0], kept[1]


def _list_filters(matters: list[tuple[int, str]] | None = None,
                  notaries: list[tuple[int | None, str]] | None = None
                  ) -> tuple[CaseFilterForm, queries.CaseFilters]:
    """The case list's filter form from the query string, and the filters it gives."""
    form = CaseFilterForm(request.args)
    form.setup(queries.matter_choices(active_only=False) if matters is None else matters,
               queries.staff_choices(*NOTARY_ROLES) if notaries is None else notaries)
    form.validate()
    status = _valid_choice(form.status)
    return form, queries.CaseFilters(
        q=form.q.data or None, status=CaseStatus(status) if status else None,
        matter_id=_valid_choice(form.matter), category=_valid_choice(form.category),
        notary_id=_valid_choice(form.notary), date_from=form.date_from.data,
        date_to=form.date_to.data,
    )


@bp.route("/export.csv")
@reads(CaseFilterForm)
@permission_required(Permission.CASE_VIEW, Permission.REGISTER_VIEW)
def export_csv() -> Response:
    _form, filters = _list_filters()
    refuse_noted()  # before the export is recorded
    exports.record_export(filters, "csv", actor=current_user)
    return _download(stream_with_context(exports.csv_chunks(filters)), "text/csv; charset=utf-8",
                     "csv")


@bp.route("/export.xlsx")
@reads(CaseFilterForm)
@permission_required(Permission.CASE_VIEW, Permission.REGISTER_VIEW)
def export_xlsx() -> Response:
    _form, filters = _list_filters()
    refuse_noted()  # before the export is recorded
    exports.record_export(filters, "xlsx", actor=current_user)
    path = exports.xlsx_file(filters)
    response = _download(exports.file_chunks(path), XLSX_TYPE, "xlsx")
    response.call_on_close(lambda: exports.remove_file(path))
    return response


def _download(body: Any, mimetype: str, ext: str) -> Response:
    name = f"cases-{utcnow().astimezone(queries.OFFICE_TZ):%Y%m%d-%H%M}.{ext}"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={name}"})


def _valid_choice(field: Any) -> Any:
    """A filter's value, or None when it is not one of its choices (ignored, not a 500)."""
    return None if field.errors else (field.data or None)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.CASE_CREATE)
def create() -> str | Response:
    form = ApplicationForm()
    # Intake lists only who may handle a case today; the accept and assign steps list every
    # enabled notary and refuse a suspended one with the reason.
    form.setup(queries.matter_choices(), queries.handling_notary_choices(office_today()))
    if request.method == "POST" and "add_participant" in request.form:
        form.participants.append_entry()  # keeps everything typed so far
        return render_template("cases/new.html", form=form)
    if request.method == "POST" and (finder := queries.intake_finder(form, request.form)):
        return render_template("cases/new.html", form=form, **finder)
    if form.validate_on_submit() and (case := run_service(
            form, lambda: services.register_application(form.to_data(), actor=current_user))):
        flash(_("Application registered."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/new.html", form=form)


@bp.route("/<int:case_id>")
@permission_required(Permission.CASE_VIEW)
def detail(case_id: int) -> str:
    case = services.open_case(case_id, current_user)
    timeline = queries.case_timeline(case.id)
    names = queries.user_names({uid for e, _n in timeline for uid in _user_ids(e)})
    return render_template(
        "cases/detail.html", case=case, timeline=timeline, user_names=names,
        actions=workflow.allowed_actions(current_user, case), steps_with_form=STEPS_WITH_FORM,
        can_edit=services.can_edit_case(current_user, case), button_form=EmptyForm(),
        can_archive_file=(case.status in services.FILE_ONLY_CLOSINGS
                          and case.archived_at is None
                          and has_permission(current_user, Permission.CASE_PROCESS)
                          and services.is_case_worker(current_user, case)),
        material_form=MaterialForm(), materials=catalogue.materials_of(case.id),
        panels=panels_for(case, current_user),
    )


def _user_ids(entry: object) -> list[int]:
    ids = []
    for values in (getattr(entry, "before", None) or {}, getattr(entry, "after", None) or {}):
        for key in ("handling_notary_id", "assistant_id"):
            if isinstance(values.get(key), int):
                ids.append(values[key])
    return ids


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.CASE_CREATE)
def edit(case_id: int) -> str | Response:
    case = services.get_case(case_id)
    services.ensure_can_edit(current_user, case)
    form = _details_form(case, None if request.method == "GET" else request.form)
    if form.validate_on_submit() and run_service(form, lambda: services.update_case(
            case, form.details(), actor=current_user, version=form.started_from())):
        flash(_("Saved."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    merge = None
    if form.conflict:
        # Their saved values beside the typed ones; saving again now means "I merged".
        merge = merge_rows(form, _details_form(case, None))
        form.version.data = str(case.version)
    return render_template("cases/edit.html", form=form, case=case, merge=merge)


def _details_form(case: Case, formdata: Any) -> CaseDetailsForm:
    """The details form: the typed values (formdata), or the case as saved (None)."""
    form = CaseDetailsForm(formdata=formdata, obj=case)
    form.set_detail_choices(queries.matter_choices())
    if formdata is None:
        form.matter_ids.data = [m.id for m in case.matters]
        form.category.data, form.urgency.data = case.category.value, case.urgency.value
        form.version.data = str(case.version)
    return form


@bp.route("/<int:case_id>/step/<action>", methods=["GET", "POST"])
@permission_required(Permission.CASE_VIEW)
def step(case_id: int, action: str) -> str | Response:
    case = services.get_case(case_id)
    try:
        act = Action(action)
    except ValueError:
        abort(404)
    form = StepForm()
    form.set_ground_choices(act.value)
    form.notary_id.choices = queries.staff_choices(*NOTARY_ROLES)
    if request.method == "GET" and act is Action.ACCEPT:
        form.notary_id.data = case.handling_notary_id or (
            current_user.id if current_user.role is Role.NOTARY else None)
    if (refused := workflow.refused_by_rule(current_user, case, act)) is not None:
        raise NotPermitted(refused)  # a 403 naming the rule, whatever the case's stage
    problem = workflow.refusal_reason(current_user, case, act)
    if problem is not None:
        flash(problem, "danger")
        return redirect(url_for("cases.detail", case_id=case.id))
    if request.method == "POST" and (act not in STEPS_WITH_FORM or form.validate_on_submit()) \
            and (act is not Action.APPROVE or form.approval_complete()):
        if act not in STEPS_WITH_FORM and not EmptyForm().validate_on_submit():
            abort(400)
        if run_service(form, lambda: workflow.perform(case, act, form.to_data(),
                                                      actor=current_user)):
            flash(_("The case is now: %(status)s.", status=case.status.label), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/step.html", case=case, action=act, form=form)


@bp.route("/<int:case_id>/archive-file", methods=["GET", "POST"])
@permission_required(Permission.CASE_PROCESS)
def archive_file(case_id: int) -> str | Response:
    case = services.get_case(case_id)
    form = ArchiveFileForm()
    if form.validate_on_submit() and run_service(form, lambda: services.archive_closed_file(
            case, form.archive_number.data or "", actor=current_user)):
        flash(_("The file is archived."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/archive_file.html", case=case, form=form)


@bp.route("/<int:case_id>/assign", methods=["GET", "POST"])
@permission_required(Permission.CASE_ASSIGN)
def assign(case_id: int) -> str | Response:
    case = services.get_case(case_id)
    form = AssignForm(notary_id=case.handling_notary_id, assistant_id=case.assistant_id)
    form.notary_id.choices = [(None, "—"), *queries.staff_choices(*NOTARY_ROLES)]
    form.assistant_id.choices = [(None, "—"), *queries.staff_choices(Role.ASSISTANT)]
    if form.validate_on_submit() and run_service(form, lambda: services.assign_staff(
            case, notary_id=form.notary_id.data, assistant_id=form.assistant_id.data,
            actor=current_user, reason=form.reason.data or None)):
        flash(_("Saved."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/assign.html", case=case, form=form)


@bp.route("/<int:case_id>/participants/new", methods=["GET", "POST"])
@permission_required(Permission.CASE_CREATE)
def add_participant(case_id: int) -> str | Response:
    case = services.get_case(case_id)
    services.ensure_can_edit(current_user, case)
    form = ParticipantAddForm(prefix="participants-0")
    if form.validate_on_submit() and run_service(
            form, lambda: services.add_participant(case, form.to_data(), actor=current_user)):
        flash(_("Saved."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/participant_form.html", case=case, form=form)


@bp.route("/<int:case_id>/participants/<int:participant_id>/remove", methods=["GET", "POST"])
@permission_required(Permission.CASE_CREATE)
def remove_participant(case_id: int, participant_id: int) -> str | Response:
    case = services.get_case(case_id)
    services.ensure_can_edit(current_user, case)
    form = RemoveParticipantForm()
    participant = next((p for p in case.active_participants if p.id == participant_id), None)
    if participant is None:
        abort(404)
    if form.validate_on_submit() and run_service(form, lambda: services.remove_participant(
            case, participant_id, actor=current_user, reason=form.reason.data or "")):
        flash(_("Saved."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/participant_remove.html", case=case, form=form,
                           participant=participant)


@bp.route("/<int:case_id>/materials", methods=["POST"])
@permission_required(Permission.MATERIAL_UPLOAD)
def upload_material(case_id: int) -> str | Response:
    case = services.get_case(case_id)
    form = MaterialForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            services.add_material(case, form.title.data or "", upload.filename or "",
                                  upload.stream, actor=current_user)
        except ValidationFailed as exc:
            for messages in exc.errors.values():
                form.file.errors = [*form.file.errors, *messages]
        except DomainError as exc:
            form.file.errors = [*form.file.errors, exc.message]
        else:
            flash(_("Material stored."), "success")
            return redirect(url_for("cases.detail", case_id=case.id) + "#materials")
    flash(" ".join(str(e) for errs in form.errors.values() for e in errs), "danger")
    return redirect(url_for("cases.detail", case_id=case.id) + "#materials")


@bp.route("/<int:case_id>/materials/<int:material_id>")
@permission_required(Permission.MATERIAL_VIEW)
def download_material(case_id: int, material_id: int) -> Response:
    case = services.open_case(case_id, current_user)
    material = services.get_material(case, material_id)
    return send_stored(material)


def _register_filter() -> tuple[RegisterFilterForm, int, Any]:
    form = RegisterFilterForm(request.args)
    form.setup()
    form.validate()
    # The register's year is the office's (Asia/Shanghai), not the server's.
    year = form.year.data or utcnow().astimezone(queries.OFFICE_TZ).year
    form.year.data = year
    return form, year, queries.register_statement(year, _valid_choice(form.category),
                                                  _valid_choice(form.closing))


@bp.route("/register")
@reads(RegisterFilterForm, "print", "page")
@permission_required(Permission.REGISTER_VIEW)
def register() -> str:
    form, year, stmt = _register_filter()
    printing = arg("print", parse_bool, False)
    per_page = 5000 if printing else current_app.config["PAGE_SIZE"]
    page = (db.paginate(stmt, page=arg_page(), per_page=per_page, max_per_page=5000,
                        error_out=False) if printing  # the printed register: every row, counted
            else paginate_capped(stmt, page=arg_page(), per_page=per_page))
    return render_template("cases/register.html", form=form, page=page, year=year,
                           printing=printing)


@bp.route("/register.pdf")
@reads(RegisterFilterForm)
@permission_required(Permission.REGISTER_VIEW)
def register_pdf() -> Response:
    _form, year, stmt = _register_filter()
    rows = queries.register_rows(stmt)
    return pdf_response(lambda: pdf.register_pdf(year, current_app.config["OFFICE_NAME"], rows),
                        f"register-{year}.pdf",
                        back=f"{url_for('cases.register')}?{request.query_string.decode()}")


@admin_bp.route("/")
@permission_required(Permission.SETTINGS_MANAGE)
def matters() -> str:
    return render_template("cases/matters.html", matters=catalogue.all_matters())


@admin_bp.route("/new", methods=["GET", "POST"])
@admin_bp.route("/<int:matter_id>", methods=["GET", "POST"])
@permission_required(Permission.SETTINGS_MANAGE)
def matter_form(matter_id: int | None = None) -> str | Response:
    matter = catalogue.get_matter(matter_id) if matter_id else None
    form = MatterTypeForm(obj=matter)
    if form.validate_on_submit() and (saved := run_service(
            form, lambda: catalogue.save_matter(matter, form.data, actor=current_user))):
        if next_page := catalogue.matter_follow_up(saved):
            flash(_("Saved. Complete what the matter still needs below."), "success")
            return redirect(next_page)
        flash(_("Saved."), "success")
        return redirect(url_for("matters.matters"))
    return render_template("cases/matter_form.html", form=form, matter=matter)
