"""The records list: filtered, sorted and paged in SQL, so 100,000 records stay fast.

A page is read in two steps: the ids of the page (a narrow query that can run on indexes),
then the columns the list shows for those ids only. Duplicate groups are addressed by their
*key*, ``coalesce(duplicate_of, id)``: the canonical record for a record linked straight to
it (links are flat; :func:`chain_links` lists the rare exceptions).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa

from metasummary.store.counts import DecisionRow, RecordLink
from metasummary.store.schema import decisions, records, sources

DuplicateState = Literal["all", "canonical", "duplicate", "grouped", "unique"]
SortColumn = Literal["id", "title", "year", "source"]

SNIPPET_CHARS = 300

group_key = sa.func.coalesce(records.c.duplicate_of, records.c.id)
"""The key of a record's duplicate group: its canonical record's id (for flat links)."""


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What a record must match to be listed; every field narrows the list.

    ``terms`` must each appear (case-insensitively) in the title, abstract, authors or DOI.
    ``keys_in`` / ``keys_not_in`` restrict the group key (how phase-state filters arrive).
    """

    terms: tuple[str, ...] = ()
    source_id: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    duplicates: DuplicateState = "all"
    keys_in: Collection[int] | None = None
    keys_not_in: Collection[int] | None = None


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


def _ids(values: Collection[int]) -> sa.BindParameter[Any]:
    # Rendered inline as integers: no bound-parameter limit, whatever the set's size.
    return sa.bindparam(
        "keys",
        value=sorted(values),
        unique=True,
        expanding=True,
        literal_execute=True,
        type_=sa.Integer,
    )


def _targets() -> sa.Select[Any]:
    linked = records.alias("linked")
    return sa.select(linked.c.duplicate_of).where(linked.c.duplicate_of.is_not(None))


def _where(query: sa.Select[Any], filt: ListFilter) -> sa.Select[Any]:
    for term in filt.terms:
        query = query.where(
            sa.or_(
                records.c.title.icontains(term, autoescape=True),
                records.c.abstract.icontains(term, autoescape=True),
                records.c.doi.icontains(term, autoescape=True),
                sa.cast(records.c.authors, sa.Text).icontains(term, autoescape=True),
            )
        )
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
        query = query.where(
            sa.or_(records.c.duplicate_of.is_not(None), records.c.id.in_(_targets()))
        )
    elif filt.duplicates == "unique":
        query = query.where(records.c.duplicate_of.is_(None), records.c.id.not_in(_targets()))
    if filt.keys_in is not None:
        query = query.where(group_key.in_(_ids(filt.keys_in)))
    if filt.keys_not_in:
        query = query.where(group_key.not_in(_ids(filt.keys_not_in)))
    return query


def _order(column: SortColumn, descending: bool) -> list[sa.ColumnElement[Any]]:
    def direction(expr: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        return expr.desc() if descending else expr.asc()

    tiebreak = direction(records.c.id)
    if column == "title":
        return [direction(sa.func.lower(records.c.title)), tiebreak]
    if column == "year":
        # Records without a year go last either way, on both engines.
        return [records.c.year.is_(None).asc(), direction(records.c.year), tiebreak]
    if column == "source":
        return [direction(records.c.source_id), tiebreak]
    return [tiebreak]


def page_ids(
    conn: sa.Connection,
    filt: ListFilter,
    *,
    sort: SortColumn = "id",
    descending: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> list[int]:
    """The ids of one page of matching records, in list order."""
    query = _where(sa.select(records.c.id), filt).order_by(*_order(sort, descending))
    return [int(i) for i in conn.execute(query.limit(limit).offset(offset)).scalars()]


def count(conn: sa.Connection, filt: ListFilter) -> int:
    query = _where(sa.select(sa.func.count()).select_from(records), filt)
    return int(conn.execute(query).scalar_one())


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


def chain_links(conn: sa.Connection) -> list[RecordLink]:
    """Records that are duplicates *and* have duplicates pointing at them (chains; rare)."""
    query = sa.select(records.c.id, records.c.source_id, records.c.duplicate_of).where(
        records.c.duplicate_of.is_not(None), records.c.id.in_(_targets())
    )
    return [RecordLink(row.id, row.source_id, row.duplicate_of) for row in conn.execute(query)]


def decided(
    conn: sa.Connection, keys: Collection[int] | None = None
) -> tuple[list[DecisionRow], list[RecordLink]]:
    """Decisions (in log order) and the links of the records they are on.

    Args:
        keys: Only decisions on records whose id or ``duplicate_of`` is one of these; all
            decisions when None.
    """
    query = (
        sa.select(
            decisions.c.id,
            decisions.c.record_id,
            decisions.c.phase,
            decisions.c.reviewer_id,
            decisions.c.kind,
            decisions.c.verdict,
            decisions.c.criteria,
            records.c.source_id,
            records.c.duplicate_of,
        )
        .join(records, records.c.id == decisions.c.record_id)
        .order_by(decisions.c.id)
    )
    if keys is not None:
        if not keys:
            return [], []
        query = query.where(
            sa.or_(records.c.id.in_(_ids(keys)), records.c.duplicate_of.in_(_ids(keys)))
        )
    rows_: list[DecisionRow] = []
    links: dict[int, RecordLink] = {}
    for row in conn.execute(query):
        rows_.append(
            DecisionRow(
                row.id,
                row.record_id,
                row.phase,
                row.reviewer_id,
                row.kind,
                row.verdict,
                list(row.criteria or []),
            )
        )
        links[row.record_id] = RecordLink(row.record_id, row.source_id, row.duplicate_of)
    return rows_, list(links.values())
