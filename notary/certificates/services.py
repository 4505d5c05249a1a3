"""Certificates: the wording drafted from the case, frozen at approval, numbered at issue,
rendered once to a stored PDF, and looked up by anyone on the public verification page."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from notary.cases.models import Case, MatterType
from notary.cases.rules import Action
from notary.cases.services import ensure_may_act_on_case, is_case_worker
from notary.cases.workflow import StepContext, register_step_check, register_step_effect
from notary.certificates import drafting, rules
from notary.certificates.drafting import FOREIGN, SAMPLE_CONTEXT
from notary.certificates.languages import (
    LANGUAGES,
    is_han,
    leftover_chinese,
    name_pinyin,
    read_office_readings_with,
    romanise_number,
    unknown_characters,
)
from notary.certificates.models import (
    Certificate,
    CertificateStatus,
    CharacterReading,
    VerificationAddress,
    WordingTemplate,
)
from notary.certificates.pdf import (
    CertificateDocument,
    CertificatePage,
    build_certificate_pdf,
    unprintable,
)
from notary.core import audit
from notary.core.errors import (
    DomainError,
    ErrorCollector,
    NotFound,
    NotPermitted,
    ValidationFailed,
)
from notary.core.models import office_today, utcnow
from notary.core.pdf import SERIF, describe_char, missing_glyphs, unprintable_message
from notary.core.permissions import Permission, ensure_permitted, register_object_guard
from notary.core.sequences import next_value
from notary.core.templating import chinese_date
from notary.extensions import db
from notary.inheritance.services import determination_changed

__all__ = ["FOREIGN", "SAMPLE_CONTEXT"]  # drafting's, kept importable from here


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

    def wording(code: str) -> rules.Wording:  # wording_for, from the rows read once
        row = rows.get(code)
        if row is not None:
            return rules.Wording(row.matter_text, row.body, row.body_en)
        return rules.DEFAULT_WORDINGS.get(code, rules.GENERIC_WORDING)

    return [(m, wording(m.code), m.code in rows) for m in matters]


def limit_message(exc: rules.WordingLimit) -> str:
    """What a template over one of the sandbox's limits is told, in the user's language."""
    n = int(exc.limit)
    if exc.kind == "length":
        return _("The template builds a text or list longer than %(n)d characters or items "
                 "(for example a text multiplied by a large number).", n=n)
    if exc.kind == "output":
        return _("The filled-in text would be longer than %(n)d characters.", n=n)
    if exc.kind == "time":
        return _("The template takes too long to fill in.")
    return _("The template runs more than %(n)d loop steps or calls.", n=n)


def wording_problem(source: str) -> str | None:
    """Why a template cannot be saved: it must compile and fill in the sample case."""
    try:
        rules.render_wording(source, SAMPLE_CONTEXT)
    except rules.WordingLimit as exc:
        return _("The template cannot be used: %(problem)s", problem=limit_message(exc))
    except Exception as exc:  # a syntax error, an undefined name, a sandbox refusal
        return _("The template cannot be used: %(problem)s", problem=str(exc))
    return None


def _render(source: str, context: Mapping[str, Any]) -> str:
    """Fill a stored template; one the sandbox refuses is a clear error, never a 500."""
    try:
        return rules.render_wording(source, context)
    except rules.WordingLimit as exc:
        raise ValidationFailed({"wording": _("The template cannot be used: %(problem)s",
                                             problem=limit_message(exc))}) from exc
    except rules.WordingError as exc:
        raise ValidationFailed({"wording": _("The template cannot be used: %(problem)s",
                                             problem=str(exc))}) from exc


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
        elif problem := wording_problem(source):
            errors.add(field, problem)
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


def translated_matter(cert: Certificate) -> str:
    """The matter as the translation page prints it (English name, or the built-in one)."""
    if cert.language and cert.language != "en":
        return rules.TRANSLATIONS.get(cert.language, {}).get(cert.matter_code, ("", ""))[0] \
            or cert.matter_code.replace("_", " ")
    matter = db.session.scalar(sa.select(MatterType).where(MatterType.code == cert.matter_code))
    return matter.name_en if matter and matter.name_en else cert.matter_code.replace("_", " ")


def _translation(case: Case, matter: MatterType, code: str) -> str:
    """The translation page's wording: the office's English template, a built-in one, or
    empty for the notary to write (the approval check asks for it)."""
    if code == "en":
        wording = wording_for(matter.code)
        source = wording.body_en
    else:
        source = rules.TRANSLATIONS.get(code, {}).get(matter.code, ("", ""))[1]
    if not source:
        return ""
    return _render(source, drafting.draft_context(case, matter, code))


def _fill(cert: Certificate, case: Case, matter: MatterType) -> None:
    wording = wording_for(matter.code)
    context = drafting.draft_context(case, matter)
    cert.matter_text = _render(wording.matter, context) or matter.name
    cert.body = _render(wording.body, context)
    cert.applicant_block = drafting.applicant_block(case)
    language = drafting.translation_language(case)
    cert.with_translation = case.category in FOREIGN and bool(case.translation_language)
    cert.language = language.code if language else None
    cert.body_en = _translation(case, matter, language.code) if language else ""
    cert.applicant_block_en = drafting.applicant_block(case, language.code) if language else ""
    cert.drafted_at, cert.edited_at = utcnow(), None


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


def refill_drafts(case: Case) -> None:
    """Draft again, from the case as it is now, every draft nobody has edited by hand (the
    wording follows the facts until approval freezes it). Flushes only."""
    by_code = {m.code: m for m in case.matters}
    for cert in certificates_of(case.id):
        if cert.status is CertificateStatus.DRAFT and cert.edited_at is None \
                and cert.matter_code in by_code:
            _fill(cert, case, by_code[cert.matter_code])
    db.session.flush()


@determination_changed.connect
def _follow_determination(case: Case) -> None:
    """The inheritance draft follows each new heir determination until approval."""
    if _draftable(case):
        refill_drafts(case)


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
        for name in ("position", "matter_text", "body", "body_en", "applicant_block",
                     "applicant_block_en", "with_translation", "language", "drafted_at",
                     "edited_at"):
            setattr(cert, name, getattr(draft, name))
    for stale in kept.values():  # a matter removed from the case: its draft goes
        db.session.delete(stale)
    # The history shows the matters by name, as the case's registration records them.
    names = {m.code: m.name for m in case.matters}
    audit.record(db.session, actor, "certificate.draft", case,
                 after={"matters": [names.get(d.matter_code, d.matter_code) for d in drafts]})
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
        elif field == "body_en" and (chinese := leftover_chinese(text)):
            errors.add(field, _foreign_page_message(chinese))
    errors.raise_if_any()
    before = audit.snapshot(cert, fields)
    for field, text in fields.items():
        setattr(cert, field, text.strip().replace("\r\n", "\n"))
    cert.edited_at = utcnow()
    before, after = audit.changed_only(before, audit.snapshot(cert, fields))
    audit.record(db.session, actor, "certificate.edit", cert, before=before, after=after)
    db.session.commit()
    return cert


def unprintable_chars(texts: list[str]) -> list[str]:
    """The characters of the texts that no font of the certificate's stack can draw."""
    return missing_glyphs(texts, SERIF)


