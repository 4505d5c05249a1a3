"""Read side of fees: a case's balance, the tariff in force, and the period totals.

The totals are computed by the database with grouped queries (never rows summed in Python),
so the half-year statistics can call `fee_totals` for any period. Periods are local
(Asia/Shanghai) calendar days; the money of a period is read from the day book (`daybook`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import joinedload, lazyload
from sqlalchemy.sql.functions import FunctionElement

from notary.auth.models import User
from notary.cases.models import Case
from notary.cases.queries import OFFICE_TZ, local_day_start
from notary.extensions import db
from notary.fees.models import (
    MONEY,
    Charge,
    DecisionStatus,
    FeeAttachment,
    FeeDayTotal,
    FeeItem,
    FeeSchedule,
    NoChargeRecord,
    Payment,
    Reduction,
    ReductionGround,
    Refund,
    RefundFault,
    RefundOccasion,
    ReliefKind,
)
from notary.fees.rules import ZERO, Balance

if TYPE_CHECKING:
    from notary.legal_aid.models import Eligibility

AMOUNT_KINDS = (ReliefKind.REDUCE, ReliefKind.WAIVE)


def _money(expr: Any) -> Any:
    return sa.type_coerce(sa.func.coalesce(expr, 0), MONEY)


# --- one case ---------------------------------------------------------------------------------


def case_balance(case_id: int) -> Balance:
    """What the case was charged, reduced, paid and refunded (one query)."""
    charged = sa.select(sa.func.sum(Charge.amount)).where(
        Charge.case_id == case_id, Charge.is_void.is_(False)).scalar_subquery()
    reduced = sa.select(sa.func.sum(Reduction.amount)).where(
        Reduction.case_id == case_id, Reduction.status == DecisionStatus.APPROVED,
        Reduction.kind.in_(AMOUNT_KINDS)).scalar_subquery()
    paid = sa.select(sa.func.sum(Payment.amount)).where(
        Payment.case_id == case_id).scalar_subquery()
    refunded = sa.select(sa.func.sum(Refund.amount)).where(
        Refund.case_id == case_id).scalar_subquery()
    row = db.session.execute(sa.select(_money(charged), _money(reduced), _money(paid),
                                       _money(refunded))).one()
    return Balance(*(Decimal(v) for v in row))


@dataclass(frozen=True)
class CaseFees:
    """A case's balance and what records it has: what the fee panel needs to decide what to
    load (one query)."""

    balance: Balance
    deferred: bool
    charges: int
    reductions: int
    refunds: int
    payments: int


def case_fees(case_id: int) -> CaseFees:
    """The case's balance, approved deferral and record counts, in one query."""
    def count(model: Any) -> Any:
        return sa.select(sa.func.count()).select_from(model).where(
            model.case_id == case_id).scalar_subquery()

    charged = sa.select(sa.func.sum(Charge.amount)).where(
        Charge.case_id == case_id, Charge.is_void.is_(False)).scalar_subquery()
    reduced = sa.select(sa.func.sum(Reduction.amount)).where(
        Reduction.case_id == case_id, Reduction.status == DecisionStatus.APPROVED,
        Reduction.kind.in_(AMOUNT_KINDS)).scalar_subquery()
    paid = sa.select(sa.func.sum(Payment.amount)).where(
        Payment.case_id == case_id).scalar_subquery()
    refunded = sa.select(sa.func.sum(Refund.amount)).where(
        Refund.case_id == case_id).scalar_subquery()
    deferred = sa.exists().where(Reduction.case_id == case_id,
                                 Reduction.kind == ReliefKind.DEFER,
                                 Reduction.status == DecisionStatus.APPROVED)
    row = db.session.execute(sa.select(
        _money(charged), _money(reduced), _money(paid), _money(refunded), deferred,
        count(Charge), count(Reduction), count(Refund), count(Payment))).one()
    return CaseFees(Balance(*(Decimal(v) for v in row[:4])), bool(row[4]), *map(int, row[5:]))


