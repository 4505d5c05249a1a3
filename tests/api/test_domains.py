"""The other capabilities over JSON: consultations, investigations, inheritance, legal aid,
fee reductions. Each goes through the domain's own service (same rules, same audit)."""

from __future__ import annotations

import base64

import sqlalchemy as sa

from notary.cases.rules import CaseStatus
from notary.core.audit import AuditEntry
from notary.core.permissions import Role
from notary.extensions import db
from tests.cases.samples import advance, pdf_bytes
from tests.factories import create_staff, register_case
from tests.fees.helpers import seed_example_tariff


def test_consultations_are_logged_searched_and_lead_to_an_application(app, client, token_for):
    desk = create_staff(Role.FRONT_DESK)
    headers = token_for(desk)
    logged = client.post("/api/v1/consultations", headers=headers, json={
        "channel": "phone", "topic": "继承公证需要哪些材料", "name": "段文江",
        "phone": "13812345678"})
    assert logged.status_code == 201, logged.get_json()
    found = client.get("/api/v1/consultations?q=段文江", headers=headers).get_json()
    assert [c["id"] for c in found["items"]] == [logged.get_json()["id"]]
    assert found["items"][0]["phone"] == "138****5678"
    bad = client.post("/api/v1/consultations", headers=headers, json={
        "channel": "phone", "topic": "x", "matter_type_id": 999999})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.get_json()["errors"]} == {"matter_type_id"}
    matters = client.get("/api/v1/matters", headers=headers).get_json()
    declaration = next(m["id"] for m in matters if m["code"] == "declaration")
    started = client.post(f"/api/v1/consultations/{logged.get_json()['id']}/application",
                          headers=headers, json={
                              "matter_ids": [declaration], "category": "domestic_civil",
                              "participants": [{"role": "applicant", "party": {
                                  "kind": "person", "name": "段文江",
                                  "document_type": "resident_id",
                                  "document_number": "43048119800517121X"}}]})
    assert started.status_code == 201, started.get_json()
    again = client.get(f"/api/v1/consultations/{logged.get_json()['id']}", headers=headers)
    assert again.get_json()["case_id"] == started.get_json()["id"]
    assert again.get_json()["outcome"] == "application"


def test_an_investigation_pauses_and_resumes_the_review(app, client, token_for):
    desk, notary, director = (create_staff(Role.FRONT_DESK), create_staff(Role.NOTARY),
                              create_staff(Role.DIRECTOR))
    case = advance(register_case(desk), CaseStatus.UNDER_REVIEW, notary=notary,
                   director=director)
    headers = token_for(notary)
    task = client.post(f"/api/v1/cases/{case.id}/investigations", headers=headers, json={
        "method": "phone", "purpose": "核实工作单位", "staff_ids": [notary.id]})
    assert task.status_code == 201, task.get_json()
    assert client.get(f"/api/v1/cases/{case.id}", headers=headers).get_json()["status"] \
        == "verifying"
    task_id = task.get_json()["id"]
    record = client.post(f"/api/v1/investigations/{task_id}/records", headers=headers, json={
        "place": "办公室", "started_at": "2026-11-30T02:00:00Z", "recorder_id": notary.id,
        "persons": [{"role": "questioned", "name": "人事处王科长"}],
        "questions": [{"question": "申请人是否在贵单位工作？", "answer": "是。"}]})
    assert record.status_code == 201, record.get_json()
    closed = client.post(f"/api/v1/investigations/{task_id}/close", headers=headers,
                         json={"outcome": "属实"})
    assert closed.status_code == 200 and closed.get_json()["status"] == "done"
    assert client.get(f"/api/v1/cases/{case.id}", headers=headers).get_json()["status"] \
        == "under_review"
    listed = client.get(f"/api/v1/cases/{case.id}/investigations", headers=headers).get_json()
    assert [len(t["records"]) for t in listed] == [1]


