"""The dedup review page: maybe-pairs side by side, accepted (linked) or rejected."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from metasummary.dedup.views import PairView
from metasummary.project import Project
from metasummary.store.pairs import PairRow
from metasummary.web.acting import ActingDep
from metasummary.web.cache import ViewCache
from metasummary.web.deps import ProjectDep, wants_fragment
from metasummary.web.fields import StoreInt
from metasummary.web.pairdiff import FieldRow, compare
from metasummary.web.rendering import render

router = APIRouter()
PAIRS_ID = "pairs"
SHOWN = 20


@dataclass(slots=True)
class PairCard:
    pair: PairView
    fields: list[FieldRow]


@dataclass(slots=True)
class PairQueue:
    """The maybe-pairs waiting, strongest first: how many, and the first few compared."""

    total: int
    cards: list[PairCard] = field(default_factory=list)
    notice: str = ""
    undo: int | None = None
    """The pair just reviewed: the page offers to undo that review."""


def pair_queue(
    project: Project,
    cache: ViewCache,
    shown: int = SHOWN,
    notice: str = "",
    undo: int | None = None,
) -> PairQueue:
    """The first ``shown`` pairs waiting; the list is kept until the data changes."""
    waiting = cache.get(project, "dedup:pending", project.dedup.pending, reads="records")
    cards = [PairCard(p, compare(p)) for p in waiting[:shown]]
    return PairQueue(total=len(waiting), cards=cards, notice=notice, undo=undo)


@router.get("/dedup", response_class=HTMLResponse, include_in_schema=False)
def dedup_page(request: Request, project: ProjectDep) -> HTMLResponse:
    queue = pair_queue(project, request.app.state.views)
    context: dict[str, Any] = {"queue": queue}
    if wants_fragment(request, PAIRS_ID):
        return render(request, "dedup_pairs.html", **context)
    return render(
        request,
        "dedup.html",
        active="dedup",
        title="Duplicates",
        json_url="/api/dedup/pairs",
        **context,
    )


@router.get("/api/dedup/pairs", tags=["dedup"])
def pairs_json(
    project: ProjectDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> dict[str, object]:
    """The maybe-pairs waiting for a reviewer, strongest first, with both records."""
    waiting = project.dedup.pending()
    return {"total": len(waiting), "pairs": [p.to_dict() for p in waiting[:limit]]}


@router.post("/dedup/pairs/{pair_id}", response_class=HTMLResponse, include_in_schema=False)
def decide_form(
    request: Request,
    project: ProjectDep,
    acting: ActingDep,
    pair_id: StoreInt,
    accept: Annotated[bool, Form()],
) -> HTMLResponse:
    pair = project.dedup.decide(pair_id, accept=accept, actor=acting.author())
    verb = "linked as duplicates" if accept else "kept apart"
    notice = f"Pair {pair.id}: records {pair.record_a} and {pair.record_b} {verb}"
    queue = pair_queue(project, request.app.state.views, notice=notice, undo=pair.id)
    return render(request, "dedup_pairs.html", queue=queue)


@router.post("/dedup/pairs/{pair_id}/undo", response_class=HTMLResponse, include_in_schema=False)
def undo_form(
    request: Request, project: ProjectDep, acting: ActingDep, pair_id: StoreInt
) -> HTMLResponse:
    pair = project.dedup.undo_review(pair_id, actor=acting.author())
    notice = (
        f"Pair {pair.id}: review undone; records {pair.record_a} and {pair.record_b} wait again"
    )
    queue = pair_queue(project, request.app.state.views, notice=notice)
    return render(request, "dedup_pairs.html", queue=queue)


class PairDecisionIn(BaseModel):
    accept: bool


def _pair_json(pair: PairRow) -> dict[str, object]:
    return {
        "pair": pair.id,
        "record_a": pair.record_a,
        "record_b": pair.record_b,
        "kind": pair.kind,
        "status": pair.status,
        "decided_by": pair.decided_by,
    }


@router.post("/api/dedup/pairs/{pair_id}", tags=["dedup"])
def decide_json(
    pair_id: StoreInt, body: PairDecisionIn, project: ProjectDep, acting: ActingDep
) -> dict[str, object]:
    """Accept a pair (link its records into one group) or reject it (keep them apart)."""
    return _pair_json(project.dedup.decide(pair_id, accept=body.accept, actor=acting.author()))


@router.post("/api/dedup/pairs/{pair_id}/undo", tags=["dedup"])
def undo_json(pair_id: StoreInt, project: ProjectDep, acting: ActingDep) -> dict[str, object]:
    """Undo the latest review of a pair: its verdict and the links it made."""
    return _pair_json(project.dedup.undo_review(pair_id, actor=acting.author()))
