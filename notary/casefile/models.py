"""The case file (卷宗) beyond the register: the 告知 records, the second volume (副卷) and a
will's file (the testator's condition, the interview recording, the testator's death)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from notary.core.enums import LabelledEnum, labels
from notary.core.models import Base, TimestampMixin, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from notary.auth.models import User
    from notary.cases.models import CaseParticipant


class NoticeMethod(LabelledEnum):
    """How the party was told (告知方式, 公证程序规则 2020 art. 21)."""

    WRITTEN = "written"  # 书面: the 告知书 read and signed
    ORAL = "oral"  # 口头, recorded and signed
    VIDEO = "video"  # 视频


labels(NoticeMethod, {NoticeMethod.WRITTEN: _l("In writing (告知书)"),
                      NoticeMethod.ORAL: _l("Orally, recorded"),
                      NoticeMethod.VIDEO: _l("By video")})


class CaseNotice(TimestampMixin, Base):
    """告知: the party was told the legal meaning and consequences of the matter (公证法
    art. 27 ¶2) and their rights and obligations; content, method, time and who told them
    are recorded and the party signs (公证程序规则 2020 art. 21)."""

    __tablename__ = "case_notices"
    __table_args__ = (sa.UniqueConstraint("participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False, index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("case_participants.id"),
                                                nullable=False)
    told_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    told_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False)
    method: Mapped[NoticeMethod] = mapped_column(enum_column(NoticeMethod), nullable=False)
    content: Mapped[str] = mapped_column(sa.Text, nullable=False)
    party_signed: Mapped[bool] = mapped_column(default=False, nullable=False)

    told_by: Mapped[User] = relationship()
    participant: Mapped[CaseParticipant] = relationship()


class FileNoteKind(LabelledEnum):
    """What the second volume (副卷) holds (公证程序规则 2020 art. 60)."""

    DISCUSSION = "discussion"  # 讨论意见 (collective discussion of a major or complex matter)
    APPROVAL = "approval"  # 审批意见
    REQUEST = "request"  # 请示
    REPLY = "reply"  # 批复


labels(FileNoteKind, {FileNoteKind.DISCUSSION: _l("Discussion opinion (讨论意见)"),
                      FileNoteKind.APPROVAL: _l("Approval opinion (审批意见)"),
                      FileNoteKind.REQUEST: _l("Request for instructions (请示)"),
                      FileNoteKind.REPLY: _l("Reply (批复)")})


class FileNote(Base):
    """One document of the second volume (副卷): internal, never shown to the party nor
    printed with the main volume (正卷); appended, never changed or deleted."""

    __tablename__ = "case_file_notes"
    __table_args__ = (sa.Index("ix_case_file_notes_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False)
    kind: Mapped[FileNoteKind] = mapped_column(enum_column(FileNoteKind), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    author: Mapped[User | None] = relationship()


class WillFile(TimestampMixin, Base):
    """A will case's file: the testator's condition, the recorded interview (遗嘱公证细则
    art. 16) and the testator's death, after which the file is ordinary (公证程序规则 art. 60)."""

    __tablename__ = "will_files"

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), primary_key=True)
    # 年老体弱、危重伤病、聋、哑、盲、间歇性精神病、弱智 (art. 16), as the notary judges it.
    testator_infirm: Mapped[bool] = mapped_column(default=False, nullable=False)
    infirm_note: Mapped[str | None] = mapped_column(sa.String(200))
    recording_path: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    recording_filename: Mapped[str | None] = mapped_column(sa.String(255))
    recording_content_type: Mapped[str | None] = mapped_column(sa.String(64))
    recording_size: Mapped[int | None] = mapped_column(sa.BigInteger)
    recording_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    recording_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recording_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The testator's death: the file turns ordinary (转为普通卷).
    death_on: Mapped[date | None] = mapped_column(sa.Date)
    death_evidence: Mapped[str | None] = mapped_column(sa.String(200))
    death_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    death_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
