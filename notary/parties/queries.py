"""Read side for parties: search by name or document number."""

from __future__ import annotations

import sqlalchemy as sa

from notary.parties.models import Party


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
