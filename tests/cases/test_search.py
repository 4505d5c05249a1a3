"""Case search at scale: each kind of match through its own index, names by substring."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from notary.cases import queries
from notary.cases.queries import CaseFilters, case_list_statement, count_capped
from notary.cases.rules import CaseStatus
from notary.cases.views import LIST_COUNT_CAP
from notary.core.permissions import Role
from notary.extensions import db
from notary.parties.services import update_party
from tests.factories import create_staff, person, register_case
from tests.query_counting import counted_queries


@pytest.fixture
def named(app: Flask) -> dict[str, int]:
    desk = create_staff(Role.FRONT_DESK)
    cases = {name: register_case(desk, applicants=(person(name),)).id
             for name in ("欧阳娜娜", "司马相如", "耒阳市第3建筑公司", "李伟")}
    return cases


def found(text: str) -> list[int]:
    return sorted(c.id for c in db.session.scalars(case_list_statement(CaseFilters(q=text))))


@pytest.mark.parametrize(("text", "names"), [
    # Three characters or more: any part of the name.
    ("欧阳娜娜", ["欧阳娜娜"]), ("阳娜娜", ["欧阳娜娜"]), ("马相如", ["司马相如"]),
    ("第3建筑", ["耒阳市第3建筑公司"]), ("张三丰", []), ("100%", []), ("娜_娜", []),
    # One or two characters make no trigram: names that start with them (a two-character
    # full name, a surname), so that no search reads every name of a province's register.
    ("李伟", ["李伟"]), ("欧阳", ["欧阳娜娜"]), ("司马", ["司马相如"]), ("李", ["李伟"]),
    ("耒阳", ["耒阳市第3建筑公司"]), ("娜娜", []), ("阳", []), ("_", []), ("%", []),
])
def test_names_are_found_by_any_part(named: dict[str, int], text: str,
                                     names: list[str]) -> None:
    assert found(text) == sorted(named[n] for n in names)


def test_a_changed_name_is_found_by_the_new_name_only(
        named: dict[str, int], login_as: Callable[..., FlaskClient]) -> None:
    from notary.cases.models import Case

    case = db.session.get(Case, named["司马相如"])
    assert case is not None
    party = case.participants[0].party
    director = create_staff(Role.DIRECTOR)
    data = person("司马迁", document_number=party.document_number)
    update_party(party, data, actor=director, version=party.version)
    assert found("司马相如") == []
    assert found("司马迁") == [case.id]
    client = login_as(Role.FRONT_DESK)
    assert f"/cases/{case.id}" in client.get("/cases/?q=司马迁").get_data(as_text=True)


def test_a_number_is_not_searched_among_names(named: dict[str, int]) -> None:
    # "2026" is in no name, and a text with four digits in a row is a number anyway.
    assert found("2026") == []


def _list(text: str, **filters: Any) -> tuple[list[int], tuple[int, bool], list[str]]:
    """The list's rows, its capped count, and the statements the count sent."""
    stmt = case_list_statement(CaseFilters(q=text, **filters))
    rows = sorted(c.id for c in db.session.scalars(stmt))
    with counted_queries() as statements:
        count = count_capped(stmt, LIST_COUNT_CAP)
    return rows, count, statements


def test_a_search_alone_is_counted_by_its_lookup(app: Flask) -> None:
    desk = create_staff(Role.FRONT_DESK)
    # Applicant and agent both named 王...: the case is found twice and counts once.
    both = register_case(desk, applicants=(person("王大明"), person("王小明"))).id
    others = [register_case(desk, applicants=(person(name),)).id for name in ("王芳", "张伟")]
    rows, count, statements = _list("王")
    assert rows == sorted([both, others[0]])
    assert count == (2, False) and statements == []  # no COUNT query: the lookup told
    # With another filter the search no longer decides the count: it is counted.
    rows, count, statements = _list("王", status=CaseStatus.APPLIED)
    assert count == (2, False) and len(statements) == 1


