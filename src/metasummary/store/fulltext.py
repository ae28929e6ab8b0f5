"""Full-text search over the records' title, abstract, keywords, authors and DOI: a derived
index.

SQLite gets an FTS5 table, PostgreSQL a table of ``tsvector`` columns with GIN indexes
(``fts_sqlite.py``, ``fts_postgres.py``); both are called ``records_fts`` and keyed by record id.
Each field is indexed on its own and every search names the fields it looks in: the query
(``metasummary query test``) searches :data:`FIELDS`, the records list's search title,
abstract, authors and DOI.

The index is derived data, so it is not part of the designed schema (``schema.py`` and the
migrations): :func:`ensure_index` builds it the first time a query runs and rebuilds it when
its definition changed or a migration dropped a piece of it. Once built, triggers on
``records`` keep it in step with every insert, update and delete, whoever makes them (an
import through ``records.insert_many``, dedup, enrichment), in the same transaction.

Searches are described with engine-neutral values (:class:`Phrase`, :class:`Clause`,
:class:`Filter`); the backends turn them into an FTS5 ``MATCH`` expression or a ``tsquery``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import sqlalchemy as sa

from metasummary.store import fts_postgres, fts_sqlite
from metasummary.store import meta as store_meta
from metasummary.store.schema import fulltext_pages, meta, records

FIELDS: tuple[str, ...] = ("title", "abstract", "keywords")
"""The fields the protocol's query searches (its ``all``)."""
FULLTEXT = "fulltext"
"""The field of the attached PDFs' text (the current version of each), page by page: a
phrase matches within one page."""
META_KEY = "fulltext_index"


@dataclass(frozen=True, slots=True)
class Phrase:
    """Tokens that must follow each other; a token flagged in ``prefix`` matches as a prefix."""

    tokens: tuple[str, ...]
    prefix: tuple[bool, ...]


@dataclass(frozen=True, slots=True)
class Clause:
    """Records in which any of the phrases occurs in any of the fields."""

    phrases: tuple[Phrase, ...]
    fields: tuple[str, ...] = FIELDS


@dataclass(frozen=True, slots=True)
class Filter:
    """Records matching every clause and not the exclusion, within the years.

    Records without a year are kept by a year range (a gap in the export, not evidence that
    the paper is out of range).
    """

    clauses: tuple[Clause, ...]
    exclude: Clause | None = None
    year_from: int | None = None
    year_to: int | None = None


@dataclass(frozen=True, slots=True)
class SourceCount:
    source_id: int
    records: int
    """Matching records held by the source."""
    unique: int
    """Of those, the ones that are not a duplicate of another record."""


def _backend(conn: sa.Connection) -> ModuleType:
    name = conn.dialect.name
    if name == "sqlite":
        return fts_sqlite
    if name == "postgresql":
        return fts_postgres
    raise NotImplementedError(f"full-text search on {name}")  # pragma: no cover


def ensure_index(conn: sa.Connection) -> bool:
    """Build the index unless it is complete and current; True when it was (re)built.

    Call it inside a write transaction.
    """
    backend = _backend(conn)
    if store_meta.get(conn, META_KEY) == backend.VERSION and backend.is_complete(conn):
        return False
    backend.drop(conn)
    backend.build(conn)
    store_meta.put(conn, META_KEY, backend.VERSION)
    return True


def index_current(conn: sa.Connection) -> bool:
    """Whether the index exists, is complete and was built by this version."""
    backend = _backend(conn)
    return store_meta.get(conn, META_KEY) == backend.VERSION and bool(backend.is_complete(conn))


def drop_index(conn: sa.Connection) -> None:
    """Remove the index and its triggers (it is rebuilt on the next search)."""
    _backend(conn).drop(conn)
    conn.execute(sa.delete(meta).where(meta.c.key == META_KEY))


