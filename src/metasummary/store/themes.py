"""Themes and assignments: the second and third layers of the card sort.

Rows are read and written whole, so a card-sort operation can record them before and after
and undo can put them back exactly (same ids, same timestamps).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from metasummary.store import limits
from metasummary.store.clock import now
from metasummary.store.schema import assignments, themes


@dataclass(frozen=True, slots=True)
class ThemeRow:
    id: int
    stage_id: int
    label: str
    description: str
    sub_points: list[str]
    position: int
    merged_into: int | None
    retired: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    id: int
    finding_id: int
    theme_id: int
    coder: str
    position: int
    created_at: datetime


def _theme(row: sa.Row[Any]) -> ThemeRow:
    values = dict(row._mapping)
    values["sub_points"] = list(values["sub_points"] or [])
    return ThemeRow(**values)


def list_themes(conn: sa.Connection, *, active_only: bool = False) -> list[ThemeRow]:
    query = sa.select(themes).order_by(themes.c.stage_id, themes.c.position, themes.c.id)
    if active_only:
        query = query.where(themes.c.retired.is_(False))
    return [_theme(row) for row in conn.execute(query)]


def get_theme(conn: sa.Connection, theme_id: int) -> ThemeRow | None:
    row = conn.execute(sa.select(themes).where(themes.c.id == theme_id)).first()
    return _theme(row) if row else None


def insert_theme(conn: sa.Connection, **values: Any) -> int:
    limits.check(themes, values)
    values.setdefault("created_at", now())
    result = conn.execute(themes.insert().values(**values))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def update_theme(conn: sa.Connection, theme_id: int, **values: Any) -> None:
    limits.check(themes, values)
    conn.execute(themes.update().where(themes.c.id == theme_id).values(**values))


def delete_theme(conn: sa.Connection, theme_id: int) -> None:
    conn.execute(themes.delete().where(themes.c.id == theme_id))


def next_theme_position(conn: sa.Connection, stage_id: int) -> int:
    query = sa.select(sa.func.max(themes.c.position)).where(themes.c.stage_id == stage_id)
    current = conn.execute(query).scalar_one()
    return 0 if current is None else int(current) + 1


def list_assignments(
    conn: sa.Connection,
    *,
    coder: str | None = None,
    theme_ids: Sequence[int] | None = None,
    finding_ids: Sequence[int] | None = None,
) -> list[AssignmentRow]:
    """Assignments in board order; ``coder=None`` means every coder's."""
    query = sa.select(assignments).order_by(
        assignments.c.theme_id, assignments.c.position, assignments.c.id
    )
    if coder is not None:
        query = query.where(assignments.c.coder == coder)
    if theme_ids is not None:
        query = query.where(assignments.c.theme_id.in_(list(theme_ids)))
    if finding_ids is not None:
        query = query.where(assignments.c.finding_id.in_(list(finding_ids)))
    return [AssignmentRow(**row._mapping) for row in conn.execute(query)]


def placements(conn: sa.Connection, coder: str) -> list[tuple[int, int]]:
    """``(finding_id, theme_id)`` of ``coder``'s assignments in :func:`list_assignments`'s
    board order; the board needs no more of them."""
    query = (
        sa.select(assignments.c.finding_id, assignments.c.theme_id)
        .where(assignments.c.coder == coder)
        .order_by(assignments.c.theme_id, assignments.c.position, assignments.c.id)
    )
    return [(int(f), int(t)) for f, t in conn.execute(query)]


def get_assignment(conn: sa.Connection, finding_id: int, coder: str) -> AssignmentRow | None:
    query = sa.select(assignments).where(
        assignments.c.finding_id == finding_id, assignments.c.coder == coder
    )
    row = conn.execute(query).first()
    return AssignmentRow(**row._mapping) if row else None


def assignments_of(
    conn: sa.Connection, finding_ids: Sequence[int], coder: str
) -> dict[int, AssignmentRow]:
    """``coder``'s assignment of each of ``finding_ids`` that has one, in one statement."""
    if not finding_ids:
        return {}
    query = sa.select(assignments).where(
        assignments.c.finding_id.in_(sorted(set(finding_ids))), assignments.c.coder == coder
    )
    return {int(row.finding_id): AssignmentRow(**row._mapping) for row in conn.execute(query)}


def coders(conn: sa.Connection) -> list[str]:
    """Every coder id with an assignment ('' is the consensus sort)."""
    query = sa.select(assignments.c.coder).distinct().order_by(assignments.c.coder)
    return [str(c) for c in conn.execute(query).scalars()]


def insert_assignment(conn: sa.Connection, **values: Any) -> int:
    values.setdefault("created_at", now())
    result = conn.execute(assignments.insert().values(**values))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def update_assignment(conn: sa.Connection, assignment_id: int, **values: Any) -> None:
    conn.execute(assignments.update().where(assignments.c.id == assignment_id).values(**values))


def delete_assignment(conn: sa.Connection, assignment_id: int) -> None:
    conn.execute(assignments.delete().where(assignments.c.id == assignment_id))


def next_assignment_position(conn: sa.Connection, theme_id: int, coder: str) -> int:
    query = sa.select(sa.func.max(assignments.c.position)).where(
        assignments.c.theme_id == theme_id, assignments.c.coder == coder
    )
    current = conn.execute(query).scalar_one()
    return 0 if current is None else int(current) + 1


def count_assignments(conn: sa.Connection, theme_id: int) -> int:
    query = (
        sa.select(sa.func.count())
        .select_from(assignments)
        .where(assignments.c.theme_id == theme_id)
    )
    return int(conn.execute(query).scalar_one())
