"""The conflicts page: groups whose votes disagree (or agree on maybe), resolved by a third
reviewer or by consensus of the voters, one at a time with the screening page's keys
(:mod:`metasummary.web.conflictdesk`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from metasummary.models import Phase
from metasummary.project import Project
from metasummary.screening.decisions import DecisionResult
from metasummary.screening.rules import parse_phase
from metasummary.web.conflictdesk import (
    COUNT_EVERY_S,
    ConflictDesk,
    Resolved,
    conflict_desk,
    waiting,
)
from metasummary.web.deps import ProjectDep, id_list, reviewer_or_only, wants_fragment
from metasummary.web.rendering import render

router = APIRouter()
DESK_ID = "conflict-desk"


def _render(
    request: Request, project: Project, phase: Phase, who: str, desk: ConflictDesk | None
) -> HTMLResponse:
    if desk is not None and wants_fragment(request, DESK_ID):
        return render(request, "conflict_desk.html", desk=desk, every=COUNT_EVERY_S)
    twin: dict[str, Any] = (
        {"json_url": f"/api/conflicts?phase={phase.value}&reviewer={who}"} if who else {}
    )
    return render(
        request,
        "conflicts.html",
        desk=desk,
        every=COUNT_EVERY_S,
        phase=phase,
        reviewer=who,
        reviewers=[r.id for r in project.protocol.reviewers],
        active="conflicts",
        title="Conflicts",
        **twin,
    )


@router.get("/conflicts", response_class=HTMLResponse, include_in_schema=False)
def conflicts_page(
    request: Request,
    project: ProjectDep,
    phase: Annotated[str, Query()] = "title-abstract",
    reviewer: str = "",
    record: Annotated[int | None, Query()] = None,
    skip: str = "",
    also_skip: Annotated[int | None, Query()] = None,
) -> HTMLResponse:
    chosen = parse_phase(phase)
    who = reviewer_or_only(project, reviewer)
    desk = None
    if who:
        skipped = id_list(skip) + ([also_skip] if also_skip is not None else [])
        desk = conflict_desk(
            project, request.app.state.views, chosen, who, front=record, skip=skipped
        )
    return _render(request, project, chosen, who, desk)


@router.get("/conflicts/count", response_class=HTMLResponse, include_in_schema=False)
def conflicts_count(
    request: Request, project: ProjectDep, reviewer: str, phase: str = "title-abstract"
) -> HTMLResponse:
    """The count of conflicts waiting, asked again by the page every few seconds."""
    chosen = parse_phase(phase)
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
    project: ProjectDep, reviewer: str, phase: str = "title-abstract"
) -> list[dict[str, object]]:
    """Groups waiting for a resolution in ``phase``, with the votes ``reviewer`` may see and
    what the canonical record says (title, abstract, keywords, authors, venue, year)."""
    return [c.to_dict() for c in project.screening.conflicts(phase=phase, viewer=reviewer)]


def _how(project: Project, result: DecisionResult, reviewer: str) -> str:
    view = project.screening.view(result.record_id, phase=result.phase, viewer=reviewer)
    voters = {d.reviewer for d in view.decisions if d.kind == "vote"}
    return "consensus" if reviewer in voters else "third reviewer"


@router.post("/conflicts/resolve", response_class=HTMLResponse, include_in_schema=False)
def resolve_form(
    request: Request,
    project: ProjectDep,
    record: Annotated[int, Form()],
    phase: Annotated[str, Form()],
    reviewer: Annotated[str, Form()],
    verdict: Annotated[str, Form()],
    criteria: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    note: Annotated[str, Form()] = "",
    skip: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Resolve, and answer with the desk showing the next conflict (and what was done)."""
    result = project.screening.resolve(
        record,
        phase=phase,
        reviewer=reviewer,
        verdict=verdict,
        criteria=[c for c in criteria if c],
        note=note,
    )
    chosen = parse_phase(phase)
    done = Resolved(result, reviewer, _how(project, result, reviewer))
    desk = conflict_desk(
        project, request.app.state.views, chosen, reviewer, skip=id_list(skip), resolved=done
    )
    return render(request, "conflict_desk.html", desk=desk, every=COUNT_EVERY_S)


class ResolutionIn(BaseModel):
    record_id: int
    phase: str = "title-abstract"
    reviewer: str
    verdict: str = Field(description="include, exclude or maybe")
    criteria: list[str] = Field(default_factory=list)
    note: str = ""


@router.post("/api/conflicts/resolutions", tags=["screening"])
def resolve_json(body: ResolutionIn, project: ProjectDep) -> dict[str, object]:
    """Settle a conflict: as third reviewer, or by consensus when ``reviewer`` voted on it."""
    result = project.screening.resolve(
        body.record_id,
        phase=body.phase,
        reviewer=body.reviewer,
        verdict=body.verdict,
        criteria=body.criteria,
        note=body.note,
    )
    return {**result.to_dict(), "by": _how(project, result, body.reviewer)}
