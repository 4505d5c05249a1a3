"""Bulk demo data: a province's years of cases and consultations, fast and deterministic.

`flask demo load` goes through the services one case at a time (realistic, a few hundred
cases a minute). This module writes the same shapes straight into the tables with bulk
inserts (executemany on SQLite, COPY on PostgreSQL) so benchmarks can run at a million cases.
Every row is consistent with the models: the status follows its procedure path, events and
audit entries replay that path, numbers come from the same yearly series that the counters
then continue after, and every ID number carries a valid check character.
Run it on a migrated database: the matters and the fee schedule come from the migrations.

Speed: times are whole seconds since the epoch, turned into the stored text through per-day
caches; everything that depends only on a case's status or category (its event path, the
audit JSON, the certificate series) is worked out once; audit entries are hashed from their
canonical JSON built directly (byte-identical to `audit.canonical_entry`). The rows are built
in a second process while this one writes them (one sequential generator, so the data does
not depend on the timing), and on SQLite a large load drops the secondary indexes and the
party-name search triggers, then recreates them from their saved SQL.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import random
import sqlite3
import time as wallclock
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from notary.cases.rules import OPEN_STATUSES, Action, CaseStatus, next_status
from notary.certificates.rules import format_number, series_for
from notary.core import audit
from notary.demo import (
    ABROAD,
    CATEGORY_MIX,
    DOMESTIC_MATTERS,
    ECONOMIC_MATTERS,
    FOREIGN_MATTERS,
    GIVEN,
    ORGS,
    PATH,
    PURPOSES,
    STATUS_MIX,
    SURNAMES,
    TOWNS,
    VILLAGES,
    ensure_staff,
)
from notary.extensions import db
from notary.fees import daybook
from notary.parties.rules import uscc_check_char

CHUNK = 10_000  # cases per batch: one executemany (COPY) per table
COMMIT_EVERY = 5  # batches per transaction
PACK = 32  # rows per INSERT statement on SQLite
DEFAULT_UNTIL = date(2026, 11, 30)  # the data's "today": fixed so a seed always gives the same
CLOSINGS = {Action.ISSUE: "issued", Action.REFUSE: "refused", Action.TERMINATE: "terminated",
            Action.WITHDRAW: "withdrawn", Action.REJECT: "not_accepted"}
# Cases older than a month have left the open stages.
CLOSED_MIX = tuple((s, w) for s, w in STATUS_MIX if s not in OPEN_STATUSES)
PLACES = {"hong_kong": "香港", "macao": "澳门", "taiwan": "台湾"}
TOPICS = ("继承公证需要哪些材料", "出国留学公证办理流程", "委托书公证收费标准", "遗嘱公证预约",
          "房产赠与公证", "无犯罪记录公证", "亲属关系公证", "学历公证翻译", "公证书查询")
CHANNELS = (("phone", 5), ("visit", 4), ("letter", 1), ("online", 2))
# The outcomes of a consultation logged on its own. "application" is never one of them: a
# consultation has that outcome only with the case it led to (consultations.services.
# start_application links the two), and the generator writes those with their case.
OUTCOMES = ("answered", "answered", "answered", "referred", "appointment")
LINKED_SHARE = 6  # one consultation in six leads to an application (at most one per case)
METHODS = ("site_visit", "interview", "letter", "phone", "registry", "home_visit")
PAYMENT_METHODS = ("cash", "bank_card", "wechat", "alipay", "transfer")
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_CHECK_CHARS = "10X98765432"
DAY = 86_400
_LOCAL_OFFSET = 8 * 3600  # Asia/Shanghai: UTC+8, no daylight saving
_EPOCH = date(1970, 1, 1)
_REFUSE_REASON = "当事人不能提供真实、合法、充分的证明材料"
_TERMINATE_REASON = "因当事人的原因致使公证事项在六个月内不能办结"
_WITHDRAW_REASON = "当事人撤回公证申请"
_REJECT_REASON = "申请人与申请公证的事项没有利害关系"
_SUPPLEMENT_REASON = "请补充提交亲属关系证明"
_OFFICE = "湖南省耒阳市公证处"


@dataclass
class GenerateResult:
    cases: int = 0
    consultations: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def cases_per_second(self) -> float:
        return self.cases / self.seconds if self.seconds else 0.0


# Column order of every row tuple the generator builds (the tables' real columns).
COLUMNS: dict[str, tuple[str, ...]] = {
    "parties": ("id", "kind", "name", "document_type", "document_number", "sex", "birth_date",
                "phone", "address", "legal_representative", "version", "created_at",
                "updated_at"),
    "cases": ("id", "acceptance_number", "acceptance_year", "acceptance_seq", "status",
              "category", "place_of_use", "purpose", "copies", "urgency", "intake_by_id",
              "handling_notary_id", "assistant_id", "approver_id", "applied_at", "accepted_at",
              "approved_at", "issued_at", "delivered_at", "archived_at", "closed_at",
              "closing_type", "closing_ground", "closing_reason", "certificate_number",
              "delivery_method", "delivered_to", "archive_number", "version", "created_at",
              "updated_at"),
    "case_matters": ("case_id", "matter_type_id"),
    "case_participants": ("id", "case_id", "party_id", "role", "position", "is_removed"),
    "case_events": ("id", "case_id", "action", "from_status", "to_status", "actor_id",
                    "created_at", "reason", "ground"),
    "case_clocks": ("case_id", "accepted_on", "due_date", "effective_due", "paused_since",
                    "stopped_on", "working_days_to_issue", "issued_on_time"),
    "clock_pauses": ("id", "case_id", "kind", "reason", "started_on", "started_at",
                     "started_by_id"),
    "fee_charges": ("id", "case_id", "schedule_id", "item_id", "description", "kind",
                    "quantity", "computed_amount", "amount", "is_void", "created_by_id",
                    "created_at", "updated_at"),
    "fee_payments": ("id", "case_id", "amount", "method", "paid_at", "receipt_number", "payer",
                     "received_by_id"),
    "fee_reductions": ("id", "case_id", "kind", "ground", "percent", "proposed_percent",
                       "amount", "reason", "status", "requested_by_id", "requested_at",
                       "decided_by_id", "decided_at"),
    "certificates": ("id", "case_id", "position", "matter_code", "matter_text", "status",
                     "applicant_block", "body", "body_en", "applicant_block_en",
                     "with_translation", "frozen_at", "series", "year", "seq", "number",
                     "verification_code", "issued_at", "issued_on", "notary_name",
                     "office_name", "applicant_name", "is_signed", "created_at", "updated_at"),
    "investigations": ("id", "case_id", "method", "purpose", "place", "status", "outcome",
                       "paused_case", "created_by_id", "closed_by_id", "closed_at",
                       "created_at", "updated_at"),
    "consultations": ("id", "received_at", "channel", "persons", "topic", "matter_type_id",
                      "outcome", "name", "phone", "taken_by_id", "case_id", "created_at",
                      "updated_at"),
    "audit_entries": ("id", "created_at", "actor_id", "action", "target_type", "target_id",
                      "before", "after", "reason", "prev_hash", "entry_hash"),
}
# Columns whose value every generated row shares (written into the INSERT, not bound per row)
# and columns that repeat another column of the row: the row tuples leave both out.
FIXED: dict[str, dict[str, Any]] = {
    "parties": {"version": 1},
    "cases": {"urgency": "normal"},
    "case_participants": {"is_removed": False},
    "fee_charges": {"quantity": 1, "is_void": False},
    "certificates": {"status": "issued", "body_en": "", "applicant_block_en": "",
                     "office_name": _OFFICE, "is_signed": False},
    "consultations": {"phone": None},
    "audit_entries": {"target_type": "cases"},
}
SAME: dict[str, dict[str, str]] = {
    "parties": {"updated_at": "created_at"},
    "cases": {"created_at": "applied_at"},
    "case_clocks": {"effective_due": "due_date"},
    "fee_charges": {"amount": "computed_amount", "updated_at": "created_at"},
    "certificates": {"issued_at": "frozen_at", "created_at": "frozen_at",
                     "updated_at": "frozen_at"},
    "consultations": {"created_at": "received_at", "updated_at": "received_at"},
}


def row_columns(table: str) -> tuple[str, ...]:
    """The columns a generated row tuple of `table` holds, in order."""
    return tuple(c for c in COLUMNS[table]
                 if c not in FIXED.get(table, {}) and c not in SAME.get(table, {}))


def _sql_literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool | int):
        return str(int(value))
    return "'" + str(value).replace("'", "''") + "'"


def _expander(table: str) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """A function from a generated row to the table's full row (COPY needs every column)."""
    held = row_columns(table)
    parts = []
    for column in COLUMNS[table]:
        if column in FIXED.get(table, {}):
            parts.append(repr(FIXED[table][column]))
        else:
            parts.append(f"r[{held.index(SAME.get(table, {}).get(column, column))}]")
    return eval(f"lambda r: ({', '.join(parts)},)")


