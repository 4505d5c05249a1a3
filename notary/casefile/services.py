"""Case-file services: 告知 records, the second volume (副卷), a will's file (recording,
the testator's death, who may open it) and the step checks that hold approval back."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from notary.auth.models import User
from notary.casefile import rules
from notary.casefile.models import CaseNotice, FileNote, FileNoteKind, NoticeMethod, WillFile
from notary.cases.models import Case, CaseParticipant, ParticipantRole
from notary.cases.rules import Action, CaseStatus
from notary.cases.services import is_case_worker, register_open_check
from notary.cases.workflow import StepContext, register_step_check, register_step_effect
from notary.core import audit
from notary.core.errors import DomainError, ErrorCollector, NotFound, NotPermitted
from notary.core.models import local_date, office_today, utcnow
from notary.core.permissions import Permission, ensure_permitted, has_permission
from notary.core.uploads import clean_filename, resolve_stored
from notary.extensions import db

# --- who may open a confidential file (密卷) --------------------------------------------------


def will_file_of(case_id: int) -> WillFile | None:
    """The will part of a case's file, if any was recorded."""
    return db.session.get(WillFile, case_id)


def is_confidential(case: Case) -> bool:
    """公证程序规则 2020 art. 60: a will's file is a 密卷 while the testator lives. The file
    begins at acceptance (arts. 58-59): until then the application is open to the staff who
    decide on it."""
    codes = [m.code for m in case.matters]
    if case.accepted_at is None or not rules.is_will(codes):
        return False
    record = will_file_of(case.id)
    return rules.is_confidential(codes, record.death_on if record else None)


def may_open_confidential(actor: Any, case: Case) -> bool:
    """The handling notary and assistant, the approver, and the roles the office names."""
    if actor.id in {case.handling_notary_id, case.assistant_id, case.approver_id}:
        return True
    return actor.role.value in current_app.config["CONFIDENTIAL_FILE_ROLES"]


@register_open_check
def _confidential_file(case: Case, actor: Any) -> None:
    """Refuse a confidential will file to anyone else; audit every refusal and every opening by
    someone other than the notary and assistant who work on it every day."""
    if not is_confidential(case):
        return
    allowed = may_open_confidential(actor, case)
    if allowed and actor.id in {case.handling_notary_id, case.assistant_id}:
        return
    audit.record(db.session, actor, "casefile.open" if allowed else "casefile.open_refused",
                 case, after={"confidential": True})
    db.session.commit()
    if not allowed:
        raise NotPermitted(_("This will's file is confidential (密卷) while the testator lives "
                             "(公证程序规则 art. 60): only its notary, assistant, approver and "
                             "the director may open it."))


# --- 告知 (公证法 art. 27 ¶2) ----------------------------------------------------------------

# The notice's standard content: Chinese legal content, not a UI string (house style 12).
NOTICE_COMMON = (
    "根据《中华人民共和国公证法》第二十七条第二款，公证机构受理公证申请后，应当告知当事人申请公证"
    "事项的法律意义和可能产生的法律后果。现将你申请办理的{matters}公证事项告知如下：\n"
    "一、经公证的民事法律行为、有法律意义的事实和文书，应当作为认定事实的根据，但有相反证据足以推翻"
    "该项公证的除外（公证法第三十六条）。\n"
    "二、当事人应当如实说明申请公证事项的有关情况，提供真实、合法、充足的证明材料（公证法第二十七条"
    "第一款）；提供虚假证明材料骗取公证书，给他人造成损失的，依法承担民事责任（公证法第四十四条）。\n"
    "三、当事人、公证事项的利害关系人认为公证书有错误的，可以向出具该公证书的公证机构提出复查"
    "（公证法第三十九条）。\n"
    "四、当事人有权申请与本公证事项有利害关系的公证员回避，有权查询办理进度。"
)
NOTICE_BY_MATTER = {
    "will": "五、遗嘱人可以撤回、变更自己所立的遗嘱；立有数份遗嘱，内容相抵触的，以最后的遗嘱为准"
            "（民法典第一千一百四十二条）。",
    "inheritance": "五、继承人放弃继承的，应当在遗产处理前以书面形式作出表示"
                   "（民法典第一千一百二十四条）。",
}


