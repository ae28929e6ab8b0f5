"""The card-sort board: stages as columns, themes as cards holding finding notes.

Dragging a note posts the move and the server answers with the heads of the themes it
touched ("19x": distinct papers), swapped in out of band; dragging a theme to another stage
answers with both stages' heads. Creating, merging and undoing answer with the whole board.
Every change is one :mod:`metasummary.synthesis.sorting` operation, logged and undoable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from metasummary.errors import InputError
from metasummary.project import Project
from metasummary.synthesis.board import BoardView, StageLane, ThemeColumn
from metasummary.synthesis.suggest import SuggestionReport
from metasummary.web.cache import ViewCache
from metasummary.web.deps import ProjectDep, wants_fragment
from metasummary.web.rendering import render

router = APIRouter()
BOARD_ID = "board"
PAGE: dict[str, Any] = {"response_class": HTMLResponse, "include_in_schema": False}


@dataclass(slots=True)
class BoardPage:
    """The board of one coder's sort ('' is the consensus the meta-summary counts)."""

    board: BoardView
    coders: list[str]
    lane_papers: dict[str, int] = field(default_factory=dict)
    notice: str = ""
    pages: dict[int, int] = field(default_factory=dict)
    """The page each located quote is on (finding id -> page): "open at p. N"."""

    @property
    def columns(self) -> list[ThemeColumn]:
        return [col for lane in self.board.stages for col in lane.themes]


def board_page(
    project: Project, coder: str, notice: str = "", cache: ViewCache | None = None
) -> BoardPage:
    """The board, kept in ``cache`` until the data changes (every change is logged)."""

    def load() -> BoardView:
        return project.synthesis.board(coder=coder)

    def places() -> dict[int, int]:
        return {f: place.page for f, place in project.fulltexts.quotes.places().items()}

    board = cache.get(project, f"board:{coder}", load) if cache is not None else load()
    pages = cache.get(project, "quote-pages", places) if cache is not None else places()
    return BoardPage(
        board=board,
        coders=[r.id for r in project.protocol.reviewers],
        lane_papers={lane.code: _papers(lane) for lane in board.stages},
        notice=notice,
        pages=pages,
    )


def _page(request: Request, project: Project, coder: str, notice: str = "") -> BoardPage:
    return board_page(project, coder, notice, request.app.state.views)


def _papers(lane: StageLane) -> int:
    return len({card.paper for col in lane.themes for card in col.cards})


def _board_json(page: BoardPage) -> dict[str, Any]:
    data = page.board.to_dict()
    for lane in data["stages"]:
        lane["papers"] = page.lane_papers[lane["code"]]
    return data


def _whole(request: Request, page: BoardPage) -> HTMLResponse:
    return render(request, "board_body.html", page=page, coder=page.board.coder)


def _heads(request: Request, page: BoardPage, themes: set[int], stages: set[str]) -> HTMLResponse:
    """The heads of the themes and stages a change touched, to swap in out of band."""
    return render(
        request,
        "board_heads.html",
        page=page,
        coder=page.board.coder,
        columns=[c for c in page.columns if c.theme.id in themes],
        lanes=[lane for lane in page.board.stages if lane.code in stages],
    )


def _theme_id(value: str) -> int | None:
    """A theme id from a form, '' meaning the unsorted pile."""
    if not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise InputError(f"theme {value!r}: give a theme id") from None


# -- the board --------------------------------------------------------------------------------


@router.get("/board", response_class=HTMLResponse, include_in_schema=False)
def board_view(request: Request, project: ProjectDep, coder: str = "") -> HTMLResponse:
    page = _page(request, project, coder)
    if wants_fragment(request, BOARD_ID):
        return _whole(request, page)
    return render(
        request,
        "board.html",
        page=page,
        coder=coder,
        active="board",
        title="Card sort",
        json_url=f"/api/board?coder={coder}" if coder else "/api/board",
    )


@router.get("/api/board", tags=["card sort"])
def board_json(request: Request, project: ProjectDep, coder: str = "") -> dict[str, Any]:
    """Stages, their themes with the findings sorted into them (``papers``: distinct papers,
    the "Nx"), and the findings not sorted yet, in ``coder``'s sort ('' = consensus)."""
    return _board_json(_page(request, project, coder))


def _suggestions(request: Request, project: Project, coder: str) -> SuggestionReport | None:
    """Suggestions for the unsorted notes, kept until the data changes (a move changes it)."""

    def load() -> SuggestionReport | None:
        try:
            return project.synthesis.suggestions.suggest(coder=coder, duplicates=False)
        except InputError:  # no themes yet: nothing to suggest
            return None

    cache: ViewCache = request.app.state.views
    return cache.get(project, f"suggestions:{coder}", load)


@router.get("/board/suggestions", response_class=HTMLResponse, include_in_schema=False)
def suggestions_view(request: Request, project: ProjectDep, coder: str = "") -> HTMLResponse:
    return render(
        request, "board_suggestions.html", report=_suggestions(request, project, coder), coder=coder
    )


@router.get("/api/board/suggestions", tags=["card sort"])
def suggestions_json(request: Request, project: ProjectDep, coder: str = "") -> dict[str, Any]:
    """Themes suggested for every finding not sorted yet in ``coder``'s sort, best first."""
    report = _suggestions(request, project, coder)
    return report.to_dict() if report else {"coder": coder, "suggestions": []}


# -- changes, answered with HTML for the page ---------------------------------------------------


