"""Certificate pages through the client: the public verification page, drafts, templates."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from notary.cases.rules import CaseStatus
from notary.certificates import followup, services
from notary.certificates.models import ReviewOutcome, VerificationLookup, WordingTemplate
from notary.core.permissions import Role
from notary.extensions import db
from tests.cases.samples import advance
from tests.certificates.conftest import conclude_by_second_notary, inheritance_case
from tests.factories import register_case


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_qr_address_says_valid_then_revoked_without_signing_in(app, client, desk, notary,
                                                                   director) -> None:
    case = inheritance_case(desk, notary, director)
    cert = services.certificates_of(case.id)[0]
    url = services.verify_url(cert.verification_code).removeprefix("https://gz.leiyang.test")
    html = page(client, url)
    assert 'data-outcome="valid"' in html and cert.number in html
    assert "王*英" in html and "王秀英" not in html  # the name masked
    assert "湖南省耒阳市公证处" in html and "继承" in html
    assert "李明" not in html and "李德胜" not in html and "43048" not in html  # nothing else
    review = followup.record_review(cert, followup.ReviewData(
        "李明", False, cert.issued_on, cert.issued_on, "请求撤销"), actor=director)
    conclude_by_second_notary(review, ReviewOutcome.REVOKE, "不真实", "", director)
    followup.decide_review(review, ReviewOutcome.REVOKE, "不真实", "", actor=director)
    html = page(client, url)
    assert 'data-outcome="revoked"' in html and "自始无效" in html
    by_hand = page(client, f"/verify?n={cert.number}&c={cert.verification_code.lower()}")
    assert 'data-outcome="revoked"' in by_hand
    assert db.session.scalar(sa.select(sa.func.count(VerificationLookup.id))) == 3


def test_a_mistyped_code_gets_a_clear_answer_never_an_error_page(app, client) -> None:
    assert 'data-outcome="unknown"' in page(client, "/verify/XXXX-0000")
    assert 'data-outcome="unknown"' in page(client, "/verify?n=(2026)湘衡耒证字第9号&c=ABCD")
    assert 'data-outcome="incomplete"' in page(client, "/verify?n=&c=")
    assert 'data-outcome="unknown"' in page(client, "/verify/" + "9" * 300)
    html = page(client, "/verify")
    assert "data-outcome" not in html and 'name="c"' in html


def test_too_many_lookups_from_one_address_are_refused_politely(app, client) -> None:
    app.config["VERIFY_RATE_LIMIT"] = 2
    outcomes = []
    for _ in range(3):
        html = page(client, "/verify/ABCD-EFGH")
        outcomes.append(html.split('data-outcome="')[1].split('"')[0])
    assert outcomes == ["unknown", "unknown", "rate_limited"]


def test_the_public_page_sets_no_session_cookie(app, client) -> None:
    response = client.get("/verify/ABCD-EFGH")
    assert "Set-Cookie" not in response.headers or "session=" not in response.headers[
        "Set-Cookie"]


def test_the_notary_edits_a_draft_and_sees_errors_next_to_the_field(
        app, login_as, desk, director) -> None:
    client = login_as(Role.NOTARY)
    notary = client.user  # type: ignore[attr-defined]
    case = advance(register_case(desk, matters=("declaration",)), CaseStatus.UNDER_REVIEW,
                   notary=notary, director=director)
    response = client.post(f"/certificates/cases/{case.id}/drafts")
    assert response.status_code == 302
    cert = services.certificates_of(case.id)[0]
    response = client.post(f"/certificates/{cert.id}/edit", data={
        "applicant_block": cert.applicant_block, "matter_text": "声明", "body": "兹证明𰁁",
        "body_en": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "U+30041" in html
    response = client.post(f"/certificates/{cert.id}/edit", data={
        "applicant_block": cert.applicant_block, "matter_text": "声明",
        "body": "兹证明张三于二〇二六年来到我处。", "body_en": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert services.certificates_of(case.id)[0].body == "兹证明张三于二〇二六年来到我处。"
    preview = client.get(f"/certificates/{cert.id}/preview.pdf")
    assert preview.status_code == 200 and preview.data[:5] == b"%PDF-"


def test_the_administrator_saves_templates_only_when_they_are_safe(app, login_as) -> None:
    client = login_as(Role.ADMIN)
    assert "继承" in page(client, "/admin/wording/")
    response = client.post("/admin/wording/declaration", data={
        "matter_text": "声明", "body": "{{ ''.__class__.__mro__ }}", "body_en": ""})
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(WordingTemplate.id))) == 0
    response = client.post("/admin/wording/declaration", data={
        "matter_text": "声明", "body": "兹证明{{ applicant.name }}在前面的《声明书》上签名。",
        "body_en": "This is to certify that {{ applicant.name }} signed."})
    assert response.status_code == 302
    assert services.wording_for("declaration").body.startswith("兹证明{{ applicant.name }}")


def test_the_certificate_downloads_as_the_stored_bytes(app, login_as, desk, notary,
                                                      director) -> None:
    case = advance(register_case(desk, matters=("declaration",)), CaseStatus.ISSUED,
                   notary=notary, director=director)
    cert = services.certificates_of(case.id)[0]
    client = login_as(Role.FRONT_DESK)
    first = client.get(f"/certificates/{cert.id}/certificate.pdf")
    second = client.get(f"/certificates/{cert.id}/certificate.pdf")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data == services.stored_pdf(cert)
    html = page(client, f"/cases/{case.id}")
    assert cert.number in html and cert.verification_code in html


def test_a_template_that_would_run_away_is_refused_next_to_its_field(app, login_as) -> None:
    client = login_as(Role.ADMIN)
    response = client.post("/admin/wording/declaration", data={
        "matter_text": "声明", "body": "{{ 'x' * 4000000 }}", "body_en": ""})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "该模板无法使用：模板生成的文字或列表超过100000个字符或项" in html
    assert 'data-field-error="body"' in html
    assert db.session.scalar(sa.select(sa.func.count(WordingTemplate.id))) == 0
