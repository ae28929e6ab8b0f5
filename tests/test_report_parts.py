"""The report's small parts: references, settling codes, escaping, inline SVG ids, LaTeX."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from metasummary import Project, RecordData
from metasummary.report import latex, markdown
from metasummary.report.charts import bar_chart, inline_svg
from metasummary.report.prisma import settling_codes
from metasummary.report.references import build_references, full_reference
from metasummary.report.service import check_formats
from metasummary.screening.state import GroupVotes
from metasummary.store.counts import DecisionRow
from metasummary.store.records import StoredRecord
from tests.reportdata import build, report_protocol


def stored(record_id: int, **values: object) -> StoredRecord:
    return StoredRecord(
        record_id, 1, None, None, "", datetime(2020, 1, 1, tzinfo=UTC), RecordData(**values)
    )


def test_references_are_ordered_and_told_apart() -> None:
    refs = build_references(
        [
            stored(
                1, title="Zeta", authors=["Lewis, Grace A.", "Ozkaya, Ipek", "Xu, Xiwei"], year=2021
            ),
            stored(
                2,
                title="Alpha",
                authors=["Lewis, Grace A.", "Bellomo, S.", "Ozkaya, I."],
                year=2021,
            ),
            stored(3, title="Solo", authors=["Amershi, Saleema"], year=2019),
        ],
        {1: ["IEEE", "ACM"]},
    )
    assert [(r.number, r.record_id, r.short) for r in refs] == [
        (1, 3, "Amershi 2019"),
        (2, 2, "Lewis et al. 2021a"),
        (3, 1, "Lewis et al. 2021b"),
    ]
    assert refs[2].sources == ["IEEE", "ACM"]


def test_full_reference_punctuation() -> None:
    text = full_reference(
        stored(
            1,
            title="What Do They Need?",
            authors=["Holstein, Kenneth"],
            year=2019,
            venue="CHI",
            pages="1-16",
            doi="10.1/x",
        )
    )
    assert (
        text == "Kenneth Holstein. 2019. What Do They Need? CHI, pp. 1-16. https://doi.org/10.1/x."
    )


def row(reviewer: int, verdict: str, codes: list[str], kind: str = "vote") -> DecisionRow:
    return DecisionRow(reviewer * 10, 1, "title-abstract", reviewer, kind, verdict, codes)


def test_the_settling_decision_gives_the_codes() -> None:
    votes = GroupVotes()
    votes.add(row(1, "exclude", ["E1"]))
    votes.add(row(2, "exclude", ["E2", "E1"]))
    assert settling_codes(votes) == ["E1", "E2"]
    votes.add(row(3, "exclude", ["E4"], kind="resolution"))
    assert settling_codes(votes) == ["E4"]


def test_formats() -> None:
    assert check_formats(["all"]) == ["html", "markdown", "latex", "xlsx"]
    assert check_formats(["latex", "html", "latex"]) == ["latex", "html"]


def test_escaping() -> None:
    assert latex.escape("[3] 50% of $x_1 & {y}") == r"{[}3{]} 50\% of \$x\_1 \& \{y\}"
    assert latex.escape("A → B ʳ") == r"A $\rightarrow$ B \textsuperscript{r}"
    assert markdown.escape("a|b [c] <d> *e*") == r"a\|b \[c\] \<d\> \*e\*"


def test_inline_svg_prefixes_every_id() -> None:
    chart = bar_chart("years", "Papers per year", ["2019", "2020"], [1, 2])
    svg = inline_svg(chart.files["svg"], "years")
    assert svg.startswith("<svg")
    assert "<metadata>" not in svg
    ids = [part.split('"')[0] for part in svg.split(' id="')[1:]]
    assert ids
    assert all(i.startswith("years-") for i in ids)
    assert "url(#years-" in svg


@pytest.mark.slow
def test_the_latex_report_compiles(make_project: Callable[..., Project], tmp_path: Path) -> None:
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        message = "pdflatex is not installed (it is not a dependency)"
        if os.environ.get("METASUMMARY_REQUIRE_LATEX") == "1":  # set by .ci/run
            pytest.fail(f"{message}, and METASUMMARY_REQUIRE_LATEX=1 requires it")
        pytest.skip(message)
    project = make_project(report_protocol())
    build(project)
    written = project.report.write(tmp_path / "report", formats=["latex"])
    result = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "report.tex"],
        cwd=written.folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert (written.folder / "report.pdf").read_bytes().startswith(b"%PDF")
