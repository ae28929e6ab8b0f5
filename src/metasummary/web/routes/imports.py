"""The imports page: every imported file (undone ones marked), undo and redo, and a file
imported from the browser into the source its content names, or the one the reviewer
chooses when it names none or several."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from metasummary.errors import SourceChoiceError
from metasummary.imports.retraction import UndoResult
from metasummary.project import Project
from metasummary.store.imports import BatchRow
from metasummary.web.acting import ActingDep
from metasummary.web.deps import ProjectDep, wants_fragment
from metasummary.web.fields import Note, StoreInt, Word
from metasummary.web.rendering import render

router = APIRouter()
IMPORTS_ID = "imports"
MAX_UPLOAD = 200 * 1024 * 1024
"""Larger than any export a library lets one download at once."""


@dataclass(slots=True)
class ImportsView:
    """The import log, the sources a file may go to, and what the last action said."""

    batches: list[BatchRow]
    sources: list[str]
    notice: str = ""
    choose: list[str] = field(default_factory=list)
    """When a file named no library of the protocol (or several): the sources to pick."""
    problems: list[str] = field(default_factory=list)


def imports_view(project: Project, **values: Any) -> ImportsView:
    sources = [s.name for s in project.sources.list()]
    return ImportsView(project.imports.log(), sources, **values)


def _respond(request: Request, view: ImportsView) -> HTMLResponse:
    if wants_fragment(request, IMPORTS_ID):
        return render(request, "imports_body.html", view=view)
    return render(
        request,
        "imports.html",
        view=view,
        active="imports",
        title="Imports",
        json_url="/api/imports",
    )


@router.get("/imports", response_class=HTMLResponse, include_in_schema=False)
def imports_page(request: Request, project: ProjectDep) -> HTMLResponse:
    return _respond(request, imports_view(project))


@router.get("/api/imports", tags=["imports"])
def imports_json(project: ProjectDep) -> list[BatchRow]:
    """Every imported file, oldest first; ``retracted_at`` is set on an undone one."""
    return project.imports.log()


@router.post("/imports", response_class=HTMLResponse, include_in_schema=False)
async def upload(
    request: Request,
    project: ProjectDep,
    acting: ActingDep,
    file: Annotated[UploadFile, File()],
    source: Annotated[Word, Form()] = "",
    again: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    actor = acting.author()
    data = await file.read(MAX_UPLOAD + 1)
    name = file.filename or "upload"
    # Reading the file and writing its records take seconds for a large export (longer
    # while another write holds the lock): on a thread, so this worker's other requests are
    # answered meanwhile.
    view = await run_in_threadpool(_import_upload, project, data, name, source, again, actor)
    return _respond(request, view)


def _import_upload(
    project: Project, data: bytes, name: str, source: str, again: bool, actor: str
) -> ImportsView:
    if len(data) > MAX_UPLOAD:
        return imports_view(project, problems=[f"{name}: larger than {MAX_UPLOAD >> 20} MB"])
    try:
        result = project.imports.import_bytes(
            data, name, source=source or None, again=again, actor=actor
        )
    except SourceChoiceError as exc:
        return imports_view(project, problems=[exc.message], choose=exc.choices)
    warned = [w.located(name) for w in result.warnings]
    notice = f"{name}: {result.imported} record(s) into '{result.source}'"
    return imports_view(project, notice=notice, problems=warned)


def _undo_notice(result: UndoResult) -> str:
    if result.action == "undo":
        return (
            f"Import {result.batch_id} ({result.file}) undone: its {result.records} record(s) "
            "no longer count anywhere; redo brings them back"
        )
    return f"Import {result.batch_id} ({result.file}) counts again"


@router.post("/imports/{batch_id}/undo", response_class=HTMLResponse, include_in_schema=False)
def undo_form(
    request: Request,
    project: ProjectDep,
    acting: ActingDep,
    batch_id: StoreInt,
    reason: Annotated[Note, Form()] = "",
) -> HTMLResponse:
    result = project.imports.undo(batch_id, reason=reason, actor=acting.author())
    return _respond(request, imports_view(project, notice=_undo_notice(result)))


@router.post("/imports/{batch_id}/redo", response_class=HTMLResponse, include_in_schema=False)
def redo_form(
    request: Request, project: ProjectDep, acting: ActingDep, batch_id: StoreInt
) -> HTMLResponse:
    result = project.imports.redo(batch_id, actor=acting.author())
    return _respond(request, imports_view(project, notice=_undo_notice(result)))


@router.post("/api/imports/{batch_id}/undo", tags=["imports"])
def undo_json(batch_id: StoreInt, project: ProjectDep, acting: ActingDep) -> dict[str, Any]:
    """Take an import back: its records leave every count, list and export (nothing is
    deleted; redo brings them back)."""
    return project.imports.undo(batch_id, actor=acting.author()).to_dict()


@router.post("/api/imports/{batch_id}/redo", tags=["imports"])
def redo_json(batch_id: StoreInt, project: ProjectDep, acting: ActingDep) -> dict[str, Any]:
    """Count an undone import again."""
    return project.imports.redo(batch_id, actor=acting.author()).to_dict()