def notice_text(case: Case) -> str:
    """The standard 告知 content for the case's matters (editable before it is recorded)."""
    text = NOTICE_COMMON.format(matters="、".join(m.name for m in case.matters))
    extra = [NOTICE_BY_MATTER[m.code] for m in case.matters if m.code in NOTICE_BY_MATTER]
    return "\n".join([text, *extra[:1]])


@dataclass(frozen=True)
class NoticeData:
    participant_id: int
    told_on: date | None
    method: NoticeMethod
    content: str
    party_signed: bool


def notices_of(case_id: int) -> list[CaseNotice]:
    """The case's 告知 records, in the order they were made."""
    return list(db.session.scalars(sa.select(CaseNotice).where(CaseNotice.case_id == case_id)
                                   .order_by(CaseNotice.id)))


def _ensure_worker(actor: Any, case: Case) -> None:
    ensure_permitted(actor, Permission.CASE_PROCESS)
    if not is_case_worker(actor, case):
        raise NotPermitted(_("Only the notary handling this case, their assistant or the "
                             "director can change it."))


def record_notice(case: Case, data: NoticeData, *, actor: Any) -> CaseNotice:
    """Record that a party was told the legal meaning and consequences, and signed for it."""
    _ensure_worker(actor, case)
    if case.accepted_at is None or case.status in {CaseStatus.REFUSED, CaseStatus.TERMINATED,
                                                   CaseStatus.WITHDRAWN, CaseStatus.ARCHIVED}:
        raise DomainError(_("The notice is recorded after acceptance, while the case is open."))
    errors = ErrorCollector()
    participant = next((p for p in case.active_participants if p.id == data.participant_id),
                       None)
    if participant is None:
        errors.add("participant_id", _("Choose a party of this case."))
    elif db.session.scalar(sa.select(CaseNotice.id).where(
            CaseNotice.participant_id == participant.id)) is not None:
        errors.add("participant_id", _("The notice to this party is already recorded."))
    if data.told_on is None:
        errors.add("told_on", _("This field is required."))
    elif not local_date(case.accepted_at) <= data.told_on <= office_today():
        errors.add("told_on", _("The date must lie between acceptance and today."))
    if not data.content.strip():
        errors.add("content", _("This field is required."))
    if not data.party_signed:
        # 公证程序规则 2020 art. 21: the applicant or agent signs the record of the notice.
        errors.add("party_signed", _("The party signs the notice: print it, have it signed, "
                                     "then record it."))
    errors.raise_if_any()
    assert participant is not None and data.told_on is not None
    notice = CaseNotice(case_id=case.id, participant_id=participant.id, told_on=data.told_on,
                        told_by_id=actor.id, method=data.method, content=data.content.strip(),
                        party_signed=True)
    db.session.add(notice)
    audit.record(db.session, actor, "casefile.notice", case,
                 after={"party": participant.party.name, "told_on": data.told_on,
                        "method": data.method.value})
    db.session.commit()
    return notice


def missing_notices(case: Case, notices: Iterable[CaseNotice] | None = None) -> list[str]:
    """The applicants not yet told (by name), in the case's order; `notices` when the caller
    has already loaded the case's notices."""
    noticed = {n.participant_id for n in (notices_of(case.id) if notices is None else notices)}
    applicants = case.applicants
    representatives = [p.id for p in case.active_participants
                       if p.role is not ParticipantRole.APPLICANT]
    missing = set(rules.uncovered_applicants([p.id for p in applicants], representatives,
                                             noticed))
    return [p.party.name for p in applicants if p.id in missing]


def get_participant(case: Case, participant_id: int) -> CaseParticipant:
    """One active party of the case, or NotFound."""
    participant = next((p for p in case.active_participants if p.id == participant_id), None)
    if participant is None:
        raise NotFound(_("No such participant."))
    return participant


def notice_for(participant_id: int) -> CaseNotice | None:
    """The recorded notice to this party, if any."""
    return db.session.scalar(sa.select(CaseNotice).where(
        CaseNotice.participant_id == participant_id))


# --- the second volume (副卷) ---------------------------------------------------------------


def may_see_second_volume(actor: Any, case: Case) -> bool:
    """Internal opinions are for the case's workers, its approver and the director only."""
    return (has_permission(actor, Permission.CASE_PROCESS) and is_case_worker(actor, case)) \
        or actor.id == case.approver_id


