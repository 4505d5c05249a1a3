"""The quarterly legal-aid filing form as a spreadsheet (openpyxl), same lines as the PDF."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from notary.core.spreadsheets import append
from notary.legal_aid.pdf import HEADERS, WIDTHS_MM, FilingData, decision_text, totals


def filing_xlsx(data: FilingData) -> bytes:
    """Build the quarter's 法律援助公证案件备案表 as XLSX bytes (amounts as numbers)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{data.year}Q{data.quarter}"
    append(sheet, [f"法律援助公证案件备案表（{data.year}年第{data.quarter}季度）"])
    append(sheet, [f"填报单位：{data.office_name}",
                  f"统计期间：{data.start.isoformat()} 至 {data.end.isoformat()}"])
    append(sheet, list(HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[3]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="2F4A6D")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, row in enumerate(data.rows, start=1):
        append(sheet, [i, row.acceptance_number, row.accepted_on, row.recipient, row.eligibility,
                      row.route, f"{row.agency_name} {decision_text(row)}", row.matters,
                      row.notary or "", row.charged, row.relieved, row.received,
                      row.certificate_number or ""])
    charged, relieved, received = totals(data.rows)
    append(sheet, ["", "合计", "", f"{len(data.rows)} 件", "", "", "", "", "", charged, relieved,
                  received, ""])
    for col, width in enumerate(WIDTHS_MM, start=1):
        sheet.column_dimensions[sheet.cell(row=3, column=col).column_letter].width = width * 0.6
    for row_cells in sheet.iter_rows(min_row=4, min_col=10, max_col=12):
        for cell in row_cells:
            cell.number_format = "#,##0.00"
    for row_cells in sheet.iter_rows(min_row=4, min_col=3, max_col=3):
        for cell in row_cells:
            cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
