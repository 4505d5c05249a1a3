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
the page, the exports, the CLI and a submitted report's frozen copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from notary.auth.models import User
from notary.cases.models import Case, Category, MatterType, case_matters
from notary.cases.queries import local_day_start
from notary.cases.rules import ClosingType
from notary.consultations.models import Channel, Consultation
from notary.deadlines.models import CaseClock
from notary.extensions import db
from notary.fees.models import MONEY, DecisionStatus, Reduction, ReliefKind
from notary.fees.queries import income_by_month, local_month
from notary.investigations.models import Method
from notary.investigations.queries import counts_by_method
from notary.ledger.models import LedgerCase
from notary.legal_aid.models import LegalAidRecord
from notary.statistics.rules import Period

# The report's names for the categories: the keys of `by_category`, a stable contract.
CATEGORY_NAMES: dict[Category, str] = {
    Category.DOMESTIC_CIVIL: "国内民事", Category.DOMESTIC_ECONOMIC: "国内经济",
    Category.FOREIGN_CIVIL: "涉外民事", Category.FOREIGN_ECONOMIC: "涉外经济",
    Category.HONG_KONG: "涉港", Category.MACAO: "涉澳", Category.TAIWAN: "涉台",
}
HMT = (Category.HONG_KONG, Category.MACAO, Category.TAIWAN)
DOMESTIC = (Category.DOMESTIC_CIVIL, Category.DOMESTIC_ECONOMIC)
FOREIGN = (Category.FOREIGN_CIVIL, Category.FOREIGN_ECONOMIC)
ZERO = Decimal("0.00")
# The scalar figures shown beside the previous period and the same period a year before.
COMPARED = ("concluded.total", "concluded.issued", "concluded.refused", "concluded.terminated",
            "not_accepted", "certificates_issued", "complaints_received",
            "domestic_total", "foreign_total", "hk_macao_taiwan_total", "legal_aid_cases",
            "fee_income", "fee_reduction_total", "phone_consultation_persons",
            "visit_persons", "letter_persons", "online_persons", "investigations_done",
            "home_visits_done", "average_working_days", "on_time_rate",
            *(f"by_category.{name}" for name in CATEGORY_NAMES.values()))


class local_date(FunctionElement[str]):
    """'YYYY-MM-DD' of a UTC timestamp in Asia/Shanghai (UTC+8 all year)."""

    type = sa.String()
    inherit_cache = True


@compiles(local_date, "sqlite")
def _local_date_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m-%d', {compiler.process(element.clauses, **kw)}, '+8 hours')"


@compiles(local_date, "postgresql")
def _local_date_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return (f"to_char({compiler.process(element.clauses, **kw)} + interval '8 hours', "
            "'YYYY-MM-DD')")


def money(value: Decimal | int | None) -> str:
    """Money as the contract writes it: a string with two decimals."""
    return f"{Decimal(value or 0).quantize(Decimal('0.01')):f}"


def _concluded(period: Period) -> list[Any]:
    lo = local_day_start(period.start)
    hi = local_day_start(period.end + timedelta(days=1))
    return [Case.closing_type.is_not(None), Case.closed_at >= lo, Case.closed_at < hi]


def _bounds(period: Period) -> tuple[Any, Any]:
    return local_day_start(period.start), local_day_start(period.end + timedelta(days=1))


@dataclass(frozen=True)
class ConcludedCell:
    """Concluded cases of one closing type, category and local month."""

    closing: ClosingType
    category: Category
    month: str
    count: int


def concluded_grid(period: Period) -> list[ConcludedCell]:
    """The concluded cases counted by closing type, category and month in one grouped query:
    the figures by type, by category and by month are its sums (a few hundred cells at most),
    where three queries each read the period's cases."""
    month = local_month(Case.closed_at)
    rows = db.session.execute(
        sa.select(Case.closing_type, Case.category, month, sa.func.count(Case.id))
        .where(*_concluded(period)).group_by(Case.closing_type, Case.category, month))
    return [ConcludedCell(ClosingType(t), Category(c), str(m), int(n))
            for t, c, m, n in rows if t is not None]  # (never None: the period's concluded)


