"""Deduplication: find the records that stand for the same paper, and link them.

The engine (:func:`find_duplicates`) runs on :class:`~metasummary.models.RecordData` keyed by
anything, so a project's records and a benchmark file go through the same code; the service
(:class:`Dedup`, ``project.dedup``) stores its verdicts and links without deleting anything.
"""

from metasummary.dedup.classify import Label, Verdict
from metasummary.dedup.engine import (
    DEFAULT_THRESHOLD,
    Match,
    Outcome,
    build_entries,
    find_duplicates,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "Label",
    "Match",
    "Outcome",
    "Verdict",
    "build_entries",
    "find_duplicates",
]
