"""The home page shows what each role works on today."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from notary.cases import queries
from notary.cases.rules import CaseStatus
from notary.core.models import office_today
from notary.core.paging import COUNT_CAP, paginate_rows
from notary.core.params import arg, arg_page, parse_choice, reads
from notary.core.permissions import Role, login_only
from notary.deadlines import queries as deadline_queries
from notary.deadlines.services import calendar_warnings
from notary.extensions import db
from notary.home import bp

S = CaseStatus
# A notary's cases grouped by stage, in procedure order.
NOTARY_STAGES = (S.APPLIED, S.ACCEPTED, S.UNDER_REVIEW, S.SUPPLEMENTING, S.VERIFYING,
                 S.AWAITING_APPROVAL, S.APPROVED, S.ISSUED, S.DELIVERED)


# Each list on a home page shows its first rows and how many there are; the whole list is one
# click away (`?list=NAME`), page by page.
PREVIEW = 10
STAGE_PREVIEW = 5  # each of a notary's eight stages: its tile gives the count
# The stage tiles count this far ("more than 999"): each is read in its index, a few thousand
# entries for a whole office instead of every case of the stage.
TILE_CAP = 999  # every count on the home page
INTAKE, WAITING, TO_ACCEPT, AWAITING = "intake", "waiting", "to_accept", "awaiting"


def _lists(role: Role, user_id: int, today: date
           ) -> dict[str, Callable[[], sa.Select[Any]]]:
    """The case lists a role's home page shows, by name, each giving its statement of list
    rows (`queries.case_rows`) when asked."""
    if role is Role.FRONT_DESK:
        return {INTAKE: lambda: queries.intake_statement(today, rows=True),
                WAITING: lambda: queries.to_accept_statement(rows=True)}
    if role in {Role.NOTARY, Role.ASSISTANT}:
        lists: dict[str, Callable[[], sa.Select[Any]]] = {
            s.value: partial(queries.in_statuses_statement, {s}, user_id=user_id, rows=True)
            for s in NOTARY_STAGES if s is not S.APPLIED}
        if role is Role.NOTARY:
            lists[TO_ACCEPT] = lambda: queries.to_accept_statement(user_id, rows=True)
        return lists
    if role is Role.DIRECTOR:
        return {AWAITING: lambda: queries.in_statuses_statement({S.AWAITING_APPROVAL},
                                                                rows=True),
                TO_ACCEPT: lambda: queries.to_accept_statement(rows=True)}
    return {}


def _first(make: Callable[[], sa.Select[Any]], count: bool = True
           ) -> tuple[list[queries.CaseRow], int]:
    """A list's first rows and how many there are (counted to TILE_CAP + 1; not counted,
    0, when a tile already says)."""
    stmt = make()
    return (queries.case_rows(db.session.execute(stmt.limit(PREVIEW)).all()),
            queries.count_capped(stmt, TILE_CAP + 1)[0] if count else 0)


@bp.route("/")
@reads("list", "page")
@login_only
def index() -> str:
    role = current_user.role
    today = office_today()
    lists = _lists(role, current_user.id, today)
    chosen = arg("list", lambda name, raw: parse_choice(name, raw, lists), None)
    context: dict[str, Any] = {"today": today, "unknown_years": calendar_warnings(today),
                               "chosen": chosen, "tile_cap": TILE_CAP}
    if chosen is not None:
        stmt = lists[chosen]()
        page = paginate_rows(stmt, page=arg_page(), per_page=current_app.config["PAGE_SIZE"],
                             count=False)
        page.total, page.total_capped = queries.count_capped(stmt, COUNT_CAP)
        page.items = queries.case_rows(page.items)
        return render_template("home/list.html", role=role, page=page, name=chosen,
                               title=_list_title(chosen), **context)
    if role in {Role.NOTARY, Role.ASSISTANT, Role.DIRECTOR}:
        # The director sees the whole office's deadlines, a notary their own.
        user_id = None if role is Role.DIRECTOR else current_user.id
        first = deadline_queries.queue_previews(("overdue", "due_soon"), today, user_id,
                                                each=PREVIEW)
        context["overdue"], context["due_soon"] = first["overdue"], first["due_soon"]
        context["queue_counts"] = deadline_queries.queue_counts(
            today, user_id, ("overdue", "due_soon"), cap=TILE_CAP)
    totals: dict[str, int] = {}
    if role is Role.FRONT_DESK:
        context["intake"], totals[INTAKE] = _first(lists[INTAKE])
        context["waiting"], totals[WAITING] = _first(lists[WAITING])
    elif role in {Role.NOTARY, Role.ASSISTANT}:
        stages = [s for s in NOTARY_STAGES if s is not S.APPLIED]
        first_rows = queries.first_in_each_status(stages, user_id=current_user.id,
                                                  each=STAGE_PREVIEW)
        context["stages"] = [(s, first_rows[s]) for s in stages]
        context["counts"] = counts = queries.status_counts_capped(
            stages, user_id=current_user.id, cap=TILE_CAP)
        totals.update({s.value: counts.get(s, 0) for s in stages})
        if role is Role.NOTARY:
            context["to_accept"], totals[TO_ACCEPT] = _first(lists[TO_ACCEPT])
    elif role is Role.DIRECTOR:
        context["awaiting"] = _first(lists[AWAITING], count=False)[0]
        context["to_accept"] = _first(lists[TO_ACCEPT], count=False)[0]
        context["counts"] = counts = queries.status_counts_capped(NOTARY_STAGES, cap=TILE_CAP)
        totals[AWAITING] = counts.get(S.AWAITING_APPROVAL, 0)
        totals[TO_ACCEPT] = counts.get(S.APPLIED, 0)
    return render_template("home/index.html", role=role, statuses=NOTARY_STAGES,
                           totals=totals, **context)


def _list_title(name: str) -> Any:
    titles = {INTAKE: _l("Today's intake"), WAITING: _l("Waiting for acceptance"),
              TO_ACCEPT: _l("Applications waiting for acceptance"),
              AWAITING: _l("Waiting for your approval")}
    return titles.get(name) or CaseStatus(name).label
