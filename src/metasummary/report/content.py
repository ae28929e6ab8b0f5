"""What a report says, collected once and rendered by every format's writer.

Numbers are kept as numbers and text as plain text; each writer escapes and lays out. Nothing
here depends on the time unless the report asks for timestamps.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from metasummary.imports.writers import ExportRecord
from metasummary.report.charts import BarChart
from metasummary.report.flow import Flow
from metasummary.report.prisma import PrismaCounts
from metasummary.report.references import Reference
from metasummary.synthesis.descriptives import Descriptives

_NOT_WORD = re.compile(r"[\W_]+")


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

    @property
    def place(self) -> str:
        """The finding's location, with the page its quote was found on when it does not say:
        ``p. 4``, ``Table 2, p. 7``."""
        location = self.location
        if self.page is not None and not re.search(rf"\b{self.page}\b", location):
            return f"{location}, p. {self.page}" if location else f"p. {self.page}"
        return location


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
    chart: BarChart | None = None
    """The score distribution as a chart (the report service draws it)."""


@dataclass(frozen=True, slots=True)
class Citation:
    """One paper cited, with the place in it (``p. 4``) when the finding gives one."""

    reference: Reference | None
    location: str = ""


@dataclass(frozen=True, slots=True)
class Citations:
    """Papers cited together: ``[5, 11, 13]``."""

    items: tuple[Citation, ...]


@dataclass(slots=True)
class FindingGroup:
    """Findings of one theme with the same normalised text, printed once with every citation:
    "PaaS platforms use proprietary runtimes [5, 11, 13]"."""

    text: str
    kind: str
    """``quote`` when every finding of the group is a quote, else ``paraphrase``."""
    citations: Citations


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
    papers: list[Reference] = field(default_factory=list)
    """The distinct papers behind the theme's frequency, in reference-list order."""

    @property
    def groups(self) -> list[FindingGroup]:
        """The findings with identical or near-identical text printed once."""
        return group_findings(self.findings)

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
    screening_agreement: list[AgreementRow]
    coding_agreement: list[AgreementRow]
    corpus: Descriptives
    counts: list[CountLine]
    charts: list[BarChart]
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
    def figures(self) -> list[BarChart]:
        """Every chart the report draws besides the PRISMA diagram."""
        extra = [self.quality.chart] if self.quality and self.quality.chart else []
        return [*self.charts, *extra]

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


def normalise_finding(text: str) -> str:
    """Letters and digits, case and accents folded, every other run of characters one space:
    findings that read the same compare equal ("Tool support is immature." and "tool support
    is immature")."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def group_findings(findings: Sequence[FindingItem]) -> list[FindingGroup]:
    """Findings with the same normalised text as one group citing each paper once, in the order
    of the first finding of each group; a text that normalises to nothing stands alone."""
    groups: dict[str, FindingGroup] = {}
    for index, item in enumerate(findings):
        key = normalise_finding(item.text) or f"#{index}"
        citation = Citation(item.reference, item.place)
        group = groups.get(key)
        if group is None:
            groups[key] = FindingGroup(item.text, item.kind, Citations((citation,)))
            continue
        if item.kind != group.kind:
            group.kind = "paraphrase"
        if citation not in group.citations.items:
            group.citations = Citations((*group.citations.items, citation))
    for group in groups.values():
        group.citations = Citations(tuple(sorted(group.citations.items, key=_citation_order)))
    return list(groups.values())


def _citation_order(citation: Citation) -> tuple[int, str]:
    number = citation.reference.number if citation.reference else 1 << 30
    return (number, citation.location)
