"""Legal-aid pages: the case panel, the record and its confirmation, the reminders, and the
quarterly filing form (page, PDF, XLSX)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from notary.cases import services as case_services
from notary.cases.models import Case
from notary.cases.panels import CasePanel, register_case_panel
from notary.core import audit_labels
from notary.core.forms import run_service
from notary.core.models import office_today
from notary.core.params import reads
from notary.core.pdf import pdf_response
from notary.core.permissions import Permission, has_permission, permission_required
from notary.legal_aid import bp, pdf, queries, services, xlsx
from notary.legal_aid.forms import ConfirmForm, FilingForm, LegalAidForm
from notary.legal_aid.models import AidRelief, AidRoute, Eligibility

audit_labels.register_audit_labels(actions={
    "legal_aid.record": _l("Legal aid recorded"),
    "legal_aid.confirm": _l("Legal aid confirmed by the agency"),
}, fields={
    "eligibility": _l("Eligibility"),
    "route": _l("Route"),
    "relief": _l("Fee"),
    "decision_number": _l("Decision letter no."),
    "decision_date": _l("Decision letter date"),
}, enums={"eligibility": Eligibility, "route": AidRoute, "relief": AidRelief})
CLOSED = {"refused", "terminated", "withdrawn", "archived"}


def confirm_overdue_days() -> int:
    """Days after which unconfirmed emergency legal aid is shown as overdue ([U]: office policy)."""
    return int(current_app.config["LEGAL_AID_CONFIRM_DAYS"])


def legal_aid_panel(case: Case, actor: Any) -> dict[str, Any] | None:
    """The legal-aid panel: the record (with a reminder while unconfirmed), or a button."""
    if not has_permission(actor, Permission.FEE_VIEW):
        return None
    record = queries.record_of(case.id)
    can_manage = has_permission(actor, Permission.LEGAL_AID_MANAGE)
    if record is None and (not can_manage or case.status.value in CLOSED):
        return None
    waiting_days = None
    if record is not None and record.awaiting_confirmation:
        waiting_days = (office_today() - record.created_at.astimezone(
            queries.OFFICE_TZ).date()).days
    return {"record": record, "can_manage": can_manage, "waiting_days": waiting_days,
            "overdue_after": confirm_overdue_days()}


register_case_panel(CasePanel(template="legal_aid/_panel.html", context=legal_aid_panel,
                              column="main", order=41))


@bp.route("/")
@permission_required(Permission.LEGAL_AID_MANAGE)
def index() -> str:
    return render_template("legal_aid/index.html", waiting=queries.awaiting_confirmation(),
                           records=queries.recent_records(), today=office_today(),
                           overdue_after=confirm_overdue_days())


@bp.route("/cases/<int:case_id>/new", methods=["GET", "POST"])
@permission_required(Permission.LEGAL_AID_MANAGE, Permission.REDUCTION_REQUEST)
def create(case_id: int) -> str | Response:
    case = case_services.get_case(case_id)
    form = LegalAidForm()
    form.setup([(p.party_id, p.party.name) for p in case.active_participants])
    if request.method == "GET" and case.applicants:
        form.recipient_id.data = case.applicants[0].party_id
    if form.validate_on_submit() and run_service(
            form, lambda: services.record_legal_aid(case, form.to_data(), actor=current_user)):
        flash(_("Legal aid recorded; the fee waiver awaits the director's decision."), "success")
        return redirect(url_for("cases.detail", case_id=case.id) + "#legal-aid")
    return render_template("legal_aid/form.html", case=case, form=form)


@bp.route("/<int:record_id>/confirm", methods=["GET", "POST"])
@permission_required(Permission.LEGAL_AID_MANAGE)
def confirm(record_id: int) -> str | Response:
    record = services.get_record(record_id)
    form = ConfirmForm()
    if form.validate_on_submit() and run_service(
            form, lambda: services.confirm_emergency(record, form.to_data(), actor=current_user)):
        flash(_("The agency's decision letter is recorded."), "success")
        return redirect(url_for("cases.detail", case_id=record.case_id) + "#legal-aid")
    return render_template("legal_aid/confirm.html", record=record, form=form)


def _filing(form: FilingForm) -> pdf.FilingData:
    today = office_today()
    year = form.year.data if form.year.data and not form.year.errors else today.year
    quarter = form.quarter.data if form.quarter.data and not form.quarter.errors else (
        (today.month - 1) // 3 + 1)
    form.year.data, form.quarter.data = year, quarter
    start, end = queries.quarter_bounds(year, quarter)
    return pdf.FilingData(office_name=current_app.config["OFFICE_NAME"], year=year,
                          quarter=quarter, start=start, end=end,
                          rows=queries.filing_rows(year, quarter), printed_on=today)


@bp.route("/filing")
@reads(FilingForm)
@permission_required(Permission.LEGAL_AID_MANAGE)
def filing() -> str:
    form = FilingForm(request.args)
    form.validate()
    data = _filing(form)
    return render_template("legal_aid/filing.html", form=form, data=data,
                           cells=pdf.cells, totals=pdf.totals(data.rows))


@bp.route("/filing.pdf")
@reads(FilingForm)
@permission_required(Permission.LEGAL_AID_MANAGE)
def filing_pdf() -> Response:
    form = FilingForm(request.args)
    form.validate()
    data = _filing(form)
    return pdf_response(lambda: pdf.filing_pdf(data),
                        f"legal-aid-{data.year}Q{data.quarter}.pdf",
                        back=f"{url_for('legal_aid.index')}?{request.query_string.decode()}")


@bp.route("/filing.xlsx")
@reads(FilingForm)
@permission_required(Permission.LEGAL_AID_MANAGE)
def filing_xlsx() -> Response:
    form = FilingForm(request.args)
    form.validate()
    data = _filing(form)
    return send_file(BytesIO(xlsx.filing_xlsx(data)), as_attachment=True,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     download_name=f"legal-aid-{data.year}Q{data.quarter}.xlsx")
