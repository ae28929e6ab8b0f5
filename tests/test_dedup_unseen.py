"""The failure classes seen on duplicate sets the engine was not built on, each pinned by a
few hand-written records: recurring titles, chained groups, author order, character
references, venue names."""

from __future__ import annotations

from typing import Any

from metasummary.dedup import Label, build_entries, find_duplicates
from metasummary.dedup.acronyms import venue_ids
from metasummary.dedup.blocking import candidate_pairs
from metasummary.dedup.classify import classify
from metasummary.dedup.compare import compare
from metasummary.dedup.entry import make_entry
from metasummary.dedup.venues import VenueMatch
from metasummary.models import RecordData
from tests.dedupdata import other

# A conference paper as DBLP and the ACM DL export it: no DOI, no pages.
DBLP: dict[str, Any] = {
    "title": "Preference SQL - Design, Implementation, Experiences",
    "authors": ["Werner Kießling", "Gerhard Köstler"],
    "year": 2002,
    "venue": "VLDB",
}
ACM: dict[str, Any] = {
    "title": "Preference SQL: design, implementation, experiences",
    "authors": ["Köstler, Gerhard", "Kie&#946;ling, Werner"],
    "year": 2002,
    "venue": "Proceedings of the 28th International Conference on Very Large Data Bases",
    "type": "inproceedings",
}


def record(base: dict[str, Any], **changes: Any) -> RecordData:
    return RecordData(**{**base, **changes})


def label(a: RecordData, b: RecordData) -> Label:
    found = compare(make_entry(1, a), make_entry(2, b))
    return classify(found).label if found else Label.DISTINCT


def run(records: list[RecordData]) -> tuple[list[list[int]], dict[tuple[int, int], Label]]:
    entries = build_entries(enumerate(records))
    outcome = find_duplicates(entries, workers=1)
    groups = sorted(sorted(int(entries[i].key) for i in g) for g in outcome.groups)  # type: ignore[call-overload]
    labels = {(m.i, m.j): m.verdict.label for m in outcome.matches}
    return groups, labels


# -- authors as a set -------------------------------------------------------------------------


def test_authors_in_another_order_with_a_character_reference_are_one_paper() -> None:
    assert label(record(DBLP), record(ACM)) is Label.DUPLICATE


def test_blocking_does_not_depend_on_author_order() -> None:
    # Titles differ at both ends, so only the authors can bring the two together.
    a = record(DBLP, title="Preference SQL design implementation and experiences of a system")
    b = record(ACM, title="The Preference SQL system: design and implementation experiences")
    entries = build_entries(enumerate([a, b, *(other(n) for n in range(30))]))
    assert 0 * len(entries) + 1 in candidate_pairs(entries)


def test_umlauts_spelled_out_and_a_beta_for_eszett_are_the_same_name() -> None:
    boehm = record(DBLP, authors=["Boehm, Klemens", "Kiessling, Werner"], venue="")
    other_spelling = record(DBLP, authors=["Kie&#946;ling, W.", "B&#246;hm, K."], venue="")
    assert label(boehm, other_spelling) is Label.DUPLICATE


# -- venues ---------------------------------------------------------------------------------


def test_venue_abbreviations_and_acronyms_name_one_venue() -> None:
    sigmod = [
        "SIGMOD Conference",
        "Proc. ACM SIGMOD",
        "International Conference on Management of Data",
        "Proceedings of the 2001 ACM SIGMOD International Conference on Management of Data",
    ]
    assert all("sigmod" in venue_ids(v) for v in sigmod)
    assert "vldb" in venue_ids("Very Large Data Bases")
    assert "icse" in venue_ids("ICSE '09")
    assert venue_ids("Pediatric Nephrology") == frozenset()
    a = make_entry(1, record(DBLP, venue="SIGMOD Conference"))
    b = make_entry(2, record(ACM, venue="International Conference on Management of Data"))
    found = compare(a, b)
    assert found is not None
    assert found.venue is VenueMatch.SIMILAR


def test_a_venue_mismatch_alone_does_not_keep_apart_title_year_and_author_set() -> None:
    a = record(DBLP, title=ACM["title"], venue="Data Engineering Bulletin", type="article")
    b = record(ACM, venue="Journal of Things", type="article")
    assert label(a, b) is Label.DUPLICATE
    # A journal extension of a conference paper is still a version, not a duplicate.
    journal = record(ACM, venue="VLDB Journal", type="article", pages="100-130")
    conference = record(ACM, pages="1-12")
    assert label(journal, conference) is Label.VERSION


# -- recurring titles -------------------------------------------------------------------------


