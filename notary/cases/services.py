"""Case services: register an application, edit it, its participants and materials."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from notary.auth.models import User
from notary.cases.models import (
    Case,
    CaseParticipant,
    Category,
    Material,
    MatterType,
    ParticipantRole,
    Urgency,
)
from notary.cases.rules import EDITABLE_STATUSES, FINAL_STATUSES, CaseStatus, agent_not_allowed
from notary.core import audit
from notary.core.errors import (
    ConcurrentEdit,
    DomainError,
    ErrorCollector,
    NotFound,
    NotPermitted,
    ValidationFailed,
)
from notary.core.models import office_today, utcnow
from notary.core.permissions import (
    Permission,
    Role,
    ensure_permitted,
    has_permission,
    register_object_guard,
)
from notary.core.uploads import clean_filename, store_upload
from notary.extensions import db
from notary.parties import services as party_services
from notary.parties.models import Party
from notary.parties.services import PartyData

CASE_AUDIT_FIELDS = ("category", "place_of_use", "purpose", "document_name",
                     "translation_language", "copies", "urgency", "urgency_reason", "notes")
STALE_MESSAGE = _l("Someone else changed this case while you were editing; nothing of yours "
                   "was saved. Compare their saved values with yours and save again.")


@dataclass(frozen=True)
class ParticipantData:
    role: ParticipantRole
    party_id: int | None = None  # an existing party, or:
    party: PartyData | None = None  # a party to find by document, or register


@dataclass(frozen=True)
class CaseDetails:
    matter_ids: list[int]
    category: Category
    place_of_use: str | None = None
    purpose: str | None = None
    document_name: str | None = None
    translation_language: str | None = None
    copies: int = 1
    urgency: Urgency = Urgency.NORMAL
    urgency_reason: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class ApplicationData:
    details: CaseDetails
    participants: list[ParticipantData] = field(default_factory=list)
    handling_notary_id: int | None = None


ConflictCheck = Callable[[int, Sequence[Party]], str | None]
_conflict_checks: list[ConflictCheck] = []


def register_conflict_check(check: ConflictCheck) -> ConflictCheck:
    """Let another domain say why a notary may not handle a case with these parties (回避)."""
    _conflict_checks.append(check)
    return check


def notary_conflict(notary_id: int | None, parties: Sequence[Party]) -> str | None:
    """Why the notary may not handle a case with these parties, or None (公证法 art. 23(3))."""
    if notary_id is None:
        return None
    for check in _conflict_checks:
        if (problem := check(notary_id, parties)) is not None:
            return problem
    return None


OpenCheck = Callable[[Case, Any], None]
_open_checks: list[OpenCheck] = []


def register_open_check(check: OpenCheck) -> OpenCheck:
    """Let another domain refuse (NotPermitted) or record the opening of a case's file."""
    _open_checks.append(check)
    return check


def open_case(case_id: int, actor: Any) -> Case:
    """Load a case whose file (page, materials, documents) the actor is opening."""
    case = get_case(case_id)
    for check in _open_checks:
        check(case, actor)
    return case


def get_case(case_id: int) -> Case:
    """Load a case or raise NotFound."""
    case = db.session.get(Case, case_id)
    if case is None:
        raise NotFound(_("No such case."))
    return case


def is_case_worker(actor: Any, case: Case) -> bool:
    """Whether the actor works on this case: its notary or assistant, or the director."""
    if actor.role is Role.DIRECTOR:
        return True
    return actor.id in {case.handling_notary_id, case.assistant_id}


WORKERS_ONLY = _l("Only the notary handling this case, their assistant or the director can "
                  "change it.")


def may_act_on_case(actor: Any, case: Case) -> bool:
    """Object rule for every change on a case, whatever the role's permissions allow.

    The case's workers (its notary, its assistant, the director) act on it; the front desk
    serves every case at the counter (materials, fees, a party's requests); while no notary
    has taken the case it is in the intake pool, open to every case-work role.
    """
    if actor is None or not getattr(actor, "is_authenticated", True):
        return False
    return (is_case_worker(actor, case) or actor.role is Role.FRONT_DESK
            or case.handling_notary_id is None)


def ensure_may_act_on_case(actor: Any, case: Case) -> None:
    """Raise NotPermitted unless the actor may change something on this case."""
    if not may_act_on_case(actor, case):
        raise NotPermitted(str(WORKERS_ONLY))


def _guard_case(actor: Any, case_id: int) -> None:
    ensure_may_act_on_case(actor, get_case(case_id))


register_object_guard("case_id", _guard_case)


