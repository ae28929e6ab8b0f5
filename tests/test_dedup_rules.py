"""The verdict on one pair: duplicates found, guard rules honoured."""

from __future__ import annotations

from typing import Any

import pytest

from metasummary.dedup.classify import Label, Verdict, classify
from metasummary.dedup.compare import compare
from metasummary.dedup.entry import make_entry
from metasummary.models import RecordData
from tests.dedupdata import paper


def verdict(a: RecordData, b: RecordData) -> Verdict | None:
    comparison = compare(make_entry(1, a), make_entry(2, b))
    return classify(comparison) if comparison else None


def label(a: RecordData, b: RecordData) -> Label:
    found = verdict(a, b)
    return found.label if found else Label.DISTINCT


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"title": "Complement dysfunction in hemolytic uremic syndrome."},
        {"title": "COMPLEMENT DYSFUNCTION IN HAEMOLYTIC URAEMIC SYNDROME"},
        {"title": "Complement dysfunction in hemolytic uremic syndrom"},  # typo
        {"authors": ["Zipfel PF", "Skerka C", "Licht C"]},
        {"authors": ["P. F. Zipfel", "C. Skerka"]},  # list cut short
        {"venue": "Curr Opin Rheumatol", "pages": "548-55"},
        {"volume": "", "issue": "", "pages": ""},  # locators dropped, venue remains
        {"year": 2007},  # online first, print next year
        {"doi": "10.1097/01.bor.0000240369.68743.a8"},
    ],
)
def test_the_same_paper_as_exported_differently_is_a_duplicate(changes: dict[str, Any]) -> None:
    assert label(paper(), paper(**changes)) is Label.DUPLICATE


def test_same_doi_is_a_duplicate_whatever_else_differs() -> None:
    found = verdict(paper(doi="10.1000/abc", venue="X"), paper(doi="https://doi.org/10.1000/ABC"))
    assert found is not None
    assert (found.label, found.reason) == (Label.DUPLICATE, "same DOI")


def test_guard_different_dois() -> None:
    found = verdict(paper(doi="10.1000/one", pages=""), paper(doi="10.1000/two", pages=""))
    assert found is not None
    assert found.label is Label.MAYBE
    assert "different DOIs" in found.reason


def test_guard_year_gap_over_one() -> None:
    assert label(paper(), paper(year=2009, pages="", volume="")) is Label.DISTINCT
    # With the same volume and pages one year is a typo: a reviewer decides.
    assert label(paper(), paper(year=2009)) is Label.MAYBE


def test_guard_minitrack_introductions_of_different_years() -> None:
    intro = {
        "title": "Introduction to the Minitrack on Crowdsourcing and Digital Workforce",
        "authors": ["Deng, Xuefei", "Taylor, Joseph"],
        "venue": "Proceedings of the Hawaii International Conference on System Sciences",
        "type": "inproceedings",
        "volume": "",
        "issue": "",
        "pages": "",
    }
    a = paper(**intro, year=2021, doi="10.24251/HICSS.2021.510")
    b = paper(**intro, year=2022, doi="10.24251/HICSS.2022.544")
    assert label(a, b) is Label.DISTINCT


@pytest.mark.parametrize(
    "title",
    [
        "Erratum: Complement dysfunction in hemolytic uremic syndrome",
        "Complement dysfunction in hemolytic uremic syndrome - Reply",
        "Retraction notice: Complement dysfunction in hemolytic uremic syndrome",
    ],
)
def test_guard_notices_are_related_not_duplicates(title: str) -> None:
    found = verdict(paper(), paper(title=title, pages="1200", issue="9"))
    assert found is not None
    assert found.label is Label.RELATED


def test_a_notice_recorded_twice_is_still_a_duplicate() -> None:
    erratum = "Erratum: Complement dysfunction in hemolytic uremic syndrome"
    plain = "Complement dysfunction in hemolytic uremic syndrome"
    assert label(paper(title=erratum, pages="616"), paper(title=plain, pages="616")) is (
        Label.DUPLICATE
    )


