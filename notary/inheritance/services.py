"""Inheritance services: the decedent, family, estate, wills, notice, checklist, division.

Every change recomputes the heir determination (rules.determine_heirs) and stores it on the
case, so the page and, later, the inheritance certificate read one stored result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

import sqlalchemy as sa
from blinker import Namespace
from flask import current_app
from flask_babel import gettext as _

from notary.cases.models import Case, ParticipantRole
from notary.cases.rules import EDITABLE_STATUSES, Action
from notary.cases.services import is_case_worker
from notary.cases.workflow import StepContext, register_step_check
from notary.core import audit
from notary.core.errors import DomainError, ErrorCollector, NotFound, NotPermitted
from notary.core.models import office_today, utcnow
from notary.core.permissions import Permission, ensure_permitted, has_permission
from notary.extensions import db
from notary.inheritance import rules
from notary.inheritance.checklist import ITEMS, reason_text
from notary.inheritance.models import (
    AssetKind,
    ChecklistEntry,
    ChecklistState,
    DeathProof,
    Disposition,
    DispositionKind,
    EstateItem,
    FamilyMember,
    InheritanceCase,
    LossGround,
)
from notary.inheritance.rules import Kinship, Relation

DECEDENT_FIELDS = ("decedent_name", "decedent_document", "death_date", "death_place",
                   "last_residence", "death_proof", "death_proof_note")
MEMBER_FIELDS = ("name", "document_number", "relation", "kind", "via_id", "successor_of_id",
                 "birth_date", "death_date", "died_in_same_event", "has_other_heirs",
                 "main_support", "renounced", "renounced_on", "lost_right_ground", "forgiven",
                 "note")
LINKED = {Relation.DESCENDANT: (Relation.CHILD, Relation.DESCENDANT),
          Relation.NEPHEW_NIECE: (Relation.SIBLING,),
          Relation.CHILD_IN_LAW: (Relation.CHILD,)}

# Sent with the case whenever a new determination is stored: a drafted inheritance
# certificate follows it (certificates/services.py) until approval freezes the wording.
determination_changed = Namespace().signal("inheritance.determination-changed")


@dataclass(frozen=True)
class DecedentData:
    name: str
    death_date: date
    death_proof: DeathProof
    document: str | None = None
    death_place: str | None = None
    last_residence: str | None = None
    death_proof_note: str | None = None


@dataclass(frozen=True)
class MemberData:
    name: str
    relation: Relation
    kind: Kinship = Kinship.BORN
    document_number: str | None = None
    via_id: int | None = None
    successor_of_id: int | None = None
    birth_date: date | None = None
    death_date: date | None = None
    died_in_same_event: bool = False
    has_other_heirs: bool = True
    main_support: bool = False
    renounced: bool = False
    renounced_on: date | None = None
    lost_right_ground: LossGround | None = None
    forgiven: bool = False
    note: str | None = None


@dataclass(frozen=True)
class AssetData:
    kind: AssetKind
    description: str
    value: Decimal
    is_marital: bool = False
    disposed_by_will: bool = False


def is_inheritance_case(case: Case) -> bool:
    """Whether the case includes the matter 继承."""
    return any(m.code == "inheritance" for m in case.matters)


def get_file(case: Case) -> InheritanceCase | None:
    """The inheritance record of the case (None until the decedent is entered)."""
    return db.session.get(InheritanceCase, case.id)


def members_of(case_id: int) -> list[FamilyMember]:
    """The family as recorded, in entry order, removed ones left out."""
    return list(db.session.scalars(sa.select(FamilyMember).where(
        FamilyMember.case_id == case_id, FamilyMember.is_removed.is_(False))
        .order_by(FamilyMember.id)))


def assets_of(case_id: int) -> list[EstateItem]:
    """The estate items, removed ones left out."""
    return list(db.session.scalars(sa.select(EstateItem).where(
        EstateItem.case_id == case_id, EstateItem.is_removed.is_(False))
        .order_by(EstateItem.id)))


def dispositions_of(case_id: int) -> list[Disposition]:
    """Wills and legacy-support agreements on file."""
    return list(db.session.scalars(sa.select(Disposition).where(
        Disposition.case_id == case_id, Disposition.is_removed.is_(False))
        .order_by(Disposition.id)))


def checklist_of(case_id: int) -> dict[int, ChecklistEntry]:
    """The checklist rows by item number."""
    return {e.item: e for e in db.session.scalars(sa.select(ChecklistEntry).where(
        ChecklistEntry.case_id == case_id))}


def parties_to_pick(case: Case) -> list[Any]:
    """The people on the case (applicants, agents) not yet in its family: a relative who is
    a party is picked, not typed again."""
    family = {(m.name, m.document_number or "") for m in members_of(case.id)}
    named = {m.name for m in members_of(case.id) if not m.document_number}
    return [p.party for p in case.active_participants
            if (p.party.name, p.party.document_number) not in family
            and p.party.name not in named]


def can_edit(actor: Any, case: Case) -> bool:
    """Case workers with the permission, while the case's data may still change."""
    return (has_permission(actor, Permission.INHERITANCE_EDIT) and is_case_worker(actor, case)
            and case.status in EDITABLE_STATUSES)


