"""Read side of the register: filtered lists, timelines, the art. 57 register, home counts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased, selectinload

from notary.auth.models import User
from notary.cases.models import (
    Case,
    CaseParticipant,
    Category,
    MatterType,
    ParticipantRole,
    Urgency,
    case_matters,
)
from notary.cases.pdf import RegisterRow
from notary.cases.rules import CaseStatus, ClosingType
from notary.core.audit import AuditEntry
from notary.core.models import OFFICE_TZ
from notary.core.page_cache import kept_for_version
from notary.core.paging import capped_count, read_plain
from notary.core.permissions import Role
from notary.extensions import db
from notary.parties.models import Party
from notary.parties.queries import name_matches


def local_day_start(day: date) -> datetime:
    """The UTC instant at which a local (Asia/Shanghai) calendar day begins."""
    return datetime.combine(day, time.min, tzinfo=OFFICE_TZ)


@dataclass(frozen=True)
class CaseFilters:
    q: str | None = None
    status: CaseStatus | None = None
    matter_id: int | None = None
    category: str | None = None
    notary_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


# The execution option under which a statement carries its row count when the search that
# makes it has already told: (count, exact). Read by `count_capped`.
KNOWN_COUNT = "notary_known_count"


def case_list_statement(f: CaseFilters, *, offset: int = 0, rows: bool = False
                        ) -> sa.Select[Any]:
    """Select cases matching the filters, newest application first (uses the indexes).

    `offset`: how many rows the page skips. A search finding more than SEARCH_IDS_AT_MOST
    cases walks the list's order for a page near the start (`_matches_here`); a page deeper
    than WALK_AT_MOST rows gathers the matches first instead, which costs the same on any
    page (a walk would test offset / density cases). `rows`: select the list's columns
    (ROW_COLUMNS, for `case_rows`) instead of whole cases.
    """
    conditions, known = _conditions(f, walk=offset <= WALK_AT_MOST)
    # Whole cases, or the list's columns as plain values (the notary's name with them).
    stmt = (_cases_or_rows(rows).where(*conditions)
            .order_by(Case.applied_at.desc(), Case.id.desc()))
    if known is not None:
        stmt = stmt.execution_options(**{KNOWN_COUNT: known})
    return stmt


# The handling notary's name, asked per row of the page (a lookup by key) rather than joined:
# the list's count then reads the cases alone (PostgreSQL spent longer planning the join it
# would remove than counting).
_NOTARY_NAME = (sa.select(User.full_name).where(User.id == Case.handling_notary_id)
                .correlate(Case).scalar_subquery().label("notary"))
ROW_COLUMNS = (Case.id, Case.acceptance_number, Case.status, Case.category, Case.urgency,
               Case.applied_at, _NOTARY_NAME, Case.closed_at)


@dataclass(frozen=True)
class CaseRow:
    """One line of a case list, as plain values (no ORM object, nothing loaded per row)."""

    id: int
    number: str
    status: CaseStatus
    category: Any
    urgency: Any
    applied_at: datetime
    notary: str | None
    applicants: str
    matters: str
    closed_at: datetime | None = None


# PostgreSQL: the applicants' and the matters' names (in English where the reader's language
# is and the catalogue has it) as two more columns of the list, each joined in its order for
# the row (a lookup by the case's key): one round trip to the server fewer than reading them
# afterwards. SQLite (before 3.44) cannot order what it joins, and answers in the process: a
# statement of its own (`names_of_cases`).
_APPLICANT_NAMES = (
    sa.select(sa.func.string_agg(Party.name, postgresql.aggregate_order_by(
        sa.literal("、"), CaseParticipant.position, CaseParticipant.id)))
    .select_from(CaseParticipant).join(Party, Party.id == CaseParticipant.party_id)
    .where(CaseParticipant.case_id == Case.id,
           CaseParticipant.role == ParticipantRole.APPLICANT,
           CaseParticipant.is_removed.is_(False))
    .correlate(Case).scalar_subquery().label("applicants"))
NAME_COLUMNS = {english: (_APPLICANT_NAMES, (
    sa.select(sa.func.string_agg(name, postgresql.aggregate_order_by(
        sa.literal("、"), MatterType.sort_order, MatterType.id)))
    .select_from(case_matters).join(MatterType, MatterType.id == case_matters.c.matter_type_id)
    .where(case_matters.c.case_id == Case.id)
    .correlate(Case).scalar_subquery().label("matters")))
    for english, name in ((False, MatterType.name),
                          (True, sa.func.coalesce(sa.func.nullif(MatterType.name_en, ""),
                                                  MatterType.name)))}


def _english() -> bool:
    return str(get_locale() or "").startswith("en")


def case_rows(page: Sequence[Any]) -> list[CaseRow]:
    """The lines of a page selected with `_row_select`: the applicants' and the matters'
    names came with them (PostgreSQL), or are read for the whole page in one statement."""
    if not page:
        return []
    names: dict[int, tuple[str, str]]
    if len(page[0]) > len(ROW_COLUMNS):
        names = {row[0]: (row[8] or "", row[9] or "") for row in page}
    else:
        applicants, matters = names_of_cases([row[0] for row in page], english=_english())
        names = {i: ("、".join(applicants.get(i, ())), "、".join(matters.get(i, ())))
                 for i in applicants.keys() | matters.keys()}
    return [CaseRow(id=i, number=number or f"#{i}", status=CaseStatus(status),
                    category=Category(category), urgency=Urgency(urgency),
                    applied_at=applied_at, notary=notary,
                    applicants=names.get(i, ("", ""))[0], matters=names.get(i, ("", ""))[1],
                    closed_at=closed_at)
            for i, number, status, category, urgency, applied_at, notary, closed_at, *_names
            in page]


def names_of_cases(ids: list[int], *, english: bool = False
                   ) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The applicants' and the matters' names of some cases, by case id, in their order (two
    statements whatever the number of cases); `english`: the matters' English names where
    the catalogue has them."""
    applicants: dict[int, list[str]] = {}
    matters: dict[int, list[str]] = {}
    rows: Any = read_plain(_names_statement(), {"ids": ids})
    for kind, case_id, name, name_en, *_order in rows:
        if kind == 0:
            applicants.setdefault(case_id, []).append(name)
        else:
            matters.setdefault(case_id, []).append(name_en if english and name_en else name)
    return applicants, matters


