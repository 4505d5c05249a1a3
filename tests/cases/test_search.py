"""Case search at scale: each kind of match through its own index, names by substring."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from notary.cases.queries import CaseFilters, case_list_statement
from notary.core.permissions import Role
from notary.extensions import db
from notary.parties.services import update_party
from tests.factories import create_staff, person, register_case


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
