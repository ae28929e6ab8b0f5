from __future__ import annotations

from pathlib import Path

import pytest

from metasummary.errors import ImportFileError
from metasummary.synthesis.sheets import read_sheet, write_sheet


def test_csv_with_bom_semicolons_and_multiline_cells(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes('\ufefftitle;challenges\n"A";"one\ntwo"\n\n"B";3\n'.encode())
    sheet = read_sheet(path)
    assert sheet.headers == ["title", "challenges"]
    assert [(r.number, r.cells) for r in sheet.rows] == [
        (2, {"title": "A", "challenges": "one\ntwo"}),
        (5, {"title": "B", "challenges": "3"}),
    ]
    assert sheet.where(5, "challenges") == "sheet.csv:5: challenges"
    assert sheet.column("Challenges ") == "challenges"


def test_xlsx_round_trip_and_cell_names(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_sheet(path, ["title", "n"], [["A", 3], [None, 2.0]], title="Papers")
    sheet = read_sheet(path)
    assert sheet.sheet == "Papers"
    assert [r.cells for r in sheet.rows] == [{"title": "A", "n": 3}, {"n": 2}]
    assert sheet.rows[1].text("n") == "2"
    assert sheet.where(3, "n") == "Papers!B3"


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no such file"):
        read_sheet(tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("title\nK\xe4stner\n".encode("latin-1"))
    with pytest.raises(ImportFileError, match="not UTF-8"):
        read_sheet(latin)
