"""Read side for parties: search by name or document number."""

from __future__ import annotations

import sqlalchemy as sa

from notary.core.audit import AuditEntry
from notary.extensions import db
from notary.parties.models import Party


def party_history(party_id: int) -> list[AuditEntry]:
    """The party's audit entries, newest first."""
    return list(db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.target_type == Party.__tablename__, AuditEntry.target_id == party_id)
        .order_by(AuditEntry.id.desc())
    ))


def party_search_statement(q: str | None) -> sa.Select[Party]:
    """Select parties whose name contains q or whose document number starts with it."""
    stmt = sa.select(Party)
    if q:
        needle = q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(
            sa.or_(
                Party.name.like(f"%{needle}%", escape="\\"),
                Party.document_number.like(f"{needle.upper()}%", escape="\\"),
            )
        )
    return stmt.order_by(Party.name, Party.id)
