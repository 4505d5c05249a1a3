"""The office's complaint register (投诉登记): who, about what, the answer and the outcome."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from notary.core.enums import LabelledEnum, labels
from notary.core.models import Base, TimestampMixin, enum_column

if TYPE_CHECKING:
    from notary.auth.models import User
    from notary.cases.models import Case


class ComplaintChannel(LabelledEnum):
    LETTER = "letter"  # 来信
    PHONE = "phone"  # 来电
    VISIT = "visit"  # 来访
    ONLINE = "online"  # 网络
    FORWARDED = "forwarded"  # 转办 (by the justice bureau or the notary association)


class ComplaintOutcome(LabelledEnum):
    UPHELD = "upheld"  # 投诉成立
    PARTLY_UPHELD = "partly_upheld"  # 部分成立
    NOT_UPHELD = "not_upheld"  # 不成立
    TO_REVIEW = "to_review"  # 属复查事项，告知申请复查 (令147 art. 23)
    WITHDRAWN = "withdrawn"  # 投诉人撤回


labels(ComplaintChannel, {
    ComplaintChannel.LETTER: _l("Letter"), ComplaintChannel.PHONE: _l("Phone"),
    ComplaintChannel.VISIT: _l("Visit"), ComplaintChannel.ONLINE: _l("Online"),
    ComplaintChannel.FORWARDED: _l("Forwarded by an authority"),
})
labels(ComplaintOutcome, {
    ComplaintOutcome.UPHELD: _l("Upheld"),
    ComplaintOutcome.PARTLY_UPHELD: _l("Partly upheld"),
    ComplaintOutcome.NOT_UPHELD: _l("Not upheld"),
    ComplaintOutcome.TO_REVIEW: _l("A certificate's correctness: referred to review (复查)"),
    ComplaintOutcome.WITHDRAWN: _l("Withdrawn by the complainant"),
})


class Complaint(TimestampMixin, Base):
    """One complaint, as registered on the day it came in, and the office's answer."""

    __tablename__ = "complaints"
    __table_args__ = (sa.Index("ix_complaints_received_on", "received_on"),
                      sa.Index("ix_complaints_open_due", "answered_on", "answer_due_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    received_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    channel: Mapped[ComplaintChannel] = mapped_column(enum_column(ComplaintChannel),
                                                      nullable=False)
    complainant_name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    complainant_phone: Mapped[str | None] = mapped_column(sa.String(32))
    complainant_address: Mapped[str | None] = mapped_column(sa.String(200))
    subject: Mapped[str] = mapped_column(sa.Text, nullable=False)
    staff_involved: Mapped[str | None] = mapped_column(sa.String(100))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    forwarded_by: Mapped[str | None] = mapped_column(sa.String(100))
    forwarded_reference: Mapped[str | None] = mapped_column(sa.String(64))
    answer_due_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    registered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    answer: Mapped[str | None] = mapped_column(sa.Text)
    answered_on: Mapped[date | None] = mapped_column(sa.Date)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    outcome: Mapped[ComplaintOutcome | None] = mapped_column(enum_column(ComplaintOutcome))

    case: Mapped[Case | None] = relationship()
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