def can_edit_case(actor: Any, case: Case) -> bool:
    """Object-level rule: before acceptance the intake staff may edit; after, the case workers."""
    if not has_permission(actor, Permission.CASE_CREATE) or case.status not in EDITABLE_STATUSES:
        return False
    if case.status is CaseStatus.APPLIED:
        return True
    return has_permission(actor, Permission.CASE_EDIT) and is_case_worker(actor, case)


def ensure_can_edit(actor: Any, case: Case) -> None:
    """Raise unless the actor may change this case's application data.

    Who comes before when: an outsider is refused as such, whatever the case's stage.
    """
    if case.status is not CaseStatus.APPLIED and not (
            has_permission(actor, Permission.CASE_EDIT) and is_case_worker(actor, case)):
        raise NotPermitted(str(WORKERS_ONLY))
    if case.status not in EDITABLE_STATUSES:
        raise DomainError(_("This case can no longer be changed (%(status)s).",
                            status=case.status.label))
    if not can_edit_case(actor, case):
        raise NotPermitted(str(WORKERS_ONLY))


def _check_details(details: CaseDetails, errors: ErrorCollector) -> list[MatterType]:
    matters = list(db.session.scalars(
        sa.select(MatterType).where(MatterType.id.in_(details.matter_ids),
                                    MatterType.is_active.is_(True))
    )) if details.matter_ids else []
    if not matters:
        errors.add("matter_ids", _("Choose at least one matter."))
    if details.category.needs_place_of_use and not (details.place_of_use or "").strip():
        errors.add("place_of_use", _("Enter the country or region where the certificate "
                                     "will be used."))
    if not 1 <= details.copies <= 99:
        errors.add("copies", _("Enter a number of copies from 1 to 99."))
    if details.urgency is not Urgency.NORMAL and not (details.urgency_reason or "").strip():
        errors.add("urgency_reason", _("Give the reason for urgent handling."))
    return matters


def _check_in_person(matters: list[MatterType], roles: list[ParticipantRole],
                     errors: ErrorCollector) -> None:
    if agent_not_allowed((m.in_person_only for m in matters), ParticipantRole.AGENT in roles):
        names = "、".join(m.name for m in matters if m.in_person_only)
        errors.add("", _("%(matters)s must be applied for in person (公证法 art. 26): an agent "
                         "cannot apply.", matters=names))


def _resolve_participants(
    participants: list[ParticipantData], errors: ErrorCollector, *, actor: Any
) -> list[tuple[ParticipantRole, Party]]:
    """Find each participant's party (existing record or same document), or register it."""
    resolved: list[tuple[ParticipantRole, Party]] = []
    for i, p in enumerate(participants):
        prefix = f"participants-{i}-"
        party: Party | None = None
        if p.party_id is not None:
            party = db.session.get(Party, p.party_id)
            if party is None:
                errors.add(prefix + "party_id", _("No such party."))
        elif p.party is not None:
            data = party_services.normalize_party_data(p.party)
            party = party_services.find_by_document(data.document_type, data.document_number)
            if party is not None and party.name != data.name:
                errors.add(prefix + "document_number",
                           _("This document number is registered for %(name)s, not %(typed)s.",
                             name=party.name, typed=data.name))
                party = None
            elif party is None:
                party = party_services.build_party(data, actor=actor, prefix=prefix,
                                                   errors=errors)
        if party is not None:
            resolved.append((p.role, party))
    seen: set[int | None] = set()
    for i, (_role, party) in enumerate(resolved):
        if party.id is not None and party.id in seen:
            errors.add(f"participants-{i}-document_number",
                       _("The same person is listed twice."))
        seen.add(party.id)
    return resolved


def _participant_entry(role: ParticipantRole, party: Party) -> dict[str, Any]:
    """How a participant is written into the audit trail: codes, not translated labels."""
    return {"role": role.value, "name": party.name, "party_id": party.id}


def _check_notary(notary_id: int | None, errors: ErrorCollector, field_name: str) -> None:
    if notary_id is None:
        return
    user = db.session.get(User, notary_id)
    if user is None or user.role not in {Role.NOTARY, Role.DIRECTOR} or not user.is_enabled:
        errors.add(field_name, _("Choose an active notary."))
    elif user.is_suspended_on(office_today()):
        # 停止执业 (公证法 arts. 41-42): no case is assigned during the suspension.
        errors.add(field_name, _("This notary's practice is suspended: choose another."))


