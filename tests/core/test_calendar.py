"""The working-day calendar around Spring Festival and National Day, with 调休 and overrides."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notary.core.calendar import WorkingCalendar

CAL = WorkingCalendar()
D = date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 14), True),  # Saturday, make-up working day before Spring Festival
        (D(2026, 2, 15), False),  # Spring Festival holiday starts (Sunday)
        (D(2026, 2, 16), False),  # Monday inside the holiday
        (D(2026, 2, 23), False),  # last day of the holiday (Monday)
        (D(2026, 2, 24), True),  # back to work
        (D(2026, 2, 28), True),  # Saturday, make-up working day after Spring Festival
        (D(2026, 9, 20), True),  # Sunday, make-up working day before National Day
        (D(2026, 9, 30), True),  # Wednesday before National Day
        (D(2026, 10, 1), False),  # National Day
        (D(2026, 10, 7), False),  # last holiday day
        (D(2026, 10, 8), True),  # Thursday, first day back
        (D(2026, 10, 10), True),  # Saturday, make-up working day
        (D(2026, 10, 11), False),  # ordinary Sunday
        (D(2026, 11, 30), True),  # ordinary Monday
        (D(2026, 11, 29), False),  # ordinary Sunday
    ],
)
def test_is_working_day_2026(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # 15 working days after the working day before National Day: Oct 8, 9, 10 (Sat, 调休),
        # 12-16, 19-23, 26, 27 -> Oct 27.
        (D(2026, 9, 30), 15, D(2026, 10, 27)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 10, 9), 1, D(2026, 10, 10)),  # Friday -> make-up Saturday
        # Accepted on a holiday: counting starts with the first working day after it.
        (D(2026, 10, 3), 1, D(2026, 10, 8)),
        (D(2026, 10, 3), 15, D(2026, 10, 27)),
        # Spring Festival: Feb 13 (Fri) -> Feb 14 (Sat, 调休) is day 1, then Feb 24.
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 13), 2, D(2026, 2, 24)),
        (D(2026, 2, 13), 15, D(2026, 3, 12)),  # 28 Feb is a make-up Saturday
        # n == 0: the same day when it is a working day, else the next working day.
        (D(2026, 9, 30), 0, D(2026, 9, 30)),
        (D(2026, 10, 1), 0, D(2026, 10, 8)),
        (D(2026, 10, 10), 0, D(2026, 10, 10)),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert CAL.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 9, 30), D(2026, 10, 27), 15),
        (D(2026, 9, 30), D(2026, 10, 7), 0),  # the whole holiday
        (D(2026, 9, 30), D(2026, 10, 10), 3),  # Oct 8, 9 and the make-up Saturday
        (D(2026, 10, 27), D(2026, 9, 30), 0),  # end before start
        (D(2026, 11, 30), D(2026, 11, 30), 0),  # start itself never counts
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert CAL.working_days_between(start, end) == expected


def test_year_missing_from_the_package_falls_back_to_monday_to_friday() -> None:
    assert not CAL.knows(2027)
    assert CAL.unknown_years(D(2026, 12, 20), D(2027, 1, 20)) == [2027]
    # 2027-01-01 is a Friday: unknown holiday, so counted as a working day (with a warning).
    assert CAL.is_working_day(D(2027, 1, 1))
    assert not CAL.is_working_day(D(2027, 1, 2))
    assert CAL.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)


def test_office_overrides_and_completed_years() -> None:
    overrides = {D(2027, 1, 1): False, D(2027, 2, 6): True}
    cal = WorkingCalendar(overrides, complete_years=[2027])
    assert cal.knows(2027)
    assert not cal.is_working_day(D(2027, 1, 1))  # New Year's Day entered by the office
    assert cal.is_working_day(D(2027, 2, 6))  # a Saturday made a working day
    assert cal.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    # An override also corrects a year the package knows.
    fixed = WorkingCalendar({D(2026, 10, 10): False})
    assert fixed.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 12)


def test_negative_n_is_refused() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(D(2026, 1, 5), -1)


@given(st.dates(min_value=D(2005, 1, 1), max_value=D(2030, 12, 31)), st.integers(0, 60))
def test_add_and_count_agree(start: date, n: int) -> None:
    due = CAL.add_working_days(start, n)
    assert CAL.is_working_day(due)
    if n:
        assert CAL.working_days_between(start, due) == n
        assert not CAL.is_working_day(due - timedelta(days=1)) or (
            CAL.working_days_between(start, due - timedelta(days=1)) == n - 1)
    else:  # the same day, or the first working day after it
        assert CAL.working_days_between(start, due) <= 1
    assert start <= due <= start + timedelta(days=3 * n + 30)
