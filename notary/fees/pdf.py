"""The fee receipt (收费凭证) as a PDF, with an embedded TrueType CJK font.

The builder takes plain data and returns bytes; it never queries. Fonts, glyph checks and
escaping come from notary/core/pdf.py; the styles here are those of the office's forms, shared
with the legal-aid filing form.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from notary.core.pdf import FONT, markup, register_fonts
from notary.fees.rules import amount_in_words


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of the office's documents (CJK word wrap)."""
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, wordWrap="CJK")
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22,
                                alignment=TA_CENTER, spaceAfter=2 * mm),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, alignment=TA_CENTER,
                                   textColor=colors.HexColor("#444444")),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "cell_right": ParagraphStyle("cell_right", parent=base, fontSize=9, leading=12,
                                     alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontSize=9, leading=12,
                               textColor=colors.white),
    }


def yuan(amount: Decimal) -> str:
    """1234.5 -> '1,234.50'."""
    return f"{amount:,.2f}"


def grid(style_cmds: Iterable[Any] = ()) -> TableStyle:
    """A bordered table with a dark header row."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#666666")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#2f4a6d")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *style_cmds,
    ])


def render(story: list[Any], *, pagesize: Any = A4, title: str = "", margins_mm: int = 15
           ) -> bytes:
    """Lay out a story and return the PDF bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=margins_mm * mm,
                            rightMargin=margins_mm * mm, topMargin=margins_mm * mm,
                            bottomMargin=margins_mm * mm, title=title, author="notary",
                            creator="notary", initialFontName=FONT, initialFontSize=10)
    doc.build(story)
    return buffer.getvalue()


# --- the receipt ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptLine:
    description: str
    basis: str  # '受益额 1,200,000.00 元' or '2 份'
    amount: Decimal
    note: str = ""
    article: str = ""  # '湘发改价费规〔2025〕737号\n附件·证明法律事实类（政府指导价）'


@dataclass(frozen=True)
class ReceiptRelief:
    label: str  # '减收（低保）50%'
    approved_by: str
    amount: Decimal


@dataclass(frozen=True)
class ReceiptPayment:
    receipt_number: str
    paid_at: datetime  # local time
    amount: Decimal
    method: str
    received_by: str
    payer: str
    bill: str = ""  # '财政电子票据 43010125000012（2026-12-05，湖南省财政电子票据系统）'


@dataclass(frozen=True)
class ReceiptData:
    office_name: str
    acceptance_number: str
    applicants: str
    matters: str
    schedule_name: str
    lines: Sequence[ReceiptLine]
    reliefs: Sequence[ReceiptRelief]
    charged: Decimal
    reduced: Decimal
    payable: Decimal
    received: Decimal
    due: Decimal
    printed_at: datetime  # local time
    payment: ReceiptPayment | None = None  # None: a statement of the whole case
    payments: Sequence[ReceiptPayment] = field(default_factory=list)
    deferred: bool = False


