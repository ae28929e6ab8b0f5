"""Linking and unlinking records inside a write transaction, straight at the canonical record.

Every change is an event with the link before and after, so any link can be traced and
undone; a group never holds a chain (each member points at the canonical record itself).
"""

from __future__ import annotations

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.store import events
from metasummary.store import records as store_records
from metasummary.store.counts import record_links
from metasummary.store.groups import DuplicateGroups
from metasummary.store.pairs import (
    PairRow,
    insert_pairs,
    list_pairs,
    ordered,
    pair_between,
    set_links,
    update_pair,
)


def link_groups(conn: sa.Connection, groups: list[list[int]], actor: str) -> int:
    """Join each list of record ids into one group (the lowest canonical id leads it).

    Returns how many records were newly linked.
    """
    current = DuplicateGroups(record_links(conn))
    changes: dict[int, int | None] = {}
    for group in groups:
        roots = {current.canonical(rid) for rid in group}
        members = {m for root in roots for m in current.members.get(root, [root])} | set(group)
        canonical = min(roots)
        for member in members:
            target = None if member == canonical else canonical
            if link_of(current, member) != target:
                changes[member] = target
    _apply(conn, changes, current, "dedup.link", actor, via="auto")
    return sum(1 for target in changes.values() if target is not None)


def link_pair(conn: sa.Connection, a: int, b: int, actor: str) -> list[int]:
    """Join ``b``'s group into ``a``'s; the ids whose link changed."""
    current = DuplicateGroups(record_links(conn))
    canonical = current.canonical(a)
    other = current.canonical(b)
    if canonical == other:
        return []
    changes: dict[int, int | None] = {}
    for member in current.members.get(other, [other]):
        changes[member] = canonical
    for member in current.members.get(canonical, [canonical]):
        if member != canonical and link_of(current, member) != canonical:
            changes[member] = canonical  # straighten any chain
    _apply(conn, changes, current, "dedup.link", actor, via="manual")
    return sorted(changes)


def unlink_record(conn: sa.Connection, record_id: int, actor: str) -> list[int]:
    """Take a record out of its group and keep it apart from it; the ids whose link changed.

    When it was the canonical record, the group's lowest remaining id takes its place.
    """
    require(conn, record_id)
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
        if link_of(current, member) != target:
            changes[member] = target
    _apply(conn, changes, current, "dedup.unlink", actor, via="manual")
    for other in rest:
        pair = pair_between(conn, record_id, other)
        values = {"kind": "duplicate", "status": "rejected", "decided_by": actor}
        if pair is None:
            x, y = ordered(record_id, other)
            insert_pairs(conn, [{"record_a": x, "record_b": y, "reason": "unlinked"} | values])
        elif pair.kind == "duplicate":
            update_pair(conn, pair.id, **values)
    return sorted(changes)


def waiting(conn: sa.Connection) -> list[PairRow]:
    """Candidate pairs whose records are not (yet) in one group, strongest first."""
    groups = DuplicateGroups(record_links(conn))
    return [
        p
        for p in list_pairs(conn, kinds=("duplicate",), statuses=("candidate",))
        if groups.canonical(p.record_a) != groups.canonical(p.record_b)
    ]


def link_of(groups: DuplicateGroups, record_id: int) -> int | None:
    root = groups.canonical(record_id)
    return None if root == record_id else root


def require(conn: sa.Connection, *ids: int) -> None:
    """:class:`InputError` naming the first id that is not a record of this review."""
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
            payload={"before": link_of(current, record_id), "after": target, "via": via},
        )
