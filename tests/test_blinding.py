"""Blind screening holds in every face (issue 18, failure 2): walking every web route and
every CLI command as reviewer R1, nothing of R2's pending votes appears — not on the record
page or in its JSON, not through the records list's "decided by" / "criterion" filters, not
in the progress panel's verdicts, not in any export or report."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from metasummary import Project
from metasummary.cli.app import command
from metasummary.cli.reference import walk
from metasummary.web.app import create_app
from metasummary.web.panels import BY_KEY
from metasummary.web.reviewer import REVIEWER_HEADER
from metasummary.web.settings import WebSettings
from tests.clirunner import run
from tests.correctiondata import correction_protocol, ris, write

SECRET = "R2-SECRET"
"""In every note and PDF link of R2's pending votes: it must never reach R1."""
TITLES = ["Paper one", "Paper two", "Paper three", "Paper four", "Paper five", "Paper six"]


def blind_review(project: Project, folder: Path) -> None:
    """Records 1-6. Record 1 passed title/abstract (both voted) and R2 alone voted at full
    text; R2 alone voted on record 2; R1 alone on record 3; R1 and R2 disagree on record 4
    (no longer blind); 5 and 6 are untouched."""
    project.imports.import_file(write(folder, "s.ris", ris(TITLES, database="Scopus")))
    s = project.screening
    s.decide(1, phase="ta", reviewer="R1", verdict="include")
    s.decide(1, phase="ta", reviewer="R2", verdict="include")
    s.decide(
        1,
        phase="ft",
        reviewer="R2",
        verdict="exclude",
        criteria=["E2"],
        note=f"{SECRET}-FT note",
        pdf=f"https://example.org/{SECRET}.pdf",
    )
    s.decide(2, phase="ta", reviewer="R2", verdict="exclude", criteria=["E2"], note=f"{SECRET}-TA")
    s.decide(3, phase="ta", reviewer="R1", verdict="include", note="R1's own note")
    s.decide(4, phase="ta", reviewer="R1", verdict="include")
    s.decide(4, phase="ta", reviewer="R2", verdict="exclude", criteria=["E1"], note="open R2 note")


@pytest.fixture
def review(make_project: Callable[..., Project], tmp_path: Path) -> Project:
    project = make_project(correction_protocol(), name="blind")
    blind_review(project, tmp_path)
    return project


# -- the core rule -------------------------------------------------------------------------------


def test_the_record_page_shows_a_pending_vote_to_its_author_alone(review: Project) -> None:
    as_r1 = review.browser.detail(2, "R1")
    assert as_r1.decisions == []
    assert as_r1.hidden_votes == {"title-abstract": 1}
    (own,) = review.browser.detail(2, "R2").decisions
    assert (own.reviewer, own.note) == ("R2", f"{SECRET}-TA")
    nobody = review.browser.detail(1, None)
    assert [(d.phase, d.reviewer) for d in nobody.decisions] == [
        ("title-abstract", "R1"),
        ("title-abstract", "R2"),
    ]
    assert nobody.hidden_votes == {"full-text": 1}
    # Once both have voted the group is open to everyone, the third reviewer too.
    assert {d.reviewer for d in review.browser.detail(4, "R3").decisions} == {"R1", "R2"}
    # The PDF link given with a full-text decision is shown to who may see the decision.
    (ft,) = [d for d in review.browser.detail(1, "R2").decisions if d.phase == "full-text"]
    assert ft.pdf == f"https://example.org/{SECRET}.pdf"


def test_list_filters_and_progress_see_only_what_the_viewer_may(review: Project) -> None:
    from metasummary.browse import RecordQuery

    def ids(viewer: str | None, **filters: Any) -> list[int]:
        return [r.id for r in review.browser.page(RecordQuery(**filters), viewer).rows]

    assert ids("R1", reviewer="R2") == [1, 4]  # record 2 is R2's pending vote
    assert ids("R2", reviewer="R2") == [1, 2, 4]
    assert ids("R1", criterion="E2") == []
    assert ids("R2", criterion="E2") == [1, 2]
    assert ids(None, reviewer="R1") == [1, 4]
    progress = {(p.reviewer, p.phase.value): p for p in review.screening.progress("R1")}
    r2 = progress[("R2", "title-abstract")]
    assert (r2.votes, r2.included, r2.excluded, r2.hidden) == (3, 1, 1, 1)
    assert progress[("R2", "full-text")].hidden == 1
    assert progress[("R1", "title-abstract")].hidden == 0  # one's own verdicts are known


# -- every web route -----------------------------------------------------------------------------

PANEL_KEYS = list(BY_KEY)


