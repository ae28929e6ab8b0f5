"""``serve``: the local web app."""

from __future__ import annotations

from typing import Annotated

import click
import typer

from metasummary.cli.options import CliState, DbOption, ProjectOption, open_project
from metasummary.cli.output import console
from metasummary.errors import MissingExtraError

_WEB_MODULES = {"fastapi", "starlette", "uvicorn", "jinja2", "multipart", "python_multipart"}


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    project_dir: ProjectOption = None,
    db: DbOption = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; only this machine by default.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to listen on (0: any free one).")
    ] = 8000,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the app in the default web browser.")
    ] = False,
    unsafe_no_auth: Annotated[
        bool,
        typer.Option(
            "--unsafe-no-auth",
            help="Allow a non-local --host although nobody has to sign in.",
        ),
    ] = False,
) -> None:
    """Serve the review as a local web app: dashboard, records, record pages and report.

    Example: metasummary serve -p my-review --open
    """
    try:
        from metasummary.web.server import check_host
        from metasummary.web.server import serve as run
    except ImportError as exc:
        if (exc.name or "").split(".")[0] in _WEB_MODULES:
            raise MissingExtraError("metasummary serve", "web") from None
        raise
    check_host(host, unsafe_no_auth=unsafe_no_auth)  # refuse before opening anything
    out, err = console(), console(stderr=True)
    state = click.get_current_context().find_object(CliState)
    with open_project(project_dir, db, per_request=True) as project:
        run(
            project,
            host=host,
            port=port,
            open_browser=open_browser,
            unsafe_no_auth=unsafe_no_auth,
            announce=lambda line: out.print(line, markup=False, soft_wrap=True),
            warn=lambda line: err.print(f"warning: {line}", markup=False, soft_wrap=True),
            debug=bool(state and state.debug),
        )
