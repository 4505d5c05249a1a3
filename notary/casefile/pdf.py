"""The case file's printed documents: the 告知书 a party signs, the second volume (副卷) and
the file catalogue (卷内目录) of every volume. Builders take plain data and return bytes."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from notary.core.errors import DomainError
from notary.core.pdf import escape as esc
from notary.core.pdf import missing_glyphs, render, styles


def _refuse_missing(texts: list[str]) -> None:
    if missing := missing_glyphs(texts):
        raise DomainError("无法打印：字体缺少以下字符：" + "、".join(missing))


@dataclass(frozen=True)
class NoticeSheet:
    """What a 告知书 prints: the party, the matters, the content and, once recorded, when and
    by whom the party was told."""

    office: str
    case_number: str
    party_name: str
    party_role: str
    matters: str
    content: str
    told_on: str  # empty until recorded: the party dates it by hand
    told_by: str
    method: str


def build_notice_pdf(sheet: NoticeSheet) -> bytes:
    """The 告知书 (公证法 art. 27 ¶2; 公证程序规则 2020 art. 21): content, method, time, the
    notary, and the lines where the party signs."""
    st = styles()
    _refuse_missing([sheet.office, sheet.case_number, sheet.party_name, sheet.matters,
                     sheet.content, sheet.told_by, sheet.method, sheet.party_role])
    head = [("受理号", sheet.case_number), ("当事人", f"{sheet.party_name}（{sheet.party_role}）"),
            ("公证事项", sheet.matters), ("告知方式", sheet.method or "书面"),
            ("告知时间", sheet.told_on or "　　　　年　　月　　日"),
            ("告知人（公证员）", sheet.told_by or "")]
    story: list[Any] = [Paragraph(esc(sheet.office), st["subtitle"]),
                        Paragraph("公证事项告知书", st["title"]), _grid(head, [40, 125]),
                        Spacer(1, 5 * mm)]
    story += [Paragraph(esc(line), st["body"]) for line in sheet.content.splitlines() if line]
    story += [Spacer(1, 8 * mm),
              Paragraph("以上内容，公证员已向本人告知，本人已阅读（或听取宣读）并完全理解。",
                        st["body"]),
              Spacer(1, 10 * mm),
              Paragraph("当事人（或代理人）签名（捺指印）：＿＿＿＿＿＿＿＿　　"
                        "日期：＿＿＿＿＿＿＿＿", st["body"]),
              Spacer(1, 6 * mm),
              Paragraph("告知人（公证员）签名：＿＿＿＿＿＿＿＿", st["body"])]
    return render(story, title=f"公证事项告知书 {sheet.case_number}", author=sheet.office)


@dataclass(frozen=True)
class CatalogueRow:
    title: str
    day: str
    pages: int  # 0: not on paper (a recording), listed without page numbers
    note: str = ""


@dataclass(frozen=True)
class Volume:
    """One volume of the file (正卷 / 副卷) and its documents in filing order."""

    name: str
    rows: tuple[CatalogueRow, ...]

    @property
    def pages(self) -> int:
        return sum(r.pages for r in self.rows)


@dataclass(frozen=True)
class FileHeader:
    office: str
    case_number: str
    archive_number: str
    parties: str
    matters: str
    certificate_numbers: str
    retention: str
    confidential: bool


def _grid(pairs: list[tuple[str, str]], widths: list[int]) -> Table:
    st = styles()
    table = Table([[Paragraph(esc(k), st["cell"]), Paragraph(esc(v), st["cell"])]
                   for k, v in pairs], colWidths=[w * mm for w in widths])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _page_range(start: int, pages: int) -> str:
    if pages <= 0:
        return "—"
    return str(start) if pages == 1 else f"{start}-{start + pages - 1}"


def _rows_table(volume: Volume) -> Table:
    st = styles()
    rows = [[Paragraph(h, st["cell"]) for h in ("序号", "文件材料名称", "日期", "页号", "备注")]]
    page = 1
    for i, row in enumerate(volume.rows, start=1):
        rows.append([Paragraph(str(i), st["cell"]), Paragraph(esc(row.title), st["cell"]),
                     Paragraph(esc(row.day), st["cell"]),
                     Paragraph(_page_range(page, row.pages), st["cell"]),
                     Paragraph(esc(row.note), st["cell"])])
        page += row.pages
    table = Table(rows, colWidths=[12 * mm, 78 * mm, 25 * mm, 18 * mm, 32 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _header_story(header: FileHeader, title: str) -> list[Any]:
    st = styles()
    head = [("档案号", header.archive_number or "—"), ("案号", header.case_number),
            ("当事人", header.parties), ("公证事项", header.matters),
            ("公证书编号", header.certificate_numbers or "—"),
            ("保管期限", header.retention or "—"),
            ("卷别", "密卷" if header.confidential else "普通卷")]
    return [Paragraph(esc(header.office), st["subtitle"]), Paragraph(title, st["title"]),
            _grid(head, [35, 130]), Spacer(1, 5 * mm)]


def build_file_catalogue_pdf(header: FileHeader, volumes: list[Volume]) -> bytes:
    """The 卷内目录 of the main volume, after the list of every volume in order with its page
    count; the second volume's documents are listed only in the second volume itself."""
    st = styles()
    main = volumes[0]
    _refuse_missing([header.parties, header.matters, *(r.title for r in main.rows),
                     *(r.note for r in main.rows)])
    story = _header_story(header, "卷内目录")
    story.append(Paragraph("本案卷宗分卷", st["heading"]))
    story.append(_grid([(f"第{i}卷　{v.name}", f"{v.pages} 页，{len(v.rows)} 件")
                        for i, v in enumerate(volumes, start=1)], [60, 105]))
    story += [Spacer(1, 5 * mm), Paragraph(f"第1卷　{esc(main.name)}", st["heading"]),
              _rows_table(main)]
    return render(story, title="卷内目录", author=header.office)


