"""Case pages through the test client: intake, list, detail, steps, register, materials, admin."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from notary.cases import services
from notary.cases.models import Case, Category, Material, MatterType, ParticipantRole
from notary.cases.rules import Action, CaseStatus, ClosingType
from notary.cases.workflow import StepData, perform
from notary.core.audit import AuditEntry
from notary.core.models import frozen_time
from notary.core.permissions import Role
from notary.extensions import db
from notary.parties.models import Party
from tests.cases.samples import advance, jpeg_bytes, pdf_bytes, png_bytes
from tests.factories import (
    create_staff,
    matter,
    person,
    register_case,
    resident_id,
    tell_applicants,
)
from tests.query_counting import counted_queries

SHANGHAI = ZoneInfo("Asia/Shanghai")
Login = Callable[..., FlaskClient]


class FormValues(HTMLParser):
    """The values an HTML page's form fields carry: inputs, selected options, text areas."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.checked: set[str] = set()
        self._select: str | None = None
        self._textarea: str | None = None
        self._first_text = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("type") not in {"submit", "checkbox", "radio"}:
            self.values.setdefault(a.get("name", ""), []).append(a.get("value", ""))
        elif tag == "input" and "checked" in a:  # a browser submits checked boxes' values
            self.checked.add(a.get("name", ""))
            self.values.setdefault(a.get("name", ""), []).append(a.get("value", "y"))
        elif tag == "select":
            self._select = a.get("name", "")
            self.values.setdefault(self._select, [])
        elif tag == "option" and self._select is not None and "selected" in a:
            self.values[self._select].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a.get("name", "")
            self.values[self._textarea] = [""]
            self._first_text = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            if self._first_text:  # HTML drops one newline right after <textarea>
                data = data.removeprefix("\r\n").removeprefix("\n")
                self._first_text = False
            self.values[self._textarea][0] += data


def form_values(html: str) -> dict[str, list[str]]:
    parser = FormValues()
    parser.feed(html)
    return parser.values


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def field_errors(html: str) -> set[str]:
    return set(re.findall(r'class="invalid-feedback d-block" data-field-error="([^"]+)"', html))


def case_ids(html: str) -> list[int]:
    """The cases linked from the page's case tables, in order."""
    return [int(n) for n in re.findall(r'href="/cases/(\d+)"', html)]


def sections(html: str) -> dict[str, list[int]]:
    """Case ids under each <h2> of a page, keyed by the heading's id or its position."""
    out: dict[str, list[int]] = {}
    for n, chunk in enumerate(html.split("<h2")[1:]):
        m = re.match(r'[^>]*id="([^"]+)"', chunk)
        out[m.group(1) if m else str(n)] = case_ids(chunk)
    return out


def either(html: str, english: str, chinese: str) -> bool:
    """The English msgid or its Chinese translation (the catalog is being translated)."""
    return english in html or chinese in html


@pytest.fixture
def desk_client(login_as: Login) -> FlaskClient:
    return login_as(Role.FRONT_DESK)


def applicant_fields(i: int, name: str, number: str, **extra: str) -> dict[str, str]:
    p = f"participants-{i}-"
    fields = {"role": "applicant", "kind": "person", "name": name,
              "document_type": "resident_id", "document_number": number, "sex": "male",
              "birth_date": "1980-05-17", "nationality": "", "phone": "13800138000",
              "address": "湖南省耒阳市蔡子池街道", "legal_representative": ""}
    fields.update(extra)
    return {p + k: v for k, v in fields.items()}


def intake_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "matter_ids": [str(matter("inheritance").id), str(matter("kinship").id)],
        "category": "foreign_civil", "place_of_use": "加拿大", "purpose": "办理继承手续",
        "document_name": "亲属关系公证书", "translation_language": "英语", "copies": "3",
        "urgency": "expedited", "urgency_reason": "下周出国", "handling_notary_id": "",
        "notes": "当事人行动不便",
    }
    data.update(applicant_fields(0, "张三", resident_id()))
    data.update(overrides)
    return data


def assert_typed_values_kept(values: dict[str, list[str]], typed: dict[str, Any]) -> None:
    for name, value in typed.items():
        if name == "add_participant":
            continue
        expected = value if isinstance(value, list) else [value]
        assert values[name] == expected, name


