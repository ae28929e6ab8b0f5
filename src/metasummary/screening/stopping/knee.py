"""The knee rule (Cormack and Grossman 2016, "Engineering quality and reliability in
technology-assisted review", SIGIR).

It reads the *gain curve* (inclusions found against records screened): find the knee (the
point farthest from the straight line between the curve's ends) and compare the inclusion
rate before and after it. Stopping is suggested once at least 150 records were screened and
that slope ratio reaches ``156 - min(inclusions, 150)``. In the authors' evaluation this
reached high recall on collections with many inclusions; with few inclusions the ratio it
asks for is so high that it rarely fires. It promises no recall.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from metasummary.screening.stopping.rules import History, Reading, Target

MIN_SCREENED = 150
"""The knee rule never suggests stopping before this many records were screened."""


@dataclass(frozen=True, slots=True)
class KneeAdvice:
    """The knee rule's reading of a gain curve."""

    screened: int
    found: int
    knee: int
    slope_ratio: float
    target_ratio: float
    stop: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "screened": self.screened,
            "found": self.found,
            "knee": self.knee,
            "slope_ratio": round(self.slope_ratio, 2),
            "target_ratio": self.target_ratio,
            "stop": self.stop,
        }


def knee_advice(labels: Sequence[int]) -> KneeAdvice:
    """The knee rule on the labels in screening order."""
    y = np.asarray(labels, dtype=np.float64)
    screened = len(y)
    gain = np.cumsum(y)
    found = int(gain[-1]) if screened else 0
    target = float(156 - min(found, 150))
    if screened == 0 or found == 0:
        return KneeAdvice(screened, found, 0, 0.0, target, False)
    # Distance of each point (i, g(i)) from the line through (0, 0) and (s, g(s)).
    x = np.arange(1, screened + 1, dtype=np.float64)
    distance = (found * x - screened * gain) / math.hypot(found, screened)
    knee = int(np.argmin(distance)) + 1  # the curve bulges above the line
    if knee >= screened:
        return KneeAdvice(screened, found, knee, 0.0, target, False)
    before = gain[knee - 1] / knee
    after = (found - gain[knee - 1] + 1) / (screened - knee)
    ratio = float(before / after)
    return KneeAdvice(
        screened, found, knee, ratio, target, screened >= MIN_SCREENED and ratio >= target
    )


class KneeRule:
    """The knee rule as a stopping rule (it ignores the recall target: it promises none)."""

    name = "knee"
    title = "knee rule (Cormack and Grossman 2016)"

    def read(self, history: History, target: Target) -> Reading:
        advice = knee_advice(history.labels)
        if advice.screened < MIN_SCREENED:
            said = f"not before {MIN_SCREENED} records are screened ({advice.screened} so far)"
        else:
            said = (
                f"slope ratio {advice.slope_ratio:.1f} at the knee (record {advice.knee}); "
                f"it says stop at {advice.target_ratio:.0f}"
            )
        return Reading(
            self.name,
            advice.stop,
            ("stop: " if advice.stop else "go on: ") + said,
            {
                "knee": advice.knee,
                "slope_ratio": round(advice.slope_ratio, 2),
                "target_ratio": advice.target_ratio,
            },
        )
