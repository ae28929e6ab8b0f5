"""How numbers read, in every face and every report format: one style, one home.

* A proportion is a percentage with one decimal: ``94.1 %`` (an effect size, percent
  agreement, a share of papers).
* A coefficient (Cohen's or Fleiss' kappa, Krippendorff's alpha) has two decimals: ``0.82``.
* An estimate carries its 95 % confidence interval in brackets: ``0.82 [0.71, 0.93]``,
  ``94.1 % [90.2, 96.5]``. An interval from fewer than :data:`FEW_ITEMS` items says so,
  ``0.82 [0.51, 1.00] (n = 12 < 30)``: with so few items it is a rough guide.
* Undefined is a dash, or ``n/a`` with the reason when there is one.
"""

from __future__ import annotations

from typing import Protocol

FEW_ITEMS = 30
"""Below this many items a confidence interval is flagged as resting on few items."""
DASH = "–"


class Interval(Protocol):
    """What :func:`estimate` reads (``metasummary.agreement.Estimate`` has it)."""

    @property
    def value(self) -> float | None: ...
    @property
    def low(self) -> float | None: ...
    @property
    def high(self) -> float | None: ...
    @property
    def n(self) -> int: ...
    @property
    def note(self) -> str: ...


def percent(value: float | None) -> str:
    """A proportion as ``5.9 %``; a dash when undefined."""
    return DASH if value is None else f"{100 * value:.1f} %"


def coefficient(value: float | None) -> str:
    """A kappa or alpha as ``0.82``; a dash when undefined."""
    return DASH if value is None else f"{value:.2f}"


def estimate(est: Interval, *, proportion: bool = False) -> str:
    """``0.82 [0.71, 0.93]``, or ``94.1 % [90.2, 96.5]`` for a proportion; flagged when the
    interval rests on fewer than :data:`FEW_ITEMS` items."""
    if est.value is None:
        return f"n/a ({est.note})" if est.note else "n/a"
    if proportion:
        text = percent(est.value)
        bounds = [f"{100 * b:.1f}" for b in (est.low, est.high) if b is not None]
    else:
        text = coefficient(est.value)
        bounds = [coefficient(b) for b in (est.low, est.high) if b is not None]
    if len(bounds) < 2:
        return text
    text += f" [{bounds[0]}, {bounds[1]}]"
    if est.n < FEW_ITEMS:
        text += f" (n = {est.n} < {FEW_ITEMS})"
    return text


def few_items_note() -> str:
    """The footnote for tables that may hold a flagged interval."""
    return (
        f"Each figure with its 95 % confidence interval; (n < {FEW_ITEMS}) marks an interval "
        "from so few items that it is only a rough guide."
    )
