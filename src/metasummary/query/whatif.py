"""What a change to the query would do, before anyone edits ``protocol.yaml``.

``query test --add B:"fault-prone" --drop C:estimation`` runs the changed query over the
project's records beside the current one and says which records it gains and loses, which
seed papers and which included papers it finds or loses. Nothing is recorded: the protocol
stays as it is until the user edits it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.protocol import FieldScope
from metasummary.query.hits import HitReport, collect_hits
from metasummary.query.model import BooleanQuery, TermGroup, parse_term
from metasummary.query.plan import query_filter
from metasummary.store import fulltext
from metasummary.store import records as store_records

Action = Literal["add", "drop"]
SHOWN = 20
"""Records listed per gain or loss (the counts are always complete)."""
NOT_GROUP = "NOT"


@dataclass(frozen=True, slots=True)
class Change:
    action: Action
    group: str
    term: str
    """Empty when a whole group is dropped."""

    def __str__(self) -> str:
        sign = "+" if self.action == "add" else "−"
        return f"{self.group} {sign} {self.term}" if self.term else f"{self.group} dropped"


def parse_change(action: Action, spec: str) -> Change:
    """``B:"fault-prone"`` (or ``C`` alone, to drop a whole group) as a :class:`Change`."""
    name, sep, term = spec.partition(":")
    name, term = name.strip(), term.strip().strip("\"'“”").strip()
    if not name or (action == "add" and not (sep and term)):
        raise InputError(
            f'--{action} {spec!r}: write GROUP:term, e.g. --{action} B:"fault-prone"'
            + (" (or a group alone to drop it: --drop C)" if action == "drop" else "")
        )
    return Change(action, name, term)


def _find(query: BooleanQuery, name: str) -> TermGroup | None:
    for group in query.all_groups():
        if group.name.lower() == name.lower() or (
            group is query.exclude and name.upper() == NOT_GROUP
        ):
            return group
    return None


def _swap(query: BooleanQuery, old: TermGroup, new: TermGroup | None) -> BooleanQuery:
    if old is query.exclude:
        return replace(query, exclude=new)
    groups = tuple(new if g is old else g for g in query.groups)
    return replace(query, groups=tuple(g for g in groups if g is not None))


def apply_change(query: BooleanQuery, change: Change) -> tuple[BooleanQuery, str]:
    """``query`` with ``change`` made, and what it did in words; :class:`InputError` when it
    names a group or term the query does not have."""
    group = _find(query, change.group)
    names = ", ".join(g.name for g in query.all_groups())
    if change.action == "add":
        term = parse_term(change.term)
        if not term.words:
            raise InputError(f"--add {change.group}:{change.term!r}: the term holds no word")
        if group is None:
            field = query.groups[0].field if query.groups else FieldScope.TITLE_ABSTRACT_KEYWORDS
            new = TermGroup(change.group, "", (term,), field)
            if change.group.upper() == NOT_GROUP:
                return replace(query, exclude=new), f"NOT group added: {term.text}"
            added = replace(query, groups=(*query.groups, new))
            return added, f"new group {change.group} (AND-ed): {term.text}"
        if any(t.tokens == term.tokens for t in group.terms):
            raise InputError(f"--add {change.group}:{change.term}: already a term of {group.name}")
        return _swap(query, group, replace(group, terms=(*group.terms, term))), str(change)
    if group is None:
        raise InputError(f"--drop {change.group}: no such group; the query has {names}")
    if not change.term:
        return _swap(query, group, None), f"group {group.name} dropped"
    wanted = parse_term(change.term).tokens
    kept = tuple(t for t in group.terms if t.tokens != wanted)
    if len(kept) == len(group.terms):
        terms = ", ".join(t.text for t in group.terms)
        raise InputError(f"--drop {change.group}:{change.term}: not a term of it ({terms})")
    if not kept:
        return _swap(query, group, None), f"{group.name} − {change.term}: the group is now empty"
    return _swap(query, group, replace(group, terms=kept)), str(change)


def apply_changes(query: BooleanQuery, changes: Iterable[Change]) -> tuple[BooleanQuery, list[str]]:
    lines: list[str] = []
    for change in changes:
        query, line = apply_change(query, change)
        lines.append(line)
    if not query.groups:
        raise InputError("the changes leave the query without a group; keep at least one")
    return query, lines


@dataclass(frozen=True, slots=True)
class RecordRef:
    id: int
    title: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title}


@dataclass(frozen=True, slots=True)
class Delta:
    """Records a changed query finds that the current one does not, and the other way round."""

    gained: int
    lost: int
    gained_shown: list[RecordRef]
    lost_shown: list[RecordRef]

    def to_dict(self) -> dict[str, Any]:
        return {
            "gained": self.gained,
            "lost": self.lost,
            "gained_records": [r.to_dict() for r in self.gained_shown],
            "lost_records": [r.to_dict() for r in self.lost_shown],
        }


@dataclass(frozen=True, slots=True)
class WhatIf:
    changes: list[str]
    query: BooleanQuery
    """The changed query."""
    before: HitReport
    after: HitReport
    records: Delta
    seeds_found: list[str]
    """Seed papers the change finds that the current query misses (titles)."""
    seeds_lost: list[str]
    included_found: list[RecordRef]
    """Included papers the change finds that the current query misses."""
    included_lost: list[RecordRef]

    def to_dict(self) -> dict[str, Any]:
        return {
            "changes": self.changes,
            "query": self.query.to_json(),
            "before": self.before.summary(),
            "after": self.after.to_dict(),
            "records": self.records.to_dict(),
            "seeds": {"found": self.seeds_found, "lost": self.seeds_lost},
            "included": {
                "found": [r.to_dict() for r in self.included_found],
                "lost": [r.to_dict() for r in self.included_lost],
            },
        }


def _refs(conn: sa.Connection, ids: Sequence[int]) -> list[RecordRef]:
    return [RecordRef(r.id, r.data.title) for r in store_records.get_many(conn, list(ids))]


def compare(
    conn: sa.Connection,
    before: BooleanQuery,
    after: BooleanQuery,
    included: set[int],
) -> tuple[HitReport, HitReport, Delta, list[RecordRef], list[RecordRef]]:
    """Both queries' reports, the records gained and lost, and the included papers found and
    lost (``included``: canonical record ids)."""
    old = set(fulltext.record_ids(conn, query_filter(before), unique=True))
    new = set(fulltext.record_ids(conn, query_filter(after), unique=True))
    gained, lost = sorted(new - old), sorted(old - new)
    delta = Delta(len(gained), len(lost), _refs(conn, gained[:SHOWN]), _refs(conn, lost[:SHOWN]))
    found = _refs(conn, sorted((new - old) & included))
    dropped = _refs(conn, sorted((old - new) & included))
    return collect_hits(conn, before), collect_hits(conn, after), delta, found, dropped
