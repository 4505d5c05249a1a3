"""Tariff schedules with effective dates, and each case's charges, payments, refunds and
reductions. Money is Numeric(12,2) and Decimal throughout; records are never deleted."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from notary.core.enums import LabelledEnum, labels
from notary.core.models import Base, TimestampMixin, UTCDateTime, enum_column, utcnow
from notary.fees import rules

if TYPE_CHECKING:
    from notary.auth.models import User

MONEY = sa.Numeric(12, 2)
VALUE = sa.Numeric(14, 2)  # amounts fees are charged on (受益额, contract value)
PERCENT = sa.Numeric(5, 2)


class ItemKind(LabelledEnum):
    MATTER = rules.ItemKind.MATTER.value
    EXTRA = rules.ItemKind.EXTRA.value


class FeeBasis(LabelledEnum):
    FIXED = rules.FeeBasis.FIXED.value
    TIERED = rules.FeeBasis.TIERED.value
    AGREED = rules.FeeBasis.AGREED.value


class PricingRegime(LabelledEnum):
    GOVERNMENT_GUIDED = rules.PricingRegime.GOVERNMENT_GUIDED.value
    MARKET_REGULATED = rules.PricingRegime.MARKET_REGULATED.value


class FeeCategory(LabelledEnum):
    LEGAL_ACT = rules.FeeCategory.LEGAL_ACT.value
    LEGAL_FACT = rules.FeeCategory.LEGAL_FACT.value
    DOCUMENT = rules.FeeCategory.DOCUMENT.value
    AFFAIR = rules.FeeCategory.AFFAIR.value
    OTHER = rules.FeeCategory.OTHER.value


class BillKind(LabelledEnum):
    """The official bill the finance system issues for a payment (the 收费凭证 is internal)."""

    E_BILL = "e_bill"  # 财政电子票据
    E_INVOICE = "e_invoice"  # 电子发票 (数电票)
    PAPER_INVOICE = "paper_invoice"  # 纸质发票


class NoChargeGround(LabelledEnum):
    """Why a case is issued with nothing charged: the file must say it."""

    FREE_BY_RULE = "free_by_rule"  # a rule makes the matter free (cite it)
    LEGAL_AID = "legal_aid"  # 法律援助法 art. 53 ¶2: the recipient pays nothing
    WAIVED = "waived"  # the director waived the whole fee (免收)


class PaymentMethod(LabelledEnum):
    CASH = "cash"
    BANK_CARD = "bank_card"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    TRANSFER = "transfer"


class ReliefKind(LabelledEnum):
    REDUCE = rules.ReliefKind.REDUCE.value
    WAIVE = rules.ReliefKind.WAIVE.value
    DEFER = rules.ReliefKind.DEFER.value


class ReductionGround(LabelledEnum):
    LEGAL_AID = rules.ReductionGround.LEGAL_AID.value
    MINIMUM_LIVING = rules.ReductionGround.MINIMUM_LIVING.value
    EXTREME_POVERTY = rules.ReductionGround.EXTREME_POVERTY.value
    SEVERE_DISABILITY = rules.ReductionGround.SEVERE_DISABILITY.value
    PREFERENTIAL_CARE = rules.ReductionGround.PREFERENTIAL_CARE.value
    ELDERLY_FIRST_WILL = rules.ReductionGround.ELDERLY_FIRST_WILL.value
    PENSION_RELIEF = rules.ReductionGround.PENSION_RELIEF.value
    PUBLIC_INTEREST = rules.ReductionGround.PUBLIC_INTEREST.value
    SUPPORT_AGREEMENT = rules.ReductionGround.SUPPORT_AGREEMENT.value
    OTHER = rules.ReductionGround.OTHER.value

    @property
    def rule(self) -> rules.ReductionGround:
        return rules.ReductionGround(self.value)


class DecisionStatus(LabelledEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class RefundOccasion(LabelledEnum):
    REFUSED = rules.RefundOccasion.REFUSED.value
    TERMINATED = rules.RefundOccasion.TERMINATED.value
    WITHDRAWN = rules.RefundOccasion.WITHDRAWN.value
    REVOKED = rules.RefundOccasion.REVOKED.value


class RefundFault(LabelledEnum):
    OFFICE = rules.RefundFault.OFFICE.value
    PARTY = rules.RefundFault.PARTY.value
    SHARED = rules.RefundFault.SHARED.value
    NEITHER = rules.RefundFault.NEITHER.value


labels(ItemKind, {ItemKind.MATTER: _l("Notarial matter"), ItemKind.EXTRA: _l("Extra service")})
labels(FeeBasis, {FeeBasis.FIXED: _l("Fixed, per unit"),
                  FeeBasis.TIERED: _l("Tiered by amount"),
                  FeeBasis.AGREED: _l("Agreed price (market-priced)")})
labels(PricingRegime, {PricingRegime.GOVERNMENT_GUIDED: _l("Government-guided price (政府指导价)"),
                       PricingRegime.MARKET_REGULATED: _l("Market-regulated price (市场调节价)")})
labels(FeeCategory, {FeeCategory.LEGAL_ACT: _l("Legal acts (证明法律行为类)"),
                     FeeCategory.LEGAL_FACT: _l("Legal facts (证明法律事实类)"),
                     FeeCategory.DOCUMENT: _l("Documents (证明文件文书类)"),
                     FeeCategory.AFFAIR: _l("Notarial affairs (公证事务类)"),
                     FeeCategory.OTHER: _l("Other services")})
labels(BillKind, {BillKind.E_BILL: _l("Fiscal e-bill (财政电子票据)"),
                  BillKind.E_INVOICE: _l("Electronic invoice (电子发票)"),
                  BillKind.PAPER_INVOICE: _l("Paper invoice (纸质发票)")})
labels(NoChargeGround, {NoChargeGround.FREE_BY_RULE: _l("Free by rule"),
                        NoChargeGround.LEGAL_AID: _l("Legal aid"),
                        NoChargeGround.WAIVED: _l("Whole fee waived")})
labels(PaymentMethod, {
    PaymentMethod.CASH: _l("Cash"),
    PaymentMethod.BANK_CARD: _l("Bank card"),
    PaymentMethod.WECHAT: _l("WeChat Pay"),
    PaymentMethod.ALIPAY: _l("Alipay"),
    PaymentMethod.TRANSFER: _l("Bank transfer"),
})
labels(ReliefKind, {ReliefKind.REDUCE: _l("Reduction (减收)"),
                    ReliefKind.WAIVE: _l("Waiver (免收)"),
                    ReliefKind.DEFER: _l("Deferral (缓收)")})
labels(ReductionGround, {
    ReductionGround.LEGAL_AID: _l("Legal-aid recipient"),
    ReductionGround.MINIMUM_LIVING: _l("Minimum living allowance (低保)"),
    ReductionGround.EXTREME_POVERTY: _l("Extreme-poverty support (特困)"),
    ReductionGround.SEVERE_DISABILITY: _l("Severe disability"),
    ReductionGround.PREFERENTIAL_CARE: _l("Preferential-care family (优抚)"),
    ReductionGround.ELDERLY_FIRST_WILL: _l("Aged 80 or over, first will"),
    ReductionGround.PENSION_RELIEF: _l("Pension, compensation or relief matter"),
    ReductionGround.PUBLIC_INTEREST: _l("Public-interest matter"),
    ReductionGround.SUPPORT_AGREEMENT: _l("Support agreement"),
    ReductionGround.OTHER: _l("Other"),
})
labels(DecisionStatus, {DecisionStatus.PENDING: _l("Awaiting decision"),
                        DecisionStatus.APPROVED: _l("Approved"),
                        DecisionStatus.REJECTED: _l("Rejected")})
labels(RefundOccasion, {RefundOccasion.REFUSED: _l("Refused (不予办理)"),
                        RefundOccasion.TERMINATED: _l("Terminated (终止)"),
                        RefundOccasion.WITHDRAWN: _l("Withdrawn (撤回)"),
                        RefundOccasion.REVOKED: _l("Certificate revoked (撤销)")})
labels(RefundFault, {RefundFault.OFFICE: _l("The office: full refund"),
                     RefundFault.PARTY: _l("The party: no refund"),
                     RefundFault.SHARED: _l("Both: partial refund"),
                     RefundFault.NEITHER: _l("Neither (e.g. death): partial refund")})


class FeeSchedule(TimestampMixin, Base):
    """收费标准: one version of the office's tariff, in force from `effective_from` until the
    next schedule's date. A schedule used by a charge is frozen; changes make a new one."""

    __tablename__ = "fee_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    effective_from: Mapped[date] = mapped_column(sa.Date, nullable=False, unique=True)
    note: Mapped[str | None] = mapped_column(sa.Text)
    # The province's document (文号), who issued it and when: printed on every receipt.
    document_number: Mapped[str | None] = mapped_column(sa.String(100))
    issuer: Mapped[str | None] = mapped_column(sa.String(200))
    issued_on: Mapped[date | None] = mapped_column(sa.Date)
    source: Mapped[str | None] = mapped_column(sa.Text)
    # The office checked the document and the date it takes effect (待核实 until then).
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    items: Mapped[list[FeeItem]] = relationship(
        back_populates="schedule", order_by="FeeItem.sort_order, FeeItem.id")
    reduction_rules: Mapped[list[ReductionRule]] = relationship(
        back_populates="schedule", order_by="ReductionRule.id")


