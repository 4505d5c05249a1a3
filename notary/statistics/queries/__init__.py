"""The period figures, each computed by the database with grouped queries.

Definitions (issue 7, domain.md §6):
- concluded (办结): closed in the period by issue, refusal or termination, a withdrawal (撤回)
  counting as a termination, by local closing date;
- domestic / foreign: the seven fine-grained categories rolled up; by default, as in the
  Leiyang report, 涉港/涉澳/涉台 count as domestic (STATS_HMT_AS_DOMESTIC);
- legal aid and reductions: on the concluded cases; fee income: payments less refunds in
  the period (plus imported ledger fees on their date);
- consultations and visits in person-times (人次).
The figures are plain JSON values (money as strings with two decimals): the same dict feeds
the page, the exports, the CLI and a submitted report's frozen copy. A report reads each
table once for the period and the two it is compared with (`tables`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app

from notary.cases.models import Category
from notary.consultations.models import Channel
from notary.extensions import db
from notary.investigations.models import Method
from notary.statistics.queries.tables import (
    HMT,
    ZERO,
    ConcludedCell,
    Day,
    aid_and_reductions,
    certificates_issued,
    clock_figures,
    closing_bucket,
    complaint_counts,
    concluded_by_category,
    concluded_by_matter,
    concluded_by_month,
    concluded_by_notary,
    concluded_by_type,
    concluded_grid,
    consultation_days,
    consultations_by_channel,
    consultations_by_date,
    counted,
    fee_income,
    investigations_done,
    money,
    not_accepted,
)
from notary.statistics.rules import Period

__all__ = ["CATEGORY_NAMES", "COMPARED", "DOMESTIC", "FOREIGN", "HMT", "ZERO", "ConcludedCell",
           "Day", "aid_and_reductions", "certificates_issued", "clock_figures",
           "closing_bucket", "compared", "complaint_counts", "concluded_by_category",
           "concluded_by_matter", "concluded_by_month", "concluded_by_notary",
           "concluded_by_type", "concluded_grid", "consultation_days",
           "consultations_by_channel", "consultations_by_date", "counted", "differences",
           "fee_income", "figures", "investigations_done", "latest_submission", "money",
           "not_accepted", "pick", "report"]

# The report's names for the categories: the keys of `by_category`, a stable contract.
CATEGORY_NAMES: dict[Category, str] = {
    Category.DOMESTIC_CIVIL: "国内民事", Category.DOMESTIC_ECONOMIC: "国内经济",
    Category.FOREIGN_CIVIL: "涉外民事", Category.FOREIGN_ECONOMIC: "涉外经济",
    Category.HONG_KONG: "涉港", Category.MACAO: "涉澳", Category.TAIWAN: "涉台",
}
DOMESTIC = (Category.DOMESTIC_CIVIL, Category.DOMESTIC_ECONOMIC)
FOREIGN = (Category.FOREIGN_CIVIL, Category.FOREIGN_ECONOMIC)
# The scalar figures shown beside the previous period and the same period a year before.
COMPARED = ("concluded.total", "concluded.issued", "concluded.refused", "concluded.terminated",
            "not_accepted", "certificates_issued", "complaints_received",
            "domestic_total", "foreign_total", "hk_macao_taiwan_total", "legal_aid_cases",
            "fee_income", "fee_reduction_total", "phone_consultation_persons",
            "visit_persons", "letter_persons", "online_persons", "investigations_done",
            "home_visits_done", "average_working_days", "on_time_rate",
            *(f"by_category.{name}" for name in CATEGORY_NAMES.values()))


def _figures(periods: list[Period]) -> list[dict[str, Any]]:
    """The figures of the first period, and the compared figures (COMPARED) of the others:
    one statement per table for all of them, so the page reads each table once."""
    shown = periods[0]
    all_closings = concluded_grid(periods)
    certificates = certificates_issued(periods)
    complaints = complaint_counts(periods)
    aid = aid_and_reductions(periods)
    fees = fee_income(periods)
    days = consultation_days(periods)
    methods = investigations_done(periods)
    hmt_domestic = bool(current_app.config.get("STATS_HMT_AS_DOMESTIC", True))
    out = []
    for i, period in enumerate(periods):
        cells = [cell for cell in all_closings if cell.bucket == i]
        grid = counted(cells)
        by_category = concluded_by_category(grid)
        hmt = sum(by_category[c] for c in HMT)
        domestic = sum(by_category[c] for c in DOMESTIC)
        foreign = sum(by_category[c] for c in FOREIGN)
        received, refunded = fees[i]
        channels = consultations_by_channel(days[i])
        average, rate = clock_figures(cells)
        figs: dict[str, Any] = {
            "period": {"kind": period.kind, "start": period.start.isoformat(),
                       "end": period.end.isoformat(), "title": period.title},
            "concluded": concluded_by_type(grid),
            "not_accepted": not_accepted(cells),
            "certificates_issued": certificates[i][0],
            "certificates_hk_macao_taiwan": certificates[i][1],
            "complaints_received": complaints[i][0],
            "complaints_answered": complaints[i][1],
            "by_category": {CATEGORY_NAMES[c]: n for c, n in by_category.items()},
            "hmt_roll_up": "domestic" if hmt_domestic else "separate",
            "domestic_total": domestic + (hmt if hmt_domestic else 0),
            "foreign_total": foreign,
            "hk_macao_taiwan_total": hmt,
            "by_matter": concluded_by_matter(period) if i == 0 else {},
            "by_notary": concluded_by_notary(period) if i == 0 else {},
            "monthly_concluded": concluded_by_month(period, grid) if i == 0 else {},
            "legal_aid_cases": aid[i][0],
            "fee_received": money(received),
            "fee_refunded": money(refunded),
            "fee_income": money(received - refunded),
            "fee_reduction_total": money(aid[i][1]),
            "consultations": {c.value: {"records": n, "persons": p}
                              for c, (n, p) in channels.items()},
            "phone_consultation_persons": channels[Channel.PHONE][1],
            "visit_persons": channels[Channel.VISIT][1],
            "letter_persons": channels[Channel.LETTER][1],
            "online_persons": channels[Channel.ONLINE][1],
            "consultations_by_date": consultations_by_date(days[i]) if i == 0 else {},
            "investigations_done": sum(n for m, n in methods[i].items() if m.is_verification),
            "home_visits_done": methods[i].get(Method.HOME_VISIT, 0),
            "average_working_days": average,
            "on_time_rate": rate,
        }
        out.append(figs)
    assert out[0]["period"]["start"] == shown.start.isoformat()
    return out


def figures(period: Period) -> dict[str, Any]:
    """Every figure of the period, as plain JSON values (the CLI's and the report's contract)."""
    return _figures([period])[0]


def pick(figs: dict[str, Any], key: str) -> Any:
    """A figure by dotted key ('concluded.total')."""
    value: Any = figs
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def compared(figs: dict[str, Any], previous: dict[str, Any], year_before: dict[str, Any]
             ) -> dict[str, dict[str, Any]]:
    """The compared scalars: {key: {current, previous, year_before}}."""
    return {key: {"current": pick(figs, key), "previous": pick(previous, key),
                  "year_before": pick(year_before, key)} for key in COMPARED}


def report(period: Period) -> dict[str, Any]:
    """The period's figures with the previous period's and the year-before's beside them,
    the three periods read together (one statement per table, not three)."""
    previous, year_before = period.previous(), period.year_before()
    figs, before, year_ago = _figures([period, previous, year_before])
    figs["comparison"] = {
        "previous_period": {"start": previous.start.isoformat(),
                            "end": previous.end.isoformat()},
        "same_period_last_year": {"start": year_before.start.isoformat(),
                                  "end": year_before.end.isoformat()},
        "figures": compared(figs, before, year_ago),
    }
    return figs


def differences(frozen: dict[str, Any], current: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(key, frozen, current) for every leaf figure that changed since the submission."""
    out: list[tuple[str, Any, Any]] = []

    def walk(a: Any, b: Any, prefix: str) -> None:
        if isinstance(a, dict) or isinstance(b, dict):
            a, b = a if isinstance(a, dict) else {}, b if isinstance(b, dict) else {}
            for key in sorted(set(a) | set(b), key=str):
                if prefix == "" and key in ("comparison", "period"):
                    continue
                walk(a.get(key), b.get(key), f"{prefix}{key}" if not prefix
                     else f"{prefix}.{key}")
        elif a != b:
            out.append((prefix, a, b))

    walk(frozen, current, "")
    return out


def latest_submission(period: Period) -> Any:
    """The most recent report submitted for exactly this period, or None."""
    from notary.statistics.models import SubmittedReport

    return db.session.scalars(
        sa.select(SubmittedReport).where(SubmittedReport.period_start == period.start,
                                         SubmittedReport.period_end == period.end)
        .order_by(SubmittedReport.submitted_at.desc(), SubmittedReport.id.desc()).limit(1)
    ).first()


