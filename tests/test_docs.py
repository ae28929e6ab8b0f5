"""The documentation keeps up with the code."""

from __future__ import annotations

from pathlib import Path

from metasummary.cli.app import command
from metasummary.cli.commands import INDEX, render_index
from metasummary.cli.reference import render, walk

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_command_has_help_text() -> None:
    missing = [
        " ".join(path) or "(root)" for path, cmd in walk(command) if not (cmd.help or "").strip()
    ]
    assert missing == []


def test_every_option_has_help_text() -> None:
    missing = [
        f"{' '.join(path)} {param.name}"
        for path, cmd in walk(command)
        for param in cmd.params
        if param.param_type_name == "option" and not getattr(param, "help", None)
    ]
    assert missing == []


def test_cli_reference_is_up_to_date() -> None:
    current = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert current == render(), "run: python -m metasummary.cli.reference > docs/cli.md"


def test_command_index_is_up_to_date() -> None:
    # The summaries `metasummary --help` lists without importing the commands.
    current = INDEX.read_text(encoding="utf-8")
    assert current == render_index(), "run: make docs"


def test_every_command_is_in_the_user_guide() -> None:
    guide = "\n".join(p.read_text(encoding="utf-8") for p in sorted((DOCS / "guide").glob("*.md")))
    leaves = [
        " ".join(path) for path, cmd in walk(command) if path and not hasattr(cmd, "commands")
    ]
    missing = [name for name in leaves if f"metasummary {name}" not in guide]
    assert missing == [], "document these commands in docs/guide/"
