"""The fee day book: each local day's payments, refunds and approved reductions by handling
notary (`FeeDayTotal`), kept as the money moves, so the totals page sums a few hundred
cells instead of a half year's payments.

Kept in the flush, for every write the ORM makes, whichever service makes it:
- a new payment or refund, or a reduction approved (or created approved), is added to its
  day and its case's handling notary;
- a case whose handling notary changes takes its figures with it: they are taken out of the
  old notary's days and put into the new one's.
Rows written around the ORM (the register generator's bulk load) are followed by `rebuild`.
`differences` compares the book with the rows; `flask fees day-totals` shows it and
rebuilds. The book is derived data: the payments, refunds and reductions it sums carry
their own audit entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, attributes

from notary.cases.models import Case
from notary.core.clock import local_date, utcnow
from notary.core.models import office_day
from notary.fees.models import DecisionStatus, FeeDayTotal, Payment, Reduction, Refund

ZERO = Decimal("0.00")
FIGURES = ("received", "refunded", "reduced", "payments", "reductions")
Key = tuple[date, int | None]


@dataclass
class Cell:
    received: Decimal = ZERO
    refunded: Decimal = ZERO
    reduced: Decimal = ZERO
    payments: int = 0
    reductions: int = 0

    def add(self, other: Cell, sign: int = 1) -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + sign * getattr(other, name))

    def is_zero(self) -> bool:
        return not any(getattr(self, name) for name in FIGURES)

    def values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in FIGURES)


def _day(moment: datetime | None) -> date:
    return local_date(moment or utcnow())


# --- kept in the flush ---------------------------------------------------------------------------


def _changed_to(obj: Any, name: str) -> tuple[bool, Any]:
    """(changed, old value) of a column attribute in this flush."""
    history = attributes.get_history(obj, name)
    if not history.has_changes():
        return False, None
    return True, history.deleted[0] if history.deleted else None


def _notary_of(session: Session, case_id: int) -> int | None:
    """The case's handling notary as this flush writes it (from the identity map, which
    session.get asks first: a query only for a case the session has not loaded)."""
    case = session.get(Case, case_id)
    return case.handling_notary_id if case is not None else None


@event.listens_for(Session, "before_flush")
def _keep_day_book(session: Session, flush_context: Any, instances: Any) -> None:
    """Add this flush's money movements to the day book and follow notary changes."""
    new: list[Any] = [o for o in session.new if isinstance(o, (Payment, Refund, Reduction))]
    dirty: list[Any] = [o for o in session.dirty if isinstance(o, (Case, Reduction))]
    if not new and not dirty:
        return
    deltas: dict[Key, Cell] = defaultdict(Cell)
    with session.no_autoflush:
        renotaried = {obj.id: obj.handling_notary_id for obj in dirty
                      if isinstance(obj, Case) and _changed_to(obj, "handling_notary_id")[0]}
        # The notary each case has in the database until this flush (the object's history
        # knows it only if the attribute was loaded before it was set).
        moved = {case_id: (stored, renotaried[case_id]) for case_id, stored in
                 session.execute(sa.select(Case.id, Case.handling_notary_id)
                                 .where(Case.id.in_(sorted(renotaried))))
                 if stored != renotaried[case_id]} if renotaried else {}
        for obj in dirty:
            if isinstance(obj, Case):
                continue
            if obj.status == DecisionStatus.APPROVED:
                changed, old = _changed_to(obj, "status")
                if changed and old != DecisionStatus.APPROVED:
                    key = (_day(obj.decided_at), _notary_of(session, obj.case_id))
                    deltas[key].add(Cell(reduced=obj.amount or ZERO, reductions=1))
        # The case's stored figures (this flush's new rows are not stored yet: they are
        # added under the new notary below).
        for day, case_id, cell in case_days(session.connection(), moved):
            old, new_notary = moved[case_id]
            deltas[(day, old)].add(cell, -1)
            deltas[(day, new_notary)].add(cell)
        for obj in new:
            notary = _notary_of(session, obj.case_id)
            if isinstance(obj, Payment):
                deltas[(_day(obj.paid_at), notary)].add(Cell(received=obj.amount, payments=1))
            elif isinstance(obj, Refund):
                deltas[(_day(obj.refunded_at), notary)].add(Cell(refunded=obj.amount))
            elif obj.status == DecisionStatus.APPROVED:
                deltas[(_day(obj.decided_at), notary)].add(
                    Cell(reduced=obj.amount or ZERO, reductions=1))
    add(session.connection(), deltas)


