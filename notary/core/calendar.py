"""Working days in the PRC: public holidays and make-up working days (调休). Pure: no Flask, no DB.

The State Council publishes each year's holiday schedule late in the previous year; the
`chinese-calendar` package carries the years it knew when it was released. The office adds or
corrects days (overrides) and marks a year complete once its schedule is entered. For a year
known to neither, the calendar falls back to Monday-Friday and says so (`knows(year)`), so that
deadlines in that year can be shown with a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

import chinese_calendar

# The years the package has data for (it raises NotImplementedError outside them).
_PACKAGE_YEARS = frozenset(
    range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
)


class WorkingCalendar:
    """Answers: is this a working day, the n-th working day after a date, working days between."""

    def __init__(self, overrides: Mapping[date, bool] | None = None,
                 complete_years: Iterable[int] = (), *, use_package: bool = True) -> None:
        self._overrides = dict(overrides or {})
        self._package_years = _PACKAGE_YEARS if use_package else frozenset()
        self._complete_years = frozenset(complete_years)

    def knows(self, year: int) -> bool:
        """Whether the year's holidays are known (package data or marked complete by the office)."""
        return year in self._package_years or year in self._complete_years

    def unknown_years(self, start: date, end: date) -> list[int]:
        """The years between two dates (inclusive) whose holidays are not known."""
        first, last = sorted((start.year, end.year))
        return [y for y in range(first, last + 1) if not self.knows(y)]

    def is_working_day(self, day: date) -> bool:
        """An office override wins; then the official schedule; unknown years: Monday-Friday."""
        if day in self._overrides:
            return self._overrides[day]
        if day.year in self._package_years:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def add_working_days(self, start: date, n: int,
                         skip: Callable[[date], bool] | None = None) -> date:
        """The n-th counted working day after start (start itself not counted, 民法典 art. 201).

        n == 0 gives start when it is a counted working day, else the next one ("the same
        day"). `skip` excludes further days (clock pauses) from the count.
        """
        if n < 0:
            raise ValueError("n must be >= 0")

        def counted(d: date) -> bool:
            return self.is_working_day(d) and not (skip and skip(d))

        day = start
        if n == 0:
            while not counted(day):
                day += timedelta(days=1)
            return day
        remaining = n
        while remaining:
            day += timedelta(days=1)
            if counted(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date,
                             skip: Callable[[date], bool] | None = None) -> int:
        """Working days d with start < d <= end (0 when end <= start), minus skipped days."""
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            if self.is_working_day(day) and not (skip and skip(day)):
                count += 1
            day += timedelta(days=1)
        return count
