"""Request checks and response headers that keep a local review safe in a browser.

* Host header: only the names the server was bound for (defeats DNS rebinding).
* CSRF: every state-changing request carries the token in ``X-CSRF-Token`` (pages hold it
  in a meta tag; ``static/app.js`` adds it to htmx requests): one per process on a local
  server, one per session (derived from the signed session cookie) for a team, so every
  worker accepts it.
* Sessions (team mode): the signed cookie is read here, into ``request.state.session``; a
  visitor without a valid one gets a new anonymous session.
* Content-Security-Policy: scripts and styles only from the app's own static files, so even
  markup that slipped past escaping could not run.
* :func:`safe_path`: a path from a request never leaves the folder it is meant for.
* An error nobody expected is one line in the server's log and a plain 500 with these same
  headers; no traceback reaches the browser (``--debug`` logs it).
"""

from __future__ import annotations

import hmac
import json
import logging
from pathlib import Path

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from metasummary.errors import NotFoundError
from metasummary.web.session import COOKIE, Session, cookie_value
from metasummary.web.settings import ANY_HOST, WebSettings

LOG = logging.getLogger("metasummary.web")
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
REPORT_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
"""For the written report's files: its own inline styles and SVG, no script at all, and
framed only by the app's report page."""
REPORT_HEADERS = {"content-security-policy": REPORT_POLICY, "x-frame-options": "SAMEORIGIN"}
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


def host_name(header: str) -> str:
    """The name part of a Host header: ``[::1]:8000`` gives ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def csrf_ok(settings: WebSettings, given: str | None, session: Session | None = None) -> bool:
    return given is not None and hmac.compare_digest(
        given.encode(), expected_token(settings, session).encode()
    )


def expected_token(settings: WebSettings, session: Session | None) -> str:
    """The CSRF token for this request: the process's, or the session's in team mode."""
    if settings.team is None:
        return settings.csrf_token
    return settings.team.signer.csrf_token(session) if session is not None else ""


def csrf_token_for(request: Request) -> str:
    """The token a page served for ``request`` hands its scripts."""
    settings: WebSettings = request.app.state.settings
    return expected_token(settings, request_session(request))


def request_session(request: Request) -> Session | None:
    """The session the middleware read (or started) for this request; None on a local server."""
    session = request.scope.get("state", {}).get("session")
    return session if isinstance(session, Session) else None


class SecurityMiddleware:
    """Checks the Host header and the CSRF token; adds the security headers."""

    def __init__(self, app: ASGIApp, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        allowed = self.settings.allowed_hosts
        if ANY_HOST not in allowed and host_name(headers.get("host", "")) not in allowed:
            await refuse(send, 400, "this server answers only to a local address")
            return
        session, fresh = self._session(headers.get("cookie", ""))
        if session is not None:
            scope.setdefault("state", {})["session"] = session
        if scope["method"] in UNSAFE_METHODS and not csrf_ok(
            self.settings, headers.get(CSRF_HEADER), session
        ):
            await refuse(send, 403, "missing or wrong CSRF token; reload the page and try again")
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                given = list(message.get("headers", []))
                named = {name.lower() for name, _ in given}
                # A response may set a policy of its own (the report, shown in a frame).
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in named]
                if fresh and session is not None and not _sets_session(given):
                    assert self.settings.team is not None
                    cookie = self.settings.team.signer.cookie_header(
                        session, secure=scope.get("scheme") == "https"
                    )
                    extra.append((b"set-cookie", cookie))
                message["headers"] = [*given, *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # a bug: one line in the log, a plain 500 to the client
            LOG.error(
                "%s %s: unexpected %s: %s",
                scope["method"],
                scope["path"],
                type(exc).__name__,
                exc,
                exc_info=self.settings.debug,
            )
            if not started:
                await refuse(
                    send,
                    500,
                    f"unexpected {type(exc).__name__} on the server; the server's log has one "
                    "line about it (please report it)",
                )

    def _session(self, cookies: str) -> tuple[Session | None, bool]:
        """The request's session and whether it is new (to be set as a cookie)."""
        team = self.settings.team
        if team is None:
            return None, False
        found = team.signer.decode(cookie_value(cookies))
        return (found, False) if found is not None else (team.signer.anonymous(), True)


def _sets_session(headers: list[tuple[bytes, bytes]]) -> bool:
    prefix = f"{COOKIE}=".encode()
    return any(k.lower() == b"set-cookie" and v.startswith(prefix) for k, v in headers)


async def refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def safe_path(root: Path, relative: str) -> Path:
    """``root / relative`` when it stays inside ``root`` (after resolving links), else 404.

    Raises:
        NotFoundError: The path leaves ``root``, is absolute, or does not exist.
    """
    if "\x00" in relative:  # checked first: the system refuses such a path with ValueError
        raise NotFoundError(f"{relative!r}: no such file")
    base = root.resolve()
    candidate = (base / relative).resolve()
    if (
        Path(relative).is_absolute()
        or not candidate.is_relative_to(base)
        or not candidate.is_file()
    ):
        raise NotFoundError(f"{relative}: no such file")
    return candidate


def safe_url(value: str) -> str:
    """``value`` when it is an http(s) link, else ''; imported URLs may say ``javascript:``."""
    stripped = value.strip()
    return stripped if stripped.lower().startswith(("https://", "http://")) else ""
