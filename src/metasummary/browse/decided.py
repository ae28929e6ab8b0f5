"""The records list's decision filter: groups with a standing decision by a reviewer, or
citing a criterion code.

A standing decision is a reviewer's current vote (retracted votes do not count) or the
resolution, in either phase. Given both a reviewer and a code, one decision must match both
("R1 excluded it for E2"). Folded from the decisions alone, like the phase states.
"""

from __future__ import annotations

from metasummary.browse.states import GroupKeys, decided_groups
from metasummary.models import PHASES
from metasummary.screening.state import fold_decisions
from metasummary.store.counts import DecisionRow


def decision_roots(
    rows: list[DecisionRow],
    parents: dict[int, int],
    keys: GroupKeys,
    *,
    reviewer_id: int | None = None,
    criterion: str | None = None,
) -> set[int]:
    """Canonical records of the groups with a standing decision that matches."""
    folded = fold_decisions(rows, decided_groups(rows, parents, keys))
    found: set[int] = set()
    for phase in PHASES:
        for root, votes in folded[phase].items():
            standing = list(votes.current().values())
            if votes.resolution is not None:
                standing.append(votes.resolution)
            if any(
                (reviewer_id is None or row.reviewer_id == reviewer_id)
                and (criterion is None or criterion in row.criteria)
                for row in standing
            ):
                found.add(root)
    return found
