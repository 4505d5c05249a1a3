"""Property-based tests (hypothesis) for the pure modules the per-domain tests cover only
by examples: money parsing and rounding, amounts in financial capitals, and the statutory
clock. (ID documents, the tariff, the calendar and the heir determination have theirs in
tests/parties, tests/fees, tests/core and tests/inheritance.)"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from notary.core.calendar import WorkingCalendar
from notary.core.money import FEN, parse_money, to_fen
from notary.deadlines.rules import STATUTORY_WORKING_DAYS, Pause, compute_clock
from notary.fees.rules import amount_in_words, format_yuan

CAL = WorkingCalendar()
fens = st.integers(min_value=0, max_value=10**13 - 1).map(lambda n: Decimal(n) / 100)
exact = st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, allow_infinity=False,
                    places=6)


# --- money -----------------------------------------------------------------------------------

@given(fens, st.sampled_from(["plain", "commas", "full_width", "yuan", "spaces"]))
def test_what_a_person_types_reads_back_as_the_amount(amount: Decimal, style: str) -> None:
    text = {"plain": f"{amount:.2f}", "commas": format_yuan(amount),
            "full_width": f"{amount:.2f}".translate(str.maketrans("0123456789.",
                                                                  "０１２３４５６７８９．")),
            "yuan": f"{amount:.2f}元", "spaces": f"  {amount:.2f} "}[style]
    assert parse_money(text) == amount


@given(st.text(max_size=30))
def test_any_text_either_parses_to_a_finite_amount_or_raises_value_error(text: str) -> None:
    try:
        value = parse_money(text)
    except ValueError:
        return
    assert value.is_finite()


@given(exact)
def test_rounding_to_the_fen_is_once_half_up_and_idempotent(amount: Decimal) -> None:
    rounded = to_fen(amount)
    assert rounded == rounded.quantize(FEN)
    assert to_fen(rounded) == rounded
    assert abs(rounded - amount) <= Decimal("0.005")
    if abs(rounded - amount) == Decimal("0.005"):  # a tie goes away from zero
        assert abs(rounded) > abs(amount)


_DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_SMALL = {"拾": 10, "佰": 100, "仟": 1000}


def read_capitals(words: str) -> Decimal:
    """Read financial capitals back (an independent reader, for the round trip)."""
    sign = -1 if words.startswith("负") else 1
    words = words.removeprefix("负").removesuffix("整")
    yuan_part, has_yuan, rest = words.partition("元")
    if not has_yuan:
        yuan_part, rest = "", words
    total = section = num = 0
    for ch in yuan_part.replace("万亿", "兆"):
        if ch in _DIGIT:
            num = _DIGIT[ch]
        elif ch in _SMALL:
            section += num * _SMALL[ch]
            num = 0
        else:
            section += num
            total += section * {"万": 10**4, "亿": 10**8, "兆": 10**12}[ch]
            section = num = 0
    total += section + num
    fen = 0
    for unit, factor in (("角", 10), ("分", 1)):
        if unit in rest:
            before = rest.split(unit)[0]
            fen += _DIGIT[before[-1]] * factor
    return sign * (Decimal(total) + Decimal(fen) / 100)


@given(fens, st.booleans())
def test_amount_in_words_reads_back_as_the_amount(amount: Decimal, negative: bool) -> None:
    value = -amount if negative and amount else amount
    words = amount_in_words(value)
    assert set(words) <= set("负零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    assert read_capitals(words) == value
    if value == value.to_integral_value():
        assert words.endswith("整")


# --- the statutory clock (公证法 art. 30) ----------------------------------------------------

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2028, 12, 31))


@st.composite
def closed_pauses(draw: st.DrawFn, accepted: date) -> list[Pause]:
    pauses = []
    start = accepted
    for _ in range(draw(st.integers(0, 3))):
        start = start + timedelta(days=draw(st.integers(0, 20)))
        end = start + timedelta(days=draw(st.integers(0, 20)))
        pauses.append(Pause("supplement", start, end))
        start = end
    return pauses


@given(st.data(), days, st.integers(0, 120))
def test_the_clock_adds_up_and_pauses_only_ever_push_the_due_date_later(
        data: st.DataObject, accepted: date, elapsed: int) -> None:
    today = accepted + timedelta(days=elapsed)
    pauses = data.draw(closed_pauses(accepted))
    plain = compute_clock(CAL, accepted, [], today=today)
    clock = compute_clock(CAL, accepted, pauses, today=today)
    for state in (plain, clock):
        assert state.used + state.left == STATUTORY_WORKING_DAYS
        assert state.due_date is not None and CAL.is_working_day(state.due_date)
        assert state.overdue == (today > state.due_date)
    assert plain.due_date == CAL.add_working_days(accepted, STATUTORY_WORKING_DAYS)
    assert clock.due_date >= plain.due_date  # type: ignore[operator]
    assert clock.used <= plain.used
    # Each paused working day moves the due date by exactly one working day.
    assert clock.due_date is not None and plain.due_date is not None
    paused_days = {d for p in pauses for d in _days(p.start, p.end)
                   if CAL.is_working_day(d) and accepted < d <= clock.due_date}
    assert CAL.working_days_between(plain.due_date, clock.due_date) == len(paused_days)


def _days(start: date, end: date | None) -> list[date]:
    assert end is not None
    return [start + timedelta(days=i) for i in range((end - start).days)]


@given(days, st.integers(0, 60), st.integers(1, 60))
def test_an_open_pause_has_no_due_date_and_stops_the_count(accepted: date, before: int,
                                                          after: int) -> None:
    start = accepted + timedelta(days=before)
    today = start + timedelta(days=after)
    clock = compute_clock(CAL, accepted, [Pause("verification", start)], today=today)
    assert clock.paused and clock.due_date is None and not clock.overdue
    assert clock.used == CAL.working_days_between(accepted, min(today, start - timedelta(1)))


@given(days, st.integers(0, 90), st.integers(0, 90))
def test_a_stopped_clock_no_longer_counts(accepted: date, run: int, later: int) -> None:
    stopped = accepted + timedelta(days=run)
    today = stopped + timedelta(days=later)
    assume(today >= stopped)
    clock = compute_clock(CAL, accepted, [], today=today, stopped_on=stopped)
    assert clock.used == CAL.working_days_between(accepted, stopped)
    assert clock.overdue == (stopped > clock.due_date)  # type: ignore[operator]


@pytest.mark.parametrize("limit", [1, 15, 30])
def test_the_limit_is_what_the_office_configures(limit: int) -> None:
    clock = compute_clock(CAL, date(2026, 3, 2), [], today=date(2026, 3, 2), limit=limit)
    assert clock.left == limit and clock.due_date == CAL.add_working_days(date(2026, 3, 2), limit)
