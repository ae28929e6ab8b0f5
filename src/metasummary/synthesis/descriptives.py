"""Corpus descriptives: what the included papers are, from their records and extraction.

Papers per year come from the records; each extraction field is tallied by its type: a
choice field counts its choices (and ``unspecified``, and papers not filled in); an integer
field sums to a total shown as ``N+`` when some papers leave it unspecified (the study's
"4758+ practitioners, count unspecified in seven papers"); a text field is counted like a
choice when its values repeat (at most half as many distinct values as papers, e.g. a venue
category), and left out when every paper says something of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from metasummary.protocol import ExtractionField, FieldType
from metasummary.synthesis.fieldvalues import UNSPECIFIED

MISSING = "(not filled in)"


@dataclass(slots=True)
class FieldTally:
    """One extraction field over the included papers."""

    name: str
    label: str
    type: str
    counts: dict[str, int] = field(default_factory=dict)
    total: int | None = None
    reported: int = 0
    unspecified: int = 0
    missing: int = 0

    @property
    def total_label(self) -> str:
        """The total as the study printed it: ``4758+`` when some papers do not say."""
        if self.total is None:
            return ""
        return f"{self.total}+" if self.unspecified or self.missing else str(self.total)


@dataclass(slots=True)
class Descriptives:
    papers: int
    years: dict[str, int]
    fields: list[FieldTally]

    def to_dict(self) -> dict[str, Any]:
        return {
            "papers": self.papers,
            "years": self.years,
            "fields": [
                {
                    "name": f.name,
                    "label": f.label,
                    "type": f.type,
                    "counts": f.counts,
                    "total": f.total,
                    "total_label": f.total_label,
                    "reported": f.reported,
                    "unspecified": f.unspecified,
                    "missing": f.missing,
                }
                for f in self.fields
            ],
        }


def describe(
    years: Sequence[int | None],
    fields: Sequence[ExtractionField],
    values: Sequence[Mapping[str, Any]],
) -> Descriptives:
    """Tally ``years`` and each field over ``values`` (one mapping per included paper)."""
    year_counts = Counter("unknown" if y is None else str(y) for y in years)
    ordered = dict(sorted(year_counts.items(), key=lambda kv: (kv[0] == "unknown", kv[0])))
    tallies = [t for f in fields if (t := _tally(f, [v.get(f.name) for v in values]))]
    return Descriptives(len(years), ordered, tallies)


def _tally(fld: ExtractionField, values: list[Any]) -> FieldTally | None:
    tally = FieldTally(fld.name, fld.label or fld.name, fld.type.value)
    tally.missing = sum(1 for v in values if v is None)
    tally.unspecified = sum(1 for v in values if v == UNSPECIFIED)
    given = [v for v in values if v is not None and v != UNSPECIFIED]
    tally.reported = len(given)
    if fld.type is FieldType.INTEGER:
        tally.total = sum(int(v) for v in given if isinstance(v, int))
        return tally
    if fld.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
        counts = Counter(c for v in given for c in (v if isinstance(v, list) else [v]))
        tally.counts = {c: counts.get(c, 0) for c in fld.choices}
    elif fld.type is FieldType.TEXT:
        counts = Counter(str(v) for v in given)
        repeats = len(counts) < len(given)
        if not repeats or len(counts) > max(3, len(values) // 2):
            return None
        tally.counts = dict(counts.most_common())
    else:
        return None
    if tally.unspecified:
        tally.counts[UNSPECIFIED] = tally.unspecified
    if tally.missing:
        tally.counts[MISSING] = tally.missing
    return tally
