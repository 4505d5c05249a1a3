"""The statistical report as a PDF: the page's tables and the same charts (ReportLab graphics)."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from notary.core.pdf import FONT, escape, register_font, render, styles
from notary.statistics.charts import bars_drawing
from notary.statistics.exports import sections, text

WIDTH = 165 * mm


def chart_items(figs: dict[str, Any]) -> dict[str, list[tuple[str, int]]]:
    """The three charts' data: by category, by matter (top 12), and the monthly trend."""
    matters = sorted(figs["by_matter"].items(), key=lambda kv: -kv[1])[:12]
    return {"category": list(figs["by_category"].items()), "matter": matters,
            "trend": [(m[5:] + "月", n) for m, n in figs["monthly_concluded"].items()]}


def report_pdf(figs: dict[str, Any], *, office_name: str, submitted: str | None = None) -> bytes:
    """Build the period's report (tables with comparisons, charts) as PDF bytes."""
    register_font()
    st = styles()
    title = f"{office_name}{figs['period']['title']}公证统计报表"
    story: list[Any] = [
        Paragraph(escape(title), st["title"]),
        Paragraph(escape(f"统计期间：{figs['period']['start']} 至 {figs['period']['end']}"
                         + (f"　　{submitted}" if submitted else "")), st["subtitle"]),
    ]
    grid = TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 9),
                       ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
                       ("ALIGN", (1, 1), (-1, -1), "RIGHT")])
    charts = chart_items(figs)
    for section in sections(figs):
        compared = any(r.compared for r in section.rows)
        head = ["项目", "本期", "上期", "去年同期"] if compared else ["项目", "本期"]
        data = [head] + [[Paragraph(escape(r.label), st["cell"]), text(r.current), *(
            [text(r.previous), text(r.year_before)] if compared else [])]
            for r in section.rows]
        widths = [70 * mm, 30 * mm, 30 * mm, 30 * mm] if compared else [70 * mm, 30 * mm]
        block: list[Any] = [Paragraph(escape(section.title), st["heading"]),
                            Table(data, colWidths=widths, style=grid, hAlign="LEFT")]
        chart = {"category": "category", "matter": "matter", "trend": "trend"}.get(section.key)
        if chart and charts[chart]:
            block += [Spacer(1, 2 * mm), bars_drawing(charts[chart], font=FONT, width=WIDTH,
                                                      horizontal=chart != "trend")]
        story.append(KeepTogether(block))
    story.append(Spacer(1, 8 * mm))
    story.append(Paragraph(escape("填表人：　　　　　　　　公证处负责人：　　　　　　　　（公章）"),
                           st["body"]))
    return render(story, title=title, author=office_name)
