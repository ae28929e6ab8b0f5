"""Whole-table reads the status and flow views are derived from."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from metasummary.store.live import counted_decisions, live, where_live
from metasummary.store.schema import (
    assignments,
    decisions,
    findings,
    import_batches,
    records,
    themes,
)


@dataclass(frozen=True, slots=True)
class RecordLink:
    """A record's place in its duplicate group."""

    id: int
    source_id: int
    duplicate_of: int | None
    live: bool = True
    """False for a record of an undone import: it keeps its group for the decisions made on
    it, but is no longer counted (see ``store/live.py``)."""


@dataclass(frozen=True, slots=True)
class DecisionRow:
    id: int
    record_id: int
    phase: str
    reviewer_id: int
    kind: str
    verdict: str | None
    criteria: list[str]


def record_links(conn: sa.Connection) -> Iterator[RecordLink]:
    """Every record's place in its group; those of undone imports marked as not live."""
    columns = (records.c.id, records.c.source_id, records.c.duplicate_of)
    condition = live(conn)
    if condition is None:  # nothing undone: every record counts (the usual case, kept lean)
        for row in conn.execute(sa.select(*columns).order_by(records.c.id)):
            yield RecordLink(row.id, row.source_id, row.duplicate_of)
        return
    query = sa.select(*columns, condition.label("live")).order_by(records.c.id)
    for row in conn.execute(query):
        yield RecordLink(row.id, row.source_id, row.duplicate_of, bool(row.live))


DECISION_ROW_COLUMNS = (
    decisions.c.id,
    decisions.c.record_id,
    decisions.c.phase,
    decisions.c.reviewer_id,
    decisions.c.kind,
    decisions.c.verdict,
    decisions.c.criteria,
)
"""The columns a :class:`DecisionRow` is read from, in its field order."""


def to_decision_row(row: Any) -> DecisionRow:  # a Row of any arity
    """A row selected with :data:`DECISION_ROW_COLUMNS` first, as a :class:`DecisionRow`."""
    return DecisionRow(
        row.id, row.record_id, row.phase, row.reviewer_id, row.kind, row.verdict,
        list(row.criteria or []),
    )  # fmt: skip


def decision_rows(conn: sa.Connection, phase: str | None = None) -> Iterator[DecisionRow]:
    """Decisions in the order they were made (by id: the log's own order)."""
    query = counted_decisions(sa.select(*DECISION_ROW_COLUMNS).order_by(decisions.c.id), conn)
    if phase is not None:
        query = query.where(decisions.c.phase == phase)
    for row in conn.execute(query):
        yield to_decision_row(row)


def source_counts(conn: sa.Connection) -> dict[int, tuple[int, int]]:
    """Per source id: its records, and how many of them are duplicates of another record."""
    query = sa.select(
        records.c.source_id,
        sa.func.count(),
        sa.func.count(records.c.duplicate_of),
    ).group_by(records.c.source_id)
    query = where_live(query, conn)
    return {int(s): (int(n), int(d)) for s, n, d in conn.execute(query)}


def groups_found(conn: sa.Connection) -> dict[int, int]:
    """Per source id: the distinct duplicate groups its records belong to.

    A group's key is ``coalesce(duplicate_of, id)``: dedup points every duplicate straight at
    its canonical record, so the key is the group.
    """
    key = sa.func.coalesce(records.c.duplicate_of, records.c.id)
    query = sa.select(records.c.source_id, sa.func.count(sa.distinct(key))).group_by(
        records.c.source_id
    )
    query = where_live(query, conn)
    return {int(s): int(n) for s, n in conn.execute(query)}


def sources_of(conn: sa.Connection, record_ids: Collection[int]) -> dict[int, int]:
    """The source id of each record in ``record_ids``."""
    found: dict[int, int] = {}
    ordered = sorted(record_ids)
    for start in range(0, len(ordered), 900):  # under SQLite's bound-parameter limit
        part = ordered[start : start + 900]
        query = sa.select(records.c.id, records.c.source_id).where(records.c.id.in_(part))
        found.update((int(i), int(s)) for i, s in conn.execute(query))
    return found


def batch_count(conn: sa.Connection) -> int:
    """Imports that count (an undone one does not)."""
    query = sa.select(sa.func.count()).select_from(import_batches)
    query = query.where(import_batches.c.retracted_at.is_(None))
    return int(conn.execute(query).scalar_one())


_ACTIVE_FINDINGS = (
    sa.select(sa.func.count()).select_from(findings).where(findings.c.retired.is_(False))
)
_ACTIVE_THEMES = sa.select(sa.func.count()).select_from(themes).where(themes.c.retired.is_(False))
_SORTED_FINDINGS = (
    sa.select(sa.func.count(sa.distinct(assignments.c.finding_id)))
    .select_from(assignments.join(findings, findings.c.id == assignments.c.finding_id))
    .where(assignments.c.coder == "", findings.c.retired.is_(False))
)


def synthesis_counts(conn: sa.Connection) -> tuple[int, int, int]:
    """Active findings, active themes, and findings in the consensus sort (read on every
    dashboard visit: the statements are built once)."""
    n_findings = conn.execute(_ACTIVE_FINDINGS).scalar_one()
    n_themes = conn.execute(_ACTIVE_THEMES).scalar_one()
    n_sorted = conn.execute(_SORTED_FINDINGS).scalar_one()
    return int(n_findings), int(n_themes), int(n_sorted)
