"""Append-only audit trail: who changed what, when, with the values before and after."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, scoped_session

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
