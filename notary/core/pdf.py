"""PDF helpers shared by every domain: an embedded CJK font, glyph checks, styles, escaping.

ReportLab's built-in STSong-Light is never used: it is not embedded, so a record would show
boxes (or a substituted font) elsewhere. WenQuanYi Zen Hei covers all of GBK; AR PL UMing is
the fallback. A character neither font has is refused with its name, never dropped silently.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import SimpleDocTemplate

from notary.core.errors import DomainError

FONT_NAME = FONT = "CJK"
FONT_FALLBACK = "CJK2"
# WenQuanYi Zen Hei covers all of GBK; AR PL UMing draws some characters it lacks.
PRIMARY_PATHS = (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
                 Path("/usr/share/fonts/truetype/arphic/uming.ttc"))
FALLBACK_PATHS = (Path("/usr/share/fonts/truetype/arphic/uming.ttc"),)
_lock = threading.Lock()
_registered: dict[str, bool] = {}


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be").hex().upper()  # a surrogate pair beyond the BMP


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode map, with characters beyond the BMP written as UTF-16.

    ReportLab writes such a character as five hex digits, which PDF readers reject: a rare
    name character (𠀡, Extension B, drawn by the fallback font) would not extract as text.
    """
    original = _make_to_unicode(fontname, [0] * len(subset))
    head, _, tail = original.partition("beginbfchar")
    head = head.rsplit("\n", 1)[0] + f"\n{len(subset)} beginbfchar"
    body = "\n".join(f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset))
    return head + "\n" + body + "\nendbfchar" + tail.split("endbfchar", 1)[1]


_make_to_unicode = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


class MissingGlyphs(DomainError):
    """The text holds characters no embedded font can draw (named in the message)."""


def register_fonts() -> None:
    """Register the embedded CJK fonts once per process (80-130 ms each)."""
    with _lock:
        if _registered:
            return
        for name, paths in ((FONT, PRIMARY_PATHS), (FONT_FALLBACK, FALLBACK_PATHS)):
            path = next((p for p in paths if p.exists()), None)
            if path is not None:
                pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
                _registered[name] = True
        if FONT not in _registered:
            raise DomainError("No CJK TrueType font is installed "
                              "(apt-get install fonts-wqy-zenhei).")


def register_font() -> str:
    """Register the fonts and return the main font's name."""
    register_fonts()
    return FONT


def _has(font: str, char: str) -> bool:
    return font in _registered and ord(char) in pdfmetrics.getFont(font).face.charToGlyph


def missing_glyphs(texts: Iterable[str]) -> list[str]:
    """The characters neither embedded font can draw (a 生僻字 would otherwise vanish)."""
    register_fonts()
    seen: dict[str, None] = {}
    for text in texts:
        for c in text:
            if c not in seen and not c.isspace() and not _has(FONT, c) \
                    and not _has(FONT_FALLBACK, c):
                seen[c] = None
    return list(seen)


def markup(text: str) -> str:
    """Escape user text for a Paragraph; characters only the fallback font has use it.

    Raises MissingGlyphs naming every character that neither font can draw.
    """
    if missing := missing_glyphs([text]):
        raise MissingGlyphs("、".join(missing))
    out = []
    for char in text:
        piece = _xml_escape(char)
        if not char.isspace() and not _has(FONT, char):
            piece = f'<font name="{FONT_FALLBACK}">{piece}</font>'
        out.append(piece)
    return "".join(out)


def escape(text: str | None) -> str:
    """User text made safe for a Paragraph (fallback font where needed), line breaks kept."""
    return markup(text or "").replace("\n", "<br/>")


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


def render(story: list[Any], *, title: str, author: str = "",
           on_page: Callable[[Any, Any], None] | None = None, invariant: bool = False,
           bottom_margin: float = 20 * mm) -> bytes:
    """Lay out the flowables on A4 and return the PDF bytes.

    `on_page(canvas, doc)` draws on every page after the page number (a certificate's QR
    code); `invariant` leaves out the creation time and random id, so the same input gives
    the same bytes.
    """
    buffer = io.BytesIO()
    font = register_font()
    # The canvas's initial font would otherwise be Helvetica: a font not embedded.
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=20 * mm,
                            topMargin=20 * mm, bottomMargin=bottom_margin, title=title,
                            author=author, creator="notary", initialFontName=font,
                            invariant=int(invariant))

    def page_number(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"第 {document.page} 页")
        canvas.restoreState()
        if on_page is not None:
            on_page(canvas, document)

    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buffer.getvalue()


QR_BORDER = 4  # modules of quiet zone around the code, as the QR specification asks


@lru_cache(maxsize=512)
def qr_runs(text: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The module count and dark runs (row, column, length) of a level-M QR code for text.

    Cached: an address always encodes to the same code, and a certificate prints it on every
    page. One fixed mask pattern instead of ReportLab's search over all eight: any mask
    decodes (the format bits name it), and the search took four fifths of a certificate's
    rendering time.
    """
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.version = qr.calculate_version()
    qr.makeImpl(False, 0)
    runs = []
    for r, row in enumerate(qr.modules):
        c = 0
        for dark, group in groupby(bool(m) for m in row):
            n = len(list(group))
            if dark:
                runs.append((r, c, n))
            c += n
    return qr.getModuleCount(), tuple(runs)


def draw_qr(canvas: Any, text: str, x: float, y: float, size: float) -> None:
    """Draw a QR code for text as one vector path, quiet zone included, lower left at (x, y)."""
    count, runs = qr_runs(text)
    box = size / (count + 2 * QR_BORDER)
    path = canvas.beginPath()
    for r, c, n in runs:
        path.rect(x + (c + QR_BORDER) * box, y + size - (r + QR_BORDER + 1) * box, n * box, box)
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
