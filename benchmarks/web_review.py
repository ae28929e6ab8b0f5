"""The screening and card-sort parts of ``benchmarks/web.py``.

* :func:`ensure_board`: 2,000 findings on included papers, 1,600 of them sorted into 40
  themes across the protocol's stages, the other 400 unsorted.
* :func:`vote_times` / :func:`move_times`: server time of a vote on the screening page
  (answered with the next record) and of a note dragged to another theme, over repeated
  POSTs as the pages send them.
* :func:`browser_times`: key press to next record in Debian's chromium (Playwright), read
  from the page's own ``performance.measure("screen-next")``.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from metasummary import Phase, Project
from metasummary.screening.standing import Standing
from metasummary.store import events
from metasummary.store import findings as store_findings

FINDINGS = 2_000
THEMES = 40
SORTED = 1_600
PACE = 0.5
"""Seconds between two votes or key presses: a very fast reviewer."""
CHROMIUM = Path("/usr/bin/chromium")


@dataclass(frozen=True, slots=True)
class Timing:
    name: str
    request: str
    server: list[float]
    trip: list[float]


def summary(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile."""
    if len(samples) < 2:
        return (samples[0], samples[0]) if samples else (float("nan"), float("nan"))
    return statistics.median(samples), statistics.quantiles(samples, n=20, method="inclusive")[18]


def ensure_board(project: Project, texts: list[str]) -> None:
    """Put the board on the review unless it has findings already."""
    with project.store.read() as conn:
        if store_findings.list_all(conn):
            return
        papers = sorted(Standing(project.required_votes()).included(conn, Phase.FULL_TEXT))
    if not papers:
        raise SystemExit("the review has no included papers to hang findings on")
    rng = random.Random(7)
    with project.store.write() as conn:
        ids = [
            store_findings.insert(
                conn,
                record_id=papers[i % len(papers)],
                text=texts[rng.randrange(len(texts))][:400] or f"Finding {i}",
                location=f"p. {1 + i % 12}",
                position=i // len(papers),
            )
            for i in range(FINDINGS)
        ]
        events.log(conn, "benchmark.findings", payload={"count": len(ids)})
    stages = [s.code for s in project.protocol.stages]
    sorting = project.synthesis.sorting
    per_theme = SORTED // THEMES
    for k in range(THEMES):
        theme = sorting.create_theme(stages[k % len(stages)], f"Challenge {k + 1}")
        sorting.move_findings(ids[k * per_theme : (k + 1) * per_theme], theme.id)


def _token(client: httpx.Client) -> str:
    html = client.get("/").text
    found = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert found, "no CSRF token on the dashboard"
    return found.group(1)


def warm_queue(client: httpx.Client, reviewer: str, timeout: float = 900) -> float:
    """Seconds until ``reviewer``'s queue is ranked (the first visit of the screening page)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        data = client.get("/api/screening", params={"reviewer": reviewer}).json()
        if data["ready"]:
            return time.perf_counter() - start
    raise SystemExit(f"the queue of {reviewer} was not ranked within {timeout:.0f} s")


def server_ms(response: httpx.Response) -> float:
    """The app's own time for a request, from its ``Server-Timing`` header."""
    return float(response.headers["server-timing"].split("dur=", 1)[1])


def vote_times(client: httpx.Client, reviewer: str, votes: int) -> Timing:
    """Votes as the screening page sends them (one in ten include, the rest exclude E1)."""
    token = _token(client)
    headers = {"X-CSRF-Token": token, "HX-Request": "true", "HX-Target": "screen"}
    record = client.get("/api/screening", params={"reviewer": reviewer}).json()["record"]
    current = int(record["record_id"])
    server, trip = [], []
    for n in range(votes):
        include = n % 10 == 0
        form = {
            "record": str(current),
            "phase": "title-abstract",
            "reviewer": reviewer,
            "verdict": "include" if include else "exclude",
            "criteria": [] if include else ["E1"],
        }
        start = time.perf_counter()
        response = client.post("/screening/decide", data=form, headers=headers)
        trip.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
        server.append(server_ms(response))
        found = re.search(r'data-record="(\d+)"', response.text)
        assert found, "no next record in the answer"
        current = int(found.group(1))
        time.sleep(PACE)
    return Timing(
        "screening: vote, answered with the next record", "POST /screening/decide", server, trip
    )


def move_times(client: httpx.Client, project: Project, moves: int) -> Timing:
    """A note dragged back and forth between two themes, as the board sends it."""
    token = _token(client)
    columns = [col for lane in project.synthesis.board().stages for col in lane.themes]
    first, second = columns[0], columns[1]
    note = first.cards[0].id
    server, trip = [], []
    here, there = first.theme.id, second.theme.id
    for _ in range(moves):
        form = {"finding": str(note), "theme": str(there), "from_theme": str(here), "position": "0"}
        start = time.perf_counter()
        response = client.post(
            "/board/moves", data=form, headers={"X-CSRF-Token": token, "HX-Request": "true"}
        )
        trip.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
        server.append(server_ms(response))
        here, there = there, here
    return Timing("board: note dragged to another theme", "POST /board/moves", server, trip)


def browser_times(url: str, reviewer: str, presses: int) -> list[float] | None:
    """Milliseconds from key press to the next record on the page, per press; None when
    Playwright or chromium is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.is_file():
        return None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/screening?reviewer={reviewer}")
        card = page.locator("#card")
        card.wait_for(timeout=900_000)
        for n in range(presses):
            record = card.get_attribute("data-record")
            for key in "m" if n % 10 == 0 else "2e":
                page.keyboard.press(key)
            page.wait_for_function(
                "r => { const c = document.getElementById('card');"
                " return c && c.dataset.record !== r; }",
                arg=record,
            )
            page.wait_for_timeout(PACE * 1000)
        durations: list[float] = page.evaluate(
            "performance.getEntriesByName('screen-next').map(e => e.duration)"
        )
        browser.close()
    return durations
