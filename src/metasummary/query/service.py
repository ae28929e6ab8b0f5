"""The query use cases of a project: ``project.query.render()``, ``.test()``, ``.check()``..."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from metasummary.errors import InputError
from metasummary.query import render as renderers
from metasummary.query.hits import HitReport, collect_hits
from metasummary.query.lint import Finding, lint_query
from metasummary.query.model import BooleanQuery, build_query
from metasummary.query.seeds import SeedCheck, check_seed, seed_document
from metasummary.query.suggest import Suggestion, suggest_terms
from metasummary.query.versions import QueryVersion, history, record
from metasummary.review import Review
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
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

    def test(self, *, note: str = "", actor: str = "") -> TestResult:
        """Count the hits, and record the query as a new version when it changed."""
        query = self.query
        built = self.ensure_index()
        with self._review.store.read() as conn:
            report = collect_hits(conn, query)
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

    def check(self, *, suggestions: int = 10) -> CheckResult:
        """Each seed paper of the protocol against each group, and terms to consider."""
        query = self.query
        seeds = self._review.protocol.seed_papers
        if not seeds:
            raise InputError(
                f"{self._review.protocol_path or 'protocol.yaml'}: seed_papers is empty; list "
                "the papers the query must find (title, and doi or abstract)"
            )
        self.ensure_index()
        with self._review.store.read() as conn:
            checks = [check_seed(conn, query, seed) for seed in seeds]
            docs = [
                (seed_document(conn, c, s), c.record_id) for c, s in zip(checks, seeds, strict=True)
            ]
            ideas = suggest_terms(conn, query, docs, limit=suggestions)
            total = fulltext.unique_records(conn)
        return CheckResult(checks, ideas, total)

    def versions(self) -> list[QueryVersion]:
        with self._review.store.read() as conn:
            return history(conn)

    def is_recorded(self) -> bool:
        """Whether the protocol's current query is the latest recorded version."""
        found = self.versions()
        return bool(found) and found[-1].fingerprint == self.query.fingerprint()
