"""The built-in example runs end to end and its report shows the talk's flow and themes."""

from __future__ import annotations

from pathlib import Path

import pytest

from metasummary import Project, ProjectError
from metasummary.example.data import challenges
from metasummary.example.demo import NOTICE, run_demo
from tests.clirunner import run

THEMES = [
    "Lack of AI literacy causes unrealistic expectations from customers, managers, and even "
    "other team members",
    "Transitioning from a model-centric to a pipeline-driven or system-wide view is considered "
    "important for moving into production, but a difficult paradigm shift for many teams",
    "Testing and debugging ML models is difficult due to lack of specifications",
    "Development of products with ML component(s) is often adhoc, lacking well-defined processes",
]
TALK_FLOW = [
    "| IEEE | 69ʳ | 30ʳ | 19ʳ |",
    "| ACM | 48ʳ | 11ʳ | 10ʳ |",
    "| Wiley | 6ʳ | 0ʳ | 0ʳ |",
    "| ScienceDirect | 32ʳ | 5ʳ | 3ʳ |",
    "| Engineering Village | 101ʳ | 3ʳ | 0ʳ |",
    "| Springer | 6ʳ | 3ʳ | 2ʳ |",
    "| arXiv | 79ʳ | 8ʳ | 5ʳ |",
    "| Snowballing | – | 26ʳ | 11ʳ |",
    "| **Total** | **341ʳ** | **86ʳ** | **50ʳ** |",
]
HELD_FLOW = [
    "| IEEE | 10 | 9 | 9 |",
    "| ACM | 8 | 7 | 7 |",
    "| Springer | 1 | 1 | 1 |",
    "| Snowballing | – | 0 | 0 |",
    "| **Total** | **19** | **17** | **17** |",
]


@pytest.fixture
def demo(demo_review: Path) -> Path:
    return demo_review


def test_the_report_shows_the_talks_flow_beside_the_records_held(demo: Path) -> None:
    text = (demo / "report" / "report.md").read_text(encoding="utf-8")
    for line in TALK_FLOW + HELD_FLOW:
        assert line in text, line
    assert text.index("Selection flow as reported") < text.index("records held")
    assert "Springer: abstract filtering from 5612 papers retrieved with full text search" in text


def test_the_report_says_it_is_a_miniature(demo: Path) -> None:
    for name in ("report.md", "index.html", "report.tex"):
        text = " ".join((demo / "report" / name).read_text(encoding="utf-8").split())
        assert "a miniature rebuilt from the published CAIN 2023 talk" in text, name
        assert "not the paper's full data" in text or "not the paper&#39;s full data" in text
    assert "miniature rebuilt from the published CAIN 2023 talk" in NOTICE


def test_the_report_holds_the_four_themes_with_their_published_counts(demo: Path) -> None:
    text = (demo / "report" / "report.md").read_text(encoding="utf-8")
    for label, reported in zip(THEMES, (17, 11, 19, 11), strict=True):
        assert f"## {label} (" in text, label
        assert f"; reported {reported}x)" in text
    assert "> “CEOs and executives don't really understand what it takes \\[to develop" in text
    assert "- Number of practitioners: **58+** (no count in 15 papers)" in text


def test_the_example_is_screened_extracted_and_sorted(demo: Path) -> None:
    with Project.open(demo) as project:
        summary = project.synthesis.summary()
        status = project.status()
        counts = {s.name: s.records for s in status.sources}
        assert counts["IEEE"] == 10
        assert counts["ACM"] == 8
        assert counts["Springer"] == 1
        assert summary.included_papers == 17
        frequencies = {t.label: t.frequency for s in summary.stages for t in s.themes}
        assert frequencies == dict(zip(THEMES, (4, 2, 1, 1), strict=True))
        assert summary.findings == 17
        assert summary.sorted_findings == 10
        content = project.report.content()
    reasons = [(r.code, r.count) for r in content.prisma.title_abstract.reasons]
    assert reasons == [("I1", 1), ("I2", 1)]
    assert [t.reported for t in content.themes] == [17, 11, 19, 11]
    assert len(content.query.versions if content.query else []) == 1
    assert {s.status.split(" ")[0] for s in content.seeds} == {"included"}


def test_every_attributed_quote_is_in_the_report(demo: Path) -> None:
    page = (demo / "report" / "report.md").read_text(encoding="utf-8")
    data = challenges()
    assert len(data.unattributed) == 3
    for theme in data.themes:
        for finding in theme.findings:
            assert finding.text[:30].replace("[", "\\[").replace("]", "\\]") in page


def test_two_demo_runs_give_identical_reports(demo: Path, tmp_path: Path) -> None:
    again = run_demo(tmp_path / "again")
    first = sorted(p for p in (demo / "report").rglob("*") if p.is_file())
    second = sorted(p for p in again.report.folder.rglob("*") if p.is_file())
    assert [p.relative_to(demo / "report") for p in first] == [
        p.relative_to(again.report.folder) for p in second
    ]
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name


def test_demo_refuses_a_folder_holding_a_review(demo: Path) -> None:
    with pytest.raises(ProjectError, match="already holds a review"):
        run_demo(demo)


def test_demo_command_says_where_the_report_is(tmp_path: Path) -> None:
    folder = tmp_path / "cli-demo"
    result = run("demo", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "Built the example review" in result.stdout
    assert "not the paper's full data" in result.stdout
    assert str(folder / "report" / "index.html") in result.stdout
    assert f"metasummary serve -p {folder}" in result.stdout
    assert "Snowballing" in result.stdout
