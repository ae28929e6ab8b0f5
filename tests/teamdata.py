"""A team's review for web tests: dual screening, records, and an account per role.

olga owns the review and resolves as R3; rita and rob review as R1 and R2; otto observes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx

from metasummary import Project
from metasummary.web import WebSettings, create_app
from metasummary.web.session import SessionSigner
from metasummary.web.settings import TeamMode
from tests.screening_helpers import add_records, screening_protocol

PASSWORD = "correct horse battery"
ACCOUNTS = {
    "olga": ("owner", "R3"),
    "rita": ("reviewer", "R1"),
    "rob": ("reviewer", "R2"),
    "otto": ("observer", ""),
}


@dataclass
class Team:
    project: Project
    records: list[int]


def build_team(make_project: Callable[..., Project], db: str | None = None, count: int = 8) -> Team:
    project = make_project(screening_protocol(mode="dual"), db=db)
    records = add_records(project, count)
    for name, (role, reviewer) in ACCOUNTS.items():
        project.accounts.add(name, role=role, reviewer=reviewer, password=PASSWORD, actor="setup")
    return Team(project, records)


def team_settings(project: Project, *, seconds: int = 3600) -> WebSettings:
    signer = SessionSigner(project.accounts.session_secret(), seconds=seconds)
    return WebSettings(team=TeamMode(signer=signer), screening_wait=60)


def team_app(project: Project, **options: int) -> object:
    return create_app(project, team_settings(project, **options))


async def sign_in(client: httpx.AsyncClient, name: str, password: str = PASSWORD) -> str:
    """Signs ``client`` in as ``name``; the CSRF token its writes must carry (also set as the
    client's default header)."""
    anonymous = (await client.get("/api/session")).json()["csrf_token"]
    response = await client.post(
        "/api/session",
        json={"name": name, "password": password},
        headers={"X-CSRF-Token": anonymous},
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return token
