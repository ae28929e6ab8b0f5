"""Agreement figures for the report: dual screening per phase, and two coders' card sorts.

The figures are the services' own (``project.screening.agreement()`` and
``project.synthesis.coding.agreement()``), laid out as table rows here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from metasummary.models import Phase
from metasummary.report.content import AgreementRow
from metasummary.screening.reliability import PhaseAgreement

if TYPE_CHECKING:
    from metasummary.synthesis.coding import AgreementReport

PHASE_NAMES = {Phase.TITLE_ABSTRACT: "title/abstract", Phase.FULL_TEXT: "full text"}


def screening_agreement(phases: Iterable[PhaseAgreement]) -> list[AgreementRow]:
    """One row per phase and pair of reviewers, then per criterion code cited."""
    rows: list[AgreementRow] = []
    for report in phases:
        if not report.pairs:
            continue
        name = PHASE_NAMES[report.phase]
        alpha = report.krippendorff.format() if report.krippendorff else "–"
        for pair in report.pairs:
            rows.append(
                AgreementRow(
                    f"Screening, {name}",
                    f"{pair.first} – {pair.second}",
                    report.items,
                    pair.percent.format(proportion=True),
                    pair.cohen.format(),
                    alpha,
                )
            )
        for criterion in report.criteria:
            for pair in criterion.pairs:
                rows.append(
                    AgreementRow(
                        f"Screening, {name}: citing {criterion.code}",
                        f"{pair.first} – {pair.second}",
                        pair.percent.n,
                        pair.percent.format(proportion=True),
                        pair.cohen.format(),
                        criterion.krippendorff.format(),
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
            report.percent.format(proportion=True),
            report.kappa.format(),
            report.alpha.format(),
        ),
        AgreementRow(
            "Card sort, finding → stage",
            raters,
            report.both,
            report.stage_percent.format(proportion=True),
            report.stage_kappa.format(),
            report.stage_alpha.format(),
        ),
    ]
