"""Object-level rules through the API, the same as through the pages: a notary works only on
the cases assigned to them, the handler never approves their own case, and whoever asked for
a fee reduction never decides it."""

from __future__ import annotations

import base64

import sqlalchemy as sa

from notary.cases.models import Case
from notary.cases.rules import CaseStatus
from notary.core.audit import AuditEntry
from notary.core.permissions import Role
from notary.extensions import db
from tests.cases.samples import advance, pdf_bytes
from tests.factories import create_staff, register_case
from tests.fees.helpers import seed_example_tariff
from tests.test_permissions import approvals, case_awaiting_approval, status_of

PROBLEM = "application/problem+json"


def case_changes(case_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.target_type == "cases", AuditEntry.target_id == case_id)) or 0


def test_a_notary_cannot_change_or_step_another_notarys_case(app, client, token_for):
    handler, other = create_staff(Role.NOTARY), create_staff(Role.NOTARY)
    case = advance(register_case(create_staff(Role.FRONT_DESK)), CaseStatus.ACCEPTED,
                   notary=handler, director=create_staff(Role.DIRECTOR))
    before = case_changes(case.id)
    url = f"/api/v1/cases/{case.id}"
    etag = client.get(url, headers=token_for(handler)).headers["ETag"]

    changed = client.patch(url, json={"purpose": "探亲"},
                           headers=token_for(other) | {"If-Match": etag})
    assert changed.status_code == 403 and changed.mimetype == PROBLEM
    stepped = client.post(f"{url}/steps/start_review", json={}, headers=token_for(other))
    assert stepped.status_code == 403 and stepped.mimetype == PROBLEM
    assert status_of(case) is CaseStatus.ACCEPTED and case_changes(case.id) == before
    assert db.session.get(Case, case.id).purpose != "探亲"

    # The positive control: the handling notary's same requests go through.
    mine = token_for(handler)
    assert client.patch(url, json={"purpose": "探亲"},
                        headers=mine | {"If-Match": etag}).status_code == 200
    assert client.post(f"{url}/steps/start_review", json={}, headers=mine).status_code == 200
    assert status_of(case) is CaseStatus.UNDER_REVIEW


def test_the_handler_cannot_approve_their_own_case(app, client, token_for):
    case, handler = case_awaiting_approval(Role.DIRECTOR)
    response = client.post(f"/api/v1/cases/{case.id}/steps/approve", json={},
                           headers=token_for(handler))
    assert response.status_code == 403 and response.mimetype == PROBLEM
    assert status_of(case) is CaseStatus.AWAITING_APPROVAL and approvals(case) == 0
    approved = client.post(f"/api/v1/cases/{case.id}/steps/approve", json={},
                           headers=token_for(Role.DIRECTOR))
    assert approved.status_code == 200, approved.get_json()
    assert status_of(case) is CaseStatus.APPROVED


def test_whoever_asked_for_a_reduction_cannot_decide_it(app, client, token_for):
    seed_example_tariff()
    asker = create_staff(Role.DIRECTOR)
    case = advance(register_case(create_staff(Role.FRONT_DESK), matters=("declaration",)),
                   CaseStatus.ACCEPTED, notary=create_staff(Role.NOTARY), director=asker)
    notary_headers = token_for(case.handling_notary)
    items = client.get(f"/api/v1/cases/{case.id}/fee-items", headers=notary_headers).get_json()
    item = next(i for i in items if i["basis"] == "fixed" and i["unit_amount"])
    client.post(f"/api/v1/cases/{case.id}/charges", headers=notary_headers,
                json={"item_id": item["id"]})
    mine = token_for(asker)
    asked = client.post(f"/api/v1/cases/{case.id}/reductions", headers=mine, json={
        "kind": "waive", "ground": "minimum_living", "reason": "低保户",
        "evidence": {"filename": "低保证.pdf",
                     "content_base64": base64.b64encode(pdf_bytes()).decode()}})
    assert asked.status_code == 201, asked.get_json()
    url = f"/api/v1/cases/{case.id}/reductions/{asked.get_json()['id']}/decision"
    own = client.post(url, headers=mine, json={"approve": True})
    assert own.status_code == 403 and own.mimetype == PROBLEM
    reduction = client.get(f"/api/v1/cases/{case.id}/fees", headers=mine).get_json()
    assert reduction["balance"]["due"] != "0.00"
    decided = client.post(url, headers=token_for(Role.DIRECTOR), json={"approve": True})
    assert decided.status_code == 200 and decided.get_json()["status"] == "approved"