@dataclass(frozen=True)
class NoteSheet:
    title: str
    kind: str
    author: str
    written_at: str
    body: str


def _note_story(note: NoteSheet) -> list[Any]:
    st = styles()
    return [Paragraph(esc(note.title), st["heading"]),
            Paragraph(esc(f"{note.kind}　{note.author}　{note.written_at}"), st["small"]),
            Spacer(1, 2 * mm), Paragraph(esc(note.body), st["body"])]


def note_pages(note: NoteSheet) -> int:
    """How many A4 pages the document takes in the second volume (each starts a page)."""
    return pdf_pages(render(_note_story(note), title=note.title, invariant=True))


def build_second_volume_pdf(header: FileHeader, volume: Volume,
                            notes: list[NoteSheet]) -> bytes:
    """The second volume (副卷): its own catalogue, then each internal document on new pages.
    Never part of the main volume's print (公证程序规则 2020 art. 60)."""
    _refuse_missing([header.parties, header.matters,
                     *(t for n in notes for t in (n.title, n.body, n.author))])
    story = _header_story(header, "副卷　卷内目录")
    story.append(_rows_table(volume))
    for note in notes:
        story += [PageBreak(), *_note_story(note)]
    return render(story, title="副卷", author=header.office)


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_pages(data: bytes) -> int:
    """The page count of a PDF: its page tree's /Count, or the page objects counted."""
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        return int(PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]["/Count"])
    except Exception:  # a damaged upload still gets a count from its page objects
        return max(1, len(_PAGE.findall(data)))


# --- the intake papers: 申请表, 受理回执, 受理通知书 ------------------------------------------


@dataclass(frozen=True)
class IntakeParty:
    role: str
    name: str
    sex: str
    birth: str
    document: str
    phone: str
    address: str


@dataclass(frozen=True)
class IntakeSheet:
    """What the intake papers of a case print (dates already written out)."""

    office: str
    case_number: str
    matters: str
    purpose: str
    place_of_use: str
    copies: str
    applied_on: str
    received_by: str
    accepted_on: str  # "" before acceptance
    notary: str
    office_contact: str
    parties: tuple[IntakeParty, ...]

    def texts(self) -> list[str]:
        out = [self.office, self.case_number, self.matters, self.purpose, self.place_of_use,
               self.received_by, self.notary, self.office_contact]
        for p in self.parties:
            out += [p.role, p.name, p.sex, p.document, p.phone, p.address]
        return out


def _parties_table(sheet: IntakeSheet) -> Table:
    """One line per party (an 18-digit number on one line), its address on the line below."""
    st = styles()
    head = ["身份", "姓名（名称）", "性别", "出生日期", "证件号码", "联系电话"]
    rows: list[list[Any]] = [[Paragraph(h, st["cell"]) for h in head]]
    spans: list[tuple[Any, ...]] = []
    for p in sheet.parties:
        rows.append([Paragraph(esc(v), st["cell"])
                     for v in (p.role, p.name, p.sex, p.birth, p.document, p.phone)])
        rows.append([Paragraph("住址", st["cell"]), Paragraph(esc(p.address or "—"), st["cell"]),
                     "", "", "", ""])
        spans.append(("SPAN", (1, len(rows) - 1), (-1, len(rows) - 1)))
    table = Table(rows, colWidths=[w * mm for w in (15, 31, 11, 25, 52, 31)], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), *spans]))
    return table


