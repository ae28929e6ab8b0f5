"""``query check``: which group finds each seed paper, on which terms, and which group misses.

This is the talk's "why missed initially?" table made from the query itself. A seed paper is
looked up in the project by DOI, then by title; a seed the project does not hold is checked on
the title (and abstract, when the protocol gives one) written in the protocol.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from metasummary.protocol import SeedPaper
from metasummary.query.matcher import Document, group_matches
from metasummary.query.model import BooleanQuery
from metasummary.query.text import tokens
from metasummary.sources import normalise as norm
from metasummary.store import fulltext
from metasummary.store import records as store_records
from metasummary.store.fulltext import Clause, Filter, Phrase


@dataclass(frozen=True, slots=True)
class GroupCheck:
    name: str
    terms: dict[str, list[str]]
    """Each matching term with the fields it occurs in; empty when the group misses."""

    @property
    def matched(self) -> bool:
        return bool(self.terms)


@dataclass(frozen=True, slots=True)
class SeedCheck:
    title: str
    note: str
    """Why an earlier draft missed it, in the reviewers' words (from the protocol)."""
    evidence: str
    """Where the text checked came from: a record of the project or the protocol."""
    record_id: int | None
    groups: list[GroupCheck]
    excluded_by: dict[str, list[str]] = field(default_factory=dict)
    year: int | None = None
    out_of_years: bool = False

    @property
    def found(self) -> bool:
        """Whether the query as it stands finds this paper."""
        return (
            all(g.matched for g in self.groups) and not self.excluded_by and not self.out_of_years
        )

    @property
    def missing(self) -> list[str]:
        return [g.name for g in self.groups if not g.matched]

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "note": self.note,
            "evidence": self.evidence,
            "record_id": self.record_id,
            "found": self.found,
            "groups": {g.name: g.terms for g in self.groups},
            "missing": self.missing,
            "excluded_by": self.excluded_by,
            "year": self.year,
            "out_of_years": self.out_of_years,
        }


def find_record(conn: sa.Connection, seed: SeedPaper) -> tuple[int, str] | None:
    """The project's record for ``seed`` (canonical records first) and how it was found."""
    doi = norm.doi(seed.doi) if seed.doi else ""
    if doi:
        found = store_records.first_with_doi(conn, doi)
        if found is not None:
            return found, "DOI"
    words = tuple(tokens(seed.title))
    if not words:
        return None
    phrase = Phrase(tokens=words, prefix=(False,) * len(words))
    candidates = fulltext.record_ids(conn, Filter(clauses=(Clause((phrase,), ("title",)),)))
    for stored in store_records.get_many(conn, candidates):
        if tuple(tokens(stored.data.title)) == words:
            return stored.id, "title"
    return None


def check_seed(conn: sa.Connection, query: BooleanQuery, seed: SeedPaper) -> SeedCheck:
    located = find_record(conn, seed)
    year: int | None = None
    if located is not None:
        stored = store_records.get(conn, located[0])
        assert stored is not None
        doc = Document.of(stored.data.title, stored.data.abstract, stored.data.keywords)
        evidence = f"record {stored.id} ({located[1]})"
        year = stored.data.year
        has_abstract = bool(stored.data.abstract.strip())
    else:
        doc = Document.of(seed.title, seed.abstract)
        has_abstract = bool(seed.abstract.strip())
        evidence = "protocol title + abstract" if has_abstract else "protocol title"
    if not has_abstract:
        evidence += " (no abstract)"
    groups = [GroupCheck(g.name, group_matches(doc, g)) for g in query.groups]
    excluded = group_matches(doc, query.exclude) if query.exclude else {}
    out = year is not None and (
        (query.year_from is not None and year < query.year_from)
        or (query.year_to is not None and year > query.year_to)
    )
    return SeedCheck(
        title=seed.title,
        note=seed.note,
        evidence=evidence,
        record_id=located[0] if located else None,
        groups=groups,
        excluded_by=excluded,
        year=year,
        out_of_years=out,
    )


def seed_document(conn: sa.Connection, check: SeedCheck, seed: SeedPaper) -> Document:
    """The text a check looked at, for the term suggestions."""
    if check.record_id is not None:
        stored = store_records.get(conn, check.record_id)
        assert stored is not None
        return Document.of(stored.data.title, stored.data.abstract, stored.data.keywords)
    return Document.of(seed.title, seed.abstract)