def receipt_pdf(data: ReceiptData) -> bytes:
    """Build the 收费凭证 of one payment (or the fee statement of a case) as PDF bytes."""
    st = styles()
    p = st["body"]

    def para(text: str, style: str = "cell") -> Paragraph:
        return Paragraph(markup(text), st[style])

    title = "公证收费凭证" if data.payment else "公证费收费清单"
    story: list[Any] = [
        Paragraph(markup(data.office_name), st["title"]),
        Paragraph(markup(title), st["title"]),
    ]
    if data.payment:
        story.append(Paragraph(markup(f"凭证编号：{data.payment.receipt_number}"),
                               st["subtitle"]))
    story.append(Spacer(1, 4 * mm))
    head = [[para("受理号"), para(data.acceptance_number), para("公证事项"), para(data.matters)],
            [para("当事人"), para(data.applicants), para("缴款人"),
             para(data.payment.payer if data.payment else "—")]]
    story.append(Table(head, colWidths=[22 * mm, 68 * mm, 22 * mm, 68 * mm], style=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#666666")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef2f7")),
        ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#eef2f7")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])))
    story.append(Spacer(1, 4 * mm))

    rows: list[list[Any]] = [[para("收费项目", "head"), para("计费依据", "head"),
                              para("收费标准条目", "head"), para("金额（元）", "head")]]
    for line in data.lines:
        text = line.description + (f"（{line.note}）" if line.note else "")
        # The article on its own lines: the document, then where in it (never cut mid-way).
        article = Paragraph("<br/>".join(markup(part) for part in line.article.split("\n")),
                            st["cell"])
        rows.append([para(text), para(line.basis), article,
                     para(yuan(line.amount), "cell_right")])
    spans: list[Any] = []
    rows.append([para("应收合计"), "", "", para(yuan(data.charged), "cell_right")])
    totals_from = len(rows) - 1
    for relief in data.reliefs:
        rows.append([para(f"减免：{relief.label}"), "", para(f"批准人：{relief.approved_by}"),
                     para("-" + yuan(relief.amount), "cell_right")])
        spans.append(("SPAN", (0, len(rows) - 1), (1, len(rows) - 1)))
    rows.append([para("减免后应缴"), para(amount_in_words(data.payable)), "",
                 para(yuan(data.payable), "cell_right")])
    spans += [("SPAN", (0, totals_from), (2, totals_from)),
              ("SPAN", (1, len(rows) - 1), (2, len(rows) - 1))]
    story.append(Table(rows, colWidths=[42 * mm, 48 * mm, 62 * mm, 28 * mm], repeatRows=1,
                       style=grid([*spans,
                                   ("BACKGROUND", (0, totals_from), (-1, totals_from),
                                    colors.HexColor("#f3f3f3")),
                                   ("BACKGROUND", (0, -1), (-1, -1),
                                    colors.HexColor("#f3f3f3"))])))
    story.append(Spacer(1, 4 * mm))

    if data.payment:
        pay = data.payment
        rows = [[para("本次收款"), para(f"{yuan(pay.amount)} 元"),
                 para("大写"), para(amount_in_words(pay.amount))],
                [para("收款方式"), para(pay.method), para("收款时间"),
                 para(pay.paid_at.strftime("%Y-%m-%d %H:%M"))],
                [para("财政票据"), para(pay.bill or "尚未录入（待财务系统开具后补录）"),
                 para(""), para("")]]
        story.append(Table(rows, colWidths=[22 * mm, 68 * mm, 22 * mm, 68 * mm],
                           style=TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT),
                               ("SPAN", (1, 2), (3, 2)),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#666666")),
                               ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef2f7")),
                               ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#eef2f7"))])))
        story.append(Spacer(1, 4 * mm))
    elif data.payments:
        rows = [[para("凭证编号", "head"), para("收款时间", "head"), para("方式", "head"),
                 para("财政票据", "head"), para("金额（元）", "head")]]
        for pay in data.payments:
            rows.append([para(pay.receipt_number), para(pay.paid_at.strftime("%Y-%m-%d %H:%M")),
                         para(pay.method), para(pay.bill or "尚未录入"),
                         para(yuan(pay.amount), "cell_right")])
        story.append(Table(rows, colWidths=[45 * mm, 30 * mm, 20 * mm, 55 * mm, 30 * mm],
                           style=grid()))
        story.append(Spacer(1, 4 * mm))

    status = f"累计实收 {yuan(data.received)} 元；尚欠 {yuan(data.due)} 元"
    if data.deferred and data.due > 0:
        status += "（经批准缓收）"
    story.append(Paragraph(markup(status), p))
    story.append(Spacer(1, 6 * mm))
    signer = f"收款人：{data.payment.received_by}" if data.payment else ""
    story.append(Paragraph(markup(f"{signer}　　开具时间：{data.printed_at:%Y-%m-%d %H:%M}"),
                           st["right"]))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(markup(f"收费依据：{data.schedule_name}。本凭证为公证处内部收费凭证，"
                                  "由公证处业务系统生成，不作报销凭证；缴费凭证以财务系统开具的"
                                  "财政票据或发票为准。减免须经主任批准。"), st["small"]))
    return render(story, title=title)
