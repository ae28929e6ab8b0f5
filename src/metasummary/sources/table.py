"""Delimited tables (CSV, tab-delimited): rows with their lines, and columns mapped to fields.

The csv module never loses a row, but an unclosed quote makes it swallow the rows after it
into one field; every row is therefore checked against the header's width, so a damaged row
is reported at its line instead of quietly eating its neighbours.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from metasummary.errors import ImportFileError
from metasummary.models import RecordData
from metasummary.outputs.spreadsheet import unquote
from metasummary.sources import normalise as norm
from metasummary.sources.entries import CUT_SHORT, Item, Problem, build, set_year
from metasummary.sources.text import Document

Row = dict[str, str]
Names = tuple[str, ...]
Widen = Callable[[list[str], int], list[str] | None]
"""Names for rows wider than the header, where a library's export is known to write them."""


@dataclass(frozen=True, slots=True)
class Columns:
    """Which header(s) hold each field; the first non-empty one wins."""

    title: Names = ()
    abstract: Names = ()
    authors: Names = ()
    split_authors: Callable[[str], list[str]] = norm.split_semicolon_authors
    year: Names = ()
    venue: Names = ()
    volume: Names = ()
    issue: Names = ()
    pages: Names = ()
    first_page: Names = ()
    last_page: Names = ()
    doi: Names = ()
    url: Names = ()
    keywords: Names = ()
    type: Names = ()
    language: Names = ()
    publisher: Names = ()
    references: Names = ()
    key: Names = ()
    key_of: Callable[[Row], str] | None = None
    extra: Names = ()
    empty_values: frozenset[str] = field(default_factory=frozenset)
    quoted: bool = False
    """Cells may carry the apostrophe a spreadsheet-safe export put before ``=``, ``-`` ...
    (:func:`metasummary.outputs.spreadsheet.unquote` takes it off)."""

    def get(self, row: Row, names: Names) -> str:
        for name in names:
            value = row.get(name.casefold())
            if value:
                stripped = value.strip()
                if self.quoted:
                    stripped = unquote(stripped).strip()
                if stripped and stripped not in self.empty_values:
                    return norm.fold_space(stripped)
        return ""

    def record(self, row: Row) -> RecordData:
        keywords: list[str] = []
        for name in self.keywords:
            keywords.extend(norm.split_list(self.get(row, (name,)), ";"))
        references: list[str] = []
        for name in self.references:
            references.extend(norm.split_list(self.get(row, (name,)), ";"))
        url = self.get(row, self.url)
        record = RecordData(
            title=norm.strip_html(self.get(row, self.title)),
            abstract=self.get(row, self.abstract),
            authors=self.split_authors(self.get(row, self.authors)),
            venue=self.get(row, self.venue),
            volume=self.get(row, self.volume),
            issue=self.get(row, self.issue),
            pages=norm.pages(
                self.get(row, self.pages) or self.get(row, self.first_page),
                self.get(row, self.last_page),
            ),
            doi=norm.doi(self.get(row, self.doi)) or norm.doi(url),
            url=url,
            keywords=norm.unique(keywords),
            type=self.get(row, self.type),
            language=self.get(row, self.language),
            publisher=self.get(row, self.publisher),
            references=norm.unique(references),
            original_key=self.key_of(row) if self.key_of else self.get(row, self.key),
            extra={name: v for name in self.extra if (v := self.get(row, (name,)))},
        )
        return set_year(record, self.get(row, self.year))


