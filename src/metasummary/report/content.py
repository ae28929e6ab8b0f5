"""What a report says, collected once and rendered by every format's writer.

Numbers are kept as numbers and text as plain text; each writer escapes and lays out. Nothing
here depends on the time unless the report asks for timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from metasummary.imports.writers import ExportRecord
from metasummary.report.charts import Chart
from metasummary.report.flow import Flow
from metasummary.report.prisma import PrismaCounts
from metasummary.report.references import Reference
from metasummary.synthesis.descriptives import Descriptives


@dataclass(frozen=True, slots=True)
class CriterionRow:
    code: str
    kind: str  # inclusion | exclusion
    text: str
    excluded: tuple[int, int]
    """Exclusions citing the code at title/abstract and at full text."""


@dataclass(frozen=True, slots=True)
class QueryGroupRow:
    name: str
    label: str
    terms: list[str]
    field: str

    @property
    def expression(self) -> str:
        return " OR ".join(f'"{t}"' if " " in t else t for t in self.terms)


@dataclass(frozen=True, slots=True)
class QueryVersionRow:
    number: int
    date: str
    """Empty unless the report was asked for timestamps."""
    changes: list[str]
    hits: int | None
    """Records the whole query found when the version was recorded."""
    group_hits: dict[str, int]
    """Records each group found on its own."""
    note: str


@dataclass(slots=True)
class QuerySection:
    groups: list[QueryGroupRow]
    exclude: QueryGroupRow | None
    years: str
    versions: list[QueryVersionRow] = field(default_factory=list)

    @property
    def expression(self) -> str:
        text = " AND ".join(g.name for g in self.groups)
        return f"{text} AND NOT {self.exclude.name}" if self.exclude else text


@dataclass(frozen=True, slots=True)
class SeedRow:
    title: str
    note: str
    status: str
    groups: list[str] = field(default_factory=list)
    """Per group of the final query: the terms that find it (and where), or "—"."""
    found: str = ""
    """Whether the final query finds it ("yes", "no", "no (NOT: …)", "no (year …)")."""


@dataclass(frozen=True, slots=True)
class AgreementRow:
    what: str
    raters: str
    items: int
    percent: str
    kappa: str
    alpha: str


@dataclass(frozen=True, slots=True)
class FindingItem:
    text: str
    kind: str  # quote | paraphrase
    location: str
    value: str
    reference: Reference | None
    page: int | None = None
    """The page the quote was found on in the paper's full text."""


@dataclass(frozen=True, slots=True)
class UnlocatedQuote:
    """A quote not found in its paper's full text, and the passage most like it."""

    text: str
    reference: Reference | None
    page: int | None
    passage: str
    similarity: float | None


@dataclass(frozen=True, slots=True)
class QualityRow:
    reference: Reference | None
    title: str
    scores: list[float | None]
    """Per question, the mean of the reviewers' answer scores."""
    total: float
    reviewers: int
    below: bool


@dataclass(slots=True)
class QualitySection:
    """The quality assessment: each paper's scores, their distribution, agreement."""

    questions: list[tuple[str, str]]
    maximum: float
    threshold: float | None
    rows: list[QualityRow]
    distribution: dict[float, int]
    agreement: list[AgreementRow]


@dataclass(slots=True)
class ThemeSection:
    id: int
    stage: str
    stage_label: str
    label: str
    description: str
    sub_points: list[str]
    frequency: int
    reported: int | None
    """The frequency a publication reported for this theme (see the report's annotations)."""
    effect: float | None
    rank: int
    findings: list[FindingItem]

    @property
    def anchor(self) -> str:
        return f"theme-{self.id}"

    @property
    def count_label(self) -> str:
        """``(19x)``, or ``(1x; reported 19x)`` when a published count differs."""
        if self.reported is not None and self.reported != self.frequency:
            return f"({self.frequency}x; reported {self.reported}x)"
        return f"({self.frequency}x)"


@dataclass(slots=True)
class StageOverview:
    code: str
    label: str
    frequency: int
    effect: float | None
    findings: int
    themes: list[ThemeSection]


@dataclass(frozen=True, slots=True)
class PaperRow:
    reference: Reference | None
    findings: int
    intensity: float | None
    themes: int
    stages: int


@dataclass(frozen=True, slots=True)
class CountLine:
    """An integer field's total, ``4758+``-style, and how many papers give no count."""

    label: str
    total: str
    without: int


@dataclass(slots=True)
class ReportContent:
    title: str
    notice: str
    generated: str
    research_questions: list[tuple[str, str]]
    criteria: list[CriterionRow]
    query: QuerySection | None
    seeds: list[SeedRow]
    seed_groups: list[str]
    """The query's group names, the seed table's columns (empty without a query)."""
    flow: Flow
    prisma: PrismaCounts
    prisma_chart: Chart
    screening_agreement: list[AgreementRow]
    coding_agreement: list[AgreementRow]
    corpus: Descriptives
    counts: list[CountLine]
    charts: list[Chart]
    stages: list[StageOverview]
    papers: list[PaperRow]
    references: list[Reference]
    bibliography: list[ExportRecord]
    """The included papers as records, in reference-list order (for BibTeX and RIS)."""
    included: int
    unscreened: int
    """Included papers added from an extraction or findings sheet, not screened here."""
    findings: int
    sorted_findings: int
    quality: QualitySection | None = None
    unlocated: list[UnlocatedQuote] = field(default_factory=list)
    """Quotes not found in their paper's full text, as ``findings check`` lists them."""

    @property
    def themes(self) -> list[ThemeSection]:
        return [theme for stage in self.stages for theme in stage.themes]

    @property
    def summary_line(self) -> str:
        themes = self.themes
        stages = sum(1 for s in self.stages if s.themes)
        return (
            f"{self.included} included paper{'s' if self.included != 1 else ''}; "
            f"{self.findings} finding{'s' if self.findings != 1 else ''}, "
            f"{self.sorted_findings} of them sorted into {len(themes)} "
            f"theme{'s' if len(themes) != 1 else ''} across {stages} "
            f"stage{'s' if stages != 1 else ''}."
        )


def percent(value: float | None) -> str:
    """``5.9 %``; a dash when undefined."""
    return "–" if value is None else f"{100 * value:.1f} %"
