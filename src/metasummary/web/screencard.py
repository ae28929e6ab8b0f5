"""What the screening page shows: one record, its query terms marked, the keys and progress.

The record comes from ``project.screening.view`` (see :mod:`metasummary.web.desk`), the
marks from :mod:`metasummary.screening.highlight`. Text stays text: the template escapes
every segment and wraps the matches in ``<mark>``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from metasummary.models import Phase
from metasummary.project import Project
from metasummary.screening.highlight import query_pattern, spans
from metasummary.screening.views import RecordView
from metasummary.web.desk import Desk
from metasummary.web.livequeue import ShownProgress

MAX_KEYS = 9


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    hit: bool


@dataclass(frozen=True, slots=True)
class CriterionKey:
    """A criterion code and the digit key that toggles it."""

    digit: int
    code: str
    text: str
    kind: str  # inclusion | exclusion


@dataclass(slots=True)
class ScreenCard:
    """The screening page's card: the next record for a reviewer, or why there is none."""

    phase: Phase
    reviewer: str
    ready: bool
    view: RecordView | None = None
    title: list[Segment] = field(default_factory=list)
    abstract: list[Segment] = field(default_factory=list)
    pilot: bool = False
    check: bool = False
    """Served as the stopping rule's random check."""
    progress: ShownProgress | None = None
    criteria: list[CriterionKey] = field(default_factory=list)
    skip: list[int] = field(default_factory=list)
    notice: str = ""
    warnings: list[str] = field(default_factory=list)
    """What to settle before screening on (duplicate pairs waiting for review)."""
    provisional: bool = False
    """Ranked on the titles for now; the full ranking follows in the background."""

    @property
    def skip_value(self) -> str:
        return ",".join(str(s) for s in self.skip)

    def to_dict(self) -> dict[str, object]:
        return {
            "phase": self.phase.value,
            "reviewer": self.reviewer,
            "ready": self.ready,
            "record": self.view.to_dict() if self.view else None,
            "highlights": {
                "title": _ranges(self.title),
                "abstract": _ranges(self.abstract),
            },
            "pilot": self.pilot,
            "random_check": self.check,
            "progress": self.progress.to_dict() if self.progress else None,
            "criteria": [
                {"key": str(c.digit), "code": c.code, "kind": c.kind, "text": c.text}
                for c in self.criteria
            ],
            "skipped": list(self.skip),
            "notice": self.notice,
            "warnings": list(self.warnings),
            "provisional": self.provisional,
        }


def _ranges(segments: list[Segment]) -> list[list[int]]:
    found, at = [], 0
    for segment in segments:
        if segment.hit:
            found.append([at, at + len(segment.text)])
        at += len(segment.text)
    return found


def marked(text: str, project: Project) -> list[Segment]:
    """``text`` cut into plain and matching segments (the protocol's query terms)."""
    pattern = query_pattern(project.protocol.query)
    segments, at = [], 0
    for start, end in spans(text, pattern):
        if start > at:
            segments.append(Segment(text[at:start], False))
        segments.append(Segment(text[start:end], True))
        at = end
    if at < len(text):
        segments.append(Segment(text[at:], False))
    return segments


def criterion_keys(project: Project) -> list[CriterionKey]:
    criteria = project.protocol.criteria
    listed = [(c, "inclusion") for c in criteria.inclusion] + [
        (c, "exclusion") for c in criteria.exclusion
    ]
    return [
        CriterionKey(digit, c.code, c.text, kind)
        for digit, (c, kind) in enumerate(listed[:MAX_KEYS], start=1)
    ]


def screen_card(
    project: Project,
    desk: Desk,
    phase: Phase,
    reviewer: str,
    *,
    skip: Collection[int] = (),
    front: int | None = None,
    notice: str = "",
) -> ScreenCard:
    """The card for ``reviewer``'s next record in ``phase`` (or "preparing", or "done")."""
    live = desk.live(project, phase, reviewer)
    card = ScreenCard(phase, reviewer, ready=live.wait(desk.wait), notice=notice)
    card.warnings = project.screening.warnings()
    if not card.ready:
        return card
    view = desk.next_view(project, live, phase, reviewer, skip=skip, front=front)
    card.progress = live.progress()
    card.provisional = live.provisional
    card.criteria = criterion_keys(project)
    if view is None:
        return card
    card.view = view
    card.title = marked(view.record.data.title or "(no title)", project)
    card.abstract = marked(view.record.data.abstract, project)
    card.pilot = live.in_pilot(view.group)
    card.check = live.in_check(view.group)
    # Offered although skipped: everything else is done, so the skipping starts over.
    card.skip = [] if view.group in skip else list(skip)
    return card
