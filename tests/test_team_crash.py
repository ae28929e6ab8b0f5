"""Crash safety on PostgreSQL with several workers: a worker or a command killed (SIGKILL) at
three moments of a write, and the review consistent after each.

The moments are caught through the database, not by timing: *waiting* for the write lock (the
test holds it), *mid-transaction* with rows written (the test locks ``events``, which every
write appends to last), and *just after commit* (its event is there). The process to kill is
the one named in ``pg_stat_activity`` (every connection carries ``metasummary PID``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
import sqlalchemy as sa

from metasummary import Project
from metasummary.store.engine import WRITE_LOCK
from metasummary.store.schema import (
    assignments,
    decisions,
    events,
    import_batches,
    records,
    themes,
)
from tests.crashkit import leftovers, unreferenced_copies
from tests.pgserver import PgServer
from tests.teamdata import Team, build_team
from tests.teamserver import TeamServer, signed_in, team_server

pytestmark = pytest.mark.postgres
MOMENTS = ("waiting", "mid-transaction", "after-commit")


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@dataclass
class Holder:
    """A connection of the test's own that holds a lock until released."""

    conn: psycopg.Connection

    def release(self) -> None:
        self.conn.rollback()
        self.conn.close()


def hold(url: str, moment: str) -> Holder | None:
    """Block writes where ``moment`` wants them caught (after-commit blocks nothing)."""
    if moment == "after-commit":
        return None
    conn = psycopg.connect(libpq(url))
    if moment == "waiting":
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
    else:  # every write appends its event last: it waits there with its rows written
        conn.execute("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")
    return Holder(conn)


def blocked_process(
    url: str,
    moment: str,
    events_before: int,
    suspects: Callable[[], set[int]],
    timeout: float = 120,
) -> int:
    """The pid of the process at ``moment`` in a write, one of ``suspects()`` (the processes
    the test started: never the test itself)."""
    deadline = time.monotonic() + timeout
    committed_at: float | None = None
    with psycopg.connect(libpq(url), autocommit=True) as conn:
        while time.monotonic() < deadline:
            allowed = suspects() - {os.getpid()}
            if moment == "after-commit":
                logged = conn.execute("SELECT count(*) FROM events").fetchone()
                committed = bool(logged and logged[0] > events_before)
                if committed and committed_at is None:
                    committed_at = time.monotonic()
                found = (
                    conn.execute(
                        "SELECT application_name FROM pg_stat_activity "
                        "WHERE application_name LIKE 'metasummary %' "
                        "ORDER BY state_change DESC"
                    ).fetchall()
                    if committed
                    else []
                )
            else:
                wanted = "advisory" if moment == "waiting" else "relation"
                found = conn.execute(
                    "SELECT application_name FROM pg_stat_activity WHERE wait_event = %s",
                    (wanted,),
                ).fetchall()
            for (name,) in found:
                pid = int(name.split()[1]) if name.startswith("metasummary ") else 0
                if pid in allowed:
                    return pid
            # A command that committed may close its connection and exit between two polls
            # (the names seen are the server's workers): its write is committed all the same,
            # so the one process the test started is the one to kill, or to have outlived.
            waited = time.monotonic() - committed_at if committed_at is not None else 0.0
            if waited > 1.0 and len(allowed) == 1:
                return next(iter(allowed))
            time.sleep(0.01)
    raise AssertionError(f"no write reached the moment {moment!r}")


def count(project: Project, table: sa.Table, *where: sa.ColumnElement[bool]) -> int:
    with project.store.read() as conn:
        query = sa.select(sa.func.count()).select_from(table)
        return int(conn.execute(query.where(*where) if where else query).scalar_one())


@contextmanager
def in_background(work: Callable[[], object]) -> Iterator[list[object]]:
    """Run ``work`` on a thread; its result or exception lands in the list yielded."""
    result: list[object] = []

    def run() -> None:
        try:
            result.append(work())
        except Exception as exc:
            result.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield result
    thread.join(timeout=120)


