"""Ledger files made to hurt: a declared size of A1:XFD20001, too many rows or columns, NaN,
Infinity, formulas without results, error cells, impossible numbers and dates; a free-text
outcome; and the checked file (personal data) is gone after the import."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from notary.consultations.models import Consultation, Outcome
from notary.core.permissions import Role
from notary.extensions import db
from notary.ledger.services import (
    CASE_COLUMNS,
    CONSULTATION_COLUMNS,
    Limits,
    import_ledger,
    read_ledger,
)
from tests.factories import create_staff
from tests.statistics.helpers import CASES, CONSULTATIONS, case, csv_bytes


@pytest.fixture
def director(app: Any) -> Any:
    return create_staff(Role.DIRECTOR)


def workbook(rows: list[list[Any]], *, sheet_name: str = "案件",
             columns: tuple[str, ...] = CASE_COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_name
    sheet.append(list(columns))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def patch_sheet(content: bytes, change: Any) -> bytes:
    """Rewrite the first worksheet's XML (what a hand-made or hostile file could hold)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(item, data)
    return out.getvalue()


def line(n: int, **extra: Any) -> list[Any]:
    values = case(n, "2025-01-06", "继承", "国内民事", **extra)
    return [values.get(c, "") for c in CASE_COLUMNS]


