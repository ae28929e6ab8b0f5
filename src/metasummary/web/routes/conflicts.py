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
from metasummary.web.cache import ViewCache
from metasummary.web.deps import ProjectDep, reviewer_or_only
from metasummary.web.rendering import render
from metasummary.web.screencard import criterion_keys

router = APIRouter()


@router.get("/conflicts", response_class=HTMLResponse, include_in_schema=False)
def conflicts_page(
    request: Request,
    project: ProjectDep,
    phase: Annotated[str, Query()] = "title-abstract",
    reviewer: str = "",
) -> HTMLResponse:
    chosen = parse_phase(phase)
    who = reviewer_or_only(project, reviewer)
    found = None
    if who:
        cache: ViewCache = request.app.state.views
        found = cache.get(
            project,
            f"conflicts:{chosen.value}:{who}",
            lambda: project.screening.conflicts(phase=chosen, viewer=who),
            reads="records",
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
    project: ProjectDep, reviewer: str, phase: str = "title-abstract"
) -> list[dict[str, object]]:
    """Groups waiting for a resolution in ``phase``, with the votes ``reviewer`` may see."""
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
) -> HTMLResponse:
    result = project.screening.resolve(
        record,
        phase=phase,
        reviewer=reviewer,
        verdict=verdict,
        criteria=[c for c in criteria if c],
        note=note,
    )
    return render(
        request,
        "conflict_resolved.html",
        result=result,
        reviewer=reviewer,
        how=_how(project, result, reviewer),
    )


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
