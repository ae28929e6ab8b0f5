"""Which candidates the review already holds, and which are new, by the dedup engine's rules.

Candidates naming the same OpenAlex work or DOI are one paper. A candidate is known when a
round added it before (same key), or when the dedup engine calls it a duplicate of a record
(at or above the threshold): it then joins that record's group and is not screened again.
The engine compares only pairs that involve a candidate, blocked on the same keys as a full
dedup run, so the cost follows the candidates. Doubtful matches become new records with a
pair waiting in ``metasummary dedup review``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from metasummary.dedup.blocking import key_columns
from metasummary.dedup.classify import Label, Verdict, classify
from metasummary.dedup.compare import compare
from metasummary.dedup.engine import DEFAULT_THRESHOLD
from metasummary.dedup.entry import Entry, make_entry
from metasummary.models import RecordData
from metasummary.snowball.model import Candidate, Via

_RICHNESS = {Via.OPENALEX: 0, Via.GROBID: 1, Via.REFERENCES: 2}


@dataclass(frozen=True, slots=True)
class Existing:
    """A record already in the review: its id, its group's canonical record, its fields."""

    id: int
    root: int
    data: RecordData


@dataclass(slots=True)
class Maybe:
    """A new candidate that may be a duplicate of ``record_id``; left for a reviewer."""

    record_id: int
    verdict: Verdict


@dataclass(slots=True)
class Placement:
    """Candidates merged into papers: known ones (with their group) and new ones."""

    known: list[tuple[Candidate, int]] = field(default_factory=list)
    new: list[tuple[Candidate, list[Maybe]]] = field(default_factory=list)


class _Sets:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def place(
    candidates: Sequence[Candidate],
    existing: Sequence[Existing],
    known_keys: dict[str, int],
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> Placement:
    """Merge ``candidates`` and match them against ``existing`` records.

    Args:
        candidates: What a round found.
        existing: Every record in the review.
        known_keys: Candidate keys already held (``openalex:W1``, ``doi:...``) -> group root.
        threshold: The engine's score at or above which a duplicate is linked.
    """
    n = len(candidates)
    sets = _Sets(n)
    first_of: dict[str, int] = {}
    for i, candidate in enumerate(candidates):
        for key in (candidate.key, f"doi:{candidate.data.doi}" if candidate.data.doi else ""):
            if key:
                sets.union(first_of.setdefault(key, i), i)
    best: dict[int, tuple[float, int]] = {}  # candidate -> (score, existing root)
    for i, candidate in enumerate(candidates):
        for key in (candidate.key, f"doi:{candidate.data.doi}" if candidate.data.doi else ""):
            if key in known_keys:
                best[i] = (2.0, known_keys[key])  # the same work: surer than any score
    maybes: dict[int, list[Maybe]] = {}
    cand_entries = [make_entry(i, c.data) for i, c in enumerate(candidates)]
    old_entries = [make_entry(e.id, e.data) for e in existing]
    root_of = {e.id: e.root for e in existing}
    for i, j, verdict in _verdicts(cand_entries, old_entries):
        duplicate = verdict.label is Label.DUPLICATE and verdict.score >= threshold
        if j < 0:
            record_id = int(old_entries[-j - 1].key)  # type: ignore[call-overload]
            root = root_of[record_id]
            if duplicate:
                if verdict.score > best.get(i, (-1.0, 0))[0]:
                    best[i] = (verdict.score, root)
            elif verdict.label in (Label.DUPLICATE, Label.MAYBE):
                maybes.setdefault(i, []).append(Maybe(record_id, verdict))
        elif duplicate:
            sets.union(i, j)
    return _assemble(candidates, sets, best, maybes)


def _verdicts(cands: list[Entry], olds: list[Entry]) -> Iterable[tuple[int, int, Verdict]]:
    """Verdicts on candidate pairs that are not distinct: ``(i, j, verdict)`` with ``j`` a
    candidate position, or ``-(k + 1)`` for the existing entry at position ``k``."""
    pairs: set[tuple[int, int]] = set()
    everything = [*cands, *olds]
    n = len(cands)
    for keys, _ in key_columns(everything):
        blocks: dict[str, list[int]] = {}
        for position, key in enumerate(keys):
            if key and (position < n or key in blocks):
                blocks.setdefault(key, []).append(position)
        for members in blocks.values():
            news = [m for m in members if m < n]
            for x, i in enumerate(news):
                for j in news[x + 1 :]:
                    pairs.add((i, j))
                for m in members:
                    if m >= n:
                        pairs.add((i, -(m - n) - 1))
    for i, j in sorted(pairs):
        other = cands[j] if j >= 0 else olds[-j - 1]
        comparison = compare(cands[i], other)
        if comparison is None:
            continue
        verdict = classify(comparison)
        if verdict.label is not Label.DISTINCT:
            yield i, j, verdict


def _assemble(
    candidates: Sequence[Candidate],
    sets: _Sets,
    best: dict[int, tuple[float, int]],
    maybes: dict[int, list[Maybe]],
) -> Placement:
    clusters: dict[int, list[int]] = {}
    for i in range(len(candidates)):
        clusters.setdefault(sets.find(i), []).append(i)
    placement = Placement()
    for members in clusters.values():
        lead = min(
            members, key=lambda i: (_RICHNESS[candidates[i].via], not candidates[i].data.title, i)
        )
        merged = candidates[lead]
        for i in members:
            merged.origins |= candidates[i].origins
            merged.keys.add(candidates[i].key)
        scored = [best[i] for i in members if i in best]
        if scored:
            placement.known.append((merged, max(scored)[1]))
            continue
        seen: dict[int, Maybe] = {}
        for i in members:
            for maybe in maybes.get(i, []):
                held = seen.get(maybe.record_id)
                if held is None or maybe.verdict.score > held.verdict.score:
                    seen[maybe.record_id] = maybe
        placement.new.append((merged, sorted(seen.values(), key=lambda m: m.record_id)))
    return placement
