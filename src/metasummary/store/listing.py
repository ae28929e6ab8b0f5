"""The records list: filtered, sorted and paged in SQL, so 100,000 records stay fast.

A page is read in two steps: the ids of the page (a narrow query that can run on indexes),
then the columns the list shows for those ids only. Phase-state filters arrive as sets of
group *keys*: a record's key is ``coalesce(duplicate_of, id)``, and the sets are closed
over whole groups, so "the key is in K" is "the id or ``duplicate_of`` is in K" — a form
both engines answer from the primary key and the ``duplicate_of`` index.

The count of matching records comes first and plans the page: a page past the middle is
read from the end in reverse order (``OFFSET`` steps over fewer rows), and a search is
planned by its number of matches (``recordsearch.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa

from metasummary.store.fulltext import Phrase
from metasummary.store.idsets import UNCACHED, IdSet, in_ids
from metasummary.store.live import live
from metasummary.store.recordsearch import count_looked_up, looked_up, scanned
from metasummary.store.schema import records, sources

DuplicateState = Literal["all", "canonical", "duplicate", "grouped", "unique"]
SortColumn = Literal["id", "title", "year", "source"]

SNIPPET_CHARS = 300


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What a record must match to be listed; every field narrows the list.

    ``terms`` must each appear (case-insensitively) in the title, abstract, authors or DOI,
    found by reading every record. ``phrases`` must each occur in one of those fields, found
    in the full-text index, which must be current (``fulltext.index_current``).
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


_linked = records.alias("linked")
_TARGETS = sa.select(_linked.c.duplicate_of).where(_linked.c.duplicate_of.is_not(None))
"""Records other records point at (built once: an alias is costly to set up per call)."""


def _where(
    query: sa.Select[Any],
    filt: ListFilter,
    conn: sa.Connection,
    *,
    sort: SortColumn | None = None,
    total: int | None = None,
) -> sa.Select[Any]:
    """``query`` narrowed by ``filt`` (a search planned for ``sort`` and ``total``), and to
    the records that count (not of an undone import)."""
    counted = live(conn)
    if counted is not None:
        query = query.where(counted)
    for term in filt.terms:
        query = query.where(scanned(term, conn.dialect.name))
    if filt.phrases:
        query = query.where(looked_up(conn, filt.phrases, sort=sort, total=total))
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
    query = _where(sa.select(records.c.id), filt, conn, sort=sort, total=total)
    query = query.order_by(*_order(sort, descending, reverse=reverse))
    query = query.limit(limit).offset(from_end if reverse else offset)
    ids = [int(i) for i in conn.execute(query, execution_options=_options(filt)).scalars()]
    return ids[::-1] if reverse else ids


def count(conn: sa.Connection, filt: ListFilter) -> int:
    if filt.phrases and filt == ListFilter(phrases=filt.phrases) and live(conn) is None:
        return count_looked_up(conn, filt.phrases)  # the index alone knows
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
    counted = live(conn)
    if counted is not None:
        query = query.where(counted)
    return {int(key): int(n) for key, n in conn.execute(query)}


def year_span(conn: sa.Connection) -> tuple[int | None, int | None]:
    # Two statements, not one: SQLite reads a lone min() or max() from the end of the year
    # index, but both in one SELECT scan every record (8 ms at 100,000, on every page).
    low = conn.execute(sa.select(sa.func.min(records.c.year))).scalar()
    high = conn.execute(sa.select(sa.func.max(records.c.year))).scalar()
    return low, high
