"""Every page fits the screens people have: from a 1024 px tablet to a 2560 px monitor.

Debian's chromium opens each page of the built-in example review (seven card-sort stages,
the report) and of a dual-screening review (conflicts, duplicates, agreement) at each width
of :data:`tests.layout.WIDTHS`, takes a screenshot (``test-artifacts/screenshots/layout-*``)
and fails on anything that runs past its container or the window, or scrolls sideways
without being meant to.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from metasummary import Project
from metasummary.example.demo import run_demo
from metasummary.web import create_app
from tests.browser import SCREENSHOTS, launched_chromium
from tests.layout import WIDTHS, overflows
from tests.liveserver import LiveServer
from tests.webdata import build_workshop, workshop_protocol

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("layout") / "demo"
    run_demo(folder)
    with Project.open(folder) as project, LiveServer(create_app(project)) as server:
        yield server.url


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("layout") / "workshop"
    with Project.init(folder, protocol_text=workshop_protocol()) as project:
        build_workshop(project)
        with LiveServer(create_app(project)) as server:
            yield server.url


def _check(base: str, pages: dict[str, str]) -> list[str]:
    problems = []
    with launched_chromium() as browser:
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            for name, path in pages.items():
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(
                    path=str(SCREENSHOTS / f"layout-{name}-{width}.png"), full_page=True
                )
                problems += [f"{name} at {width} px: {p}" for p in overflows(page)]
            context.close()
    return problems


def test_the_example_review_fits_every_width(demo: str) -> None:
    pages = {
        "dashboard": "/",
        "records": "/records",
        "record": "/records/1",
        "screening": "/screening?reviewer=R1",
        "board": "/board",
        "report": "/report",
    }
    problems = _check(demo, pages)
    assert not problems, "\n".join(problems)


def test_the_dual_screening_pages_fit_every_width(workshop: str) -> None:
    pages = {
        "dual-dashboard": "/",
        "dual-screening": "/screening?reviewer=R1",
        "conflicts": "/conflicts?reviewer=R3",
        "dedup": "/dedup",
        "dual-board": "/board",
    }
    problems = _check(workshop, pages)
    assert not problems, "\n".join(problems)