def _ensure_editable(actor: Any, case: Case) -> None:
    ensure_permitted(actor, Permission.INHERITANCE_EDIT)
    if not is_case_worker(actor, case):
        raise NotPermitted(_("Only the notary handling this case, their assistant or the "
                             "director can change it."))
    if not is_inheritance_case(case):
        raise DomainError(_("This is not an inheritance case."))
    if case.status not in EDITABLE_STATUSES:
        raise DomainError(_("The case can no longer be changed at this stage."))


def _require_file(case: Case) -> InheritanceCase:
    file = get_file(case)
    if file is None:
        raise DomainError(_("Enter the decedent first."))
    return file


# --- the decedent and the notice ------------------------------------------------------------

def save_decedent(case: Case, data: DecedentData, *, actor: Any) -> InheritanceCase:
    """Enter or correct the decedent (被继承人); opens the ten-item checklist the first time."""
    _ensure_editable(actor, case)
    errors = ErrorCollector()
    if not data.name.strip():
        errors.add("name", _("This field is required."))
    if data.death_date > office_today():
        errors.add("death_date", _("The date of death cannot be in the future."))
    errors.raise_if_any()
    file = get_file(case)
    before = audit.snapshot(file, DECEDENT_FIELDS) if file else None
    if file is None:
        file = InheritanceCase(case_id=case.id)
        db.session.add(file)
        for item in ITEMS:
            db.session.add(ChecklistEntry(case_id=case.id, item=item))
    file.decedent_name, file.decedent_document = data.name.strip(), _clean(data.document)
    file.death_date, file.death_place = data.death_date, _clean(data.death_place)
    file.last_residence, file.death_proof = _clean(data.last_residence), data.death_proof
    file.death_proof_note = _clean(data.death_proof_note)
    after = audit.snapshot(file, DECEDENT_FIELDS)
    if before is not None:
        before, after = audit.changed_only(before, after)
    audit.record(db.session, actor, "inheritance.decedent", case, before=before, after=after)
    _refresh(case, file, actor)
    db.session.commit()
    return file


def set_notice(case: Case, start: date, days: int | None, *, actor: Any) -> InheritanceCase:
    """Record the public notice (公示): its start and, from the office's period, its end."""
    _ensure_editable(actor, case)
    file = _require_file(case)
    days = days if days is not None else int(current_app.config["INHERITANCE_NOTICE_DAYS"])
    if not 1 <= days <= 365:
        raise_field("notice_days", _("Enter a number of days from 1 to 365."))
    before = audit.snapshot(file, ("notice_days", "notice_start", "notice_end"))
    file.notice_days, file.notice_start = days, start
    file.notice_end = start + timedelta(days=days - 1)
    audit.record(db.session, actor, "inheritance.notice", case, before=before,
                 after=audit.snapshot(file, ("notice_days", "notice_start", "notice_end")))
    db.session.commit()
    return file


def raise_field(field: str, message: str) -> None:
    """Refuse with one message next to one field."""
    errors = ErrorCollector()
    errors.add(field, message)
    errors.raise_if_any()


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


# --- the family -----------------------------------------------------------------------------

def get_member(case: Case, member_id: int) -> FamilyMember:
    """A family member of this case, or NotFound."""
    member = db.session.get(FamilyMember, member_id)
    if member is None or member.case_id != case.id or member.is_removed:
        raise NotFound(_("No such family member."))
    return member


