"""Debian's chromium driven by Playwright, for the browser tests; never a downloaded browser.

Without chromium or Playwright the browser tests skip locally; with
``METASUMMARY_REQUIRE_BROWSER=1`` (set by ``.ci/run``) they fail instead, like the PostgreSQL
tests and ``METASUMMARY_REQUIRE_PG``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REQUIRE_BROWSER_ENV = "METASUMMARY_REQUIRE_BROWSER"
CHROMIUM_ENV = "METASUMMARY_CHROMIUM"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> Path | None:
    """``$METASUMMARY_CHROMIUM``, else Debian's ``/usr/bin/chromium``, else one on PATH."""
    for candidate in (os.environ.get(CHROMIUM_ENV), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def unavailable(message: str) -> None:
    """Skip, or fail when the environment requires the browser tests to run."""
    if os.environ.get(REQUIRE_BROWSER_ENV) == "1":
        pytest.fail(f"{message}, and {REQUIRE_BROWSER_ENV}=1 requires it")
    pytest.skip(message)
