"""Every route, requested as anonymous and as each role, answers as the permission table says.

The table below is written by hand on purpose: a new route without an entry fails
`test_every_route_is_in_the_table`, so whoever adds it has to decide who may use it. The table
is also checked against the decorators (`required_permissions`) and ROLE_PERMISSIONS.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import Rule

from notary.cases import services as case_services
from notary.cases.models import Case, CaseEvent
from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import StepData, perform
from notary.core.audit import AuditEntry
from notary.core.errors import NotPermitted
from notary.core.permissions import ROLE_PERMISSIONS, Role
from notary.extensions import db
from tests.factories import create_staff, matter, register_case, tell_applicants
from tests.fees.helpers import fee_records

PUBLIC = "public"
FD, AS, NO, DI, AD = Role.FRONT_DESK, Role.ASSISTANT, Role.NOTARY, Role.DIRECTOR, Role.ADMIN
EVERY_ROLE = frozenset(Role)
CASE_WORK = frozenset({FD, AS, NO, DI})

# endpoint -> the roles allowed in (PUBLIC: no sign-in needed).
EXPECTED: dict[str, frozenset[Role] | str] = {
    "static": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": EVERY_ROLE,
    "auth.profile": EVERY_ROLE,
    "auth.set_language": EVERY_ROLE,
    "home.index": EVERY_ROLE,
    "users.index": frozenset({AD}),
    "users.create": frozenset({AD}),
    "users.edit": frozenset({AD}),
    "users.toggle_enabled": frozenset({AD}),
    "users.practice": frozenset({AD}),
    "users.sign_out_everywhere": frozenset({AD}),
    "parties.index": CASE_WORK,
    "parties.create": CASE_WORK,
    "parties.detail": CASE_WORK,
    "parties.edit": CASE_WORK,
    "parties.reveal": CASE_WORK,  # every case-work role may see full numbers, each time logged
    "parties.export_data": frozenset({NO, DI}),
    "cases.index": CASE_WORK,
    "cases.create": CASE_WORK,
    "cases.detail": CASE_WORK,
    "cases.edit": CASE_WORK,
    "cases.step": CASE_WORK,  # the step itself is checked per action (see the must-shows)
    "cases.assign": frozenset({DI}),
    "cases.add_participant": CASE_WORK,
    "cases.remove_participant": CASE_WORK,
    "cases.upload_material": CASE_WORK,
    "cases.download_material": CASE_WORK,
    "cases.register": frozenset({AS, NO, DI}),
    "cases.register_pdf": frozenset({AS, NO, DI}),
    "cases.export_csv": frozenset({AS, NO, DI}),
    "cases.export_xlsx": frozenset({AS, NO, DI}),
    "matters.matters": frozenset({AD}),
    "matters.matter_form": frozenset({AD}),
    "cases.archive_file": frozenset({AS, NO, DI}),
    "deadlines.queues": CASE_WORK,
    "deadlines.pause": frozenset({AS, NO, DI}),
    "deadlines.resume": frozenset({AS, NO, DI}),
    "deadlines.expedite": frozenset({DI}),
    "deadlines.request_recusal": CASE_WORK,
    "deadlines.decide_recusal": frozenset({DI}),
    "deadlines.staff_relations": frozenset({AD}),
    "deadlines.toggle_staff_relation": frozenset({AD}),
    "calendar.index": frozenset({AD}),
    "calendar.remove": frozenset({AD}),
    "calendar.year_complete": frozenset({AD}),
    "fees.add_charge": CASE_WORK,
    "fees.adjust_charge": frozenset({NO, DI}),
    "fees.add_payment": CASE_WORK,
    "fees.record_bill": CASE_WORK,
    "fees.payments": CASE_WORK,
    "fees.no_charge": frozenset({NO, DI}),
    "fees.receipt": CASE_WORK,
    "fees.statement": CASE_WORK,
    "fees.add_refund": CASE_WORK,
    "fees.request_reduction": CASE_WORK,
    "fees.decide_reduction": frozenset({DI}),
    "fees.attachment": CASE_WORK,
    "fees.pending": frozenset({DI}),
    "fees.totals": frozenset({AS, NO, DI}),
    "tariffs.index": frozenset({AD}),
    "tariffs.schedule_form": frozenset({AD}),
    "tariffs.schedule": frozenset({AD}),
    "tariffs.item_form": frozenset({AD}),
    "tariffs.minimums": frozenset({AD}),
    "legal_aid.index": frozenset({AS, NO, DI}),
    "legal_aid.create": frozenset({AS, NO, DI}),
    "legal_aid.confirm": frozenset({AS, NO, DI}),
    "legal_aid.filing": frozenset({AS, NO, DI}),
    "legal_aid.filing_pdf": frozenset({AS, NO, DI}),
    "legal_aid.filing_xlsx": frozenset({AS, NO, DI}),
    "investigations.upcoming": frozenset({AS, NO, DI}),
    "investigations.create": frozenset({AS, NO, DI}),
    "investigations.detail": CASE_WORK,
    "investigations.close": frozenset({AS, NO, DI}),
    "investigations.add_record": frozenset({AS, NO, DI}),
    "investigations.record_pdf": CASE_WORK,
    "investigations.upload": frozenset({AS, NO, DI}),
    "investigations.download": CASE_WORK,
    "inheritance.decedent": frozenset({AS, NO, DI}),
    "inheritance.member": frozenset({AS, NO, DI}),
    "inheritance.remove_member": frozenset({AS, NO, DI}),
    "inheritance.add_asset": frozenset({AS, NO, DI}),
    "inheritance.remove_asset": frozenset({AS, NO, DI}),
    "inheritance.add_disposition": frozenset({AS, NO, DI}),
    "inheritance.remove_disposition": frozenset({AS, NO, DI}),
    "inheritance.notice": frozenset({AS, NO, DI}),
    "inheritance.checklist": frozenset({AS, NO, DI}),
    "inheritance.override": frozenset({DI}),
    "inheritance.division": frozenset({AS, NO, DI}),
    "consultations.index": CASE_WORK,
    "consultations.search": CASE_WORK,
    "consultations.start_application": CASE_WORK,
    "consultations.correct": CASE_WORK,
    "consultations.void": CASE_WORK,
    "lookup.lookup": PUBLIC,
    "statistics.index": frozenset({NO, DI}),
    "statistics.export_csv": frozenset({NO, DI}),
    "statistics.export_xlsx": frozenset({NO, DI}),
    "statistics.export_pdf": frozenset({NO, DI}),
    "statistics.submit": frozenset({DI}),
    "ledger.index": frozenset({DI, AD}),
    "ledger.template": frozenset({DI, AD}),
    "certificates.prepare": frozenset({AS, NO, DI}),
    "certificates.edit": frozenset({AS, NO, DI}),
    "certificates.preview": CASE_WORK,
    "certificates.download": CASE_WORK,
    "certificates.review": frozenset({DI}),
    "certificates.decide": frozenset({DI}),
    "certificates.reported": frozenset({DI}),
    "certificates.delivery": frozenset({AS, NO, DI}),
    "certificates.receipt": CASE_WORK,
    "certificates.foreign_use": frozenset({AS, NO, DI}),
    "certificates.retention": frozenset({AS, NO, DI}),
    "certificates.catalogue": CASE_WORK,
    "certificates.follow_up": frozenset({AS, NO, DI}),
    "certificates.assign_reviewer": frozenset({DI}),
    "certificates.carry_out": frozenset({DI}),
    "certificates.conclude": frozenset({NO, DI}),  # the assigned reviewer, checked inside
    "certificates.pause": frozenset({NO, DI}),
    "certificates.resume": frozenset({NO, DI}),
    # The case file: object rules (the case's workers, a confidential will) inside.
    "casefile.notice": frozenset({AS, NO, DI}),
    "casefile.notice_pdf": CASE_WORK,
    "casefile.application_pdf": CASE_WORK,
    "casefile.receipt_pdf": CASE_WORK,
    "casefile.acceptance_notice_pdf": CASE_WORK,
    "casefile.add_note": CASE_WORK,
    "casefile.second_volume_pdf": CASE_WORK,
    "casefile.catalogue": CASE_WORK,
    "casefile.testator": frozenset({AS, NO, DI}),
    "casefile.recording": frozenset({AS, NO, DI}),
    "casefile.recording_file": CASE_WORK,
    "casefile.death": CASE_WORK,
    "complaints.index": CASE_WORK,
    "complaints.create": CASE_WORK,
    "complaints.detail": CASE_WORK,
    "wording.index": frozenset({AD}),
    "wording.template_form": frozenset({AD}),
    "documents.index": frozenset({AD}),
    "documents.move_address": frozenset({AD}),
    "documents.record_reading": frozenset({AD}),
    # The public verification page: the only page besides sign-in without an account.
    "verify.lookup": PUBLIC,
    "verify.by_code": PUBLIC,
    # --- the JSON API (/api/v1): requested with a bearer token per role, never a session ---
    "api_tokens.create": EVERY_ROLE,  # one's own token; revoking another's is refused inside
    "api_tokens.revoke": EVERY_ROLE,
    "api.openapi": PUBLIC,
    "api.docs": PUBLIC,
    "api.verify_certificate": PUBLIC,
    "api.me": EVERY_ROLE,
    "api.list_matters": CASE_WORK,
    "api.list_parties": CASE_WORK,
    "api.create_party": CASE_WORK,
    "api.get_party": CASE_WORK,
    "api.update_party": CASE_WORK,
    "api.reveal_party": CASE_WORK,
    "api.list_cases": CASE_WORK,
    "api.create_case": CASE_WORK,
    "api.get_case": CASE_WORK,
    "api.update_case": CASE_WORK,
    "api.take_step": CASE_WORK,  # each action is checked by the procedure, as on the page
    "api.get_fees": CASE_WORK,
    "api.list_fee_items": CASE_WORK,
    "api.add_charge": CASE_WORK,
    "api.add_payment": CASE_WORK,
    "api.put_bill": CASE_WORK,
    "api.record_no_charge": frozenset({NO, DI}),
    "api.adjust_charge": frozenset({NO, DI}),
    "api.request_reduction": CASE_WORK,
    "api.decide_reduction": frozenset({DI}),
    "api.list_certificates": CASE_WORK,
    "api.prepare_drafts": frozenset({AS, NO, DI}),
    "api.get_certificate": CASE_WORK,
    "api.certificate_pdf": CASE_WORK,
    "api.statistics_report": frozenset({NO, DI}),
    "api.list_consultations": CASE_WORK,
    "api.create_consultation": CASE_WORK,
    "api.get_consultation": CASE_WORK,
    "api.start_application": CASE_WORK,
    "api.list_investigations": CASE_WORK,
    "api.create_investigation": frozenset({AS, NO, DI}),
    "api.get_investigation": CASE_WORK,
    "api.add_record": frozenset({AS, NO, DI}),
    "api.close_investigation": frozenset({AS, NO, DI}),
    "api.save_decedent": frozenset({AS, NO, DI}),
    "api.list_members": CASE_WORK,
    "api.add_member": frozenset({AS, NO, DI}),
    "api.list_assets": CASE_WORK,
    "api.add_asset": frozenset({AS, NO, DI}),
    "api.heir_determination": CASE_WORK,
    "api.get_legal_aid": CASE_WORK,
    "api.record_legal_aid": frozenset({AS, NO, DI}),
    "api.confirm_legal_aid": frozenset({AS, NO, DI}),
}

# A complete, tiny PNG: signature, IHDR (1x1 greyscale), IDAT, IEND.
PNG = (b"\x89PNG\r\n\x1a\n"
       b"\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
       b"\x00\x00\x00\nIDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def rules(app: Flask) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def roles_from_decorators(app: Flask, endpoint: str) -> frozenset[Role] | str:
    """Who the view's decorator lets in, according to ROLE_PERMISSIONS."""
    view = app.view_functions[endpoint]
    if endpoint == "static" or getattr(view, "is_public", False):
        return PUBLIC
    required = view.required_permissions  # AttributeError: the view has no guard at all
    return frozenset(r for r in Role if set(required) <= ROLE_PERMISSIONS[r])


