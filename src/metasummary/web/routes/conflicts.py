"""The conflicts page: groups whose votes disagree (or agree on maybe), resolved by a third
reviewer or by consensus of the voters, one at a time with the screening page's keys
(:mod:`metasummary.web.conflictdesk`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from metasummary.accounts import Permission
from metasummary.models import Phase
from metasummary.project import Project
from metasummary.screening.decisions import DecisionResult
from metasummary.screening.rules import parse_phase
from metasummary.web.access import viewer_of
from metasummary.web.acting import Acting, ActingDep
from metasummary.web.conflictdesk import (
    COUNT_EVERY_S,
    ConflictDesk,
    Resolved,
    conflict_desk,
    waiting,
)
from metasummary.web.deps import ProjectDep, id_list, wants_fragment
from metasummary.web.fields import Code, Note, StoreInt, Word
from metasummary.web.rendering import render

router = APIRouter()
DESK_ID = "conflict-desk"


def _render(
    request: Request, acting: Acting, phase: Phase, who: str, desk: ConflictDesk | None
) -> HTMLResponse:
    # an account that may not resolve (a reviewer on a team's server) reads the desk only
    resolves = viewer_of(request).may(Permission.RESOLVE)
    if desk is not None and wants_fragment(request, DESK_ID):
        return render(
            request, "conflict_desk.html", desk=desk, every=COUNT_EVERY_S, resolves=resolves
        )
    twin: dict[str, Any] = (
        {"json_url": f"/api/conflicts?phase={phase.value}&reviewer={who}"} if who else {}
    )
    return render(
        request,
        "conflicts.html",
        desk=desk,
        every=COUNT_EVERY_S,
        resolves=resolves,
        phase=phase,
        reviewer=who,
        reviewers=list(acting.choices),
        active="conflicts",
        title="Conflicts",
        **twin,
    )


@router.get("/conflicts", response_class=HTMLResponse, include_in_schema=False)
def conflicts_page(
    request: Request,
    project: ProjectDep,
    acting: ActingDep,
    phase: Annotated[Code, Query()] = "title-abstract",
    reviewer: Code = "",
    record: Annotated[StoreInt | None, Query()] = None,
    skip: Word = "",
    also_skip: Annotated[StoreInt | None, Query()] = None,
) -> HTMLResponse:
    chosen = parse_phase(phase)
    who = acting.named(reviewer)
    desk = None
    if who:
        skipped = id_list(skip) + ([also_skip] if also_skip is not None else [])
        desk = conflict_desk(
            project, request.app.state.views, chosen, who, front=record, skip=skipped
        )
    return _render(request, acting, chosen, who, desk)


@router.get("/conflicts/count", response_class=HTMLResponse, include_in_schema=False)
def conflicts_count(
    request: Request,
    project: ProjectDep,
    acting: ActingDep,
    reviewer: Code = "",
    phase: Code = "title-abstract",
) -> HTMLResponse:
    """The count of conflicts waiting, asked again by the page every few seconds."""
    chosen = parse_phase(phase)
    reviewer = acting.named(reviewer)
    found = waiting(project, request.app.state.views, chosen, reviewer)
    return render(
        request,
        "conflict_count.html",
        count=len(found),
        phase=chosen,
        reviewer=reviewer,
        every=COUNT_EVERY_S,
    )


@router.get("/api/conflicts", tags=["screening"])
def conflicts_json(
    project: ProjectDep, acting: ActingDep, reviewer: Code = "", phase: Code = "title-abstract"
) -> list[dict[str, object]]:
    """Groups waiting for a resolution in ``phase``, with the votes ``reviewer`` may see and
    what the canonical record says (title, abstract, keywords, authors, venue, year)."""
    who = acting.author(reviewer)
    return [c.to_dict() for c in project.screening.conflicts(phase=phase, viewer=who)]


def _how(project: Project, result: DecisionResult, reviewer: str) -> str:
    view = project.screening.view(result.record_id, phase=result.phase, viewer=reviewer)
    voters = {d.reviewer for d in view.decisions if d.kind == "vote"}
    return "consensus" if reviewer in voters else "third reviewer"


@router.post("/conflicts/resolve", response_class=HTMLResponse, include_in_schema=False)
def resolve_form(
    request: Request,
    project: ProjectDep,
    acting: ActingDep,
    record: Annotated[StoreInt, Form()],
    phase: Annotated[Code, Form()],
    reviewer: Annotated[Code, Form()],
    verdict: Annotated[Code, Form()],
    criteria: Annotated[list[Code], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    note: Annotated[Note, Form()] = "",
    replace: Annotated[bool, Form()] = False,
    skip: Annotated[Word, Form()] = "",
) -> HTMLResponse:
    """Resolve, and answer with the desk showing the next conflict (and what was done)."""
    reviewer = acting.author(reviewer)
    result = project.screening.resolve(
        record,
        phase=phase,
        reviewer=reviewer,
        verdict=verdict,
        criteria=[c for c in criteria if c],
        note=note,
        replace=replace,
    )
    chosen = parse_phase(phase)
    done = Resolved(result, reviewer, _how(project, result, reviewer))
    desk = conflict_desk(
        project, request.app.state.views, chosen, reviewer, skip=id_list(skip), resolved=done
    )
    return render(request, "conflict_desk.html", desk=desk, every=COUNT_EVERY_S, resolves=True)


class ResolutionIn(BaseModel):
    record_id: StoreInt
    phase: Code = "title-abstract"
    reviewer: Code = Field(default="", description="Who resolves (default: the acting reviewer)")
    verdict: Code = Field(description="include, exclude or maybe")
    criteria: list[Code] = Field(default_factory=list, max_length=100)
    note: Note = ""
    replace: bool = Field(default=False, description="Replace an earlier resolution")


@router.post("/api/conflicts/resolutions", tags=["screening"])
def resolve_json(body: ResolutionIn, project: ProjectDep, acting: ActingDep) -> dict[str, object]:
    """Settle a conflict: as third reviewer, or by consensus when ``reviewer`` voted on it."""
    who = acting.author(body.reviewer)
    result = project.screening.resolve(
        body.record_id,
        phase=body.phase,
        reviewer=who,
        verdict=body.verdict,
        criteria=body.criteria,
        note=body.note,
        replace=body.replace,
    )
    return {**result.to_dict(), "by": _how(project, result, who)}
