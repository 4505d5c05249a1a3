"""Every export's cells: text a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from notary.core import spreadsheets

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("write_only", [False, True])
def test_xlsx_text_is_never_a_formula_and_figures_stay_figures(write_only: bool) -> None:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("x")
    spreadsheets.append(sheet, [*FORMULAS, "#N/A", "张三", Decimal("-12.50"), -3,
                                date(2026, 1, 5), None, "a\x0bb"])
    buffer = io.BytesIO()
    book.save(buffer)
    cells = list(load_workbook(io.BytesIO(buffer.getvalue()))["x"][1])
    for cell, text in zip(cells, FORMULAS, strict=False):
        assert cell.data_type == "s" and cell.value == "'" + text
    assert [(c.value, c.data_type) for c in cells[6:8]] == [("#N/A", "s"), ("张三", "s")]
    assert cells[8].value == -12.5 and cells[8].data_type == "n"
    assert cells[9].value == -3 and cells[9].data_type == "n"
    assert cells[10].is_date and cells[10].value.date() == date(2026, 1, 5)
    assert cells[11].value is None
    assert cells[12].value == "ab"  # a control character cannot be written in XLSX


def test_csv_text_gets_a_leading_apostrophe_but_plain_numbers_do_not() -> None:
    buffer = io.StringIO()
    spreadsheets.csv_writer(buffer).writerow([*FORMULAS, "-12.50", "5", "张三", -3])
    row = next(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert row == ["'" + f for f in FORMULAS] + ["-12.50", "5", "张三", "-3"]
