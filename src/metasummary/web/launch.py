"""How a server is set up: local or for a team, one worker or several.

Several uvicorn workers are separate processes started afresh (spawned), so each builds its
own app from a :class:`ServeConfig` handed down in the environment and opens its own
connection to the review. They share nothing but the database: the session secret is kept
there, caches are keyed on its data version, and queue rankings are refreshed when it
changes (``web/desk.py``).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

from fastapi import FastAPI

from metasummary.errors import InputError
from metasummary.project import Project
from metasummary.web.app import create_app
from metasummary.web.oidc import SECRET_ENV, OidcSettings
from metasummary.web.session import DEFAULT_SECONDS, SessionSigner
from metasummary.web.settings import TeamMode, WebSettings, is_local

CONFIG_ENV = "METASUMMARY_SERVE_CONFIG"
FACTORY = "metasummary.web.launch:app_from_env"


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """What each worker needs to serve the review (no secrets: those are in the database or
    the environment)."""

    project: str | None
    db: str | None
    host: str
    team: bool
    session_seconds: int = DEFAULT_SECONDS
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_label: str = "OpenID Connect"

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> ServeConfig:
        text = os.environ.get(CONFIG_ENV)
        if not text:
            raise RuntimeError(f"{FACTORY} runs in a worker started by metasummary serve")
        return cls(**json.loads(text))

    def open(self) -> Project:
        return Project.open(self.project, db=self.db)


def check_team(config: ServeConfig, *, accounts: int, workers: int) -> None:
    """Refuse a server that would let anyone act without signing in.

    Raises:
        InputError: A non-local host, or several workers, on a review without accounts.
    """
    if accounts:
        return
    add = "metasummary user add NAME --role owner"
    if not is_local(config.host):
        raise InputError(
            f"--host {config.host}: a server others can reach needs accounts, and this review "
            f"has none; add one ({add}), or serve on 127.0.0.1"
        )
    if workers > 1:
        raise InputError(
            f"--workers {workers}: several workers serve a team, and this review has no "
            f"accounts; add one ({add}), or serve with one worker"
        )


def oidc_settings(config: ServeConfig) -> OidcSettings | None:
    if not config.oidc_issuer:
        return None
    if not config.oidc_client_id:
        raise InputError("--oidc-issuer: give --oidc-client-id too")
    secret = os.environ.get(SECRET_ENV, "")
    if not secret:
        raise InputError(f"--oidc-issuer: set the client secret in ${SECRET_ENV}")
    return OidcSettings(
        issuer=config.oidc_issuer,
        client_id=config.oidc_client_id,
        client_secret=secret,
        label=config.oidc_label,
    )


def settings_for(config: ServeConfig, project: Project) -> WebSettings:
    """The app's settings; a team's server signs sessions with the review's secret."""
    team = None
    if config.team:
        signer = SessionSigner(project.accounts.session_secret(), seconds=config.session_seconds)
        team = TeamMode(signer=signer, oidc=oidc_settings(config))
    return WebSettings.for_host(config.host, team=team)


def build_app(config: ServeConfig) -> FastAPI:
    """A worker's app: its own project, closed when the worker stops."""
    project = config.open()
    try:
        settings = settings_for(config, project)
    except BaseException:
        project.close()
        raise
    return create_app(lambda: project, settings)


def app_from_env() -> FastAPI:
    """The uvicorn factory each worker calls (``--workers N``)."""
    return build_app(ServeConfig.from_env())
