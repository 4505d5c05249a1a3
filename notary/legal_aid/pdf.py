"""The quarterly legal-aid filing form (法律援助公证案件备案表) as a PDF (landscape A4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from notary.core.pdf import markup
from notary.fees.pdf import grid, render, styles, yuan
from notary.legal_aid.queries import FilingRow

HEADERS = ("序号", "受理号", "受理日期", "受援人", "援助依据", "办理方式", "法律援助机构决定书",
           "公证事项", "承办公证员", "应收（元）", "减免（元）", "实收（元）", "公证书编号")
WIDTHS_MM = (8, 34, 18, 16, 42, 14, 34, 20, 15, 17, 17, 17, 25)  # 277 mm: A4 landscape


@dataclass(frozen=True)
class FilingData:
    office_name: str
    year: int
    quarter: int
    start: date
    end: date
    rows: Sequence[FilingRow]
    printed_on: date


def decision_text(row: FilingRow) -> str:
    """The decision letter, or the emergency route still waiting for it."""
    if row.decision_number:
        day = row.decision_date.isoformat() if row.decision_date else ""
        return f"{row.decision_number} {day}".strip()
    return "待法律援助机构确认"


def cells(index: int, row: FilingRow) -> list[str]:
    """The texts of one line, as both the PDF and the spreadsheet show them."""
    return [str(index), row.acceptance_number,
            row.accepted_on.isoformat() if row.accepted_on else "", row.recipient,
            row.eligibility, row.route, f"{row.agency_name} {decision_text(row)}", row.matters,
            row.notary or "", yuan(row.charged), yuan(row.relieved), yuan(row.received),
            row.certificate_number or ""]


def totals(rows: Sequence[FilingRow]) -> tuple[Decimal, Decimal, Decimal]:
    """Charged, relieved and received over the quarter's lines (recorded amounts: exact)."""
    zero = Decimal("0.00")
    return (sum((r.charged for r in rows), zero), sum((r.relieved for r in rows), zero),
            sum((r.received for r in rows), zero))


def filing_pdf(data: FilingData) -> bytes:
    """Build the quarter's 法律援助公证案件备案表 as PDF bytes."""
    st = styles()
    title = f"法律援助公证案件备案表（{data.year}年第{data.quarter}季度）"
    story: list[Any] = [
        Paragraph(markup(title), st["title"]),
        Paragraph(markup(f"填报单位：{data.office_name}　　统计期间：{data.start.isoformat()}"
                         f" 至 {data.end.isoformat()}　　填报日期：{data.printed_on.isoformat()}"),
                  st["subtitle"]),
        Spacer(1, 4 * mm),
    ]
    table: list[list[Any]] = [[Paragraph(markup(h), st["head"]) for h in HEADERS]]
    for i, row in enumerate(data.rows, start=1):
        texts = cells(i, row)
        table.append([Paragraph(markup(t), st["cell_right"] if 9 <= n <= 11 else st["cell"])
                      for n, t in enumerate(texts)])
    charged, relieved, received = totals(data.rows)
    table.append([Paragraph(markup(t), st["cell_right"] if 9 <= n <= 11 else st["cell"])
                  for n, t in enumerate(["", "合计", "", f"{len(data.rows)} 件", "", "", "", "",
                                         "", yuan(charged), yuan(relieved), yuan(received),
                                         ""])])
    story.append(Table(table, colWidths=[w * mm for w in WIDTHS_MM], repeatRows=1,
                       style=grid()))
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph(markup("填表人：　　　　　　　　公证处负责人：　　　　　　　　（公章）"),
                           st["body"]))
    return render(story, pagesize=landscape(A4), title=title, margins_mm=10)
