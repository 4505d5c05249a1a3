"""Certificates: the wording drafted from the case, frozen at approval, numbered at issue,
rendered once to a stored PDF, and looked up by anyone on the public verification page."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from notary.cases.models import Case, Category, MatterType, ParticipantRole
from notary.cases.rules import Action
from notary.cases.services import ensure_may_act_on_case, is_case_worker
from notary.cases.workflow import StepContext, register_step_check, register_step_effect
from notary.certificates import rules
from notary.certificates.models import (
    Certificate,
    CertificateStatus,
    WordingTemplate,
)
from notary.certificates.pdf import (
    CertificateDocument,
    CertificatePage,
    build_certificate_pdf,
    unprintable,
)
from notary.core import audit
from notary.core.errors import DomainError, ErrorCollector, NotFound, NotPermitted
from notary.core.models import office_today
from notary.core.permissions import Permission, ensure_permitted, register_object_guard
from notary.core.sequences import next_value
from notary.core.templating import chinese_date
from notary.extensions import db
from notary.parties.models import Party, PartyKind
from notary.parties.rules import DocumentType

FOREIGN = {Category.FOREIGN_CIVIL, Category.FOREIGN_ECONOMIC, Category.HONG_KONG,
           Category.MACAO, Category.TAIWAN}
_SEX = {"male": ("男", "male"), "female": ("女", "female")}
_DOC_LABEL = {DocumentType.RESIDENT_ID: ("公民身份号码", "ID No."),
              DocumentType.PASSPORT: ("护照号码", "Passport No."),
              DocumentType.HK_MACAO_PERMIT: ("港澳居民来往内地通行证号码", "Permit No."),
              DocumentType.TAIWAN_PERMIT: ("台湾居民来往大陆通行证号码", "Permit No."),
              DocumentType.FOREIGN_PERMANENT_RESIDENT: ("外国人永久居留身份证号码", "Permit No."),
              DocumentType.USCC: ("统一社会信用代码", "Unified Social Credit Code")}


# --- wording templates ---------------------------------------------------------------------


def wording_for(code: str) -> rules.Wording:
    """The office's template for a matter, or the built-in one."""
    row = db.session.scalar(sa.select(WordingTemplate).where(WordingTemplate.matter_code == code))
    if row is not None:
        return rules.Wording(row.matter_text, row.body, row.body_en)
    return rules.DEFAULT_WORDINGS.get(code, rules.GENERIC_WORDING)


def all_wordings() -> list[tuple[MatterType, rules.Wording, bool]]:
    """Every active matter with its template and whether the office changed it."""
    rows = {r.matter_code: r for r in db.session.scalars(sa.select(WordingTemplate))}
    matters = db.session.scalars(sa.select(MatterType).where(MatterType.is_active.is_(True))
                                 .order_by(MatterType.sort_order, MatterType.id))
    return [(m, wording_for(m.code), m.code in rows) for m in matters]


SAMPLE_CONTEXT: dict[str, Any] = {
    "applicant": {"name": "张三", "sex": "男", "birth_date": "一九八〇年五月十七日",
                  "birth_date_en": "17 May 1980", "birth_place": "湖南省耒阳市",
                  "document_number": "430481198005170011"},
    "applicants": [], "agents": [], "matter": "继承", "matter_en": "Inheritance",
    "document_name": "委托书", "language": "英文", "sign_date": "二〇二六年十一月三十日",
    "sign_date_en": "30 November 2026", "today": "二〇二六年十一月三十日",
    "today_en": "30 November 2026", "father": "张大山", "mother": "李秀英",
    "relative": "张大山", "relation": "父子",
    "decedent": {"name": "李德胜", "death_date": "二〇二四年三月一日", "death_date_en":
                 "1 March 2024", "death_place": "湖南省耒阳市"},
    "heirs": [{"name": "王秀英", "relation": "配偶", "share": "二分之一"},
              {"name": "李明", "relation": "子女", "share": "二分之一"}],
    "has_will": False, "estate": "存款人民币十万元",
}