def _check_member(case: Case, file: InheritanceCase, data: MemberData,
                  member: FamilyMember | None) -> ErrorCollector:
    errors = ErrorCollector()
    if not data.name.strip():
        errors.add("name", _("This field is required."))
    others = {m.id: m for m in members_of(case.id) if member is None or m.id != member.id}
    successor = data.successor_of_id is not None
    if successor:
        heir = others.get(data.successor_of_id or 0)
        if heir is None or heir.death_date is None or heir.death_date <= file.death_date:
            errors.add("successor_of_id", _("Choose an heir who died after the decedent."))
    if data.relation in LINKED:
        link = others.get(data.via_id or 0)
        if link is None or (not successor and link.relation not in LINKED[data.relation]):
            errors.add("via_id", _("Choose the relative through whom this person is related."))
        elif data.relation is Relation.CHILD_IN_LAW and link.death_date is None:
            errors.add("via_id", _("A widowed in-law's spouse must have died."))
    elif data.via_id is not None:
        errors.add("via_id", _("Only descendants, nephews and nieces, and in-laws are linked "
                               "through another relative."))
    if data.death_date and data.death_date > office_today():
        errors.add("death_date", _("The date of death cannot be in the future."))
    if data.died_in_same_event and data.death_date != file.death_date:
        errors.add("died_in_same_event", _("Deaths in one event have the decedent's date of "
                                           "death."))
    if data.renounced:
        # Art. 1124, Interp. art. 35: in writing, after succession opened, before division.
        if data.renounced_on is None:
            errors.add("renounced_on", _("Enter the date of the written renunciation."))
        elif data.renounced_on < file.death_date:
            errors.add("renounced_on", _("A renunciation is possible only after the death."))
    if data.forgiven and (data.lost_right_ground is None
                          or not data.lost_right_ground.forgivable):
        errors.add("forgiven", _("Forgiveness restores the right only on grounds (3) to (5) "
                                 "of art. 1125."))
    if data.main_support and data.relation is not Relation.CHILD_IN_LAW:
        errors.add("main_support", _("Main support matters only for a widowed in-law "
                                     "(art. 1129)."))
    return errors


def save_member(case: Case, member: FamilyMember | None, data: MemberData, *,
                actor: Any) -> FamilyMember:
    """Add a relative or correct one (a renunciation, a death, a loss of the right)."""
    _ensure_editable(actor, case)
    file = _require_file(case)
    _check_member(case, file, data, member).raise_if_any()
    before = audit.snapshot(member, MEMBER_FIELDS) if member else None
    if member is None:
        member = FamilyMember(case_id=case.id)
        db.session.add(member)
    for name in MEMBER_FIELDS:
        value = getattr(data, name)
        if isinstance(value, str) and not isinstance(value, Enum):
            value = value.strip() if name == "name" else _clean(value)
        setattr(member, name, value)
    after = audit.snapshot(member, MEMBER_FIELDS)
    if before is not None:
        before, after = audit.changed_only(before, after)
    db.session.flush()
    audit.record(db.session, actor, "inheritance.member", member, before=before, after=after)
    audit.record(db.session, actor, "case.heir_change", case,
                 after={"relation": member.relation.value, "name": member.name})
    _refresh(case, file, actor)
    db.session.commit()
    return member


def remove_member(case: Case, member: FamilyMember, *, actor: Any) -> None:
    """Take a relative off the family (kept in the record)."""
    _ensure_editable(actor, case)
    file = _require_file(case)
    linked = [m.name for m in members_of(case.id)
              if m.via_id == member.id or m.successor_of_id == member.id]
    if linked:
        raise DomainError(_("Remove first the relatives recorded through %(name)s: %(list)s.",
                            name=member.name, list="、".join(linked)))
    member.is_removed = True
    audit.record(db.session, actor, "inheritance.member_remove", member,
                 before={"name": member.name, "is_removed": False}, after={"is_removed": True})
    _refresh(case, file, actor)
    db.session.commit()


# --- the estate and wills -------------------------------------------------------------------

