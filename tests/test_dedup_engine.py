"""The engine over many records: blocking, grouping, and real duplicate sets."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest

from metasummary.dedup import Label, build_entries, find_duplicates
from metasummary.dedup.blocking import MAX_BLOCK, WINDOW, candidate_pairs
from metasummary.dedup.names import split_authors
from metasummary.models import RecordData
from tests.dedupdata import other, paper


def groups_of(records: list[RecordData], **options: object) -> list[list[int]]:
    entries = build_entries(enumerate(records))
    outcome = find_duplicates(entries, workers=1, **options)  # type: ignore[arg-type]
    return sorted(sorted(int(entries[i].key) for i in g) for g in outcome.groups)  # type: ignore[call-overload]


def test_duplicates_across_unrelated_records_are_grouped() -> None:
    records = [other(n) for n in range(40)]
    records[5] = paper()
    records[17] = paper(title=paper().title.upper(), pages="548-55")
    records[33] = paper(authors=["Zipfel PF", "Skerka C"], doi="")
    assert groups_of(records) == [[5, 17, 33]]


def test_blocking_finds_pairs_by_doi_title_author_and_locator() -> None:
    records = [
        paper(title="A completely different wording", doi="10.1000/x"),
        paper(doi="10.1000/x"),  # DOI key only
        paper(title="Xomplement dysfunction in hemolytic uremic syndrome"),  # end of title
        paper(title="Complement dysfunction in hemolytic uremic syndrome: a review"),  # start
        paper(title="", authors=["Zipfel, P. F."]),  # author + year, volume + page
    ]
    entries = build_entries(enumerate(records))
    n = len(entries)
    pairs = {divmod(code, n) for code in candidate_pairs(entries)}
    assert {(0, 1), (1, 2), (1, 3), (1, 4)} <= pairs


def test_large_blocks_cost_a_window_per_record() -> None:
    records = [other(n, authors=["Wang, J"], year=2015) for n in range(MAX_BLOCK * 10)]
    entries = build_entries(enumerate(records))
    assert len(candidate_pairs(entries)) <= len(records) * WINDOW * 2


def test_groups_never_hold_two_different_dois() -> None:
    records = [
        paper(doi="10.1000/one"),
        paper(doi=""),
        paper(doi="10.1000/two", pages="548-555"),
    ]
    entries = build_entries(enumerate(records))
    outcome = find_duplicates(entries, workers=1)
    assert all(len({entries[i].doi for i in g} - {""}) <= 1 for g in outcome.groups)
    assert outcome.count(Label.MAYBE) >= 1


def test_kept_apart_and_joined_pairs_are_honoured() -> None:
    records = [paper(), paper(), other(1), other(2)]
    assert groups_of(records, keep_apart=[(0, 1)]) == []
    assert groups_of(records, joined=[(2, 3)]) == [[0, 1], [2, 3]]


def test_threshold_sends_weaker_duplicates_to_review() -> None:
    records = [paper(), paper(pages="", volume="", issue="")]
    assert groups_of(records, threshold=0.99) == []
    assert groups_of(records, threshold=0.5) == [[0, 1]]


def test_parallel_comparison_gives_the_same_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    import metasummary.dedup.parallel as parallel

    monkeypatch.setattr(parallel, "PARALLEL_MIN", 1)
    monkeypatch.setattr(parallel, "CHUNK", 7)
    records = [other(n) for n in range(30)] + [paper(), paper(pages="548-55"), paper(year=2007)]
    entries = build_entries(enumerate(records))
    serial = find_duplicates(entries, workers=1)
    forked = find_duplicates(entries, workers=2)
    assert forked.groups == serial.groups == [[30, 31, 32]]
    assert [(m.i, m.j, m.verdict) for m in forked.matches] == [
        (m.i, m.j, m.verdict) for m in serial.matches
    ]


def _read_set(folder: Path) -> tuple[list[tuple[str, RecordData]], set[tuple[str, str]]]:
    with (folder / "records_pre_merged.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    records = [
        (
            row["ID"],
            RecordData(
                title=row.get("title") or "",
                authors=split_authors(row.get("author") or ""),
                year=int(row["year"]) if (row.get("year") or "").isdigit() else None,
                venue=row.get("journal") or row.get("booktitle") or "",
                volume=row.get("volume") or "",
                issue=row.get("number") or "",
                pages=row.get("pages") or "",
                doi=row.get("doi") or "",
                abstract=row.get("abstract") or "",
                type=row.get("ENTRYTYPE") or "",
            ),
        )
        for row in rows
    ]
    with (folder / "merged_record_ids.csv").open(encoding="utf-8") as handle:
        truth = {
            pair
            for row in csv.DictReader(handle)
            for pair in itertools.combinations(sorted(row["merged_ids"].split(";")), 2)
        }
    return records, truth


@pytest.mark.parametrize(
    ("name", "min_recall"),
    [
        ("bibdedupe_special_cases", 1.0),
        ("bibdedupe_cytology_screening", 0.99),
        ("bibdedupe_haematology", 0.79),
    ],
)
def test_real_duplicate_sets_keep_precision(
    shared_data: Path, name: str, min_recall: float
) -> None:
    records, truth = _read_set(shared_data / "dedup" / name)
    entries = build_entries(records)
    outcome = find_duplicates(entries, workers=1)
    found = {
        pair
        for g in outcome.groups
        for pair in itertools.combinations(sorted(str(entries[i].key) for i in g), 2)
    }
    assert len(found & truth) / len(found) >= 0.995
    assert len(found & truth) / len(truth) >= min_recall


def test_special_cases_versions_are_said_so(shared_data: Path) -> None:
    records, _ = _read_set(shared_data / "dedup" / "bibdedupe_special_cases")
    entries = build_entries(records)
    outcome = find_duplicates(entries, workers=1)
    versions = {
        tuple(sorted((str(entries[m.i].key), str(entries[m.j].key))))
        for m in outcome.matches
        if m.verdict.label is Label.VERSION
    }
    # A conference paper (2011) and its journal extension (2014); and the same for 2003/2004.
    assert ("id_0000009", "id_0000010") in versions
    assert ("id_0000007", "id_0000012") in versions
