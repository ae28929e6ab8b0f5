"""Labelled screening data sets: any CSV with a title, an abstract and a 0/1 label column."""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from metasummary.errors import InputError


@dataclass(frozen=True, slots=True)
class LabelledSet:
    """Records with their true labels, in file order."""

    name: str
    ids: list[str]
    titles: list[str]
    abstracts: list[str]
    labels: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.ids)


def read_labelled_csv(
    path: Path,
    *,
    label_column: str = "label_included",
    title_column: str = "title",
    abstract_column: str = "abstract",
    id_column: str | None = "record_id",
) -> LabelledSet:
    """Read ``path``; ids come from ``id_column`` when the file has it, else the row number
    (0 = first data row).

    Raises:
        InputError: unreadable file, missing column, a label that is not 0 or 1, or a set
            without both an inclusion and an exclusion.
    """
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = list(reader.fieldnames or [])
            for column, option in (
                (label_column, "--label-column"),
                (title_column, "--title-column"),
                (abstract_column, "--abstract-column"),
            ):
                if column not in columns:
                    raise InputError(
                        f"{path}: no column {column!r} (columns: {', '.join(columns) or 'none'});"
                        f" name the right one with {option}"
                    )
            use_ids = id_column is not None and id_column in columns
            ids: list[str] = []
            seen: set[str] = set()
            titles: list[str] = []
            abstracts: list[str] = []
            labels: list[int] = []
            for index, row in enumerate(reader):
                value = (row.get(label_column) or "").strip()
                if value not in ("0", "1"):
                    raise InputError(
                        f"{path}:{reader.line_num}: {label_column} is {value!r}, not 0 or 1; "
                        "give a 0/1 column with --label-column"
                    )
                labels.append(int(value))
                ids.append((row.get(id_column) or "").strip() if use_ids and id_column else "")
                if not ids[-1]:
                    ids[-1] = str(index)
                if ids[-1] in seen:
                    raise InputError(
                        f"{path}:{reader.line_num}: {id_column} {ids[-1]!r} appears twice; "
                        "give a column of unique ids with --id-column"
                    )
                seen.add(ids[-1])
                titles.append(row.get(title_column) or "")
                abstracts.append(row.get(abstract_column) or "")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; save it as UTF-8 CSV") from None
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV file ({exc})") from None
    array = np.asarray(labels, dtype=np.int64)
    if array.sum() == 0 or array.sum() == len(array):
        raise InputError(f"{path}: {label_column} needs at least one 1 and one 0 to simulate")
    return LabelledSet(path.name, ids, titles, abstracts, array)
