"""A record as one reviewer may see it in a phase: the only way faces read a record's votes."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from metasummary.models import Phase, RecordState
from metasummary.screening.standing import Standing
from metasummary.screening.visibility import ShownDecision, visible
from metasummary.store import catalog
from metasummary.store import records as store_records
from metasummary.store.catalog import ReviewerRow
from metasummary.store.records import StoredRecord


@dataclass(slots=True)
class RecordView:
    """A record in a phase as one reviewer may see it."""

    record: StoredRecord
    group: int
    members: list[int]
    phase: Phase
    state: RecordState
    decisions: list[ShownDecision] = field(default_factory=list)
    hidden: int = 0
    """Standing votes of other reviewers that blind screening keeps from the viewer."""

    def to_dict(self) -> dict[str, object]:
        data = self.record.data
        return {
            "record_id": self.record.id,
            "group": self.group,
            "members": list(self.members),
            "phase": self.phase.value,
            "state": self.state.value,
            "title": data.title,
            "abstract": data.abstract,
            "venue": data.venue,
            "year": data.year,
            "authors": list(data.authors),
            "doi": data.doi,
            "decisions": [d.to_dict() for d in self.decisions],
            "hidden_votes": self.hidden,
        }


def record_view(
    conn: sa.Connection,
    record_id: int,
    phase: Phase,
    viewer: ReviewerRow,
    standing: Standing,
) -> RecordView:
    """The canonical record of ``record_id``'s group with the decisions ``viewer`` may see."""
    group = standing.group(conn, record_id, phase)
    required = standing.required
    record = store_records.get(conn, group.root)
    assert record is not None
    codes = {r.id: r.code for r in catalog.list_reviewers(conn)}
    shown, hidden = visible(group.votes, viewer.id, required[phase], group.entries, codes)
    return RecordView(
        record=record,
        group=group.root,
        members=group.members,
        phase=phase,
        state=group.state(required[phase]),
        decisions=shown,
        hidden=hidden,
    )
