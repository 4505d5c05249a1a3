"""Issuing certificates: numbers, wording, the PDF as printed, verification, review."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from notary.cases.models import Category
from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import StepData, perform
from notary.certificates import followup, services, verification
from notary.certificates.models import (
    Certificate,
    CertificateStatus,
    Retention,
    ReviewOutcome,
    VerificationLookup,
)
from notary.core.audit import AuditEntry
from notary.core.errors import DomainError, ValidationFailed
from notary.core.models import frozen_time
from notary.extensions import db
from tests.cases.samples import advance
from tests.certificates.conftest import (
    conclude_by_second_notary,
    inheritance_case,
    pdf_fonts,
    pdf_text,
    qr_codes,
)
from tests.factories import person, register_case, tell_applicants

IP = "203.0.113.9"


def test_an_inheritance_certificate_prints_title_number_heirs_and_date(
        app, desk, notary, director, tmp_path: Path) -> None:
    with frozen_time(datetime(2026, 11, 30, 2, 0, tzinfo=UTC)):
        case = inheritance_case(desk, notary, director)
    cert = services.certificates_of(case.id)[0]
    assert cert.number == case.certificate_number == "（2026）湘衡耒证字第1号"
    data = services.stored_pdf(cert)
    text = pdf_text(data, tmp_path)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # The elements in the order of the 2011 formats (domain.md §2.1).
    # The title spaced as offices set it; the office line in the 2011 form.
    order = ["公 证 书", "（2026）湘衡耒证字第1号", "申请人：王秀英", "公证事项：继承",
             "兹证明被继承人李德胜", "中华人民共和国湖南省耒阳市公证处", "公证员：刘明远",
             "二〇二六年十一月三十日"]
    positions = [next(i for i, line in enumerate(lines) if want in line) for want in order]
    assert positions == sorted(positions), lines
    flat = "".join(text.split())
    assert "被继承人的遗产由王秀英、李明共同继承，各继承二分之一" in flat
    assert "中国银行耒阳支行存款：王秀英占二分之一、李明占二分之一" in flat
    assert "二〇二四年三月一日" in flat  # the death date in Chinese numerals
    assert f"核验码{cert.verification_code}" in flat
    fonts = pdf_fonts(data, tmp_path)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts  # emb column: every font
    assert all(row[-6] != "Type1" for row in fonts)  # no base-14 Helvetica anywhere
    assert qr_codes(data, tmp_path) == [f"https://gz.leiyang.test/verify/{cert.verification_code}"]
    assert data[:5] == b"%PDF-" and 20_000 < len(data) < 120_000


def test_the_stored_pdf_is_written_once_and_downloads_as_the_same_bytes(
        app, desk, notary, director) -> None:
    case = advance(register_case(desk, matters=("declaration",)), CaseStatus.ISSUED,
                   notary=notary, director=director)
    cert = services.certificates_of(case.id)[0]
    first = services.stored_pdf(cert)
    assert cert.pdf_sha256 == hashlib.sha256(first).hexdigest() and cert.pdf_size == len(first)
    path = cert.pdf_path
    assert services.stored_pdf(cert) == first and cert.pdf_path == path
    folder = Path(app.config["CERTIFICATE_FOLDER"])
    assert [p.name for p in folder.rglob("*.pdf")] == [Path(path).name]
    (folder / path).write_bytes(first + b"tampered")
    with pytest.raises(DomainError):
        services.stored_pdf(cert)


def test_certificates_of_one_case_take_consecutive_numbers_will_inheritance_attorney(
        app, desk, notary, director) -> None:
    with frozen_time(datetime(2026, 5, 6, 2, 0, tzinfo=UTC)):
        other = advance(register_case(desk, matters=("declaration",)), CaseStatus.ISSUED,
                        notary=notary, director=director)
        case = inheritance_case(desk, notary, director,
                                matters=("power_of_attorney", "inheritance", "will"))
    certs = services.certificates_of(case.id)
    assert [(c.matter_code, c.number) for c in certs] == [
        ("will", "（2026）湘衡耒证字第2号"), ("inheritance", "（2026）湘衡耒证字第3号"),
        ("power_of_attorney", "（2026）湘衡耒证字第4号")]
    assert other.certificate_number and case.certificate_number == certs[0].number


def test_numbers_restart_each_year_and_a_series_per_category(app, desk, notary,
                                                             director) -> None:
    app.config["CERTIFICATE_SERIES"] = {
        "general": {"format": "（{year}）湘衡耒证字第{seq}号", "default": True,
                    "categories": []},
        "foreign": {"format": "（{year}）湘衡耒证外字第{seq}号", "width": 5,
                    "categories": ["foreign_civil", "foreign_economic"]},
    }
    numbers = []
    for year, category in ((2026, Category.DOMESTIC_CIVIL), (2026, Category.FOREIGN_CIVIL),
                           (2026, Category.DOMESTIC_CIVIL), (2027, Category.DOMESTIC_CIVIL),
                           (2027, Category.FOREIGN_CIVIL)):
        case = register_case(desk, matters=("birth",), category=category,
                             place_of_use="美国" if category is Category.FOREIGN_CIVIL
                             else None)
        with frozen_time(datetime(year, 6, 1, 2, 0, tzinfo=UTC)):
            advance(case, CaseStatus.ISSUED, notary=notary, director=director)
        numbers.append(case.certificate_number)
    assert numbers == ["（2026）湘衡耒证字第1号", "（2026）湘衡耒证外字第00001号",
                       "（2026）湘衡耒证字第2号", "（2027）湘衡耒证字第1号",
                       "（2027）湘衡耒证外字第00001号"]


def test_a_failed_issue_gives_its_number_back(app, desk, notary, director) -> None:
    from notary.cases import workflow

    at = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)
    case = advance(register_case(desk, matters=("birth",)), CaseStatus.APPROVED,
                   notary=notary, director=director)

    def boom(step: Any) -> None:
        if step.action is Action.ISSUE:
            raise RuntimeError("disk full")

    workflow._step_effects.append(boom)
    try:
        with pytest.raises(RuntimeError), frozen_time(at):
            perform(case, Action.ISSUE, StepData(), actor=notary)
    finally:
        workflow._step_effects.remove(boom)
    db.session.rollback()
    with frozen_time(at):
        again = advance(register_case(desk, matters=("birth",)), CaseStatus.ISSUED,
                        notary=notary, director=director)
    assert again.certificate_number == "（2026）湘衡耒证字第1号"
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(
        Certificate.number.is_not(None))) == 1


def test_the_wording_is_drafted_edited_and_frozen_at_approval(app, desk, notary,
                                                              director) -> None:
    case = inheritance_case(desk, notary, director, to=CaseStatus.AWAITING_APPROVAL)
    perform(case, Action.RETURN_FOR_REVIEW, StepData(reason="证词需修改"), actor=director)
    [draft] = services.prepare_drafts(case, actor=notary)
    assert draft.status is CertificateStatus.DRAFT and "李明" in draft.body
    services.edit_draft(draft, services.WordingData(
        "继承", draft.body + "\n被继承人的债务已清偿。", "", draft.applicant_block), actor=notary)
    edits = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "certificate.edit")).all()
    assert len(edits) == 1 and "body" in (edits[0].after or {})
    perform(case, Action.SUBMIT_FOR_APPROVAL, StepData(), actor=notary)
    tell_applicants(case, notary)
    perform(case, Action.APPROVE, StepData(), actor=director)
    assert draft.status is CertificateStatus.APPROVED and draft.frozen_at is not None
    with pytest.raises(DomainError):
        services.edit_draft(draft, services.WordingData("继承", "改", "", "x"), actor=notary)
    perform(case, Action.ISSUE, StepData(), actor=notary)
    assert draft.body.endswith("被继承人的债务已清偿。")
    assert draft.status is CertificateStatus.ISSUED


def test_approval_freezes_the_wording_even_without_a_draft(app, desk, notary,
                                                          director) -> None:
    case = advance(register_case(desk, matters=("kinship", "declaration")),
                   CaseStatus.APPROVED, notary=notary, director=director)
    certs = services.certificates_of(case.id)
    assert [c.matter_code for c in certs] == ["declaration", "kinship"]
    assert {c.status for c in certs} == {CertificateStatus.APPROVED}
    assert all(c.frozen_at is not None and c.number is None for c in certs)


def test_a_character_only_the_fallback_font_has_is_printed_with_it(
        app, desk, notary, director, tmp_path: Path) -> None:
    # 𠮷 (U+20BB7, Extension B) is not in AR PL UMing: BabelStone Han draws it.
    case = register_case(desk, matters=("birth",), applicants=(person("李𠮷"),))
    advance(case, CaseStatus.ISSUED, notary=notary, director=director)
    data = services.stored_pdf(services.certificates_of(case.id)[0])
    assert "李𠮷" in pdf_text(data, tmp_path)
    fonts = pdf_fonts(data, tmp_path)
    assert {row[0].split("+")[1] for row in fonts} == {"UMingCN-0", "BabelStoneHan"}
    assert all(row[-5] == "yes" for row in fonts)


def test_a_character_no_font_has_refuses_approval_and_issue_naming_it(
        app, desk, notary, director) -> None:
    # 𰁁 (U+30041, Extension G) is in none of the installed fonts.
    case = register_case(desk, matters=("birth",), applicants=(person("𰁁春华"),))
    advance(case, CaseStatus.AWAITING_APPROVAL, notary=notary, director=director)
    tell_applicants(case, notary)
    with pytest.raises(ValidationFailed) as excinfo:
        perform(case, Action.APPROVE, StepData(), actor=director)
    message = " ".join(excinfo.value.errors[""])
    assert "𰁁（U+30041）" in message
    assert case.status is CaseStatus.AWAITING_APPROVAL
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0


def test_verification_says_valid_then_revoked_after_review(app, desk, notary,
                                                           director) -> None:
    case = inheritance_case(desk, notary, director)
    cert = services.certificates_of(case.id)[0]
    result = verification.verify(None, cert.verification_code, IP)
    assert (result.outcome, result.number, result.applicant) == ("valid", cert.number, "王*英")
    assert result.office == "中华人民共和国湖南省耒阳市公证处" and result.matter == "继承"
    review = followup.record_review(cert, followup.ReviewData(
        "李明", False, cert.issued_on, cert.issued_on, "遗产范围有误，请求撤销"), actor=director)
    conclude_by_second_notary(review, ReviewOutcome.REVOKE, "基本事实不真实", "", director)
    followup.decide_review(review, ReviewOutcome.REVOKE, "基本事实不真实", "", actor=director)
    assert verification.verify(cert.number, cert.verification_code.lower(), IP).outcome == "revoked"
    assert review.report_due_on == services.office_today()
    assert followup.reports_due() == [review]
    followup.mark_reported(review, actor=director)
    assert followup.reports_due() == []
    logged = db.session.scalars(sa.select(VerificationLookup.outcome)
                                .order_by(VerificationLookup.id)).all()
    assert logged == ["valid", "revoked"]


def test_a_supplementary_correction_keeps_the_number_with_the_suffix(app, desk, notary,
                                                                     director) -> None:
    case = advance(register_case(desk, matters=("declaration",)), CaseStatus.ISSUED,
                   notary=notary, director=director)
    cert = services.certificates_of(case.id)[0]
    review = followup.record_review(cert, followup.ReviewData(
        "张三", True, cert.issued_on, cert.issued_on, "出生日期错误"), actor=director)
    conclude_by_second_notary(review, ReviewOutcome.SUPPLEMENT, "笔误", "兹证明更正如下。",
                              director)
    followup.decide_review(review, ReviewOutcome.SUPPLEMENT, "笔误", "兹证明更正如下。",
                           actor=director)
    new = db.session.get(Certificate, review.new_certificate_id)
    assert new is not None and new.number == f"{cert.number}（补正）"
    assert cert.status is CertificateStatus.CORRECTED
    found = verification.verify(cert.number, cert.verification_code, IP)
    assert found.outcome == "corrected" and found.corrections == (new.number,)
    assert verification.verify(new.number, new.verification_code, IP).outcome == "valid"


def test_review_applications_out_of_time_are_refused(app, desk, notary, director) -> None:
    from datetime import date

    case = advance(register_case(desk, matters=("declaration",)), CaseStatus.ISSUED,
                   notary=notary, director=director)
    cert = services.certificates_of(case.id)[0]
    cert.issued_on = date(2020, 1, 1)
    with pytest.raises(ValidationFailed) as excinfo:
        followup.record_review(cert, followup.ReviewData(
            "张三", True, date(2026, 1, 2), date(2020, 1, 5), "x"), actor=director)
    assert "known_on" in excinfo.value.errors


@pytest.mark.parametrize(("number", "code", "outcome"), [
    (None, "ZZZZ-ZZZZ", "unknown"),
    ("（2026）湘衡耒证字第999号", None, "incomplete"),
    ("（2026）湘衡耒证字第999号", "right", "unknown"),  # the right code, the wrong number
])
def test_unknown_or_mistyped_lookups_get_a_clear_answer(app, desk, notary, director, number,
                                                        code, outcome) -> None:
    case = advance(register_case(desk, matters=("declaration",)), CaseStatus.ISSUED,
                   notary=notary, director=director)
    cert = services.certificates_of(case.id)[0]
    result = verification.verify(number, cert.verification_code if code == "right" else code, IP)
    assert result.outcome == outcome and result.number is None


def test_lookups_are_rate_limited_per_address(app) -> None:
    app.config["VERIFY_RATE_LIMIT"] = 3
    outcomes = [verification.verify(None, "ABCD-EFGH", IP).outcome for _ in range(4)]
    assert outcomes == ["unknown"] * 3 + ["rate_limited"]
    assert verification.verify(None, "ABCD-EFGH", "198.51.100.1").outcome == "unknown"


def test_foreign_use_translation_apostille_and_taiwan_duplicate(app, desk, notary, director,
                                                                tmp_path: Path) -> None:
    case = register_case(desk, matters=("no_criminal_record",),
                         category=Category.FOREIGN_CIVIL, place_of_use="美国",
                         translation_language="英文")
    advance(case, CaseStatus.ISSUED, notary=notary, director=director)
    cert = services.certificates_of(case.id)[0]
    text = "".join(pdf_text(services.stored_pdf(cert), tmp_path).split())
    assert "NOTARIALCERTIFICATE" in text and "译文与原文相符" in text
    assert "一九八〇年五月十七日出生" in text  # the birth date for use abroad (note 2)
    record = followup.foreign_use_of(case.id)
    assert record is not None and record.route == "apostille"
    india = register_case(desk, matters=("birth",), category=Category.FOREIGN_CIVIL,
                          place_of_use="印度")
    advance(india, CaseStatus.ISSUED, notary=notary, director=director)
    assert followup.foreign_use_of(india.id).route == "consular"  # type: ignore[union-attr]
    taiwan = register_case(desk, matters=("birth",), category=Category.TAIWAN,
                           place_of_use="台湾")
    advance(taiwan, CaseStatus.ISSUED, notary=notary, director=director)
    pending = followup.duplicates_pending()
    assert [f.case_id for f in pending] == [taiwan.id]
    followup.save_foreign_use(taiwan, followup.ForeignUseData(
        "台湾", None, None, None, None, services.office_today(), "湘公协2026-1", ""),
        actor=notary)
    assert followup.duplicates_pending() == []


def test_archive_sets_retention_and_keeps_wills_confidential(app, desk, notary,
                                                             director) -> None:
    case = advance(register_case(desk, matters=("will",)), CaseStatus.ARCHIVED,
                   notary=notary, director=director)
    record = followup.archive_of(case.id)
    assert record is not None and record.retention is Retention.PERMANENT
    assert record.is_confidential and record.due_on is not None
    with pytest.raises(DomainError):
        followup.set_retention(case, Retention.LONG, False, actor=notary)
    from notary.certificates.pdf import build_catalogue_pdf

    data = build_catalogue_pdf(followup.catalogue_of(case))
    assert data[:5] == b"%PDF-"


def test_each_applicant_is_masked_on_the_public_answer(app, desk, notary, director) -> None:
    case = register_case(desk, matters=("declaration",),
                         applicants=(person("欧阳明华"), person("李四")))
    advance(case, CaseStatus.ISSUED, notary=notary, director=director)
    cert = services.certificates_of(case.id)[0]
    assert verification.verify(None, cert.verification_code, IP).applicant == "欧**华、李*"
