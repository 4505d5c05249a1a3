"""Party services: validate identity documents, keep one record per document."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from notary.core import audit
from notary.core.clock import office_today
from notary.core.errors import ConcurrentEdit, ErrorCollector, NotFound, ValidationFailed
from notary.core.permissions import Permission, ensure_permitted
from notary.extensions import db
from notary.parties.models import DOCUMENT_TYPE_LABELS, Party, PartyKind
from notary.parties.rules import (
    DocumentProblem,
    DocumentType,
    Sex,
    birth_date_from_document,
    check_document,
    normalize_document_number,
    sex_from_document,
)

PARTY_AUDIT_FIELDS = ("kind", "name", "document_type", "document_number", "sex", "birth_date",
                      "nationality", "phone", "address", "legal_representative", "notes",
                      "birth_province", "birth_county", "father_name", "mother_name")

ORGANISATION_DOCUMENTS = frozenset({DocumentType.USCC})

_PROBLEM_MESSAGES = {
    "empty": _l("Enter the document number."),
    "length": _l("The number must have %(expected)s characters."),
    "characters": _l("The number contains characters this document type does not use."),
    "check_char": _l("The check digit is wrong: the last character should be %(expected)s, "
                     "not %(found)s. Please check the number."),
    "birth_date_invalid": _l("The birth date inside the number is not a valid date."),
    "birth_date_mismatch": _l("The ID number shows the birth date as %(in_document)s, which "
                              "differs from the birth date entered."),
    "sex_mismatch": _l("The ID number shows the sex as %(in_document)s, which differs from the "
                       "sex entered."),
    "region": _l("The first two digits are not a valid province code."),
    "nationality_required": _l("Enter the nationality for a passport."),
    "prefix": _l("The number must start with H (Hong Kong) or M (Macao)."),
}

_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,30}$")


@dataclass(frozen=True)
class PartyData:
    kind: PartyKind
    name: str
    document_type: DocumentType
    document_number: str
    sex: Sex | None = None
    birth_date: date | None = None
    nationality: str | None = None
    phone: str | None = None
    address: str | None = None
    legal_representative: str | None = None
    notes: str | None = None
    birth_province: str | None = None
    birth_county: str | None = None
    father_name: str | None = None
    mother_name: str | None = None


def problem_message(problem: DocumentProblem) -> str:
    """Translate a document problem into a sentence for the field."""
    detail = dict(problem.detail)
    if "in_document" in detail and detail["in_document"] in {"male", "female"}:
        detail["in_document"] = _("male") if detail["in_document"] == "male" else _("female")
    template = _PROBLEM_MESSAGES.get(problem.code, _l("The document number is not valid."))
    return str(template) % detail if detail else str(template).replace("%%", "%")


def normalize_party_data(data: PartyData) -> PartyData:
    """Normalise the document number and fill birth date and sex from an ID number."""
    number = normalize_document_number(data.document_type, data.document_number)
    data = replace(data, document_number=number, name=data.name.strip())
    if data.kind is PartyKind.PERSON:
        if data.birth_date is None:
            data = replace(data, birth_date=birth_date_from_document(data.document_type, number))
        if data.sex is None:
            data = replace(data, sex=sex_from_document(data.document_type, number))
    return data


def check_party_data(data: PartyData, errors: ErrorCollector, prefix: str = "") -> None:
    """Add every problem with the party's data to errors (field names get the prefix)."""
    if not data.name.strip():
        errors.add(prefix + "name", _("This field is required."))
    is_org_doc = data.document_type in ORGANISATION_DOCUMENTS
    if data.kind is PartyKind.ORGANISATION and not is_org_doc:
        errors.add(prefix + "document_type",
                   _("An organisation is identified by its unified social credit code."))
    elif data.kind is PartyKind.PERSON and is_org_doc:
        errors.add(prefix + "document_type",
                   _("A unified social credit code identifies an organisation, not a person."))
    for problem in check_document(data.document_type, data.document_number,
                                  birth_date=data.birth_date, sex=data.sex,
                                  nationality=data.nationality):
        field = "nationality" if problem.code == "nationality_required" else "document_number"
        errors.add(prefix + field, problem_message(problem))
    if data.phone and not _PHONE.match(data.phone):
        errors.add(prefix + "phone", _("Use digits only; include the area code for landlines."))
    if data.birth_date and data.birth_date > office_today():
        errors.add(prefix + "birth_date", _("The birth date cannot be in the future."))