# --- the table ------------------------------------------------------------------------------


def test_every_route_is_in_the_table(app):
    assert set(EXPECTED) == {r.endpoint for r in app.url_map.iter_rules()}


def test_every_view_is_guarded(app):
    unguarded = [e for e, view in app.view_functions.items() if e != "static"
                 and not getattr(view, "is_public", False)
                 and not hasattr(view, "required_permissions")]
    assert unguarded == []


def test_table_agrees_with_decorators_and_role_permissions(app):
    derived = {e: roles_from_decorators(app, e) for e in app.view_functions}
    disagreements = {e: (EXPECTED.get(e), derived[e]) for e in derived
                     if EXPECTED.get(e) != derived[e]}
    assert disagreements == {}


# --- walking every route --------------------------------------------------------------------


def make_records() -> dict[str, Any]:
    """One of each record a route can point at; returns the path parameters."""
    desk = create_staff(FD)
    case = register_case(desk, matters=("inheritance",))
    material = case_services.add_material(case, "身份证复印件", "id.png", io.BytesIO(PNG),
                                          actor=desk)
    participant = case.active_participants[0]
    deadlines = make_deadline_records(case)
    fees = fee_records(case, desk, case.handling_notary)
    inheritance = make_inheritance_records(case)
    consultation = make_consultation(desk)
    certificates = make_certificate_records(desk)
    return {
        "consultation_id": consultation.id,
        **certificates,
        **deadlines,
        **fees,
        **inheritance,
        "case_id": case.id,
        "participant_id": participant.id,
        "party_id": participant.party_id,
        "material_id": material.id,
        "user_id": create_staff(NO).id,
        "matter_id": matter("inheritance").id,
        "action": Action.ACCEPT.value,
        "token_id": make_token(desk).id,
        "complaint_id": make_complaint(desk).id,
    }