def kill_at(
    url: str,
    moment: str,
    project: Project,
    act: Callable[[], object],
    suspects: Callable[[], set[int]],
) -> list[object]:
    """Start ``act``, SIGKILL the process doing its write at ``moment`` (one of
    ``suspects()``), release the locks."""
    before = count(project, events)
    holder = hold(url, moment)
    try:
        with in_background(act) as outcome:
            pid = blocked_process(url, moment, before, suspects)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:  # after commit, it may have finished first
                assert moment == "after-commit"
            if holder is not None:
                holder.release()
                holder = None
    finally:
        if holder is not None:
            holder.release()
    return outcome


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory, pg_server: PgServer) -> Iterator[Team]:
    """One review and one server for the whole matrix: each case works on rows of its own."""
    folder = tmp_path_factory.mktemp("crash")
    opened: list[Project] = []

    def make(protocol_text: str, *, name: str, db: str | None) -> Project:
        project = Project.init(folder / name, protocol_text=protocol_text, db=db)
        opened.append(project)
        return project

    yield build_team(make, pg_server.new_database(), 12, findings=24, themes=2)
    for project in opened:
        project.close()


@pytest.fixture(scope="module")
def server(team: Team) -> Iterator[TeamServer]:
    assert team.project.root is not None
    with team_server(team.project.root, db=team.project.store.url, workers=2) as running:
        yield running


def every_decision_logged(team: Team) -> None:
    """Each vote on the screened records came with its event, and each event with its vote."""
    screened = sa.and_(decisions.c.kind == "vote", decisions.c.record_id.in_(team.records))
    with team.project.store.read() as conn:
        logged = {
            int(e.payload["decision"])
            for e in conn.execute(sa.select(events).where(events.c.action == "screening.vote"))
        }
        made = set(conn.execute(sa.select(decisions.c.id).where(screened)).scalars())
    assert made == logged


def still_serving(server: TeamServer, account: str = "rita") -> None:
    """The supervisor replaced the dead worker: a new session works on every worker."""
    with signed_in(server.url, account) as client:
        for _ in range(6):
            assert client.get("/api/records").status_code == 200


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_worker_killed_mid_vote(moment: str, team: Team, server: TeamServer) -> None:
    url = team.project.store.url
    record = team.records[MOMENTS.index(moment)]
    before = count(team.project, decisions, decisions.c.kind == "vote")
    with signed_in(server.url, "rita", timeout=120) as client:
        body = {"record_id": record, "reviewer": "R1", "verdict": "include"}
        outcome = kill_at(
            url,
            moment,
            team.project,
            lambda: client.post("/api/screening/decisions", json=body),
            lambda: set(server.worker_pids()),
        )
    assert outcome
    assert isinstance(outcome[0], httpx.HTTPError | httpx.Response)
    after = count(team.project, decisions, decisions.c.kind == "vote")
    assert after == before + (1 if moment == "after-commit" else 0)
    every_decision_logged(team)
    still_serving(server)
    with signed_in(server.url, "rita") as client:  # and the reviewer carries on
        again = client.post("/api/screening/decisions", json=body)
        assert again.status_code == 200, again.text


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_worker_killed_mid_merge(moment: str, team: Team, server: TeamServer) -> None:
    url = team.project.store.url
    project = team.project
    index = MOMENTS.index(moment)
    first, second = team.themes[2 * index : 2 * index + 2]
    mine = team.findings[8 * index : 8 * index + 8]
    project.synthesis.sorting.move_findings(mine[:4], first)
    project.synthesis.sorting.move_findings(mine[4:], second)
    merged = sa.and_(themes.c.id == first, themes.c.merged_into.is_not(None))
    logged_before = count(project, events, events.c.action == "sort.theme.merge")
    with signed_in(server.url, "rita", timeout=120) as client:
        path = f"/api/board/themes/{first}/merge"
        kill_at(
            url,
            moment,
            project,
            lambda: client.post(path, json={"into": second}),
            lambda: set(server.worker_pids()),
        )
    done = count(project, themes, merged)
    in_second = count(project, assignments, assignments.c.theme_id == second)
    logged = count(project, events, events.c.action == "sort.theme.merge") - logged_before
    if moment == "after-commit":
        assert (done, in_second, logged) == (1, 8, 1)
    else:
        assert (done, in_second, logged) == (0, 4, 0)  # not a row of it
    still_serving(server, "rob")


