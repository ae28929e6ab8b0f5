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
        str,
        typer.Option(
            "--host",
            help="Address to listen on; only this machine by default. Another needs accounts.",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to listen on (0: any free one).")
    ] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, help="Worker processes (a team's server); needs accounts if > 1."
        ),
    ] = 1,
    session_hours: Annotated[
        float,
        typer.Option("--session-hours", min=0.1, help="How long a sign-in lasts (team mode)."),
    ] = 12.0,
    oidc_issuer: Annotated[
        str,
        typer.Option(
            "--oidc-issuer",
            help="Also sign in through this OpenID Connect provider (its issuer URL); the "
            "client secret comes from $METASUMMARY_OIDC_CLIENT_SECRET.",
            show_default=False,
        ),
    ] = "",
    oidc_client_id: Annotated[
        str, typer.Option("--oidc-client-id", help="This server's client id at the provider.")
    ] = "",
    oidc_label: Annotated[
        str, typer.Option("--oidc-label", help="The provider's name on the sign-in button.")
    ] = "OpenID Connect",
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the app in the default web browser.")
    ] = False,
) -> None:
    """Serve the review as a web app: on this machine for one person, or, once the review has
    accounts (metasummary user add), to a team that signs in.

    Example: metasummary serve -p my-review --open
    """
    try:
        from metasummary.web.server import config_for
        from metasummary.web.server import serve as run
    except ImportError as exc:
        if (exc.name or "").split(".")[0] in _WEB_MODULES:
            raise MissingExtraError("metasummary serve", "web") from None
        raise
    state = click.get_current_context().find_object(CliState)
    out = console()
    with open_project(project_dir, db, per_request=True) as project:
        config = config_for(
            project,
            host,
            session_seconds=round(session_hours * 3600),
            oidc_issuer=oidc_issuer,
            oidc_client_id=oidc_client_id,
            oidc_label=oidc_label,
        )
        run(
            project,
            config,
            port=port,
            workers=workers,
            open_browser=open_browser,
            announce=lambda line: out.print(line, markup=False, soft_wrap=True),
            debug=bool(state and state.debug),
        )