def closing_bucket(closing: ClosingType) -> str | None:
    """Where a closing counts among the concluded (STATS_CLOSING_COUNTS): by default a
    withdrawal as a termination, an application not accepted (不予受理) not at all."""
    return current_app.config["STATS_CLOSING_COUNTS"].get(closing.value)


def counted(grid: list[ConcludedCell]) -> list[ConcludedCell]:
    """The cells of the cases that count as concluded (办结)."""
    return [cell for cell in grid if closing_bucket(cell.closing) is not None]


def concluded_by_type(grid: list[ConcludedCell]) -> dict[str, int]:
    """办结 by closing type, each closing in its configured bucket."""
    out = {"issued": 0, "refused": 0, "terminated": 0}
    for cell in grid:
        if (key := closing_bucket(cell.closing)) is not None:
            out[key] += cell.count
    return {"total": sum(out.values()), **out}


def not_accepted(grid: list[ConcludedCell]) -> int:
    """Applications ended before acceptance (不予受理) that the settings keep apart."""
    return sum(cell.count for cell in grid if closing_bucket(cell.closing) is None)


def certificates_issued(period: Period) -> dict[Category, int]:
    """Certificates (公证书) issued in the period, 补正 certificates included, by the case's
    category, in one grouped query: one certificate is one 件 ([81]司公字第94号)."""
    from notary.certificates.models import Certificate

    rows = db.session.execute(
        sa.select(Case.category, sa.func.count(Certificate.id))
        .join(Case, Case.id == Certificate.case_id)
        .where(Certificate.issued_on >= period.start, Certificate.issued_on <= period.end)
        .group_by(Case.category))
    out = dict.fromkeys(Category, 0)
    for category, n in rows:
        out[Category(category)] += int(n)
    return out


def complaint_counts(period: Period) -> tuple[int, int]:
    """(received, answered) complaints in the period, in one query."""
    from notary.complaints.models import Complaint

    inside = sa.and_(Complaint.received_on >= period.start, Complaint.received_on <= period.end)
    answered = sa.and_(Complaint.answered_on >= period.start,
                       Complaint.answered_on <= period.end)
    row = db.session.execute(sa.select(
        sa.func.coalesce(sa.func.sum(sa.case((inside, 1), else_=0)), 0),
        sa.func.coalesce(sa.func.sum(sa.case((answered, 1), else_=0)), 0))
        .where(sa.or_(inside, answered))).one()
    return int(row[0]), int(row[1])


def concluded_by_category(grid: list[ConcludedCell]) -> dict[Category, int]:
    out = dict.fromkeys(Category, 0)
    for cell in grid:
        out[cell.category] += cell.count
    return out


def concluded_by_matter(period: Period) -> dict[str, int]:
    """By matter (a case with two matters counts under each), in catalogue order."""
    rows = db.session.execute(
        sa.select(MatterType.name, sa.func.count(Case.id))
        .join(case_matters, case_matters.c.case_id == Case.id)
        .join(MatterType, MatterType.id == case_matters.c.matter_type_id)
        .where(*_concluded(period))
        .group_by(MatterType.name, MatterType.sort_order, MatterType.id)
        .order_by(MatterType.sort_order, MatterType.id))
    return {name: int(n) for name, n in rows}


def concluded_by_notary(period: Period) -> dict[str, int]:
    """By handling notary; an imported case's historical handler counts under their name."""
    name = sa.func.coalesce(User.full_name, LedgerCase.handler_name, "—")
    rows = db.session.execute(
        sa.select(name, sa.func.count(Case.id))
        .outerjoin(User, User.id == Case.handling_notary_id)
        .outerjoin(LedgerCase, LedgerCase.case_id == Case.id)
        .where(*_concluded(period)).group_by(name).order_by(sa.func.count(Case.id).desc(), name))
    return {str(n): int(c) for n, c in rows}


