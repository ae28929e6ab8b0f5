"""Who is asking, and whether they may: one check in front of every route.

On a local server (no accounts) the person at the machine may do everything and chooses which
reviewer they are. On a team's server every route but signing in needs a signed-in account,
and what it may do is its role's grant (:mod:`metasummary.accounts.roles`): reading needs
``read``; every state-changing route is listed in :data:`WRITES` with the permission it needs,
and one that is not listed is refused to everyone (a new route is closed until it is given
one; ``tests/test_web_access.py`` checks that every route is).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from metasummary.accounts import AccountRow, Permission, Role, allows
from metasummary.errors import AccessDenied, SignInError
from metasummary.project import Project
from metasummary.web.security import UNSAFE_METHODS, request_session
from metasummary.web.settings import WebSettings


class SignInRequired(SignInError):
    """The request needs a signed-in account and has none (or its session ended)."""


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who a request acts for: a signed-in account, or (``account`` None) the person at a
    local server."""

    account: AccountRow | None = None

    @property
    def team(self) -> bool:
        return self.account is not None

    @property
    def name(self) -> str:
        return self.account.name if self.account else ""

    @property
    def role(self) -> Role:
        return Role(self.account.role) if self.account else Role.OWNER

    @property
    def reviewer(self) -> str:
        """The protocol reviewer the account votes as ('' for none, or on a local server)."""
        return self.account.reviewer if self.account else ""

    def may(self, permission: Permission) -> bool:
        return self.account is None or allows(self.account.role, permission)


LOCAL = Viewer()

PUBLIC = frozenset({"/signin", "/signout", "/signin/oidc", "/signin/oidc/callback", "/api/session"})
"""Routes anyone may reach: signing in and out."""

WRITES: dict[tuple[str, str], Permission] = {
    ("POST", "/screening/decide"): Permission.SCREEN,
    ("POST", "/screening/undo"): Permission.SCREEN,
    ("POST", "/api/screening/decisions"): Permission.SCREEN,
    ("POST", "/api/screening/undo"): Permission.SCREEN,
    ("POST", "/conflicts/resolve"): Permission.RESOLVE,
    ("POST", "/api/conflicts/resolutions"): Permission.RESOLVE,
    ("POST", "/dedup/pairs/{pair_id}"): Permission.CORRECT,
    ("POST", "/api/dedup/pairs/{pair_id}"): Permission.CORRECT,
    ("POST", "/dedup/pairs/{pair_id}/undo"): Permission.CORRECT,
    ("POST", "/api/dedup/pairs/{pair_id}/undo"): Permission.CORRECT,
    # importing a file adds records to a source; undoing or redoing one is a correction
    ("POST", "/imports"): Permission.SOURCES,
    ("POST", "/imports/{batch_id}/undo"): Permission.CORRECT,
    ("POST", "/imports/{batch_id}/redo"): Permission.CORRECT,
    ("POST", "/api/imports/{batch_id}/undo"): Permission.CORRECT,
    ("POST", "/api/imports/{batch_id}/redo"): Permission.CORRECT,
    # the reviewer chooser of one machine: on a team's server the account decides who acts
    ("POST", "/acting"): Permission.READ,
    ("POST", "/report/write"): Permission.CORRECT,
    # a full text is fetched for full-text screening; quotes become findings
    ("POST", "/api/fulltext/attach"): Permission.SCREEN,
    ("POST", "/api/fulltext/{record_id}/findings"): Permission.EXTRACT,
    ("POST", "/api/fulltext/{record_id}/quality"): Permission.QUALITY,
    **{
        ("POST", path): Permission.SORT
        for path in (
            "/board/moves",
            "/board/themes",
            "/board/themes/{theme_id}/rename",
            "/board/themes/{theme_id}/merge",
            "/board/themes/{theme_id}/move",
            "/board/undo",
            "/api/board/moves",
            "/api/board/themes",
            "/api/board/themes/{theme_id}/rename",
            "/api/board/themes/{theme_id}/merge",
            "/api/board/themes/{theme_id}/move",
            "/api/board/undo",
        )
    },
}


def needed(method: str, path: str) -> Permission | None:
    """What a request to the route ``path`` needs; None: nobody may (unlisted write)."""
    if method in UNSAFE_METHODS:
        return WRITES.get((method, path))
    return Permission.READ


async def gate(request: Request) -> None:
    """The app-wide dependency: sets ``request.state.viewer`` or refuses the request.

    Raises:
        SignInRequired: A team's server and no valid session (401, or the sign-in page).
        AccessDenied: The account's role does not grant what the route needs, or a change
            names a reviewer other than the account's own (403).
    """
    settings: WebSettings = request.app.state.settings
    if settings.team is None:
        request.state.viewer = LOCAL
        return
    route = request.scope.get("route")
    path = str(getattr(route, "path", request.url.path))
    account = await run_in_threadpool(signed_in_account, request)
    request.state.viewer = Viewer(account) if account else None
    if path in PUBLIC:
        return
    if account is None:
        raise SignInRequired("sign in first; your session has ended or never began")
    permission = needed(request.method, path)
    if permission is None:
        raise AccessDenied(f"{request.method} {path}: not open to any account")
    if not allows(account.role, permission):
        raise AccessDenied(
            f"account {account.name!r} is {_a(account.role)} {account.role}, which may not "
            f"{permission.value}"
        )
    if request.method in UNSAFE_METHODS:
        for field, value in await named_reviewers(request):
            if value and value != account.reviewer:
                own = f"votes as {account.reviewer}" if account.reviewer else "votes as nobody"
                raise AccessDenied(
                    f"account {account.name!r} {own}; it cannot act as {field} {value!r}"
                )


ACTING_FIELDS = ("reviewer", "coder")
"""Fields by which a change names who makes it: in a team, only the account's own reviewer."""


async def named_reviewers(request: Request) -> list[tuple[str, str]]:
    """The (field, value) pairs of :data:`ACTING_FIELDS` a change carries: in its query, its
    form or its JSON body (already read by FastAPI, so read again from its cache)."""
    found = [(f, v) for f, v in request.query_params.multi_items() if f in ACTING_FIELDS]
    kind = request.headers.get("content-type", "")
    if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        found += [(f, str(v)) for f, v in form.multi_items() if f in ACTING_FIELDS]
    elif kind.startswith("application/json"):
        try:
            body = json.loads(await request.body() or b"null")
        except ValueError:
            body = None
        if isinstance(body, dict):
            found += [(f, str(body[f])) for f in ACTING_FIELDS if isinstance(body.get(f), str)]
    return [(f, v.strip()) for f, v in found]


def signed_in_account(request: Request) -> AccountRow | None:
    """The account of the request's session, while that session may act for it."""
    session = request_session(request)
    if session is None or session.account is None:
        return None
    project: Project = request.app.state.projects.get()
    return project.accounts.session_account(session.account, session.generation)


def viewer_of(request: Request) -> Viewer:
    """The viewer :func:`gate` found.

    Raises:
        SignInRequired: A team's server and nobody signed in (a public route asking).
    """
    viewer = getattr(request.state, "viewer", None)
    if isinstance(viewer, Viewer):
        return viewer
    raise SignInRequired("sign in first; your session has ended or never began")


def _a(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