def add_asset(case: Case, data: AssetData, *, actor: Any) -> EstateItem:
    """Add an item of the estate with its value."""
    _ensure_editable(actor, case)
    file = _require_file(case)
    errors = ErrorCollector()
    if not data.description.strip():
        errors.add("description", _("This field is required."))
    if data.value < 0:
        errors.add("value", _("The value cannot be negative."))
    errors.raise_if_any()
    item = EstateItem(case_id=case.id, kind=data.kind, description=data.description.strip(),
                      value=data.value, is_marital=data.is_marital,
                      disposed_by_will=data.disposed_by_will)
    db.session.add(item)
    db.session.flush()
    audit.record(db.session, actor, "inheritance.asset", item, after=audit.snapshot(
        item, ("kind", "description", "value", "is_marital", "disposed_by_will")))
    _refresh(case, file, actor)
    db.session.commit()
    return item


def remove_asset(case: Case, item_id: int, *, actor: Any) -> None:
    """Take an item off the estate (kept in the record)."""
    _ensure_editable(actor, case)
    file = _require_file(case)
    item = db.session.get(EstateItem, item_id)
    if item is None or item.case_id != case.id or item.is_removed:
        raise NotFound(_("No such item."))
    item.is_removed = True
    audit.record(db.session, actor, "inheritance.asset_remove", item,
                 before={"description": item.description}, after={"is_removed": True})
    _refresh(case, file, actor)
    db.session.commit()


def add_disposition(case: Case, kind: DispositionKind, summary: str, made_on: date | None,
                    form: str | None, *, actor: Any) -> Disposition:
    """Record a will or legacy-support agreement the family produced (material 6)."""
    _ensure_editable(actor, case)
    _require_file(case)
    if not summary.strip():
        raise_field("summary", _("This field is required."))
    entry = Disposition(case_id=case.id, kind=kind, summary=summary.strip(), made_on=made_on,
                        form=_clean(form))
    db.session.add(entry)
    db.session.flush()
    audit.record(db.session, actor, "inheritance.disposition", entry,
                 after=audit.snapshot(entry, ("kind", "made_on", "form", "summary")))
    db.session.commit()
    return entry


def remove_disposition(case: Case, entry_id: int, *, actor: Any) -> None:
    """Take a will or agreement off the file (kept in the record)."""
    _ensure_editable(actor, case)
    entry = db.session.get(Disposition, entry_id)
    if entry is None or entry.case_id != case.id or entry.is_removed:
        raise NotFound(_("No such will or agreement."))
    entry.is_removed = True
    audit.record(db.session, actor, "inheritance.disposition_remove", entry,
                 before={"summary": entry.summary}, after={"is_removed": True})
    db.session.commit()


# --- the checklist (2009 guidance, art. 3) ---------------------------------------------------

def update_checklist(case: Case, states: dict[int, tuple[ChecklistState, str | None]], *,
                     actor: Any) -> int:
    """Record which of the ten materials are present, missing or not applicable; return how
    many changed."""
    _ensure_editable(actor, case)
    _require_file(case)
    entries = checklist_of(case.id)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for item, (state, note) in states.items():
        entry = entries.get(item)
        if entry is None:
            continue
        note = _clean(note)
        if entry.state is not state or entry.note != note:
            before[str(item)] = entry.state.value
            entry.state, entry.note = state, note
            entry.checked_by_id, entry.checked_at = actor.id, utcnow()
            after[str(item)] = state.value
    if after:
        audit.record(db.session, actor, "inheritance.checklist", case, before=before,
                     after=after)
    db.session.commit()
    return len(after)


def items_not_called(case: Case, today: date | None = None) -> tuple[int, ...]:
    """The checklist items the recorded facts do not call for ("if any" items of the 2009
    guidance), so a fresh file does not show them as missing: 4 while no relative has died,
    6 while no will or legacy-support agreement is on file, 7 while there is no spouse, 8
    while nobody renounced, 9 while no agent acts on the case, 10 while no relative is a
    minor. An item someone has checked (present, missing or not applicable) keeps its state."""
    members = members_of(case.id)
    today = today or office_today()

    def minor(m: FamilyMember) -> bool:
        return m.birth_date is not None and m.death_date is None and (
            today.year - m.birth_date.year
            - ((today.month, today.day) < (m.birth_date.month, m.birth_date.day))) < 18

    called = {
        4: any(m.death_date is not None for m in members),
        6: bool(dispositions_of(case.id)),
        7: any(m.relation is Relation.SPOUSE for m in members),
        8: any(m.renounced for m in members),
        9: any(p.role is ParticipantRole.AGENT for p in case.active_participants),
        10: any(minor(m) for m in members),
    }
    entries = checklist_of(case.id)
    return tuple(item for item, needed in called.items() if not needed
                 and (entry := entries.get(item)) is not None
                 and entry.state is ChecklistState.MISSING and entry.checked_at is None)


