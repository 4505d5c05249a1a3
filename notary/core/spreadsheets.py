"""Cells of every export (CSV and XLSX) written so a spreadsheet never runs them as formulas.

A party named `=HYPERLINK("http://x","y")` would otherwise become a live formula in the
office's register once the file is opened (OWASP "CSV injection"). Every exporter writes its
rows through `csv_writer` or `xlsx_row`, so text is neutralised in this one place:

- text beginning with = + - @ TAB or CR gets a leading apostrophe (OWASP's advice), so
  Excel, LibreOffice and WPS show it as text;
- in XLSX each text cell is also written explicitly as a string (data_type "s"), so openpyxl
  never stores it as a formula, whatever it begins with;
- numbers, dates and booleans stay what they are (a negative amount is a number, not text),
  and in CSV a text that is a plain number (``-12.50``) is left alone: it cannot run.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?\Z", re.ASCII)


def neutralise(value: Any) -> Any:
    """The value to write: text that a spreadsheet would read as a formula gets a leading '."""
    if (isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
            and not _PLAIN_NUMBER.match(value)):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """One row with every text neutralised (CSV: csv_writer does this for you)."""
    return [neutralise(v) for v in values]


class _SafeWriter:
    """A csv.writer whose rows are neutralised before they are written."""

    def __init__(self, target: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(target, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(target: Any, **kwargs: Any) -> _SafeWriter:
    """A CSV writer for exports (same arguments as csv.writer)."""
    return _SafeWriter(target, **kwargs)


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A row for `sheet.append`: every text is a neutralised string cell (data_type 's').

    Works for ordinary and write-only worksheets (both accept Cell objects in append).
    Numbers, dates, Decimals and empty cells pass through unchanged.
    """
    row: list[Any] = []
    for value in values:
        if isinstance(value, str):
            # A control character cannot be written in XLSX's XML (openpyxl would raise).
            cell = Cell(sheet, row=1, column=1,  # append() places it
                        value=neutralise(ILLEGAL_CHARACTERS_RE.sub("", value)))
            cell.data_type = "s"  # never "f" (formula) nor "e" (an error code like #N/A)
            row.append(cell)
        else:
            row.append(value)
    return row


def append(sheet: Any, values: Iterable[Any]) -> None:
    """Append one row of an export to an openpyxl worksheet, text neutralised."""
    sheet.append(xlsx_row(sheet, values))
