"""PDF helpers shared by every domain: embedded TrueType fonts, text split into runs per font,
glyph checks, styles, escaping, rendering, the QR code, and the one answer every PDF route
gives when a character cannot print.

Fonts come as ordered lists (stacks): a character is drawn by the first font of the stack that
has it, so a name with a rare character (生僻字) or one beyond the Basic Multilingual Plane
(CJK Extension B and later, 𠮷 U+20BB7) prints in the same document as common text. ReportLab
embeds TrueType only (never CFF/OpenType outlines) and draws a box, silently, for a character
its font lacks; the built-in STSong-Light is never used, because it is not embedded. What no
font of the stack has is refused by name (MissingGlyphs), never dropped.

The certificate is set in a 宋体 (Ming) serif, the office's other documents in a 黑体 sans. A
fallback font is loaded the first time a character needs it (BabelStone Han alone is 50 MB in
memory), so a process that never prints a rare name never loads it.
"""

from __future__ import annotations

import io
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from flask_babel import lazy_gettext as _l
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

_TRUETYPE = Path("/usr/share/fonts/truetype")


@dataclass(frozen=True)
class FontFace:
    """One embedded TrueType font: the name ReportLab knows it by, and where it comes from."""

    name: str
    family: str
    style: str  # as an office names it: 宋体, 黑体
    package: str  # the Debian package (requirements/os-packages.txt, group run)
    path: Path
    licence: str


FACES: tuple[FontFace, ...] = (
    FontFace("CJK-Song", "AR PL UMing", "宋体（明体）", "fonts-arphic-uming",
             _TRUETYPE / "arphic/uming.ttc", "Arphic Public License"),
    FontFace("CJK", "WenQuanYi Zen Hei", "黑体", "fonts-wqy-zenhei",
             _TRUETYPE / "wqy/wqy-zenhei.ttc", "GPL-2 with font embedding exception"),
    # All of GBK and the unified ideographs, about a third of Extension B (the commoner
    # characters, 𠮷 𡒄 among them) and Extension G, in the same Ming style as UMing.
    FontFace("CJK-Han", "BabelStone Han", "宋体（明体）", "fonts-babelstone-han",
             _TRUETYPE / "babelstone/BabelStoneHan.ttf",
             "Arphic Public License; CC BY-SA for some symbols"),
    # Extension A (HanaMinA) and all but a handful of Extensions B to F (HanaMinB).
    FontFace("CJK-HanaA", "Hanazono Mincho A", "明朝体", "fonts-hanazono",
             _TRUETYPE / "hanazono/HanaMinA.ttf", "SIL Open Font License 1.1"),
    FontFace("CJK-HanaB", "Hanazono Mincho B", "明朝体", "fonts-hanazono",
             _TRUETYPE / "hanazono/HanaMinB.ttf", "SIL Open Font License 1.1"),
)
FACE_BY_NAME = {face.name: face for face in FACES}
SERIF, SANS = "serif", "sans"
# Each document style's fonts in the order a character is looked for: the style's own face,
# then the Ming fallbacks (so a rare character keeps the serif look), then the other style.
STACKS: dict[str, tuple[str, ...]] = {
    SERIF: ("CJK-Song", "CJK-Han", "CJK-HanaA", "CJK-HanaB", "CJK"),
    SANS: ("CJK", "CJK-Han", "CJK-HanaB", "CJK-Song"),
}
STACK_LABELS = {SERIF: _l("Certificates (宋体)"), SANS: _l("Other documents (黑体)")}
FONT_NAME = FONT = "CJK"  # the documents' face (黑体)
SERIF_FONT = "CJK-Song"  # the certificate's face (宋体)
_lock = threading.Lock()
_loaded: dict[str, TTFont | None] = {}  # name -> the registered font, None: not installed


# --- ReportLab's ToUnicode map, beyond the BMP ----------------------------------------------