def delimiter_of(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", "\t", ";")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def first_line(text: str) -> str:
    """The first non-blank line among the first 20 (found without splitting the whole text)."""
    start = 0
    for _ in range(20):
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if line.strip():
            return line
        if end < 0:
            break
        start = end + 1
    return ""


def header_cells(head: str) -> set[str]:
    """The first line's cells, case-folded, for sniffing."""
    line = first_line(head)
    try:
        cells = next(csv.reader([line], delimiter=delimiter_of(line)))
    except (csv.Error, StopIteration):
        return set()
    return {c.strip().strip('"').casefold() for c in cells}


@dataclass(slots=True)
class Table:
    header: list[str]
    header_line: int
    rows: Iterator[tuple[int, Row | Problem, str]]


def read_rows(doc: Document, delimiter: str | None = None, widen: Widen | None = None) -> Table:
    """The header and an iterator of (line, row or problem, raw text) for every data row."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    lines = doc.lines()
    delim = delimiter or delimiter_of(first_line(doc.text))
    reader = csv.reader(_with_line_ends(lines), delimiter=delim)
    header: list[str] = []
    header_line = 0
    consumed = 0
    try:
        for row in reader:
            start, consumed = consumed + 1, reader.line_num
            if any(cell.strip() for cell in row):
                header, header_line = row, start
                break
    except csv.Error as exc:
        raise ImportFileError(
            f"{doc.name}:{reader.line_num}: not a readable table ({exc})"
        ) from None
    if not header:
        raise ImportFileError(f"{doc.name}: the file is empty; there is no header row")
    while header and not header[-1].strip():
        header.pop()
    names = [h.strip().lstrip("\ufeff").casefold() for h in header]
    return Table(header, header_line, _rows(doc, reader, lines, names, consumed, widen))


def _with_line_ends(lines: list[str]) -> Iterator[str]:
    """The lines as ``io.StringIO(text)`` hands them to the csv module (each with its ``\\n``).

    StringIO would first copy the whole text at four bytes a character: 500 MB more for a
    100,000-record CSV export.
    """
    last = len(lines) - 1
    for number, line in enumerate(lines):
        if number < last:
            yield line + "\n"
        elif line:
            yield line


def _rows(
    doc: Document,
    reader: Any,
    lines: Sequence[str],
    names: list[str],
    consumed: int,
    widen: Widen | None,
) -> Iterator[tuple[int, Row | Problem, str]]:
    width = len(names)
    wider: dict[int, list[str] | None] = {}
    final = _last_text_line(lines)
    while True:
        start = consumed + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFileError(f"{doc.name}:{start}: the table cannot be read ({exc})") from None
        consumed = reader.line_num
        raw = "\n".join(lines[start - 1 : consumed])
        if not any(cell.strip() for cell in row):
            continue
        row_names = names
        if len(row) > width and widen is not None and any(c.strip() for c in row[width:]):
            if len(row) not in wider:
                wider[len(row)] = widen(names, len(row))
            row_names = wider[len(row)] or names
        if consumed >= final and (len(row) < width or raw.count('"') % 2):
            # The last row, short or inside an open quote: the file stops in the middle of it.
            yield start, Problem(start, f"the file ends inside this row ({CUT_SHORT})"), raw
            continue
        if len(row) < width or any(cell.strip() for cell in row[len(row_names) :]):
            span = f" (it runs to line {consumed})" if consumed > start + 1 else ""
            yield (
                start,
                Problem(
                    start,
                    f"row has {len(row)} fields but the header has {width}{span}; "
                    "a quote may be unclosed or a delimiter missing",
                ),
                raw,
            )
            continue
        yield start, dict(zip(row_names, row, strict=False)), raw


def _last_text_line(lines: Sequence[str]) -> int:
    """The 1-based number of the last line holding anything."""
    for number in range(len(lines), 0, -1):
        if lines[number - 1].strip():
            return number
    return 0


def read_table(
    doc: Document,
    columns: Columns | Callable[[list[str]], Columns],
    delimiter: str | None = None,
    widen: Widen | None = None,
) -> Iterator[Item]:
    """Records from a table whose columns ``columns`` maps (or builds from the header)."""
    table = read_rows(doc, delimiter, widen)
    mapping = columns(table.header) if callable(columns) else columns
    for index, (line, row, raw) in enumerate(table.rows):
        if isinstance(row, Problem):
            yield Problem(row.line, row.message, index, raw)
            continue
        yield build(index, line, raw, partial(mapping.record, row))


def require(doc: Document, header: list[str], wanted: Mapping[str, str]) -> None:
    names = {h.strip().casefold() for h in header}
    missing = [f"{fld}={col!r}" for fld, col in wanted.items() if col.casefold() not in names]
    if missing:
        raise ImportFileError(
            f"{doc.name}:1: column(s) not in the header: {', '.join(missing)}; the header has "
            f"{', '.join(repr(h) for h in header[:12])}{' ...' if len(header) > 12 else ''}"
        )
