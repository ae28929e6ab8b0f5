"""When to stop screening: stopping rules that read the screening history, and an estimate.

Each rule (:class:`~.rules.Rule`) says at every point whether the team may stop and why
(:class:`~.rules.Reading`); none excludes a record. ``RULES`` lists them by name:

* ``buscar``: Callaghan and Müller-Hansen's hypergeometric test (:mod:`.hypergeometric`);
* ``knee``: Cormack and Grossman's knee rule (:mod:`.knee`);
* ``confirmed``: metasummary's biased test confirmed by a random check (:mod:`.confirmed`),
  the default.
"""

from __future__ import annotations

from metasummary.errors import InputError
from metasummary.screening.stopping.confirmed import ConfirmedRule
from metasummary.screening.stopping.estimate import inclusions_left
from metasummary.screening.stopping.hypergeometric import HypergeometricRule, p_recall_below
from metasummary.screening.stopping.knee import MIN_SCREENED, KneeAdvice, KneeRule, knee_advice
from metasummary.screening.stopping.rules import History, Reading, Rule, Target

RULES: dict[str, Rule] = {
    rule.name: rule for rule in (ConfirmedRule(), HypergeometricRule(), KneeRule())
}
DEFAULT_RULE = ConfirmedRule.name


def rule_named(name: str) -> Rule:
    try:
        return RULES[name]
    except KeyError:
        raise InputError(
            f"stopping rule {name!r}: unknown; use one of {', '.join(RULES)}"
        ) from None


def read_all(history: History, target: Target) -> list[Reading]:
    """Every rule's reading of ``history``, the default rule first."""
    return [rule.read(history, target) for rule in RULES.values()]


__all__ = [
    "DEFAULT_RULE",
    "MIN_SCREENED",
    "RULES",
    "History",
    "KneeAdvice",
    "Reading",
    "Rule",
    "Target",
    "inclusions_left",
    "knee_advice",
    "p_recall_below",
    "read_all",
    "rule_named",
]
