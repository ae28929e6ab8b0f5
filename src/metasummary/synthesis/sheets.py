"""Spreadsheets in and out: CSV and XLSX tables whose every cell knows where it came from.

Reading gives rows of stripped values keyed by header, and a :meth:`Sheet.where` that names a
cell the way its program shows it (``Sheet1!D7`` in a workbook, ``file.csv:7: header`` in a
CSV), so an import can report each bad cell on its own line. Writing makes workbooks people
can fill in: a bold frozen header, wrapped long text, and drop-downs for choice columns.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from metasummary.errors import ImportFileError, InputError

# openpyxl is imported where a workbook is read or written: it takes a seventh of a second
# to load, and every CLI command reaches this module (for ``Cell``) on start-up.

FORMATS = (".csv", ".xlsx")
CHOICES_SHEET = "Choices"
Cell = str | int | float | None


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One data row: its number as the spreadsheet shows it, and its non-empty cells."""

    number: int
    cells: dict[str, Cell]

    def get(self, header: str | None) -> Cell:
        return self.cells.get(header) if header else None

    def text(self, header: str | None) -> str:
        value = self.get(header)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)


@dataclass(slots=True)
class Sheet:
    """A table read from ``path``; ``sheet`` is the worksheet title (``None`` for a CSV)."""

    path: Path
    sheet: str | None
    headers: list[str]
    rows: list[SheetRow] = field(default_factory=list)

    def where(self, row: int, header: str) -> str:
        """Where a cell is, as a person looks it up."""
        if self.sheet is None:
            return f"{self.path.name}:{row}: {header}"
        from openpyxl.utils import get_column_letter

        column = get_column_letter(self.headers.index(header) + 1)
        return f"{self.sheet}!{column}{row}"

    def column(self, *names: str) -> str | None:
        """The first header matching one of ``names`` (case and spacing ignored)."""
        wanted = [_fold(n) for n in names]
        for name in wanted:
            for header in self.headers:
                if _fold(header) == name:
                    return header
        return None


def _fold(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def _clean(value: Any) -> Cell:
    if value is None or isinstance(value, bool):
        return None if value is None else str(value).lower()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def read_sheet(path: Path) -> Sheet:
    """Read a ``.csv`` or ``.xlsx`` file; :class:`ImportFileError` when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"{path}: use a .csv or .xlsx file (got '{path.suffix}')")
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file")
    return _read_xlsx(path) if suffix == ".xlsx" else _read_csv(path)


def _read_csv(path: Path) -> Sheet:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header_cells = next(reader, [])
        headers = [h.strip() for h in header_cells]
        sheet = Sheet(path, None, headers)
        line = reader.line_num
        for raw in reader:
            start, line = line + 1, reader.line_num
            cells = {h: _clean(v) for h, v in zip(headers, raw, strict=False) if h}
            cells = {h: v for h, v in cells.items() if v is not None}
            if cells:
                sheet.rows.append(SheetRow(start, cells))
    except csv.Error as exc:
        raise ImportFileError(f"{path}:{reader.line_num}: not valid CSV ({exc})") from None
    return sheet


def _read_xlsx(path: Path) -> Sheet:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ImportFileError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    try:
        worksheet = book.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        header_cells = next(rows, ())
        headers = ["" if h is None else str(h).strip() for h in header_cells]
        sheet = Sheet(path, worksheet.title, headers)
        for number, raw in enumerate(rows, start=2):
            cells = {h: _clean(v) for h, v in zip(headers, raw, strict=False) if h}
            cells = {h: v for h, v in cells.items() if v is not None}
            if cells:
                sheet.rows.append(SheetRow(number, cells))
    finally:
        book.close()
    return sheet


def write_sheet(
    path: Path,
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    title: str = "Sheet1",
    choices: Mapping[str, Sequence[str]] | None = None,
    wide: Sequence[str] = (),
) -> None:
    """Write a ``.csv`` or ``.xlsx`` table.

    Args:
        title: The worksheet's title (workbooks only).
        choices: Per header, the allowed values, offered as a drop-down (workbooks only).
        wide: Headers of columns holding long text (wider, wrapped).
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"{path}: use a .csv or .xlsx file name (got '{path.suffix}')")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows([["" if v is None else v for v in row] for row in rows])
        return
    _write_xlsx(path, headers, rows, title, choices or {}, set(wide))


def _write_xlsx(
    path: Path,
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    title: str,
    choices: Mapping[str, Sequence[str]],
    wide: set[str],
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    last = max(len(rows) + 1, 2)
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        if header in wide:
            sheet.column_dimensions[letter].width = 60
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        else:
            sheet.column_dimensions[letter].width = max(12, min(40, len(header) + 4))
    if choices:
        lists = book.create_sheet(CHOICES_SHEET)
        lists.sheet_state = "hidden"
        for column, (header, values) in enumerate(choices.items(), start=1):
            letter = get_column_letter(column)
            lists.cell(row=1, column=column, value=header)
            for offset, value in enumerate(values, start=2):
                lists.cell(row=offset, column=column, value=value)
            target = get_column_letter(list(headers).index(header) + 1)
            validation = DataValidation(
                type="list",
                formula1=f"{CHOICES_SHEET}!${letter}$2:${letter}${len(values) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f"{header}: not a choice",
                error=f"Pick one of: {', '.join(values)}",
            )
            sheet.add_data_validation(validation)
            # Room for papers added by hand below the exported ones.
            validation.add(f"{target}2:{target}{last + 500}")
    book.save(path)