def column(title: str, year: int, **changes: Any) -> RecordData:
    base = {"title": title, "authors": ["Straub, Detmar"], "year": year}
    return RecordData(**{**base, "venue": "MIS Quarterly", "type": "article", **changes})


def test_an_editors_column_in_every_issue_of_a_volume_is_not_one_paper() -> None:
    issues = [column("Editor's Comments", 2008, volume="32", issue=str(n)) for n in range(1, 5)]
    groups, _ = run(issues)
    assert groups == []


def test_a_column_of_several_years_is_not_chained_into_one_group() -> None:
    years = [1998, 2000, 2001, 2002, 2003]
    records = [
        column("Reminiscences on influential papers", year, venue="SIGMOD Record") for year in years
    ]
    groups, _ = run(records)
    assert groups == []


def test_a_title_seen_on_different_items_of_one_venue_needs_its_pages() -> None:
    # A tutorial and a paper of the same title and authors in one proceedings: the data show
    # the title recurring there, so only the same pages (or a DOI) could link them.
    proceedings = "Proceedings of the 2005 ACM SIGMOD International Conference"
    talk = {"title": "Data integration: a status report", "authors": ["Halevy, Alon"]}
    tutorial = RecordData(**talk, year=2005, venue=proceedings, pages="5-6")
    paper = RecordData(**talk, year=2005, venue=proceedings, pages="612-623")
    no_pages = RecordData(**talk, year=2005, venue=proceedings)
    groups, labels = run([tutorial, paper, no_pages])
    assert groups == []
    assert labels.get((0, 1), Label.DISTINCT) is Label.DISTINCT
    assert labels[(0, 2)] is Label.MAYBE  # the copy without pages goes to a reviewer


def test_special_issue_and_special_section_introductions_are_kept_apart() -> None:
    a = column("Special issue on software analytics", 2014, venue="IEEE Software", issue="4")
    b = column("Special section on software analytics", 2014, venue="IEEE Software", issue="")
    assert label(a, b) is not Label.DUPLICATE
    # The same column with its volume, issue and pages is one item.
    c = column("Editor's Comments", 2008, volume="32", issue="1", pages="3-5")
    same = column("Editor's comments", 2008, volume="32", issue="1", pages="3-5")
    assert label(c, same) is Label.DUPLICATE


# -- groups ---------------------------------------------------------------------------------


def test_a_chain_never_links_what_its_ends_refuse_and_the_cut_goes_to_review() -> None:
    # Online first 2004, print 2005, a reprint 2006: each step one year, the ends two apart.
    base = {"title": "Mining version histories to guide software changes", "venue": "TSE"}
    authors = ["Zimmermann, T", "Weissgerber, P", "Diehl, S", "Zeller, A"]
    records = [
        RecordData(**base, authors=authors, year=2004, volume="31", pages="429-445"),
        RecordData(**base, authors=authors, year=2005, volume="31", pages="429-445"),
        RecordData(**base, authors=authors, year=2006, volume="31", pages="429-445"),
    ]
    groups, labels = run(records)
    assert all(
        max(records[k].year or 0 for k in g) - min(records[k].year or 0 for k in g) <= 1
        for g in groups
    )
    assert groups  # the strongest pair is still linked
    assert Label.MAYBE in labels.values()  # the cut pair waits for a reviewer


def test_different_issues_of_one_volume_never_share_a_group() -> None:
    title = "A replication study of code review effectiveness in open source projects"
    base = {"title": title, "authors": ["Rigby, P"], "year": 2014, "venue": "EMSE"}
    records = [
        RecordData(**base, volume="19", issue="2", pages="100-130"),
        RecordData(**base),  # no locators: could be either
        RecordData(**base, volume="19", issue="5", pages="900-930"),
    ]
    groups, _ = run(records)
    assert not any({0, 2} <= set(g) for g in groups)


# -- author lists as written ----------------------------------------------------------------


def test_a_list_of_whole_names_between_commas_is_several_authors() -> None:
    from metasummary.dedup.names import split_authors

    assert split_authors("Yong Yao, Johannes Gehrke") == ["Yong Yao", "Johannes Gehrke"]
    assert split_authors("M. Ouzzani, M. A. Atroun, N. L. Belkhodja") == [
        "M. Ouzzani",
        "M. A. Atroun",
        "N. L. Belkhodja",
    ]
    # A comma between family and given names is one person.
    for one in ["Zipfel, P. F.", "Smith, John", "van den Brule, Adriaan J. C.", "Le Quintrec, M."]:
        assert split_authors(one) == [one]
