"""A card-sort change as the rows it touched, before and after; undo puts the befores back.

Every card-sort operation records the themes and assignments it is about to change, makes the
change, and logs both states in the event's payload. Undo checks that those rows still look
as the change left them (nothing done since has touched them), then restores each row exactly:
same ids, same positions, same timestamps. Rows that did not exist before are deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.store import themes as store_themes
from metasummary.store.themes import AssignmentRow

Snapshot = dict[str, Any] | None


def _theme_snapshot(conn: sa.Connection, theme_id: int) -> Snapshot:
    row = store_themes.get_theme(conn, theme_id)
    if row is None:
        return None
    return {
        "stage_id": row.stage_id,
        "label": row.label,
        "description": row.description,
        "sub_points": list(row.sub_points),
        "position": row.position,
        "merged_into": row.merged_into,
        "retired": row.retired,
        "created_at": row.created_at.isoformat(),
    }


def _assignment_snapshot(conn: sa.Connection, finding_id: int, coder: str) -> Snapshot:
    return _assignment_state(store_themes.get_assignment(conn, finding_id, coder))


def _assignment_state(row: AssignmentRow | None) -> Snapshot:
    if row is None:
        return None
    return {
        "id": row.id,
        "theme_id": row.theme_id,
        "position": row.position,
        "created_at": row.created_at.isoformat(),
    }


class Changeset:
    """Collects the rows an operation touches; :meth:`payload` adds their new state."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self._themes: dict[int, Snapshot] = {}
        self._assignments: dict[tuple[int, str], Snapshot] = {}

    def theme(self, theme_id: int) -> None:
        """Call before changing a theme (or right after inserting one: it had no before)."""
        if theme_id not in self._themes:
            self._themes[theme_id] = _theme_snapshot(self.conn, theme_id)

    def created_theme(self, theme_id: int) -> None:
        self._themes[theme_id] = None

    def assignment(self, finding_id: int, coder: str, current: AssignmentRow | None = None) -> None:
        """Call before placing, moving or unsorting a finding in ``coder``'s sort;
        ``current`` is its assignment when the caller has just read it."""
        key = (finding_id, coder)
        if key not in self._assignments:
            self._assignments[key] = (
                _assignment_state(current)
                if current is not None
                else _assignment_snapshot(self.conn, finding_id, coder)
            )

    def payload(self) -> dict[str, Any]:
        # The rows as they are now, one statement per coder (a drag renumbers a whole theme).
        by_coder: dict[str, list[int]] = {}
        for fid, coder in self._assignments:
            by_coder.setdefault(coder, []).append(fid)
        after = {
            coder: store_themes.assignments_of(self.conn, fids, coder)
            for coder, fids in by_coder.items()
        }
        return {
            "themes": [
                {"id": tid, "before": before, "after": _theme_snapshot(self.conn, tid)}
                for tid, before in self._themes.items()
            ],
            "assignments": [
                {
                    "finding": fid,
                    "coder": coder,
                    "before": before,
                    "after": _assignment_state(after[coder].get(fid)),
                }
                for (fid, coder), before in self._assignments.items()
            ],
        }


def revert(conn: sa.Connection, payload: dict[str, Any], *, what: str) -> None:
    """Put back every row ``payload`` recorded; refuse when one has changed since."""
    themes = payload.get("themes", [])
    placements = payload.get("assignments", [])
    for item in themes:
        if _theme_snapshot(conn, item["id"]) != item["after"]:
            raise InputError(
                f"cannot undo {what}: theme {item['id']} has changed since; undo the later "
                "changes first or change it back by hand"
            )
    for item in placements:
        if _assignment_snapshot(conn, item["finding"], item["coder"]) != item["after"]:
            raise InputError(
                f"cannot undo {what}: finding {item['finding']} was moved since; undo the "
                "later changes first or move it by hand"
            )
    # Order respects the foreign keys: clear new placements, restore themes, restore
    # placements, then drop themes the change had created.
    for item in placements:
        if item["before"] is None and item["after"] is not None:
            store_themes.delete_assignment(conn, item["after"]["id"])
    for item in themes:
        before, after = item["before"], item["after"]
        if before is None:
            continue
        values = {**before, "created_at": datetime.fromisoformat(before["created_at"])}
        if after is None:
            store_themes.insert_theme(conn, id=item["id"], **values)
        else:
            store_themes.update_theme(conn, item["id"], **values)
    for item in placements:
        before, after = item["before"], item["after"]
        if before is None:
            continue
        values = {
            "theme_id": before["theme_id"],
            "position": before["position"],
            "created_at": datetime.fromisoformat(before["created_at"]),
        }
        if after is not None and after["id"] == before["id"]:
            store_themes.update_assignment(conn, before["id"], **values)
            continue
        if after is not None:
            store_themes.delete_assignment(conn, after["id"])
        store_themes.insert_assignment(
            conn, id=before["id"], finding_id=item["finding"], coder=item["coder"], **values
        )
    for item in themes:
        if item["before"] is None and item["after"] is not None:
            if store_themes.count_assignments(conn, item["id"]):
                raise InputError(
                    f"cannot undo {what}: theme {item['id']} now holds findings placed there "
                    "since; move them out first"
                )
            store_themes.delete_theme(conn, item["id"])
