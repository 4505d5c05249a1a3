"""The statistics' reads: each table read by one statement for several periods.

The statistics page shows a period beside the previous one and the same period a year
before. Each function here takes the periods (the shown one first) and reads its table once:
a UNION ALL with a branch per period (per month, for the shown period's trend), each branch
a range of an index (migration statsix15), so the periods may overlap (a long date range and
the year before) and no row is converted or looked up beyond what its figure needs. The
compared periods get only what is compared (COMPARED); the by-matter and by-notary
breakdowns are the shown period's alone.
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

HMT = (Category.HONG_KONG, Category.MACAO, Category.TAIWAN)
ZERO = Decimal("0.00")


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
    for the shown period) in one statement, the certificate clock of the issued ones summed
    alongside: the figures by type, category and month, the average working days and the
    on-time rate are sums of its cells. The cases come from a branch per period, or per month
    of the shown one, each a range of the index on the closing time (no per-row date
    conversion). SQLite looks each issued case's clock up in its branch; PostgreSQL would
    read every clock once per branch for a hash join, so there the clocks are joined once to
    the cases of all the branches."""
    parts: list[tuple[int, str | None, Period]] = [
        (0, key, part) for key, part in periods[0].month_parts()]
    parts += [(i, None, period) for i, period in enumerate(periods) if i]
    once = db.session.get_bind().dialect.name == "postgresql"

    def clock() -> list[Any]:
        return [sa.func.count(),
                sa.func.count(CaseClock.working_days_to_issue),
                sa.func.coalesce(sa.func.sum(CaseClock.working_days_to_issue), 0),
                sa.func.count(CaseClock.issued_on_time),
                sa.func.coalesce(sa.func.sum(sa.case(
                    (CaseClock.issued_on_time.is_(True), 1), else_=0)), 0)]

    def issued_clock(case_id: Any, closing: Any) -> Any:
        return sa.and_(CaseClock.case_id == case_id, closing == ClosingType.ISSUED)

    def branch(i: int, month: str | None, period: Period) -> Any:
        label = (sa.null() if month is None else sa.literal_column(f"'{month}'")).label("month")
        if once:
            return sa.select(_bucket(i), Case.closing_type.label("closing"),
                             Case.category.label("category"), label,
                             Case.id.label("case_id")).where(*_concluded(period))
        return (sa.select(_bucket(i), Case.closing_type, Case.category, label, *clock())
                .select_from(Case)
                .outerjoin(CaseClock, issued_clock(Case.id, Case.closing_type))
                .where(*_concluded(period)).group_by(Case.closing_type, Case.category))

    selects = [branch(*part) for part in parts]
    query: Any = selects[0] if len(selects) == 1 else sa.union_all(*selects)
    if once:
        # An issued case's clock stops on its day of issue (deadlines.services), so the
        # clocks to join stopped on or after the earliest period's first day: the hash is
        # built from those (read in the index on the stop date), not from every clock of
        # the register. A month's margin keeps any clock stopped a day apart.
        since = min(period.start for period in periods) - timedelta(days=31)
        cases = query.subquery()
        query = (sa.select(cases.c.bucket, cases.c.closing, cases.c.category, cases.c.month,
                           *clock())
                 .select_from(cases)
                 .outerjoin(CaseClock, sa.and_(issued_clock(cases.c.case_id, cases.c.closing),
                                               CaseClock.stopped_on >= since))
                 .group_by(cases.c.bucket, cases.c.month, cases.c.closing, cases.c.category))
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
    reductions), each matched to the period's cases without reading a case row: the
    legal-aid records as a list of case ids, the reductions (of every year) against the
    period's case ids from the closing-time index. (A union of the sources joined to the
    cases made SQLite read every case row; the reductions joined to their cases looked up a
    case for each reduction of every year.)

    Legal aid (a legal-aid record, or flagged in the ledger) is counted on completion, as the
    filing to the legal-aid body is (legal-texts.md §8.1): a refused or terminated case is not
    a completed matter. Reductions: approved reductions and waivers (not deferrals) and the
    ledger's reductions, on every concluded case."""
    issued = Case.closing_type == ClosingType.ISSUED
    recorded = sa.exists().where(LegalAidRecord.case_id == Case.id)
    none: Any = sa.literal_column("0")

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
            .where(Reduction.status == DecisionStatus.APPROVED,
                   Reduction.kind.in_([ReliefKind.REDUCE, ReliefKind.WAIVE]),
                   Reduction.case_id.in_(sa.select(Case.id).where(*concluded))),
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

    none: Any = sa.literal_column("0")
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
