"""The meta-summary, computed from the sort and never typed in (Sandelowski & Barroso 2003).

For every theme and every stage of the consensus sort:

* frequency = the number of distinct papers with a finding in it (a paper with three findings
  in a theme counts once: the "19x" of the study);
* frequency effect size = frequency / included papers;
* findings = the number of findings in it.

For every included paper: intensity effect size = its findings / all findings, and the
number of themes (and stages) its sorted findings touch. Themes are ranked within their stage
by frequency (ties share a rank: 1, 2, 2, 4); stages are ranked among themselves the same way.
Only active findings of included papers count; others are reported as left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from metasummary.synthesis.descriptives import Descriptives


@dataclass(frozen=True, slots=True)
class FindingFact:
    """One active finding: its paper (canonical record id) and its theme, if sorted."""

    id: int
    paper: int
    theme: int | None


@dataclass(frozen=True, slots=True)
class ThemeFact:
    id: int
    stage: str
    label: str
    description: str
    sub_points: list[str]
    position: int


@dataclass(frozen=True, slots=True)
class PaperFact:
    id: int
    key: str
    title: str
    year: int | None


@dataclass(slots=True)
class ThemeCount:
    id: int
    label: str
    description: str
    sub_points: list[str]
    frequency: int
    frequency_effect: float | None
    findings: int
    rank: int = 0
    papers: list[int] = field(default_factory=list)


@dataclass(slots=True)
class StageCount:
    code: str
    label: str
    frequency: int
    frequency_effect: float | None
    findings: int
    rank: int = 0
    themes: list[ThemeCount] = field(default_factory=list)


@dataclass(slots=True)
class PaperIntensity:
    id: int
    key: str
    title: str
    year: int | None
    findings: int
    intensity: float | None
    themes: int
    stages: int


@dataclass(slots=True)
class MetaSummary:
    coder: str
    included_papers: int
    findings: int
    sorted_findings: int
    left_out: int
    stages: list[StageCount]
    papers: list[PaperIntensity]
    corpus: Descriptives

    @property
    def unsorted_findings(self) -> int:
        return self.findings - self.sorted_findings

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["unsorted_findings"] = self.unsorted_findings
        data["corpus"] = self.corpus.to_dict()
        return data


def rank(values: Sequence[int]) -> list[int]:
    """Competition ranks, highest first: [5, 3, 3, 1] -> [1, 2, 2, 4]."""
    return [1 + sum(1 for other in values if other > v) for v in values]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def compute(
    *,
    coder: str,
    stages: Sequence[tuple[str, str]],
    themes: Iterable[ThemeFact],
    findings: Iterable[FindingFact],
    papers: Iterable[PaperFact],
    corpus: Descriptives,
    left_out: int = 0,
) -> MetaSummary:
    """The meta-summary of ``findings`` (already limited to included papers).

    Args:
        stages: (code, label) in the protocol's order.
        papers: Every included paper, with or without findings.
    """
    included = list(papers)
    facts = list(findings)
    n_papers, n_findings = len(included), len(facts)
    by_theme: dict[int, list[FindingFact]] = defaultdict(list)
    for fact in facts:
        if fact.theme is not None:
            by_theme[fact.theme].append(fact)
    theme_list = sorted(themes, key=lambda t: t.position)
    stage_of = {t.id: t.stage for t in theme_list}

    result: list[StageCount] = []
    for code, label in stages:
        counts = []
        stage_findings: list[FindingFact] = []
        for theme in (t for t in theme_list if t.stage == code):
            members = by_theme.get(theme.id, [])
            stage_findings.extend(members)
            distinct = sorted({m.paper for m in members})
            counts.append(
                ThemeCount(
                    theme.id,
                    theme.label,
                    theme.description,
                    list(theme.sub_points),
                    len(distinct),
                    _share(len(distinct), n_papers),
                    len(members),
                    papers=distinct,
                )
            )
        for count, r in zip(counts, rank([c.frequency for c in counts]), strict=True):
            count.rank = r
        counts.sort(key=lambda c: (c.rank, -c.findings))
        frequency = len({f.paper for f in stage_findings})
        result.append(
            StageCount(
                code,
                label,
                frequency,
                _share(frequency, n_papers),
                len(stage_findings),
                themes=counts,
            )
        )
    for stage, r in zip(result, rank([s.frequency for s in result]), strict=True):
        stage.rank = r

    per_paper: Mapping[int, list[FindingFact]] = _group(facts)
    intensities = []
    for paper in included:
        own = per_paper.get(paper.id, [])
        touched = {f.theme for f in own if f.theme is not None}
        intensities.append(
            PaperIntensity(
                paper.id,
                paper.key,
                paper.title,
                paper.year,
                len(own),
                _share(len(own), n_findings),
                len(touched),
                len({stage_of[t] for t in touched if t in stage_of}),
            )
        )
    intensities.sort(key=lambda p: (-p.findings, p.id))
    return MetaSummary(
        coder=coder,
        included_papers=n_papers,
        findings=n_findings,
        sorted_findings=sum(1 for f in facts if f.theme is not None),
        left_out=left_out,
        stages=result,
        papers=intensities,
        corpus=corpus,
    )


def _group(facts: Iterable[FindingFact]) -> dict[int, list[FindingFact]]:
    grouped: dict[int, list[FindingFact]] = defaultdict(list)
    for fact in facts:
        grouped[fact.paper].append(fact)
    return grouped
