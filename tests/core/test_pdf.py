"""The shared PDF kernel: the ToUnicode map beyond the BMP, fonts as ordered stacks, runs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from reportlab.pdfbase import ttfonts
from reportlab.platypus import Paragraph

from notary.core import pdf


def test_the_to_unicode_map_writes_utf16_surrogate_pairs() -> None:
    cmap = pdf.to_unicode_cmap("AAAAAA+Font", [0x674E, 0x20BB7, 0x21484])
    assert "<00> <674E>" in cmap  # a BMP character: four digits, as before
    assert "<01> <D842DFB7>" in cmap and "<02> <D845DC84>" in cmap  # 𠮷 𡒄
    assert "<20BB7>" not in cmap
    assert "3 beginbfchar" in cmap and cmap.endswith("end\nend")
    # ReportLab's embedding looks the function up in its module: ours is the one it calls.
    assert ttfonts.makeToUnicodeCMap is pdf.to_unicode_cmap


def test_a_pdf_gives_back_extension_b_names_as_text(tmp_path: Path) -> None:
    data = pdf.render([Paragraph(pdf.escape("申请人：李𠮷、王𡒄"), pdf.styles()["body"])],
                      title="t", invariant=True)
    path = tmp_path / "names.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "申请人：李𠮷、王𡒄" in text


@pytest.mark.parametrize(("text", "stack", "expected"), [
    ("李明", pdf.SERIF, [("CJK-Song", "李明")]),
    ("李𠮷春", pdf.SERIF, [("CJK-Song", "李"), ("CJK-Han", "𠮷"), ("CJK-Song", "春")]),
    ("王𡒄 A", pdf.SANS, [("CJK", "王"), ("CJK-Han", "𡒄"), ("CJK", " A")]),
    ("刏", pdf.SERIF, [("CJK-Han", "刏")]),  # GBK, not in UMing: the Ming fallback
    ("𠀣", pdf.SERIF, [("CJK-HanaB", "𠀣")]),  # Extension B beyond BabelStone: Hanazono B
    ("张𰁁", pdf.SERIF, [("CJK-Song", "张"), (None, "𰁁")]),  # Extension G: no font
])
def test_text_is_cut_into_runs_of_the_first_font_that_has_them(
        text: str, stack: str, expected: list[tuple[str | None, str]]) -> None:
    assert pdf.runs(text, stack) == expected


def test_markup_wraps_runs_in_their_font_and_refuses_what_no_font_has() -> None:
    assert pdf.markup("李𠮷 & <x>", pdf.SERIF) == \
        '李<font name="CJK-Han">𠮷</font> &amp; &lt;x&gt;'
    with pytest.raises(pdf.MissingGlyphs) as refused:
        pdf.markup("张𰁁𰁁")
    assert refused.value.chars == ["𰁁"]
    assert "𰁁（U+30041）" in refused.value.message


def test_check_text_names_the_font_of_each_style() -> None:
    checked = {c.char: c for c in pdf.check_text("李𠮷 𰁁")}
    assert set(checked) == {"李", "𠮷", "𰁁"}
    assert checked["𠮷"].fonts == {pdf.SERIF: "CJK-Han", pdf.SANS: "CJK-Han"}
    assert checked["𠮷"].printable and not checked["𰁁"].printable
