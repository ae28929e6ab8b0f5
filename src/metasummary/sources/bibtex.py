"""BibTeX (ACM DL, IEEE Xplore, ScienceDirect, Scopus, Web of Science, Zotero), by bibtexparser 2.

bibtexparser collects broken blocks in ``failed_blocks`` and carries on, and an entry with an
unbalanced brace can swallow the entries after it; so entries are also counted here from
their ``@type{`` lines, and every entry the parser did not return is reported at its line.
Repeated fields (ScienceDirect writes one ``keywords`` field per keyword) are folded.

A file cut short is said to be: an entry the parser gave up on at the end of the file, or a
last line that starts an entry (``@inp``) and stops. bibtexparser logs each block it gives up
on; those lines are kept out of the terminal (the reason is in the problem reported here).
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from bibtexparser import model
from bibtexparser.entrypoint import parse_string
from bibtexparser.exceptions import BlockAbortedException

from metasummary.models import RecordData
from metasummary.sources import normalise as norm
from metasummary.sources.bibtex_lines import read_lines
from metasummary.sources.bulk import BulkParse
from metasummary.sources.entries import CUT_SHORT, Item, Problem, ReadOptions, build, set_year
from metasummary.sources.linestarts import LinePattern
from metasummary.sources.text import Document

_START_BODY = r"[ \t]*@[ \t]*([A-Za-z][\w-]*)[ \t]*[{(]"
_START = re.compile("^" + _START_BODY, re.MULTILINE)
_START_LINES = LinePattern(_START_BODY)  # the same lines, found fast in a whole file
_NOT_ENTRIES = frozenset({"string", "comment", "preamble"})
INVALID = "not a valid BibTeX entry"
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_CUT_START = re.compile(r"^[ \t]*(@[ \t]*[A-Za-z][\w-]*[^{(\n]*)\Z", re.MULTILINE)
"""A last line that starts an entry and stops before its brace."""

# Every problem is reported with its line; the parser's own log lines would only repeat them
# on the terminal, or in the middle of a progress bar.
_PARSER_LOG = logging.getLogger("bibtexparser")
_PARSER_LOG.addHandler(logging.NullHandler())
_PARSER_LOG.propagate = False


def sniff(head: str) -> bool:
    return any(m.group(1).lower() not in _NOT_ENTRIES for m in _START.finditer(head))


def entry_lines(text: str) -> list[int]:
    """1-based lines of every ``@type{`` that opens an entry, counted without the parser."""
    starts = []
    line = 1
    position = 0
    for start, match in _START_LINES.finditer(text):
        if match.group(1).lower() in _NOT_ENTRIES:
            continue
        line += text.count("\n", position, start)
        position = start
        starts.append(line)
    return starts


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    expected = entry_lines(doc.text)
    with BulkParse() as bulk:
        # Only the blocks are kept, not the library that also indexes them by key, so each
        # block is let go once its record is built: records and blocks never all sit in
        # memory at once.
        blocks = deque(bulk.run(lambda: parse_string(doc.text)).blocks)
        starts = [_start(block) for block in blocks]
        if all(a <= b for a, b in pairwise(starts)):
            found = _in_file_order(blocks, expected)
        else:  # the parser went back in the file; never seen, but then sort as a whole
            found = iter(_sorted(blocks, expected))
        index = 0
        lines = doc.lines()
        for _line, item in found:
            if isinstance(item, Problem) and item.warning:
                yield item
                continue
            if isinstance(item, Problem) and item.message.startswith(INVALID):
                recovered = _by_lines(lines, item.line or 0, expected)
                if recovered is not None:
                    warning, record = recovered
                    yield warning
                    item = record
            if isinstance(item, Problem):
                yield Problem(item.line, item.message, index, item.raw)
            else:
                item.entry_index = index
                yield item
            index += 1
        cut = cut_start(doc.text)
        if cut is not None:
            yield Problem(cut.line, cut.message, index)


def _start(block: model.Block) -> int:
    """The line the items read from ``block`` carry (see :func:`_read_block`)."""
    if isinstance(block, model.DuplicateFieldKeyBlock | model.DuplicateBlockKeyBlock):
        inner = block.ignore_error_block
        if isinstance(inner, model.Entry):
            block = inner
    return (block.start_line or 0) + 1


def _in_file_order(blocks: deque[model.Block], expected: list[int]) -> Iterator[tuple[int, Item]]:
    """Items of blocks whose lines never go back, with the entries the parser lost in between.

    Yields what sorting all of them by line would, one block at a time.
    """
    pending = 0  # expected[pending:] are entry lines no block has reached yet
    while blocks:
        for line, item in _read_block(blocks.popleft()):
            while pending < len(expected) and expected[pending] < line:
                yield expected[pending], _not_read(expected[pending])
                pending += 1
            if pending < len(expected) and expected[pending] == line:
                pending += 1
            yield line, item
    for line in expected[pending:]:
        yield line, _not_read(line)


def _sorted(blocks: deque[model.Block], expected: list[int]) -> list[tuple[int, Item]]:
    found = [pair for block in blocks for pair in _read_block(block)]
    seen = {line for line, _ in found}
    found.extend((line, _not_read(line)) for line in expected if line not in seen)
    found.sort(key=lambda pair: pair[0])
    return found


def _not_read(line: int) -> Problem:
    return Problem(
        line,
        "this entry was not read by the BibTeX parser; check the braces and quotes of the "
        "entry before it",
    )


def _read_block(block: model.Block) -> list[tuple[int, Item]]:
    """The record or problem (and a duplicate key's warning) of one block, with its line."""
    if isinstance(block, model.Entry):
        entry: model.Entry | None = block
        warning = ""
    elif isinstance(block, model.DuplicateFieldKeyBlock | model.DuplicateBlockKeyBlock):
        inner = block.ignore_error_block
        entry = inner if isinstance(inner, model.Entry) else None
        warning = (
            f"key '{entry.key}' is used by an earlier entry too"
            if isinstance(block, model.DuplicateBlockKeyBlock) and entry is not None
            else ""
        )
    elif isinstance(block, model.ParsingFailedBlock):
        line = (block.start_line or 0) + 1
        if _START.match(block.raw or ""):
            return [(line, Problem(line, _failure(block.error)))]
        return []
    else:
        return []
    if entry is None:
        return []
    if not isinstance(block, model.Entry):
        _unenclose(entry)  # the parse stack skips entries held inside failed blocks
    line = (entry.start_line or 0) + 1
    found: list[tuple[int, Item]] = []
    if warning:
        found.append((line, Problem(line, warning, warning=True)))
    found.append((line, _entry(entry, line)))
    return found


def _by_lines(lines: list[str], line: int, starts: list[int]) -> tuple[Problem, Item] | None:
    """The entry starting at ``line`` read one field per line, and the warning saying so."""
    end = next((s for s in starts if s > line), len(lines) + 1)
    found = read_lines(lines[line - 1 : end - 1])
    if found is None:
        return None
    named = ", ".join(f"'{name}'" for name in found.broken)
    warning = Problem(
        line,
        f"{named}: its braces do not balance, so the entry was read one field per line; "
        "check the value",
        warning=True,
    )
    raw = "\n".join(lines[line - 1 : end - 1]).rstrip()
    return warning, build(
        0, line, raw, lambda: _record(found.entry_type, found.fields), key=found.key
    )


def _failure(error: Exception) -> str:
    """Why the parser gave up on an entry, in its words."""
    if isinstance(error, BlockAbortedException):
        reason = " ".join(error.abort_reason.split()).rstrip(".")
        if error.end_index is None or "end of file" in reason.lower():  # ran into the end
            return f"the file ends inside this entry ({CUT_SHORT})"
        return f"{INVALID}: {reason}"
    return f"{INVALID}: {str(error).strip() or type(error).__name__}"


def cut_start(text: str) -> Problem | None:
    """The problem of a file whose last line starts an entry and stops (``@inp``)."""
    match = _CUT_START.search(text.rstrip())
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    begun = match.group(1).strip()[:30]
    return Problem(line, f"the file ends with '{begun}', the start of an entry ({CUT_SHORT})")


def _unenclose(entry: model.Entry) -> None:
    for fld in entry.fields:
        value = fld.value
        pair = (value[0], value[-1]) if isinstance(value, str) and len(value) >= 2 else None
        if pair in (("{", "}"), ('"', '"')):
            fld.value = value[1:-1]


def _entry(entry: model.Entry, line: int) -> Item:
    fields: dict[str, list[str]] = {}
    for fld in entry.fields:
        value = fld.value if isinstance(fld.value, str) else str(fld.value)
        fields.setdefault(fld.key.lower(), []).append(value)
    raw = entry.raw or ""
    return build(0, line, raw, lambda: _record(entry.entry_type, fields), key=entry.key.strip())


def _get(fields: dict[str, list[str]], *names: str, join: str = " ") -> str:
    for name in names:
        values = fields.get(name)
        if not values:
            continue
        if len(values) == 1:  # the usual case, without the list and the join
            if values[0] and values[0].strip():
                return norm.decode_latex(values[0])
            continue
        values = [v for v in values if v and v.strip()]
        if values:
            return join.join(norm.decode_latex(v) for v in values)
    return ""


def _keywords(fields: dict[str, list[str]]) -> list[str]:
    out: list[str] = []
    for name in ("keywords", "author_keywords", "keyword", "keywords-plus"):
        for value in fields.get(name, []):
            separators = ";" if ";" in value else ","
            out.extend(norm.split_list(norm.decode_latex(value), separators))
    return norm.unique(out)


def _record(entry_type: str, fields: dict[str, list[str]]) -> RecordData:
    names = [norm.decode_latex(n) for v in fields.get("author", []) for n in _AND.split(v)]
    references: list[str] = []
    for value in fields.get("cited-references", []):
        references.extend(norm.fold_space(r) for r in value.split("\n") if r.strip())
    for value in fields.get("references", []):
        references.extend(norm.split_list(value, ";"))
    extra: dict[str, Any] = {}
    for name in ("issn", "isbn", "note", "unique-id", "document_type", "source"):
        if fields.get(name):
            extra[name] = _get(fields, name)
    url = _get(fields, "url")
    record = RecordData(
        title=_get(fields, "title"),
        abstract=_get(fields, "abstract"),
        authors=norm.authors(names),
        venue=_get(fields, "journal", "booktitle", "series", "publisher"),
        volume=_get(fields, "volume"),
        issue=_get(fields, "number", "issue"),
        pages=norm.pages(_get(fields, "pages")),
        doi=norm.doi(_get(fields, "doi")) or norm.doi(url),
        url=url.split()[0] if url else "",
        keywords=_keywords(fields),
        type=entry_type.lower(),
        language=_get(fields, "language"),
        publisher=_get(fields, "publisher"),
        references=norm.unique(references),
        extra=extra,
    )
    return set_year(record, _get(fields, "year") or _get(fields, "date"))
