"""What makes a decision valid, before anything is written.

Each check raises :class:`~metasummary.errors.InputError` with one line that names the value
and says what to do; callers run them all before opening a write transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from metasummary.errors import InputError
from metasummary.models import Phase, Verdict
from metasummary.protocol import Criteria

_PHASE_ALIASES = {
    "ta": Phase.TITLE_ABSTRACT,
    "title-abstract": Phase.TITLE_ABSTRACT,
    "title_abstract": Phase.TITLE_ABSTRACT,
    "ft": Phase.FULL_TEXT,
    "full-text": Phase.FULL_TEXT,
    "full_text": Phase.FULL_TEXT,
}


def parse_phase(value: str | Phase) -> Phase:
    """A phase from its name (``title-abstract``, ``full-text``, or ``ta`` / ``ft``)."""
    if isinstance(value, Phase):
        return value
    phase = _PHASE_ALIASES.get(value.strip().lower())
    if phase is None:
        raise InputError(f"phase {value!r}: unknown; use title-abstract or full-text")
    return phase


def parse_verdict(value: str | Verdict) -> Verdict:
    """A verdict from ``include`` / ``exclude`` / ``maybe`` (or their first letter)."""
    if isinstance(value, Verdict):
        return value
    text = value.strip().lower()
    for verdict in Verdict:
        if text in (verdict.value, verdict.value[0]):
            return verdict
    raise InputError(f"verdict {value!r}: unknown; use include, exclude or maybe")


def check_criteria(
    criteria: Criteria, verdict: Verdict, codes: Iterable[str], note: str = ""
) -> list[str]:
    """The criterion codes of a decision, checked against the protocol; returns them cleaned.

    Every code must be in the protocol. Exclusion codes only go with exclude or maybe. An
    exclusion names at least one code: an exclusion criterion the record meets, or an
    inclusion criterion it does not meet (``I2`` on an exclusion reads "I2 not met"), unless
    the protocol allows free notes (then a note will do instead).
    """
    cleaned: list[str] = []
    for raw in codes:
        code = raw.strip()
        if code and code not in cleaned:
            cleaned.append(code)
    known = criteria.codes()
    exclusion = {c.code for c in criteria.exclusion}
    for code in cleaned:
        if code not in known:
            listed = ", ".join(known) or "none: add them under criteria in protocol.yaml"
            raise InputError(f"criterion {code!r}: not in the protocol (codes: {listed})")
        if code in exclusion and verdict is Verdict.INCLUDE:
            raise InputError(
                f"criterion {code!r}: an exclusion criterion cannot justify an inclusion"
            )
    if verdict is Verdict.EXCLUDE and not cleaned:
        if criteria.allow_free_notes:
            if not note.strip():
                raise InputError("an exclusion needs a criterion code or a note saying why")
        else:
            met = ", ".join(sorted(exclusion)) or "none defined"
            unmet = ", ".join(c.code for c in criteria.inclusion) or "none defined"
            raise InputError(
                f"an exclusion needs a criterion code: an exclusion criterion it meets ({met}) "
                f"or an inclusion criterion it does not meet ({unmet}); or set "
                "criteria.allow_free_notes: true in protocol.yaml"
            )
    return cleaned
