"""Legal aid: the record, the waiver it files for the director, the emergency route and its
reminder, the quarterly filing form as PDF and XLSX."""

from __future__ import annotations

import dataclasses
import io
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import perform
from notary.core.errors import DomainError, ValidationFailed
from notary.core.models import frozen_time
from notary.fees import queries as fee_queries
from notary.fees import services as fee_services
from notary.fees.models import DecisionStatus, ReductionGround, ReliefKind
from notary.legal_aid import pdf, queries, services, xlsx
from notary.legal_aid.models import AidRelief, AidRoute, Eligibility
from tests.cases.samples import advance, pdf_bytes, step_data
from tests.factories import register_case
from tests.fees.helpers import item

D = Decimal
ACCEPTED = datetime(2026, 4, 10, 2, tzinfo=UTC)  # the second quarter


def aided_case(desk: Any, notary: Any, director: Any, to: CaseStatus = CaseStatus.UNDER_REVIEW
               ) -> Any:
    case = register_case(desk, matters=("will",))
    with frozen_time(ACCEPTED):
        advance(case, to, notary=notary, director=director)
    return case


def upload(name: str = "决定书.pdf") -> fee_services.Upload:
    return fee_services.Upload(io.BytesIO(pdf_bytes()), name)


def letter(case: Any, **overrides: Any) -> services.LegalAidData:
    values: dict[str, Any] = {
        "recipient_id": case.applicants[0].party_id,
        "eligibility": Eligibility.SOCIAL_ASSISTANCE, "route": AidRoute.DECISION,
        "decision_number": "耒法援决字〔2026〕第12号", "decision_date": date(2026, 4, 8),
        "decision_scan": upload()}
    values.update(overrides)
    return services.LegalAidData(**values)


def test_legal_aid_files_a_waiver_that_lets_the_certificate_issue(tariff, desk, notary,
                                                                  director):
    case = aided_case(desk, notary, director, to=CaseStatus.APPROVED)
    fee_services.add_charge(case, fee_services.ChargeData(item_id=item(tariff, "will").id),
                            actor=desk)
    record = services.record_legal_aid(case, letter(case), actor=notary)
    assert record.confirmed_at is not None and not record.awaiting_confirmation
    reduction = record.reduction
    assert reduction is not None
    assert (reduction.kind, reduction.ground, reduction.percent, reduction.status) == (
        ReliefKind.WAIVE, ReductionGround.LEGAL_AID, 100, DecisionStatus.PENDING)
    with pytest.raises(ValidationFailed):  # pending: the fee is not settled yet
        perform(case, Action.ISSUE, step_data(Action.ISSUE, case), actor=notary)
    fee_services.decide_reduction(case, reduction, fee_services.DecisionData(True),
                                  actor=director)
    assert fee_queries.case_balance(case.id).due == 0
    perform(case, Action.ISSUE, step_data(Action.ISSUE, case), actor=notary)
    assert case.status is CaseStatus.ISSUED
    with pytest.raises(DomainError):
        services.record_legal_aid(case, letter(case), actor=notary)


def test_the_record_is_checked(tariff, desk, notary, director):
    case = aided_case(desk, notary, director)
    with pytest.raises(ValidationFailed) as bad:
        services.record_legal_aid(case, letter(
            case, recipient_id=None, eligibility=Eligibility.ECONOMIC_HARDSHIP,
            decision_number="", decision_date=date(2099, 1, 1), decision_scan=None),
            actor=notary)
    assert {"recipient_id", "evidence", "eligibility_detail", "decision_number",
            "decision_date", "decision_scan"} <= set(bad.value.errors)
    with pytest.raises(ValidationFailed) as bad:
        services.record_legal_aid(case, letter(case, route=AidRoute.EMERGENCY), actor=notary)
    assert "emergency_reason" in bad.value.errors
    with pytest.raises(ValidationFailed) as bad:  # the seeded minimum for legal aid is 100%
        services.record_legal_aid(case, letter(case, relief=AidRelief.REDUCE, percent=D(50)),
                                  actor=notary)
    assert "percent" in bad.value.errors


