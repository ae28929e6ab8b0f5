"""The full-text desk and the reader: PDFs attached by drop, read with pdf.js, quoted.

``/fulltext`` lists the papers sought at full text with their PDFs and takes dropped files;
``/fulltext/{record}`` is the reader (the PDF beside the criteria, the votes, the findings and
the quality checklist); ``/fulltext/{record}/pdf`` serves the current PDF. Each page has its
JSON twin under ``/api/fulltext``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from metasummary.errors import InputError
from metasummary.fulltext.reader import MAX_BYTES
from metasummary.project import Project
from metasummary.web.acting import ActingDep
from metasummary.web.deps import ProjectDep
from metasummary.web.fields import Code, Finding, Note, StoreInt
from metasummary.web.reader import reader_view
from metasummary.web.rendering import render

router = APIRouter()
ATTACH = "/api/fulltext/attach"
BODY_LIMITS = {ATTACH: 2 * MAX_BYTES}
"""A drop of PDFs may be larger than the app's body limit: each file up to MAX_BYTES."""


def _desk(project: Project) -> dict[str, Any]:
    held = {info.paper: info for info in project.fulltexts.list()}
    sought = project.fulltexts.fetching.sought()
    rows = [
        {
            "record_id": paper.record_id,
            "title": paper.title,
            "doi": paper.doi,
            "fulltext": held[paper.record_id].to_dict() if paper.record_id in held else None,
        }
        for paper in sought
    ]
    extra = [
        {"record_id": p, "title": info.title, "doi": "", "fulltext": info.to_dict()}
        for p, info in held.items()
        if p not in {s.record_id for s in sought}
    ]
    return {"papers": rows + extra, "sought": len(sought), "held": len(held)}


@router.get("/fulltext", response_class=HTMLResponse, include_in_schema=False)
def desk_page(
    request: Request, project: ProjectDep, acting: ActingDep, reviewer: Code = ""
) -> HTMLResponse:
    who = acting.named(reviewer)
    page = render(
        request,
        "fulltext.html",
        active="fulltext",
        title="Full texts",
        desk=_desk(project),
        reviewer=who,
        reviewers=[r.id for r in project.protocol.reviewers],
        json_url="/api/fulltext",
    )
    return acting.remember(page, who)


@router.get("/api/fulltext", tags=["fulltext"])
def desk_json(project: ProjectDep) -> dict[str, Any]:
    """The papers sought at full text (included at title/abstract) and their PDFs."""
    return _desk(project)


@router.post(ATTACH, tags=["fulltext"])
async def attach(
    project: ProjectDep,
    acting: ActingDep,
    files: list[UploadFile],
    record: Annotated[StoreInt | None, Form()] = None,
    reviewer: Annotated[Code, Form()] = "",
) -> dict[str, Any]:
    """Attach dropped PDFs: matched like ``fulltext attach`` (or to ``record``)."""
    items = []
    for upload in files:
        data = await upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError(f"{upload.filename}: larger than {MAX_BYTES // 2**20} MB")
        items.append((upload.filename or "dropped.pdf", data))
    if not items:
        raise InputError("drop one or more PDF files")
    # matching, reading and storing the PDFs: on a thread, so the worker answers others
    attach_data = project.fulltexts.attach_data
    actor = acting.author(reviewer)
    results = await run_in_threadpool(attach_data, items, record=record, actor=actor)
    return {"files": [r.to_dict() for r in results]}


@router.get("/fulltext/{record_id}", response_class=HTMLResponse, include_in_schema=False)
def reader_page(
    request: Request,
    project: ProjectDep,
    acting: ActingDep,
    record_id: StoreInt,
    reviewer: Code = "",
    page: StoreInt | None = None,
    finding: StoreInt | None = None,
) -> HTMLResponse:
    who = acting.named(reviewer)
    view = reader_view(project, record_id, who)
    page_html = render(
        request,
        "reader.html",
        active="fulltext",
        title=f"Read #{view.record_id}",
        view=view,
        reviewer=who,
        reviewers=[r.id for r in project.protocol.reviewers],
        checklist=project.protocol.quality,
        start_page=page or 1,
        finding=finding,
        json_url=f"/api/fulltext/{view.record_id}" + (f"?reviewer={who}" if who else ""),
    )
    return acting.remember(page_html, who)


@router.get("/api/fulltext/{record_id}", tags=["fulltext"])
def reader_json(
    project: ProjectDep, acting: ActingDep, record_id: StoreInt, reviewer: Code = ""
) -> dict[str, Any]:
    """The reader's data: the paper's PDF, the votes the reviewer may see, its findings with
    their pages, and the reviewer's quality answers."""
    return reader_view(project, record_id, acting.named(reviewer)).to_dict()


@router.get("/fulltext/{record_id}/pdf", include_in_schema=False)
def pdf_file(project: ProjectDep, record_id: StoreInt) -> FileResponse:
    row = project.fulltexts.require(record_id)
    return FileResponse(
        project.fulltexts.pdf_path(row),
        media_type="application/pdf",
        headers={"Cache-Control": "private, max-age=3600"},
    )


class SelectionIn(BaseModel):
    quote: Finding = Field(description="The passage exactly as selected")
    page: StoreInt | None = None
    coder: Code = ""


@router.post("/api/fulltext/{record_id}/findings", tags=["fulltext"])
def add_finding(
    record_id: StoreInt, body: SelectionIn, project: ProjectDep, acting: ActingDep
) -> dict[str, Any]:
    """Add the selected passage as a finding (a quote, with its page and offsets)."""
    found, place = project.fulltexts.quotes.add_finding(
        record_id, body.quote, page=body.page, coder=body.coder, actor=acting.author(body.coder)
    )
    return {"finding": found.to_dict(), "place": place.to_dict() if place else None}


class QualityIn(BaseModel):
    reviewer: Code = Field(default="", description="Whose answers (default: the acting reviewer)")
    answers: dict[Code, Code] = Field(max_length=500)
    note: Note = ""


@router.post("/api/fulltext/{record_id}/quality", tags=["fulltext"])
def answer_quality(
    record_id: StoreInt, body: QualityIn, project: ProjectDep, acting: ActingDep
) -> dict[str, Any]:
    """Record the reviewer's answers to the quality checklist for this paper."""
    who = acting.author(body.reviewer)
    paper = project.fulltexts.quality.answer(
        record_id, body.answers, reviewer=who, note=body.note, actor=who
    )
    return paper.to_dict()