def count(model: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


# --- intake ---------------------------------------------------------------------------------

def test_add_another_participant_keeps_what_was_typed(desk_client: FlaskClient) -> None:
    data = intake_form(add_participant="1")
    response = desk_client.post("/cases/new", data=data)
    assert response.status_code == 200
    html = text(response)
    assert html.count('class="card mb-3 participant"') == 2
    values = form_values(html)
    assert_typed_values_kept(values, data)
    assert values["participants-1-name"] == [""]
    assert values["participants-1-document_number"] == [""]
    assert count(Case) == 0
    assert field_errors(html) == set()


def test_register_two_applicants(desk_client: FlaskClient) -> None:
    first, second = resident_id(), resident_id()
    data = intake_form(**applicant_fields(1, "李四", second, sex="male"))
    data["participants-0-document_number"] = first
    response = desk_client.post("/cases/new", data=data)
    assert response.status_code == 302
    case = db.session.scalars(sa.select(Case)).one()
    assert response.headers["Location"] == f"/cases/{case.id}"
    assert case.status is CaseStatus.APPLIED
    assert case.intake_by_id == desk_client.user.id  # type: ignore[attr-defined]
    assert (case.category, case.place_of_use, case.copies) == (Category.FOREIGN_CIVIL,
                                                               "加拿大", 3)
    assert case.urgency_reason == "下周出国"
    assert {m.code for m in case.matters} == {"inheritance", "kinship"}
    assert [(p.role, p.party.name, p.party.document_number) for p in case.participants] == [
        (ParticipantRole.APPLICANT, "张三", first), (ParticipantRole.APPLICANT, "李四", second)]
    assert case.participants[0].party.phone == "13800138000"
    assert count(Party) == 2


def test_an_invalid_check_digit_is_shown_next_to_the_field(desk_client: FlaskClient) -> None:
    good = resident_id()
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    data = intake_form(**{"participants-0-document_number": bad})
    response = desk_client.post("/cases/new", data=data)
    assert response.status_code == 200
    html = text(response)
    assert field_errors(html) == {"participants-0-document_number"}
    assert 'name="participants-0-document_number"' in html
    assert_typed_values_kept(form_values(html), data)
    assert (count(Case), count(Party)) == (0, 0)


def test_intake_shows_every_service_error(desk_client: FlaskClient) -> None:
    data = intake_form(place_of_use="", urgency_reason="")
    response = desk_client.post("/cases/new", data=data)
    assert response.status_code == 200
    assert field_errors(text(response)) == {"place_of_use", "urgency_reason"}
    assert count(Case) == 0


def test_intake_refuses_an_agent_for_a_will(desk_client: FlaskClient) -> None:
    data = intake_form(matter_ids=[str(matter("will").id)])
    data.update(applicant_fields(1, "代理人", resident_id(), role="agent"))
    response = desk_client.post("/cases/new", data=data)
    assert response.status_code == 200
    html = text(response)
    assert 'class="alert alert-danger"' in html
    assert "遗嘱" in html
    assert count(Case) == 0


@pytest.mark.parametrize("role", [Role.ADMIN])
def test_intake_needs_the_permission(login_as: Login, role: Role) -> None:
    assert login_as(role).get("/cases/new").status_code == 403


# --- case list ------------------------------------------------------------------------------

@contextmanager
def at(moment: datetime) -> Iterator[None]:
    with frozen_time(moment):
        yield


@pytest.fixture
def listed(app: Flask, notary: Any, director: Any) -> dict[str, Any]:
    """A handful of cases that differ in every filtered attribute."""
    desk = create_staff(Role.FRONT_DESK)
    other_notary = create_staff(Role.NOTARY)
    with at(datetime(2026, 6, 30, 23, 30, tzinfo=SHANGHAI)):
        late_june = register_case(desk, applicants=(person("欧阳娜娜"),))
    with at(datetime(2026, 7, 1, 0, 10, tzinfo=SHANGHAI)):
        early_july = register_case(desk, matters=("no_criminal_record",),
                                   category=Category.FOREIGN_CIVIL, place_of_use="美国")
    with at(datetime(2026, 7, 5, 10, 0, tzinfo=SHANGHAI)):
        accepted = register_case(desk, matters=("kinship",), category=Category.HONG_KONG,
                                 place_of_use="香港")
        perform(accepted, Action.ACCEPT, StepData(conditions_confirmed=True), actor=other_notary)
    with at(datetime(2026, 7, 6, 10, 0, tzinfo=SHANGHAI)):
        issued = register_case(desk)
        advance(issued, CaseStatus.ISSUED, notary=notary, director=director)
    return {"late_june": late_june, "early_july": early_july, "accepted": accepted,
            "issued": issued, "other_notary": other_notary}


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["issued", "accepted", "early_july", "late_june"]),
    ("status=applied", ["early_july", "late_june"]),
    ("status=accepted", ["accepted"]),
    ("status=issued", ["issued"]),
    ("category=hong_kong", ["accepted"]),
    ("category=foreign_civil", ["early_july"]),
    ("date_to=2026-06-30", ["late_june"]),
    ("date_from=2026-07-01", ["issued", "accepted", "early_july"]),
    ("date_from=2026-07-01&date_to=2026-07-05", ["accepted", "early_july"]),
    ("date_from=2026-06-30&date_to=2026-06-30", ["late_june"]),
    ("q=欧阳", ["late_june"]),
    ("q=nobody", []),
])
def test_case_list_filters(login_as: Login, listed: dict[str, Any], query: str,
                           expected: list[str]) -> None:
    client = login_as(Role.FRONT_DESK)
    response = client.get(f"/cases/?{query}")
    assert response.status_code == 200
    assert case_ids(text(response)) == [listed[k].id for k in expected]


def test_case_list_filters_by_matter_and_notary(login_as: Login, listed: dict[str, Any],
                                                notary: Any) -> None:
    client = login_as(Role.FRONT_DESK)
    kinship = matter("kinship").id
    assert case_ids(text(client.get(f"/cases/?matter={kinship}"))) == [listed["accepted"].id]
    assert case_ids(text(client.get(f"/cases/?notary={notary.id}"))) == [listed["issued"].id]
    other = listed["other_notary"].id
    assert case_ids(text(client.get(f"/cases/?notary={other}"))) == [listed["accepted"].id]


