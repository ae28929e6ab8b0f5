"""The screening decisions as a table: one line per standing vote and per resolution.

What ``export decisions`` writes (CSV, XLSX, or RIS notes and keywords for a reference
manager) and what ``decide --from`` and ``import-decisions`` read back: per record and
reviewer the phase, verdict, criterion codes and their labels (the full-text exclusions with
reasons PRISMA 2020 item 16b asks for), note, PDF link and time. Lines are read through the
blind-screening rule: a vote still pending appears only in its author's export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from metasummary.models import PHASES, Phase
from metasummary.protocol import Criteria
from metasummary.screening.standing import Standing
from metasummary.screening.visibility import visible_rows
from metasummary.store import catalog
from metasummary.store import decisions as store_decisions
from metasummary.store import records as store_records

HEADERS = (
    "record",
    "group",
    "doi",
    "title",
    "year",
    "source",
    "phase",
    "reviewer",
    "kind",
    "verdict",
    "criteria",
    "reasons",
    "note",
    "pdf",
    "pilot",
    "decided_at",
    "state",
)
"""The columns of the table, in order; ``decide --from`` reads the same names."""
CODE_SEPARATOR = "; "


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One standing decision on one record."""

    record: int
    group: int
    doi: str
    title: str
    year: int | None
    source: str
    phase: str
    reviewer: str
    kind: str  # vote | resolution
    verdict: str
    criteria: list[str]
    reasons: list[str]
    """The criteria as the report words them (``I2 not met: ...``)."""
    note: str
    pdf: str
    pilot: bool
    decided_at: datetime
    state: str
    """The group's state in the phase, as the reader may know it."""

    def cells(self) -> list[str | int | None]:
        return [
            self.record,
            self.group,
            self.doi,
            self.title,
            self.year,
            self.source,
            self.phase,
            self.reviewer,
            self.kind,
            self.verdict,
            CODE_SEPARATOR.join(self.criteria),
            CODE_SEPARATOR.join(self.reasons),
            self.note,
            self.pdf,
            "yes" if self.pilot else "",
            self.decided_at.isoformat(timespec="seconds"),
            self.state,
        ]

    def label(self) -> str:
        """The decision in a few words, for a reference manager's notes or keywords."""
        codes = f" {','.join(self.criteria)}" if self.criteria else ""
        return f"{self.phase} {self.reviewer} {self.kind} {self.verdict}{codes}"


def ledger_lines(
    conn: sa.Connection,
    standing: Standing,
    criteria: Criteria,
    *,
    viewer_id: int | None,
    phases: tuple[Phase, ...] = PHASES,
    reviewer_id: int | None = None,
) -> list[LedgerLine]:
    """The standing decisions ``viewer_id`` may see, by group, phase and time."""
    folded = standing.votes(conn)
    states = standing.decided(conn)
    codes = {r.id: r.code for r in catalog.list_reviewers(conn)}
    chosen = []
    for phase in phases:
        required = standing.required[phase]
        for root, votes in folded[phase].items():
            for row in visible_rows(votes, viewer_id, required):
                if reviewer_id is None or row.reviewer_id == reviewer_id:
                    chosen.append((root, phase, row.id))
    if not chosen:
        return []
    entries = {e.id: e for e in store_decisions.by_ids(conn, [i for _, _, i in chosen])}
    records = {
        r.id: r
        for r in store_records.get_many(conn, sorted({e.record_id for e in entries.values()}))
    }
    sources = {s.id: s.name for s in catalog.list_sources(conn)}
    lines = []
    for root, phase, decision_id in chosen:
        entry = entries[decision_id]
        record = records[entry.record_id]
        excluding = entry.verdict == "exclude"
        lines.append(
            LedgerLine(
                record=entry.record_id,
                group=root,
                doi=record.data.doi,
                title=record.data.title,
                year=record.data.year,
                source=sources.get(record.source_id, ""),
                phase=phase.value,
                reviewer=codes.get(entry.reviewer_id, f"#{entry.reviewer_id}"),
                kind=entry.kind,
                verdict=entry.verdict or "",
                criteria=list(entry.criteria),
                reasons=[criteria.label(c, excluding=excluding) for c in entry.criteria],
                note=entry.note,
                pdf=entry.pdf,
                pilot=entry.pilot,
                decided_at=entry.created_at,
                state=states.of(root, phase).value,
            )
        )
    lines.sort(key=lambda line: (line.group, PHASES.index(Phase(line.phase)), line.decided_at))
    return lines
