"""Each reader on small hand-made files, sound and broken: nothing is lost without a word."""

from __future__ import annotations

import codecs

import pytest

from metasummary.errors import ImportFileError
from metasummary.models import RecordData
from metasummary.sources import Problem, ReadOptions, decode, format_named, read, sniff
from tests import sourcedata


def items(text: str | bytes, fmt: str | None = None, **columns: str) -> list[RecordData | Problem]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    doc = decode(data, "f")
    chosen = format_named(fmt) if fmt else sniff(doc)
    return list(read(doc, chosen, ReadOptions(columns=columns)))


def records(text: str | bytes, fmt: str | None = None, **columns: str) -> list[RecordData]:
    found = items(text, fmt, **columns)
    assert [i for i in found if isinstance(i, Problem) and not i.warning] == []
    return [i for i in found if isinstance(i, RecordData)]


def problems(text: str, fmt: str | None = None) -> list[str]:
    return [i.located("f") for i in items(text, fmt) if isinstance(i, Problem)]


def test_ris_fields() -> None:
    first, second = records(sourcedata.RIS)
    assert first.title == "Software engineering for machine learning"
    assert first.authors == ["Amershi, Saleema", "Begel, Andrew"]
    assert (first.year, first.venue, first.pages) == (2019, "Proc. ICSE-SEIP", "291-300")
    assert first.doi == "10.1109/icse-seip.2019.00042"
    assert first.keywords == ["machine learning", "software engineering"]
    assert (first.original_key, first.entry_line, first.entry_index) == ("amershi2019", 1, 0)
    assert first.raw.startswith("TY  - JOUR")
    assert first.raw.endswith("ER  -")
    assert (second.year, second.entry_line, second.type) == (2015, 14, "CONF")


def test_ris_entry_without_er_is_located_not_merged() -> None:
    text = sourcedata.RIS.replace("ER  -\n\nTY  - CONF", "\nTY  - CONF", 1)
    assert problems(text) == ["f:1: entry 1 has no 'ER  - ' line before the next entry at line 13"]
    assert len([i for i in items(text) if isinstance(i, RecordData)]) == 1


def test_ris_entry_without_ty_is_located() -> None:
    text = sourcedata.RIS.replace("TY  - CONF\n", "", 1)
    assert problems(text, "ris") == [
        "f:14: 'TI' line outside an entry: the entry has no 'TY  - ' line"
    ]


def test_ris_truncated_and_malformed_ty() -> None:
    assert problems(sourcedata.RIS.rsplit("ER", 1)[0], "ris") == [
        "f:14: entry 2 has no 'ER  - ' line (is the file cut short?)"
    ]
    bad_ty = sourcedata.RIS.replace("TY  - CONF", "TY - CONF")
    assert problems(bad_ty, "ris")[0].startswith("f:14: 'TY - CONF' is not a RIS TY line")


def test_bibtex_fields_and_latex() -> None:
    first, second = records(sourcedata.BIBTEX)
    assert first.authors == ["Nahar, Nadia", "Kästner, Christian"]
    assert first.title == "Collaboration Challenges in Building ML-Enabled Systems"
    assert (first.pages, first.doi, first.original_key) == (
        "413-425",
        "10.1145/3510003.3510209",
        "nahar2022",
    )
    assert (second.year, second.type, second.entry_line) == (2019, "inproceedings", 10)


def test_bibtex_unbalanced_brace_loses_nothing_silently() -> None:
    text = sourcedata.BIBTEX.replace(
        "title = {Collaboration {Challenges}", "title = {Collaboration {Challenges"
    )
    found = problems(text)
    assert found, "the parser swallowed an entry without a word"
    assert all(p.startswith(("f:1:", "f:10:")) for p in found)


def test_bibtex_preamble_lines_and_strings_are_not_entries() -> None:
    text = 'Scopus\nEXPORT DATE: 2 September 2018\n\n@string{jss = "J. Syst. Softw."}\n' + (
        "@article{a, title={T}, journal=jss, year={2015}}\n"
    )
    (record,) = records(text)
    assert (record.venue, record.entry_line) == ("J. Syst. Softw.", 5)