def test_case_list_search_by_numbers(login_as: Login, listed: dict[str, Any]) -> None:
    client = login_as(Role.FRONT_DESK)
    accepted, issued = listed["accepted"], listed["issued"]
    for q in (accepted.acceptance_number, issued.acceptance_number, issued.certificate_number):
        response = client.get("/cases/", query_string={"q": q})
        assert case_ids(text(response)) == [
            accepted.id if q == accepted.acceptance_number else issued.id], q
    number = listed["late_june"].participants[0].party.document_number
    assert case_ids(text(client.get("/cases/", query_string={"q": number}))) == [
        listed["late_june"].id]
    assert case_ids(text(client.get("/cases/", query_string={"q": number.lower()}))) == [
        listed["late_june"].id]


# An unknown choice is ignored; a value that is no number or date at all is a 400 (the list
# unfiltered, the error beside the field: notary.core.params).
@pytest.mark.parametrize(("query", "status"), [
    ("status=bogus", 200), ("category=bogus", 200), ("matter=x", 400),
    ("date_from=2026-13-45", 400), ("notary=abc", 400)])
def test_case_list_ignores_malformed_filters(login_as: Login, listed: dict[str, Any],
                                             query: str, status: int) -> None:
    response = login_as(Role.FRONT_DESK).get(f"/cases/?{query}")
    assert response.status_code == status
    assert sorted(case_ids(text(response))) == sorted(c.id for c in listed.values()
                                                      if isinstance(c, Case))


def test_case_list_filters_asked_again(login_as: Login, listed: dict[str, Any]) -> None:
    """The rendered filter form is kept by what it shows (cases.views._filter_block): asked
    again, a refused value is refused again with its message, the filters still apply, and
    a matter added since is offered at once (the choices are kept per data version)."""
    from notary.cases import catalogue

    client = login_as(Role.FRONT_DESK)
    for _ in range(2):
        response = client.get("/cases/?date_from=2026-13-45")
        assert response.status_code == 400
        assert 'data-field-error="date_from"' in text(response)
    for _ in range(2):
        assert case_ids(text(client.get("/cases/?status=accepted"))) == [listed["accepted"].id]
    assert "新增事项甲" not in text(client.get("/cases/"))
    added = catalogue.save_matter(None, {
        "code": "added_a", "name": "新增事项甲", "name_en": "", "in_person_only": False,
        "is_active": True, "sort_order": 100}, actor=create_staff(Role.ADMIN))
    page = text(client.get("/cases/"))
    assert f'<option value="{added.id}">新增事项甲</option>' in page
    # A matter nobody has applied for lists nothing, read from the matter's own index.
    assert case_ids(text(client.get(f"/cases/?matter={added.id}"))) == []


def test_case_list_pagination(app: Flask, login_as: Login) -> None:
    app.config["PAGE_SIZE"] = 2
    desk = create_staff(Role.FRONT_DESK)
    start = datetime(2026, 3, 1, 9, tzinfo=SHANGHAI)
    ids = []
    for n in range(5):
        with at(start + timedelta(days=n)):
            ids.append(register_case(desk).id)
    newest_first = list(reversed(ids))
    client = login_as(Role.FRONT_DESK)
    pages = [case_ids(text(client.get(f"/cases/?status=applied&page={n}"))) for n in (1, 2, 3)]
    assert pages == [newest_first[:2], newest_first[2:4], newest_first[4:]]
    html = text(client.get("/cases/?status=applied&page=2"))
    assert 'class="pagination pagination-sm"' in html
    assert "status=applied" in re.search(r'href="([^"]*page=3[^"]*)"', html).group(1)  # type: ignore[union-attr]
    assert case_ids(text(client.get("/cases/?page=9"))) == []


# --- detail and steps -----------------------------------------------------------------------

def timeline_items(html: str) -> list[str]:
    block = html.split('class="list-unstyled small timeline mb-0"')[1].split("</ol>")[0]
    return re.findall(r"<li\b.*?</li>", block, flags=re.S)


def test_detail_shows_one_timeline_entry_per_step(login_as: Login, notary: Any,
                                                  director: Any) -> None:
    desk = create_staff(Role.FRONT_DESK)
    case = register_case(desk)
    advance(case, CaseStatus.AWAITING_APPROVAL, notary=notary, director=director)
    response = login_as(director).get(f"/cases/{case.id}")
    assert response.status_code == 200
    html = text(response)
    items = timeline_items(html)
    assert len(items) == 4  # registered, accepted, review started, submitted
    assert notary.full_name in items[1]
    assert case.acceptance_number in items[1]
    assert case.acceptance_number in html
    # The director sees the approval buttons, the handling notary would not.
    assert f"/cases/{case.id}/step/approve" in html
    assert f"/cases/{case.id}/step/approve" not in text(login_as(notary).get(f"/cases/{case.id}"))


def test_detail_of_a_missing_case_is_404(desk_client: FlaskClient) -> None:
    assert desk_client.get("/cases/999999").status_code == 404


