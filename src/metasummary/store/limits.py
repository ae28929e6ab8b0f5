"""How much the store takes: the range of its integers and the length of its text columns.

The faces check what a request or a command line carries against these before any query (a
number too large for the database is a clear error naming the field, not a crash inside the
driver), and the store's own writes check text lengths, so no path stores an unbounded note.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from metasummary.errors import InputError

INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
"""``sa.Integer`` (ids, positions, counts, years): 32 bits on PostgreSQL, wider on SQLite; the
narrower one is the review's range, so a review moves between the two."""


def max_length(column: sa.Column[Any]) -> int | None:
    """The most characters ``column`` holds: its declared size, or the bound the schema gives a
    text column people type into (``info={"max_length": N}``); None when unbounded."""
    length = getattr(column.type, "length", None)
    if isinstance(length, int):
        return length
    bound = column.info.get("max_length")
    return int(bound) if bound is not None else None


def check(table: sa.Table, values: Mapping[str, Any]) -> None:
    """Refuse a text value longer than its column holds (before it is written)."""
    for name, value in values.items():
        if not isinstance(value, str) or name not in table.c:
            continue
        limit = max_length(table.c[name])
        if limit is not None and len(value) > limit:
            raise InputError(
                f"{table.name}.{name}: {len(value):,} characters; at most {limit:,} are kept "
                "(shorten it)"
            )
