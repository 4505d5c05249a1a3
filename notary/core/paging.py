"""Pages of rows with a capped count: what every long list and queue shows.

A list of a million-case register shows one page and how many there are; the count stops at a
cap (nobody pages past a few hundred pages, they narrow the filters), so numbering the pages
never costs more than the page.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale
from flask_sqlalchemy.pagination import SelectPagination

from notary.extensions import db

COUNT_CAP = 2000


def read_plain(stmt: sa.Executable, params: dict[str, Any] | None = None) -> sa.CursorResult[Any]:
    """Execute a statement that selects plain columns (no ORM entity) on the session's
    connection and transaction, past the ORM's result processing, which costs more than
    the SQL of a list page's short statements. What the session holds is flushed first,
    as the session itself would."""
    session = db.session
    if session.autoflush and (session.new or session.deleted or session.dirty):
        session.flush()
    return session.connection().execute(stmt, params)


def capped_count(stmt: sa.Select[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows stmt selects, counting no further than cap, and whether it got there."""
    limited = (stmt.order_by(None).with_only_columns(sa.literal(1), maintain_column_froms=True)
               .limit(cap + 1).subquery())
    total = int(read_plain(sa.select(sa.func.count()).select_from(limited)).scalar() or 0)
    return min(total, cap), total > cap


class CappedPagination(SelectPagination):
    """A page of ORM objects (the first column), its total capped."""

    total_capped: bool = False

    def _query_count(self) -> int:
        total, self.total_capped = capped_count(self._query_args["select"],
                                                self._query_args["cap"])
        return total


def paginate_capped(stmt: sa.Select[Any], *, page: int, per_page: int,
                    cap: int = COUNT_CAP) -> CappedPagination:
    """One page of stmt's objects with the capped total, for the pagination macro."""
    return CappedPagination(select=stmt, session=db.session, page=page, per_page=per_page,
                            max_per_page=None, error_out=False, cap=cap)


class RowPagination(SelectPagination):
    """A page of whole rows (every selected column, not only the first), its total capped."""

    total_capped: bool = False

    def _query_items(self) -> list[Any]:
        if (items := self._query_args.get("items")) is not None:
            return list(items)
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        if self._query_args.get("plain"):
            return list(read_plain(select).all())
        return list(db.session.execute(select).all())

    def _query_count(self) -> int:
        total, self.total_capped = capped_count(self._query_args["select"],
                                                self._query_args["cap"])
        return total


def paginate_rows(stmt: sa.Select[Any], *, page: int, per_page: int,
                  cap: int = COUNT_CAP, count: bool = True, plain: bool = False
                  ) -> RowPagination:
    """One page of stmt's rows (tuples) with the capped total, for the pagination macro
    (`count=False`: the caller sets `total` and `total_capped`; `plain`: stmt selects
    plain columns only, read with `read_plain`)."""
    return RowPagination(select=stmt, session=db.session, page=page, per_page=per_page,
                         max_per_page=None, error_out=False, cap=cap, count=count,
                         plain=plain)


def page_of(items: list[Any], *, page: int, per_page: int, total: int,
            total_capped: bool) -> RowPagination:
    """A page whose rows and capped total are already read, for the pagination macro."""
    found = RowPagination(select=None, session=db.session, page=page, per_page=per_page,
                          max_per_page=None, error_out=False, count=False, items=items)
    found.total, found.total_capped = total, total_capped
    return found


def row_labels(*kinds: type[Any]) -> dict[str, dict[Any, str]]:
    """The labels of some labelled enums in the reader's language, looked up once for a page
    of plain rows (instead of a translation lookup per cell): {enum name: {member: label}}.
    The labels are fixed for a language: made once per worker and language."""
    return _row_labels(str(get_locale()), kinds)


@lru_cache(maxsize=256)
def _row_labels(locale: str, kinds: tuple[type[Any], ...]) -> dict[str, dict[Any, str]]:
    return {kind.__name__: {member: member.label for member in kind} for kind in kinds}