def test_accept_needs_the_confirmation(login_as: Login, notary: Any) -> None:
    case = register_case(create_staff(Role.FRONT_DESK))
    client = login_as(notary)
    page = client.get(f"/cases/{case.id}/step/accept")
    assert page.status_code == 200
    assert form_values(text(page))["notary_id"] == [str(notary.id)]
    response = client.post(f"/cases/{case.id}/step/accept", data={"notary_id": str(notary.id)})
    assert response.status_code == 200
    assert 'name="confirm"' in text(response)
    assert "form-check-input is-invalid" in text(response)
    db.session.expire_all()
    assert case.status is CaseStatus.APPLIED and case.acceptance_number is None
    response = client.post(f"/cases/{case.id}/step/accept",
                           data={"notary_id": str(notary.id), "confirm": "y"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.id}"
    db.session.expire_all()
    assert case.status is CaseStatus.ACCEPTED
    assert case.handling_notary_id == notary.id


def test_approval_needs_an_opinion_and_the_confirmation_and_files_the_opinion(
        login_as: Login, notary: Any, director: Any) -> None:
    from notary.casefile.models import FileNote, FileNoteKind

    case = advance(register_case(create_staff(Role.FRONT_DESK)), CaseStatus.AWAITING_APPROVAL,
                   notary=notary, director=director)
    tell_applicants(case, notary)
    client = login_as(create_staff(Role.DIRECTOR))
    page = text(client.get(f"/cases/{case.id}/step/approve"))
    assert 'name="opinion"' in page and 'name="approved"' in page
    refused = text(client.post(f"/cases/{case.id}/step/approve", data={}))
    assert 'data-field-error="opinion"' in refused and 'data-field-error="approved"' in refused
    db.session.expire_all()
    assert case.status is CaseStatus.AWAITING_APPROVAL
    response = client.post(f"/cases/{case.id}/step/approve",
                           data={"opinion": "事实清楚，材料齐全，同意出证。", "approved": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert case.status is CaseStatus.APPROVED
    note = db.session.scalars(sa.select(FileNote).where(FileNote.case_id == case.id)).one()
    assert (note.kind, note.title, note.body) == (FileNoteKind.APPROVAL, "审批意见",
                                                  "事实清楚，材料齐全，同意出证。")


def test_refuse_needs_a_ground(login_as: Login, notary: Any, director: Any) -> None:
    case = advance(register_case(create_staff(Role.FRONT_DESK)), CaseStatus.ACCEPTED,
                   notary=notary, director=director)
    client = login_as(director)
    page = text(client.get(f"/cases/{case.id}/step/refuse"))
    assert len(re.findall(r'<option value="[1-9]"', page)) == 9
    response = client.post(f"/cases/{case.id}/step/refuse", data={"reason": "无利害关系"})
    assert response.status_code == 200
    assert field_errors(text(response)) == {"ground"}
    assert form_values(text(response))["reason"] == ["无利害关系"]
    db.session.expire_all()
    assert case.status is CaseStatus.ACCEPTED
    response = client.post(f"/cases/{case.id}/step/refuse",
                           data={"reason": "无利害关系", "ground": "2"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (case.status, case.closing_ground, case.closing_type) == (
        CaseStatus.REFUSED, "2", ClosingType.REFUSED)


def test_not_accepted_offers_the_four_conditions_of_acceptance(login_as: Login,
                                                               notary: Any) -> None:
    case = register_case(create_staff(Role.FRONT_DESK))
    client = login_as(notary)
    page = text(client.get(f"/cases/{case.id}/step/reject"))
    assert re.findall(r'<option value="(\d)"', page) == ["1", "2", "3", "4"]
    response = client.post(f"/cases/{case.id}/step/reject",
                           data={"reason": "不属本处执业区域", "ground": "4"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (case.status, case.closing_type, case.closing_ground) == (
        CaseStatus.NOT_ACCEPTED, ClosingType.NOT_ACCEPTED, "4")
    assert "/step/reject" not in text(client.get(f"/cases/{case.id}"))


def test_terminate_offers_the_five_grounds(login_as: Login, notary: Any, director: Any) -> None:
    case = advance(register_case(create_staff(Role.FRONT_DESK)), CaseStatus.ACCEPTED,
                   notary=notary, director=director)
    page = text(login_as(director).get(f"/cases/{case.id}/step/terminate"))
    assert re.findall(r'<option value="(\d)"', page) == ["1", "2", "3", "4", "5"]


def test_one_click_step(login_as: Login, notary: Any) -> None:
    case = register_case(create_staff(Role.FRONT_DESK))
    perform(case, Action.ACCEPT, StepData(conditions_confirmed=True), actor=notary)
    response = login_as(notary).post(f"/cases/{case.id}/step/start_review")
    assert response.status_code == 302
    db.session.expire_all()
    assert case.status is CaseStatus.UNDER_REVIEW


def test_a_step_someone_may_not_take_is_refused_with_the_rule(login_as: Login,
                                                             notary: Any) -> None:
    case = register_case(create_staff(Role.FRONT_DESK))
    perform(case, Action.ACCEPT, StepData(conditions_confirmed=True), actor=notary)
    other = login_as(Role.NOTARY)
    response = other.post(f"/cases/{case.id}/step/start_review")
    # Refused as an outsider (403, the rule named), whatever the case's stage.
    assert response.status_code == 403
    assert response.headers["X-Denied-By"] == "object-rule"
    assert "the director can take this step" in response.get_data(as_text=True) or \
        "主任" in response.get_data(as_text=True)
    # A step that is not possible at this stage still sends the handler back with a message.
    response = login_as(notary).post(f"/cases/{case.id}/step/issue")
    assert response.status_code == 302
    db.session.expire_all()
    assert case.status is CaseStatus.ACCEPTED
    assert other.get(f"/cases/{case.id}/step/no_such_step").status_code == 404


# --- register -------------------------------------------------------------------------------

@pytest.fixture
def register_cases(app: Flask, notary: Any, director: Any) -> dict[str, Case]:
    desk = create_staff(Role.FRONT_DESK)
    out: dict[str, Case] = {}
    with at(datetime(2025, 12, 20, 10, tzinfo=SHANGHAI)):
        out["last_year"] = register_case(desk)
        perform(out["last_year"], Action.ACCEPT, StepData(conditions_confirmed=True), actor=notary)
    with at(datetime(2026, 2, 1, 10, tzinfo=SHANGHAI)):
        out["issued"] = register_case(desk, agents=(person("代理人甲"),),
                                      applicants=(person("申请人甲"),))
        advance(out["issued"], CaseStatus.ISSUED, notary=notary, director=director)
    with at(datetime(2026, 3, 1, 10, tzinfo=SHANGHAI)):
        out["open_hk"] = register_case(desk, category=Category.HONG_KONG, place_of_use="香港",
                                       matters=("kinship",))
        perform(out["open_hk"], Action.ACCEPT, StepData(conditions_confirmed=True), actor=notary)
    with at(datetime(2026, 4, 1, 10, tzinfo=SHANGHAI)):
        out["refused"] = register_case(desk)
        perform(out["refused"], Action.ACCEPT, StepData(conditions_confirmed=True), actor=notary)
        perform(out["refused"], Action.REFUSE, StepData(ground="4", reason="有争议"),
                actor=director)
    with at(datetime(2026, 5, 1, 10, tzinfo=SHANGHAI)):
        out["not_accepted"] = register_case(desk)
    with at(datetime(2026, 12, 31, 16, 30, tzinfo=UTC)):  # 2027-01-01 in Shanghai
        out["next_year"] = register_case(desk)
        perform(out["next_year"], Action.ACCEPT, StepData(conditions_confirmed=True), actor=notary)
    return out


def register_rows(html: str) -> list[list[str]]:
    body = html.split('class="table table-sm table-bordered register-table"')[1]
    body = body.split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip()
             for c in re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S)] for r in rows]


def test_register_lists_the_cases_accepted_that_year(login_as: Login,
                                                     register_cases: dict[str, Case],
                                                     notary: Any, director: Any) -> None:
    response = login_as(director).get("/cases/register?year=2026")
    assert response.status_code == 200
    html = text(response)
    assert case_ids(html) == [register_cases[k].id for k in ("issued", "open_hk", "refused")]
    header = html.split("register-table")[1].split("</thead>")[0]
    assert header.count("<th>") == 10  # the fields of 公证程序规则 art. 57
    issued = db.session.get(Case, register_cases["issued"].id)
    assert issued is not None
    row = register_rows(html)[0]
    assert row[0] == issued.acceptance_number == "（2026）耒证受字第00001号"
    assert row[1].startswith("财产分割")  # the factories default matter
    assert row[2] == "申请人甲"
    assert row[3] == "代理人甲"
    assert row[4] == "2026-02-01"
    assert row[5] == notary.full_name
    assert row[6] == director.full_name
    assert either(row[7], "Certificate issued", "出具公证书")
    assert row[8] == "2026-02-01"
    assert row[9] == issued.certificate_number
    refused = register_rows(html)[2]
    assert either(refused[7], "Refused", "不予办理")
    assert refused[8] == "2026-04-01" and refused[9] == "" and refused[6] == ""
    assert register_rows(html)[1][7:] == ["", "", ""]  # still open


def test_register_year_is_taken_in_shanghai(login_as: Login,
                                            register_cases: dict[str, Case]) -> None:
    client = login_as(Role.DIRECTOR)
    assert case_ids(text(client.get("/cases/register?year=2027"))) == [
        register_cases["next_year"].id]
    assert case_ids(text(client.get("/cases/register?year=2025"))) == [
        register_cases["last_year"].id]
    # 00:30 on New Year's Day in Leiyang, still 2026 in UTC; signed in then (a session ends
    # SESSION_MAX_HOURS after sign-in, so the earlier one is over by this date).
    with frozen_time(datetime(2026, 12, 31, 16, 30, tzinfo=UTC)):
        default = text(login_as(client.user).get("/cases/register"))  # type: ignore[attr-defined]
    assert case_ids(default) == [register_cases["next_year"].id]


@pytest.mark.parametrize(("query", "expected"), [
    ("category=hong_kong", ["open_hk"]),
    ("category=domestic_civil", ["issued", "refused"]),
    ("closing=open", ["open_hk"]),
    ("closing=issued", ["issued"]),
    ("closing=refused", ["refused"]),
    ("closing=terminated", []),
    ("category=domestic_civil&closing=refused", ["refused"]),
])
def test_register_filters(login_as: Login, register_cases: dict[str, Case], query: str,
                          expected: list[str]) -> None:
    response = login_as(Role.DIRECTOR).get(f"/cases/register?year=2026&{query}")
    assert response.status_code == 200
    assert case_ids(text(response)) == [register_cases[k].id for k in expected]


@pytest.mark.parametrize(("query", "status"), [("closing=bogus", 200),
                                               ("category=bogus", 200)])
def test_register_ignores_malformed_filters(login_as: Login, register_cases: dict[str, Case],
                                            query: str, status: int) -> None:
    response = login_as(Role.DIRECTOR).get(f"/cases/register?year=2026&{query}")
    assert response.status_code == status
    assert case_ids(text(response)) == [register_cases[k].id
                                        for k in ("issued", "open_hk", "refused")]


def test_register_print_view(app: Flask, login_as: Login,
                             register_cases: dict[str, Case]) -> None:
    app.config["PAGE_SIZE"] = 2
    client = login_as(Role.DIRECTOR)
    paged = text(client.get("/cases/register?year=2026"))
    assert len(case_ids(paged)) == 2
    assert 'class="pagination pagination-sm"' in paged
    assert "print=1" in paged
    printed = text(client.get("/cases/register?year=2026&print=1"))
    assert case_ids(printed) == [register_cases[k].id for k in ("issued", "open_hk", "refused")]
    assert "data-print" in printed
    assert 'class="pagination pagination-sm"' not in printed


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.ADMIN])
def test_register_needs_the_permission(login_as: Login, role: Role) -> None:
    assert login_as(role).get("/cases/register").status_code == 403


# --- materials ------------------------------------------------------------------------------

@pytest.mark.parametrize(("make", "name", "content_type"), [
    (pdf_bytes, "申请表.pdf", "application/pdf"),
    (jpeg_bytes, "photo.jpg", "image/jpeg"),
    (png_bytes, "scan.pdf", "image/png"),  # the content decides, not the name
])
def test_upload_and_download_a_material(desk_client: FlaskClient, make: Any, name: str,
                                        content_type: str) -> None:
    case = register_case(desk_client.user)  # type: ignore[attr-defined]
    data = make()
    response = desk_client.post(
        f"/cases/{case.id}/materials", content_type="multipart/form-data",
        data={"title": "身份证明", "file": (io.BytesIO(data), name, "application/pdf")})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.id}#materials"
    material = db.session.scalars(sa.select(Material)).one()
    assert (material.content_type, material.original_filename) == (content_type, name)
    detail = text(desk_client.get(f"/cases/{case.id}"))
    assert f"/cases/{case.id}/materials/{material.id}" in detail
    download = desk_client.get(f"/cases/{case.id}/materials/{material.id}")
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == content_type
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    download.close()


def test_a_refused_upload_stores_nothing(desk_client: FlaskClient) -> None:
    case = register_case(desk_client.user)  # type: ignore[attr-defined]
    response = desk_client.post(
        f"/cases/{case.id}/materials", content_type="multipart/form-data",
        data={"title": "信", "file": (io.BytesIO(b"just text"), "letter.pdf")})
    assert response.status_code == 302
    assert count(Material) == 0
    missing_file = desk_client.post(f"/cases/{case.id}/materials",
                                    content_type="multipart/form-data", data={"title": "x"})
    assert missing_file.status_code == 302
    assert count(Material) == 0


def test_a_material_of_another_case_is_not_served(desk_client: FlaskClient) -> None:
    desk = desk_client.user  # type: ignore[attr-defined]
    one, other = register_case(desk), register_case(desk)
    material = services.add_material(one, "材料", "a.pdf", io.BytesIO(pdf_bytes()), actor=desk)
    assert desk_client.get(f"/cases/{other.id}/materials/{material.id}").status_code == 404


# --- matter admin ---------------------------------------------------------------------------

def matter_form(**overrides: str) -> dict[str, str]:
    data = {"code": "hukou", "name": "户籍注销", "name_en": "Deregistration of household",
            "in_person_only": "y", "is_active": "y", "sort_order": "300"}
    data.update(overrides)
    return data


def test_admin_creates_and_edits_a_matter(login_as: Login) -> None:
    client = login_as(Role.ADMIN)
    assert client.get("/admin/matters/").status_code == 200
    response = client.post("/admin/matters/new", data=matter_form())
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/matters/"
    created = db.session.scalars(sa.select(MatterType).where(MatterType.code == "hukou")).one()
    assert (created.name, created.in_person_only, created.is_active, created.sort_order) == (
        "户籍注销", True, True, 300)
    response = client.post(f"/admin/matters/{created.id}",
                           data=matter_form(name="户籍注销证明", in_person_only=""))
    assert response.status_code == 302
    db.session.expire_all()
    assert (created.name, created.in_person_only) == ("户籍注销证明", False)
    actions = list(db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.target_type == "matter_types", AuditEntry.target_id == created.id)))
    assert actions == ["matter.save", "matter.save"]
    assert "户籍注销证明" in text(client.get("/admin/matters/"))