def test_a_search_finding_more_than_the_cap_says_so_without_counting(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "SEARCH_IDS_AT_MOST", 3)
    desk = create_staff(Role.FRONT_DESK)
    ids = [register_case(desk, applicants=(person(f"王{n}明"),)).id for n in "一二三四五"]
    stmt = case_list_statement(CaseFilters(q="王"))
    # More than three: the page reads through the subquery, all five are there.
    assert sorted(c.id for c in db.session.scalars(stmt)) == sorted(ids)
    with counted_queries() as statements:
        assert count_capped(stmt, 3) == (3, True)
    assert statements == []
    # A cap above what the lookup saw is counted for real.
    assert count_capped(stmt, 10) == (5, False)
    # Alone, the search tests each case as the list walks its order; with another filter it
    # is the united lookups as a subquery: the same cases either way.
    assert "EXISTS" in str(stmt).upper()
    filtered = case_list_statement(CaseFilters(q="王", status=CaseStatus.APPLIED))
    assert "UNION" in str(filtered).upper() and "EXISTS" not in str(filtered).upper()
    assert sorted(c.id for c in db.session.scalars(filtered)) == sorted(ids)
    assert count_capped(filtered, 10) == (5, False)
    # A page deeper than WALK_AT_MOST rows gathers the matches instead (a walk would test
    # offset / density cases); the count is still the lookup's.
    deep = case_list_statement(CaseFilters(q="王"), offset=queries.WALK_AT_MOST + 1)
    assert "UNION" in str(deep).upper() and "EXISTS" not in str(deep).upper()
    assert sorted(c.id for c in db.session.scalars(deep)) == sorted(ids)
    with counted_queries() as statements:
        assert count_capped(deep, 3) == (3, True)
    assert statements == []
    # The walking test finds by a party's ID number too, and by the name's start only.
    party = db.session.get(queries.Case, ids[2]).participants[0].party
    for text, expected in ((party.document_number, [ids[2]]), ("王三", [ids[2]]), ("三明", [])):
        assert list(db.session.scalars(sa.select(queries.Case.id).where(
            queries._matches_here(text)))) == expected


def test_the_lookup_stops_reading_at_the_cap(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "SEARCH_IDS_AT_MOST", 3)
    desk = create_staff(Role.FRONT_DESK)
    for n in "一二三四五六七八九":
        register_case(desk, applicants=(person(f"王{n}明"),))
    with counted_queries() as statements:
        _condition, found = queries._found("王")
    assert found == 4  # three and one more: enough to know there are more
    assert len(statements) == 1 and "LIMIT" in statements[0].upper()
    assert "UNION ALL" in statements[0].upper()


def test_repeats_filling_the_read_still_count_each_case_once(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "SEARCH_IDS_AT_MOST", 1)
    desk = create_staff(Role.FRONT_DESK)
    first = register_case(desk, applicants=tuple(person(f"王{n}") for n in "一二三五")).id
    second = register_case(desk, applicants=(person("王四"),)).id
    condition, found = queries._found("王")
    assert found == 2
    assert sorted(c.id for c in db.session.scalars(
        sa.select(queries.Case).where(condition))) == [first, second]
    # Four rows read for two cases, all four the same case: the distinct ones are asked for.
    arms = [sa.select(sa.literal(7).label("id")) for _ in range(4)]
    arms.append(sa.select(sa.literal(8).label("id")))
    with counted_queries() as statements:
        assert sorted(queries._first_ids(arms, 2)) == [7, 8]
    assert len(statements) == 2
    with counted_queries() as statements:
        assert queries._first_ids(arms[3:], 2) == [7, 8]  # no repeats: one read
    assert len(statements) == 1


def test_the_list_page_walks_only_near_the_start(
        login_as: Callable[..., FlaskClient], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "SEARCH_IDS_AT_MOST", 3)
    monkeypatch.setattr(queries, "WALK_AT_MOST", 0)
    desk = create_staff(Role.FRONT_DESK)
    ids = [register_case(desk, applicants=(person(f"王{n}明"),)).id for n in "一二三四五"]
    client = login_as(Role.FRONT_DESK)
    seen = []
    for page in (1, 2):
        with counted_queries() as statements:
            html = client.get(f"/cases/?q=王&page={page}").get_data(as_text=True)
        listed = [statement for statement in statements if "ORDER BY cases.applied_at" in statement]
        assert listed and ("EXISTS" in listed[0]) == (page == 1)
        seen += [i for i in ids if f"/cases/{i}\"" in html]
    assert sorted(seen) == sorted(ids)