def _urls(app: Any) -> Iterator[str]:
    """Every GET route of the app, its path parameters filled, some with query strings."""
    for route in app.routes:
        if not isinstance(route, APIRoute) or "GET" not in route.methods:
            continue
        path = route.path
        if "{record_id}" in path:
            yield from (path.replace("{record_id}", str(i)) for i in range(1, 7))
        elif "{key}" in path:
            yield from (path.replace("{key}", key) for key in PANEL_KEYS)
        elif "{path" in path:
            yield re.sub(r"\{path[^}]*\}", "index.html", path)
        else:
            yield path
            for query in ("phase=full-text", "phase=title-abstract"):
                yield f"{path}?{query}"


EXTRA = [
    "/records?reviewer=R2",
    "/records?criterion=E2",
    "/api/records?reviewer=R2&criterion=E2",
    "/api/records?reviewer=R2&title-abstract=excluded",
    "/screening?phase=title-abstract",
    "/screening?phase=full-text",
    "/api/screening?phase=full-text",
    "/conflicts?phase=full-text",
    "/api/conflicts?phase=full-text",
]


@pytest.fixture
def app(review: Project) -> Any:
    return create_app(review, WebSettings(screening_wait=30.0))


@pytest.mark.anyio
async def test_walking_every_web_route_as_r1_shows_nothing_of_r2s_pending_votes(
    app: Any, client: httpx.AsyncClient, review: Project
) -> None:
    review.report.write()  # so the report's files are walked too
    visited: set[str] = set()
    client.cookies.set("metasummary-reviewer", "R1")
    for url in [*_urls(app), *EXTRA]:
        answer = await client.get(url)
        assert answer.status_code < 500, url
        assert SECRET not in answer.text, url
        visited.add(url.split("?")[0])
    paths = {r.path for r in app.routes if isinstance(r, APIRoute) and "GET" in r.methods}
    assert len(visited) >= len(paths)
    record = (await client.get("/api/records/2")).json()
    assert record["decisions"] == []
    assert record["hidden_votes"] == {"title-abstract": 1}
    listed = (await client.get("/api/records?reviewer=R2")).json()
    assert [row["id"] for row in listed["page"]["rows"]] == [1, 4]
    # R1 cannot look through R2's eyes by naming R2 in a query.
    peek = await client.get("/api/screening?reviewer=R2")
    assert peek.status_code == 403
    assert SECRET not in peek.text
    # R2 sees their own.
    mine = await client.get("/api/records/2", headers={REVIEWER_HEADER: "R2"})
    assert f"{SECRET}-TA" in mine.text


# -- every CLI command ---------------------------------------------------------------------------

