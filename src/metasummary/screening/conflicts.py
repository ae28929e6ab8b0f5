"""The conflicts queue: groups whose independent votes disagree (or agree on maybe).

A conflict exists only once every required reviewer has voted, so listing one never breaks
blind screening; the votes are still read through :mod:`~metasummary.screening.visibility`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from metasummary.models import RecordState
from metasummary.screening.snapshot import PhaseSnapshot
from metasummary.screening.visibility import ShownDecision, visible
from metasummary.store import records as store_records

NEEDS_RESOLUTION = (RecordState.CONFLICT, RecordState.MAYBE)


@dataclass(slots=True)
class Conflict:
    """A group waiting for a third reviewer or for consensus, with what its canonical
    record says (what the one who resolves it reads)."""

    group: int
    title: str
    state: RecordState
    votes: list[ShownDecision] = field(default_factory=list)
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str = ""
    doi: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "group": self.group,
            "title": self.title,
            "abstract": self.abstract,
            "keywords": list(self.keywords),
            "authors": list(self.authors),
            "year": self.year,
            "venue": self.venue,
            "doi": self.doi,
            "state": self.state.value,
            "votes": [v.to_dict() for v in self.votes],
        }


def list_conflicts(conn: sa.Connection, snapshot: PhaseSnapshot, viewer_id: int) -> list[Conflict]:
    """Unresolved conflicts and maybes of the snapshot's phase, oldest group first."""
    required = snapshot.required[snapshot.phase]
    found: list[Conflict] = []
    for root in snapshot.eligible():
        state = snapshot.state(root)
        votes = snapshot.votes(root)
        if state not in NEEDS_RESOLUTION or votes.resolution is not None:
            continue
        if len(votes.current()) < required:
            continue
        shown, _ = visible(votes, viewer_id, required, snapshot.entries, snapshot.codes)
        found.append(Conflict(group=root, title="", state=state, votes=shown))
    records = {r.id: r.data for r in store_records.get_many(conn, [c.group for c in found])}
    for conflict in found:
        data = records.get(conflict.group)
        if data is None:
            continue
        conflict.title, conflict.abstract = data.title, data.abstract
        conflict.keywords, conflict.authors = list(data.keywords), list(data.authors)
        conflict.year, conflict.venue, conflict.doi = data.year, data.venue, data.doi
    return found
