"""Sets of record ids written into SQL as integers, for filters of tens of thousands of ids."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

import sqlalchemy as sa


class IdSet:
    """Ids to filter by, written into the SQL as integers, once however often it is used.

    Sets of tens of thousands of ids pass no bound-parameter limit this way, and skip
    SQLAlchemy's per-value literal rendering, which costs more than the query. Statements
    holding one run with :data:`UNCACHED`, so each distinct list is not kept in the
    statement cache.
    """

    def __init__(self, values: Iterable[int]) -> None:
        self.values = frozenset(int(value) for value in values)

    def __len__(self) -> int:
        return len(self.values)

    def __bool__(self) -> bool:
        return bool(self.values)

    @cached_property
    def sql(self) -> str:
        return "(" + ",".join(str(value) for value in sorted(self.values)) + ")"


def in_ids(
    column: sa.ColumnElement[Any], ids: IdSet, *, negate: bool = False
) -> sa.ColumnElement[bool]:
    """``column IN (1,2,...)`` (or ``NOT IN``) for an :class:`IdSet`."""
    if not ids:
        return sa.true() if negate else sa.false()
    operator = "NOT IN" if negate else "IN"
    return column.op(operator, is_comparison=True)(sa.literal_column(ids.sql))


UNCACHED: dict[str, Any] = {"compiled_cache": None}
