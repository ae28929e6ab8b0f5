"""Which group a suggested term belongs in: the group whose terms it shares or co-occurs with.

A term that a group's terms already find (``fault proneness`` when the group has ``fault``)
narrows that group. A term that shares a word with one group's terms (``fault proneness``
beside ``fault prediction``) belongs to that group's concept. Otherwise the term goes where it
co-occurs: among the records that use it, a group it belongs with matches more often than it
does among all records (the reviewers' abstracts name a concept in several words). The excess
must be beyond chance (a binomial z of at least :data:`MIN_Z`); a term that co-occurs with no group
more than by chance is a concept of its own: "a new group".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from metasummary.query.coverage import covering_groups
from metasummary.query.matcher import Document, clause_matches
from metasummary.query.model import BooleanQuery, TermGroup
from metasummary.query.plan import group_clause
from metasummary.query.stopwords import is_break
from metasummary.query.variants import token_key
from metasummary.store import fulltext
from metasummary.store.fulltext import Clause, Filter

MIN_Z = 1.96
"""Co-occurrence above chance at the 5 % level (two-sided) places a term in a group."""


@dataclass(frozen=True, slots=True)
class Placement:
    group: str | None
    """The group's name; None for a new group."""
    reason: str


@dataclass(frozen=True, slots=True)
class _Counts:
    total: int
    term: int
    group: int
    both: int

    @property
    def z(self) -> float:
        if not self.total or not self.term or not self.group or self.group == self.total:
            return 0.0
        rate = self.group / self.total
        expected = self.term * rate
        return (self.both - expected) / math.sqrt(expected * (1 - rate))

    @property
    def lift(self) -> float:
        if not self.term or not self.group:
            return 0.0
        return (self.both / self.term) / (self.group / self.total)


def shared_words(tokens: Sequence[str], group: TermGroup) -> list[str]:
    """The words of ``tokens`` that a term of ``group`` also has (a wildcard as a prefix)."""
    mine = [t for t in tokens if not is_break(t)]
    found: list[str] = []
    for term in group.terms:
        for tok, star in term.tokens:
            if is_break(tok):
                continue
            for word in mine:
                hit = word.startswith(tok) if star else token_key(word) == token_key(tok)
                if hit and word not in found:
                    found.append(word)
    return found


def _counts(
    conn: sa.Connection, clause: Clause, groups: Sequence[TermGroup], docs: Sequence[Document]
) -> dict[str, _Counts]:
    total = fulltext.unique_records(conn)
    if total:
        term = fulltext.count_unique(conn, Filter(clauses=(clause,)))
        return {
            g.name: _Counts(
                total,
                term,
                fulltext.count_unique(conn, Filter(clauses=(group_clause(g),))),
                fulltext.count_unique(conn, Filter(clauses=(clause, group_clause(g)))),
            )
            for g in groups
        }
    # No records yet: the seed papers are all there is to count.
    has_term = [clause_matches(d, clause) for d in docs]
    out: dict[str, _Counts] = {}
    for g in groups:
        has_group = [clause_matches(d, group_clause(g)) for d in docs]
        both = sum(t and h for t, h in zip(has_term, has_group, strict=True))
        out[g.name] = _Counts(len(docs), sum(has_term), sum(has_group), both)
    return out


def place(
    conn: sa.Connection,
    query: BooleanQuery,
    tokens: Sequence[str],
    clause: Clause,
    docs: Sequence[Document],
) -> Placement:
    """The group for the term ``tokens`` (found in the records by ``clause``)."""
    finding = covering_groups(tokens, query)
    if finding:
        name = finding[0]
        others = f" (and {', '.join(finding[1:])})" if finding[1:] else ""
        return Placement(name, f"{name}{others} already finds it: a narrower phrase")
    sharing = {g.name: words for g in query.groups if (words := shared_words(tokens, g))}
    if len(sharing) == 1:
        name, words = next(iter(sharing.items()))
        return Placement(name, f"shares '{words[0]}' with {name}")
    groups = [g for g in query.groups if not sharing or g.name in sharing]
    counts = _counts(conn, clause, groups, docs)
    where = "records" if fulltext.unique_records(conn) else "seed papers"
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1].lift, kv[0]))
    for name, c in ranked:
        if c.z >= MIN_Z or (sharing and name == ranked[0][0]):
            return Placement(
                name,
                f"co-occurs with {name}: {c.both} of its {c.term} {where} "
                f"({c.both / c.term:.0%}; all {where}: {c.group / c.total:.0%})",
            )
    return Placement(None, f"co-occurs with no group beyond chance ({where})")
