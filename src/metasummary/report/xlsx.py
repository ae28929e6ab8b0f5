"""The report as a spreadsheet: one sheet per table, byte for byte the same on every run.

openpyxl stamps the workbook's properties and every zip entry with the current time; both are
fixed here (to the report's timestamp when one is asked for), so the same data gives the same
file.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

from metasummary.report.content import Citations
from metasummary.report.document import Document
from metasummary.report.tables import Cell, Reported, Share
from metasummary.report.text import cited

FIXED = datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
REPORTED_FORMAT = '0"ʳ"'
_UNSAFE_NAME = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])


def _value(cell: Cell) -> str | int | float | None:
    if isinstance(cell, Reported):
        return cell.value
    if isinstance(cell, Share):
        return cell.value
    if isinstance(cell, Citations):
        return cited(cell)
    if isinstance(cell, str):
        return cell.translate(_ILLEGAL)[:32767]
    return cell


def workbook(doc: Document) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for tbl in doc.tables():
        name = _UNSAFE_NAME.sub("-", tbl.key)[:31]
        while name in used:
            name = f"{name[:28]} {len(used)}"
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append([tbl.title])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(tbl.headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for index, row in enumerate(tbl.rows):
            sheet.append([_value(c) for c in row])
            line = sheet.max_row
            for column, cell in enumerate(row, 1):
                target = sheet.cell(line, column)
                if isinstance(cell, Reported):
                    target.number_format = REPORTED_FORMAT
                elif isinstance(cell, Share):
                    target.number_format = "0.0%"
                elif isinstance(cell, str):
                    # Text is text: a finding that starts with "=" is not a formula.
                    target.data_type = "s"
                    if len(cell) > 60:
                        target.alignment = Alignment(wrap_text=True, vertical="top")
                if tbl.bold_last and index == len(tbl.rows) - 1:
                    target.font = Font(bold=True)
        for note in tbl.notes:
            sheet.append([note])
        for column, header in enumerate(tbl.headers, 1):
            width = max([len(header), *(len(str(_value(r[column - 1]) or "")) for r in tbl.rows)])
            letter = sheet.cell(2, column).column_letter
            sheet.column_dimensions[letter].width = min(max(8, width + 2), 80)
    return book


def render(doc: Document, *, stamp: datetime | None = None) -> bytes:
    """The spreadsheet's bytes: every table of the report, one sheet each; ``stamp`` dates it
    (default: a fixed date)."""
    book = workbook(doc)
    when = (stamp or FIXED).replace(tzinfo=None, microsecond=0)
    book.properties.creator = "metasummary"
    book.properties.created = when
    book.properties.modified = when
    raw = BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return _fixed_zip(raw.getvalue(), stamp)


def _fixed_zip(data: bytes, stamp: datetime | None) -> bytes:
    when = ZIP_TIME if stamp is None else stamp.timetuple()[:6]
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
