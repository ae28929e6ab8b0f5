"""A team's review for web tests: dual screening, records, and an account per role.

olga owns the review and resolves as R3; rita and rob review as R1 and R2; otto observes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx

from metasummary import Project, RecordData
from metasummary.web import WebSettings, create_app
from metasummary.web.session import SessionSigner
from metasummary.web.settings import TeamMode
from tests.helpers import protocol_text
from tests.screening_helpers import add_records
from tests.synthesis_data import STAGES, include

PASSWORD = "correct horse battery"
ACCOUNTS = {
    "olga": ("owner", "R3"),
    "rita": ("reviewer", "R1"),
    "rob": ("reviewer", "R2"),
    "otto": ("observer", ""),
}


def team_protocol() -> str:
    """Dual screening with four reviewers, the criteria of the screening tests, and stages."""
    return protocol_text(
        criteria={
            "inclusion": [{"code": "I1", "text": "About SE for ML."}],
            "exclusion": [
                {"code": "E1", "text": "Model-centric."},
                {"code": "E2", "text": "Non-technical people only."},
            ],
        },
        reviewers=[{"id": r} for r in ("R1", "R2", "R3", "R4")],
        screening={"title_abstract": {"mode": "dual"}, "full_text": {"mode": "dual"}},
        stages=STAGES,
    )


@dataclass
class Team:
    project: Project
    records: list[int]
    papers: list[int]
    """Included papers carrying the findings."""
    findings: list[int]
    themes: list[int]


def build_team(
    make_project: Callable[..., Project],
    db: str | None = None,
    count: int = 8,
    *,
    findings: int = 0,
    themes: int = 1,
    name: str = "review",
) -> Team:
    """``count`` records to screen; with ``findings``, included papers holding that many
    findings (two per paper) and ``themes`` themes per stage to sort them into."""
    project = make_project(team_protocol(), db=db, name=name)
    records = add_records(project, count)
    for account, (role, reviewer) in ACCOUNTS.items():
        project.accounts.add(
            account, role=role, reviewer=reviewer, password=PASSWORD, actor="setup"
        )
    papers: list[int] = []
    found: list[int] = []
    made: list[int] = []
    if findings:
        papers = project.add_records(
            "Included", [RecordData(title=f"Paper {i}") for i in range((findings + 1) // 2)]
        )
        for reviewer in ("R1", "R2"):  # dual screening: two agreeing votes in each phase
            include(project, papers, reviewer=reviewer)
        found = [
            project.synthesis.findings.add(papers[i // 2], f"Finding {i}").id
            for i in range(findings)
        ]
        made = [
            project.synthesis.sorting.create_theme(stage["code"], f"Theme {stage['code']} {i}").id
            for i in range(themes)
            for stage in STAGES
        ]
    return Team(project, records, papers, found, made)


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
