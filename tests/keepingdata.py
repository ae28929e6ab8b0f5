"""A full review to move and back up: the built-in example run end to end, then every kind of
row the example leaves out (a duplicate link, a merged theme, an undone move, a split finding,
a real PDF attached with a quote found in it, accounts and sign-ins, a screening claim, an API
answer kept), so each table and self-reference is exercised."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from metasummary import Project, RecordData
from metasummary.example.demo import run_demo
from metasummary.store.schema import api_cache as api_cache_table
from metasummary.store.schema import records


def build_full_review(folder: Path, pdf: Path) -> Path:
    """The review in ``folder``; ``pdf`` is a real paper attached to an included record."""
    run_demo(folder)
    with Project.open(folder) as project:
        paper = project.synthesis.findings.find()[0].record_id
        project.fulltexts.attach_data([(pdf.name, pdf.read_bytes())], record=paper, actor="rita")
        text = next(p.text for p in project.fulltexts.pages(paper) if len(p.text) > 200)
        words = text.split()
        project.fulltexts.quotes.add_finding(paper, " ".join(words[10:22]), actor="rita")
        (fresh,) = project.add_records("Manual", [RecordData(title="Not screened yet")])
        assert project.screening.claim(fresh, phase="title-abstract", reviewer="R1")
        first, second = _two_records(project)
        project.dedup.link(first, second, actor="olga")
        synthesis = project.synthesis
        board = synthesis.board()
        themes = [col.theme.id for lane in board.stages for col in lane.themes]
        synthesis.sorting.merge_themes([themes[-1]], themes[0], actor="olga")
        synthesis.sorting.create_theme(board.stages[0].code, "A theme to undo", actor="rita")
        synthesis.sorting.undo(actor="rita")
        finding = synthesis.findings.find()[0]
        synthesis.findings.split(finding.id, ["First half.", "Second half."], actor="rita")
        project.accounts.add("olga", role="owner", password="correct horse battery")
        project.accounts.add("rita", role="reviewer", reviewer="R1", password="another long one")
        project.accounts.sign_in("olga", "correct horse battery", address="127.0.0.1")
        with project.store.write() as conn:
            conn.execute(
                api_cache_table.insert().values(
                    key="k" * 64,
                    service="openalex",
                    request="GET /works?search=x",
                    status=200,
                    body='{"results": []}',
                    fetched_at=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
                )
            )
    return folder


def _two_records(project: Project) -> tuple[int, int]:
    with project.store.read() as conn:
        ids = [
            int(i)
            for i in conn.execute(
                records.select()
                .with_only_columns(records.c.id)
                .where(records.c.duplicate_of.is_(None))
                .order_by(records.c.id.desc())
                .limit(2)
            ).scalars()
        ]
    return ids[1], ids[0]
