"""The records list: filtered, sorted and paged in SQL, so 100,000 records stay fast.

A page is read in two steps: the ids of the page (a narrow query that can run on indexes),
then the columns the list shows for those ids only. Phase-state filters arrive as sets of
group *keys*: a record's key is ``coalesce(duplicate_of, id)``, and the sets are closed
over whole groups, so "the key is in K" is "the id or ``duplicate_of`` is in K" — a form
both engines answer from the primary key and the ``duplicate_of`` index.

The page's query uses the count of matching records, known first: a page past the middle is
read from the end in reverse order (``OFFSET`` steps over fewer rows), and on SQLite a search
matching many records sorted by title walks the title index, testing each record against
the matches, instead of sorting them all (SQLite has no statistics to choose that itself).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import sqlalchemy as sa

from metasummary.store import fulltext
from metasummary.store.fulltext import Clause, Filter, Phrase
from metasummary.store.schema import records, sources

DuplicateState = Literal["all", "canonical", "duplicate", "grouped", "unique"]
SortColumn = Literal["id", "title", "year", "source"]

SNIPPET_CHARS = 300
SEARCH_FIELDS = ("title", "abstract", "authors", "doi")
"""The fields the list's search looks in (through the full-text index or by a scan)."""
BROAD_SEARCH = 2_000
"""Matches from which SQLite walks the title index rather than sort them (see above)."""


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What a record must match to be listed; every field narrows the list.

    ``terms`` must each appear (case-insensitively) in the title, abstract, authors or DOI,
    found by reading every record. ``phrases`` must each occur in one of those fields, found
    in the full-text index (which must be current: ``fulltext.index_current``).
    ``keys_in`` / ``keys_not_in`` restrict the group key; each must hold every key of the
    groups it names (see the module docstring).
    """

    terms: tuple[str, ...] = ()
    phrases: tuple[Phrase, ...] = ()
    source_id: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    duplicates: DuplicateState = "all"
    keys_in: IdSet | None = None
    keys_not_in: IdSet | None = None


@dataclass(frozen=True, slots=True)
class ListRow:
    """The columns the records list shows."""

    id: int
    source_id: int
    source: str
    title: str
    authors: list[str]
    year: int | None
    venue: str
    doi: str
    snippet: str
    duplicate_of: int | None


class IdSet:
    """Ids to filter by, written into the SQL as integers, once however often it is used.

    Sets of tens of thousands of ids pass no bound-parameter limit this way, and skip
    SQLAlchemy's per-value literal rendering, which costs more than the query. Statements
    holding one run with :data:`UNCACHED`, so each distinct list is not kept in the
    statement cache.
    """

    def __init__(self, values: Iterable[int]) -> None:
        self.values = frozenset(int(value) for value in values)

    def __len__(self) -> int:
        return len(self.values)

    def __bool__(self) -> bool:
        return bool(self.values)

    @cached_property
    def sql(self) -> str:
        return "(" + ",".join(str(value) for value in sorted(self.values)) + ")"


def in_ids(
    column: sa.ColumnElement[Any], ids: IdSet, *, negate: bool = False
) -> sa.ColumnElement[bool]:
    """``column IN (1,2,...)`` (or ``NOT IN``) for an :class:`IdSet`."""
    if not ids:
        return sa.true() if negate else sa.false()
    operator = "NOT IN" if negate else "IN"
    return column.op(operator, is_comparison=True)(sa.literal_column(ids.sql))


UNCACHED: dict[str, Any] = {"compiled_cache": None}


_linked = records.alias("linked")
_TARGETS = sa.select(_linked.c.duplicate_of).where(_linked.c.duplicate_of.is_not(None))
"""Records other records point at (built once: an alias is costly to set up per call)."""


def _contains(column: sa.ColumnElement[Any], term: str, dialect: str) -> sa.ColumnElement[bool]:
    # SQLite's LIKE ignores ASCII case already; ILIKE would wrap both sides in lower().
    if dialect == "sqlite":
        return column.contains(term, autoescape=True)
    return column.icontains(term, autoescape=True)


def _words(filt: ListFilter) -> Filter:
    return Filter(clauses=tuple(Clause((p,), SEARCH_FIELDS) for p in filt.phrases))


def _where(
    query: sa.Select[Any], filt: ListFilter, conn: sa.Connection, *, probe: bool = False
) -> sa.Select[Any]:
    """``query`` narrowed by ``filt``; with ``probe``, matches are only tested, not fetched."""
    dialect = conn.dialect.name
    for term in filt.terms:
        query = query.where(
            sa.or_(
                _contains(records.c.title, term, dialect),
                _contains(records.c.abstract, term, dialect),
                _contains(records.c.doi, term, dialect),
                _contains(sa.cast(records.c.authors, sa.Text), term, dialect),
            )
        )
    if filt.phrases:
        # "id + 0" is no column to SQLite, so it cannot fetch the matches by id: it tests each
        # row it reads in the order's index against them.
        column = records.c.id + 0 if probe else records.c.id
        query = query.where(column.in_(fulltext.matching_ids(conn, _words(filt))))
    if filt.source_id is not None:
        query = query.where(records.c.source_id == filt.source_id)
    if filt.year_from is not None:
        query = query.where(records.c.year >= filt.year_from)
    if filt.year_to is not None:
        query = query.where(records.c.year <= filt.year_to)
    if filt.duplicates == "canonical":
        query = query.where(records.c.duplicate_of.is_(None))
    elif filt.duplicates == "duplicate":
        query = query.where(records.c.duplicate_of.is_not(None))
    elif filt.duplicates == "grouped":
        query = query.where(sa.or_(records.c.duplicate_of.is_not(None), records.c.id.in_(_TARGETS)))
    elif filt.duplicates == "unique":
        query = query.where(records.c.duplicate_of.is_(None), records.c.id.not_in(_TARGETS))
    if filt.keys_in is not None:
        query = query.where(
            sa.or_(
                in_ids(records.c.id, filt.keys_in),
                in_ids(records.c.duplicate_of, filt.keys_in),
            )
        )
    if filt.keys_not_in:
        query = query.where(
            in_ids(records.c.id, filt.keys_not_in, negate=True),
            sa.or_(
                records.c.duplicate_of.is_(None),
                in_ids(records.c.duplicate_of, filt.keys_not_in, negate=True),
            ),
        )
    return query


def _options(filt: ListFilter) -> dict[str, Any]:
    return UNCACHED if filt.keys_in is not None or filt.keys_not_in else {}


def _order(
    column: SortColumn, descending: bool, *, reverse: bool = False
) -> list[sa.ColumnElement[Any]]:
    """The list's order; ``reverse`` turns all of it round, to read a page from the end."""

    def direction(expr: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        return expr.desc() if descending != reverse else expr.asc()

    tiebreak = direction(records.c.id)
    if column == "title":
        return [direction(records.c.title_sort), tiebreak]  # lower(title), indexed
    if column == "year":
        # Records without a year go last either way, on both engines.
        year = direction(records.c.year)
        return [year.nulls_first() if reverse else year.nulls_last(), tiebreak]
    if column == "source":
        return [direction(records.c.source_id), tiebreak]
    return [tiebreak]


def page_ids(
    conn: sa.Connection,
    filt: ListFilter,
    *,
    total: int,
    sort: SortColumn = "id",
    descending: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> list[int]:
    """The ids of one page of matching records, in list order.

    Args:
        total: How many records ``filt`` matches (:func:`count`, in the same transaction).
    """
    limit = min(limit, total - offset)
    if limit <= 0:
        return []
    from_end = total - offset - limit
    reverse = from_end < offset
    probe = conn.dialect.name == "sqlite" and sort == "title" and bool(filt.phrases)
    query = _where(sa.select(records.c.id), filt, conn, probe=probe and total >= BROAD_SEARCH)
    query = query.order_by(*_order(sort, descending, reverse=reverse))
    query = query.limit(limit).offset(from_end if reverse else offset)
    ids = [int(i) for i in conn.execute(query, execution_options=_options(filt)).scalars()]
    return ids[::-1] if reverse else ids


def count(conn: sa.Connection, filt: ListFilter) -> int:
    if filt.phrases and filt == ListFilter(phrases=filt.phrases):
        return fulltext.count_matching(conn, _words(filt))  # the index alone knows
    query = _where(sa.select(sa.func.count()).select_from(records), filt, conn)
    return int(conn.execute(query, execution_options=_options(filt)).scalar_one())


def rows(conn: sa.Connection, ids: Sequence[int]) -> list[ListRow]:
    """The list's columns for ``ids`` (a page: at most a few hundred), in the order given."""
    if not ids:
        return []
    query = (
        sa.select(
            records.c.id,
            records.c.source_id,
            sources.c.name.label("source"),
            records.c.title,
            records.c.authors,
            records.c.year,
            records.c.venue,
            records.c.doi,
            sa.func.substr(records.c.abstract, 1, SNIPPET_CHARS).label("snippet"),
            records.c.duplicate_of,
        )
        .join(sources, sources.c.id == records.c.source_id)
        .where(records.c.id.in_(list(ids)))
    )
    found = {row.id: row for row in conn.execute(query)}
    return [
        ListRow(**{**found[i]._mapping, "authors": list(found[i].authors or [])})
        for i in ids
        if i in found
    ]


def duplicate_counts(conn: sa.Connection, keys: Collection[int]) -> dict[int, int]:
    """For each group key, how many records point at it."""
    if not keys:
        return {}
    query = (
        sa.select(records.c.duplicate_of, sa.func.count())
        .where(records.c.duplicate_of.in_(sorted(keys)))
        .group_by(records.c.duplicate_of)
    )
    return {int(key): int(n) for key, n in conn.execute(query)}


def year_span(conn: sa.Connection) -> tuple[int | None, int | None]:
    low, high = conn.execute(
        sa.select(sa.func.min(records.c.year), sa.func.max(records.c.year))
    ).one()
    return low, high
