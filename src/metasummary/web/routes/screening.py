"""The screening page: one record at a time for a reviewer and phase, keyboard first.

A vote or an undo answers with the next card at once, from the ranking the desk holds; the
queue is ranked again after the response (a background task), so the reviewer never waits
for the model.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from metasummary.models import Phase, Verdict
from metasummary.project import Project
from metasummary.screening.decisions import DecisionResult
from metasummary.screening.rules import parse_phase, parse_verdict
from metasummary.web.acting import Acting, ActingDep
from metasummary.web.deps import DeskDep, ProjectDep, id_list, wants_fragment
from metasummary.web.desk import Desk
from metasummary.web.fields import Code, Note, Pdf, StoreInt, Word
from metasummary.web.rendering import render
from metasummary.web.screencard import ScreenCard, screen_card

router = APIRouter()
SCREEN_ID = "screen"

PhaseQuery = Annotated[Code, Query(description="title-abstract or full-text")]


def _page(choices: tuple[str, ...], phase: Phase, reviewer: str) -> dict[str, Any]:
    """What the page around the card shows: the choosers and the links."""
    query = f"phase={phase.value}" + (f"&reviewer={reviewer}" if reviewer else "")
    return {
        "active": "screening",
        "title": "Screening",
        "phase": phase,
        "reviewer": reviewer,
        "reviewers": list(choices),
        "json_url": f"/api/screening?{query}" if reviewer else "/api/screening/progress",
        "conflicts_url": f"/conflicts?{query}",
    }


def _respond(request: Request, acting: Acting, card: ScreenCard) -> HTMLResponse:
    if wants_fragment(request, SCREEN_ID):
        return render(request, "screening_card.html", card=card)
    context = _page(acting.choices, card.phase, card.reviewer)
    return render(request, "screening.html", card=card, **context)


@router.get("/screening", response_class=HTMLResponse, include_in_schema=False)
def screening_page(
    request: Request,
    project: ProjectDep,
    desk: DeskDep,
    acting: ActingDep,
    phase: PhaseQuery = "title-abstract",
    reviewer: Code = "",
    skip: Word = "",
    also_skip: Annotated[StoreInt | None, Query()] = None,
    front: Annotated[StoreInt | None, Query()] = None,
) -> HTMLResponse:
    chosen = parse_phase(phase)
    who = acting.named(reviewer)
    if not who:
        return render(request, "screening.html", card=None, **_page(acting.choices, chosen, ""))
    skipped = id_list(skip) + ([also_skip] if also_skip is not None else [])
    card = screen_card(project, desk, chosen, who, skip=skipped, front=front)
    return acting.remember(_respond(request, acting, card), who)


@router.get("/api/screening", tags=["screening"])
def screening_json(
    project: ProjectDep,
    desk: DeskDep,
    acting: ActingDep,
    reviewer: Code = "",
    phase: PhaseQuery = "title-abstract",
    skip: Annotated[Word, Query(description="Record ids skipped, comma-separated")] = "",
) -> dict[str, object]:
    """The next record ``reviewer`` may screen (as they may see it), with the query terms'
    places, the criterion keys and the progress; ``ready`` is false while the queue is
    ranked for the first time (ask again)."""
    who = acting.author(reviewer)
    return screen_card(project, desk, parse_phase(phase), who, skip=id_list(skip)).to_dict()


# -- votes and undo --------------------------------------------------------------------------


def _vote(
    project: Project,
    desk: Desk,
    background: BackgroundTasks,
    *,
    record: int,
    phase: str,
    reviewer: str,
    verdict: str,
    criteria: list[str],
    note: str,
    pdf: str,
) -> DecisionResult:
    chosen = parse_phase(phase)
    live = desk.live(project, chosen, reviewer)
    vote = parse_verdict(verdict)
    result = project.screening.decide(
        record,
        phase=chosen,
        reviewer=reviewer,
        verdict=vote,
        criteria=[c for c in criteria if c],
        note=note,
        pdf=pdf,
        random_check=live.in_check(record),
    )
    live.record_vote(result.group, 0 if vote is Verdict.EXCLUDE else 1)
    background.add_task(live.refresh)
    return result


def _undo(
    project: Project, desk: Desk, background: BackgroundTasks, phase: str, reviewer: str
) -> DecisionResult:
    chosen = parse_phase(phase)
    live = desk.live(project, chosen, reviewer)
    # The latest vote as the database knows it: it may have been made through another worker.
    result = project.screening.retract(None, phase=chosen, reviewer=reviewer)
    live.record_undo(result.group)
    background.add_task(live.refresh)
    return result


@router.post("/screening/decide", response_class=HTMLResponse, include_in_schema=False)
def decide_form(
    request: Request,
    project: ProjectDep,
    desk: DeskDep,
    acting: ActingDep,
    background: BackgroundTasks,
    record: Annotated[StoreInt, Form()],
    phase: Annotated[Code, Form()],
    reviewer: Annotated[Code, Form()],
    verdict: Annotated[Code, Form()],
    criteria: Annotated[list[Code], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    note: Annotated[Note, Form()] = "",
    pdf: Annotated[Pdf, Form()] = "",
    skip: Annotated[Word, Form()] = "",
) -> HTMLResponse:
    reviewer = acting.author(reviewer)
    result = _vote(
        project,
        desk,
        background,
        record=record,
        phase=phase,
        reviewer=reviewer,
        verdict=verdict,
        criteria=criteria,
        note=note,
        pdf=pdf,
    )
    notice = f"{parse_verdict(verdict).value.capitalize()} recorded for record {result.record_id}"
    card = screen_card(project, desk, result.phase, reviewer, skip=id_list(skip), notice=notice)
    return _respond(request, acting, card)


@router.post("/screening/undo", response_class=HTMLResponse, include_in_schema=False)
def undo_form(
    request: Request,
    project: ProjectDep,
    desk: DeskDep,
    acting: ActingDep,
    background: BackgroundTasks,
    phase: Annotated[Code, Form()],
    reviewer: Annotated[Code, Form()],
    skip: Annotated[Word, Form()] = "",
) -> HTMLResponse:
    reviewer = acting.author(reviewer)
    result = _undo(project, desk, background, phase, reviewer)
    card = screen_card(
        project,
        desk,
        result.phase,
        reviewer,
        skip=id_list(skip),
        front=result.group,
        notice=f"Undid your vote on record {result.record_id}",
    )
    return _respond(request, acting, card)


class VoteIn(BaseModel):
    record_id: StoreInt
    phase: Code = "title-abstract"
    reviewer: Code = Field(default="", description="Who votes (default: the acting reviewer)")
    verdict: Code = Field(description="include, exclude or maybe")
    criteria: list[Code] = Field(default_factory=list, max_length=100)
    note: Note = ""
    pdf: Pdf = ""


class UndoIn(BaseModel):
    phase: Code = "title-abstract"
    reviewer: Code = Field(default="", description="Whose vote (default: the acting reviewer)")


@router.post("/api/screening/decisions", tags=["screening"])
def decide_json(
    body: VoteIn,
    project: ProjectDep,
    desk: DeskDep,
    acting: ActingDep,
    background: BackgroundTasks,
) -> dict[str, object]:
    """Record a vote and return it with the reviewer's next record."""
    who = acting.author(body.reviewer)
    values = body.model_dump(exclude={"record_id", "reviewer"})
    result = _vote(project, desk, background, **values, reviewer=who, record=body.record_id)
    card = screen_card(project, desk, result.phase, who)
    return {"decision": result.to_dict(), "next": card.to_dict()}


@router.post("/api/screening/undo", tags=["screening"])
def undo_json(
    body: UndoIn,
    project: ProjectDep,
    desk: DeskDep,
    acting: ActingDep,
    background: BackgroundTasks,
) -> dict[str, object]:
    """Undo the reviewer's latest vote; the record comes back as the next one."""
    who = acting.author(body.reviewer)
    result = _undo(project, desk, background, body.phase, who)
    card = screen_card(project, desk, result.phase, who, front=result.group)
    return {"decision": result.to_dict(), "next": card.to_dict()}


@router.get("/api/screening/progress", tags=["screening"])
def progress_json(project: ProjectDep, acting: ActingDep) -> list[dict[str, object]]:
    """Every reviewer's standing votes per phase, by verdict as the acting reviewer may see
    them (others' pending verdicts are counted as hidden)."""
    return [p.to_dict() for p in project.screening.progress(acting.viewer)]
