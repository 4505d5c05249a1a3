"""PDF helpers shared by every domain: an embedded CJK font, glyph checks, styles, escaping.

ReportLab's built-in STSong-Light is never used: it is not embedded, so a record would show
boxes (or a substituted font) elsewhere. WenQuanYi Zen Hei covers all of GBK; AR PL UMing is
the fallback. A character neither font has is refused with its name, never dropped silently.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import SimpleDocTemplate

from notary.core.errors import DomainError

FONT_NAME = "CJK"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


@cache
def register_font() -> str:
    """Register the embedded CJK font once per process and return its name."""
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
            return FONT_NAME
    raise DomainError("No CJK TrueType font is installed (apt-get install fonts-wqy-zenhei).")


def missing_glyphs(texts: Iterable[str]) -> list[str]:
    """The characters the font cannot draw (a 生僻字 would otherwise vanish silently)."""
    face: Any = pdfmetrics.getFont(register_font()).face
    chars = face.charToGlyph
    seen: dict[str, None] = {}
    for text in texts:
        for c in text:
            if c not in seen and not c.isspace() and ord(c) not in chars:
                seen[c] = None
    return list(seen)


def escape(text: str | None) -> str:
    """User text made safe for a Paragraph (its mini-markup), line breaks kept."""
    return _xml_escape(text or "").replace("\n", "<br/>")


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The house styles: title, heading, body, small, cell; all CJK-wrapped."""
    font = register_font()
    base = ParagraphStyle("body", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26,
                                alignment=TA_CENTER, spaceAfter=4 * mm),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, alignment=TA_CENTER,
                                   textColor=colors.HexColor("#444444"), spaceAfter=4 * mm),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12, leading=18,
                                  spaceBefore=3 * mm, spaceAfter=1 * mm),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=13),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=14),
    }


def render(story: list[Any], *, title: str, author: str = "") -> bytes:
    """Lay out the flowables on A4 and return the PDF bytes."""
    buffer = io.BytesIO()
    font = register_font()
    # The canvas's initial font would otherwise be Helvetica: a font not embedded.
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=20 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm, title=title,
                            author=author, creator="notary", initialFontName=font)

    def page_number(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buffer.getvalue()