def test_emergency_legal_aid_is_reminded_until_confirmed(tariff, desk, notary, director):
    case = aided_case(desk, notary, director)
    record = services.record_legal_aid(case, letter(
        case, route=AidRoute.EMERGENCY, emergency_reason="遗嘱人病危，先行办理",
        decision_number=None, decision_date=None, decision_scan=None), actor=notary)
    assert record.awaiting_confirmation
    assert queries.awaiting_confirmation() == [record]
    with pytest.raises(ValidationFailed):
        services.confirm_emergency(record, services.ConfirmData("", None, None), actor=notary)
    services.confirm_emergency(record, services.ConfirmData(
        "耒法援决字〔2026〕第13号", date(2026, 4, 12), upload()), actor=notary)
    assert not record.awaiting_confirmation and record.decision_scan is not None
    assert queries.awaiting_confirmation() == []
    with pytest.raises(DomainError):
        services.confirm_emergency(record, services.ConfirmData("x", date(2026, 4, 12),
                                                                upload()), actor=notary)


def test_the_quarterly_filing_form(tariff, desk, notary, director, director2, tmp_path):
    case = aided_case(desk, notary, director)
    fee_services.add_charge(case, fee_services.ChargeData(item_id=item(tariff, "will").id),
                            actor=desk)
    record = services.record_legal_aid(case, letter(case), actor=notary)
    assert record.reduction is not None
    fee_services.decide_reduction(case, record.reduction, fee_services.DecisionData(True),
                                  actor=director2)
    rows = queries.filing_rows(2026, 2)
    assert len(rows) == 1 and queries.filing_rows(2026, 1) == []
    row = rows[0]
    assert (row.charged, row.relieved, row.received) == (D("800.00"), D("800.00"), D("0.00"))
    assert row.decision_number == "耒法援决字〔2026〕第12号" and row.matters == "遗嘱"
    start, end = queries.quarter_bounds(2026, 2)
    assert (start, end) == (date(2026, 4, 1), date(2026, 6, 30))
    data = pdf.FilingData("湖南省耒阳市公证处", 2026, 2, start, end, rows, date(2026, 7, 1))

    content = pdf.filing_pdf(data)
    path = tmp_path / "filing.pdf"
    path.write_bytes(content)
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    text = "".join(raw.split())  # narrow cells wrap: compare without the line breaks
    for expected in ("法律援助公证案件备案表（2026年第2季度）", case.acceptance_number,
                     row.recipient, "耒法援决字〔2026〕第12号", "800.00", "合计"):
        assert expected in text, expected
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout
    assert "Helvetica" not in fonts and "WenQuanYi" in fonts

    book = load_workbook(io.BytesIO(xlsx.filing_xlsx(data)))
    sheet = book.active
    assert sheet is not None
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == "法律援助公证案件备案表（2026年第2季度）"
    assert values[2][1] == "受理号" and values[3][1] == case.acceptance_number
    assert values[3][9] == 800 and values[3][10] == 800 and values[3][11] == 0
    assert values[-1][1] == "合计" and values[-1][9] == 800

    # A recipient named like a formula is text; a negative amount stays a number.
    hostile = dataclasses.replace(row, recipient='=HYPERLINK("http://x","y")',
                                  relieved=D("-100.00"))
    sheet = load_workbook(io.BytesIO(xlsx.filing_xlsx(
        dataclasses.replace(data, rows=[hostile])))).active
    assert sheet is not None
    assert sheet["D4"].data_type == "s" and sheet["D4"].value == '\'=HYPERLINK("http://x","y")'
    assert sheet["K4"].data_type == "n" and sheet["K4"].value == -100
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


def test_totals_count_legal_aid_cases_by_eligibility(tariff, desk, notary, director):
    case = aided_case(desk, notary, director)
    services.record_legal_aid(case, letter(case), actor=notary)
    totals = fee_queries.fee_totals(date(2026, 4, 1), date(2026, 6, 30))
    assert totals.legal_aid == {Eligibility.SOCIAL_ASSISTANCE: 1}
    assert fee_queries.fee_totals(date(2026, 1, 1), date(2026, 3, 31)).legal_aid_cases == 0


def test_a_missing_glyph_is_refused_by_name() -> None:
    from notary.core.pdf import MissingGlyphs, markup

    with pytest.raises(MissingGlyphs) as refused:
        markup("𰁁春华")  # U+30041 (Extension G): in none of the fonts
    assert refused.value.chars == ["𰁁"] and "𰁁（U+30041）" in refused.value.message
    assert markup("张三 & <李四>") == "张三 &amp; &lt;李四&gt;"


