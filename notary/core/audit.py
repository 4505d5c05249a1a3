"""Append-only audit trail: who changed what, when, with the values before and after.

The trail is tamper-evident: each entry stores the SHA-256 of its own canonical form chained
to the previous entry's hash (`prev_hash`), and a one-row head (`audit_chain_head`) holds the
last id and hash, so `flask audit verify` finds an edited, deleted, inserted or reordered entry,
including a deleted last one. Appends are serialized so concurrent writers never fork the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, scoped_session
from sqlalchemy.orm.attributes import set_committed_value

from notary.core.models import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    """One change. Never updated or deleted: the ORM refuses both (see _refuse_changes)."""

    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_target", "target_type", "target_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    target_type: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    target_id: Mapped[int] = mapped_column(nullable=False)
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    # Filled inside the writing transaction, after the chain lock (see _chain_new_entries).
    prev_hash: Mapped[str | None] = mapped_column(sa.String(64))
    entry_hash: Mapped[str | None] = mapped_column(sa.String(64))


class AuditChainHead(Base):
    """The one row naming the chain's last entry: a deleted tail entry shows against it."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    last_entry_id: Mapped[int] = mapped_column(nullable=False)
    last_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)


# The hash before the first entry.
GENESIS_HASH = "0" * 64
HASHED_FIELDS = ("id", "created_at", "actor_id", "action", "target_type", "target_id",
                 "before", "after", "reason")
# Any constant: the key of PostgreSQL's transaction-level advisory lock over audit appends.
_CHAIN_LOCK_KEY = 0x6E6F7461  # "nota"


def _canonical_time(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:  # stored naive UTC; aware values are converted to it
        value = value.astimezone(UTC).replace(tzinfo=None)
    return str(value.isoformat(timespec="microseconds"))


def canonical_entry(fields: Mapping[str, Any]) -> str:
    """The entry's stored fields as sorted-key JSON: the exact bytes that are hashed."""
    data = {name: fields.get(name) for name in HASHED_FIELDS}
    data["created_at"] = _canonical_time(data["created_at"])
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)


def entry_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """Return the hex SHA-256 of the previous hash followed by the entry's canonical form."""
    return hashlib.sha256(f"{prev_hash}\n{canonical_entry(fields)}".encode()).hexdigest()


def chain_rows(prev_hash: str, rows: list[dict[str, Any]]) -> str:
    """Fill prev_hash and entry_hash into each row (taken in id order); return the last hash.

    For bulk loaders that insert entries themselves: afterwards they must store the returned
    hash and the last id in audit_chain_head (see `set_chain_head`).
    """
    for row in sorted(rows, key=lambda r: r["id"]):
        row["prev_hash"] = prev_hash
        row["entry_hash"] = prev_hash = entry_hash(prev_hash, row)
    return prev_hash


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def to_jsonable(value: Any) -> Any:
    """Dates, enums and Decimals as JSON-safe values, the way audit entries store them."""
    return _jsonable(value)


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """Return the listed attributes of obj as JSON-safe values."""
    return {f: _jsonable(getattr(obj, f)) for f in fields}


def changed_only(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the keys whose value differs between before and after."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    session: Session | scoped_session[Any],
    actor: Any,
    action: str,
    target: Any,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Append an audit entry for target (flushes to obtain its id); the caller commits."""
    if target.id is None:
        session.flush()
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target.__tablename__,
        target_id=target.id,
        before=_jsonable(dict(before)) if before is not None else None,
        after=_jsonable(dict(after)) if after is not None else None,
        reason=reason,
    )
    session.add(entry)
    return entry


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, flush_context: Any, instances: Any) -> None:
    """The audit trail is append-only: refuse any update or delete through the ORM."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry) and (
            obj in session.deleted or session.is_modified(obj, include_collections=False)
        ):
            raise PermissionError("audit entries are append-only")
    if any(isinstance(obj, AuditEntry) for obj in session.new):
        lock_chain(session.connection())


