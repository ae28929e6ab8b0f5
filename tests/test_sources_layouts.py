"""Layouts of real exports the readers refused before: plain "refer" (the AIS eLibrary), ERIC's
MEDLINE-tagged .nbib, Publish or Perish JSON, and an EBSCO .bib with one broken field. The
samples are written here in each layout, with made-up content."""

from __future__ import annotations

from metasummary.models import RecordData
from metasummary.sources import Problem, decode, read, sniff

REFER = """%T How trust leads to commitment on platforms
%0 Journal Article
%A Guo, Wenbo
%A Straub, Detmar W.
%B Management Information Systems Quarterly
%D 2021
%V 45
%P 1309-1348
%U https://aisel.aisnet.org/misq/vol45/iss3/13


%T MISQ Volume 45, Issue 3 Table of Contents
%B Management Information Systems Quarterly
%D 2021


%T A thematic analysis of developers' experience
%A Lavilles, Rabby Q.
%B PACIS 2017 Proceedings
%D 2017
%X Online sourcing marketplaces enable the hiring of skilled workers.
"""

ERIC = """
OWN - ERIC
TI  - A paper in ERIC
AU  - Smith, Tom
OT  - Keyword 1
JT  - Journal of Education
SO  - v10 n1 p1-10 2000
AID - http://dx.doi.org/10.1000/eric.1
OID - EJ0000001
VI  - 10
DP  - 2000
LID - http://eric.ed.gov/?id=EJ0000001
ISSN - ISSN-1234-4567
PT  - Journal Articles

OWN - ERIC
TI  - Another paper in ERIC
AU  - Hunter, Shawn
OID - ED0000002
DP  - 2001
LID - http://eric.ed.gov/?id=ED0000002
PT  - Reports - Research
"""

POP = """\ufeff[
  {"uid": "GS:1", "title": "Trust on microsourcing platforms", "source": "MIS Quarterly",
   "publisher": "example.org", "article_url": "https://example.org/a1", "cites_url": "",
   "abstract": "… trust …", "rank": 1, "year": 2021, "volume": 0, "issue": 0,
   "startpage": 0, "endpage": 0, "cites": 9, "ecc": 9, "use": 1,
   "authors": ["W Guo", "D Straub", "..."]},
  {"uid": "GS:2", "title": "Microsourcing using information technology", "source": "Proc. CPR",
   "publisher": "dl.acm.org", "article_url": "https://dl.acm.org/doi/10.1145/1.2", "year": 2006,
   "volume": 12, "issue": 3, "startpage": 10, "endpage": 19, "cites": 1, "ecc": 1, "use": 1,
   "doi": "10.1145/1.2", "authors": ["L Obal"]}
]
"""

EBSCO = """@article{11111111111111111,
Abstract = {Abstract text},
Author = {Smith, Tom and Steward, Hugo},
Journal = {MIS Quarterly},
Keywords = {Keyword 1, keyword 2},
Pages = {1 - 10},
Title = {Paper title.},
Year = {2000},
}

@article{22222222222222222,
Abstract = {While price-fixing},
Author = {Cruise, Tom},
Journal = {Journal of Technology},
Keywords = {Price fixing, author:{name:Someone, @type:Person}, @type:Person}, more, 0},
Title = {When sharing fixes prices.},
Year = {2018},
}
"""


def items(text: str) -> tuple[str, list[RecordData], list[Problem]]:
    doc = decode(text.encode("utf-8"), "f")
    fmt = sniff(doc)
    found = list(read(doc, fmt))
    records = [i for i in found if isinstance(i, RecordData)]
    return fmt.name, records, [i for i in found if isinstance(i, Problem)]


def test_refer_records_are_told_apart_by_blank_lines() -> None:
    fmt, records, problems = items(REFER)
    assert (fmt, problems) == ("endnote-tagged", [])
    assert [r.title for r in records] == [
        "How trust leads to commitment on platforms",
        "MISQ Volume 45, Issue 3 Table of Contents",
        "A thematic analysis of developers' experience",
    ]
    assert records[0].authors == ["Guo, Wenbo", "Straub, Detmar W."]
    assert (records[0].type, records[1].type) == ("Journal Article", "")
    assert records[2].abstract.startswith("Online sourcing")


def test_a_latex_comment_is_not_refer() -> None:
    fmt, records, _ = items("% Encoding: UTF-8\n\n@article{k, title = {A title}, year = 2020}\n")
    assert fmt == "bibtex"
    assert len(records) == 1


def test_eric_nbib() -> None:
    fmt, records, problems = items(ERIC)
    assert (fmt, problems) == ("nbib", [])
    first, second = records
    assert (first.title, first.doi, first.original_key) == (
        "A paper in ERIC",
        "10.1000/eric.1",
        "EJ0000001",
    )
    assert first.url == "http://eric.ed.gov/?id=EJ0000001"
    assert first.extra == {}  # ISSN is its own tag, not a continuation of LID
    assert (second.original_key, second.year, second.doi) == ("ED0000002", 2001, "")


def test_publish_or_perish_json() -> None:
    fmt, records, problems = items(POP)
    assert (fmt, problems) == ("publishorperish-json", [])
    first, second = records
    assert first.authors == ["Guo, W", "Straub, D"]  # "..." marks a cut list
    assert (first.volume, first.pages, first.venue, first.year) == ("", "", "MIS Quarterly", 2021)
    assert (second.volume, second.issue, second.pages, second.doi) == (
        "12",
        "3",
        "10-19",
        "10.1145/1.2",
    )
    assert second.original_key == "GS:2"


def test_a_bib_entry_with_one_broken_field_is_read_line_by_line() -> None:
    fmt, records, problems = items(EBSCO)
    assert fmt == "bibtex"
    assert [r.title for r in records] == ["Paper title.", "When sharing fixes prices."]
    assert records[1].authors == ["Cruise, Tom"]
    assert records[1].year == 2018
    (warning,) = problems
    assert warning.warning
    assert warning.line == 11
    assert warning.message.startswith("'keywords': its braces do not balance")


def test_an_entry_not_laid_out_per_line_is_still_refused() -> None:
    text = "@article{a,\n  title = {One},\n}\n\n@article{b\n  title = {Two}, year = 2020,\n}\n"
    _, records, problems = items(text)
    assert len(records) == 1
    assert [p.message for p in problems] == [
        "not a valid BibTeX entry: Expected comma after entry key, but found ="
    ]
