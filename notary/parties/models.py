"""Party records."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from notary.core.enums import LabelledEnum, labels
from notary.core.models import Base, TimestampMixin, enum_column
from notary.parties.rules import DocumentType, Sex, mask_document_number, mask_phone


class PartyKind(LabelledEnum):
    PERSON = "person"  # 自然人
    ORGANISATION = "organisation"  # 法人或其他组织


labels(PartyKind, {PartyKind.PERSON: _l("Natural person"),
                   PartyKind.ORGANISATION: _l("Organisation")})

DOCUMENT_TYPE_LABELS = {
    DocumentType.RESIDENT_ID: _l("Resident identity card"),
    DocumentType.HK_MACAO_PERMIT: _l("Mainland travel permit for Hong Kong and Macao residents"),
    DocumentType.TAIWAN_PERMIT: _l("Mainland travel permit for Taiwan residents"),
    DocumentType.PASSPORT: _l("Passport"),
    DocumentType.FOREIGN_PERMANENT_RESIDENT: _l("Foreign permanent resident ID card"),
    DocumentType.USCC: _l("Unified social credit code"),
}
SEX_LABELS = {Sex.MALE: _l("Male"), Sex.FEMALE: _l("Female")}


class Party(TimestampMixin, Base):
    """A party: one record per (document type, document number); never deleted."""

    __tablename__ = "parties"
    __table_args__ = (
        sa.UniqueConstraint("document_type", "document_number"),
        # Substring search of the name (LIKE '%...%') through trigrams on PostgreSQL
        # (migration scale0009 installs pg_trgm). Elsewhere it would be a second plain index
        # on the name (dropped by migration dup0011): SQLite has its FTS5 trigram table.
        sa.Index("ix_parties_name_trgm", "name", postgresql_using="gin",
                 postgresql_ops={"name": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
        # Names that start with a text (LIKE 'x%') on PostgreSQL whatever the collation
        # (migration name0010); SQLite's plain name index orders by code point already.
        sa.Index("ix_parties_name_prefix", "name",
                 postgresql_ops={"name": "varchar_pattern_ops"}).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PartyKind] = mapped_column(enum_column(PartyKind), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False, index=True)
    document_type: Mapped[DocumentType] = mapped_column(enum_column(DocumentType),
                                                        nullable=False)
    document_number: Mapped[str] = mapped_column(sa.String(64), nullable=False, index=True)
    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex))
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    nationality: Mapped[str | None] = mapped_column(sa.String(64))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    # Organisations: the legal representative as the certificate names them (domain.md §2.1).
    legal_representative: Mapped[str | None] = mapped_column(sa.String(200))
    # The birth record a 出生 certificate states: the place by province and county (1981 notice
    # [81]司公字第139号: "出生地一般只写省、县(市)的名称") and the birth parents.
    birth_province: Mapped[str | None] = mapped_column(sa.String(50))
    birth_county: Mapped[str | None] = mapped_column(sa.String(50))
    father_name: Mapped[str | None] = mapped_column(sa.String(100))
    mother_name: Mapped[str | None] = mapped_column(sa.String(100))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def document_type_label(self) -> str:
        return str(DOCUMENT_TYPE_LABELS[self.document_type])

    @property
    def sex_label(self) -> str:
        return str(SEX_LABELS[self.sex]) if self.sex else ""

    @property
    def masked_document_number(self) -> str:
        return mask_document_number(self.document_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone or "")


# SQLite has no trigram index: a full-text table with the trigram tokenizer (FTS5) holds the
# party names for substring search, kept in step by triggers (migration scale0009). Alembic
# must not take it, or its shadow tables, for tables the models forgot.
NAME_SEARCH_TABLE = "parties_name_search"
POSTGRESQL_ONLY_INDEXES = frozenset({"ix_parties_name_trgm", "ix_parties_name_prefix"})
# Indexes on an expression (migration statsix15): SQLAlchemy does not reflect them from
# SQLite (it warns and skips them), and PostgreSQL gives the expression back rewritten, so
# they are left out of the comparison (tests/test_migrations.py checks them by name).
EXPRESSION_INDEXES = frozenset({"ix_consultations_office_day"})
SKIPPED_REFLECTION = ("(Skipped unsupported reflection of|autogenerate skipping "
                      "metadata-specified) expression-based index")


def include_in_schema_compare(obj: Any, name: str | None, type_: str, reflected: bool,
                              compare_to: Any) -> bool:
    """Alembic's include_object: everything but the SQLite name-search tables, and the
    PostgreSQL-only name indexes where the database is another, and the expression indexes."""
    if type_ == "index" and name in EXPRESSION_INDEXES:
        return False
    if type_ == "index" and name in POSTGRESQL_ONLY_INDEXES and not reflected:
        from notary.extensions import db

        return bool(db.engine.dialect.name == "postgresql")
    return not (type_ == "table" and name is not None and name.startswith(NAME_SEARCH_TABLE))
