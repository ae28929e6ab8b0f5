"""``sort …``: the card sort, stage > theme > finding, one undoable operation per command."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.markup import escape
from rich.tree import Tree

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.cli.synthesis_options import SortCoderOption
from metasummary.errors import InputError
from metasummary.synthesis.board import BoardView
from metasummary.synthesis.sortsteps import Theme

sort_app = typer.Typer(
    help="Card sort: themes in stages, findings in themes; every step can be undone.",
    no_args_is_help=True,
)

ThemeArg = Annotated[int, typer.Argument(help="A theme id (see: metasummary sort show).")]
StageArg = Annotated[str, typer.Argument(help="A stage code of the protocol (e.g. QA).")]
PointsOption = Annotated[
    list[str] | None, typer.Option("--point", help="A sub-point (repeat for several).")
]


def register(app: typer.Typer) -> None:
    app.add_typer(sort_app, name="sort")


def _said(theme: Theme, verb: str) -> None:
    console().print(f"{verb} theme {theme.id} {escape(repr(theme.label))} in {theme.stage}")


@sort_app.command("theme-create")
def theme_create(
    stage: StageArg,
    label: Annotated[str, typer.Argument(help="The theme's label.")],
    description: Annotated[str, typer.Option(help="A longer description.")] = "",
    point: PointsOption = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Create a theme at the end of a stage.

    Example: metasummary sort theme-create QA "Testing ML models lacks specifications"
    """
    with open_project(project_dir, db) as project:
        theme = project.synthesis.sorting.create_theme(
            stage, label, description=description, sub_points=point or []
        )
    _said(theme, "Created")


