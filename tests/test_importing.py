"""The import service: a file lands whole or not at all, and the log says what came in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from metasummary import Project
from metasummary.errors import ImportFileError, InputError, SourceChoiceError
from metasummary.store import events
from metasummary.store import records as store_records
from metasummary.store.catalog import source_by_name
from tests import sourcedata
from tests.helpers import protocol_text

BROKEN_RIS = sourcedata.RIS.replace("ER  -\n\nTY  - CONF", "\nTY  - CONF", 1) + (
    "TY  - JOUR\nTI  - Third\nPY  - 2020\nER  - \n"
)


def record_count(project: Project) -> int:
    with project.store.read() as conn:
        return store_records.count(conn)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_stores_records_batch_event_and_copy(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "search.ris", sourcedata.RIS)
    result = project.imports.import_file(path, source="IEEE")
    assert (result.imported, result.entries, result.format) == (2, 2, "ris")
    assert result.stored_path == f"imports/{result.sha256}.ris"
    assert project.root is not None
    assert (project.root / result.stored_path).read_bytes() == path.read_bytes()
    (batch,) = project.imports.log()
    assert (batch.source, batch.file_name, batch.imported, batch.skipped) == (
        "IEEE",
        "search.ris",
        2,
        0,
    )
    with project.store.read() as conn:
        stored = list(store_records.iter_all(conn))
        (event,) = events.recent(conn, prefix="import.")
    assert [r.batch_id for r in stored] == [batch.id, batch.id]
    assert stored[0].data.original_key == "amershi2019"
    assert stored[0].raw_format == "ris"
    assert (event.entity_id, event.payload["imported"]) == (batch.id, 2)


def test_bad_entry_refuses_the_whole_file(
    make_project: Callable[..., Project], db_url: str, tmp_path: Path
) -> None:
    project = make_project(db=db_url)
    path = write(tmp_path, "broken.ris", BROKEN_RIS)
    with pytest.raises(ImportFileError) as info:
        project.imports.import_bytes(path.read_bytes(), str(path), source="New source")
    assert info.value.problems == [
        f"{path}:1: entry 1 has no 'ER  - ' line before the next entry at line 13"
    ]
    assert "nothing was imported" in info.value.message
    assert "--skip-bad to import the 2 sound ones" in info.value.message
    assert record_count(project) == 0
    assert project.imports.log() == []
    with project.store.read() as conn:
        assert source_by_name(conn, "New source") is None  # no empty source left behind
    assert project.root is not None
    assert not (project.root / "imports").exists() or not any((project.root / "imports").iterdir())


def test_skip_bad_keeps_the_skipped_entries(
    make_project: Callable[..., Project], db_url: str, tmp_path: Path
) -> None:
    project = make_project(db=db_url)
    path = write(tmp_path, "broken.ris", BROKEN_RIS)
    result = project.imports.import_file(path, source="IEEE", skip_bad=True)
    assert (result.imported, result.entries, len(result.skipped)) == (2, 3, 1)
    (batch,) = project.imports.log("IEEE")
    assert batch.skipped == 1
    (skipped,) = batch.skipped_entries
    assert skipped["line"] == 1
    assert skipped["raw"].startswith("TY  - JOUR")
    assert "no 'ER  - ' line" in skipped["error"]


def test_same_file_twice_into_one_source_is_refused(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "a.ris", sourcedata.RIS)
    project.imports.import_file(path, source="IEEE")
    copy = write(tmp_path, "renamed.ris", sourcedata.RIS)
    with pytest.raises(
        ImportFileError, match=r"renamed\.ris: this file was already imported into 'IEEE'"
    ):
        project.imports.import_file(copy, source="IEEE")
    assert record_count(project) == 2
    # The very same file in a second source would count its records twice: refused...
    with pytest.raises(ImportFileError, match=r"already import 1 in 'IEEE'.*--again"):
        project.imports.import_file(copy, source="Other")
    assert record_count(project) == 2
    project.imports.import_file(copy, source="Other", again=True)  # ...unless meant
    assert record_count(project) == 4


def test_many_problems_are_capped_at_twenty(project: Project, tmp_path: Path) -> None:
    text = "".join(f"TY  - JOUR\nTI  - Paper {i}\n\n" for i in range(25))
    with pytest.raises(ImportFileError) as info:
        project.imports.import_file(write(tmp_path, "x.ris", text), source="S")
    assert len(info.value.problems) == 21
    assert info.value.problems[-1].endswith("... and 5 more")


def test_default_source_is_the_protocols_library_source(
    make_project: Callable[..., Project], shared_data: Path
) -> None:
    project = make_project(
        protocol_text(sources=[{"name": "IEEE Xplore", "kind": "library", "library": "ieee"}])
    )
    result = project.imports.import_file(shared_data / "exports/ieee/ieee.csv")
    assert result.source == "IEEE Xplore"
    # A file naming no library is not filed under its own name (issue 18, failure 1).
    with pytest.raises(SourceChoiceError, match="which no protocol source has") as info:
        project.imports.import_file(shared_data / "exports/zotero/baseline_zotero.ris")
    assert info.value.choices == ["IEEE Xplore"]
    with project.store.read() as conn:
        assert source_by_name(conn, "baseline_zotero.ris") is None
    other = project.imports.import_file(
        shared_data / "exports/zotero/baseline_zotero.ris", source="Zotero library"
    )
    with project.store.read() as conn:
        row = source_by_name(conn, other.source)
    assert row is not None
    assert (row.kind, row.in_protocol) == ("file", False)


def test_year_that_is_no_year_is_a_warning(project: Project, shared_data: Path) -> None:
    result = project.imports.import_file(
        shared_data / "exports/edge_cases/faulty_year.ris", source="S"
    )
    assert result.imported == 1
    assert [w.located("f") for w in result.warnings] == [
        "f:1: '10 15' is not a year; the record's year is left empty"
    ]
    (stored,) = project.imports.log()
    with project.store.read() as conn:
        (record,) = list(store_records.iter_all(conn))
    assert record.data.year is None
    assert record.data.extra["year_text"] == "10 15"
    assert stored.imported == 1


def test_no_records_is_an_error(project: Project, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no records found when read as RIS"):
        project.imports.import_file(
            write(tmp_path, "x.bib", sourcedata.BIBTEX), format="ris", source="S"
        )


def test_missing_file_and_unknown_format(project: Project, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"nope\.ris: no such file"):
        project.imports.import_file(tmp_path / "nope.ris")
    with pytest.raises(ImportFileError, match="unknown format 'docx'"):
        project.imports.import_file(write(tmp_path, "a.ris", sourcedata.RIS), format="docx")
    with pytest.raises(InputError, match="source 'Nope'"):
        project.imports.log("Nope")


def test_every_real_export_imports(project: Project, shared_data: Path) -> None:
    total = 0
    for path in sorted((shared_data / "exports").glob("*/*")):
        if path.name == "provenance.json":
            continue
        total += project.imports.import_file(path, source=path.parent.name).imported
    assert record_count(project) == total
    assert len(project.imports.log()) >= 25
