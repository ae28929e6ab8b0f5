"""Quality assessment: answers per paper and reviewer, scores, the threshold as an exclusion
criterion, agreement per question, the spreadsheet round trip and the report section."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from metasummary import Project, RecordData
from metasummary.errors import ImportFileError, InputError
from metasummary.fulltext.quality_sheet import export_sheet, import_sheet
from metasummary.models import SourceKind
from metasummary.protocol import parse_protocol
from metasummary.synthesis.sheets import read_sheet, write_sheet
from tests.clirunner import run
from tests.fulltextdata import QUALITY, include
from tests.helpers import protocol_text


def _review(
    make_project: Callable[..., Project], threshold: float | None = None
) -> tuple[Project, list[int]]:
    quality = {**QUALITY, **({"threshold": threshold} if threshold is not None else {})}
    project = make_project(protocol_text(quality=quality))
    ids = project.add_records(
        "IEEE", [RecordData(title=f"Paper {i}") for i in range(1, 5)], kind=SourceKind.LIBRARY
    )
    include(project, ids)
    return project, ids


def test_the_protocol_checks_the_checklist() -> None:
    text = protocol_text(
        quality={
            "questions": [{"id": "Q1", "text": "a"}, {"id": "q1", "text": "b"}],
            "scale": [{"answer": "yes", "score": 1}, {"answer": "Yes", "score": 0}],
        }
    )
    with pytest.raises(Exception, match="2 problems") as caught:
        parse_protocol(text)
    lines = "\n".join(caught.value.problems)  # type: ignore[attr-defined]
    assert "duplicate question id 'q1'" in lines
    assert "duplicate answer 'Yes'" in lines


def test_answers_scores_and_the_threshold(make_project: Callable[..., Project]) -> None:
    project, ids = _review(make_project, threshold=2)
    quality = project.fulltexts.quality
    quality.answer(ids[0], {"Q1": "yes", "Q2": "yes", "Q3": "partly"}, reviewer="R1")
    quality.answer(ids[0], {"Q1": "yes", "Q2": "no", "Q3": "partly"}, reviewer="R2")
    quality.answer(ids[1], {"Q1": "no", "Q2": "no", "Q3": "partly"}, reviewer="R1")
    first = quality.paper(ids[0])
    assert first.scores == {"Q1": 1.0, "Q2": 0.5, "Q3": 0.5}
    assert first.score == 2.0
    assert first.complete
    assert quality.paper(ids[1]).score == 0.5
    assert quality.below() == {ids[1]}  # the protocol's threshold
    assert quality.below(2.5) == {ids[0], ids[1]}  # a sensitivity analysis
    assert quality.distribution() == {0.5: 1, 2.0: 1}
    # A later answer replaces the reviewer's own; an empty one withdraws it.
    quality.answer(ids[1], {"Q1": "YES", "Q2": ""}, reviewer="R1")
    again = quality.paper(ids[1])
    assert again.answers["Q1"] == {"R1": "yes"}
    assert "Q2" not in again.answers
    assert not again.complete


def test_wrong_answers_are_named(make_project: Callable[..., Project]) -> None:
    project, ids = _review(make_project)
    quality = project.fulltexts.quality
    with pytest.raises(
        InputError, match=r"Q1: 'maybe' is not on the answer scale \(yes, partly, no\)"
    ):
        quality.answer(ids[0], {"Q1": "maybe"}, reviewer="R1")
    with pytest.raises(InputError, match="'Q9' is not a question"):
        quality.answer(ids[0], {"Q9": "yes"}, reviewer="R1")
    with pytest.raises(InputError, match="reviewer 'R7'"):
        quality.answer(ids[0], {"Q1": "yes"}, reviewer="R7")
    assert quality.papers() == []


def test_two_reviewers_agreement_per_question(make_project: Callable[..., Project]) -> None:
    project, ids = _review(make_project)
    quality = project.fulltexts.quality
    given = {
        "R1": ["yes", "yes", "no", "partly"],
        "R2": ["yes", "no", "no", "partly"],
    }
    for reviewer, answers in given.items():
        for record, answer in zip(ids, answers, strict=True):
            quality.answer(record, {"Q1": answer, "Q2": "yes"}, reviewer=reviewer)
    rows = {r.question: r for r in quality.agreement()}
    assert rows["Q1"].items == 4
    assert rows["Q1"].raters == ["R1", "R2"]
    assert rows["Q1"].percent is not None
    assert rows["Q1"].percent.value == pytest.approx(0.75)
    assert rows["Q1"].kappa is not None
    assert rows["Q1"].kappa.value is not None
    assert rows["Q2"].kappa is not None
    assert rows["Q2"].kappa.value is None  # every answer the same: undefined, not 1
    assert rows["Q3"].items == 0
    result = run("quality", "agreement", "-p", str(project.root))
    assert result.exit_code == 0
    assert "0.75" in result.stdout


def test_summary_leaves_out_papers_below_the_score(make_project: Callable[..., Project]) -> None:
    project, ids = _review(make_project)
    findings = project.synthesis.findings
    sorting = project.synthesis.sorting
    theme = sorting.create_theme("REQ", "Unclear goals")
    placed = [findings.add(record, f"goal unclear in {record}").id for record in ids]
    sorting.move_findings(placed, theme.id)
    quality = project.fulltexts.quality
    quality.answer(ids[0], {"Q1": "no", "Q2": "no", "Q3": "no"}, reviewer="R1")
    quality.answer(ids[1], {"Q1": "yes", "Q2": "yes", "Q3": "yes"}, reviewer="R1")
    full = run("summary", "--json", "-p", str(project.root))
    assert '"frequency": 4' in full.stdout
    strict = run("summary", "--min-quality", "1", "-p", str(project.root))
    assert strict.exit_code == 0
    assert f"1 paper(s) below the quality score left out: {ids[0]}" in strict.stdout
    assert "Unclear goals (3x)" in strict.stdout


def test_the_sheet_round_trip(make_project: Callable[..., Project], tmp_path: Path) -> None:
    project, ids = _review(make_project)
    quality = project.fulltexts.quality
    quality.answer(ids[0], {"Q1": "partly"}, reviewer="R1")
    path = tmp_path / "quality-R1.xlsx"
    assert export_sheet(quality, path, reviewer="R1") == 4
    sheet = read_sheet(path)
    assert list(sheet.headers) == ["record", "title", "reviewer", "Q1", "Q2", "Q3", "note"]
    assert sheet.rows[0].text("Q1") == "partly"
    rows = [[r.get(h) for h in sheet.headers] for r in sheet.rows]
    rows[1][3:6] = ["yes", "no", "partly"]
    rows[2][3] = "maybe"
    write_sheet(path, sheet.headers, rows, title="Quality")
    with pytest.raises(ImportFileError, match="1 problem") as caught:
        import_sheet(quality, path)
    assert caught.value.problems[0].startswith("Quality!D4: Q1: 'maybe'")
    assert quality.paper(ids[1]).answers == {}  # nothing written
    rows[2][3] = "YES"
    write_sheet(path, sheet.headers, rows, title="Quality")
    assert import_sheet(quality, path) == 5  # row 1 again, row 2 (three), row 3 (one)
    assert quality.paper(ids[1]).score == 1.5
    assert quality.paper(ids[2]).answers == {"Q1": {"R1": "yes"}}


def test_the_report_shows_the_quality_table(make_project: Callable[..., Project]) -> None:
    project, ids = _review(make_project, threshold=1)
    quality = project.fulltexts.quality
    for reviewer in ("R1", "R2"):
        quality.answer(ids[0], {"Q1": "yes", "Q2": "partly", "Q3": "yes"}, reviewer=reviewer)
        quality.answer(ids[1], {"Q1": "no", "Q2": "no", "Q3": "partly"}, reviewer=reviewer)
    content = project.report.content()
    assert content.quality is not None
    assert [r.total for r in content.quality.rows] == [2.5, 0.5]
    assert [r.below for r in content.quality.rows] == [False, True]
    assert content.quality.agreement
    assert any(c.name == "quality" for c in content.figures)
    folder = project.report.write(formats=["markdown", "xlsx"]).folder
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    assert "### Quality assessment" in markdown
    assert "0.5 (below threshold)" in markdown
    assert "**Quality score distribution**" in markdown
    assert "![Quality scores (papers per score)](figures/quality.svg)" in markdown
    assert "Quality, Q1" in markdown
    assert content.included == 3  # the paper below the threshold is left out