def file_notes_of(case_id: int) -> list[FileNote]:
    """The second volume's documents, in filing order."""
    return list(db.session.scalars(sa.select(FileNote).where(FileNote.case_id == case_id)
                                   .order_by(FileNote.id)))


def add_file_note(case: Case, kind: FileNoteKind, title: str, body: str, *,
                  actor: Any) -> FileNote:
    """File an internal opinion, request or reply in the second volume (公证程序规则 art. 60)."""
    if not may_see_second_volume(actor, case):
        raise NotPermitted(_("Only the case's notary, assistant, approver or the director "
                             "file into the second volume."))
    errors = ErrorCollector()
    if not title.strip():
        errors.add("title", _("This field is required."))
    if not body.strip():
        errors.add("body", _("This field is required."))
    errors.raise_if_any()
    note = FileNote(case_id=case.id, kind=kind, title=title.strip()[:200], body=body.strip(),
                    author_id=actor.id)
    db.session.add(note)
    audit.record(db.session, actor, "casefile.note", case,
                 after={"kind": kind.value, "title": note.title})
    db.session.commit()
    return note


@register_step_effect
def _file_approval_opinion(step: StepContext) -> None:
    """The approver's opinion, approving or sending the case back, is an approval opinion
    filed in the second volume (副卷)."""
    titles = {Action.APPROVE: "审批意见", Action.RETURN_FOR_REVIEW: "审批意见（退回审查）"}
    if step.action in titles and (step.data.reason or "").strip():
        db.session.add(FileNote(case_id=step.case.id, kind=FileNoteKind.APPROVAL,
                                title=titles[step.action], body=(step.data.reason or "").strip(),
                                author_id=step.actor.id, created_at=step.at))


# --- a will's file: the testator's condition, the recording, the death ----------------------

# Audio and video containers an interview recording comes in (magic numbers; the name and
# the browser's claim are ignored, as for the materials).
RECORDING_TYPES: tuple[tuple[int, bytes, str, str], ...] = (
    (4, b"ftyp", "video/mp4", "mp4"),  # MP4, MOV, M4A
    (0, b"\x1a\x45\xdf\xa3", "video/webm", "webm"),  # WebM / Matroska
    (0, b"ID3", "audio/mpeg", "mp3"),
    (0, b"\xff\xfb", "audio/mpeg", "mp3"),
    (0, b"RIFF", "audio/wav", "wav"),
)


def recording_type(head: bytes) -> tuple[str, str] | None:
    for offset, magic, content_type, ext in RECORDING_TYPES:
        if head[offset:offset + len(magic)] == magic:
            return content_type, ext
    return None


def _recordings() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "recordings"


def _ensure_will(case: Case) -> WillFile:
    if not rules.is_will(m.code for m in case.matters):
        raise DomainError(_("This case has no will."))
    record = will_file_of(case.id)
    if record is None:
        record = WillFile(case_id=case.id)
        db.session.add(record)
    return record


def set_testator_condition(case: Case, infirm: bool, note: str, *, actor: Any) -> WillFile:
    """Record whether the testator is frail, sick or disabled (遗嘱公证细则 art. 16)."""
    _ensure_worker(actor, case)
    record = _ensure_will(case)
    if infirm and not note.strip():
        raise DomainError(_("Say what the testator's condition is."))
    before = {"testator_infirm": record.testator_infirm, "infirm_note": record.infirm_note}
    record.testator_infirm, record.infirm_note = infirm, (note.strip() or None) if infirm else None
    after = {"testator_infirm": record.testator_infirm, "infirm_note": record.infirm_note}
    before, after = audit.changed_only(before, after)
    if after:
        audit.record(db.session, actor, "casefile.testator", case, before=before, after=after)
    db.session.commit()
    return record


