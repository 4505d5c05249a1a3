"""Case services: intake, edits, participants, materials and staff assignment."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from notary.cases import services
from notary.cases.models import (
    Case,
    CaseParticipant,
    Category,
    Material,
    ParticipantRole,
    Urgency,
)
from notary.cases.rules import Action, CaseStatus
from notary.cases.services import CaseDetails, ParticipantData
from notary.cases.workflow import StepData, perform
from notary.core.audit import AuditEntry
from notary.core.errors import ConcurrentEdit, DomainError, NotFound, NotPermitted, ValidationFailed
from notary.core.permissions import Role
from notary.extensions import db
from notary.parties.models import Party
from notary.parties.services import create_party
from tests.cases.samples import advance, jpeg_bytes, pdf_bytes, png_bytes
from tests.factories import (
    application,
    create_staff,
    matter,
    person,
    register_case,
    resident_id,
)


def count(model: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def audit_actions(case: Case) -> list[str]:
    return list(db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.target_type == "cases",
                                           AuditEntry.target_id == case.id)
        .order_by(AuditEntry.id)))


def bad_id() -> str:
    """A resident ID number whose check character is wrong."""
    good = resident_id()
    return good[:-1] + ("1" if good[-1] != "1" else "2")


def refused(data: services.ApplicationData, actor: Any) -> dict[str, list[str]]:
    """Register, expect refusal, and check nothing was written."""
    cases, parties = count(Case), count(Party)
    with pytest.raises(ValidationFailed) as excinfo:
        services.register_application(data, actor=actor)
    assert (count(Case), count(Party)) == (cases, parties)
    return excinfo.value.errors


# --- register_application -------------------------------------------------------------------

def test_register_application_creates_case_parties_and_audit(desk: Any) -> None:
    case = register_case(desk, matters=("inheritance", "kinship"), purpose="办理继承",
                         copies=3)
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case is not None
    assert case.status is CaseStatus.APPLIED
    assert case.acceptance_number is None
    assert case.intake_by_id == desk.id
    assert {m.code for m in case.matters} == {"inheritance", "kinship"}
    assert case.purpose == "办理继承"
    assert case.copies == 3
    assert [(p.role, p.party.name) for p in case.participants] == [
        (ParticipantRole.APPLICANT, "张三")]
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "case.register", AuditEntry.target_id == case.id)).one()
    assert entry.actor_id == desk.id
    assert entry.after is not None and entry.after["participants"]


def test_register_needs_a_matter(desk: Any) -> None:
    errors = refused(application(matters=()), desk)
    assert set(errors) == {"matter_ids"}


def test_register_refuses_an_inactive_matter(desk: Any) -> None:
    m = matter("kinship")
    m.is_active = False
    db.session.commit()
    errors = refused(application(matters=("kinship",)), desk)
    assert "matter_ids" in errors


def test_register_needs_an_applicant(desk: Any) -> None:
    errors = refused(application(applicants=()), desk)
    assert set(errors) == {""}


def test_register_refuses_an_agent_without_applicant(desk: Any) -> None:
    errors = refused(application(applicants=(), agents=(person("李四"),)), desk)
    assert set(errors) == {""}


@pytest.mark.parametrize(("category", "needs_place"), [
    (Category.DOMESTIC_CIVIL, False),
    (Category.DOMESTIC_ECONOMIC, False),
    (Category.FOREIGN_CIVIL, True),
    (Category.FOREIGN_ECONOMIC, True),
    (Category.HONG_KONG, True),
    (Category.MACAO, True),
    (Category.TAIWAN, True),
])
def test_place_of_use_by_category(desk: Any, category: Category, needs_place: bool) -> None:
    for blank in (None, "   "):
        data = application(category=category, place_of_use=blank)
        if needs_place:
            assert set(refused(data, desk)) == {"place_of_use"}
        else:
            assert services.register_application(data, actor=desk).place_of_use is None
    case = register_case(desk, category=category, place_of_use=" 美国 ")
    assert case.category is category
    assert case.place_of_use == "美国"


@pytest.mark.parametrize(("urgency", "reason", "ok", "stored"), [
    (Urgency.NORMAL, None, True, None),
    (Urgency.NORMAL, "不需要", True, None),  # a reason for normal handling is not kept
    (Urgency.EXPEDITED, None, False, None),
    (Urgency.EXPEDITED, "  ", False, None),
    (Urgency.EXPEDITED, "下周出国", True, "下周出国"),
    (Urgency.SPECIAL, None, False, None),
    (Urgency.SPECIAL, "病危", True, "病危"),
])
def test_urgency_needs_a_reason(desk: Any, urgency: Urgency, reason: str | None, ok: bool,
                                stored: str | None) -> None:
    data = application(urgency=urgency, urgency_reason=reason)
    if ok:
        case = services.register_application(data, actor=desk)
        assert (case.urgency, case.urgency_reason) == (urgency, stored)
    else:
        assert set(refused(data, desk)) == {"urgency_reason"}


@pytest.mark.parametrize(("copies", "ok"), [
    (-1, False), (0, False), (1, True), (2, True), (99, True), (100, False),
])
def test_copies_from_1_to_99(desk: Any, copies: int, ok: bool) -> None:
    data = application(copies=copies)
    if ok:
        assert services.register_application(data, actor=desk).copies == copies
    else:
        assert set(refused(data, desk)) == {"copies"}


def test_a_known_id_number_links_the_existing_party(desk: Any) -> None:
    existing = create_party(person("王五"), actor=desk)
    parties = count(Party)
    same = person("王五", document_number=existing.document_number.lower())
    case = register_case(desk, applicants=(same,))
    assert [p.party_id for p in case.participants] == [existing.id]
    assert count(Party) == parties


def test_a_known_id_number_with_another_name_is_refused(desk: Any) -> None:
    existing = create_party(person("王五"), actor=desk)
    errors = refused(application(applicants=(
        person("王六", document_number=existing.document_number),)), desk)
    assert set(errors) == {"participants-0-document_number"}
    assert "王五" in errors["participants-0-document_number"][0]
    db.session.expire_all()
    assert db.session.get(Party, existing.id).name == "王五"  # type: ignore[union-attr]


def test_two_applicants(desk: Any) -> None:
    case = register_case(desk, applicants=(person("张三"), person("李四")))
    assert [(p.position, p.role, p.party.name) for p in case.participants] == [
        (0, ParticipantRole.APPLICANT, "张三"), (1, ParticipantRole.APPLICANT, "李四")]
    assert len(case.applicants) == 2
    assert count(Party) == 2


def test_the_same_person_twice_is_refused(desk: Any) -> None:
    p = person("张三")
    errors = refused(application(applicants=(p, p)), desk)
    assert set(errors) == {"participants-1-document_number"}


def test_an_existing_party_twice_is_refused(desk: Any) -> None:
    existing = create_party(person("王五"), actor=desk)
    data = application()
    data = services.ApplicationData(details=data.details, participants=[
        ParticipantData(ParticipantRole.APPLICANT, party_id=existing.id),
        ParticipantData(ParticipantRole.AGENT, party=person(
            "王五", document_number=existing.document_number)),
    ])
    assert set(refused(data, desk)) == {"participants-1-document_number"}


def test_an_unknown_party_id_is_refused(desk: Any) -> None:
    data = application()
    data = services.ApplicationData(details=data.details, participants=[
        ParticipantData(ParticipantRole.APPLICANT, party_id=999_999)])
    assert "participants-0-party_id" in refused(data, desk)


@pytest.mark.parametrize("code", ["will", "power_of_attorney", "declaration", "gift",
                                  "legacy_support", "guarantee", "adoption",
                                  "acknowledge_child", "survival"])
def test_in_person_matters_refuse_an_agent(desk: Any, code: str) -> None:
    errors = refused(application(matters=(code,), agents=(person("代理人"),)), desk)
    assert set(errors) == {""}
    assert matter(code).name in errors[""][0]
    # Without the agent the same application is fine.
    assert register_case(desk, matters=(code,)).status is CaseStatus.APPLIED


def test_in_person_rule_applies_when_one_of_several_matters_is_in_person(desk: Any) -> None:
    errors = refused(application(matters=("inheritance", "will"), agents=(person("代理"),)),
                     desk)
    assert "遗嘱" in errors[""][0]
    assert "继承" not in errors[""][0]


def test_other_matters_accept_an_agent(desk: Any) -> None:
    case = register_case(desk, matters=("inheritance",), agents=(person("代理人"),))
    assert [p.role for p in case.participants] == [ParticipantRole.APPLICANT,
                                                   ParticipantRole.AGENT]
    assert [p.party.name for p in case.agents] == ["代理人"]


def test_errors_are_collected_all_at_once(desk: Any) -> None:
    data = application(matters=(), category=Category.FOREIGN_CIVIL, copies=0,
                       urgency=Urgency.EXPEDITED,
                       applicants=(person("张三", document_number=bad_id()),
                                   person("李四", document_number=bad_id())))
    errors = refused(data, desk)
    assert set(errors) == {"matter_ids", "place_of_use", "copies", "urgency_reason",
                           "participants-0-document_number", "participants-1-document_number"}


def test_an_invalid_applicant_is_refused_not_dropped(desk: Any) -> None:
    # The only problem in the form: the case must not be registered without its applicant.
    errors = refused(application(applicants=(person("张三", document_number=bad_id()),)), desk)
    assert set(errors) == {"participants-0-document_number"}


def test_in_person_error_is_reported_even_if_the_agent_is_invalid(desk: Any) -> None:
    agent = person("代理人", document_number=bad_id())
    errors = refused(application(matters=("will",), agents=(agent,)), desk)
    assert "participants-1-document_number" in errors
    assert "" in errors  # the in-person rule, reported in the same round


def test_handling_notary_must_be_a_notary(desk: Any, notary: Any, director: Any) -> None:
    errors = refused(services.ApplicationData(
        details=application().details, participants=application().participants,
        handling_notary_id=desk.id), desk)
    assert set(errors) == {"handling_notary_id"}
    for chosen in (notary, director):
        case = services.register_application(services.ApplicationData(
            details=application().details, participants=application().participants,
            handling_notary_id=chosen.id), actor=desk)
        assert case.handling_notary_id == chosen.id


def test_admin_cannot_register(app: Flask) -> None:
    admin = create_staff(Role.ADMIN)
    with pytest.raises(NotPermitted):
        services.register_application(application(), actor=admin)
    assert count(Case) == 0


# --- update_case ----------------------------------------------------------------------------

def _details(case: Case, **changes: Any) -> CaseDetails:
    values: dict[str, Any] = {
        "matter_ids": [m.id for m in case.matters], "category": case.category,
        "place_of_use": case.place_of_use, "purpose": case.purpose,
        "document_name": case.document_name, "copies": case.copies,
        "urgency": case.urgency, "urgency_reason": case.urgency_reason, "notes": case.notes,
    }
    values.update(changes)
    return CaseDetails(**values)


def test_update_case_records_only_the_changes(desk: Any) -> None:
    case = register_case(desk, purpose="旧用途")
    services.update_case(case, _details(case, purpose="新用途", copies=2), actor=desk,
                         version=case.version)
    db.session.expire_all()
    case = db.session.get(Case, case.id)  # type: ignore[assignment]
    assert (case.purpose, case.copies) == ("新用途", 2)
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "case.update")).one()
    assert entry.before == {"purpose": "旧用途", "copies": 1}
    assert entry.after == {"purpose": "新用途", "copies": 2}


def test_update_case_with_a_stale_version_is_refused(desk: Any) -> None:
    case = register_case(desk, purpose="第一版")
    seen = case.version
    services.update_case(case, _details(case, purpose="第二版"), actor=desk, version=seen)
    with pytest.raises(ConcurrentEdit):
        services.update_case(case, _details(case, purpose="第三版"), actor=desk, version=seen)
    db.session.expire_all()
    assert db.session.get(Case, case.id).purpose == "第二版"  # type: ignore[union-attr]
    assert audit_actions(case).count("case.update") == 1


def test_update_case_loses_a_race_without_overwriting(desk: Any) -> None:
    case = register_case(desk, purpose="原用途")
    # Another request commits a change after this one loaded the case.
    with db.engine.begin() as conn:
        conn.execute(sa.update(Case).where(Case.id == case.id)
                     .values(purpose="别人改的", version=Case.version + 1))
    with pytest.raises(ConcurrentEdit):
        services.update_case(case, _details(case, purpose="我改的"), actor=desk, version=None)
    db.session.expire_all()
    assert db.session.get(Case, case.id).purpose == "别人改的"  # type: ignore[union-attr]
    assert "case.update" not in audit_actions(case)


def test_update_case_validates_like_intake(desk: Any) -> None:
    case = register_case(desk)
    with pytest.raises(ValidationFailed) as excinfo:
        services.update_case(case, _details(case, matter_ids=[], copies=100), actor=desk,
                             version=case.version)
    assert set(excinfo.value.errors) == {"matter_ids", "copies"}


def test_update_case_refuses_an_in_person_matter_with_an_agent(desk: Any) -> None:
    case = register_case(desk, agents=(person("代理人"),))
    with pytest.raises(ValidationFailed) as excinfo:
        services.update_case(case, _details(case, matter_ids=[matter("will").id]), actor=desk,
                             version=case.version)
    assert "" in excinfo.value.errors


def test_front_desk_cannot_edit_an_accepted_case(desk: Any, notary: Any) -> None:
    case = register_case(desk)
    perform(case, Action.ACCEPT, StepData(conditions_confirmed=True), actor=notary)
    with pytest.raises(NotPermitted):
        services.update_case(case, _details(case, purpose="x"), actor=desk,
                             version=case.version)
    services.update_case(case, _details(case, purpose="x"), actor=notary, version=case.version)
    assert case.purpose == "x"


def test_an_issued_case_cannot_be_edited(desk: Any, notary: Any, director: Any) -> None:
    case = advance(register_case(desk), CaseStatus.ISSUED, notary=notary, director=director)
    with pytest.raises(DomainError):
        services.update_case(case, _details(case, purpose="x"), actor=director,
                             version=case.version)


# --- participants ---------------------------------------------------------------------------

def test_add_participant(desk: Any) -> None:
    case = register_case(desk)
    cp = services.add_participant(case, ParticipantData(ParticipantRole.AGENT,
                                                        party=person("代理人")), actor=desk)
    assert (cp.role, cp.position, cp.party.name) == (ParticipantRole.AGENT, 1, "代理人")
    assert "case.participant_add" in audit_actions(case)


def test_add_participant_refuses_an_agent_for_an_in_person_matter(desk: Any) -> None:
    case = register_case(desk, matters=("will",))
    parties = count(Party)
    with pytest.raises(ValidationFailed) as excinfo:
        services.add_participant(case, ParticipantData(ParticipantRole.AGENT,
                                                       party=person("代理人")), actor=desk)
    assert "" in excinfo.value.errors
    assert count(Party) == parties
    assert count(CaseParticipant) == 1


def test_add_participant_refuses_someone_already_on_the_case(desk: Any) -> None:
    case = register_case(desk)
    with pytest.raises(ValidationFailed) as excinfo:
        services.add_participant(case, ParticipantData(ParticipantRole.AGENT,
                                                       party_id=case.participants[0].party_id),
                                 actor=desk)
    assert set(excinfo.value.errors) == {"participants-0-document_number"}


def test_remove_participant_is_a_soft_removal(desk: Any) -> None:
    case = register_case(desk, applicants=(person("张三"), person("李四")))
    second = case.participants[1]
    services.remove_participant(case, second.id, actor=desk, reason="填错了")
    db.session.expire_all()
    case = db.session.get(Case, case.id)  # type: ignore[assignment]
    assert len(case.participants) == 2  # still in the record
    assert case.participants[1].is_removed is True
    assert [p.party.name for p in case.applicants] == ["张三"]
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "case.participant_remove")).one()
    assert entry.reason == "填错了"
    # The last applicant stays.
    with pytest.raises(DomainError):
        services.remove_participant(case, case.participants[0].id, actor=desk, reason="x")
    # A removed participant cannot be removed again.
    with pytest.raises(NotFound):
        services.remove_participant(case, second.id, actor=desk, reason="x")


def test_remove_participant_keeps_at_least_one_applicant_even_with_an_agent(desk: Any) -> None:
    case = register_case(desk, agents=(person("代理人"),))
    applicant, agent = case.participants
    with pytest.raises(DomainError):
        services.remove_participant(case, applicant.id, actor=desk, reason="x")
    services.remove_participant(case, agent.id, actor=desk, reason="不再代理")
    assert case.agents == []


def test_remove_participant_needs_a_reason(desk: Any) -> None:
    case = register_case(desk, applicants=(person("张三"), person("李四")))
    with pytest.raises(DomainError):
        services.remove_participant(case, case.participants[1].id, actor=desk, reason="  ")
    assert not any(p.is_removed for p in case.participants)


# --- materials ------------------------------------------------------------------------------

def stored_files(app: Flask) -> list[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("make", "content_type", "ext"), [
    (pdf_bytes, "application/pdf", ".pdf"),
    (png_bytes, "image/png", ".png"),
    (jpeg_bytes, "image/jpeg", ".jpg"),
])
def test_add_material_stores_the_file_with_its_hash(app: Flask, desk: Any, make: Any,
                                                    content_type: str, ext: str) -> None:
    case = register_case(desk)
    data = make()
    material = services.add_material(case, " 身份证 ", "../../etc/scan" + ext,
                                     io.BytesIO(data), actor=desk)
    assert material.title == "身份证"
    assert material.original_filename == "scan" + ext  # a name is never a path
    assert material.content_type == content_type
    assert material.size == len(data)
    assert material.sha256 == hashlib.sha256(data).hexdigest()
    path = Path(app.config["UPLOAD_FOLDER"]) / material.stored_path
    assert path.suffix == ext
    assert path.read_bytes() == data
    assert stored_files(app) == [path]
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "case.material_add")).one()
    assert entry.after is not None and entry.after["sha256"] == material.sha256


def _truncated_png() -> bytes:
    data = png_bytes(40, 40)
    return data[: len(data) - 20]


@pytest.mark.parametrize(("name", "content"), [
    ("letter.pdf", "这是一封信，不是 PDF。\n".encode()),
    ("empty.pdf", b""),
    ("cut.png", _truncated_png()),
    ("cut.pdf", pdf_bytes()[:-8]),
])
def test_add_material_refuses_bad_files(app: Flask, desk: Any, name: str,
                                        content: bytes) -> None:
    case = register_case(desk)
    with pytest.raises(ValidationFailed) as excinfo:
        services.add_material(case, "材料", name, io.BytesIO(content), actor=desk)
    assert set(excinfo.value.errors) == {"file"}
    assert count(Material) == 0
    assert stored_files(app) == []
    assert "case.material_add" not in audit_actions(case)


def test_add_material_refuses_a_file_over_the_limit(app: Flask, desk: Any) -> None:
    case = register_case(desk)
    data = png_bytes(20, 20)
    app.config["UPLOAD_MAX_BYTES"] = len(data) - 1
    with pytest.raises(ValidationFailed) as excinfo:
        services.add_material(case, "材料", "big.png", io.BytesIO(data), actor=desk)
    assert set(excinfo.value.errors) == {"file"}
    assert count(Material) == 0
    app.config["UPLOAD_MAX_BYTES"] = len(data)
    assert services.add_material(case, "材料", "big.png", io.BytesIO(data),
                                 actor=desk).size == len(data)


def test_add_material_needs_a_title(desk: Any) -> None:
    case = register_case(desk)
    with pytest.raises(DomainError):
        services.add_material(case, "  ", "a.pdf", io.BytesIO(pdf_bytes()), actor=desk)
    assert count(Material) == 0


def test_add_material_refused_on_a_closed_case(desk: Any, director: Any) -> None:
    case = register_case(desk)
    perform(case, Action.WITHDRAW, StepData(reason="不办了"), actor=desk)
    with pytest.raises(DomainError):
        services.add_material(case, "材料", "a.pdf", io.BytesIO(pdf_bytes()), actor=desk)
    assert count(Material) == 0


def test_admin_cannot_upload(desk: Any) -> None:
    case = register_case(desk)
    with pytest.raises(NotPermitted):
        services.add_material(case, "材料", "a.pdf", io.BytesIO(pdf_bytes()),
                              actor=create_staff(Role.ADMIN))


def test_get_material_of_another_case_is_not_found(desk: Any) -> None:
    one, other = register_case(desk), register_case(desk)
    material = services.add_material(one, "材料", "a.pdf", io.BytesIO(pdf_bytes()), actor=desk)
    assert services.get_material(one, material.id) is material
    with pytest.raises(NotFound):
        services.get_material(other, material.id)


# --- assign_staff ---------------------------------------------------------------------------

def test_director_assigns_notary_and_assistant(desk: Any, notary: Any, director: Any) -> None:
    case = register_case(desk)
    assistant = create_staff(Role.ASSISTANT)
    services.assign_staff(case, notary_id=notary.id, assistant_id=assistant.id, actor=director,
                          reason="分案")
    assert (case.handling_notary_id, case.assistant_id) == (notary.id, assistant.id)
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "case.assign")).one()
    assert entry.after == {"handling_notary_id": notary.id, "assistant_id": assistant.id}
    assert entry.reason == "分案"


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.ASSISTANT, Role.NOTARY, Role.ADMIN])
def test_only_the_director_assigns(desk: Any, notary: Any, role: Role) -> None:
    case = register_case(desk)
    with pytest.raises(NotPermitted):
        services.assign_staff(case, notary_id=notary.id, assistant_id=None,
                              actor=create_staff(role))
    assert case.handling_notary_id is None


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.ASSISTANT, Role.ADMIN])
def test_the_notary_must_be_a_notary(desk: Any, director: Any, role: Role) -> None:
    case = register_case(desk)
    with pytest.raises(ValidationFailed) as excinfo:
        services.assign_staff(case, notary_id=create_staff(role).id, assistant_id=None,
                              actor=director)
    assert set(excinfo.value.errors) == {"notary_id"}


def test_the_assistant_must_be_an_assistant(desk: Any, notary: Any, director: Any) -> None:
    case = register_case(desk)
    with pytest.raises(ValidationFailed) as excinfo:
        services.assign_staff(case, notary_id=notary.id, assistant_id=notary.id,
                              actor=director)
    assert set(excinfo.value.errors) == {"assistant_id"}


def test_an_accepted_case_needs_a_notary(desk: Any, notary: Any, director: Any) -> None:
    unaccepted = register_case(desk)
    services.assign_staff(unaccepted, notary_id=None, assistant_id=None, actor=director)
    case = register_case(desk)
    perform(case, Action.ACCEPT, StepData(conditions_confirmed=True), actor=notary)
    with pytest.raises(ValidationFailed) as excinfo:
        services.assign_staff(case, notary_id=None, assistant_id=None, actor=director)
    assert set(excinfo.value.errors) == {"notary_id"}
    assert case.handling_notary_id == notary.id


def test_the_approver_cannot_become_the_handling_notary(desk: Any, notary: Any,
                                                        director: Any) -> None:
    case = advance(register_case(desk), CaseStatus.APPROVED, notary=notary, director=director)
    with pytest.raises(ValidationFailed) as excinfo:
        services.assign_staff(case, notary_id=director.id, assistant_id=None, actor=director)
    assert set(excinfo.value.errors) == {"notary_id"}


def test_a_closed_case_cannot_be_reassigned(desk: Any, notary: Any, director: Any) -> None:
    case = register_case(desk)
    perform(case, Action.REJECT, StepData(reason="无利害关系", ground="1"), actor=director)
    with pytest.raises(DomainError):
        services.assign_staff(case, notary_id=notary.id, assistant_id=None, actor=director)