def make_complaint(desk: Any) -> Any:
    """A complaint registered by the front desk."""
    from notary.complaints.models import ComplaintChannel
    from notary.complaints.services import ComplaintData, register_complaint
    from notary.core.models import office_today

    return register_complaint(ComplaintData(office_today(), ComplaintChannel.PHONE, "赵六", None,
                                            None, "等候时间过长", None, None, None, None),
                              actor=desk)


def make_token(user: Any) -> Any:
    """An API token of the front desk."""
    from notary.api.services import create_token

    return create_token(user, "walk", actor=user).token


def make_consultation(desk: Any) -> Any:
    """A phone consultation logged by the front desk."""
    from notary.consultations.models import Channel
    from notary.consultations.services import ConsultationData, log_consultation

    return log_consultation(ConsultationData(Channel.PHONE, 1, "继承公证需要哪些材料",
                                             name="段文江", phone="13812345678"), actor=desk)


def make_certificate_records(desk: Any) -> dict[str, Any]:
    """A delivered case with its issued certificate and a review application."""
    from datetime import date, timedelta

    from notary.certificates import followup
    from notary.certificates.services import certificates_of
    from tests.cases.samples import advance

    director = create_staff(DI)
    case = advance(register_case(desk, matters=("declaration",)), CaseStatus.DELIVERED,
                   notary=create_staff(NO), director=director)
    cert = certificates_of(case.id)[0]
    review = followup.record_review(cert, followup.ReviewData(
        "张三", True, cert.issued_on, cert.issued_on, "姓名有误"), actor=director)
    assert cert.issued_on is not None and cert.issued_on <= date.today() + timedelta(days=1)
    return {"certificate_id": cert.id, "review_id": review.id,
            "certificates:case_id": case.id, "wording:code": "inheritance",
            "verify:code": "ABCD-EFGH"}