_EXPANDERS = {table: _expander(table) for table in COLUMNS}
# Parents first, so foreign keys hold at every commit.
TABLE_ORDER = ("parties", "cases", "case_matters", "case_participants", "case_events",
               "case_clocks", "clock_pauses", "fee_charges", "fee_payments", "fee_reductions",
               "certificates", "investigations", "consultations", "audit_entries")
ID_TABLES = tuple(t for t in TABLE_ORDER if COLUMNS[t][0] == "id")
# The tables whose indexes and triggers a large SQLite load sets aside: the party names
# (indexed twice, in random order, and copied into the trigram search by triggers). The other
# indexes follow the load's order (ids, times, a few staff or status values), so keeping them
# up to date costs less than building them again afterwards.
_LOADED_TABLES = frozenset({"parties"})
# Strings "HH:MM:SS.000000" for every second of a day (stored times have whole seconds).
_HMS = tuple(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(DAY))


class _DayText(dict[int, str]):
    """Day number (days since 1970-01-01) -> its ISO date followed by `suffix`, cached."""

    def __init__(self, suffix: str = "") -> None:
        super().__init__()
        self.suffix = suffix

    def __missing__(self, day: int) -> str:
        value = (_EPOCH + timedelta(days=day)).isoformat() + self.suffix
        self[day] = value
        return value