def suggested_items(schedule_id: int, matter_codes: set[str], case_id: int) -> list[FeeItem]:
    """Active items of the schedule for the case's matters that are not charged yet."""
    if not matter_codes:
        return []
    charged = sa.select(Charge.item_id).where(Charge.case_id == case_id,
                                              Charge.is_void.is_(False))
    return list(db.session.scalars(
        sa.select(FeeItem).where(FeeItem.schedule_id == schedule_id,
                                 FeeItem.is_active.is_(True),
                                 FeeItem.matter_code.in_(matter_codes),
                                 FeeItem.id.not_in(charged))
        .order_by(FeeItem.sort_order).options(lazyload(FeeItem.tiers))))


def has_live_charge(case_id: int) -> bool:
    """Whether the case has a charge that was not cancelled."""
    return bool(db.session.scalar(sa.select(sa.exists().where(
        Charge.case_id == case_id, Charge.is_void.is_(False)))))


def no_charge_record(case_id: int) -> NoChargeRecord | None:
    """The file's word on why the case is free, if any."""
    return db.session.scalars(sa.select(NoChargeRecord).where(
        NoChargeRecord.case_id == case_id)).first()


def has_legal_aid(case_id: int) -> bool:
    """Whether legal aid is recorded on the case (its fee is reduced or waived by law)."""
    from notary.legal_aid.models import LegalAidRecord  # legal aid builds on fees

    return bool(db.session.scalar(sa.select(sa.exists().where(
        LegalAidRecord.case_id == case_id))))


def has_approved_deferral(case_id: int) -> bool:
    """Whether the director approved paying the case's fee later (缓收)."""
    return bool(db.session.scalar(sa.select(sa.exists().where(
        Reduction.case_id == case_id, Reduction.kind == ReliefKind.DEFER,
        Reduction.status == DecisionStatus.APPROVED))))


def matter_charges_total(case_id: int) -> Decimal:
    """The case's charges for the notarial matters themselves: what reductions apply to."""
    from notary.fees.models import ItemKind

    return Decimal(db.session.scalar(sa.select(_money(sa.func.sum(Charge.amount))).where(
        Charge.case_id == case_id, Charge.is_void.is_(False),
        Charge.kind == ItemKind.MATTER)) or ZERO)


def charges_of(case_id: int) -> list[Charge]:
    """The case's charges (cancelled ones too), in entry order."""
    return list(db.session.scalars(sa.select(Charge).where(Charge.case_id == case_id)
                                   .order_by(Charge.id)))


def payments_statement(*, missing_bill: bool = False) -> sa.Select[Payment]:
    """The payments register (收费登记), newest first; optionally only those still without
    their official bill (the queue to work through)."""
    stmt = sa.select(Payment).options(joinedload(Payment.received_by))
    if missing_bill:
        stmt = stmt.where(Payment.bill_number.is_(None))
    return stmt.order_by(Payment.paid_at.desc(), Payment.id.desc())


def payments_without_bill(cap: int = 2000) -> int:
    """How many payments still wait for their official bill, counted no further than cap + 1
    (shown as "more than cap")."""
    waiting = sa.select(Payment.id).where(Payment.bill_number.is_(None)).limit(cap + 1)
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(waiting.subquery()))
               or 0)


def cases_by_id(ids: set[int]) -> dict[int, Case]:
    """Load cases by id in one query (for a page of payments)."""
    if not ids:
        return {}
    return {c.id: c for c in db.session.scalars(sa.select(Case).where(Case.id.in_(ids)))}


def payments_of(case_id: int) -> list[Payment]:
    """The case's payments, oldest first."""
    return list(db.session.scalars(sa.select(Payment).where(Payment.case_id == case_id)
                                   .order_by(Payment.paid_at, Payment.id)))


def refunds_of(case_id: int) -> list[Refund]:
    """The case's refund decisions, oldest first."""
    return list(db.session.scalars(sa.select(Refund).where(Refund.case_id == case_id)
                                   .order_by(Refund.id)))


