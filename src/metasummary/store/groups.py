"""Duplicate groups: which records stand for the same paper.

Dedup never deletes: a duplicate points at its canonical record with ``duplicate_of``. A group
is a canonical record and everything pointing at it; it is screened once and counted once.

A record of an undone import (``RecordLink.live`` false) still belongs to its group, so the
decisions made on it count for the paper, but it is not counted: ``members`` and
``source_of`` hold the records that count, ``everyone`` every record (what link changes
must move together).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa

from metasummary.store.counts import RecordLink
from metasummary.store.schema import records


class DuplicateGroups:
    """The canonical record of every record, and the members of every group."""

    def __init__(self, links: Iterable[RecordLink]) -> None:
        self.source_of: dict[int, int] = {}
        parent: dict[int, int | None] = {}
        uncounted = False
        for link in links:
            if link.live:
                self.source_of[link.id] = link.source_id
            else:
                uncounted = True
            parent[link.id] = link.duplicate_of
        self.root_of: dict[int, int] = {}
        for record_id in parent:
            self.root_of[record_id] = _root(record_id, parent)
        self.members: dict[int, list[int]] = defaultdict(list)
        for record_id, root in self.root_of.items():
            if record_id in self.source_of:
                self.members[root].append(record_id)
        self.everyone: dict[int, list[int]] = self.members
        if uncounted:  # only while an import is undone: its records still belong to groups
            self.everyone = defaultdict(list)
            for record_id, root in self.root_of.items():
                self.everyone[root].append(record_id)

    def canonical(self, record_id: int) -> int:
        return self.root_of.get(record_id, record_id)

    def roots(self) -> list[int]:
        return sorted(self.members)

    def sources_of_group(self, root: int) -> set[int]:
        return {self.source_of[m] for m in self.members.get(root, [root]) if m in self.source_of}


_BATCH = 500
"""Record ids per query while following links."""


def canonical_of(conn: sa.Connection, record_ids: Iterable[int]) -> dict[int, int]:
    """The canonical record of each of ``record_ids`` (as :class:`DuplicateGroups` gives it),
    reading only their links: a few records of a large review need not load every group."""
    parent: dict[int, int | None] = {}
    wanted = set(record_ids)
    while wanted:
        batch = sorted(wanted)[:_BATCH]
        query = sa.select(records.c.id, records.c.duplicate_of).where(records.c.id.in_(batch))
        found = {int(row.id): row.duplicate_of for row in conn.execute(query)}
        for record_id in batch:
            parent[record_id] = found.get(record_id)
        wanted -= set(batch)
        wanted |= {int(p) for p in found.values() if p is not None and p not in parent}
    return {record_id: _root(record_id, parent) for record_id in parent}


def _root(record_id: int, parent: dict[int, int | None]) -> int:
    # Links should point straight at the canonical record; follow chains anyway, and on a
    # cycle (a damaged database) take its lowest id, so every member agrees on one root.
    path = [record_id]
    seen = {record_id}
    while (nxt := parent.get(path[-1])) is not None:
        if nxt in seen:
            return min(path[path.index(nxt) :])
        path.append(nxt)
        seen.add(nxt)
    return path[-1]