def save_wording(code: str, matter_text: str, body: str, body_en: str, *,
                 actor: Any) -> WordingTemplate:
    """Save the office's template for a matter after checking that it compiles and renders."""
    ensure_permitted(actor, Permission.TEMPLATE_MANAGE)
    if db.session.scalar(sa.select(MatterType.id).where(MatterType.code == code)) is None:
        raise NotFound(_("No such matter."))
    errors = ErrorCollector()
    for field, source in (("matter_text", matter_text), ("body", body), ("body_en", body_en)):
        if field != "body_en" and not source.strip():
            errors.add(field, _("This field is required."))
        elif problem := rules.validate_wording(source, SAMPLE_CONTEXT):
            errors.add(field, _("The template cannot be used: %(problem)s", problem=problem))
    errors.raise_if_any()
    row = db.session.scalar(sa.select(WordingTemplate).where(WordingTemplate.matter_code == code))
    before = audit.snapshot(row, ("matter_text", "body", "body_en")) if row else None
    if row is None:
        row = WordingTemplate(matter_code=code)
        db.session.add(row)
    row.matter_text, row.body, row.body_en = matter_text.strip(), body.strip(), body_en.strip()
    row.updated_by_id = actor.id
    after = audit.snapshot(row, ("matter_text", "body", "body_en"))
    if before is not None:
        before, after = audit.changed_only(before, after)
    audit.record(db.session, actor, "wording.save", row, before=before, after=after)
    db.session.commit()
    return row


# --- drafting from the case ------------------------------------------------------------------


def _person(party: Party, role: str, foreign: bool) -> tuple[str, str, dict[str, Any]]:
    """One party's line in the 申请人 block (note 2 to the 2011 formats), Chinese and English."""
    label, label_en = {"applicant": ("申请人", "Applicant"), "agent": ("委托代理人", "Agent"),
                       "representative": ("法定代表人", "Legal representative")}[role]
    doc, doc_en = _DOC_LABEL.get(DocumentType(party.document_type), ("证件号码", "Document No."))
    if party.kind is PartyKind.ORGANISATION:
        zh = f"{label}：{party.name}，{doc}：{party.document_number}"
        en = f"{label_en}: {party.name}, {doc_en}: {party.document_number}"
        if party.address:
            zh += f"，住所：{party.address}"
        if party.legal_representative:
            zh += f"。\n法定代表人：{party.legal_representative}"
            en += f"\nLegal representative: {party.legal_representative}"
        return zh + "。", en + ".", {"name": party.name}
    sex, sex_en = _SEX.get(str(party.sex.value if party.sex else ""), ("", ""))
    parts, parts_en = [party.name], [party.name]
    if sex:
        parts.append(sex)
        parts_en.append(sex_en)
    # The birth date goes on certificates for use abroad; no age is ever written (1981 notice).
    if party.birth_date and foreign:
        parts.append(f"{chinese_date(party.birth_date)}出生")
        parts_en.append(f"born on {rules.english_date(party.birth_date)}")
    if party.nationality and party.nationality not in {"中国", "中华人民共和国"}:
        parts.append(f"国籍：{party.nationality}")
        parts_en.append(f"nationality: {party.nationality}")
    parts.append(f"{doc}：{party.document_number}")
    parts_en.append(f"{doc_en}: {party.document_number}")
    info = {"name": party.name, "sex": sex, "birth_date": chinese_date(party.birth_date),
            "birth_date_en": rules.english_date(party.birth_date), "birth_place": None,
            "document_number": party.document_number}
    return f"{label}：{'，'.join(parts)}。", f"{label_en}: {', '.join(parts_en)}.", info


def _inheritance_context(case: Case) -> dict[str, Any]:
    from notary.inheritance import services as inheritance
    from notary.inheritance.models import DispositionKind

    file = inheritance.get_file(case)
    if file is None:
        return {"decedent": {"name": "×××", "death_date": "×年×月×日", "death_date_en": "…",
                             "death_place": "×××"}, "heirs": [], "has_will": False,
                "estate": ""}
    members = {m.id: m for m in inheritance.members_of(case.id)}
    agreed = {int(k): v for k, v in (file.agreed_shares or {}).items()}
    heirs = []
    for person in (file.result or {}).get("people", []):
        if person.get("outcome") not in {"heir", "transmitted"}:
            continue
        member = members.get(person["member_id"])
        share = str(agreed.get(person["member_id"], person["share"]))
        heirs.append({"name": person["name"], "share": rules.chinese_share(share),
                      "relation": member.relation_label if member else ""})
    estate = "、".join(a.description for a in inheritance.assets_of(case.id))
    return {
        "decedent": {"name": file.decedent_name, "death_date": chinese_date(file.death_date),
                     "death_date_en": rules.english_date(file.death_date),
                     "death_place": file.death_place or file.last_residence or "×××"},
        "heirs": heirs, "estate": estate,
        "has_will": any(d.kind is DispositionKind.WILL
                        for d in inheritance.dispositions_of(case.id)),
    }