def make_deadline_records(case: Case) -> dict[str, Any]:
    """An accepted case with a force-majeure pause and a recusal request, a recorded
    relative, and a calendar correction."""
    from datetime import date

    from notary.deadlines import services as deadlines
    from notary.deadlines.models import PauseKind, Relation
    from notary.parties.rules import DocumentType
    from tests.factories import resident_id

    notary, admin = create_staff(NO), create_staff(AD)
    perform(case, Action.ACCEPT, StepData(conditions_confirmed=True, notary_id=notary.id),
            actor=notary)
    perform(case, Action.START_REVIEW, StepData(), actor=notary)
    pause = deadlines.pause_clock(case, PauseKind.FORCE_MAJEURE, "洪水", actor=notary)
    recusal = deadlines.request_recusal(case, "张三", "与公证员有亲属关系", actor=notary)
    relation = deadlines.add_staff_relation(notary, Relation.SPOUSE, "王芳",
                                            DocumentType.RESIDENT_ID, resident_id(), actor=admin)
    day = deadlines.set_calendar_day(date(2027, 1, 1), False, "元旦", actor=admin)
    return {"pause_id": pause.id, "request_id": recusal.id, "entry_id": day.id,
            "year": 2027, "relation_id": relation.id}


def make_inheritance_records(case: Case) -> dict[str, Any]:
    """A site visit with a record and a photo; a decedent, a relative, an item, a will."""
    from datetime import date
    from decimal import Decimal

    from notary.inheritance import services as inheritance
    from notary.inheritance.models import AssetKind, DeathProof, DispositionKind
    from notary.inheritance.rules import Relation
    from notary.investigations import services as investigations
    from notary.investigations.models import Method, PersonRole

    notary = case.handling_notary
    assert notary is not None
    task = investigations.create_investigation(case, investigations.TaskData(
        Method.SITE_VISIT, "核实亲属关系", [notary.id, create_staff(AS).id], place="龙水村",
        scheduled_at=case.accepted_at), actor=notary)
    record = investigations.add_record(task, investigations.RecordData(
        place="龙水村村委会", started_at=case.accepted_at or task.created_at,
        recorder_id=notary.id, persons=[investigations.PersonData(
            PersonRole.QUESTIONED, "李村长", signed=True)],
        questions=[("被继承人有几个子女？", "两个。")]), actor=notary)
    attachment = investigations.add_attachment(task, "现场照片", "photo.png", io.BytesIO(PNG),
                                               actor=notary)
    inheritance.save_decedent(case, inheritance.DecedentData(
        "李德胜", date(2024, 3, 1), DeathProof.MEDICAL), actor=notary)
    member = inheritance.save_member(case, None, inheritance.MemberData(
        "王秀英", Relation.SPOUSE), actor=notary)
    item = inheritance.add_asset(case, inheritance.AssetData(
        AssetKind.DEPOSIT, "存款", Decimal("1000")), actor=notary)
    will = inheritance.add_disposition(case, DispositionKind.WILL, "自书遗嘱", None, None,
                                       actor=notary)
    # "blueprint:name" keys give a blueprint its own value where names coincide.
    return {"investigation_id": task.id, "investigations:record_id": record.id,
            "investigations:attachment_id": attachment.id, "member_id": member.id,
            "inheritance:item_id": item.id, "disposition_id": will.id}


