"""Decoding and normalisation: the one place for encodings, line ends and value cleaning."""

from __future__ import annotations

import codecs

import pytest

from metasummary.errors import ImportFileError
from metasummary.sources import decode
from metasummary.sources import normalise as norm

TEXT = "TY  - JOUR\nTI  - Café Ünïcode\nER  - \n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "UTF-8 with BOM"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "UTF-16 LE"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "UTF-16 BE"),
        (TEXT.encode("utf-16-le"), "UTF-16-LE"),
        (TEXT.encode("cp1252"), "Windows-1252 (Latin-1)"),
    ],
)
def test_decodes_every_encoding_exports_come_in(data: bytes, encoding: str) -> None:
    doc = decode(data, "f.ris")
    assert doc.text == TEXT
    assert doc.encoding == encoding


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_ends_become_newlines(newline: str) -> None:
    doc = decode(TEXT.replace("\n", newline).encode(), "f.ris")
    assert doc.lines()[:3] == ["TY  - JOUR", "TI  - Café Ünïcode", "ER  - "]


def test_binary_file_is_refused_with_advice() -> None:
    with pytest.raises(ImportFileError, match=r"f\.pdf: holds binary data"):
        decode(b"%PDF-1.4\x00\x00\x01binary", "f.pdf")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://doi.org/10.1109/ICSE.2019.42", "10.1109/icse.2019.42"),
        ("http://dx.doi.org/10.1145/3510003.3510209.", "10.1145/3510003.3510209"),
        ("doi:10.1000/ABC", "10.1000/abc"),
        ("10.1371/journal.pone.0139442 [doi]", "10.1371/journal.pone.0139442"),
        ("not a doi", ""),
        (None, ""),
    ],
)
def test_doi_from_urls_and_prefixes(value: str | None, expected: str) -> None:
    assert norm.doi(value) == expected


def test_latex_and_html_are_decoded() -> None:
    assert norm.decode_latex(r"Par\'{a}k and \v{S}ustr: {ML} \& {AI}") == "Parák and Šustr: ML & AI"
    assert norm.strip_html("The <b>Huaynaputina</b> &amp; <i>Peru</i>") == "The Huaynaputina & Peru"
    assert norm.fold_space("  a\n  b\t c ") == "a b c"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2015///", 2015), ("Mar 3, 2015", 2015), ("10 15", None), (2019, 2019), ("", None)],
)
def test_year(value: object, expected: int | None) -> None:
    assert norm.year(value) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kogge, P.", "Kogge, P."),
        ("P. Kogge", "Kogge, P."),
        ("Phillips J.C.", "Phillips, J.C."),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("Prof. Dr. Janusz Kacprzyk", "Kacprzyk, Janusz"),
        ("Plato", "Plato"),
    ],
)
def test_author_names_become_family_given(name: str, expected: str) -> None:
    assert norm.author_name(name) == expected


def test_run_together_names_are_split() -> None:
    value = "Araz R. AlievNigar T. IsmayilovaProf. Martine De CockJohn MacDonald"
    assert norm.split_run_together(value) == [
        "Aliev, Araz R.",
        "Ismayilova, Nigar T.",
        "De Cock, Martine",
        "MacDonald, John",
    ]


def test_split_list_folds_repeats() -> None:
    assert norm.split_list("a; b ;A;; c") == ["a", "b", "c"]
    assert norm.pages("61 - 74") == "61-74"
    assert norm.pages("413--425") == "413-425"
    assert norm.pages("1781", "1802") == "1781-1802"
