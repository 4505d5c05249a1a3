"""The register (公证登记簿, 公证程序规则 art. 57) printed as a PDF, fonts embedded, so every
party's name prints whatever fonts the printing computer has. Builds bytes, never queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from notary.core.pdf import FONT, escape, render, styles

HEADERS = ("受理号", "公证事项及类别", "当事人", "代理人或代表人", "受理日期", "承办公证员",
           "审批人", "结案方式", "结案日期", "公证书编号")
WIDTHS_MM = (34, 34, 36, 28, 18, 18, 16, 16, 18, 29)  # 247 mm: A4 landscape within margins


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register, as printed."""

    cells: tuple[str, ...]


def register_pdf(year: int, office: str, rows: Sequence[RegisterRow]) -> bytes:
    """Build the year's register as PDF bytes (landscape A4, the header on every page)."""
    st = styles()
    table: list[list[Any]] = [[Paragraph(escape(h), st["cell"]) for h in HEADERS]]
    table += [[Paragraph(escape(text), st["cell"]) for text in row.cells] for row in rows]
    if not rows:
        table.append([Paragraph("本年度无受理案件", st["cell"])] + [""] * (len(HEADERS) - 1))
    grid = Table(table, colWidths=[w * mm for w in WIDTHS_MM], repeatRows=1)
    # FONTNAME: a Table sets its font on the canvas even for Paragraph cells; left at
    # Helvetica, that would be a font not embedded.
    grid.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT),
                              ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                              ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                              ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [Paragraph(escape(office), st["subtitle"]),
             Paragraph(escape(f"公证登记簿（{year}年）"), st["title"]), grid]
    return render(story, title=f"公证登记簿 {year}", author=office, pagesize=landscape(A4))
