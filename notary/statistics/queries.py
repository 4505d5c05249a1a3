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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import current_app

from notary.auth.models import User
from notary.cases.models import Case, Category, MatterType, case_matters
from notary.cases.queries import local_day_start
from notary.cases.rules import ClosingType
from notary.consultations.models import Channel, Consultation
from notary.core.models import office_day
from notary.deadlines.models import CaseClock
from notary.extensions import db
from notary.fees.models import MONEY, DecisionStatus, Reduction, ReliefKind
from notary.investigations.models import Investigation, Method, TaskStatus
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


def money(value: Decimal | int | None) -> str:
    """Money as the contract writes it: a string with two decimals."""
    return f"{Decimal(value or 0).quantize(Decimal('0.01')):f}"


def _bounds(period: Period) -> tuple[Any, Any]:
    return local_day_start(period.start), local_day_start(period.end + timedelta(days=1))


def _concluded(period: Period) -> list[Any]:
    lo, hi = _bounds(period)
    return [Case.closing_type.is_not(None), Case.closed_at >= lo, Case.closed_at < hi]


def _bucket(index: int) -> Any:
    """The period a row of a bucketed query belongs to: 0 the shown period, then the
    periods compared with it (a constant in each branch of a UNION ALL)."""
    return sa.literal_column(str(int(index))).label("bucket")


def _each(periods: list[Period], branch: Callable[[int, Period], Any]) -> Any:
    """One statement over every period: a branch per period, each reading its own range of
    the table's index (the periods may overlap: a long date range and the year before)."""
    selects = [branch(i, period) for i, period in enumerate(periods)]
    return selects[0] if len(selects) == 1 else sa.union_all(*selects)


@dataclass(frozen=True)
class ConcludedCell:
    """Concluded cases of one closing type, category and local month ('' for a compared
    period, which is not shown by month), with the time-limit figures of the issued ones."""

    closing: ClosingType
    category: Category
    month: str
    count: int
    bucket: int = 0
    days_counted: int = 0  # issued cases with their working days to issue
    days: int = 0
    on_time_counted: int = 0
    on_time: int = 0


def concluded_grid(periods: list[Period]) -> list[ConcludedCell]:
    """The concluded cases of every period counted by closing type and category (and month,
    for the shown period) in one statement: a branch per period, or per month of the shown
    one, each a range of the index on the closing time (no per-row date conversion); the
    certificate clock of the issued ones is summed alongside. The figures by type, category
    and month, the average working days and the on-time rate are sums of its cells."""
    parts = [(0, key, part) for key, part in periods[0].month_parts()]
    parts += [(i, None, period) for i, period in enumerate(periods) if i]

    def branch(i: int, month: str | None, period: Period) -> Any:
        label = sa.null() if month is None else sa.literal_column(f"'{month}'")
        return (sa.select(_bucket(i), Case.closing_type, Case.category, label.label("month"),
                          sa.func.count(),
                          sa.func.count(CaseClock.working_days_to_issue),
                          sa.func.coalesce(sa.func.sum(CaseClock.working_days_to_issue), 0),
                          sa.func.count(CaseClock.issued_on_time),
                          sa.func.coalesce(sa.func.sum(sa.case(
                              (CaseClock.issued_on_time.is_(True), 1), else_=0)), 0))
                .select_from(Case)
                .outerjoin(CaseClock, sa.and_(CaseClock.case_id == Case.id,
                                              Case.closing_type == ClosingType.ISSUED))
                .where(*_concluded(period)).group_by(Case.closing_type, Case.category))

    selects = [branch(*part) for part in parts]
    query = selects[0] if len(selects) == 1 else sa.union_all(*selects)
    return [ConcludedCell(ClosingType(t), Category(c), str(m or ""), int(n), int(b), int(dn),
                          int(d), int(on), int(ot))
            for b, t, c, m, n, dn, d, on, ot in db.session.execute(query)
            if t is not None]  # (never None: the period's concluded)


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


