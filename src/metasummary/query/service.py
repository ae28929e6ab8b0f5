"""The query use cases of a project: ``project.query.render()``, ``.test()``, ``.check()``..."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.models import Phase
from metasummary.protocol import SeedPaper
from metasummary.query import render as renderers
from metasummary.query.fixes import concept_scores, fix_for
from metasummary.query.hits import HitReport, collect_hits
from metasummary.query.lint import Finding, lint_query
from metasummary.query.model import BooleanQuery, build_query
from metasummary.query.plan import FIELD_NAMES
from metasummary.query.seeds import Seed, SeedCheck, check_record, check_seed
from metasummary.query.suggest import Scored, SeedText, Suggestion, score_concepts, suggest_terms
from metasummary.query.versions import QueryVersion, history, record
from metasummary.query.whatif import Change, WhatIf, apply_changes, compare
from metasummary.review import Review
from metasummary.screening.standing import Standing
from metasummary.store import fulltext


@dataclass(frozen=True, slots=True)
class TestResult:
    report: HitReport
    version: int | None
    """The number of the version this run recorded; None when the query was unchanged."""
    index_built: bool

    def to_dict(self) -> dict[str, Any]:
        return {**self.report.to_dict(), "recorded_version": self.version}


@dataclass(frozen=True, slots=True)
class CheckResult:
    seeds: list[SeedCheck]
    suggestions: list[Suggestion]
    records: int
    seeds_from: str = "protocol"
    """Where the seeds came from: the protocol's seed_papers, or the included papers."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "seeds_from": self.seeds_from,
            "seeds": [s.to_dict() for s in self.seeds],
            "suggestions": [s.to_dict() for s in self.suggestions],
        }


