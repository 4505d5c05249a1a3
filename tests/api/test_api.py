"""The JSON API: the issue's must-shows, tokens, errors, cursors, idempotency, ETags, limits."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa

from notary.api.models import ApiToken, IdempotentRequest
from notary.api.services import create_token, revoke_token
from notary.cases.models import Case
from notary.cases.rules import CaseStatus
from notary.core.audit import AuditEntry
from notary.core.models import office_today
from notary.core.permissions import Role
from notary.extensions import db
from notary.parties.models import Party
from tests.cases.samples import advance
from tests.factories import PASSWORD, create_staff, register_case, resident_id, tell_applicants
from tests.fees.helpers import seed_example_tariff

PROBLEM = "application/problem+json"


def party_json(name: str = "张三", **overrides: Any) -> dict[str, Any]:
    return {"kind": "person", "name": name, "document_type": "resident_id",
            "document_number": resident_id(), "sex": "male", "birth_date": "1980-05-17",
            **overrides}


def call(client: Any, api_path: Any, operation: str, headers: dict[str, str], *,
         json_body: Any = None, query: dict[str, Any] | None = None, **params: Any) -> Any:
    method, path = api_path(operation, **params)
    return client.open(path, method=method, headers=headers, json=json_body,
                       query_string=query)


# --- the must-shows -------------------------------------------------------------


def test_a_script_takes_a_case_from_party_to_statistics(app, client, token_for, api_path):
    """Register a party, open and accept a case, pay, issue, download the PDF, read the
    half-year statistics: every path taken from the OpenAPI document."""
    seed_example_tariff()
    db.session.commit()
    notary, director = token_for(Role.NOTARY), token_for(Role.DIRECTOR)

    party = call(client, api_path, "create_party", notary, json_body=party_json())
    assert party.status_code == 201, party.get_json()
    matters = call(client, api_path, "list_matters", notary).get_json()
    declaration = next(m["id"] for m in matters if m["code"] == "declaration")
    created = call(client, api_path, "create_case", notary, json_body={
        "matter_ids": [declaration], "category": "domestic_civil",
        "participants": [{"role": "applicant", "party_id": party.get_json()["id"]}]})
    assert created.status_code == 201, created.get_json()
    case_id = created.get_json()["id"]
    assert created.headers["Location"].endswith(f"/api/v1/cases/{case_id}")

    def step(action: str, token: dict[str, str], **body: Any) -> dict[str, Any]:
        response = call(client, api_path, "take_step", token, json_body=body,
                        case_id=case_id, action=action)
        assert response.status_code == 200, (action, response.get_json())
        return response.get_json()

    assert step("accept", notary, conditions_confirmed=True)["status"] == "accepted"
    step("start_review", notary)
    step("submit_for_approval", notary)
    items = call(client, api_path, "list_fee_items", notary, case_id=case_id).get_json()
    item = next(i for i in items if i["basis"] == "fixed" and i["unit_amount"])
    charge = call(client, api_path, "add_charge", notary, json_body={"item_id": item["id"]},
                  case_id=case_id)
    assert charge.status_code == 201, charge.get_json()
    due = call(client, api_path, "get_fees", notary, case_id=case_id).get_json()
    payment = call(client, api_path, "add_payment", notary, case_id=case_id, json_body={
        "amount": due["balance"]["due"], "method": "wechat", "payer": "张三"})
    assert payment.status_code == 201, payment.get_json()
    assert payment.get_json()["receipt_number"]
    # The 告知 is read and signed on paper, and recorded on the case page (no API step).
    case = db.session.get(Case, case_id)
    tell_applicants(case, case.handling_notary)
    assert step("approve", director)["status"] == "approved"
    issued = step("issue", notary)
    assert issued["status"] == "issued" and issued["certificate_number"]

    certificates = call(client, api_path, "list_certificates", notary,
                        case_id=case_id).get_json()
    assert [c["number"] for c in certificates] == [issued["certificate_number"]]
    pdf = call(client, api_path, "certificate_pdf", notary,
               certificate_id=certificates[0]["id"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    again = call(client, api_path, "get_certificate", notary,
                 certificate_id=certificates[0]["id"]).get_json()
    assert again["pdf_size"] == len(pdf.data)

    today = office_today()
    half = 1 if today.month <= 6 else 2
    stats = call(client, api_path, "statistics_report", director,
                 query={"year": today.year, "half": half})
    assert stats.status_code == 200, stats.get_json()
    printed = app.test_cli_runner().invoke(args=["stats", "report", "--year", str(today.year),
                                                 "--half", str(half), "--format", "json"])
    assert printed.exit_code == 0, printed.output
    assert stats.get_json() == json.loads(printed.output)
    # The same audit entries as the pages: every step of the case is on record.
    actions = set(db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.target_type == "cases", AuditEntry.target_id == case_id)))
    assert {"case.register", "case.accept", "case.approve", "case.issue",
            "fee.payment"} <= actions


def test_a_front_desk_token_cannot_approve(app, client, token_for, api_path):
    desk, notary, director = create_staff(Role.FRONT_DESK), create_staff(Role.NOTARY), \
        create_staff(Role.DIRECTOR)
    case = advance(register_case(desk, matters=("declaration",)),
                   CaseStatus.AWAITING_APPROVAL, notary=notary, director=director)
    response = call(client, api_path, "take_step", token_for(desk), json_body={},
                    case_id=case.id, action="approve")
    assert response.status_code == 403
    assert response.mimetype == PROBLEM
    assert response.get_json()["status"] == 403
    db.session.refresh(case)
    assert case.status is CaseStatus.AWAITING_APPROVAL


def test_a_revoked_token_gets_401(app, client, api_path):
    user = create_staff(Role.NOTARY)
    new = create_token(user, "nightly export", actor=user)
    headers = {"Authorization": f"Bearer {new.secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    revoke_token(new.token, actor=user)
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.mimetype == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    actions = list(db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.target_type == "api_tokens").order_by(AuditEntry.id)))
    assert actions == ["api_token.create", "api_token.revoke"]


def test_a_retried_post_with_the_same_key_returns_the_first_result(app, client, token_for):
    headers = token_for(Role.FRONT_DESK) | {"Idempotency-Key": "party-0001"}
    body = party_json("李四")
    first = client.post("/api/v1/parties", json=body, headers=headers)
    second = client.post("/api/v1/parties", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.get_json() == first.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.headers["Location"] == first.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(Party.id))) == 1
    other = client.post("/api/v1/parties", json=party_json("王五"), headers=headers)
    assert other.status_code == 422 and other.mimetype == PROBLEM
    assert db.session.scalar(sa.select(sa.func.count(Party.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(IdempotentRequest.id))) == 1


def test_a_retry_while_the_first_request_runs_is_told_to_wait(app, client, token_for):
    headers = token_for(Role.FRONT_DESK) | {"Idempotency-Key": "party-0002"}
    body = party_json("赵六")
    first = client.post("/api/v1/parties", json=body, headers=headers)
    # As if the first request were still running: its claim has no response yet.
    db.session.execute(sa.update(IdempotentRequest).values(status=0, body=None))
    db.session.commit()
    waiting = client.post("/api/v1/parties", json=body, headers=headers)
    assert waiting.status_code == 409 and waiting.mimetype == PROBLEM
    assert first.status_code == 201
    assert db.session.scalar(sa.select(sa.func.count(Party.id))) == 1


def test_a_failed_request_does_not_use_up_its_key(app, client, token_for):
    headers = token_for(Role.FRONT_DESK) | {"Idempotency-Key": "party-0003"}
    refused = client.post("/api/v1/parties", headers=headers,
                          json=party_json(document_number="430481198005171234"))
    assert refused.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(IdempotentRequest.id))) == 0
    fixed = client.post("/api/v1/parties", headers=headers, json=party_json())
    assert fixed.status_code == 201


# --- tokens --------------------------------------------------------------------------------


def test_a_browser_session_does_not_authenticate_api_calls(app, login_as):
    client = login_as(Role.DIRECTOR)
    assert client.get("/").status_code == 200  # signed in for the pages
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.mimetype == PROBLEM
    assert client.post("/api/v1/parties", json=party_json()).status_code == 401


def test_tokens_are_stored_hashed_and_act_with_their_users_role(app, client):
    user = create_staff(Role.ASSISTANT)
    new = create_token(user, "scanner", actor=user)
    stored = db.session.get(ApiToken, new.token.id)
    assert stored is not None and new.secret not in (stored.secret_hash, stored.prefix)
    assert new.secret.startswith(stored.prefix)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {new.secret}"})
    assert me.get_json()["role"] == "assistant" and me.get_json()["id"] == user.id
    db.session.refresh(stored)
    assert stored.last_used_at is not None


def test_wrong_missing_and_disabled_tokens_get_401(app, client):
    from notary.auth.services import set_user_enabled

    admin, user = create_staff(Role.ADMIN), create_staff(Role.NOTARY)
    new = create_token(user, "x", actor=user)
    for header in ({}, {"Authorization": "Bearer nt_nope"}, {"Authorization": "Basic abc"}):
        assert client.get("/api/v1/me", headers=header).status_code == 401
    set_user_enabled(user, False, actor=admin)
    assert client.get("/api/v1/me", headers={
        "Authorization": f"Bearer {new.secret}"}).status_code == 401


def test_someone_else_cannot_revoke_my_token_but_an_administrator_can(app):
    from notary.core.errors import NotPermitted

    owner, other, admin = (create_staff(Role.NOTARY), create_staff(Role.NOTARY),
                           create_staff(Role.ADMIN))
    new = create_token(owner, "x", actor=owner)
    try:
        revoke_token(new.token, actor=other)
        raise AssertionError("another notary revoked the token")
    except NotPermitted:
        pass
    assert revoke_token(new.token, actor=admin).revoked_at is not None


def test_nobody_creates_a_token_for_someone_else(app):
    from notary.core.errors import NotPermitted

    director, admin = create_staff(Role.DIRECTOR), create_staff(Role.ADMIN)
    for actor in (admin, create_staff(Role.DIRECTOR), None):
        with pytest.raises(NotPermitted):
            create_token(director, "x", actor=actor)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_the_command_line_creates_lists_and_revokes_tokens(app, client):
    user = create_staff(Role.NOTARY)
    runner = app.test_cli_runner()
    # The user's own password, asked for (not echoed): whoever runs the server cannot mint a
    # token for someone else.
    wrong = runner.invoke(args=["users", "token", "create", user.username, "--name", "etl"],
                          input="Wrong-Horse-42\n")
    assert wrong.exit_code == 1 and db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0
    created = runner.invoke(args=["users", "token", "create", user.username, "--name", "etl"],
                            input=f"{PASSWORD}\n")
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert client.get("/api/v1/me", headers={
        "Authorization": f"Bearer {secret}"}).status_code == 200
    listed = runner.invoke(args=["users", "token", "list", user.username])
    assert "etl" in listed.output and secret not in listed.output
    token_id = listed.output.split("\t")[0]
    assert runner.invoke(args=["users", "token", "revoke", token_id]).exit_code == 0
    assert client.get("/api/v1/me", headers={
        "Authorization": f"Bearer {secret}"}).status_code == 401


# --- errors ----------------------------------------------------------------------------------


def test_validation_errors_are_problems_with_a_field_list(app, client, token_for):
    headers = token_for(Role.FRONT_DESK)
    bad_number = client.post("/api/v1/parties", headers=headers,
                             json=party_json(document_number="430481198005171234"))
    assert bad_number.status_code == 422 and bad_number.mimetype == PROBLEM
    assert "document_number" in {e["field"] for e in bad_number.get_json()["errors"]}
    missing = client.post("/api/v1/parties", headers=headers, json={"kind": "robot"})
    fields = {e["field"] for e in missing.get_json()["errors"]}
    assert {"kind", "name", "document_type", "document_number"} <= fields
    not_json = client.post("/api/v1/parties", headers=headers, data="name=x",
                           content_type="application/x-www-form-urlencoded")
    assert not_json.status_code == 415 and not_json.mimetype == PROBLEM


def test_errors_inside_the_api_are_never_pages(app, client, token_for):
    headers = token_for(Role.NOTARY)
    for method, path, code in (("GET", "/api/v1/nothing-here", 404),
                               ("DELETE", "/api/v1/parties", 405),
                               ("GET", "/api/v1/parties/99999", 404),
                               ("GET", "/api/v1/cases?cursor=garbage", 400)):
        response = client.open(path, method=method, headers=headers)
        assert response.status_code == code, path
        assert response.mimetype == PROBLEM and b"<html" not in response.data


# --- cursors, ETags, rate limits -----------------------------------------------------------


def test_cursor_pages_are_stable_under_concurrent_inserts(app, client, token_for):
    headers = token_for(Role.FRONT_DESK)
    created = [client.post("/api/v1/parties", json=party_json(f"甲{i}"), headers=headers)
               .get_json()["id"] for i in range(5)]
    first = client.get("/api/v1/parties?limit=2", headers=headers).get_json()
    client.post("/api/v1/parties", json=party_json("新来的"), headers=headers)
    seen = [p["id"] for p in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = client.get(f"/api/v1/parties?limit=2&cursor={cursor}", headers=headers).get_json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
    assert seen == sorted(created, reverse=True)


def test_case_lists_paginate_by_application_time(app, client, token_for):
    desk = create_staff(Role.FRONT_DESK)
    cases = [register_case(desk).id for _ in range(3)]
    headers = token_for(desk)
    first = client.get("/api/v1/cases?limit=2", headers=headers).get_json()
    register_case(desk)
    second = client.get(f"/api/v1/cases?limit=2&cursor={first['next_cursor']}",
                        headers=headers).get_json()
    assert [c["id"] for c in first["items"] + second["items"]] == sorted(cases, reverse=True)
    assert second["next_cursor"] is None


def test_a_stale_if_match_gets_412_and_changes_nothing(app, client, token_for):
    headers = token_for(Role.FRONT_DESK)
    party = client.post("/api/v1/parties", json=party_json(), headers=headers)
    url, etag = party.headers["Location"], party.headers["ETag"]
    changed = client.patch(url, json={"phone": "13800000001"},
                           headers=headers | {"If-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    stale = client.patch(url, json={"phone": "13900000002"},
                         headers=headers | {"If-Match": etag})
    assert stale.status_code == 412 and stale.mimetype == PROBLEM
    missing = client.patch(url, json={"phone": "13900000002"}, headers=headers)
    assert missing.status_code == 428
    assert client.get(url, headers=headers).get_json()["phone"] == "138****0001"


def test_a_case_update_needs_the_current_version(app, client, token_for):
    desk = create_staff(Role.FRONT_DESK)
    case = register_case(desk)
    headers = token_for(desk)
    read = client.get(f"/api/v1/cases/{case.id}", headers=headers)
    ok = client.patch(f"/api/v1/cases/{case.id}", json={"purpose": "出国留学"},
                      headers=headers | {"If-Match": read.headers["ETag"]})
    assert ok.status_code == 200 and ok.get_json()["purpose"] == "出国留学"
    stale = client.patch(f"/api/v1/cases/{case.id}", json={"purpose": "探亲"},
                         headers=headers | {"If-Match": read.headers["ETag"]})
    assert stale.status_code == 412
    db.session.refresh(case)
    assert case.purpose == "出国留学"


def test_requests_are_limited_per_token_with_the_standard_headers(app, client, token_for):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    headers, other = token_for(Role.NOTARY), token_for(Role.NOTARY)
    first = client.get("/api/v1/me", headers=headers)
    assert first.headers["X-RateLimit-Limit"] == "2"
    assert first.headers["X-RateLimit-Remaining"] == "1"
    client.get("/api/v1/me", headers=headers)
    refused = client.get("/api/v1/me", headers=headers)
    assert refused.status_code == 429 and refused.mimetype == PROBLEM
    assert 0 < int(refused.headers["Retry-After"]) <= 61
    assert refused.headers.getlist("Retry-After") == [refused.headers["Retry-After"]]
    assert client.get("/api/v1/me", headers=other).status_code == 200


# --- the document and its page ---------------------------------------------------------------


def test_the_openapi_document_is_3_1_and_covers_every_endpoint(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    operations = {op["operationId"] for ops in spec["paths"].values() for op in ops.values()}
    endpoints = {r.endpoint.split(".", 1)[1] for r in app.url_map.iter_rules()
                 if r.endpoint.startswith("api.")} - {"openapi", "docs"}
    assert operations == endpoints
    for ops in spec["paths"].values():
        for op in ops.values():
            assert op["summary"] and op["responses"]
            assert "429" in op["responses"]


def test_the_documentation_page_uses_vendored_assets_and_no_inline_script(app, client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "://" not in html and "<script>" not in html  # nothing from a CDN, nothing inline
    assert "script-src 'self';" in page.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in client.get("/login").headers["Content-Security-Policy"]
    asset = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    asset.close()
    assert asset.status_code == 200


def test_public_verification_needs_no_token(app, client):
    from notary.certificates.models import VerificationLookup

    response = client.get("/api/v1/verification?code=ABCD-EFGH")
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "unknown"
    # Logged like the page's lookups, and counted against the same per-address limit.
    assert db.session.scalar(sa.select(sa.func.count(VerificationLookup.id))) == 1


def test_full_numbers_only_through_a_logged_reveal(app, client, token_for, monkeypatch):
    from notary.core.audit import AuditEntry
    from notary.core.permissions import ROLE_PERMISSIONS, Permission

    headers = token_for(Role.FRONT_DESK)
    number = resident_id()
    created = client.post("/api/v1/parties", headers=headers,
                          json=party_json(document_number=number, phone="13812345678"))
    party_id = created.get_json()["id"]
    assert created.get_json()["document_number"] != number
    shown = client.get(created.headers["Location"], headers=headers).get_json()
    assert shown["document_number"] != number and "*" in shown["document_number"]
    assert shown["phone"] == "138****5678"
    listed = client.get("/api/v1/parties", headers=headers).get_json()["items"]
    assert number not in str(listed) and "13812345678" not in str(listed)

    revealed = client.post(f"/api/v1/parties/{party_id}/reveal", headers=headers)
    assert revealed.status_code == 200
    assert revealed.get_json()["document_number"] == number
    assert revealed.get_json()["phone"] == "13812345678"
    reveals = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "party.reveal", AuditEntry.target_id == party_id)).all()
    assert len(reveals) == 1 and reveals[0].reason == "API"

    monkeypatch.setitem(ROLE_PERMISSIONS, Role.FRONT_DESK, ROLE_PERMISSIONS[Role.FRONT_DESK]
                        - {Permission.PERSONAL_DATA_VIEW})
    refused = client.post(f"/api/v1/parties/{party_id}/reveal", headers=headers)
    assert refused.status_code == 403 and refused.mimetype == PROBLEM



def test_a_stored_template_that_would_run_away_answers_422(app, client, token_for, api_path):
    from notary.certificates.models import WordingTemplate

    db.session.add(WordingTemplate(matter_code="declaration", matter_text="声明",
                                   body="{% for a in 'x' * 1000 %}{% for b in 'x' * 1000 %}"
                                        "{% endfor %}{% endfor %}", body_en=""))
    db.session.commit()
    notary, director = create_staff(Role.NOTARY), create_staff(Role.DIRECTOR)
    case = advance(register_case(create_staff(Role.FRONT_DESK), matters=("declaration",)),
                   CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    response = call(client, api_path, "prepare_drafts", token_for(notary), case_id=case.id)
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
