"""Personal information (个人信息保护法): full numbers masked everywhere unless a role that
needs them asks, each reveal logged; a party's data exported on request; retention."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from notary.core.audit import AuditEntry
from notary.core.permissions import Role
from notary.extensions import db
from notary.parties.services import create_party
from tests.factories import create_staff, person, register_case

PHONE = "13812345678"


def reveals(party_id: int) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "party.reveal", AuditEntry.target_id == party_id)))


@pytest.fixture
def party(app):
    return create_party(person("张三", phone=PHONE), actor=create_staff(Role.FRONT_DESK))


@pytest.mark.parametrize("path", ["/parties/", "/parties/{id}", "/cases/{case}", "/"])
@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.ASSISTANT, Role.NOTARY,
                                  Role.DIRECTOR])
def test_pages_show_masked_numbers_and_reveal_nothing_by_themselves(app, login_as, party, role,
                                                                    path):
    desk = create_staff(Role.FRONT_DESK)
    case = register_case(desk, applicants=(person("张三", document_number=party.document_number,
                                                  phone=PHONE),))
    client = login_as(role)
    html = client.get(path.format(id=party.id, case=case.id)).get_data(as_text=True)
    assert party.document_number not in html and PHONE not in html
    assert reveals(party.id) == []


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.NOTARY, Role.DIRECTOR])
def test_each_reveal_is_logged_with_who_and_where(app, login_as, party, role):
    client = login_as(role)
    for _ in range(2):
        html = client.post(f"/parties/{party.id}/reveal").get_data(as_text=True)
        assert party.document_number in html and PHONE in html
    entries = reveals(party.id)
    assert [(e.actor_id, e.reason) for e in entries] == [(client.user.id, "party page")] * 2
    # The edit form holds the full numbers too: opening it is a reveal.
    client.get(f"/parties/{party.id}/edit")
    assert [e.reason for e in reveals(party.id)][-1] == "edit form"


def test_a_role_without_personal_data_cannot_reveal(app, login_as, party):
    client = login_as(Role.ADMIN)
    response = client.post(f"/parties/{party.id}/reveal")
    assert response.status_code == 403
    assert party.document_number not in response.get_data(as_text=True)
    assert reveals(party.id) == []


def test_a_reveal_needs_a_form_token(app, login_as, party):
    client = login_as(Role.NOTARY)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/parties/{party.id}/reveal")
    assert response.status_code == 400
    assert reveals(party.id) == []


def test_a_partys_data_is_exported_on_request_and_the_export_audited(app, login_as, party):
    import io

    from notary.cases import services as case_services
    from tests.test_permissions import PNG

    desk = create_staff(Role.FRONT_DESK)
    case = register_case(desk, applicants=(person("张三", document_number=party.document_number,
                                                  phone=PHONE),))
    case_services.add_material(case, "户口簿", "hukou.png", io.BytesIO(PNG), actor=desk)
    register_case(desk)  # someone else's case: not in the export
    client = login_as(Role.DIRECTOR)
    response = client.post(f"/parties/{party.id}/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    assert data["party"]["document_number"] == party.document_number
    assert data["party"]["phone"] == PHONE
    assert [c["id"] for c in data["cases"]] == [case.id]
    assert data["cases"][0]["materials"][0]["title"] == "户口簿"
    assert data["changes"][0]["action"] == "party.create"
    export = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "party.export")).one()
    assert export.actor_id == client.user.id and export.target_id == party.id


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.ASSISTANT, Role.ADMIN])
def test_only_notaries_and_directors_export(app, login_as, party, role):
    assert login_as(role).post(f"/parties/{party.id}/export").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == "party.export")) == 0