def register_application(data: ApplicationData, *, actor: Any) -> Case:
    """Register an application (申请) with its parties; the case waits for acceptance."""
    ensure_permitted(actor, Permission.CASE_CREATE)
    errors = ErrorCollector()
    matters = _check_details(data.details, errors)
    resolved = _resolve_participants(data.participants, errors, actor=actor)
    # The roles as entered, so the in-person rule is reported even if a party is invalid.
    roles = [p.role for p in data.participants]
    if ParticipantRole.APPLICANT not in [p.role for p in data.participants]:
        errors.add("", _("Add at least one applicant."))
    _check_in_person(matters, roles, errors)
    _check_notary(data.handling_notary_id, errors, "handling_notary_id")
    if problem := notary_conflict(data.handling_notary_id, [p for _r, p in resolved]):
        errors.add("handling_notary_id", problem)
    if errors:
        db.session.rollback()
        errors.raise_if_any()
    case = Case(intake_by_id=actor.id, handling_notary_id=data.handling_notary_id)
    _apply_details(case, data.details, matters)
    db.session.add(case)
    db.session.flush()
    for position, (role, party) in enumerate(resolved):
        db.session.add(CaseParticipant(case=case, party=party, role=role, position=position))
    after = {k: v for k, v in audit.snapshot(case, CASE_AUDIT_FIELDS).items()
             if v not in (None, "")}
    after["matters"] = [m.name for m in matters]
    after["participants"] = [_participant_entry(r, p) for r, p in resolved]
    audit.record(db.session, actor, "case.register", case, after=after)
    db.session.commit()
    return case


def _apply_details(case: Case, details: CaseDetails, matters: list[MatterType]) -> None:
    case.matters = matters
    case.category = details.category
    case.place_of_use = (details.place_of_use or "").strip() or None
    case.purpose = (details.purpose or "").strip() or None
    case.document_name = (details.document_name or "").strip() or None
    case.translation_language = (details.translation_language or "").strip() or None
    case.copies = details.copies
    case.urgency = details.urgency
    case.urgency_reason = ((details.urgency_reason or "").strip() or None
                           if details.urgency is not Urgency.NORMAL else None)
    case.notes = (details.notes or "").strip() or None


def update_case(case: Case, details: CaseDetails, *, actor: Any, version: int | None) -> Case:
    """Change the application's details; a stale version is refused, never overwritten."""
    ensure_can_edit(actor, case)
    if version is not None and version != case.version:
        raise ConcurrentEdit(str(STALE_MESSAGE))
    errors = ErrorCollector()
    matters = _check_details(details, errors)
    _check_in_person(matters, [p.role for p in case.active_participants], errors)
    errors.raise_if_any()
    before = audit.snapshot(case, CASE_AUDIT_FIELDS)
    before["matters"] = [m.name for m in case.matters]
    _apply_details(case, details, matters)
    after = audit.snapshot(case, CASE_AUDIT_FIELDS)
    after["matters"] = [m.name for m in matters]
    before, after = audit.changed_only(before, after)
    if after:
        audit.record(db.session, actor, "case.update", case, before=before, after=after)
    _commit_versioned()
    return case


def _commit_versioned() -> None:
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise ConcurrentEdit(str(STALE_MESSAGE)) from exc


def add_participant(case: Case, participant: ParticipantData, *, actor: Any) -> CaseParticipant:
    """Add an applicant, agent or representative to a case that is still open for edits."""
    ensure_can_edit(actor, case)
    errors = ErrorCollector()
    resolved = _resolve_participants([participant], errors, actor=actor)
    if resolved:
        role, party = resolved[0]
        if any(p.party_id == party.id for p in case.active_participants):
            errors.add("participants-0-document_number",
                       _("This party is already on the case."))
        roles = [p.role for p in case.active_participants] + [role]
        _check_in_person(list(case.matters), roles, errors)
        if problem := notary_conflict(case.handling_notary_id, [party]):
            errors.add("participants-0-document_number", problem)
    if errors:
        db.session.rollback()
        errors.raise_if_any()
    role, party = resolved[0]
    position = max((p.position for p in case.participants), default=-1) + 1
    cp = CaseParticipant(case=case, party=party, role=role, position=position)
    db.session.add(cp)
    audit.record(db.session, actor, "case.participant_add", case,
                 after={"participant": _participant_entry(role, party)})
    db.session.commit()
    return cp


