"""The statutory clock: 15 working days from acceptance, pauses for 补充材料 / 核实 / 不可抗力."""

from __future__ import annotations

from datetime import date

import pytest

from notary.core.calendar import WorkingCalendar
from notary.deadlines.rules import Pause, compute_clock

CAL = WorkingCalendar()
D = date


@pytest.mark.parametrize(
    ("accepted", "pauses", "today", "due", "used", "paused"),
    [
        # The must-show: accepted the working day before National Day.
        (D(2026, 9, 30), [], D(2026, 9, 30), D(2026, 10, 27), 0, False),
        (D(2026, 9, 30), [], D(2026, 10, 10), D(2026, 10, 27), 3, False),
        # A 核实 pause of 3 working days (Oct 12-14, resumed Oct 15) moves the due date by 3.
        (D(2026, 9, 30), [Pause("verification", D(2026, 10, 12), D(2026, 10, 15))],
         D(2026, 10, 20), D(2026, 10, 30), 7, False),
        # A pause spanning the holiday costs only the working days inside it (Sep 30 excluded
        # as acceptance day; paused Oct 1-8, resumed Oct 9: only Oct 8 is a paused working day).
        (D(2026, 9, 29), [Pause("supplement", D(2026, 10, 1), D(2026, 10, 9))],
         D(2026, 10, 9), D(2026, 10, 27), 2, False),
        # A pause opened and closed on the same day costs nothing.
        (D(2026, 9, 30), [Pause("verification", D(2026, 10, 12), D(2026, 10, 12))],
         D(2026, 10, 12), D(2026, 10, 27), 4, False),
        # An open pause: no due date while paused; used stops growing.
        (D(2026, 9, 30), [Pause("supplement", D(2026, 10, 12))], D(2026, 11, 30), None, 3,
         True),
        # Accepted on a holiday: day 1 is the first working day after it.
        (D(2026, 10, 3), [], D(2026, 10, 8), D(2026, 10, 27), 1, False),
        # Spring Festival with both make-up Saturdays.
        (D(2026, 2, 13), [], D(2026, 2, 28), D(2026, 3, 12), 6, False),
        # Two pauses, one force majeure.
        (D(2026, 11, 2), [Pause("supplement", D(2026, 11, 4), D(2026, 11, 6)),
                          Pause("force_majeure", D(2026, 11, 10), D(2026, 11, 11))],
         D(2026, 11, 30), D(2026, 11, 26), 17, False),
    ],
)
def test_clock(accepted: date, pauses: list[Pause], today: date, due: date | None, used: int,
               paused: bool) -> None:
    state = compute_clock(CAL, accepted, pauses, today=today)
    assert state.due_date == due
    assert state.used == used
    assert state.left == 15 - used
    assert state.paused is paused


def test_overdue_and_stopped_clock() -> None:
    late = compute_clock(CAL, D(2026, 9, 30), [], today=D(2026, 10, 28))
    assert late.overdue and late.left == -1
    on_time = compute_clock(CAL, D(2026, 9, 30), [], today=D(2026, 11, 30),
                            stopped_on=D(2026, 10, 27))
    assert not on_time.overdue and on_time.used == 15 and on_time.left == 0
    issued_late = compute_clock(CAL, D(2026, 9, 30), [], today=D(2026, 11, 30),
                                stopped_on=D(2026, 10, 28))
    assert issued_late.overdue and issued_late.used == 16


@pytest.mark.parametrize(
    ("accepted", "limit", "due"),
    [
        (D(2026, 9, 30), 0, D(2026, 9, 30)),  # 特事特办: the same day
        (D(2026, 10, 3), 0, D(2026, 10, 8)),  # accepted on a holiday: the first working day
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # 加急 in 3 working days, make-up Saturday
    ],
)
def test_expedited_targets(accepted: date, limit: int, due: date) -> None:
    state = compute_clock(CAL, accepted, [], today=accepted, limit=limit)
    assert state.due_date == due


def test_year_missing_from_calendar_is_reported() -> None:
    state = compute_clock(CAL, D(2026, 12, 21), [], today=D(2026, 12, 21))
    # 15 working days Monday-Friday from Dec 21 reach into January 2027 (unknown holidays).
    assert state.due_date == D(2027, 1, 11)
    assert state.unknown_years == (2027,)
    known = compute_clock(WorkingCalendar({D(2027, 1, 1): False}, complete_years=[2027]),
                          D(2026, 12, 21), [], today=D(2026, 12, 21))
    assert known.due_date == D(2027, 1, 12) and known.unknown_years == ()
