"""The records list and the record page, on both engines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from metasummary import InputError, Phase, Project, RecordState, Verdict
from metasummary.browse import DuplicateFilter, RecordQuery, SortKey
from metasummary.errors import NotFoundError
from tests.reviewdata import Review, build_review, link_duplicate, review_protocol, vote

TA = Phase.TITLE_ABSTRACT
FT = Phase.FULL_TEXT


@pytest.fixture
def review(make_project: Callable[..., Project], db_url: str) -> Review:
    return build_review(make_project(review_protocol(), db=db_url))


def ids(review: Review, **query: Any) -> list[int]:
    return [row.id for row in review.project.browser.page(RecordQuery(**query)).rows]


def test_default_page_lists_every_record_in_order(review: Review) -> None:
    page = review.project.browser.page(RecordQuery())
    assert page.total == 12
    assert [r.id for r in page.rows] == sorted(review.ieee + review.acm)
    first = page.rows[0]
    assert first.source == "IEEE"
    assert first.authors == ["Author0, A."]
    assert first.states == {"title-abstract": "included", "full-text": "undecided"}


def test_states_follow_the_decision_rules(review: Review) -> None:
    rows = {r.id: r for r in review.project.browser.page(RecordQuery()).rows}
    assert rows[review.canonical].states["title-abstract"] == RecordState.CONFLICT
    # The duplicate shares its group's state and size.
    assert rows[review.duplicate].states["title-abstract"] == RecordState.CONFLICT
    assert rows[review.duplicate].group_size == rows[review.canonical].group_size == 2
    assert rows[review.ieee[3]].states["title-abstract"] == RecordState.UNDECIDED  # retracted
    assert rows[review.ieee[4]].states == {"title-abstract": "included", "full-text": "included"}
    assert rows[review.ieee[5]].states["full-text"] == RecordState.NOT_ELIGIBLE


def test_filter_by_phase_state(review: Review) -> None:
    assert ids(review, states={TA: RecordState.INCLUDED}) == [review.ieee[0], review.ieee[4]]
    assert ids(review, states={TA: RecordState.CONFLICT}) == [review.canonical, review.duplicate]
    undecided = ids(review, states={TA: RecordState.UNDECIDED})
    assert undecided == sorted([review.ieee[i] for i in (1, 3, 5, 6, 7)] + review.acm[1:])
    assert ids(review, states={FT: RecordState.UNDECIDED}) == [review.ieee[0]]
    assert len(ids(review, states={FT: RecordState.NOT_ELIGIBLE})) == 10
    both = ids(review, states={TA: RecordState.INCLUDED, FT: RecordState.INCLUDED})
    assert both == [review.ieee[4]]
    assert ids(review, states={TA: RecordState.EXCLUDED}) == []


def test_filters_combine(review: Review) -> None:
    assert ids(review, source="ACM") == review.acm
    assert ids(review, source="ACM", duplicates=DuplicateFilter.DUPLICATE) == [review.duplicate]
    grouped = ids(review, duplicates=DuplicateFilter.GROUPED)
    assert grouped == [review.canonical, review.duplicate]
    assert len(ids(review, duplicates=DuplicateFilter.CANONICAL)) == 11
    assert len(ids(review, duplicates=DuplicateFilter.UNIQUE)) == 10
    assert ids(review, year_from=2021, year_to=2022) == [
        review.ieee[6],
        review.ieee[7],
        review.acm[2],
    ]
    assert ids(review, text="SCRIPT") == [review.script]
    assert ids(review, text="ieee.5") == [review.ieee[5]]  # the DOI
    assert ids(review, text="author3") == [review.ieee[3]]
    assert ids(review, text="machine 2") == [review.ieee[2], review.duplicate]
    assert ids(review, text="100%") == []  # LIKE wildcards are plain characters


def test_sort_and_pages(review: Review) -> None:
    by_year = ids(review, sort=SortKey.YEAR)
    assert by_year[-1] == review.acm[3]  # no year: last
    assert ids(review, sort=SortKey.YEAR, descending=True)[-1] == review.acm[3]
    titles = [
        r.title.lower() for r in review.project.browser.page(RecordQuery(sort=SortKey.TITLE)).rows
    ]
    assert titles == sorted(titles)
    assert ids(review, sort=SortKey.SOURCE)[:8] == review.ieee
    page = review.project.browser.page(RecordQuery(per_page=5, page=3))
    assert (page.total, page.pages, len(page.rows)) == (12, 3, 2)
    assert [r.id for r in page.rows] == sorted(review.ieee + review.acm)[10:]


def test_bad_queries_are_input_errors(review: Review) -> None:
    with pytest.raises(InputError, match="no such source"):
        review.project.browser.page(RecordQuery(source="Scopus"))
    with pytest.raises(InputError, match="first year is after"):
        RecordQuery(year_from=2020, year_to=2010)
    with pytest.raises(InputError, match="per_page"):
        RecordQuery(per_page=1000)
    with pytest.raises(InputError, match="eligible"):
        RecordQuery(states={TA: RecordState.NOT_ELIGIBLE})


def test_record_detail_has_provenance_group_and_history(review: Review) -> None:
    detail = review.project.browser.detail(review.duplicate)
    assert detail.canonical_id == review.canonical
    assert [m.id for m in detail.group] == [review.canonical, review.duplicate]
    assert [(d.record_id, d.reviewer, d.verdict) for d in detail.decisions] == [
        (review.canonical, "R1", "exclude"),
        (review.duplicate, "R2", "include"),
    ]
    assert detail.decisions[0].criteria == ["E1"]
    assert detail.states["title-abstract"] == RecordState.CONFLICT
    assert detail.provenance.source == "ACM"
    assert detail.provenance.batch is None

    ieee = review.project.browser.detail(review.ieee[3])
    assert ieee.provenance.batch is not None
    assert ieee.provenance.batch.file_name == "ieee-export.ris"
    assert (ieee.provenance.entry_index, ieee.provenance.entry_line) == (3, 31)
    assert ieee.group == []
    assert [d.kind for d in ieee.decisions] == ["vote", "retraction"]
    with pytest.raises(NotFoundError):
        review.project.browser.detail(99999)


def test_chained_duplicates_resolve_to_one_group(review: Review) -> None:
    # A duplicate of a duplicate: the list still treats the chain as one group.
    link_duplicate(review.project, review.acm[1], review.duplicate)
    vote(review.project, review.acm[1], Verdict.MAYBE, reviewer="R2")
    rows = {r.id: r for r in review.project.browser.page(RecordQuery()).rows}
    assert rows[review.acm[1]].group_size == 3
    assert rows[review.acm[1]].states["title-abstract"] == RecordState.CONFLICT
    conflict = ids(review, states={TA: RecordState.CONFLICT})
    assert conflict == [review.canonical, review.duplicate, review.acm[1]]
    detail = review.project.browser.detail(review.acm[1])
    assert detail.canonical_id == review.canonical
    assert len(detail.group) == 3


def test_choices(review: Review) -> None:
    choices = review.project.browser.choices()
    assert [s.name for s in choices.sources] == ["IEEE", "ACM"]
    assert (choices.year_min, choices.year_max) == (2015, 2022)
    assert RecordState.NOT_ELIGIBLE not in choices.phases["title-abstract"]
    assert RecordState.NOT_ELIGIBLE in choices.phases["full-text"]


def test_state_filters_follow_every_change(review: Review) -> None:
    included = {TA: RecordState.INCLUDED}
    assert ids(review, states=included) == [review.ieee[0], review.ieee[4]]
    vote(review.project, review.ieee[6], Verdict.INCLUDE)
    assert ids(review, states=included) == [review.ieee[0], review.ieee[4], review.ieee[6]]
    # A new duplicate link moves a record into a decided group.
    link_duplicate(review.project, review.acm[2], review.ieee[0])
    assert review.acm[2] in ids(review, states=included)
    assert review.acm[2] not in ids(review, states={TA: RecordState.UNDECIDED})