def attach_recording(case: Case, stream: BinaryIO, filename: str, *, actor: Any) -> WillFile:
    """Attach the audio or video recording of the interview with the testator (art. 16)."""
    _ensure_worker(actor, case)
    record = _ensure_will(case)
    max_bytes = int(current_app.config["UPLOAD_MAX_BYTES"])
    data = stream.read(max_bytes + 1)
    errors = ErrorCollector()
    detected = recording_type(data[:16]) if data else None
    if not data:
        errors.add("recording", _("The file is empty."))
    elif len(data) > max_bytes:
        errors.add("recording", _("The file is larger than %(limit)s.",
                                  limit=f"{max_bytes / (1024 * 1024):.0f} MB"))
    elif detected is None:
        errors.add("recording", _("Only MP4, MOV, WebM, MP3 and WAV recordings are accepted."))
    errors.raise_if_any()
    assert detected is not None
    digest = hashlib.sha256(data).hexdigest()
    relative = Path(digest[:2]) / f"{secrets.token_hex(16)}.{detected[1]}"
    target = _recordings() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    before = {"recording_sha256": record.recording_sha256}
    record.recording_path, record.recording_sha256 = relative.as_posix(), digest
    record.recording_filename = clean_filename(filename, "recording")
    record.recording_content_type, record.recording_size = detected[0], len(data)
    record.recording_at, record.recording_by_id = utcnow(), actor.id
    audit.record(db.session, actor, "casefile.recording", case, before=before,
                 after={"recording_sha256": digest, "size": len(data)})
    db.session.commit()
    return record


def recording_path(record: WillFile) -> Path:
    """The stored recording."""
    if not record.recording_path:
        raise NotFound(_("No recording was attached."))
    return resolve_stored(_recordings(), record.recording_path)


def recording_needed(case: Case, on: date) -> bool:
    """Whether the will's interview must be recorded (遗嘱公证细则 art. 16, office age)."""
    if not rules.is_will(m.code for m in case.matters):
        return False
    record = will_file_of(case.id)
    return rules.recording_required(
        births=[p.party.birth_date for p in case.applicants], on=on,
        infirm=bool(record and record.testator_infirm),
        age_threshold=current_app.config["WILL_RECORDING_AGE"])


def record_death(case: Case, death_on: date | None, evidence: str, *, actor: Any) -> WillFile:
    """Record the testator's death: the will's file becomes an ordinary file (art. 60)."""
    if not (has_permission(actor, Permission.CASE_ASSIGN) or (
            has_permission(actor, Permission.CASE_PROCESS) and is_case_worker(actor, case))):
        raise NotPermitted(_("Only the case's notary or the director records the death."))
    record = _ensure_will(case)
    errors = ErrorCollector()
    if record.death_on is not None:
        errors.add("", _("The death is already recorded."))
    if death_on is None:
        errors.add("death_on", _("This field is required."))
    elif death_on > office_today():
        errors.add("death_on", _("The date cannot be in the future."))
    if not evidence.strip():
        errors.add("evidence", _("Name the proof of death (e.g. the death certificate and its "
                                 "number)."))
    errors.raise_if_any()
    record.death_on, record.death_evidence = death_on, evidence.strip()[:200]
    record.death_recorded_at, record.death_recorded_by_id = utcnow(), actor.id
    from notary.certificates.models import ArchiveFile

    archived = db.session.get(ArchiveFile, case.id)
    if archived is not None:
        archived.is_confidential = False  # 立遗嘱人死亡后，转为普通卷保存
    audit.record(db.session, actor, "casefile.death", case,
                 after={"death_on": death_on, "evidence": record.death_evidence})
    db.session.commit()
    return record


# --- approval waits for the notice and, for a will, its recording ---------------------------


@register_step_check
def _notice_and_recording_before_approval(step: StepContext, errors: ErrorCollector) -> None:
    """No approval (审批) before every applicant was told (公证法 art. 27 ¶2), nor, for an
    elderly or sick testator, before the interview recording is attached (细则 art. 16)."""
    if step.action is not Action.APPROVE:
        return
    if missing := missing_notices(step.case):
        errors.add("", _("The notice of legal meaning and consequences (告知, 公证法 art. 27) "
                         "is not recorded for: %(names)s.", names="、".join(missing)))
    if recording_needed(step.case, office_today()):
        record = will_file_of(step.case.id)
        if record is None or not record.recording_path:
            age = current_app.config["WILL_RECORDING_AGE"]
            errors.add("", _("The testator is elderly (%(age)s or older) or sick: attach the "
                             "audio or video recording of the interview (遗嘱公证细则 art. 16) "
                             "before approval.", age=age if age is not None else "—"))


def approvers() -> list[User]:
    """Staff who may approve now (for showing who to ask)."""
    from notary.cases.workflow import may_approve

    today = office_today()
    return [u for u in db.session.scalars(sa.select(User).where(User.is_enabled.is_(True))
                                          .order_by(User.full_name))
            if may_approve(u) and not u.is_suspended_on(today)]
