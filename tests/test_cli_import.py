"""``metasummary import`` and ``import-log`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from metasummary import Project
from tests import sourcedata
from tests.clirunner import run
from tests.test_importing import BROKEN_RIS


def make(tmp_path: Path) -> str:
    folder = tmp_path / "review"
    Project.init(folder).close()
    return str(folder)


def test_import_and_log(tmp_path: Path) -> None:
    review = make(tmp_path)
    good = tmp_path / "good.ris"
    good.write_text(sourcedata.RIS, encoding="utf-8")
    result = run("import", "-p", review, str(good), "--source", "IEEE")
    assert result.exit_code == 0, result.stderr
    assert f"{good}: 2 records into 'IEEE' (ris, UTF-8)" in result.stdout
    log = run("import-log", "-p", review, "--json")
    (batch,) = json.loads(log.stdout)
    assert (batch["source"], batch["imported"], batch["format"]) == ("IEEE", 2, "ris")
    again = run("import", "-p", review, str(good), "--source", "IEEE")
    assert again.exit_code == 1
    assert "already imported into 'IEEE'" in again.stderr


def test_bad_file_exits_1_with_located_lines(tmp_path: Path) -> None:
    review = make(tmp_path)
    bad = tmp_path / "bad.ris"
    bad.write_text(BROKEN_RIS, encoding="utf-8")
    result = run("import", "-p", review, str(bad), "--source", "IEEE Xplore")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        lines[0] == f"error: {bad}:1: entry 1 has no 'ER  - ' line before the next entry at line 13"
    )
    assert "nothing was imported" in lines[-1]
    assert "Traceback" not in result.stderr
    assert json.loads(run("import-log", "-p", review, "--json").stdout) == []


def test_skip_bad_and_entries_in_the_log(tmp_path: Path) -> None:
    review = make(tmp_path)
    bad = tmp_path / "bad.ris"
    bad.write_text(BROKEN_RIS, encoding="utf-8")
    result = run("import", "-p", review, str(bad), "--skip-bad", "--source", "IEEE Xplore")
    assert result.exit_code == 0, result.stderr
    assert "1 bad entries skipped" in result.stdout
    log = run("import-log", "-p", review, "--entries")
    assert "bad.ris:1: entry 1 has no 'ER  - ' line" in log.stdout


def test_several_files_each_whole_or_not(tmp_path: Path) -> None:
    review = make(tmp_path)
    good = tmp_path / "good.bib"
    good.write_text(sourcedata.BIBTEX, encoding="utf-8")
    bad = tmp_path / "bad.ris"
    bad.write_text(BROKEN_RIS, encoding="utf-8")
    result = run("import", "-p", review, str(bad), str(good), "--json", "-s", "IEEE Xplore")
    assert result.exit_code == 1
    assert "1 of 2 files were not imported" in result.stderr
    (imported,) = json.loads(result.stdout)
    assert imported["imported"] == 2


def test_generic_csv_column_option(tmp_path: Path) -> None:
    review = make(tmp_path)
    table = tmp_path / "hand.csv"
    table.write_text(sourcedata.CSV_GENERIC, encoding="utf-8")
    result = run(
        "import",
        "-p",
        review,
        str(table),
        "--format",
        "csv",
        "--source",
        "Hand search",
        "--column",
        "title=Titel",
        "--column",
        "authors=Autoren",
        "--column",
        "year=Jahr",
    )
    assert result.exit_code == 0, result.stderr
    bad = run("import", "-p", review, str(table), "--format", "csv", "--column", "title")
    assert bad.exit_code == 1
    assert "write FIELD=HEADER" in bad.stderr


def test_console_script_exit_code_is_1_on_errors(tmp_path: Path) -> None:
    from metasummary.cli import main

    review = make(tmp_path)
    assert main(["import", "-p", review, str(tmp_path / "missing.ris")]) == 1
    assert main(["import-log", "-p", review]) == 0
