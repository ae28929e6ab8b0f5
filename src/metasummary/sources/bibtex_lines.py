"""An entry the BibTeX parser gave up on, read again one field per line.

Library exports (EBSCO's among them) write every field on a line of its own. When one value
is broken (EBSCO has shipped keywords scraped from a web page, full of unbalanced braces), the
parser loses the whole entry; read line by line, every other field is sound. The entry is
read this way only when each of its lines is a field, its closing brace or blank, and a field
whose braces do not balance is what broke it: that field is named in a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEAD = re.compile(r"^[ \t]*@[ \t]*([A-Za-z][\w-]*)[ \t]*[{(][ \t]*([^,\s]*)[ \t]*,[ \t]*$")
_FIELD = re.compile(r"^[ \t]*([A-Za-z][\w:.-]*)[ \t]*=[ \t]*(.*?)[ \t]*,?[ \t]*$")
_BARE = re.compile(r"^[\w.:/+-]+$")


@dataclass(frozen=True, slots=True)
class LineEntry:
    entry_type: str
    key: str
    fields: dict[str, list[str]]
    broken: list[str]
    """Fields whose braces do not balance (read as they stand on their line)."""


def read_lines(lines: list[str]) -> LineEntry | None:
    """The entry in ``lines`` (from its ``@type{key,`` line), or None if it is not laid out
    one field per line or nothing in it explains the parser's failure."""
    if not lines:
        return None
    head = _HEAD.match(lines[0])
    if head is None:
        return None
    fields: dict[str, list[str]] = {}
    broken: list[str] = []
    for line in lines[1:]:
        stripped = line.strip()
        if not stripped or stripped in ("}", ")"):
            continue
        match = _FIELD.match(line)
        if match is None:
            return None
        name, value = match.group(1).lower(), match.group(2)
        if len(value) >= 2 and (value[0], value[-1]) in (("{", "}"), ('"', '"')):
            value = value[1:-1]
        elif not _BARE.match(value):
            return None
        if value.count("{") != value.count("}"):
            broken.append(name)
        fields.setdefault(name, []).append(value)
    if not broken:
        return None
    return LineEntry(head.group(1).lower(), head.group(2), fields, broken)