def test_generic_csv_with_column_map() -> None:
    first, second = records(
        sourcedata.CSV_GENERIC, "csv", title="Titel", authors="Autoren", year="Jahr"
    )
    assert first.authors == ["Felderer, Michael", "Ramler, Rudolf"]
    assert (first.year, first.doi, first.entry_line) == (2021, "10.1007/978-3-030-65854-0_3", 2)
    assert second.authors == ["Arpteg, Anders", "Brinne, Björn"]


def test_generic_csv_needs_a_title_column() -> None:
    with pytest.raises(ImportFileError, match="no title column found"):
        items(sourcedata.CSV_GENERIC, "csv")
    with pytest.raises(ImportFileError, match=r"f:1: column\(s\) not in the header: title='Nope'"):
        items(sourcedata.CSV_GENERIC, "csv", title="Nope")


def test_csv_unclosed_quote_is_located() -> None:
    text = sourcedata.CSV_GENERIC.replace("Titel", "Title").replace('for AI",', 'for AI,"')
    found = problems(text, "csv")
    assert found
    assert found[0].startswith("f:2: row has")


@pytest.mark.parametrize(
    "text", [sourcedata.SCOPUS_2019, sourcedata.SCOPUS_2021, sourcedata.SCOPUS_2023]
)
def test_scopus_header_generations(text: str) -> None:
    (record,) = records(text)
    assert record.authors[0].startswith("Phillips, J")
    assert len(record.authors) == 2
    assert (record.venue, record.original_key) == ("J. Chem.", "2-s2.0-1")


def test_scopus_full_names_are_preferred() -> None:
    (record,) = records(sourcedata.SCOPUS_2023)
    assert record.authors == ["Phillips, James C.", "Braun, Rosemary"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_wos_tab_delimited_utf8_and_utf16(encoding: str) -> None:
    data = sourcedata.WOS_TAB.encode(encoding)
    if encoding == "utf-8":
        data = codecs.BOM_UTF8 + data
    first, second = records(data)
    assert (first.title, first.authors, first.doi, first.original_key) == (
        "A tab-delimited record",
        ["Doe, Jane"],
        "10.1000/wos.1",
        "WOS:1",
    )
    assert second.entry_line == 3


def test_nbib_records_and_continuations() -> None:
    first, second = records(sourcedata.NBIB)
    assert first.title == "First title that runs over two lines."
    assert (first.authors, first.year, first.doi, first.original_key) == (
        ["Doe, Jane"],
        2015,
        "10.1000/xyz.1",
        "111",
    )
    assert (second.entry_line, second.year) == (10, 2016)


def test_endnote_tagged_records() -> None:
    first, second = records(sourcedata.ENW)
    assert first.authors == ["Smith, John", "Doe, Jane"]
    assert (first.keywords, first.doi, first.year) == (["alpha", "beta"], "10.1000/enw.1", 2020)
    assert (second.type, second.entry_line) == ("Conference Paper", 11)


def test_endnote_tagged_line_outside_record() -> None:
    text = sourcedata.ENW.replace("%0 Conference Paper\n", "")
    assert problems(text, "endnote-tagged") == [
        "f:11: '%T' line outside a record: the record has no '%0' line"
    ]


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ('{"results": [{"id": "W1"}, ', "openalex-json", r"f:1: the file ends before the JSON"),
        ('{"results": [{"id": "W1"} {', "openalex-json", "f:1: not valid JSON"),
        ('[{"title": "x"}, 3]', "csl-json", None),
        ("<feed><entry><title>x</title></feed>", "arxiv-atom", "f:1: not well-formed XML"),
        ("", "ris", "f: the file is empty"),
        ("just some words\n", None, "f:1: cannot tell the file's format"),
    ],
)
def test_broken_structured_files(text: str, fmt: str | None, message: str | None) -> None:
    if message is None:
        assert problems(text, fmt) == ["f:1: entry 2 is not a JSON object"]
        return
    with pytest.raises(ImportFileError, match=message):
        items(text, fmt) if fmt != "ris" else items(text)


def test_json_items_have_their_lines() -> None:
    text = (
        '{"meta": {}, "results": [\n  {"id": "https://openalex.org/W1", "title": "a"},\n'
        '  {"id": "https://openalex.org/W2", "title": "b"}\n]}'
    )
    first, second = records(text)
    assert (first.entry_line, second.entry_line) == (2, 3)
    assert second.original_key == "W2"
    assert second.raw == '{"id": "https://openalex.org/W2", "title": "b"}'
