"""Running the CLI in-process, the way a user's shell would."""

from __future__ import annotations

from dataclasses import dataclass

from click.testing import CliRunner

from metasummary.cli import command


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run(*args: str, input: str | None = None) -> Run:
    """Invoke ``metasummary ARGS`` and capture its exit code, stdout and stderr."""
    result = CliRunner().invoke(command, list(args), input=input, prog_name="metasummary")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)
