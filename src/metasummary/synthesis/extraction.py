"""Extraction: the protocol's fields for every included paper, through a spreadsheet.

``export`` writes one row per included paper with its current values (choices as drop-downs);
``import_file`` reads such a sheet back. An import checks every cell first and reports each
bad one with its place (``Sheet1!D7: 'intervew' is not one of interview, survey, both,
other``); with any problem nothing is written. Papers the review does not hold are added
when asked (``add_papers``), so a review can start from its extraction sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from metasummary.errors import ImportFileError, InputError
from metasummary.protocol import ExtractionField, FieldType
from metasummary.review import Review
from metasummary.store import events
from metasummary.store import extraction as store_extraction
from metasummary.store import records as store_records
from metasummary.synthesis import fieldvalues
from metasummary.synthesis.fieldvalues import ValueProblem
from metasummary.synthesis.papers import NewPaper, PaperColumns, PaperIndex, add_papers, load_corpus
from metasummary.synthesis.sheets import Cell, Sheet, read_sheet, write_sheet

PAPER_HEADERS = ["record", "key", "title", "year", "venue"]


@dataclass(frozen=True, slots=True)
class PaperValues:
    """One included paper and its extraction values (``None`` = not filled in)."""

    record_id: int
    key: str
    title: str
    year: int | None
    venue: str
    values: dict[str, Any]


@dataclass(slots=True)
class ExtractionImport:
    """What an import did."""

    file: str
    rows: int = 0
    papers_added: int = 0
    changed: int = 0
    unchanged: int = 0
    fields: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


class Extraction:
    """Extraction fields per included paper (``project.synthesis.extraction``)."""

    def __init__(self, review: Review) -> None:
        self.review = review

    @property
    def fields(self) -> list[ExtractionField]:
        return list(self.review.protocol.extraction.fields)

    def papers(self, *, coder: str = "") -> list[PaperValues]:
        """Every included paper with its values, by record id."""
        with self.review.store.read() as conn:
            corpus = load_corpus(conn, self.review.required_votes())
            stored = corpus.fold(store_extraction.values(conn, coder=coder))
            records = store_records.get_many(conn, sorted(corpus.included))
        return [
            PaperValues(
                record_id=r.id,
                key=r.data.original_key,
                title=r.data.title,
                year=r.data.year,
                venue=r.data.venue,
                values={f.name: stored.get((r.id, f.name)) for f in self.fields},
            )
            for r in records
        ]

    def export(self, path: Path, *, coder: str = "") -> int:
        """Write the sheet to fill in (``.xlsx`` or ``.csv``); the number of papers."""
        fields = self.fields
        if not fields:
            raise InputError("the protocol lists no extraction fields (extraction.fields)")
        papers = self.papers(coder=coder)
        rows: list[list[Cell]] = [
            [
                p.record_id,
                p.key,
                p.title,
                p.year,
                p.venue,
                *(fieldvalues.render(f, p.values[f.name]) for f in fields),
            ]
            for p in papers
        ]
        write_sheet(
            path,
            [*PAPER_HEADERS, *(f.name for f in fields)],
            rows,
            title="Extraction",
            choices={
                f.name: fieldvalues.choices_of(f) for f in fields if f.type is FieldType.CHOICE
            },
            wide=["title", *(f.name for f in fields if f.type in (FieldType.TEXT, FieldType.LIST))],
        )
        return len(papers)

    def import_file(
        self, path: Path, *, coder: str = "", add_missing: bool = False, actor: str = ""
    ) -> ExtractionImport:
        """Read a filled-in sheet; every value or none of them."""
        sheet = read_sheet(path)
        cols = PaperColumns.of(sheet)
        if not cols.any():
            raise ImportFileError(
                f"{path}: no column names the paper; add one of: record, key, doi, title"
            )
        columns = self._field_columns(sheet)
        if not columns:
            names = ", ".join(f.name for f in self.fields) or "none in the protocol"
            raise ImportFileError(f"{path}: no column is an extraction field ({names})")
        result = ExtractionImport(file=path.name, fields=[f.name for f, _ in columns])
        paper_headers = (cols.record, cols.key, cols.doi, cols.title, cols.year, cols.venue)
        used = {h for _, h in columns} | {h for h in (*paper_headers, cols.authors) if h}
        result.ignored_columns = [h for h in sheet.headers if h and h not in used]

        with self.review.store.read() as conn:
            corpus = load_corpus(conn, self.review.required_votes())
            index = PaperIndex(store_records.iter_all(conn), corpus)
            current = corpus.fold(store_extraction.values(conn, coder=coder))

        problems: list[str] = []
        parsed: list[tuple[int | NewPaper, dict[str, Any]]] = []
        seen: dict[int | str, int] = {}
        for row in sheet.rows:
            paper = index.resolve(sheet, row, cols)
            anchor = sheet.where(
                row.number, cols.record or cols.key or cols.doi or cols.title or ""
            )
            if isinstance(paper, str):
                problems.append(f"{anchor}: {paper}")
                continue
            if isinstance(paper, NewPaper) and not add_missing:
                problems.append(
                    f"{anchor}: {paper.data.title!r} is not in this review "
                    "(use --add-papers to add it)"
                )
                continue
            if isinstance(paper, int) and paper not in corpus.included:
                problems.append(
                    f"{anchor}: record {paper} ({_short(index.titles.get(paper, ''))}) is not "
                    "included at full text; screen it in first"
                )
                continue
            slot: int | str = paper if isinstance(paper, int) else id(paper)
            if slot in seen:
                problems.append(f"{anchor}: the same paper as row {seen[slot]}")
                continue
            seen[slot] = row.number
            values: dict[str, Any] = {}
            for fld, header in columns:
                try:
                    values[fld.name] = fieldvalues.parse(fld, row.get(header))
                except ValueProblem as exc:
                    problems.append(f"{sheet.where(row.number, header)}: {exc}")
            parsed.append((paper, values))
        if problems:
            raise ImportFileError(
                f"{path}: {len(problems)} problem(s); nothing was imported", problems=problems
            )

        new_papers = list({id(p): p for p, _ in parsed if isinstance(p, NewPaper)}.values())
        changes: list[dict[str, Any]] = []
        with self.review.store.write() as conn:
            add_papers(self.review, conn, new_papers, file=path.name, actor=actor)
            for paper, values in parsed:
                record_id = paper if isinstance(paper, int) else paper.record_id
                assert record_id is not None
                for name, value in values.items():
                    before = current.get((record_id, name))
                    if before == value:
                        result.unchanged += 1
                        continue
                    store_extraction.put(conn, record_id, name, value, coder=coder)
                    changes.append(
                        {"record": record_id, "field": name, "before": before, "after": value}
                    )
            events.log(
                conn,
                "extraction.import",
                actor=actor,
                payload={"file": path.name, "coder": coder, "changes": changes},
            )
        result.rows = len(parsed)
        result.papers_added = len(new_papers)
        result.changed = len(changes)
        return result

    def _field_columns(self, sheet: Sheet) -> list[tuple[ExtractionField, str]]:
        found: list[tuple[ExtractionField, str]] = []
        for fld in self.fields:
            header = sheet.column(fld.name, *([fld.label] if fld.label else []))
            if header is not None:
                found.append((fld, header))
        return found


def _short(title: str, width: int = 50) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"
