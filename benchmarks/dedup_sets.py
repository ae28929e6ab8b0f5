"""Duplicate sets on disk: ``records_pre_merged.csv`` + ``merged_record_ids.csv``.

The format of ``../shared/data/dedup/`` (and of bib-dedupe's own benchmark data): one CSV of
records with an ``ID`` column and BibTeX-like field names, and one CSV whose ``merged_ids``
rows each list one group of duplicates joined by ``;``. Records in no row are unique.
"""

from __future__ import annotations

import csv
import itertools
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from metasummary.dedup.names import split_authors
from metasummary.models import RecordData
from metasummary.sources.entries import decode_fields
from metasummary.sources.normalise import entities

RECORDS = "records_pre_merged.csv"
GROUPS = "merged_record_ids.csv"
LABELLED = "labelled_pairs.csv"
"""Optional: pairs judged by hand (two ids and a 1/0 column) where the ground truth is partial."""

csv.field_size_limit(sys.maxsize)


def _year(text: str) -> int | None:
    digits = text.strip()[:4]
    return int(digits) if digits.isdigit() else None


_FIELDS = {
    "title": ("title",),
    "abstract": ("abstract",),
    "author": ("author", "authors", "author_full"),
    "year": ("year",),
    "venue": ("journal", "booktitle", "container_title", "series"),
    "volume": ("volume",),
    "issue": ("number", "issue"),
    "pages": ("pages",),
    "doi": ("doi",),
    "url": ("url",),
    "type": ("ENTRYTYPE", "type"),
    "ID": ("ID",),
}


def read_records(folder: Path) -> Iterator[tuple[str, RecordData]]:
    """The records of a set, streamed (columns looked up once, fetched in C), markup decoded
    as an import decodes it (``B&#246;hm``, ``{USDL}``)."""
    with (folder / RECORDS).open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows, [])
        width = len(header)
        # Every candidate column of every field, in order; a missing one reads the "" that
        # is appended to each row.
        spans: list[tuple[int, int]] = []
        flat: list[int] = []
        for names in _FIELDS.values():
            found = [header.index(c) for c in names if c in header] or [width]
            spans.append((len(flat), len(flat) + len(found)))
            flat += found
        fetch = itemgetter(*flat)
        multi = [k for k, (a, b) in enumerate(spans) if b - a > 1]
        firsts = [a for a, _ in spans]
        for values in rows:
            if not any(v.strip() for v in values):
                continue  # a blank line is no record
            if len(values) < width:
                values += [""] * (width - len(values))
            values.append("")
            got = fetch(values)
            row = [got[a].strip() for a in firsts]
            for k in multi:
                a, b = spans[k]
                row[k] = next((v.strip() for v in got[a:b] if v.strip()), "")
            title, abstract, author, year, venue, volume, issue, pages, doi, url, kind, key = row
            if "&" in author:  # before splitting at ";": "B&#246;hm; Kie&#223;ling"
                author = entities(author)
            yield (
                key,
                decode_fields(
                    RecordData(
                        title=title,
                        abstract=abstract,
                        authors=split_authors(author),
                        year=_year(year),
                        venue=venue,
                        volume=volume,
                        issue=issue,
                        pages=pages,
                        doi=doi,
                        url=url,
                        type=kind,
                        original_key=key,
                    )
                ),
            )


def read_groups(folder: Path) -> list[list[str]]:
    with (folder / GROUPS).open(encoding="utf-8-sig", newline="") as handle:
        return [
            [part.strip() for part in row["merged_ids"].split(";") if part.strip()]
            for row in csv.DictReader(handle)
        ]


def write_groups(folder: Path, groups: Iterable[Iterable[str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / GROUPS).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(["merged_ids"])
        for group in sorted(sorted(g) for g in groups):
            writer.writerow([";".join(group)])


def is_dataset(folder: Path) -> bool:
    return (folder / RECORDS).is_file() and (folder / GROUPS).is_file()


@dataclass(frozen=True, slots=True)
class Scores:
    true_pairs: int
    predicted_pairs: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for group in groups:
        pairs.update(itertools.combinations(sorted(set(group)), 2))
    return pairs


def pairwise_scores(truth: list[list[str]], predicted: list[list[str]]) -> Scores:
    """Precision and recall over the pairs of records placed in one group."""
    true_pairs, predicted_pairs = _pairs(truth), _pairs(predicted)
    return Scores(len(true_pairs), len(predicted_pairs), len(true_pairs & predicted_pairs))


def read_labelled(folder: Path) -> dict[tuple[str, str], bool] | None:
    """The hand-judged pairs of a set whose ground truth is partial, or ``None``.

    Where only some pairs were judged, a predicted pair nobody judged is not known to be
    wrong; precision over the judged pairs is the fair figure beside the usual one.
    """
    path = folder / LABELLED
    if not path.is_file():
        return None
    judged: dict[tuple[str, str], bool] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle)
        next(rows, None)
        for row in rows:
            if len(row) >= 3:
                a, b = sorted((row[0].strip(), row[1].strip()))
                judged[a, b] = row[2].strip() == "1"
    return judged


def judged_precision(
    judged: dict[tuple[str, str], bool], predicted: list[list[str]]
) -> float | None:
    """Share of the predicted pairs that were judged which were judged duplicates."""
    verdicts = [judged[pair] for pair in _pairs(predicted) if pair in judged]
    return sum(verdicts) / len(verdicts) if verdicts else None


_COLUMNS = ["ID", "ENTRYTYPE", "title", "author", "year", "journal", "volume", "number"]
_COLUMNS += ["pages", "doi", "abstract"]


def write_records(folder: Path, records: Iterable[tuple[str, RecordData]]) -> int:
    """Write records in the ``records_pre_merged.csv`` shape; how many were written."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with (folder / RECORDS).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(_COLUMNS)
        for key, data in records:
            writer.writerow(
                [
                    key,
                    data.type,
                    data.title,
                    " and ".join(data.authors),
                    "" if data.year is None else data.year,
                    data.venue,
                    data.volume,
                    data.issue,
                    data.pages,
                    data.doi,
                    data.abstract,
                ]
            )
            count += 1
    return count
