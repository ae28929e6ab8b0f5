"""``search``: query an open API and store what it finds as a source."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.imports.search import APIS
from metasummary.imports.search.service import DEFAULT_MAX


def register(app: typer.Typer) -> None:
    app.command("search")(search)


def search(
    api: Annotated[str, typer.Argument(help=f"The API: {', '.join(APIS)}.", show_default=False)],
    query: Annotated[
        str | None, typer.Option("--query", "-q", help="Query text in the API's own syntax.")
    ] = None,
    from_protocol: Annotated[
        bool, typer.Option("--from-protocol", help="Use the protocol's query groups and years.")
    ] = False,
    max_records: Annotated[
        int, typer.Option("--max", help="Stop after this many records.")
    ] = DEFAULT_MAX,
    source: Annotated[
        str | None,
        typer.Option(
            "--source", "-s", help="Source to store the results in (default: '<API> search')."
        ),
    ] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search OpenAlex, arXiv, Crossref or Semantic Scholar and store the results as a source.

    Pages are cached in the review as they arrive, so an interrupted search picks up where it
    stopped when run again. The query text and date are kept with the source.

    Example: metasummary search openalex --query '"machine learning" AND testing' --max 500
    """
    with open_project(project_dir, db) as project:
        if as_json:
            result = project.searches.run(
                api,
                query=query,
                from_protocol=from_protocol,
                max_records=max_records,
                source=source,
            )
        else:
            with Progress(
                TextColumn(f"{api}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=console(stderr=True),
                transient=True,
            ) as bar:
                task = bar.add_task(api, total=None)

                def advance(done: int, total: int | None) -> None:
                    bar.update(task, completed=done, total=total)

                result = project.searches.run(
                    api,
                    query=query,
                    from_protocol=from_protocol,
                    max_records=max_records,
                    source=source,
                    progress=advance,
                )
    if as_json:
        print_json(result.to_dict())
        return
    total = f" of {result.total:,} hits" if result.total is not None else ""
    cached = f", {result.cached_pages} from the cache" if result.cached_pages else ""
    console().print(
        f"{result.api}: {result.imported} records{total} into '{result.source}' "
        f"({result.pages} pages{cached})",
        markup=False,
        soft_wrap=True,
    )
    console().print(f"query: {result.query}", markup=False, soft_wrap=True)
