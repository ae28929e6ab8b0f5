"""``migrate-db``: a review moved from one database to another (SQLite to PostgreSQL when a
team outgrows a laptop, and back), losing nothing.

Every table is copied row for row with its ids, then compared row for row with the source
before the target commits (:mod:`metasummary.store.transfer`): the target ends up holding
exactly the source, or nothing. The source is read in one snapshot; writes made to it during
the move are not carried over, and the result says so.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass

from metasummary.errors import InputError
from metasummary.store import Store
from metasummary.store.engine import resolve_url
from metasummary.store.phases import data_version
from metasummary.store.transfer import TableCount, copy_all


@dataclass(frozen=True, slots=True)
class MoveResult:
    source: str
    target: str
    tables: list[TableCount]
    changed_meanwhile: bool = False
    """The source was written to during the move (those writes are not in the target)."""

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def move_database(
    source: str, target: str, progress: Callable[[str, int], None] | None = None
) -> MoveResult:
    """Copy the review in ``source`` into the empty database ``target`` (URLs or SQLite paths).

    Raises:
        InputError: The same database twice.
        StoreError: The source is not a review, the target holds one, or a row was refused
            (the target is left empty).
    """
    from_url, to_url = resolve_url(None, source), resolve_url(None, target)
    if from_url == to_url:
        raise InputError(f"--to {target}: the same database as --from")
    with closing(Store(from_url, create=False)) as src:
        with src.read() as conn:
            before = data_version(conn)
        with closing(Store(to_url, create=True)) as dst:
            tables = copy_all(src, dst, progress)
        with src.read() as conn:
            after = data_version(conn)
    return MoveResult(src.display_url, dst.display_url, tables, changed_meanwhile=before != after)
