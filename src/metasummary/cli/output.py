"""Rendering for the terminal: Rich tables for people, JSON for programs."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    from metasummary.imports.search.fetch import Retry


def console(*, stderr: bool = False) -> Console:
    # Built per call so tests capturing stdout see the output, and so a pipe gets no colour.
    return Console(file=sys.stderr if stderr else sys.stdout, highlight=False, soft_wrap=False)


def print_json(data: Any) -> None:
    """JSON on stdout, stable key order, non-ASCII kept readable."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_retry(out: Console) -> Callable[[Retry], None]:
    """Prints each retry of a web request as it starts (on the progress bar's console, above
    the bar), so a user waiting on a slow API sees why."""

    def report(retry: Retry) -> None:
        out.print(retry.message(), markup=False, highlight=False, soft_wrap=True)

    return report