def missing_items(case_id: int) -> list[int]:
    """The checklist items still missing."""
    return sorted(i for i, e in checklist_of(case_id).items()
                  if e.state is ChecklistState.MISSING)


def override_checklist(case: Case, reason: str, *, actor: Any) -> InheritanceCase:
    """The director lets the case go for approval with materials missing, for a reason."""
    ensure_permitted(actor, Permission.CHECKLIST_OVERRIDE)
    file = _require_file(case)
    if not reason.strip():
        raise_field("reason", _("Give the reason; it is recorded in the file."))
    file.checklist_override_by_id, file.checklist_override_at = actor.id, utcnow()
    file.checklist_override_reason = reason.strip()
    audit.record(db.session, actor, "inheritance.checklist_override", case,
                 after={"missing": missing_items(case.id)}, reason=reason.strip())
    db.session.commit()
    return file


@register_step_check
def _materials_before_approval(step: StepContext, errors: ErrorCollector) -> None:
    """No approval while the decedent or a material of the 2009 checklist is missing."""
    if step.action is not Action.SUBMIT_FOR_APPROVAL or not is_inheritance_case(step.case):
        return
    file = get_file(step.case)
    if file is None:
        errors.add("", _("Enter the decedent, the family and the estate before approval."))
        return
    not_called = items_not_called(step.case)
    missing = [i for i in missing_items(step.case.id) if i not in not_called]
    from notary.inheritance.small_estate import small_estate_route

    if route := small_estate_route(step.case, assets_of(step.case.id)):
        # The small-estate route asks for fewer materials (an office setting [U]).
        missing = [i for i in missing if i not in route.optional_items]
    if missing and file.checklist_override_at is None:
        errors.add("", _("Materials missing from the checklist: %(items)s. Supply them, or "
                         "the director may override with a reason.",
                         items="、".join(str(i) for i in missing)))


# --- the determination ----------------------------------------------------------------------

def family_for_rules(file: InheritanceCase, members: list[FamilyMember],
                     assets: list[EstateItem]) -> rules.Family:
    """The recorded family and estate as the pure rules module reads them."""
    return rules.Family(
        death_date=file.death_date,
        people=[rules.Person(
            id=m.id, name=m.name, relation=m.relation, kind=m.kind, via=m.via_id,
            successor_of=m.successor_of_id, death_date=m.death_date,
            died_in_same_event=m.died_in_same_event, has_other_heirs=m.has_other_heirs,
            main_support=m.main_support, renounced=m.renounced, renounced_on=m.renounced_on,
            lost_right=m.lost_right_ground is not None, forgiven=m.forgiven) for m in members],
        assets=[rules.Asset(a.id, a.description, Decimal(a.value), a.is_marital,
                            a.disposed_by_will) for a in assets])


def determination(case: Case) -> rules.Determination | None:
    """Determine the heirs from what is recorded now (None before the decedent is entered)."""
    file = get_file(case)
    if file is None:
        return None
    return rules.determine_heirs(family_for_rules(file, members_of(case.id),
                                                  assets_of(case.id)))


def determination_summary(case: Case) -> dict[str, Any] | None:
    """The heir determination as plain data (what is stored on the file), computed now."""
    result = determination(case)
    return _serialize(result) if result is not None else None


def _money(value: Decimal) -> str:
    return str(value.quantize(rules.CENT))


def _reason_codes(reasons: list[rules.Reason]) -> list[list[str]]:
    return [[x.code.value, x.article.value, x.about] for x in reasons]