def matching_ids(conn: sa.Connection, flt: Filter) -> sa.Select[Any]:
    """A SELECT of the ids of records matching the text conditions of ``flt`` (no years)."""
    backend = _backend(conn)
    every = (*flt.clauses, *((flt.exclude,) if flt.exclude else ()))
    if not any(FULLTEXT in c.fields for c in every):
        select: sa.Select[Any] = backend.id_select(flt)
        return select
    if not flt.clauses or any(not c.phrases for c in flt.clauses):
        return sa.select(records.c.id).where(sa.false())
    has_pages = conn.execute(sa.select(fulltext_pages.c.id).limit(1)).first() is not None
    sets = [_clause_ids(backend, c, has_pages) for c in flt.clauses]
    combined: sa.CompoundSelect[Any] | sa.Select[Any] = (
        sa.intersect(*sets) if len(sets) > 1 else sets[0]
    )
    if flt.exclude is not None and flt.exclude.phrases:
        combined = sa.except_(_wrapped(combined), _clause_ids(backend, flt.exclude, has_pages))
    return _wrapped(combined)


def _wrapped(select: sa.CompoundSelect[Any] | sa.Select[Any]) -> sa.Select[Any]:
    # SQLite takes no parentheses around the parts of a compound SELECT: nest as subqueries.
    inner = select.subquery()
    return sa.select(inner.c[0].label("id"))


def _clause_ids(backend: ModuleType, clause: Clause, has_pages: bool) -> sa.Select[Any]:
    """Ids of records matching one clause, its full-text field read from the pages."""
    fields = tuple(f for f in clause.fields if f != FULLTEXT)
    parts: list[sa.Select[Any]] = []
    if fields:
        parts.append(_wrapped(backend.id_select(Filter((Clause(clause.phrases, fields),)))))
    if FULLTEXT in clause.fields and has_pages:
        parts.append(_wrapped(backend.page_record_ids(clause)))
    if not parts:
        return sa.select(records.c.id).where(sa.false())
    return _wrapped(sa.union(*parts)) if len(parts) > 1 else parts[0]


def count_matching(conn: sa.Connection, flt: Filter) -> int:
    """How many records match the text conditions of ``flt``, counted in the index alone."""
    query = sa.select(sa.func.count()).select_from(matching_ids(conn, flt).subquery())
    return int(conn.execute(query).scalar_one())


def _where(conn: sa.Connection, flt: Filter) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = [records.c.id.in_(matching_ids(conn, flt))]
    if flt.year_from is not None:
        conditions.append(sa.or_(records.c.year.is_(None), records.c.year >= flt.year_from))
    if flt.year_to is not None:
        conditions.append(sa.or_(records.c.year.is_(None), records.c.year <= flt.year_to))
    return conditions


def count_by_source(conn: sa.Connection, flt: Filter) -> list[SourceCount]:
    """Matching records per source (sources without a match are left out)."""
    query = (
        sa.select(
            records.c.source_id,
            sa.func.count(),
            sa.func.sum(sa.case((records.c.duplicate_of.is_(None), 1), else_=0)),
        )
        .where(*_where(conn, flt))
        .group_by(records.c.source_id)
        .order_by(records.c.source_id)
    )
    return [SourceCount(int(s), int(n), int(u or 0)) for s, n, u in conn.execute(query)]


def count_unique(conn: sa.Connection, flt: Filter) -> int:
    """Matching records that are not duplicates of another record."""
    query = (
        sa.select(sa.func.count())
        .select_from(records)
        .where(*_where(conn, flt), records.c.duplicate_of.is_(None))
    )
    return int(conn.execute(query).scalar_one())


def record_ids(
    conn: sa.Connection,
    flt: Filter,
    among: Sequence[int] | None = None,
    *,
    unique: bool = False,
) -> list[int]:
    """Ids of matching records, optionally only among ``among`` or only those that are not a
    duplicate of another record (``unique``), in id order."""
    query = sa.select(records.c.id).where(*_where(conn, flt)).order_by(records.c.id)
    if among is not None:
        query = query.where(records.c.id.in_(list(among)))
    if unique:
        query = query.where(records.c.duplicate_of.is_(None))
    return [int(i) for i in conn.execute(query).scalars()]


def records_per_source(conn: sa.Connection) -> dict[int, int]:
    """How many records each source holds: the corpus a search runs over."""
    query = sa.select(records.c.source_id, sa.func.count()).group_by(records.c.source_id)
    return {int(s): int(n) for s, n in conn.execute(query)}


def unique_records(conn: sa.Connection) -> int:
    query = sa.select(sa.func.count()).select_from(records).where(records.c.duplicate_of.is_(None))
    return int(conn.execute(query).scalar_one())
