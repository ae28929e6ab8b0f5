"""Duplicate groups: which records stand for the same paper.

Dedup never deletes: a duplicate points at its canonical record with ``duplicate_of``. A group
is a canonical record and everything pointing at it; it is screened once and counted once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from metasummary.store.counts import RecordLink


class DuplicateGroups:
    """The canonical record of every record, and the members of every group."""

    def __init__(self, links: Iterable[RecordLink]) -> None:
        self.source_of: dict[int, int] = {}
        parent: dict[int, int | None] = {}
        for link in links:
            self.source_of[link.id] = link.source_id
            parent[link.id] = link.duplicate_of
        self.root_of: dict[int, int] = {}
        for record_id in parent:
            self.root_of[record_id] = self._root(record_id, parent)
        self.members: dict[int, list[int]] = defaultdict(list)
        for record_id, root in self.root_of.items():
            self.members[root].append(record_id)

    @staticmethod
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

    def canonical(self, record_id: int) -> int:
        return self.root_of.get(record_id, record_id)

    def roots(self) -> list[int]:
        return sorted(self.members)

    def sources_of_group(self, root: int) -> set[int]:
        return {self.source_of[m] for m in self.members.get(root, [root]) if m in self.source_of}
