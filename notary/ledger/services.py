"""Import the office's ledger (台账): read, check every row, then write all of it or nothing.

Cases (sheet 案件) and consultations (sheet 咨询接待) come from an XLSX workbook or from CSV
files (UTF-8, with or without BOM; the header tells which kind). A row already imported is
skipped, so importing the same file twice adds nothing: cases are known by their acceptance
number, consultations by a key made of their content (and how many identical rows precede
them in the file). Imported certificate numbers go into Case.certificate_number, which is
unique: no numbering service can issue them again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import math
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from notary.auth.models import User
from notary.cases.models import (
    Case,
    CaseParticipant,
    Category,
    MatterType,
    ParticipantRole,
    Urgency,
    case_matters,
)
from notary.cases.queries import OFFICE_TZ
from notary.cases.rules import CaseStatus, ClosingType
from notary.consultations.models import CHANNEL_WORDS, OUTCOME_WORDS, Consultation, Outcome
from notary.core import audit, spreadsheets
from notary.core.models import utcnow
from notary.core.permissions import Permission, ensure_permitted
from notary.core.sequences import NumberSequence, next_value
from notary.extensions import db
from notary.ledger.models import LedgerCase
from notary.parties.models import Party, PartyKind
from notary.parties.rules import DocumentType

CASE_SHEET, CONSULTATION_SHEET = "案件", "咨询接待"
CASE_COLUMNS = ("受理号", "受理日期", "公证事项", "类别", "使用地", "申请人", "证件类型",
                "证件号码", "承办公证员", "结案方式", "办结日期", "公证书编号", "收费金额",
                "减免金额", "减免原因", "法律援助")
CONSULTATION_COLUMNS = ("日期", "方式", "人数", "事项", "接待人", "处理结果")
CATEGORY_WORDS = {"国内民事": Category.DOMESTIC_CIVIL, "国内经济": Category.DOMESTIC_ECONOMIC,
                  "涉外民事": Category.FOREIGN_CIVIL, "涉外经济": Category.FOREIGN_ECONOMIC,
                  "涉港": Category.HONG_KONG, "涉澳": Category.MACAO, "涉台": Category.TAIWAN}
CLOSING_WORDS = {"出证": ClosingType.ISSUED, "不予办理": ClosingType.REFUSED,
                 "终止": ClosingType.TERMINATED, "撤回": ClosingType.WITHDRAWN}
CLOSED_STATUS = {ClosingType.ISSUED: CaseStatus.ARCHIVED, ClosingType.REFUSED: CaseStatus.REFUSED,
                 ClosingType.TERMINATED: CaseStatus.TERMINATED,
                 ClosingType.WITHDRAWN: CaseStatus.WITHDRAWN}
DOCUMENT_WORDS = {"居民身份证": DocumentType.RESIDENT_ID, "身份证": DocumentType.RESIDENT_ID,
                  "护照": DocumentType.PASSPORT,
                  "港澳居民来往内地通行证": DocumentType.HK_MACAO_PERMIT,
                  "台湾居民来往大陆通行证": DocumentType.TAIWAN_PERMIT,
                  "外国人永久居留身份证": DocumentType.FOREIGN_PERMANENT_RESIDENT,
                  "统一社会信用代码": DocumentType.USCC}
NUMBER_RE = re.compile(r"[（(](\d{4})[）)].*?第0*(\d+)号")
PLAIN_WHEN_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?\Z", re.ASCII)
BATCH = 1000  # rows per round of multi-row INSERTs (and per progress step)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # the row number as the spreadsheet shows it (the header is row 1)
    reason: str


@dataclass
class Ledger:
    """The raw rows of a ledger: (row number, {column: text}) per sheet."""

    cases: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    consultations: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    source: str = ""


@dataclass(frozen=True)
class CaseRow:
    row: int
    number: str
    year: int | None
    seq: int | None
    accepted_at: datetime
    matter_ids: tuple[int, ...]
    category: Category
    place_of_use: str | None
    applicant: str
    document_type: DocumentType
    document_number: str
    notary_id: int | None
    handler_name: str | None
    closing: ClosingType | None
    closed_at: datetime | None
    certificate_number: str | None
    fee: Decimal
    reduction: Decimal
    reduction_reason: str | None
    legal_aid: bool


@dataclass(frozen=True)
class ConsultationRow:
    row: int
    key: str
    received_at: datetime
    channel: Any
    persons: int
    topic: str
    taken_by_id: int | None
    taken_by_name: str | None
    outcome: Outcome
    outcome_text: str | None = None  # the ledger's own words when they were not a known one


@dataclass
class ImportResult:
    cases: list[CaseRow] = field(default_factory=list)
    consultations: list[ConsultationRow] = field(default_factory=list)
    skipped_cases: int = 0
    skipped_consultations: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Rows imported all the same, with what the office should know (an outcome not in the list).
    warnings: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading ---------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time.min else \
            value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().strip("\u3000").strip()


def _rows(header: Sequence[Any], body: Iterable[Sequence[Any]], first_row: int
          ) -> list[tuple[int, dict[str, Any]]]:
    names = [_text(h) for h in header]
    out = []
    for n, values in enumerate(body, start=first_row):
        row = {name: _text(v) for name, v in zip(names, values, strict=False) if name}
        if any(row.values()):
            out.append((n, row))
    return out


@dataclass(frozen=True)
class Limits:
    """How much of a sheet is read: rows after the header, columns (settings LEDGER_MAX_*)."""

    rows: int = 100_000
    columns: int = 40

    @classmethod
    def from_config(cls) -> Limits:
        from flask import current_app, has_app_context

        if not has_app_context():
            return cls()
        return cls(int(current_app.config.get("LEDGER_MAX_ROWS", cls.rows)),
                   int(current_app.config.get("LEDGER_MAX_COLUMNS", cls.columns)))


def read_ledger(files: Sequence[tuple[str, bytes]], limits: Limits | None = None) -> Ledger:
    """Read XLSX workbooks and CSV files into raw rows (unreadable files become errors)."""
    limits = limits or Limits.from_config()
    ledger = Ledger(source=", ".join(name for name, _c in files)[:255])
    for name, content in files:
        if name.lower().endswith(".xlsx"):
            _read_xlsx(name, content, ledger, limits)
        elif name.lower().endswith(".csv"):
            _read_csv(name, content, ledger, limits)
        else:
            ledger.errors.append(RowError(name, 0, _("Only XLSX workbooks and CSV files can be "
                                                      "imported.")))
    return ledger


def _read_xlsx(name: str, content: bytes, ledger: Ledger, limits: Limits) -> None:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        ledger.errors.append(RowError(name, 0, _("The file is not a readable XLSX workbook.")))
        return
    found = False
    try:
        for sheet_name, target in ((CASE_SHEET, ledger.cases),
                                   (CONSULTATION_SHEET, ledger.consultations)):
            if sheet_name not in book.sheetnames:
                continue
            found = True
            _read_sheet(book, book[sheet_name], target, ledger.errors, limits)
    except Exception:  # a damaged sheet inside a readable zip (bad XML, bad shared string)
        ledger.errors.append(RowError(name, 0, _("The file is not a readable XLSX workbook.")))
        return
    finally:
        book.close()
    if not found:
        ledger.errors.append(RowError(name, 0, _("The workbook has neither a sheet named 案件 "
                                                  "nor one named 咨询接待.")))


class _NoValue:
    """A formula cell saved without its calculated value (data_only finds nothing)."""


class _BadNumber(str):
    """A numeric cell whose text is no finite number (NaN, INF, 1E999)."""


def _sheet_parser() -> type:
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            try:
                cell: dict[str, Any] = super().parse_cell(element)
            except (ValueError, OverflowError):  # "NaN", "INF": openpyxl's int() refuses them
                coordinate = element.get("r")
                row, column = (coordinate_to_tuple(coordinate) if coordinate
                               else (self.row_counter, self.col_counter))
                return {"row": row, "column": column, "data_type": "n", "style_id": 0,
                        "value": _BadNumber(element.findtext(VALUE_TAG) or "")}
            value = cell["value"]
            if value is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = _NoValue()
            elif isinstance(value, float) and not math.isfinite(value):
                cell["value"] = _BadNumber(element.findtext(VALUE_TAG) or str(value))
            return cell

    return Parser


def _read_sheet(book: Any, sheet: Any, target: list[tuple[int, dict[str, Any]]],
                errors: list[RowError], limits: Limits) -> None:
    """Stream one sheet's rows: never the declared dimension, at most limits.rows rows after
    the header and limits.columns columns; a bad cell is an error naming its row and column.

    openpyxl's own read-only iter_rows pads every row to the declared dimension (A1:XFD20001
    is 16,384 columns by 20,001 rows), so the rows are taken from its parser directly.
    """
    from openpyxl.utils.cell import get_column_letter

    parser = _sheet_parser()(sheet._get_source(), sheet._shared_strings, data_only=True,
                             epoch=book.epoch, date_formats=book._date_formats,
                             timedelta_formats=book._timedelta_formats)
    header: list[str] | None = None
    cells_seen, cell_budget = 0, (limits.rows + 1) * limits.columns * 4
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of a date serial out of range
        try:
            for n, cells in parser.parse():
                cells_seen += len(cells)
                if cells_seen > cell_budget:
                    errors.append(RowError(sheet.title, n, _(
                        "The sheet has too many cells; at most %(rows)d rows of %(columns)d "
                        "columns are read.", rows=limits.rows, columns=limits.columns)))
                    return
                values: dict[int, Any] = {}
                for cell in cells:
                    if cell["value"] is None or cell["value"] == "":
                        continue
                    if cell["column"] > limits.columns:
                        errors.append(RowError(sheet.title, n, _(
                            "Cell %(cell)s is past the last column read (%(last)s); remove "
                            "what is there.", cell=f"{get_column_letter(cell['column'])}{n}",
                            last=get_column_letter(limits.columns))))
                        continue
                    values[cell["column"]] = cell
                if header is None:
                    if not values:
                        continue
                    header = [_text(values[c]["value"]) if c in values else ""
                              for c in range(1, max(values, default=0) + 1)]
                    continue
                if not values:
                    continue
                if n - 1 > limits.rows:
                    errors.append(RowError(sheet.title, n, _(
                        "The sheet has more than %(rows)d rows; split it into several files.",
                        rows=limits.rows)))
                    return
                row: dict[str, Any] = {}
                for column, cell in values.items():
                    title = header[column - 1] if column <= len(header) else ""
                    problem = _cell_problem(cell)
                    if problem:
                        errors.append(RowError(sheet.title, n, _(
                            "%(column)s (cell %(cell)s): %(problem)s",
                            column=title or get_column_letter(column),
                            cell=f"{get_column_letter(column)}{n}", problem=problem)))
                    elif title:
                        row[title] = _text(cell["value"])
                if any(row.values()):
                    target.append((n, row))
        finally:
            parser.source.close()


def _cell_problem(cell: dict[str, Any]) -> str | None:
    value = cell["value"]
    if isinstance(value, _NoValue):
        return _("a formula saved without its result; save the file in the spreadsheet "
                 "program again, or type the value.")
    if isinstance(value, _BadNumber):
        return _("%(value)s is not a number.", value=str(value)[:20])
    if cell["data_type"] == "e":
        return _("the cell holds the error %(value)s.", value=str(value)[:20])
    return None


def _read_csv(name: str, content: bytes, ledger: Ledger, limits: Limits) -> None:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        ledger.errors.append(RowError(name, 0, _("The CSV file is not UTF-8 text (save it as "
                                                  "CSV UTF-8).")))
        return
    reader = csv.reader(io.StringIO(text))
    rows = list(itertools.islice(reader, limits.rows + 2))
    if not rows:
        return
    if len(rows) > limits.rows + 1:
        ledger.errors.append(RowError(name, limits.rows + 2, _(
            "The sheet has more than %(rows)d rows; split it into several files.",
            rows=limits.rows)))
        return
    if max(len(r) for r in rows) > limits.columns:
        ledger.errors.append(RowError(name, 1, _(
            "The file has more than %(columns)d columns.", columns=limits.columns)))
        return
    header = [_text(h) for h in rows[0]]
    if "受理号" in header:
        ledger.cases.extend(_rows(header, rows[1:], 2))
    elif "方式" in header:
        ledger.consultations.extend(_rows(header, rows[1:], 2))
    else:
        ledger.errors.append(RowError(name, 1, _("The header names neither the case columns "
                                                  "nor the consultation columns.")))


# --- checking --------------------------------------------------------------------------------


EARLIEST_YEAR, LATEST_YEAR = 1949, 2100  # a ledger date outside these is a typing error
MAX_SEQ = 2**31 - 1  # the acceptance counter's column (a 32-bit integer)


def _date_checked(column: str, text: str, problems: list[str]) -> datetime | None:
    """_when, with the problem named: not a date, or a year no ledger can hold."""
    when = _when(text)
    if when is None:
        problems.append(_("%(column)s must be YYYY-MM-DD or YYYY-MM-DD HH:MM.", column=column))
    elif not EARLIEST_YEAR <= when.year <= LATEST_YEAR:
        problems.append(_("%(column)s %(value)s is not a year from %(first)d to %(last)d.",
                          column=column, value=text, first=EARLIEST_YEAR, last=LATEST_YEAR))
        return None
    return when


def _when(text: str) -> datetime | None:
    """A local 'YYYY-MM-DD' (its first minute) or 'YYYY-MM-DD HH:MM' as an aware instant."""
    plain = PLAIN_WHEN_RE.match(text)  # the usual spelling, without strptime's cost
    if plain:
        try:
            year, month, day, hour, minute = plain.groups()
            return datetime(int(year), int(month), int(day), int(hour or 0),
                            int(minute or 0), tzinfo=OFFICE_TZ)
        except ValueError:
            pass  # e.g. month 13: the formats below decide, as for any other text
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y/%m/%d %H:%M",
                "%Y/%m/%d"):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.replace(tzinfo=OFFICE_TZ)
    return None


def _amount(text: str) -> Decimal | None:
    if not text:
        return Decimal("0.00")
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):  # NaN, Infinity, absurd
        return None
    if value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return value.quantize(Decimal("0.01"))


class _Lookups:
    """The names the rows refer to, loaded once."""

    def __init__(self) -> None:
        self.matters = {name: i for i, name in db.session.execute(
            sa.select(MatterType.id, MatterType.name))}
        self.matters.update({code: i for i, code in db.session.execute(
            sa.select(MatterType.id, MatterType.code))})
        self.staff: dict[str, int] = {}
        for uid, full_name in db.session.execute(sa.select(User.id, User.full_name)
                                                 .order_by(User.id)):
            self.staff.setdefault(full_name, uid)


# The longest text each column's database field holds (a longer one is refused by name).
MAX_LENGTHS = {"受理号": 64, "使用地": 100, "申请人": 200, "证件号码": 64, "承办公证员": 64,
               "公证书编号": 80, "减免原因": 200, "接待人": 64}


def _too_long(r: dict[str, Any]) -> list[str]:
    return [_("%(column)s is longer than %(n)d characters.", column=column, n=n)
            for column, n in MAX_LENGTHS.items() if len(r.get(column, "")) > n]


def check_cases(rows: list[tuple[int, dict[str, Any]]], lookups: _Lookups,
                errors: list[RowError]) -> tuple[list[CaseRow], int]:
    """Validate the case rows; return the new ones and how many were imported before."""
    numbers = [r.get("受理号", "") for _n, r in rows]
    known = _existing_numbers([n for n in numbers if n])
    certificates = sorted({r.get("公证书编号", "") for _n, r in rows} - {""})
    taken: set[str | None] = set()
    for i in range(0, len(certificates), 500):
        taken.update(db.session.scalars(sa.select(Case.certificate_number).where(
            Case.certificate_number.in_(certificates[i:i + 500]))))
    seen_numbers: set[str] = set()
    seen_certificates: set[str] = set()
    out, skipped = [], 0
    for n, r in rows:
        problems: list[str] = _too_long(r)
        number = r.get("受理号", "")
        if not number:
            problems.append(_("受理号 is empty."))
        elif number in seen_numbers:
            problems.append(_("受理号 %(n)s appears twice in the file.", n=number))
        seen_numbers.add(number)
        if number in known:
            if known[number]:
                skipped += 1
                continue
            problems.append(_("受理号 %(n)s belongs to a case registered in this system.",
                              n=number))
        accepted = _date_checked("受理日期", r.get("受理日期", ""), problems)
        match = NUMBER_RE.search(number)
        if match and (len(match.group(2)) > 10 or int(match.group(2)) > MAX_SEQ
                      or not EARLIEST_YEAR <= int(match.group(1)) <= LATEST_YEAR):
            problems.append(_("受理号 %(n)s: the year or the serial number is out of range.",
                              n=number[:60]))
            match = None
        matter_ids = []
        for word in re.split(r"[、，,;；/]+", r.get("公证事项", "")):
            if word.strip():
                if word.strip() in lookups.matters:
                    matter_ids.append(lookups.matters[word.strip()])
                else:
                    problems.append(_("公证事项 %(m)s is not in the catalogue of matters.",
                                      m=word.strip()))
        if not r.get("公证事项", "").strip():
            problems.append(_("公证事项 is empty."))
        category = CATEGORY_WORDS.get(r.get("类别", ""))
        if category is None:
            problems.append(_("类别 must be one of %(words)s.", words="、".join(CATEGORY_WORDS)))
        place = r.get("使用地", "") or None
        if category is not None and category.needs_place_of_use and not place:
            problems.append(_("使用地 is required for a foreign or HK/Macao/Taiwan case."))
        if not r.get("申请人", ""):
            problems.append(_("申请人 is empty."))
        doc_type = DOCUMENT_WORDS.get(r.get("证件类型", ""))
        if doc_type is None:
            problems.append(_("证件类型 must be one of %(words)s.",
                              words="、".join(DOCUMENT_WORDS)))
        if not r.get("证件号码", ""):
            problems.append(_("证件号码 is empty."))
        closing_word = r.get("结案方式", "")
        closing = CLOSING_WORDS.get(closing_word) if closing_word else None
        if closing_word and closing is None:
            problems.append(_("结案方式 must be 出证, 不予办理, 终止, 撤回 or empty."))
        closed = _date_checked("办结日期", r["办结日期"], problems) if r.get("办结日期") else None
        if closing is not None and closed is None and not r.get("办结日期"):
            problems.append(_("办结日期 is required when 结案方式 is given."))
        if closing is None and closed is not None:
            problems.append(_("办结日期 is given but 结案方式 is empty."))
        if closed is not None and accepted is not None and (
                closed.astimezone(OFFICE_TZ).date() < accepted.astimezone(OFFICE_TZ).date()):
            problems.append(_("办结日期 is before 受理日期."))
        certificate = r.get("公证书编号", "") or None
        if certificate:
            if closing is not ClosingType.ISSUED:
                problems.append(_("公证书编号 is given but the case was not closed by 出证."))
            if certificate in seen_certificates:
                problems.append(_("公证书编号 %(c)s appears twice in the file.", c=certificate))
            if certificate in taken:
                problems.append(_("公证书编号 %(c)s is already used.", c=certificate))
            seen_certificates.add(certificate)
        fee, reduction = _amount(r.get("收费金额", "")), _amount(r.get("减免金额", ""))
        if fee is None:
            problems.append(_("收费金额 must be an amount in yuan, e.g. 200 or 200.50."))
        if reduction is None:
            problems.append(_("减免金额 must be an amount in yuan, e.g. 200 or 200.50."))
        aid_word = r.get("法律援助", "")
        if aid_word not in ("", "是", "否"):
            problems.append(_("法律援助 must be 是, 否 or empty."))
        handler = r.get("承办公证员", "") or None
        if problems:
            errors.extend(RowError(CASE_SHEET, n, p) for p in problems)
            continue
        assert accepted is not None and category is not None and doc_type is not None
        assert fee is not None and reduction is not None
        out.append(CaseRow(
            row=n, number=number, year=int(match.group(1)) if match else None,
            seq=int(match.group(2)) if match else None, accepted_at=accepted,
            matter_ids=tuple(dict.fromkeys(matter_ids)), category=category,
            place_of_use=place, applicant=r["申请人"], document_type=doc_type,
            document_number=r["证件号码"],
            notary_id=lookups.staff.get(handler) if handler else None,
            handler_name=handler if handler and handler not in lookups.staff else None,
            closing=closing, closed_at=closed, certificate_number=certificate, fee=fee,
            reduction=reduction, reduction_reason=r.get("减免原因", "") or None,
            legal_aid=aid_word == "是"))
    return out, skipped


def _existing_numbers(numbers: list[str]) -> dict[str, bool]:
    """Acceptance number -> whether that case came from a ledger import."""
    out: dict[str, bool] = {}
    for i in range(0, len(numbers), 500):
        chunk = numbers[i:i + 500]
        for number, ledger_id in db.session.execute(
                sa.select(Case.acceptance_number, LedgerCase.id)
                .outerjoin(LedgerCase, LedgerCase.case_id == Case.id)
                .where(Case.acceptance_number.in_(chunk))):
            if number is not None:
                out[number] = ledger_id is not None
    return out


# Words inside a free-text 处理结果 that tell which outcome it is (first match wins).
OUTCOME_HINTS = (("办证", Outcome.APPLICATION), ("预约", Outcome.APPOINTMENT),
                 ("转介", Outcome.REFERRED), ("转", Outcome.REFERRED), ("解答", Outcome.ANSWERED),
                 ("答复", Outcome.ANSWERED))


def classify_outcome(text: str) -> tuple[Outcome, bool]:
    """(outcome, known): a listed word, else a hint inside the text, else 解答 (as empty)."""
    if not text:
        return Outcome.ANSWERED, True
    if text in OUTCOME_WORDS:
        return OUTCOME_WORDS[text], True
    for hint, outcome in OUTCOME_HINTS:
        if hint in text:
            return outcome, False
    return Outcome.ANSWERED, False


def check_consultations(rows: list[tuple[int, dict[str, Any]]], lookups: _Lookups,
                        errors: list[RowError], warnings: list[RowError] | None = None
                        ) -> tuple[list[ConsultationRow], int]:
    """Validate the consultation rows; return the new ones and how many were imported before."""
    seen: dict[str, int] = {}
    candidates = []
    for n, r in rows:
        problems = _too_long(r)
        received = _date_checked("日期", r.get("日期", ""), problems)
        channel = CHANNEL_WORDS.get(r.get("方式", ""))
        if channel is None:
            problems.append(_("方式 must be 电话, 来访, 信函 or 网络."))
        persons_text = r.get("人数", "") or "1"
        persons = int(persons_text) if re.fullmatch(r"\d{1,4}", persons_text, re.ASCII) else 0
        if not 1 <= persons <= 500:
            problems.append(_("人数 must be a whole number from 1 to 500."))
        topic = r.get("事项", "")
        if not topic:
            problems.append(_("事项 is empty."))
        outcome_word = r.get("处理结果", "")
        outcome, known_word = classify_outcome(outcome_word)
        if problems:
            errors.extend(RowError(CONSULTATION_SHEET, n, p) for p in problems)
            continue
        content = "\x1f".join(r.get(c, "") for c in CONSULTATION_COLUMNS)
        seen[content] = seen.get(content, 0) + 1
        key = hashlib.sha256(f"{content}\x1e{seen[content]}".encode()).hexdigest()
        person = r.get("接待人", "") or None
        assert received is not None
        if not known_word and warnings is not None:
            warnings.append(RowError(CONSULTATION_SHEET, n, _(
                "处理结果 “%(text)s” is not one of 解答, 转介, 预约, 申请办证: imported as "
                "written and counted as “%(outcome)s” (the persons count whatever the outcome).",
                text=outcome_word[:100], outcome=str(outcome.label))))
        candidates.append(ConsultationRow(
            row=n, key=key, received_at=received, channel=channel, persons=persons,
            topic=topic[:200], taken_by_id=lookups.staff.get(person) if person else None,
            taken_by_name=person if person and person not in lookups.staff else None,
            outcome=outcome, outcome_text=None if known_word else outcome_word[:500]))
    known: set[str] = set()
    keys = [c.key for c in candidates]
    for i in range(0, len(keys), 500):
        known.update(db.session.scalars(sa.select(Consultation.import_key)
                                        .where(Consultation.import_key.in_(keys[i:i + 500]))))
    new = [c for c in candidates if c.key not in known]
    return new, len(candidates) - len(new)


def check_ledger(ledger: Ledger) -> ImportResult:
    """The dry run: every bad row with its number and reason, and what would be added."""
    lookups = _Lookups()
    result = ImportResult(errors=list(ledger.errors))
    result.cases, result.skipped_cases = check_cases(ledger.cases, lookups, result.errors)
    result.consultations, result.skipped_consultations = check_consultations(
        ledger.consultations, lookups, result.errors, result.warnings)
    result.errors.sort(key=lambda e: (e.sheet, e.row))
    result.warnings.sort(key=lambda e: (e.sheet, e.row))
    return result


# --- writing ---------------------------------------------------------------------------------


def import_ledger(ledger: Ledger, *, actor: Any, dry_run: bool = False,
                  progress: Progress | None = None) -> ImportResult:
    """Import the ledger: all rows or, if any row is bad, none (one transaction)."""
    ensure_permitted(actor, Permission.LEDGER_IMPORT)
    if dry_run:
        return check_ledger(ledger)
    for step in import_steps(ledger, actor=actor):
        if isinstance(step, ImportResult):
            return step
        if progress:
            progress(*step)
    raise AssertionError("import_steps ends with its result")  # pragma: no cover


def import_steps(ledger: Ledger, *, actor: Any) -> Iterator[tuple[int, int] | ImportResult]:
    """Import stepwise: (rows written, rows to write) after each batch, then the result.

    One transaction: committed after the last batch; rolled back on any error, and when the
    caller stops early (a browser that goes away closes the generator).
    """
    ensure_permitted(actor, Permission.LEDGER_IMPORT)
    result = check_ledger(ledger)
    if not result.ok:
        yield result
        return
    try:
        yield from write_rows(result, source=ledger.source, actor_id=actor.id)
        audit.record(db.session, actor, "ledger.import", actor,
                     after={"source": ledger.source, "cases": len(result.cases),
                            "consultations": len(result.consultations),
                            "skipped": result.skipped_cases + result.skipped_consultations})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    result.written = True
    yield result


def write_rows(result: ImportResult, *, source: str, actor_id: int | None
               ) -> Iterator[tuple[int, int]]:
    """Insert the checked rows in batches, yielding progress (flushes only: the caller
    commits)."""
    total = len(result.cases) + len(result.consultations)
    done = 0
    for i in range(0, len(result.cases), BATCH):
        batch = result.cases[i:i + BATCH]
        _write_cases(batch, source, actor_id)
        done += len(batch)
        yield done, total
    for i in range(0, len(result.consultations), BATCH):
        batch_c = result.consultations[i:i + BATCH]
        db.session.execute(sa.insert(Consultation), [
            {"received_at": c.received_at, "channel": c.channel, "persons": c.persons,
             "topic": c.topic, "outcome": c.outcome, "taken_by_id": c.taken_by_id,
             "summary": f"台账处理结果：{c.outcome_text}" if c.outcome_text else None,
             "taken_by_name": c.taken_by_name, "import_key": c.key,
             "created_at": utcnow(), "updated_at": utcnow()} for c in batch_c])
        done += len(batch_c)
        yield done, total
    _advance_sequences(result.cases)


def _write_cases(rows: list[CaseRow], source: str, actor_id: int | None) -> None:
    """Insert one batch of checked case rows with a handful of multi-row statements.

    Parties are looked up with one IN query, the new ones inserted in one statement and the
    cases in another, both returning their ids in the order of the rows; participants, matters
    and ledger rows follow as executemany. No statement runs per row.
    """
    conn = db.session.connection()
    now = utcnow()
    keys = list(dict.fromkeys((r.document_type, r.document_number) for r in rows))
    parties: dict[tuple[Any, str], int] = {}
    numbers = list(dict.fromkeys(k[1] for k in keys))
    party_table = Party.__table__
    for pid, doc_type, number in conn.execute(
            sa.select(party_table.c.id, party_table.c.document_type,
                      party_table.c.document_number)
            .where(party_table.c.document_number.in_(numbers))):
        parties[(DocumentType(doc_type), number)] = pid
    new_parties: dict[tuple[Any, str], dict[str, Any]] = {}
    for r in rows:
        key = (r.document_type, r.document_number)
        if key not in parties and key not in new_parties:
            kind = PartyKind.ORGANISATION if r.document_type is DocumentType.USCC \
                else PartyKind.PERSON
            new_parties[key] = {"kind": kind, "name": r.applicant,
                                "document_type": r.document_type,
                                "document_number": r.document_number, "version": 1,
                                "created_at": now, "updated_at": now}
    if new_parties:
        ids = _insert_with_ids(conn, party_table, list(new_parties.values()))
        parties.update(zip(new_parties, ids, strict=True))
    case_ids = _insert_with_ids(conn, Case.__table__, [
        {"acceptance_number": r.number, "acceptance_year": r.year, "acceptance_seq": r.seq,
         "status": CLOSED_STATUS[r.closing] if r.closing else CaseStatus.ACCEPTED,
         "category": r.category, "place_of_use": r.place_of_use,
         "intake_by_id": None,  # not recorded
         "handling_notary_id": r.notary_id, "applied_at": r.accepted_at,
         "accepted_at": r.accepted_at, "closed_at": r.closed_at, "closing_type": r.closing,
         "issued_at": r.closed_at if r.closing is ClosingType.ISSUED else None,
         # The ledger's closed files are already on paper in the archive.
         "archived_at": r.closed_at, "certificate_number": r.certificate_number,
         "copies": 1, "urgency": Urgency.NORMAL, "version": 1}
        for r in rows])
    conn.execute(sa.insert(CaseParticipant), [
        {"case_id": c, "party_id": parties[(r.document_type, r.document_number)],
         "role": ParticipantRole.APPLICANT, "position": 0, "is_removed": False}
        for c, r in zip(case_ids, rows, strict=True)])
    links = [{"case_id": c, "matter_type_id": m}
             for c, r in zip(case_ids, rows, strict=True) for m in r.matter_ids]
    if links:
        conn.execute(case_matters.insert(), links)
    conn.execute(sa.insert(LedgerCase), [
        {"case_id": c, "handler_name": r.handler_name, "fee_amount": r.fee,
         "reduction_amount": r.reduction, "reduction_reason": r.reduction_reason,
         "is_legal_aid": r.legal_aid, "fee_at": r.closed_at or r.accepted_at,
         "source": source[:255], "imported_at": now, "imported_by_id": actor_id}
        for c, r in zip(case_ids, rows, strict=True)])


def _insert_with_ids(conn: sa.Connection, table: Any, rows: list[dict[str, Any]]
                     ) -> list[int]:
    """Insert rows (one multi-row round, not one statement per row); return their ids in order.

    PostgreSQL: the ids come from the table's own sequence in one query and the rows are sent
    with them as one pipelined executemany (a 1,000-row INSERT ... RETURNING costs more to
    build and parse than to run). SQLite: multi-row INSERT ... RETURNING in row order.
    """
    if not rows:
        return []
    if conn.dialect.name == "postgresql":
        ids = list(conn.scalars(sa.select(sa.func.nextval(sa.func.pg_get_serial_sequence(
            table.name, "id"))).select_from(sa.func.generate_series(1, len(rows)))))
        conn.execute(sa.insert(table), [{**row, "id": i} for row, i in zip(rows, ids,
                                                                          strict=True)])
        return ids
    return list(conn.execute(sa.insert(table).returning(
        table.c.id, sort_by_parameter_order=True), rows).scalars())


def _advance_sequences(rows: list[CaseRow]) -> None:
    """Move each year's acceptance counter past the imported numbers (never issued twice)."""
    highest: dict[int, int] = {}
    for r in rows:
        if r.year is not None and r.seq is not None:
            highest[r.year] = max(highest.get(r.year, 0), r.seq)
    for year, seq in highest.items():
        current = next_value(db.session, "acceptance", year)
        if current <= seq:
            db.session.execute(sa.update(NumberSequence).where(
                NumberSequence.name == "acceptance", NumberSequence.year == year)
                .values(last_value=seq))
        else:  # give back the value next_value took
            db.session.execute(sa.update(NumberSequence).where(
                NumberSequence.name == "acceptance", NumberSequence.year == year)
                .values(last_value=current - 1))


def template_xlsx() -> bytes:
    """The downloadable template: both sheets with their columns and one example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    cases = book.active
    assert cases is not None
    cases.title = CASE_SHEET
    spreadsheets.append(cases, list(CASE_COLUMNS))
    spreadsheets.append(cases, [
        "（2025）耒证受字第00001号", "2025-01-06", "继承", "国内民事", "", "段文江", "居民身份证",
        "430481198005170011", "谢文慧", "出证", "2025-01-10 16:30", "（2025）湘耒证字第1号",
        "400.00", "0", "", "否"])
    consultations = book.create_sheet(CONSULTATION_SHEET)
    spreadsheets.append(consultations, list(CONSULTATION_COLUMNS))
    spreadsheets.append(consultations,
                        ["2025-01-06 09:15", "电话", 1, "继承公证需要哪些材料", "刘晓燕", "解答"])
    for sheet in (cases, consultations):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


__all__ = ["CASE_COLUMNS", "CONSULTATION_COLUMNS", "ImportResult", "Ledger", "RowError",
           "check_ledger", "import_ledger", "import_steps", "read_ledger", "template_xlsx"]
