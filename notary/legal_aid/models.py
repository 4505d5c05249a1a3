"""公证法律援助: a legal-aid record on a case (法律援助法 arts. 32, 42, 53)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from notary.core.enums import LabelledEnum, labels
from notary.core.models import Base, TimestampMixin, UTCDateTime, enum_column

if TYPE_CHECKING:
    from notary.cases.models import Case
    from notary.fees.models import FeeAttachment, Reduction
    from notary.parties.models import Party


class Eligibility(LabelledEnum):
    """Why the recipient qualifies: the no-means-test groups, or the economic-hardship test."""

    NO_INCOME = "no_income"  # art. 42(1): minors, elderly or disabled people without fixed income
    SOCIAL_ASSISTANCE = "social_assistance"  # art. 42(2): 低保, 特困, 司法救助, 优抚
    MIGRANT_WORKER = "migrant_worker"  # art. 42(3): wages or work-injury compensation
    SPECIAL_GROUP = "special_group"  # art. 32: heroes' relatives, good Samaritans, abuse victims
    ECONOMIC_HARDSHIP = "economic_hardship"  # art. 34: the province's hardship standard


class AidRoute(LabelledEnum):
    DECISION = "decision"  # the legal-aid agency decided first (决定书)
    EMERGENCY = "emergency"  # the office acts first; the agency confirms later (先行办理)


class AidRelief(LabelledEnum):
    WAIVE = "waive"  # 免收
    REDUCE = "reduce"  # 减收


labels(Eligibility, {
    Eligibility.NO_INCOME: _l("Art. 42(1): minor, elderly or disabled person without fixed "
                              "income"),
    Eligibility.SOCIAL_ASSISTANCE: _l("Art. 42(2): social assistance, judicial assistance or "
                                      "preferential care"),
    Eligibility.MIGRANT_WORKER: _l("Art. 42(3): migrant worker claiming pay or injury "
                                   "compensation"),
    Eligibility.SPECIAL_GROUP: _l("Art. 32: no means test (martyrs' relatives, good "
                                  "Samaritans, abuse victims...)"),
    Eligibility.ECONOMIC_HARDSHIP: _l("Economic hardship (provincial standard, with evidence)"),
})
labels(AidRoute, {AidRoute.DECISION: _l("Agency decision letter"),
                  AidRoute.EMERGENCY: _l("Emergency: office acts first, agency confirms later")})
labels(AidRelief, {AidRelief.WAIVE: _l("Waive the fee"), AidRelief.REDUCE: _l("Reduce the fee")})


class LegalAidRecord(TimestampMixin, Base):
    """One case's legal aid: who, why, the agency's letter (or the emergency route), the fee
    relief (a Reduction with ground legal_aid, decided by the director like any other)."""

    __tablename__ = "legal_aid_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False, unique=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id"), nullable=False)
    eligibility: Mapped[Eligibility] = mapped_column(enum_column(Eligibility), nullable=False)
    eligibility_detail: Mapped[str | None] = mapped_column(sa.Text)
    evidence_id: Mapped[int | None] = mapped_column(sa.ForeignKey("fee_attachments.id"))
    route: Mapped[AidRoute] = mapped_column(enum_column(AidRoute), nullable=False)
    agency_name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    decision_number: Mapped[str | None] = mapped_column(sa.String(64))
    decision_date: Mapped[date | None] = mapped_column(sa.Date)
    decision_scan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("fee_attachments.id"))
    emergency_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Emergency route: set when the agency's letter arrives; until then the case is reminded.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    relief: Mapped[AidRelief] = mapped_column(enum_column(AidRelief), nullable=False)
    reduction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("fee_reductions.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    case: Mapped[Case] = relationship()
    recipient: Mapped[Party] = relationship()
    reduction: Mapped[Reduction | None] = relationship()
    evidence: Mapped[FeeAttachment | None] = relationship(foreign_keys=[evidence_id])
    decision_scan: Mapped[FeeAttachment | None] = relationship(foreign_keys=[decision_scan_id])

    @property
    def awaiting_confirmation(self) -> bool:
        return self.route is AidRoute.EMERGENCY and self.confirmed_at is None
