"""The report's outline: its sections, in order, built from the content once for every format.

Methods (research questions, criteria, query, seed papers, selection flow, PRISMA diagram,
screening agreement), results (the included papers, the "Nx" overview, the meta-summary table,
a section per theme, effect sizes, coding agreement), then the included papers. A new part of
the report is a function here that returns a :class:`~metasummary.report.document.Section`;
every writer renders it.
"""

from __future__ import annotations

from metasummary import numbers
from metasummary.report import tables as t
from metasummary.report.content import ReportContent, ThemeSection
from metasummary.report.document import (
    Bibliography,
    Block,
    Definitions,
    Document,
    Emphasis,
    Figure,
    ItemList,
    Link,
    Paragraph,
    Section,
    Strong,
    Text,
)
from metasummary.report.text import quoted

PRISMA = "prisma"
"""The PRISMA diagram's file stem under ``figures/``."""
REFERENCE_FILES = ["included.bib", "included.ris"]


def build(content: ReportContent) -> Document:
    return Document(
        title=content.title,
        notice=content.notice,
        summary=content.summary_line,
        generated=content.generated,
        sections=[methods(content), results(content), included_papers(content)],
        appendix=[
            t.prisma_table(content),
            *t.corpus_tables(content),
            t.findings_table(content),
            t.references_table(content),
        ],
    )


def methods(content: ReportContent) -> Section:
    parts = []
    if content.research_questions:
        questions: list[tuple[str, Text]] = [(q, [text]) for q, text in content.research_questions]
        parts.append(Section("Research questions", "questions", [Definitions(questions)]))
    parts.append(Section("Selection criteria", "criteria", [t.criteria_table(content)]))
    if content.query is not None:
        parts.append(Section("Search query", "query", list(t.query_tables(content))))
    seeds = t.seeds_table(content)
    if seeds:
        parts.append(Section("Seed papers", "seeds", list(seeds)))
    parts.append(Section("Selection flow", "flow", list(t.flow_tables(content))))
    parts.append(
        Section(
            "PRISMA 2020 flow diagram",
            PRISMA,
            [Figure(PRISMA, "PRISMA 2020 flow diagram", links=["svg", "pdf", "png"])],
        )
    )
    screening = t.agreement_table(
        content.screening_agreement, "Screening agreement", "Screening agreement"
    )
    if screening:
        parts.append(Section("Screening agreement", "screening-agreement", list(screening)))
    return Section("Methods", "methods", sections=parts)


def results(content: ReportContent) -> Section:
    parts = [corpus(content), overview(content)]
    if content.themes:
        parts.append(Section("Meta-summary", "meta-summary", [t.meta_summary_table(content)]))
    parts += [theme(th) for th in content.themes]
    parts.append(
        Section("Effect sizes", "effect-sizes", [t.themes_table(content), t.papers_table(content)])
    )
    coding = t.agreement_table(content.coding_agreement, "Coding agreement", "Coding agreement")
    if coding:
        parts.append(Section("Coding agreement", "coding-agreement", list(coding)))
    unlocated = t.unlocated_table(content)
    if unlocated:
        parts.append(Section("Quotes not found in their paper", "unlocated", list(unlocated)))
    if content.quality is not None and content.quality.rows:
        parts.append(quality(content))
    return Section("Results", "results", sections=parts)


def quality(content: ReportContent) -> Section:
    """The quality assessment: scores per paper, their distribution, agreement."""
    blocks: list[Block] = list(t.quality_tables(content))
    chart = content.quality.chart if content.quality else None
    if chart is not None:
        blocks.insert(2, Figure(chart.name, chart.title))
    return Section("Quality assessment", "quality", blocks)


def corpus(content: ReportContent) -> Section:
    papers = content.corpus.papers
    blocks: list[Block] = [Paragraph([f"{papers} paper{'s' if papers != 1 else ''}."])]
    if content.counts:
        blocks.append(
            ItemList(
                [
                    [f"{line.label}: ", Strong(line.total), f" (no count in {line.without} papers)"]
                    for line in content.counts
                ]
            )
        )
    blocks += [Figure(chart.name, chart.title) for chart in content.charts]
    return Section("The included papers", "corpus", blocks)


def overview(content: ReportContent) -> Section:
    """The talk's list: per stage, its themes by frequency, "(19x)"."""
    stages = [
        Section(
            f"{stage.label} ({stage.frequency}x)",
            f"stage-{stage.code.lower()}",
            [
                ItemList(
                    [
                        [Link(th.label, anchor=th.anchor), f" {th.count_label}"]
                        for th in stage.themes
                    ],
                    ordered=True,
                )
            ],
            contents=False,
        )
        for stage in content.stages
        if stage.themes
    ]
    blocks: list[Block] = [] if stages else [Paragraph(["No themes yet."])]
    return Section("Overview of challenges", "overview", blocks, stages)


def theme(th: ThemeSection) -> Section:
    blocks: list[Block] = [
        Paragraph(
            [Emphasis(th.stage_label), f" · frequency effect size {numbers.percent(th.effect)}"],
            style="aside",
        )
    ]
    if th.description:
        blocks.append(Paragraph([th.description]))
    if th.sub_points:
        blocks.append(ItemList([[point] for point in th.sub_points]))
    for group in th.groups:
        blocks.append(
            Paragraph(
                [quoted(group), " ", group.citations],
                style="quote" if group.kind == "quote" else "",
            )
        )
    return Section(f"{th.label} {th.count_label}", th.anchor, blocks)


def included_papers(content: ReportContent) -> Section:
    return Section(
        "Included papers", "references", [Bibliography(content.references, REFERENCE_FILES)]
    )
