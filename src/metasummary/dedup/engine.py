"""The dedup engine: normalise, block, compare, classify, cluster.

It works on :class:`~metasummary.models.RecordData` keyed by anything (record ids in a
project, the ``ID`` column of a benchmark file), so the project and the benchmark run the
same code.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace

from metasummary.dedup.blocking import KEY_COUNT, candidate_pairs
from metasummary.dedup.classify import Label, Verdict
from metasummary.dedup.clusters import Clusters
from metasummary.dedup.entry import Entry, make_entry
from metasummary.dedup.guards import refusal
from metasummary.dedup.parallel import compare_pairs, default_workers
from metasummary.dedup.recurring import mark_recurring
from metasummary.models import RecordData

DEFAULT_THRESHOLD = 0.8
"""Duplicates scoring below this are left for review instead of being linked."""

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; stages: normalise, block, compare, cluster."""

_REPORT_EVERY = 20000


@dataclass(frozen=True, slots=True)
class Match:
    """A verdict on the pair of entries at positions ``i`` < ``j``."""

    i: int
    j: int
    verdict: Verdict


@dataclass(slots=True)
class Outcome:
    """Every pair that is not distinct, and the duplicate groups (positions, two or more)."""

    matches: list[Match]
    groups: list[list[int]]
    candidates: int

    def count(self, label: Label) -> int:
        return sum(1 for m in self.matches if m.verdict.label is label)


def _noop(stage: str, done: int, total: int) -> None:
    pass


def build_entries(
    items: Iterable[tuple[Hashable, RecordData]],
    *,
    total: int = 0,
    progress: Progress | None = None,
) -> list[Entry]:
    """Normalise records for the engine; ``total`` only sizes the progress bar."""
    report = progress or _noop
    entries = []
    for n, (key, data) in enumerate(items, 1):
        entries.append(make_entry(key, data))
        if n % _REPORT_EVERY == 0:
            report("normalise", n, total)
    report("normalise", len(entries), total or len(entries))
    return entries


def find_duplicates(
    entries: Sequence[Entry],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    keep_apart: Iterable[tuple[int, int]] = (),
    joined: Iterable[tuple[int, int]] = (),
    progress: Progress | None = None,
    workers: int | None = None,
) -> Outcome:
    """Compare the entries and group the duplicates.

    Args:
        entries: The normalised records.
        threshold: Duplicates scoring below it become *maybe* pairs.
        keep_apart: Position pairs that must not end up in one group (rejected by a reviewer).
        joined: Position pairs already known to be duplicates (linked by a reviewer).
        progress: Called as the work advances.
        workers: Processes comparing pairs in a large run (default: the cores, up to 4).
    """
    report = progress or _noop
    mark_recurring(entries)
    candidates = sorted(candidate_pairs(entries, lambda step: report("block", step, KEY_COUNT)))
    total = len(candidates)
    matches = [
        Match(i, j, verdict)
        for i, j, verdict in compare_pairs(
            entries,
            candidates,
            workers=default_workers() if workers is None else workers,
            progress=lambda done: report("compare", done, total),
        )
    ]
    del candidates
    matches, groups = _cluster(entries, matches, threshold, keep_apart, joined)
    report("cluster", 1, 1)
    return Outcome(matches=matches, groups=groups, candidates=total)


def _cluster(
    entries: Sequence[Entry],
    matches: list[Match],
    threshold: float,
    keep_apart: Iterable[tuple[int, int]],
    joined: Iterable[tuple[int, int]],
) -> tuple[list[Match], list[list[int]]]:
    clusters = Clusters([e.doi for e in entries], lambda i, j: refusal(entries[i], entries[j]))
    clusters.keep_apart(keep_apart)
    clusters.keep_apart(
        (m.i, m.j) for m in matches if m.verdict.label in (Label.VERSION, Label.RELATED)
    )
    for i, j in joined:
        clusters.union(i, j)
    result: list[Match] = []
    duplicates = []
    for match in matches:
        verdict = match.verdict
        if verdict.label is not Label.DUPLICATE:
            result.append(match)
        elif verdict.score < threshold:
            reason = f"{verdict.reason}; score {verdict.score:.2f} below {threshold:.2f}"
            result.append(
                replace(match, verdict=replace(verdict, label=Label.MAYBE, reason=reason))
            )
        else:
            duplicates.append(match)
    duplicates.sort(key=lambda m: (-m.verdict.score, m.i, m.j))
    for match in duplicates:
        conflict = clusters.conflict(match.i, match.j)
        if conflict:
            verdict = replace(
                match.verdict, label=Label.MAYBE, reason=f"{match.verdict.reason}; {conflict}"
            )
            result.append(replace(match, verdict=verdict))
        else:
            clusters.union(match.i, match.j)
            result.append(match)
    result.sort(key=lambda m: (m.i, m.j))
    return result, clusters.groups()
