"""Query versions: every change to the groups, kept with its date and hit counts.

``query test`` records a version when the query differs from the last one recorded, so the
report can show how the query evolved (which terms were added when, and what they found).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from metasummary.query.hits import HitReport
from metasummary.query.model import BooleanQuery
from metasummary.store import events
from metasummary.store import query_versions as store_versions


@dataclass(frozen=True, slots=True)
class QueryVersion:
    number: int
    """1 for the first version recorded, and so on."""
    id: int
    created_at: datetime
    fingerprint: str
    note: str
    query: dict[str, Any]
    hits: dict[str, Any]
    changes: list[str]
    """What changed since the previous version, in words."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.number,
            "created_at": self.created_at.isoformat(),
            "fingerprint": self.fingerprint,
            "note": self.note,
            "changes": self.changes,
            "hits": self.hits,
            "query": self.query,
        }


def _groups(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    groups = {g["name"]: g for g in data.get("groups", [])}
    if data.get("not"):
        groups["NOT"] = data["not"]
    return groups


def describe_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """The differences between two stored queries, one line each."""
    if before is None:
        return ["first version"]
    old, new = _groups(before), _groups(after)
    lines: list[str] = []
    for name in new.keys() - old.keys():
        lines.append(f"group {name} added: {', '.join(new[name]['terms'])}")
    for name in old.keys() - new.keys():
        lines.append(f"group {name} removed")
    for name in [n for n in new if n in old]:
        added = [t for t in new[name]["terms"] if t not in old[name]["terms"]]
        removed = [t for t in old[name]["terms"] if t not in new[name]["terms"]]
        if added:
            lines.append(f"{name} + {', '.join(added)}")
        if removed:
            lines.append(f"{name} − {', '.join(removed)}")
        if new[name]["field"] != old[name]["field"]:
            lines.append(f"{name} field {old[name]['field']} → {new[name]['field']}")
    if before.get("years") != after.get("years"):
        lines.append(f"years {_years(before)} → {_years(after)}")
    return lines or ["same terms (order or labels changed)"]


def _years(data: dict[str, Any]) -> str:
    years = data.get("years") or {}
    return f"{years.get('from') or '…'}–{years.get('to') or '…'}"


def record(
    conn: sa.Connection, query: BooleanQuery, report: HitReport, *, note: str = "", actor: str = ""
) -> int | None:
    """Store ``query`` as a new version unless it equals the latest one; its id, or None."""
    fingerprint = query.fingerprint()
    last = store_versions.latest(conn)
    if last is not None and last.fingerprint == fingerprint:
        return None
    version_id = store_versions.insert(
        conn, query=query.to_json(), fingerprint=fingerprint, hits=report.summary(), note=note
    )
    events.log(
        conn,
        "query.version",
        entity="query_version",
        entity_id=version_id,
        actor=actor,
        payload={
            "fingerprint": fingerprint,
            "final": report.final.total,
            "changes": describe_changes(last.query if last else None, query.to_json()),
        },
    )
    return version_id


def history(conn: sa.Connection) -> list[QueryVersion]:
    """Every recorded version, oldest first, each with its changes since the one before."""
    out: list[QueryVersion] = []
    previous: dict[str, Any] | None = None
    for number, row in enumerate(store_versions.all_versions(conn), 1):
        out.append(
            QueryVersion(
                number=number,
                id=row.id,
                created_at=row.created_at,
                fingerprint=row.fingerprint,
                note=row.note,
                query=row.query,
                hits=row.hits,
                changes=describe_changes(previous, row.query),
            )
        )
        previous = row.query
    return out