def _missing_message(chars: list[str]) -> str:
    return unprintable_message(chars)


def _foreign_page_message(chars: list[str]) -> str:
    unknown = unknown_characters("".join(chars))
    message = _("A foreign-language page cannot carry Chinese characters: %(chars)s. Write "
                "names in Hanyu Pinyin and translate the rest.",
                chars="、".join(describe_char(c) for c in chars))
    if unknown:
        message += " " + _("The Pinyin dictionary does not know %(chars)s: the administrator "
                           "records how it is read on the Documents page, then draft again.",
                           chars="、".join(unknown))
    return message


# --- readings of characters the Pinyin dictionary does not know (生僻字) ----------------------

READING_PATTERN = re.compile(r"[a-zü]{1,6}")


def office_readings(chars: frozenset[str] | None = None) -> dict[str, str]:
    """The office's recorded reading of each character (the newest record of each)."""
    query = sa.select(CharacterReading.char, CharacterReading.reading).order_by(
        CharacterReading.id)
    if chars is not None:
        query = query.where(CharacterReading.char.in_(sorted(chars)))
    return {char: reading for char, reading in db.session.execute(query)}


read_office_readings_with(office_readings)


def record_reading(char: str, reading: str, *, actor: Any) -> CharacterReading:
    """Record how the office reads a character the Pinyin dictionary does not know."""
    ensure_permitted(actor, Permission.SETTINGS_MANAGE)
    char = (char or "").strip()
    reading = (reading or "").strip().lower().replace("v", "ü")
    errors = ErrorCollector()
    if len(char) != 1 or not is_han(char):
        errors.add("char", _("Enter one Chinese character."))
    elif not unknown_characters(char):
        errors.add("char", _("The Pinyin dictionary already reads %(char)s as %(reading)s.",
                             char=char, reading=name_pinyin(char).lower()))
    if not READING_PATTERN.fullmatch(reading):
        errors.add("reading", _("Enter the syllable in Pinyin letters without tone marks "
                                "(e.g. ji; ü as v or ü), at most six letters."))
    errors.raise_if_any()
    before = office_readings(frozenset({char})).get(char)
    row = CharacterReading(char=char, reading=reading, recorded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record(db.session, actor, "certificate.reading", row,
                 before={"char": char, "reading": before} if before else None,
                 after={"char": char, "reading": reading})
    db.session.commit()
    return row


# --- the procedure: freeze at approval, number at issue --------------------------------------


def _documents_for(case: Case) -> list[Certificate]:
    """The certificates the step will freeze or issue (drafts made now if none exist)."""
    current = [c for c in certificates_of(case.id) if c.corrects_id is None]
    return current or _new_drafts(case)


PLACEHOLDERS = ("×××", "×年")  # what a draft writes where the case lacks a fact
# Matters whose facts come from the records (the party's birth record, the inheritance file):
# a blank there means a record is incomplete. Kinship and the like are written by the notary.
FACTS_FROM_RECORDS = frozenset({"birth", "inheritance"})


def wording_problems(cert: Certificate, case: Case) -> list[str]:
    """Why a draft cannot be approved as it stands (missing facts, an untranslated page)."""
    problems = []
    if cert.matter_code in FACTS_FROM_RECORDS and any(mark in cert.body for mark in PLACEHOLDERS):
        problems.append(_("The wording of %(matter)s still has blanks (×××): record the missing "
                          "facts on the case or the party (e.g. birth place and parents) and "
                          "draft again, or edit the wording.", matter=cert.matter_text))
    if cert.with_translation:
        if cert.language is None:
            problems.append(_("The translation language “%(language)s” has no translation page "
                              "here (English, French, German, Spanish): change the case's "
                              "translation language.", language=case.translation_language))
        elif not cert.body_en.strip():
            problems.append(_("Write the translation of %(matter)s (no built-in wording in "
                              "this language).", matter=cert.matter_text))
        elif chinese := leftover_chinese(cert.body_en + cert.applicant_block_en
                                         + translated_matter(cert)):
            problems.append(_foreign_page_message(chinese))
    if cert.matter_code == "inheritance" and cert.edited_at is not None:
        found = drafting.succession(case)
        file = found[0] if found else None
        if file is not None and file.result_at is not None and file.result_at > cert.edited_at:
            problems.append(_("The heir determination changed after the inheritance wording "
                              "was edited: draft it again (or check and save the wording)."))
    return problems


@register_step_check
def _printable_before_approval_and_issue(context: StepContext, errors: ErrorCollector) -> None:
    """Every character must be drawable before the wording is frozen or issued (no boxes);
    a draft must hold every fact and a complete translation; an issue must point home."""
    if context.action not in {Action.APPROVE, Action.ISSUE}:
        return
    for cert in _documents_for(context.case):
        document = document_for(cert, number=cert.number or "（）", notary=_notary(context.case))
        if missing := unprintable(document):
            errors.add("", _missing_message(missing))
        if context.action is Action.APPROVE and cert.status is CertificateStatus.DRAFT:
            for problem in wording_problems(cert, context.case):
                errors.add("", problem)
    if context.action is Action.ISSUE and (address := public_address_problem()):
        errors.add("", address)


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
    elif step.action is Action.APPROVE:
        refill_drafts(case)  # the frozen wording is the case's facts at approval
    for cert in certs:
        if cert.status is CertificateStatus.DRAFT:
            cert.status, cert.frozen_at = CertificateStatus.APPROVED, step.at
    if step.action is Action.ISSUE:
        today = office_today()
        address = record_address(step.actor)
        for cert in sorted(certs, key=lambda c: c.position):
            if cert.status is CertificateStatus.APPROVED:
                _assign_number(cert, case, today)
                _mark_issued(cert, case, step.at, today)
                cert.verify_base_url = address
        case.certificate_number = certs[0].number if certs else None
    db.session.flush()
    for cert in certs:
        audit.record(db.session, step.actor, f"certificate.{step.action.value}", cert,
                     after={"number": cert.number, "status": cert.status.value})


# --- the public verification address ----------------------------------------------------------


def configured_address() -> str:
    """PUBLIC_BASE_URL as configured, without a trailing slash ("" when unset)."""
    return (current_app.config.get("PUBLIC_BASE_URL") or "").strip().rstrip("/")


def recorded_address() -> VerificationAddress | None:
    """The verification address this office's certificates carry (the latest recorded)."""
    return db.session.scalar(sa.select(VerificationAddress)
                             .order_by(VerificationAddress.id.desc()).limit(1))


def public_address_problem() -> str | None:
    """Why a certificate cannot be issued with the configured address, or None."""
    configured = configured_address()
    if not configured:
        return _("Certificates cannot be issued until the public verification address is set: "
                 "set PUBLIC_BASE_URL in instance/config.py (or the environment) to the address "
                 "at which anyone reaches this office's /verify page, e.g. "
                 "https://gz.example.cn; behind a reverse proxy, the proxy's public https "
                 "address. The Documents page shows what is set.")
    if problem := rules.address_problem(configured):
        return _address_message(problem, configured)
    recorded = recorded_address()
    if recorded is not None and recorded.url != configured:
        return _("This office's certificates point to %(recorded)s, but PUBLIC_BASE_URL is "
                 "%(configured)s: set PUBLIC_BASE_URL back to %(recorded)s, or, if the office "
                 "has moved, the administrator records the new address on the Documents page.",
                 recorded=recorded.url, configured=configured)
    return None


def _address_message(problem: str, url: str) -> str:
    if problem == "scheme":
        return _("PUBLIC_BASE_URL (%(url)s) must be an http:// or https:// address with a "
                 "host name.", url=url)
    return _("PUBLIC_BASE_URL (%(url)s) must be the site's address only, without a path "
             "(the page is /verify).", url=url)


def record_address(actor: Any, *, move: bool = False) -> str:
    """The address certificates are issued with, recorded the first time (flush only)."""
    configured = configured_address()
    recorded = recorded_address()
    if recorded is not None and recorded.url == configured:
        return configured
    if recorded is not None and not move:
        raise DomainError(public_address_problem() or "")
    row = VerificationAddress(url=configured, recorded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record(db.session, actor, "certificate.address", row,
                 before={"url": recorded.url} if recorded else None, after={"url": configured})
    return configured


def move_address(*, actor: Any) -> VerificationAddress:
    """Record the configured PUBLIC_BASE_URL as the office's new verification address."""
    ensure_permitted(actor, Permission.SETTINGS_MANAGE)
    configured = configured_address()
    if not configured:
        raise DomainError(public_address_problem() or "")
    if problem := rules.address_problem(configured):
        raise DomainError(_address_message(problem, configured))
    record_address(actor, move=True)
    db.session.commit()
    row = recorded_address()
    assert row is not None
    return row


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
    cert.office_name = current_app.config["CERTIFICATE_OFFICE_LINE"]
    cert.applicant_name = "、".join(p.party.name for p in case.applicants)


# --- the document and its stored PDF ---------------------------------------------------------


def verify_url(code: str, base: str | None = None) -> str:
    """The public address printed in the QR code (a draft without one shows what is missing)."""
    return f"{(base or configured_address() or '（未设置 PUBLIC_BASE_URL）')}/verify/{code}"


def document_for(cert: Certificate, *, number: str | None = None,
                 notary: str | None = None) -> CertificateDocument:
    """What the certificate prints: its page, and for a translation the page in the case's
    language and the 译文与原文相符 certificate naming that language."""
    config = current_app.config
    office = cert.office_name or config["CERTIFICATE_OFFICE_LINE"]
    shown_number = number or cert.number or "（出证时编号）"
    day = cert.issued_on or office_today()
    notary_name = cert.notary_name or notary or _notary(cert.case)
    pages = [CertificatePage("公证书", shown_number, cert.applicant_block, "公证事项：",
                             cert.matter_text, cert.body, office, "公证员：", notary_name,
                             chinese_date(day))]
    language = LANGUAGES.get(cert.language or "")
    if cert.with_translation and language is not None:
        office_foreign = config["OFFICE_NAME_EN"] if language.code == "en" else language.office
        pages.append(CertificatePage(
            language.title, romanise_number(shown_number), cert.applicant_block_en or "",
            f"{language.matter}: ", translated_matter(cert), cert.body_en or "",
            office_foreign, f"{language.notary}: ", name_pinyin(notary_name),
            language.date(day), language.code_label, language.verify_note, language.page))
        pages.append(CertificatePage("公证书", shown_number, cert.applicant_block, "公证事项：",
                                     "译文与原文相符", rules.translation_note(language.chinese),
                                     office, "公证员：", notary_name, chinese_date(day)))
    return CertificateDocument(tuple(pages), verify_url(cert.verification_code,
                                                        cert.verify_base_url),
                               cert.verification_code,
                               draft=cert.status in {CertificateStatus.DRAFT,
                                                     CertificateStatus.APPROVED},
                               page_size=config["CERTIFICATE_PAGE_SIZE"])


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