def reductions_of(case_id: int) -> list[Reduction]:
    """The case's reduction, waiver and deferral requests, oldest first (with who and files)."""
    return list(db.session.scalars(
        sa.select(Reduction).where(Reduction.case_id == case_id)
        .options(joinedload(Reduction.requested_by), joinedload(Reduction.decided_by),
                 joinedload(Reduction.attachment))
        .order_by(Reduction.id)))


def attachment_of(case_id: int, attachment_id: int) -> FeeAttachment | None:
    """One of the case's fee attachments."""
    found = db.session.get(FeeAttachment, attachment_id)
    return found if found is not None and found.case_id == case_id else None


def pending_reductions(limit: int = 200) -> list[Reduction]:
    """Requests waiting for the director, oldest first."""
    return list(db.session.scalars(
        sa.select(Reduction).where(Reduction.status == DecisionStatus.PENDING)
        .order_by(Reduction.requested_at).limit(limit)))


# --- the tariff -------------------------------------------------------------------------------


def schedule_in_force(on: date) -> FeeSchedule | None:
    """The schedule in force on a local date: the latest that took effect on or before it."""
    return db.session.scalars(sa.select(FeeSchedule).where(FeeSchedule.effective_from <= on)
                              .order_by(FeeSchedule.effective_from.desc()).limit(1)).first()


def all_schedules() -> list[FeeSchedule]:
    """Every schedule, newest first."""
    return list(db.session.scalars(sa.select(FeeSchedule)
                                   .order_by(FeeSchedule.effective_from.desc())))


def _charged(item_id: Any) -> Any:
    """Whether a charge was computed from the line (read in the charges' item index)."""
    return sa.exists().where(Charge.item_id == item_id)


def schedule_is_used(schedule_id: int) -> bool:
    """Whether any charge was computed from the schedule (then it is frozen): asked of its
    few lines, each in the charges' item index, not of a million charges."""
    return bool(db.session.scalar(sa.select(sa.exists().where(
        FeeItem.schedule_id == schedule_id, _charged(FeeItem.id)))))


def used_items(schedule_id: int) -> set[int]:
    """The ids of the schedule's lines that charges were computed from (frozen)."""
    return set(db.session.scalars(sa.select(FeeItem.id).where(
        FeeItem.schedule_id == schedule_id, _charged(FeeItem.id))))


def unconfirmed_items() -> dict[int, int]:
    """Per schedule, how many active lines the office has not confirmed yet (待核实)."""
    return {sid: int(n) for sid, n in db.session.execute(
        sa.select(FeeItem.schedule_id, sa.func.count(FeeItem.id))
        .where(FeeItem.confirmed_at.is_(None), FeeItem.is_active.is_(True))
        .group_by(FeeItem.schedule_id))}


def has_matter_line(schedule_id: int, matter_code: str) -> bool:
    """Whether the schedule has an active line for the matter."""
    return bool(db.session.scalar(sa.select(sa.exists().where(
        FeeItem.schedule_id == schedule_id, FeeItem.matter_code == matter_code,
        FeeItem.is_active.is_(True)))))


def item_is_used(item_id: int) -> bool:
    """Whether any charge was computed from the line (then its figures are frozen)."""
    return bool(db.session.scalar(sa.select(sa.exists().where(Charge.item_id == item_id))))


def acceptance_date(case: Case) -> date | None:
    """The local calendar date the case was accepted (the date that picks its schedule)."""
    if case.accepted_at is None:
        return None
    return case.accepted_at.astimezone(OFFICE_TZ).date()


# --- totals -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    month: str
    received: Decimal
    refunded: Decimal
    payments: int

    @property
    def income(self) -> Decimal:
        return self.received - self.refunded


@dataclass(frozen=True)
class GroundRow:
    ground: ReductionGround
    kind: ReliefKind
    count: int
    amount: Decimal