class FeeItem(Base):
    """One line of a schedule: a matter's fee (fixed or tiered) or an extra service."""

    __tablename__ = "fee_items"
    __table_args__ = (sa.UniqueConstraint("schedule_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(sa.ForeignKey("fee_schedules.id"), nullable=False,
                                             index=True)
    code: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind), nullable=False)
    basis: Mapped[FeeBasis] = mapped_column(enum_column(FeeBasis), nullable=False)
    unit_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    minimum: Mapped[Decimal | None] = mapped_column(MONEY)
    cap: Mapped[Decimal | None] = mapped_column(MONEY)
    # The matter (MatterType.code) this item is usually charged for: suggested on the case.
    matter_code: Mapped[str | None] = mapped_column(sa.String(32))
    note: Mapped[str | None] = mapped_column(sa.Text)
    sort_order: Mapped[int] = mapped_column(nullable=False, default=100)
    is_active: Mapped[bool] = mapped_column(nullable=False, default=True)
    category: Mapped[FeeCategory | None] = mapped_column(enum_column(FeeCategory))
    pricing: Mapped[PricingRegime] = mapped_column(
        enum_column(PricingRegime), nullable=False, default=PricingRegime.GOVERNMENT_GUIDED,
        server_default=PricingRegime.GOVERNMENT_GUIDED.value)
    # Where in the schedule's document the line stands (printed on the receipt), and what
    # the figure rests on; the office confirms each line against the document (待核实).
    article: Mapped[str | None] = mapped_column(sa.String(200))
    source: Mapped[str | None] = mapped_column(sa.Text)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    schedule: Mapped[FeeSchedule] = relationship(back_populates="items")
    tiers: Mapped[list[FeeTier]] = relationship(back_populates="item", order_by="FeeTier.position",
                                                lazy="selectin", cascade="all, delete-orphan")

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def rule(self) -> rules.FeeItemRule:
        """The pure calculation's view of this item."""
        return rules.FeeItemRule(
            basis=rules.FeeBasis(self.basis.value), unit_amount=self.unit_amount,
            tiers=tuple(rules.Tier(t.upper_bound, t.rate_percent, t.flat_amount)
                        for t in self.tiers),
            minimum=self.minimum, cap=self.cap)


