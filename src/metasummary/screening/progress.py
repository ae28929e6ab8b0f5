"""How far each reviewer got in each phase: their standing votes, by verdict.

Folded from the decisions alone (only the groups that carry them), so the cost follows the
number of decisions, not of records. A vote counts once per duplicate group, and a retracted
vote does not count. Other reviewers' votes are counted, never shown: blind screening hides
verdicts on single records, not how many records someone has screened.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from metasummary.models import PHASES, Phase
from metasummary.screening.standing import Standing
from metasummary.store.catalog import ReviewerRow


@dataclass(frozen=True, slots=True)
class ReviewerProgress:
    """One reviewer's standing votes in one phase."""

    reviewer: str
    phase: Phase
    votes: int
    included: int
    excluded: int
    maybe: int
    resolutions: int
    """Conflicts this reviewer settled (as third reviewer or in consensus)."""

    def to_dict(self) -> dict[str, object]:
        return {
            "reviewer": self.reviewer,
            "phase": self.phase.value,
            "votes": self.votes,
            "included": self.included,
            "excluded": self.excluded,
            "maybe": self.maybe,
            "resolutions": self.resolutions,
        }


def reviewer_progress(
    conn: sa.Connection, reviewers: list[ReviewerRow], standing: Standing
) -> list[ReviewerProgress]:
    """Every reviewer's standing votes per phase, reviewers in the order given."""
    folded = standing.votes(conn)
    verdicts: Counter[tuple[int, Phase, str]] = Counter()
    resolved: Counter[tuple[int, Phase]] = Counter()
    for phase in PHASES:
        for votes in folded[phase].values():
            for reviewer_id, row in votes.current().items():
                verdicts[(reviewer_id, phase, row.verdict or "")] += 1
            if votes.resolution is not None:
                resolved[(votes.resolution.reviewer_id, phase)] += 1
    found = []
    for reviewer in reviewers:
        for phase in PHASES:
            counts = {v: verdicts[(reviewer.id, phase, v)] for v in ("include", "exclude", "maybe")}
            found.append(
                ReviewerProgress(
                    reviewer=reviewer.code,
                    phase=phase,
                    votes=sum(counts.values()),
                    included=counts["include"],
                    excluded=counts["exclude"],
                    maybe=counts["maybe"],
                    resolutions=resolved[(reviewer.id, phase)],
                )
            )
    return found