def draft_context(case: Case, matter: MatterType) -> dict[str, Any]:
    """What a wording template may use: the case's parties, dates and, for 继承, the heirs."""
    foreign = case.category in FOREIGN
    people = [(p.role.value, p.party) for p in case.active_participants]
    applicants = [_person(party, role, foreign)[2] for role, party in people
                  if role == ParticipantRole.APPLICANT.value]
    today = office_today()
    context: dict[str, Any] = {
        "applicant": applicants[0] if applicants else {"name": "×××"},
        "applicants": applicants,
        "agents": [_person(party, role, foreign)[2] for role, party in people
                   if role != ParticipantRole.APPLICANT.value],
        "matter": matter.name, "matter_en": matter.name_en or matter.name,
        "document_name": case.document_name or "", "language": case.translation_language or "",
        "sign_date": chinese_date(today), "sign_date_en": rules.english_date(today),
        "today": chinese_date(today), "today_en": rules.english_date(today),
        "father": "", "mother": "", "relative": "", "relation": "",
    }
    context.update(_inheritance_context(case) if matter.code == "inheritance" else
                   {"decedent": SAMPLE_CONTEXT["decedent"] | {"name": "×××"}, "heirs": [],
                    "has_will": False, "estate": ""})
    return context


def applicant_blocks(case: Case) -> tuple[str, str]:
    """The 申请人 block in Chinese and English: applicants, then representatives and agents."""
    foreign = case.category in FOREIGN
    order = {ParticipantRole.APPLICANT: 0, ParticipantRole.REPRESENTATIVE: 1,
             ParticipantRole.AGENT: 2}
    lines = [_person(p.party, p.role.value, foreign)
             for p in sorted(case.active_participants, key=lambda p: (order[p.role], p.position))]
    return "\n".join(x[0] for x in lines), "\n".join(x[1] for x in lines)


def _fill(cert: Certificate, case: Case, matter: MatterType) -> None:
    wording = wording_for(matter.code)
    context = draft_context(case, matter)
    cert.matter_text = rules.render_wording(wording.matter, context) or matter.name
    cert.body = rules.render_wording(wording.body, context)
    cert.body_en = rules.render_wording(wording.body_en, context) if wording.body_en else ""
    cert.applicant_block, cert.applicant_block_en = applicant_blocks(case)
    cert.with_translation = case.category in FOREIGN and bool(case.translation_language)


def _new_drafts(case: Case) -> list[Certificate]:
    """One certificate per matter (一事一证), in the order they will take numbers."""
    by_code = {m.code: m for m in case.matters}
    drafts = []
    for position, code in enumerate(rules.issue_order(by_code)):
        cert = Certificate(case_id=case.id, position=position, matter_code=code,
                           status=CertificateStatus.DRAFT, verification_code=_unused_code())
        _fill(cert, case, by_code[code])
        drafts.append(cert)
    return drafts


def _unused_code() -> str:
    while True:
        code = rules.new_verification_code()
        if db.session.scalar(sa.select(Certificate.id).where(
                Certificate.verification_code == code)) is None:
            return code


def certificates_of(case_id: int) -> list[Certificate]:
    """The case's certificates: originals in issue order, corrections after them."""
    return list(db.session.scalars(sa.select(Certificate).where(Certificate.case_id == case_id)
                                   .order_by(Certificate.position, Certificate.id)))


def get_certificate(certificate_id: int) -> Certificate:
    """Load a certificate or raise NotFound."""
    cert = db.session.get(Certificate, certificate_id)
    if cert is None:
        raise NotFound(_("No such certificate."))
    return cert


def _ensure_drafter(actor: Any, case: Case) -> None:
    ensure_permitted(actor, Permission.CERTIFICATE_DRAFT)
    if not is_case_worker(actor, case):
        raise NotPermitted(_("Only the notary handling this case, their assistant or the "
                             "director can change it."))


def _draftable(case: Case) -> bool:
    return case.approved_at is None and case.closed_at is None and case.accepted_at is not None


def prepare_drafts(case: Case, *, actor: Any) -> list[Certificate]:
    """Draft the certificates from the case (again): the templates filled with its data."""
    _ensure_drafter(actor, case)
    if not _draftable(case):
        raise DomainError(_("The wording is frozen once the case is approved."))
    existing = certificates_of(case.id)
    drafts = _new_drafts(case)
    kept = {c.matter_code: c for c in existing}
    for draft in drafts:
        cert = kept.pop(draft.matter_code, None)
        if cert is None:
            db.session.add(draft)
            continue
        cert.position, cert.matter_text, cert.body, cert.body_en = (
            draft.position, draft.matter_text, draft.body, draft.body_en)
        cert.applicant_block, cert.applicant_block_en = (draft.applicant_block,
                                                         draft.applicant_block_en)
        cert.with_translation = draft.with_translation
    for stale in kept.values():  # a matter removed from the case: its draft goes
        db.session.delete(stale)
    audit.record(db.session, actor, "certificate.draft", case,
                 after={"matters": [d.matter_code for d in drafts]})
    db.session.commit()
    return certificates_of(case.id)


