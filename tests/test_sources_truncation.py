"""Every reader says when a file is cut short (issue 23, failures 8 and 9).

A file cut at any byte either reads as exactly the complete records it still holds (cut between
two records: nothing is half) or says "is the file cut short?" (a problem, a warning or the
error refusing the file); a record is never silently half. Parser errors carry their reason,
and no parser writes to the terminal on its own.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from metasummary.errors import ImportFileError
from metasummary.models import RecordData
from metasummary.sources import FORMATS, Problem, decode, format_named, read
from metasummary.sources.entries import CUT_SHORT
from tests import sourcedata

# Real exports in ../shared/data/exports, one per reader, and the inline samples for the
# readers that have none there.
REAL = {
    "acm/acm.bib": "bibtex",
    "arxiv/sample_response.xml": "arxiv-atom",
    "crossref/crossref_ex_1.json": "crossref-json",
    "endnote/EndnoteXmlImporterTestArticle.xml": "endnote-xml",
    "ieee/ieee.csv": "ieee-csv",
    "ieee/example.ris": "ris",
    "ieee/sample_response.json": "ieee-json",
    "openalex/sample_response.json": "openalex-json",
    "pubmed/pubmed-heartattac-set.nbib": "nbib",
    "scopus/scopus.csv": "scopus-csv",
    "semantic_scholar/relevance_search_response.json": "semanticscholar-json",
    "springer/springer.csv": "springer-csv",
    "web_of_science/wos_plaintext.txt": "wos",
    "web_of_science/wos_tab_delimited_win_utf8.txt": "wos-tab",
    "zotero/Pandoc Citation.csl.json": "csl-json",
}


def _tagged(first: str, lines: list[str], count: int = 4) -> str:
    """``count`` records laid out as exporters write them: every one ends with the same tag."""
    return "\n\n".join(f"{first}{k}\n" + "\n".join(lines) for k in range(count)) + "\n"


INLINE = {
    "endnote-tagged": _tagged(
        "%0 Journal Article\n%T A tagged record ",
        ["%A Smith, John", "%A Doe, Jane", "%J Journal of Tagging", "%D 2020", "%R 10.1/enw"],
    ),
    "csv": "Title,Authors,Year,DOI\n"
    + "".join(f'"Paper {k} on tests","Doe, Jane; Roe, Rick",202{k},10.1/{k}\n' for k in range(4)),
    "nbib": _tagged(
        "PMID- 11",
        [
            "TI  - A title that runs",
            "      over two lines.",
            "FAU - Doe, Jane",
            "DP  - 2015",
            "LID - 10.1000/xyz.1 [doi]",
            "SO  - Journal of Tests. 2015",
        ],
    ),
    "bibtex": sourcedata.BIBTEX,
    "ris": sourcedata.RIS,
    "publishorperish-json": "[\n"
    + ",\n".join(
        f'  {{"uid": "GS:{k}", "title": "Paper {k}", "article_url": "https://e.org/{k}", '
        f'"cites": {k}, "year": 202{k}, "authors": ["A Author", "B Author"]}}'
        for k in range(4)
    )
    + "\n]\n",
}
"""Real layouts, made here for the readers with no real export in ../shared/data."""
CUTS = 23
"""Cut points per file, spread over its second half and a quarter before."""
FIELDS = ("title", "abstract", "authors", "venue", "year", "doi", "volume", "issue", "pages")


def test_every_reader_is_covered() -> None:
    assert {f.name for f in FORMATS} == set(REAL.values()) | set(INLINE)


def _key(record: RecordData) -> tuple[object, ...]:
    return tuple(getattr(record, name) for name in FIELDS)


def _items(data: bytes, fmt: str) -> list[RecordData | Problem]:
    doc = decode(data, "cut")
    return list(read(doc, format_named(fmt)))


def check_cuts(data: bytes, fmt: str) -> int:
    """Cut ``data`` at CUTS points; the number of cuts that were said to be cut short."""
    whole = [i for i in _items(data, fmt) if isinstance(i, RecordData)]
    assert whole
    said = 0
    first = max(len(data) // 4, data.index(b"\n") + 1)  # past the first line (a header)
    for k in range(CUTS):
        at = first + (len(data) - first - 1) * k // CUTS
        try:
            items = _items(data[:at], fmt)
        except ImportFileError as exc:
            error = str(exc)
            assert CUT_SHORT in error, (fmt, at, error)
            said += 1
            continue
        if any(isinstance(i, Problem) and CUT_SHORT in i.message for i in items):
            said += 1
            continue
        records = [i for i in items if isinstance(i, RecordData)]
        # Not said: then the cut fell between records and every record read is whole.
        assert [_key(r) for r in records] == [_key(r) for r in whole[: len(records)]], (fmt, at)
    return said


@pytest.mark.parametrize(("relative", "fmt"), sorted(REAL.items()))
def test_a_real_export_cut_anywhere_is_never_silently_half(
    shared_data: Path, relative: str, fmt: str
) -> None:
    data = (shared_data / "exports" / relative).read_bytes()
    assert check_cuts(data, fmt) >= CUTS // 2  # most cuts land inside a record


@pytest.mark.parametrize(("fmt", "text"), sorted(INLINE.items()))
def test_a_sample_cut_anywhere_is_never_silently_half(fmt: str, text: str) -> None:
    assert check_cuts(text.encode("utf-8"), fmt) >= 1


# -- the two files of the issue ---------------------------------------------------------------


def _problems(text: str, fmt: str) -> list[Problem]:
    return [i for i in _items(text.encode(), fmt) if isinstance(i, Problem)]


def test_an_nbib_cut_mid_record_is_refused(shared_data: Path) -> None:
    data = (shared_data / "exports/pubmed/pubmed-heartattac-set.nbib").read_bytes()
    cut = data[: data.rindex(b"PT  - Journal Article") + len(b"PT  - Jou")]
    problems = [p for p in _problems(cut.decode(), "nbib") if not p.warning]
    assert len(problems) == 1
    assert "before its 'SO' line" in problems[0].message
    assert CUT_SHORT in problems[0].message


def test_a_bib_ending_in_a_partial_entry_says_so() -> None:
    text = sourcedata.BIBTEX.rstrip() + "\n\n@inp"
    problems = _problems(text, "bibtex")
    assert [p.message for p in problems] == [
        f"the file ends with '@inp', the start of an entry ({CUT_SHORT})"
    ]
    assert problems[0].line == text.count("\n") + 1
    inside = sourcedata.BIBTEX.rstrip() + "\n\n@inproceedings{k9,\n  title = {Half a tit"
    (problem,) = _problems(inside, "bibtex")
    assert problem.message == f"the file ends inside this entry ({CUT_SHORT})"


def test_a_broken_bibtex_entry_says_why_and_the_parser_says_nothing(
    capfd: pytest.CaptureFixture[str],
) -> None:
    text = "@article{a1,\n  title = {First},\n}\n\n@article{a2\n  title = {Second},\n}\n"
    (problem,) = _problems(text, "bibtex")
    assert problem.line == 5
    assert problem.message == (
        "not a valid BibTeX entry: Expected comma after entry key, but found ="
    )
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


@pytest.mark.parametrize("fmt", [f.name for f in FORMATS])
def test_no_reader_writes_to_the_terminal(fmt: str, capfd: pytest.CaptureFixture[str]) -> None:
    for text in (*INLINE.values(), "@article{x,\n title = {a\n", '{"a": [1, 2', "<a><b></a>"):
        with contextlib.suppress(ImportFileError):
            _items(text.encode(), fmt)
    assert capfd.readouterr() == ("", "")