@cache
def _names_statement() -> sa.CompoundSelect:
    """`names_of_cases`' statement, built once (a list page asks it on every view): the
    applicants (kind 0) and the matters (kind 1) of the cases, each in its order."""
    ids: Any = sa.bindparam("ids", expanding=True)
    applicants = (
        sa.select(sa.literal(0).label("kind"), CaseParticipant.case_id.label("case_id"),
                  Party.name.label("name"), sa.null().label("name_en"),
                  CaseParticipant.position.label("ord1"), CaseParticipant.id.label("ord2"))
        .join(Party, Party.id == CaseParticipant.party_id)
        .where(CaseParticipant.case_id.in_(ids),
               CaseParticipant.role == ParticipantRole.APPLICANT,
               CaseParticipant.is_removed.is_(False)))
    matters = (
        sa.select(sa.literal(1), case_matters.c.case_id, MatterType.name, MatterType.name_en,
                  MatterType.sort_order, MatterType.id)
        .join(MatterType, MatterType.id == case_matters.c.matter_type_id)
        .where(case_matters.c.case_id.in_(ids)))
    both = sa.union_all(applicants, matters)
    return both.order_by(*(sa.literal_column(c) for c in ("kind", "case_id", "ord1", "ord2")))


def rows_by_id(ids: list[int]) -> dict[int, CaseRow]:
    """List rows of some cases, by id (three statements whatever their number)."""
    if not ids:
        return {}
    return {row.id: row for row in case_rows(db.session.execute(
        _row_select().where(Case.id.in_(ids))).all())}


def case_conditions(f: CaseFilters) -> list[Any]:
    """The WHERE conditions of the case list's filters (shared by the list and the export,
    which reads keyset pages: each walks on from where the last one ended)."""
    return _conditions(f, walk=True)[0]


