"""Turning duplicate pairs into groups without joining what must stay apart.

Pairs are joined strongest first (union-find). Two groups are not joined when that would put
two different DOIs, two records a guard rule or a reviewer kept apart, or any two records
that fail the group rules (:mod:`metasummary.dedup.guards`: years apart, different issues, a
recurring title on different items) into one group: such a pair is handed back to be
reviewed instead, so a group never holds a pair its own records would refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence


class Clusters:
    """Union-find over record indices, with cannot-link constraints."""

    def __init__(
        self, dois: Sequence[str], refusal: Callable[[int, int], str] | None = None
    ) -> None:
        self.refusal = refusal
        self.parent: dict[int, int] = {}
        self.members: dict[int, list[int]] = {}
        self.dois: dict[int, set[str]] = {}
        self._doi_of = dois
        self.apart: dict[int, set[int]] = {}

    def keep_apart(self, pairs: Iterable[tuple[int, int]]) -> None:
        for i, j in pairs:
            self.apart.setdefault(i, set()).add(j)
            self.apart.setdefault(j, set()).add(i)

    def root(self, i: int) -> int:
        parent = self.parent
        if i not in parent:
            return i
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:  # path compression
            parent[i], i = root, parent[i]
        return root

    def _add(self, i: int) -> None:
        if i not in self.parent:
            self.parent[i] = i
            self.members[i] = [i]
            doi = self._doi_of[i]
            self.dois[i] = {doi} if doi else set()

    def conflict(self, i: int, j: int) -> str:
        """Why joining the groups of ``i`` and ``j`` would be wrong, or ``""``."""
        ri, rj = self.root(i), self.root(j)
        if ri == rj:
            return ""
        di = self.dois.get(ri) or ({self._doi_of[i]} if self._doi_of[i] else set())
        dj = self.dois.get(rj) or ({self._doi_of[j]} if self._doi_of[j] else set())
        if di and dj and not di & dj:
            return "would join records with different DOIs"
        small, big = (
            (ri, rj)
            if len(self.members.get(ri, [ri])) <= len(self.members.get(rj, [rj]))
            else (rj, ri)
        )
        small_members = self.members.get(small, [small])
        for member in small_members:
            for other in self.apart.get(member, ()):
                if self.root(other) == big:
                    return "would join records kept apart"
        if self.refusal is not None:
            for member in small_members:
                for other in self.members.get(big, [big]):
                    why = self.refusal(member, other)
                    if why:
                        return f"would put {why} in one group"
        return ""

    def union(self, i: int, j: int) -> None:
        self._add(i)
        self._add(j)
        ri, rj = self.root(i), self.root(j)
        if ri == rj:
            return
        if len(self.members[ri]) < len(self.members[rj]):
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.members[ri].extend(self.members.pop(rj))
        self.dois[ri] |= self.dois.pop(rj)

    def groups(self) -> list[list[int]]:
        return [sorted(m) for m in self.members.values() if len(m) > 1]
