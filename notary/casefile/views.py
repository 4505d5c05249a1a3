"""Case-file pages: the notice (告知) and its printed 告知书, the second volume, a will's file
(testator, recording, death) and the catalogue of every volume."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WResponse

from notary.casefile import bp, rules, services, volumes
from notary.casefile.forms import DeathForm, FileNoteForm, NoticeForm, RecordingForm, TestatorForm
from notary.casefile.models import FileNoteKind, NoticeMethod
from notary.casefile.pdf import (
    build_acceptance_notice_pdf,
    build_application_pdf,
    build_file_catalogue_pdf,
    build_notice_pdf,
    build_receipt_pdf,
    build_second_volume_pdf,
)
from notary.cases import services as case_services
from notary.cases.models import Case
from notary.cases.panels import CasePanel, register_case_panel
from notary.cases.rules import FINAL_STATUSES
from notary.core.audit_labels import register_audit_labels
from notary.core.errors import NotPermitted
from notary.core.forms import run_service
from notary.core.models import office_today
from notary.core.permissions import Permission, has_permission, permission_required
from notary.core.uploads import send_file_safely

register_audit_labels(
    actions={"casefile.notice": _l("Notice of legal meaning recorded (告知)"),
             "casefile.note": _l("Filed in the second volume (副卷)"),
             "casefile.testator": _l("Testator's condition recorded"),
             "casefile.recording": _l("Interview recording attached"),
             "casefile.death": _l("Testator's death recorded: file no longer confidential"),
             "casefile.open": _l("Confidential file opened"),
             "casefile.open_refused": _l("Confidential file refused"),
             "case.reject": _l("Not accepted (不予受理)"),
             "user.practice": _l("Practice record changed")},
    fields={"told_on": _l("Told on"), "method": _l("How the party was told"),
            "party": _l("Party"), "kind": _l("Kind"), "title": _l("Title"),
            "testator_infirm": _l("Frail, sick or disabled"), "infirm_note": _l("Condition"),
            "recording_sha256": _l("Recording (SHA-256)"), "death_on": _l("Date of death"),
            "evidence": _l("Proof of death"), "confidential": _l("Confidential file (密卷)"),
            "practice_certificate_number": _l("Practice certificate number (执业证号)"),
            "suspended_from": _l("Suspended from"), "suspended_until": _l("Suspended until"),
            "suspension_reason": _l("Suspension decision"),
            "may_approve": _l("Designated approver (审批)")},
    enums={"method": NoticeMethod, "kind": FileNoteKind},
)


def _back(case_id: int) -> WResponse:
    return redirect(url_for("cases.detail", case_id=case_id, _anchor="casefile"))


def _panel(case: Case, actor: Any) -> dict[str, Any] | None:
    if case.accepted_at is None:
        return None
    is_worker = (has_permission(actor, Permission.CASE_PROCESS)
                 and case_services.is_case_worker(actor, case))
    notices = {n.participant_id: n for n in services.notices_of(case.id)}
    will = None
    if rules.is_will(m.code for m in case.matters):
        record = services.will_file_of(case.id)
        will = {"record": record, "confidential": services.is_confidential(case),
                "needs_recording": services.recording_needed(case, office_today()),
                "age": current_app.config["WILL_RECORDING_AGE"],
                "can_record_death": is_worker or has_permission(actor, Permission.CASE_ASSIGN)}
    see_second = services.may_see_second_volume(actor, case)
    # A closed case waits for no approval: no warning about notices on it.
    missing = ([] if case.status in FINAL_STATUSES
               else services.missing_notices(case, notices.values()))
    return {"notices": notices, "missing": missing,
            "can_record": is_worker, "will": will, "see_second": see_second,
            "notes": services.file_notes_of(case.id) if see_second else []}


register_case_panel(CasePanel("casefile/_panel.html", _panel, column="main", order=15))


def _pdf(data: bytes, name: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"inline; filename={name}"
    return response


def _page(case: Case, form: Any, title: str, **extra: Any) -> str:
    return render_template("casefile/form.html", case=case, form=form, title=title, **extra)


@bp.route("/cases/<int:case_id>/notices/<int:participant_id>", methods=["GET", "POST"])
@permission_required(Permission.CASE_PROCESS)
def notice(case_id: int, participant_id: int) -> str | WResponse:
    case = case_services.open_case(case_id, current_user)
    participant = services.get_participant(case, participant_id)
    form = NoticeForm()
    if not form.is_submitted():
        form.told_on.data, form.content.data = office_today(), services.notice_text(case)
    if form.validate_on_submit() and run_service(form, lambda: services.record_notice(
            case, form.to_data(participant.id), actor=current_user)):
        flash(_("The notice to %(name)s is recorded.", name=participant.party.name), "success")
        return _back(case.id)
    return _page(case, form, _("Notice of legal meaning and consequences (告知)"),
                 subject=participant.party.name, wide=True,
                 print_url=url_for("casefile.notice_pdf", case_id=case.id,
                                   participant_id=participant.id))


def _intake_paper(case_id: int, paper: str, build: Any) -> Response:
    case = case_services.open_case(case_id, current_user)
    if paper == "acceptance-notice" and case.accepted_at is None:
        abort(404)
    return _pdf(build(volumes.intake_sheet(case)), f"{paper}-{case.id}.pdf")


@bp.route("/cases/<int:case_id>/application.pdf")
@permission_required(Permission.CASE_VIEW)
def application_pdf(case_id: int) -> Response:
    """The case's 申请表."""
    return _intake_paper(case_id, "application", build_application_pdf)