def test_guard_conference_paper_and_journal_extension_are_versions() -> None:
    conference = paper(
        venue="Americas Conference on Information Systems",
        type="inproceedings",
        year=2011,
        volume="",
        issue="",
        pages="",
    )
    journal = paper(venue="Journal of Organizational Computing", year=2014, pages="138-156")
    found = verdict(conference, journal)
    assert found is not None
    assert (found.label, found.reason) == (
        Label.VERSION,
        "a conference paper and its journal version",
    )


def test_guard_preprint_and_publication_are_versions() -> None:
    preprint = paper(venue="arXiv", doi="10.48550/arXiv.2101.00001", volume="", pages="")
    assert label(preprint, paper(doi="10.1000/published")) is Label.VERSION


def test_guard_titles_differing_in_a_number() -> None:
    one = paper(title="Complement dysfunction in hemolytic uremic syndrome: part 1")
    two = paper(title="Complement dysfunction in hemolytic uremic syndrome: part 2", pages="")
    assert label(one, two) is not Label.DUPLICATE


def test_guard_short_common_titles_need_locators() -> None:
    a = paper(title="Editorial", authors=["Smith, J"], pages="1", volume="3")
    b = paper(title="Editorial", authors=["Smith, J"], pages="101", volume="3")
    assert label(a, b) is Label.DISTINCT
    assert label(a, paper(title="Editorial", authors=["Smith, J"], pages="1", volume="3")) is (
        Label.DUPLICATE
    )


def test_a_record_without_title_goes_to_review() -> None:
    assert label(paper(), paper(title="")) is Label.MAYBE


def test_same_title_different_authors_is_not_a_duplicate() -> None:
    assert label(paper(), paper(authors=["Brown, K", "Green, L"], pages="", volume="")) is (
        Label.DISTINCT
    )


def test_abstracts_on_one_page_with_different_titles_are_not_duplicates() -> None:
    a = paper(title="ASC-H: HPV status and histologic correlation", pages="81A", issue="")
    b = paper(title="HPV status and histologic follow up on women with ASC-H", pages="81A")
    assert label(a, b) is not Label.DUPLICATE


def test_score_is_between_zero_and_one_and_orders_evidence() -> None:
    exact = verdict(paper(), paper())
    weaker = verdict(paper(), paper(pages="", volume="", issue=""))
    assert exact is not None
    assert weaker is not None
    assert 0 <= weaker.score <= exact.score == 1.0


def test_a_doi_shared_by_a_whole_supplement_does_not_link_different_abstracts() -> None:
    a = paper(doi="10.1111/jth.2011.s2", title="Eculizumab in children: early results", pages="S12")
    b = paper(
        doi="10.1111/jth.2011.s2",
        title="Plasma exchange outcomes in adults with HUS",
        authors=["Other, A"],
        pages="S40",
    )
    assert label(a, b) is Label.MAYBE


def test_locators_shifted_into_the_wrong_fields_do_not_contradict() -> None:
    # One export put the volume in the issue field and the issue number in the pages.
    shifted = paper(volume="", issue="18", pages="5")
    assert label(paper(pages="548-548"), shifted) is Label.DUPLICATE
    assert label(paper(), paper(volume="18", issue="5", pages="900-910")) is not Label.DUPLICATE


def test_title_and_abstract_alone_can_confirm_a_duplicate() -> None:
    abstract = "We studied complement dysfunction in forty children over ten years. " * 3
    bare = {"authors": [], "year": None, "venue": "", "volume": "", "issue": "", "pages": ""}
    assert label(paper(**bare, abstract=abstract), paper(**bare, abstract=abstract)) is (
        Label.DUPLICATE
    )
    assert label(paper(**bare), paper(**bare)) is Label.MAYBE  # the title alone is not enough
