"""Rendering for the terminal: Rich tables for people, JSON for programs."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console


def console(*, stderr: bool = False) -> Console:
    # Built per call so tests capturing stdout see the output, and so a pipe gets no colour.
    return Console(file=sys.stderr if stderr else sys.stdout, highlight=False, soft_wrap=False)


def print_json(data: Any) -> None:
    """JSON on stdout, stable key order, non-ASCII kept readable."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