def _conditions(f: CaseFilters, *, walk: bool) -> tuple[list[Any], tuple[int, bool] | None]:
    """The conditions, and the number of cases they select when the search alone decides it:
    (the count, exact) or (more than SEARCH_IDS_AT_MOST, not exact)."""
    conditions: list[Any] = []
    known = None
    if f.status:
        conditions.append(Case.status == f.status)
    if f.category:
        conditions.append(Case.category == f.category)
    if f.notary_id:
        conditions.append(Case.handling_notary_id == f.notary_id)
    if f.matter_id:
        conditions.append(_with_matter(f.matter_id))
    if f.date_from:
        conditions.append(Case.applied_at >= local_day_start(f.date_from))
    if f.date_to:
        conditions.append(Case.applied_at < local_day_start(f.date_to + timedelta(days=1)))
    if f.q:
        condition, found = _found(f.q.strip(), alone=walk and not conditions)
        if not conditions:  # the search is the only filter: its matches are the rows
            known = (found, found <= SEARCH_IDS_AT_MOST)
        conditions.append(condition)
    return conditions, known


# Searches finding at most this many cases are resolved to their ids first.
SEARCH_IDS_AT_MOST = 2000
# A search finding more walks the list's order for the pages within this many rows.
WALK_AT_MOST = 100


def _found(text: str, *, alone: bool = False) -> tuple[Any, int]:
    """The condition "the case is one the search text finds", and how many cases it finds
    (counted no further than SEARCH_IDS_AT_MOST + 1).

    The search runs once, on its own, and the page and its count then read the cases by
    their ids: a common name found in a thousand cases was otherwise searched twice (page
    and count) and joined against the list's ordering. A search finding more cases than
    SEARCH_IDS_AT_MOST stays a subquery, or, when the search is the only filter (`alone`),
    becomes a test of each case as the list walks its order (`_matches_here`). The lookup
    reads the arms one after the other and stops at the first SEARCH_IDS_AT_MOST + 1 distinct
    cases: a surname found in 70,000 cases costs what a name found in 2,001 does (a UNION
    would gather and sort every match first).
    A case found twice (by two of its parties, or by a name and a number) counts once.
    """
    arms = _arms(text)
    ids = _first_ids(arms, SEARCH_IDS_AT_MOST + 1)
    if len(ids) > SEARCH_IDS_AT_MOST:
        if alone:
            return _matches_here(text), len(ids)
        return Case.id.in_(sa.union(*arms)), len(ids)
    return _id_in(ids), len(ids)


def _id_in(ids: list[int]) -> Any:
    """The case is one of ids (at most SEARCH_IDS_AT_MOST)."""
    if db.session.get_bind().dialect.name == "postgresql":
        # One array parameter: a thousand-element IN list costs PostgreSQL more to plan
        # than the lookups it lists.
        return Case.id == sa.any_(sa.literal(ids, postgresql.ARRAY(sa.Integer)))
    return Case.id.in_(ids)


def _with_matter(matter_id: int) -> Any:
    """The case includes the matter. A matter of few cases (or none) is resolved to their
    ids first, read in the matter's index: tested case by case along the list's order, a
    matter nobody applied for read the whole register before the page came back empty."""
    ids = list(db.session.scalars(
        sa.select(case_matters.c.case_id).where(case_matters.c.matter_type_id == matter_id)
        .limit(SEARCH_IDS_AT_MOST + 1)))
    if len(ids) <= SEARCH_IDS_AT_MOST:
        return _id_in(ids)
    return sa.exists().where(case_matters.c.case_id == Case.id,
                             case_matters.c.matter_type_id == matter_id)


def _first_ids(arms: list[Any], wanted: int) -> list[int]:
    """The first `wanted` distinct case ids the arms find (all of them if fewer)."""
    # UNION ALL streams: the LIMIT ends the reading as soon as enough rows are out. Twice
    # the rows leave room for cases found twice; should repeats fill even that, the
    # distinct ones are asked for (a UNION, which reads every match).
    rows = list(db.session.scalars(sa.union_all(*arms).limit(2 * wanted)))
    ids = list(dict.fromkeys(rows))
    if len(rows) == 2 * wanted and len(ids) < wanted:
        ids = list(db.session.scalars(sa.union(*arms).limit(wanted)))
    return ids[:wanted]


