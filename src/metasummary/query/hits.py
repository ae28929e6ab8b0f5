"""``query test``: how many records already in the project each part of the query finds.

Everything is counted by the database's full-text index (FTS5 or PostgreSQL), one statement per
count. Per source, a source's own records are counted (a record it shares with another source
counts for both, as each library would report it); totals count unique records (duplicates
linked by dedup count once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from metasummary.query.model import BooleanQuery, TermGroup
from metasummary.query.plan import group_clause, query_filter, term_clause, text_filter
from metasummary.store import catalog, fulltext
from metasummary.store.fulltext import Filter


@dataclass(frozen=True, slots=True)
class Hits:
    """One count: unique records overall, and records per source name."""

    total: int
    by_source: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "by_source": dict(self.by_source)}


@dataclass(frozen=True, slots=True)
class GroupHits:
    name: str
    label: str
    hits: Hits
    terms: dict[str, int]
    """Unique records each term finds on its own (as written in the protocol)."""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, **self.hits.to_dict(), "terms": self.terms}


@dataclass(frozen=True, slots=True)
class HitReport:
    records: int
    """Unique records in the project."""
    sources: dict[str, int]
    """Records each source holds."""
    groups: list[GroupHits]
    exclude: GroupHits | None
    all_groups: Hits
    """Records matching every group (the AND)."""
    final: Hits
    """The AND, minus the NOT group, within the years: what the query keeps."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "sources": dict(self.sources),
            "groups": [g.to_dict() for g in self.groups],
            "not": self.exclude.to_dict() if self.exclude else None,
            "all_groups": self.all_groups.to_dict(),
            "final": self.final.to_dict(),
        }

    def summary(self) -> dict[str, Any]:
        """What a query version keeps: totals per group, the AND and the final count."""
        return {
            "records": self.records,
            "groups": {g.name: g.hits.total for g in self.groups},
            "not": self.exclude.hits.total if self.exclude else None,
            "all_groups": self.all_groups.total,
            "final": self.final.total,
            "by_source": dict(self.final.by_source),
        }


def _hits(conn: sa.Connection, flt: Filter, names: dict[int, str]) -> Hits:
    counts = fulltext.count_by_source(conn, flt)
    return Hits(
        total=sum(c.unique for c in counts),
        by_source={names[c.source_id]: c.records for c in counts},
    )


def _group(
    conn: sa.Connection, group: TermGroup, names: dict[int, str], fields: tuple[str, ...] = ()
) -> GroupHits:
    terms = {
        t.text: fulltext.count_unique(conn, text_filter(term_clause(t, group.field, fields)))
        for t in group.terms
    }
    hits = _hits(conn, text_filter(group_clause(group, fields)), names)
    return GroupHits(group.name, group.label, hits, terms)


def collect_hits(
    conn: sa.Connection, query: BooleanQuery, fields: tuple[str, ...] = ()
) -> HitReport:
    """Run every count of the report; the index must be current (``fulltext.ensure_index``).

    ``fields`` searches every group in those fields instead of its own (``fulltext``: the
    attached PDFs' text).
    """
    names = {s.id: s.name for s in catalog.list_sources(conn)}
    sizes = fulltext.records_per_source(conn)
    flt = query_filter(query, fields)
    return HitReport(
        records=fulltext.unique_records(conn),
        sources={names[i]: n for i, n in sorted(sizes.items())},
        groups=[_group(conn, g, names, fields) for g in query.groups],
        exclude=_group(conn, query.exclude, names, fields) if query.exclude else None,
        all_groups=_hits(conn, Filter(clauses=flt.clauses), names),
        final=_hits(conn, flt, names),
    )
