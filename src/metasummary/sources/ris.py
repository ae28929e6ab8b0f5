"""RIS (IEEE Xplore, Scopus, Zotero, ACM, EndNote, Mendeley): entries split here, fields by rispy.

rispy silently drops an entry without a ``TY`` or ``ER`` line and merges one whose ``ER`` is
missing into the next, so the file is split into entries here first, each checked, and rispy
parses one entry at a time: every entry in the file is either a record or a located problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import Any

import rispy

from metasummary.models import RecordData
from metasummary.sources import normalise as norm
from metasummary.sources.bulk import BulkParse
from metasummary.sources.entries import Item, Problem, ReadOptions, build, set_year
from metasummary.sources.linestarts import LinePattern
from metasummary.sources.text import Document

_LOOSE_TY = re.compile(r"^\s*TY\s*-")
_TAG_LINE = re.compile(r"^(?:[A-Z][A-Z0-9]  -|TY)", re.MULTILINE)
# Whole-file scans that check a file's structure before rispy reads it in one pass.
_TY_LINES = LinePattern(r"TY  -")
_ER_LINES = LinePattern(r"ER  -[^\n]*")
_LOOSE_TY_LINES = LinePattern(r"[ \t]*TY[ \t]*-")


def _tag(line: str) -> str | None:
    # rispy's own rule for a tag line, so both sides agree on where entries start.
    if line[2:5] == "  -" and line[:2].isupper() and line[0:1].isalpha():
        return line[:2]
    return None


def sniff(head: str) -> bool:
    """A ``TY  - `` line among the first 50 (some exports open with a provider header)."""
    return any(line.startswith("TY  -") for line in head.split("\n", 50)[:50])


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    parser = rispy.RisParser(enforce_list_tags=False)
    spans = _clean_spans(doc.text)
    if spans is not None:
        # A well-formed file (every TY closed by ER, nothing between entries): rispy reads it
        # in one pass, and the counts are checked against the spans found here.
        with BulkParse() as bulk:
            try:
                entries = bulk.run(lambda: parser.parse(doc.text))
            except (TypeError, ValueError, KeyError, IndexError, AttributeError):
                # rispy trips over some damaged tag combinations; the slow path locates them.
                entries = []
            if len(entries) == len(spans):
                yield from _fast(doc.text, spans, entries)
                return
    yield from _entry_by_entry(doc, parser)


def _clean_spans(text: str) -> list[tuple[int, int]] | None:
    """(start, end) of every entry when the file's structure is sound; else None."""
    starts = [start for start, _ in _TY_LINES.spans(text)]
    ends = [end for _, end in _ER_LINES.spans(text)]
    if not starts or len(starts) != len(ends):
        return None
    if len(_LOOSE_TY_LINES.spans(text)) != len(starts):
        return None
    gap_start = 0
    for start, end in zip(starts, ends, strict=True):
        if not gap_start <= start < end or _TAG_LINE.search(text, gap_start, start):
            return None
        gap_start = end
    if _TAG_LINE.search(text, gap_start):
        return None
    return list(zip(starts, ends, strict=True))


def _fast(text: str, spans: list[tuple[int, int]], entries: list[dict[str, Any]]) -> Iterator[Item]:
    line, position = 1, 0
    for index, ((start, end), entry) in enumerate(zip(spans, entries, strict=True)):
        line += text.count("\n", position, start)
        position = start
        yield build(index, line, text[start:end], partial(_record, entry))


def _entry_by_entry(doc: Document, parser: rispy.RisParser) -> Iterator[Item]:
    lines = doc.lines()
    start: int | None = None
    index = 0
    orphan_reported = False
    for number, line in enumerate(lines):
        tag = _tag(line)
        if start is None:
            if tag == "TY":
                start = number
                orphan_reported = False
            elif tag is None and _LOOSE_TY.match(line):
                yield Problem(
                    number + 1,
                    f"'{line.strip()[:20]}' is not a RIS TY line (write 'TY  - ' with two "
                    "spaces before the dash); this entry was not read",
                    index,
                )
                index += 1
            elif tag is not None and tag != "ER" and not orphan_reported:
                yield Problem(
                    number + 1,
                    f"'{tag}' line outside an entry: the entry has no 'TY  - ' line",
                    index,
                )
                index += 1
                orphan_reported = True
            continue
        if tag == "TY":
            yield Problem(
                start + 1,
                f"entry {index + 1} has no 'ER  - ' line before the next entry at line "
                f"{number + 1}",
                index,
                "\n".join(lines[start:number]),
            )
            index += 1
            start = number
        elif tag == "ER":
            yield _entry(parser, lines[start : number + 1], index, start + 1)
            index += 1
            start = None
    if start is not None:
        yield Problem(
            start + 1,
            f"entry {index + 1} has no 'ER  - ' line (is the file cut short?)",
            index,
            "\n".join(lines[start:]),
        )


def _entry(parser: rispy.RisParser, chunk: list[str], index: int, line: int) -> Item:
    raw = "\n".join(chunk)
    try:
        parsed = parser.parse_lines(iter(chunk))
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        return Problem(line, f"entry {index + 1}: rispy could not read it ({exc})", index, raw)
    if len(parsed) != 1:
        return Problem(line, f"entry {index + 1}: rispy could not read it", index, raw)
    entry: dict[str, Any] = parsed[0]
    return build(index, line, raw, lambda: _record(entry))


def _first(entry: dict[str, Any], *names: str) -> str:
    for name in names:
        value = entry.get(name)
        if value is None:  # most of the names asked for are not in a given entry
            continue
        if isinstance(value, list):
            value = " ".join(str(v) for v in value)
        text = norm.clean(value)
        if text:
            return text
    return ""


def _all(entry: dict[str, Any], *names: str) -> list[str]:
    out: list[str] = []
    for name in names:
        value = entry.get(name)
        if isinstance(value, list):
            out.extend(str(v) for v in value)
        elif value:
            out.append(str(value))
    return out


def _record(entry: dict[str, Any]) -> RecordData:
    keywords: list[str] = []
    for value in _all(entry, "keywords"):
        keywords.extend(norm.split_list(value, ";"))
    urls = [u for u in _all(entry, "urls") if u.strip()]
    doi = norm.doi(_first(entry, "doi")) or next((norm.doi(u) for u in urls if norm.doi(u)), "")
    extra: dict[str, Any] = {}
    unknown = entry.get("unknown_tag")
    if unknown:
        extra["unknown_tags"] = {str(k): list(v) for k, v in dict(unknown).items()}
    for key in ("issn", "notes", "name_of_database", "accession_number"):
        if entry.get(key):
            extra[key] = entry[key]
    record = RecordData(
        title=norm.strip_html(_first(entry, "title", "primary_title", "translated_title")),
        abstract=_first(entry, "abstract", "notes_abstract"),
        authors=norm.authors(_all(entry, "authors", "first_authors")),
        venue=_first(
            entry, "secondary_title", "journal_name", "alternate_title3", "alternate_title1"
        ),
        volume=_first(entry, "volume"),
        issue=_first(entry, "number"),
        pages=norm.pages(_first(entry, "start_page"), _first(entry, "end_page")),
        doi=doi,
        url=urls[0].strip() if urls else "",
        keywords=norm.unique(keywords),
        type=_first(entry, "type_of_reference"),
        language=_first(entry, "language"),
        publisher=_first(entry, "publisher"),
        original_key=_first(entry, "id"),
        extra=extra,
    )
    return set_year(record, _first(entry, "year", "publication_year", "date"))