def _terms(text: str) -> tuple[list[Any], list[Any]]:
    """What the search text is compared with: conditions on the case, and on its parties."""
    on_case: list[Any] = [Case.acceptance_number == text, Case.certificate_number == text]
    on_party: list[Any] = [Party.document_number == text.upper()]
    # A text with a run of four digits is a number (acceptance, certificate, ID: all carry a
    # year or more), not a name: searching the names for it would read every name where no
    # trigram index helps (SQLite). A branch name ("第3分公司") is still searched.
    if not re.search(r"\d{4}", text):
        on_party.append(name_matches(text))
    # A bare sequence number ("123" or "00123") finds that acceptance number in any year
    # through (acceptance_year, acceptance_seq).
    if text.isascii() and text.isdigit() and len(text) <= 9:  # not "²": int() refuses it
        on_case.append(Case.acceptance_seq == int(text))
    return on_case, on_party


def _arms(text: str) -> list[Any]:
    """One indexed lookup per kind of match.

    An OR across cases and parties made the database read every case; each arm uses its own
    index (the unique numbers, the document number, the party name: a trigram index on
    PostgreSQL), so the cost follows the matches, not the size of the register.
    """
    on_case, on_party = _terms(text)
    by_party = sa.select(CaseParticipant.case_id).join(Party, Party.id == CaseParticipant.party_id)
    return ([sa.select(Case.id).where(term) for term in on_case]
            + [by_party.where(term) for term in on_party])


def _matches_here(text: str) -> Any:
    """The search as a test of each case in turn (its own numbers, then its parties).

    For a search that finds more than SEARCH_IDS_AT_MOST cases and is the only filter: the
    list walks its own order and stops at the page's last row, testing a few hundred cases
    for a common surname, instead of gathering every match first.
    """
    on_case, on_party = _terms(text)
    # OFFSET 0 keeps PostgreSQL from turning each EXISTS into a hashed subplan, which reads
    # every match up front (its planner counts on testing all the cases, not the page's
    # few hundred): tested per case, each stops at its first row. SQLite does so anyway.
    of_case = (sa.select(sa.literal(1)).select_from(CaseParticipant)
               .join(Party, Party.id == CaseParticipant.party_id)
               .where(CaseParticipant.case_id == Case.id).offset(0))
    return sa.or_(*on_case, *(of_case.where(term).exists() for term in on_party))


def case_page(stmt: sa.Select[Any], *, offset: int, per_page: int, cap: int
              ) -> tuple[list[Any], int, bool]:
    """A page of the list's rows (ROW_COLUMNS), how many rows the list holds counted no
    further than cap, and whether it got there: one statement, the count computed once and
    carried on every row (a subquery of its own), unless the search has already counted.
    An empty page (past the end) counts on its own. The whole register's count is the same
    for everyone and moves only with the data: kept for the data version."""
    known = stmt.get_execution_options().get(KNOWN_COUNT)
    if known is not None and (known[1] or known[0] > cap):
        rows = list(read_plain(stmt.limit(per_page).offset(offset)).all())
        return rows, min(known[0], cap), known[0] > cap
    if stmt.whereclause is None:  # the whole register, as everyone first opens it
        return register_page(offset=offset, per_page=per_page, cap=cap)
    paged = _with_total(stmt).limit(sa.bindparam("per_page")).offset(sa.bindparam("offset"))
    rows = list(read_plain(paged, {"per_page": per_page, "offset": offset,
                                   "cap_plus": cap + 1}).all())
    if not rows:
        counted, capped = count_capped(stmt, cap)
        return [], counted, capped
    counted = int(rows[0][-1])
    return [row[:-1] for row in rows], min(counted, cap), counted > cap


def _with_total(stmt: sa.Select[Any]) -> sa.Select[Any]:
    """stmt with the number of rows it selects, counted no further than :cap_plus, as a last
    column (a subquery computed once)."""
    limited = (stmt.order_by(None).with_only_columns(sa.literal(1), maintain_column_froms=True)
               .limit(sa.bindparam("cap_plus")).subquery())
    total = (sa.select(sa.func.count()).select_from(limited).correlate(None)
             .scalar_subquery().label("list_total"))
    return stmt.add_columns(total)