@bp.route("/cases/<int:case_id>/receipt.pdf")
@permission_required(Permission.CASE_VIEW)
def receipt_pdf(case_id: int) -> Response:
    """The case's 受理回执."""
    return _intake_paper(case_id, "receipt", build_receipt_pdf)


@bp.route("/cases/<int:case_id>/acceptance-notice.pdf")
@permission_required(Permission.CASE_VIEW)
def acceptance_notice_pdf(case_id: int) -> Response:
    """The case's 受理通知书, once it is accepted."""
    return _intake_paper(case_id, "acceptance-notice", build_acceptance_notice_pdf)


@bp.route("/cases/<int:case_id>/notices/<int:participant_id>.pdf")
@permission_required(Permission.CASE_VIEW)
def notice_pdf(case_id: int, participant_id: int) -> Response:
    case = case_services.open_case(case_id, current_user)
    sheet = volumes.notice_sheet(case, participant_id)
    return _pdf(build_notice_pdf(sheet), f"notice-{case.id}-{participant_id}.pdf")


@bp.route("/cases/<int:case_id>/second-volume/new", methods=["GET", "POST"])
@permission_required(Permission.CASE_VIEW)
def add_note(case_id: int) -> str | WResponse:
    case = case_services.open_case(case_id, current_user)
    if not services.may_see_second_volume(current_user, case):
        raise NotPermitted(_("Only the case's notary, assistant, approver or the director "
                             "file into the second volume."))
    form = FileNoteForm()
    if form.validate_on_submit() and run_service(form, lambda: services.add_file_note(
            case, FileNoteKind(form.kind.data), form.title.data or "", form.body.data or "",
            actor=current_user)):
        flash(_("Filed in the second volume."), "success")
        return _back(case.id)
    return _page(case, form, _("Second volume (副卷): add a document"), wide=True)


@bp.route("/cases/<int:case_id>/second-volume.pdf")
@permission_required(Permission.CASE_VIEW)
def second_volume_pdf(case_id: int) -> Response:
    case = case_services.open_case(case_id, current_user)
    if not services.may_see_second_volume(current_user, case):
        raise NotPermitted(_("The second volume is internal to the office."))
    volume, sheets = volumes.second_volume(case)
    return _pdf(build_second_volume_pdf(volumes.header_of(case), volume, sheets),
                f"second-volume-{case.id}.pdf")


@bp.route("/cases/<int:case_id>/catalogue.pdf")
@permission_required(Permission.CASE_VIEW)
def catalogue(case_id: int) -> Response:
    case = case_services.open_case(case_id, current_user)
    return _pdf(build_file_catalogue_pdf(volumes.header_of(case), volumes.volumes_of(case)),
                f"catalogue-{case.id}.pdf")


@bp.route("/cases/<int:case_id>/testator", methods=["GET", "POST"])
@permission_required(Permission.CASE_PROCESS)
def testator(case_id: int) -> str | WResponse:
    case = case_services.open_case(case_id, current_user)
    record = services.will_file_of(case.id)
    form = TestatorForm()
    if not form.is_submitted() and record is not None:
        form.infirm.data, form.note.data = record.testator_infirm, record.infirm_note
    if form.validate_on_submit() and run_service(form, lambda: services.set_testator_condition(
            case, bool(form.infirm.data), form.note.data or "", actor=current_user)):
        flash(_("Saved."), "success")
        return _back(case.id)
    return _page(case, form, _("The testator's condition"))


@bp.route("/cases/<int:case_id>/recording", methods=["GET", "POST"])
@permission_required(Permission.CASE_PROCESS)
def recording(case_id: int) -> str | WResponse:
    case = case_services.open_case(case_id, current_user)
    form = RecordingForm()
    upload: Any = form.recording.data if form.is_submitted() else None
    if form.validate_on_submit() and run_service(form, lambda: services.attach_recording(
            case, upload.stream, upload.filename or "", actor=current_user)):
        flash(_("The recording is attached to the will's file."), "success")
        return _back(case.id)
    return _page(case, form, _("Recording of the interview with the testator"), multipart=True)


@bp.route("/cases/<int:case_id>/recording/file")
@permission_required(Permission.CASE_VIEW)
def recording_file(case_id: int) -> WResponse:
    case = case_services.open_case(case_id, current_user)
    record = services.will_file_of(case.id)
    if record is None:
        raise NotPermitted(_("No recording was attached."))
    return send_file_safely(services.recording_path(record),
                            record.recording_filename or "recording",
                            sniff=services.recording_type)


@bp.route("/cases/<int:case_id>/death", methods=["GET", "POST"])
@permission_required(Permission.CASE_VIEW)
def death(case_id: int) -> str | WResponse:
    # Recording a death does not open the file: whoever may record it need not be allowed in.
    case = case_services.get_case(case_id)
    form = DeathForm()
    if form.validate_on_submit() and run_service(form, lambda: services.record_death(
            case, form.death_on.data, form.evidence.data or "", actor=current_user)):
        flash(_("The death is recorded: the will's file is now an ordinary file."), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("casefile/form.html", case=case, form=form, shallow=True,
                           title=_("Record the testator's death"))
