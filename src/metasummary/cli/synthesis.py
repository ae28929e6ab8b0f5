"""``summary`` and ``suggest``: the meta-summary counts, and theme suggestions."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.cli.synthesis_options import SortCoderOption
from metasummary.numbers import percent
from metasummary.synthesis.centroids import Method
from metasummary.synthesis.descriptives import Descriptives
from metasummary.synthesis.suggest import SuggestionReport
from metasummary.synthesis.summary import MetaSummary


def register(app: typer.Typer) -> None:
    app.command("summary")(summary)
    app.command("suggest")(suggest)


def summary(
    coder: SortCoderOption = "",
    papers: Annotated[
        bool, typer.Option("--papers", help="Also list every paper's intensity effect size.")
    ] = False,
    min_quality: Annotated[
        float | None,
        typer.Option(
            "--min-quality",
            help="Count only papers with at least this quality score (default: the "
            "protocol's threshold, if any); a sensitivity analysis.",
            show_default=False,
        ),
    ] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The meta-summary: per stage and theme, distinct papers (frequency, "19x"), its effect
    size and the findings; per paper, intensity; and the corpus descriptives.

    Example: metasummary summary --min-quality 2.5
    """
    with open_project(project_dir, db) as project:
        left_out = project.fulltexts.quality.below(min_quality)
        result = project.synthesis.summary(coder=coder, leave_out=left_out)
    if left_out and not as_json:
        console().print(
            f"{len(left_out)} paper(s) below the quality score left out: "
            + ", ".join(str(p) for p in sorted(left_out))
        )
    if as_json:
        print_json(result.to_dict())
    else:
        render_summary(result, papers=papers)


def render_summary(result: MetaSummary, *, papers: bool) -> None:
    out = console()
    out.print(
        f"{result.included_papers} included paper(s); {result.findings} finding(s), "
        f"{result.sorted_findings} sorted, {result.unsorted_findings} not yet"
    )
    if result.left_out:
        out.print(f"({result.left_out} finding(s) of papers not included are left out)")
    for stage in result.stages:
        out.print(
            f"\n[bold]{stage.code}[/bold] {escape(stage.label)} — {stage.frequency} paper(s) "
            f"({percent(stage.frequency_effect)}), {stage.findings} finding(s), rank {stage.rank}"
        )
        if not stage.themes:
            continue
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("Rank", justify="right")
        table.add_column("Theme")
        table.add_column("Papers", justify="right")
        table.add_column("Effect", justify="right")
        table.add_column("Findings", justify="right")
        for theme in stage.themes:
            table.add_row(
                str(theme.rank),
                f"{escape(theme.label)} ({theme.frequency}x)",
                str(theme.frequency),
                percent(theme.frequency_effect),
                str(theme.findings),
            )
        out.print(table)
    if papers:
        table = Table(box=box.SIMPLE_HEAD, title="Papers", title_justify="left", pad_edge=False)
        for column in ("Record", "Year", "Title", "Findings", "Intensity", "Themes", "Stages"):
            table.add_column(column, justify="left" if column == "Title" else "right")
        for paper in result.papers:
            table.add_row(
                str(paper.id),
                str(paper.year or ""),
                escape(paper.title),
                str(paper.findings),
                percent(paper.intensity),
                str(paper.themes),
                str(paper.stages),
            )
        out.print(table)
    render_corpus(result.corpus)


def render_corpus(corpus: Descriptives) -> None:
    out = console()
    out.print(f"\n[bold]Corpus[/bold]: {corpus.papers} paper(s)")
    if corpus.years:
        out.print("  per year: " + ", ".join(f"{y}: {n}" for y, n in corpus.years.items()))
    for tally in corpus.fields:
        if tally.total is not None:
            unknown = tally.unspecified + tally.missing
            out.print(
                f"  {escape(tally.label)}: {tally.total_label} over {tally.reported} paper(s)"
                + (f"; {unknown} do not say" if unknown else "")
            )
        elif tally.counts:
            listed = ", ".join(f"{escape(k)}: {n}" for k, n in tally.counts.items())
            out.print(f"  {escape(tally.label)}: {listed}")


def suggest(
    findings: Annotated[
        list[int] | None,
        typer.Argument(
            help="Finding ids (default: every finding not yet sorted).", show_default=False
        ),
    ] = None,
    coder: SortCoderOption = "",
    method: Annotated[
        Method, typer.Option(help="tfidf, or embedding (needs the 'semantic' extra).")
    ] = Method.TFIDF,
    top: Annotated[int, typer.Option(help="How many themes to suggest per finding.")] = 3,
    duplicates: Annotated[
        bool, typer.Option("--duplicates/--no-duplicates", help="Flag near-duplicate findings.")
    ] = True,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Suggest the most likely themes for unsorted findings and flag near-duplicates.
    Nothing is moved: use 'sort move' to accept a suggestion.

    Example: metasummary suggest --method embedding
    """
    with open_project(project_dir, db) as project:
        report = project.synthesis.suggestions.suggest(
            findings or None, coder=coder, method=method, top=top, duplicates=duplicates
        )
    if as_json:
        print_json(report.to_dict())
    else:
        render_suggestions(report)


def render_suggestions(report: SuggestionReport) -> None:
    out = console()
    out.print(
        f"{report.method}: learnt from {report.trained_on} sorted finding(s) and the themes' labels"
    )
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Finding", justify="right")
    table.add_column("Text", max_width=60)
    table.add_column("Suggested themes (score)")
    for item in report.suggestions:
        themes = "\n".join(
            f"{t.theme_id} {escape(t.label)} ({t.stage}) {t.score:.2f}" for t in item.themes
        )
        table.add_row(str(item.finding_id), escape(item.text), themes)
    out.print(table)
    if report.duplicates:
        out.print(f"{len(report.duplicates)} near-duplicate pair(s):")
        for pair in report.duplicates:
            where = " (same paper)" if pair.same_paper else ""
            out.print(f"  findings {pair.first} and {pair.second}: {pair.similarity:.2f}{where}")
