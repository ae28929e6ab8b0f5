"""Which suggestions are significant, so the list a librarian can take is as long as the
evidence allows.

Every candidate phrase is a test: does the sample (the seeds and the records most like them)
use it at more than twice the odds of the other records (``separation.LogOdds.p_above``)?
Among a few hundred candidates some pass by chance, so the p-values are corrected for their
number by the Benjamini–Hochberg step-up (1995): the suggestions called significant hold, in
expectation, at most :data:`FALSE_DISCOVERY` of flukes. A false discovery rate rather than
Bonferroni's family-wise rate, because what a librarian risks is the share of a list that is
wrong, not whether one term of it is. A phrase also needs :data:`MIN_SEEDS` seed papers: the
records like the seeds are a guess, and a phrase of one seed and its look-alikes is that
paper's own topic.

With five seeds few phrases pass, and none when the project holds no records to compare with:
the others are still shown, ranked, as weaker evidence. The test speaks of the sample, not of
every paper the review will include: the records like the seeds are a guess, so a
significant phrase is where to start, not a promise (``benchmarks/query_suggest.py`` measures
how often the held-out inclusions bear one out).
"""

from __future__ import annotations

from collections.abc import Sequence

from metasummary.query.concepts import Scored

FALSE_DISCOVERY = 0.05
"""The expected share of flukes among the significant suggestions."""
MIN_SEEDS = 2
"""Seed papers that must use a significant suggestion."""


def step_up(p_values: Sequence[float], rate: float = FALSE_DISCOVERY) -> list[bool]:
    """Which hypotheses the Benjamini–Hochberg procedure rejects at false discovery ``rate``:
    the ``k`` smallest p-values, for the largest ``k`` whose p-value is at most
    ``k / m * rate`` (``m`` tests)."""
    tests = len(p_values)
    order = sorted(range(tests), key=lambda i: p_values[i])
    passed = 0
    for rank, index in enumerate(order, 1):
        if p_values[index] <= rank / tests * rate:
            passed = rank
    rejected = [False] * tests
    for index in order[:passed]:
        rejected[index] = True
    return rejected


def significant_keys(scored: Sequence[Scored], rate: float = FALSE_DISCOVERY) -> set[str]:
    """The concept keys of the candidates in ``scored`` (every candidate tested) that are
    significant and used by :data:`MIN_SEEDS` seeds; none when they were not counted in any
    records."""
    tested = [s for s in scored if s.records is not None]
    passed = step_up([s.p_above for s in tested], rate)
    return {
        s.concept.key for s, ok in zip(tested, passed, strict=True) if ok and s.seeds >= MIN_SEEDS
    }
