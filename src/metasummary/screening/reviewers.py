"""Reviewers as screening sees them: looked up by code, and their latest standing vote."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.models import Phase
from metasummary.screening.state import GroupVotes
from metasummary.store import catalog
from metasummary.store import decisions as store_decisions
from metasummary.store.catalog import ReviewerRow
from metasummary.store.counts import record_links
from metasummary.store.groups import DuplicateGroups


def find_reviewer(conn: sa.Connection, code: str) -> ReviewerRow:
    """The protocol's reviewer ``code``; :class:`InputError` naming the known ones otherwise."""
    rows = catalog.list_reviewers(conn)
    for row in rows:
        if row.code == code and row.in_protocol:
            return row
    raise unknown_reviewer(code, [r.code for r in rows if r.in_protocol])


def unknown_reviewer(code: str, known: Sequence[str]) -> InputError:
    """The error for a reviewer the protocol does not name."""
    return InputError(
        f"reviewer {code!r}: not in the protocol (reviewers: {', '.join(known) or 'none'}); "
        "add it under reviewers in protocol.yaml"
    )


def latest_standing(conn: sa.Connection, phase: Phase, who: ReviewerRow) -> int:
    """The record of ``who``'s most recent vote that still stands."""
    groups = DuplicateGroups(record_links(conn))
    folded: dict[int, GroupVotes] = {}
    for entry in store_decisions.by_reviewer(conn, who.id, phase.value):
        folded.setdefault(groups.canonical(entry.record_id), GroupVotes()).add(entry)
    standing = [votes.current()[who.id] for votes in folded.values() if who.id in votes.current()]
    if not standing:
        raise InputError(f"{who.code} has no vote at {phase.value} to undo")
    return max(standing, key=lambda e: e.id).record_id
