"""Retention of personal information, per record kind (个人信息保护法 arts. 19 and 47).

What is past its retention period is listed; records that are not legal records (the
front-desk log, lookup and sign-in logs) are anonymised on request, each change audited.
Legal records (case files, certificates, the audit trail) are never deleted or altered
here: past their archive class they are only listed for the office's appraisal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from notary.auth.models import SignInFailure, UserSession
from notary.certificates.models import ArchiveFile, VerificationLookup
from notary.consultations.models import CaseLookup, Consultation
from notary.core import audit
from notary.core.models import local_date, utcnow
from notary.extensions import db

ANONYMISED_IP = "-"


@dataclass(frozen=True)
class RetentionLine:
    kind: str
    retention_days: int | None  # None: permanent
    due: int  # records past retention still holding personal information
    action: str  # "anonymise", "appraise" (listed only) or "keep"


@dataclass(frozen=True)
class _Kind:
    column: Any  # the record's timestamp
    personal: tuple[str, ...]  # columns that hold personal information
    model: Any


_ANONYMISABLE = {
    "consultations": _Kind(Consultation.received_at, ("name", "phone", "summary"), Consultation),
    "case_lookups": _Kind(CaseLookup.looked_up_at, ("client_ip",), CaseLookup),
    "verification_lookups": _Kind(VerificationLookup.created_at, ("client_ip",),
                                  VerificationLookup),
    "sign_in_failures": _Kind(SignInFailure.failed_at, ("client_ip", "username_typed"),
                              SignInFailure),
    "user_sessions": _Kind(UserSession.created_at, ("client_ip",), UserSession),
}


def _still_personal(kind: _Kind) -> Any:
    cols = [getattr(kind.model, c) for c in kind.personal]
    if kind.model is Consultation:
        return sa.or_(*(c.is_not(None) for c in cols))
    return sa.or_(*(c != ANONYMISED_IP for c in cols))


def _due_statement(name: str, now: datetime) -> Any:
    kind = _ANONYMISABLE[name]
    days = current_app.config["RETENTION_DAYS"].get(name)
    if days is None:
        return None
    return sa.select(kind.model.id).where(kind.column < now - timedelta(days=int(days)),
                                          _still_personal(kind))


def retention_report(*, now: datetime | None = None) -> list[RetentionLine]:
    """What is past its retention period, per record kind."""
    now = now or utcnow()
    days = current_app.config["RETENTION_DAYS"]
    lines = []
    for name in _ANONYMISABLE:
        stmt = _due_statement(name, now)
        due = 0 if stmt is None else db.session.scalar(
            sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
        lines.append(RetentionLine(name, days.get(name), due,
                                   "anonymise" if days.get(name) is not None else "keep"))
    lines.append(RetentionLine("audit_entries", None, 0, "keep"))
    today = local_date(now)
    for retention, years in current_app.config["ARCHIVE_RETENTION_YEARS"].items():
        due = 0
        if years is not None:
            cutoff = today.replace(year=today.year - int(years))
            due = db.session.scalar(sa.select(sa.func.count()).select_from(ArchiveFile).where(
                ArchiveFile.retention == retention, ArchiveFile.archived_on < cutoff)) or 0
        lines.append(RetentionLine(f"case_files:{retention}",
                                   None if years is None else int(years) * 365, due,
                                   "appraise" if years is not None else "keep"))
    return lines


class _Table:
    """An audit target standing for a whole log table (the change is per table, in bulk)."""

    def __init__(self, name: str) -> None:
        self.__tablename__ = name
        self.id = 0


def apply_retention(*, actor: Any = None, now: datetime | None = None) -> dict[str, int]:
    """Anonymise every non-legal record past its retention period; return counts per kind."""
    now = now or utcnow()
    done: dict[str, int] = {}
    for name, kind in _ANONYMISABLE.items():
        stmt = _due_statement(name, now)
        if stmt is None:
            continue
        ids = list(db.session.scalars(stmt))
        if not ids:
            continue
        blank: Any = None if kind.model is Consultation else ANONYMISED_IP
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            db.session.execute(sa.update(kind.model).where(kind.model.id.in_(chunk))
                               .values(dict.fromkeys(kind.personal, blank)),
                               execution_options={"synchronize_session": False})
        if kind.model is Consultation:
            # Each consultation is a record someone may look up: say on each what was erased.
            for consultation_id in ids:
                target = _Table(Consultation.__tablename__)
                target.id = consultation_id
                audit.record(db.session, actor, "retention.anonymise", target,
                             after={"fields": list(kind.personal)}, reason="retention period")
        else:
            audit.record(db.session, actor, "retention.anonymise", _Table(name),
                         after={"fields": list(kind.personal), "rows": len(ids)},
                         reason="retention period")
        done[name] = len(ids)
    db.session.commit()
    return done
