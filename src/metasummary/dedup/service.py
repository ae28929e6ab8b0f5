"""``project.dedup``: run the engine on a review's records and keep its verdicts.

Nothing is deleted. A duplicate points straight at its group's canonical record
(``records.duplicate_of``, never a chain); every verdict is a row in ``record_pairs``; every
link and unlink is an event. Decisions stay on the record they were made on, and the
screening state folds them per group, so linking never loses a decision.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from metasummary.dedup.classify import Label
from metasummary.dedup.engine import (
    DEFAULT_THRESHOLD,
    Progress,
    build_entries,
    find_duplicates,
)
from metasummary.dedup.links import link_groups, link_pair, require, unlink_record, waiting
from metasummary.dedup.merged import MergedRecord, merge_group
from metasummary.dedup.views import GroupView, PairView, RunSummary
from metasummary.errors import InputError
from metasummary.store import Store, events
from metasummary.store import records as store_records
from metasummary.store.catalog import list_sources
from metasummary.store.counts import record_links
from metasummary.store.groups import DuplicateGroups
from metasummary.store.pairs import (
    PairRow,
    get_pair,
    insert_pairs,
    list_pairs,
    ordered,
    pair_between,
    update_pair,
)

ENGINE = "metasummary"
"""``decided_by`` of the verdicts the engine stores."""

KIND = {Label.DUPLICATE: "duplicate", Label.MAYBE: "duplicate", Label.VERSION: "version"}
KIND[Label.RELATED] = "related"
STATUS = {Label.DUPLICATE: "auto", Label.MAYBE: "candidate", Label.VERSION: "auto"}
STATUS[Label.RELATED] = "auto"
HUMAN = ("accepted", "rejected")


class Dedup:
    """Deduplication of one review's records; hand out by ``project.dedup``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- the engine --------------------------------------------------------------------

    def run(
        self,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        actor: str = "",
        progress: Progress | None = None,
        workers: int | None = None,
    ) -> RunSummary:
        """Compare every record, link the duplicates above ``threshold``, store the rest.

        Pairs a reviewer accepted or rejected keep their verdict; existing links stay.
        """
        if not 0.0 <= threshold <= 1.0:
            raise InputError(f"threshold {threshold}: give a number from 0 to 1")
        started = time.perf_counter()
        with self.store.read() as conn:
            total = store_records.count(conn)
            stored = [(r.id, r.data) for r in store_records.iter_all(conn)]
            links = list(record_links(conn))
            decided = list_pairs(conn, kinds=("duplicate",), statuses=HUMAN)
        entries = build_entries(stored, total=total, progress=progress)
        del stored
        position = {entry.key: k for k, entry in enumerate(entries)}
        pairs: dict[str, list[tuple[int, int]]] = {"accepted": [], "rejected": []}
        for p in decided:
            pairs[p.status].append((position[p.record_a], position[p.record_b]))
        joined = pairs["accepted"] + [
            (position[x.id], position[x.duplicate_of]) for x in links if x.duplicate_of
        ]
        outcome = find_duplicates(
            entries,
            threshold=threshold,
            keep_apart=pairs["rejected"],
            joined=joined,
            progress=progress,
            workers=workers,
        )
        key = [int(entry.key) for entry in entries]  # type: ignore[call-overload]
        summary = RunSummary(records=len(entries), compared=outcome.candidates, threshold=threshold)
        with self.store.write() as conn:
            summary.linked = link_groups(
                conn, [[key[i] for i in group] for group in outcome.groups], actor
            )
            self._store_verdicts(conn, outcome.matches, key, summary)
            summary.pending = len(waiting(conn))
            groups = DuplicateGroups(record_links(conn))
            sizes = [len(m) for m in groups.members.values() if len(m) > 1]
            summary.groups, summary.in_groups = len(sizes), sum(sizes)
            summary.seconds = round(time.perf_counter() - started, 3)
            events.log(conn, "dedup.run", entity="dedup", actor=actor, payload=summary.to_dict())
        return summary

    def _store_verdicts(
        self, conn: sa.Connection, matches: Iterable[Any], key: list[int], summary: RunSummary
    ) -> None:
        existing = {(p.record_a, p.record_b): p for p in list_pairs(conn)}
        new_rows = []
        for match in matches:
            label = match.verdict.label
            counter = {
                Label.DUPLICATE: "duplicates",
                Label.MAYBE: "maybe",
                Label.VERSION: "versions",
                Label.RELATED: "related",
            }[label]
            setattr(summary, counter, getattr(summary, counter) + 1)
            a, b = ordered(key[match.i], key[match.j])
            values = {
                "kind": KIND[label],
                "status": STATUS[label],
                "score": match.verdict.score,
                "reason": match.verdict.reason,
                "decided_by": ENGINE,
            }
            old = existing.get((a, b))
            if old is None:
                new_rows.append({"record_a": a, "record_b": b, **values})
            elif _may_update(old, values):
                update_pair(conn, old.id, **values)
        insert_pairs(conn, new_rows)

    # -- review --------------------------------------------------------------------------

    def pairs(self, *, kind: str | None = None, status: str | None = None) -> list[PairView]:
        """Stored pairs with both records, strongest first."""
        with self.store.read() as conn:
            rows = list_pairs(
                conn, kinds=(kind,) if kind else (), statuses=(status,) if status else ()
            )
            return self._views(conn, rows)

    def pending(self) -> list[PairView]:
        """The *maybe* pairs still waiting for a reviewer, strongest first.

        Pairs whose records were linked into one group since (by another pair) are left out.
        """
        with self.store.read() as conn:
            return self._views(conn, waiting(conn))

    def _views(self, conn: sa.Connection, rows: list[PairRow]) -> list[PairView]:
        ids = sorted({r for p in rows for r in (p.record_a, p.record_b)})
        found = {r.id: r for r in store_records.get_many(conn, ids)}
        names = {s.id: s.name for s in list_sources(conn)}
        return [
            PairView(
                p,
                found[p.record_a],
                found[p.record_b],
                names.get(found[p.record_a].source_id, ""),
                names.get(found[p.record_b].source_id, ""),
            )
            for p in rows
        ]

    def decide(self, pair_id: int, *, accept: bool, actor: str = "") -> PairRow:
        """Accept a pair (link its records) or reject it (keep them apart for good)."""
        with self.store.write() as conn:
            pair = get_pair(conn, pair_id)
            if pair is None:
                raise InputError(f"pair {pair_id}: no such pair; see 'metasummary dedup review'")
            status = "accepted" if accept else "rejected"
            update_pair(conn, pair.id, kind="duplicate", status=status, decided_by=actor)
            events.log(
                conn,
                "dedup.review",
                entity="record_pair",
                entity_id=pair.id,
                actor=actor,
                payload={"status": status, "before": pair.status, "kind_before": pair.kind},
            )
            if accept:
                link_pair(conn, pair.record_a, pair.record_b, actor)
            updated = get_pair(conn, pair.id)
        assert updated is not None
        return updated

    # -- links by hand -----------------------------------------------------------------

    def link(self, a: int, b: int, *, actor: str = "") -> list[int]:
        """Make ``b`` (and its group) duplicates of ``a``'s canonical record; changed ids."""
        if a == b:
            raise InputError(f"record {a}: cannot link a record to itself")
        with self.store.write() as conn:
            require(conn, a, b)
            pair = pair_between(conn, a, b)
            values = {"kind": "duplicate", "status": "accepted", "decided_by": actor}
            if pair is None:
                x, y = ordered(a, b)
                insert_pairs(
                    conn, [{"record_a": x, "record_b": y, "reason": "linked by hand"} | values]
                )
            else:
                update_pair(conn, pair.id, **values)
            return link_pair(conn, a, b, actor)

    def unlink(self, record_id: int, *, actor: str = "") -> list[int]:
        """Take a record out of its group (undoing a link); the ids whose link changed.

        When it was the canonical record, the group's lowest remaining id takes its place.
        The record is kept apart from its former group on later runs.
        """
        with self.store.write() as conn:
            return unlink_record(conn, record_id, actor)

    # -- groups --------------------------------------------------------------------------

    def groups(self) -> list[GroupView]:
        """Every duplicate group, with the sources of all its members."""
        with self.store.read() as conn:
            current = DuplicateGroups(record_links(conn))
            names = {s.id: s.name for s in list_sources(conn)}
        return [
            GroupView(
                root,
                sorted(members),
                sorted({names[s] for s in current.sources_of_group(root)}),
            )
            for root, members in sorted(current.members.items())
            if len(members) > 1
        ]

    def merged(self, record_id: int) -> MergedRecord:
        """The merged view of the group ``record_id`` belongs to."""
        with self.store.read() as conn:
            require(conn, record_id)
            current = DuplicateGroups(record_links(conn))
            root = current.canonical(record_id)
            members = store_records.get_many(conn, sorted(current.members.get(root, [root])))
            names = {s.id: s.name for s in list_sources(conn)}
        merged = merge_group(root, members)
        merged.sources = {r.id: names.get(r.source_id, "") for r in members}
        return merged


def _may_update(old: PairRow, new: dict[str, Any]) -> bool:
    """An engine verdict replaces an older one, never a reviewer's, never an auto link."""
    if old.status in HUMAN or (old.kind, old.status) == (new["kind"], new["status"]):
        return False
    return old.status != "auto" or new["status"] == "auto"
