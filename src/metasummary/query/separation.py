"""How well a term separates the seed papers from the other records: a log-odds z-score.

Monroe, Colaresi and Quinn (2008, "Fightin' Words", *Political Analysis* 16(4)) compare word
use between two groups by the log-odds ratio with an informative Dirichlet prior, divided by
its standard deviation. Here the groups are the seed papers and the other records, counts are
documents (a paper uses a term or not), and the prior is the term's rate over both groups,
worth :data:`PRIOR_DOCUMENTS` pseudo-documents per seed paper. The z-score is high for a term
many seeds use and few other records do; it is low for a generic word (used everywhere) and
for a term only the seeds share (a rare term's estimate is uncertain, so its variance is
large). The ratio itself is the term's weight when records are ranked by the terms they use:
it is the Robertson–Spärck Jones relevance weight of probabilistic retrieval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PRIOR_DOCUMENTS = 1.0
"""Prior weight, in pseudo-documents per seed paper: the seeds' evidence counts as much as
the prior's, so five seeds pull a term's estimate halfway towards its overall rate."""


@dataclass(frozen=True, slots=True)
class LogOdds:
    ratio: float
    """The log-odds ratio: a term's weight for ranking records (the Robertson–Spärck Jones
    relevance weight, smoothed by the prior)."""
    sd: float
    """Its standard deviation."""

    @property
    def z(self) -> float:
        """The evidence that the term separates the seeds: what suggestions are ranked by."""
        return self.ratio / self.sd if self.sd else 0.0


def log_odds(seeds_using: int, seeds: int, others_using: int, others: int) -> LogOdds:
    """The log-odds ratio (seed papers vs other records) of one term, with its deviation.

    Args:
        seeds_using: seed papers that use the term.
        seeds: seed papers.
        others_using: other records that use it.
        others: other records.
    """
    total = seeds + others
    if total == 0 or seeds_using + others_using in (0, total):
        return LogOdds(0.0, 0.0)
    alpha0 = PRIOR_DOCUMENTS * seeds
    alpha = alpha0 * (seeds_using + others_using) / total
    in_seeds = math.log((seeds_using + alpha) / (seeds + alpha0 - seeds_using - alpha))
    in_others = math.log((others_using + alpha) / (others + alpha0 - others_using - alpha))
    variance = 1 / (seeds_using + alpha) + 1 / (others_using + alpha)
    return LogOdds(in_seeds - in_others, math.sqrt(variance))


def log_odds_z(seeds_using: int, seeds: int, others_using: int, others: int) -> float:
    """The z-score of :func:`log_odds`."""
    return log_odds(seeds_using, seeds, others_using, others).z