def ris(count: int, tag: str) -> str:
    return "".join(
        f"TY  - JOUR\nTI  - Crash-tested paper {tag} {i}\nAU  - Author, A{i}\nPY  - 2020\n"
        f"DO  - 10.9999/crash.{tag}.{i}\nAB  - An abstract about deployment {i}.\nER  - \n\n"
        for i in range(count)
    )


@pytest.mark.parametrize("moment", MOMENTS)
def test_an_import_killed(moment: str, team: Team, server: TeamServer, tmp_path: Path) -> None:
    url = team.project.store.url
    export = tmp_path / "export.ris"
    export.write_text(ris(300, moment), encoding="utf-8")
    command = [sys.executable, "-m", "metasummary", "import", str(export), "--source", moment]
    command += ["-p", str(team.project.root), "--db", url]
    held = count(team.project, records)
    batches_before = count(team.project, import_batches)
    logged_before = count(team.project, events, events.c.action == "import.file")

    started: list[subprocess.Popen[str]] = []

    def run() -> int:
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        ) as process:
            started.append(process)
            process.communicate(timeout=300)
            return process.returncode

    (returncode,) = kill_at(url, moment, team.project, run, lambda: {p.pid for p in started})
    finished = (-signal.SIGKILL, 0) if moment == "after-commit" else (-signal.SIGKILL,)
    assert returncode in finished
    batches = count(team.project, import_batches) - batches_before
    imported = count(team.project, records) - held
    logged = count(team.project, events, events.c.action == "import.file") - logged_before
    assert (batches, imported, logged) == ((1, 300, 1) if moment == "after-commit" else (0, 0, 0))
    again = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if moment == "after-commit":
        assert again.returncode == 1
        assert "already imported" in again.stderr
    else:
        assert again.returncode == 0, again.stderr
        assert count(team.project, records) - held == 300


def swept(root: Path, url: str, timeout: float = 120) -> list[str]:
    """What is wrong with the folder's copies once the supervisor's new worker has opened the
    review (which finishes or removes what a killed run left); [] when all is well."""
    deadline = time.monotonic() + timeout
    while True:
        problems = unreferenced_copies(root, url) + leftovers(root)
        if not problems or time.monotonic() > deadline:
            return problems
        time.sleep(0.05)


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_worker_killed_mid_upload(moment: str, team: Team, server: TeamServer) -> None:
    """A file imported through the web (the owner's upload), the worker killed: the import is
    all or nothing, and the worker started in its place finishes or removes the copy the dead
    one left (the folder holds exactly the copies the imports name)."""
    project = team.project
    assert project.root is not None
    url = project.store.url
    source = f"Upload {moment}"
    upload = {"file": ("upload.ris", ris(300, f"web-{moment}").encode(), "text/plain")}
    held = count(project, records)
    batches_before = count(project, import_batches)
    logged_before = count(project, events, events.c.action == "import.file")
    with signed_in(server.url, "olga", timeout=120) as client:
        kill_at(
            url,
            moment,
            project,
            lambda: client.post("/imports", files=upload, data={"source": source}),
            lambda: set(server.worker_pids()),
        )
    batches = count(project, import_batches) - batches_before
    imported = count(project, records) - held
    logged = count(project, events, events.c.action == "import.file") - logged_before
    assert (batches, imported, logged) == ((1, 300, 1) if moment == "after-commit" else (0, 0, 0))
    still_serving(server, "olga")
    assert swept(project.root, url) == []  # by the worker started in its place
    with signed_in(server.url, "olga") as client:
        again = client.post("/imports", files=upload, data={"source": source})
    assert again.status_code == (400 if moment == "after-commit" else 200), again.text
    assert count(project, records) - held == 300