def _utf16_hex(code: int) -> str:
    """A code point as UTF-16BE hex: four digits, or a surrogate pair beyond the BMP."""
    return chr(code).encode("utf-16-be").hex().upper()


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab 5.1's `makeToUnicodeCMap`, writing each character as UTF-16.

    ReportLab writes `"<%04X>" % code`, five hex digits for a character past U+FFFF, which a
    PDF reader takes as garbage (poppler reads 𠮷 U+20BB7 back as ₻ U+20BB): the glyph is
    drawn but the text cannot be copied or searched. A ToUnicode destination is UTF-16BE
    (PDF 32000-1 §9.10.3), so such a character is a surrogate pair. The same change, as a patch
    for ReportLab itself, is docs/reportlab-tounicode.patch.
    """
    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])


# The one place ReportLab is patched: its TrueType embedding looks the function up here.
ttfonts.makeToUnicodeCMap = to_unicode_cmap


# --- fonts, stacks and runs --------------------------------------------------------------------


class MissingGlyphs(DomainError):
    """The text holds characters no embedded font can draw (named in `chars`)."""

    def __init__(self, chars: list[str]) -> None:
        self.chars = chars
        super().__init__(unprintable_message(chars))


def describe_char(char: str) -> str:
    """A character as the refusal names it: 𠮷（U+20BB7）."""
    return f"{char}（U+{ord(char):04X}）"


def unprintable_message(chars: list[str]) -> str:
    """The one sentence every document gives for characters no font can draw."""
    from flask_babel import gettext as _

    return _("These characters cannot be printed with the installed fonts: %(chars)s. Ask "
             "the administrator to install a font that has them (Documents page), or ask the "
             "party how the name is written.", chars="、".join(describe_char(c) for c in chars))


def _load(name: str) -> TTFont | None:
    """The registered font, registering it the first time (about 0.1-0.4 s, once a process)."""
    if name in _loaded:
        return _loaded[name]
    with _lock:
        if name not in _loaded:
            face = FACE_BY_NAME[name]
            font = None
            if face.path.exists():
                font = TTFont(name, str(face.path), subfontIndex=0)
                pdfmetrics.registerFont(font)
            _loaded[name] = font
    return _loaded[name]


def installed(name: str) -> bool:
    """Whether the font's file is on this machine (without loading it)."""
    return FACE_BY_NAME[name].path.exists()


def primary_font(stack: str = SANS) -> str:
    """The first installed font of a stack: the one a style is set in."""
    for name in STACKS[stack]:
        if _load(name) is not None:
            return name
    raise DomainError("No CJK TrueType font is installed (scripts/os-packages run installs "
                      "them: " + " ".join(sorted({f.package for f in FACES})) + ").")


def register_fonts() -> None:
    """Register each style's own font (the fallbacks load when a character needs them)."""
    for stack in STACKS:
        primary_font(stack)


def register_font() -> str:
    """Register the fonts and return the documents' font name."""
    register_fonts()
    return primary_font(SANS)


def has_glyph(name: str, char: str) -> bool:
    """Whether the font (loaded if need be) draws the character."""
    font = _load(name)
    return font is not None and ord(char) in font.face.charToGlyph


@lru_cache(maxsize=32768)
def font_for(char: str, stack: str = SANS) -> str | None:
    """The first font of the stack that draws the character (None: none does)."""
    if char.isspace() or unicodedata.category(char) in {"Cc", "Cf"}:
        return primary_font(stack)  # drawn as nothing: any font will do
    return next((name for name in STACKS[stack] if has_glyph(name, char)), None)


def runs(text: str, stack: str = SANS) -> list[tuple[str | None, str]]:
    """The text cut into runs that one font draws: [(font name or None, text)]."""
    return [(font, "".join(chars))
            for font, chars in groupby(text, key=lambda c: font_for(c, stack))]


def missing_glyphs(texts: Iterable[str], stack: str = SANS) -> list[str]:
    """The characters no font of the stack can draw, each once, in order of appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for char in text:
            if char not in seen and font_for(char, stack) is None:
                seen[char] = None
    return list(seen)


def markup(text: str, stack: str = SANS) -> str:
    """User text escaped for a Paragraph, runs the style's own font lacks in their font.

    Raises MissingGlyphs naming every character that no font of the stack can draw.
    """
    if missing := missing_glyphs([text], stack):
        raise MissingGlyphs(missing)
    own = primary_font(stack)
    return "".join(_xml_escape(piece) if font == own else
                   f'<font name="{font}">{_xml_escape(piece)}</font>'
                   for font, piece in runs(text, stack))


def escape(text: str | None, stack: str = SANS) -> str:
    """User text made safe for a Paragraph (fallback fonts where needed), line breaks kept."""
    return markup(text or "", stack).replace("\n", "<br/>")


def draw_text(canvas: Any, x: float, y: float, text: str, size: float, *,
              stack: str = SANS, align: str = "left") -> None:
    """Draw one line on a canvas run by run (the canvas has no fallback of its own)."""
    if missing := missing_glyphs([text], stack):
        raise MissingGlyphs(missing)
    pieces = runs(text, stack)
    width = sum(pdfmetrics.stringWidth(piece, font or "", size) for font, piece in pieces)
    x -= {"left": 0, "centre": width / 2, "right": width}[align]
    for font, piece in pieces:
        canvas.setFont(font, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, font or "", size)


@dataclass(frozen=True)
class FontUse:
    """What the administrator's page shows for one font."""

    face: FontFace
    installed: bool
    glyphs: int  # characters it draws (0 when not installed)
    stacks: tuple[str, ...]  # the styles that use it


