"""Two reviewers signed in to a team's server in two browsers (Debian's chromium), screening
the same records in dual screening: neither sees the other's pending vote anywhere, and once
both have voted the conflict reaches the owner, who resolves it.

The server is ``metasummary serve`` itself with two workers (so a page may come from either,
each with its own caches); rita (R1), rob (R2) and olga (the owner, R3) sign in with the
sign-in form. Screenshots at 1280 px land in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

from metasummary import Project
from tests.browser import Watched, watched_page
from tests.teamdata import PASSWORD, Team, build_team
from tests.teamserver import TeamServer, team_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

RITA_NOTE = "RITA-PENDING-NOTE"
ROB_NOTE = "ROB-PENDING-NOTE"


@pytest.fixture
def team(make_project: Callable[..., Project]) -> Team:
    return build_team(make_project, count=6)


@pytest.fixture
def server(team: Team) -> Iterator[TeamServer]:
    assert team.project.root is not None
    with team_server(team.project.root, workers=2) as served:
        yield served


def sign_in(watched: Watched, name: str) -> None:
    from playwright.sync_api import expect

    page = watched.page
    page.goto("/screening")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fscreening$"))  # nothing before it
    page.locator("#name").fill(name)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#account")).to_contain_text(name)
    assert page.locator("#acting-reviewer").count() == 0  # the account acts; no chooser


def vote(page: Page, record: int, keys: str, note: str) -> None:
    """Screen ``record`` from the screening page as a reviewer does: a note, then keys."""
    from playwright.sync_api import expect

    page.goto(f"/screening?front={record}")
    card = page.locator("#card")
    expect(card).to_have_attribute("data-record", str(record))
    card.locator('input[name="note"]').fill(note)
    card.locator('input[name="note"]').blur()
    for key in keys:
        page.keyboard.press(key)
    expect(card).not_to_have_attribute("data-record", str(record))


def api(page: Page, path: str) -> Any:
    """A JSON answer with this browser's session (its cookies), as the page's scripts get it."""
    response = page.request.get(path)
    assert response.status == 200, (path, response.text())
    return response.json()


def sees_nothing_of(
    watched: Watched, mine: str, record: int, other: str, note: str, shot: str
) -> None:
    """Every page and JSON answer about ``record`` as this browser's reviewer (``mine``)
    shows that ``other`` voted on it (a count: blind screening says a vote is in) but never
    how."""
    from playwright.sync_api import expect

    page = watched.page
    seen: list[str] = []

    def look(path: str) -> None:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        seen.append(page.content())

    look(f"/screening?front={record}")
    expect(page.locator("#card")).to_have_attribute("data-record", str(record))
    assert page.locator("#reviewer option").all_inner_texts() == [mine]  # no one else to be
    expect(page.locator("#hidden-votes")).to_contain_text("1 vote(s) by other reviewers")
    expect(page.locator("#screen-votes li")).to_have_count(1)  # the hidden count alone
    watched.shot(f"{shot}-screening")

    look(f"/records/{record}")
    expect(page.locator("#decisions")).to_contain_text("No decisions you may see yet.")
    expect(page.locator('#decisions p.blind[data-phase="title-abstract"]')).to_contain_text(
        "1 decision of other reviewers at title-abstract stay hidden"
    )
    expect(page.locator("#decisions table")).to_have_count(0)
    watched.shot(f"{shot}-record")

    look(f"/records?reviewer={other}")
    expect(page.locator(f'a[href="/records/{record}"]')).to_have_count(0)
    watched.shot(f"{shot}-records-decided-by")
    look("/records?criterion=E1")  # rob cites E1 when he excludes
    expect(page.locator(f'a[href="/records/{record}"]')).to_have_count(0)
    look("/records")
    expect(page.locator(f'a[href="/records/{record}"]').first).to_be_visible()

    look("/conflicts")
    expect(page.locator("#conflict-count")).to_have_text("0")
    watched.shot(f"{shot}-conflicts")

    look("/")
    expect(page.locator('[data-loaded="stopping"]')).to_be_visible()  # every panel is in
    row = page.locator(f'[data-loaded="screening-progress"] tr[data-reviewer="{other}"]')
    row = row.and_(page.locator('[data-phase="title-abstract"]'))
    blind = row.locator('[data-figure="hidden"]')
    expect(blind).to_have_text("1")
    panel, cell = (
        page.locator('[data-slot="screening-progress"]').bounding_box(),
        blind.bounding_box(),
    )
    assert panel is not None
    assert cell is not None
    assert cell["x"] + cell["width"] <= panel["x"] + panel["width"]  # in sight, not scrolled off
    expect(row.locator("td").nth(1)).to_have_text("0")  # in
    expect(row.locator("td").nth(2)).to_have_text("0")  # out
    watched.shot(f"{shot}-dashboard")

    shown = api(page, f"/api/records/{record}")
    assert shown["decisions"] == []
    assert shown["hidden_votes"] == {"title-abstract": 1}
    listed = api(page, f"/api/records?reviewer={other}")
    assert record not in [row["id"] for row in listed["page"]["rows"]]
    cited = api(page, "/api/records?criterion=E1")
    assert record not in [row["id"] for row in cited["page"]["rows"]]
    assert api(page, "/api/conflicts") == []
    answers = [
        shown,
        listed,
        cited,
        api(page, "/api/dashboard"),
        api(page, "/api/screening"),
    ]
    for text in [*seen, *(str(a) for a in answers)]:
        assert note not in text
    assert watched.errors == []


def test_two_reviewers_never_see_each_others_pending_votes(
    browser: Browser, server: TeamServer, team: Team
) -> None:
    from playwright.sync_api import expect

    first, second = team.records[0], team.records[1]
    with ExitStack() as stack:
        rita = stack.enter_context(watched_page(browser, server.url))
        rob = stack.enter_context(watched_page(browser, server.url))
        sign_in(rita, "rita")
        sign_in(rob, "rob")
        # rita includes the first record, rob excludes the second (E1): each vote pending
        vote(rita.page, first, "i", RITA_NOTE)
        vote(rob.page, second, "2e", ROB_NOTE)
        screening = team.project.screening  # the votes are stored, each as its account's
        stored = [
            (d.reviewer, d.verdict, d.note)
            for record, reviewer in ((first, "R1"), (second, "R2"))
            for d in screening.view(record, phase="ta", viewer=reviewer).decisions
        ]
        assert stored == [("R1", "include", RITA_NOTE), ("R2", "exclude", ROB_NOTE)]
        sees_nothing_of(rob, "R2", first, "R1", RITA_NOTE, "team-rob-blind")
        sees_nothing_of(rita, "R1", second, "R2", ROB_NOTE, "team-rita-blind")

        # each votes the other way on the other's record: two conflicts
        vote(rob.page, first, "2e", "rob disagrees")
        vote(rita.page, second, "i", "rita disagrees")
        rob.page.goto(f"/records/{first}")
        expect(rob.page.locator("#decisions")).to_contain_text(RITA_NOTE)  # open now
        rob.shot("team-rob-record-open")
        # the conflict is there for rob to read, but a reviewer does not resolve
        rob.page.goto("/conflicts")
        expect(rob.page.locator("#conflict-count")).to_have_text("2")
        expect(rob.page.locator("#owner-resolves")).to_be_visible()
        expect(rob.page.locator("#conflict-desk button[value=include]")).to_have_count(0)
        rob.shot("team-rob-conflicts-open")

        olga = stack.enter_context(watched_page(browser, server.url))
        sign_in(olga, "olga")
        page = olga.page
        page.goto("/conflicts")
        expect(page.locator("#conflict-count")).to_have_text("2")
        expect(page.locator('#conflict-votes li[data-reviewer="R1"]')).to_contain_text("include")
        expect(page.locator('#conflict-votes li[data-reviewer="R2"]')).to_contain_text("E1")
        olga.shot("team-owner-conflicts")
        shown = page.locator("form.conflict").first.get_attribute("id")
        assert shown is not None
        page.locator(f"#{shown} button[value=include]").click()
        expect(page.locator(f"#{shown}")).to_contain_text("third reviewer")
        expect(page.locator("#conflict-count")).to_have_text("1")
        olga.shot("team-owner-resolved")
        for watched in (rita, rob, olga):
            assert watched.errors == []
            assert watched.blocked == []
