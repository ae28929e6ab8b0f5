"""Inter-rater agreement of screening votes, per phase and per criterion.

Built on :mod:`metasummary.agreement`. The ratings are the reviewers' standing votes
(include / exclude / maybe) on the groups two or more of them voted on; for a criterion, the
rating is whether the reviewer cited that code. Resolutions are not ratings: they settle
disagreements, they do not measure them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from metasummary.agreement import (
    Estimate,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    paired,
    percent_agreement,
)
from metasummary.models import Phase
from metasummary.screening.snapshot import PhaseSnapshot
from metasummary.store.decisions import DecisionEntry

Ratings = dict[Hashable, dict[Hashable, Hashable]]


def _estimate(e: Estimate) -> dict[str, object]:
    return {"value": e.value, "low": e.low, "high": e.high, "n": e.n, "note": e.note}


@dataclass(frozen=True, slots=True)
class PairAgreement:
    first: str
    second: str
    percent: Estimate
    cohen: Estimate

    def to_dict(self) -> dict[str, object]:
        return {
            "reviewers": [self.first, self.second],
            "percent": _estimate(self.percent),
            "cohen_kappa": _estimate(self.cohen),
        }


@dataclass(frozen=True, slots=True)
class CriterionAgreement:
    code: str
    pairs: list[PairAgreement]
    krippendorff: Estimate

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "pairs": [p.to_dict() for p in self.pairs],
            "krippendorff_alpha": _estimate(self.krippendorff),
        }


@dataclass(slots=True)
class PhaseAgreement:
    phase: Phase
    reviewers: list[str]
    items: int
    """Groups rated by two or more reviewers."""
    pairs: list[PairAgreement] = field(default_factory=list)
    fleiss: Estimate | None = None
    krippendorff: Estimate | None = None
    criteria: list[CriterionAgreement] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "phase": self.phase.value,
            "reviewers": self.reviewers,
            "items": self.items,
            "pairs": [p.to_dict() for p in self.pairs],
            "fleiss_kappa": _estimate(self.fleiss) if self.fleiss else None,
            "krippendorff_alpha": _estimate(self.krippendorff) if self.krippendorff else None,
            "criteria": [c.to_dict() for c in self.criteria],
        }


def standing_votes(
    snapshot: PhaseSnapshot, *, pilot_only: bool = False
) -> dict[int, dict[str, DecisionEntry]]:
    """Group -> reviewer code -> standing vote, for groups with two or more votes."""
    found: dict[int, dict[str, DecisionEntry]] = {}
    for root in snapshot.eligible():
        current = snapshot.votes(root).current()
        entries = {
            snapshot.codes.get(reviewer_id, str(reviewer_id)): snapshot.entries[row.id]
            for reviewer_id, row in current.items()
        }
        if pilot_only:
            entries = {code: e for code, e in entries.items() if e.pilot}
        if len(entries) >= 2:
            found[root] = entries
    return found


def _pairs(ratings: Ratings, reviewers: list[str]) -> list[PairAgreement]:
    result = []
    for first, second in combinations(reviewers, 2):
        pairs = paired(ratings, first, second)
        if pairs:
            result.append(
                PairAgreement(first, second, percent_agreement(pairs), cohen_kappa(pairs))
            )
    return result


def _units(ratings: Mapping[Hashable, Mapping[Hashable, Hashable]]) -> list[list[Hashable]]:
    return [list(by_rater.values()) for by_rater in ratings.values()]


def phase_agreement(
    snapshot: PhaseSnapshot, codes: list[str], *, pilot_only: bool = False
) -> PhaseAgreement:
    """Agreement in the snapshot's phase: pairs, all raters, and each criterion code."""
    votes = standing_votes(snapshot, pilot_only=pilot_only)
    reviewers = sorted({code for by_code in votes.values() for code in by_code})
    verdicts: Ratings = {
        root: {code: e.verdict or "" for code, e in by_code.items()}
        for root, by_code in votes.items()
    }
    report = PhaseAgreement(snapshot.phase, reviewers, len(votes))
    report.pairs = _pairs(verdicts, reviewers)
    if len(reviewers) > 2:
        units = _units(verdicts)
        sizes = [len(u) for u in units]
        modal = max(set(sizes), key=sizes.count) if sizes else 0
        report.fleiss = fleiss_kappa([u for u in units if len(u) == modal])
        report.krippendorff = krippendorff_alpha(units)
    for code in codes:
        cited: Ratings = {
            root: {reviewer: code in e.criteria for reviewer, e in by_code.items()}
            for root, by_code in votes.items()
        }
        if not any(any(v for v in by.values()) for by in cited.values()):
            continue
        report.criteria.append(
            CriterionAgreement(code, _pairs(cited, reviewers), krippendorff_alpha(_units(cited)))
        )
    return report