@dataclass(frozen=True)
class WordingData:
    matter_text: str
    body: str
    body_en: str
    applicant_block: str


def edit_draft(cert: Certificate, data: WordingData, *, actor: Any) -> Certificate:
    """Save the notary's edits to a draft; characters no font can draw are refused here."""
    _ensure_drafter(actor, cert.case)
    if cert.status is not CertificateStatus.DRAFT or not _draftable(cert.case):
        raise DomainError(_("The wording is frozen once the case is approved."))
    errors = ErrorCollector()
    fields = {"matter_text": data.matter_text, "body": data.body, "body_en": data.body_en,
              "applicant_block": data.applicant_block}
    for field, text in fields.items():
        if field != "body_en" and not text.strip():
            errors.add(field, _("This field is required."))
        elif missing := unprintable_chars([text]):
            errors.add(field, _missing_message(missing))
    errors.raise_if_any()
    before = audit.snapshot(cert, fields)
    for field, text in fields.items():
        setattr(cert, field, text.strip().replace("\r\n", "\n"))
    before, after = audit.changed_only(before, audit.snapshot(cert, fields))
    audit.record(db.session, actor, "certificate.edit", cert, before=before, after=after)
    db.session.commit()
    return cert


def unprintable_chars(texts: list[str]) -> list[str]:
    """The characters of the texts that no embedded font can draw."""
    from notary.core.pdf import missing_glyphs

    return missing_glyphs(texts)


def _missing_message(chars: list[str]) -> str:
    shown = "、".join(f"{c}（U+{ord(c):04X}）" for c in chars)
    return _("These characters cannot be printed with the certificate fonts: %(chars)s. "
             "Configure a fallback font that has them, or ask the party how to write them.",
             chars=shown)


# --- the procedure: freeze at approval, number at issue --------------------------------------


def _documents_for(case: Case) -> list[Certificate]:
    """The certificates the step will freeze or issue (drafts made now if none exist)."""
    current = [c for c in certificates_of(case.id) if c.corrects_id is None]
    return current or _new_drafts(case)


@register_step_check
def _printable_before_approval_and_issue(context: StepContext, errors: ErrorCollector) -> None:
    """Every character must be drawable before the wording is frozen or issued (no boxes)."""
    if context.action not in {Action.APPROVE, Action.ISSUE}:
        return
    for cert in _documents_for(context.case):
        document = document_for(cert, number=cert.number or "（）", notary=_notary(context.case))
        if missing := unprintable(document):
            errors.add("", _missing_message(missing))


@register_step_effect
def _freeze_and_number(step: StepContext) -> None:
    """APPROVE freezes the wording; ISSUE numbers the certificates in order (gap-free)."""
    if step.action not in {Action.APPROVE, Action.ISSUE}:
        return
    case = step.case
    certs = [c for c in certificates_of(case.id) if c.corrects_id is None]
    if not certs:
        certs = _new_drafts(case)
        db.session.add_all(certs)
    for cert in certs:
        if cert.status is CertificateStatus.DRAFT:
            cert.status, cert.frozen_at = CertificateStatus.APPROVED, step.at
    if step.action is Action.ISSUE:
        today = office_today()
        for cert in sorted(certs, key=lambda c: c.position):
            if cert.status is CertificateStatus.APPROVED:
                _assign_number(cert, case, today)
                _mark_issued(cert, case, step.at, today)
        case.certificate_number = certs[0].number if certs else None
    db.session.flush()
    for cert in certs:
        audit.record(db.session, step.actor, f"certificate.{step.action.value}", cert,
                     after={"number": cert.number, "status": cert.status.value})


def _assign_number(cert: Certificate, case: Case, today: date) -> None:
    # next_value runs in the step's transaction: a rolled-back issue gives its number back,
    # and a second process waits for the row (PostgreSQL) or the write lock (SQLite).
    # A number already on record (e.g. imported from the office's ledger) is never issued
    # again: the counter moves past it.
    series = current_app.config["CERTIFICATE_SERIES"]
    code = rules.series_for(case.category.value, series)
    while True:
        seq = next_value(db.session, f"certificate:{code}", today.year)
        number = rules.format_number(series[code]["format"], today.year, seq,
                                     int(series[code].get("width", 0)))
        if not _number_on_record(number):
            break
    cert.series, cert.year, cert.seq, cert.number = code, today.year, seq, number


