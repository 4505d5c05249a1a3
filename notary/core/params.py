"""Request parameters: every value read from a query string or a URL path parses here.

A hostile or mistyped value (a number past what the database column holds, a date the
calendar arithmetic cannot step past, text PostgreSQL cannot store) is refused with one
error, `BadParameter`, which the pages show as a 400 (next to the form's field, or the 400
page) and the API as a problem+json 400 naming the parameter. Nothing here knows a domain:
views say which parameters they read (`reads`) and which kind each one is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from flask import g, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# Record ids are PostgreSQL `integer` columns (SQLite's are 64-bit): a larger number cannot
# name a record, and PostgreSQL refuses to compare it in some plans.
MAX_ID = 2**31 - 1
# The largest integer either database takes at all (SQLite raises OverflowError past it).
INT64_MAX = 2**63 - 1
# Dates of this office's records: the oldest ledgers (1950s) to the longest clock the rules
# run (a retention period of a century is counted from the certificate date). Wider would let
# `date + timedelta` reach year 1 or 9999, where Python raises OverflowError.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)
# Pages of 20 to 5000 rows: a page number past this is past any register's end, and keeps
# OFFSET far inside 64 bits.
MAX_PAGE = 100_000
MAX_TEXT = 200  # a search box's text; a longer value is no search a person typed
MAX_VALUE = 2000  # any single query value, before its own parser bounds it
MAX_PARAMETERS = 40

TRUE_WORDS, FALSE_WORDS = {"1", "true", "on", "yes", "y"}, {"0", "false", "off", "no", "n", ""}

E = TypeVar("E", bound=Enum)


class BadParameter(BadRequest):
    """A request parameter that cannot be used: 400, naming the parameter."""

    def __init__(self, name: str, message: Any) -> None:
        super().__init__(f"{name}: {message}")
        self.parameter, self.message = name, str(message)


# --- the parsers: raw text in, a typed value out (or BadParameter) ---------------------------


def check_text(name: str, raw: str, *, max_length: int = MAX_VALUE) -> str:
    """The text if a database can store it and a person could have typed it."""
    if len(raw) > max_length:
        raise BadParameter(name, _l("Enter at most %(n)d characters.", n=max_length))
    for char in raw:
        code = ord(char)
        if code == 0 or 0xD800 <= code <= 0xDFFF:
            # PostgreSQL refuses NUL in text; UTF-8 cannot carry a lone surrogate.
            raise BadParameter(name, _l("The text contains a character that cannot be "
                                        "stored."))
        if (code < 0x20 and char not in "\t\n\r") or _noncharacter(code):
            raise BadParameter(name, _l("The text contains a control character."))
    return raw


def _noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def parse_text(name: str, raw: str, *, max_length: int = MAX_TEXT) -> str:
    """Search text: stripped, NFC, bounded, storable."""
    return unicodedata.normalize("NFC", check_text(name, raw, max_length=max_length).strip())


def parse_int(name: str, raw: str, *, low: int, high: int) -> int:
    """A whole number written in ASCII digits, from low to high."""
    text = raw.strip()
    digits = text[1:] if text[:1] in "+-" else text
    # str.isdigit() is true for '²' and '٣', which int() refuses or reads; only 0-9 here.
    if not digits or len(digits) > 19 or not digits.isascii() or not digits.isdigit():
        raise BadParameter(name, _l("Enter a whole number."))
    value = int(text)
    if not low <= value <= high:
        raise BadParameter(name, _l("Enter a number from %(low)d to %(high)d.", low=low,
                                    high=high))
    return value


def parse_id(name: str, raw: str) -> int:
    """A record id (1 to the id column's largest)."""
    return parse_int(name, raw, low=1, high=MAX_ID)


def parse_page(name: str, raw: str) -> int:
    """A page number from 1."""
    return parse_int(name, raw, low=1, high=MAX_PAGE)


def parse_year(name: str, raw: str) -> int:
    """A calendar year inside the range the office's dates keep to."""
    return parse_int(name, raw, low=FIRST_DAY.year, high=LAST_DAY.year)


def parse_date(name: str, raw: str) -> date:
    """An ISO date (YYYY-MM-DD) from FIRST_DAY to LAST_DAY."""
    text = raw.strip()
    try:
        if len(text) != 10 or not text.isascii():
            raise ValueError(text)
        value = date.fromisoformat(text)
    except ValueError:
        raise BadParameter(name, _l("Enter a date as YYYY-MM-DD.")) from None
    if not FIRST_DAY <= value <= LAST_DAY:
        raise BadParameter(name, _l("Enter a date from %(first)s to %(last)s.",
                                    first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()))
    return value


def parse_enum(name: str, raw: str, kind: type[E]) -> E:
    """A member of the enum, by its value."""
    try:
        return kind(raw.strip())
    except ValueError:
        raise BadParameter(name, _l("Choose one of the listed values.")) from None


def parse_choice(name: str, raw: str, choices: Iterable[str]) -> str:
    """One of the given words."""
    text = raw.strip()
    if text not in set(choices):
        raise BadParameter(name, _l("Choose one of the listed values."))
    return text


def parse_bool(name: str, raw: str) -> bool:
    """Yes or no (1/0, true/false, on/off)."""
    text = raw.strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise BadParameter(name, _l("Enter 1 or 0."))


# --- the request: each parameter once, through its parser -----------------------------------

T = TypeVar("T")


def raw_arg(name: str) -> str | None:
    """The one value of a query parameter (None when absent); sent twice, it is refused."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, _l("Send this parameter once."))
    return values[0] if values else None


def arg(name: str, parse: Callable[[str, str], T], default: T) -> T:
    """The parameter parsed, or the default when it is absent or empty."""
    raw = raw_arg(name)
    if raw is None or raw.strip() == "":
        return default
    return parse(name, raw)


def arg_page(name: str = "page") -> int:
    """The page number (1 when absent)."""
    return arg(name, parse_page, 1)


def check_query_string() -> None:
    """Refuse a query string no parser should see: not UTF-8, too many or too long values,
    NUL or lone surrogates, a parameter sent twice (before any view; every page and the API)."""
    from urllib.parse import unquote_to_bytes

    raw = request.query_string
    if not raw:
        return
    try:
        for part in raw.split(b"&"):
            unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise BadParameter("?", _l("The address is not valid UTF-8.")) from None
    if len(request.args) > MAX_PARAMETERS:
        raise BadParameter("?", _l("Too many parameters."))
    for name, values in request.args.lists():
        check_text(name[:40] or "?", name, max_length=100)
        if len(values) > 1:
            raise BadParameter(name, _l("Send this parameter once."))
        check_text(name, values[0])


# --- what a view reads, for the walk in tests/trust/test_hostile_values.py ------------------

F = TypeVar("F", bound=Callable[..., Any])


def reads(*sources: str | type) -> Callable[[F], F]:
    """Declare the query parameters a view reads: names, or query-form classes (their
    fields). Put it right under the route decorator."""
    names: list[str] = []
    for source in sources:
        if isinstance(source, str):
            names.append(source)
        else:  # a form class: its declared (unbound) fields, in any order
            names += sorted(n for n in dir(source) if not n.startswith("_")
                            and hasattr(getattr(source, n), "field_class"))

    def mark(view: F) -> F:
        view.query_parameters = (  # type: ignore[attr-defined]
            *getattr(view, "query_parameters", ()), *names)
        return view

    return mark


def query_parameters(view: Callable[..., Any]) -> tuple[str, ...]:
    """The query parameters a view declared with `reads` (besides GLOBAL_PARAMETERS)."""
    return tuple(getattr(view, "query_parameters", ()))


# Read on every page, by the kernel itself: the language of an anonymous reader (i18n).
GLOBAL_PARAMETERS = ("lang",)


def refuse_noted() -> None:
    """Raise the first parameter a form refused (before a download or a change)."""
    if refused := bad_parameters():
        raise refused[0]


def note_bad(error: BadParameter) -> None:
    """Remember a parameter a form refused: the page answers 400 (app_setup)."""
    g.setdefault("bad_parameters", []).append(error)


def bad_parameters() -> list[BadParameter]:
    """The parameters refused so far in this request."""
    return list(g.get("bad_parameters", []))


# --- URL paths: <int:...> within 64 bits ------------------------------------------------------


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` that matches only numbers an id column can hold: a larger id is a 404, not
    an overflow inside the database driver (SQLite past 64 bits; PostgreSQL past an
    `integer` column's 2**31 - 1, which it refuses to compare with the bound value)."""

    regex = r"[0-9]{1,19}"  # ASCII digits; past 19 no int64 (and int() of 5000 digits raises)

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
