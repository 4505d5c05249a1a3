"""The volumes of a case's file in filing order, with page counts (卷内目录): the main volume
(正卷) and the second volume (副卷, 公证程序规则 2020 art. 60)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app

from notary.casefile.models import FileNote
from notary.casefile.pdf import (
    CatalogueRow,
    FileHeader,
    IntakeParty,
    IntakeSheet,
    NoteSheet,
    NoticeSheet,
    Volume,
    build_notice_pdf,
    note_pages,
    pdf_pages,
)
from notary.casefile.services import file_notes_of, is_confidential, notices_of, will_file_of
from notary.cases.catalogue import materials_of
from notary.cases.models import Case
from notary.core.models import local_date
from notary.core.uploads import resolve_stored

MAIN, SECOND = "正卷", "副卷"


def _file_pages(path: Path, content_type: str) -> int:
    if content_type != "application/pdf":
        return 1  # a photo or scan is one sheet
    try:
        return pdf_pages(path.read_bytes())
    except OSError:
        return 1


def header_of(case: Case) -> FileHeader:
    """The facts printed above every volume's catalogue."""
    from notary.certificates.followup import catalogue_of

    data = catalogue_of(case)
    return FileHeader(office=data.office, case_number=data.case_number,
                      archive_number=data.archive_number, parties=data.parties,
                      matters=data.matters, certificate_numbers=data.certificate_numbers,
                      retention=data.retention, confidential=is_confidential(case))


def notice_sheet(case: Case, participant_id: int) -> NoticeSheet:
    """The 告知书 of one party: blank date and notary until the notice is recorded."""
    from notary.casefile.services import get_participant, notice_for, notice_text

    participant = get_participant(case, participant_id)
    notice = notice_for(participant.id)
    return NoticeSheet(
        office=current_app.config["OFFICE_NAME"], case_number=case.display_number,
        party_name=participant.party.name, party_role=str(participant.role.label),
        matters="、".join(m.name for m in case.matters),
        content=notice.content if notice else notice_text(case),
        told_on=f"{notice.told_on.year}年{notice.told_on.month}月{notice.told_on.day}日"
        if notice else "",
        told_by=notice.told_by.full_name if notice else "",
        method=str(notice.method.label) if notice else "")


def note_sheet(note: FileNote) -> NoteSheet:
    """A second-volume document as it is printed."""
    return NoteSheet(title=note.title, kind=str(note.kind.label),
                     author=note.author.full_name if note.author else "",
                     written_at=local_date(note.created_at).isoformat(), body=note.body)


def main_volume(case: Case) -> Volume:
    """The main volume: application, notices, materials, recording, certificates, receipt."""
    from notary.certificates import followup
    from notary.certificates.services import _folder, certificates_of

    uploads = Path(current_app.config["UPLOAD_FOLDER"])
    rows = [CatalogueRow("公证申请表", local_date(case.applied_at).isoformat(), 1)]
    for notice in notices_of(case.id):
        sheet = notice_sheet(case, notice.participant_id)
        rows.append(CatalogueRow(f"公证事项告知书（{sheet.party_name}）",
                                 notice.told_on.isoformat(), pdf_pages(build_notice_pdf(sheet)),
                                 "当事人已签名"))
    for m in materials_of(case.id):
        rows.append(CatalogueRow(m.title, local_date(m.uploaded_at).isoformat(),
                                 _file_pages(resolve_stored(uploads, m.stored_path),
                                             m.content_type), m.original_filename))
    will = will_file_of(case.id)
    if will is not None and will.recording_path and will.recording_at:
        rows.append(CatalogueRow("遗嘱人谈话录音录像", local_date(will.recording_at).isoformat(),
                                 0, f"电子文件 SHA-256 {(will.recording_sha256 or '')[:12]}"))
    for cert in certificates_of(case.id):
        if cert.number:
            pages = _file_pages(_folder() / cert.pdf_path, "application/pdf") \
                if cert.pdf_path else 1
            rows.append(CatalogueRow(f"公证书 {cert.number}（{cert.matter_text}）",
                                     str(cert.issued_on or ""), pages, str(cert.status.label)))
    delivery = followup.delivery_of(case.id)
    if delivery is not None:
        pages = 1
        if delivery.receipt_path:
            pages = _file_pages(followup.receipt_path(delivery),
                                "application/pdf" if delivery.receipt_path.endswith(".pdf")
                                else "image")
        rows.append(CatalogueRow("送达回执", str(delivery.delivered_on), pages,
                                 "已上传" if delivery.receipt_path else "未上传"))
    return Volume(MAIN, tuple(rows))


def second_volume(case: Case) -> tuple[Volume, list[NoteSheet]]:
    """The second volume's catalogue and its documents."""
    sheets = [note_sheet(n) for n in file_notes_of(case.id)]
    rows = tuple(CatalogueRow(s.title, s.written_at, note_pages(s), s.kind) for s in sheets)
    return Volume(SECOND, rows), sheets


def volumes_of(case: Case) -> list[Volume]:
    """Every volume of the file, in order; the second only when it holds something."""
    second, _sheets = second_volume(case)
    return [main_volume(case), *([second] if second.rows else [])]


def _written(day: Any) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def intake_sheet(case: Case) -> IntakeSheet:
    """The intake papers' content: the case's details and its active participants."""
    cfg = current_app.config
    contact = "　".join(x for x in (cfg["OFFICE_ADDRESS"], cfg["OFFICE_HOURS"],
                                    cfg["OFFICE_PHONE"]) if x)
    parties = tuple(IntakeParty(
        role=str(p.role.label), name=p.party.name, sex=p.party.sex_label,
        birth=p.party.birth_date.isoformat() if p.party.birth_date else "",
        document=p.party.document_number or "", phone=p.party.phone or "",
        address=p.party.address or "") for p in case.active_participants)
    return IntakeSheet(
        office=cfg["OFFICE_NAME"], case_number=case.display_number,
        matters="、".join(m.name for m in case.matters), purpose=case.purpose or "",
        place_of_use=case.place_of_use or "", copies=str(case.copies),
        applied_on=_written(local_date(case.applied_at)),
        received_by=case.intake_by.full_name if case.intake_by else "",
        accepted_on=_written(local_date(case.accepted_at)) if case.accepted_at else "",
        notary=case.handling_notary.full_name if case.handling_notary else "",
        office_contact=contact, parties=parties)
