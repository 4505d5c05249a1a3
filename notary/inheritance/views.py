"""Inheritance pages: decedent, family, estate, wills, notice, checklist, agreed division."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from notary.auth.forms import EmptyForm
from notary.cases import services as case_services
from notary.cases.models import Case
from notary.cases.panels import CasePanel, register_case_panel
from notary.core.audit_labels import register_audit_labels
from notary.core.forms import run_service
from notary.core.models import office_today
from notary.core.params import arg, parse_id, reads
from notary.core.permissions import Permission, has_permission, permission_required
from notary.inheritance import bp, services
from notary.inheritance.checklist import ITEMS
from notary.inheritance.forms import (
    AssetForm,
    ChecklistForm,
    DecedentForm,
    DispositionForm,
    DivisionForm,
    MemberForm,
    NoticeForm,
    OverrideForm,
)
from notary.inheritance.models import (
    RELATION_LABELS,
    ChecklistState,
    DeathProof,
    DispositionKind,
)
from notary.inheritance.rules import Relation, describe_fraction
from notary.inheritance.small_estate import small_estate_route
from notary.parties import privacy
from notary.parties.rules import mask_document_number

# The case history reads the checklist and the decedent in words: items by their text, states
# and proofs by their labels.
AUDIT_ACTIONS = {
    "inheritance.decedent": _l("Decedent recorded"),
    "inheritance.notice": _l("Public notice set"),
    "inheritance.checklist": _l("Materials checklist updated"),
    "inheritance.checklist_override": _l("Materials checklist overridden"),
    "inheritance.division": _l("Agreed division recorded"),
    "inheritance.division_lapsed": _l("Agreed division lapsed"),
}
AUDIT_FIELDS = {
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
    "relation": _l("Relation"),
}
class _RelationValue:
    """A stored relation code read through its label (the rules' enums carry none)."""

    def __init__(self, code: str) -> None:
        self.label = RELATION_LABELS[Relation(code)]


register_audit_labels(
    AUDIT_ACTIONS,
    fields={**AUDIT_FIELDS, "decedent_document": _l("Document of the decedent"),
            "death_proof_note": _l("Proof of death: details"),
            **{str(number): text for number, text in ITEMS.items()}},
    enums={"death_proof": DeathProof, **{str(number): ChecklistState for number in ITEMS}},
    masks={"decedent_document": mask_document_number},
    # "relation" is also a staff member's recorded relative (回避): read here as kinship.
    action_enums={("case.heir_change", "relation"): _RelationValue,
                  ("inheritance.member", "relation"): _RelationValue},
)


def _back(case: Case) -> Response:
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="inheritance"))


def _panel(case: Case, actor: Any) -> dict[str, Any] | None:
    if not services.is_inheritance_case(case):
        return None
    file = services.get_file(case)
    members = services.members_of(case.id) if file else []
    result = services.readable_result(file.result if file else None)
    small_estate = small_estate_route(case, services.assets_of(case.id)) if file else None
    # What the small-estate route does not require is not missing (the step check agrees).
    optional = small_estate.optional_items if small_estate else ()
    not_called = services.items_not_called(case) if file else ()
    return {
        "file": file,
        "members": {m.id: m for m in members},
        "result": result,
        "results": {r["member_id"]: r for r in result.get("people", [])},
        "assets": services.assets_of(case.id) if file else [],
        "dispositions": services.dispositions_of(case.id) if file else [],
        "checklist": services.checklist_of(case.id),
        "checklist_items": ITEMS,
        "missing": [i for i in services.missing_items(case.id)
                    if i not in optional and i not in not_called],
        "optional": optional,
        "not_called": not_called,
        "agreed": services.agreed_amounts(file) if file else {},
        "can_edit": services.can_edit(actor, case),
        "can_override": has_permission(actor, Permission.CHECKLIST_OVERRIDE) and file is not None,
        "button_form": EmptyForm(),
        "describe": describe_fraction,
        "small_estate": small_estate,
    }


register_case_panel(CasePanel("inheritance/_panel.html", _panel, column="main", order=10))