@pytest.mark.parametrize("field", ["code", "name"])
def test_a_duplicate_matter_is_refused(login_as: Login, field: str) -> None:
    client = login_as(Role.ADMIN)
    taken = {"code": "will", "name": "遗嘱"}[field]
    before = count(MatterType)
    response = client.post("/admin/matters/new", data=matter_form(**{field: taken}))
    assert response.status_code == 200
    assert field_errors(text(response)) == {field}
    assert count(MatterType) == before
    # Editing another matter onto a taken code is refused too.
    kinship = matter("kinship")
    response = client.post(f"/admin/matters/{kinship.id}",
                           data={**matter_form(code="kinship", name="亲属关系"), field: taken})
    assert field_errors(text(response)) == {field}
    db.session.expire_all()
    assert (kinship.code, kinship.name) == ("kinship", "亲属关系")


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.NOTARY, Role.FRONT_DESK])
def test_only_the_admin_manages_matters(login_as: Login, role: Role) -> None:
    client = login_as(role)
    assert client.get("/admin/matters/").status_code == 403
    assert client.post("/admin/matters/new", data=matter_form()).status_code == 403
    assert count(MatterType) == len(db.session.scalars(sa.select(MatterType.id)).all())
    assert db.session.scalar(sa.select(MatterType).where(MatterType.code == "hukou")) is None