def test_the_heir_determination_follows_the_recorded_family(app, client, token_for):
    desk, notary, director = (create_staff(Role.FRONT_DESK), create_staff(Role.NOTARY),
                              create_staff(Role.DIRECTOR))
    case = advance(register_case(desk, matters=("inheritance",)), CaseStatus.UNDER_REVIEW,
                   notary=notary, director=director)
    headers = token_for(notary)
    base = f"/api/v1/cases/{case.id}/inheritance"
    assert client.get(f"{base}/determination", headers=headers).status_code == 404
    decedent = client.put(f"{base}/decedent", headers=headers, json={
        "name": "李德胜", "death_date": "2024-03-01", "death_proof": "medical"})
    assert decedent.status_code == 200, decedent.get_json()
    for name, relation in (("王秀英", "spouse"), ("李明", "child"), ("李华", "child")):
        added = client.post(f"{base}/members", headers=headers,
                            json={"name": name, "relation": relation})
        assert added.status_code == 201, added.get_json()
    asset = client.post(f"{base}/assets", headers=headers, json={
        "kind": "deposit", "description": "银行存款", "value": "300000.00"})
    assert asset.status_code == 201, asset.get_json()
    result = client.get(f"{base}/determination", headers=headers).get_json()
    heirs = {p["name"]: p["share"] for p in result["people"] if p["outcome"] == "heir"}
    assert heirs == {"王秀英": "1/3", "李明": "1/3", "李华": "1/3"}
    assert len(client.get(f"{base}/members", headers=headers).get_json()) == 3


def test_legal_aid_given_first_is_confirmed_with_the_agency_letter(app, client, token_for):
    seed_example_tariff()
    desk, notary, director = (create_staff(Role.FRONT_DESK), create_staff(Role.NOTARY),
                              create_staff(Role.DIRECTOR))
    case = advance(register_case(desk), CaseStatus.ACCEPTED, notary=notary, director=director)
    headers = token_for(notary)
    recipient = case.active_participants[0].party_id
    aid = client.post(f"/api/v1/cases/{case.id}/legal-aid", headers=headers, json={
        "recipient_id": recipient, "eligibility": "social_assistance", "route": "emergency",
        "emergency_reason": "当事人病重"})
    assert aid.status_code == 201, aid.get_json()
    assert aid.get_json()["confirmed_at"] is None
    letter = {"filename": "decision.pdf",
              "content_base64": base64.b64encode(pdf_bytes()).decode()}
    confirmed = client.post(f"/api/v1/legal-aid/{aid.get_json()['id']}/confirmation",
                            headers=headers, json={"decision_number": "耒法援〔2026〕1号",
                                                   "decision_date": "2026-01-05",
                                                   "decision_scan": letter})
    assert confirmed.status_code == 200, confirmed.get_json()
    assert confirmed.get_json()["confirmed_at"] is not None
    not_a_pdf = client.post(f"/api/v1/legal-aid/{aid.get_json()['id']}/confirmation",
                            headers=headers, json={"decision_number": "x",
                                                   "decision_date": "2026-01-05",
                                                   "decision_scan": {"filename": "a.pdf",
                                                                     "content_base64": "!!"}})
    assert not_a_pdf.status_code == 422


def test_a_reduction_is_decided_by_a_director_who_did_not_ask(app, client, token_for):
    seed_example_tariff()
    desk, notary, director = (create_staff(Role.FRONT_DESK), create_staff(Role.NOTARY),
                              create_staff(Role.DIRECTOR))
    case = advance(register_case(desk, matters=("declaration",)), CaseStatus.ACCEPTED,
                   notary=notary, director=director)
    notary_headers = token_for(notary)
    items = client.get(f"/api/v1/cases/{case.id}/fee-items", headers=notary_headers).get_json()
    item = next(i for i in items if i["basis"] == "fixed" and i["unit_amount"])
    charge = client.post(f"/api/v1/cases/{case.id}/charges", headers=notary_headers,
                         json={"item_id": item["id"]}).get_json()
    adjusted = client.post(f"/api/v1/cases/{case.id}/charges/{charge['id']}/adjustment",
                           headers=notary_headers, json={"amount": "10.00", "reason": "协商"})
    assert adjusted.status_code == 200 and adjusted.get_json()["amount"] == "10.00"
    assert client.post(f"/api/v1/cases/{case.id}/charges/{charge['id']}/adjustment",
                       headers=token_for(desk), json={"amount": "5.00", "reason": "x"}
                       ).status_code == 403
    asked = client.post(f"/api/v1/cases/{case.id}/reductions", headers=notary_headers, json={
        "kind": "waive", "ground": "minimum_living", "reason": "低保户",
        "evidence": {"filename": "低保证.pdf",
                     "content_base64": base64.b64encode(pdf_bytes()).decode()}})
    assert asked.status_code == 201, asked.get_json()
    url = f"/api/v1/cases/{case.id}/reductions/{asked.get_json()['id']}/decision"
    assert client.post(url, headers=notary_headers, json={"approve": True}).status_code == 403
    decided = client.post(url, headers=token_for(director), json={"approve": True})
    assert decided.status_code == 200 and decided.get_json()["status"] == "approved"
    fees = client.get(f"/api/v1/cases/{case.id}/fees", headers=notary_headers).get_json()
    assert fees["balance"]["due"] == "0.00"
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action.like("fee.%"))) >= 3
