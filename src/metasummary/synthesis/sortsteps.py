"""The building blocks of card-sort operations, each run inside the caller's transaction.

Looking up stages and themes with user-facing errors, placing a finding in a coder's sort,
renumbering positions, and logging a change with its :class:`~.changeset.Changeset`.
:mod:`metasummary.synthesis.sorting` composes them into operations; findings imports, two-coder
adoption and codebook imports use them for their own single undoable steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.store import events
from metasummary.store import findings as store_findings
from metasummary.store import themes as store_themes
from metasummary.store.catalog import StageRow, list_stages
from metasummary.store.themes import ThemeRow
from metasummary.synthesis.changeset import Changeset

PREFIX = "sort."
"""Every card-sort event's action starts with this; undo looks for them."""


@dataclass(frozen=True, slots=True)
class Theme:
    id: int
    stage: str
    label: str
    description: str
    sub_points: list[str]
    position: int
    retired: bool = False
    merged_into: int | None = None


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a finding sits in one coder's sort (``theme_id`` ``None``: unsorted)."""

    finding_id: int
    theme_id: int | None
    coder: str
    position: int | None


def clean_label(label: str) -> str:
    cleaned = " ".join(label.split())
    if not cleaned:
        raise InputError("a theme needs a label")
    return cleaned


def clean_points(points: Sequence[str]) -> list[str]:
    return [p.strip() for p in points if p.strip()]


def id_list(ids: Sequence[int]) -> str:
    return ", ".join(str(i) for i in ids)


def stage_rows(conn: sa.Connection) -> dict[int, StageRow]:
    return {s.id: s for s in list_stages(conn)}


def stage_by_code(stages: dict[int, StageRow], code: str) -> StageRow:
    for row in stages.values():
        if row.code.casefold() == code.strip().casefold() and row.in_protocol:
            return row
    listed = ", ".join(s.code for s in stages.values() if s.in_protocol) or "none"
    raise InputError(f"stage {code!r} is not a stage of the protocol ({listed})")


def active_theme(conn: sa.Connection, theme_id: int) -> ThemeRow:
    row = store_themes.get_theme(conn, theme_id)
    if row is None:
        raise InputError(f"theme {theme_id}: no such theme (see: metasummary sort show)")
    if row.retired:
        raise InputError(f"theme {theme_id} was merged into theme {row.merged_into}; use that")
    return row


def active_finding(conn: sa.Connection, finding_id: int) -> None:
    row = store_findings.get(conn, finding_id)
    if row is None:
        raise InputError(f"finding {finding_id}: no such finding (see: metasummary findings list)")
    if row.retired:
        parts = store_findings.children(conn, finding_id)
        raise InputError(f"finding {finding_id} was split into {id_list(parts)}; use those")


def check_unique_label(
    conn: sa.Connection,
    stages: dict[int, StageRow],
    stage_id: int,
    label: str,
    except_id: int | None = None,
) -> None:
    for row in stage_themes(conn, stage_id):
        if row.id != except_id and row.label.casefold() == label.casefold():
            raise InputError(
                f"{stages[stage_id].code} already has a theme {label!r} (theme {row.id})"
            )


def stage_themes(conn: sa.Connection, stage_id: int) -> list[ThemeRow]:
    return [t for t in store_themes.list_themes(conn, active_only=True) if t.stage_id == stage_id]


def to_theme(stages: dict[int, StageRow], row: ThemeRow) -> Theme:
    return Theme(
        id=row.id,
        stage=stages[row.stage_id].code,
        label=row.label,
        description=row.description,
        sub_points=list(row.sub_points),
        position=row.position,
        retired=row.retired,
        merged_into=row.merged_into,
    )


def load_theme(conn: sa.Connection, stages: dict[int, StageRow], theme_id: int) -> Theme:
    row = store_themes.get_theme(conn, theme_id)
    assert row is not None
    return to_theme(stages, row)


def place(
    conn: sa.Connection, cs: Changeset, finding_id: int, coder: str, theme_id: int | None
) -> None:
    """Put a finding at the end of a theme in ``coder``'s sort, or take it out of the sort."""
    cs.assignment(finding_id, coder)
    current = store_themes.get_assignment(conn, finding_id, coder)
    if theme_id is None:
        if current is not None:
            store_themes.delete_assignment(conn, current.id)
        return
    if current is not None and current.theme_id == theme_id:
        return
    position = store_themes.next_assignment_position(conn, theme_id, coder)
    if current is None:
        store_themes.insert_assignment(
            conn, finding_id=finding_id, theme_id=theme_id, coder=coder, position=position
        )
    else:
        store_themes.update_assignment(conn, current.id, theme_id=theme_id, position=position)


def renumber_themes(conn: sa.Connection, cs: Changeset, order: Sequence[int]) -> None:
    for position, theme_id in enumerate(order):
        cs.theme(theme_id)
        store_themes.update_theme(conn, theme_id, position=position)


def renumber_findings(conn: sa.Connection, cs: Changeset, order: Sequence[int], coder: str) -> None:
    """Number ``order`` 0, 1, 2 …; only the assignments whose position changes are written
    (and logged)."""
    rows = store_themes.assignments_of(conn, order, coder)
    for position, finding_id in enumerate(order):
        current = rows[finding_id]
        if current.position == position:
            continue
        cs.assignment(finding_id, coder, current)
        store_themes.update_assignment(conn, current.id, position=position)


def placement_of(conn: sa.Connection, finding_id: int, coder: str) -> Placement:
    row = store_themes.get_assignment(conn, finding_id, coder)
    if row is None:
        return Placement(finding_id, None, coder, None)
    return Placement(finding_id, row.theme_id, coder, row.position)


def log_change(
    conn: sa.Connection,
    cs: Changeset,
    action: str,
    summary: str,
    actor: str,
    entity_id: int | None,
) -> int:
    return events.log(
        conn,
        PREFIX + action,
        entity="theme",
        entity_id=entity_id,
        actor=actor,
        payload={"summary": summary, **cs.payload()},
    )
