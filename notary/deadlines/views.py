"""Deadline pages: work queues, the clock panel on a case, calendar admin, recusal."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from notary.auth.forms import EmptyForm
from notary.auth.services import get_user
from notary.cases import queries as case_queries
from notary.cases import services as case_services
from notary.cases.models import Case, Category, Urgency
from notary.cases.panels import CasePanel, register_case_panel
from notary.cases.rules import CaseStatus
from notary.core.audit_labels import register_audit_labels
from notary.core.forms import run_service
from notary.core.models import local_date, office_today
from notary.core.page_cache import kept_for_version
from notary.core.paging import COUNT_CAP, paginate_rows, row_labels
from notary.core.params import arg, arg_page, parse_choice, reads
from notary.core.permissions import Permission, Role, has_permission, permission_required
from notary.deadlines import bp, calendar_bp, queries, services
from notary.deadlines.forms import (
    CalendarDayForm,
    CalendarYearForm,
    ExpediteForm,
    PauseForm,
    RecusalDecisionForm,
    RecusalRequestForm,
    StaffRelationForm,
)
from notary.deadlines.models import CalendarDay, PauseKind, RecusalStatus, Relation
from notary.extensions import db
from notary.parties.rules import DocumentType

register_audit_labels(actions={
    "clock.pause": _l("Clock paused"),
    "clock.resume": _l("Clock resumed"),
    "clock.expedite": _l("Expedited target approved"),
    "recusal.request": _l("Recusal requested"),
    "recusal.decide": _l("Recusal decided"),
    "calendar.day": _l("Calendar day entered"),
    "calendar.day_removed": _l("Calendar day removed"),
    "calendar.year_complete": _l("Calendar year completed"),
    "calendar.year_reopened": _l("Calendar year reopened"),
    "staff_relation.add": _l("Relative recorded"),
    "staff_relation.active": _l("Relative record changed"),
}, fields={
    "pause": _l("Pause"),
    "started_on": _l("From"),
    "ended_on": _l("Until"),
    "expedite_days": _l("Target in working days (0 = the same day)"),
    "expedite_due_date": _l("Expedited target"),
    "recusal_request": _l("Recusal request"),
    "requested_by": _l("Requested by (party)"),
}, enums={"pause": PauseKind},
    action_enums={("staff_relation.add", "relation"): Relation})

# Whose cases a role's queues show: its own, or the whole office.
OFFICE_WIDE_ROLES = frozenset({Role.DIRECTOR, Role.FRONT_DESK})


def _queue_user(actor: Any) -> int | None:
    return None if actor.role in OFFICE_WIDE_ROLES else actor.id


# Rows each queue shows on the overview; the whole queue is one click away, page by page.
QUEUE_PREVIEW = 10
REVIEWS = "reviews"


@bp.route("/")
@reads("queue", "page")
@permission_required(Permission.CASE_VIEW)
def queues() -> str:
    from notary.certificates.reviewing import reviews_due_statement  # builds on deadlines

    today = office_today()
    user_id = _queue_user(current_user)
    names = tuple(q.name for q in queries.QUEUES)
    chosen = arg("queue", lambda name, raw: parse_choice(name, raw, (*names, REVIEWS)), None)
    cap = COUNT_CAP
    counts = queries.queue_counts(today, user_id, cap=cap)
    shown = [q for q in queries.QUEUES if chosen in (None, q.name)]
    page = None
    if chosen is None:
        rows = queries.queue_previews(names, today, user_id, each=QUEUE_PREVIEW)
        reviews_page = paginate_rows(reviews_due_statement(today, user_id), page=1,
                                     per_page=QUEUE_PREVIEW, cap=cap)
    else:
        per_page = current_app.config["PAGE_SIZE"]
        rows = {}
        reviews_page = None
        if chosen == REVIEWS:
            reviews_page = page = paginate_rows(reviews_due_statement(today, user_id),
                                                page=arg_page(), per_page=per_page, cap=cap)
        else:
            page = paginate_rows(queries.queue_statement(chosen, today, user_id)
                                 .with_only_columns(Case.id), page=arg_page(),
                                 per_page=per_page, cap=cap)
            found = queries.queue_rows_of([case_id for (case_id,) in page.items])
            rows[chosen] = [found[case_id] for (case_id,) in page.items]
    return render_template("deadlines/queues.html", queues=queries.QUEUES, shown=shown,
                           labels=row_labels(CaseStatus, Category, Urgency),
                           rows=rows, counts=counts, chosen=chosen, page=page, cap=cap,
                           reviews=[r for (r,) in reviews_page.items] if reviews_page else [],
                           reviews_total=reviews_page.total if reviews_page else 0,
                           today=today, office_wide=user_id is None,
                           archive_deadline=lambda closed_at: queries.archive_deadline(
                               local_date(closed_at)),
                           calendar=services.working_calendar(),
                           unknown_years=services.calendar_warnings(today))


def _clock_panel(case: Case, actor: Any) -> dict[str, Any] | None:
    clock = services.get_clock(case)
    recusals = services.recusals_of(case.id)
    if clock is None and not recusals and not has_permission(actor, Permission.RECUSAL_REQUEST):
        return None
    today = office_today()
    return {
        "clock": clock,
        "state": services.clock_state(clock, today) if clock else None,
        "expedite": services.expedite_state(clock, today) if clock else None,
        "archive_deadline": (queries.archive_deadline(local_date(case.closed_at))
                             if case.closed_at and case.archived_at is None else None),
        "can_pause": clock is not None and clock.stopped_on is None
        and services.can_work_clock(actor, case),
        "can_expedite": clock is not None and clock.stopped_on is None
        and has_permission(actor, Permission.EXPEDITE_APPROVE),
        "recusals": recusals,
        "names": case_queries.user_names({r.notary_id for r in recusals}
                                         | {r.new_notary_id for r in recusals
                                            if r.new_notary_id}),
        "can_request_recusal": has_permission(actor, Permission.RECUSAL_REQUEST)
        and case.handling_notary_id is not None
        and not any(r.status is RecusalStatus.PENDING for r in recusals),
        "button_form": EmptyForm(),
    }


register_case_panel(CasePanel("deadlines/_panel.html", _clock_panel, column="side", order=10))


@bp.route("/cases/<int:case_id>/pause", methods=["GET", "POST"])
@permission_required(Permission.CASE_PROCESS)
def pause(case_id: int) -> str | Response:
    case = case_services.get_case(case_id)
    form = PauseForm()
    form.kind.choices = [(k.value, k.label) for k in services.allowed_pause_kinds()]
    if form.validate_on_submit() and run_service(form, lambda: services.pause_clock(
            case, PauseKind(form.kind.data), form.reason.data or "", actor=current_user)):
        flash(_("The clock is paused."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("deadlines/pause.html", case=case, form=form)


@bp.route("/cases/<int:case_id>/pauses/<int:pause_id>/resume", methods=["POST"])
@permission_required(Permission.CASE_PROCESS)
def resume(case_id: int, pause_id: int) -> Response:
    case = case_services.get_case(case_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.resume_clock(case, pause_id, actor=current_user)
    flash(_("The clock runs again."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/cases/<int:case_id>/expedite", methods=["GET", "POST"])
@permission_required(Permission.EXPEDITE_APPROVE)
def expedite(case_id: int) -> str | Response:
    case = case_services.get_case(case_id)
    clock = services.get_clock(case)
    form = ExpediteForm(days=clock.expedite_days if clock else None,
                        note=case.urgency_reason)
    if form.validate_on_submit() and run_service(form, lambda: services.approve_expedite(
            case, form.days.data or 0, form.note.data or "", actor=current_user)):
        flash(_("Target approved."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("deadlines/expedite.html", case=case, form=form)


@bp.route("/cases/<int:case_id>/recusal", methods=["GET", "POST"])
@permission_required(Permission.RECUSAL_REQUEST)
def request_recusal(case_id: int) -> str | Response:
    case = case_services.get_case(case_id)
    form = RecusalRequestForm()
    if form.validate_on_submit() and run_service(form, lambda: services.request_recusal(
            case, form.requested_by.data or "", form.reason.data or "", actor=current_user)):
        flash(_("The request is recorded; the director decides."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("deadlines/recusal_request.html", case=case, form=form)


@bp.route("/recusals/<int:request_id>", methods=["GET", "POST"])
@permission_required(Permission.RECUSAL_DECIDE)
def decide_recusal(request_id: int) -> str | Response:
    recusal = services.get_recusal(request_id)
    case = case_services.get_case(recusal.case_id)
    form = RecusalDecisionForm()
    form.new_notary_id.choices = [(None, "—"), *[
        (i, n) for i, n in case_queries.staff_choices(Role.NOTARY, Role.DIRECTOR)
        if i != recusal.notary_id]]
    if form.validate_on_submit() and run_service(form, lambda: services.decide_recusal(
            recusal, form.decision.data == "grant",
            int(form.new_notary_id.data) if form.new_notary_id.data else None,
            form.decision_note.data or "", actor=current_user)):
        flash(_("Decision recorded."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("deadlines/recusal_decide.html", case=case, recusal=recusal,
                           form=form, notary=get_user(recusal.notary_id))


@bp.route("/staff/<int:user_id>/relations", methods=["GET", "POST"])
@permission_required(Permission.USER_MANAGE)
def staff_relations(user_id: int) -> str | Response:
    user = get_user(user_id)
    form = StaffRelationForm()
    if form.validate_on_submit() and run_service(form, lambda: services.add_staff_relation(
            user, Relation(form.relation.data), form.name.data or "",
            DocumentType(form.document_type.data), form.document_number.data or "",
            actor=current_user)):
        flash(_("Saved."), "success")
        return redirect(url_for("deadlines.staff_relations", user_id=user.id))
    return render_template("deadlines/staff_relations.html", user=user, form=form,
                           relations=services.relations_of(user.id), button_form=EmptyForm())


@bp.route("/staff/relations/<int:relation_id>/active", methods=["POST"])
@permission_required(Permission.USER_MANAGE)
def toggle_staff_relation(relation_id: int) -> Response:
    if not EmptyForm().validate_on_submit():
        abort(400)
    entry = services.set_staff_relation_active(
        relation_id, request.form.get("active") == "1", actor=current_user)
    return redirect(url_for("deadlines.staff_relations", user_id=entry.user_id))


@calendar_bp.route("/", methods=["GET", "POST"])
@reads(CalendarYearForm)
@permission_required(Permission.CALENDAR_MANAGE)
def index() -> str | Response:
    year = CalendarYearForm(request.args).year.data or office_today().year
    form = CalendarDayForm()
    if form.validate_on_submit() and form.day.data and run_service(
            form, lambda: services.set_calendar_day(form.day.data, form.is_working.data == "1",
                                                    form.note.data or "", actor=current_user)):
        flash(_("Saved; open deadlines were recalculated."), "success")
        return redirect(url_for("calendar.index", year=form.day.data.year))
    return render_template("deadlines/calendar.html", form=form, year=year,
                           days=_official_and_office_days(year),
                           calendar=services.working_calendar(), button_form=EmptyForm(),
                           unknown_years=services.calendar_warnings())


def _official_and_office_days(year: int) -> list[dict[str, Any]]:
    """The year's non-standard days: official holidays/make-up days and office corrections."""
    import chinese_calendar
    import sqlalchemy as sa

    from notary.core.calendar import WorkingCalendar

    office = {d.day: d for d in db.session.scalars(
        sa.select(CalendarDay).where(sa.extract("year", CalendarDay.day) == year))}
    from chinese_calendar.constants import Holiday

    # The official holidays are named in the reader's language (the library knows both).
    english = str(get_locale() or "").startswith("en")
    chinese_names = {h.value: h.value if english else h.chinese for h in Holiday}
    official = WorkingCalendar()
    rows: dict[Any, dict[str, Any]] = {}
    if official.knows(year):
        for day, name in [*chinese_calendar.holidays.items(), *chinese_calendar.workdays.items()]:
            if day.year == year:
                rows[day] = {"day": day, "working": official.is_working_day(day),
                             "note": chinese_names.get(name, name), "office": None}
    for day, entry in office.items():
        rows[day] = {"day": day, "working": entry.is_working, "note": entry.note,
                     "office": entry}
    return [rows[d] for d in sorted(rows)]