@sort_app.command("theme-rename")
def theme_rename(
    theme: ThemeArg,
    label: Annotated[str, typer.Argument(help="The new label.")],
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Rename a theme.

    Example: metasummary sort theme-rename 4 "Unrealistic expectations from customers"
    """
    with open_project(project_dir, db) as project:
        result = project.synthesis.sorting.rename_theme(theme, label)
    _said(result, "Renamed")


@sort_app.command("theme-describe")
def theme_describe(
    theme: ThemeArg,
    description: Annotated[str | None, typer.Option(help="The new description.")] = None,
    point: PointsOption = None,
    clear_points: Annotated[
        bool, typer.Option("--clear-points", help="Remove every sub-point.")
    ] = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Set a theme's description and sub-points (the sub-points given replace the old ones).

    Example: metasummary sort theme-describe 4 --point "oracle problem" --point "corner cases"
    """
    if description is None and not point and not clear_points:
        raise InputError("nothing to change: give --description, --point or --clear-points")
    points = [] if clear_points else point
    with open_project(project_dir, db) as project:
        result = project.synthesis.sorting.describe_theme(
            theme, description=description, sub_points=points
        )
    _said(result, "Described")


@sort_app.command("theme-merge")
def theme_merge(
    themes: Annotated[list[int], typer.Argument(help="The theme ids merged away.")],
    into: Annotated[int, typer.Option("--into", help="The theme they are merged into.")],
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Merge themes into one; their findings move in every coder's sort.

    Example: metasummary sort theme-merge 5 6 --into 4
    """
    with open_project(project_dir, db) as project:
        result = project.synthesis.sorting.merge_themes(themes, into)
    _said(result, "Merged into")


@sort_app.command("theme-split")
def theme_split(
    theme: ThemeArg,
    label: Annotated[str, typer.Argument(help="The label of the new theme.")],
    findings: Annotated[list[int], typer.Argument(help="The finding ids that move to it.")],
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Split a theme: the findings named move to a new theme in the same stage.

    Example: metasummary sort theme-split 4 "Oracle problem" 17 23 31
    """
    with open_project(project_dir, db) as project:
        result = project.synthesis.sorting.split_theme(theme, label, findings)
    _said(result, "Split off")


@sort_app.command("theme-move")
def theme_move(
    theme: ThemeArg,
    stage: StageArg,
    position: Annotated[
        int | None, typer.Option(help="Place in the stage, from 0 (default: at the end).")
    ] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Move a theme to another stage (or to another place in its stage).

    Example: metasummary sort theme-move 4 PROCESS --position 0
    """
    with open_project(project_dir, db) as project:
        result = project.synthesis.sorting.move_theme(theme, stage, position=position)
    _said(result, "Moved")


@sort_app.command("theme-reorder")
def theme_reorder(
    stage: StageArg,
    themes: Annotated[list[int], typer.Argument(help="Theme ids in their new order.")],
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Reorder a stage's themes: those named come first, in that order.

    Example: metasummary sort theme-reorder QA 7 4 5
    """
    with open_project(project_dir, db) as project:
        result = project.synthesis.sorting.reorder_themes(stage, themes)
    console().print(f"{stage}: " + ", ".join(str(t.id) for t in result))


@sort_app.command("move")
def move(
    findings: Annotated[list[int], typer.Argument(help="Finding ids.")],
    to: Annotated[int | None, typer.Option("--to", help="The theme they go to.")] = None,
    unsorted: Annotated[
        bool, typer.Option("--unsorted", help="Take them out of the sort instead.")
    ] = False,
    position: Annotated[
        int | None, typer.Option(help="Place in the theme, from 0 (default: at the end).")
    ] = None,
    coder: SortCoderOption = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Put findings in a theme, or back on the unsorted pile.

    Example: metasummary sort move 17 23 --to 4
    """
    if (to is None) == (not unsorted):
        raise InputError("give either --to THEME or --unsorted")
    with open_project(project_dir, db) as project:
        placed = project.synthesis.sorting.move_findings(
            findings, to, coder=coder, position=position, actor=coder
        )
    where = f"theme {to}" if to is not None else "unsorted"
    console().print(f"Moved {len(placed)} finding(s) to {where}")


@sort_app.command("reorder")
def reorder(
    theme: ThemeArg,
    findings: Annotated[list[int], typer.Argument(help="Finding ids in their new order.")],
    coder: SortCoderOption = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Reorder the findings of a theme: those named come first, in that order.

    Example: metasummary sort reorder 4 23 17
    """
    with open_project(project_dir, db) as project:
        placed = project.synthesis.sorting.reorder_findings(theme, findings, coder=coder)
    console().print(f"theme {theme}: " + ", ".join(str(p.finding_id) for p in placed))


@sort_app.command("undo")
def undo(
    coder: Annotated[
        str | None, typer.Option("--coder", help="Undo this coder's latest step instead.")
    ] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Undo the latest card-sort step (again to go further back).

    Example: metasummary sort undo
    """
    with open_project(project_dir, db) as project:
        event = project.synthesis.sorting.undo(actor=coder)
    console().print(f"Undid: {escape(event.summary)}")


@sort_app.command("history")
def history(
    limit: Annotated[int, typer.Option(help="How many steps to show.")] = 20,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the latest card-sort steps, newest first.

    Example: metasummary sort history --limit 5
    """
    with open_project(project_dir, db) as project:
        steps = project.synthesis.sorting.history(limit=limit)
    if as_json:
        print_json([asdict(s) for s in steps])
        return
    out = console()
    for step in steps:
        mark = " (undone)" if step.undone else ""
        who = f" [{step.actor}]" if step.actor else ""
        out.print(
            f"{step.id:>5} {step.created_at:%Y-%m-%d %H:%M}{who} {escape(step.summary)}{mark}"
        )


@sort_app.command("show")
def show(
    coder: SortCoderOption = "",
    stage: Annotated[str | None, typer.Option(help="Only this stage.")] = None,
    cards: Annotated[
        bool, typer.Option("--findings/--no-findings", help="Show each theme's findings.")
    ] = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the board: stages, their themes with papers and findings, and what is unsorted.

    Example: metasummary sort show --findings
    """
    with open_project(project_dir, db) as project:
        board = project.synthesis.board(coder=coder)
    if stage:
        board.stages = [s for s in board.stages if s.code.casefold() == stage.casefold()]
    if as_json:
        print_json(board.to_dict())
    else:
        render_board(board, cards=cards)


def render_board(board: BoardView, *, cards: bool) -> None:
    name = f"{board.coder}'s sort" if board.coder else "Consensus sort"
    tree = Tree(f"[bold]{name}[/bold]")
    for lane in board.stages:
        branch = tree.add(f"[bold]{lane.code}[/bold] {escape(lane.label)}")
        for column in lane.themes:
            theme = column.theme
            node = branch.add(
                f"[{theme.id}] {escape(theme.label)} — {column.papers} paper(s), "
                f"{len(column.cards)} finding(s)"
            )
            for point in theme.sub_points:
                node.add(f"· {escape(point)}")
            if cards:
                for card in column.cards:
                    node.add(f"#{card.id} (paper {card.paper}) {escape(card.text)}")
    console().print(tree)
    console().print(f"{len(board.unsorted)} finding(s) not sorted yet")