class QueryService:
    """Render, lint, test and check the protocol's Boolean query; keep its versions."""

    def __init__(self, review: Review) -> None:
        self._review = review

    @property
    def query(self) -> BooleanQuery:
        """The query as the protocol states it now; :class:`InputError` when it has none."""
        query = build_query(self._review.protocol.query)
        if query.is_empty:
            raise InputError(
                f"{self._review.protocol_path or 'protocol.yaml'}: query.groups is empty; add "
                "the groups of terms (see docs/guide/03-query.md)"
            )
        return query

    def render(self, library: str | None = None) -> list[renderers.Rendering]:
        """The query for one library (an id or alias), or for every library."""
        if library is None:
            return renderers.render_all(self.query)
        return [renderers.render(self.query, library)]

    def ensure_index(self) -> bool:
        """Build the full-text index if needed; True when it was (re)built."""
        with self._review.store.write() as conn:
            return fulltext.ensure_index(conn)

    def hits(self) -> HitReport:
        """Hit counts of every part of the query over the project's records."""
        query = self.query
        self.ensure_index()
        with self._review.store.read() as conn:
            return collect_hits(conn, query)

    def test(self, *, note: str = "", actor: str = "", fields: Sequence[str] = ()) -> TestResult:
        """Count the hits, and record the query as a new version when it changed.

        ``fields`` searches every group in those fields instead (``fulltext``: the attached
        PDFs); such a test is a look, not a version of the query, so it is not recorded.
        """
        query = self.query
        chosen = check_fields(fields)
        built = self.ensure_index()
        with self._review.store.read() as conn:
            report = collect_hits(conn, query, chosen)
        if chosen:
            return TestResult(report, None, built)
        with self._review.store.write() as conn:
            version_id = record(conn, query, report, note=note, actor=actor)
        number = None
        if version_id is not None:
            number = next(v.number for v in self.versions() if v.id == version_id)
        return TestResult(report, number, built)

    def lint(self, *, corpus: bool = True) -> list[Finding]:
        """Findings on the query; with ``corpus``, also groups and terms that find nothing."""
        spec = self._review.protocol.query
        report = self.hits() if corpus and spec.groups else None
        return lint_query(spec, report)

    def check(self, *, suggestions: int = 10, from_included: bool = False) -> CheckResult:
        """Each seed paper against each group, the smallest change that finds each one a
        group misses, and terms to consider (each placed in a group).

        Args:
            suggestions: How many terms to suggest.
            from_included: Take the papers screening included as the seeds (for an update
                search) instead of the protocol's ``seed_papers``.
        """
        query = self.query
        self.ensure_index()
        with self._review.store.read() as conn:
            if from_included:
                ids, why = self._included(conn)
                seeds = [check_record(conn, query, rid, why) for rid in sorted(ids)]
                origin = f"papers {why}"
            else:
                seeds = [check_seed(conn, query, s) for s in self._seed_papers()]
                origin = "protocol"
            texts = [s.text for s in seeds]
            scored = score_concepts(conn, query, texts)
            ideas = suggest_terms(conn, query, texts, limit=suggestions, scored=scored)
            scores = concept_scores(scored)
            checks = [self._with_fixes(conn, s, texts, scores) for s in seeds]
            total = fulltext.unique_records(conn)
        return CheckResult(checks, ideas, total, origin)

    def seed_checks(self) -> list[SeedCheck]:
        """Each seed paper of the protocol against each group of the query as it stands (the
        report's seed table); empty when the protocol has no seed papers or no query."""
        if not self._review.protocol.seed_papers or not self._review.protocol.query.groups:
            return []
        query = self.query
        self.ensure_index()
        with self._review.store.read() as conn:
            return [check_seed(conn, query, s).check for s in self._review.protocol.seed_papers]

    def _seed_papers(self) -> list[SeedPaper]:
        seeds = self._review.protocol.seed_papers
        if not seeds:
            raise InputError(
                f"{self._review.protocol_path or 'protocol.yaml'}: seed_papers is empty; list "
                "the papers the query must find (title, and doi or abstract), or check the "
                "included papers with --from-included"
            )
        return list(seeds)

    def _included(self, conn: sa.Connection) -> tuple[set[int], str]:
        standing = Standing(self._review.required_votes())
        for phase in (Phase.FULL_TEXT, Phase.TITLE_ABSTRACT):
            ids = standing.included(conn, phase)
            if ids:
                return ids, f"included at {phase.value}"
        raise InputError(
            "no paper is included yet: screen some records first, or check the protocol's "
            "seed_papers (without --from-included)"
        )

    def _with_fixes(
        self,
        conn: sa.Connection,
        seed: Seed,
        texts: list[SeedText],
        scores: dict[str, Scored],
    ) -> SeedCheck:
        check = seed.check
        if check.excluded_by or check.out_of_years:
            return check
        fixes = [
            fix
            for name in check.missing
            if (fix := fix_for(conn, self.query, name, seed.text, texts, scores)) is not None
        ]
        return replace(check, fixes=fixes)

    def what_if(self, changes: Sequence[Change]) -> WhatIf:
        """What ``changes`` would do to the hits, the seed papers and the included papers,
        without recording anything."""
        before = self.query
        after, lines = apply_changes(before, changes)
        self.ensure_index()
        with self._review.store.read() as conn:
            standing = Standing(self._review.required_votes())
            included: set[int] = set()
            for phase in (Phase.TITLE_ABSTRACT, Phase.FULL_TEXT):
                included |= standing.included(conn, phase)
            old, new, delta, found, lost = compare(conn, before, after, included)
            seeds = self._review.protocol.seed_papers
            was = [check_seed(conn, before, s).check.found for s in seeds]
            now = [check_seed(conn, after, s).check.found for s in seeds]
        return WhatIf(
            lines,
            after,
            old,
            new,
            delta,
            [s.title for s, a, b in zip(seeds, was, now, strict=True) if b and not a],
            [s.title for s, a, b in zip(seeds, was, now, strict=True) if a and not b],
            found,
            lost,
        )

    def versions(self) -> list[QueryVersion]:
        with self._review.store.read() as conn:
            return history(conn)

    def is_recorded(self) -> bool:
        """Whether the protocol's current query is the latest recorded version."""
        found = self.versions()
        return bool(found) and found[-1].fingerprint == self.query.fingerprint()


def check_fields(fields: Sequence[str]) -> tuple[str, ...]:
    """The field names given, checked (``title,fulltext`` and repeated options both work)."""
    chosen: list[str] = []
    for item in fields:
        for name in item.split(","):
            name = name.strip().lower().replace("full-text", "fulltext")
            if not name:
                continue
            if name not in FIELD_NAMES:
                raise InputError(f"field {name!r}: use any of {', '.join(FIELD_NAMES)}")
            if name not in chosen:
                chosen.append(name)
    return tuple(chosen)
