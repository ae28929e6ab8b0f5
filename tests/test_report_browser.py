"""The HTML report opens in Debian's chromium with no console errors (file://, no server)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from metasummary import Project
from metasummary.example.demo import run_demo
from tests.reportdata import build, report_protocol

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def problems_opening(browser: Browser, page_file: Path) -> tuple[list[str], str]:
    """Console errors and warnings, page errors and failed requests; the page's title."""
    page = browser.new_page()
    found: list[str] = []
    page.on("console", lambda m: found.append(f"{m.type}: {m.text}") if m.type != "log" else None)
    page.on("pageerror", lambda e: found.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: found.append(f"requestfailed: {r.url}"))
    page.goto(page_file.as_uri(), wait_until="load")
    title = page.title()
    charts = page.locator("figure.chart svg").count()
    page.close()
    return found + ([] if charts else ["no chart drawn"]), title


def test_report_page_opens_without_console_errors(
    browser: Browser, make_project: Callable[..., Project], tmp_path: Path
) -> None:
    project = make_project(report_protocol())
    build(project)
    written = project.report.write(tmp_path / "report", formats=["html"])
    found, title = problems_opening(browser, written.main("html"))
    assert found == []
    assert title == "Test review"


def test_demo_report_opens_without_console_errors(browser: Browser, tmp_path: Path) -> None:
    result = run_demo(tmp_path / "demo")
    found, title = problems_opening(browser, result.report.main("html"))
    assert found == []
    assert title.endswith("(example miniature)")