@dataclass(frozen=True)
class NotaryRow:
    notary_id: int | None
    name: str | None
    received: Decimal
    refunded: Decimal
    reduced: Decimal
    reductions: int

    @property
    def income(self) -> Decimal:
        return self.received - self.refunded


@dataclass(frozen=True)
class RefundRow:
    occasion: RefundOccasion
    fault: RefundFault
    count: int
    amount: Decimal


@dataclass(frozen=True)
class FeeTotals:
    start: date
    end: date  # inclusive
    months: list[MonthRow] = field(default_factory=list)
    grounds: list[GroundRow] = field(default_factory=list)
    notaries: list[NotaryRow] = field(default_factory=list)
    refunds: list[RefundRow] = field(default_factory=list)
    legal_aid: dict[Eligibility, int] = field(default_factory=dict)

    @property
    def received(self) -> Decimal:
        return sum((m.received for m in self.months), ZERO)

    @property
    def refunded(self) -> Decimal:
        return sum((m.refunded for m in self.months), ZERO)

    @property
    def income(self) -> Decimal:
        return self.received - self.refunded

    @property
    def reduced(self) -> Decimal:
        return sum((g.amount for g in self.grounds), ZERO)

    @property
    def reductions(self) -> int:
        return sum(g.count for g in self.grounds)

    @property
    def legal_aid_cases(self) -> int:
        return sum(self.legal_aid.values())


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return local_day_start(start), local_day_start(end + timedelta(days=1))


def reductions_by_ground(start: date, end: date) -> list[GroundRow]:
    """Approved reductions, waivers and deferrals decided in the period, by ground and kind."""
    lo, hi = _bounds(start, end)
    rows = db.session.execute(
        sa.select(Reduction.ground, Reduction.kind, sa.func.count(Reduction.id),
                  _money(sa.func.sum(Reduction.amount)))
        .where(Reduction.status == DecisionStatus.APPROVED, Reduction.decided_at >= lo,
               Reduction.decided_at < hi)
        .group_by(Reduction.ground, Reduction.kind).order_by(Reduction.ground, Reduction.kind))
    return [GroundRow(ReductionGround(g), ReliefKind(k), int(c), Decimal(a))
            for g, k, c, a in rows]


def refunds_by_cause(start: date, end: date) -> list[RefundRow]:
    """Refund decisions in the period, by occasion and by who caused it."""
    lo, hi = _bounds(start, end)
    rows = db.session.execute(
        sa.select(Refund.occasion, Refund.fault, sa.func.count(Refund.id),
                  _money(sa.func.sum(Refund.amount)))
        .where(Refund.refunded_at >= lo, Refund.refunded_at < hi)
        .group_by(Refund.occasion, Refund.fault).order_by(Refund.occasion, Refund.fault))
    return [RefundRow(RefundOccasion(o), RefundFault(f), int(c), Decimal(a))
            for o, f, c, a in rows]


def legal_aid_by_eligibility(start: date, end: date) -> dict[Eligibility, int]:
    """Legal-aid cases in the period (by acceptance date, else the record's), by eligibility."""
    # Imported here: legal aid builds on fees, not the other way round.
    from notary.legal_aid.models import Eligibility, LegalAidRecord

    lo, hi = _bounds(start, end)
    when = sa.func.coalesce(Case.accepted_at, LegalAidRecord.created_at)
    rows = db.session.execute(
        sa.select(LegalAidRecord.eligibility, sa.func.count(LegalAidRecord.id))
        .join(Case, Case.id == LegalAidRecord.case_id)
        .where(Case.id.in_(sa.select(LegalAidRecord.case_id)), when >= lo, when < hi)
        .group_by(LegalAidRecord.eligibility))
    return {Eligibility(e): int(n) for e, n in rows}


class day_month(FunctionElement[str]):
    """'YYYY-MM' of a DATE column (the day book's local days)."""

    type = sa.String()
    inherit_cache = True


@compiles(day_month, "sqlite")
def _day_month_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 7)"


