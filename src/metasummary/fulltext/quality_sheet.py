"""Quality answers through a spreadsheet: one reviewer's sheet out, filled in, read back.

The sheet has a row per included paper (record, title, one column per question with the
answer scale as a drop-down, a note). Reading it back checks every cell first and names the
cell of each problem (``Sheet1!C4``); with any problem nothing is written. Empty cells are
skipped, so a half-filled sheet can be read and read again.
"""

from __future__ import annotations

from pathlib import Path

from metasummary.errors import ImportFileError, InputError
from metasummary.fulltext.quality import Quality
from metasummary.store import events
from metasummary.store import quality as store_quality
from metasummary.store import records as store_records
from metasummary.synthesis.papers import load_corpus
from metasummary.synthesis.sheets import Cell, read_sheet, write_sheet

RECORD = "record"
TITLE = "title"
NOTE = "note"
REVIEWER = "reviewer"


def export_sheet(quality: Quality, path: Path, *, reviewer: str) -> int:
    """Write ``reviewer``'s sheet: the included papers with their answers so far."""
    checklist = quality._require_checklist()
    review = quality.review
    with review.store.read() as conn:
        corpus = load_corpus(conn, review.required_votes())
        records = store_records.get_many(conn, sorted(corpus.included))
    if not records:
        raise InputError("no paper is included at full text yet: nothing to assess")
    answered = {p.record_id: p for p in quality.papers()}
    ids = [q.id for q in checklist.questions]
    rows: list[list[Cell]] = []
    for record in records:
        given = answered.get(record.id)
        rows.append(
            [
                record.id,
                record.data.title,
                reviewer,
                *[(given.answers.get(q, {}).get(reviewer) if given else None) for q in ids],
                None,
            ]
        )
    scale = [a.answer for a in checklist.scale]
    write_sheet(
        path,
        [RECORD, TITLE, REVIEWER, *ids, NOTE],
        rows,
        title="Quality",
        choices=dict.fromkeys(ids, scale),
        wide=[TITLE, NOTE],
    )
    return len(rows)


def import_sheet(quality: Quality, path: Path, *, reviewer: str = "", actor: str = "") -> int:
    """Read a filled-in sheet, all or nothing; the answers written."""
    checklist = quality._require_checklist()
    sheet = read_sheet(path)
    record_col = sheet.column(RECORD, "record id", "record_id")
    if record_col is None:
        raise ImportFileError(f"{path}: no 'record' column; export a sheet to fill in first")
    reviewer_col = sheet.column(REVIEWER)
    note_col = sheet.column(NOTE)
    question_cols = {q.id: sheet.column(q.id) for q in checklist.questions}
    if not any(question_cols.values()):
        ids = ", ".join(q.id for q in checklist.questions)
        raise ImportFileError(f"{path}: no column for any question of the checklist ({ids})")
    rows = []
    problems: list[str] = []
    for row in sheet.rows:
        record_text = row.text(record_col).lstrip("#").strip()
        who = row.text(reviewer_col).strip() or reviewer
        answers = {q: row.text(col) for q, col in question_cols.items() if col and row.text(col)}
        if not answers:
            continue
        if not record_text.isdigit():
            problems.append(
                f"{sheet.where(row.number, record_col)}: {record_text!r} is no record id"
            )
            continue
        if not who:
            problems.append(
                f"{sheet.where(row.number, record_col)}: whose answers? fill in the reviewer "
                "column or give --reviewer"
            )
            continue
        try:
            rows += quality.check_answers(
                int(record_text), answers, reviewer=who, note=row.text(note_col)
            )
        except InputError as exc:
            bad = next(
                (col for q, col in question_cols.items() if col and q in str(exc)), record_col
            )
            problems.append(f"{sheet.where(row.number, bad)}: {exc}")
    if problems:
        raise ImportFileError(
            f"{path}: {len(problems)} problem(s); nothing was imported", problems=problems
        )
    with quality.review.store.write() as conn:
        written = store_quality.insert_many(conn, rows)
        events.log(
            conn, "quality.import", actor=actor, payload={"file": path.name, "answers": written}
        )
    return written
