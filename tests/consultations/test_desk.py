"""The front desk: the quick log, today's counts, the searchable log, starting an application
from a consultation (首问负责), and the public case lookup."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from notary.cases.models import Case
from notary.cases.rules import Action
from notary.cases.workflow import StepData, perform
from notary.consultations.models import CaseLookup, Channel, Consultation, Outcome
from notary.consultations.services import ConsultationData, log_consultation
from notary.core.audit import AuditEntry
from notary.core.errors import ValidationFailed
from notary.core.models import frozen_time
from notary.core.permissions import Role
from notary.deadlines.models import CaseClock
from notary.extensions import db
from tests.cases.test_views import applicant_fields
from tests.factories import create_staff, matter, person, register_case, resident_id


def test_the_quick_form_opens_ready_to_type(app, login_as):
    html = login_as(Role.FRONT_DESK).get("/desk/").get_data(as_text=True)
    topic = re.search(r"<input[^>]*name=\"topic\"[^>]*>", html)
    assert topic and "autofocus" in topic.group(0)
    assert re.search(r'<option selected value="phone">', html)  # the default channel
    assert re.search(r'name="persons"[^>]*value="1"', html)
    required = set(re.findall(r'for="(\w+)">[^<]*</label> <span class="text-danger"', html))
    assert required <= {"topic", "channel", "persons"} and len(required) <= 3


def test_logging_with_three_fields_uses_now_and_the_user(app, login_as):
    client = login_as(Role.FRONT_DESK)
    with frozen_time(datetime(2025, 3, 3, 2, 0, tzinfo=UTC)):
        response = client.post("/desk/", data={"topic": "继承公证需要哪些材料",
                                               "channel": "phone", "persons": "2",
                                               "phone": "13812345678", "name": "段文江"})
    assert response.status_code == 302
    entry = db.session.scalars(sa.select(Consultation)).one()
    assert entry.taken_by_id == client.user.id and entry.persons == 2
    assert entry.received_at == datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
    assert entry.outcome is Outcome.ANSWERED
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == "consultation.log")) == 1


def test_todays_log_and_counts_mask_the_phone(app, login_as):
    client = login_as(Role.FRONT_DESK)
    for channel, persons in (("phone", 1), ("visit", 3), ("visit", 2)):
        client.post("/desk/", data={"topic": "遗嘱", "channel": channel, "persons": persons,
                                    "phone": "13812345678"})
    html = client.get("/desk/").get_data(as_text=True)
    assert "138****5678" in html and "13812345678" not in html
    assert re.search(r'data-channel="visit">5<', html)
    assert re.search(r'data-channel="phone">1<', html)


def test_mistakes_are_shown_next_to_the_fields_in_chinese(app, login_as):
    html = login_as(Role.FRONT_DESK).post("/desk/", data={
        "topic": "", "channel": "phone", "persons": "0", "phone": "abc"}).get_data(as_text=True)
    errors = dict(re.findall(r'data-field-error="(\w+)">([^<]+)<', html))
    assert set(errors) >= {"topic", "persons"}
    assert all(re.search(r"[\u4e00-\u9fff]", message) for message in errors.values())
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == 0
    html = login_as(Role.FRONT_DESK).post("/desk/", data={
        "topic": "x", "channel": "phone", "persons": "1", "phone": "abc"}).get_data(as_text=True)
    assert 'data-field-error="phone"' in html


def test_the_service_refuses_a_future_time(app):
    desk = create_staff(Role.FRONT_DESK)
    with pytest.raises(ValidationFailed) as exc:
        log_consultation(ConsultationData(Channel.PHONE, 1, "x", received_at=datetime(
            2999, 1, 1, tzinfo=UTC)), actor=desk)
    assert set(exc.value.errors) == {"received_at"}


def test_the_log_is_searchable_and_paginated(app, login_as):
    desk = create_staff(Role.FRONT_DESK)
    app.config["PAGE_SIZE"] = 5
    for i in range(7):
        log_consultation(ConsultationData(Channel.VISIT, 1, f"继承咨询{i}"), actor=desk)
    log_consultation(ConsultationData(Channel.PHONE, 1, "出国留学", name="王芳"), actor=desk)
    client = login_as(Role.NOTARY)
    page1 = client.get("/desk/log?q=继承").get_data(as_text=True)
    assert page1.count("继承咨询") == 5 and "出国留学" not in page1
    page2 = client.get("/desk/log?q=继承&page=2").get_data(as_text=True)
    assert page2.count("继承咨询") == 2
    assert "出国留学" in client.get("/desk/log?channel=phone").get_data(as_text=True)
    assert client.get("/desk/log?channel=nope").status_code == 200
    assert client.get("/desk/log?date_from=abc").status_code == 400  # beside the field


def test_start_an_application_prefills_and_links(app, login_as):
    client = login_as(Role.FRONT_DESK)
    entry = log_consultation(ConsultationData(
        Channel.VISIT, 2, "继承公证", matter_type_id=matter("inheritance").id,
        name="段文江", phone="13812345678", summary="父亲去世，办理存款继承"),
        actor=client.user)
    form = client.get(f"/desk/{entry.id}/application").get_data(as_text=True)
    assert 'value="段文江"' in form and 'value="13812345678"' in form
    assert "父亲去世" in form
    data = {"matter_ids": [str(matter("inheritance").id)], "category": "domestic_civil",
            "place_of_use": "", "purpose": "", "document_name": "", "translation_language": "",
            "copies": "1", "urgency": "normal", "urgency_reason": "", "handling_notary_id": "",
            "notes": "", **applicant_fields(0, "段文江", resident_id(), phone="13812345678")}
    response = client.post(f"/desk/{entry.id}/application", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    entry = db.session.get(Consultation, entry.id)
    case = db.session.get(Case, entry.case_id)
    assert case is not None and entry.outcome is Outcome.APPLICATION
    assert case.intake_by_id == client.user.id
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'id="first-contact"' in page and client.user.full_name in page
    # Once linked, the link leads to the case instead of a second application.
    again = client.get(f"/desk/{entry.id}/application")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/cases/{case.id}")


# --- the public lookup -------------------------------------------------------------------------


@pytest.fixture
def accepted_case(app: Any) -> Case:
    desk, notary = create_staff(Role.FRONT_DESK), create_staff(Role.NOTARY)
    case = register_case(desk, applicants=(person("段文江", phone="13812345678"),))
    perform(case, Action.ACCEPT, StepData(conditions_confirmed=True, notary_id=notary.id),
            actor=notary)
    return case


def lookup(client: Any, number: str, tail: str) -> Any:
    return client.post("/lookup/", data={"number": number, "phone_tail": tail})


def test_the_lookup_shows_the_stage_and_expected_date_only(app, client, accepted_case):
    html = lookup(client, accepted_case.acceptance_number or "", "5678").get_data(as_text=True)
    clock = db.session.get(CaseClock, accepted_case.id)
    assert clock is not None and clock.effective_due is not None
    assert 'id="lookup-answer"' in html
    assert clock.effective_due.isoformat() in html or clock.effective_due.strftime(
        "%Y年%-m月%-d日") in html or str(clock.effective_due.year) in html
    assert "段文江" not in html and "13812345678" not in html
    # Half-width brackets and spaces are forgiven.
    loose = (accepted_case.acceptance_number or "").replace("（", "(").replace("）", ")")
    assert 'id="lookup-answer"' in lookup(client, f" {loose} ", "5678").get_data(as_text=True)


def test_a_wrong_phone_and_a_wrong_number_answer_alike(app, client, accepted_case):
    wrong_phone = lookup(client, accepted_case.acceptance_number or "", "0000").get_data(
        as_text=True)
    wrong_number = lookup(client, "（2099）耒证受字第99999号", "5678").get_data(as_text=True)
    answer = re.compile(r'id="lookup-answer">([^<]+)<')
    assert answer.search(wrong_phone).group(1) == answer.search(wrong_number).group(1)
    logged = db.session.scalars(sa.select(CaseLookup).order_by(CaseLookup.id)).all()
    assert [x.found for x in logged] == [False, False]


def test_mistyped_input_gets_a_clear_answer(app, client):
    response = lookup(client, "", "12a")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-field-error="number"' in html and 'data-field-error="phone_tail"' in html


def test_lookups_are_rate_limited_per_ip_and_logged(app, client, accepted_case):
    app.config["LOOKUP_RATE_LIMIT"] = 3
    number = accepted_case.acceptance_number or ""
    codes = [lookup(client, number, "5678").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = app.test_client()
    response = other.post("/lookup/", data={"number": number, "phone_tail": "5678"},
                          environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 200
    logged = db.session.scalars(sa.select(CaseLookup)).all()
    assert len(logged) == 5 and sum(x.refused for x in logged) == 1


@pytest.mark.parametrize(("typed", "parsed"), [
    ("（2026）耒证受字第00184号", (2026, 184)),
    ("2026耒证受字第184号", (2026, 184)),
    ("〔2026〕耒证受字第184号", (2026, 184)),
    ("[2026]耒证受字184", (2026, 184)),
    ("(2026)耒证受字第184号", (2026, 184)),
    ("【２０２６】耒证受字第１８４号", (2026, 184)),
    ("２０２６-１８４", (2026, 184)),
    ("耒证受字第184号", (None, 184)),
    ("184", (None, 184)),
    ("耒证受字", None),
    ("1-2-3", None),
    ("（1066）耒证受字第1号", None),
])
def test_an_acceptance_number_is_read_however_it_is_typed(typed, parsed):
    from notary.consultations.services import parse_number

    assert parse_number(typed) == parsed


def test_the_lookup_finds_the_case_from_the_number_in_short(app, client, accepted_case):
    year, seq = accepted_case.acceptance_year, accepted_case.acceptance_seq
    for typed, tail in ((f"{year}耒证受字第{seq}号", "5678"), (f"〔{year}〕{seq}", "５６７８"),
                        (f"耒证受字第{seq}号", "5678")):
        html = lookup(client, typed, tail).get_data(as_text=True)
        assert 'id="lookup-stage"' in html, typed
        assert accepted_case.acceptance_number in html
        assert 'id="lookup-due"' in html
    # Another year's number is another case.
    html = lookup(client, f"{(year or 0) - 1}耒证受字第{seq}号", "5678").get_data(as_text=True)
    assert 'id="lookup-stage"' not in html