def concluded_by_month(period: Period, grid: list[ConcludedCell]) -> dict[str, int]:
    """The monthly trend of concluded cases (every month of the period, zeros included)."""
    out = dict.fromkeys(period.months(), 0)
    for cell in grid:
        if cell.month in out:
            out[cell.month] += cell.count
    return out


def legal_aid_cases(period: Period) -> int:
    """Legal-aid matters completed in the period (a legal-aid record, or flagged in the
    ledger): counted on completion, as the filing to the legal-aid body is (legal-texts.md
    §8.1), so a refused or terminated case is not a completed matter."""
    aided = sa.or_(
        sa.exists().where(LegalAidRecord.case_id == Case.id),
        sa.exists().where(LedgerCase.case_id == Case.id, LedgerCase.is_legal_aid.is_(True)))
    return int(db.session.scalar(sa.select(sa.func.count(Case.id))
                                 .where(*_concluded(period), aided,
                                        Case.closing_type == ClosingType.ISSUED)) or 0)


def reduction_total(period: Period) -> Decimal:
    """Approved reductions and waivers (not deferrals) on the concluded cases."""
    decided = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Reduction.amount), 0))
        .join(Case, Case.id == Reduction.case_id)
        .where(*_concluded(period), Reduction.status == DecisionStatus.APPROVED,
               Reduction.kind.in_([ReliefKind.REDUCE, ReliefKind.WAIVE])))
    imported = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(LedgerCase.reduction_amount), 0))
        .join(Case, Case.id == LedgerCase.case_id).where(*_concluded(period)))
    return Decimal(decided or 0) + Decimal(imported or 0)


def fee_income(period: Period) -> tuple[Decimal, Decimal]:
    """(received, refunded) in the period: payments and refunds, plus ledger fees."""
    months = income_by_month(period.start, period.end)
    lo, hi = _bounds(period)
    imported = db.session.scalar(
        sa.select(sa.type_coerce(sa.func.coalesce(sa.func.sum(LedgerCase.fee_amount), 0), MONEY))
        .where(LedgerCase.fee_at >= lo, LedgerCase.fee_at < hi))
    received = sum((m.received for m in months), ZERO) + Decimal(imported or 0)
    return received, sum((m.refunded for m in months), ZERO)


def consultation_days(period: Period) -> list[tuple[str, Channel, int, int]]:
    """(local date, channel, records, person-times) in one grouped query, in date order: the
    daily log and the channel totals are both read from it."""
    lo, hi = _bounds(period)
    day = local_date(Consultation.received_at)
    rows = db.session.execute(
        sa.select(day, Consultation.channel, sa.func.count(Consultation.id),
                  sa.func.coalesce(sa.func.sum(Consultation.persons), 0))
        .where(Consultation.received_at >= lo, Consultation.received_at < hi,
               Consultation.voided_at.is_(None))  # a voided entry was a mistake
        .group_by(day, Consultation.channel).order_by(day))
    return [(str(d), Channel(c), int(n), int(p)) for d, c, n, p in rows]


def consultations_by_channel(days: list[tuple[str, Channel, int, int]]
                             ) -> dict[Channel, tuple[int, int]]:
    """(records, person-times) per channel."""
    out = dict.fromkeys(Channel, (0, 0))
    for _day, channel, records, persons in days:
        n, p = out[channel]
        out[channel] = (n + records, p + persons)
    return out


def consultations_by_date(days: list[tuple[str, Channel, int, int]]
                          ) -> dict[str, dict[str, int]]:
    """Person-times per local date and channel (days without any left out)."""
    out: dict[str, dict[str, int]] = {}
    for day, channel, _records, persons in days:
        out.setdefault(day, {})[channel.value] = persons
    return out


