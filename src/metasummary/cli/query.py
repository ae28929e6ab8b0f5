"""``query show | lint | test | check | versions``: the search query, per library and locally."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.query.hits import HitReport
from metasummary.query.libraries import LIBRARIES
from metasummary.query.service import CheckResult
from metasummary.query.whatif import WhatIf, parse_change

query_app = typer.Typer(
    help="The Boolean search query: per-library strings, lint, local test, seed check.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(query_app, name="query")


def _table(title: str) -> Table:
    return Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False)


@query_app.command("show")
def show(
    library: Annotated[
        str | None,
        typer.Option(
            "--for",
            help="One library: " + ", ".join(lib.id for lib in LIBRARIES) + " (default: all).",
            show_default=False,
        ),
    ] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print the query ready to paste into each library, with what had to change and why.

    Example: metasummary query show --for sciencedirect
    """
    with open_project(project_dir, db) as project:
        renderings = project.query.render(library)
    if as_json:
        print_json([r.to_dict() for r in renderings])
        return
    typer.echo("\n".join(r.text() for r in renderings), nl=False)


@query_app.command("lint")
def lint(
    no_corpus: Annotated[
        bool, typer.Option("--no-corpus", help="Skip the checks against the project's records.")
    ] = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find unbalanced quotes, subsumed terms, stop words, short wildcards, empty groups.

    Exits 1 when there is an error (a warning alone exits 0).

    Example: metasummary query lint -p my-review
    """
    with open_project(project_dir, db) as project:
        findings = project.query.lint(corpus=not no_corpus)
    if as_json:
        print_json([f.to_dict() for f in findings])
    elif not findings:
        console().print("no findings: the query looks sound")
    else:
        table = _table("Query lint")
        for column in ("Level", "Group", "Term", "Finding"):
            table.add_column(column, overflow="fold")
        for f in findings:
            table.add_row(f.level, f.group, f.term, f.message)
        console().print(table)
    if any(f.level == "error" for f in findings):
        raise typer.Exit(1)


def render_hits(report: HitReport) -> None:
    out = console()
    sources = list(report.sources)
    table = _table(f"Hits over the project's {report.records} unique records")
    table.add_column("Group")
    for name in sources:
        table.add_column(f"{name}\n({report.sources[name]})", justify="right")
    table.add_column("Total\n(unique)", justify="right")

    def row(label: str, total: int, by_source: dict[str, int], end: bool = False) -> None:
        cells = [str(by_source.get(name, 0)) for name in sources]
        table.add_row(label, *cells, str(total), end_section=end)

    for group in report.groups:
        row(f"{group.name} {group.label}".strip(), group.hits.total, group.hits.by_source)
    if report.exclude:
        row(
            f"NOT {report.exclude.label}".strip(),
            report.exclude.hits.total,
            report.exclude.hits.by_source,
        )
    row(
        " AND ".join(g.name for g in report.groups),
        report.all_groups.total,
        report.all_groups.by_source,
    )
    row("query (AND, NOT, years)", report.final.total, report.final.by_source)
    out.print(table)

    terms = _table("Hits per term (unique records)")
    terms.add_column("Group")
    terms.add_column("Term")
    terms.add_column("Hits", justify="right")
    every = [*report.groups, *((report.exclude,) if report.exclude else ())]
    for group in every:
        for i, (term, count) in enumerate(group.terms.items()):
            terms.add_row(
                group.name if i == 0 else "",
                term,
                str(count),
                end_section=i == len(group.terms) - 1,
            )
    out.print(terms)


def render_what_if(result: WhatIf) -> None:
    out = console()
    out.print("what if: " + "; ".join(result.changes))
    render_hits(result.after)
    before, after = result.before.summary()["final"], result.after.final.total
    out.print(
        f"the changed query finds {after} records (now {before}): "
        f"+{result.records.gained} gained, −{result.records.lost} lost"
    )
    for label, refs in (
        ("gained", result.records.gained_shown),
        ("lost", result.records.lost_shown),
    ):
        shown = ", ".join(f"#{r.id} {r.title}" for r in refs[:5])
        if shown:
            more = len(refs) - 5 if len(refs) > 5 else 0
            out.print(
                f"  {label}: {shown}" + (f" … and {more} more listed in --json" if more else "")
            )
    for label, titles in (("finds", result.seeds_found), ("loses", result.seeds_lost)):
        for title in titles:
            out.print(f"seed paper it {label}: {title}")
    for label, refs in (("finds", result.included_found), ("loses", result.included_lost)):
        for ref in refs:
            out.print(f"included paper it {label}: #{ref.id} {ref.title}")
    out.print("nothing recorded: edit protocol.yaml and run 'metasummary query test' to keep it")


@query_app.command("test")
def run_test(
    note: Annotated[
        str, typer.Option("--note", help="Why the query changed (kept with the new version).")
    ] = "",
    fields: Annotated[
        list[str] | None,
        typer.Option(
            "--fields",
            help="Search every group in these fields instead of its own: title, abstract, "
            "keywords, fulltext (the attached PDFs). Not recorded as a version.",
            show_default=False,
        ),
    ] = None,
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add",
            help="What if GROUP:term were added (repeatable; a new group name adds a group).",
            show_default=False,
        ),
    ] = None,
    drop: Annotated[
        list[str] | None,
        typer.Option(
            "--drop",
            help="What if GROUP:term (or a whole GROUP) were dropped (repeatable).",
            show_default=False,
        ),
    ] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run the query over the project's records with the database's full-text index.

    Shows hits per group, per source and for the whole AND; records the query as a new
    version when it changed since the last test. With --add/--drop it shows what the changed
    query would gain and lose (records, seed papers, included papers) and records nothing.
    With --fields fulltext it runs over the attached PDFs' text instead (not recorded).

    Example: metasummary query test --add B:"fault-prone" --drop C:estimation
    """
    changes = [parse_change("add", spec) for spec in add or []]
    changes += [parse_change("drop", spec) for spec in drop or []]
    if changes:
        with open_project(project_dir, db) as project:
            what = project.query.what_if(changes)
        if as_json:
            print_json(what.to_dict())
        else:
            render_what_if(what)
        return
    with open_project(project_dir, db) as project:
        result = project.query.test(note=note, fields=fields or ())
    if as_json:
        print_json(result.to_dict())
        return
    out = console()
    if result.index_built:
        out.print("built the full-text index of the project's records")
    render_hits(result.report)
    if fields:
        out.print(f"searched in {', '.join(fields)} (a look: not recorded as a query version)")
    elif result.version is not None:
        out.print(f"recorded as query version {result.version}")
    else:
        out.print("query unchanged since the last recorded version")


def render_check(result: CheckResult) -> None:
    out = console()
    names = [g.name for g in result.seeds[0].groups] if result.seeds else []
    origin = "" if result.seeds_from == "protocol" else f" ({result.seeds_from})"
    table = _table(f"Seed papers{origin}: which group finds each one (why missed initially, below)")
    table.add_column("Seed paper", ratio=3, overflow="fold")
    for name in names:
        table.add_column(name, ratio=2, overflow="fold")
    table.add_column("Found", justify="center")
    for seed in result.seeds:
        cells = [", ".join(g.terms) if g.matched else "— missing" for g in seed.groups]
        found = "yes" if seed.found else "no"
        if seed.excluded_by:
            found = "no (NOT: " + ", ".join(seed.excluded_by) + ")"
        elif seed.out_of_years:
            found = f"no (year {seed.year})"
        about = f"[dim]{seed.evidence}" + (f"; why missed: {seed.note}" if seed.note else "")
        table.add_row(f"{seed.title}\n{about}[/dim]", *cells, found, end_section=True)
    out.print(table)
    if any("no abstract" in seed.evidence for seed in result.seeds):
        out.print(
            "(no abstract): only the title was checked; a missing group may still match in the "
            "library's abstract. Import the record or add its abstract to the protocol."
        )
    missed = [s for s in result.seeds if s.missing and not s.excluded_by and not s.out_of_years]
    if missed:
        changes = _table("The smallest change that finds each missed seed")
        changes.add_column("Seed paper", ratio=2, overflow="fold")
        changes.add_column("Change", ratio=3, overflow="fold")
        changes.add_column("Why / per library", ratio=3, overflow="fold")
        for seed in missed:
            by_group = {f.group: f for f in seed.fixes}
            for i, name in enumerate(seed.missing):
                fix = by_group.get(name)
                title = seed.title if i == 0 else ""
                last = i == len(seed.missing) - 1
                if fix is None:
                    changes.add_row(
                        title,
                        f"{name}: none found",
                        f"no truncation, proximity or phrase of the paper belongs with {name}",
                        end_section=last,
                    )
                    continue
                changes.add_row(title, fix.describe(), fix.per_library(), end_section=last)
        out.print(changes)
    if result.suggestions:
        ideas = _table("Terms the seed papers (and the records most like them) use, others rarely")
        ideas.add_column("Term", overflow="fold")
        ideas.add_column("Also written", overflow="fold")
        ideas.add_column("Group")
        ideas.add_column("Seeds", justify="right")
        ideas.add_column("Like seeds", justify="right")
        ideas.add_column("Other records", justify="right")
        ideas.add_column("z", justify="right")
        ideas.add_column("Why this group", ratio=2, overflow="fold")
        for s in result.suggestions:
            other = "—" if s.records is None else str(s.records)
            ideas.add_row(
                s.text,
                ", ".join(s.variants),
                s.group or "new group",
                str(s.seeds),
                str(s.neighbours),
                other,
                f"{s.score:.1f}",
                s.placement.reason,
            )
        out.print(ideas)
        if result.records == 0:
            out.print("the project holds no records: suggestions are ranked by seed papers only")
        out.print(
            "try one before editing protocol.yaml: metasummary query test --add "
            f'{result.suggestions[0].group or "D"}:"{result.suggestions[0].text}"'
        )


@query_app.command("check")
def check(
    suggest: Annotated[
        int, typer.Option("--suggest", min=0, help="How many terms to suggest.")
    ] = 10,
    from_included: Annotated[
        bool,
        typer.Option(
            "--from-included",
            help="Use the papers screening included as the seeds (for an update search).",
        ),
    ] = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check each seed paper against each group: matched terms, missing groups, the smallest
    change that finds each missed seed, and terms to add (each placed in a group).

    Example: metasummary query check -p my-review --suggest 15
    """
    with open_project(project_dir, db) as project:
        result = project.query.check(suggestions=suggest, from_included=from_included)
    if as_json:
        print_json(result.to_dict())
    else:
        render_check(result)


@query_app.command("versions")
def versions(
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List every recorded version of the query with its date, changes and hit counts.

    Example: metasummary query versions --json
    """
    with open_project(project_dir, db) as project:
        found = project.query.versions()
        current = project.query.is_recorded() if project.protocol.query.groups else True
    if as_json:
        print_json([v.to_dict() for v in found])
        return
    out = console()
    if not found:
        out.print("no versions yet: run 'metasummary query test' to record the query")
        return
    table = _table("Query versions")
    for column in ("#", "Date", "Changes", "Groups", "Final", "Note"):
        table.add_column(column, overflow="fold", justify="right" if column == "Final" else "left")
    for v in found:
        groups = " ".join(f"{k}:{n}" for k, n in (v.hits.get("groups") or {}).items())
        table.add_row(
            str(v.number),
            v.created_at.strftime("%Y-%m-%d %H:%M"),
            "; ".join(v.changes),
            groups,
            str(v.hits.get("final", "")),
            v.note,
        )
    out.print(table)
    if not current:
        out.print("the protocol's query has changed since: run 'metasummary query test'")
