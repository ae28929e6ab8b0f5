"""JSON documents whose records sit in one array, read with each item's line.

``json.loads`` gives no positions, so the array is walked with ``raw_decode`` (the same C
scanner): each item comes with the line it starts on and its own JSON text as the raw entry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from metasummary.errors import ImportFileError
from metasummary.models import RecordData
from metasummary.sources.entries import CUT_SHORT, Item, Problem, build, line_of
from metasummary.sources.text import Document

_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


@dataclass(frozen=True, slots=True)
class JsonItem:
    index: int
    line: int
    value: Any
    raw: str


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _SPACE:
        pos += 1
    return pos


def _fail(doc: Document, pos: int, what: str) -> ImportFileError:
    if not doc.text[pos:].strip():  # nothing left where more JSON was due
        return _cut(doc, pos)
    return ImportFileError(f"{doc.name}:{line_of(doc.text, pos)}: not valid JSON ({what})")


def _cut(doc: Document, pos: int) -> ImportFileError:
    return ImportFileError(
        f"{doc.name}:{line_of(doc.text, pos)}: the file ends before the JSON does ({CUT_SHORT})"
    )


def _value(doc: Document, pos: int) -> tuple[Any, int]:
    try:
        return _DECODER.raw_decode(doc.text, pos)
    except json.JSONDecodeError as exc:
        if _runs_to_end(doc.text, exc):
            raise _cut(doc, exc.pos) from None
        raise ImportFileError(f"{doc.name}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise _fail(doc, pos, "nested too deeply") from None


def _runs_to_end(text: str, exc: json.JSONDecodeError) -> bool:
    """Whether the decoder stopped because the text ran out (a value, string or container
    left open), not at a wrong character."""
    if not text[exc.pos :].strip():
        return True
    # An unterminated string is reported where it starts; it runs to the end of the file.
    return exc.msg.startswith("Unterminated string")


def _expect(doc: Document, pos: int, char: str, what: str) -> int:
    pos = _skip(doc.text, pos)
    if pos >= len(doc.text) or doc.text[pos] != char:
        raise _fail(doc, pos, f"expected {what}")
    return pos + 1


def _find(doc: Document, pos: int, path: Sequence[str]) -> int | None:
    """The offset of the value at ``path`` (object keys from the value at ``pos``)."""
    text = doc.text
    for key in path:
        pos = _skip(text, pos)
        if pos >= len(text) or text[pos] != "{":
            return None
        pos = _skip(text, pos + 1)
        found = False
        while pos < len(text) and text[pos] != "}":
            name, pos = _value(doc, pos)
            pos = _skip(text, _expect(doc, pos, ":", "':'"))
            if name == key:
                found = True
                break
            _, pos = _value(doc, pos)
            pos = _skip(text, pos)
            if pos < len(text) and text[pos] == ",":
                pos = _skip(text, pos + 1)
        if not found:
            return None
    return _skip(text, pos)


def array_items(doc: Document, path: Sequence[str] = ()) -> Iterator[JsonItem]:
    """Items of the array at ``path`` (``()`` for a top-level array), with their lines."""
    text = doc.text
    start = _find(doc, 0, path)
    where = ".".join(path) or "the top level"
    if start is None or start >= len(text) or text[start] != "[":
        raise ImportFileError(f"{doc.name}: expected an array of records at {where}")
    pos = _skip(text, start + 1)
    index = 0
    last_pos, last_line = 0, 1
    while pos < len(text) and text[pos] != "]":
        value, end = _value(doc, pos)
        last_line = line_of(text, pos, start=last_pos, start_line=last_line)
        last_pos = pos
        yield JsonItem(index, last_line, value, text[pos:end])
        index += 1
        pos = _skip(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
        elif pos < len(text) and text[pos] != "]":
            raise _fail(doc, pos, "expected ',' or ']' between records")
    if pos >= len(text):
        raise _fail(doc, pos, f"the array at {where} is not closed")


def load(doc: Document) -> Any:
    """The whole document (for sniffing the shape); errors located by line."""
    try:
        return json.loads(doc.text)
    except json.JSONDecodeError as exc:
        if _runs_to_end(doc.text, exc):
            raise _cut(doc, exc.pos) from None
        raise ImportFileError(f"{doc.name}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise ImportFileError(f"{doc.name}: not valid JSON (nested too deeply)") from None


def text_of(value: Any) -> str:
    """A JSON scalar or list of scalars as one folded string."""
    if value is None or isinstance(value, dict):
        return ""
    if isinstance(value, list):
        return " ".join(text_of(v) for v in value if v is not None).strip()
    return " ".join(str(value).split())


def dig(value: Any, *path: str | int) -> Any:
    """``value[path[0]][path[1]]...`` or None where the shape differs."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or not -len(value) <= step < len(value):
                return None
        elif not isinstance(value, dict):
            return None
        value = value[step] if isinstance(step, int) else value.get(step)
    return value


def json_sniff(head: str, *markers: str) -> bool:
    stripped = head.lstrip()
    return stripped[:1] in ("{", "[") and all(m in head for m in markers)


def read_array(
    doc: Document, path: Sequence[str], make: Callable[[dict[str, Any]], RecordData]
) -> Iterator[Item]:
    """One record (or located problem) per item of the array at ``path``."""
    for item in array_items(doc, path):
        if not isinstance(item.value, dict):
            yield Problem(
                item.line, f"entry {item.index + 1} is not a JSON object", item.index, item.raw
            )
            continue
        yield build(item.index, item.line, item.raw, partial(make, item.value))
