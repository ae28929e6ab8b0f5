"""Blind dual screening: which decisions a reviewer may see.

The rule, enforced here so every face obeys it: in a phase that needs several independent
votes, a reviewer sees only their own vote on a group until every required reviewer has
voted (or a resolution exists); from then on all standing votes are shown. With a single
required vote, a decision is visible as soon as it is made. Someone who is no reviewer (a
web page where nobody chose who they are, an export by a lead) sees no pending vote at all.

Every face reads votes through these functions: the record page and its JSON
(:func:`may_see` on the decision history), the records list's "decided by" and "criterion"
filters (:func:`visible_rows`), the screening card and conflicts (:func:`visible`), the
progress panel (:func:`may_see`) and the decisions export.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from metasummary.screening.state import GroupVotes
from metasummary.store.counts import DecisionRow
from metasummary.store.decisions import DecisionEntry


@dataclass(frozen=True, slots=True)
class ShownDecision:
    """A decision as a reviewer is allowed to see it."""

    record_id: int
    reviewer: str
    kind: str  # vote | resolution
    verdict: str
    criteria: list[str]
    note: str
    pdf: str
    pilot: bool
    created_at: datetime

    def to_dict(self) -> dict[str, object]:
        return {
            "record_id": self.record_id,
            "reviewer": self.reviewer,
            "kind": self.kind,
            "verdict": self.verdict,
            "criteria": list(self.criteria),
            "note": self.note,
            "pdf": self.pdf,
            "pilot": self.pilot,
            "created_at": self.created_at.isoformat(),
        }


def unblinded(votes: GroupVotes, required: int) -> bool:
    """Whether every required reviewer has voted (or the group was resolved)."""
    return votes.resolution is not None or len(votes.current()) >= required


def may_see(
    votes: GroupVotes | None, viewer_id: int | None, required: int, author_id: int, kind: str
) -> bool:
    """Whether ``viewer_id`` (None: no reviewer) may see a decision of ``kind`` by
    ``author_id`` on a group whose decisions in that phase are ``votes``.

    A resolution settles the group, so it is never pending; a vote, or the retraction of
    one, is seen by its author alone until the group is unblinded.
    """
    if required < 2 or kind == "resolution":
        return True  # single screening keeps nothing from anyone
    if viewer_id is not None and author_id == viewer_id:
        return True
    return votes is not None and unblinded(votes, required)


def visible_rows(votes: GroupVotes, viewer_id: int | None, required: int) -> list[DecisionRow]:
    """The standing decisions (votes and resolution) ``viewer_id`` may see."""
    return [
        row
        for row in votes.standing()
        if may_see(votes, viewer_id, required, row.reviewer_id, row.kind)
    ]


def visible(
    votes: GroupVotes,
    viewer_id: int | None,
    required: int,
    entries: Mapping[int, DecisionEntry],
    codes: Mapping[int, str],
) -> tuple[list[ShownDecision], int]:
    """The standing decisions ``viewer_id`` may see, and how many others are hidden.

    Args:
        votes: The group's folded decisions in one phase.
        viewer_id: The reviewer asking.
        required: Votes the phase needs before agreeing votes decide.
        entries: Decision entries by id (for note, PDF and time).
        codes: Reviewer codes by id.
    """
    current = votes.current()
    open_all = unblinded(votes, required)
    shown: list[ShownDecision] = []
    hidden = 0
    for reviewer_id, row in sorted(current.items(), key=lambda item: item[1].id):
        if open_all or reviewer_id == viewer_id:
            shown.append(_shown(entries[row.id], codes))
        else:
            hidden += 1
    if votes.resolution is not None:
        shown.append(_shown(entries[votes.resolution.id], codes))
    return shown, hidden


def _shown(entry: DecisionEntry, codes: Mapping[int, str]) -> ShownDecision:
    return ShownDecision(
        record_id=entry.record_id,
        reviewer=codes.get(entry.reviewer_id, f"#{entry.reviewer_id}"),
        kind=entry.kind,
        verdict=entry.verdict or "",
        criteria=list(entry.criteria),
        note=entry.note,
        pdf=entry.pdf,
        pilot=entry.pilot,
        created_at=entry.created_at,
    )