def test_a_declared_size_of_a1_xfd20001_is_not_read(director):
    content = patch_sheet(workbook([line(1), line(2)]), lambda xml: re.sub(
        rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD20001"/>', xml))
    assert b"XFD20001" in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    tracemalloc.start()
    try:
        ledger = read_ledger([("big.xlsx", content)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Read as declared, two rows padded to 16,384 columns and 20,000 empty rows: 300+ MB.
    assert peak < 20 * 1024 * 1024
    assert [n for n, _r in ledger.cases] == [2, 3] and not ledger.errors


def test_too_many_rows_or_columns_are_refused_with_a_message(app, director):
    app.config["LEDGER_MAX_ROWS"] = 3
    result = import_ledger(read_ledger([("c.xlsx", workbook([line(n) for n in range(1, 6)]))]),
                           actor=director, dry_run=True)
    assert [(e.sheet, e.row) for e in result.errors] == [("案件", 5)]
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        message = read_ledger([("c.xlsx", workbook([line(n) for n in range(1, 6)]))]
                              ).errors[0].reason
    assert message == "工作表超过3行，请拆分为多个文件。"
    csv_result = read_ledger([("c.csv", csv_bytes(CASE_COLUMNS, CASES))])
    assert [e.row for e in csv_result.errors] == [5]
    # A value far to the right (column XFD) is named, not read.
    far = patch_sheet(workbook([line(1)]), lambda xml: xml.replace(
        b"</row></sheetData>", b'<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
        b"</sheetData>"))
    errors = read_ledger([("far.xlsx", far)], Limits(rows=10, columns=40)).errors
    assert len(errors) == 1 and errors[0].row == 2 and "XFD2" in errors[0].reason


def test_nan_infinity_formulas_without_results_and_error_cells_are_named(director):
    def hostile(xml: bytes) -> bytes:
        # Row 2: 收费金额 (M) NaN, 减免金额 (N) INF; row 3: M a formula saved without its
        # result; row 4: M holds #DIV/0!; row 5: M 1E999.
        xml = re.sub(rb'<c r="M2"[^>]*>.*?</c>', b'<c r="M2"><v>NaN</v></c>', xml)
        xml = re.sub(rb'<c r="N2"[^>]*>.*?</c>', b'<c r="N2"><v>INF</v></c>', xml)
        xml = re.sub(rb'<c r="M3"[^>]*>.*?</c>', b'<c r="M3"><f>SUM(1,2)</f></c>', xml)
        xml = re.sub(rb'<c r="M4"[^>]*>.*?</c>', b'<c r="M4" t="e"><v>#DIV/0!</v></c>', xml)
        return re.sub(rb'<c r="M5"[^>]*>.*?</c>', b'<c r="M5"><v>1E999</v></c>', xml)

    rows = [line(n, 收费金额=100, 减免金额=0) for n in range(1, 5)]
    content = patch_sheet(workbook(rows), hostile)
    result = import_ledger(read_ledger([("h.xlsx", content)]), actor=director, dry_run=True)
    found = [(e.row, e.reason) for e in result.errors]
    assert [row for row, _r in found] == [2, 2, 3, 4, 5]
    assert all(re.search(r"\b[MN]\d\b", reason) for _row, reason in found)
    assert "收费金额" in found[0][1] and "NaN" in found[0][1]
    assert "减免金额" in found[1][1] and "INF" in found[1][1]
    assert "M3" in found[2][1] and "#DIV/0!" in found[3][1] and "1E999" in found[4][1]


@pytest.mark.parametrize(("extra", "column"), [
    ({"收费金额": "NaN"}, "收费金额"), ({"减免金额": "Infinity"}, "减免金额"),
    ({"收费金额": "-inf"}, "收费金额"),
    ({"受理号": "（2025）耒证受字第99999999999999999999999号"}, "受理号"),
    ({"受理号": "（2025）耒证受字第" + "9" * 5000 + "号"}, "受理号"),
    ({"受理日期": "9999-12-31"}, "受理日期"),
    ({"受理号": "受" * 65}, "受理号"), ({"申请人": "张" * 201}, "申请人"),
    ({"证件号码": "E" * 65}, "证件号码"), ({"承办公证员": "谢" * 65}, "承办公证员"),
    ({"结案方式": "出证", "办结日期": "9999-12-31 10:00"}, "办结日期"),
])
def test_impossible_values_in_a_csv_are_refused_naming_the_column(director, extra, column):
    row = case(1, "2025-01-06", "继承", "国内民事")
    row.update(extra)
    result = import_ledger(read_ledger([("c.csv", csv_bytes(CASE_COLUMNS, [row]))]),
                           actor=director, dry_run=True)
    assert {e.row for e in result.errors} == {2}
    assert all(column in e.reason for e in result.errors)


def test_a_date_in_9999_from_a_date_cell_is_refused(director):
    from datetime import datetime

    row: list[Any] = line(1)
    row[1] = datetime(9999, 12, 31)  # 受理日期 as a date cell
    result = import_ledger(read_ledger([("c.xlsx", workbook([row]))]), actor=director,
                           dry_run=True)
    assert [e.row for e in result.errors] == [2] and "9999" in result.errors[0].reason


def test_a_free_text_outcome_is_kept_classified_and_warned(director):
    rows = [*CONSULTATIONS,
            {"日期": "2025-05-06", "方式": "来访", "人数": "2", "事项": "继承",
             "接待人": "刘晓燕", "处理结果": "预约办理"},
            {"日期": "2025-05-07", "方式": "电话", "人数": "1", "事项": "公证费",
             "接待人": "刘晓燕", "处理结果": "已告知收费标准"}]
    files = [("c.csv", csv_bytes(CONSULTATION_COLUMNS, rows))]
    dry = import_ledger(read_ledger(files), actor=director, dry_run=True)
    assert dry.ok and len(dry.consultations) == 7
    assert [w.row for w in dry.warnings] == [7, 8]
    assert "预约办理" in dry.warnings[0].reason
    done = import_ledger(read_ledger(files), actor=director)
    assert done.written
    kept = {c.topic: c for c in db.session.scalars(
        sa.select(Consultation).where(Consultation.summary.is_not(None)))}
    assert set(kept) == {"继承", "公证费"}
    assert kept["继承"].outcome is Outcome.APPOINTMENT
    assert kept["继承"].summary == "台账处理结果：预约办理"
    assert kept["公证费"].outcome is Outcome.ANSWERED
    assert kept["公证费"].summary == "台账处理结果：已告知收费标准"
    assert db.session.scalar(sa.select(sa.func.sum(Consultation.persons))) == 13


def test_the_checked_file_is_deleted_after_the_import_or_a_failure(app, login_as, monkeypatch):
    client = login_as(Role.DIRECTOR)
    folder = Path(app.config["UPLOAD_FOLDER"]) / "ledger"

    def check(content: bytes) -> str:
        html = client.post("/ledger/", data={"file": (io.BytesIO(content), "cases.csv")},
                           content_type="multipart/form-data").get_data(as_text=True)
        token = re.search(r'name="token" value="([0-9a-f]{64}\.csv)"', html)
        assert token and (folder / token.group(1)).is_file()
        return token.group(1)

    token = check(csv_bytes(CASE_COLUMNS, CASES))
    done = client.post("/ledger/", data={"token": token, "name": "cases.csv"})
    assert "ledger-result" in done.get_data(as_text=True)
    assert list(folder.iterdir()) == []
    # An import that fails while writing: the file is gone all the same.
    from notary.ledger import services

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the database went away")

    token = check(csv_bytes(CASE_COLUMNS, [case(80, "2025-01-06", "继承", "国内民事")]))
    monkeypatch.setattr(services, "write_rows", boom)
    with pytest.raises(RuntimeError):
        client.post("/ledger/", data={"token": token, "name": "cases.csv"}).get_data()
    assert list(folder.iterdir()) == []
