"""Agreement figures for the report: dual screening per phase, and two coders' card sorts.

Every statistic comes from :mod:`metasummary.agreement`. Screening agreement is measured on
the standing votes of the groups two or more reviewers voted on (resolutions settle
disagreements; they are not ratings).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from itertools import combinations
from typing import TYPE_CHECKING

from metasummary.agreement import cohen_kappa, krippendorff_alpha, paired, percent_agreement
from metasummary.models import Phase
from metasummary.report.content import AgreementRow
from metasummary.screening.state import GroupVotes

if TYPE_CHECKING:
    from metasummary.coding import AgreementReport

PHASE_NAMES = {Phase.TITLE_ABSTRACT: "title/abstract", Phase.FULL_TEXT: "full text"}


def screening_agreement(
    folded: Mapping[Phase, Mapping[int, GroupVotes]], reviewers: Mapping[int, str]
) -> list[AgreementRow]:
    """One row per phase and pair of reviewers who both voted on some groups."""
    rows: list[AgreementRow] = []
    for phase in Phase:
        ratings: dict[Hashable, dict[Hashable, Hashable]] = {}
        for root, votes in sorted(folded[phase].items()):
            current = votes.current()
            if len(current) >= 2:
                ratings[root] = {reviewers.get(r, str(r)): v.verdict for r, v in current.items()}
        if not ratings:
            continue
        coders = sorted({str(name) for by in ratings.values() for name in by})
        alpha = krippendorff_alpha([list(by.values()) for by in ratings.values()])
        for first, second in combinations(coders, 2):
            pairs = paired(ratings, first, second)
            if not pairs:
                continue
            rows.append(
                AgreementRow(
                    what=f"Screening, {PHASE_NAMES[phase]}",
                    raters=f"{first} – {second}",
                    items=len(pairs),
                    percent=percent_agreement(pairs).format(),
                    kappa=cohen_kappa(pairs).format(),
                    alpha=alpha.format(),
                )
            )
    return rows


def coding_agreement(report: AgreementReport) -> list[AgreementRow]:
    raters = f"{report.first} – {report.second}"
    return [
        AgreementRow(
            "Card sort, finding → theme",
            raters,
            report.both,
            report.percent.format(),
            report.kappa.format(),
            report.alpha.format(),
        ),
        AgreementRow(
            "Card sort, finding → stage",
            raters,
            report.both,
            report.stage_percent.format(),
            report.stage_kappa.format(),
            report.stage_alpha.format(),
        ),
    ]
