"""The home page shows what each role works on today."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from notary.cases import queries
from notary.cases.rules import CaseStatus
from notary.core.models import office_today
from notary.core.permissions import Role, login_only
from notary.deadlines import queries as deadline_queries
from notary.deadlines.services import calendar_warnings
from notary.home import bp

S = CaseStatus
# A notary's cases grouped by stage, in procedure order.
NOTARY_STAGES = (S.APPLIED, S.ACCEPTED, S.UNDER_REVIEW, S.SUPPLEMENTING, S.VERIFYING,
                 S.AWAITING_APPROVAL, S.APPROVED, S.ISSUED, S.DELIVERED)


@bp.route("/")
@login_only
def index() -> str:
    role = current_user.role
    today = office_today()
    context: dict[str, object] = {"today": today, "unknown_years": calendar_warnings(today)}
    if role in {Role.NOTARY, Role.ASSISTANT, Role.DIRECTOR}:
        # The director sees the whole office's deadlines, a notary their own.
        user_id = None if role is Role.DIRECTOR else current_user.id
        context["overdue"] = deadline_queries.queue_rows("overdue", today, user_id, limit=50)
        context["due_soon"] = deadline_queries.queue_rows("due_soon", today, user_id,
                                                          limit=50)
    if role is Role.FRONT_DESK:
        context["intake"] = queries.intake_on(today)
        context["waiting"] = queries.cases_in_statuses({S.APPLIED}, limit=50)
    elif role in {Role.NOTARY, Role.ASSISTANT}:
        cases = queries.cases_in_statuses(set(NOTARY_STAGES) - {S.APPLIED},
                                          user_id=current_user.id, limit=500)
        context["stages"] = [(s, [c for c in cases if c.status is s]) for s in NOTARY_STAGES
                             if s is not S.APPLIED]
        if role is Role.NOTARY:
            context["to_accept"] = queries.applications_to_accept(current_user.id)
        context["counts"] = queries.status_counts(current_user.id)
    elif role is Role.DIRECTOR:
        context["awaiting"] = queries.cases_in_statuses({S.AWAITING_APPROVAL}, limit=100)
        context["counts"] = queries.status_counts()
        context["to_accept"] = queries.applications_to_accept()
    return render_template("home/index.html", role=role, statuses=list(CaseStatus), **context)