# --- home -----------------------------------------------------------------------------------

def test_home_front_desk_sees_todays_intake(login_as: Login) -> None:
    client = login_as(Role.FRONT_DESK)
    desk = client.user  # type: ignore[attr-defined]
    with at(datetime.now(UTC) - timedelta(days=2)):
        older = register_case(desk)
    today = register_case(desk)
    html = text(client.get("/"))
    intake, waiting = sections(html)["0"], sections(html)["1"]
    assert intake == [today.id]
    assert sorted(waiting) == sorted([older.id, today.id])


def test_home_notary_sees_their_cases_by_stage(login_as: Login, director: Any) -> None:
    client = login_as(Role.NOTARY)
    me = client.user  # type: ignore[attr-defined]
    desk = create_staff(Role.FRONT_DESK)
    other = create_staff(Role.NOTARY)
    accepted = advance(register_case(desk), CaseStatus.ACCEPTED, notary=me, director=director)
    reviewing = advance(register_case(desk), CaseStatus.UNDER_REVIEW, notary=me,
                        director=director)
    waiting = advance(register_case(desk), CaseStatus.AWAITING_APPROVAL, notary=me,
                      director=director)
    theirs = advance(register_case(desk), CaseStatus.ACCEPTED, notary=other, director=director)
    archived = advance(register_case(desk), CaseStatus.ARCHIVED, notary=me, director=director)
    html = text(client.get("/"))
    found = sections(html)
    assert found["stage-accepted"] == [accepted.id]
    assert found["stage-under_review"] == [reviewing.id]
    assert found["stage-awaiting_approval"] == [waiting.id]
    assert "stage-approved" not in found
    staged = [i for k, v in found.items() if k.startswith("stage-") for i in v]
    assert theirs.id not in staged and archived.id not in staged


