"""The statistics page's words in the reader's language.

The report's tables (exports.sections) keep the Chinese names of the official report: the
CSV, XLSX and PDF sent to the justice bureau use them, and so does each figure's key
(data-key, the submitted figures). The page shows each name through this catalogue, so a
director reading English reads English headings and rows; matter and staff names stay as
they are (content).
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from notary.cases.models import Category
from notary.statistics.queries import CATEGORY_NAMES

LABELS: dict[str, Any] = {
    "办结公证事项": _l("Matters concluded"), "办结合计": _l("Concluded in total"),
    "出证": _l("Certificate issued"), "不予办理": _l("Refused"),
    "终止（含撤回）": _l("Terminated (withdrawals included)"),
    "不予受理（申请，未计入办结）": _l("Not accepted (applications, not counted as concluded)"),
    "出具公证书（件）": _l("Certificates issued"),
    "公证书合计（含补正）": _l("Certificates in total (corrections included)"),
    "其中涉港澳台": _l("of which Hong Kong, Macao and Taiwan"),
    "国内与涉外": _l("Domestic and foreign"), "国内": _l("Domestic"),
    "国内（含涉港澳台）": _l("Domestic (Hong Kong, Macao and Taiwan included)"),
    "涉外": _l("Foreign"), "按类别": _l("By category"), "按公证事项": _l("By matter"),
    "按承办公证员": _l("By notary"), "法律援助与收费": _l("Legal aid and fees"),
    "法律援助案件（件）": _l("Legal aid cases"),
    "减免公证费（元）": _l("Fees reduced or waived (yuan)"),
    "收费收入：实收减退费（元）": _l("Fee income: received less refunded (yuan)"),
    "其中实收（元）": _l("of which received (yuan)"),
    "其中退费（元）": _l("of which refunded (yuan)"),
    "咨询接待（人次）": _l("Consultations (persons)"), "电话咨询": _l("Phone consultations"),
    "来访接待": _l("Walk-in visits"), "来信": _l("Letters"), "网络咨询": _l("Online consultations"),
    "调查核实与上门服务（件）": _l("Investigations and home visits"),
    "调查核实": _l("Investigations"), "上门服务": _l("Home visits"),
    "投诉（件）": _l("Complaints"), "收到投诉": _l("Complaints received"),
    "已答复": _l("Answered"), "办理时限": _l("Time limits"),
    "受理至出证平均工作日": _l("Average working days from acceptance to certificate"),
    "按期办结率（%）": _l("Concluded on time (%)"), "月度办结趋势": _l("Concluded by month"),
    "按类别办结": _l("Concluded by category"),
    "按公证事项办结（前12项）": _l("Concluded by matter (top 12)"),
    "日期": _l("Date"), "电话（人次）": _l("Phone (persons)"),
    "来访（人次）": _l("Visits (persons)"),
    "来信（人次）": _l("Letters (persons)"), "网络（人次）": _l("Online (persons)"),
}
_CATEGORIES: dict[str, Category] = {name: c for c, name in CATEGORY_NAMES.items()}
_MONTH = re.compile(r"^(\d{2})月$")


def shown(text: str) -> str:
    """A name of the report as the page shows it in the reader's language (in Chinese, the
    report's own name)."""
    if not str(get_locale() or "").startswith("en"):
        return text
    if text in LABELS:
        return str(LABELS[text])
    if text in _CATEGORIES:
        return str(_CATEGORIES[text].label)
    month = _MONTH.match(text)
    if month:
        return str(_l("Month %(month)s", month=month.group(1)))
    return text


def shown_items(items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """A chart's items with their names as the page shows them."""
    return [(shown(name), n) for name, n in items]
