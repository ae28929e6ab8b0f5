"""The conflicts page: groups whose votes disagree (or agree on maybe), resolved by a third
reviewer or by consensus of the voters."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from metasummary.project import Project
from metasummary.screening.decisions import DecisionResult
from metasummary.screening.rules import parse_phase
from metasummary.web.acting import ActingDep
from metasummary.web.cache import ViewCache
from metasummary.web.deps import ProjectDep
from metasummary.web.fields import Code, Note, StoreInt
from metasummary.web.rendering import render
from metasummary.web.screencard import criterion_keys

router = APIRouter()


@router.get("/conflicts", response_class=HTMLResponse, include_in_schema=False)
def conflicts_page(
    request: Request,
    project: ProjectDep,
    acting: ActingDep,
    phase: Annotated[Code, Query()] = "title-abstract",
    reviewer: Code = "",
) -> HTMLResponse:
    chosen = parse_phase(phase)
    who = acting.named(reviewer)
    found = None
    if who:
        cache: ViewCache = request.app.state.views
        found = cache.get(
            project,
            f"conflicts:{chosen.value}:{who}",
            lambda: project.screening.conflicts(phase=chosen, viewer=who),
        )
    twin: dict[str, Any] = (
        {"json_url": f"/api/conflicts?phase={chosen.value}&reviewer={who}"} if who else {}
    )
    return render(
        request,
        "conflicts.html",
        conflicts=found,
        phase=chosen,
        reviewer=who,
        reviewers=[r.id for r in project.protocol.reviewers],
        criteria=criterion_keys(project),
        active="conflicts",
        title="Conflicts",
        **twin,
    )


@router.get("/api/conflicts", tags=["screening"])
def conflicts_json(
    project: ProjectDep, acting: ActingDep, reviewer: Code = "", phase: Code = "title-abstract"
) -> list[dict[str, object]]:
    """Groups waiting for a resolution in ``phase``, with the votes ``reviewer`` may see."""
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
) -> HTMLResponse:
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
    return render(
        request,
        "conflict_resolved.html",
        result=result,
        reviewer=reviewer,
        how=_how(project, result, reviewer),
    )


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
