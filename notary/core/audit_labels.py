"""How audit entries read in the timeline: translated action names, field names and values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l

from notary.parties.rules import mask_document_number, mask_phone

ACTION_LABELS: dict[str, Any] = {
    "case.register": _l("Application registered"),
    "case.update": _l("Details changed"),
    "case.participant_add": _l("Participant added"),
    "case.participant_remove": _l("Participant removed"),
    "case.material_add": _l("Material added"),
    "case.assign": _l("Staff assigned"),
    "case.accept": _l("Accepted"),
    "case.start_review": _l("Review started"),
    "case.request_supplement": _l("Materials requested"),
    "case.start_verification": _l("Verification started"),
    "case.resume_review": _l("Review resumed"),
    "case.submit_for_approval": _l("Submitted for approval"),
    "case.return_for_review": _l("Returned for review"),
    "case.approve": _l("Approved"),
    "case.issue": _l("Certificate issued"),
    "case.deliver": _l("Delivered"),
    "case.archive": _l("Archived"),
    "case.refuse": _l("Refused"),
    "case.terminate": _l("Terminated"),
    "case.withdraw": _l("Withdrawn"),
    "case.archive_file": _l("File archived"),
    "case.export": _l("Cases exported"),
    "case.investigation_add": _l("Investigation planned"),
    "case.investigation_close": _l("Investigation closed"),
    "case.heir_change": _l("Family changed"),
    "inheritance.decedent": _l("Decedent recorded"),
    "inheritance.notice": _l("Public notice set"),
    "inheritance.checklist": _l("Materials checklist updated"),
    "inheritance.checklist_override": _l("Materials checklist overridden"),
    "inheritance.division": _l("Agreed division recorded"),
    "inheritance.division_lapsed": _l("Agreed division lapsed"),
    "party.create": _l("Party registered"),
    "party.update": _l("Party changed"),
    "party.reveal": _l("Full ID and phone numbers shown"),
    "party.export": _l("Personal data exported for the party"),
    "personal_data.reveal": _l("Full ID number shown"),
}

FIELD_LABELS: dict[str, Any] = {
    "status": _l("Status"),
    "category": _l("Category"),
    "place_of_use": _l("Country or region of use"),
    "purpose": _l("Purpose"),
    "document_name": _l("Document to be notarized"),
    "translation_language": _l("Translation language"),
    "copies": _l("Copies"),
    "urgency": _l("Urgency"),
    "urgency_reason": _l("Reason for urgency"),
    "notes": _l("Notes"),
    "matters": _l("Matters"),
    "participants": _l("Participants"),
    "participant": _l("Participant"),
    "party_id": _l("Party"),
    "material": _l("Material"),
    "sha256": "SHA-256",
    "size": _l("Size (bytes)"),
    "acceptance_number": _l("Acceptance no."),
    "handling_notary_id": _l("Handling notary"),
    "assistant_id": _l("Assistant"),
    "certificate_number": _l("Certificate number"),
    "delivered_to": _l("Received by"),
    "archive_number": _l("Archive number"),
    "closing_ground": _l("Ground"),
    "name": _l("Name"),
    "kind": _l("Party type"),
    "document_type": _l("Document type"),
    "document_number": _l("Document number"),
    "sex": _l("Sex"),
    "birth_date": _l("Date of birth"),
    "nationality": _l("Nationality"),
    "phone": _l("Phone"),
    "address": _l("Address"),
    "legal_representative": _l("Legal representative"),
    "investigation": _l("Investigation"),
    "decedent_name": _l("Name of the decedent"),
    "death_date": _l("Date of death"),
    "death_place": _l("Place of death"),
    "last_residence": _l("Last residence"),
    "death_proof": _l("Proof of death"),
    "notice_start": _l("Notice starts on"),
    "notice_end": _l("Notice ends on"),
    "notice_days": _l("Days"),
    "agreed": _l("Agreed division"),
    "missing": _l("Missing"),
}


VALUE_ENUMS: dict[str, Any] = {}


def register_audit_labels(actions: dict[str, Any] | None = None,
                          fields: dict[str, Any] | None = None,
                          enums: dict[str, Any] | None = None) -> None:
    """Let a domain name its own audit actions, fields and enum-valued fields (a field whose
    value is read through a LabelledEnum); called when its package loads."""
    ACTION_LABELS.update(actions or {})
    FIELD_LABELS.update(fields or {})
    VALUE_ENUMS.update(enums or {})


def _participant_role_label(role: str) -> str:
    from notary.cases.models import ParticipantRole

    try:
        return ParticipantRole(role).label
    except ValueError:
        return role


def audit_action(action: str) -> str:
    """The translated name of an audit action."""
    return str(ACTION_LABELS.get(action, action))


def audit_field(key: str) -> str:
    """The translated name of an audited field."""
    return str(FIELD_LABELS.get(key, key))


# Fields holding ID or phone numbers, and how each is masked when the history shows it.
MASKED_FIELDS: dict[str, Callable[[str], str]] = {
    "document_number": mask_document_number, "decedent_document": mask_document_number,
    "phone": mask_phone}


def audit_value(key: str, value: Any, names: dict[int, str] | None = None) -> str:
    """A value as a person reads it: labels for enums, names for user ids, 、 for lists."""
    from notary.cases.models import Category, Urgency
    from notary.cases.rules import CaseStatus

    if value is None or value == "":
        return "—"
    if key in MASKED_FIELDS and isinstance(value, str):
        # The history is a page like any other: personal numbers stay masked there too
        # (full numbers only through a logged reveal, 个人信息保护法 art. 51).
        return MASKED_FIELDS[key](value)
    enums: dict[str, Any] = {"status": CaseStatus, "category": Category, "urgency": Urgency,
                             **VALUE_ENUMS}
    if key in enums:
        try:
            return str(enums[key](value).label)
        except ValueError:
            return str(value)
    if key.endswith("_id") and key != "party_id" and names and isinstance(value, int):
        return names.get(value, str(value))
    if isinstance(value, dict) and {"role", "name"} <= value.keys():
        return f"{_participant_role_label(value['role'])}: {value['name']}"
    if isinstance(value, list):
        return "、".join(audit_value(key, v, names) for v in value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)
