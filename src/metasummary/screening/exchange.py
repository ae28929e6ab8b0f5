"""``project.decisions``: screening decisions out to files and in from them.

Out: the table of standing votes and resolutions (``ledger.py``) as CSV or XLSX through the
synthesis sheets' writer, or as RIS notes and keywords on the records through the records'
RIS writer, so a reference manager (Zotero, EndNote) carries them. In: this tool's own table
(``decide --from``, by record id; ``import-decisions``, by DOI and title, into another copy)
and the exports of Rayyan, ASReview LAB and Covidence (``decision_files.py``), all or
nothing (``intake.py``).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from metasummary.errors import InputError
from metasummary.imports.writers import ExportRecord, write_ris
from metasummary.models import PHASES, Phase
from metasummary.review import Review
from metasummary.screening.decision_files import KEYWORD_PREFIX, NOTE_PREFIX, read_decisions
from metasummary.screening.decisions import Screening
from metasummary.screening.intake import Intake, IntakeResult, Names
from metasummary.screening.ledger import HEADERS, LedgerLine, ledger_lines
from metasummary.screening.reviewers import find_reviewer, viewer_id
from metasummary.screening.rules import parse_phase
from metasummary.store import records as store_records
from metasummary.store.catalog import list_sources
from metasummary.synthesis.sheets import write_sheet

EXPORT_FORMATS = ("csv", "xlsx", "ris")


class DecisionExchange:
    """Decisions out to files and in from them (``project.decisions``)."""

    def __init__(self, review: Review, screening: Screening) -> None:
        self.review = review
        self.screening = screening

    def lines(
        self,
        *,
        viewer: str | None,
        phase: Phase | str | None = None,
        reviewer: str | None = None,
    ) -> list[LedgerLine]:
        """The standing decisions ``viewer`` may see (of one phase, by one reviewer)."""
        phases = (parse_phase(phase),) if phase else PHASES
        with self.review.store.read() as conn:
            looking = viewer_id(conn, viewer)
            author = find_reviewer(conn, reviewer).id if reviewer else None
            return ledger_lines(
                conn,
                self.screening.standing,
                self.review.protocol.criteria,
                viewer_id=looking,
                phases=phases,
                reviewer_id=author,
            )

    def export(
        self,
        path: Path,
        *,
        viewer: str | None,
        phase: Phase | str | None = None,
        reviewer: str | None = None,
    ) -> int:
        """Write the decisions to ``path`` (.csv, .xlsx: one line each; .ris: every decided
        record with its decisions as notes and keywords); the number of decisions written."""
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in EXPORT_FORMATS:
            raise InputError(f"{path}: use a .csv, .xlsx or .ris file name")
        found = self.lines(viewer=viewer, phase=phase, reviewer=reviewer)
        if fmt == "ris":
            self._ris(path, found)
        else:
            write_sheet(
                path,
                HEADERS,
                [line.cells() for line in found],
                title="decisions",
                wide=("title", "reasons", "note"),
            )
        return len(found)

    def _ris(self, path: Path, found: list[LedgerLine]) -> None:
        by_record: dict[int, list[LedgerLine]] = defaultdict(list)
        for line in found:
            by_record[line.record].append(line)
        with self.review.store.read() as conn:
            stored = store_records.get_many(conn, sorted(by_record))
            names = {s.id: s.name for s in list_sources(conn)}
        entries = [
            ExportRecord(
                r.id,
                names.get(r.source_id, ""),
                r.duplicate_of,
                r.data,
                notes=tuple(f"{NOTE_PREFIX}{line.label()}" for line in by_record[r.id]),
                labels=tuple(f"{KEYWORD_PREFIX}{line.label()}" for line in by_record[r.id]),
            )
            for r in stored
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as out:
            write_ris(entries, out)

    def decide_from(self, path: Path, *, reviewer: str = "", actor: str = "") -> IntakeResult:
        """Record the decisions of a table in this tool's format, its ``record`` column
        naming this review's records; every line or none."""
        found = read_decisions(path, fmt="metasummary")
        names = Names(reviewer=reviewer)
        actor = self.review.acting(actor)
        return Intake(self.screening).apply(
            found, names, by_record_id=True, elsewhere=False, actor=actor
        )

    def import_file(
        self,
        path: Path,
        *,
        fmt: str | None = None,
        phase: Phase | str = Phase.TITLE_ABSTRACT,
        covidence_list: str | None = None,
        names: Names | None = None,
        actor: str = "",
    ) -> IntakeResult:
        """Bring in decisions made elsewhere (Rayyan, ASReview LAB, Covidence, or another
        copy of a review), matching papers by DOI and title; every line or none, papers the
        review lacks listed."""
        found = read_decisions(
            path, fmt=fmt, phase=parse_phase(phase), covidence_list=covidence_list
        )
        actor = self.review.acting(actor)
        return Intake(self.screening).apply(
            found, names or Names(), by_record_id=False, elsewhere=True, actor=actor
        )