def concluded_by_category(grid: list[ConcludedCell]) -> dict[Category, int]:
    out = dict.fromkeys(Category, 0)
    for cell in grid:
        out[cell.category] += cell.count
    return out


def concluded_by_month(period: Period, grid: list[ConcludedCell]) -> dict[str, int]:
    """The monthly trend of concluded cases (every month of the period, zeros included)."""
    out = dict.fromkeys(period.months(), 0)
    for cell in grid:
        if cell.month in out:
            out[cell.month] += cell.count
    return out


def clock_figures(grid: list[ConcludedCell]) -> tuple[str | None, str | None]:
    """Average working days from acceptance to certificate, and the on-time rate (%), of
    the cases concluded by issue (every closing's cells: the clock is on the issued only)."""
    days_counted = sum(cell.days_counted for cell in grid)
    counted_ = sum(cell.on_time_counted for cell in grid)
    avg = rate = None
    if days_counted:
        avg = f"{(Decimal(sum(c.days for c in grid)) / days_counted).quantize(Decimal('0.1'))}"
    if counted_:
        on_time = sum(cell.on_time for cell in grid)
        rate = f"{(Decimal(100 * on_time) / counted_).quantize(Decimal('0.1'))}"
    return avg, rate


def certificates_issued(periods: list[Period]) -> list[tuple[int, int]]:
    """(certificates, of which 涉港澳台) issued in each period, 补正 certificates included:
    one certificate is one 件 ([81]司公字第94号). One statement: the counts from the index on
    the issue date, and for the shown period the 涉港澳台 ones through their cases (few: read
    from the index on the category, not by looking up every certificate's case)."""
    from notary.certificates.models import Certificate

    def inside(period: Period) -> tuple[Any, Any]:
        return Certificate.issued_on >= period.start, Certificate.issued_on <= period.end

    selects = [sa.select(_bucket(i), sa.func.count().label("n"),
                         sa.literal_column("0").label("hmt"))
               .select_from(Certificate).where(*inside(period))
               for i, period in enumerate(periods)]
    selects.append(sa.select(_bucket(0), sa.literal_column("0"), sa.func.count())
                   .select_from(Certificate).join(Case, Case.id == Certificate.case_id)
                   .where(*inside(periods[0]), Case.category.in_(HMT)))
    out = [(0, 0) for _ in periods]
    for bucket, n, hmt in db.session.execute(sa.union_all(*selects)):
        total, of_hmt = out[int(bucket)]
        out[int(bucket)] = (total + int(n), of_hmt + int(hmt))
    return out


def complaint_counts(periods: list[Period]) -> list[tuple[int, int]]:
    """(received, answered) complaints in each period, in one statement."""
    from notary.complaints.models import Complaint

    def branch(i: int, period: Period) -> Any:
        inside = sa.and_(Complaint.received_on >= period.start,
                         Complaint.received_on <= period.end)
        answered = sa.and_(Complaint.answered_on >= period.start,
                           Complaint.answered_on <= period.end)
        return sa.select(_bucket(i),
                         sa.func.coalesce(sa.func.sum(sa.case((inside, 1), else_=0)), 0),
                         sa.func.coalesce(sa.func.sum(sa.case((answered, 1), else_=0)), 0)
                         ).where(sa.or_(inside, answered))

    out = [(0, 0) for _ in periods]
    for bucket, received, answered in db.session.execute(_each(periods, branch)):
        out[int(bucket)] = (int(received), int(answered))
    return out


def concluded_by_matter(period: Period) -> dict[str, int]:
    """By matter (a case with two matters counts under each), in catalogue order: counted by
    matter id over the period's cases, then named."""
    counts = (sa.select(case_matters.c.matter_type_id.label("id"), sa.func.count().label("n"))
              .select_from(Case).join(case_matters, case_matters.c.case_id == Case.id)
              .where(*_concluded(period)).group_by(case_matters.c.matter_type_id).subquery())
    rows = db.session.execute(
        sa.select(MatterType.name, counts.c.n).join(counts, counts.c.id == MatterType.id)
        .order_by(MatterType.sort_order, MatterType.id))
    return {name: int(n) for name, n in rows}


