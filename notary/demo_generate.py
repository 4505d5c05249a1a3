"""Bulk demo data: a province's years of cases and consultations, fast and deterministic.

`flask demo load` goes through the services one case at a time (realistic, a few hundred
cases a minute). This module writes the same shapes straight into the tables with bulk
inserts (executemany on SQLite, COPY on PostgreSQL) so benchmarks can run at a million cases.
Every row is consistent with the models: the status follows its procedure path, events and
audit entries replay that path, numbers come from the same yearly series that the counters
then continue after, and every ID number carries a valid check character.
Run it on a migrated database: the matters and the fee schedule come from the migrations.
"""

from __future__ import annotations

import json
import random
import time as wallclock
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from notary.cases.rules import OPEN_STATUSES, Action, CaseStatus, next_status
from notary.certificates.rules import format_number, series_for
from notary.core import audit
from notary.core.models import OFFICE_TZ
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
from notary.parties.rules import resident_id_check_char, uscc_check_char

CHUNK = 5000  # cases per batch: one transaction, one executemany per table
DEFAULT_UNTIL = date(2026, 11, 30)  # the data's "today": fixed so a seed always gives the same
CLOSINGS = {Action.ISSUE: "issued", Action.REFUSE: "refused", Action.TERMINATE: "terminated",
            Action.WITHDRAW: "withdrawn"}
# Cases older than a month have left the open stages.
CLOSED_MIX = tuple((s, w) for s, w in STATUS_MIX if s not in OPEN_STATUSES)
PLACES = {"hong_kong": "香港", "macao": "澳门", "taiwan": "台湾"}
TOPICS = ("继承公证需要哪些材料", "出国留学公证办理流程", "委托书公证收费标准", "遗嘱公证预约",
          "房产赠与公证", "无犯罪记录公证", "亲属关系公证", "学历公证翻译", "公证书查询")
CHANNELS = (("phone", 5), ("visit", 4), ("letter", 1), ("online", 2))
OUTCOMES = ("answered", "answered", "answered", "referred", "appointment", "application")
METHODS = ("site_visit", "interview", "letter", "phone", "registry", "home_visit")
PAYMENT_METHODS = ("cash", "bank_card", "wechat", "alipay", "transfer")
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass
class GenerateResult:
    cases: int = 0
    consultations: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def cases_per_second(self) -> float:
        return self.cases / self.seconds if self.seconds else 0.0


@dataclass
class _Ids:
    """The next free primary key of every table: allocated here, never by the database."""

    next: dict[str, int]

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


@dataclass
class _Batch:
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows.setdefault(table, []).append(row)


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
                      "outcome", "name", "phone", "taken_by_id", "created_at", "updated_at"),
    "audit_entries": ("id", "created_at", "actor_id", "action", "target_type", "target_id",
                      "before", "after", "reason", "prev_hash", "entry_hash"),
}
# Parents first, so foreign keys hold at every commit.
TABLE_ORDER = ("parties", "cases", "case_matters", "case_participants", "case_events",
               "case_clocks", "clock_pauses", "fee_charges", "fee_payments", "fee_reductions",
               "certificates", "investigations", "consultations", "audit_entries")
ID_TABLES = tuple(t for t in TABLE_ORDER if COLUMNS[t][0] == "id")