def remove_participant(case: Case, participant_id: int, *, actor: Any,
                       reason: str) -> CaseParticipant:
    """Take a participant off the case (kept in the record, marked removed)."""
    ensure_can_edit(actor, case)
    cp = next((p for p in case.active_participants if p.id == participant_id), None)
    if cp is None:
        raise NotFound(_("No such participant."))
    if not reason.strip():
        raise DomainError(_("Give a reason."))
    remaining = [p for p in case.applicants if p.id != cp.id]
    if not remaining:
        raise DomainError(_("A case needs at least one applicant."))
    cp.is_removed = True
    audit.record(db.session, actor, "case.participant_remove", case,
                 before={"participant": _participant_entry(cp.role, cp.party)}, reason=reason)
    db.session.commit()
    return cp


def add_material(case: Case, title: str, filename: str, stream: BinaryIO, *,
                 actor: Any) -> Material:
    """Store an applicant's material (PDF/JPEG/PNG) on the case with its SHA-256."""
    ensure_permitted(actor, Permission.MATERIAL_UPLOAD)
    ensure_may_act_on_case(actor, case)
    if case.status in FINAL_STATUSES:
        raise DomainError(_("This case is closed; no more materials can be added."))
    if not title.strip():
        raise DomainError(_("Give the material a title."))
    stored = store_upload(stream, Path(current_app.config["UPLOAD_FOLDER"]),
                          max_bytes=int(current_app.config["UPLOAD_MAX_BYTES"]))
    material = Material(case_id=case.id, title=title.strip()[:200],
                        original_filename=clean_filename(filename),
                        stored_path=stored.relative_path, content_type=stored.content_type,
                        size=stored.size, sha256=stored.sha256, uploaded_by_id=actor.id)
    db.session.add(material)
    audit.record(db.session, actor, "case.material_add", case,
                 after={"material": material.title, "sha256": stored.sha256,
                        "size": stored.size})
    db.session.commit()
    return material


def get_material(case: Case, material_id: int) -> Material:
    """Load one of the case's materials or raise NotFound."""
    material = db.session.get(Material, material_id)
    if material is None or material.case_id != case.id:
        raise NotFound(_("No such material."))
    return material


def assign_staff(case: Case, *, notary_id: int | None, assistant_id: int | None,
                 actor: Any, reason: str | None = None) -> Case:
    """Reassign the handling notary and/or the assistant (the director's decision)."""
    ensure_permitted(actor, Permission.CASE_ASSIGN)
    if case.status in FINAL_STATUSES:
        raise DomainError(_("This case is closed."))
    errors = ErrorCollector()
    _check_notary(notary_id, errors, "notary_id")
    if assistant_id is not None:
        user = db.session.get(User, assistant_id)
        if user is None or user.role is not Role.ASSISTANT or not user.is_enabled:
            errors.add("assistant_id", _("Choose an active notary assistant."))
    if notary_id is None and case.status is not CaseStatus.APPLIED:
        errors.add("notary_id", _("An accepted case must have a handling notary."))
    if notary_id is not None and notary_id == case.approver_id:
        errors.add("notary_id", _("The approver of this case cannot be its handling notary."))
    if problem := notary_conflict(notary_id, [p.party for p in case.active_participants]):
        errors.add("notary_id", problem)
    errors.raise_if_any()
    before = {"handling_notary_id": case.handling_notary_id, "assistant_id": case.assistant_id}
    case.handling_notary_id, case.assistant_id = notary_id, assistant_id
    after = {"handling_notary_id": notary_id, "assistant_id": assistant_id}
    before, after = audit.changed_only(before, after)
    if after:
        audit.record(db.session, actor, "case.assign", case, before=before, after=after,
                     reason=reason)
    _commit_versioned()
    return case


FILE_ONLY_CLOSINGS = frozenset({CaseStatus.REFUSED, CaseStatus.TERMINATED, CaseStatus.WITHDRAWN,
                                CaseStatus.NOT_ACCEPTED})


def archive_closed_file(case: Case, archive_number: str, *, actor: Any) -> Case:
    """File a refused, terminated or withdrawn case (公证程序规则 arts. 58-59: within three
    months of the decision); the case's status stays final, only the file is archived."""
    ensure_permitted(actor, Permission.CASE_PROCESS)
    if not is_case_worker(actor, case):
        raise NotPermitted(str(WORKERS_ONLY))
    if case.status not in FILE_ONLY_CLOSINGS:
        raise DomainError(_("Only refused, terminated or withdrawn cases are filed this way."))
    if case.archived_at is not None:
        raise DomainError(_("This file is already archived."))
    if not archive_number.strip():
        raise ValidationFailed({"archive_number": _("This field is required.")})
    case.archived_at, case.archive_number = utcnow(), archive_number.strip()
    audit.record(db.session, actor, "case.archive_file", case,
                 after={"archive_number": case.archive_number})
    _commit_versioned()
    return case
