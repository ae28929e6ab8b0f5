"""The issue's walk-through, on the command line: a file imported into the wrong source and
undone, imported again where it belongs, a mistaken source merged into the protocol's, a
finding retired; status, the flow table, the PRISMA counts and the exports checked before and
after each correction."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from metasummary import Project
from tests.clirunner import run
from tests.correctiondata import Counts, correction_protocol, counts, ris, write

SCOPUS = ["Scopus paper A", "Scopus paper B", "Scopus paper C", "Scopus paper D"]
ACM = r"""@inproceedings{Lee:2020:ML:1,
 author = {Lee, Kim},
 title = {ACM paper E},
 year = {2020},
 doi = {10.1145/1.1},
 acmid = {1},
 numpages = {8},
}

@inproceedings{Ng:2021:ML:2,
 author = {Ng, Ada},
 title = {ACM paper F},
 year = {2021},
 doi = {10.1145/2.2},
 acmid = {2},
 numpages = {9},
}
"""


def cli(root: Path, *args: str) -> str:
    result = run("--by", "R1", "-p", str(root), *args)
    assert result.exit_code == 0, f"{args}: {result.stderr}"
    return result.stdout + result.stderr


def exported_titles(root: Path, tmp: Path) -> list[str]:
    out = tmp / "records.csv"
    cli(root, "export", "records", "--format", "csv", "--out", str(out))
    return sorted(row["title"] for row in csv.DictReader(io.StringIO(out.read_text("utf-8"))))


def look(root: Path) -> Counts:
    with Project.open(root) as project:
        return counts(project)


def test_wrong_source_undone_redone_merged_and_a_finding_retired(tmp_path: Path) -> None:
    root = tmp_path / "review"
    Project.init(root, protocol_text=correction_protocol(dual=False)).close()
    scopus = write(tmp_path, "scopus.ris", ris(SCOPUS, database="Scopus"))
    acm = write(tmp_path, "acm.bib", ACM)

    # 1. Into the wrong source: the file names Scopus, the command said IEEE.
    said = cli(root, "import", str(scopus), "--source", "IEEE Xplore")
    assert "the file names scopus, but 'IEEE Xplore' is the ieee source" in said
    wrong = look(root)
    assert wrong.status_sources == {"IEEE Xplore": 4}
    assert wrong.flow_rows["IEEE Xplore"] == (4, 0, 0)
    assert dict(wrong.prisma_databases) == {"IEEE Xplore": 4, "ACM Digital Library": 0, "Scopus": 0}
    assert len(exported_titles(root, tmp_path)) == 4

    # 2. Undone: the records leave every count and export; the log keeps the import.
    cli(root, "import", "undo", "1", "--reason", "wrong source")
    undone = look(root)
    assert (undone.status_records, undone.listed, undone.exported) == (0, 0, 0)
    assert undone.flow_rows["IEEE Xplore"] == (0, 0, 0)
    assert dict(undone.prisma_databases)["IEEE Xplore"] == 0
    assert exported_titles(root, tmp_path) == []
    (logged,) = json.loads(cli(root, "import-log", "--json"))
    assert (logged["retracted"], logged["retracted_by"], logged["imported"]) == (True, "R1", 4)

    # 3. Imported again where it belongs: the content says Scopus, so no --source is needed,
    # and no --again either (the first import no longer counts).
    assert "4 records into 'Scopus'" in cli(root, "import", str(scopus))
    # 4. A mistaken source of its own, as the first import made one.
    cli(root, "import", str(acm), "--source", "acm.bib")
    mistaken = look(root)
    assert mistaken.status_sources == {"Scopus": 4, "acm.bib": 2}
    assert ("acm.bib", 2) in mistaken.prisma_databases
    checked = run("-p", str(root), "protocol", "check")
    assert "note:" in checked.stderr
    assert "'acm.bib' holds 2 records" in checked.stderr
    cli(root, "source", "merge", "acm.bib", "ACM Digital Library")
    merged = look(root)
    assert merged.status_sources == {"Scopus": 4, "ACM Digital Library": 2}
    assert "acm.bib" not in merged.flow_rows
    assert dict(merged.prisma_databases) == {
        "IEEE Xplore": 0,
        "ACM Digital Library": 2,
        "Scopus": 4,
    }
    assert merged.exported == 6
    assert "acm.bib" not in run("-p", str(root), "protocol", "check").stderr

    # 5. Screening and a synthesis, then a mistaken finding retired.
    for record in (5, 6, 7, 9):
        cli(root, "decide", str(record), "include", "--reviewer", "R1")
    cli(root, "decide", "8", "exclude", "--reviewer", "R1", "--criteria", "I2")
    for record in (5, 6, 9):
        cli(root, "decide", str(record), "include", "--reviewer", "R1", "--phase", "ft")
    cli(root, "decide", "7", "exclude", "--reviewer", "R1", "--phase", "ft", "-c", "E1")
    screened = look(root)
    assert screened.prisma_screened == (6, 1, 1)
    assert screened.included == 3
    assert screened.flow_rows["Scopus"] == (4, 3, 2)
    assert screened.flow_rows["ACM Digital Library"] == (2, 1, 1)
    cli(root, "findings", "add", "5", "Requirements are vague", "--coder", "R1")
    cli(root, "findings", "add", "6", "Wrong paper's finding", "--coder", "R1")
    cli(root, "sort", "theme-create", "REQ", "Vague requirements")
    cli(root, "sort", "move", "1", "2", "--to", "1")
    findings_out = tmp_path / "findings.csv"
    cli(root, "findings", "export", "--csv", str(findings_out))
    assert "Wrong paper's finding" in findings_out.read_text("utf-8")
    cli(root, "findings", "retire", "2", "--reason", "belongs to no paper")
    cli(root, "findings", "export", "--csv", str(findings_out))
    assert "Wrong paper's finding" not in findings_out.read_text("utf-8")
    with Project.open(root) as project:
        assert project.status().findings == 1
        (stage,) = [s for s in project.synthesis.summary().stages if s.themes]
        assert stage.themes[0].frequency == 1

    # 6. The decisions out, with the reasons PRISMA asks for, and the counts unchanged by
    # every correction the log now holds.
    decisions = tmp_path / "decisions.csv"
    cli(root, "export", "decisions", "--out", str(decisions), "--phase", "full-text")
    rows = list(csv.DictReader(io.StringIO(decisions.read_text("utf-8"))))
    assert [
        (r["record"], r["verdict"], r["reasons"]) for r in rows if r["verdict"] == "exclude"
    ] == [("7", "exclude", "E1: Model-centric.")]
    final = look(root)
    assert final == screened
    with Project.open(root) as project:
        project_counts = project.report.content().prisma
        assert project_counts.identified == 6
        assert project_counts.title_abstract.reasons[0].label == "I2 not met: Reports challenges."
