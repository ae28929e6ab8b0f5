"""The CLI reference in Markdown, generated from the commands' own help.

``python -m metasummary.cli.reference > docs/cli.md`` rewrites ``docs/cli.md`` (and with
``--index``, the command index ``cli/commands.json``); a test fails when either is out of date
or a command has no help text.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

from metasummary.cli.app import command as root_command


def walk(
    command: click.Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command and group under ``command``, depth first, in name order."""
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            sub = command.commands[name]
            if not sub.hidden:
                yield from walk(sub, (*path, name))


def render() -> str:
    lines = [
        "# CLI reference",
        "",
        "Generated from `metasummary --help`; regenerate with",
        "`python -m metasummary.cli.reference > docs/cli.md`.",
        "",
    ]
    for path, command in walk(root_command):
        name = " ".join(("metasummary", *path))
        ctx = click.Context(
            command,
            info_name=name,
            max_content_width=100,
            terminal_width=100,
            help_option_names=["-h", "--help"],
        )
        lines += [f"## `{name}`", "", "```text", command.get_help(ctx).rstrip(), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    import sys

    from metasummary.cli.commands import render_index

    print(render_index() if "--index" in sys.argv[1:] else render(), end="")
