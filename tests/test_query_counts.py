"""The main pages issue a fixed number of SQL queries, however many rows they show.

Counted with SQLAlchemy's before_cursor_execute event: a page that loads something per row
(an N+1) issues more queries once there are more rows, and fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from notary.auth.models import User
from notary.cases import views as case_views
from notary.cases.models import Case
from notary.cases.rules import CaseStatus
from notary.core import audit
from notary.core.permissions import Role
from notary.extensions import db
from tests.cases.samples import advance
from tests.factories import create_staff, person, register_case
from tests.query_counting import counted_queries

# A page that needs more than this is doing too much, rows or not.
MOST = 30


def queries_of(client: FlaskClient, url: str) -> int:
    # Each request starts from an empty session, as it does in production (the tests
    # share one session with the requests, which would otherwise serve loaded rows). The
    # page is opened once first: what pages keep per data version (the menu's badges, a
    # filter's choices, the calendar) is read then, and every count is of a page as the
    # office opens it again while nothing changes.
    db.session.remove()
    client.get(url)
    db.session.remove()
    with counted_queries() as seen:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(seen)


def add_cases(desk: Any, notary: Any, director: Any, n: int, start: int) -> list[Case]:
    cases = []
    for i in range(start, start + n):
        case = register_case(desk, applicants=(person(f"申请人{i}"),), agents=(person(f"代理{i}"),)
                             if i % 2 else ())
        # Every stage the pages list separately, so no list is empty in the first count.
        advance(case, STAGES[i % len(STAGES)], notary=notary, director=director)
        cases.append(case)
    return cases


STAGES = (CaseStatus.APPLIED, CaseStatus.ACCEPTED, CaseStatus.UNDER_REVIEW,
          CaseStatus.AWAITING_APPROVAL, CaseStatus.APPROVED, CaseStatus.ISSUED)
LIST_PAGES = ("/", "/cases/", "/parties/", "/cases/register", "/desk/", "/deadlines/",
              "/fees/totals", "/investigations/")


@pytest.fixture
def office(app: Flask, desk: Any, notary: Any, director: Any) -> dict[str, Any]:
    return {"desk": desk, "notary": notary, "director": director,
            "cases": add_cases(desk, notary, director, len(STAGES), 0)}


def test_list_pages_do_not_grow_with_rows(office: dict[str, Any],
                                          login_as: Callable[..., FlaskClient]) -> None:
    client = login_as(office["director"])
    first = office["cases"][0].participants[0].party
    name, number = first.name, first.document_number
    staff = [office[k].id for k in ("desk", "notary", "director")]
    pages = (*LIST_PAGES, f"/parties/{first.id}")
    before = {url: queries_of(client, url) for url in pages}
    desk, notary, director = (db.session.get(User, i) for i in staff)
    add_cases(desk, notary, director, 12, len(STAGES))
    for _ in range(6):  # the same party in many more cases: its page lists them all
        register_case(desk, applicants=(person(name, document_number=number),))
    after = {url: queries_of(client, url) for url in pages}
    assert after == before
    assert max(after.values()) <= MOST, after


def test_case_page_is_the_same_for_5_and_500_history_entries(
        office: dict[str, Any], login_as: Callable[..., FlaskClient]) -> None:
    client = login_as(office["director"])
    case_id, notary_id = office["cases"][2].id, office["notary"].id
    url = f"/cases/{case_id}"
    few = queries_of(client, url)
    case, notary = db.session.get(Case, case_id), db.session.get(User, notary_id)
    for i in range(495):
        audit.record(db.session, notary, "case.update", case, before={"notes": None},
                     after={"notes": f"补充说明{i}", "handling_notary_id": notary_id})
    db.session.commit()
    many = queries_of(client, url)
    assert many == few
    assert many <= MOST


def test_case_list_counts_up_to_a_cap(office: dict[str, Any],
                                      login_as: Callable[..., FlaskClient],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    client = login_as(office["director"])
    page = client.get("/cases/").get_data(as_text=True)
    assert f"共{len(STAGES)}条" in page, page[page.find("text-muted small"):][:300]
    monkeypatch.setattr(case_views, "LIST_COUNT_CAP", 1)
    page = client.get("/cases/").get_data(as_text=True)
    assert "超过 1 件" in page


def test_every_page_each_role_opens_keeps_its_count(
        app: Flask, office: dict[str, Any], login_as: Callable[..., FlaskClient]) -> None:
    """The benchmark's walk (bench/walk.py: every page without parameters and the main pages
    with them, as each role): each page's statements are the same after more rows."""
    from bench import walk

    users = {Role.FRONT_DESK: office["desk"], Role.NOTARY: office["notary"],
             Role.DIRECTOR: office["director"], Role.ASSISTANT: create_staff(Role.ASSISTANT),
             Role.ADMIN: create_staff(Role.ADMIN)}
    for case in office["cases"]:
        case.assistant_id = users[Role.ASSISTANT].id
    db.session.commit()
    ids = {role: user.id for role, user in users.items()}
    clients = {role: login_as(user) for role, user in users.items()}
    seen: dict[tuple[str, str], int] = {}
    for role, client in clients.items():
        for page in walk.plain_pages(app) + walk.sample_pages(role, ids[role]):
            if page.label in walk.PUBLIC:
                continue
            db.session.remove()
            response = client.get(page.url)
            if response.status_code == 200 and response.mimetype == "text/html":
                seen[(role.value, page.url)] = queries_of(client, page.url)
    assert len(seen) > 60, sorted(seen)
    desk, notary, director = (db.session.get(User, ids[r])
                              for r in (Role.FRONT_DESK, Role.NOTARY, Role.DIRECTOR))
    more = add_cases(desk, notary, director, 12, len(STAGES))
    for case in more:
        case.assistant_id = ids[Role.ASSISTANT]
    db.session.commit()
    after = {(role, url): queries_of(clients[Role(role)], url) for role, url in seen}
    grew = {key: (seen[key], after[key]) for key in seen if after[key] != seen[key]}
    assert not grew, grew
    heavy = {key: n for key, n in after.items() if n > MOST}
    assert not heavy, heavy


def test_statistics_page_does_not_grow_with_rows(office: dict[str, Any],
                                                 login_as: Callable[..., FlaskClient]) -> None:
    # The period shown, the previous one and the year before are read together: one
    # statement per table, whatever the number of cases, matters, notaries or days.
    from notary.core.models import office_today
    from notary.statistics import queries
    from notary.statistics.rules import whole_year

    client = login_as(office["director"])
    year = office_today().year
    url = f"/statistics/?kind=year&year={year}"
    staff = [office[k].id for k in ("desk", "notary", "director")]
    concluded = queries.figures(whole_year(year))["concluded"]["total"]
    before = queries_of(client, url)
    desk, notary, director = (db.session.get(User, i) for i in staff)
    add_cases(desk, notary, director, 12, len(STAGES))
    assert queries.figures(whole_year(year))["concluded"]["total"] > concluded
    assert queries_of(client, url) == before
    assert before <= 20, before
