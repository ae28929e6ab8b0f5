"""What readers hand back: records, and problems located by line and entry."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from metasummary.models import RecordData
from metasummary.sources import normalise as norm
from metasummary.sources.text import Document


@dataclass(frozen=True, slots=True)
class Problem:
    """An entry that could not be read (or, with ``warning``, a value that was dropped).

    ``line`` is 1-based; ``index`` is the entry's 0-based position in the file when known.
    """

    line: int | None
    message: str
    index: int | None = None
    raw: str = ""
    warning: bool = False

    def located(self, name: str) -> str:
        return f"{name}:{self.line}: {self.message}" if self.line else f"{name}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"index": self.index, "line": self.line, "error": self.message, "raw": self.raw}


Item = RecordData | Problem
"""Readers yield one item per entry, in file order, plus problems found between entries."""


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Choices a reader may need: the generic CSV reader's column map (field -> header)."""

    columns: Mapping[str, str] = field(default_factory=dict)


Reader = Callable[[Document, ReadOptions], Iterator[Item]]

# A mapping bug on one odd entry must not abort the file: it becomes that entry's problem.
_ENTRY_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, AssertionError)


def build(
    index: int, line: int, raw: str, make: Callable[[], RecordData], *, key: str = ""
) -> Item:
    """Run ``make`` for one entry and stamp the record with where it came from."""
    try:
        record = make()
    except _ENTRY_ERRORS as exc:
        return Problem(line, f"entry {index + 1}: cannot be read ({exc})", index, raw)
    decode_fields(record)
    record.entry_index = index
    record.entry_line = line
    record.raw = raw
    if key and not record.original_key:
        record.original_key = key
    return record


def decode_fields(record: RecordData) -> RecordData:
    """Every text field without HTML or LaTeX markup, whichever reader filled it.

    Readers decode what their format is known for (BibTeX's LaTeX, Crossref's JATS tags);
    this catches the rest: a RIS title with ``&amp;``, a CSV author ``B&#246;hm``, a BibTeX-born
    ``{USDL}`` in a Scopus CSV. ``raw`` keeps the entry as it stood in the file.
    """
    every = "\n".join(
        [
            record.title,
            record.abstract,
            record.venue,
            record.publisher,
            record.volume,
            record.issue,
            record.pages,
            *record.authors,
            *record.keywords,
        ]
    )
    if not norm.needs_decoding(every) and record.abstract[:8].lower() != "abstract":
        return record  # the usual case: one scan instead of one per value
    decode = norm.decode_markup
    record.title = decode(record.title)
    record.abstract = norm.decode_abstract(record.abstract)
    record.venue = decode(record.venue)
    record.publisher = decode(record.publisher)
    record.authors = [decode(name) for name in record.authors]
    record.keywords = [decode(word) for word in record.keywords]
    for name in ("volume", "issue", "pages"):
        value = getattr(record, name)
        if value and ("&" in value or "{" in value):
            setattr(record, name, decode(value))
    return record


def line_of(text: str, offset: int, *, start: int = 0, start_line: int = 1) -> int:
    """1-based line of ``offset``, counting on from a known ``start`` offset and its line."""
    return start_line + text.count("\n", start, offset)


YEAR_TEXT = "year_text"
"""Key in ``RecordData.extra`` holding a year value that is not a year (reported as a warning)."""


def set_year(record: RecordData, value: object) -> RecordData:
    """Set ``record.year`` from ``value``; keep an unreadable value as text in ``extra``."""
    record.year = norm.year(value)
    if record.year is None:
        text = norm.clean(value)
        if text:
            record.extra[YEAR_TEXT] = text
    return record
