"""Web of Science: the "Plain text" (field-tagged) and "Tab-delimited" exports.

Both use the same two-letter tags (``TI`` title, ``AF`` full author names, ``CR`` cited
references ...), so one column map serves both. Tab-delimited files come as UTF-8 or UTF-16
("Win" or "Mac"); decoding is done before a reader sees the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from metasummary.sources.entries import Item, Problem, ReadOptions, build
from metasummary.sources.table import Columns, Row, header_cells, read_table
from metasummary.sources.text import Document

COLUMNS = Columns(
    title=("TI",),
    abstract=("AB",),
    authors=("AF", "AU"),
    year=("PY",),
    venue=("SO", "SE"),
    volume=("VL",),
    issue=("IS",),
    first_page=("BP", "AR"),
    last_page=("EP",),
    doi=("DI",),
    keywords=("DE", "ID"),
    type=("DT",),
    language=("LA",),
    publisher=("PU",),
    references=("CR",),
    key=("UT",),
    extra=("SN", "EI", "BN", "TC", "Z9", "PM", "PT"),
)
_LISTS = frozenset({"au", "af", "ba", "bf", "ca", "gp", "be", "cr", "ri", "oi", "em", "c1"})
_TAG = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")


def sniff_plain(head: str) -> bool:
    lines = [line for line in head.split("\n", 5)[:5] if line.strip()]
    return bool(lines) and (lines[0].startswith("FN ") or lines[0].startswith("PT "))


def sniff_tab(head: str) -> bool:
    first = head.split("\n", 1)[0]
    return "\t" in first and {"pt", "au", "ti"} <= header_cells(head)


def read_tab(doc: Document, options: ReadOptions) -> Iterator[Item]:
    return read_table(doc, COLUMNS, delimiter="\t")


def read_plain(doc: Document, options: ReadOptions) -> Iterator[Item]:
    lines = doc.lines()
    start: int | None = None
    fields: dict[str, list[str]] = {}
    last = ""
    index = 0
    ended = False
    for number, line in enumerate(lines):
        if start is None:
            if line.startswith("PT "):
                start, fields, last = number, {"pt": [line[3:].strip()]}, "pt"
            elif line.startswith("EF"):
                ended = True
            elif line.strip() and not line.startswith(("FN ", "VR ", "\ufeff")):
                match = _TAG.match(line)
                if match and match.group(1) not in ("ER",):
                    yield Problem(
                        number + 1,
                        f"'{match.group(1)}' line outside a record: the record has no 'PT' line",
                        index,
                    )
                    index += 1
            continue
        if line.startswith("PT "):
            yield Problem(
                start + 1,
                f"record {index + 1} has no 'ER' line before the next record at line {number + 1}",
                index,
                "\n".join(lines[start:number]),
            )
            index += 1
            start, fields, last = number, {"pt": [line[3:].strip()]}, "pt"
        elif line.rstrip() == "ER":
            raw = "\n".join(lines[start : number + 1])
            yield build(index, start + 1, raw, partial(COLUMNS.record, _row(fields)))
            index += 1
            start = None
        elif line.startswith("   ") or not line.strip():
            if line.strip():
                fields.setdefault(last, []).append(line.strip())
        else:
            match = _TAG.match(line)
            if match is None:
                fields.setdefault(last, []).append(line.strip())
                continue
            last = match.group(1).lower()
            fields.setdefault(last, []).append((match.group(2) or "").strip())
    if start is not None:
        yield Problem(
            start + 1,
            f"record {index + 1} has no 'ER' line (is the file cut short?)",
            index,
            "\n".join(lines[start:]),
        )
    elif not ended and index:
        yield Problem(
            None,
            "no 'EF' end-of-file line: the export may be cut short (every record found was "
            "complete and was read)",
            warning=True,
        )


def _row(fields: dict[str, list[str]]) -> Row:
    return {tag: ("; " if tag in _LISTS else " ").join(values) for tag, values in fields.items()}