def fonts_in_use() -> list[FontUse]:
    """Every font of every stack, in order, with how many characters it draws."""
    out = []
    for face in FACES:
        font = _load(face.name)
        out.append(FontUse(face, font is not None, len(font.face.charToGlyph) if font else 0,
                           tuple(s for s, names in STACKS.items() if face.name in names)))
    return out


@dataclass(frozen=True)
class CharCheck:
    """One character of a checked string and the font each style would draw it in."""

    char: str
    code: str
    fonts: dict[str, str | None]  # stack -> font name, None: cannot print

    @property
    def printable(self) -> bool:
        return all(self.fonts.values())


def check_text(text: str) -> list[CharCheck]:
    """Each distinct non-space character of the text with the font each style would use."""
    seen = dict.fromkeys(c for c in text if not c.isspace())
    return [CharCheck(c, f"U+{ord(c):04X}", {s: font_for(c, s) for s in STACKS}) for c in seen]


@cache
def styles(stack: str = SANS) -> dict[str, ParagraphStyle]:
    """The house styles: title, heading, body, small, cell; all CJK-wrapped."""
    font = primary_font(stack)
    base = ParagraphStyle(f"{stack}-body", fontName=font, fontSize=11, leading=17,
                          wordWrap="CJK")
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


class _Document(SimpleDocTemplate):
    """SimpleDocTemplate with a hook after each page's flowables are drawn."""

    def __init__(self, *args: Any, page_end: Callable[[Any, Any], None] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._page_end = page_end

    def afterPage(self) -> None:  # ReportLab's hook name
        if self._page_end is not None:
            self._page_end(self.canv, self)


def render(story: list[Any], *, title: str, author: str = "",
           on_page: Callable[[Any, Any], None] | None = None, invariant: bool = False,
           bottom_margin: float = 20 * mm, pagesize: tuple[float, float] = A4,
           stack: str = SANS, on_page_end: Callable[[Any, Any], None] | None = None,
           page_numbers: bool = True) -> bytes:
    """Lay out the flowables and return the PDF bytes.

    `on_page(canvas, doc)` draws on every page after the page number; `on_page_end` after
    the page's flowables (what they set, e.g. the page's language, is known then);
    `invariant` leaves out the creation time and random id, so the same input gives the
    same bytes.
    """
    buffer = io.BytesIO()
    font = primary_font(stack)
    # The canvas's initial font would otherwise be Helvetica: a font not embedded.
    doc = _Document(buffer, pagesize=pagesize, leftMargin=25 * mm, rightMargin=20 * mm,
                    topMargin=20 * mm, bottomMargin=bottom_margin, title=title,
                    author=author, creator="notary", initialFontName=font,
                    invariant=int(invariant), page_end=on_page_end)

    def page_number(canvas: Any, document: Any) -> None:
        if page_numbers:
            canvas.saveState()
            canvas.setFont(font, 9)
            canvas.drawCentredString(pagesize[0] / 2, 12 * mm, f"第 {document.page} 页")
            canvas.restoreState()
        if on_page is not None:
            on_page(canvas, document)

    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buffer.getvalue()


def pdf_response(build: Callable[[], bytes], filename: str, *, back: str) -> Any:
    """Send the PDF the callable builds; where a character cannot print, every document gives
    the same page: the characters named, with a link back to where the text was entered."""
    from flask import make_response, render_template

    try:
        data = build()
    except MissingGlyphs as exc:
        page = render_template("errors/unprintable.html", chars=[
            (c, f"U+{ord(c):04X}") for c in exc.chars], back=back)
        return make_response(page, 409)
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f"inline; filename={filename}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


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
