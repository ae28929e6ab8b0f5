"""Theme suggestions for unsorted findings, and near-duplicate findings flagged.

Suggestions learn from the findings already sorted in a coder's sort and from the themes'
own labels and descriptions (:mod:`metasummary.synthesis.centroids`). They only advise: nothing is
moved until someone moves it (``sort move``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from metasummary.errors import InputError
from metasummary.review import Review
from metasummary.store import findings as store_findings
from metasummary.store import themes as store_themes
from metasummary.store.catalog import list_stages
from metasummary.synthesis.centroids import Method, near_duplicates, rank_themes


@dataclass(frozen=True, slots=True)
class ThemeScore:
    theme_id: int
    label: str
    stage: str
    score: float


@dataclass(frozen=True, slots=True)
class FindingSuggestion:
    finding_id: int
    text: str
    themes: list[ThemeScore]


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    first: int
    second: int
    similarity: float
    same_paper: bool


@dataclass(slots=True)
class SuggestionReport:
    method: str
    coder: str
    trained_on: int
    suggestions: list[FindingSuggestion] = field(default_factory=list)
    duplicates: list[NearDuplicate] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Suggestions:
    """Theme suggestions (``project.synthesis.suggestions``)."""

    def __init__(self, review: Review) -> None:
        self.review = review

    def suggest(
        self,
        finding_ids: Sequence[int] | None = None,
        *,
        coder: str = "",
        method: Method = Method.TFIDF,
        top: int = 3,
        duplicates: bool = True,
        threshold: float | None = None,
    ) -> SuggestionReport:
        """Suggest themes for ``finding_ids`` (default: every finding unsorted in ``coder``'s
        sort) and flag near-duplicate findings."""
        with self.review.store.read() as conn:
            active = {f.id: f for f in store_findings.list_all(conn)}
            stages = {s.id: s.code for s in list_stages(conn)}
            themes = {t.id: t for t in store_themes.list_themes(conn, active_only=True)}
            placed = {
                a.finding_id: a.theme_id
                for a in store_themes.list_assignments(conn, coder=coder)
                if a.finding_id in active and a.theme_id in themes
            }
        if not themes:
            raise InputError(
                "there are no themes yet; create some with 'metasummary sort "
                "theme-create' before asking for suggestions"
            )
        if finding_ids is None:
            wanted = [f for f in active if f not in placed]
        else:
            missing = [f for f in finding_ids if f not in active]
            if missing:
                raise InputError(f"finding {missing[0]}: no such active finding")
            wanted = list(finding_ids)
        trained = sorted(placed)
        ranked = rank_themes(
            [active[f].text for f in trained],
            [[placed[f]] for f in trained],
            [active[f].text for f in wanted],
            theme_texts={
                t.id: " ".join([t.label, t.description, *t.sub_points]) for t in themes.values()
            },
            method=method,
            top=top,
        )
        report = SuggestionReport(method.value, coder, len(trained))
        for fid, scores in zip(wanted, ranked, strict=True):
            report.suggestions.append(
                FindingSuggestion(
                    fid,
                    active[fid].text,
                    [
                        ThemeScore(t, themes[t].label, stages[themes[t].stage_id], round(s, 4))
                        for t, s in scores
                        if s > 0  # no word or meaning in common: no evidence for the theme
                    ],
                )
            )
        if duplicates:
            ids = list(active)
            for i, j, similarity in near_duplicates(
                [active[f].text for f in ids], method=method, threshold=threshold
            ):
                first, second = active[ids[i]], active[ids[j]]
                report.duplicates.append(
                    NearDuplicate(
                        first.id,
                        second.id,
                        round(similarity, 4),
                        first.record_id == second.record_id,
                    )
                )
        return report
