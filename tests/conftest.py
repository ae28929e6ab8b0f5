"""Shared fixtures: projects on SQLite and PostgreSQL, built small, in temporary folders."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from hypothesis import settings

from metasummary import Project
from tests.browser import Watched, launched_chromium, watched_page
from tests.pgserver import REQUIRE_PG_ENV, PgServer, find_bindir

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# The suite is deterministic: hypothesis replays the same examples on every run. Explore with
# HYPOTHESIS_PROFILE=explore (random examples, more of them).
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore", max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own settings must not leak into tests.
    for name in ("METASUMMARY_PROJECT", "METASUMMARY_DB", "METASUMMARY_DEBUG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    # Real argon2id, at a cost tests can afford: the recommended 64 MiB and 3 passes take a
    # quarter of a second per hash on a busy machine. tests/test_accounts.py checks the real
    # parameters once; servers started as processes by tests use them too.
    from argon2 import PasswordHasher

    from metasummary.accounts import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "HASHER", cheap)
    monkeypatch.setattr(passwords, "DUMMY", cheap.hash("no account has this password"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` beside the project: real third-party files, not copied in.

    Skips locally when the folder is missing; in CI (``CI=true``) that is a failure.
    """
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED_DATA} is missing in CI")
        pytest.skip(f"{SHARED_DATA} not present")
    return SHARED_DATA


@pytest.fixture(scope="session")
def demo_review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in example review, built once for the session: read it, or copy it first."""
    from metasummary.example.demo import run_demo

    folder = tmp_path_factory.mktemp("demo") / "review"
    run_demo(folder)
    return folder


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = find_bindir()
    if bindir is None:
        message = "PostgreSQL server binaries (initdb, pg_ctl) not found"
        if os.environ.get(REQUIRE_PG_ENV) == "1":
            pytest.fail(f"{message}, and {REQUIRE_PG_ENV}=1 requires them")
        pytest.skip(message)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        if os.environ.get(REQUIRE_PG_ENV) == "1":
            pytest.fail("psycopg is not installed, and METASUMMARY_REQUIRE_PG=1 requires it")
        pytest.skip("psycopg is not installed")
    server = PgServer(bindir)
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each engine: the store contract runs on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'review.db'}"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.new_database()


@pytest.fixture
def make_project(tmp_path: Path) -> Iterator[Callable[..., Project]]:
    """Build projects in temporary folders; all are closed at the end of the test."""
    opened: list[Project] = []

    def build(
        protocol_text: str | None = None, *, name: str = "review", db: str | None = None
    ) -> Project:
        project = Project.init(tmp_path / name, protocol_text=protocol_text, db=db)
        opened.append(project)
        return project

    yield build
    for project in opened:
        project.close()


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    return make_project()


# -- the web app in-process ---------------------------------------------------------------------


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the module's ``app`` fixture, as a browser on this machine reaches it."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
        yield c


# -- Debian's chromium (tests/browser.py) -------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, for one test module; skips (or fails in CI) without it."""
    with launched_chromium() as launched:
        yield launched


@pytest.fixture
def watched(browser: Browser, live: Any) -> Iterator[Watched]:
    """A page of the module's ``live`` server, with what goes wrong on it."""
    with watched_page(browser, live.url) as page:
        yield page