class _Writer:
    """Bulk-insert tuples: executemany on SQLite, COPY on PostgreSQL (psycopg 3)."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"

    def ts(self, moment: datetime | None) -> Any:
        """A naive-UTC timestamp as the dialect stores it (SQLAlchemy's SQLite text format)."""
        if moment is None or self.postgres:
            return moment
        return moment.isoformat(" ", "microseconds")

    def day(self, value: date | None) -> Any:
        if value is None or self.postgres:
            return value
        return value.isoformat()

    def insert(self, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        columns = COLUMNS[table]
        if self.postgres:
            cursor = self.conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join("?" * len(columns))
        self.conn.exec_driver_sql(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", list(rows))


def _insert_audit_rows(writer: _Writer, rows: Sequence[tuple[Any, ...]]) -> None:
    """Write generated audit entries, in ascending id order (the one place they are written),
    chained to the trail's head exactly as the live path chains them (`flask audit verify`)."""
    if not rows:
        return
    audit.lock_chain(writer.conn)
    _last_id, prev = audit.read_chain_head(writer.conn)
    names = COLUMNS["audit_entries"][:-2]
    fields = [dict(zip(names, row, strict=True)) for row in rows]
    for entry in fields:  # hashed as read back: JSON columns come back as objects
        for name in ("before", "after"):
            if entry[name] is not None:
                entry[name] = json.loads(entry[name])
    last = audit.chain_rows(prev, fields)
    writer.insert("audit_entries", [(*row, entry["prev_hash"], entry["entry_hash"])
                                    for row, entry in zip(rows, fields, strict=True)])
    audit.set_chain_head(writer.conn, rows[-1][0], last)


def _resident_id(index: int) -> tuple[str, date, str]:
    """A unique, valid 18-digit resident ID for party number `index` (birth date, sex)."""
    seq = index % 1000
    birth = date(1935, 1, 1) + timedelta(days=(index // 1000) % 23000)
    region = 430481 + (index // 23_000_000)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + resident_id_check_char(first17), birth, "male" if seq % 2 else "female"


def _uscc(index: int) -> str:
    digits = []
    for _ in range(8):
        index, rest = divmod(index, 31)
        digits.append(_USCC_ALPHABET[rest])
    first17 = "914304817" + "".join(reversed(digits))
    return first17 + uscc_check_char(first17)


def _verification_code(cert_id: int) -> str:
    # A bijection of the id onto 8 characters: unique without a lookup, not sequential.
    value = (cert_id * 982_451_653) % (31 ** 8)
    chars = []
    for _ in range(8):
        value, rest = divmod(value, 31)
        chars.append(_ALPHABET[rest])
    return "".join(chars)


def _office_hours(rng: random.Random, at: datetime) -> datetime:
    """Move a UTC time into office hours (08:30-17:00 Asia/Shanghai = 00:30-09:00 UTC)."""
    if at.hour >= 9:
        at = (at + timedelta(days=1)).replace(hour=1)
    elif at.hour < 1:
        at = at.replace(hour=1)
    seconds = int(rng.random() * 3600)
    return at.replace(minute=seconds // 60, second=seconds % 60)


def _local(moment: datetime) -> date:
    return (moment + timedelta(hours=8)).date()  # Asia/Shanghai has no daylight saving


def _working_days(start: date, end: date) -> int:
    days = (end - start).days
    return max(0, days - 2 * (days // 7))


class Generator:
    """Fill the database with `cases` cases and `consultations` consultations for `seed`."""

    def __init__(self, conn: sa.Connection, *, seed: int, until: date,
                 years: int, certificate_series: dict[str, dict[str, Any]],
                 acceptance_format: str, acceptance_width: int, receipt_format: str,
                 receipt_width: int) -> None:
        self.conn = conn
        self.writer = _Writer(conn)
        self.rng = random.Random(seed)
        self.until = datetime(until.year, until.month, until.day, 9, tzinfo=UTC)
        self.start = self.until - timedelta(days=365 * years)
        self.series = certificate_series
        self.acceptance_format, self.acceptance_width = acceptance_format, acceptance_width
        self.receipt_format, self.receipt_width = receipt_format, receipt_width
        self.ids = _Ids({t: (conn.execute(sa.text(f"SELECT max(id) FROM {t}")).scalar() or 0) + 1
                         for t in ID_TABLES})
        self.counters: dict[tuple[str, int], int] = {
            (name, year): value for name, year, value in conn.execute(
                sa.text("SELECT name, year, last_value FROM number_sequences"))}
        self.used_documents = {n for (n,) in conn.execute(
            sa.text("SELECT document_number FROM parties"))}
        self.matters = {code: (mid, name) for mid, code, name in conn.execute(
            sa.text("SELECT id, code, name FROM matter_types"))}
        self.fee_items: dict[str | None, tuple[int, int, str, str]] = {}
        self.amounts: dict[int, str] = {}
        for item_id, schedule_id, code, name, kind, unit, minimum in conn.execute(sa.text(
                "SELECT id, schedule_id, matter_code, name, kind, unit_amount, minimum "
                "FROM fee_items WHERE is_active ORDER BY sort_order DESC")):
            amount = str(unit or minimum or "200.00")
            self.fee_items[code] = (item_id, schedule_id, f"{name}", kind)
            self.fee_items.setdefault(None, (item_id, schedule_id, name, kind))
            self.amounts[item_id] = amount
        self.party_index = 0
        self.parties: list[tuple[int, str]] = []

    def _next(self, name: str, year: int) -> int:
        value = self.counters.get((name, year), 0) + 1
        self.counters[(name, year)] = value
        return value

    def _new_party(self, batch: _Batch, when: datetime, organisation: bool) -> tuple[int, str]:
        rng, ts = self.rng, self.writer.ts(when)
        pid = self.ids.take("parties")
        while True:
            self.party_index += 1
            number = _uscc(self.party_index) if organisation else _resident_id(self.party_index)[0]
            if number not in self.used_documents:
                break
        if organisation:
            name = f"{rng.choice(ORGS)[:-4]}{self.party_index % 997}分公司"
            batch.add("parties", (pid, "organisation", name, "uscc", number, None, None, None,
                                  f"湖南省耒阳市{rng.choice(TOWNS)}",
                                  rng.choice(SURNAMES) + rng.choice(GIVEN), 1, ts, ts))
        else:
            _number, birth, sex = _resident_id(self.party_index)
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            batch.add("parties", (
                pid, "person", name, "resident_id", number, sex, self.writer.day(birth),
                f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
                f"湖南省耒阳市{rng.choice(TOWNS)}{rng.choice(VILLAGES)}{rng.randrange(1, 30)}组",
                None, 1, ts, ts))
        party = (pid, name)
        if len(self.parties) < 200_000:
            self.parties.append(party)
        else:
            self.parties[rng.randrange(len(self.parties))] = party
        return party

    def case(self, batch: _Batch, applied: datetime, staff: dict[str, Any]) -> None:
        """One case with its parties, matters, history, clock, fees and certificates."""
        rng, w = self.rng, self.writer
        age = (self.until - applied).days
        status: CaseStatus = rng.choices(
            [s for s, _ in (STATUS_MIX if age < 30 else CLOSED_MIX)],
            [n for _, n in (STATUS_MIX if age < 30 else CLOSED_MIX)])[0]
        if status in {CaseStatus.ISSUED, CaseStatus.DELIVERED} and age > 120:
            status = CaseStatus.ARCHIVED  # older files are in the archive
        category = rng.choices([c for c, _ in CATEGORY_MIX], [n for _, n in CATEGORY_MIX])[0]
        cat = category.value
        if cat == "domestic_civil":
            codes = [rng.choice(DOMESTIC_MATTERS)]
        elif cat.endswith("economic"):
            codes = [rng.choice(ECONOMIC_MATTERS)]
        else:
            codes = sorted({rng.choice(FOREIGN_MATTERS) for _ in range(rng.randrange(1, 3))})
        place = PLACES.get(cat) or (rng.choice(ABROAD) if cat.startswith("foreign") else None)
        case_id = self.ids.take("cases")
        desk = staff["desk"] if case_id % 2 else staff["desk2"]
        notary = staff[("notary", "notary2", "notary3")[case_id % 3]]
        assistant = staff["assistant"] if rng.random() < 0.5 else staff["assistant2"]
        # Parties: a new applicant most of the time, a returning one otherwise.
        organisation = cat.endswith("economic")
        if self.parties and rng.random() < 0.15:
            applicant = self.parties[rng.randrange(len(self.parties))]
        else:
            applicant = self._new_party(batch, applied, organisation)
        people = [(applicant, "applicant")]
        if rng.random() < 0.15:
            people.append((self._new_party(batch, applied, False), "agent"))
        for position, ((pid, _name), role) in enumerate(people):
            batch.add("case_participants", (self.ids.take("case_participants"), case_id, pid,
                                            role, position, False))
        for code in codes:
            batch.add("case_matters", (case_id, self.matters[code][0]))
        # The procedure, step by step: events and audit entries replay the path.
        fields: dict[str, Any] = {}
        audit: list[tuple[Any, ...]] = [(
            self.ids.take("audit_entries"), w.ts(applied), desk, "case.register", "cases",
            case_id, None, f'{{"status": "applied", "category": "{cat}"}}', None)]
        now, current = applied, CaseStatus.APPLIED
        for action in PATH[status]:
            now = _office_hours(rng, now + timedelta(hours=1 + int(rng.random() * 39)))
            target = _TARGET[action]
            actor = staff["director"] if action in {Action.APPROVE, Action.REFUSE,
                                                    Action.TERMINATE} else notary
            extra = ""
            reason = ground = None
            if action is Action.ACCEPT:
                year = now.astimezone(OFFICE_TZ).year
                seq = self._next("acceptance", year)
                number = self.acceptance_format.format(
                    year=year, seq=str(seq).zfill(self.acceptance_width))
                fields.update(accepted_at=now, acceptance_year=year, acceptance_seq=seq,
                              acceptance_number=number)
                extra = f', "acceptance_number": "{number}"'
            elif action is Action.APPROVE:
                fields.update(approved_at=now, approver_id=actor)
            elif action is Action.ISSUE:
                fields["issued_at"] = now
            elif action is Action.DELIVER:
                fields.update(delivered_at=now, delivery_method="pickup",
                              delivered_to=applicant[1])
            elif action is Action.ARCHIVE:
                fields.update(archived_at=now, archive_number=f"{now.year}-A{case_id:07d}")
            elif action is Action.REFUSE:
                reason, ground = "当事人不能提供真实、合法、充分的证明材料", "6"
            elif action is Action.TERMINATE:
                reason, ground = "因当事人的原因致使公证事项在六个月内不能办结", "1"
            elif action is Action.WITHDRAW:
                reason = "当事人撤回公证申请"
            elif action is Action.REQUEST_SUPPLEMENT:
                reason = "请补充提交亲属关系证明"
            if action in CLOSINGS:
                fields.update(closed_at=now, closing_type=CLOSINGS[action],
                              closing_ground=ground, closing_reason=reason)
            batch.add("case_events", (self.ids.take("case_events"), case_id, action.value,
                                      current.value, target.value, actor, w.ts(now), reason,
                                      ground))
            audit.append((self.ids.take("audit_entries"), w.ts(now), actor,
                          f"case.{action.value}", "cases", case_id,
                          f'{{"status": "{current.value}"}}',
                          f'{{"status": "{target.value}"{extra}}}', reason))
            current = target
        accepted = fields.get("accepted_at")
        if accepted is not None:
            self._clock(batch, case_id, accepted, fields, status, staff["notary"])
            self._fees(batch, case_id, codes, accepted, status, applicant[1], desk,
                       staff["director"], notary)
        if status in {CaseStatus.VERIFYING} or (fields.get("issued_at") and rng.random() < 0.08):
            self._investigation(batch, case_id, accepted or applied, status, notary)
        if fields.get("issued_at"):
            fields["certificate_number"] = self._certificates(
                batch, case_id, codes, cat, fields["issued_at"], applicant[1], notary, staff)
        updated = w.ts(now)
        batch.add("cases", (
            case_id, fields.get("acceptance_number"), fields.get("acceptance_year"),
            fields.get("acceptance_seq"), status.value, cat, place, rng.choice(PURPOSES),
            rng.choice((1, 1, 2, 3)), "normal", desk,
            notary if accepted is not None or rng.random() < 0.5 else None,
            assistant if accepted is not None else None, fields.get("approver_id"),
            w.ts(applied), w.ts(accepted), w.ts(fields.get("approved_at")),
            w.ts(fields.get("issued_at")), w.ts(fields.get("delivered_at")),
            w.ts(fields.get("archived_at")), w.ts(fields.get("closed_at")),
            fields.get("closing_type"), fields.get("closing_ground"),
            fields.get("closing_reason"), fields.get("certificate_number"),
            fields.get("delivery_method"), fields.get("delivered_to"),
            fields.get("archive_number"), 1 + len(PATH[status]), w.ts(applied), updated))
        for row in audit:
            batch.add("audit_entries", row)

    def _clock(self, batch: _Batch, case_id: int, accepted: datetime, fields: dict[str, Any],
               status: CaseStatus, actor: int) -> None:
        w = self.writer
        accepted_on = _local(accepted)
        due = accepted_on + timedelta(days=21)  # 15 working days, weekends skipped
        stopped = fields.get("issued_at") or fields.get("closed_at")
        stopped_on = _local(stopped) if stopped else None
        days = on_time = None
        if fields.get("issued_at"):
            days = _working_days(accepted_on, stopped_on or accepted_on)
            on_time = days <= 15
        paused = accepted_on + timedelta(days=2) if status is CaseStatus.SUPPLEMENTING else None
        batch.add("case_clocks", (case_id, w.day(accepted_on), w.day(None if paused else due),
                                  w.day(None if paused else due), w.day(paused),
                                  w.day(stopped_on), days, on_time))
        if paused:
            started = accepted + timedelta(days=2)
            batch.add("clock_pauses", (self.ids.take("clock_pauses"), case_id, "supplement",
                                       "请补充提交亲属关系证明", w.day(paused), w.ts(started),
                                       actor))

    def _fees(self, batch: _Batch, case_id: int, codes: list[str], accepted: datetime,
              status: CaseStatus, payer: str, desk: int, director: int, notary: int) -> None:
        rng, w = self.rng, self.writer
        if not self.fee_items:
            return  # no fee schedule in this database: nothing to charge from
        total = 0.0
        for code in codes:
            item_id, schedule_id, name, kind = self.fee_items.get(code) or self.fee_items[None]
            amount = self.amounts[item_id]
            total += float(amount)
            batch.add("fee_charges", (self.ids.take("fee_charges"), case_id, schedule_id,
                                      item_id, name, kind, 1, amount, amount, False, desk,
                                      w.ts(accepted), w.ts(accepted)))
        if status is CaseStatus.WITHDRAWN or rng.random() < 0.05:
            return  # not paid (yet)
        paid = accepted + timedelta(minutes=rng.randrange(5, 90))
        year = paid.astimezone(OFFICE_TZ).year
        receipt = self.receipt_format.format(
            year=year, seq=str(self._next("fee_receipt", year)).zfill(self.receipt_width))
        reduced = 0.0
        if rng.random() < 0.03:
            reduced = round(total * 0.5, 2)
            batch.add("fee_reductions", (
                self.ids.take("fee_reductions"), case_id, "reduce", "minimum_living", "50.00",
                "50.00", f"{reduced:.2f}", "当事人为最低生活保障对象", "approved", notary,
                w.ts(accepted), director, w.ts(accepted + timedelta(minutes=30))))
        batch.add("fee_payments", (self.ids.take("fee_payments"), case_id,
                                   f"{total - reduced:.2f}", rng.choice(PAYMENT_METHODS),
                                   w.ts(paid), receipt, payer, desk))

    def _investigation(self, batch: _Batch, case_id: int, when: datetime, status: CaseStatus,
                       notary: int) -> None:
        rng, w = self.rng, self.writer
        created = when + timedelta(hours=rng.randrange(2, 48))
        done = status is not CaseStatus.VERIFYING
        closed = created + timedelta(days=rng.randrange(1, 6)) if done else None
        batch.add("investigations", (
            self.ids.take("investigations"), case_id, rng.choice(METHODS),
            "核实申请人提供的亲属关系证明", f"湖南省耒阳市{rng.choice(TOWNS)}",
            "done" if done else "open", "经核实，情况属实" if done else None, False, notary,
            notary if done else None, w.ts(closed), w.ts(created), w.ts(closed or created)))

    def _certificates(self, batch: _Batch, case_id: int, codes: list[str], category: str,
                      issued: datetime, applicant: str, notary: int,
                      staff: dict[str, Any]) -> str:
        w = self.writer
        year = issued.astimezone(OFFICE_TZ).year
        code = series_for(category, self.series)
        spec = self.series[code]
        first = ""
        for position, matter in enumerate(codes):
            seq = self._next(f"certificate:{code}", year)
            number = format_number(spec["format"], year, seq, int(spec.get("width", 0)))
            first = first or number
            cert_id = self.ids.take("certificates")
            name = self.matters[matter][1]
            batch.add("certificates", (
                cert_id, case_id, position, matter, name, "issued", f"申请人：{applicant}",
                f"兹证明{applicant}的{name}属实。", "", "", category.startswith("foreign"),
                w.ts(issued), code, year, seq, number, _verification_code(cert_id),
                w.ts(issued), w.day(_local(issued)), staff["notary_names"][notary],
                "湖南省耒阳市公证处", applicant, False, w.ts(issued), w.ts(issued)))
        return first

    def consultation(self, batch: _Batch, when: datetime, staff: dict[str, Any]) -> None:
        rng, ts = self.rng, self.writer.ts(when)
        matter = rng.choice(DOMESTIC_MATTERS + FOREIGN_MATTERS)
        batch.add("consultations", (
            self.ids.take("consultations"), ts,
            rng.choices([c for c, _ in CHANNELS], [n for _, n in CHANNELS])[0],
            rng.choice((1, 1, 1, 2, 3)), rng.choice(TOPICS), self.matters[matter][0],
            rng.choice(OUTCOMES), rng.choice(SURNAMES) + "先生", None,
            staff["desk"] if rng.random() < 0.5 else staff["desk2"], ts, ts))

    def write(self, batch: _Batch) -> dict[str, int]:
        counts = {}
        for table in TABLE_ORDER:
            rows = batch.rows.get(table, [])
            if table == "audit_entries":
                rows.sort(key=lambda r: r[0])
                _insert_audit_rows(self.writer, rows)
            else:
                self.writer.insert(table, rows)
            counts[table] = len(rows)
        return counts

    def finish(self) -> None:
        """Continue every counter after the generated numbers; fix PostgreSQL's sequences."""
        existing = {(n, y) for n, y in self.conn.execute(
            sa.text("SELECT name, year FROM number_sequences"))}
        for (name, year), value in sorted(self.counters.items()):
            params = {"name": name, "year": year, "value": value}
            if (name, year) in existing:
                self.conn.execute(sa.text("UPDATE number_sequences SET last_value = :value "
                                          "WHERE name = :name AND year = :year"), params)
            else:
                self.conn.execute(sa.text("INSERT INTO number_sequences (name, year, last_value)"
                                          " VALUES (:name, :year, :value)"), params)
        if self.writer.postgres:
            for table in (*ID_TABLES, "number_sequences"):
                self.conn.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"))


def _learn_paths() -> dict[Action, CaseStatus]:
    """Where each action of the demo paths leads (the paths follow the real transitions)."""
    targets = {}
    for path in PATH.values():
        status = CaseStatus.APPLIED
        for action in path:
            status = next_status(status, action)
            targets[action] = status
    return targets


# Each step's (from, to, audit "before", audit "after") worked out once, not per case.
_TARGET = _learn_paths()


def _spread(start: datetime, until: datetime, count: int,
            rng: random.Random) -> Iterator[datetime]:
    """`count` office-hour times from start to until, in order."""
    step = (until - start) / max(count, 1)
    for i in range(count):
        yield _office_hours(rng, start + step * i)


def generate(*, cases: int, consultations: int, seed: int, until: date = DEFAULT_UNTIL,
             years: int | None = None,
             progress: Callable[[int], None] | None = None) -> GenerateResult:
    """Bulk-insert cases and consultations spread over the years before `until`."""
    from flask import current_app

    config = current_app.config
    users = ensure_staff()
    db.session.commit()
    staff: dict[str, Any] = {name: user.id for name, user in users.items()}
    staff["notary_names"] = {user.id: user.full_name for user in users.values()}
    years = years or max(1, min(10, cases // 100_000))
    result = GenerateResult(cases=cases, consultations=consultations)
    began = wallclock.perf_counter()
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA synchronous = OFF")
        gen = Generator(conn, seed=seed, until=until, years=years,
                        certificate_series=config["CERTIFICATE_SERIES"],
                        acceptance_format=config["ACCEPTANCE_NUMBER_FORMAT"],
                        acceptance_width=int(config["ACCEPTANCE_SEQ_WIDTH"]),
                        receipt_format=config["FEE_RECEIPT_NUMBER_FORMAT"],
                        receipt_width=int(config["FEE_RECEIPT_SEQ_WIDTH"]))
        # Consultations are written in step with the cases, so a batch spans the same time.
        per_case = consultations / cases if cases else 0.0
        case_times = _spread(gen.start, gen.until, cases, gen.rng)
        consult_times = _spread(gen.start, gen.until, consultations, random.Random(seed + 1))
        done = consulted = 0
        while done < cases or consulted < consultations:
            batch = _Batch()
            n = min(CHUNK, cases - done)
            for when in (next(case_times) for _ in range(n)):
                gen.case(batch, when, staff)
            done += n
            m = consultations - consulted if done >= cases else min(
                consultations - consulted, round(done * per_case) - consulted)
            for when in (next(consult_times) for _ in range(m)):
                gen.consultation(batch, when, staff)
            consulted += m
            for table, count in gen.write(batch).items():
                result.rows[table] = result.rows.get(table, 0) + count
            conn.commit()
            if progress:
                progress(n)
        gen.finish()
        conn.commit()
        conn.exec_driver_sql("ANALYZE")  # fresh planner statistics for the new volume
        conn.commit()
    result.seconds = wallclock.perf_counter() - began
    return result