def _serialize(result: rules.Determination) -> dict[str, Any]:
    # The reasons are stored as text (as the saver read them) and as codes, so that each
    # reader sees them in their own language (`readable_result`).
    return {
        "estate_total": _money(result.estate_total), "spouse_half": _money(result.spouse_half),
        "spouse_half_to": result.spouse_half_to, "by_will": _money(result.by_will),
        "inheritable": _money(result.inheritable), "order": result.order,
        "notes": [reason_text(n) for n in result.notes],
        "note_codes": _reason_codes(result.notes),
        "people": [{"member_id": r.person_id, "name": r.name, "outcome": r.outcome.value,
                    "final": r.is_final, "share": rules.describe_fraction(r.share),
                    "amount": str(r.amount), "order": r.order,
                    "articles": sorted({x.article.value for x in r.reasons}),
                    "reasons": [reason_text(x) for x in r.reasons],
                    "reason_codes": _reason_codes(r.reasons)} for r in result.people],
    }


def _reason_texts(codes: list[list[str]] | None, stored: list[str]) -> list[str]:
    if codes is None:
        return stored  # a determination stored before the codes were: as it was read then
    try:
        return [reason_text(rules.Reason(rules.Why(code), rules.Art(article), about))
                for code, article, about in codes]
    except ValueError:
        return stored


def readable_result(result: dict[str, Any] | None) -> dict[str, Any]:
    """The stored determination with its reasons in the reader's language."""
    if not result:
        return {}
    half_to, half = result.get("spouse_half_to"), Decimal(result.get("spouse_half") or "0")

    def person(r: dict[str, Any]) -> dict[str, Any]:
        out = {**r, "reasons": _reason_texts(r.get("reason_codes"), r.get("reasons", []))}
        if half and r.get("member_id") == half_to:
            # The spouse keeps their own half of the marital property (民法典 art. 1153)
            # besides their share: both, and what they receive in all.
            out["own_half"] = _money(half)
            out["total"] = _money(half + Decimal(r.get("amount") or "0"))
        return out

    return {**result,
            "notes": _reason_texts(result.get("note_codes"), result.get("notes", [])),
            "people": [person(r) for r in result.get("people", [])]}


def _refresh(case: Case, file: InheritanceCase, actor: Any) -> None:
    """Store the current determination; an agreed division on other heirs lapses."""
    db.session.flush()
    result = rules.determine_heirs(family_for_rules(file, members_of(case.id),
                                                    assets_of(case.id)))
    file.result, file.result_at = _serialize(result), utcnow()
    determination_changed.send(case)
    heirs = {str(r.person_id) for r in result.heirs}
    if file.agreed_shares and set(file.agreed_shares) != heirs:
        audit.record(db.session, actor, "inheritance.division_lapsed", case,
                     before={"agreed": file.agreed_shares}, after={"agreed": None})
        file.agreed_shares, file.agreed_note = None, None
        file.agreed_by_id = file.agreed_at = None


def record_division(case: Case, shares: dict[int, Fraction], note: str, *,
                    actor: Any) -> InheritanceCase:
    """Record a division the heirs agreed on instead of equal shares (art. 1130 ¶5)."""
    _ensure_editable(actor, case)
    file = _require_file(case)
    result = determination(case)
    assert result is not None
    heirs = {r.person_id for r in result.heirs}
    errors = ErrorCollector()
    if set(shares) != heirs:
        errors.add("", _("Give a share for every heir, and only for the heirs."))
    if any(s < 0 for s in shares.values()):
        errors.add("", _("A share cannot be negative."))
    if sum(shares.values(), Fraction(0)) != 1:
        errors.add("", _("The shares must add up to the whole estate (1)."))
    if not note.strip():
        errors.add("note", _("Describe the agreement (who agreed, when, in what form)."))
    errors.raise_if_any()
    before = {"agreed": file.agreed_shares}
    file.agreed_shares = {str(k): rules.describe_fraction(v) for k, v in sorted(shares.items())}
    file.agreed_note, file.agreed_by_id, file.agreed_at = note.strip(), actor.id, utcnow()
    audit.record(db.session, actor, "inheritance.division", case, before=before,
                 after={"agreed": file.agreed_shares}, reason=note.strip())
    db.session.commit()
    return file


def agreed_amounts(file: InheritanceCase) -> dict[int, tuple[Fraction, Decimal]]:
    """The agreed shares and the money they give, from the stored determination."""
    if not file.agreed_shares or not file.result:
        return {}
    shares = {int(k): rules.parse_fraction(v) for k, v in file.agreed_shares.items()}
    money = rules.split_by_agreement(shares, Decimal(file.result["inheritable"]))
    return {k: (v, money[k]) for k, v in shares.items()}
