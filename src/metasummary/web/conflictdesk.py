"""The conflicts page as a desk: one conflict in full at a time, keys as on the screening page.

The conflict shown is the oldest waiting (or the one asked for), with what the one who
resolves it reads: title and abstract with the query's terms marked, keywords, and each
vote's verdict, criterion codes (with their wording) and note, as blind mode lets the viewer
see them. The rest wait in a list below, and the count of conflicts waiting is asked again
every few seconds, so it follows resolutions made elsewhere.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from metasummary.models import Phase
from metasummary.project import Project
from metasummary.screening.conflicts import Conflict
from metasummary.screening.decisions import DecisionResult
from metasummary.web.cache import ViewCache
from metasummary.web.screencard import CriterionKey, Segment, criterion_keys, marked

COUNT_EVERY_S = 10
"""Seconds between two readings of the count of conflicts waiting."""


@dataclass(frozen=True, slots=True)
class Resolved:
    """The conflict resolved by the request that shows this desk."""

    result: DecisionResult
    reviewer: str
    how: str  # consensus | third reviewer


@dataclass(slots=True)
class ConflictDesk:
    phase: Phase
    reviewer: str
    waiting: list[Conflict]
    current: Conflict | None = None
    title: list[Segment] = field(default_factory=list)
    abstract: list[Segment] = field(default_factory=list)
    criteria: list[CriterionKey] = field(default_factory=list)
    wording: dict[str, str] = field(default_factory=dict)
    """Criterion code -> its text, for the codes the votes cite."""
    skip: list[int] = field(default_factory=list)
    resolved: Resolved | None = None

    @property
    def count(self) -> int:
        return len(self.waiting)

    @property
    def others(self) -> list[Conflict]:
        return [c for c in self.waiting if self.current is None or c.group != self.current.group]

    @property
    def skip_value(self) -> str:
        return ",".join(str(s) for s in self.skip)

    @property
    def voters(self) -> list[str]:
        votes = self.current.votes if self.current else []
        return [v.reviewer for v in votes if v.kind == "vote"]

    def to_dict(self) -> dict[str, object]:
        return {
            "phase": self.phase.value,
            "reviewer": self.reviewer,
            "waiting": self.count,
            "current": self.current.to_dict() if self.current else None,
            "others": [c.group for c in self.others],
            "skipped": list(self.skip),
        }


def waiting(project: Project, cache: ViewCache, phase: Phase, reviewer: str) -> list[Conflict]:
    """The conflicts waiting at ``phase`` as ``reviewer`` may see them (kept until a record,
    link or decision changes)."""
    return cache.get(
        project,
        f"conflicts:{phase.value}:{reviewer}",
        lambda: project.screening.conflicts(phase=phase, viewer=reviewer),
        reads="records",
    )


def conflict_desk(
    project: Project,
    cache: ViewCache,
    phase: Phase,
    reviewer: str,
    *,
    front: int | None = None,
    skip: Collection[int] = (),
    resolved: Resolved | None = None,
) -> ConflictDesk:
    """The desk for ``reviewer``: ``front`` first when it waits, else the oldest conflict not
    skipped (skipped ones come round again when nothing else is left)."""
    found = waiting(project, cache, phase, reviewer)
    desk = ConflictDesk(phase, reviewer, found, skip=[s for s in skip if s != front])
    desk.resolved = resolved
    by_group = {c.group: c for c in found}
    candidates = [c for c in found if c.group not in desk.skip] or found
    desk.current = by_group.get(front) if front is not None else None
    if desk.current is None and candidates:
        desk.current = candidates[0]
    if desk.current is None:
        return desk
    desk.title = marked(desk.current.title, project)
    desk.abstract = marked(desk.current.abstract, project)
    desk.criteria = criterion_keys(project)
    criteria = project.protocol.criteria
    for vote in desk.current.votes:
        for code in vote.criteria:
            criterion = criteria.get(code)
            desk.wording[code] = criterion.text if criterion else ""
    return desk