class FeeTier(Base):
    """A band of a tiered item (cumulative): up to `upper_bound`, a rate or a flat sum."""

    __tablename__ = "fee_tiers"
    __table_args__ = (sa.UniqueConstraint("item_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("fee_items.id"), nullable=False)
    position: Mapped[int] = mapped_column(nullable=False)
    upper_bound: Mapped[Decimal | None] = mapped_column(VALUE)
    rate_percent: Mapped[Decimal | None] = mapped_column(sa.Numeric(7, 4))
    flat_amount: Mapped[Decimal | None] = mapped_column(MONEY)

    item: Mapped[FeeItem] = relationship(back_populates="tiers")


class ReductionRule(Base):
    """The least reduction a schedule gives for a ground (data, since provinces differ)."""

    __tablename__ = "fee_reduction_rules"
    __table_args__ = (sa.UniqueConstraint("schedule_id", "ground"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(sa.ForeignKey("fee_schedules.id"), nullable=False)
    ground: Mapped[ReductionGround] = mapped_column(enum_column(ReductionGround), nullable=False)
    min_percent: Mapped[Decimal] = mapped_column(PERCENT, nullable=False)
    note: Mapped[str | None] = mapped_column(sa.Text)

    schedule: Mapped[FeeSchedule] = relationship(back_populates="reduction_rules")


class FeeAttachment(Base):
    """A stored file backing a fee decision: a 低保证, a legal-aid decision letter..."""

    __tablename__ = "fee_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False, index=True)
    original_filename: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    stored_path: Mapped[str] = mapped_column(sa.String(255), nullable=False, unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    size: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class Charge(TimestampMixin, Base):
    """A fee charged on a case, computed from the schedule in force on its acceptance date.

    `computed_amount` is what the tariff gives; `amount` is what is charged (they differ only
    after a manual change, which needs a reason and is audited). Cancelled, never deleted.
    """

    __tablename__ = "fee_charges"
    __table_args__ = (sa.Index("ix_fee_charges_case", "case_id", "is_void"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False)
    schedule_id: Mapped[int] = mapped_column(sa.ForeignKey("fee_schedules.id"), nullable=False)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("fee_items.id"), nullable=False,
                                         index=True)
    description: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind), nullable=False)
    quantity: Mapped[int] = mapped_column(nullable=False, default=1)
    base_value: Mapped[Decimal | None] = mapped_column(VALUE)
    # The value the case gave for a tiered item (the estate's inheritable value...); a
    # different base_value, or an agreed price, carries its reason.
    suggested_value: Mapped[Decimal | None] = mapped_column(VALUE)
    basis_reason: Mapped[str | None] = mapped_column(sa.Text)
    computed_amount: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    amount: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    adjustment_reason: Mapped[str | None] = mapped_column(sa.Text)
    is_void: Mapped[bool] = mapped_column(nullable=False, default=False)
    void_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    item: Mapped[FeeItem] = relationship(lazy="joined")
    schedule: Mapped[FeeSchedule] = relationship()

    @property
    def is_adjusted(self) -> bool:
        return self.amount != self.computed_amount


class Payment(Base):
    """A payment received, with its receipt number (收费凭证) from a yearly sequence, and the
    official bill the finance system issued for it (电子票据 / 发票), entered when known."""

    __tablename__ = "fee_payments"
    # The payments of a period, their cases and their sum from the index alone (income,
    # statistics, the fee totals by handling notary).
    __table_args__ = (sa.Index("ix_fee_payments_paid_case_amount", "paid_at", "case_id",
                               "amount"),
                      sa.Index("ix_fee_payments_bill_missing", "bill_number", "paid_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False, index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod), nullable=False)
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    receipt_number: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    payer: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    note: Mapped[str | None] = mapped_column(sa.String(300))
    received_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    bill_kind: Mapped[BillKind | None] = mapped_column(enum_column(BillKind))
    bill_number: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    bill_date: Mapped[date | None] = mapped_column(sa.Date)
    bill_system: Mapped[str | None] = mapped_column(sa.String(100))
    bill_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    bill_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id])

    @property
    def has_bill(self) -> bool:
        return self.bill_number is not None


class NoChargeRecord(Base):
    """Why a case goes to issue with nothing charged (free by rule, legal aid, waiver)."""

    __tablename__ = "fee_no_charge_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False, unique=True)
    ground: Mapped[NoChargeGround] = mapped_column(enum_column(NoChargeGround), nullable=False)
    basis: Mapped[str] = mapped_column(sa.Text, nullable=False)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    recorded_by: Mapped[User] = relationship()


class Refund(Base):
    """A refund decision after a refusal, termination, withdrawal or revocation: by who
    caused it, full, partial or none (amount 0), with the reason."""

    __tablename__ = "fee_refunds"
    __table_args__ = (sa.Index("ix_fee_refunds_refunded_at", "refunded_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False, index=True)
    occasion: Mapped[RefundOccasion] = mapped_column(enum_column(RefundOccasion), nullable=False)
    fault: Mapped[RefundFault] = mapped_column(enum_column(RefundFault), nullable=False)
    amount: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    method: Mapped[PaymentMethod | None] = mapped_column(enum_column(PaymentMethod))
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False)
    refunded_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    recorded_by: Mapped[User | None] = relationship()


class Reduction(Base):
    """A request to reduce, waive or defer a case's fee, and the director's decision.

    The requester can never decide their own request. `amount` is fixed when it is approved
    (percent of the matter charges then on the case).
    """

    __tablename__ = "fee_reductions"
    __table_args__ = (sa.Index("ix_fee_reductions_status", "status", "decided_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False, index=True)
    kind: Mapped[ReliefKind] = mapped_column(enum_column(ReliefKind), nullable=False)
    ground: Mapped[ReductionGround] = mapped_column(enum_column(ReductionGround), nullable=False)
    percent: Mapped[Decimal | None] = mapped_column(PERCENT)
    proposed_percent: Mapped[Decimal | None] = mapped_column(PERCENT)
    amount: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=Decimal("0.00"))
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False)
    attachment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("fee_attachments.id"))
    status: Mapped[DecisionStatus] = mapped_column(enum_column(DecisionStatus), nullable=False,
                                                   default=DecisionStatus.PENDING)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(sa.Text)

    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    attachment: Mapped[FeeAttachment | None] = relationship()


class FeeDayTotal(Base):
    """What the fee totals page sums, kept as the money moves: one local (Asia/Shanghai) day's
    payments, refunds and approved reductions of the cases a notary handles (`notary_id`
    None: cases with no handling notary yet).

    Derived, never entered: `fees.daybook` adds each payment, refund and approval as it is
    flushed and moves a case's figures when its handling notary changes; `flask fees
    day-totals` checks them against the rows and rebuilds them. A key may hold more than one
    row (two first movements of a day in parallel); every reader sums them."""

    __tablename__ = "fee_day_totals"
    __table_args__ = (sa.Index("ix_fee_day_totals_day_notary", "day", "notary_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, nullable=False)
    notary_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    received: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=Decimal("0.00"))
    refunded: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=Decimal("0.00"))
    reduced: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=Decimal("0.00"))
    payments: Mapped[int] = mapped_column(nullable=False, default=0)
    reductions: Mapped[int] = mapped_column(nullable=False, default=0)
