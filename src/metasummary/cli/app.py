"""The ``metasummary`` Typer app, its global options and its error handling.

Library errors become one line on stderr and exit 1; usage errors exit 2 (Click's own
convention); anything unexpected is reported in one line too, and ``--debug`` shows the
traceback.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click
import typer
from typer.core import TyperGroup

from metasummary.cli import (
    agreement,
    codebook,
    coding,
    conflicts,
    decide,
    dedup,
    demo,
    export,
    extraction,
    findings,
    fulltext,
    imports,
    keeping,
    project,
    protocol,
    quality,
    query,
    report,
    screen,
    search,
    simulate,
    snowball,
    sorting,
    users,
    web,
)
from metasummary.cli import synthesis as synthesis_cli
from metasummary.cli.options import CliState, DbOption, ProjectOption
from metasummary.errors import MetasummaryError

DEBUG_ENV = "METASUMMARY_DEBUG"


class _Group(TyperGroup):
    """Turns errors raised by any command into one clear line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except MetasummaryError as exc:
            if _debug(ctx):
                raise
            for line in exc.lines():
                click.echo(f"error: {line}", err=True)
            if exc.problems:
                click.echo(f"error: {exc.message}", err=True)
            raise click.exceptions.Exit(1) from None
        except KeyboardInterrupt:
            click.echo("interrupted; nothing half-written was kept", err=True)
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:
            # The reader went away (`metasummary ... | head`): stop quietly, as Unix tools do.
            _silence_stdout()
            raise click.exceptions.Exit(0) from None
        except Exception as exc:  # a bug: one line unless --debug asks for the traceback
            if _debug(ctx):
                raise
            click.echo(
                f"error: unexpected {type(exc).__name__}: {exc} (run with --debug for the "
                "traceback, and please report it)",
                err=True,
            )
            raise click.exceptions.Exit(1) from None


def _silence_stdout() -> None:
    # Python would report the broken pipe again when it flushes stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _debug(ctx: click.Context) -> bool:
    state = ctx.find_object(CliState)
    return bool(state and state.debug) or os.environ.get(DEBUG_ENV) == "1"


app = typer.Typer(
    name="metasummary",
    cls=_Group,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    help=(
        "Carry a systematic literature review from its protocol to a qualitative "
        "meta-summary.\n\nStart with: metasummary init my-review"
    ),
)


def _print_version(value: bool) -> None:
    if value:
        from metasummary import __version__

        typer.echo(f"metasummary {__version__}")
        raise typer.Exit(0)


@app.callback()
def _global(
    ctx: typer.Context,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks, not one-line errors."),
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        is_eager=True,
        callback=_print_version,
    ),
) -> None:
    """Global options apply to every command."""
    ctx.obj = CliState(project=project_dir, db=db, debug=debug)


# One line per command group; the order is the order of `metasummary --help`.
for group in (
    project,
    protocol,
    demo,
    imports,
    search,
    export,
    dedup,
    snowball,
    query,
    decide,
    screen,
    conflicts,
    agreement,
    simulate,
    fulltext,
    quality,
    extraction,
    findings,
    sorting,
    coding,
    synthesis_cli,
    codebook,
    report,
    web,
    users,
    keeping,
):
    group.register(app)


command = typer.main.get_command(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script and ``python -m metasummary``."""
    try:
        # Outside standalone mode Click returns the exit code of an Exit raised inside a
        # command (our one-line errors) instead of calling sys.exit: pass it on.
        result = command.main(args=argv, prog_name="metasummary", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 1
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
