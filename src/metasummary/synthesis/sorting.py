"""Card sorting: stage > theme > finding, changed one logged, undoable operation at a time.

Stages come from the protocol. Themes (label, description, sub-points) belong to one stage and
are shared by every coder; each coder's sort places a finding in at most one theme (coder
``''`` is the consensus sort the meta-summary counts). Every operation runs in one
transaction, is written to the event log with the rows it changed before and after
(:mod:`metasummary.synthesis.changeset`), and :meth:`Sorting.undo` puts them back exactly.

The CLI and the web board call these same methods: ids in, dataclasses out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.review import Review
from metasummary.store import events
from metasummary.store import themes as store_themes
from metasummary.synthesis import sortsteps as steps
from metasummary.synthesis.changeset import Changeset, revert
from metasummary.synthesis.sortsteps import PREFIX, Placement, Theme


@dataclass(frozen=True, slots=True)
class SortEvent:
    id: int
    action: str
    summary: str
    actor: str
    created_at: datetime
    undone: bool


class Sorting:
    """The card-sort operations (``project.synthesis.sorting``)."""

    def __init__(self, review: Review) -> None:
        self.review = review

    # -- themes -------------------------------------------------------------------------------

    def create_theme(
        self,
        stage: str,
        label: str,
        *,
        description: str = "",
        sub_points: Sequence[str] = (),
        actor: str = "",
    ) -> Theme:
        """A new theme at the end of ``stage`` (a stage code of the protocol)."""
        label = steps.clean_label(label)
        with self.review.store.write() as conn:
            stages = steps.stage_rows(conn)
            row = steps.stage_by_code(stages, stage)
            steps.check_unique_label(conn, stages, row.id, label)
            cs = Changeset(conn)
            theme_id = store_themes.insert_theme(
                conn,
                stage_id=row.id,
                label=label,
                description=description.strip(),
                sub_points=steps.clean_points(sub_points),
                position=store_themes.next_theme_position(conn, row.id),
            )
            cs.created_theme(theme_id)
            steps.log_change(
                conn,
                cs,
                "theme.create",
                f"created theme {theme_id} {label!r} in {row.code}",
                actor,
                theme_id,
            )
            return steps.load_theme(conn, stages, theme_id)

    def rename_theme(self, theme_id: int, label: str, *, actor: str = "") -> Theme:
        label = steps.clean_label(label)
        with self.review.store.write() as conn:
            stages = steps.stage_rows(conn)
            row = steps.active_theme(conn, theme_id)
            if row.label == label:
                return steps.load_theme(conn, stages, theme_id)
            steps.check_unique_label(conn, stages, row.stage_id, label, theme_id)
            cs = Changeset(conn)
            cs.theme(theme_id)
            store_themes.update_theme(conn, theme_id, label=label)
            steps.log_change(
                conn,
                cs,
                "theme.rename",
                f"renamed theme {theme_id} {row.label!r} to {label!r}",
                actor,
                theme_id,
            )
            return steps.load_theme(conn, stages, theme_id)

    def describe_theme(
        self,
        theme_id: int,
        *,
        description: str | None = None,
        sub_points: Sequence[str] | None = None,
        actor: str = "",
    ) -> Theme:
        """Set the description and/or the sub-points (``None`` leaves one as it is)."""
        with self.review.store.write() as conn:
            stages = steps.stage_rows(conn)
            row = steps.active_theme(conn, theme_id)
            values: dict[str, object] = {}
            if description is not None:
                values["description"] = description.strip()
            if sub_points is not None:
                values["sub_points"] = steps.clean_points(sub_points)
            if not values:  # an empty change would still be logged and offered for undo
                raise InputError(
                    f"theme {theme_id}: nothing to describe; give a description or sub-points"
                )
            cs = Changeset(conn)
            cs.theme(theme_id)
            store_themes.update_theme(conn, theme_id, **values)
            steps.log_change(
                conn,
                cs,
                "theme.describe",
                f"described theme {theme_id} {row.label!r}",
                actor,
                theme_id,
            )
            return steps.load_theme(conn, stages, theme_id)

    def merge_themes(self, theme_ids: Sequence[int], into: int, *, actor: str = "") -> Theme:
        """Move every coder's findings of ``theme_ids`` into ``into``; retire the merged."""
        sources = list(dict.fromkeys(theme_ids))
        if not sources or into in sources:
            raise InputError("merge needs one or more themes other than the one merged into")
        with self.review.store.write() as conn:
            stages = steps.stage_rows(conn)
            target = steps.active_theme(conn, into)
            rows = [steps.active_theme(conn, tid) for tid in sources]
            cs = Changeset(conn)
            for placed in store_themes.list_assignments(conn, theme_ids=sources):
                steps.place(conn, cs, placed.finding_id, placed.coder, into)
            for row in rows:
                cs.theme(row.id)
                store_themes.update_theme(conn, row.id, retired=True, merged_into=into)
            labels = ", ".join(f"{r.id} {r.label!r}" for r in rows)
            steps.log_change(
                conn,
                cs,
                "theme.merge",
                f"merged {labels} into theme {into} {target.label!r}",
                actor,
                into,
            )
            return steps.load_theme(conn, stages, into)

    def split_theme(
        self,
        theme_id: int,
        label: str,
        finding_ids: Sequence[int],
        *,
        description: str = "",
        actor: str = "",
    ) -> Theme:
        """A new theme in the same stage taking ``finding_ids`` from ``theme_id``.

        The findings move in every coder's sort where they sat in ``theme_id``.
        """
        label = steps.clean_label(label)
        wanted = list(dict.fromkeys(finding_ids))
        if not wanted:
            raise InputError("split needs the findings that go to the new theme")
        with self.review.store.write() as conn:
            stages = steps.stage_rows(conn)
            source = steps.active_theme(conn, theme_id)
            steps.check_unique_label(conn, stages, source.stage_id, label)
            placed = [
                a
                for a in store_themes.list_assignments(conn, theme_ids=[theme_id])
                if a.finding_id in wanted
            ]
            missing = sorted(set(wanted) - {a.finding_id for a in placed})
            if missing:
                listed = ", ".join(str(m) for m in missing)
                raise InputError(f"finding(s) {listed} are not in theme {theme_id}")
            cs = Changeset(conn)
            new_id = store_themes.insert_theme(
                conn,
                stage_id=source.stage_id,
                label=label,
                description=description.strip(),
                sub_points=[],
                position=store_themes.next_theme_position(conn, source.stage_id),
            )
            cs.created_theme(new_id)
            for fid in wanted:
                for a in placed:
                    if a.finding_id == fid:
                        steps.place(conn, cs, fid, a.coder, new_id)
            steps.log_change(
                conn,
                cs,
                "theme.split",
                f"split {len(wanted)} finding(s) of theme {theme_id} into theme {new_id} {label!r}",
                actor,
                new_id,
            )
            return steps.load_theme(conn, stages, new_id)

    def move_theme(
        self, theme_id: int, stage: str, *, position: int | None = None, actor: str = ""
    ) -> Theme:
        """Move a theme to ``stage`` (its end, or ``position`` counted from 0)."""
        with self.review.store.write() as conn:
            stages = steps.stage_rows(conn)
            row = steps.active_theme(conn, theme_id)
            target = steps.stage_by_code(stages, stage)
            if target.id != row.stage_id:
                steps.check_unique_label(conn, stages, target.id, row.label)
            cs = Changeset(conn)
            cs.theme(theme_id)
            if target.id != row.stage_id:
                store_themes.update_theme(
                    conn,
                    theme_id,
                    stage_id=target.id,
                    position=store_themes.next_theme_position(conn, target.id),
                )
            if position is not None:
                order = [t.id for t in steps.stage_themes(conn, target.id) if t.id != theme_id]
                order.insert(max(0, min(position, len(order))), theme_id)
                steps.renumber_themes(conn, cs, order)
            steps.log_change(
                conn,
                cs,
                "theme.move",
                f"moved theme {theme_id} {row.label!r} to {target.code}",
                actor,
                theme_id,
            )
            return steps.load_theme(conn, stages, theme_id)

    def reorder_themes(
        self, stage: str, theme_ids: Sequence[int], *, actor: str = ""
    ) -> list[Theme]:
        """Put ``theme_ids`` first in ``stage``, in that order; the others keep theirs."""
        with self.review.store.write() as conn:
            stages = steps.stage_rows(conn)
            row = steps.stage_by_code(stages, stage)
            current = [t.id for t in steps.stage_themes(conn, row.id)]
            strangers = [t for t in theme_ids if t not in current]
            if strangers:
                raise InputError(
                    f"theme(s) {', '.join(map(str, strangers))} are not active themes of {row.code}"
                )
            order = list(dict.fromkeys(theme_ids)) + [t for t in current if t not in theme_ids]
            cs = Changeset(conn)
            steps.renumber_themes(conn, cs, order)
            steps.log_change(
                conn, cs, "theme.reorder", f"reordered the themes of {row.code}", actor, None
            )
            return [steps.load_theme(conn, stages, t) for t in order]

    # -- findings -----------------------------------------------------------------------------

    def move_findings(
        self,
        finding_ids: Sequence[int],
        theme_id: int | None,
        *,
        coder: str = "",
        position: int | None = None,
        actor: str = "",
    ) -> list[Placement]:
        """Place findings in a theme (``None``: back to unsorted) in ``coder``'s sort."""
        wanted = list(dict.fromkeys(finding_ids))
        if not wanted:
            raise InputError("name one or more findings to move")
        self._check_coder(coder)
        with self.review.store.write() as conn:
            target = steps.active_theme(conn, theme_id) if theme_id is not None else None
            for fid in wanted:
                steps.active_finding(conn, fid)
            cs = Changeset(conn)
            for fid in wanted:
                steps.place(conn, cs, fid, coder, theme_id)
            if theme_id is not None and position is not None:
                order = [
                    a.finding_id
                    for a in store_themes.list_assignments(conn, coder=coder, theme_ids=[theme_id])
                    if a.finding_id not in wanted
                ]
                at = max(0, min(position, len(order)))
                steps.renumber_findings(conn, cs, order[:at] + wanted + order[at:], coder)
            where = f"theme {theme_id} {target.label!r}" if target else "unsorted"
            sort = f" in {coder}'s sort" if coder else ""
            steps.log_change(
                conn,
                cs,
                "finding.move",
                f"moved finding(s) {steps.id_list(wanted)} to {where}{sort}",
                actor or coder,
                theme_id,
            )
            return [steps.placement_of(conn, fid, coder) for fid in wanted]

    def reorder_findings(
        self, theme_id: int, finding_ids: Sequence[int], *, coder: str = "", actor: str = ""
    ) -> list[Placement]:
        """Put ``finding_ids`` first in the theme, in that order."""
        self._check_coder(coder)
        with self.review.store.write() as conn:
            steps.active_theme(conn, theme_id)
            current = [
                a.finding_id
                for a in store_themes.list_assignments(conn, coder=coder, theme_ids=[theme_id])
            ]
            strangers = [f for f in finding_ids if f not in current]
            if strangers:
                raise InputError(
                    f"finding(s) {steps.id_list(strangers)} are not in theme {theme_id}"
                )
            order = list(dict.fromkeys(finding_ids)) + [f for f in current if f not in finding_ids]
            cs = Changeset(conn)
            steps.renumber_findings(conn, cs, order, coder)
            steps.log_change(
                conn,
                cs,
                "finding.reorder",
                f"reordered the findings of theme {theme_id}",
                actor or coder,
                theme_id,
            )
            return [steps.placement_of(conn, fid, coder) for fid in order]

    # -- history ------------------------------------------------------------------------------

    def undo(self, *, actor: str | None = None) -> SortEvent:
        """Undo the latest card-sort operation not yet undone (``actor``'s latest if given)."""
        with self.review.store.write() as conn:
            # The actor in SQL, not after the limit: another coder's many newer changes must
            # not hide this one's latest.
            candidates = events.recent(
                conn, prefix=PREFIX, limit=1, undoable_only=True, actor=actor
            )
            if not candidates:
                raise InputError("nothing to undo in the card sort")
            event = candidates[0]
            summary = str(event.payload.get("summary", event.action))
            try:
                revert(conn, event.payload, what=f"'{summary}'")
            except sa.exc.IntegrityError:
                raise InputError(
                    f"cannot undo '{summary}': later changes depend on it; undo those first"
                ) from None
            events.mark_undone(conn, event.id)
            events.log(
                conn,
                PREFIX + "undo",
                entity=event.entity,
                entity_id=event.entity_id,
                actor=actor or "",
                payload={"summary": f"undid: {summary}"},
                undoes=event.id,
            )
        return SortEvent(event.id, event.action, summary, event.actor, event.created_at, True)

    def history(self, *, limit: int = 20) -> list[SortEvent]:
        """The latest card-sort operations, newest first."""
        with self.review.store.read() as conn:
            found = events.recent(conn, prefix=PREFIX, limit=limit)
        return [
            SortEvent(
                e.id, e.action, str(e.payload.get("summary", "")), e.actor, e.created_at, e.undone
            )
            for e in found
        ]

    def themes(self, *, include_retired: bool = False) -> list[Theme]:
        with self.review.store.read() as conn:
            stages = steps.stage_rows(conn)
            rows = store_themes.list_themes(conn, active_only=not include_retired)
            return [steps.to_theme(stages, row) for row in rows]

    def _check_coder(self, coder: str) -> None:
        known = [r.id for r in self.review.protocol.reviewers]
        if coder and coder not in known:
            listed = ", ".join(known) or "none in the protocol"
            raise InputError(f"coder {coder!r} is not a reviewer of the protocol ({listed})")
