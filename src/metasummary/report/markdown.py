"""The report as Markdown (GitHub-flavoured tables), figures as SVG files beside it."""

from __future__ import annotations

import re

from metasummary.report import tables as t
from metasummary.report.content import ReportContent
from metasummary.report.tables import Table
from metasummary.report.text import cell_text, citation, quoted

_SPECIAL = re.compile(r"([\\`*_\[\]<>|$])")


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def table(tbl: Table, level: int = 3, *, titled: bool = True) -> list[str]:
    lines = [f"{'#' * level} {escape(tbl.title)}", ""] if titled else []
    lines.append("| " + " | ".join(escape(h) for h in tbl.headers) + " |")
    lines.append("|" + "|".join("---" for _ in tbl.headers) + "|")
    for index, row in enumerate(tbl.rows):
        cells = [escape(cell_text(c)) for c in row]
        if tbl.bold_last and index == len(tbl.rows) - 1:
            cells = [f"**{c}**" for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"{escape(note)}  " for note in tbl.notes]
    if tbl.notes:
        lines.append("")
    return lines


def render(content: ReportContent, figures: str = "figures") -> str:
    """The whole report; ``figures`` is the folder of the SVG files, relative to it."""
    out = [f"# {escape(content.title)}", ""]
    if content.notice:
        out += [f"> **Note.** {escape(content.notice)}", ""]
    out += [escape(content.summary_line), ""]
    if content.generated:
        out += [f"Generated {content.generated}.", ""]
    if content.research_questions:
        out += ["## Research questions", ""]
        out += [f"- **{escape(q)}** {escape(text)}" for q, text in content.research_questions]
        out.append("")
    out += ["## Selection criteria", "", *table(t.criteria_table(content), titled=False)]
    if content.query is not None:
        out += ["## Search query", ""]
        for index, tbl in enumerate(t.query_tables(content)):
            out += table(tbl, titled=index > 0)
    for tbl in t.seeds_table(content):
        out += ["## Seed papers", "", *table(tbl, titled=False)]
    out += ["## Selection flow", ""]
    for tbl in t.flow_tables(content):
        out += table(tbl)
    out += [
        "## PRISMA 2020 flow diagram",
        "",
        f"![PRISMA 2020 flow diagram]({figures}/{content.prisma_chart.name}.svg)",
        "",
    ]
    for tbl in t.agreement_table(
        content.screening_agreement, "Screening agreement", "Screening agreement"
    ):
        out += ["## Screening agreement", "", *table(tbl, titled=False)]
    out += _corpus(content, figures)
    out += _overview(content)
    out += _themes(content)
    out += ["## Effect sizes", "", *table(t.themes_table(content)), *table(t.papers_table(content))]
    for tbl in t.agreement_table(content.coding_agreement, "Coding agreement", "Coding agreement"):
        out += ["## Coding agreement", "", *table(tbl, titled=False)]
    for tbl in t.unlocated_table(content):
        out += ["## Quotes not found in their paper", "", *table(tbl, titled=False)]
    quality = t.quality_tables(content)
    if quality:
        out += ["## Quality assessment", ""]
        for tbl in quality:
            out += table(tbl)
    out += _references(content)
    return "\n".join(out).rstrip("\n") + "\n"


def _corpus(content: ReportContent, figures: str) -> list[str]:
    out = ["## The included papers", ""]
    out += [f"{content.corpus.papers} papers.", ""]
    for line in content.counts:
        out += [f"- {escape(line.label)}: **{line.total}** (no count in {line.without} papers)"]
    if content.counts:
        out.append("")
    for chart in content.charts:
        out += [f"![{escape(chart.title)}]({figures}/{chart.name}.svg)", ""]
    return out


def _overview(content: ReportContent) -> list[str]:
    out = ["## Overview of challenges", ""]
    for stage in content.stages:
        if not stage.themes:
            continue
        out += [f"### {escape(stage.label)} ({stage.frequency}x)", ""]
        for n, theme in enumerate(stage.themes, 1):
            out.append(f"{n}. [{escape(theme.label)}](#{theme.anchor}) {theme.count_label}")
        out.append("")
    if not any(s.themes for s in content.stages):
        out += ["No themes yet.", ""]
    return out


def _themes(content: ReportContent) -> list[str]:
    out: list[str] = []
    for theme in content.themes:
        out += [
            f'<a id="{theme.anchor}"></a>',
            "",
            f"## {escape(theme.label)} {theme.count_label}",
            "",
            f"*{escape(theme.stage_label)}*",
            "",
        ]
        if theme.description:
            out += [escape(theme.description), ""]
        if theme.sub_points:
            out += [f"- {escape(p)}" for p in theme.sub_points]
            out.append("")
        for item in theme.findings:
            line = f"{escape(quoted(item))} {escape(citation(item))}".strip()
            out += [f"> {line}" if item.kind == "quote" else line, ""]
    return out


def _references(content: ReportContent) -> list[str]:
    out = ["## Included papers", ""]
    for ref in content.references:
        where = f" (found in {escape(', '.join(ref.sources))})" if ref.sources else ""
        out.append(f'<a id="ref-{ref.number}"></a>[{ref.number}] {escape(ref.text)}{where}  ')
    out += ["", "BibTeX: [included.bib](included.bib) · RIS: [included.ris](included.ris)", ""]
    return out