def concluded_by_notary(period: Period) -> dict[str, int]:
    """By handling notary; an imported case's historical handler counts under their name.
    Counted by notary id from the index (the ledger read only for cases without one), then
    named."""
    counts = (sa.select(Case.handling_notary_id.label("notary_id"),
                        LedgerCase.handler_name.label("handler"), sa.func.count().label("n"))
              .select_from(Case)
              .outerjoin(LedgerCase, sa.and_(LedgerCase.case_id == Case.id,
                                             Case.handling_notary_id.is_(None)))
              .where(*_concluded(period))
              .group_by(Case.handling_notary_id, LedgerCase.handler_name).subquery())
    name = sa.func.coalesce(User.full_name, counts.c.handler, "—")
    total = sa.func.sum(counts.c.n)
    rows = db.session.execute(
        sa.select(name, total).select_from(counts)
        .outerjoin(User, User.id == counts.c.notary_id)
        .group_by(name).order_by(total.desc(), name))
    return {str(n): int(c) for n, c in rows}


def aid_and_reductions(periods: list[Period]) -> list[tuple[int, Decimal]]:
    """(legal-aid matters, reductions) of the cases concluded in each period, in one
    statement: per period a branch for each source (legal-aid records, the ledger, approved
    reductions) joined to its cases, each read from the smaller side (the legal-aid records
    as an IN list of case ids; a union of the sources joined once made SQLite read every case
    row).

    Legal aid (a legal-aid record, or flagged in the ledger) is counted on completion, as the
    filing to the legal-aid body is (legal-texts.md §8.1): a refused or terminated case is not
    a completed matter. Reductions: approved reductions and waivers (not deferrals) and the
    ledger's reductions, on every concluded case."""
    issued = Case.closing_type == ClosingType.ISSUED
    recorded = sa.exists().where(LegalAidRecord.case_id == Case.id)
    none = sa.literal_column("0")

    def total(column: Any) -> Any:
        return sa.type_coerce(sa.func.coalesce(sa.func.sum(column), 0), MONEY)

    selects = []
    for i, period in enumerate(periods):
        concluded = _concluded(period)
        selects += [
            sa.select(_bucket(i), sa.func.count().label("aid"), total(none).label("amount"))
            .select_from(Case)
            .where(*concluded, issued, Case.id.in_(sa.select(LegalAidRecord.case_id))),
            sa.select(_bucket(i), sa.func.count(sa.case(
                (sa.and_(LedgerCase.is_legal_aid.is_(True), issued, ~recorded), 1))),
                total(LedgerCase.reduction_amount))
            .join(Case, Case.id == LedgerCase.case_id).where(*concluded),
            sa.select(_bucket(i), none, total(Reduction.amount))
            .join(Case, Case.id == Reduction.case_id)
            .where(*concluded, Reduction.status == DecisionStatus.APPROVED,
                   Reduction.kind.in_([ReliefKind.REDUCE, ReliefKind.WAIVE])),
        ]
    aid = [0 for _ in periods]
    amounts = [ZERO for _ in periods]
    for bucket, n, amount in db.session.execute(sa.union_all(*selects)):
        aid[int(bucket)] += int(n)
        amounts[int(bucket)] += Decimal(amount or 0)
    return list(zip(aid, amounts, strict=True))


