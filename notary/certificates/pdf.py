"""The certificate PDF (公证书): elements in the order of the 2011 formats (domain.md §2.1).

Built from a frozen `CertificateDocument`, never from the database. Set in a 宋体 serif as
offices print certificates (the pre-2019 rule: title 一号宋体, wording 三号宋体; SF/T 0038—2019's
typeface clause was not seen, legal-texts.md §7.1 [U]); every character goes through the
serif stack of core.pdf: drawn by the first font that has it, or refused by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from notary.core.pdf import FONT, SERIF, draw_qr, draw_text, escape, missing_glyphs, render, styles

# Paper sizes an office may print on: A4 (GB/T 148) is assumed for SF/T 0038—2019, whose size
# clause was not seen [U]; 16开 was the size before 2019. CERTIFICATE_PAGE_SIZE chooses.
PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "16K": (184 * mm, 260 * mm)}


@dataclass(frozen=True)
class CertificatePage:
    """One certificate page: title, number, 申请人, 公证事项, 证词, office, notary, date."""

    title: str
    number: str
    applicant_block: str
    matter_label: str
    matter: str
    body: str
    office: str
    notary_label: str
    notary: str
    date: str
    # The footer in the page's language (a translation page carries no Chinese).
    code_label: str = "核验码"
    verify_note: str = "扫码或登录核验页面输入公证书编号和核验码查验真伪"
    page_label: str = "第 {n} 页"


@dataclass(frozen=True)
class CertificateDocument:
    """Everything printed on a certificate, already frozen."""

    pages: tuple[CertificatePage, ...]
    verify_url: str
    verification_code: str
    draft: bool = False
    page_size: str = "A4"
    extra: dict[str, str] = field(default_factory=dict)

    def texts(self) -> list[str]:
        """Every string that will be drawn (checked against the fonts before issue)."""
        out = [self.verification_code, self.verify_url]
        for p in self.pages:
            out += [p.title, p.number, p.applicant_block, p.matter_label, p.matter, p.body,
                    p.office, p.notary_label, p.notary, p.date, p.code_label, p.verify_note,
                    p.page_label]
        return out


def unprintable(document: CertificateDocument) -> list[str]:
    """The characters no embedded font can draw (the issue is refused naming them)."""
    return missing_glyphs(document.texts(), SERIF)


def _styles() -> dict[str, ParagraphStyle]:
    # 一号 = 26 pt, 三号 = 16 pt, 四号 = 14 pt (the Chinese type sizes).
    base = styles(SERIF)["body"]
    return {
        "title": ParagraphStyle("cert-title", parent=base, fontSize=26, leading=36,
                                alignment=1, spaceAfter=8 * mm),
        "number": ParagraphStyle("cert-number", parent=base, fontSize=14, leading=22,
                                 alignment=TA_RIGHT, spaceAfter=8 * mm),
        "line": ParagraphStyle("cert-line", parent=base, fontSize=14, leading=24),
        "body": ParagraphStyle("cert-body", parent=base, fontSize=16, leading=30,
                               firstLineIndent=32, spaceBefore=6 * mm, spaceAfter=14 * mm),
        "sign": ParagraphStyle("cert-sign", parent=base, fontSize=14, leading=26,
                               alignment=TA_RIGHT),
    }


def spaced_title(title: str) -> str:
    """The title as offices set it: 公证书 with a full-width space between the characters."""
    return "\u3000".join(title) if all("\u4e00" <= c <= "\u9fff" for c in title) else title


def _page(page: CertificatePage, st: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [Paragraph(escape(spaced_title(page.title), SERIF), st["title"]),
                        Paragraph(escape(page.number, SERIF), st["number"])]
    story += [Paragraph(escape(line, SERIF), st["line"])
              for line in page.applicant_block.splitlines() if line.strip()]
    story.append(Paragraph(escape(f"{page.matter_label}{page.matter}", SERIF), st["line"]))
    for i, paragraph in enumerate(p for p in page.body.split("\n") if p.strip()):
        style = st["body"] if i == 0 else ParagraphStyle(
            f"cert-body-{i}", parent=st["body"], spaceBefore=0, spaceAfter=4 * mm)
        story.append(Paragraph(escape(paragraph.strip(), SERIF), style))
    story += [Spacer(1, 8 * mm), Paragraph(escape(page.office, SERIF), st["sign"]),
              Paragraph(escape(f"{page.notary_label}{page.notary}", SERIF), st["sign"]),
              Spacer(1, 4 * mm), Paragraph(escape(page.date, SERIF), st["sign"])]
    return story


class _PageStart(Flowable):
    """Marks where a certificate page begins, so the footer is drawn in its language."""

    def __init__(self, state: dict[str, int], index: int) -> None:
        super().__init__()
        self.state, self.index = state, index

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.state["page"] = self.index


def build_certificate_pdf(document: CertificateDocument) -> bytes:
    """Render the certificate (and its translation pages) to PDF bytes, fonts embedded."""
    st = _styles()
    state = {"page": 0}
    story: list[Any] = []
    for i, page in enumerate(document.pages):
        if i:
            story.append(PageBreak())
        story += [_PageStart(state, i), *_page(page, st)]

    page_size = PAGE_SIZES.get(document.page_size, A4)

    def qr_and_code(canvas: Any, doc: Any) -> None:
        # The QR code leads to the public verification page; the short code is for typing.
        page = document.pages[state["page"]] if document.pages else CertificatePage(
            *[""] * 10)
        size = 26 * mm
        draw_qr(canvas, document.verify_url, 25 * mm, 18 * mm, size)
        canvas.saveState()
        x = 25 * mm + size + 4 * mm
        draw_text(canvas, x, 36 * mm, f"{page.code_label} {document.verification_code}", 9,
                  stack=SERIF)
        draw_text(canvas, x, 30 * mm, page.verify_note, 9, stack=SERIF)
        draw_text(canvas, x, 24 * mm, document.verify_url, 9, stack=SERIF)
        draw_text(canvas, page_size[0] / 2, 12 * mm, page.page_label.format(n=doc.page), 9,
                  stack=SERIF, align="centre")
        if document.draft:
            canvas.setFillGray(0.85)
            canvas.translate(page_size[0] / 2, page_size[1] / 2)
            canvas.rotate(35)
            draw_text(canvas, 0, 0, "样稿 未生效", 60, stack=SERIF, align="centre")
        canvas.restoreState()

    title = document.pages[0].number if document.pages else "公证书"
    return render(story, title=title, author=document.pages[0].office if document.pages else "",
                  on_page_end=qr_and_code, invariant=True, bottom_margin=50 * mm,
                  pagesize=page_size, stack=SERIF, page_numbers=False)


@dataclass(frozen=True)
class CatalogueData:
    """What the file catalogue (卷内目录) prints, gathered by followup.catalogue_of."""

    office: str
    case_number: str
    archive_number: str
    parties: str
    matters: str
    retention: str
    confidential: bool
    certificate_numbers: str
    rows: tuple[tuple[str, str, str], ...]


def build_catalogue_pdf(data: CatalogueData) -> bytes:
    """The file catalogue (卷内目录) printed for the archive, A4."""
    st = styles()
    head = [("档案号", data.archive_number or "—"), ("案号", data.case_number),
            ("当事人", data.parties), ("公证事项", data.matters),
            ("公证书编号", data.certificate_numbers or "—"),
            ("保管期限", data.retention or "—"),
            ("卷别", "密卷" if data.confidential else "普通卷")]
    story: list[Any] = [Paragraph(escape(data.office), st["subtitle"]),
                        Paragraph("卷内目录", st["title"])]
    story.append(Table([[Paragraph(escape(k), st["cell"]), Paragraph(escape(v), st["cell"])]
                        for k, v in head], colWidths=[35 * mm, 130 * mm],
                       style=[("FONTNAME", (0, 0), (-1, -1), FONT)]))
    story.append(Spacer(1, 6 * mm))
    rows = [[Paragraph(escape(h), st["cell"]) for h in ("序号", "文件材料名称", "日期", "备注")]]
    rows += [[Paragraph(str(i), st["cell"]), Paragraph(escape(title), st["cell"]),
              Paragraph(escape(day), st["cell"]), Paragraph(escape(note), st["cell"])]
             for i, (title, day, note) in enumerate(data.rows, start=1)]
    table = Table(rows, colWidths=[12 * mm, 88 * mm, 28 * mm, 37 * mm], repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    return render(story, title="卷内目录", author=data.office)
