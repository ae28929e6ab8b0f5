"""Small text helpers the writers share: cell text and how papers are cited."""

from __future__ import annotations

from metasummary import numbers
from metasummary.report.content import Citation, Citations, FindingGroup
from metasummary.report.flow import REPORTED_MARK
from metasummary.report.tables import Cell, Reported, Share


def cell_text(cell: Cell, mark: str = REPORTED_MARK) -> str:
    """A cell as plain text (the writers escape it for their format)."""
    if cell is None:
        return numbers.DASH
    if isinstance(cell, Reported):
        return f"{cell.value}{mark}"
    if isinstance(cell, Share):
        return numbers.percent(cell.value)
    if isinstance(cell, Citations):
        return cited(cell)
    if isinstance(cell, float):
        return f"{round(cell, 2):g}"  # a score: 1, 0.5, 0.67
    return str(cell)


def citation_text(citation: Citation) -> str:
    """``3``, ``3, p. 4``, or the location alone for a paper without a reference number."""
    if citation.reference is None:
        return citation.location
    if citation.location:
        return f"{citation.reference.number}, {citation.location}"
    return str(citation.reference.number)


def cited(citations: Citations) -> str:
    """``[5, 11, 13]``; ``[3, p. 4; 5]`` when one of them gives a place in the paper."""
    parts = [t for t in (citation_text(c) for c in citations.items) if t]
    if not parts:
        return ""
    separator = "; " if any(c.location for c in citations.items) else ", "
    return f"[{separator.join(parts)}]"


def quoted(group: FindingGroup) -> str:
    """A quote in quotation marks; a paraphrase as it is."""
    return f"“{group.text}”" if group.kind == "quote" else group.text