def url_of(rule: Rule, params: dict[str, Any]) -> str:
    blueprint = rule.endpoint.split(".")[0]
    built = rule.build({name: params.get(f"{blueprint}:{name}", params.get(name))
                        for name in rule.arguments})
    assert built is not None
    return built[1]


def requests_for(app: Flask, params: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every route: GETs first, POSTs after, sign-out last."""
    out = [(r.endpoint, m, url_of(r, params)) for m in ("GET", "POST", "PUT", "PATCH")
           for r in rules(app) if m in r.methods]
    return sorted(out, key=lambda x: (x[0] == "auth.logout", x[1] != "GET"))


def is_api(endpoint: str) -> bool:
    return endpoint.startswith("api.")


def api_token(user: Any) -> dict[str, str]:
    """Bearer headers of a new API token acting as the user."""
    from notary.api.services import create_token

    return {"Authorization": f"Bearer {create_token(user, 'walk', actor=user).secret}"}


def is_login_redirect(response: Any) -> bool:
    return (response.status_code == 302
            and urlsplit(response.headers["Location"]).path == "/login")


def test_anonymous_is_sent_to_sign_in_everywhere_but_public_pages(app, client):
    params = make_records()
    wrong = []
    for endpoint, method, url in requests_for(app, params):
        response = client.open(url, method=method)
        response.close()  # a download streams its file until closed
        if EXPECTED[endpoint] == PUBLIC:
            ok = response.status_code == 200 or (is_api(endpoint) and response.status_code
                                                 in {400, 415, 422})
        elif is_api(endpoint):  # the API answers 401, never a redirect to a page
            ok = response.status_code == 401
        else:
            ok = is_login_redirect(response)
        if not ok:
            wrong.append((method, url, response.status_code, response.headers.get("Location")))
    assert wrong == []


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_in_exactly_where_the_table_says(app, login_as, role):
    params = make_records()
    client = login_as(role)
    bearer = api_token(client.user)  # type: ignore[attr-defined]
    wrong = []
    for endpoint, method, url in requests_for(app, params):
        headers = bearer if is_api(endpoint) else {}
        response = client.open(url, method=method, headers=headers)
        response.close()  # a download streams its file until closed
        allowed = EXPECTED[endpoint] == PUBLIC or role in EXPECTED[endpoint]
        if allowed:
            # Some steps and edits answer 302 (refused with a message) or 409 by design.
            # A 403 from an object-level rule (not this role's record) is not the door's.
            ok = response.status_code < 500 and (
                response.status_code != 403
                or response.headers.get("X-Denied-By") == "object-rule")
        else:
            ok = response.status_code == 403 and "X-Denied-By" not in response.headers
        if not ok:
            wrong.append((method, url, response.status_code))
    assert wrong == []


# --- the must-shows -----------------------------------------------------------------


def case_awaiting_approval(handler_role: Role = NO) -> tuple[Case, Any]:
    """A case submitted for approval by its handling notary (or a director handling it)."""
    desk = create_staff(FD)
    handler = create_staff(handler_role)
    case = register_case(desk)
    perform(case, Action.ACCEPT, StepData(conditions_confirmed=True, notary_id=handler.id),
            actor=handler)
    perform(case, Action.START_REVIEW, StepData(), actor=handler)
    perform(case, Action.SUBMIT_FOR_APPROVAL, StepData(), actor=handler)
    tell_applicants(case, handler)
    assert case.status is CaseStatus.AWAITING_APPROVAL
    return case, handler


def approvals(case: Case) -> int:
    return (db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == "case.approve", AuditEntry.target_id == case.id)) or 0) + (
        db.session.scalar(sa.select(sa.func.count(CaseEvent.id)).where(
            CaseEvent.case_id == case.id, CaseEvent.action == "approve")) or 0)


def status_of(case: Case) -> CaseStatus:
    db.session.expire_all()
    return db.session.get(Case, case.id).status


@pytest.mark.parametrize(("role", "at_the_door"), [(FD, False), (AS, False), (NO, False),
                                                  (AD, True)])
def test_roles_without_case_approve_cannot_approve(app, login_as, role, at_the_door):
    case, _handler = case_awaiting_approval()
    client = login_as(role)
    response = client.post(f"/cases/{case.id}/step/approve")
    # Refused with the rule's reason (the step page lets case workers in, then the step's
    # own rule refuses); the administrator never gets past the door.
    assert response.status_code == 403
    assert ("X-Denied-By" not in response.headers) is at_the_door
    assert status_of(case) is CaseStatus.AWAITING_APPROVAL
    assert approvals(case) == 0


def test_a_director_who_does_not_handle_the_case_approves_it(app, login_as):
    # The positive control for the refusals above: the same request does change the case.
    case, _handler = case_awaiting_approval()
    director = login_as(DI)
    response = director.post(f"/cases/{case.id}/step/approve",
                             data={"opinion": "事实清楚，同意出证。", "approved": "y"})
    assert response.status_code == 302
    assert status_of(case) is CaseStatus.APPROVED
    assert approvals(case) == 2
    assert db.session.get(Case, case.id).approver_id == director.user.id


@pytest.mark.parametrize("handler_role", [NO, DI])
def test_the_handling_notary_cannot_approve_their_own_case(app, handler_role):
    case, handler = case_awaiting_approval(handler_role)
    with pytest.raises(NotPermitted):
        perform(case, Action.APPROVE, StepData(), actor=handler)
    assert status_of(case) is CaseStatus.AWAITING_APPROVAL
    assert approvals(case) == 0


def test_a_director_handling_the_case_cannot_approve_it_through_the_page(app, login_as):
    case, handler = case_awaiting_approval(DI)
    client = login_as(handler)
    response = client.post(f"/cases/{case.id}/step/approve")
    assert response.status_code == 403 and response.headers["X-Denied-By"] == "object-rule"
    assert status_of(case) is CaseStatus.AWAITING_APPROVAL
    assert approvals(case) == 0