def build_application_pdf(sheet: IntakeSheet) -> bytes:
    """The 公证申请表 (公证程序规则 2020 art. 17): the matter, the parties, their signatures."""
    st = styles()
    _refuse_missing(sheet.texts())
    head = [("登记号", sheet.case_number), ("申请日期", sheet.applied_on),
            ("公证事项", sheet.matters), ("用途", sheet.purpose or "—"),
            ("使用地", sheet.place_of_use or "—"), ("公证书份数", sheet.copies),
            ("收件人", sheet.received_by)]
    story: list[Any] = [Paragraph(esc(sheet.office), st["subtitle"]),
                        Paragraph("公证申请表", st["title"]), _grid(head, [40, 125]),
                        Spacer(1, 5 * mm), Paragraph("申请人及代理人", st["body"]),
                        _parties_table(sheet), Spacer(1, 8 * mm),
                        Paragraph("本人保证所填内容及所提交的证明材料真实、合法、有效。",
                                  st["body"]),
                        Spacer(1, 10 * mm),
                        Paragraph("申请人（或代理人）签名（捺指印）：＿＿＿＿＿＿＿＿　　"
                                  "日期：＿＿＿＿＿＿＿＿", st["body"])]
    return render(story, title=f"公证申请表 {sheet.case_number}", author=sheet.office)


def build_receipt_pdf(sheet: IntakeSheet) -> bytes:
    """The 受理回执 handed to the applicant: what was received, when, by whom, and how to
    ask about the progress."""
    st = styles()
    _refuse_missing(sheet.texts())
    names = "、".join(p.name for p in sheet.parties if p.role == "申请人")
    head = [("受理号" if sheet.accepted_on else "登记号", sheet.case_number),
            ("申请人", names), ("公证事项", sheet.matters), ("收件日期", sheet.applied_on),
            ("收件人", sheet.received_by)]
    if sheet.accepted_on:
        head += [("受理日期", sheet.accepted_on), ("承办公证员", sheet.notary)]
    lookup = ("凭本回执上的受理号和申请时留下的手机号码后四位，可在本处网站的“办理进度查询”"
              "页面查询办理进度。" if sheet.accepted_on else
              "本处受理后即通知受理号；凭受理号和申请时留下的手机号码后四位可查询办理进度。")
    story: list[Any] = [Paragraph(esc(sheet.office), st["subtitle"]),
                        Paragraph("受理回执", st["title"]), _grid(head, [40, 125]),
                        Spacer(1, 5 * mm), Paragraph(esc(lookup), st["body"])]
    if sheet.office_contact:
        story.append(Paragraph(esc(sheet.office_contact), st["body"]))
    story += [Spacer(1, 10 * mm), Paragraph(f"{esc(sheet.office)}（盖章）", st["body"])]
    return render(story, title=f"受理回执 {sheet.case_number}", author=sheet.office)


def build_acceptance_notice_pdf(sheet: IntakeSheet) -> bytes:
    """The 受理通知书 (公证程序规则 2020 art. 20): the application is accepted, under this
    number, handled by this notary, within the time limit of 公证法 art. 30."""
    st = styles()
    _refuse_missing(sheet.texts())
    names = "、".join(p.name for p in sheet.parties if p.role == "申请人")
    head = [("受理号", sheet.case_number), ("申请人", names), ("公证事项", sheet.matters),
            ("受理日期", sheet.accepted_on), ("承办公证员", sheet.notary)]
    body = (f"{names}：你（你们）于{sheet.applied_on}申请办理的{sheet.matters}公证，"
            f"经审查符合受理条件，本处决定受理。本处将自受理之日起十五个工作日内出具公证书；"
            f"因补充证明材料或者需要核实有关情况的，所需时间不计算在期限内。")
    story: list[Any] = [Paragraph(esc(sheet.office), st["subtitle"]),
                        Paragraph("受理通知书", st["title"]), _grid(head, [40, 125]),
                        Spacer(1, 5 * mm), Paragraph(esc(body), st["body"]),
                        Spacer(1, 10 * mm), Paragraph(f"{esc(sheet.office)}（盖章）", st["body"]),
                        Paragraph(esc(sheet.accepted_on), st["body"])]
    return render(story, title=f"受理通知书 {sheet.case_number}", author=sheet.office)