@compiles(day_month, "postgresql")
def _day_month_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


def money_grid(start: date, end: date) -> tuple[list[MonthRow], list[NotaryRow]]:
    """Payments, refunds and approved reductions of the period, for the two tables of the
    totals page, from the day book (`daybook`: each local day's figures by handling notary,
    kept as the money moves): its cells of the period summed by month and notary in one
    statement; the month rows and the notary rows are both sums of those cells. (Summing
    the payments themselves, a half year's 32,000 at a million cases, took 25-80 ms.)"""
    book = FeeDayTotal.__table__.c
    month = day_month(book.day).label("month")
    cells = db.session.execute(
        sa.select(month, book.notary_id, sa.func.sum(book.received),
                  sa.func.sum(book.refunded), sa.func.sum(book.reduced),
                  sa.func.sum(book.payments), sa.func.sum(book.reductions))
        .where(book.day.between(start, end))
        .group_by(sa.literal_column("month"), book.notary_id)).all()
    months: dict[str, list[Any]] = {}
    notaries: dict[int | None, list[Any]] = {}
    for month_key, notary_id, received, refunded, reduced, payments, reductions in cells:
        received, refunded = Decimal(received or 0), Decimal(refunded or 0)
        m = months.setdefault(month_key, [ZERO, ZERO, 0])
        m[0] += received
        m[1] += refunded
        m[2] += int(payments or 0)
        n = notaries.setdefault(notary_id, [ZERO, ZERO, ZERO, 0])
        n[0] += received
        n[1] += refunded
        n[2] += Decimal(reduced or 0)
        n[3] += int(reductions or 0)
    month_rows = [MonthRow(m, r, f, n) for m, (r, f, n) in sorted(months.items())
                  if r or f or n]
    names = user_names_of({i for i in notaries if i is not None})
    notary_rows = sorted((NotaryRow(i, names.get(i) if i is not None else None, r, f, d, n)
                          for i, (r, f, d, n) in notaries.items() if r or f or d or n),
                         key=lambda row: (row.name is None, row.name or ""))
    return month_rows, notary_rows


def fee_totals(start: date, end: date) -> FeeTotals:
    """Every figure of the fee totals for a period of local dates (both ends included)."""
    months, notaries = money_grid(start, end)
    return FeeTotals(start=start, end=end, months=months,
                     grounds=reductions_by_ground(start, end), notaries=notaries,
                     refunds=refunds_by_cause(start, end),
                     legal_aid=legal_aid_by_eligibility(start, end))


def item_choices(schedule: FeeSchedule) -> list[tuple[int, str]]:
    """(id, name) of a schedule's active items."""
    return [(i.id, i.name) for i in schedule.items if i.is_active]


def items_by_id(ids: set[int]) -> dict[int, FeeItem]:
    """Load fee items by id in one query."""
    if not ids:
        return {}
    return {i.id: i for i in db.session.scalars(sa.select(FeeItem).where(FeeItem.id.in_(ids)))}


# --- the receipt's data -------------------------------------------------------------------------


def _basis_text(charge: Charge) -> str:
    from notary.fees.models import FeeBasis

    if charge.item.basis is FeeBasis.AGREED:
        return "按件协商定价" + (f"：{charge.basis_reason}" if charge.basis_reason else "")
    if charge.item.basis is FeeBasis.TIERED and charge.base_value is not None:
        return f"按 {charge.base_value:,.2f} 元累进计收"
    return f"{charge.quantity} × {charge.item.unit_amount or 0:,.2f} 元"


def _article_text(charge: Charge) -> str:
    """The line of the schedule's document the charge stands under, and its pricing regime."""
    from notary.fees.models import PricingRegime

    regime = ("政府指导价" if charge.item.pricing is PricingRegime.GOVERNMENT_GUIDED
              else "市场调节价")
    lines = [charge.schedule.document_number or "", charge.item.article or ""]
    return "\n".join(line for line in lines if line) + f"（{regime}）"


