"""Read side for parties: search by name or document number."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from notary.core.audit import AuditEntry
from notary.extensions import db
from notary.parties.models import NAME_SEARCH_TABLE, Party


def party_history(party_id: int) -> list[AuditEntry]:
    """The party's audit entries, newest first."""
    return list(db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.target_type == Party.__tablename__, AuditEntry.target_id == party_id)
        .order_by(AuditEntry.id.desc())
    ))


def like_escape(text: str) -> str:
    """Text for a LIKE pattern with its wildcards taken literally (ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def name_matches(text: str) -> Any:
    """The condition "Party.name matches text", answered from an index at any register size.

    Three characters or more: the name contains the text (a trigram index on PostgreSQL, the
    trigram full-text table on SQLite). One or two characters make no trigram, and a
    substring search would read every name; they match names that start with the text
    (a two-character full name "王芳", or a surname and the first given character), through
    an ordered index: varchar_pattern_ops on PostgreSQL, the plain name index on SQLite.
    """
    text = text.strip()
    needle = like_escape(text)
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    if len(text) < 3:
        if sqlite and text:
            # BINARY collation orders by code point: the names from text up to (not
            # including) text with its last character's successor are those it starts.
            # The successor skips the surrogates (U+D7FF's is U+E000: a lone surrogate
            # cannot be sent to the database); U+10FFFF has none.
            code = ord(text[-1]) + 1
            code = 0xE000 if 0xD800 <= code <= 0xDFFF else code
            if code > 0x10FFFF:
                return sa.and_(Party.name >= text, Party.name.like(f"{needle}%", escape="\\"))
            return sa.and_(Party.name >= text, Party.name < text[:-1] + chr(code))
        return Party.name.like(f"{needle}%", escape="\\")
    if sqlite and needle == text:
        # The FTS5 table answers LIKE from its index (without an ESCAPE clause, hence only
        # for texts with nothing to escape).
        search = sa.table(NAME_SEARCH_TABLE, sa.column("rowid"), sa.column("name"))
        return Party.id.in_(sa.select(search.c.rowid).where(search.c.name.like(f"%{text}%")))
    return Party.name.like(f"%{needle}%", escape="\\")


def party_search_statement(q: str | None) -> sa.Select[Party]:
    """Select parties whose name matches q (`name_matches`) or whose document number starts
    with it."""
    stmt = sa.select(Party)
    if q and q.strip():
        needle = like_escape(q.strip())
        stmt = stmt.where(
            sa.or_(
                name_matches(q),
                Party.document_number.like(f"{needle.upper()}%", escape="\\"),
            )
        )
    return stmt.order_by(Party.name, Party.id)