@router.post("/board/moves", **PAGE)
def move_note(
    request: Request,
    project: ProjectDep,
    finding: Annotated[int, Form()],
    theme: Annotated[str, Form()] = "",
    from_theme: Annotated[str, Form()] = "",
    position: Annotated[int | None, Form()] = None,
    coder: Annotated[str, Form()] = "",
) -> HTMLResponse:
    target = _theme_id(theme)
    project.synthesis.sorting.move_findings(
        [finding], target, coder=coder, position=position if target is not None else None
    )
    page = _page(request, project, coder)
    if wants_fragment(request, BOARD_ID):
        return _whole(request, page)
    touched = {t for t in (target, _theme_id(from_theme)) if t is not None}
    stages = {c.theme.stage for c in page.columns if c.theme.id in touched}
    return _heads(request, page, touched, stages)


@router.post("/board/themes", **PAGE)
def create_theme(
    request: Request,
    project: ProjectDep,
    stage: Annotated[str, Form()],
    label: Annotated[str, Form()],
    coder: Annotated[str, Form()] = "",
) -> HTMLResponse:
    theme = project.synthesis.sorting.create_theme(stage, label)
    notice = f"Created theme {theme.label!r} in {theme.stage}"
    return _whole(request, _page(request, project, coder, notice))


@router.post(
    "/board/themes/{theme_id}/rename", response_class=HTMLResponse, include_in_schema=False
)
def rename_theme(
    request: Request,
    project: ProjectDep,
    theme_id: int,
    label: Annotated[str, Form()],
    coder: Annotated[str, Form()] = "",
) -> HTMLResponse:
    project.synthesis.sorting.rename_theme(theme_id, label)
    return _heads(request, _page(request, project, coder), {theme_id}, set())


@router.post("/board/themes/{theme_id}/merge", **PAGE)
def merge_theme(
    request: Request,
    project: ProjectDep,
    theme_id: int,
    into: Annotated[int, Form()],
    coder: Annotated[str, Form()] = "",
) -> HTMLResponse:
    theme = project.synthesis.sorting.merge_themes([theme_id], into)
    notice = f"Merged theme {theme_id} into {theme.label!r}"
    return _whole(request, _page(request, project, coder, notice))


@router.post("/board/themes/{theme_id}/move", **PAGE)
def move_theme(
    request: Request,
    project: ProjectDep,
    theme_id: int,
    stage: Annotated[str, Form()],
    position: Annotated[int | None, Form()] = None,
    from_stage: Annotated[str, Form()] = "",
    coder: Annotated[str, Form()] = "",
) -> HTMLResponse:
    theme = project.synthesis.sorting.move_theme(theme_id, stage, position=position)
    page = _page(request, project, coder)
    return _heads(request, page, {theme_id}, {theme.stage, from_stage} - {""})


@router.post("/board/undo", **PAGE)
def undo(request: Request, project: ProjectDep, coder: Annotated[str, Form()] = "") -> HTMLResponse:
    done = project.synthesis.sorting.undo()
    return _whole(request, _page(request, project, coder, f"Undid: {done.summary}"))


# -- the same changes as JSON -----------------------------------------------------------------


class MoveIn(BaseModel):
    findings: list[int] = Field(min_length=1)
    theme_id: int | None = Field(description="The theme, or null for the unsorted pile")
    position: int | None = None
    coder: str = ""


class ThemeIn(BaseModel):
    stage: str
    label: str
    description: str = ""


class RenameIn(BaseModel):
    label: str


class MergeIn(BaseModel):
    into: int


class ThemeMoveIn(BaseModel):
    stage: str
    position: int | None = None


@router.post("/api/board/moves", tags=["card sort"])
def move_json(body: MoveIn, project: ProjectDep) -> dict[str, Any]:
    """Place findings in a theme (or back in the unsorted pile); returns the board after."""
    project.synthesis.sorting.move_findings(
        body.findings, body.theme_id, coder=body.coder, position=body.position
    )
    return _board_json(board_page(project, body.coder))


@router.post("/api/board/themes", tags=["card sort"])
def create_json(body: ThemeIn, project: ProjectDep) -> dict[str, Any]:
    """Create a theme at the end of a stage."""
    theme = project.synthesis.sorting.create_theme(
        body.stage, body.label, description=body.description
    )
    return {"id": theme.id, "stage": theme.stage, "label": theme.label}


@router.post("/api/board/themes/{theme_id}/rename", tags=["card sort"])
def rename_json(theme_id: int, body: RenameIn, project: ProjectDep) -> dict[str, Any]:
    theme = project.synthesis.sorting.rename_theme(theme_id, body.label)
    return {"id": theme.id, "stage": theme.stage, "label": theme.label}


@router.post("/api/board/themes/{theme_id}/merge", tags=["card sort"])
def merge_json(theme_id: int, body: MergeIn, project: ProjectDep) -> dict[str, Any]:
    """Merge a theme into another: its findings move there, in every coder's sort."""
    theme = project.synthesis.sorting.merge_themes([theme_id], body.into)
    return {"id": theme.id, "stage": theme.stage, "label": theme.label}


@router.post("/api/board/themes/{theme_id}/move", tags=["card sort"])
def move_theme_json(theme_id: int, body: ThemeMoveIn, project: ProjectDep) -> dict[str, Any]:
    """Move a theme to another stage (at ``position``, or its end)."""
    theme = project.synthesis.sorting.move_theme(theme_id, body.stage, position=body.position)
    return {"id": theme.id, "stage": theme.stage, "label": theme.label, "position": theme.position}


@router.post("/api/board/undo", tags=["card sort"])
def undo_json(project: ProjectDep) -> dict[str, Any]:
    """Undo the latest card-sort change."""
    done = project.synthesis.sorting.undo()
    return {"undone": done.id, "action": done.action, "summary": done.summary}
