"""Exporting records: every record, or the papers included at full text."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from metasummary.imports.writers import FORMATS, ExportRecord, write
from metasummary.models import Phase
from metasummary.review import Review
from metasummary.screening.standing import Standing
from metasummary.store import records as store_records
from metasummary.store.catalog import list_sources

__all__ = ["FORMATS", "Exports"]


class Exports:
    """Write a project's records out for other tools, reviewers or the paper."""

    def __init__(self, review: Review) -> None:
        self.review = review

    def selection(self, *, included: bool = False) -> list[ExportRecord]:
        """All records in id order; with ``included``, one per group included at full text."""
        with self.review.store.read() as conn:
            names = {s.id: s.name for s in list_sources(conn)}
            if included:
                chosen = Standing(self.review.required_votes()).included(conn, Phase.FULL_TEXT)
                stored = store_records.get_many(conn, sorted(chosen))
            else:
                stored = list(store_records.iter_all(conn))
        return [
            ExportRecord(r.id, names.get(r.source_id, ""), r.duplicate_of, r.data) for r in stored
        ]

    def records(self, fmt: str, out: IO[str] | Path, *, included: bool = False) -> int:
        """Write the records as ``fmt`` (ris, bibtex, csv, xlsx); the number written."""
        chosen = self.selection(included=included)
        write(chosen, fmt, out)
        return len(chosen)
