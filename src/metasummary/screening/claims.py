"""Claims: the record each reviewer has on screen, so a team is offered different records.

In dual screening any two reviewers' votes decide a record. When a team screens at once from
similar rankings, they would all be shown the same few records, and all but two would be
refused when they vote. A reviewer shown a record claims it (one claim per reviewer and phase:
the record on their screen; it lapses after a while): a record whose open places are all held,
by votes or by others' claims, is offered to nobody else. Claims are presence, not evidence:
they never decide anything, are not logged, and a vote never depends on one.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

from metasummary.models import RecordState
from metasummary.screening.standing import GroupContext

CLAIM_MINUTES = 15
"""How long a record stays on a reviewer's screen for the others without a new look."""


def claimable(
    group: GroupContext, reviewer_id: int, held: Mapping[int, Set[int]], required: int
) -> bool:
    """Whether ``reviewer_id`` may take the group on screen: in the phase, unresolved, without
    their vote, and with a place left after the votes and the others' claims."""
    if group.votes.resolution is not None or group.state(required) is RecordState.NOT_ELIGIBLE:
        return False
    voters = group.voters()
    if reviewer_id in voters:
        return False
    others = set(held.get(group.root, set())) - voters - {reviewer_id}
    return len(voters) + len(others) < required


def taken(held: Mapping[int, Set[int]], viewer_id: int, required: int) -> set[int]:
    """Groups whose places are all on other reviewers' screens: skipped without a look."""
    return {root for root, ids in held.items() if len(set(ids) - {viewer_id}) >= required}
