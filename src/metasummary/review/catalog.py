"""The protocol's sources, reviewers and stages, mirrored into the store.

The protocol is the truth for what exists; the store holds rows the rest of the data points
at. Rows are never deleted: an entry removed from the protocol is kept and marked as no
longer in it, so the records, decisions and themes that refer to it stay whole. Sources the
tool makes itself (a file imported under a new name, a snowball round) start outside it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from metasummary.protocol import Protocol
from metasummary.store import catalog, events

Values = dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Change:
    text: str
    insert: Callable[..., int] | None
    update: Callable[..., None] | None
    row_id: int | None
    values: Values

    def apply(self, conn: sa.Connection) -> None:
        if self.row_id is None:
            assert self.insert is not None
            self.insert(conn, **self.values)
        else:
            assert self.update is not None
            self.update(conn, self.row_id, **self.values)


def sync_needed(conn: sa.Connection, protocol: Protocol) -> bool:
    """Whether the store differs from the protocol (checked before taking a write lock)."""
    return bool(_changes(conn, protocol))


def sync(conn: sa.Connection, protocol: Protocol) -> list[str]:
    """Bring the store in line with the protocol; return what changed (also logged)."""
    changes = _changes(conn, protocol)
    for change in changes:
        change.apply(conn)
    if changes:
        events.log(conn, "protocol.sync", payload={"changes": [c.text for c in changes]})
    return [c.text for c in changes]


def _table_changes(
    what: str,
    existing: Mapping[str, tuple[int, Values]],
    wanted: Mapping[str, Values],
    key_column: str,
    insert: Callable[..., int],
    update: Callable[..., None],
) -> list[_Change]:
    changes: list[_Change] = []
    for key, values in wanted.items():
        values = {**values, "in_protocol": True}
        if key not in existing:
            changes.append(
                _Change(f"{what} {key!r} added", insert, None, None, {key_column: key, **values})
            )
            continue
        row_id, current = existing[key]
        diff = {k: v for k, v in values.items() if current.get(k) != v}
        if diff:
            changes.append(_Change(f"{what} {key!r} changed", None, update, row_id, diff))
    for key, (row_id, current) in existing.items():
        if key not in wanted and current["in_protocol"]:
            changes.append(
                _Change(
                    f"{what} {key!r} left the protocol",
                    None,
                    update,
                    row_id,
                    {"in_protocol": False},
                )
            )
    return changes


def _changes(conn: sa.Connection, protocol: Protocol) -> list[_Change]:
    sources = {
        row.name: (
            row.id,
            {
                "kind": row.kind,
                "library": row.library,
                "description": row.description,
                "reported": row.reported,
                "in_protocol": row.in_protocol,
            },
        )
        for row in catalog.list_sources(conn)
    }
    reviewers = {
        row.code: (row.id, {"name": row.name, "email": row.email, "in_protocol": row.in_protocol})
        for row in catalog.list_reviewers(conn)
    }
    stages = {
        row.code: (
            row.id,
            {"label": row.label, "position": row.position, "in_protocol": row.in_protocol},
        )
        for row in catalog.list_stages(conn)
    }
    return [
        *_table_changes(
            "source",
            sources,
            {
                s.name: {
                    "kind": s.kind.value,
                    "library": s.library,
                    "description": s.description,
                    "reported": s.reported.model_dump() if s.reported else None,
                }
                for s in protocol.sources
            },
            "name",
            catalog.insert_source,
            catalog.update_source,
        ),
        *_table_changes(
            "reviewer",
            reviewers,
            {r.id: {"name": r.name, "email": r.email} for r in protocol.reviewers},
            "code",
            catalog.insert_reviewer,
            catalog.update_reviewer,
        ),
        *_table_changes(
            "stage",
            stages,
            {s.code: {"label": s.label, "position": s.order} for s in protocol.stages},
            "code",
            catalog.insert_stage,
            catalog.update_stage,
        ),
    ]
