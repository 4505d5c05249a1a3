"""The report's tables, one list shared by the page, CSV, XLSX and PDF (so they agree)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from notary.core import spreadsheets
from notary.statistics.queries import CATEGORY_NAMES, pick

HEADERS = ("分组", "项目", "本期", "上期", "去年同期")
DAILY_HEADERS = ("日期", "电话（人次）", "来访（人次）", "来信（人次）", "网络（人次）")
CHANNELS = ("phone", "visit", "letter", "online")


@dataclass(frozen=True)
class Row:
    label: str
    current: Any
    previous: Any = None
    year_before: Any = None
    compared: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: list[Row]


def text(value: Any) -> str:
    """A figure as every export writes it ('' for none)."""
    return "" if value is None else str(value)


def sections(figs: dict[str, Any]) -> list[Section]:
    """The report's sections and rows, in order."""
    comparison = (figs.get("comparison") or {}).get("figures", {})

    def row(label: str, key: str) -> Row:
        c = comparison.get(key)
        if c is None:
            return Row(label, pick(figs, key))
        return Row(label, c["current"], c["previous"], c["year_before"], compared=True)

    domestic = ("国内（含涉港澳台）" if figs.get("hmt_roll_up") == "domestic" else "国内")
    return [
        Section("concluded", "办结公证事项", [
            row("办结合计", "concluded.total"), row("出证", "concluded.issued"),
            row("不予办理", "concluded.refused"), row("终止（含撤回）", "concluded.terminated"),
            row("不予受理（申请，未计入办结）", "not_accepted")]),
        Section("certificates", "出具公证书（件）", [
            row("公证书合计（含补正）", "certificates_issued"),
            Row("其中涉港澳台", figs.get("certificates_hk_macao_taiwan"))]),
        Section("scope", "国内与涉外", [
            row(domestic, "domestic_total"), row("涉外", "foreign_total"),
            row("其中涉港澳台", "hk_macao_taiwan_total")]),
        Section("category", "按类别", [row(name, f"by_category.{name}")
                                     for name in CATEGORY_NAMES.values()]),
        Section("matter", "按公证事项", [Row(k, v) for k, v in figs["by_matter"].items()]),
        Section("notary", "按承办公证员", [Row(k, v) for k, v in figs["by_notary"].items()]),
        Section("fees", "法律援助与收费", [
            row("法律援助案件（件）", "legal_aid_cases"),
            row("减免公证费（元）", "fee_reduction_total"),
            row("收费收入：实收减退费（元）", "fee_income"),
            Row("其中实收（元）", figs["fee_received"]),
            Row("其中退费（元）", figs["fee_refunded"])]),
        Section("desk", "咨询接待（人次）", [
            row("电话咨询", "phone_consultation_persons"), row("来访接待", "visit_persons"),
            row("来信", "letter_persons"), row("网络咨询", "online_persons")]),
        Section("field", "调查核实与上门服务（件）", [
            row("调查核实", "investigations_done"), row("上门服务", "home_visits_done")]),
        Section("complaints", "投诉（件）", [
            row("收到投诉", "complaints_received"),
            Row("已答复", figs.get("complaints_answered"))]),
        Section("clock", "办理时限", [
            row("受理至出证平均工作日", "average_working_days"),
            row("按期办结率（%）", "on_time_rate")]),
        Section("trend", "月度办结趋势", [Row(k, v) for k, v in
                                         figs["monthly_concluded"].items()]),
    ]


def daily_rows(figs: dict[str, Any]) -> list[list[Any]]:
    """Consultations and visits by local date: [date, phone, visit, letter, online]."""
    return [[day, *(by.get(c, 0) for c in CHANNELS)]
            for day, by in figs["consultations_by_date"].items()]


def table(figs: dict[str, Any]) -> list[list[str]]:
    """Every line as text: the header and one line per row (CSV, XLSX and the tests)."""
    lines = [list(HEADERS)]
    for section in sections(figs):
        for r in section.rows:
            lines.append([section.title, r.label, text(r.current),
                          text(r.previous) if r.compared else "",
                          text(r.year_before) if r.compared else ""])
    return lines


def csv_text(figs: dict[str, Any]) -> str:
    """The report as CSV text (UTF-8; the download adds a BOM for Excel)."""
    buffer = io.StringIO()
    writer = spreadsheets.csv_writer(buffer, lineterminator="\r\n")
    writer.writerow([f"{figs['period']['title']}公证统计", figs["period"]["start"],
                     figs["period"]["end"]])
    writer.writerows(table(figs))
    return buffer.getvalue()


def xlsx_bytes(figs: dict[str, Any], office_name: str) -> bytes:
    """The report as an XLSX workbook: the same lines, figures as numbers."""
    from decimal import Decimal, InvalidOperation

    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "统计"
    spreadsheets.append(sheet, [f"{office_name} {figs['period']['title']}公证统计"])
    spreadsheets.append(sheet, [f"统计期间：{figs['period']['start']} 至 {figs['period']['end']}"])
    sheet["A1"].font = Font(bold=True, size=14)
    for n, line in enumerate(table(figs)):
        values: list[Any] = []
        for i, cell in enumerate(line):
            if n and i >= 2 and cell:
                try:
                    number = Decimal(cell)
                    values.append(int(number) if number == number.to_integral_value()
                                  and "." not in cell else float(number))
                    continue
                except InvalidOperation:
                    pass
            values.append(cell)
        spreadsheets.append(sheet, values)
        for i, cell_text in enumerate(line[2:], start=3):
            if n and "." in cell_text:  # money and averages keep their decimals
                sheet.cell(row=sheet.max_row, column=i).number_format = "0.00" if len(
                    cell_text.split(".")[1]) == 2 else "0.0"
        if n == 0:
            for c in sheet[sheet.max_row]:
                c.font = Font(bold=True, color="FFFFFF")
                c.fill = PatternFill("solid", fgColor="2F4A6D")
    for letter, width in zip("ABCDE", (22, 30, 14, 14, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    daily = book.create_sheet("咨询接待按日")
    spreadsheets.append(daily, DAILY_HEADERS)
    for row in daily_rows(figs):
        spreadsheets.append(daily, row)
    for cell in daily[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
