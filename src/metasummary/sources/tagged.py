"""Blank-line separated, field-tagged records (PubMed MEDLINE ``.nbib``, EndNote ``.enw``).

A record begins at its start tag and runs to the next blank line or start tag; a line that is
not a tag continues the field before it. Tag lines found outside a record mean a start tag is
missing, which would lose the record, so they are reported at their line.

A file cut short shows in its last record: when every other record ends with the same tag
(PubMed's ``SO``) and the last one does not, it was cut (a problem, as RIS's missing ``ER``
is); when the file merely stops in the middle of a line, its last value may be cut (a warning).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from metasummary.sources.entries import CUT_SHORT, Problem
from metasummary.sources.text import Document

TagParser = Callable[[str], tuple[str, str] | None]


@dataclass(slots=True)
class TaggedEntry:
    index: int
    line: int
    fields: dict[str, list[str]]
    raw: str


def entries(
    doc: Document, parse_tag: TagParser, start_tag: str | None, what: str
) -> Iterator[TaggedEntry | Problem]:
    """Records and misplaced tag lines, in file order.

    ``start_tag`` opens a record even without a blank line before it; None means records are
    only separated by blank lines and any tag opens one (EndNote's "refer" export).
    """
    lines = doc.lines()
    start: int | None = None
    fields: dict[str, list[str]] = {}
    last = ""
    index = 0
    orphan = False
    held: tuple[TaggedEntry, str] | None = None  # the latest record: is it the file's last?
    endings: set[str] = set()  # the last tag of every record before it
    closed = 0

    def close(end: int) -> Iterator[TaggedEntry]:
        nonlocal held, closed, index
        assert start is not None
        entry = TaggedEntry(index, start + 1, fields, "\n".join(lines[start:end]).rstrip())
        index += 1
        if held is not None:
            yield held[0]
            endings.add(held[1])
            closed += 1
        held = (entry, last)

    for number, line in enumerate(lines):
        parsed = parse_tag(line)
        opens = parsed is not None and (
            parsed[0] == start_tag or (start_tag is None and start is None)
        )
        if parsed is not None and opens:
            if start is not None:
                yield from close(number)
            start, fields, last, orphan = number, {}, parsed[0], False
            fields[parsed[0]] = [parsed[1]]
            continue
        if start is None:
            if parsed is not None and not orphan:
                if held is not None:  # in file order: the record before comes first
                    yield held[0]
                    held = None
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
            yield from close(number)
            start = None
        elif parsed is not None:
            last = parsed[0]
            fields.setdefault(last, []).append(parsed[1])
        else:
            values = fields.setdefault(last, [""])
            values[-1] = f"{values[-1]}\n{line.strip()}".strip()
    if start is not None:
        yield from close(len(lines))
    if held is not None:
        yield from _last(held[0], held[1], endings, closed, doc.text, what)


def _last(
    entry: TaggedEntry, tag: str, endings: set[str], closed: int, text: str, what: str
) -> Iterator[TaggedEntry | Problem]:
    """The record the file ends in, or why it looks cut short."""
    if closed >= 2 and len(endings) == 1 and tag not in endings:
        (usual,) = endings
        yield Problem(
            entry.line,
            f"{what} {entry.index + 1} stops at the end of the file before its '{usual}' line, "
            f"which every other {what} ends with ({CUT_SHORT})",
            entry.index,
            entry.raw,
        )
        return
    if text and not text.endswith("\n"):
        yield Problem(
            len(text.split("\n")),
            f"the file stops in the middle of a line, so the last value of {what} "
            f"{entry.index + 1} may be incomplete ({CUT_SHORT})",
            warning=True,
        )
    yield entry


def first(fields: dict[str, list[str]], *tags: str) -> str:
    for tag in tags:
        for value in fields.get(tag, []):
            if value.strip():
                return " ".join(value.split())
    return ""


def every(fields: dict[str, list[str]], *tags: str) -> list[str]:
    return [" ".join(v.split()) for tag in tags for v in fields.get(tag, []) if v.strip()]
