"""Options the synthesis command groups share: output sheets, coders, adding papers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from metasummary.errors import InputError

XlsxOption = Annotated[
    Path | None, typer.Option("--xlsx", help="Write an Excel workbook (.xlsx) to this path.")
]
CsvOption = Annotated[Path | None, typer.Option("--csv", help="Write a CSV file to this path.")]
SortCoderOption = Annotated[
    str,
    typer.Option("--coder", help="Whose sort (a reviewer id; default: the consensus sort)."),
]
AddPapersOption = Annotated[
    bool,
    typer.Option(
        "--add-papers", help="Add papers the sheet names that the review does not hold yet."
    ),
]


def sheet_path(xlsx: Path | None, csv: Path | None) -> Path:
    """The one output file a command was given with ``--xlsx`` or ``--csv``."""
    if (xlsx is None) == (csv is None):
        raise InputError("give exactly one of --xlsx FILE or --csv FILE")
    path = xlsx or csv
    assert path is not None
    wanted = ".xlsx" if xlsx else ".csv"
    return path if path.suffix.lower() == wanted else path.with_name(path.name + wanted)