@bp.route("/cases/<int:case_id>/decedent", methods=["GET", "POST"])
@permission_required(Permission.INHERITANCE_EDIT)
def decedent(case_id: int) -> str | Response:
    case = case_services.get_case(case_id)
    file = services.get_file(case)
    form = DecedentForm(obj=None)
    if file is not None and not form.is_submitted():
        form.name.data, form.document.data = file.decedent_name, file.decedent_document
        form.death_date.data, form.death_place.data = file.death_date, file.death_place
        form.last_residence.data = file.last_residence
        form.death_proof.data, form.death_proof_note.data = (file.death_proof.value,
                                                              file.death_proof_note)
        if file.decedent_document:  # the form holds the full number: a logged reveal
            privacy.record_reveal(case, actor=current_user, purpose="decedent form")
    if form.validate_on_submit() and run_service(form, lambda: services.save_decedent(
            case, form.to_data(), actor=current_user)):
        flash(_("Saved."), "success")
        return _back(case)
    return render_template("inheritance/form.html", case=case, form=form,
                           title=_("The decedent"))


@bp.route("/cases/<int:case_id>/members/new", methods=["GET", "POST"])
@bp.route("/cases/<int:case_id>/members/<int:member_id>", methods=["GET", "POST"])
@reads("party")
@permission_required(Permission.INHERITANCE_EDIT)
def member(case_id: int, member_id: int | None = None) -> str | Response:
    case = case_services.get_case(case_id)
    existing = services.get_member(case, member_id) if member_id else None
    form = MemberForm(obj=existing if existing and request.method == "GET" else None)
    form.setup([m for m in services.members_of(case.id) if m is not existing])
    pick = {p.id: p for p in services.parties_to_pick(case)} if existing is None else {}
    if (party := pick.get(arg("party", parse_id, 0))) and not form.is_submitted():
        form.fill_from_party(party)
        privacy.record_reveal(party, actor=current_user, purpose="family member form")
    if existing is not None and not form.is_submitted():
        form.relation.data, form.kind.data = existing.relation.value, existing.kind.value
        form.lost_right_ground.data = (existing.lost_right_ground.value
                                       if existing.lost_right_ground else None)
        if existing.document_number:  # the form holds the full number: a logged reveal
            privacy.record_reveal(existing, actor=current_user, purpose="family member form")
    if form.validate_on_submit() and run_service(form, lambda: services.save_member(
            case, existing, form.to_data(), actor=current_user)):
        flash(_("Saved."), "success")
        return _back(case)
    return render_template("inheritance/member_form.html", case=case, form=form,
                           existing=existing, pick=pick.values())


