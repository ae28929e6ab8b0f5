"""``user add/list/disable/enable/passwd``: the accounts a team signs in with."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.errors import InputError

users_app = typer.Typer(
    help="Accounts for the web app served to a team: owners, reviewers, observers.",
    no_args_is_help=True,
)

NameArgument = Annotated[str, typer.Argument(help="The account name people sign in with.")]
PasswordStdinOption = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of standard input (for scripts).",
    ),
]
ByOption = Annotated[
    str,
    typer.Option(
        "--by",
        help="Who makes the change, for the event log (default: your login name).",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="user")


def _actor(by: str) -> str:
    return by or getpass.getuser()


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InputError("--password-stdin: standard input held no password")
        return line
    if not sys.stdin.isatty():
        raise InputError("no terminal to ask for the password on; use --password-stdin")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise InputError("the two passwords differ; nothing was changed")
    return first


@users_app.command("add")
def add(
    name: NameArgument,
    role: Annotated[
        str, typer.Option("--role", help="owner, reviewer or observer.", show_default=True)
    ] = "reviewer",
    reviewer: Annotated[
        str,
        typer.Option(
            "--reviewer",
            help="The protocol reviewer (R1, R2 ...) the account votes as; needed for a reviewer.",
            show_default=False,
        ),
    ] = "",
    full_name: Annotated[str, typer.Option("--name", help="The person's full name.")] = "",
    oidc_subject: Annotated[
        str,
        typer.Option(
            "--oidc-subject",
            help="Their subject ('sub') at the OpenID Connect provider, to sign in there.",
            show_default=False,
        ),
    ] = "",
    no_password: Annotated[
        bool,
        typer.Option("--no-password", help="Sign in only through OpenID Connect."),
    ] = False,
    password_stdin: PasswordStdinOption = False,
    by: ByOption = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Create an account; asks for its password twice unless --password-stdin.

    Example: metasummary user add alice --role reviewer --reviewer R1
    """
    if no_password and not oidc_subject:
        raise InputError("--no-password: give --oidc-subject, or the account cannot sign in")
    password = "" if no_password else _password(password_stdin)
    with open_project(project_dir, db) as project:
        row = project.accounts.add(
            name,
            role=role,
            reviewer=reviewer,
            password=password,
            full_name=full_name,
            oidc_subject=oidc_subject,
            actor=_actor(by),
        )
    votes = f", votes as {row.reviewer}" if row.reviewer else ""
    console().print(f"account {row.name}: {row.role}{votes}", markup=False)


@users_app.command("list")
def list_(
    project_dir: ProjectOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """List the accounts, their roles and the reviewers they vote as.

    Example: metasummary user list
    """
    with open_project(project_dir, db) as project:
        rows = project.accounts.list()
    if as_json:
        print_json(
            [
                {
                    "name": r.name,
                    "full_name": r.full_name,
                    "role": r.role,
                    "reviewer": r.reviewer,
                    "password": bool(r.password_hash),
                    "oidc_subject": r.oidc_subject or "",
                    "disabled": r.disabled,
                    "created_at": r.created_at.isoformat(),
                }
                for r in rows
            ]
        )
        return
    out = console()
    if not rows:
        out.print("No accounts: the web app serves only this machine, without sign-in.")
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("Account", "Name", "Role", "Reviewer", "Signs in with", "Status"):
        table.add_column(column)
    for r in rows:
        ways = [w for w, on in (("password", r.password_hash), ("OIDC", r.oidc_subject)) if on]
        status = "disabled" if r.disabled else "active"
        table.add_row(r.name, r.full_name, r.role, r.reviewer, " + ".join(ways), status)
    out.print(table)


@users_app.command("disable")
def disable(
    name: NameArgument, by: ByOption = "", project_dir: ProjectOption = None, db: DbOption = None
) -> None:
    """Stop an account from signing in and end its sessions; its work stays.

    Example: metasummary user disable alice
    """
    with open_project(project_dir, db) as project:
        row = project.accounts.disable(name, actor=_actor(by))
    console().print(f"account {row.name}: disabled; its sessions have ended", markup=False)


@users_app.command("enable")
def enable(
    name: NameArgument, by: ByOption = "", project_dir: ProjectOption = None, db: DbOption = None
) -> None:
    """Let a disabled account sign in again.

    Example: metasummary user enable alice
    """
    with open_project(project_dir, db) as project:
        row = project.accounts.enable(name, actor=_actor(by))
    console().print(f"account {row.name}: active", markup=False)


@users_app.command("passwd")
def passwd(
    name: NameArgument,
    password_stdin: PasswordStdinOption = False,
    by: ByOption = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Set an account's password; every session it had ends.

    Example: metasummary user passwd alice
    """
    password = _password(password_stdin)
    with open_project(project_dir, db) as project:
        row = project.accounts.set_password(name, password, actor=_actor(by))
    console().print(f"account {row.name}: new password set; its sessions have ended", markup=False)
