"""The command table: which module under ``metasummary.cli`` holds each command.

A command's module, and what it imports, loads only when the command runs (or its help is
asked for), so ``metasummary decide`` does not pay for the report's charts nor ``--help`` for
the database. The listing of ``metasummary --help`` reads each command's one-line summary
from ``commands.json`` beside this file, generated from the commands' own help by
``python -m metasummary.cli.reference --index`` (``make docs``); a test fails when it is stale.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, MutableMapping
from importlib import import_module
from pathlib import Path

import click
import typer

INDEX = Path(__file__).with_name("commands.json")

# The modules that register commands, in the order `metasummary --help` lists them
# (commands before groups, each in this order).
MODULES = (
    "project",
    "protocol",
    "demo",
    "imports",
    "sources",
    "search",
    "export",
    "dedup",
    "snowball",
    "query",
    "decide",
    "decisions",
    "screen",
    "conflicts",
    "agreement",
    "simulate",
    "stopping",
    "fulltext",
    "quality",
    "extraction",
    "findings",
    "sorting",
    "coding",
    "synthesis",
    "codebook",
    "report",
    "web",
    "users",
    "keeping",
)


def load_module(module: str) -> dict[str, click.Command]:
    """The Click commands the module ``metasummary.cli.<module>`` registers, by name."""
    app = typer.Typer(rich_markup_mode=None, add_completion=False)
    from metasummary.cli.integers import bound_integers

    import_module(f"metasummary.cli.{module}").register(app)
    group = typer.main.get_group(app)
    return {name: bound_integers(command) for name, command in group.commands.items()}


def build_index() -> list[dict[str, str]]:
    """Every command: its name, module and summary (the first paragraph of its help)."""
    singles: list[dict[str, str]] = []
    groups: list[dict[str, str]] = []
    for module in MODULES:
        for name, command in load_module(module).items():
            entry = {"name": name, "module": module, "summary": _first_paragraph(command)}
            (groups if isinstance(command, click.Group) else singles).append(entry)
    return singles + groups


def render_index() -> str:
    return json.dumps(build_index(), indent=1, ensure_ascii=False) + "\n"


def _first_paragraph(command: click.Command) -> str:
    text = command.short_help or command.help or ""
    return " ".join(text.split("\n\n", 1)[0].split())


def read_index() -> list[dict[str, str]]:
    """The index as generated; built from the modules when the file is missing or unreadable
    (a checkout that has not run ``make docs`` yet still works, only slower)."""
    try:
        entries: list[dict[str, str]] = json.loads(INDEX.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return build_index()
    return entries


class LazyCommands(MutableMapping[str, click.Command]):
    """The root group's commands: names from the index, each module imported on first use."""

    def __init__(self, index: list[dict[str, str]]) -> None:
        self._module = {entry["name"]: entry["module"] for entry in index}
        self.summaries = {entry["name"]: entry["summary"] for entry in index}
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module = self._module[name]  # KeyError: no such command
            self._loaded.update(load_module(module))
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._module.setdefault(name, "")
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._module[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._module)

    def __len__(self) -> int:
        return len(self._module)
