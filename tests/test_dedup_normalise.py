"""Normalising the fields the dedup engine compares."""

from __future__ import annotations

import pytest

from metasummary.dedup.entry import clean_title, notice_kind
from metasummary.dedup.locators import (
    Agreement,
    compare_pages,
    normalise_doi,
    normalise_number,
    normalise_pages,
)
from metasummary.dedup.names import author_similarity, parse_name, parse_names, split_authors
from metasummary.dedup.text import fold, fold_spelling
from metasummary.dedup.venues import (
    VenueKind,
    VenueMatch,
    compare_venues,
    venue_kind,
    venue_tokens,
)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Müller &amp; <i>In vivo</i> β-cells", "muller and in vivo beta cells"),
        (r"M{\"u}ller \textit{et} $\alpha$", "muller et alpha"),
        ("Æsthetics — “quoted”: ÉTUDE", "aesthetics quoted etude"),
        ("", ""),
    ],
)
def test_fold_removes_markup_accents_case_and_punctuation(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_spelling_folding_makes_british_and_american_alike() -> None:
    assert fold_spelling("haemolytic uraemic oesophagus") == fold_spelling(
        "hemolytic uremic esophagus"
    )


def test_clean_title_drops_medline_notes_and_trailing_tags() -> None:
    raw = "Eculizumab for aHUS.[Erratum appears in N Engl J Med. 2009;360:2487 [added]]"
    assert fold(clean_title(raw)) == "eculizumab for ahus"
    assert fold(clean_title("[Clinical aspects of complement]. [Japanese]")) == (
        "clinical aspects of complement"
    )
    assert clean_title("Trial results (Part 2)") == "Trial results (Part 2)"  # numbers stay


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Erratum: Severe deficiency of protease", "erratum"),
        ("Correction to: A study of things", "erratum"),
        ("Correction of severe scoliosis in adults", ""),
        ("Notice of Retraction: Deep nets", "retraction"),
        ("Atypical HUS and streptococcus - Reply", "comment"),
        ("Thrombomodulin in aHUS AUTHORS REPLY", "comment"),
        ("Response to treatment in children", ""),
        ("Invited commentary: is monitoring ready?", "comment"),
    ],
)
def test_notices_are_told_from_papers(title: str, kind: str) -> None:
    assert notice_kind(title) == kind


@pytest.mark.parametrize(
    "form",
    ["Zipfel, P. F.", "Zipfel PF", "P. F. Zipfel", "Zipfel, P F", "ZIPFEL, P.F."],
)
def test_author_forms_agree(form: str) -> None:
    name = parse_name(form)
    assert name is not None
    assert (name.family, name.initials) == ("zipfel", "pf")


def test_particles_suffixes_and_groups() -> None:
    a, b = parse_name("van den Brule, A J C"), parse_name("Brule, A. J. C. van den")
    assert a is not None
    assert b is not None
    assert a.family == "brule"
    wright = parse_name("Wright Jr., T C")
    assert wright is not None
    assert wright.family == "wright"
    assert parse_name("ALTS Study Group") is None
    assert split_authors("Zuna, R E and Wang, S S") == ["Zuna, R E", "Wang, S S"]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (["Lopez, Rubio M.", "Morado, M."], ["Rubio, M. L.", "Morado, M."]),  # swapped
        (["Macedo Barcelos, A C", "Adad, S J"], ["Barcelos, A C", "Adad, S J"]),  # compound
        (["Waldstrom, M", "Ornskov, D"], ["Waldstrom, M", "Omskov, D"]),  # OCR slip
        (["Zhao, C", "Austin, R M"], ["Zhao, C", "Austin, M"]),  # a first name lost
    ],
)
def test_author_lists_match_despite_export_quirks(left: list[str], right: list[str]) -> None:
    found = author_similarity(parse_names(left), parse_names(right))
    assert found is not None
    assert (found.share, found.first) == (1.0, True)


def test_different_people_do_not_match() -> None:
    result = author_similarity(
        parse_names(["Wang, S", "Lee, K"]), parse_names(["Wang, J", "Li, K"])
    )
    assert result is not None
    assert result.share == 0.0
    assert author_similarity(parse_names([]), parse_names(["Wang, J"])) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("J Am Soc Nephrol", "Journal of the American Society of Nephrology"),
        ("Journal of Thrombosis and Haemostasis", "J Thromb Haemost"),
        ("J Natl Cancer Inst", "Journal of the National Cancer Institute"),
        ("JAMA", "Journal of the American Medical Association"),
        (
            "Cancer Epidemiology, Biomarkers & Prevention",
            "Cancer Epidemiology Biomarkers and Prevention",
        ),
        ("Infectious Agents & Cancer [Electronic Resource]", "Infectious Agents and Cancer"),
        ("Scandinavian Journal of Immunology.Conference: 5th Meeting", "Scand J Immunol"),
    ],
)
def test_venue_abbreviations_match(a: str, b: str) -> None:
    match = compare_venues(venue_tokens(a), venue_tokens(b), VenueKind.JOURNAL, VenueKind.JOURNAL)
    assert match in (VenueMatch.SAME, VenueMatch.SIMILAR)


def test_different_venues_and_kinds() -> None:
    a, b = venue_tokens("Pediatric Nephrology"), venue_tokens("Kidney International")
    assert compare_venues(a, b, VenueKind.JOURNAL, VenueKind.JOURNAL) is VenueMatch.DIFFERENT
    assert compare_venues(a, (), VenueKind.JOURNAL, VenueKind.OTHER) is VenueMatch.UNKNOWN
    assert venue_kind("Proceedings of ICSE 2019", "") is VenueKind.CONFERENCE
    assert venue_kind("Information and Software Technology", "article") is VenueKind.JOURNAL
    assert venue_kind("arXiv", "misc") is VenueKind.PREPRINT
    assert venue_kind("Lecture Notes in Computer Science", "article") is VenueKind.CONFERENCE


def test_dois_volumes_and_pages() -> None:
    assert normalise_doi("https://doi.org/10.1016/J.X.2010.01.001.") == "10.1016/j.x.2010.01.001"
    assert normalise_doi("doi:10.1080/1097198X.2004 [doi]") == "10.1080/1097198x.2004"
    assert normalise_doi("no doi") == ""
    assert normalise_number("0012") == "12"
    assert normalise_number("Suppl 8") == "s8"
    assert normalise_number("24 Suppl 3") == "24"
    assert normalise_pages("1844-59") == ("1844", "1859")
    assert normalise_pages("pp. 12–18") == ("12", "18")
    assert normalise_pages("532, 534-536, 538-540") == ("532", "540")
    assert normalise_pages("t-51") == ("", "51")


@pytest.mark.parametrize(
    ("a", "b", "agreement"),
    [
        ("1844-1859", "1844-59", Agreement.SAME),
        ("c37-c42", "37-42", Agreement.SAME),  # a letter prefix on one side
        ("2297-2108", "2097-2108", Agreement.SAME),  # a typo in the first page
        ("849-851", "t-51", Agreement.SAME),  # first page lost
        ("969-972", "a1754", Agreement.UNKNOWN),  # printed pages against an e-locator
        ("567-569", "569", Agreement.UNKNOWN),  # overlapping
        ("125-128", "2-8", Agreement.DIFFERENT),
        ("", "12-18", Agreement.UNKNOWN),
    ],
)
def test_page_agreement(a: str, b: str, agreement: Agreement) -> None:
    assert compare_pages(normalise_pages(a), normalise_pages(b)) is agreement
