"""The one writer of CSV and XLSX tables: people's text stays text, never a formula.

A title, finding or theme name starting with ``=`` (or ``+``, ``-``, ``@``) is a live formula to
Excel, LibreOffice and Google Sheets once the file is opened: ``=HYPERLINK(...)`` or
``=cmd|' /C calc'!A0`` is code from whoever wrote the record. So, as OWASP's CSV injection page
recommends:

* XLSX: every text value is an explicit string cell (``data_type = "s"``), whatever it starts
  with; numbers stay numbers.
* CSV: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or a
  line feed, what a carriage return becomes here) gets a leading apostrophe (which spreadsheet
  programs read as "this is text"). A cell that already starts with apostrophes before one of
  those gets one more, so :func:`unquote` takes off exactly what :func:`quote` added: a round
  trip through export and import is exact. A carriage return inside a cell is written as a
  line feed: Python's csv module would leave it unquoted in a file with ``\n`` line ends, and
  a reader would cut the row there.

Every table metasummary writes goes through :func:`write_csv`, :func:`csv_cell`,
:func:`xlsx_value` and :func:`mark_text`; every sheet it reads back through :func:`unquote`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""What makes a cell a formula (or hides one) when it stands first: OWASP's list, and the line
feed a carriage return is written as."""
XLSX_MAX = 32_767
"""Excel's most characters in a cell."""
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters XML 1.0 (and so XLSX) cannot hold."""

Value = str | int | float | None


def _dangerous(text: str) -> bool:
    """Starts with a trigger, after any number of apostrophes (so quoting is reversible)."""
    return text.lstrip("'").startswith(TRIGGERS)


def quote(text: str) -> str:
    """``text`` as a CSV cell spreadsheet programs show as text."""
    return "'" + text if _dangerous(text) else text


def unquote(text: str) -> str:
    """What :func:`quote` was given: the one apostrophe it added, taken off."""
    if text.startswith("'") and _dangerous(text[1:]):
        return text[1:]
    return text


def csv_cell(value: Value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    return quote(str(value)).replace("\r\n", "\n").replace("\r", "\n")


def write_csv(
    out: IO[str],
    headers: Sequence[str],
    rows: Iterable[Sequence[Value]],
    *,
    lineterminator: str = "\r\n",
) -> None:
    """A CSV table (headers quoted like any cell: a protocol's field name is text too)."""
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])


def xlsx_value(value: Value) -> Value:
    """A value an XLSX cell can hold: text without control characters, cut to Excel's size."""
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)[:XLSX_MAX]
    return value


def mark_text(cell: Any) -> None:
    """Make an openpyxl cell holding text an explicit string cell (never a formula)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"


def xlsx_row(sheet: Any, values: Sequence[Value]) -> list[Any]:
    """Cells for ``sheet.append`` in a write-only workbook: text as explicit string cells."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=xlsx_value(value))
        mark_text(cell)
        cells.append(cell)
    return cells


def append_row(sheet: Any, values: Sequence[Value]) -> None:
    """Append a row to a (normal) worksheet, its text as explicit string cells."""
    sheet.append([xlsx_value(v) for v in values])
    for cell in sheet[sheet.max_row]:
        mark_text(cell)
