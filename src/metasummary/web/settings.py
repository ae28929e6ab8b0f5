"""How the web app runs: which Host headers it answers, its per-process CSRF token, and, for
a team, sign-in (sessions, OpenID Connect)."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from metasummary.web.session import SessionSigner

if TYPE_CHECKING:
    from metasummary.web.oidc import OidcSettings

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_BODY = 1_000_000
"""A request body's size limit: the longest note or finding, many times over."""
ANY_HOST = "*"


def is_local(host: str) -> bool:
    """Whether ``host`` is a loopback address (only this machine can connect)."""
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class TeamMode:
    """A review served to a team: everyone signs in, and acts as their account.

    Attributes:
        signer: Signs and checks session cookies (the secret is kept in the database, so
            every worker shares it).
        oidc: An OpenID Connect provider people may also sign in with.
    """

    signer: SessionSigner
    oidc: OidcSettings | None = None


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Settings of one running app.

    Attributes:
        allowed_hosts: Host header names the app answers (others get 400, which stops DNS
            rebinding); ``"*"`` answers any.
        csrf_token: The token state-changing requests must carry in ``X-CSRF-Token``; a new
            secret per process unless given.
        screening_wait: Seconds the screening page waits for a reviewer's queue to be ranked
            the first time before it shows "preparing" and asks again.
        max_body: The most bytes a request body may hold (JSON and forms alike); more is
            refused with 413.
        debug: Log the traceback of an unexpected error (not only its one line).
        team: Sign-in for a team; None serves one person on this machine, who chooses which
            reviewer they are.
    """

    allowed_hosts: frozenset[str] = LOCAL_HOSTS
    csrf_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    screening_wait: float = 2.0
    max_body: int = MAX_BODY
    debug: bool = False
    team: TeamMode | None = None

    @classmethod
    def for_host(cls, host: str, team: TeamMode | None = None) -> WebSettings:
        """Settings for a server bound to ``host``: local names only when it is local (any
        loopback address, such as 127.0.0.2, keeps the Host check; only a server bound to a
        network answers any name)."""
        if is_local(host):
            return cls(allowed_hosts=LOCAL_HOSTS | {host.strip("[]")}, team=team)
        return cls(allowed_hosts=frozenset({ANY_HOST}), team=team)