def _bill_text(payment: Payment) -> str:
    if payment.bill_number is None or payment.bill_kind is None:
        return ""
    return (f"{BILL_KIND_CN[payment.bill_kind.value]} {payment.bill_number}"
            f"（{payment.bill_date}，{payment.bill_system}）")


def receipt_data(case: Case, office_name: str, payment: Payment | None = None) -> Any:
    """Everything the receipt PDF shows, read once (the builder itself never queries)."""
    from notary.fees import pdf

    balance = case_balance(case.id)
    charges = [c for c in charges_of(case.id) if not c.is_void]
    approved = [r for r in reductions_of(case.id) if r.status is DecisionStatus.APPROVED]
    names = user_names_of({r.decided_by_id for r in approved if r.decided_by_id}
                          | {p.received_by_id for p in payments_of(case.id)
                             if p.received_by_id})
    kind_cn = {ReliefKind.REDUCE: "减收", ReliefKind.WAIVE: "免收", ReliefKind.DEFER: "缓收"}

    def pay_row(p: Payment) -> Any:
        return pdf.ReceiptPayment(
            receipt_number=p.receipt_number, paid_at=p.paid_at.astimezone(OFFICE_TZ),
            amount=p.amount, method=METHOD_CN[p.method.value],
            received_by=names.get(p.received_by_id or 0, ""), payer=p.payer,
            bill=_bill_text(p))

    reliefs = [pdf.ReceiptRelief(
        label=(f"{kind_cn[r.kind]}（{GROUND_CN[r.ground.value]}）"
               + (f" {r.percent.normalize():f}%" if r.percent is not None
                  and r.kind is ReliefKind.REDUCE else "")),
        approved_by=names.get(r.decided_by_id or 0, ""), amount=r.amount)
        for r in approved if r.kind is not ReliefKind.DEFER]
    schedule_names = sorted({c.schedule.name + (f"（{c.schedule.document_number}）"
                                                if c.schedule.document_number
                                                and c.schedule.document_number
                                                not in c.schedule.name else "")
                             for c in charges})
    return pdf.ReceiptData(
        office_name=office_name, acceptance_number=case.display_number,
        applicants="、".join(p.party.name for p in case.applicants),
        matters="、".join(m.name for m in case.matters),
        schedule_name="；".join(schedule_names) or "—",
        lines=[pdf.ReceiptLine(c.description, _basis_text(c), c.amount,
                               "经核定调整" if c.is_adjusted else "", _article_text(c))
               for c in charges],
        reliefs=reliefs, charged=balance.charged, reduced=min(balance.reduced, balance.charged),
        payable=balance.payable, received=balance.received, due=balance.due,
        printed_at=datetime.now(OFFICE_TZ),
        payment=pay_row(payment) if payment else None,
        payments=[pay_row(p) for p in payments_of(case.id)],
        deferred=has_approved_deferral(case.id))


def user_names_of(ids: set[int]) -> dict[int, str]:
    """Map user ids to full names in one query."""
    if not ids:
        return {}
    return {uid: name for uid, name in db.session.execute(
        sa.select(User.id, User.full_name).where(User.id.in_(ids)))}


# Chinese words printed on documents (legal content, not UI strings).
BILL_KIND_CN = {"e_bill": "财政电子票据", "e_invoice": "电子发票", "paper_invoice": "纸质发票"}
METHOD_CN = {"cash": "现金", "bank_card": "银行卡", "wechat": "微信支付", "alipay": "支付宝",
             "transfer": "银行转账"}
GROUND_CN = {"legal_aid": "法律援助受援人", "minimum_living": "低保对象",
             "extreme_poverty": "特困供养人员", "severe_disability": "重度残疾人",
             "preferential_care": "优抚对象", "elderly_first_will": "八十周岁以上首次遗嘱",
             "pension_relief": "抚恤金、救济金等事项", "public_interest": "公益事项",
             "support_agreement": "赡养、抚养、扶养协议", "other": "其他"}
