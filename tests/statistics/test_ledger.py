"""Importing the ledger: the dry run lists every bad row, the import is all or nothing, the
same file twice adds nothing, historical handlers and certificate numbers are kept."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from notary.cases.models import Case, Urgency
from notary.cases.rules import CaseStatus
from notary.consultations.models import Consultation
from notary.core.permissions import Role
from notary.core.sequences import NumberSequence
from notary.extensions import db
from notary.ledger.models import LedgerCase
from notary.ledger.services import (
    CASE_COLUMNS,
    CONSULTATION_COLUMNS,
    import_ledger,
    read_ledger,
    template_xlsx,
)
from notary.parties.models import Party, PartyKind
from tests.factories import create_staff, person, register_case
from tests.statistics.helpers import CASES, CONSULTATIONS, case, csv_bytes, ledger_files


def counts() -> tuple[int, int, int]:
    return (db.session.scalar(sa.select(sa.func.count(Case.id))) or 0,
            db.session.scalar(sa.select(sa.func.count(Consultation.id))) or 0,
            db.session.scalar(sa.select(sa.func.count(LedgerCase.id))) or 0)


@pytest.fixture
def director(app: Any) -> Any:
    return create_staff(Role.DIRECTOR)


BAD = [case(90, "2025-13-01", "继承", "国内民事"),                       # row 2: date
       case(91, "2025-01-02", "不存在的事项", "国内民事"),                # row 3: matter
       case(92, "2025-01-02", "继承", "国外"),                          # row 4: category
       case(93, "2025-01-02", "学历", "涉外民事"),                      # row 5: no place of use
       case(94, "2025-01-05", "继承", "国内民事", "出证", "2025-01-04"),  # row 6: closed before
       case(95, "2025-01-02", "继承", "国内民事", "出证", "", 收费金额="abc"),  # row 7: two
       case(96, "2025-01-02", "继承", "国内民事", 法律援助="也许")]        # row 8: legal aid


def test_the_dry_run_lists_every_bad_row_and_writes_nothing(director):
    files = [("cases.csv", csv_bytes(CASE_COLUMNS, CASES + BAD))]
    result = import_ledger(read_ledger(files), actor=director, dry_run=True)
    rows = sorted({e.row for e in result.errors})
    assert rows == [13, 14, 15, 16, 17, 18, 19]  # the header is row 1, CASES fill 2-12
    reasons = {e.row: e.reason for e in result.errors}
    assert "受理日期" in reasons[13] and "不存在的事项" in reasons[14]
    assert "使用地" in reasons[16] and "办结日期" in reasons[17]
    assert len([e for e in result.errors if e.row == 18]) == 2
    assert counts() == (0, 0, 0)
    # A correct file's dry run says what it would add, and still writes nothing.
    good = import_ledger(read_ledger(ledger_files()), actor=director, dry_run=True)
    assert good.ok and len(good.cases) == 11 and len(good.consultations) == 5
    assert counts() == (0, 0, 0)


def test_one_bad_row_means_nothing_is_imported(director):
    files = [("cases.csv", csv_bytes(CASE_COLUMNS, [*CASES, BAD[0]])),
             ("consultations.csv", csv_bytes(CONSULTATION_COLUMNS, CONSULTATIONS))]
    result = import_ledger(read_ledger(files), actor=director)
    assert not result.written and [e.row for e in result.errors] == [13]
    assert counts() == (0, 0, 0)


def test_importing_the_same_file_twice_adds_nothing(director):
    first = import_ledger(read_ledger(ledger_files()), actor=director)
    assert first.written and counts() == (11, 5, 11)
    second = import_ledger(read_ledger(ledger_files()), actor=director)
    assert second.ok and (second.skipped_cases, second.skipped_consultations) == (11, 5)
    assert counts() == (11, 5, 11)


def test_handlers_certificates_and_acceptance_numbers(director):
    notary = create_staff(Role.NOTARY, full_name="谢文慧")
    import_ledger(read_ledger(ledger_files()), actor=director)
    by_number = {c.acceptance_number: c for c in db.session.scalars(sa.select(Case))}
    first = by_number["（2025）耒证受字第00001号"]
    assert first.handling_notary_id == notary.id
    assert first.certificate_number == "（2025）湘耒证字第1号"
    old = by_number["（2025）耒证受字第00011号"]
    assert old.handling_notary_id is None
    assert db.session.scalar(sa.select(LedgerCase.handler_name).where(
        LedgerCase.case_id == old.id)) == "老王"
    # The acceptance counter moved past the imported numbers: never issued twice.
    assert db.session.scalar(sa.select(NumberSequence.last_value).where(
        NumberSequence.name == "acceptance", NumberSequence.year == 2025)) == 11
    # An imported certificate number cannot be used again (here by another ledger line).
    again = case(70, "2025-02-01", "继承", "国内民事", "出证", "2025-02-03",
                 公证书编号="（2025）湘耒证字第1号")
    result = import_ledger(read_ledger([("c.csv", csv_bytes(CASE_COLUMNS, [again]))]),
                           actor=director)
    assert len(result.errors) == 1 and "（2025）湘耒证字第1号" in result.errors[0].reason


def test_a_workbook_with_both_sheets(director):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "案件"
    sheet.append(list(CASE_COLUMNS))
    for row in CASES[:3]:
        sheet.append([row.get(c, "") for c in CASE_COLUMNS])
    other = book.create_sheet("咨询接待")
    other.append(list(CONSULTATION_COLUMNS))
    other.append(["2025-03-03 09:00", "电话", 2, "继承", "刘晓燕", "解答"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_ledger(read_ledger([("ledger.xlsx", buffer.getvalue())]), actor=director)
    assert result.written and counts() == (3, 1, 3)


def test_unreadable_files_are_explained(director):
    result = import_ledger(read_ledger([("x.xlsx", b"not a workbook"),
                                        ("y.csv", "受理号".encode("gbk")),
                                        ("z.txt", b"")]), actor=director, dry_run=True)
    assert [e.sheet for e in result.errors] == ["x.xlsx", "y.csv", "z.txt"]


def test_the_template_has_both_sheets_and_imports_cleanly(director):
    book = load_workbook(io.BytesIO(template_xlsx()))
    assert book.sheetnames == ["案件", "咨询接待"]
    assert [c.value for c in book["案件"][1]] == list(CASE_COLUMNS)
    result = import_ledger(read_ledger([("template.xlsx", template_xlsx())]), actor=director,
                           dry_run=True)
    assert result.ok, result.errors


def test_the_command_line_import_with_dry_run(app, director, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes(CASE_COLUMNS, CASES + BAD[:1]))
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["ledger", "import", str(path)])
    assert bad.exit_code == 1 and "案件 row 13" in bad.output and "nothing imported" in bad.output
    path.write_bytes(csv_bytes(CASE_COLUMNS, CASES))
    dry = runner.invoke(args=["ledger", "import", "--dry-run", str(path)])
    assert dry.exit_code == 0 and "would import 11 cases" in dry.output
    assert counts() == (0, 0, 0)
    done = runner.invoke(args=["ledger", "import", str(path)])
    assert done.exit_code == 0 and "imported 11 cases" in done.output
    # The import's audit entry joins the hash chain: the trail still verifies.
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0 and "audit trail intact" in verify.output, verify.output
    again = runner.invoke(args=["ledger", "import", str(path)])
    assert "imported 0 cases" in again.output and "11 already imported" in again.output


def test_the_upload_page_checks_then_imports(app, login_as, monkeypatch):
    from notary.ledger import services

    monkeypatch.setattr(services, "BATCH", 4)  # 11 rows: three batches, three progress lines
    client = login_as(Role.DIRECTOR)
    files = ledger_files()
    response = client.post("/ledger/", data={"file": (io.BytesIO(files[0][1]), "cases.csv")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    match = re.search(r'name="token" value="([0-9a-f]{64}\.csv)"', html)
    assert response.status_code == 200 and match and counts() == (0, 0, 0)
    token = match.group(1)
    response = client.post("/ledger/", data={"token": token, "name": "cases.csv"})
    html = response.get_data(as_text=True)  # streamed: progress lines, then the result
    assert response.status_code == 200 and counts() == (11, 0, 11)
    assert re.findall(r'<progress max="(\d+)" value="(\d+)">', html) == [
        ("11", "4"), ("11", "8"), ("11", "11")]
    assert html.index('class="ledger-progress"') < html.index('id="ledger-result"')
    assert "</html>" in html
    bad = client.post("/ledger/", data={"file": (io.BytesIO(csv_bytes(CASE_COLUMNS, BAD)),
                                                 "bad.csv")},
                      content_type="multipart/form-data").get_data(as_text=True)
    assert 'id="ledger-errors"' in bad and not re.search(r'name="token" value="[0-9a-f]', bad)
    empty = client.post("/ledger/", data={}).get_data(as_text=True)
    assert 'data-field-error="file"' in empty
    template = client.get("/ledger/template.xlsx")
    assert template.status_code == 200 and template.data[:2] == b"PK"


def test_parties_are_shared_and_new_rows_get_fresh_ids(director, monkeypatch):
    """Rows are written in multi-row batches: a party already registered is reused, one
    applicant on several lines (in different batches) becomes one party, and cases and
    parties registered afterwards get ids of their own."""
    from notary.ledger import services

    monkeypatch.setattr(services, "BATCH", 2)
    desk = create_staff(Role.FRONT_DESK)
    known = person("登记过的人")
    registered = register_case(desk, applicants=(known,))
    rows = [case(201, "2025-02-01", "继承", "国内民事", 证件类型="居民身份证",
                 证件号码=known.document_number, 申请人="台账里的名字"),
            case(202, "2025-02-02", "继承、委托", "国内民事", "出证", "2025-02-05"),
            case(203, "2025-02-03", "声明", "国内民事", 证件号码="E00000202", 申请人="申请人202"),
            case(204, "2025-02-04", "合同", "国内经济", 证件类型="统一社会信用代码",
                 证件号码="91430481MA4L000000", 申请人="某某有限公司")]
    result = import_ledger(read_ledger([("c.csv", csv_bytes(CASE_COLUMNS, rows))]),
                           actor=director)
    assert result.written and counts() == (5, 0, 4)
    db.session.expire_all()
    by_number = {c.acceptance_number: c for c in db.session.scalars(sa.select(Case))}
    first, second, third, fourth = (by_number[f"（2025）耒证受字第{n:05d}号"]
                                    for n in (201, 202, 203, 204))
    old_party = registered.applicants[0].party
    assert first.applicants[0].party_id == old_party.id
    assert old_party.name == "登记过的人"  # the register's party is not renamed
    assert second.applicants[0].party_id == third.applicants[0].party_id
    new_party = second.applicants[0].party
    assert (new_party.kind, new_party.name, new_party.version) == (
        PartyKind.PERSON, "申请人202", 1)
    assert new_party.created_at is not None and new_party.updated_at is not None
    assert fourth.applicants[0].party.kind is PartyKind.ORGANISATION
    assert db.session.scalar(sa.select(sa.func.count(Party.id))) == 3
    assert [m.code for m in second.matters] and len(second.matters) == 2
    assert (second.status, second.version, second.copies, second.urgency) == (
        CaseStatus.ARCHIVED, 1, 1, Urgency.NORMAL)
    assert first.status is CaseStatus.ACCEPTED and first.closed_at is None
    # What is registered afterwards does not collide with the imported ids.
    later = register_case(desk, applicants=(person("后来的人"),))
    assert later.id > max(c.id for c in by_number.values())
    assert later.applicants[0].party_id > new_party.id
    # The imported rows are ordinary version-counted rows to the ORM.
    second.notes = "补记"
    db.session.commit()
    assert second.version == 2