class _Clock:
    """Whole seconds since the epoch (UTC) as the database's text forms, through caches."""

    def __init__(self) -> None:
        self.stored = _DayText(" ")  # SQLAlchemy's SQLite format: "YYYY-MM-DD HH:MM:SS.ffffff"
        self.canonical = _DayText("T")  # the audit hash's form (isoformat)
        self.dates = _DayText()

    def ts(self, t: int) -> str:
        return self.stored[t // DAY] + _HMS[t % DAY]

    def canon(self, t: int) -> str:
        return self.canonical[t // DAY] + _HMS[t % DAY]

    def local_day(self, t: int) -> int:
        return (t + _LOCAL_OFFSET) // DAY

    def day(self, day: int) -> str:
        return self.dates[day]

    def local_year(self, t: int) -> int:
        return int(self.dates[(t + _LOCAL_OFFSET) // DAY][:4])


def _weights(mix: Sequence[tuple[Any, int]]) -> tuple[list[Any], list[float], float]:
    values = [v for v, _ in mix]
    cumulative: list[float] = []
    total = 0.0
    for _, weight in mix:
        total += weight
        cumulative.append(total)
    return values, cumulative, total


class _Deck:
    """Deal values in proportion to their weights: each value `weight` times per shuffle."""

    def __init__(self, mix: Sequence[tuple[Any, int]], rng: random.Random) -> None:
        self.cards = [value for value, weight in mix for _ in range(weight)]
        self.rng = rng
        self.left: list[Any] = []

    def deal(self) -> Any:
        if not self.left:
            self.left = self.cards[:]
            self.rng.shuffle(self.left)
        return self.left.pop()


def _resident_prefix(block: int) -> tuple[str, int, str]:
    """The first 14 digits of block `block` of resident IDs, their weighted sum, the birth."""
    birth = date(1935, 1, 1) + timedelta(days=block % 23000)
    region = 430481 + (block // 23_000)
    first14 = f"{region}{birth:%Y%m%d}"
    partial = sum(int(ch) * w for ch, w in zip(first14, _RESIDENT_WEIGHTS, strict=False))
    return first14, partial, birth.isoformat()


def _uscc(index: int) -> str:
    digits = []
    for _ in range(8):
        index, rest = divmod(index, 31)
        digits.append(_USCC_ALPHABET[rest])
    first17 = "914304817" + "".join(reversed(digits))
    return first17 + uscc_check_char(first17)


# Two characters of the verification alphabet for each value 0..960 (31 * 31), low first.
_PAIRS = tuple(_ALPHABET[v % 31] + _ALPHABET[v // 31] for v in range(31 * 31))


def _verification_code(cert_id: int) -> str:
    # A bijection of the id onto 8 characters: unique without a lookup, not sequential.
    value = (cert_id * 982_451_653) % (31 ** 8)
    value, a = divmod(value, 961)
    value, b = divmod(value, 961)
    d, c = divmod(value, 961)
    return _PAIRS[a] + _PAIRS[b] + _PAIRS[c] + _PAIRS[d]


def linked_consultations(cases: int, consultations: int) -> int:
    """How many of the consultations are the first contact of one of the cases: they are
    written with their case (the case's id, a few minutes before its application); the others
    are spread over the years on their own."""
    return min(consultations // LINKED_SHARE, cases)


def _working_days(start: int, end: int) -> int:
    days = end - start
    return max(0, days - 2 * (days // 7))


def _learn_paths() -> dict[Action, CaseStatus]:
    """Where each action of the demo paths leads (the paths follow the real transitions)."""
    targets = {}
    for path in PATH.values():
        status = CaseStatus.APPLIED
        for action in path:
            status = next_status(status, action)
            targets[action] = status
    return targets


_TARGET = _learn_paths()
_DIRECTOR_ACTIONS = {Action.APPROVE, Action.REFUSE, Action.TERMINATE}
_REASONS = {Action.REFUSE: (_REFUSE_REASON, "6"), Action.TERMINATE: (_TERMINATE_REASON, "1"),
            Action.WITHDRAW: (_WITHDRAW_REASON, None), Action.REJECT: (_REJECT_REASON, "1"),
            Action.REQUEST_SUPPLEMENT: (_SUPPLEMENT_REASON, None)}


def _json_text(value: str | None) -> str:
    # The demo's texts need no JSON escapes (no quotes, backslashes or control characters).
    return "null" if value is None else f'"{value}"'


@dataclass(frozen=True)
class _Step:
    """One action of a status's path with everything about it that no case changes."""

    action: Action
    value: str  # the action's value, for case_events
    source: str  # from status
    target: str  # to status
    director: bool  # the director acts (else the handling notary)
    audit_action: str
    before: str  # audit "before" as stored
    before_canonical: str
    after: str  # audit "after" as stored (ACCEPT adds the acceptance number to it)
    after_canonical: str
    reason: str | None
    ground: str | None
    reason_canonical: str
    closing: str | None


def _plans() -> dict[CaseStatus, tuple[_Step, ...]]:
    plans = {}
    for status, path in PATH.items():
        current = CaseStatus.APPLIED
        steps = []
        for action in path:
            target = _TARGET[action]
            reason, ground = _REASONS.get(action, (None, None))
            steps.append(_Step(
                action, action.value, current.value, target.value, action in _DIRECTOR_ACTIONS,
                f"case.{action.value}", f'{{"status": "{current.value}"}}',
                f'{{"status":"{current.value}"}}', f'{{"status": "{target.value}"}}',
                f'{{"status":"{target.value}"}}', reason, ground, _json_text(reason),
                CLOSINGS.get(action)))
            current = target
        plans[status] = tuple(steps)
    return plans


_PLANS = _plans()


FeeLine = tuple[int, int, str, str, str, float]  # item, schedule, name, kind, amount text


@dataclass
class _Start:
    """What the generator needs from the database, read once before the load."""

    ids: dict[str, int]
    counters: dict[tuple[str, int], int]
    used_documents: set[str]
    matters: dict[str, tuple[int, str]]
    fee_items: list[tuple[int, dict[str | None, FeeLine]]]
    chain_head: str


def _read_start(conn: sa.Connection) -> _Start:
    ids = {t: (conn.execute(sa.text(f"SELECT max(id) FROM {t}")).scalar() or 0) + 1
           for t in ID_TABLES}
    counters: dict[tuple[str, int], int] = {
        (name, year): value for name, year, value in conn.execute(
            sa.text("SELECT name, year, last_value FROM number_sequences"))}
    used = {n for (n,) in conn.execute(sa.text("SELECT document_number FROM parties"))}
    matters = {code: (mid, name) for mid, code, name in conn.execute(
        sa.text("SELECT id, code, name FROM matter_types"))}
    # Each case is charged by the schedule in force on its (local) acceptance day: per
    # schedule, from the day it takes effect, its first active line per matter.
    fee_items: list[tuple[int, dict[str | None, FeeLine]]] = []
    for item_id, schedule_id, effective_from, code, name, kind, unit, minimum in conn.execute(
            sa.text("SELECT i.id, i.schedule_id, s.effective_from, i.matter_code, i.name, "
                    "i.kind, i.unit_amount, i.minimum FROM fee_items i JOIN fee_schedules s "
                    "ON s.id = i.schedule_id WHERE i.is_active "
                    "ORDER BY s.effective_from, i.sort_order DESC")):
        day = (date.fromisoformat(str(effective_from)[:10]) - _EPOCH).days
        if not fee_items or fee_items[-1][0] != day:
            fee_items.append((day, {}))
        amount = str(unit or minimum or "200.00")
        line = (item_id, schedule_id, f"{name}", kind, amount, float(amount))
        fee_items[-1][1][code] = line
        fee_items[-1][1].setdefault(None, line)
    _last_id, head = audit.read_chain_head(conn)
    return _Start(ids, counters, used, matters, fee_items, head)


class Generator:
    """Build the rows of `cases` cases and `consultations` consultations for `seed`.

    One sequential stream: the rows depend only on the seed and the start state, never on
    how the batches are cut or who writes them.
    """

    def __init__(self, start: _Start, *, seed: int, until: date, years: int,
                 certificate_series: dict[str, dict[str, Any]], acceptance_format: str,
                 acceptance_width: int, receipt_format: str, receipt_width: int,
                 staff: dict[str, Any], derived: frozenset[str] = frozenset()) -> None:
        self.rng = random.Random(seed)
        self.consult_rng = random.Random(seed + 1)
        self.clock = _Clock()
        self.until = ((until - _EPOCH).days) * DAY + 9 * 3600
        self.start = self.until - DAY * 365 * years
        self.acceptance_format, self.acceptance_width = acceptance_format, acceptance_width
        self.receipt_format, self.receipt_width = receipt_format, receipt_width
        self.ids = dict(start.ids)
        self.counters = dict(start.counters)
        self.used_documents = start.used_documents
        self.matters = start.matters
        self.fee_items = start.fee_items
        self.prev_hash = start.chain_head
        self.staff = staff
        self.derived = derived  # tables the database derives from the written rows: not built
        self.party_index = 0
        self.parties: list[tuple[int, str]] = []
        self.resident_blocks: dict[int, tuple[str, int, str]] = {}
        # Statuses and categories are dealt from shuffled decks holding each value as often as
        # its weight: every mix shows in full in every deck's worth of cases (so even a small
        # register has every stage), in random order.
        self.open_deck = _Deck(STATUS_MIX, self.rng)
        self.closed_deck = _Deck(CLOSED_MIX, self.rng)
        self.category_deck = _Deck([(c.value, n) for c, n in CATEGORY_MIX], self.rng)
        self.channels = _weights(CHANNELS)
        self.consult_matters = [start.matters[m][0] for m in DOMESTIC_MATTERS + FOREIGN_MATTERS]
        self.series: dict[str, tuple[str, str, int]] = {}
        for category, _n in CATEGORY_MIX:
            code = series_for(category.value, certificate_series)
            spec = certificate_series[code]
            self.series[category.value] = (code, spec["format"], int(spec.get("width", 0)))
        self.notary_names = staff["notary_names"]
        self.cases_made = 0
        self.consultations_made = 0
        # Consultation ids: those linked to a case first (the n-th linked one is n ids after
        # the first), then the others; either from its own position, however batches are cut.
        self.first_case = start.ids["cases"]
        self.first_consultation = start.ids["consultations"]

    def _next(self, name: str, year: int) -> int:
        value = self.counters.get((name, year), 0) + 1
        self.counters[(name, year)] = value
        return value

    def _times(self, count: int, total: int, made: int, rng: random.Random) -> Iterator[int]:
        """Times number made..made+count of `total` spread evenly, moved into office hours."""
        step = (self.until - self.start) / max(total, 1)
        random_ = rng.random
        start = self.start
        for i in range(made, made + count):
            t = int(start + step * i)
            day, sec = divmod(t, DAY)
            hour = sec // 3600
            if hour >= 9:  # office hours, 08:30-17:00 Asia/Shanghai = 00:30-09:00 UTC
                day, hour = day + 1, 1
            elif hour < 1:
                hour = 1
            yield day * DAY + hour * 3600 + int(random_() * 3600)

    def _document(self, organisation: bool) -> tuple[str, str | None, str | None]:
        """The next unused document number (and the person's birth date and sex)."""
        while True:
            self.party_index += 1
            index = self.party_index
            if organisation:
                number, birth, sex = _uscc(index), None, None
            else:
                block = index // 1000
                prefix = self.resident_blocks.get(block)
                if prefix is None:
                    if len(self.resident_blocks) > 4096:
                        self.resident_blocks.clear()
                    prefix = self.resident_blocks[block] = _resident_prefix(block)
                seq = index % 1000
                total = prefix[1] + 8 * (seq // 100) + 4 * (seq // 10 % 10) + 2 * (seq % 10)
                number = f"{prefix[0]}{seq:03d}{_RESIDENT_CHECK_CHARS[total % 11]}"
                birth, sex = prefix[2], "male" if seq % 2 else "female"
            if number not in self.used_documents:
                return number, birth, sex

    def _new_party(self, rows: dict[str, list[Any]], ts: str,
                   organisation: bool) -> tuple[int, str]:
        random_ = self.rng.random
        pid = self.ids["parties"]
        self.ids["parties"] = pid + 1
        number, birth, sex = self._document(organisation)
        if organisation:
            org = ORGS[int(random_() * len(ORGS))]
            name = f"{org[:-4]}{self.party_index % 997}分公司"
            rows["parties"].extend((
                pid, "organisation", name, "uscc", number, None, None, None,
                f"湖南省耒阳市{TOWNS[int(random_() * len(TOWNS))]}",
                SURNAMES[int(random_() * len(SURNAMES))] + GIVEN[int(random_() * len(GIVEN))],
                ts))
        else:
            name = SURNAMES[int(random_() * len(SURNAMES))] + GIVEN[int(random_() * len(GIVEN))]
            rows["parties"].extend((
                pid, "person", name, "resident_id", number, sex, birth,
                f"1{'3578'[int(random_() * 4)]}{100_000_000 + int(random_() * 900_000_000)}",
                f"湖南省耒阳市{TOWNS[int(random_() * len(TOWNS))]}"
                f"{VILLAGES[int(random_() * len(VILLAGES))]}{1 + int(random_() * 29)}组",
                None, ts))
        party = (pid, name)
        if len(self.parties) < 200_000:
            self.parties.append(party)
        else:
            self.parties[int(random_() * len(self.parties))] = party
        return party

    def batch(self, cases: int, consultations: int, total_cases: int,
              total_consultations: int) -> dict[str, list[Any]]:
        """The rows of the next `cases` cases (with the consultations some of them began
        with) and of the next `consultations` consultations logged on their own."""
        rows: dict[str, list[Any]] = {table: [] for table in TABLE_ORDER}
        linked = linked_consultations(total_cases, total_consultations)
        for applied in self._times(cases, total_cases, self.cases_made, self.rng):
            self.case(rows, applied, (linked, total_cases))
        self.cases_made += cases
        next_id = self.first_consultation + linked + self.consultations_made
        for when in self._times(consultations, total_consultations - linked,
                                self.consultations_made, self.consult_rng):
            self.consultation(rows, next_id, when)
            next_id += 1
        self.consultations_made += consultations
        return rows

    def case(self, rows: dict[str, list[Any]], applied: int, linked: tuple[int, int]) -> None:
        """One case with its parties, matters, history, clock, fees and certificates, and
        the consultation it began with for `linked[0]` of every `linked[1]` cases."""
        rng, clock, staff, ids = self.rng, self.clock, self.staff, self.ids
        random_ = rng.random
        ts = clock.ts
        age = (self.until - applied) // DAY
        status: CaseStatus = (self.open_deck if age < 30 else self.closed_deck).deal()
        if status in {CaseStatus.ISSUED, CaseStatus.DELIVERED} and age > 120:
            status = CaseStatus.ARCHIVED  # older files are in the archive
        cat: str = self.category_deck.deal()
        if cat == "domestic_civil":
            codes = [DOMESTIC_MATTERS[int(random_() * len(DOMESTIC_MATTERS))]]
        elif cat.endswith("economic"):
            codes = [ECONOMIC_MATTERS[int(random_() * len(ECONOMIC_MATTERS))]]
        else:
            codes = sorted({FOREIGN_MATTERS[int(random_() * len(FOREIGN_MATTERS))]
                            for _ in range(1 + int(random_() * 2))})
        place = PLACES.get(cat) or (ABROAD[int(random_() * len(ABROAD))]
                                    if cat.startswith("foreign") else None)
        case_id = ids["cases"]
        ids["cases"] = case_id + 1
        desk = staff["desk"] if case_id % 2 else staff["desk2"]
        notary = staff[("notary", "notary2", "notary3")[case_id % 3]]
        assistant = staff["assistant"] if random_() < 0.5 else staff["assistant2"]
        applied_ts = ts(applied)
        # Parties: a new applicant most of the time, a returning one otherwise.
        if self.parties and random_() < 0.15:
            applicant = self.parties[int(random_() * len(self.parties))]
        else:
            applicant = self._new_party(rows, applied_ts, cat.endswith("economic"))
        participant = ids["case_participants"]
        participants = rows["case_participants"]
        participants.extend((participant, case_id, applicant[0], "applicant", 0))
        if random_() < 0.15:
            agent = self._new_party(rows, applied_ts, False)
            participant += 1
            participants.extend((participant, case_id, agent[0], "agent", 1))
        ids["case_participants"] = participant + 1
        case_matters = rows["case_matters"]
        matters = self.matters
        for code in codes:
            case_matters.extend((case_id, matters[code][0]))
        share, of = linked
        position = case_id - self.first_case
        before = position * share // of
        if (position + 1) * share // of > before:
            # The front desk logged the visit or call, then started the application from it
            # (首问负责: the same member of staff), a few minutes later.
            values, cumulative, total = self.channels
            received = clock.ts(applied - 60 * (1 + int(random_() * 30)))
            rows["consultations"].extend((
                self.first_consultation + before, received,
                values[bisect_right(cumulative, random_() * total)], 1 + int(random_() * 2),
                f"申请办理{matters[codes[0]][1]}公证", matters[codes[0]][0], "application",
                applicant[1], desk, case_id))
        # The procedure, step by step: events and audit entries replay the path, and each
        # audit entry is chained to the one before it (ids ascend with the chain).
        audit_rows = rows["audit_entries"]
        sha256 = hashlib.sha256
        canon = clock.canon
        prev = self.prev_hash
        audit_id = ids["audit_entries"]
        after = f'{{"status": "applied", "category": "{cat}"}}'
        digest = sha256(f'{prev}\n{{"action":"case.register","actor_id":{desk},"after":'
                        f'{{"category":"{cat}","status":"applied"}},"before":null,'
                        f'"created_at":"{canon(applied)}","id":{audit_id},"reason":null,'
                        f'"target_id":{case_id},"target_type":"cases"}}'.encode()).hexdigest()
        audit_rows.extend((audit_id, applied_ts, desk, "case.register", case_id,
                           None, after, None, prev, digest))
        prev = digest
        audit_id += 1
        now = applied
        accepted = issued = closed = None
        accepted_ts = approved_ts = issued_ts = delivered_ts = archived_ts = closed_ts = None
        acceptance_number = acceptance_year = acceptance_seq = archive_number = None
        approver = closing = closing_ground = closing_reason = None
        events = None if "case_events" in self.derived else rows["case_events"]
        event_id = ids["case_events"]
        director = staff["director"]
        plan = _PLANS[status]
        stored, canonical, hms_text = clock.stored, clock.canonical, _HMS
        until = self.until
        steps = 0
        for step in plan:
            # The next step 1-39 hours on, moved into office hours (as in _times).
            day, sec = divmod(now + 3600 * (1 + int(random_() * 39)), DAY)
            hour = sec // 3600
            if hour >= 9:
                day, hour = day + 1, 1
            elif hour < 1:
                hour = 1
            sec = hour * 3600 + int(random_() * 3600)
            if day * DAY + sec > until:
                # Not yet happened on the data's "today": the case is where its last step
                # so far left it (a case of the last days is at an early stage).
                status = CaseStatus(step.source)
                break
            now = day * DAY + sec
            steps += 1
            hms = hms_text[sec]
            now_ts = stored[day] + hms
            actor = director if step.director else notary
            action = step.action
            after, after_canonical = step.after, step.after_canonical
            if action is Action.ACCEPT:
                accepted, accepted_ts = now, now_ts
                acceptance_year = year = clock.local_year(now)
                acceptance_seq = seq = self._next("acceptance", year)
                acceptance_number = self.acceptance_format.format(
                    year=year, seq=str(seq).zfill(self.acceptance_width))
                after = (f'{{"status": "{step.target}", '
                         f'"acceptance_number": "{acceptance_number}"}}')
                after_canonical = (f'{{"acceptance_number":"{acceptance_number}",'
                                   f'"status":"{step.target}"}}')
            elif action is Action.APPROVE:
                approved_ts, approver = now_ts, actor
            elif action is Action.ISSUE:
                issued, issued_ts = now, now_ts
            elif action is Action.DELIVER:
                delivered_ts = now_ts
            elif action is Action.ARCHIVE:
                archived_ts = now_ts
                archive_number = f"{now_ts[:4]}-A{case_id:07d}"
            if step.closing is not None:
                closed, closed_ts, closing = now, now_ts, step.closing
                closing_ground, closing_reason = step.ground, step.reason
            if events is not None:
                events.extend((event_id, case_id, step.value, step.source, step.target,
                               actor, now_ts, step.reason, step.ground))
            event_id += 1
            digest = sha256(
                f'{prev}\n{{"action":"{step.audit_action}","actor_id":{actor},'
                f'"after":{after_canonical},"before":{step.before_canonical},'
                f'"created_at":"{canonical[day]}{hms}","id":{audit_id},'
                f'"reason":{step.reason_canonical},'
                f'"target_id":{case_id},"target_type":"cases"}}'.encode()).hexdigest()
            audit_rows.extend((audit_id, now_ts, actor, step.audit_action, case_id,
                               step.before, after, step.reason, prev, digest))
            prev = digest
            audit_id += 1
        self.prev_hash = prev
        ids["audit_entries"] = audit_id
        ids["case_events"] = event_id
        certificate_number = None
        if accepted is not None:
            self._clock(rows, case_id, accepted, issued, issued or closed, status)
            if self.fee_items:
                self._fees(rows, case_id, codes, accepted, status, applicant[1], desk,
                           director, notary)
        if status is CaseStatus.VERIFYING or (issued is not None and random_() < 0.08):
            self._investigation(rows, case_id, accepted or applied, status, notary)
        if issued is not None:
            certificate_number = self._certificates(rows, case_id, codes, cat, issued,
                                                    applicant[1], notary)
        rows["cases"].extend((
            case_id, acceptance_number, acceptance_year, acceptance_seq, status.value, cat,
            place, PURPOSES[int(random_() * len(PURPOSES))], (1, 1, 2, 3)[int(random_() * 4)],
            desk, notary if accepted is not None or random_() < 0.5 else None,
            assistant if accepted is not None else None, approver, applied_ts,
            accepted_ts, approved_ts, issued_ts, delivered_ts, archived_ts, closed_ts, closing,
            closing_ground, closing_reason, certificate_number,
            None if delivered_ts is None else "pickup",
            None if delivered_ts is None else applicant[1], archive_number, 1 + steps,
            ts(now)))

    def _clock(self, rows: dict[str, list[Any]], case_id: int, accepted: int,
               issued: int | None, stopped: int | None, status: CaseStatus) -> None:
        clock = self.clock
        accepted_on = clock.local_day(accepted)
        stopped_on = None if stopped is None else clock.local_day(stopped)
        days = on_time = None
        if issued is not None:
            days = _working_days(accepted_on, stopped_on or accepted_on)
            on_time = days <= 15
        accepted_text = clock.day(accepted_on)
        stopped_text = None if stopped_on is None else clock.day(stopped_on)
        if status is CaseStatus.SUPPLEMENTING:
            started = min(accepted + 2 * DAY, self.until)
            paused = clock.day(clock.local_day(started))
            rows["case_clocks"].extend((case_id, accepted_text, None, paused,
                                        stopped_text, days, on_time))
            pause_id = self.ids["clock_pauses"]
            self.ids["clock_pauses"] = pause_id + 1
            rows["clock_pauses"].extend((pause_id, case_id, "supplement", _SUPPLEMENT_REASON,
                                         paused, clock.ts(started),
                                         self.staff["notary"]))
        else:
            due = clock.day(accepted_on + 21)  # 15 working days, weekends skipped
            rows["case_clocks"].extend((case_id, accepted_text, due, None, stopped_text,
                                        days, on_time))

    def _fees(self, rows: dict[str, list[Any]], case_id: int, codes: list[str], accepted: int,
              status: CaseStatus, payer: str, desk: int, director: int, notary: int) -> None:
        random_, ids, ts = self.rng.random, self.ids, self.clock.ts
        total = 0.0
        accepted_ts = ts(accepted)
        charges = rows["fee_charges"]
        charge_id = ids["fee_charges"]
        day = self.clock.local_day(accepted)
        lines = next((found for since, found in reversed(self.fee_items) if since <= day),
                     self.fee_items[0][1])
        for code in codes:
            item_id, schedule_id, name, kind, amount, value = (
                lines.get(code) or lines[None])
            total += value
            charges.extend((charge_id, case_id, schedule_id, item_id, name, kind, amount, desk,
                            accepted_ts))
            charge_id += 1
        ids["fee_charges"] = charge_id
        if status is CaseStatus.WITHDRAWN or random_() < 0.05:
            return  # not paid (yet)
        paid = min(accepted + 60 * (5 + int(random_() * 85)), self.until)
        year = self.clock.local_year(paid)
        receipt = self.receipt_format.format(
            year=year, seq=str(self._next("fee_receipt", year)).zfill(self.receipt_width))
        reduced = 0.0
        if random_() < 0.03:
            reduced = round(total * 0.5, 2)
            reduction_id = ids["fee_reductions"]
            ids["fee_reductions"] = reduction_id + 1
            rows["fee_reductions"].extend((
                reduction_id, case_id, "reduce", "minimum_living", "50.00", "50.00",
                f"{reduced:.2f}", "当事人为最低生活保障对象", "approved", notary, accepted_ts,
                director, ts(min(accepted + 1800, self.until))))
        payment_id = ids["fee_payments"]
        ids["fee_payments"] = payment_id + 1
        rows["fee_payments"].extend((
            payment_id, case_id, f"{total - reduced:.2f}",
            PAYMENT_METHODS[int(random_() * len(PAYMENT_METHODS))], ts(paid), receipt, payer,
            desk))

    def _investigation(self, rows: dict[str, list[Any]], case_id: int, when: int,
                       status: CaseStatus, notary: int) -> None:
        random_, ts = self.rng.random, self.clock.ts
        created = min(when + 3600 * (2 + int(random_() * 46)), self.until)
        done = status is not CaseStatus.VERIFYING
        closed = min(created + DAY * (1 + int(random_() * 5)), self.until) if done else None
        investigation_id = self.ids["investigations"]
        self.ids["investigations"] = investigation_id + 1
        rows["investigations"].extend((
            investigation_id, case_id, METHODS[int(random_() * len(METHODS))],
            "核实申请人提供的亲属关系证明", f"湖南省耒阳市{TOWNS[int(random_() * len(TOWNS))]}",
            "done" if done else "open", "经核实，情况属实" if done else None, False, notary,
            notary if done else None, None if closed is None else ts(closed), ts(created),
            ts(closed or created)))

    def _certificates(self, rows: dict[str, list[Any]], case_id: int, codes: list[str],
                      category: str, issued: int, applicant: str, notary: int) -> str:
        clock = self.clock
        issued_ts = clock.ts(issued)
        issued_on = clock.day(clock.local_day(issued))
        year = int(issued_on[:4])
        code, fmt, width = self.series[category]
        counter = f"certificate:{code}"
        foreign = category.startswith("foreign")
        notary_name = self.notary_names[notary]
        certificates = rows["certificates"]
        first = ""
        cert_id = self.ids["certificates"]
        for position, matter in enumerate(codes):
            seq = self._next(counter, year)
            number = format_number(fmt, year, seq, width)
            first = first or number
            name = self.matters[matter][1]
            certificates.extend((
                cert_id, case_id, position, matter, name, f"申请人：{applicant}",
                f"兹证明{applicant}的{name}属实。", foreign, issued_ts, code, year, seq, number,
                _verification_code(cert_id), issued_on, notary_name, applicant))
            cert_id += 1
        self.ids["certificates"] = cert_id
        return first

    def consultation(self, rows: dict[str, list[Any]], consultation_id: int, when: int) -> None:
        random_ = self.consult_rng.random  # a stream of their own: batches cut anywhere
        ts = self.clock.ts(when)
        values, cumulative, total = self.channels
        matters = self.consult_matters
        rows["consultations"].extend((
            consultation_id, ts, values[bisect_right(cumulative, random_() * total)],
            (1, 1, 1, 2, 3)[int(random_() * 5)], TOPICS[int(random_() * len(TOPICS))],
            matters[int(random_() * len(matters))], OUTCOMES[int(random_() * len(OUTCOMES))],
            SURNAMES[int(random_() * len(SURNAMES))] + "先生",
            self.staff["desk"] if random_() < 0.5 else self.staff["desk2"], None))


class _Packed:
    """A table's rows for SQLite, PACK to a tuple (one multi-row INSERT each): fewer
    statement executions, and fewer objects to pass from the worker process."""

    __slots__ = ("count", "flat", "last", "tail")

    def __init__(self, values: list[Any], width: int) -> None:
        self.count = len(values) // width
        step = PACK * width
        whole = len(values) - len(values) % step
        self.flat = [values[i:i + step] for i in range(0, whole, step)]
        self.tail = _rows_of(values[whole:], width)
        self.last: tuple[Any, ...] = tuple(values[-width:])


def _rows_of(values: list[Any], width: int) -> list[tuple[Any, ...]]:
    """Row tuples from the generator's flat value list of a table."""
    return [tuple(values[i:i + width]) for i in range(0, len(values), width)]


# Tables that SQLite derives from rows already written (INSERT ... SELECT, C time only)
# instead of the generator building them in Python and binding every value.
DERIVED = frozenset({"case_events"})
# A SQLite load's session settings: no fsync, a large page cache, in-memory sorts, two sorter
# threads for the index builds, and no foreign-key lookups (every row is built consistent;
# parents are written first). (The final ANALYZE reads every index: a sampled one, PRAGMA
# analysis_limit, misjudged runs of equal values by up to 600 times, e.g. 1,001
# consultations per case_id where all 600,000 have none, enough to change a plan.)
LOAD_PRAGMAS = (("synchronous", "OFF"), ("cache_size", -524288), ("temp_store", "MEMORY"),
                ("threads", 2), ("foreign_keys", "OFF"))


def _step_column(column: str, fallback: str) -> str:
    """SQL for an audit action's `column` of _Step (a status, the legal ground)."""
    # Each action leads from one status to one other in every path (a CASE costs less than
    # reading the entry's JSON); an action outside the paths would still read it.
    steps = {step.audit_action: step for plan in _PLANS.values() for step in plan}
    whens = " ".join(f"WHEN '{action}' THEN {_sql_literal(getattr(step, column))}"
                     for action, step in steps.items())
    return f"CASE action {whens} ELSE {fallback} END"


# A case's events are its audit entries after the registration, step for step: the same
# action, actor, time and reason. A batch's entries are its cases' in case order, each case's
# registration first, so an entry's event id is its place in the batch less the registrations
# up to it (?1: the first event id, ?2-?3: the batch's audit ids, ?4: its first case id).
_FROM_STATUS = _step_column("source", """"before" ->> '$.status'""")
_TO_STATUS = _step_column("target", """"after" ->> '$.status'""")
_EVENTS_SQL = (
    "INSERT INTO case_events (id, case_id, action, from_status, to_status, actor_id, "
    "created_at, reason, ground) "
    "SELECT ?1 + (id - ?2) - (target_id - ?4) - 1, target_id, substr(action, 6), "
    f"{_FROM_STATUS}, {_TO_STATUS}, actor_id, created_at, reason, "
    f"{_step_column('ground', 'NULL')} "
    "FROM audit_entries WHERE id BETWEEN ?2 AND ?3 AND action <> 'case.register' "
    "ORDER BY id")


class _Writer:
    """Bulk-insert tuples: executemany on SQLite, COPY on PostgreSQL (psycopg 3)."""

    def __init__(self, conn: sa.Connection, chain: str, ids: dict[str, int],
                 derived: frozenset[str]) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        self.driver: Any = conn.connection.driver_connection
        self.chain = chain
        self.ids = dict(ids)  # the next id of each table, as the batches are written
        self.derived = derived
        self.statements: dict[str, str] = {}
        self.packed_statements: dict[str, str] = {}
        for table, columns in COLUMNS.items():
            held = row_columns(table)
            values = [_sql_literal(FIXED[table][c]) if c in FIXED.get(table, {}) else
                      f"?{held.index(SAME.get(table, {}).get(c, c)) + 1}" for c in columns]
            self.statements[table] = (f"INSERT INTO {table} ({', '.join(columns)}) "
                                      f"VALUES ({', '.join(values)})")
            # PACK rows a statement: their values in one flat tuple, numbered row by row.
            width = len(held)
            self.packed_statements[table] = (
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join(
                    "(" + ", ".join(
                        _sql_literal(FIXED[table][c]) if c in FIXED.get(table, {}) else
                        f"?{n * width + held.index(SAME.get(table, {}).get(c, c)) + 1}"
                        for c in columns) + ")" for n in range(PACK)))

    def insert(self, table: str, rows: Sequence[tuple[Any, ...]] | _Packed) -> None:
        if isinstance(rows, _Packed):  # SQLite only
            if rows.flat:
                self.driver.executemany(self.packed_statements[table], rows.flat)
            if rows.tail:
                self.driver.executemany(self.statements[table], rows.tail)
            return
        if not rows:
            return
        if self.postgres:
            cursor = self.driver.cursor()
            columns = ", ".join(COLUMNS[table])
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
            return
        self.driver.executemany(self.statements[table], rows)


    def write(self, rows: dict[str, Any]) -> dict[str, int]:
        """Insert one batch; its audit rows continue the chain from `self.chain`."""
        counts: dict[str, int] = {}
        first_case = self.ids["cases"]
        if not self.conn.in_transaction():
            self.conn.begin()  # the raw inserts below belong to the connection's transaction
        for table in TABLE_ORDER:
            batch = rows[table]
            count = batch.count if isinstance(batch, _Packed) else len(batch)
            if table == "audit_entries" and count:
                # The entries were chained to the head the load started from: the head must
                # still be there (the trail is locked; nothing else appended meanwhile).
                audit.lock_chain(self.conn)
                _last_id, head = audit.read_chain_head(self.conn)
                if head != self.chain:
                    raise RuntimeError("the audit trail moved during the bulk load")
                self.insert(table, batch)
                last = batch.last if isinstance(batch, _Packed) else batch[-1]
                audit.set_chain_head(self.conn, last[0], last[-1])
                self.chain = last[-1]
            else:
                self.insert(table, batch)
            counts[table] = counts.get(table, 0) + count
            if count and table in ("cases", "audit_entries"):
                last = batch.last if isinstance(batch, _Packed) else batch[-1]
                first, self.ids[table] = self.ids[table], last[0] + 1
                if table == "cases":
                    first_case = first
                elif "case_events" in self.derived:
                    events = self.driver.execute(_EVENTS_SQL, (
                        self.ids["case_events"], first, last[0], first_case)).rowcount
                    self.ids["case_events"] += events
                    counts["case_events"] = events
        return counts


@contextmanager
def _plain_binding() -> Iterator[None]:
    """Bind None and bools without the sqlite3 module's adaptation lookup (which tries
    `__adapt__`/`__conform__` on each such parameter): the same values, bound faster."""
    keys: list[tuple[type[Any], type[Any]]] = [(type(None), sqlite3.PrepareProtocol),
                                               (bool, sqlite3.PrepareProtocol)]
    saved = {key: sqlite3.adapters[key] for key in keys if key in sqlite3.adapters}
    sqlite3.adapters[keys[0]] = {}.get  # None -> None: bound as NULL
    sqlite3.adapters[keys[1]] = int  # False/True -> 0/1, as sqlite3 binds them anyway
    try:
        yield
    finally:
        for key in keys:
            sqlite3.adapters.pop(key, None)
        sqlite3.adapters.update(saved)

@dataclass
class _SetAside:
    """Indexes and triggers dropped for a large SQLite load, with their exact SQL."""

    objects: list[tuple[str, str, str]]  # (type, name, sql) in sqlite_master order
    first_party: int


def _set_aside(conn: sa.Connection, first_party: int) -> _SetAside:
    objects = [(kind, name, sql) for kind, name, table, sql in conn.exec_driver_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', "
        "'trigger') AND sql IS NOT NULL ORDER BY rowid").all() if table in _LOADED_TABLES]
    for kind, name, _sql in objects:
        conn.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
    conn.commit()
    return _SetAside(objects, first_party)


def _restore(conn: sa.Connection, aside: _SetAside) -> None:
    """Recreate what `_set_aside` dropped, and index the new party names for search."""
    conn.rollback()
    names = {name for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    for kind, name, _sql in aside.objects:
        if kind == "trigger" and name.startswith("parties_name_search") and \
                "parties_name_search" in names:
            # What the insert trigger would have done for each generated party.
            conn.exec_driver_sql(
                "INSERT INTO parties_name_search(rowid, name) SELECT id, name FROM parties "
                "WHERE id >= ? ORDER BY id", (aside.first_party,))
            break
    for _kind, name, sql in aside.objects:
        if name not in names:
            conn.exec_driver_sql(sql)
    conn.commit()


def _pack(rows: dict[str, list[Any]], pack: bool) -> dict[str, Any]:
    """The batch's rows as the writer takes them: packed for SQLite, tuples for COPY."""
    if pack:
        return {table: _Packed(values, len(row_columns(table))) for table, values in rows.items()}
    out = {}
    for table, values in rows.items():  # COPY takes every column: the constants put back
        expand = _EXPANDERS[table]
        out[table] = [expand(row) for row in _rows_of(values, len(row_columns(table)))]
    return out


def _produce(generator: Generator, plan: list[tuple[int, int]], total: tuple[int, int],
             pack: bool, queue: Any) -> None:
    """The worker process: build every batch of the plan, in order, onto the queue."""
    gc.disable()  # millions of tuples and no reference cycles: the collector only costs here
    try:
        for cases, consultations in plan:
            rows = generator.batch(cases, consultations, *total)
            queue.put(_pack(rows, pack))
        queue.put(generator.counters)
    except BaseException as error:
        queue.put(error)
        raise


def _batches(generator: Generator, plan: list[tuple[int, int]], total: tuple[int, int],
             parallel: bool, pack: bool) -> Iterator[dict[str, Any]]:
    """The plan's batches: built in a forked worker when `parallel`, else here."""
    if not parallel:
        for cases, consultations in plan:
            rows = generator.batch(cases, consultations, *total)
            yield _pack(rows, pack)
        return
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=2)
    worker = context.Process(target=_produce, args=(generator, plan, total, pack, queue),
                             daemon=True)
    worker.start()
    try:
        for _ in plan:
            rows = queue.get()
            if isinstance(rows, BaseException):
                raise RuntimeError("generating the demo rows failed") from rows
            yield rows
        counters = queue.get()
        if isinstance(counters, BaseException):
            raise RuntimeError("generating the demo rows failed") from counters
        generator.counters = counters
        worker.join()
    finally:
        if worker.is_alive():
            worker.terminate()
            worker.join()


def _finish(conn: sa.Connection, counters: dict[tuple[str, int], int], postgres: bool) -> None:
    """Continue every counter after the generated numbers; fix PostgreSQL's sequences."""
    existing = {(n, y) for n, y in conn.execute(
        sa.text("SELECT name, year FROM number_sequences"))}
    for (name, year), value in sorted(counters.items()):
        params = {"name": name, "year": year, "value": value}
        if (name, year) in existing:
            conn.execute(sa.text("UPDATE number_sequences SET last_value = :value "
                                 "WHERE name = :name AND year = :year"), params)
        else:
            conn.execute(sa.text("INSERT INTO number_sequences (name, year, last_value)"
                                 " VALUES (:name, :year, :value)"), params)
    if postgres:
        for table in (*ID_TABLES, "number_sequences"):
            conn.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"))


def _journal_in_memory(conn: sa.Connection, saved: dict[str, Any]) -> None:
    """Leave WAL for the load when this is the only connection to the database (else stay)."""
    db.session.remove()
    db.engine.dispose()  # the pool's idle connections would keep WAL in force
    mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    try:
        if conn.exec_driver_sql("PRAGMA journal_mode = MEMORY").scalar() == "memory":
            saved["journal_mode"] = mode
    except sa.exc.OperationalError:  # another process has the database open: keep WAL
        conn.rollback()


def _load(conn: sa.Connection, gen_args: dict[str, Any], plan: list[tuple[int, int]],
          total: tuple[int, int], parallel: bool, set_aside_indexes: bool | None,
          progress: Callable[[int], None] | None, result: GenerateResult) -> None:
    sqlite = conn.dialect.name == "sqlite"
    start = _read_start(conn)
    conn.commit()
    gen = Generator(start, **gen_args)
    aside = _set_aside(conn, start.ids["parties"]) if set_aside_indexes else None
    writer = _Writer(conn, start.chain_head, start.ids, gen.derived)
    collecting = gc.isenabled()
    gc.disable()  # the batches are millions of tuples without cycles: no collections meanwhile
    try:
        with _plain_binding() if sqlite else nullcontext():
            for number, rows in enumerate(_batches(gen, plan, total, parallel, sqlite)):
                for table, count in writer.write(rows).items():
                    result.rows[table] = result.rows.get(table, 0) + count
                if number % COMMIT_EVERY == COMMIT_EVERY - 1:
                    conn.commit()
                if progress:
                    progress(plan[number][0])
        _finish(conn, gen.counters, writer.postgres)
        # The payments, refunds and reductions went in around the ORM: the fee day book
        # (what the totals page sums) is written from them.
        daybook.rebuild(conn)
        conn.commit()
    finally:
        if collecting:
            gc.enable()
        if aside is not None:
            _restore(conn, aside)
    if writer.postgres:
        _vacuum(conn)
    else:
        conn.exec_driver_sql("ANALYZE")  # fresh planner statistics for the new volume
        conn.commit()


def _vacuum(conn: sa.Connection) -> None:
    """PostgreSQL: VACUUM (ANALYZE) after the load, as autovacuum would do some time later.

    Fresh planner statistics, and the visibility map set, so index-only scans (counts, the
    searches' lookups) do not visit every new row's heap page. Done now, autovacuum does not
    start on the new rows in the middle of whatever is measured next.
    """
    driver: Any = conn.connection.driver_connection
    conn.commit()
    driver.autocommit = True  # VACUUM cannot run inside a transaction
    try:
        driver.execute("VACUUM (ANALYZE)")
        # The database-wide pass has left some just-loaded tables (the cases, their
        # participants) without their visibility map; a second pass of those sets it.
        for (table,) in driver.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relpages > 0"
                " AND c.relallvisible < c.relpages / 2").fetchall():
            driver.execute(f'VACUUM "{table}"')
    finally:
        driver.autocommit = False


def generate(*, cases: int, consultations: int, seed: int, until: date = DEFAULT_UNTIL,
             years: int | None = None, progress: Callable[[int], None] | None = None,
             parallel: bool | None = None, set_aside_indexes: bool | None = None,
             derive: bool | None = None, chunk: int = CHUNK) -> GenerateResult:
    """Bulk-insert cases and consultations spread over the years before `until`.

    parallel: build the rows in a second process (default: when the load is large).
    set_aside_indexes: on SQLite, drop the loaded tables' secondary indexes and triggers for
    the load and recreate them after (default: when the load outgrows the cases already
    there). derive: let SQLite write the DERIVED tables from the rows already written
    (default: on SQLite; PostgreSQL copies them as built). None of these changes the data.
    """
    from flask import current_app

    config = current_app.config
    users = ensure_staff()
    db.session.commit()
    staff: dict[str, Any] = {name: user.id for name, user in users.items()}
    staff["notary_names"] = {user.id: user.full_name for user in users.values()}
    # Reading the users began another transaction: ended here, or its snapshot would keep
    # PostgreSQL's closing VACUUM from marking the loaded rows visible to all (the
    # visibility map stayed empty, and the planner, counting on heap visits for every
    # index-only scan, hashed whole tables instead of looking rows up).
    db.session.close()
    years = years or max(1, min(10, cases // 100_000))
    result = GenerateResult(cases=cases, consultations=consultations)
    began = wallclock.perf_counter()
    # The plan: batches of `chunk` cases, each with the consultations of the same span. The
    # first is a tenth of that: the writer starts as soon as a few cases are built.
    # (The consultations a case began with come with their case: the plan spreads the rest.)
    plan: list[tuple[int, int]] = []
    alone = consultations - linked_consultations(cases, consultations)
    per_case = alone / cases if cases else 0.0
    done = consulted = 0
    while done < cases or consulted < alone:
        n = min(chunk if plan else max(1, chunk // 10), cases - done)
        done += n
        m = alone - consulted if done >= cases else min(
            alone - consulted, round(done * per_case) - consulted)
        consulted += m
        plan.append((n, m))
    gen_args = {"seed": seed, "until": until, "years": years, "staff": staff,
                "certificate_series": config["CERTIFICATE_SERIES"],
                "acceptance_format": config["ACCEPTANCE_NUMBER_FORMAT"],
                "acceptance_width": int(config["ACCEPTANCE_SEQ_WIDTH"]),
                "receipt_format": config["FEE_RECEIPT_NUMBER_FORMAT"],
                "receipt_width": int(config["FEE_RECEIPT_SEQ_WIDTH"])}
    if parallel is None:
        parallel = len(plan) > 2 and (multiprocessing.cpu_count() or 1) > 1
    with db.engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if derive is None:
            derive = sqlite
        if derive and not sqlite:
            raise ValueError("only SQLite derives tables from the written rows")
        gen_args["derived"] = DERIVED if derive else frozenset()
        saved_pragmas: dict[str, Any] = {}
        if sqlite:
            # A load at least as large as the register there (a new benchmark database): the
            # party-name indexes and search triggers are set aside, and the load writes pages
            # once, with its rollback journal in memory instead of the WAL.
            existing = conn.exec_driver_sql("SELECT count(*) FROM cases").scalar() or 0
            conn.commit()
            bulk = cases > 0 and existing <= cases
            if set_aside_indexes is None:
                set_aside_indexes = bulk
            # For this connection and this load only (set back below): LOAD_PRAGMAS.
            for name, value in LOAD_PRAGMAS:
                saved_pragmas[name] = conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                conn.exec_driver_sql(f"PRAGMA {name} = {value}")
            if bulk:
                _journal_in_memory(conn, saved_pragmas)
        reset: list[str] = []
        if conn.dialect.name == "postgresql":
            # This session only (reset below): commits without waiting for the WAL flush, and
            # for a superuser no foreign-key trigger per copied row (the rows are built
            # consistent, parents first; no other triggers are on these tables).
            conn.exec_driver_sql("SET synchronous_commit = off")
            reset.append("synchronous_commit")
            if conn.exec_driver_sql("SELECT rolsuper FROM pg_roles "
                                    "WHERE rolname = current_user").scalar():
                conn.exec_driver_sql("SET session_replication_role = replica")
                reset.append("session_replication_role")
            conn.commit()
        try:
            _load(conn, gen_args, plan, (cases, consultations), parallel, set_aside_indexes,
                  progress, result)
        finally:
            conn.rollback()
            for name, value in saved_pragmas.items():
                conn.exec_driver_sql(f"PRAGMA {name} = {value}")
            for name in reset:
                conn.exec_driver_sql(f"RESET {name}")
            conn.commit()
    result.seconds = wallclock.perf_counter() - began
    return result
