"""Reporting periods (pure logic): half-years, months, quarters, years and any date range.

Boundaries are local calendar dates in Asia/Shanghai, both ends included; the queries turn
them into UTC instants, so a case closed at 23:30 on 30 June belongs to the first half.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("half", "month", "quarter", "year", "range")


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def title(self) -> str:
        """The period in Chinese, as report titles write it."""
        s = self.start
        if self.kind == "half":
            return f"{s.year}年{'上' if s.month == 1 else '下'}半年"
        if self.kind == "month":
            return f"{s.year}年{s.month}月"
        if self.kind == "quarter":
            return f"{s.year}年第{(s.month - 1) // 3 + 1}季度"
        if self.kind == "year":
            return f"{s.year}年"
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    def months(self) -> list[str]:
        """'YYYY-MM' of every month the period touches (the trend's x axis)."""
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def month_parts(self) -> list[tuple[str, Period]]:
        """Each month the period touches ('YYYY-MM'), as the part of the period inside it."""
        out = []
        for key in self.months():
            year, number = int(key[:4]), int(key[5:])
            first = max(self.start, date(year, number, 1))
            last = min(self.end, date(year, number, calendar.monthrange(year, number)[1]))
            out.append((key, Period("range", first, last)))
        return out

    def previous(self) -> Period:
        """The period just before, of the same kind (a range: the same number of days)."""
        if self.kind in ("half", "month", "quarter", "year"):
            months = {"half": 6, "month": 1, "quarter": 3, "year": 12}[self.kind]
            start = _add_months(self.start, -months)
            return Period(self.kind, start, _add_months(start, months) - timedelta(days=1))
        end = self.start - timedelta(days=1)
        return Period("range", end - timedelta(days=self.days - 1), end)

    def year_before(self) -> Period:
        """The same period a year earlier (29 February becomes 28 February)."""
        return Period(self.kind, _minus_year(self.start), _minus_year(self.end))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _minus_year(day: date) -> date:
    last = calendar.monthrange(day.year - 1, day.month)[1]
    return date(day.year - 1, day.month, min(day.day, last))


def half_year(year: int, half: int) -> Period:
    if half not in (1, 2):
        raise ValueError("half must be 1 or 2")
    return Period("half", date(year, 1, 1), date(year, 6, 30)) if half == 1 else \
        Period("half", date(year, 7, 1), date(year, 12, 31))


def month(year: int, number: int) -> Period:
    if not 1 <= number <= 12:
        raise ValueError("month must be 1-12")
    return Period("month", date(year, number, 1),
                  date(year, number, calendar.monthrange(year, number)[1]))


def quarter(year: int, number: int) -> Period:
    if not 1 <= number <= 4:
        raise ValueError("quarter must be 1-4")
    start = date(year, 3 * number - 2, 1)
    return Period("quarter", start, _add_months(start, 3) - timedelta(days=1))


def whole_year(year: int) -> Period:
    return Period("year", date(year, 1, 1), date(year, 12, 31))


def date_range(start: date, end: date) -> Period:
    if end < start:
        raise ValueError("the end is before the start")
    return Period("range", start, end)


def make_period(*, year: int | None = None, half: int | None = None, month_: int | None = None,
                quarter_: int | None = None, start: date | None = None,
                end: date | None = None) -> Period:
    """The period the arguments name (one of: half, month, quarter, year alone, from/to)."""
    if start is not None or end is not None:
        if start is None or end is None:
            raise ValueError("give both --from and --to")
        return date_range(start, end)
    if year is None:
        raise ValueError("give a year, or --from and --to")
    if sum(x is not None for x in (half, month_, quarter_)) > 1:
        raise ValueError("give only one of half, month and quarter")
    if half is not None:
        return half_year(year, half)
    if month_ is not None:
        return month(year, month_)
    if quarter_ is not None:
        return quarter(year, quarter_)
    return whole_year(year)
