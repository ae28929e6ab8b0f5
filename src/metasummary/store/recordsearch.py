"""The records list's search conditions: text scanned for, or words looked up in the index.

A scan reads every record and finds a term anywhere in the title, abstract, authors or DOI.
A lookup finds phrases in the full-text index (``fulltext.py``), planned by the number of
matches, known first: neither engine can estimate how many records a word beginning
matches. A few matches are fetched first and then sorted (on PostgreSQL an ``ARRAY(...)``
keeps the planner from walking the whole list in order, hoping to meet them soon); many are
tested while the list is read in order (on SQLite, sorted by title, through the title index
instead of sorting them all).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from metasummary.store import fulltext
from metasummary.store.fulltext import Clause, Filter, Phrase
from metasummary.store.schema import records

SEARCH_FIELDS = ("title", "abstract", "authors", "doi", "fulltext")
"""The fields the list's search looks in: all of them in the index, all but the full text
by a scan."""
BROAD_SEARCH = 2_000
"""Matches from which they are tested while the list is read in order (see above)."""


def _contains(column: sa.ColumnElement[Any], term: str, dialect: str) -> sa.ColumnElement[bool]:
    # SQLite's LIKE ignores ASCII case already; ILIKE would wrap both sides in lower().
    if dialect == "sqlite":
        return column.contains(term, autoescape=True)
    return column.icontains(term, autoescape=True)


def scanned(term: str, dialect: str) -> sa.ColumnElement[bool]:
    """Records holding ``term`` (case-insensitively) in one of the fields."""
    return sa.or_(
        _contains(records.c.title, term, dialect),
        _contains(records.c.abstract, term, dialect),
        _contains(records.c.doi, term, dialect),
        _contains(sa.cast(records.c.authors, sa.Text), term, dialect),
    )


def words_filter(phrases: Sequence[Phrase]) -> Filter:
    """Each phrase in one of the fields."""
    return Filter(clauses=tuple(Clause((p,), SEARCH_FIELDS) for p in phrases))


def looked_up(
    conn: sa.Connection,
    phrases: Sequence[Phrase],
    *,
    sort: str | None = None,
    total: int | None = None,
) -> sa.ColumnElement[bool]:
    """Records holding every phrase, planned for a page of ``total`` matches in ``sort``
    order (left to the engine without them)."""
    ids = fulltext.matching_ids(conn, words_filter(phrases))
    if total is None:
        return records.c.id.in_(ids)
    if total < BROAD_SEARCH and conn.dialect.name == "postgresql":
        return records.c.id == sa.any_(sa.func.array(ids.scalar_subquery()))
    if total >= BROAD_SEARCH and conn.dialect.name == "sqlite" and sort == "title":
        # "id + 0" is no column to SQLite: it cannot fetch the matches by id, so it tests
        # each row it reads in the title index against them.
        return (records.c.id + 0).in_(ids)
    return records.c.id.in_(ids)


def count_looked_up(conn: sa.Connection, phrases: Sequence[Phrase]) -> int:
    """Records holding every phrase, counted in the index alone."""
    return fulltext.count_matching(conn, words_filter(phrases))
