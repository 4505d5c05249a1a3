"""The statistics page renders with its charts, and the CSV, XLSX and PDF exports agree with it."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from openpyxl import load_workbook

from notary.core.permissions import Role
from tests.factories import create_staff
from tests.statistics.helpers import import_hand_built

QUERY = "kind=half&year=2025&half=1"
CSV_TITLES = {"办结公证事项": "concluded", "国内与涉外": "scope", "按类别": "category",
              "按公证事项": "matter", "按承办公证员": "notary", "法律援助与收费": "fees",
              "咨询接待（人次）": "desk", "调查核实与上门服务（件）": "field",
              "办理时限": "clock", "月度办结趋势": "trend", "出具公证书（件）": "certificates",
              "投诉（件）": "complaints"}


@pytest.fixture
def director(app: Any, login_as: Any) -> Any:
    create_staff(Role.NOTARY, full_name="谢文慧")
    import_hand_built(create_staff(Role.DIRECTOR))
    return login_as(Role.DIRECTOR)


def page_figures(html: str) -> dict[str, str]:
    """{section:label: value} of the page's tables."""
    return {unescape(k): v.strip() for k, v in
            re.findall(r'data-key="([^"]+)">([^<]*)</td>', html)}


def csv_figures(text: str) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[2:]
    return {f"{CSV_TITLES[r[0]]}:{r[1]}": (r[2] or "—") for r in rows}


def test_the_page_renders_with_charts_and_the_figures(director):
    response = director.get(f"/statistics/?{QUERY}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for chart in ("chart-category", "chart-matter", "chart-trend"):
        assert re.search(rf'id="{chart}"><svg [^>]*role="img"', html)
    assert "<script>" not in html.split("</main>")[0]  # no inline script (CSP)
    figures = page_figures(html)
    assert figures["concluded:办结合计"] == "7"
    assert figures["scope:国内（含涉港澳台）"] == "6"
    assert figures["fees:减免公证费（元）"] == "750.00"
    assert figures["desk:来访接待"] == "6"
    assert re.search(r'<details class="mt-3" id="daily">.*<td>2025-06-30</td><td class="text-end">2'
                     r"</td>", html, re.S)


def test_csv_xlsx_and_pdf_agree_with_the_page(director, tmp_path):
    figures = page_figures(director.get(f"/statistics/?{QUERY}").get_data(as_text=True))
    response = director.get(f"/statistics/report.csv?{QUERY}")
    assert response.mimetype == "text/csv"
    assert csv_figures(response.get_data(as_text=True)) == figures

    book = load_workbook(io.BytesIO(director.get(f"/statistics/report.xlsx?{QUERY}").data))
    sheet = book["统计"]
    rows = [[("" if v is None else str(v)) for v in r] for r in sheet.iter_rows(
        min_row=4, values_only=True)]
    from_xlsx = {f"{CSV_TITLES[r[0]]}:{r[1]}": (Decimal(r[2]) if r[2] else "—") for r in rows}
    assert from_xlsx == {k: (Decimal(v) if v != "—" else v) for k, v in figures.items()}
    assert sheet.cell(row=4 + list(from_xlsx).index("fees:减免公证费（元）"),
                      column=3).number_format == "0.00"
    daily = [list(r) for r in book["咨询接待按日"].iter_rows(min_row=2, values_only=True)]
    assert daily == [["2025-03-03", 0, 6, 0, 0], ["2025-04-01", 0, 0, 1, 0],
                     ["2025-06-30", 2, 0, 0, 0]]

    pdf = director.get(f"/statistics/report.pdf?{QUERY}")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout
    assert "2025年上半年公证统计报表" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts), fonts  # every font embedded
    for label in ("办结合计", "减免公证费（元）", "来访接待", "国内（含涉港澳台）"):
        line = next(line for line in text.splitlines() if label in line)
        key = next(k for k in figures if k.endswith(":" + label))
        assert line.split()[1] == figures[key], line


def test_a_mistyped_period_falls_back_with_a_message(director):
    response = director.get("/statistics/?kind=range&start=2025-13-01&end=x&year=abc")
    assert response.status_code == 400  # the page, with the message beside the field
    assert 'data-field-error="end"' in response.get_data(as_text=True)


def test_the_front_desk_cannot_see_statistics(app, login_as):
    assert login_as(Role.FRONT_DESK).get("/statistics/").status_code == 403


def test_a_notary_named_like_a_formula_is_text_in_the_csv_and_xlsx(director):
    import sqlalchemy as sa

    from notary.auth.models import User
    from notary.extensions import db

    formula = '=HYPERLINK("http://x","y")'
    from notary.ledger.models import LedgerCase

    db.session.execute(sa.update(User).where(User.full_name == "谢文慧")
                       .values(full_name=formula))
    db.session.execute(sa.update(LedgerCase).where(LedgerCase.handler_name == "谢文慧")
                       .values(handler_name=formula))
    db.session.commit()
    rows = list(csv.reader(io.StringIO(director.get(
        f"/statistics/report.csv?{QUERY}").get_data(as_text=True).lstrip("\ufeff"))))
    assert ["按承办公证员", "'" + formula] in [r[:2] for r in rows]
    book = load_workbook(io.BytesIO(director.get(f"/statistics/report.xlsx?{QUERY}").data))
    cells = [c for r in book["统计"].iter_rows() for c in r]
    assert all(c.data_type != "f" for c in cells)
    named = [c for c in cells if c.value == "'" + formula]
    assert named and named[0].data_type == "s"
    figure = book["统计"].cell(row=named[0].row, column=3)
    assert figure.data_type == "n"  # the figure beside it is still a number


def test_an_english_reader_reads_the_report_names_in_english_and_the_exports_stay_chinese(
        app: Any, login_as: Any) -> None:
    from notary.extensions import db

    director = create_staff(Role.DIRECTOR, locale="en")
    db.session.commit()
    client = login_as(director)
    html = client.get(f"/statistics/?{QUERY}").get_data(as_text=True)
    for english in ("Matters concluded", "Concluded in total", "Consultations (persons)",
                    "Walk-in visits", "Concluded by month", "Domestic civil"):
        assert english in html, english
    for chinese in ("<h2 class=\"h6 mt-3\">办结公证事项", "<td>办结合计", "月度办结趋势</h2>"):
        assert chinese not in html, chinese
    # Each figure keeps its key (the official name), and the CSV the official names.
    assert 'data-key="concluded:办结合计"' in html
    assert "办结公证事项" in client.get(f"/statistics/report.csv?{QUERY}").get_data(as_text=True)


def test_a_chinese_reader_reads_the_official_names(director: Any) -> None:
    html = director.get(f"/statistics/?{QUERY}").get_data(as_text=True)
    assert "<td>办结合计</td>" in html and "Concluded in total" not in html


def test_without_a_chosen_period_the_current_half_year_is_shown(director):
    from notary.core.models import office_today

    today = office_today()
    half = "上半年" if today.month <= 6 else "下半年"
    text = unescape(director.get("/statistics/").get_data(as_text=True))
    assert f"{today.year}年{half}公证统计" in text
    month = unescape(director.get("/statistics/?kind=month").get_data(as_text=True))
    assert f"{today.year}年{today.month}月" in month