def find_by_document(document_type: DocumentType, number: str) -> Party | None:
    """Return the party holding this document, if any."""
    number = normalize_document_number(document_type, number)
    return db.session.scalar(
        sa.select(Party).where(Party.document_type == document_type,
                               Party.document_number == number)
    )


def _check_unique(data: PartyData, errors: ErrorCollector, *, existing: Party | None,
                  prefix: str = "") -> None:
    other = find_by_document(data.document_type, data.document_number)
    if other is not None and (existing is None or other.id != existing.id):
        errors.add(prefix + "document_number",
                   _("%(type)s %(number)s is already registered for %(name)s.",
                     type=DOCUMENT_TYPE_LABELS[data.document_type],
                     number=data.document_number, name=other.name))


def _apply(party: Party, data: PartyData) -> None:
    for field in PARTY_AUDIT_FIELDS:
        value = getattr(data, field)
        setattr(party, field, value.strip() or None if isinstance(value, str) and
                field not in {"name", "document_number"} else value)


def build_party(data: PartyData, *, actor: Any, prefix: str = "",
                errors: ErrorCollector | None = None) -> Party | None:
    """Validate and add a new party to the session (flush only); used inside other services.

    Without `errors`, problems raise ValidationFailed; with it, they are added to it (field
    names prefixed) and None is returned, so a caller can report every row at once.
    """
    problems = ErrorCollector()
    data = normalize_party_data(data)
    check_party_data(data, problems, prefix)
    _check_unique(data, problems, existing=None, prefix=prefix)
    if problems:
        if errors is None:
            raise ValidationFailed(problems.errors)
        for field, messages in problems.errors.items():
            for message in messages:
                errors.add(field, message)
        return None
    party = Party()
    _apply(party, data)
    db.session.add(party)
    audit.record(db.session, actor, "party.create", party,
                 after=audit.snapshot(party, PARTY_AUDIT_FIELDS))
    return party


def create_party(data: PartyData, *, actor: Any) -> Party:
    """Register a new party."""
    ensure_permitted(actor, Permission.PARTY_EDIT)
    party = build_party(data, actor=actor)
    assert party is not None
    db.session.commit()
    return party


def update_party(party: Party, data: PartyData, *, actor: Any, version: int | None) -> Party:
    """Edit a party; `version` is the one the user started from (stale edits are refused)."""
    ensure_permitted(actor, Permission.PARTY_EDIT)
    if version is not None and version != party.version:
        raise ConcurrentEdit(_("Someone else changed this party while you were editing; nothing "
                               "of yours was saved. Compare their saved values with yours and "
                               "save again."))
    errors = ErrorCollector()
    data = normalize_party_data(data)
    check_party_data(data, errors)
    _check_unique(data, errors, existing=party)
    errors.raise_if_any()
    before = audit.snapshot(party, PARTY_AUDIT_FIELDS)
    _apply(party, data)
    before, after = audit.changed_only(before, audit.snapshot(party, PARTY_AUDIT_FIELDS))
    if after:
        audit.record(db.session, actor, "party.update", party, before=before, after=after)
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise ConcurrentEdit(_("Someone else changed this party while you were editing; nothing "
                               "of yours was saved. Compare their saved values with yours and "
                               "save again.")) from exc
    return party


def get_party(party_id: int) -> Party:
    """Load a party or raise NotFound."""
    party = db.session.get(Party, party_id)
    if party is None:
        raise NotFound(_("No such party."))
    return party
