"""The request-parameter parsers (notary.core.params), table-driven: what each accepts, what
each refuses with BadParameter, and how pages and the API answer a refused one."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notary.cases.rules import CaseStatus
from notary.core import params
from notary.core.params import BadParameter
from notary.core.permissions import Role


@pytest.mark.parametrize(("raw", "value"), [("1", 1), (" 42 ", 42), ("+7", 7),
                                            (str(params.MAX_ID), params.MAX_ID)])
def test_an_id_is_ascii_digits_within_the_column(raw, value):
    assert params.parse_id("id", raw) == value


@pytest.mark.parametrize("raw", [
    "0", "-1", str(params.MAX_ID + 1), "99999999999999999999999", "9" * 5000, "\u00b2",
    "\u0663", "１２", "1e3", "1.0", "", " ", "0x10", "nan", "1_000"])
def test_an_id_refuses_what_no_record_could_have(raw):
    with pytest.raises(BadParameter) as caught:
        params.parse_id("matter", raw)
    assert caught.value.parameter == "matter" and caught.value.code == 400


@pytest.mark.parametrize(("parse", "raw", "ok"), [
    (params.parse_page, "1", True), (params.parse_page, "0", False),
    (params.parse_page, str(params.MAX_PAGE), True),
    (params.parse_page, str(params.MAX_PAGE + 1), False),
    (params.parse_year, "1900", True), (params.parse_year, "2100", True),
    (params.parse_year, "1899", False), (params.parse_year, "9999", False),
])
def test_pages_and_years_are_bounded(parse, raw, ok):
    if ok:
        assert parse("p", raw) == int(raw)
    else:
        with pytest.raises(BadParameter):
            parse("p", raw)


@pytest.mark.parametrize(("raw", "value"), [("2026-03-01", date(2026, 3, 1)),
                                            ("1900-01-01", params.FIRST_DAY),
                                            ("2100-12-31", params.LAST_DAY)])
def test_a_date_is_iso_within_the_offices_range(raw, value):
    assert params.parse_date("date_from", raw) == value


@pytest.mark.parametrize("raw", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01",
                                 "2026-13-45", "20260301", "2026-3-1", "２０２６-03-01",
                                 "2026-03-01T00:00", "x"])
def test_a_date_refuses_the_calendars_ends_and_other_forms(raw):
    with pytest.raises(BadParameter):
        params.parse_date("date_from", raw)


@pytest.mark.parametrize("raw", ["a\x00b", "\ud800", "x\udfff", "\x07", "\U0010ffff",
                                 "\ufdd0", "x" * (params.MAX_TEXT + 1)])
def test_search_text_refuses_what_cannot_be_stored_or_typed(raw):
    with pytest.raises(BadParameter):
        params.parse_text("q", raw)


@pytest.mark.parametrize(("raw", "value"), [(" 张三 ", "张三"), ("\ud7ff", "\ud7ff"),
                                            ("\u00b2", "\u00b2"), ("a\tb", "a\tb")])
def test_search_text_keeps_what_a_person_can_type(raw, value):
    assert params.parse_text("q", raw) == value


def test_enums_choices_and_booleans():
    assert params.parse_enum("status", "issued", CaseStatus) is CaseStatus.ISSUED
    assert params.parse_choice("status", "open", ("open", "answered")) == "open"
    assert params.parse_bool("print", "1") is True and params.parse_bool("print", "0") is False
    for call in (lambda: params.parse_enum("status", "bogus", CaseStatus),
                 lambda: params.parse_choice("status", "x", ("open",)),
                 lambda: params.parse_bool("print", "maybe")):
        with pytest.raises(BadParameter):
            call()


@given(st.text(max_size=30))
def test_any_text_parses_as_an_id_or_is_refused_never_another_error(raw):
    try:
        value = params.parse_id("id", raw)
    except BadParameter:
        return
    assert 1 <= value <= params.MAX_ID


@given(st.text(max_size=12))
def test_any_text_parses_as_a_date_or_is_refused_never_another_error(raw):
    try:
        value = params.parse_date("d", raw)
    except BadParameter:
        return
    assert params.FIRST_DAY <= value <= params.LAST_DAY


def test_a_path_id_past_64_bits_is_not_found(app, login_as):
    client = login_as(Role.DIRECTOR)
    for value in ("99999999999999999999999", str(params.INT64_MAX + 1), "9" * 5000):
        assert client.get(f"/cases/{value}").status_code == 404
    assert client.get(f"/cases/{params.INT64_MAX}").status_code == 404  # no such case


def test_a_page_answers_a_refused_parameter_with_400_in_chinese(app, login_as):
    client = login_as(Role.DIRECTOR)
    response = client.get("/cases/?date_from=0001-01-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请输入 1900-01-01 至 2100-12-31 之间的日期。" in html  # beside the field
    response = client.get("/complaints/?page=99999999999999999999999")
    assert response.status_code == 400 and "网址中的参数“page”无效" in response.get_data(
        as_text=True)
    assert client.get("/cases/?q=%00").status_code == 400
    assert client.get("/cases/?page=1&page=2").status_code == 400


def test_a_download_with_a_refused_parameter_is_the_400_page_and_records_nothing(app, login_as):
    from notary.core.audit import AuditEntry
    from notary.extensions import db

    client = login_as(Role.DIRECTOR)
    before = db.session.query(AuditEntry).count()
    response = client.get("/cases/export.csv?matter=99999999999999999999999")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert db.session.query(AuditEntry).count() == before


def test_the_api_answers_a_refused_parameter_with_a_problem_naming_it(app):
    from tests.factories import create_staff
    from tests.test_permissions import api_token

    client = app.test_client()
    headers = api_token(create_staff(Role.DIRECTOR))
    for query, field in (("date_from=9999-12-31", "date_from"), ("matter_id=2147483648",
                                                                  "matter_id"),
                         ("q=%00", "q"), ("limit=1&limit=2", "limit")):
        response = client.get(f"/api/v1/cases?{query}", headers=headers)
        assert response.status_code == 400, query
        assert response.mimetype == "application/problem+json"
        assert [e["field"] for e in response.get_json()["errors"]] == [field], query
    assert client.get("/api/v1/cases?matter_id=1", headers=headers).status_code == 200
    assert client.get("/api/v1/cases/99999999999999999999999",
                      headers=headers).status_code == 404
