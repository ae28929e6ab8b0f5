"""Small text helpers the writers share: cell text and how a finding is cited."""

from __future__ import annotations

import re

from metasummary.report.content import FindingItem, percent
from metasummary.report.flow import REPORTED_MARK
from metasummary.report.tables import Cell, Reported, Share


def cell_text(cell: Cell, mark: str = REPORTED_MARK) -> str:
    """A cell as plain text (the writers escape it for their format)."""
    if cell is None:
        return "–"
    if isinstance(cell, Reported):
        return f"{cell.value}{mark}"
    if isinstance(cell, Share):
        return percent(cell.value)
    if isinstance(cell, float):
        return f"{cell:.3f}"
    return str(cell)


def where(item: FindingItem) -> str:
    """The finding's location, with the page its quote was found on when it does not say."""
    location = item.location
    if item.page is not None and not re.search(rf"\b{item.page}\b", location):
        return f"{location}, p. {item.page}" if location else f"p. {item.page}"
    return location


def citation(item: FindingItem) -> str:
    """``[3]``, or ``[3, p. 4]`` with the finding's location or page."""
    location = where(item)
    if item.reference is None:
        return f"[{location}]" if location else ""
    if location:
        return f"[{item.reference.number}, {location}]"
    return f"[{item.reference.number}]"


def quoted(item: FindingItem) -> str:
    """A quote in quotation marks; a paraphrase as it is."""
    return f"“{item.text}”" if item.kind == "quote" else item.text
