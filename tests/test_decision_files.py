"""Decisions in and out (issue 18, failure 4): ``export decisions`` (CSV, XLSX, RIS),
``decide --from`` all or nothing, ``import-decisions`` from Rayyan, ASReview LAB and
Covidence exports, and a round trip into a fresh copy of a review."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
import rispy

from metasummary import Project
from metasummary.errors import ImportFileError
from metasummary.screening.intake import Names
from metasummary.synthesis.sheets import read_sheet
from tests.clirunner import run
from tests.correctiondata import correction_protocol, counts, ris, write

SAMPLES = Path(__file__).parent / "data" / "decisions"
TITLES = ["Paper one", "Paper two", "Paper three", "Paper four", "Paper five", "Paper six"]


def fresh(
    make_project: Callable[..., Project], folder: Path, name: str, *, dual: bool = True
) -> Project:
    project = make_project(correction_protocol(dual=dual), name=name)
    project.imports.import_file(write(folder, f"{name}.ris", ris(TITLES, database="Scopus")))
    return project


def decided(project: Project) -> Project:
    """Dual screening: agreements, a resolved conflict, a pending vote, full text with a PDF
    link and an unmet inclusion criterion."""
    s = project.screening
    for record in (1, 2, 3):
        s.decide(record, phase="ta", reviewer="R1", verdict="include")
        s.decide(record, phase="ta", reviewer="R2", verdict="include")
    s.decide(4, phase="ta", reviewer="R1", verdict="exclude", criteria=["E1"], note="models")
    s.decide(4, phase="ta", reviewer="R2", verdict="exclude", criteria=["I2"])
    s.decide(5, phase="ta", reviewer="R1", verdict="include")
    s.decide(5, phase="ta", reviewer="R2", verdict="exclude", criteria=["E2"])
    s.resolve(5, phase="ta", reviewer="R3", verdict="exclude", criteria=["E2"], note="third")
    s.decide(6, phase="ta", reviewer="R1", verdict="maybe")  # pending: R2 has not voted
    pdf = "https://example.org/paper-one.pdf"
    s.decide(1, phase="ft", reviewer="R1", verdict="include", pdf=pdf)
    s.decide(1, phase="ft", reviewer="R2", verdict="include", pdf=pdf)
    s.decide(2, phase="ft", reviewer="R1", verdict="exclude", criteria=["I1"])
    s.decide(2, phase="ft", reviewer="R2", verdict="exclude", criteria=["I1", "E2"])
    return project


def test_export_decisions_as_a_table_per_phase_and_reviewer(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    project = decided(fresh(make_project, tmp_path, "out"))
    path = tmp_path / "decisions.csv"
    assert project.decisions.export(path, viewer=None) == 15  # R1's pending maybe stays out
    lines = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    ft_exclusions = [
        (row["record"], row["reviewer"], row["criteria"], row["reasons"])
        for row in lines
        if row["phase"] == "full-text" and row["verdict"] == "exclude"
    ]
    assert ft_exclusions == [  # PRISMA 2020 item 16b: full-text exclusions with reasons
        ("2", "R1", "I1", "I1 not met: About software engineering for ML."),
        (
            "2",
            "R2",
            "I1; E2",
            "I1 not met: About software engineering for ML.; E2: Non-technical people only.",
        ),
    ]
    resolution = next(row for row in lines if row["kind"] == "resolution")
    assert (resolution["record"], resolution["reviewer"], resolution["note"]) == (
        "5",
        "R3",
        "third",
    )
    assert {
        row["pdf"] for row in lines if row["record"] == "1" and row["phase"] == "full-text"
    } == {"https://example.org/paper-one.pdf"}
    assert project.decisions.export(path, viewer="R1") == 16  # one's own pending vote
    assert project.decisions.export(path, viewer="R1", phase="ft", reviewer="R2") == 2
    book = tmp_path / "decisions.xlsx"
    project.decisions.export(book, viewer=None, phase="full-text")
    sheet = read_sheet(book)
    assert sheet.headers[:4] == ["record", "group", "doi", "title"]
    assert len(sheet.rows) == 4
    tagged = tmp_path / "decisions.ris"
    project.decisions.export(tagged, viewer=None)
    entries = rispy.loads(tagged.read_text(encoding="utf-8"))
    first = next(e for e in entries if e["title"] == "Paper one")
    assert "screening:full-text R1 vote include" in first["keywords"]
    assert "metasummary-decision: title-abstract R2 vote include" in first["notes"]


def test_decide_from_a_file_is_all_or_nothing_with_located_errors(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    project = fresh(make_project, tmp_path, "bulk", dual=False)
    good = write(
        tmp_path,
        "good.csv",
        "record,phase,reviewer,verdict,criteria,note,pdf\n"
        "1,title-abstract,R1,include,,,\n"
        "2,ta,R1,exclude,I2,not challenges,\n"
        "1,full-text,R1,include,,,https://example.org/1.pdf\n",
    )
    bad = write(
        tmp_path,
        "bad.csv",
        "record,phase,reviewer,verdict,criteria\n"
        "3,title-abstract,R1,include,\n"
        "4,title-abstract,R1,exclude,\n"
        "99,title-abstract,R1,include,\n"
        "5,title-abstract,R9,include,\n"
        "6,full-text,R1,include,\n",
    )
    with pytest.raises(ImportFileError) as info:
        project.decisions.decide_from(bad)
    assert info.value.problems == [
        "bad.csv: reviewer 'R9' is not in the protocol (R1, R2, R3); map them with "
        "--reviewer-map 'R9=CODE'",
        "bad.csv:4: '99' is not a record id of this review",
    ]
    assert counts(project).prisma_screened == (6, 0, 6)  # nothing was written
    result = project.decisions.decide_from(good, actor="R3")
    assert (result.written, result.records) == (3, 2)
    assert project.browser.detail(2, "R1").decisions[0].criteria == ["I2"]
    again = project.decisions.decide_from(good)
    assert (again.written, again.already) == (0, 3)
    cli = run("-p", str(project.root), "decide", "--from", str(bad))
    assert cli.exit_code == 1
    assert "error: bad.csv:4: '99' is not a record id of this review" in cli.stderr
    assert "Traceback" not in cli.stderr


def test_rayyan_export_with_reviewers_and_reasons_mapped(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    project = fresh(make_project, tmp_path, "rayyan")
    sample = SAMPLES / "rayyan_articles.csv"
    with pytest.raises(ImportFileError) as info:
        project.decisions.import_file(sample)
    problems = "\n".join(info.value.problems)
    assert "reviewer 'Ann' is not in the protocol" in problems
    assert "--reason 'wrong population=CODE'" in problems
    names = Names(reviewers={"ann": "R1", "bo": "R2"}, reasons={"wrong population": "E2"})
    result = project.decisions.import_file(sample, names=names, actor="R3")
    assert result.format == "rayyan"
    assert (result.written, result.records, result.skipped) == (7, 4, 1)
    assert result.unmatched == [
        "rayyan_articles.csv:7: 'A paper the review lacks': not in this review"
    ]
    status = project.status().total.phases["title-abstract"]
    assert (status.included, status.excluded, status.conflict, status.awaiting) == (1, 1, 1, 1)
    (vote,) = [d for d in project.browser.detail(2, "R1").decisions if d.reviewer == "R1"]
    assert (vote.verdict, vote.criteria) == ("exclude", ["E2"])


def test_asreview_labels_for_one_reviewer(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    project = fresh(make_project, tmp_path, "asreview", dual=False)
    sample = SAMPLES / "asreview_dataset.csv"
    with pytest.raises(ImportFileError) as info:
        project.decisions.import_file(sample)
    assert info.value.problems == [
        "asreview_dataset.csv: the file names no reviewer; say whose decisions these are "
        "with --reviewer CODE"
    ]
    result = project.decisions.import_file(sample, names=Names(reviewer="R1", default_reason="E1"))
    assert (result.format, result.written, result.skipped) == ("asreview", 4, 1)
    assert len(result.unmatched) == 1
    status = project.status().total.phases["title-abstract"]
    assert (status.included, status.excluded, status.undecided) == (2, 2, 2)
    (vote,) = project.browser.detail(2, "R1").decisions
    assert (vote.note, vote.criteria) == ("about models only", ["E1"])


def test_covidence_lists_are_settled_decisions(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    project = fresh(make_project, tmp_path, "covidence")
    names = Names(reviewer="R3", default_reason="E1")
    for listed in ("irrelevant", "select", "excluded", "included"):
        sample = SAMPLES / f"review_4711_{listed}_csv_20240301101500.csv"
        result = project.decisions.import_file(sample, names=names)
        assert result.format == "covidence"
    ta = project.status().total.phases["title-abstract"]
    ft = project.status().total.phases["full-text"]
    assert (ta.included, ta.excluded, ta.undecided) == (3, 1, 2)
    assert (ft.included, ft.excluded, ft.undecided) == (1, 1, 1)
    content = project.report.content()
    assert content.prisma.included == 1
    assert [(r.code, r.count) for r in content.prisma.full_text.reasons] == [("E1", 1)]


def test_round_trip_into_a_fresh_copy_gives_the_same_states_agreement_and_prisma(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    source = decided(fresh(make_project, tmp_path, "first"))
    copy = fresh(make_project, tmp_path, "copy")
    # Each reviewer exports what they may see (their own pending votes too); together the
    # two files hold every decision.
    for reviewer in ("R1", "R2"):
        path = tmp_path / f"{reviewer}.csv"
        source.decisions.export(path, viewer=reviewer)
        result = copy.decisions.import_file(path, actor="R3")
        assert result.unmatched == []
    assert copy.status().total.phases == source.status().total.phases
    assert counts(copy).prisma_screened == counts(source).prisma_screened
    first, second = source.report.content(), copy.report.content()
    assert second.prisma == first.prisma
    assert [a.to_dict() for a in copy.screening.agreement()] == [
        a.to_dict() for a in source.screening.agreement()
    ]
    again = tmp_path / "again.csv"
    cli = run("-p", str(copy.root), "--by", "R1", "export", "decisions", "--out", str(again))
    assert cli.exit_code == 0
    assert "wrote 16 decision(s)" in cli.stderr


def test_decisions_kept_by_a_reference_manager_come_back_from_ris(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    source = decided(fresh(make_project, tmp_path, "zotero-out"))
    exported = tmp_path / "for-zotero.ris"
    source.decisions.export(exported, viewer="R1")  # R2 has no vote pending
    # A reference manager keeps keywords but (say) drops the notes on its way back out.
    entries = rispy.loads(exported.read_text(encoding="utf-8"))
    for entry in entries:
        entry.pop("notes", None)
    back = tmp_path / "from-zotero.ris"
    back.write_text(rispy.dumps(entries), encoding="utf-8")
    copy = fresh(make_project, tmp_path, "zotero-in")
    result = copy.decisions.import_file(back, actor="R3")
    assert (result.format, result.unmatched) == ("ris", [])
    assert copy.status().total.phases == source.status().total.phases
    assert copy.report.content().prisma == source.report.content().prisma
