"""The documentation keeps up with the code."""

from __future__ import annotations

import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from metasummary.cli.app import command
from metasummary.cli.reference import render, walk
from metasummary.snowball import service as snowball_service
from tests.clirunner import run
from tests.snowballdata import FakeOpenAlex

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


def test_every_command_is_in_the_user_guide() -> None:
    guide = "\n".join(p.read_text(encoding="utf-8") for p in sorted((DOCS / "guide").glob("*.md")))
    leaves = [
        " ".join(path) for path, cmd in walk(command) if path and not hasattr(cmd, "commands")
    ]
    missing = [name for name in leaves if f"metasummary {name}" not in guide]
    assert missing == [], "document these commands in docs/guide/"


README = DOCS.parent / "README.md"
EXAMPLE = DOCS.parent / "src" / "metasummary" / "example" / "cain2023"


@dataclass
class Shown:
    """A command of the README's walk-through and the output it shows (``…`` elides)."""

    argv: list[str]
    output: list[str]


def walkthrough() -> list[Shown]:
    text = README.read_text(encoding="utf-8")
    body = text.split("<!-- walkthrough:start -->")[1].split("<!-- walkthrough:end -->")[0]
    shown: list[Shown] = []
    inside = False
    for line in body.splitlines():
        if line.startswith("```"):
            inside = not inside
        elif inside and line.startswith("$ "):
            shown.append(Shown(shlex.split(line[2:]), []))
        elif inside and shown:
            shown[-1].output.append(line)
    return shown


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_the_readme_walkthrough_runs_on_the_demo_review(
    demo_review: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every command of the walk-through runs (``init`` in an empty folder, the others in a
    copy of the demo review, OpenAlex replayed) and prints the first lines it shows."""
    shown = walkthrough()
    commands = [s.argv for s in shown if s.argv[0] == "metasummary"]
    assert 13 <= len(commands) <= 18, "about fifteen commands"
    steps = {argv[1] for argv in commands}
    for step in ("init", "protocol", "import", "dedup", "screen", "snowball", "extract"):
        assert step in steps, step
    assert {"findings", "sort", "summary", "report"} <= steps
    review = tmp_path / "demo" / "my-review"
    shutil.copytree(demo_review, review)
    shutil.copy(EXAMPLE / "ieee.ris", review / "scopus.ris")
    monkeypatch.setattr(snowball_service, "make_fetcher", FakeOpenAlex().fetcher)
    monkeypatch.setenv("COLUMNS", "200")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    for item in shown:
        if item.argv[0] == "cd":
            continue
        assert item.argv[0] == "metasummary", item.argv
        monkeypatch.chdir(scratch if item.argv[1] == "init" else review)
        result = run(*item.argv[1:])
        assert result.exit_code == 0, (item.argv, result.stderr)
        printed = _flat(result.stdout)
        first = next((line for line in item.output if line.strip() not in ("", "…")), None)
        if first is None:
            continue
        for part in first.split("…"):
            assert _flat(part) in printed, (item.argv, part)
