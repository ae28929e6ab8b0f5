"""The LaTeX report fits its pages: compiled with pdflatex and bibtex, no overfull box over
1 pt, no undefined reference or citation, no ink in the margins of any page.

Checked on the built-in example and on a larger generated review (``tests/paperdata.py``).
The pages are kept as PNG images in ``test-artifacts/latex/`` to look at. Needs pdflatex,
bibtex and pdftoppm (poppler-utils): skipped locally without them, a failure under
``METASUMMARY_REQUIRE_LATEX=1`` (``.ci/run``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from metasummary import Project
from tests.latexcheck import compile_report, margin_ink, tools
from tests.paperdata import build, protocol
from tests.reportdata import build as report_build
from tests.reportdata import report_protocol

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "latex"

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _latex() -> None:
    if tools() is None:
        message = "pdflatex, bibtex or pdftoppm is not installed (they are not dependencies)"
        if os.environ.get("METASUMMARY_REQUIRE_LATEX") == "1":  # set by .ci/run
            pytest.fail(f"{message}, and METASUMMARY_REQUIRE_LATEX=1 requires them")
        pytest.skip(message)


def _pages(name: str) -> Path:
    folder = ARTIFACTS / name
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def test_the_demo_report_fits_its_pages(demo_review: Path, tmp_path: Path) -> None:
    folder = tmp_path / "report"
    shutil.copytree(demo_review / "report", folder)
    check = compile_report(folder, _pages("demo"))
    assert check.problems == []
    assert len(check.pages) >= 5
    tex = (folder / "report.tex").read_text(encoding="utf-8")
    assert r"\cite{" in tex
    assert r"\bibliography{included}" in tex


def test_a_larger_review_fits_its_pages(make_project: Callable[..., Project]) -> None:
    project = make_project(protocol())
    build(project)
    written = project.report.write(formats=["latex"])
    check = compile_report(written.folder, _pages("larger"))
    assert check.problems == []
    assert len(check.pages) >= 15
    bib = (written.folder / "included.bib").read_text(encoding="utf-8")
    assert r"\&" in bib  # a title's & is escaped for LaTeX


def test_markup_and_specials_compile(make_project: Callable[..., Project]) -> None:
    project = make_project(report_protocol())
    report_build(project)  # a finding with <b>bold</b> & 100% $x_1$ | ...
    written = project.report.write(formats=["latex"])
    assert compile_report(written.folder, _pages("small")).problems == []


def test_the_check_sees_what_does_not_fit(tmp_path: Path) -> None:
    """A table wider than the text, a figure taller than the page and an undefined citation
    are each found, so the checks above can fail."""
    (tmp_path / "included.bib").write_text("", encoding="utf-8")
    (tmp_path / "report.tex").write_text(
        "\n".join(
            [
                r"\documentclass[11pt,a4paper]{article}",
                r"\usepackage[a4paper,margin=2.2cm]{geometry}",
                r"\begin{document}",
                r"Text \cite{nobody}.",
                r"\begin{tabular}{ll}\rule{12cm}{1pt} & \rule{6cm}{1pt}\end{tabular}",
                r"\par\rule{1pt}{30cm}",
                r"\bibliographystyle{plain}",
                r"\bibliography{included}",
                r"\end{document}",
            ]
        ),
        encoding="utf-8",
    )
    check = compile_report(tmp_path)
    assert any("hbox" in line for line in check.overfull)
    assert any("vbox" in line for line in check.overfull)
    assert any("nobody" in line for line in check.undefined)
    assert margin_ink(check.pages[0]) in {"right", "bottom"}
