"""``project.dedup``: run the engine on a review's records and keep its verdicts.

Nothing is deleted. A duplicate points straight at its group's canonical record
(``records.duplicate_of``, never a chain); every verdict is a row in ``record_pairs``; every
link and unlink is an event. Decisions stay on the record they were made on, and the
screening state folds them per group, so linking never loses a decision.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from metasummary.dedup.classify import Label
from metasummary.dedup.engine import (
    DEFAULT_THRESHOLD,
    Progress,
    build_entries,
    find_duplicates,
)
from metasummary.dedup.merged import MergedRecord, merge_group
from metasummary.errors import InputError
from metasummary.grouping import DuplicateGroups
from metasummary.store import Store, events
from metasummary.store import records as store_records
from metasummary.store.catalog import list_sources
from metasummary.store.counts import record_links
from metasummary.store.pairs import (
    PairRow,
    get_pair,
    insert_pairs,
    list_pairs,
    ordered,
    pair_between,
    set_links,
    update_pair,
)
from metasummary.store.records import StoredRecord

ENGINE = "metasummary"
"""``decided_by`` of the verdicts the engine stores."""

KIND = {Label.DUPLICATE: "duplicate", Label.MAYBE: "duplicate", Label.VERSION: "version"}
KIND[Label.RELATED] = "related"
STATUS = {Label.DUPLICATE: "auto", Label.MAYBE: "candidate", Label.VERSION: "auto"}
STATUS[Label.RELATED] = "auto"
HUMAN = ("accepted", "rejected")


@dataclass(slots=True)
class RunSummary:
    """What one ``dedup`` run found and changed."""

    records: int = 0
    compared: int = 0
    linked: int = 0
    groups: int = 0
    in_groups: int = 0
    duplicates: int = 0
    maybe: int = 0
    versions: int = 0
    related: int = 0
    pending: int = 0
    threshold: float = DEFAULT_THRESHOLD
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class PairView:
    """A stored pair with both records, for a reviewer to compare side by side."""

    pair: PairRow
    a: StoredRecord
    b: StoredRecord
    source_a: str
    source_b: str

    def to_dict(self) -> dict[str, Any]:
        def record(r: StoredRecord, source: str) -> dict[str, Any]:
            d = r.data
            return {
                "id": r.id,
                "source": source,
                "duplicate_of": r.duplicate_of,
                "original_key": d.original_key,
                "title": d.title,
                "authors": d.authors,
                "year": d.year,
                "venue": d.venue,
                "volume": d.volume,
                "issue": d.issue,
                "pages": d.pages,
                "doi": d.doi,
            }

        return {
            "pair": self.pair.id,
            "kind": self.pair.kind,
            "status": self.pair.status,
            "score": self.pair.score,
            "reason": self.pair.reason,
            "a": record(self.a, self.source_a),
            "b": record(self.b, self.source_b),
        }


@dataclass(slots=True)
class GroupView:
    """A duplicate group: its canonical record, its members and every source they came from."""

    canonical: int
    members: list[int]
    sources: list[str] = field(default_factory=list)


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
            summary.linked = self._link_groups(
                conn, [[key[i] for i in group] for group in outcome.groups], actor
            )
            self._store_verdicts(conn, outcome.matches, key, summary)
            summary.pending = len(_waiting(conn))
            groups = DuplicateGroups(record_links(conn))
            sizes = [len(m) for m in groups.members.values() if len(m) > 1]
            summary.groups, summary.in_groups = len(sizes), sum(sizes)
            summary.seconds = round(time.perf_counter() - started, 3)
            events.log(conn, "dedup.run", entity="dedup", actor=actor, payload=summary.to_dict())
        return summary

    def _link_groups(self, conn: sa.Connection, groups: list[list[int]], actor: str) -> int:
        current = DuplicateGroups(record_links(conn))
        changes: dict[int, int | None] = {}
        for group in groups:
            roots = {current.canonical(rid) for rid in group}
            members = {m for root in roots for m in current.members.get(root, [root])} | set(group)
            canonical = min(roots)
            for member in members:
                target = None if member == canonical else canonical
                if _link_of(current, member) != target:
                    changes[member] = target
        _apply(conn, changes, current, "dedup.link", actor, via="auto")
        return sum(1 for target in changes.values() if target is not None)

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
            return self._views(conn, _waiting(conn))

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
                self._link(conn, pair.record_a, pair.record_b, actor)
            updated = get_pair(conn, pair.id)
        assert updated is not None
        return updated

    # -- links by hand -----------------------------------------------------------------

    def link(self, a: int, b: int, *, actor: str = "") -> list[int]:
        """Make ``b`` (and its group) duplicates of ``a``'s canonical record; changed ids."""
        if a == b:
            raise InputError(f"record {a}: cannot link a record to itself")
        with self.store.write() as conn:
            _require(conn, a, b)
            pair = pair_between(conn, a, b)
            values = {"kind": "duplicate", "status": "accepted", "decided_by": actor}
            if pair is None:
                x, y = ordered(a, b)
                insert_pairs(
                    conn, [{"record_a": x, "record_b": y, "reason": "linked by hand"} | values]
                )
            else:
                update_pair(conn, pair.id, **values)
            return self._link(conn, a, b, actor)

    def _link(self, conn: sa.Connection, a: int, b: int, actor: str) -> list[int]:
        current = DuplicateGroups(record_links(conn))
        canonical = current.canonical(a)
        other = current.canonical(b)
        if canonical == other:
            return []
        changes: dict[int, int | None] = {}
        for member in current.members.get(other, [other]):
            changes[member] = canonical
        for member in current.members.get(canonical, [canonical]):
            if member != canonical and _link_of(current, member) != canonical:
                changes[member] = canonical  # straighten any chain
        _apply(conn, changes, current, "dedup.link", actor, via="manual")
        return sorted(changes)

    def unlink(self, record_id: int, *, actor: str = "") -> list[int]:
        """Take a record out of its group (undoing a link); the ids whose link changed.

        When it was the canonical record, the group's lowest remaining id takes its place.
        The record is kept apart from its former group on later runs.
        """
        with self.store.write() as conn:
            _require(conn, record_id)
            current = DuplicateGroups(record_links(conn))
            root = current.canonical(record_id)
            members = sorted(current.members.get(root, [root]))
            if len(members) < 2:
                raise InputError(f"record {record_id}: not linked to any other record")
            rest = [m for m in members if m != record_id]
            canonical = min(rest)
            changes: dict[int, int | None] = {record_id: None}
            for member in rest:
                target = None if member == canonical else canonical
                if _link_of(current, member) != target:
                    changes[member] = target
            _apply(conn, changes, current, "dedup.unlink", actor, via="manual")
            for other in rest:
                pair = pair_between(conn, record_id, other)
                values = {"kind": "duplicate", "status": "rejected", "decided_by": actor}
                if pair is None:
                    x, y = ordered(record_id, other)
                    insert_pairs(
                        conn, [{"record_a": x, "record_b": y, "reason": "unlinked"} | values]
                    )
                elif pair.kind == "duplicate":
                    update_pair(conn, pair.id, **values)
            return sorted(changes)

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
            _require(conn, record_id)
            current = DuplicateGroups(record_links(conn))
            root = current.canonical(record_id)
            members = store_records.get_many(conn, sorted(current.members.get(root, [root])))
            names = {s.id: s.name for s in list_sources(conn)}
        merged = merge_group(root, members)
        merged.sources = {r.id: names.get(r.source_id, "") for r in members}
        return merged