def _number_on_record(number: str) -> bool:
    return db.session.scalar(sa.select(
        sa.exists().where(Case.certificate_number == number)
        | sa.exists().where(Certificate.number == number))) or False


def _notary(case: Case) -> str:
    return case.handling_notary.full_name if case.handling_notary else ""


def _mark_issued(cert: Certificate, case: Case, at: Any, today: date) -> None:
    cert.status, cert.issued_at, cert.issued_on = CertificateStatus.ISSUED, at, today
    cert.notary_name = _notary(case)
    cert.office_name = current_app.config["OFFICE_NAME"]
    cert.applicant_name = "、".join(p.party.name for p in case.applicants)


# --- the document and its stored PDF ---------------------------------------------------------


def verify_url(code: str) -> str:
    """The public address printed in the QR code."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/verify/{code}"


def document_for(cert: Certificate, *, number: str | None = None,
                 notary: str | None = None) -> CertificateDocument:
    """What the certificate prints: its page, and for a translation the English page and the
    译文与原文相符 certificate."""
    office = cert.office_name or current_app.config["OFFICE_NAME"]
    shown_number = number or cert.number or "（出证时编号）"
    day = cert.issued_on or office_today()
    notary_name = cert.notary_name or notary or _notary(cert.case)
    pages = [CertificatePage("公证书", shown_number, cert.applicant_block, "公证事项：",
                             cert.matter_text, cert.body, office, "公证员：", notary_name,
                             chinese_date(day))]
    if cert.with_translation:
        pages.append(CertificatePage(
            "NOTARIAL CERTIFICATE", shown_number, cert.applicant_block_en or "", "Matter: ",
            _matter_en(cert), cert.body_en or "",
            current_app.config["OFFICE_NAME_EN"], "Notary Public: ", notary_name,
            rules.english_date(day)))
        pages.append(CertificatePage("公证书", shown_number, cert.applicant_block, "公证事项：",
                                     "译文与原文相符", rules.TRANSLATION_NOTE, office,
                                     "公证员：", notary_name, chinese_date(day)))
    return CertificateDocument(tuple(pages), verify_url(cert.verification_code),
                               cert.verification_code,
                               draft=cert.status in {CertificateStatus.DRAFT,
                                                     CertificateStatus.APPROVED})


def _matter_en(cert: Certificate) -> str:
    matter = db.session.scalar(sa.select(MatterType).where(MatterType.code == cert.matter_code))
    return matter.name_en if matter and matter.name_en else cert.matter_text


def preview_pdf(cert: Certificate) -> bytes:
    """A draft rendering (marked 样稿, never stored) so the notary sees the real layout."""
    return build_certificate_pdf(document_for(cert))


def _folder() -> Path:
    return Path(current_app.config["CERTIFICATE_FOLDER"])


def stored_pdf(cert: Certificate) -> bytes:
    """The issued certificate's PDF: rendered and stored once, then always the same bytes."""
    if cert.issued_at is None:
        raise DomainError(_("This certificate has not been issued."))
    if cert.pdf_path:
        data = (_folder() / cert.pdf_path).read_bytes()
        if hashlib.sha256(data).hexdigest() != cert.pdf_sha256:
            raise DomainError(_("The stored certificate file does not match its checksum."))
        return data
    data = build_certificate_pdf(document_for(cert))
    key, password = (current_app.config["CERTIFICATE_SIGNING_PKCS12"],
                     current_app.config["CERTIFICATE_SIGNING_PASSWORD"])
    if key:
        from notary.certificates.signing import sign_pdf

        data = sign_pdf(data, key, password, reason=f"公证书 {cert.number}")
    digest = hashlib.sha256(data).hexdigest()
    year = cert.issued_on.year if cert.issued_on else 0
    relative = Path(str(year)) / f"{cert.id}-{digest[:16]}.pdf"
    target = _folder() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    # Only the first writer records its file: a second, simultaneous first download keeps it.
    stored = db.session.execute(  # type: ignore[attr-defined]  # a CursorResult for UPDATE
        sa.update(Certificate).where(Certificate.id == cert.id, Certificate.pdf_path.is_(None))
        .values(pdf_path=relative.as_posix(), pdf_sha256=digest, pdf_size=len(data),
                is_signed=bool(key))).rowcount
    db.session.commit()
    db.session.refresh(cert)
    if not stored:
        target.unlink(missing_ok=True)
        return stored_pdf(cert)
    return data


def _guard_certificate(actor: Any, certificate_id: int) -> None:
    ensure_may_act_on_case(actor, get_certificate(certificate_id).case)


register_object_guard("certificate_id", _guard_certificate)
