"""Party pages: search, register, view, edit."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from notary.auth.forms import EmptyForm
from notary.core.audit_labels import register_audit_labels
from notary.core.forms import merge_rows, run_service
from notary.core.paging import paginate_capped
from notary.core.params import reads
from notary.core.permissions import Permission, permission_required
from notary.parties import bp, privacy, services
from notary.parties.forms import PartyForm, PartySearchForm
from notary.parties.models import Party
from notary.parties.queries import party_history, party_search_statement
from notary.parties.rules import mask_document_number, mask_name, mask_phone

# How the history reads a party's audit entries; ID and phone numbers stay masked there.
register_audit_labels(
    actions={
        "party.create": _l("Party registered"),
        "party.update": _l("Party changed"),
        "party.reveal": _l("Full ID and phone numbers shown"),
        "party.export": _l("Personal data exported for the party"),
        "personal_data.reveal": _l("Full ID number shown"),
    },
    fields={
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
    },
    masks={"document_number": mask_document_number, "phone": mask_phone},
)
# The masks every page uses (lists, the case page, the history).
bp.add_app_template_filter(mask_document_number, "mask_id")
bp.add_app_template_filter(mask_phone, "mask_phone")
bp.add_app_template_filter(mask_name, "mask_name")


@bp.route("/")
@reads(PartySearchForm)
@permission_required(Permission.PARTY_VIEW)
def index() -> str:
    form = PartySearchForm(request.args)
    page = paginate_capped(party_search_statement(form.q.data), page=form.page.data or 1,
                           per_page=current_app.config["PAGE_SIZE"])
    return render_template("parties/index.html", form=form, page=page)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.PARTY_EDIT)
def create() -> str | Response:
    form = PartyForm()
    if form.validate_on_submit() and (
            party := run_service(form, lambda: services.create_party(form.to_data(),
                                                                     actor=current_user))):
        flash(_("Party registered."), "success")
        return redirect(url_for("parties.detail", party_id=party.id))
    return render_template("parties/form.html", form=form, party=None, merge=None)


@bp.route("/<int:party_id>")
@permission_required(Permission.PARTY_VIEW)
def detail(party_id: int) -> str:
    from notary.cases.queries import cases_of_party

    party = services.get_party(party_id)
    return render_template("parties/detail.html", party=party, cases=cases_of_party(party.id),
                           history=None, revealed=False, button_form=EmptyForm())


@bp.route("/<int:party_id>/reveal", methods=["POST"])
@permission_required(Permission.PARTY_VIEW, Permission.PERSONAL_DATA_VIEW)
def reveal(party_id: int) -> str | Response:
    from notary.cases.queries import cases_of_party

    party = services.get_party(party_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    # Shown in this response only: the full numbers never go into a URL, a flash or a cache.
    privacy.reveal_personal_data(party, actor=current_user, purpose="party page")
    return render_template("parties/detail.html", party=party, cases=cases_of_party(party.id),
                           history=party_history(party.id), revealed=True,
                           button_form=EmptyForm())


@bp.route("/<int:party_id>/export", methods=["POST"])
@permission_required(Permission.PARTY_VIEW, Permission.PARTY_DATA_EXPORT)
def export_data(party_id: int) -> Response:
    party = services.get_party(party_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    data = privacy.export_personal_data(party, actor=current_user)
    body = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f"attachment; filename=party-{party.id}-personal-data.json"})


@bp.route("/<int:party_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.PARTY_EDIT)
def edit(party_id: int) -> str | Response:
    party = services.get_party(party_id)
    form = _edit_form(party, None if request.method == "GET" else request.form)
    if request.method == "GET":
        # The form holds the full numbers (they are edited there): that is a reveal too.
        privacy.reveal_personal_data(party, actor=current_user, purpose="edit form")
    if form.validate_on_submit() and run_service(form, lambda: services.update_party(
            party, form.to_data(), actor=current_user, version=form.started_from())):
        flash(_("Saved."), "success")
        return redirect(url_for("parties.detail", party_id=party.id))
    merge = None
    if form.conflict:
        # Their saved values beside the typed ones; saving again now means "I merged".
        privacy.reveal_personal_data(party, actor=current_user, purpose="edit conflict")
        merge = merge_rows(form, _edit_form(party, None))
        form.version.data = str(party.version)
    return render_template("parties/form.html", form=form, party=party, merge=merge)


def _edit_form(party: Party, formdata: Any) -> PartyForm:
    """The edit form: the typed values (formdata), or the party as saved (None)."""
    form = PartyForm(formdata=formdata, obj=party)
    if formdata is None:
        form.version.data = str(party.version)
        form.kind.data, form.document_type.data = party.kind.value, party.document_type.value
        form.sex.data = party.sex.value if party.sex else ""
    return form