def lock_chain(conn: sa.Connection) -> None:
    """Serialize audit appends until this transaction ends, BEFORE the entries get their ids.

    PostgreSQL: a transaction-level advisory lock, so ids and the chain follow one order.
    SQLite has one writer at a time already: the INSERT itself takes the database's write
    lock, and the hashes are computed after it, in the same transaction.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_CHAIN_LOCK_KEY)))


def read_chain_head(conn: sa.Connection) -> tuple[int, str]:
    """Return (last entry id, last hash) of the chain; (0, GENESIS_HASH) when it is empty."""
    head = AuditChainHead.__table__
    row = conn.execute(sa.select(head.c.last_entry_id, head.c.last_hash)
                       .where(head.c.id == 1)).first()
    return (row[0], row[1]) if row else (0, GENESIS_HASH)


def set_chain_head(conn: sa.Connection, last_entry_id: int, last_hash: str) -> None:
    """Store the chain's last id and hash (under the chain lock)."""
    values = {"last_entry_id": last_entry_id, "last_hash": last_hash}
    updated = conn.execute(sa.update(AuditChainHead).where(AuditChainHead.id == 1)
                           .values(**values))
    if updated.rowcount == 0:
        conn.execute(sa.insert(AuditChainHead).values(id=1, **values))


@event.listens_for(Session, "after_flush")
def _chain_new_entries(session: Session, flush_context: Any) -> None:
    """Hash the entries this flush inserted, from their stored values, and move the head."""
    new = sorted((obj for obj in session.new if isinstance(obj, AuditEntry)),
                 key=lambda e: e.id)
    if not new:
        return
    conn = session.connection()
    table = AuditEntry.__table__
    stored = {row["id"]: dict(row) for row in conn.execute(
        sa.select(*(table.c[name] for name in HASHED_FIELDS))
        .where(table.c.id.in_([e.id for e in new]))).mappings()}
    _last_id, prev = read_chain_head(conn)
    hashes = []
    for entry in new:
        digest = entry_hash(prev, stored[entry.id])
        hashes.append({"entry": entry.id, "prev": prev, "digest": digest})
        set_committed_value(entry, "prev_hash", prev)
        set_committed_value(entry, "entry_hash", digest)
        prev = digest
    # One statement for the whole flush (executemany), not one round trip per entry.
    conn.execute(sa.update(AuditEntry).where(AuditEntry.id == sa.bindparam("entry"))
                 .values(prev_hash=sa.bindparam("prev"), entry_hash=sa.bindparam("digest")),
                 hashes)
    set_chain_head(conn, new[-1].id, prev)


@dataclass(frozen=True)
class ChainBreak:
    """The first entry where the chain does not hold, and what is wrong there."""

    entry_id: int | None
    problem: str


def verify_chain(conn: sa.Connection, *, batch: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk the trail in id order; return (entries checked, first break or None)."""
    table = AuditEntry.__table__
    stmt = (sa.select(*(table.c[name] for name in HASHED_FIELDS), table.c.prev_hash,
                      table.c.entry_hash)
            .order_by(table.c.id).execution_options(yield_per=batch))
    prev, last_id, count = GENESIS_HASH, 0, 0
    with conn.execute(stmt) as result:  # a server-side cursor on PostgreSQL: closed early too
        broken = None
        for row in map(dict, result.mappings()):
            count += 1
            if row["prev_hash"] != prev:
                # Something between the previous entry and this one was deleted or inserted,
                # or rows were reordered.
                broken = ChainBreak(row["id"], "previous-hash mismatch (entry before it "
                                               "deleted, inserted or moved)")
            elif row["entry_hash"] != entry_hash(prev, row):
                broken = ChainBreak(row["id"], "content does not match its hash (edited)")
            if broken is not None:
                return count, broken
            prev, last_id = row["entry_hash"], row["id"]
    head_id, head_hash = read_chain_head(conn)
    if (head_id, head_hash) != ((last_id, prev) if count else (0, GENESIS_HASH)):
        return count, ChainBreak(head_id or None, f"the chain ends at entry {last_id} but its "
                                                  f"head names entry {head_id} (entries deleted "
                                                  "at the end, or added outside the chain)")
    return count, None

