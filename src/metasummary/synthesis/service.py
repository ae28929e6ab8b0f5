"""The synthesis step of a review, as one service: ``project.synthesis``.

It hands out the parts (extraction, findings, the card sort, two-coder agreement, theme
suggestions, the REFI-QDA codebook) and computes the board and the meta-summary from the
store. Everything is derived on each call and nothing computed is stored; only the set of
included papers is kept in memory until a decision or a duplicate link changes.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cached_property
from typing import TYPE_CHECKING

import sqlalchemy as sa

from metasummary.review import Review
from metasummary.store import extraction as store_extraction
from metasummary.store import findings as store_findings
from metasummary.store import records as store_records
from metasummary.store import themes as store_themes
from metasummary.store.catalog import list_stages
from metasummary.store.versions import screening_signature
from metasummary.synthesis.board import BoardView, load_board
from metasummary.synthesis.descriptives import describe
from metasummary.synthesis.papers import Corpus, load_corpus
from metasummary.synthesis.summary import FindingFact, MetaSummary, PaperFact, ThemeFact, compute

if TYPE_CHECKING:  # each part is imported when first handed out: a face using one loads one
    from metasummary.synthesis.codebook import Codebook
    from metasummary.synthesis.coding import Coding
    from metasummary.synthesis.extraction import Extraction
    from metasummary.synthesis.findings import Findings
    from metasummary.synthesis.sorting import Sorting
    from metasummary.synthesis.suggest import Suggestions


class Synthesis:
    """Extraction, findings, card sort and meta-summary of one review."""

    def __init__(self, review: Review) -> None:
        self.review = review
        self._corpus_cache: tuple[tuple[int, ...], Corpus] | None = None

    def _corpus(self, conn: sa.Connection) -> Corpus:
        """The included papers, derived again only when decisions or duplicate links changed
        (a board of a 100,000-record review is then read in milliseconds, not seconds)."""
        key = screening_signature(conn)
        cached = self._corpus_cache
        if cached is None or cached[0] != key:
            cached = (key, load_corpus(conn, self.review.required_votes()))
            self._corpus_cache = cached
        return cached[1]

    @cached_property
    def extraction(self) -> Extraction:
        from metasummary.synthesis.extraction import Extraction

        return Extraction(self.review)

    @cached_property
    def findings(self) -> Findings:
        from metasummary.synthesis.findings import Findings

        return Findings(self.review)

    @cached_property
    def sorting(self) -> Sorting:
        from metasummary.synthesis.sorting import Sorting

        return Sorting(self.review)

    @cached_property
    def coding(self) -> Coding:
        from metasummary.synthesis.coding import Coding

        return Coding(self.review)

    @cached_property
    def suggestions(self) -> Suggestions:
        from metasummary.synthesis.suggest import Suggestions

        return Suggestions(self.review)

    @cached_property
    def codebook(self) -> Codebook:
        from metasummary.synthesis.codebook import Codebook

        return Codebook(self.review)

    def board(self, *, coder: str = "") -> BoardView:
        """The card-sort board in ``coder``'s sort ('' = consensus)."""
        with self.review.store.read() as conn:
            corpus = self._corpus(conn)
            return load_board(conn, corpus, coder=coder)

    def summary(self, *, coder: str = "", leave_out: Collection[int] = ()) -> MetaSummary:
        """The meta-summary of ``coder``'s sort (default: the consensus sort).

        ``leave_out`` names included papers not to count (those below a quality score).
        """
        fields = self.review.protocol.extraction.fields
        with self.review.store.read() as conn:
            corpus = self._corpus(conn)
            if leave_out:
                corpus = Corpus(corpus.groups, corpus.included - set(leave_out))
            rows = store_findings.list_all(conn)
            placed = {
                a.finding_id: a.theme_id for a in store_themes.list_assignments(conn, coder=coder)
            }
            theme_rows = store_themes.list_themes(conn, active_only=True)
            stage_rows = list_stages(conn)
            records = store_records.get_many(conn, sorted(corpus.included))
            values = corpus.fold(store_extraction.values(conn))
        stage_code = {s.id: s.code for s in stage_rows}
        used = {t.stage_id for t in theme_rows}
        stages = [(s.code, s.label) for s in stage_rows if s.in_protocol or s.id in used]
        themes = [
            ThemeFact(
                t.id, stage_code[t.stage_id], t.label, t.description, t.sub_points, t.position
            )
            for t in theme_rows
        ]
        active_themes = {t.id for t in theme_rows}
        facts = [
            FindingFact(
                f.id,
                corpus.paper_of(f.record_id),
                placed[f.id] if placed.get(f.id) in active_themes else None,
            )
            for f in rows
            if corpus.is_included(f.record_id)
        ]
        papers = [PaperFact(r.id, r.data.original_key, r.data.title, r.data.year) for r in records]
        descriptives = describe(
            [r.data.year for r in records],
            fields,
            [{f.name: values.get((r.id, f.name)) for f in fields} for r in records],
        )
        return compute(
            coder=coder,
            stages=stages,
            themes=themes,
            findings=facts,
            papers=papers,
            corpus=descriptives,
            left_out=len(rows) - len(facts),
        )
