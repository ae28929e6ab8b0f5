"""The reviewer a request carries: the header chooser's cookie, or a program's header.

Only :mod:`metasummary.web.acting` turns it into who is acting (checked against the
protocol); pages read it here to show the chooser.
"""

from __future__ import annotations

from starlette.requests import Request

from metasummary.errors import InputError

REVIEWER_COOKIE = "metasummary-reviewer"
REVIEWER_HEADER = "x-metasummary-reviewer"


class ActingError(InputError):
    """A request acts for a reviewer other than the one chosen (refused with 403)."""


def chosen(request: Request) -> str:
    """The reviewer code the request carries ('' when nobody is chosen)."""
    given = request.headers.get(REVIEWER_HEADER) or request.cookies.get(REVIEWER_COOKIE) or ""
    return given.strip()