def clock_figures(period: Period) -> tuple[str | None, str | None]:
    """Average working days from acceptance to certificate, and the on-time rate (%)."""
    row = db.session.execute(
        sa.select(sa.func.avg(CaseClock.working_days_to_issue),
                  sa.func.count(CaseClock.issued_on_time),
                  sa.func.sum(sa.case((CaseClock.issued_on_time.is_(True), 1), else_=0)))
        .join(Case, Case.id == CaseClock.case_id)
        .where(*_concluded(period), Case.closing_type == ClosingType.ISSUED)).one()
    average, counted, on_time = row
    avg = None if average is None else f"{Decimal(str(average)).quantize(Decimal('0.1'))}"
    rate = None
    if counted:
        rate = f"{(Decimal(100 * int(on_time or 0)) / int(counted)).quantize(Decimal('0.1'))}"
    return avg, rate


def figures(period: Period) -> dict[str, Any]:
    """Every figure of the period, as plain JSON values (the CLI's and the report's contract)."""
    all_closings = concluded_grid(period)
    grid = counted(all_closings)
    by_category = concluded_by_category(grid)
    certificates = certificates_issued(period)
    complaints_received, complaints_answered = complaint_counts(period)
    hmt = sum(by_category[c] for c in HMT)
    domestic = sum(by_category[c] for c in DOMESTIC)
    foreign = sum(by_category[c] for c in FOREIGN)
    hmt_domestic = bool(current_app.config.get("STATS_HMT_AS_DOMESTIC", True))
    received, refunded = fee_income(period)
    days = consultation_days(period)
    channels = consultations_by_channel(days)
    methods = counts_by_method(period.start, period.end + timedelta(days=1))
    average, rate = clock_figures(period)
    return {
        "period": {"kind": period.kind, "start": period.start.isoformat(),
                   "end": period.end.isoformat(), "title": period.title},
        "concluded": concluded_by_type(grid),
        "not_accepted": not_accepted(all_closings),
        "certificates_issued": sum(certificates.values()),
        "certificates_hk_macao_taiwan": sum(certificates[c] for c in HMT),
        "complaints_received": complaints_received,
        "complaints_answered": complaints_answered,
        "by_category": {CATEGORY_NAMES[c]: n for c, n in by_category.items()},
        "hmt_roll_up": "domestic" if hmt_domestic else "separate",
        "domestic_total": domestic + (hmt if hmt_domestic else 0),
        "foreign_total": foreign,
        "hk_macao_taiwan_total": hmt,
        "by_matter": concluded_by_matter(period),
        "by_notary": concluded_by_notary(period),
        "monthly_concluded": concluded_by_month(period, grid),
        "legal_aid_cases": legal_aid_cases(period),
        "fee_received": money(received),
        "fee_refunded": money(refunded),
        "fee_income": money(received - refunded),
        "fee_reduction_total": money(reduction_total(period)),
        "consultations": {c.value: {"records": n, "persons": p}
                          for c, (n, p) in channels.items()},
        "phone_consultation_persons": channels[Channel.PHONE][1],
        "visit_persons": channels[Channel.VISIT][1],
        "letter_persons": channels[Channel.LETTER][1],
        "online_persons": channels[Channel.ONLINE][1],
        "consultations_by_date": consultations_by_date(days),
        "investigations_done": sum(n for m, n in methods.items() if m.is_verification),
        "home_visits_done": methods.get(Method.HOME_VISIT, 0),
        "average_working_days": average,
        "on_time_rate": rate,
    }


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
    """The period's figures with the previous period's and the year-before's beside them."""
    figs = figures(period)
    previous, year_before = period.previous(), period.year_before()
    figs["comparison"] = {
        "previous_period": {"start": previous.start.isoformat(),
                            "end": previous.end.isoformat()},
        "same_period_last_year": {"start": year_before.start.isoformat(),
                                  "end": year_before.end.isoformat()},
        "figures": compared(figs, figures(previous), figures(year_before)),
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


