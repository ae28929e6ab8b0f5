"""Every real export under ../shared/data/exports reads with the count its provenance states."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from metasummary.models import RecordData
from metasummary.sources import Problem, decode, read, sniff
from tests.conftest import SHARED_DATA

EXPORTS = SHARED_DATA / "exports"


def _export_files() -> list[tuple[str, int]]:
    """(folder/file, records) for every file every provenance.json lists."""
    found = []
    for provenance in sorted(EXPORTS.glob("*/provenance.json")):
        for name, meta in json.loads(provenance.read_text(encoding="utf-8"))["files"].items():
            found.append((f"{provenance.parent.name}/{name}", meta["records"]))
    return found


def read_all(path: Path) -> tuple[str, list[RecordData], list[Problem]]:
    doc = decode(path.read_bytes(), str(path))
    fmt = sniff(doc)
    items = list(read(doc, fmt))
    records = [i for i in items if isinstance(i, RecordData)]
    return fmt.name, records, [i for i in items if isinstance(i, Problem)]


@pytest.mark.parametrize(("relative", "expected"), _export_files() or [("missing", 0)])
def test_every_export_reads_with_its_stated_count(
    shared_data: Path, relative: str, expected: int
) -> None:
    path = shared_data / "exports" / relative
    _fmt, records, problems = read_all(path)
    assert [p for p in problems if not p.warning] == []
    assert len(records) == expected
    assert [r.entry_index for r in records] == list(range(expected))
    assert all(r.raw and r.entry_line for r in records)
    lines = [r.entry_line or 0 for r in records]
    assert lines == sorted(lines)
    assert sum(1 for r in records if r.title) >= expected - 1  # EndNote BOM sample has none


def test_provenance_lists_files(shared_data: Path) -> None:
    assert len(_export_files()) >= 25


@pytest.mark.parametrize(
    ("relative", "fmt"),
    [
        ("acm/acm.bib", "bibtex"),
        ("arxiv/sample_response.xml", "arxiv-atom"),
        ("crossref/crossref_ex_1.json", "crossref-json"),
        ("endnote/EndnoteXmlImporterTestArticle.xml", "endnote-xml"),
        ("ieee/ieee.csv", "ieee-csv"),
        ("ieee/example.ris", "ris"),
        ("ieee/sample_response.json", "ieee-json"),
        ("openalex/sample_response.json", "openalex-json"),
        ("pubmed/pubmed-heartattac-set.nbib", "nbib"),
        ("scopus/scopus.csv", "scopus-csv"),
        ("semantic_scholar/relevance_search_response.json", "semanticscholar-json"),
        ("springer/springer.csv", "springer-csv"),
        ("web_of_science/wos_plaintext.txt", "wos"),
        ("web_of_science/wos_tab_delimited_win_utf8.txt", "wos-tab"),
        ("zotero/Pandoc Citation.csl.json", "csl-json"),
        ("edge_cases/badFile.isi", "wos"),
    ],
)
def test_format_is_sniffed_from_content(shared_data: Path, relative: str, fmt: str) -> None:
    assert read_all(shared_data / "exports" / relative)[0] == fmt


def test_springer_authors_run_together_are_split(shared_data: Path) -> None:
    _, records, _ = read_all(shared_data / "exports/springer/springer.csv")
    assert records[0].authors == ["Aliev, Araz R.", "Ismayilova, Nigar T."]
    assert records[0].doi == "10.1007/978-3-030-92127-9_33"


def test_sciencedirect_repeated_keywords_are_folded(shared_data: Path) -> None:
    _, records, _ = read_all(shared_data / "exports/sciencedirect/science-direct.bib")
    first = records[0]
    assert first.title == "A survey on cloud service description"
    assert first.authors == ["Ghazouani, Souad", "Slimani, Yahya"]
    assert first.doi == "10.1016/j.jnca.2017.04.013"  # given as a doi.org URL
    assert first.pages == "61-74"
    assert len(first.keywords) > 2
    assert not any('"' in k for k in first.keywords)


def test_scopus_funding_text_columns_beyond_the_header(shared_data: Path) -> None:
    _, records, _ = read_all(shared_data / "exports/scopus/scopus.csv")
    assert {r.original_key[:7] for r in records} == {"2-s2.0-"}
    assert all(r.extra.get("Source") == "Scopus" for r in records)


def test_latex_in_acm_bibtex_is_decoded(shared_data: Path) -> None:
    _, records, _ = read_all(shared_data / "exports/acm/acm.bib")
    assert records[0].authors[:2] == ["Parák, Boris", "Šustr, Zdenek"]
    assert records[0].original_key == "Parak:2014:CAI:2759989.2760079"


def test_wos_plain_and_tab_agree(shared_data: Path) -> None:
    _, plain, _ = read_all(shared_data / "exports/web_of_science/wos_plaintext.txt")
    _, tab, _ = read_all(shared_data / "exports/web_of_science/wos_tab_delimited_win_utf8.txt")
    for a, b in zip(plain, tab, strict=True):
        assert (a.title, a.authors, a.year, a.doi, a.original_key) == (
            b.title,
            b.authors,
            b.year,
            b.doi,
            b.original_key,
        )
    assert plain[0].references


def test_openalex_abstract_is_rebuilt(shared_data: Path) -> None:
    _, records, _ = read_all(shared_data / "exports/openalex/sample_response.json")
    assert records[0].abstract.startswith("Since 2016,")
    assert records[0].original_key == "W4327510205"


def test_truncated_wos_warns_but_keeps_complete_records(shared_data: Path) -> None:
    _, records, problems = read_all(shared_data / "exports/edge_cases/badFile.isi")
    assert len(records) == 32
    assert [p.warning for p in problems] == [True]
    assert "no 'EF'" in problems[0].message