RUNS: dict[str, list[str] | str] = {
    "agreement": ["agreement"],
    "codebook export": ["codebook", "export", "{out}/codebook.qdc"],
    "codebook import": ["codebook", "import", "{out}/codebook.qdc"],
    "coding adopt": ["coding", "adopt"],
    "coding agreement": ["coding", "agreement"],
    "conflicts list": ["conflicts", "list", "--reviewer", "R1", "--json"],
    "conflicts resolve": ["conflicts", "resolve", "4", "include", "--reviewer", "R1"],
    "decide": ["decide", "5", "include", "--reviewer", "R1", "--json"],
    "dedup groups": ["dedup", "groups", "--json"],
    "dedup link": ["dedup", "link", "5", "6"],
    "dedup review": ["dedup", "review"],
    "dedup show": ["dedup", "show", "1"],
    "dedup undo": ["dedup", "undo", "1"],
    "dedup unlink": ["dedup", "unlink", "6"],
    "demo": "builds a review of its own; no decision of this one is read",
    "export decisions": ["export", "decisions", "--out", "{out}/decisions.csv"],
    "export records": ["export", "records", "--format", "ris"],
    "extract export": ["extract", "export", "--csv", "{out}/extraction.csv"],
    "extract import": ["extract", "import", "{out}/extraction.csv"],
    "findings add": ["findings", "add", "1", "A finding"],
    "findings check": ["findings", "check", "--json"],
    "findings edit": ["findings", "edit", "1", "--text", "A finding, edited"],
    "findings export": ["findings", "export", "--csv", "{out}/findings.csv"],
    "findings import": ["findings", "import", "{out}/findings.csv"],
    "findings list": ["findings", "list", "--json"],
    "findings restore": ["findings", "restore", "1"],
    "findings retire": ["findings", "retire", "1"],
    "findings show": ["findings", "show", "1", "--json"],
    "findings split": ["findings", "split", "1", "a", "b"],
    "fulltext attach": ["fulltext", "attach", "{out}/none.pdf", "--record", "1"],
    "fulltext fetch": ["fulltext", "fetch", "--offline", "--json"],
    "fulltext list": ["fulltext", "list", "--json"],
    "fulltext text": ["fulltext", "text", "1"],
    "import files": ["import", "files", "{out}/other.ris", "--source", "Elsewhere"],
    "import redo": ["import", "redo", "2"],
    "import undo": ["import", "undo", "2"],
    "import-decisions": ["import-decisions", "{out}/decisions.csv"],
    "import-log": ["import-log", "--json"],
    "init": ["init", "{out}/another-review"],
    "pilot": ["pilot", "--size", "2"],
    "protocol check": ["protocol", "check", "--json"],
    "query check": ["query", "check", "--json"],
    "query lint": ["query", "lint"],
    "query show": ["query", "show"],
    "query test": ["query", "test", "--json"],
    "query versions": ["query", "versions"],
    "quality agreement": ["quality", "agreement", "--json"],
    "quality answer": ["quality", "answer", "1", "Q1=yes", "--reviewer", "R1"],
    "quality export": ["quality", "export", "-r", "R1", "--csv", "{out}/quality.csv"],
    "quality import": ["quality", "import", "{out}/quality.csv", "-r", "R1"],
    "quality show": ["quality", "show", "--json"],
    "queue": ["queue", "--reviewer", "R1", "--json"],
    "report": ["report", "--json"],
    "screen": ["screen", "--reviewer", "R1"],
    "search": "needs the network and reads no decision",
    "serve": "the web walk above covers every page it serves",
    "simulate": "replays a labelled file, not this review's decisions",
    "stopping": ["stopping", "--json"],
    "stop": ["stop", "--reviewer", "R1", "--note", "enough for the walk"],
    "backup": "copies the whole review for safekeeping (the owner's tool); prints no decision",
    "restore": "puts a backup back whole; prints no decision",
    "migrate-db": "copies the whole database to another; prints table counts, no decision",
    "user add": "accounts for a team's server; reads no decision",
    "user disable": "accounts for a team's server; reads no decision",
    "user enable": "accounts for a team's server; reads no decision",
    "user list": "accounts for a team's server; reads no decision",
    "user passwd": "accounts for a team's server; reads no decision",
    "snowball replay": ["snowball", "replay", "1"],
    "snowball rounds": ["snowball", "rounds", "--json"],
    "snowball status": ["snowball", "status", "--json"],
    "sort history": ["sort", "history"],
    "sort move": ["sort", "move", "1", "--to", "1"],
    "sort reorder": ["sort", "reorder", "1", "1"],
    "sort show": ["sort", "show", "--findings", "--json"],
    "sort theme-create": ["sort", "theme-create", "REQ", "A theme"],
    "sort theme-describe": ["sort", "theme-describe", "1", "--description", "d"],
    "sort theme-merge": ["sort", "theme-merge", "1", "--into", "1"],
    "sort theme-move": ["sort", "theme-move", "1", "REQ"],
    "sort theme-rename": ["sort", "theme-rename", "1", "Another"],
    "sort theme-reorder": ["sort", "theme-reorder", "REQ", "1"],
    "sort theme-split": ["sort", "theme-split", "1", "Part", "1"],
    "sort undo": ["sort", "undo"],
    "source list": ["source", "list", "--json"],
    "source merge": ["source", "merge", "Elsewhere", "Scopus"],
    "source rename": ["source", "rename", "Elsewhere", "Elsewhere 2"],
    "source unmerge": ["source", "unmerge", "Elsewhere 2"],
    "status": ["status", "--json"],
    "suggest": ["suggest", "--json"],
    "summary": ["summary", "--json"],
    "undo": ["undo", "--reviewer", "R1", "--json"],
}
"""How each command is run as R1; a command that reads no decision says why it is not run.
A new command fails the test until it is listed here."""


def test_every_cli_command_is_walked() -> None:
    leaves = {" ".join(p) for p, c in walk(command) if p and not hasattr(c, "commands")}
    assert leaves == set(RUNS)


def test_walking_every_cli_command_as_r1_shows_nothing_of_r2s_pending_votes(
    review: Project, tmp_path: Path
) -> None:
    assert review.root is not None
    out = tmp_path / "out"
    out.mkdir()
    write(out, "other.ris", ris(["Elsewhere paper"], doi_prefix="10.5555/e"))
    seen: list[str] = []
    for name, how in RUNS.items():
        if isinstance(how, str):
            continue
        args = [a.replace("{out}", str(out)) for a in how]
        result = run("--by", "R1", "-p", str(review.root), *args)
        assert result.exit_code != 2, f"{name}: {result.stderr}"  # the table's args are right
        for text in (result.stdout, result.stderr):
            assert SECRET not in text, name
        seen.append(name)
    written = [
        path
        for path in [*out.rglob("*"), *review.root.rglob("*")]
        if path.is_file() and not path.name.startswith("review.db")
    ]
    assert written, "the commands wrote exports and a report"
    for path in written:
        assert SECRET.encode() not in path.read_bytes(), path
    exported = (out / "decisions.csv").read_text(encoding="utf-8")
    assert "R1" in exported
    assert "open R2 note" in exported
    assert json.loads(run("-p", str(review.root), "status", "--json").stdout)["total"]["records"]
    assert len(seen) > 50