@bp.route("/cases/<int:case_id>/members/<int:member_id>/remove", methods=["POST"])
@permission_required(Permission.INHERITANCE_EDIT)
def remove_member(case_id: int, member_id: int) -> Response:
    case = case_services.get_case(case_id)
    member = services.get_member(case, member_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.remove_member(case, member, actor=current_user)
    flash(_("Removed."), "success")
    return _back(case)


@bp.route("/cases/<int:case_id>/assets/new", methods=["GET", "POST"])
@permission_required(Permission.INHERITANCE_EDIT)
def add_asset(case_id: int) -> str | Response:
    case = case_services.get_case(case_id)
    form = AssetForm()
    if form.validate_on_submit() and run_service(form, lambda: services.add_asset(
            case, form.to_data(), actor=current_user)):
        flash(_("Saved."), "success")
        return _back(case)
    return render_template("inheritance/form.html", case=case, form=form,
                           title=_("Estate item"))


@bp.route("/cases/<int:case_id>/assets/<int:item_id>/remove", methods=["POST"])
@permission_required(Permission.INHERITANCE_EDIT)
def remove_asset(case_id: int, item_id: int) -> Response:
    case = case_services.get_case(case_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.remove_asset(case, item_id, actor=current_user)
    flash(_("Removed."), "success")
    return _back(case)


@bp.route("/cases/<int:case_id>/dispositions/new", methods=["GET", "POST"])
@permission_required(Permission.INHERITANCE_EDIT)
def add_disposition(case_id: int) -> str | Response:
    case = case_services.get_case(case_id)
    form = DispositionForm()
    if form.validate_on_submit() and run_service(form, lambda: services.add_disposition(
            case, DispositionKind(form.kind.data), form.summary.data or "", form.made_on.data,
            form.form.data, actor=current_user)):
        flash(_("Saved."), "success")
        return _back(case)
    return render_template("inheritance/form.html", case=case, form=form,
                           title=_("Will or legacy-support agreement"))


@bp.route("/cases/<int:case_id>/dispositions/<int:disposition_id>/remove", methods=["POST"])
@permission_required(Permission.INHERITANCE_EDIT)
def remove_disposition(case_id: int, disposition_id: int) -> Response:
    case = case_services.get_case(case_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.remove_disposition(case, disposition_id, actor=current_user)
    flash(_("Removed."), "success")
    return _back(case)


@bp.route("/cases/<int:case_id>/notice", methods=["GET", "POST"])
@permission_required(Permission.INHERITANCE_EDIT)
def notice(case_id: int) -> str | Response:
    case = case_services.get_case(case_id)
    file = services.get_file(case)
    form = NoticeForm()
    if not form.is_submitted():
        form.start.data = (file.notice_start if file else None) or office_today()
        form.days.data = (file.notice_days if file else None) or int(
            current_app.config["INHERITANCE_NOTICE_DAYS"])
    if form.validate_on_submit() and run_service(form, lambda: services.set_notice(
            case, form.start.data or office_today(), form.days.data, actor=current_user)):
        flash(_("Saved."), "success")
        return _back(case)
    return render_template("inheritance/form.html", case=case, form=form,
                           title=_("Public notice (公示)"))


@bp.route("/cases/<int:case_id>/checklist", methods=["GET", "POST"])
@permission_required(Permission.INHERITANCE_EDIT)
def checklist(case_id: int) -> str | Response:
    case = case_services.get_case(case_id)
    form = ChecklistForm()
    if form.validate_on_submit() and run_service(form, lambda: services.update_checklist(
            case, ChecklistForm.states(request.form.to_dict()), actor=current_user)) is not None:
        flash(_("Saved."), "success")
        return _back(case)
    return render_template("inheritance/checklist.html", case=case, form=form, items=ITEMS,
                           entries=services.checklist_of(case.id), states=list(ChecklistState))


@bp.route("/cases/<int:case_id>/checklist/override", methods=["GET", "POST"])
@permission_required(Permission.CHECKLIST_OVERRIDE)
def override(case_id: int) -> str | Response:
    case = case_services.get_case(case_id)
    form = OverrideForm()
    if form.validate_on_submit() and run_service(form, lambda: services.override_checklist(
            case, form.reason.data or "", actor=current_user)):
        flash(_("Override recorded: the case may go for approval."), "success")
        return _back(case)
    return render_template("inheritance/form.html", case=case, form=form,
                           title=_("Override the materials checklist"),
                           intro=_("Missing: %(items)s", items="、".join(
                               str(i) for i in services.missing_items(case.id)) or "—"))


@bp.route("/cases/<int:case_id>/division", methods=["GET", "POST"])
@permission_required(Permission.INHERITANCE_EDIT)
def division(case_id: int) -> str | Response:
    case = case_services.get_case(case_id)
    result = services.determination(case)
    heirs = result.heirs if result else []
    form = DivisionForm()
    if form.validate_on_submit():
        shares = DivisionForm.shares(request.form.to_dict(), [h.person_id for h in heirs])
        if shares is None:
            form.form_errors.append(_("Write each share as 1/3, 0.25 or 25%."))
        elif run_service(form, lambda: services.record_division(
                case, shares, form.note.data or "", actor=current_user)):
            flash(_("The agreed division is recorded."), "success")
            return _back(case)
    file = services.get_file(case)
    if file is not None and file.agreed_note and not form.is_submitted():
        form.note.data = file.agreed_note
    agreed = (file.agreed_shares or {}) if file else {}
    values = {h.person_id: request.form.get(f"share_{h.person_id}")
              or agreed.get(str(h.person_id)) or describe_fraction(h.share) for h in heirs}
    return render_template("inheritance/division.html", case=case, form=form, heirs=heirs,
                           values=values)

