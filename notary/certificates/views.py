"""Certificate pages: drafts, PDFs, review, delivery, foreign use, archive, templates, and the
public verification page (the only page besides sign-in that needs no account)."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WResponse

from notary.auth.forms import EmptyForm
from notary.cases import services as case_services
from notary.cases.models import Case, MatterType
from notary.cases.panels import CasePanel, register_case_panel
from notary.certificates import (
    bp,
    documents_bp,
    followup,
    services,
    verification,
    verify_bp,
    wording_bp,
)
from notary.certificates.forms import (
    DecisionForm,
    FontCheckForm,
    ForeignUseForm,
    ReadingForm,
    ReceiptForm,
    RetentionForm,
    ReviewForm,
    TemplateForm,
    VerifyForm,
    WordingForm,
)
from notary.certificates.languages import name_pinyin, unknown_characters
from notary.certificates.models import CertificateStatus, Retention, ReviewOutcome
from notary.certificates.review_views import reviewer_choices
from notary.core.audit_labels import register_audit_labels
from notary.core.errors import NotFound
from notary.core.forms import run_service
from notary.core.i18n import read_in_browser_language
from notary.core.params import arg, parse_text, raw_arg, reads
from notary.core.pdf import STACK_LABELS, check_text, fonts_in_use, pdf_response
from notary.core.permissions import Permission, has_permission, permission_required, public
from notary.core.uploads import send_file_safely
from notary.extensions import db

register_audit_labels(
    actions={"certificate.draft": _l("Certificates drafted"),
             "certificate.edit": _l("Certificate wording edited"),
             "certificate.approve": _l("Certificate wording frozen"),
             "certificate.issue": _l("Certificate numbered and issued"),
             "certificate.review": _l("Review application recorded"),
             "certificate.review_uphold": _l("Review: certificate upheld"),
             "certificate.review_reissue": _l("Review: certificate corrected and reissued"),
             "certificate.review_supplement": _l("Review: supplementary correction issued"),
             "certificate.review_revoke": _l("Review: certificate revoked"),
             "certificate.reported": _l("Reported to the notary association"),
             "certificate.receipt": _l("Delivery receipt recorded"),
             "certificate.foreign_use": _l("Foreign-use steps recorded"),
             "certificate.retention": _l("Archive retention changed"),
             "wording.save": _l("Wording template saved"),
             "certificate.reading": _l("Reading of a character recorded")},
    fields={"body": _l("Wording (证词)"), "body_en": _l("Translation"),
            "matter_text": _l("Matter"), "applicant_block": _l("Applicant block"),
            "retention": _l("Retention"), "is_confidential": _l("Confidential file (密卷)"),
            "mail_tracking": _l("Mail tracking number")},
    enums={"retention": Retention},
)


def _case_url(case_id: int) -> str:
    return url_for("cases.detail", case_id=case_id, _anchor="certificates")


def _back(case_id: int) -> WResponse:
    return redirect(_case_url(case_id))


def _panel(case: Case, actor: Any) -> dict[str, Any] | None:
    if case.accepted_at is None:
        return None
    certs = services.certificates_of(case.id)
    issued = case.issued_at is not None  # what follows issue is only looked up after it
    return {
        "certificates": certs,
        "can_draft": (has_permission(actor, Permission.CERTIFICATE_DRAFT)
                      and case_services.is_case_worker(actor, case)),
        "draftable": services._draftable(case),
        "can_review": has_permission(actor, Permission.CERTIFICATE_REVIEW),
        "reviews": followup.reviews_of(case.id) if issued else [],
        "delivery": followup.delivery_of(case.id) if case.delivered_at else None,
        "foreign": followup.foreign_use_of(case.id) if issued else None,
        "archive": followup.archive_of(case.id) if case.archived_at else None,
        # Due only while the file is not filed (a refused case's file has no ArchiveFile).
        "archive_due": followup.archive_due(case) if case.archived_at is None else None,
        "button_form": EmptyForm(),
        "Status": CertificateStatus,
    }


register_case_panel(CasePanel("certificates/_panel.html", _panel, column="main", order=20))


def _form_page(case: Case, form: Any, title: str, **extra: Any) -> str:
    return render_template("certificates/form.html", case=case, form=form, title=title, **extra)


@bp.route("/cases/<int:case_id>/drafts", methods=["POST"])
@permission_required(Permission.CERTIFICATE_DRAFT)
def prepare(case_id: int) -> WResponse:
    case = case_services.get_case(case_id)
    form = EmptyForm()
    if form.validate_on_submit() and run_service(form, lambda: services.prepare_drafts(
            case, actor=current_user)) is not None:
        flash(_("The drafts were filled from the case."), "success")
    for message in form.form_errors:
        flash(message, "danger")
    return _back(case.id)


@bp.route("/<int:certificate_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.CERTIFICATE_DRAFT)
def edit(certificate_id: int) -> str | WResponse:
    cert = services.get_certificate(certificate_id)
    form = WordingForm(obj=cert)
    if form.validate_on_submit() and run_service(form, lambda: services.edit_draft(
            cert, form.to_data(), actor=current_user)):
        flash(_("Saved."), "success")
        return _back(cert.case_id)
    return _form_page(cert.case, form, _("Certificate wording"), certificate=cert, wide=True)


@bp.route("/<int:certificate_id>/preview.pdf")
@permission_required(Permission.CASE_VIEW)
def preview(certificate_id: int) -> Response:
    cert = services.get_certificate(certificate_id)
    case_services.open_case(cert.case_id, current_user)
    return pdf_response(lambda: services.preview_pdf(cert), f"draft-{cert.id}.pdf",
                        back=_case_url(cert.case_id))


@bp.route("/<int:certificate_id>/certificate.pdf")
@permission_required(Permission.CASE_VIEW)
def download(certificate_id: int) -> Response:
    cert = services.get_certificate(certificate_id)
    case_services.open_case(cert.case_id, current_user)
    return pdf_response(lambda: services.stored_pdf(cert), f"certificate-{cert.id}.pdf",
                        back=_case_url(cert.case_id))


@bp.route("/<int:certificate_id>/reviews/new", methods=["GET", "POST"])
@permission_required(Permission.CERTIFICATE_REVIEW)
def review(certificate_id: int) -> str | WResponse:
    cert = services.get_certificate(certificate_id)
    form = ReviewForm()
    form.reviewer_id.choices = [(None, "—"), *reviewer_choices(cert)]
    if form.validate_on_submit() and run_service(form, lambda: followup.record_review(
            cert, form.to_data(), actor=current_user)):
        flash(_("The review application is recorded."), "success")
        return _back(cert.case_id)
    return _form_page(cert.case, form, _("Review application (复查)"), certificate=cert)


@bp.route("/reviews/<int:review_id>", methods=["GET", "POST"])
@permission_required(Permission.CERTIFICATE_REVIEW)
def decide(review_id: int) -> str | WResponse:
    item = followup.get_review(review_id)
    form = DecisionForm()
    if not form.is_submitted():
        # The head approves the reviewer's conclusion, as proposed or amended.
        form.corrected_body.data = item.proposed_body or item.certificate.body
        if item.proposed_outcome is not None:
            form.outcome.data, form.decision.data = (item.proposed_outcome.value,
                                                     item.proposed_decision)
    if form.validate_on_submit() and run_service(form, lambda: followup.decide_review(
            item, ReviewOutcome(form.outcome.data), form.decision.data or "",
            form.corrected_body.data or "", actor=current_user)):
        flash(_("The review is decided."), "success")
        return _back(item.certificate.case_id)
    return _form_page(item.certificate.case, form, _("Review decision"),
                      certificate=item.certificate, review=item)


@bp.route("/reviews/<int:review_id>/reported", methods=["POST"])
@permission_required(Permission.CERTIFICATE_REVIEW)
def reported(review_id: int) -> WResponse:
    item = followup.get_review(review_id)
    form = EmptyForm()
    if form.validate_on_submit() and run_service(form, lambda: followup.mark_reported(
            item, actor=current_user)):
        flash(_("Recorded as reported to the notary association."), "success")
    for message in form.form_errors:
        flash(message, "danger")
    return _back(item.certificate.case_id)


@bp.route("/cases/<int:case_id>/delivery", methods=["GET", "POST"])
@permission_required(Permission.CERTIFICATE_DRAFT)
def delivery(case_id: int) -> str | WResponse:
    case = case_services.get_case(case_id)
    form = ReceiptForm()
    upload = form.receipt.data if form.is_submitted() else None
    if form.validate_on_submit() and run_service(form, lambda: followup.record_receipt(
            case, form.mail_tracking.data or "", upload.stream if upload else None,
            upload.filename if upload else "", actor=current_user)):
        flash(_("Saved."), "success")
        return _back(case.id)
    return _form_page(case, form, _("Delivery receipt"), multipart=True)


@bp.route("/cases/<int:case_id>/delivery/receipt")
@permission_required(Permission.CASE_VIEW)
def receipt(case_id: int) -> WResponse:
    record = followup.delivery_of(case_id)
    if record is None:
        raise NotFound(_("No receipt was uploaded."))
    return send_file_safely(followup.receipt_path(record), record.receipt_filename or "receipt")


@bp.route("/cases/<int:case_id>/foreign-use", methods=["GET", "POST"])
@permission_required(Permission.CERTIFICATE_DRAFT)
def foreign_use(case_id: int) -> str | WResponse:
    case = case_services.get_case(case_id)
    record = followup.foreign_use_of(case.id)
    form = ForeignUseForm(obj=record)
    if form.validate_on_submit() and run_service(form, lambda: followup.save_foreign_use(
            case, form.to_data(), actor=current_user)):
        flash(_("Saved."), "success")
        return _back(case.id)
    return _form_page(case, form, _("Use abroad"), foreign=record)


@bp.route("/cases/<int:case_id>/retention", methods=["GET", "POST"])
@permission_required(Permission.CERTIFICATE_DRAFT)
def retention(case_id: int) -> str | WResponse:
    case = case_services.get_case(case_id)
    record = followup.archive_of(case.id)
    form = RetentionForm(obj=record)
    if record is not None and not form.is_submitted():
        form.retention.data, form.confidential.data = (record.retention.value,
                                                       record.is_confidential)
    if form.validate_on_submit() and run_service(form, lambda: followup.set_retention(
            case, Retention(form.retention.data), bool(form.confidential.data),
            actor=current_user)):
        flash(_("Saved."), "success")
        return _back(case.id)
    return _form_page(case, form, _("Archive retention"))


@bp.route("/cases/<int:case_id>/catalogue.pdf")
@permission_required(Permission.CASE_VIEW)
def catalogue(case_id: int) -> WResponse:
    # The catalogue lists every volume of the file: built by the case-file domain.
    return redirect(url_for("casefile.catalogue", case_id=case_id))


@bp.route("/follow-up")
@permission_required(Permission.CERTIFICATE_DRAFT)
def follow_up() -> str:
    return render_template("certificates/follow_up.html", reports=followup.reports_due(),
                           duplicates=followup.duplicates_pending())


# --- wording templates (administrator) ----------------------------------------------------------


@wording_bp.route("/")
@permission_required(Permission.TEMPLATE_MANAGE)
def index() -> str:
    return render_template("certificates/wordings.html", wordings=services.all_wordings())


@wording_bp.route("/<code>", methods=["GET", "POST"])
@permission_required(Permission.TEMPLATE_MANAGE)
def template_form(code: str) -> str | WResponse:
    matter = db.session.query(MatterType).filter_by(code=code).one_or_none()
    if matter is None:
        raise NotFound(_("No such matter."))
    wording = services.wording_for(code)
    form = TemplateForm(data={"matter_text": wording.matter, "body": wording.body,
                              "body_en": wording.body_en})
    if form.validate_on_submit() and run_service(form, lambda: services.save_wording(
            code, form.matter_text.data or "", form.body.data or "", form.body_en.data or "",
            actor=current_user)):
        flash(_("Saved."), "success")
        return redirect(url_for("wording.index"))
    return render_template("certificates/wording_form.html", form=form, matter=matter,
                           sample=services.SAMPLE_CONTEXT)


# --- the administrator's page on documents: fonts and the verification address ------------


@documents_bp.route("/", endpoint="index")
@reads(FontCheckForm)
@permission_required(Permission.SETTINGS_MANAGE)
def documents() -> str:
    return _documents_page(ReadingForm(formdata=None))


def _documents_page(reading_form: ReadingForm) -> str:
    check = FontCheckForm(request.args)
    text = (check.text.data or "") if check.validate() else ""
    readings = services.office_readings()
    if not reading_form.char.data and (unknown := unknown_characters(text)):
        reading_form.char.data = next((c for c in unknown if c not in readings), "")
    return render_template("certificates/documents.html", check=check, checked=check_text(text),
                           fonts=fonts_in_use(), stacks=STACK_LABELS, form=EmptyForm(),
                           configured=services.configured_address(),
                           recorded=services.recorded_address(),
                           problem=services.public_address_problem(),
                           pinyin=name_pinyin, unknown=unknown_characters(text),
                           readings=readings, reading_form=reading_form)


@documents_bp.route("/readings", methods=["POST"])
@reads(FontCheckForm)  # the text being checked, kept across the recording
@permission_required(Permission.SETTINGS_MANAGE)
def record_reading() -> str | WResponse:
    form = ReadingForm()
    if form.validate_on_submit() and run_service(form, lambda: services.record_reading(
            form.char.data or "", form.reading.data or "", actor=current_user)):
        flash(_("The reading of %(char)s is recorded.", char=form.char.data), "success")
        return redirect(url_for("documents.index", text=arg("text", parse_text, ""),
                                _anchor="readings"))
    return _documents_page(form)


@documents_bp.route("/address", methods=["POST"])
@permission_required(Permission.SETTINGS_MANAGE)
def move_address() -> WResponse:
    form = EmptyForm()
    if form.validate_on_submit():
        if run_service(form, lambda: services.move_address(actor=current_user)):
            flash(_("The verification address is recorded."), "success")
        for message in form.form_errors:
            flash(message, "danger")
    return redirect(url_for("documents.index"))


# --- public verification --------------------------------------------------------------------

# Read by banks, courts and foreign authorities: in the reader's browser language.
read_in_browser_language(verify_bp.name)


def _verify_page(number: str | None, code: str | None) -> str:
    form = VerifyForm(request.args, meta={"csrf": False})
    result = None
    if number is not None or code is not None:
        result = verification.verify(number, code, request.remote_addr or "unknown")
    return render_template("certificates/verify.html", form=form, result=result)


@verify_bp.route("")
@reads(VerifyForm)
@public
def lookup() -> str:
    asked = raw_arg("n") is not None or raw_arg("c") is not None
    if not asked:
        return _verify_page(None, None)
    return _verify_page(arg("n", parse_text, ""), arg("c", parse_text, ""))


@verify_bp.route("/<code>")
@reads(VerifyForm)
@public
def by_code(code: str) -> str:
    return _verify_page(None, code)

