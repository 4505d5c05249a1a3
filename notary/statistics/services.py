"""Submitting a report: its figures frozen with who and when (报表报送)."""

from __future__ import annotations

import copy
from typing import Any

from notary.core import audit
from notary.core.permissions import Permission, ensure_permitted
from notary.extensions import db
from notary.statistics import queries
from notary.statistics.models import SubmittedReport
from notary.statistics.rules import Period


def submit_report(period: Period, note: str | None, *, actor: Any) -> SubmittedReport:
    """Freeze the period's current figures as the submitted report."""
    ensure_permitted(actor, Permission.STATS_SUBMIT)
    figures = queries.report(period)
    report = SubmittedReport(kind=period.kind, period_start=period.start,
                             period_end=period.end, figures=copy.deepcopy(figures),
                             note=(note or "").strip() or None, submitted_by_id=actor.id)
    db.session.add(report)
    audit.record(db.session, actor, "stats.submit", report,
                 after={"period": period.title, "concluded": figures["concluded"]["total"],
                        "fee_income": figures["fee_income"]})
    db.session.commit()
    return report
