"""Markup decoded at import, whichever reader read the file: entities, tags, LaTeX, "Abstract"."""

from __future__ import annotations

import pytest

from metasummary.models import RecordData
from metasummary.sources import ReadOptions, decode, format_named, read, sniff
from metasummary.sources.normalise import decode_abstract, decode_markup, split_list


def records(text: str) -> list[RecordData]:
    doc = decode(text.encode("utf-8"), "f")
    return [r for r in read(doc, sniff(doc)) if isinstance(r, RecordData)]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("B&#246;hm", "Böhm"),  # a decimal character reference
        ("Kie&#xDF;ling", "Kießling"),  # a hexadecimal one
        ("Kie&amp;#223;ling", "Kießling"),  # encoded twice on its way
        ("Memory &amp; communication", "Memory & communication"),
        ("&lt;span&gt;AI&lt;/span&gt; in <i>vivo</i>", "AI in vivo"),  # tags, some encoded
        ("p &lt; .001 and a<b", "p < .001 and a<b"),  # a comparison is not a tag
        ("{USDL}: a service description language", "USDL: a service description language"),
        ("M{\\\"u}ller and Par\\'{a}k", "Müller and Parák"),
        ("R & D and {50%} of it", "R & D and 50% of it"),
        ("Plain text stays", "Plain text stays"),
    ],
)
def test_markup_is_decoded(raw: str, clean: str) -> None:
    assert decode_markup(raw) == clean


def test_a_leading_abstract_word_goes_but_abstract_interpretation_stays() -> None:
    assert decode_abstract("Abstract Cloud service description (CSD) ...") == (
        "Cloud service description (CSD) ..."
    )
    assert decode_abstract("Abstract: The main goal") == "The main goal"
    assert decode_abstract("Abstract interpretation is a theory") == (
        "Abstract interpretation is a theory"
    )


def test_entities_are_decoded_before_a_list_is_split_at_semicolons() -> None:
    assert split_list("B&#246;hm, K.; Kie&#223;ling, W.", ";") == ["Böhm, K.", "Kießling, W."]


RIS = """TY  - JOUR
TI  - Preference SQL &amp; the {USDL} &lt;i&gt;language&lt;/i&gt;
AU  - Kie&#223;ling, Werner
AU  - B&#246;hm, Klemens
T2  - Proc. ACM SIGMOD
PY  - 2001
AB  - Abstract We show how ...
ER  -
"""

CSV = """Title,Authors,Year,Source title
"Preference SQL","Kie&#223;ling, Werner; B&#246;hm, Klemens",2001,"SIGMOD Conference"
"""


def test_every_reader_hands_back_clean_fields_and_keeps_the_raw_entry() -> None:
    (ris,) = records(RIS)
    assert ris.title == "Preference SQL & the USDL language"
    assert ris.authors == ["Kießling, Werner", "Böhm, Klemens"]
    assert ris.abstract == "We show how ..."
    assert "Kie&#223;ling" in ris.raw  # provenance: the entry as it stood in the file


def test_a_csv_author_list_with_character_references_keeps_its_names_whole() -> None:
    doc = decode(CSV.encode("utf-8"), "f.csv")
    columns = {"title": "Title", "authors": "Authors", "year": "Year", "venue": "Source title"}
    (record,) = [
        r for r in read(doc, format_named("csv"), ReadOptions(columns)) if isinstance(r, RecordData)
    ]
    assert record.authors == ["Kießling, Werner", "Böhm, Klemens"]
