"""Inheritance cases (继承公证): the decedent, the family, the estate, wills, the notice period,
the materials checklist, and the stored heir determination."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from notary.core.enums import LabelledEnum, labels
from notary.core.models import Base, TimestampMixin, UTCDateTime, enum_column
from notary.inheritance.rules import Kinship, Relation


class DeathProof(LabelledEnum):
    """死亡证明 as the 2009 guidance defines it (domain.md §3.1)."""

    MEDICAL = "medical"  # 医疗机构出具的死亡证明
    POLICE = "police"  # 公安机关出具的死亡证明或注明死亡日期的户口注销证明
    COURT = "court"  # 人民法院宣告死亡的判决书
    NOTARIAL = "notarial"  # 死亡公证书


labels(DeathProof, {
    DeathProof.MEDICAL: _l("Medical death certificate"),
    DeathProof.POLICE: _l("Police certificate or household deregistration"),
    DeathProof.COURT: _l("Court judgment declaring death"),
    DeathProof.NOTARIAL: _l("Notarial certificate of death"),
})

# rules.py stays free of Flask: the labels of its enums live here.
RELATION_LABELS: dict[Relation, Any] = {
    Relation.SPOUSE: _l("Spouse"),
    Relation.CHILD: _l("Child"),
    Relation.PARENT: _l("Parent"),
    Relation.SIBLING: _l("Sibling"),
    Relation.GRANDPARENT: _l("Grandparent"),
    Relation.DESCENDANT: _l("Grandchild or further descendant"),
    Relation.NEPHEW_NIECE: _l("Nephew or niece (child of a sibling)"),
    Relation.CHILD_IN_LAW: _l("Widowed daughter- or son-in-law"),
}
KINSHIP_LABELS: dict[Kinship, Any] = {
    Kinship.BORN: _l("Born"),
    Kinship.ADOPTED: _l("Adopted"),
    Kinship.STEP_SUPPORTED: _l("Step-relation with support"),
    Kinship.STEP_UNSUPPORTED: _l("Step-relation without support"),
}


class LossGround(LabelledEnum):
    """民法典 art. 1125 ¶1: the grounds on which an heir loses the right to inherit."""

    KILLED = "1"  # 故意杀害被继承人
    KILLED_HEIR = "2"  # 为争夺遗产而杀害其他继承人
    ABANDONED = "3"  # 遗弃被继承人，或者虐待被继承人情节严重
    WILL_FORGED = "4"  # 伪造、篡改、隐匿或者销毁遗嘱，情节严重
    WILL_COERCED = "5"  # 以欺诈、胁迫手段迫使或者妨碍被继承人设立、变更或者撤回遗嘱，情节严重

    @property
    def forgivable(self) -> bool:
        """Art. 1125 ¶2: forgiveness restores the right for grounds (3) to (5) only."""
        return self in {LossGround.ABANDONED, LossGround.WILL_FORGED, LossGround.WILL_COERCED}


labels(LossGround, {
    LossGround.KILLED: _l("(1) Intentionally killed the decedent"),
    LossGround.KILLED_HEIR: _l("(2) Killed another heir to obtain the estate"),
    LossGround.ABANDONED: _l("(3) Abandoned or seriously abused the decedent"),
    LossGround.WILL_FORGED: _l("(4) Forged, altered, concealed or destroyed the will"),
    LossGround.WILL_COERCED: _l("(5) Forced or prevented the making or revoking of a will"),
})


class AssetKind(LabelledEnum):
    REAL_ESTATE = "real_estate"  # 不动产
    DEPOSIT = "deposit"  # 存款
    VEHICLE = "vehicle"  # 车辆
    SHARES = "shares"  # 股权、股票
    OTHER = "other"


labels(AssetKind, {
    AssetKind.REAL_ESTATE: _l("Real estate"),
    AssetKind.DEPOSIT: _l("Deposit"),
    AssetKind.VEHICLE: _l("Vehicle"),
    AssetKind.SHARES: _l("Shares"),
    AssetKind.OTHER: _l("Other"),
})


class DispositionKind(LabelledEnum):
    WILL = "will"  # 遗嘱
    LEGACY_SUPPORT = "legacy_support"  # 遗赠扶养协议 (takes precedence, art. 1123)


labels(DispositionKind, {
    DispositionKind.WILL: _l("Will"),
    DispositionKind.LEGACY_SUPPORT: _l("Legacy-support agreement"),
})


class ChecklistState(LabelledEnum):
    MISSING = "missing"
    PRESENT = "present"
    NOT_APPLICABLE = "not_applicable"


labels(ChecklistState, {
    ChecklistState.MISSING: _l("Missing"),
    ChecklistState.PRESENT: _l("Present"),
    ChecklistState.NOT_APPLICABLE: _l("Not applicable"),
})


class InheritanceCase(TimestampMixin, Base):
    """The inheritance part of a case: the decedent (被继承人), the notice, the checklist
    override and the stored determination. One per case."""

    __tablename__ = "inheritance_cases"

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), primary_key=True,
                                         autoincrement=False)
    decedent_name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    decedent_document: Mapped[str | None] = mapped_column(sa.String(64))
    death_date: Mapped[date] = mapped_column(sa.Date, nullable=False)
    death_place: Mapped[str | None] = mapped_column(sa.String(200))
    last_residence: Mapped[str | None] = mapped_column(sa.String(200))
    death_proof: Mapped[DeathProof] = mapped_column(enum_column(DeathProof), nullable=False)
    death_proof_note: Mapped[str | None] = mapped_column(sa.String(200))
    # 公示: the notice period (no national rule; domain.md §3.5 [U]).
    notice_days: Mapped[int | None] = mapped_column()
    notice_start: Mapped[date | None] = mapped_column(sa.Date)
    notice_end: Mapped[date | None] = mapped_column(sa.Date)
    # The director lets the case go for approval with an item missing, for a reason.
    checklist_override_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    checklist_override_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checklist_override_reason: Mapped[str | None] = mapped_column(sa.Text)
    # The determination, stored for the certificate: heirs, shares ("1/4"), amounts, reasons.
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    result_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # An agreed different division (art. 1130 ¶5): {"member id": "1/3", ...} and its basis.
    agreed_shares: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    agreed_note: Mapped[str | None] = mapped_column(sa.Text)
    agreed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FamilyMember(TimestampMixin, Base):
    """A relative of the decedent, or of an heir who died after the decedent (转继承)."""

    __tablename__ = "family_members"
    __table_args__ = (sa.Index("ix_family_members_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    document_number: Mapped[str | None] = mapped_column(sa.String(64))
    relation: Mapped[Relation] = mapped_column(enum_column(Relation), nullable=False)
    kind: Mapped[Kinship] = mapped_column(enum_column(Kinship), nullable=False,
                                          default=Kinship.BORN)
    via_id: Mapped[int | None] = mapped_column(sa.ForeignKey("family_members.id"))
    successor_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("family_members.id"))
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    death_date: Mapped[date | None] = mapped_column(sa.Date)
    died_in_same_event: Mapped[bool] = mapped_column(default=False, nullable=False)
    has_other_heirs: Mapped[bool] = mapped_column(default=True, nullable=False)
    main_support: Mapped[bool] = mapped_column(default=False, nullable=False)
    renounced: Mapped[bool] = mapped_column(default=False, nullable=False)
    renounced_on: Mapped[date | None] = mapped_column(sa.Date)
    lost_right_ground: Mapped[LossGround | None] = mapped_column(enum_column(LossGround))
    forgiven: Mapped[bool] = mapped_column(default=False, nullable=False)
    note: Mapped[str | None] = mapped_column(sa.String(300))
    is_removed: Mapped[bool] = mapped_column(default=False, nullable=False)

    @property
    def relation_label(self) -> str:
        return str(RELATION_LABELS[self.relation])

    @property
    def kind_label(self) -> str:
        return str(KINSHIP_LABELS[self.kind])


class EstateItem(TimestampMixin, Base):
    """One item of the estate (遗产); removed, never deleted."""

    __tablename__ = "estate_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False, index=True)
    kind: Mapped[AssetKind] = mapped_column(enum_column(AssetKind), nullable=False)
    description: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    value: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2), nullable=False)
    is_marital: Mapped[bool] = mapped_column(default=False, nullable=False)
    disposed_by_will: Mapped[bool] = mapped_column(default=False, nullable=False)
    is_removed: Mapped[bool] = mapped_column(default=False, nullable=False)


class Disposition(TimestampMixin, Base):
    """A will or legacy-support agreement (遗嘱 / 遗赠扶养协议) the family produced."""

    __tablename__ = "estate_dispositions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False, index=True)
    kind: Mapped[DispositionKind] = mapped_column(enum_column(DispositionKind), nullable=False)
    made_on: Mapped[date | None] = mapped_column(sa.Date)
    form: Mapped[str | None] = mapped_column(sa.String(100))  # 公证 / 自书 / 代书 ...
    summary: Mapped[str] = mapped_column(sa.Text, nullable=False)
    is_removed: Mapped[bool] = mapped_column(default=False, nullable=False)


class ChecklistEntry(Base):
    """One of the ten materials of the 2009 guidance, with what is present."""

    __tablename__ = "inheritance_checklist"
    __table_args__ = (sa.UniqueConstraint("case_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False)
    item: Mapped[int] = mapped_column(nullable=False)  # 1..10, see checklist.ITEMS
    state: Mapped[ChecklistState] = mapped_column(enum_column(ChecklistState), nullable=False,
                                                  default=ChecklistState.MISSING)
    note: Mapped[str | None] = mapped_column(sa.String(300))
    checked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
