"""What the ledger knew about an imported case that the case model does not hold."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from notary.core.models import Base, UTCDateTime, utcnow

MONEY = sa.Numeric(12, 2)


class LedgerCase(Base):
    """One imported case: the historical handler's name, its fee, reduction and legal aid.

    Imported history keeps its own amounts here instead of inventing payments, reduction
    decisions or legal-aid records (with grounds and approvers) that never existed.
    """

    __tablename__ = "ledger_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False, unique=True)
    handler_name: Mapped[str | None] = mapped_column(sa.String(64))  # matched no account
    fee_amount: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=Decimal("0"))
    reduction_amount: Mapped[Decimal] = mapped_column(MONEY, nullable=False,
                                                      default=Decimal("0"))
    reduction_reason: Mapped[str | None] = mapped_column(sa.String(200))
    is_legal_aid: Mapped[bool] = mapped_column(nullable=False, default=False)
    # The local date the fee counts on (办结日期, else 受理日期): fee income by period.
    fee_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    source: Mapped[str] = mapped_column(sa.String(255), nullable=False, default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
