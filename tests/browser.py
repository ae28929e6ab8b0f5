"""Debian's chromium driven by Playwright, for the browser tests; never a downloaded browser.

Without chromium or Playwright the browser tests skip locally; with
``METASUMMARY_REQUIRE_BROWSER=1`` (set by ``.ci/run``) they fail instead, like the PostgreSQL
tests and ``METASUMMARY_REQUIRE_PG``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

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


SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


@contextmanager
def launched_chromium() -> Iterator[Browser]:
    """Debian's chromium, headless; skips (or fails where required) when it cannot run."""
    chromium = find_chromium()
    if chromium is None:
        unavailable("Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@dataclass
class Watched:
    """A page and everything that went wrong on it."""

    page: Page
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@contextmanager
def watched_page(browser: Browser, base_url: str) -> Iterator[Watched]:
    """A fresh page on ``base_url`` recording console errors and dialogs, any request to
    another address blocked and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url)
    page = context.new_page()
    watched = Watched(page)

    def only_local(route: Any) -> None:
        if route.request.url.startswith(base_url + "/"):
            route.continue_()
        else:
            watched.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page.on("console", lambda m: watched.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: watched.errors.append(str(exc)))

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield watched
    context.close()


def act_as(page: Any, reviewer: str) -> None:
    """Choose who you are in the header's reviewer menu; the page reloads as them."""
    from playwright.sync_api import expect

    with page.expect_navigation():
        page.select_option("#acting-reviewer", reviewer)
    expect(page.locator("#acting-reviewer")).to_have_value(reviewer)
