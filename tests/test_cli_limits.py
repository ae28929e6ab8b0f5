"""Issue 23, failure 6 on the command line: 2^64 as a record id was "unexpected error, please
report it"; now every integer argument is held to the store's range and named when beyond."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from metasummary import Project
from metasummary.cli import command
from metasummary.store.limits import INT_MAX, INT_MIN
from tests.clirunner import run

HUGE = str(2**64)


def commands(cmd: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, click.Command]]:
    yield " ".join(path), cmd
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            yield from commands(sub, (*path, name))


def test_every_integer_parameter_is_within_the_store() -> None:
    found = 0
    for name, cmd in commands(command):
        for param in cmd.params:
            if isinstance(param.type, click.types.IntParamType):
                found += 1
                assert isinstance(param.type, click.IntRange), (name, param.name)
                assert param.type.min is not None, (name, param.name)
                assert param.type.max is not None, (name, param.name)
                assert INT_MIN <= param.type.min <= param.type.max <= INT_MAX, (name, param.name)
    assert found > 30


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["decide", HUGE, "include", "-r", "R1"], "'[RECORD]'"),
        (["undo", HUGE, "-r", "R1"], "'[RECORD]'"),
        (["conflicts", "resolve", HUGE, "include", "-r", "R1"], "'RECORD'"),
        (["dedup", "link", "1", HUGE], "'DUPLICATE'"),
        (["findings", "show", HUGE], "'FINDING'"),
        (["sort", "theme-rename", HUGE, "New label"], "'THEME'"),
        (["sort", "move", "1", HUGE, "--to", "1"], "'FINDINGS...'"),
    ],
)
def test_a_number_beyond_the_store_is_named_in_one_line(
    project: Project, args: list[str], named: str
) -> None:
    assert project.root is not None
    result = run("-p", str(project.root), *args)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1
    assert named in errors[0]
    assert "beyond the numbers the database holds" in errors[0]
    assert "unexpected" not in result.stderr


def test_help_still_shows_only_the_bounds_a_command_chose(tmp_path: Path) -> None:
    text = run("dedup", "review", "--help").stdout
    assert "x>=1" in text
    assert "2147483647" not in text
