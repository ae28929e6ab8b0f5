"""Who is acting: the one place a request says which reviewer it acts as.

On one machine a reviewer chooses themselves with the chooser in the page header (kept in a
cookie); a program sends the ``X-Metasummary-Reviewer`` header. On a team's server the
signed-in account supplies it (its reviewer, and its name as the actor of changes it makes as
no reviewer): every route takes it through :data:`ActingDep`, and nothing else in the web
app reads who is acting. Pages show what this reviewer may see (blind screening), and every
change a request makes is recorded with this reviewer as its actor; a change made while
nobody is chosen is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.responses import Response

from metasummary.errors import InputError
from metasummary.web.access import Viewer
from metasummary.web.deps import ProjectDep
from metasummary.web.reviewer import REVIEWER_COOKIE, ActingError, chosen

_R = TypeVar("_R", bound=Response)


@dataclass(frozen=True, slots=True)
class Acting:
    """The reviewer a request acts as ('' when nobody is chosen) and the protocol's codes."""

    reviewer: str
    known: tuple[str, ...]
    account: str = ""
    """The signed-in account's name on a team's server ('' on one machine)."""

    @property
    def viewer(self) -> str | None:
        """Whose eyes a page is shown through (None: no reviewer, sees no pending vote)."""
        return self.reviewer or None

    @property
    def choices(self) -> tuple[str, ...]:
        """The reviewers a page may offer to act as: on a team's server only the account's
        own (none for an account that votes as nobody), on one machine every one."""
        if self.account:
            return (self.reviewer,) if self.reviewer else ()
        return self.known

    def named(self, given: str) -> str:
        """The reviewer a request acts for when it also names one (a form field, a JSON
        body, a query): the two must agree; with nobody chosen, the named one is. On a
        team's server an account names its own reviewer or none, whatever the request (a
        page shown as a reviewer claims records for them, and shows what they may see)."""
        given = given.strip()
        if given and given != self.reviewer and self.account:
            own = f"votes as {self.reviewer}" if self.reviewer else "votes as nobody"
            raise ActingError(f"account {self.account!r} {own}; it cannot act as {given}")
        if given and self.reviewer and given != self.reviewer:
            raise ActingError(
                f"you act as {self.reviewer}; choose {given} in the header to act as them"
            )
        return given or self.reviewer

    def remember(self, response: _R, named: str) -> _R:
        """A page that names its reviewer (``?reviewer=R1``) while nobody is chosen chooses
        them for this browser: the record pages it links to then show what they may see."""
        if named and not self.reviewer:
            response.set_cookie(REVIEWER_COOKIE, named, httponly=True, samesite="strict")
        return response

    def author(self, given: str = "") -> str:
        """Who makes a change; :class:`InputError` when nobody is chosen. On a team's
        server an account that votes as no reviewer acts under its own name."""
        who = self.named(given) or self.account
        if not who:
            listed = ", ".join(self.known) or "none in the protocol"
            raise InputError(
                f"choose who you are (the reviewer menu in the header: {listed}) before "
                "changing the review"
            )
        return who


def acting(request: Request, project: ProjectDep) -> Acting:
    """The reviewer chosen; with nobody chosen, the protocol's only reviewer if it has one."""
    known = tuple(r.id for r in project.protocol.reviewers)
    viewer = getattr(request.state, "viewer", None)
    if isinstance(viewer, Viewer) and viewer.team:
        # The signed-in account says who acts (the gate refuses a change naming another).
        return Acting(viewer.reviewer, known, viewer.name)
    code = chosen(request)
    if code and code not in known:
        listed = ", ".join(known) or "none"
        raise InputError(f"reviewer {code!r}: not in the protocol (reviewers: {listed})")
    if not code and len(known) == 1:
        code = known[0]
    return Acting(code, known)


ActingDep = Annotated[Acting, Depends(acting)]