def _waiting(conn: sa.Connection) -> list[PairRow]:
    groups = DuplicateGroups(record_links(conn))
    return [
        p
        for p in list_pairs(conn, kinds=("duplicate",), statuses=("candidate",))
        if groups.canonical(p.record_a) != groups.canonical(p.record_b)
    ]


def _may_update(old: PairRow, new: dict[str, Any]) -> bool:
    """An engine verdict replaces an older one, never a reviewer's, never an auto link."""
    if old.status in HUMAN or (old.kind, old.status) == (new["kind"], new["status"]):
        return False
    return old.status != "auto" or new["status"] == "auto"


def _link_of(groups: DuplicateGroups, record_id: int) -> int | None:
    root = groups.canonical(record_id)
    return None if root == record_id else root


def _require(conn: sa.Connection, *ids: int) -> None:
    found = {r.id for r in store_records.get_many(conn, list(ids))}
    for rid in ids:
        if rid not in found:
            raise InputError(f"record {rid}: no such record in this review")


def _apply(
    conn: sa.Connection,
    changes: dict[int, int | None],
    current: DuplicateGroups,
    action: str,
    actor: str,
    *,
    via: str,
) -> None:
    set_links(conn, changes)
    for record_id, target in sorted(changes.items()):
        events.log(
            conn,
            action,
            entity="record",
            entity_id=record_id,
            actor=actor,
            payload={"before": _link_of(current, record_id), "after": target, "via": via},
        )