def case_days(conn: sa.Connection, case_ids: Iterable[int]) -> list[tuple[date, int, Cell]]:
    """The stored figures of some cases by local day: (day, case id, cell)."""
    wanted = sorted(case_ids)
    if not wanted:
        return []
    moves = _movements(Payment.case_id.in_(wanted), Refund.case_id.in_(wanted),
                       Reduction.case_id.in_(wanted))
    stmt = (sa.select(moves.c.day, moves.c.case_id, *_sums(moves))
            .group_by(moves.c.day, moves.c.case_id))
    return [(day, case_id, cell) for (day, case_id), cell in _cells(conn.execute(stmt)).items()
            if case_id is not None]


def add(conn: sa.Connection, deltas: dict[Key, Cell]) -> None:
    """Add each cell to its day and notary: the key's row updated, or a row inserted."""
    table: Any = FeeDayTotal.__table__
    for (day, notary), cell in sorted(deltas.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        if cell.is_zero():
            continue
        row = table.c.notary_id.is_(None) if notary is None else table.c.notary_id == notary
        # One row per key when there are several (see FeeDayTotal): the first.
        first = (sa.select(sa.func.min(table.c.id)).where(table.c.day == day, row)
                 .scalar_subquery())
        updated = conn.execute(
            sa.update(table).where(table.c.id == first)
            .values(**{name: table.c[name] + getattr(cell, name) for name in FIGURES}))
        if updated.rowcount == 0:
            conn.execute(sa.insert(table).values(day=day, notary_id=notary,
                                                 **dict(zip(FIGURES, cell.values(),
                                                            strict=True))))


# --- from the rows -----------------------------------------------------------------------------


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _movements(payments: Any, refunds: Any, reductions: Any) -> Any:
    """The payments, refunds and approved reductions matching the conditions, as one
    subquery of (day, case_id, received, refunded, reduced, payments, reductions)."""
    zero = sa.literal(ZERO, FeeDayTotal.received.type)
    none = sa.literal(0)
    return sa.union_all(
        sa.select(office_day(Payment.paid_at).label("day"), Payment.case_id.label("case_id"),
                  Payment.amount.label("received"), zero.label("refunded"),
                  zero.label("reduced"), sa.literal(1).label("payments"),
                  none.label("reductions")).where(payments),
        sa.select(office_day(Refund.refunded_at), Refund.case_id, zero, Refund.amount, zero,
                  none, none).where(refunds),
        sa.select(office_day(Reduction.decided_at), Reduction.case_id, zero, zero,
                  Reduction.amount, none, sa.literal(1))
        .where(Reduction.status == DecisionStatus.APPROVED, reductions),
    ).subquery("moves")


def _sums(table: Any) -> list[Any]:
    return [sa.func.sum(table.c[name]) for name in FIGURES]


def _from_rows() -> sa.Select[Any]:
    """Every day's figures by handling notary, from the payments, refunds and reductions."""
    moves = _movements(sa.true(), sa.true(), sa.true())
    return (sa.select(moves.c.day, Case.handling_notary_id, *_sums(moves))
            .join(Case, Case.id == moves.c.case_id)
            .group_by(moves.c.day, Case.handling_notary_id))


def _cells(rows: Iterable[Any]) -> dict[Key, Cell]:
    """(day, key, *figures) rows summed by (day, key), zero cells left out."""
    out: dict[Key, Cell] = defaultdict(Cell)
    for day, key, received, refunded, reduced, payments, reductions in rows:
        received, refunded, reduced = (Decimal(str(f or 0)).quantize(ZERO)
                                       for f in (received, refunded, reduced))
        out[(_as_date(day), key)].add(Cell(received, refunded, reduced, int(payments or 0),
                                           int(reductions or 0)))
    return {k: v for k, v in out.items() if not v.is_zero()}


def book(conn: sa.Connection) -> dict[Key, Cell]:
    """The day book as stored, summed by key."""
    table: Any = FeeDayTotal.__table__
    return _cells(conn.execute(
        sa.select(table.c.day, table.c.notary_id, *_sums(table))
        .group_by(table.c.day, table.c.notary_id)))


def differences(conn: sa.Connection) -> dict[Key, tuple[Cell | None, Cell | None]]:
    """Every key where the book and the rows disagree: (book, rows)."""
    kept, actual = book(conn), _cells(conn.execute(_from_rows()))
    return {key: (kept.get(key), actual.get(key)) for key in sorted(
        set(kept) | set(actual), key=lambda k: (k[0], k[1] or 0))
        if kept.get(key) != actual.get(key)}


def rebuild(conn: sa.Connection) -> int:
    """Write the day book again from the rows (one grouped statement); the rows written."""
    table: Any = FeeDayTotal.__table__
    conn.execute(sa.delete(table))
    moves = _from_rows().subquery("days")
    conn.execute(sa.insert(table).from_select(["day", "notary_id", *FIGURES],
                                              sa.select(*moves.c)))
    return int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
