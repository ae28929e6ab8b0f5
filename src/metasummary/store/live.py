"""Which records count: all of them but those of an undone import.

``import undo`` never deletes: the batch, its file and its records stay in the database and
the event log, and the batch is marked retracted. From then on its records leave every
count, list, flow, PRISMA diagram and export, until ``import redo`` brings them back. Every
read of ``records`` that counts or lists them goes through :func:`live`, here, so no face
can forget an undone import.

Decisions follow the group they were made on. A retracted record that is a duplicate of a
record still in the review stays in that group (undo re-points such groups at a record that
stays, see ``imports/retraction.py``), so its decisions keep counting for the paper; the
decisions on a group whose records all left leave with it (:func:`counted_decisions`).

While nothing is undone (the usual case) the helpers add no condition at all.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from metasummary.store.schema import decisions, import_batches, records


def retracted_batches(conn: sa.Connection) -> tuple[int, ...]:
    """The ids of the undone imports, in order (usually none; the table is small)."""
    query = (
        sa.select(import_batches.c.id)
        .where(import_batches.c.retracted_at.is_not(None))
        .order_by(import_batches.c.id)
    )
    return tuple(int(i) for i in conn.execute(query).scalars())


def live(conn: sa.Connection, table: sa.FromClause | None = None) -> sa.ColumnElement[bool] | None:
    """The condition a row of ``records`` (or an alias of it) meets when it counts; None
    when no import is undone.

    Written as "the id is not one of the undone imports' records": the ids come from the
    ``batch_id`` index, and a list read in id (or title) order stays on its narrow index
    instead of reading every row for its ``batch_id``.
    """
    batches = retracted_batches(conn)
    if not batches:
        return None
    undone = sa.select(records.c.id).where(records.c.batch_id.in_(batches))
    return (records if table is None else table).c.id.not_in(undone)


def where_live(query: sa.Select[Any], conn: sa.Connection) -> sa.Select[Any]:
    """``query`` on ``records`` narrowed to the records that count."""
    condition = live(conn)
    return query if condition is None else query.where(condition)


def counted_decisions(query: sa.Select[Any], conn: sa.Connection) -> sa.Select[Any]:
    """``query`` on ``decisions`` without the decisions on groups that left the review.

    Checked per decision (two primary-key lookups), so asking for a page's few decisions
    costs little while the whole log is read in one pass.
    """
    batches = retracted_batches(conn)
    if not batches:
        return query
    voted, target = records.alias("voted"), records.alias("voted_target")
    target_gone = (
        sa.select(target.c.id)
        .where(target.c.id == voted.c.duplicate_of, target.c.batch_id.in_(batches))
        .exists()
    )
    gone = (
        sa.select(voted.c.id)
        .where(
            voted.c.id == decisions.c.record_id,
            voted.c.batch_id.in_(batches),
            sa.or_(voted.c.duplicate_of.is_(None), target_gone),
        )
        .exists()
    )
    return query.where(~gone)


def is_live(conn: sa.Connection, record_ids: list[int]) -> dict[int, bool]:
    """Whether each of ``record_ids`` counts (a record page marks the ones that do not)."""
    batches = set(retracted_batches(conn))
    if not batches or not record_ids:
        return dict.fromkeys(record_ids, True)
    found: dict[int, bool] = {}
    ordered = sorted(set(record_ids))
    for start in range(0, len(ordered), 900):  # under SQLite's bound-parameter limit
        query = sa.select(records.c.id, records.c.batch_id).where(
            records.c.id.in_(ordered[start : start + 900])
        )
        found.update((int(i), b not in batches) for i, b in conn.execute(query))
    return found


def signature(conn: sa.Connection) -> tuple[int, ...]:
    """Changes whenever an import is undone or redone (for caches of groups and states)."""
    batches = retracted_batches(conn)
    return (len(batches), *batches)
