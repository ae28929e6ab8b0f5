"""Blank-line separated, field-tagged records (PubMed MEDLINE ``.nbib``, EndNote ``.enw``).

A record begins at its start tag and runs to the next blank line or start tag; a line that is
not a tag continues the field before it. Tag lines found outside a record mean a start tag is
missing, which would lose the record, so they are reported at their line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from metasummary.sources.entries import Problem
from metasummary.sources.text import Document

TagParser = Callable[[str], tuple[str, str] | None]


@dataclass(slots=True)
class TaggedEntry:
    index: int
    line: int
    fields: dict[str, list[str]]
    raw: str


def entries(
    doc: Document, parse_tag: TagParser, start_tag: str, what: str
) -> Iterator[TaggedEntry | Problem]:
    lines = doc.lines()
    start: int | None = None
    fields: dict[str, list[str]] = {}
    last = ""
    index = 0
    orphan = False

    def finish(end: int) -> TaggedEntry:
        assert start is not None
        return TaggedEntry(index, start + 1, fields, "\n".join(lines[start:end]).rstrip())

    for number, line in enumerate(lines):
        parsed = parse_tag(line)
        if parsed is not None and parsed[0] == start_tag:
            if start is not None:
                yield finish(number)
                index += 1
            start, fields, last, orphan = number, {}, parsed[0], False
            fields[parsed[0]] = [parsed[1]]
            continue
        if start is None:
            if parsed is not None and not orphan:
                yield Problem(
                    number + 1,
                    f"'{parsed[0]}' line outside a record: the {what} has no '{start_tag}' line",
                    index,
                )
                index += 1
                orphan = True
            elif not line.strip():
                orphan = False
            continue
        if not line.strip():
            yield finish(number)
            index += 1
            start = None
        elif parsed is not None:
            last = parsed[0]
            fields.setdefault(last, []).append(parsed[1])
        else:
            values = fields.setdefault(last, [""])
            values[-1] = f"{values[-1]}\n{line.strip()}".strip()
    if start is not None:
        yield finish(len(lines))


def first(fields: dict[str, list[str]], *tags: str) -> str:
    for tag in tags:
        for value in fields.get(tag, []):
            if value.strip():
                return " ".join(value.split())
    return ""


def every(fields: dict[str, list[str]], *tags: str) -> list[str]:
    return [" ".join(v.split()) for tag in tags for v in fields.get(tag, []) if v.strip()]
