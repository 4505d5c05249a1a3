"""Read side of the front desk: today's log and counts, the searchable log, case links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from notary.cases.queries import local_day_start
from notary.consultations.models import Channel, Consultation
from notary.extensions import db


@dataclass(frozen=True)
class LogFilters:
    q: str | None = None
    channel: Channel | None = None
    date_from: date | None = None
    date_to: date | None = None
    taken_by_id: int | None = None
    include_void: bool = False  # the desk's own pages show voided entries, struck through


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def log_statement(f: LogFilters) -> sa.Select[Any]:
    """The log, newest first, filtered (topic, summary, name or phone; channel; dates)."""
    stmt = sa.select(Consultation)
    if not f.include_void:
        stmt = stmt.where(Consultation.voided_at.is_(None))
    if f.q:
        pattern = _like(f.q)
        stmt = stmt.where(sa.or_(Consultation.topic.ilike(pattern, escape="\\"),
                                 Consultation.summary.ilike(pattern, escape="\\"),
                                 Consultation.name.ilike(pattern, escape="\\"),
                                 Consultation.phone.ilike(pattern, escape="\\"),
                                 Consultation.taken_by_name.ilike(pattern, escape="\\")))
    if f.channel:
        stmt = stmt.where(Consultation.channel == f.channel)
    if f.date_from:
        stmt = stmt.where(Consultation.received_at >= local_day_start(f.date_from))
    if f.date_to:
        stmt = stmt.where(Consultation.received_at < local_day_start(f.date_to
                                                                     + timedelta(days=1)))
    if f.taken_by_id:
        stmt = stmt.where(Consultation.taken_by_id == f.taken_by_id)
    return stmt.order_by(Consultation.received_at.desc(), Consultation.id.desc())


def day_log(day: date, limit: int = 300) -> list[Consultation]:
    """The consultations of one local day, newest first (voided ones included, marked)."""
    return list(db.session.scalars(log_statement(LogFilters(date_from=day, date_to=day,
                                                            include_void=True)).limit(limit)))


def day_counts(day: date) -> dict[Channel, tuple[int, int]]:
    """(records, person-times) per channel on one local day, voided entries left out."""
    rows = db.session.execute(
        sa.select(Consultation.channel, sa.func.count(Consultation.id),
                  sa.func.coalesce(sa.func.sum(Consultation.persons), 0))
        .where(Consultation.received_at >= local_day_start(day),
               Consultation.received_at < local_day_start(day + timedelta(days=1)),
               Consultation.voided_at.is_(None))
        .group_by(Consultation.channel))
    found = {Channel(c): (int(n), int(p)) for c, n, p in rows}
    return {c: found.get(c, (0, 0)) for c in Channel}


def consultations_of_case(case_id: int) -> list[Consultation]:
    """The consultations an application was started from (normally one)."""
    return list(db.session.scalars(sa.select(Consultation).where(
        Consultation.case_id == case_id).order_by(Consultation.received_at)))
