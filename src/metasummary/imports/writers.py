"""Records written out as RIS, BibTeX, CSV or an Excel sheet, each with its provenance.

Every format carries the metasummary id, the record's ``duplicate_of`` link and the key the
record had in its original file, so an exported list can be traced back and re-imported.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import rispy

from metasummary.errors import InputError
from metasummary.models import RecordData

COLUMNS = (
    "id",
    "source",
    "duplicate_of",
    "original_key",
    "title",
    "authors",
    "year",
    "venue",
    "volume",
    "issue",
    "pages",
    "doi",
    "url",
    "keywords",
    "type",
    "language",
    "publisher",
    "abstract",
)
FORMATS = ("ris", "bibtex", "csv", "xlsx")
_KEY = re.compile(r"^[A-Za-z0-9_:./+-]+$")


@dataclass(frozen=True, slots=True)
class ExportRecord:
    id: int
    source: str
    duplicate_of: int | None
    data: RecordData

    def cells(self) -> list[Any]:
        d = self.data
        return [
            self.id,
            self.source,
            self.duplicate_of or "",
            d.original_key,
            d.title,
            "; ".join(d.authors),
            d.year or "",
            d.venue,
            d.volume,
            d.issue,
            d.pages,
            d.doi,
            d.url,
            "; ".join(d.keywords),
            d.type,
            d.language,
            d.publisher,
            d.abstract,
        ]


def _kind(value: str) -> str:
    t = value.lower()
    if any(w in t for w in ("conf", "proceed", "cpaper")):
        return "conference"
    if "chap" in t or "section" in t:
        return "chapter"
    if "book" in t:
        return "book"
    if any(w in t for w in ("thes", "dissert")):
        return "thesis"
    if any(w in t for w in ("preprint", "unpb", "posted")):
        return "preprint"
    if any(w in t for w in ("jour", "article", "review", "letter", "magazine")):
        return "article"
    return "other"


_RIS_TYPE = {
    "conference": "CPAPER",
    "chapter": "CHAP",
    "book": "BOOK",
    "thesis": "THES",
    "preprint": "UNPB",
    "article": "JOUR",
    "other": "GEN",
}
_BIB_TYPE = {
    "conference": "inproceedings",
    "chapter": "incollection",
    "book": "book",
    "thesis": "phdthesis",
    "preprint": "misc",
    "article": "article",
    "other": "misc",
}


def _trace(record: ExportRecord) -> list[str]:
    notes = [f"metasummary-id: {record.id}", f"source: {record.source}"]
    if record.duplicate_of:
        notes.append(f"duplicate-of: {record.duplicate_of}")
    if record.data.original_key:
        notes.append(f"original-key: {record.data.original_key}")
    return notes


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without the ``1.`` counter lines some tools choke on."""

    def set_header(self, count: int) -> str:
        return ""


def write_ris(records: Iterable[ExportRecord], out: IO[str]) -> None:
    entries = []
    for record in records:
        d = record.data
        first, _, last = d.pages.partition("-")
        entry: dict[str, Any] = {
            "type_of_reference": _RIS_TYPE[_kind(d.type)],
            "id": d.original_key or f"ms{record.id}",
            "title": d.title,
            "authors": d.authors,
            "year": str(d.year or ""),
            "secondary_title": d.venue,
            "volume": d.volume,
            "number": d.issue,
            "start_page": first,
            "end_page": last,
            "doi": d.doi,
            "urls": [d.url] if d.url else [],
            "keywords": d.keywords,
            "abstract": d.abstract,
            "language": d.language,
            "publisher": d.publisher,
            "notes": _trace(record),
        }
        entries.append({k: v for k, v in entry.items() if v})
    out.write(rispy.dumps(entries, implementation=_RisWriter))


def _bib_value(value: str) -> str:
    # Braces must balance inside {...}; plain text after import has no markup to keep.
    return value.replace("{", "(").replace("}", ")").replace("\\", "/")


def bibtex_keys(records: Iterable[ExportRecord]) -> list[str]:
    """Each record's BibTeX key: its original key when that is a valid key, else ``ms<id>``;
    made unique in order."""
    used: set[str] = set()
    keys = []
    for record in records:
        original = record.data.original_key
        key = original if _KEY.match(original or "") else f"ms{record.id}"
        if key in used:
            key = f"{key}-ms{record.id}"
        used.add(key)
        keys.append(key)
    return keys


URL_FIELDS = frozenset({"doi", "url"})


def write_bibtex(
    records: Iterable[ExportRecord],
    out: IO[str],
    *,
    text: Callable[[str], str] | None = None,
) -> None:
    """The records as BibTeX entries.

    Args:
        text: Encodes a text field's value (not the DOI or URL) for a consumer, e.g. LaTeX
            escapes for a ``.bib`` that pdfLaTeX reads; the default keeps plain text.
    """
    listed = list(records)
    for record, key in zip(listed, bibtex_keys(listed), strict=True):
        d = record.data
        kind = _kind(d.type)
        venue_field = {"article": "journal", "conference": "booktitle", "chapter": "booktitle"}.get(
            kind, "howpublished"
        )
        fields = [
            ("author", " and ".join(d.authors)),
            ("title", d.title),
            (venue_field, d.venue),
            ("year", str(d.year or "")),
            ("volume", d.volume),
            ("number", d.issue),
            ("pages", d.pages.replace("-", "--")),
            ("doi", d.doi),
            ("url", d.url),
            ("keywords", "; ".join(d.keywords)),
            ("abstract", d.abstract),
            ("publisher", d.publisher),
            ("language", d.language),
            ("metasummary-id", str(record.id)),
            ("metasummary-source", record.source),
            ("duplicate-of", str(record.duplicate_of or "")),
            ("original-key", d.original_key),
        ]
        if text is not None:
            # LaTeX reads a DOI or URL verbatim (\url): one with % or # cannot be passed.
            fields = [
                (name, value if name in URL_FIELDS else text(value))
                for name, value in fields
                if not (name in URL_FIELDS and any(ch in value for ch in "%#{}\\ "))
            ]
            body = ",\n".join(f"  {name} = {{{v}}}" for name, v in fields if v)
        else:
            body = ",\n".join(f"  {name} = {{{_bib_value(v)}}}" for name, v in fields if v)
        out.write(f"@{_BIB_TYPE[kind]}{{{key},\n{body}\n}}\n\n")


def write_csv(records: Iterable[ExportRecord], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow(record.cells())


def write_xlsx(records: Iterable[ExportRecord], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("records")
    sheet.append(list(COLUMNS))
    for record in records:
        sheet.append([_cell(v) for v in record.cells()])
    book.save(path)


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(value: Any) -> Any:
    # Excel refuses control characters, and caps a cell at 32,767 characters.
    return _ILLEGAL.sub("", value)[:32767] if isinstance(value, str) else value


def write(records: Sequence[ExportRecord], fmt: str, out: IO[str] | Path) -> None:
    """Write ``records`` as ``fmt`` to a text stream or (for xlsx, required) a path."""
    if fmt == "xlsx":
        if not isinstance(out, Path):
            raise InputError("xlsx needs --out FILE.xlsx (a spreadsheet cannot go to the terminal)")
        write_xlsx(records, out)
        return
    writers = {"ris": write_ris, "bibtex": write_bibtex, "csv": write_csv}
    if fmt not in writers:
        raise InputError(f"unknown export format '{fmt}'; use one of {', '.join(FORMATS)}")
    if isinstance(out, Path):
        with out.open("w", encoding="utf-8", newline="") as stream:
            writers[fmt](records, stream)
    else:
        writers[fmt](records, out)
