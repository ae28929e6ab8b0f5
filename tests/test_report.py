"""The report in every format: what each holds, and the same bytes for the same data."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from metasummary import InputError, Project, RecordData
from metasummary.models import SourceKind
from tests.clirunner import run
from tests.helpers import protocol_text
from tests.reportdata import CRITERIA, STAGES, build, report_protocol


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    made = make_project(report_protocol())
    build(made)
    theme = made.synthesis.sorting.themes()[0]
    made.report.annotate(notice="A test review.", reported_frequency={theme.id: 19})
    return made


def contents(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_two_runs_write_byte_identical_files(project: Project, tmp_path: Path) -> None:
    first = project.report.write(tmp_path / "one")
    second = project.report.write(tmp_path / "two")
    assert first.files == second.files
    assert {"index.html", "report.md", "report.tex", "report.xlsx"} <= set(first.files)
    assert {"included.bib", "included.ris", "figures/prisma.svg", "figures/prisma.png"} <= set(
        first.files
    )
    one, two = contents(tmp_path / "one"), contents(tmp_path / "two")
    assert one == two


def test_timestamps_only_when_asked(project: Project, tmp_path: Path) -> None:
    plain = project.report.write(tmp_path / "plain", formats=["markdown"])
    assert "Generated" not in (plain.folder / "report.md").read_text(encoding="utf-8")
    stamped = project.report.write(tmp_path / "stamped", formats=["markdown"], timestamps=True)
    assert "Generated " in (stamped.folder / "report.md").read_text(encoding="utf-8")


def test_markdown_holds_flow_themes_quotes_and_references(project: Project, tmp_path: Path) -> None:
    written = project.report.write(tmp_path, formats=["markdown"])
    text = (written.folder / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# Test review\n\n> **Note.** A test review.")
    assert "| Snowballing | – | 5ʳ | 2ʳ |" in text
    assert "| **Total** | **7** | **7ʳ** | **3ʳ** |" in text
    assert "| **Total** | **7** | **3** | **2** |" in text
    assert "IEEE: papers also found in ACM (2); counted once, here." in text
    assert "1. [Testing is hard](#theme-1) (2x; reported 19x)" in text
    assert "> “there isn't an actual spec” \\[1\\]" in text
    assert "tests are unclear \\| \\<b\\>bold\\</b\\> & 100% \\$x\\_1\\$ \\[2\\]" in text
    assert "![PRISMA 2020 flow diagram](figures/prisma.svg)" in text
    assert '<a id="ref-1"></a>[1] Ann AuthorA, Bo Second. 2019.' in text
    assert "(found in IEEE, ACM)" in text
    assert "- Number" not in text  # no integer field filled in: no N+ line


def test_html_escapes_text_and_embeds_charts(project: Project, tmp_path: Path) -> None:
    written = project.report.write(tmp_path, formats=["html"])
    page = (written.folder / "index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; 100%" in page
    assert "<b>bold</b>" not in page
    assert page.count("<svg") >= 2  # the PRISMA diagram and the papers-per-year chart
    assert "<?xml" not in page
    assert '<sup class="reported"' in page
    assert '[<a href="#ref-1">1</a>]' in page
    assert 'id="theme-1"' in page


def test_latex_uses_booktabs_and_figure_files(project: Project, tmp_path: Path) -> None:
    written = project.report.write(tmp_path, formats=["latex"])
    tex = (written.folder / "report.tex").read_text(encoding="utf-8")
    assert r"\usepackage{booktabs}" in tex
    assert r"\toprule" in tex
    assert r"\midrule" in tex
    assert r"\bottomrule" in tex
    assert r"\includegraphics" in tex
    assert "{figures/prisma.pdf}" in tex
    assert (written.folder / "figures" / "prisma.pdf").read_bytes().startswith(b"%PDF")
    assert r"100\% \$x\_1\$" in tex
    assert r"5\textsuperscript{r}" in tex
    assert tex.count(r"\begin{") == tex.count(r"\end{")


def test_xlsx_has_one_sheet_per_table(project: Project, tmp_path: Path) -> None:
    written = project.report.write(tmp_path, formats=["xlsx"])
    path = written.folder / "report.xlsx"
    book = load_workbook(path)
    assert {"Flow reported", "Flow held", "PRISMA", "Criteria", "Themes", "Findings"} <= set(
        book.sheetnames
    )
    held = book["Flow held"]
    assert [c.value for c in held[2]][:2] == ["Data source", "Initial search result"]
    assert [c.value for c in held[6]] == ["Total", 7, 3, 2]
    reported = book["Flow reported"]
    assert reported["C5"].value == 5
    assert reported["C5"].number_format == '0"ʳ"'
    with zipfile.ZipFile(path) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_bibtex_and_ris_of_the_included_papers(project: Project, tmp_path: Path) -> None:
    written = project.report.write(tmp_path, formats=["html"])
    bib = (written.folder / "included.bib").read_text(encoding="utf-8")
    assert bib.count("@") == 2
    assert "keya" in bib
    assert "keyf" in bib
    assert "keyb" not in bib
    assert (written.folder / "included.ris").read_text(encoding="utf-8").count("ER  -") == 2


def test_unknown_format_is_refused(project: Project, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="use one of html, markdown, latex, xlsx"):
        project.report.write(tmp_path, formats=["pdf"])
    assert not (tmp_path / "figures").exists()


def test_annotate_refuses_an_unknown_theme(project: Project) -> None:
    with pytest.raises(InputError, match="theme 99: no such theme"):
        project.report.annotate(reported_frequency={99: 3})
    assert project.report.notes().notice == "A test review."


def test_report_command(project: Project, tmp_path: Path) -> None:
    folder = str(project.root)
    result = run("report", "-p", folder, "--format", "markdown", "--format", "html", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert Path(data["folder"]) == Path(folder) / "report"
    assert "report.md" in data["files"]
    assert "report.tex" not in data["files"]
    text = run("report", "-p", folder, "--out", str(tmp_path / "out"))
    assert text.exit_code == 0, text.stderr
    assert "index.html" in text.stdout
    assert (tmp_path / "out" / "report.xlsx").exists()
    bad = run("report", "-p", folder, "--format", "docx")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("error: report format 'docx'")


def test_spreadsheet_text_is_never_a_formula(project: Project, tmp_path: Path) -> None:
    theme = project.synthesis.sorting.themes()[0]
    paper = project.report.content().references[0].record_id
    finding = project.synthesis.findings.add(paper, "=HYPERLINK(1)")
    project.synthesis.sorting.move_findings([finding.id], theme.id)
    written = project.report.write(tmp_path, formats=["xlsx"])
    sheet = load_workbook(written.main("xlsx"))["Findings"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(1)"]
    assert len(cells) == 1
    assert cells[0].data_type == "s"


def test_papers_added_from_a_sheet_are_named_outside_the_flow(
    project: Project, tmp_path: Path
) -> None:
    sheet = tmp_path / "extraction.csv"
    sheet.write_text("title,year,study_type\nA paper from a sheet,2020,survey\n", encoding="utf-8")
    project.synthesis.extraction.import_file(sheet, add_missing=True)
    content = project.report.content()
    assert (content.included, content.unscreened) == (3, 1)
    written = project.report.write(tmp_path / "out", formats=["markdown"])
    text = (written.folder / "report.md").read_text(encoding="utf-8")
    assert "1 included paper(s) were added from an extraction or findings sheet" in text


def test_agreement_where_two_reviewers_screened_and_two_coders_sorted(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    dual = {"title_abstract": {"mode": "dual"}, "full_text": {"mode": "single"}}
    project = make_project(protocol_text(criteria=CRITERIA, stages=STAGES, screening=dual))
    ids = project.add_records(
        "IEEE",
        [RecordData(title=f"Paper {n}", year=2020) for n in range(4)],
        kind=SourceKind.LIBRARY,
    )
    screening = project.screening
    for record, (first, second) in zip(
        ids,
        [
            ("include", "include"),
            ("exclude", "exclude"),
            ("include", "exclude"),
            ("include", "include"),
        ],
        strict=True,
    ):
        for reviewer, verdict in (("R1", first), ("R2", second)):
            codes = ["E1"] if verdict == "exclude" else []
            screening.decide(
                record, phase="title-abstract", reviewer=reviewer, verdict=verdict, criteria=codes
            )
    content = project.report.content()
    rows = {(r.what, r.raters): r for r in content.screening_agreement}
    overall = rows[("Screening, title/abstract", "R1 – R2")]
    assert overall.items == 4
    assert overall.percent.startswith("75.0 % [")
    assert overall.percent.endswith("(n = 4 < 30)")
    assert overall.kappa.startswith("0.50 [")
    assert ("Screening, title/abstract: citing E1", "R1 – R2") in rows
    assert content.coding_agreement == []

    screening.resolve(ids[2], phase="title-abstract", reviewer="R1", verdict="include")
    for record in (ids[0], ids[2], ids[3]):
        screening.decide(record, phase="full-text", reviewer="R1", verdict="include")
    synthesis = project.synthesis
    theme = synthesis.sorting.create_theme("QA", "Testing")
    other = synthesis.sorting.create_theme("QA", "Data")
    found = [synthesis.findings.add(r, f"finding {r}").id for r in (ids[0], ids[2], ids[3])]
    synthesis.sorting.move_findings(found, theme.id, coder="R1")
    synthesis.sorting.move_findings(found[:2], theme.id, coder="R2")
    synthesis.sorting.move_findings(found[2:], other.id, coder="R2")
    coding = project.report.content().coding_agreement
    assert [r.what for r in coding] == ["Card sort, finding → theme", "Card sort, finding → stage"]
    assert coding[0].items == 3
    written = project.report.write(tmp_path, formats=["markdown"])
    text = (written.folder / "report.md").read_text(encoding="utf-8")
    assert "### Screening agreement" in text
    assert "### Coding agreement" in text


def test_identical_findings_print_once_with_all_their_citations(
    project: Project, tmp_path: Path
) -> None:
    theme = project.synthesis.sorting.themes()[0]
    for ref in project.report.content().references:
        added = project.synthesis.findings.add(
            ref.record_id, "PaaS platforms use proprietary runtimes."
        )
        project.synthesis.sorting.move_findings([added.id], theme.id)
    written = project.report.write(tmp_path, formats=["markdown", "html", "latex", "xlsx"])
    text = (written.folder / "report.md").read_text(encoding="utf-8")
    assert text.count("PaaS platforms use proprietary runtimes.") == 1
    assert "PaaS platforms use proprietary runtimes. \\[1, 2\\]" in text
    tex = (written.folder / "report.tex").read_text(encoding="utf-8")
    assert r"PaaS platforms use proprietary runtimes. \cite{keya,keyf}" in tex
    page = (written.folder / "index.html").read_text(encoding="utf-8")
    assert page.count("PaaS platforms use proprietary runtimes.") == 1
    # The spreadsheet keeps every finding as it was extracted.
    sheet = load_workbook(written.main("xlsx"))["Findings"]
    rows = [c.value for row in sheet.iter_rows() for c in row]
    assert rows.count("PaaS platforms use proprietary runtimes.") == 2


def test_the_meta_summary_table_in_every_format(project: Project, tmp_path: Path) -> None:
    written = project.report.write(tmp_path)
    text = (written.folder / "report.md").read_text(encoding="utf-8")
    assert "**Themes, their frequency effect sizes and the papers they rest on**" in text
    assert "| Quality assurance | Testing is hard | 2 | 100.0 % | \\[1, 2\\] |" in text
    assert "1. [Testing is hard](#theme-1) (2x; reported 19x)" in text  # the talk's Nx list
    tex = (written.folder / "report.tex").read_text(encoding="utf-8")
    assert r"100.0 \% & \hspace{0pt}\cite{keya,keyf} \\" in tex
    page = (written.folder / "index.html").read_text(encoding="utf-8")
    assert 'id="meta-summary"' in page
    sheet = load_workbook(written.main("xlsx"))["Meta-summary"]
    assert [c.value for c in sheet[3]] == ["Quality assurance", "Testing is hard", 2, 1, "[1, 2]"]


def test_progress_hears_of_every_step(project: Project, tmp_path: Path) -> None:
    steps: list[tuple[str, int, int]] = []
    project.report.write(
        tmp_path, progress=lambda what, done, total: steps.append((what, done, total))
    )
    names = [what for what, _, _ in steps]
    assert names[0] == "collecting the review's data"
    assert "drawing the PRISMA flow diagram" in names
    assert "writing report.tex" in names
    assert names[-1] == "done"
    total = steps[-1][2]
    assert [done for _, done, _ in steps[1:]] == list(range(1, total + 1))
