"""Findings to and from spreadsheets (CSV or XLSX).

Import reads one finding per row, or several when a cell holds a list of statements (see
:mod:`metasummary.synthesis.statements`). Columns are found by name: the paper (record, key, DOI or
title), the text (finding, statement, quote, challenges ...), and optionally location, kind,
value, coder, and stage and theme to place the finding in the consensus sort. Every row is
checked first; any problem and nothing is written. A finding already held (same paper, text
and coder) is skipped, so importing a file twice adds nothing.

Export writes every active finding with its paper, stage and theme.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from metasummary.errors import ImportFileError, InputError
from metasummary.review import Review
from metasummary.store import events
from metasummary.store import findings as store_findings
from metasummary.store import records as store_records
from metasummary.store import themes as store_themes
from metasummary.store.catalog import StageRow, list_stages
from metasummary.store.themes import ThemeRow
from metasummary.synthesis.changeset import Changeset
from metasummary.synthesis.papers import NewPaper, PaperColumns, PaperIndex, add_papers, load_corpus
from metasummary.synthesis.sheets import Cell, Sheet, SheetRow, read_sheet, write_sheet
from metasummary.synthesis.sortsteps import log_change, place
from metasummary.synthesis.statements import Split, Statement, check_kind, split_cell

TEXT_HEADERS = (
    "text",
    "finding",
    "findings",
    "statement",
    "statements",
    "quote",
    "challenge",
    "challenges",
)
LOCATION_HEADERS = ("location", "page", "section")
KIND_HEADERS = ("kind",)
VALUE_HEADERS = ("value", "percentage", "count")
CODER_HEADERS = ("coder", "extracted by")
STAGE_HEADERS = ("stage",)
THEME_HEADERS = ("theme",)
EXPORT_HEADERS = [
    "finding_id",
    "record",
    "key",
    "title",
    "year",
    "text",
    "location",
    "kind",
    "value",
    "coder",
    "stage",
    "theme_id",
    "theme",
]


@dataclass(slots=True)
class FindingsImport:
    """What an import did."""

    file: str
    rows: int = 0
    findings: int = 0
    duplicates: int = 0
    papers_added: int = 0
    placed: int = 0
    themes_created: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Planned:
    paper: int | NewPaper
    statement: Statement
    location: str
    coder: str
    theme: tuple[int, str] | None  # (stage id, theme label)


def import_findings(
    review: Review,
    path: Path,
    *,
    split: Split,
    separator: str,
    text_column: str | None,
    coder: str,
    add_missing: bool,
    actor: str,
) -> FindingsImport:
    sheet = read_sheet(path)
    cols = PaperColumns.of(sheet)
    if not cols.any():
        raise ImportFileError(
            f"{path}: no column names the paper; add one of: record, key, doi, title"
        )
    text_header = sheet.column(text_column) if text_column else sheet.column(*TEXT_HEADERS)
    if text_header is None:
        wanted = repr(text_column) if text_column else "one of: " + ", ".join(TEXT_HEADERS)
        raise ImportFileError(f"{path}: no findings column ({wanted})")
    if sheet.column("finding_id") is not None:
        raise ImportFileError(
            f"{path}: this is a findings export (it has finding_id); change findings with "
            "'metasummary findings edit' and 'metasummary sort', or delete the finding_id "
            "column to import the rows as new findings"
        )

    with review.store.read() as conn:
        corpus = load_corpus(conn, review.required_votes())
        index = PaperIndex(store_records.iter_all(conn), corpus)
        held = {(f.record_id, f.text, f.coder) for f in store_findings.list_all(conn)}
        stages = list_stages(conn)
        themes = store_themes.list_themes(conn, active_only=True)

    problems: list[str] = []
    planned: list[_Planned] = []
    result = FindingsImport(file=path.name)
    for row in sheet.rows:
        result.rows += 1
        paper = index.resolve(sheet, row, cols)
        anchor = sheet.where(row.number, text_header)
        if isinstance(paper, str):
            problems.append(f"{anchor}: {paper}")
            continue
        if isinstance(paper, NewPaper) and not add_missing:
            problems.append(
                f"{anchor}: {paper.data.title!r} is not in this review (use --add-papers to add it)"
            )
            continue
        if isinstance(paper, int) and paper not in corpus.included:
            problems.append(
                f"{anchor}: record {paper} is not included at full text; screen it in first"
            )
            continue
        try:
            planned.extend(
                _plan_row(sheet, row, paper, text_header, split, separator, coder, stages, themes)
            )
        except _CellProblem as exc:
            problems.append(str(exc))
    if problems:
        raise ImportFileError(
            f"{path}: {len(problems)} problem(s); nothing was imported", problems=problems
        )

    with review.store.write() as conn:
        new_papers: list[NewPaper] = []
        for item in planned:
            if isinstance(item.paper, NewPaper) and all(item.paper is not p for p in new_papers):
                new_papers.append(item.paper)
        add_papers(review, conn, new_papers, file=path.name, actor=actor)
        result.papers_added = len(new_papers)
        cs = Changeset(conn)
        theme_ids = {(t.stage_id, t.label.casefold()): t.id for t in themes}
        ids: list[int] = []
        for item in planned:
            record_id = item.paper if isinstance(item.paper, int) else item.paper.record_id
            assert record_id is not None
            key = (record_id, item.statement.text, item.coder)
            if key in held:
                result.duplicates += 1
                continue
            held.add(key)
            finding_id = store_findings.insert(
                conn,
                record_id=record_id,
                text=item.statement.text,
                location=item.location,
                kind=item.statement.kind,
                value=item.statement.value,
                coder=item.coder,
                position=store_findings.next_position(conn, record_id),
            )
            ids.append(finding_id)
            if item.theme is not None:
                theme_id = _theme_id(conn, cs, theme_ids, item.theme, result)
                place(conn, cs, finding_id, "", theme_id)
                result.placed += 1
        result.findings = len(ids)
        events.log(
            conn,
            "findings.import",
            actor=actor,
            payload={"file": path.name, "findings": ids, "coder": coder},
        )
        if result.placed or result.themes_created:
            log_change(
                conn,
                cs,
                "import",
                f"placed {result.placed} imported finding(s) from {path.name}",
                actor,
                None,
            )
    return result


class _CellProblem(ValueError):
    pass


def _plan_row(
    sheet: Sheet,
    row: SheetRow,
    paper: int | NewPaper,
    text_header: str,
    split: Split,
    separator: str,
    coder: str,
    stages: list[StageRow],
    themes: list[ThemeRow],
) -> list[_Planned]:
    kind_header = sheet.column(*KIND_HEADERS)
    theme_header = sheet.column(*THEME_HEADERS)
    stage_header = sheet.column(*STAGE_HEADERS)
    statements = split_cell(row.text(text_header), split, separator=separator)
    if not statements:
        return []
    kind = row.text(kind_header)
    if kind:
        try:
            kind = check_kind(kind)
        except InputError as exc:
            raise _CellProblem(f"{sheet.where(row.number, kind_header or '')}: {exc}") from None
    value = row.text(sheet.column(*VALUE_HEADERS))
    label = " ".join(row.text(theme_header).split())
    theme = _theme_of(sheet, row, label, row.text(stage_header), stages, themes) if label else None
    return [
        _Planned(
            paper=paper,
            statement=Statement(s.text, kind or s.kind, value or s.value),
            location=row.text(sheet.column(*LOCATION_HEADERS)),
            coder=row.text(sheet.column(*CODER_HEADERS)) or coder,
            theme=theme,
        )
        for s in statements
    ]


def _theme_of(
    sheet: Sheet,
    row: SheetRow,
    label: str,
    stage_text: str,
    stages: list[StageRow],
    themes: list[ThemeRow],
) -> tuple[int, str]:
    """(stage id, label) of the theme a row names; a new label needs its stage."""
    where = sheet.where(row.number, sheet.column(*STAGE_HEADERS, *THEME_HEADERS) or "")
    if not stage_text:
        same = [t for t in themes if t.label.casefold() == label.casefold()]
        if len(same) == 1:
            return same[0].stage_id, same[0].label
        why = "is on several stages" if same else "is not on the board yet"
        raise _CellProblem(f"{where}: theme {label!r} {why}; fill in its stage")
    folded = stage_text.casefold()
    for stage in stages:
        if stage.in_protocol and folded in (stage.code.casefold(), stage.label.casefold()):
            return stage.id, label
    codes = ", ".join(s.code for s in stages if s.in_protocol) or "none"
    raise _CellProblem(f"{where}: {stage_text!r} is not a stage of the protocol ({codes})")


def _theme_id(
    conn: sa.Connection,
    cs: Changeset,
    known: dict[tuple[int, str], int],
    theme: tuple[int, str],
    result: FindingsImport,
) -> int:
    stage_id, label = theme
    key = (stage_id, label.casefold())
    if key not in known:
        known[key] = store_themes.insert_theme(
            conn,
            stage_id=stage_id,
            label=label,
            description="",
            sub_points=[],
            position=store_themes.next_theme_position(conn, stage_id),
        )
        cs.created_theme(known[key])
        result.themes_created.append(label)
    return known[key]


def export_findings(review: Review, path: Path, *, coder: str = "") -> int:
    """Every active finding with its paper and its place in ``coder``'s sort."""
    with review.store.read() as conn:
        found = store_findings.list_all(conn)
        records = {
            r.id: r for r in store_records.get_many(conn, sorted({f.record_id for f in found}))
        }
        stages = {s.id: s for s in list_stages(conn)}
        themes = {t.id: t for t in store_themes.list_themes(conn)}
        placed = {
            a.finding_id: a.theme_id for a in store_themes.list_assignments(conn, coder=coder)
        }
    rows: list[list[Cell]] = []
    for f in found:
        data = records[f.record_id].data
        theme = themes.get(placed[f.id]) if f.id in placed else None
        rows.append(
            [
                f.id,
                f.record_id,
                data.original_key,
                data.title,
                data.year,
                f.text,
                f.location,
                f.kind,
                f.value,
                f.coder,
                stages[theme.stage_id].code if theme else None,
                theme.id if theme else None,
                theme.label if theme else None,
            ]
        )
    if not rows:
        raise InputError("there are no findings to export yet")
    write_sheet(path, EXPORT_HEADERS, rows, title="Findings", wide=["title", "text"])
    return len(rows)