def fee_income(periods: list[Period]) -> list[tuple[Decimal, Decimal]]:
    """(received, refunded) in each period: payments and refunds, plus the ledger's fees on
    their date; one statement, a branch per table and period."""
    from notary.fees.models import Payment, Refund

    def total(column: Any) -> Any:
        return sa.type_coerce(sa.func.coalesce(sa.func.sum(column), 0), MONEY)

    none = sa.literal_column("0")
    selects = []
    for i, period in enumerate(periods):
        lo, hi = _bounds(period)
        selects += [
            sa.select(_bucket(i), total(Payment.amount).label("received"),
                      none.label("refunded")).where(Payment.paid_at >= lo, Payment.paid_at < hi),
            sa.select(_bucket(i), none, total(Refund.amount))
            .where(Refund.refunded_at >= lo, Refund.refunded_at < hi),
            sa.select(_bucket(i), total(LedgerCase.fee_amount), none)
            .where(LedgerCase.fee_at >= lo, LedgerCase.fee_at < hi),
        ]
    received = [ZERO for _ in periods]
    refunded = [ZERO for _ in periods]
    for bucket, r, f in db.session.execute(sa.union_all(*selects)):
        received[int(bucket)] += Decimal(r or 0)
        refunded[int(bucket)] += Decimal(f or 0)
    return list(zip(received, refunded, strict=True))


Day = tuple[str, Channel, int, int]


def consultation_days(periods: list[Period]) -> list[list[Day]]:
    """(local date, channel, records, person-times) per period, in one statement read in
    order from the index on the local day (ix_consultations_office_day; a voided entry was
    a mistake and counts nowhere): by date for the shown period (the daily log), by channel
    alone ('' for the date) for the compared ones."""
    day = office_day(Consultation.received_at)

    def by_day(period: Period) -> Any:
        return (sa.select(day.label("day"), Consultation.channel.label("channel"),
                          sa.func.count().label("n"),
                          sa.func.coalesce(sa.func.sum(Consultation.persons), 0).label("p"))
                .where(day >= period.start, day <= period.end, Consultation.voided_at.is_(None))
                .group_by(day, Consultation.channel))

    def branch(i: int, period: Period) -> Any:
        if i == 0:
            return sa.select(_bucket(i), *by_day(period).subquery().c)
        days = by_day(period).subquery()
        return sa.select(_bucket(i), sa.null(), days.c.channel, sa.func.sum(days.c.n),
                         sa.func.sum(days.c.p)).group_by(days.c.channel)

    query = _each(periods, branch)
    out: list[list[Day]] = [[] for _ in periods]
    for bucket, d, channel, n, p in db.session.execute(query):
        out[int(bucket)].append(("" if d is None else str(d), Channel(channel), int(n), int(p)))
    for days in out:
        days.sort(key=lambda row: (row[0], row[1].value))
    return out


def consultations_by_channel(days: list[Day]) -> dict[Channel, tuple[int, int]]:
    """(records, person-times) per channel."""
    out = dict.fromkeys(Channel, (0, 0))
    for _day, channel, records, persons in days:
        n, p = out[channel]
        out[channel] = (n + records, p + persons)
    return out


def consultations_by_date(days: list[Day]) -> dict[str, dict[str, int]]:
    """Person-times per local date and channel (days without any left out)."""
    out: dict[str, dict[str, int]] = {}
    for day, channel, _records, persons in days:
        out.setdefault(day, {})[channel.value] = persons
    return out


def investigations_done(periods: list[Period]) -> list[dict[Method, int]]:
    """Completed tasks per method in each period by local closing date (home visits, 上门服务,
    are reported on their own), in one statement."""

    def branch(i: int, period: Period) -> Any:
        lo, hi = _bounds(period)
        return (sa.select(_bucket(i), Investigation.method, sa.func.count(Investigation.id))
                .where(Investigation.status == TaskStatus.DONE, Investigation.closed_at >= lo,
                       Investigation.closed_at < hi)
                .group_by(Investigation.method))

    out: list[dict[Method, int]] = [{} for _ in periods]
    for bucket, method, n in db.session.execute(_each(periods, branch)):
        out[int(bucket)][Method(method)] = int(n)
    return out


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


