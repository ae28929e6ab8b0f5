"""EndNote tagged export (``.enw``, "refer" style: ``%0 Journal Article``, ``%A``, ``%T`` ...).

EndNote starts each record with its ``%0`` type line; other "refer" writers (the AIS
eLibrary's ``.enl``/``.txt`` export) start with ``%T`` and give ``%0`` only sometimes, so there
records are told apart by the blank lines between them alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from metasummary.models import RecordData
from metasummary.sources import normalise as norm
from metasummary.sources.entries import Item, Problem, ReadOptions, build, set_year
from metasummary.sources.tagged import TaggedEntry, entries, every, first
from metasummary.sources.text import Document

_REFER_TAG = re.compile(r"^%[0-9A-Z@!#$&()*+^|~<>?] ")


def parse_tag(line: str) -> tuple[str, str] | None:
    if len(line) >= 2 and line[0] == "%" and (len(line) == 2 or line[2] == " "):
        return line[:2], line[3:].strip()
    return None


def sniff(head: str) -> bool:
    lines = [line for line in head.split("\n", 20)[:20] if line.strip()]
    if not lines:
        return False
    if lines[0].startswith("%0 "):
        return True
    # Plain refer: a tag first, and mostly tags (a LaTeX or BibTeX comment is "% text").
    tagged = [line for line in lines[:10] if _REFER_TAG.match(line)]
    return bool(_REFER_TAG.match(lines[0])) and len(tagged) >= min(3, len(lines))


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    first = next((t for line in doc.lines() if (t := parse_tag(line)) is not None), None)
    start = "%0" if first is not None and first[0] == "%0" else None
    for entry in entries(doc, parse_tag, start, "record"):
        if isinstance(entry, Problem):
            yield entry
        else:
            yield build(entry.index, entry.line, entry.raw, partial(_record, entry))


def _record(entry: TaggedEntry) -> RecordData:
    f = entry.fields
    keywords: list[str] = []
    for value in f.get("%K", []):
        keywords.extend(norm.split_list(value, ";\n"))
    url = first(f, "%U")
    record = RecordData(
        title=first(f, "%T"),
        abstract=first(f, "%X"),
        authors=norm.authors(every(f, "%A")),
        venue=first(f, "%J", "%B"),
        volume=first(f, "%V"),
        issue=first(f, "%N"),
        pages=norm.pages(first(f, "%P")),
        doi=norm.doi(first(f, "%R")) or norm.doi(url),
        url=url,
        keywords=norm.unique(keywords),
        type=first(f, "%0"),
        language=first(f, "%G"),
        publisher=first(f, "%I"),
        original_key=first(f, "%F", "%M"),
        extra={k: first(f, k) for k in ("%@",) if first(f, k)},
    )
    return set_year(record, first(f, "%D", "%8"))
