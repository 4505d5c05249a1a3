"""Bar charts as server-rendered inline SVG (no script, no CDN) and as ReportLab drawings.

Both take the same (label, value) pairs, so the page and the PDF show the same bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from markupsafe import Markup

BAR = "#2f4a6d"
BAR_PREVIOUS = "#9fb3c8"


def bars_svg(items: Sequence[tuple[str, int]], *, title: str, width: int = 560,
             row: int = 22, label_width: int = 150) -> Markup:
    """A horizontal bar chart: one labelled bar per item, the value at its end."""
    top = 8
    height = top + row * max(len(items), 1) + 8
    peak = max((v for _l, v in items), default=0) or 1
    span = width - label_width - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = round(span * value / peak, 1)
        parts.append(f'<text x="{label_width - 6}" y="{y + row * 0.68:.1f}" text-anchor="end" '
                     f'font-size="12" fill="#222">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{w}" height="{row - 6}" '
                     f'fill="{BAR}"><title>{escape(label)}: {value}</title></rect>')
        parts.append(f'<text x="{label_width + w + 4:.1f}" y="{y + row * 0.68:.1f}" '
                     f'font-size="12" fill="#222">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def columns_svg(items: Sequence[tuple[str, int]], *, title: str, width: int = 560,
                height: int = 200) -> Markup:
    """A column chart over time (the monthly trend), the value above each column."""
    left, bottom, top = 10, 24, 18
    peak = max((v for _l, v in items), default=0) or 1
    slot = (width - 2 * left) / max(len(items), 1)
    inner = height - bottom - top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" '
             f'y2="{height - bottom}" stroke="#888"/>']
    for i, (label, value) in enumerate(items):
        h = inner * value / peak
        x = left + i * slot + slot * 0.2
        parts.append(f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{slot * 0.6:.1f}" '
                     f'height="{h:.1f}" fill="{BAR}"><title>{escape(label)}: {value}</title>'
                     "</rect>")
        parts.append(f'<text x="{x + slot * 0.3:.1f}" y="{height - bottom - h - 4:.1f}" '
                     f'text-anchor="middle" font-size="12" fill="#222">{value}</text>')
        parts.append(f'<text x="{x + slot * 0.3:.1f}" y="{height - 7}" text-anchor="middle" '
                     f'font-size="12" fill="#222">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bars_drawing(items: Sequence[tuple[str, int]], *, font: str, width: float,
                 horizontal: bool = True) -> Any:
    """The same chart as a ReportLab drawing (vector, embedded CJK font)."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    values = [v for _l, v in items] or [0]
    labels = [lab for lab, _v in items] or [""]
    if horizontal:
        height = 16 * len(values) + 20
        drawing = Drawing(width, height)
        chart: Any = HorizontalBarChart()
        chart.x, chart.y, chart.width, chart.height = 110, 10, width - 150, height - 20
        chart.categoryAxis.reverseDirection = True
    else:
        height = 150
        drawing = Drawing(width, height)
        chart = VerticalBarChart()
        chart.x, chart.y, chart.width, chart.height = 30, 25, width - 40, height - 40
    chart.data = [values]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor(BAR)
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 7
    # The renderer's initial state would set Helvetica, a font not embedded.
    drawing.initialFontName = font
    drawing.add(chart)
    return drawing