def list_page(f: CaseFilters, *, offset: int, per_page: int, cap: int
              ) -> tuple[list[Any], int, bool]:
    """A page of the case list's rows for the filters (`case_page`); the unfiltered list,
    the page everyone opens first, from its statement built once (`register_page`)."""
    if f == CaseFilters():
        return register_page(offset=offset, per_page=per_page, cap=cap)
    return case_page(case_list_statement(f, offset=offset, rows=True), offset=offset,
                     per_page=per_page, cap=cap)


def register_page(*, offset: int, per_page: int, cap: int) -> tuple[list[Any], int, bool]:
    """A page of the whole register's rows, newest first, with its capped count. The count is
    everyone's: kept for the data version (counted again after a change)."""
    counted, capped = kept_for_version(("register count", cap), lambda: capped_count(
        case_list_statement(CaseFilters(), rows=True), cap))
    rows = list(read_plain(_whole_register_page(db.engine.dialect.name, _english()),
                           {"per_page": per_page, "offset": offset}).all())
    return rows, counted, capped


@cache
def _whole_register_page(dialect: str, english: bool) -> sa.Select[Any]:
    """`register_page`'s statement, built once per database and language (its columns
    differ): the page everyone opens first costs no statement building.

    The page's size and offset are written into the SQL (`literal_execute`), not sent as
    parameters: PostgreSQL then plans the first page's prepared statement once (a generic
    plan, the same as the custom one) instead of on every execution, where a LIMIT it does
    not know makes every generic plan look dearer. The database's CPU for a built list fell
    from 0.70 to 0.50 ms a request. A deeper page is a statement of its own text, planned as
    any other."""
    return (_row_select().order_by(Case.applied_at.desc(), Case.id.desc())
            .limit(sa.bindparam("per_page", type_=sa.Integer, literal_execute=True))
            .offset(sa.bindparam("offset", type_=sa.Integer, literal_execute=True)))


def count_capped(stmt: sa.Select[Any], cap: int) -> tuple[int, bool]:
    """How many rows stmt selects, counting no further than cap (and whether it got there).

    A plain COUNT of a million-case register costs more than the page it numbers; past a few
    hundred pages nobody pages on, they narrow the filters. A statement whose search has
    already counted its rows (KNOWN_COUNT) is not counted again.
    """
    known = stmt.get_execution_options().get(KNOWN_COUNT)
    if known is not None:
        count, exact = known
        if exact or count > cap:
            return min(count, cap), count > cap
    return capped_count(stmt, cap)


def cases_of_party(party_id: int) -> list[Case]:
    """The cases in which a party takes part, newest first."""
    return list(db.session.scalars(
        sa.select(Case).join(CaseParticipant, CaseParticipant.case_id == Case.id)
        .where(CaseParticipant.party_id == party_id)
        .order_by(Case.applied_at.desc()).limit(200)
    ).unique())


_ACTOR = aliased(User, name="actor")  # made once: an alias costs a millisecond to build


def case_timeline(case_id: int) -> list[tuple[AuditEntry, str | None]]:
    """The case's audit entries with the actor's name, oldest first (two queries, no N+1)."""
    actor = _ACTOR
    rows = db.session.execute(
        sa.select(AuditEntry, actor.full_name)
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .where(AuditEntry.target_type == Case.__tablename__, AuditEntry.target_id == case_id)
        .order_by(AuditEntry.id)
    ).all()
    return [(entry, name) for entry, name in rows]


def user_names(ids: set[int]) -> dict[int, str]:
    """Map user ids to full names in one query."""
    if not ids:
        return {}
    # Rows unpack like tuples; Result.tuples() is deprecated since SQLAlchemy 2.1.
    return {uid: name for uid, name in db.session.execute(
        sa.select(User.id, User.full_name).where(User.id.in_(ids)))}


