"""``migrate-db``, ``backup`` and ``restore``: moving a review and keeping it safe."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.keeping import move_database, restore
from metasummary.store.transfer import TableCount


def register(app: typer.Typer) -> None:
    app.command("migrate-db")(migrate_db)
    app.command("backup")(backup)
    app.command("restore")(restore_)


def _tables(counts: list[TableCount]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Table")
    table.add_column("Rows", justify="right")
    for count in counts:
        if count.rows:
            table.add_row(count.table, str(count.rows))
    return table


def migrate_db(
    source: Annotated[
        str,
        typer.Option(
            "--from", help="The review's database: a SQLite file or a URL.", show_default=False
        ),
    ],
    target: Annotated[
        str,
        typer.Option(
            "--to", help="An empty database (URL or SQLite file) to move it to.", show_default=False
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Copy a review's database into another, every table row for row, and check the copy
    before it is kept; stop the server first (later writes are not carried over).

    Example: metasummary migrate-db --from my-review/review.db --to postgresql+psycopg://me@db/review
    """
    result = move_database(source, target)
    if as_json:
        print_json(
            {
                "from": result.source,
                "to": result.target,
                "tables": {t.table: t.rows for t in result.tables},
                "changed_meanwhile": result.changed_meanwhile,
            }
        )
        return
    out = console()
    out.print(_tables(result.tables))
    out.print(
        f"{result.rows} rows copied from {result.source} to {result.target} and compared: "
        "identical.",
        markup=False,
        soft_wrap=True,
    )
    if result.changed_meanwhile:
        console(stderr=True).print(
            "warning: the source was written to during the move; those writes are not in the "
            "copy. Stop the server and move again.",
            markup=False,
            soft_wrap=True,
        )


def backup(
    into: Annotated[
        Path | None,
        typer.Option(
            "--to",
            help="Folder to write the backup in (default: backups/ in the review folder).",
            show_default=False,
        ),
    ] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Back up the whole review while it is in use: a consistent copy of the database, the
    protocol, imported files and full texts, with a manifest of sha256 sums.

    Example: metasummary backup -p my-review --to /mnt/backups/my-review
    """
    with open_project(project_dir, db) as project:
        result = project.backup(into)
    if as_json:
        print_json(
            {
                "path": str(result.path),
                "engine": result.engine,
                "files": result.files,
                "bytes": result.bytes,
            }
        )
        return
    console().print(
        f"backup written: {result.path} ({result.engine} database and "
        f"{result.files - 1} review files, {result.bytes / 1e6:.1f} MB)",
        markup=False,
        soft_wrap=True,
    )


def restore_(
    backup: Annotated[Path, typer.Argument(help="A folder written by metasummary backup.")],
    folder: Annotated[
        Path,
        typer.Option("--to", help="The new review folder to restore into.", show_default=False),
    ],
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Restore the database here (an empty one) instead of review.db in the folder; "
            "needed for a PostgreSQL backup.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Restore a backup into a new folder, after checking every file against its manifest.

    Example: metasummary restore my-review/backups/backup-20260101T120000Z --to restored
    """
    result = restore(backup, folder, db)
    if as_json:
        print_json(
            {
                "folder": str(result.folder),
                "database": result.database,
                "files": result.files,
                "tables": {t.table: t.rows for t in result.tables},
            }
        )
        return
    out = console()
    out.print(_tables(result.tables))
    where = f" -p {result.folder}" + (f" --db {result.database}" if db else "")
    out.print(
        f"restored into {result.folder} ({result.database}); open it: metasummary{where} status",
        markup=False,
        soft_wrap=True,
    )
