"""Pages of rows with a capped count: what every long list and queue shows.

A list of a million-case register shows one page and how many there are; the count stops at a
cap (nobody pages past a few hundred pages, they narrow the filters), so numbering the pages
never costs more than the page.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.pagination import SelectPagination

from notary.extensions import db

COUNT_CAP = 2000


def capped_count(stmt: sa.Select[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows stmt selects, counting no further than cap, and whether it got there."""
    limited = (stmt.order_by(None).with_only_columns(sa.literal(1), maintain_column_froms=True)
               .limit(cap + 1).subquery())
    total = int(db.session.scalar(sa.select(sa.func.count()).select_from(limited)) or 0)
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
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(db.session.execute(select).all())

    def _query_count(self) -> int:
        total, self.total_capped = capped_count(self._query_args["select"],
                                                self._query_args["cap"])
        return total


def paginate_rows(stmt: sa.Select[Any], *, page: int, per_page: int,
                  cap: int = COUNT_CAP, count: bool = True) -> RowPagination:
    """One page of stmt's rows (tuples) with the capped total, for the pagination macro
    (`count=False`: the caller sets `total` and `total_capped`)."""
    return RowPagination(select=stmt, session=db.session, page=page, per_page=per_page,
                         max_per_page=None, error_out=False, cap=cap, count=count)


def row_labels(*kinds: type[Any]) -> dict[str, dict[Any, str]]:
    """The labels of some labelled enums in the reader's language, looked up once for a page
    of plain rows (instead of a translation lookup per cell): {enum name: {member: label}}."""
    return {kind.__name__: {member: member.label for member in kind} for kind in kinds}