def register_statement(year: int, category: str | None,
                       closing: str | None) -> sa.Select[Case]:
    """The register (公证登记簿, 公证程序规则 art. 57): cases accepted in a year."""
    stmt = (sa.select(Case)
            .options(selectinload(Case.handling_notary), selectinload(Case.approver))
            .where(Case.acceptance_year == year))
    if category:
        stmt = stmt.where(Case.category == category)
    if closing == "open":
        stmt = stmt.where(Case.closing_type.is_(None))
    elif closing:
        stmt = stmt.where(Case.closing_type == ClosingType(closing))
    return stmt.order_by(Case.acceptance_seq)


def register_rows(stmt: sa.Select[Case], limit: int = 5000) -> list[RegisterRow]:
    """The register's lines as printed (the first `limit` of the statement)."""
    from notary.core.templating import local_date

    return [RegisterRow((
        c.acceptance_number or "", "、".join(m.name for m in c.matters) + " · "
        + str(c.category.label), "、".join(p.party.name for p in c.applicants),
        "、".join(p.party.name for p in c.agents), local_date(c.accepted_at),
        c.handling_notary.full_name if c.handling_notary else "",
        c.approver.full_name if c.approver else "",
        str(c.closing_type.label) if c.closing_type else "", local_date(c.closed_at),
        c.certificate_number or "")) for c in db.session.scalars(stmt.limit(limit))]


def worker_column(user_id: int) -> Any:
    """The column naming the cases a member of staff works on: an assistant's as the
    assistant, anyone else's as the handling notary (the case's assignment allows nothing
    else: `assign_staff`). One column per role, so the lists read the indexes (handling
    notary or assistant, status, date of application) instead of every case in a status."""
    from flask import g, has_request_context

    user = g.get("_login_user") if has_request_context() else None  # the signed-in user
    if user is None or getattr(user, "id", None) != user_id:
        user = db.session.get(User, user_id)
    if user is not None and user.role is Role.ASSISTANT:
        return Case.assistant_id
    return Case.handling_notary_id


def worked_by(user_id: int) -> sa.ColumnElement[bool]:
    """The cases a member of staff works on (`worker_column`)."""
    return worker_column(user_id) == user_id


def status_counts_capped(statuses: Iterable[CaseStatus], *, user_id: int | None = None,
                         cap: int = 2000) -> dict[CaseStatus, int]:
    """Cases per status, each counted no further than cap + 1 (shown as "more than cap"):
    one statement, a limited select per status read in its index, so a million archived
    cases cost no more than two thousand."""
    parts = []
    for status in statuses:
        part = sa.select(Case.status).where(Case.status == status)
        if user_id is not None:
            part = part.where(worked_by(user_id))
        parts.append(sa.select(part.limit(cap + 1).subquery()))
    if not parts:
        return {}
    rows = sa.union_all(*parts).subquery()
    return {CaseStatus(s): n for s, n in db.session.execute(
        sa.select(rows.c.status, sa.func.count()).group_by(rows.c.status))}


def in_statuses_statement(statuses: set[CaseStatus], *, user_id: int | None = None,
                          rows: bool = False) -> sa.Select[Any]:
    """Cases in some statuses (of one notary or assistant), oldest application first (the
    order they need attention); `rows`: the list's columns."""
    stmt = _cases_or_rows(rows).where(Case.status.in_(statuses))
    if user_id is not None:
        stmt = stmt.where(worked_by(user_id))
    return stmt.order_by(Case.applied_at, Case.id)


def first_in_each_status(statuses: Iterable[CaseStatus], *, user_id: int | None = None,
                         each: int = 10) -> dict[CaseStatus, list[CaseRow]]:
    """The `each` oldest applications in every status, as list rows (one statement: a
    limited select per status joined by UNION ALL, each read in the order of its index)."""
    ordered = list(statuses)
    if not ordered:
        return {}
    parts = []
    for status in ordered:
        part = sa.select(Case.id).where(Case.status == status)
        if user_id is not None:
            part = part.where(worked_by(user_id))
        parts.append(sa.select(part.order_by(Case.applied_at, Case.id).limit(each).subquery()))
    ids = sa.union_all(*parts).subquery()
    rows = case_rows(db.session.execute(
        _row_select().where(Case.id.in_(sa.select(ids.c.id)))
        .order_by(Case.applied_at, Case.id)).all())
    out: dict[CaseStatus, list[CaseRow]] = {status: [] for status in ordered}
    for row in rows:
        out[row.status].append(row)
    return out


