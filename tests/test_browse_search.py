"""The records list's search through the full-text index, and its sorted and deep pages, on
both engines."""

from __future__ import annotations

from collections.abc import Callable
from itertools import product
from typing import Any

import pytest
import sqlalchemy as sa

from metasummary import Project, RecordData
from metasummary.browse import RecordQuery, SortKey
from metasummary.browse.search import TextSearch, term_phrase
from metasummary.store import recordsearch
from metasummary.store.schema import records
from tests.reviewdata import Review, build_review, review_protocol


@pytest.fixture
def review(make_project: Callable[..., Project], db_url: str) -> Review:
    return build_review(make_project(review_protocol(), db=db_url))


@pytest.fixture
def indexed(review: Review) -> Review:
    assert review.project.query.ensure_index()
    return review


def ids(review: Review, **query: Any) -> list[int]:
    return [row.id for row in review.project.browser.page(RecordQuery(**query)).rows]


def search(review: Review, text: str) -> tuple[TextSearch | None, list[int]]:
    page = review.project.browser.page(RecordQuery(text=text, per_page=200))
    return page.search, [row.id for row in page.rows]


def test_term_phrase_keeps_words_in_order_and_the_last_one_open() -> None:
    phrase = term_phrase("10.1145/Kästner-")
    assert phrase is not None
    assert phrase.tokens == ("10", "1145", "kastner")
    assert phrase.prefix == (False, False, True)
    assert term_phrase("&") is None


def test_without_the_index_every_record_is_read(review: Review) -> None:
    assert search(review, "quirements") == (TextSearch.SCAN, [review.acm[2]])  # inside a word
    assert review.project.browser.page(RecordQuery()).search is None


def test_search_finds_word_beginnings_in_the_index(indexed: Review) -> None:
    review = indexed
    assert search(review, "requirement") == (TextSearch.INDEX, [review.acm[2]])
    assert search(review, "REQUIREMENTS ai") == (TextSearch.INDEX, [review.acm[2]])
    assert search(review, "quirements") == (TextSearch.INDEX, [])  # not inside a word
    assert search(review, "requirements & ai")[1] == [review.acm[2]]  # punctuation left out
    assert search(review, "machine 2")[1] == [review.ieee[2], review.duplicate]
    # Counted in the index alone, or with the other filters.
    assert review.project.browser.page(RecordQuery(text="machine")).total == 8
    assert review.project.browser.page(RecordQuery(text="machine", source="ACM")).total == 1


def test_search_finds_authors_and_dois(indexed: Review) -> None:
    review = indexed
    assert search(review, "author3")[1] == [review.ieee[3]]
    assert search(review, "Author3, A.")[1] == [review.ieee[3]]
    assert search(review, "10.1000/ieee.5")[1] == [review.ieee[5]]
    assert search(review, "ieee.5")[1] == [review.ieee[5]]
    assert search(review, "10.1000/ieee.")[1] == sorted([*review.ieee, review.duplicate])
    # Inner words are whole words: "100" is not "1000".
    assert search(review, "100/ieee.5")[1] == []


def test_search_folds_case_and_accents_and_follows_changes(indexed: Review) -> None:
    review = indexed
    (added,) = review.project.add_records(
        "ACM", [RecordData(title="Über Anforderungen", authors=["Kästner, C."], doi="10.9/X.1")]
    )
    assert search(review, "kastner")[1] == [added]
    assert search(review, "uber anforder")[1] == [added]
    assert search(review, "10.9/x")[1] == [added]
    with review.project.store.write() as conn:
        conn.execute(
            records.update()
            .where(records.c.id == added)
            .values(authors=["Apel, S."], doi="10.9/Y.2")
        )
    assert search(review, "kastner")[1] == []
    assert search(review, "apel 10.9/y.2")[1] == [added]


def test_the_query_still_searches_title_abstract_and_keywords(indexed: Review) -> None:
    from metasummary.store import fulltext
    from metasummary.store.fulltext import Clause, Filter, Phrase

    author = Filter(clauses=(Clause((Phrase(("author3",), (False,)),)),))
    doi = Filter(clauses=(Clause((Phrase(("ieee", "5"), (False, False)),)),))
    title = Filter(clauses=(Clause((Phrase(("requirements",), (False,)),)),))
    with indexed.project.store.read() as conn:
        assert fulltext.record_ids(conn, author) == []
        assert fulltext.record_ids(conn, doi) == []
        assert fulltext.record_ids(conn, title) == [indexed.acm[2]]


def all_pages(review: Review, per_page: int, **query: Any) -> list[int]:
    first = review.project.browser.page(RecordQuery(per_page=per_page, **query))
    found = [row.id for row in first.rows]
    for number in range(2, first.pages + 1):
        found += ids(review, per_page=per_page, page=number, **query)
    return found


def test_pages_read_from_the_end_keep_the_order(
    indexed: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    for sort, descending, text in product(SortKey, [False, True], ["", "machine", "a"]):
        query: dict[str, Any] = {"sort": sort, "descending": descending, "text": text}
        whole = ids(indexed, per_page=200, **query)
        assert all_pages(indexed, 5, **query) == whole, query
        assert all_pages(indexed, 3, **query) == whole, query
        with monkeypatch.context() as patch:
            patch.setattr(recordsearch, "BROAD_SEARCH", 1)  # tested while read in order
            assert all_pages(indexed, 5, **query) == whole, query


def test_title_order_and_its_sort_key(review: Review) -> None:
    review.project.add_records("ACM", [RecordData(title="apples"), RecordData(title="ZEBRAS")])
    rows = review.project.browser.page(RecordQuery(sort=SortKey.TITLE, per_page=200)).rows
    titles = [row.title.lower() for row in rows]
    assert titles == sorted(titles)
    with review.project.store.read() as conn:
        pairs = conn.execute(sa.select(records.c.title, records.c.title_sort)).all()
    assert all(key == title.lower() for title, key in pairs)


def test_a_page_past_the_end_is_empty(indexed: Review) -> None:
    page = indexed.project.browser.page(RecordQuery(per_page=5, page=4))
    assert (page.total, page.rows) == (12, [])
    assert ids(indexed, text="machine", per_page=5, page=3) == []