def test_home_director_sees_what_waits_for_approval(login_as: Login, notary: Any) -> None:
    client = login_as(Role.DIRECTOR)
    director = client.user  # type: ignore[attr-defined]
    desk = create_staff(Role.FRONT_DESK)
    waiting = advance(register_case(desk), CaseStatus.AWAITING_APPROVAL, notary=notary,
                      director=director)
    advance(register_case(desk), CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    advance(register_case(desk), CaseStatus.APPROVED, notary=notary, director=director)
    applied = register_case(desk)
    found = sections(text(client.get("/")))
    assert found["0"] == [waiting.id]
    assert found["1"] == [applied.id]


# --- query count ----------------------------------------------------------------------------

def _case_with_history(desk: Any, notary: Any, director: Any, entries: int) -> Case:
    """A case with two applicants, an agent, a material, an assistant and `entries` audit
    entries written by several people."""
    assistant = create_staff(Role.ASSISTANT)
    case = register_case(desk, applicants=(person("张三"), person("李四")),
                         agents=(person("代理人"),))
    services.assign_staff(case, notary_id=notary.id, assistant_id=assistant.id, actor=director)
    services.add_material(case, "身份证", "id.pdf", io.BytesIO(pdf_bytes()), actor=desk)
    assert len(_history(case)) == 3
    if entries > 3:
        perform(case, Action.ACCEPT, StepData(conditions_confirmed=True), actor=notary)
    while len(_history(case)) < entries:
        if case.status is CaseStatus.UNDER_REVIEW:
            perform(case, Action.REQUEST_SUPPLEMENT, StepData(reason="补材料"), actor=notary)
        else:
            action = (Action.START_REVIEW if case.status is CaseStatus.ACCEPTED
                      else Action.RESUME_REVIEW)
            perform(case, action, StepData(), actor=assistant)
    assert len(_history(case)) == entries
    return case


def _history(case: Case) -> list[int]:
    return list(db.session.scalars(sa.select(AuditEntry.id).where(
        AuditEntry.target_type == "cases", AuditEntry.target_id == case.id)))


def test_case_detail_makes_a_bounded_number_of_queries(login_as: Login, notary: Any,
                                                       director: Any) -> None:
    client = login_as(director)
    desk = create_staff(Role.FRONT_DESK)
    small = _case_with_history(desk, notary, director, 4)  # accepted: the clock panel shows
    large = _case_with_history(desk, notary, director, 30)
    client.get(f"/cases/{small.id}")  # what pages keep per data version is read here
    counts = []
    for case_id, entries in ((small.id, 4), (large.id, 30)):
        db.session.expire_all()  # nothing cached from building the cases
        with counted_queries() as statements:
            response = client.get(f"/cases/{case_id}")
        assert response.status_code == 200
        assert len(timeline_items(text(response))) == entries
        counts.append(len(statements))
    assert counts[0] == counts[1]
    # Each panel (clock, fees, legal aid, investigations, inheritance, certificates) adds a
    # fixed few.
    assert counts[0] <= 26, counts


def test_intake_lists_only_who_may_handle_a_case(desk_client: FlaskClient) -> None:
    """承办公证员 at intake: enabled notaries and directors not suspended today."""
    from datetime import date

    from notary.core.models import office_today

    today = office_today()
    active = create_staff(Role.NOTARY, full_name="钟可办")
    director = create_staff(Role.DIRECTOR, full_name="钟主任")
    open_ended = create_staff(Role.NOTARY, full_name="钟停业")
    open_ended.suspended_from = today - timedelta(days=3)
    current = create_staff(Role.NOTARY, full_name="钟停期")
    current.suspended_from, current.suspended_until = today, today + timedelta(days=30)
    ended = create_staff(Role.NOTARY, full_name="钟复业")
    ended.suspended_from, ended.suspended_until = date(2020, 1, 1), today - timedelta(days=1)
    create_staff(Role.NOTARY, full_name="钟离职").is_enabled = False
    create_staff(Role.ASSISTANT, full_name="钟助理")
    db.session.commit()
    html = text(desk_client.get("/cases/new"))
    select = html[html.index('name="handling_notary_id"'):]
    select = select[:select.index("</select>")]
    for user in (active, director, ended):
        assert f'value="{user.id}"' in select and user.full_name in select
    for name in ("钟停业", "钟停期", "钟离职", "钟助理"):
        assert name not in select


def _pdf_text(data: bytes) -> str:
    import subprocess

    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return re.sub(r"\s+", "", out.stdout.decode())


def test_the_intake_papers_print(desk_client: FlaskClient, login_as: Login) -> None:
    """申请表 and 受理回执 from registration; the 受理通知书 once the case is accepted."""
    desk = desk_client.user  # type: ignore[attr-defined]
    number = resident_id()
    case = register_case(desk, applicants=(person("欧阳春", document_number=number,
                                                  phone="13907340001"),))
    db.session.commit()
    base = f"/cases/{case.id}"
    papers = f"/casefile{base}"
    html = text(desk_client.get(base))
    for paper in ("application", "receipt"):
        assert f"{papers}/{paper}.pdf" in html
    assert f"{papers}/acceptance-notice.pdf" not in html
    response = desk_client.get(f"{papers}/application.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    form = _pdf_text(response.data)
    assert "公证申请表" in form and "欧阳春" in form and number in form and "13907340001" in form
    receipt = _pdf_text(desk_client.get(f"{papers}/receipt.pdf").data)
    assert "受理回执" in receipt and f"#{case.id}" in receipt and desk.full_name in receipt
    assert desk_client.get(f"{papers}/acceptance-notice.pdf").status_code == 404

    notary = create_staff(Role.NOTARY, full_name="谢文慧")
    perform(case, Action.ACCEPT, StepData(notary_id=notary.id, conditions_confirmed=True),
            actor=notary)
    db.session.commit()
    assert f"{papers}/acceptance-notice.pdf" in text(desk_client.get(base))
    notice = desk_client.get(f"{papers}/acceptance-notice.pdf")
    assert notice.status_code == 200 and notice.mimetype == "application/pdf"
    body = _pdf_text(notice.data)
    assert "受理通知书" in body and case.acceptance_number in body and "谢文慧" in body
    assert "决定受理" in body
    receipt = _pdf_text(desk_client.get(f"{papers}/receipt.pdf").data)
    assert case.acceptance_number in receipt and "办理进度" in receipt


def test_the_intake_finder_puts_a_registered_party_into_a_row(desk_client: FlaskClient) -> None:
    desk = desk_client.user  # type: ignore[attr-defined]
    known = register_case(desk, applicants=(person("段春生", phone="13907341111"),)
                          ).applicants[0].party
    db.session.commit()
    typed = intake_form()
    response = desk_client.post("/cases/new", data={**typed, "party_q": "段春",
                                                    "find_party": "1"})
    html = text(response)
    assert response.status_code == 200 and f'name="use_party" value="{known.id}"' in html
    assert known.document_number not in html  # masked in the list
    assert count(Case) == 1
    response = desk_client.post("/cases/new", data={**typed, "use_party": str(known.id)})
    values = form_values(text(response))
    assert values["participants-0-name"] == [typed["participants-0-name"]]  # kept
    assert values["participants-1-name"] == ["段春生"]
    assert values["participants-1-document_number"] == [known.document_number]
    assert values["participants-1-phone"] == ["13907341111"]
    # Nothing matches, a hostile id: answered, nothing added.
    html = text(desk_client.post("/cases/new", data={**typed, "party_q": "无此人",
                                                     "find_party": "1"}))
    assert "没有符合的已登记当事人" in html
    response = desk_client.post("/cases/new", data={**typed, "use_party": "9" * 40})
    assert response.status_code == 200 and "participants-1-name" not in text(response)
