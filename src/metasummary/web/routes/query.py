"""The query page: hits per group, the seed-paper check with the smallest fix per missed seed,
placed term suggestions, and what a change would do (``query test --add/--drop``).

Everything here reads: trying a change records nothing, as on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from metasummary.errors import InputError
from metasummary.project import Project
from metasummary.query.hits import HitReport
from metasummary.query.service import CheckResult
from metasummary.query.whatif import Action, Change, WhatIf, parse_change
from metasummary.web.deps import ProjectDep, wants_fragment
from metasummary.web.rendering import render

router = APIRouter()
WHAT_IF_ID = "what-if"
SUGGESTIONS = 15

Seeds = Literal["protocol", "included"]
Lines = Annotated[list[str], Query(description="GROUP:term, repeated or one per line")]


def changes(add: list[str], drop: list[str]) -> list[Change]:
    """The changes asked for: each value may hold several, one per line."""
    asked: list[tuple[Action, list[str]]] = [("add", add), ("drop", drop)]
    return [
        parse_change(action, line.strip())
        for action, values in asked
        for value in values
        for line in value.splitlines()
        if line.strip()
    ]


@dataclass(slots=True)
class QueryPage:
    hits: HitReport
    seeds: Seeds
    check: CheckResult | None
    check_error: str
    """Why the check could not run (no seed papers, nothing included yet)."""
    what_if: WhatIf | None
    add: str
    drop: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "hits": self.hits.to_dict(),
            "seeds": self.seeds,
            "check": self.check.to_dict() if self.check else None,
            "check_error": self.check_error,
            "what_if": self.what_if.to_dict() if self.what_if else None,
        }


def query_page(
    project: Project, seeds: Seeds, add: list[str], drop: list[str], *, check: bool = True
) -> QueryPage:
    asked = changes(add, drop)
    result: CheckResult | None = None
    error = ""
    if check:
        try:
            result = project.query.check(suggestions=SUGGESTIONS, from_included=seeds == "included")
        except InputError as exc:
            error = str(exc)
    return QueryPage(
        hits=project.query.hits(),
        seeds=seeds,
        check=result,
        check_error=error,
        what_if=project.query.what_if(asked) if asked else None,
        add="\n".join(add),
        drop="\n".join(drop),
    )


@router.get("/query", response_class=HTMLResponse, include_in_schema=False)
def query_view(
    request: Request,
    project: ProjectDep,
    seeds: Seeds = "protocol",
    add: Lines = [],  # noqa: B006 -- FastAPI copies query defaults
    drop: Lines = [],  # noqa: B006
) -> HTMLResponse:
    if wants_fragment(request, WHAT_IF_ID):
        page = query_page(project, seeds, add, drop, check=False)
        return render(request, "query_whatif.html", page=page)
    page = query_page(project, seeds, add, drop)
    return render(
        request,
        "query.html",
        page=page,
        query=project.query.query,
        active="query",
        title="Query",
        json_url="/api/query",
    )


@router.get("/api/query", tags=["query"])
def query_json(
    project: ProjectDep,
    seeds: Seeds = "protocol",
    add: Lines = [],  # noqa: B006
    drop: Lines = [],  # noqa: B006
) -> dict[str, Any]:
    """Hits per group and source; each seed paper against each group with the smallest fix
    per missed seed; suggested terms, each placed in a group; and, with ``add``/``drop``, what
    the changed query would gain and lose (as ``metasummary query check --json`` and
    ``query test --add/--drop --json``)."""
    return query_page(project, seeds, add, drop).to_dict()
