"""Every case matching the list's filters as CSV or XLSX, streamed in bounded memory.

A province's register is a million rows: the rows are read in keyset pages (newest first,
the list's own order and index), each page with its matters and applicants in two more
queries, and written out page by page. Nothing holds more than one page.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook

from notary.auth.models import User
from notary.cases.models import (
    Case,
    Category,
)
from notary.cases.queries import CaseFilters, case_conditions, names_of_cases
from notary.cases.rules import CaseStatus
from notary.core import audit, spreadsheets
from notary.core.models import OFFICE_TZ
from notary.core.permissions import Permission, ensure_permitted
from notary.extensions import db

PAGE = 2000
# The register's own words: the file goes to people outside the system (CJK column names).
HEADERS = ("受理号", "申请日期", "受理日期", "状态", "类别", "公证事项", "申请人", "承办公证员",
           "使用地", "用途", "办结日期", "公证书编号")


def record_export(filters: CaseFilters, fmt: str, *, actor: Any) -> None:
    """Check the actor may export the register and audit the export with its filters."""
    ensure_permitted(actor, Permission.CASE_VIEW)
    ensure_permitted(actor, Permission.REGISTER_VIEW)
    used = {k: v for k, v in filters.__dict__.items() if v not in (None, "")}
    audit.record(db.session, actor, "case.export", actor, after={"format": fmt, **used})
    db.session.commit()


def _day(moment: datetime | None) -> str:
    return moment.astimezone(OFFICE_TZ).date().isoformat() if moment else ""


def _pages(filters: CaseFilters) -> Iterator[list[Any]]:
    """The matching cases' columns, newest first, in pages of PAGE rows (keyset, not OFFSET)."""
    stmt = (sa.select(Case.id, Case.acceptance_number, Case.applied_at, Case.accepted_at,
                      Case.status, Case.category, User.full_name, Case.place_of_use,
                      Case.purpose, Case.closed_at, Case.certificate_number)
            .outerjoin(User, User.id == Case.handling_notary_id)
            .where(*case_conditions(filters))
            .order_by(Case.applied_at.desc(), Case.id.desc()).limit(PAGE))
    last: tuple[Any, int] | None = None
    while True:
        page_stmt = stmt
        if last is not None:
            page_stmt = stmt.where(sa.or_(Case.applied_at < last[0],
                                          sa.and_(Case.applied_at == last[0],
                                                  Case.id < last[1])))
        rows = list(db.session.execute(page_stmt).all())
        if not rows:
            return
        yield rows
        if len(rows) < PAGE:
            return
        last = (rows[-1].applied_at, rows[-1].id)


def _names(case_ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Matter names and applicant names of a page of cases (two queries; the register's
    Chinese names)."""
    applicants, matters = names_of_cases(case_ids)
    return matters, applicants


def export_rows(filters: CaseFilters) -> Iterator[list[str]]:
    """Yield one list of cell texts per matching case, newest application first."""
    # Translated once per export, not twice per row (a lookup through Flask-Babel per label
    # was half of the export's time).
    statuses = {s: str(s.label) for s in CaseStatus}
    categories = {c: str(c.label) for c in Category}
    for rows in _pages(filters):
        matters, applicants = _names([r.id for r in rows])
        for r in rows:
            yield [r.acceptance_number or f"#{r.id}", _day(r.applied_at), _day(r.accepted_at),
                   statuses[r.status], categories[r.category],
                   "、".join(matters.get(r.id, [])), "、".join(applicants.get(r.id, [])),
                   r.full_name or "", r.place_of_use or "", r.purpose or "", _day(r.closed_at),
                   r.certificate_number or ""]


def csv_chunks(filters: CaseFilters) -> Iterator[str]:
    """The export as CSV text in chunks (a BOM first, so spreadsheet programs read UTF-8)."""
    buffer = io.StringIO()
    writer = spreadsheets.csv_writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(HEADERS)
    for i, row in enumerate(export_rows(filters), start=1):
        writer.writerow(row)
        if i % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(filters: CaseFilters) -> str:
    """Write the export to a temporary XLSX file (write-only workbook) and return its path."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("案件")
    spreadsheets.append(sheet, HEADERS)
    for row in export_rows(filters):
        spreadsheets.append(sheet, row)
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="notary-export-")
    os.close(handle)
    book.save(path)
    return path


def file_chunks(path: str, size: int = 256 * 1024) -> Iterator[bytes]:
    """Stream a file out in chunks."""
    with open(path, "rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def remove_file(path: str) -> None:
    """Delete a temporary export once its response is closed (sent or abandoned)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