@calendar_bp.route("/<int:entry_id>/remove", methods=["POST"])
@permission_required(Permission.CALENDAR_MANAGE)
def remove(entry_id: int) -> Response:
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.remove_calendar_day(entry_id, actor=current_user)
    flash(_("Saved; open deadlines were recalculated."), "success")
    return redirect(url_for("calendar.index"))


@calendar_bp.route("/years/<int:year>", methods=["POST"])
@permission_required(Permission.CALENDAR_MANAGE)
def year_complete(year: int) -> Response:
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.set_year_complete(year, request.form.get("complete") == "1", actor=current_user)
    flash(_("Saved; open deadlines were recalculated."), "success")
    return redirect(url_for("calendar.index", year=year))


@bp.app_context_processor
def deadline_counts() -> dict[str, Any]:
    """Overdue and due-soon counts for the navigation, so nobody has to go looking."""
    try:
        user = current_user._get_current_object()
    except Exception:  # outside a request (e.g. rendering an error page early)
        return {}
    if not getattr(user, "is_authenticated", False) or not has_permission(
            user, Permission.CASE_VIEW) or user.role is Role.FRONT_DESK:
        return {}
    today, user_id = office_today(), _queue_user(user)
    return {"deadline_counts": kept_for_version(
        ("deadlines.menu_counts", today, user_id, user.role),
        lambda: queries.menu_counts(today, user_id))}
