"""``query check``: which group finds each seed paper, on which terms, and which group misses.

This is the talk's "why missed initially?" table made from the query itself. A seed paper is
looked up in the project by DOI, then by title; a seed the project does not hold is checked on
the title (and abstract, when the protocol gives one) written in the protocol. For an update
search, the papers screening included can be the seeds (``check_record``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from metasummary.protocol import SeedPaper
from metasummary.query.concepts import SeedText
from metasummary.query.fixes import Fix
from metasummary.query.matcher import group_matches
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
    fixes: list[Fix] = field(default_factory=list)
    """The smallest change that finds it, per missing group that has one."""

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
            "fixes": [f.to_dict() for f in self.fixes],
        }


@dataclass(frozen=True, slots=True)
class Seed:
    """A seed's check and the text it was checked on."""

    check: SeedCheck
    text: SeedText


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


def _check(
    query: BooleanQuery,
    seed: SeedText,
    *,
    title: str,
    note: str,
    evidence: str,
    year: int | None,
) -> SeedCheck:
    doc = seed.document()
    if not seed.abstract.strip():
        evidence += " (no abstract)"
    groups = [GroupCheck(g.name, group_matches(doc, g)) for g in query.groups]
    excluded = group_matches(doc, query.exclude) if query.exclude else {}
    out = year is not None and (
        (query.year_from is not None and year < query.year_from)
        or (query.year_to is not None and year > query.year_to)
    )
    return SeedCheck(
        title=title,
        note=note,
        evidence=evidence,
        record_id=seed.record_id,
        groups=groups,
        excluded_by=excluded,
        year=year,
        out_of_years=out,
    )


def record_text(conn: sa.Connection, record_id: int) -> tuple[SeedText, int | None]:
    """A record's title, abstract and keywords as a seed, and its year."""
    stored = store_records.get(conn, record_id)
    assert stored is not None
    data = stored.data
    return SeedText(data.title, data.abstract, tuple(data.keywords), stored.id), data.year


def check_seed(conn: sa.Connection, query: BooleanQuery, seed: SeedPaper) -> Seed:
    """A seed paper of the protocol, looked up in the project, against every group."""
    located = find_record(conn, seed)
    if located is None:
        text = SeedText(seed.title, seed.abstract)
        evidence = "protocol title + abstract" if seed.abstract.strip() else "protocol title"
        year = None
    else:
        text, year = record_text(conn, located[0])
        evidence = f"record {located[0]} ({located[1]})"
    check = _check(query, text, title=seed.title, note=seed.note, evidence=evidence, year=year)
    return Seed(check, text)


def check_record(conn: sa.Connection, query: BooleanQuery, record_id: int, why: str) -> Seed:
    """A record of the project (an included paper) as a seed, against every group."""
    text, year = record_text(conn, record_id)
    evidence = f"record {record_id} ({why})"
    check = _check(query, text, title=text.title, note="", evidence=evidence, year=year)
    return Seed(check, text)
