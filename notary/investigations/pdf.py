"""The printed record (核实笔录 / 询问笔录) in the usual layout; builds bytes, never queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from notary.core.models import OFFICE_TZ
from notary.core.pdf import FONT_NAME, MissingGlyphs, escape, missing_glyphs, render, styles
from notary.investigations.models import Investigation, InvestigationRecord, Method, PersonRole

TZ = OFFICE_TZ
# Legal document wording is Chinese content, not UI text (house style rule 12).
ROLE_WORDS = {PersonRole.QUESTIONED: "被询问人", PersonRole.WITNESS: "见证人",
              PersonRole.PRESENT: "在场人"}


@dataclass(frozen=True)
class RecordHeader:
    office_name: str
    case_number: str
    staff_names: list[str]
    method_label: str


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(TZ)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def record_title(task: Investigation) -> str:
    """询问笔录 for interviews, 核实笔录 for the rest."""
    return "询问笔录" if task.method is Method.INTERVIEW else "核实笔录"


def build_record_pdf(task: Investigation, record: InvestigationRecord,
                     header: RecordHeader) -> bytes:
    """Print one record: time, place, staff, persons, 问/答, what was seen, signatures."""
    s = styles()
    title = record_title(task)
    texts = [header.office_name, header.case_number, task.purpose, record.place,
             record.observations or "", record.recorder.full_name, *header.staff_names,
             task.witness_name or "", header.method_label]
    for p in record.persons:
        texts += [p.name, p.document_number or "", p.relation or ""]
    for q in record.questions:
        texts += [q.question, q.answer]
    if missing := missing_glyphs(texts):
        raise MissingGlyphs(missing)
    time_text = _when(record.started_at)
    if record.ended_at:
        time_text += f" 至 {_when(record.ended_at)[-5:]}"
    story: list = [
        Paragraph(escape(header.office_name), s["subtitle"]),
        Paragraph(title, s["title"]),
        Paragraph(f"受理号：{escape(header.case_number)}", s["small"]),
        Spacer(1, 3 * mm),
    ]
    rows = [
        ["时间", time_text],
        ["地点", record.place],
        ["事由", task.purpose],
        ["方式", header.method_label],
        ["核实人员", "、".join(header.staff_names)],
        ["记录人", record.recorder.full_name],
    ]
    if task.witness_name:
        rows.append(["见证人", task.witness_name])
    for p in record.persons:
        detail = p.name
        if p.document_number:
            detail += f"，身份证件号码：{p.document_number}"
        if p.relation:
            detail += f"，{p.relation}"
        rows.append([ROLE_WORDS[p.role], detail])
    table = Table([[Paragraph(k, s["cell"]), Paragraph(escape(v), s["cell"])] for k, v in rows],
                  colWidths=[28 * mm, 137 * mm])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2"))]))
    story += [table, Spacer(1, 4 * mm)]
    if record.questions:
        story.append(Paragraph("询问内容", s["heading"]))
        for q in record.questions:
            story.append(Paragraph(f"问：{escape(q.question)}", s["body"]))
            story.append(Paragraph(f"答：{escape(q.answer)}", s["body"]))
    if record.observations:
        story.append(Paragraph("勘查 / 核实情况", s["heading"]))
        story.append(Paragraph(escape(record.observations), s["body"]))
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph("以上笔录已经本人阅读（或向本人宣读），与所述相符。", s["body"]))
    story.append(Spacer(1, 4 * mm))
    sign_rows = [[Paragraph(f"{ROLE_WORDS[p.role]}：{escape(p.name)}", s["cell"]),
                  Paragraph(("已签名" if p.signed else "未签名") + " / "
                            + ("已捺指印" if p.fingerprinted else "未捺指印"), s["cell"])]
                 for p in record.persons]
    sign_rows += [[Paragraph(f"核实人员：{escape(name)}", s["cell"]),
                   Paragraph("签名：", s["cell"])] for name in header.staff_names]
    sign_rows.append([Paragraph(f"记录人：{escape(record.recorder.full_name)}", s["cell"]),
                      Paragraph("签名：", s["cell"])])
    signatures = Table(sign_rows, colWidths=[80 * mm, 85 * mm])
    signatures.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.grey),
                                    ("TOPPADDING", (0, 0), (-1, -1), 6)]))
    story.append(signatures)
    return render(story, title=f"{title} {header.case_number}", author=header.office_name)
