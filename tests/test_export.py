"""``export records``: formats that re-import, provenance carried, and the included papers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from metasummary import Project
from metasummary.errors import InputError
from metasummary.store import catalog
from metasummary.store import records as store_records
from metasummary.store.clock import now
from metasummary.store.schema import decisions
from tests import sourcedata
from tests.clirunner import run


@pytest.fixture
def filled(project: Project, tmp_path: Path) -> Project:
    (tmp_path / "a.ris").write_text(sourcedata.RIS, encoding="utf-8")
    (tmp_path / "b.bib").write_text(sourcedata.BIBTEX, encoding="utf-8")
    project.imports.import_file(tmp_path / "a.ris", source="IEEE")
    project.imports.import_file(tmp_path / "b.bib", source="ACM")
    with project.store.write() as conn:
        store_records.set_duplicate_of(conn, 4, 1)
    return project


def exported(project: Project, fmt: str, *, included: bool = False) -> str:
    out = io.StringIO()
    project.exports.records(fmt, out, included=included)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["ris", "bibtex", "csv"])
def test_exports_reimport_with_the_same_records(
    filled: Project, make_project: Callable[..., Project], tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"out.{fmt}"
    path.write_text(exported(filled, fmt), encoding="utf-8")
    other = make_project(name="other")
    result = other.imports.import_file(path, source="back")
    assert result.imported == 4
    with filled.store.read() as conn:
        before = [(r.data.title, r.data.doi, r.data.year) for r in store_records.iter_all(conn)]
    with other.store.read() as conn:
        after = [(r.data.title, r.data.doi, r.data.year) for r in store_records.iter_all(conn)]
    assert after == before


def test_exports_carry_id_duplicate_and_original_key(filled: Project) -> None:
    ris = exported(filled, "ris")
    assert "ID  - amershi2019" in ris
    assert "N1  - duplicate-of: 1" in ris
    bib = exported(filled, "bibtex")
    assert "@article{nahar2022," in bib
    assert "duplicate-of = {1}" in bib
    rows = list(csv.DictReader(io.StringIO(exported(filled, "csv"))))
    assert [r["duplicate_of"] for r in rows] == ["", "", "", "1"]
    assert rows[0]["original_key"] == "amershi2019"
    assert rows[3]["source"] == "ACM"


def test_xlsx(filled: Project, tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    assert filled.exports.records("xlsx", path) == 4
    book = load_workbook(path, read_only=True)
    rows = list(book["records"].iter_rows(values_only=True))
    book.close()  # a read-only workbook keeps its file open until closed
    assert rows[0][:4] == ("id", "source", "duplicate_of", "original_key")
    assert len(rows) == 5
    with pytest.raises(InputError, match="xlsx needs --out"):
        filled.exports.records("xlsx", io.StringIO())


def test_included_means_included_at_full_text(filled: Project) -> None:
    with filled.store.write() as conn:
        reviewer = catalog.list_reviewers(conn)[0].id
        for record_id, phase, verdict in [
            (1, "title-abstract", "include"),
            (1, "full-text", "include"),
            (2, "title-abstract", "include"),
            (2, "full-text", "exclude"),
            (3, "title-abstract", "include"),
        ]:
            conn.execute(
                decisions.insert().values(
                    record_id=record_id,
                    phase=phase,
                    reviewer_id=reviewer,
                    kind="vote",
                    verdict=verdict,
                    criteria=[],
                    created_at=now(),
                )
            )
    rows = list(csv.DictReader(io.StringIO(exported(filled, "csv", included=True))))
    assert [r["id"] for r in rows] == ["1"]


def test_cli_export(filled: Project, tmp_path: Path) -> None:
    assert filled.root is not None
    out = tmp_path / "x.bib"
    result = run(
        "export", "records", "-p", str(filled.root), "--format", "bibtex", "--out", str(out)
    )
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").count("@") == 4
    bad = run("export", "records", "-p", str(filled.root), "--format", "docx")
    assert bad.exit_code == 1
    assert "unknown export format 'docx'" in bad.stderr
