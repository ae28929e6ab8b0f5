"""The reviewer chooser in the page header: who the browser acts as (kept in a cookie)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from metasummary.errors import InputError
from metasummary.web.acting import ActingDep
from metasummary.web.deps import ProjectDep
from metasummary.web.fields import Code
from metasummary.web.reviewer import REVIEWER_COOKIE

router = APIRouter()


@router.post("/acting", include_in_schema=False)
def choose(project: ProjectDep, reviewer: Annotated[Code, Form()] = "") -> Response:
    """Act as ``reviewer`` from now on ('' to act as nobody); the page reloads."""
    code = reviewer.strip()
    known = [r.id for r in project.protocol.reviewers]
    if code and code not in known:
        raise InputError(f"reviewer {code!r}: not in the protocol ({', '.join(known) or 'none'})")
    response = Response(status_code=204, headers={"HX-Refresh": "true"})
    if code:
        response.set_cookie(REVIEWER_COOKIE, code, httponly=True, samesite="strict")
    else:
        response.delete_cookie(REVIEWER_COOKIE)
    return response


@router.get("/api/acting", tags=["reviewers"])
def acting_json(acting: ActingDep) -> dict[str, object]:
    """Who this client acts as ('' for nobody) and the reviewers it may choose from."""
    return {"reviewer": acting.reviewer, "reviewers": list(acting.known)}