def _row_select() -> sa.Select[Any]:
    """The list's columns (ROW_COLUMNS), and on PostgreSQL the names (NAME_COLUMNS)."""
    if db.engine.dialect.name == "postgresql":
        return sa.select(*ROW_COLUMNS, *NAME_COLUMNS[_english()])
    return sa.select(*ROW_COLUMNS)


def _cases_or_rows(rows: bool) -> sa.Select[Any]:
    """Whole cases (their notary loaded with them), or the list's columns."""
    return _row_select() if rows else sa.select(Case).options(
        selectinload(Case.handling_notary))


def to_accept_statement(notary_id: int | None = None, rows: bool = False
                        ) -> sa.Select[Any]:
    """Applications waiting for acceptance, oldest first; for a notary, those unassigned or
    assigned to them; `rows`: the list's columns."""
    stmt = _cases_or_rows(rows).where(Case.status == CaseStatus.APPLIED)
    if notary_id is not None:
        stmt = stmt.where(sa.or_(Case.handling_notary_id.is_(None),
                                 Case.handling_notary_id == notary_id))
    return stmt.order_by(Case.applied_at, Case.id)


def intake_statement(day: date, rows: bool = False) -> sa.Select[Any]:
    """Applications registered on a local calendar day, the newest first; `rows`: the list's
    columns."""
    start = local_day_start(day)
    return (_cases_or_rows(rows)
            .where(Case.applied_at >= start, Case.applied_at < start + timedelta(days=1))
            .order_by(Case.applied_at.desc(), Case.id.desc()))


def matter_choices(active_only: bool = True) -> list[tuple[int, str]]:
    """(id, name) of the matters for select fields, named in the reader's language."""
    stmt = (sa.select(MatterType.id, MatterType.name, MatterType.name_en)
            .order_by(MatterType.sort_order, MatterType.id))
    if active_only:
        stmt = stmt.where(MatterType.is_active.is_(True))
    english = str(get_locale() or "").startswith("en")
    return [(i, name_en if english and name_en else name)
            for i, name, name_en in db.session.execute(stmt)]


def staff_choices(*roles: Any) -> list[tuple[int | None, str]]:
    """(id, name) of active staff with the roles, for select fields."""
    return [(i, n) for i, n in db.session.execute(
        sa.select(User.id, User.full_name)
        .where(User.role.in_(roles), User.is_enabled.is_(True)).order_by(User.full_name)
    )]


def handling_notary_choices(day: date) -> list[tuple[int | None, str]]:
    """(id, name) of those who may handle a case on that day: enabled notaries and directors
    whose practice is not suspended (停止执业, 公证法 arts. 41-42)."""
    from notary.core.permissions import Role

    not_suspended = sa.or_(User.suspended_from.is_(None), User.suspended_from > day,
                           sa.and_(User.suspended_until.is_not(None),
                                   User.suspended_until < day))
    return [(i, n) for i, n in db.session.execute(
        sa.select(User.id, User.full_name)
        .where(User.role.in_((Role.NOTARY, Role.DIRECTOR)), User.is_enabled.is_(True),
               not_suspended).order_by(User.full_name)
    )]


def intake_finder(form: Any, posted: Any) -> dict[str, Any] | None:
    """The intake form's party finder: on "find_party" the matches of the query, on
    "use_party" the party put into a participant row; None when neither was asked."""
    from notary.cases.forms import use_party

    q = (posted.get("party_q") or "").strip()[:100]
    if "use_party" in posted:
        raw = posted.get("use_party", "")
        party = db.session.get(Party, int(raw)) if raw.isdigit() and len(raw) < 12 else None
        if party is not None:
            use_party(form, party)
        return {"party_q": q, "found": None}
    if "find_party" in posted:
        return {"party_q": q, "found": find_parties(q)}
    return None


def find_parties(q: str, limit: int = 10) -> list[Party]:
    """Registered parties whose name matches or whose document number starts with q, for the
    intake form's finder (nothing for an empty query)."""
    from notary.parties.queries import party_search_statement

    if not q.strip():
        return []
    return list(db.session.scalars(party_search_statement(q).limit(limit)))
