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

from metasummary.errors import InputError
from metasummary.fulltext.reader import MAX_BYTES
from metasummary.project import Project
from metasummary.web.deps import ProjectDep, reviewer_or_only
from metasummary.web.reader import reader_view
from metasummary.web.rendering import render

router = APIRouter()


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
def desk_page(request: Request, project: ProjectDep, reviewer: str = "") -> HTMLResponse:
    who = reviewer_or_only(project, reviewer)
    return render(
        request,
        "fulltext.html",
        active="fulltext",
        title="Full texts",
        desk=_desk(project),
        reviewer=who,
        reviewers=[r.id for r in project.protocol.reviewers],
        json_url="/api/fulltext",
    )


@router.get("/api/fulltext", tags=["fulltext"])
def desk_json(project: ProjectDep) -> dict[str, Any]:
    """The papers sought at full text (included at title/abstract) and their PDFs."""
    return _desk(project)


@router.post("/api/fulltext/attach", tags=["fulltext"])
async def attach(
    project: ProjectDep,
    files: list[UploadFile],
    record: Annotated[int | None, Form()] = None,
    reviewer: Annotated[str, Form()] = "",
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
    results = project.fulltexts.attach_data(items, record=record, actor=reviewer)
    return {"files": [r.to_dict() for r in results]}


@router.get("/fulltext/{record_id}", response_class=HTMLResponse, include_in_schema=False)
def reader_page(
    request: Request,
    project: ProjectDep,
    record_id: int,
    reviewer: str = "",
    page: int | None = None,
    finding: int | None = None,
) -> HTMLResponse:
    who = reviewer_or_only(project, reviewer)
    view = reader_view(project, record_id, who)
    return render(
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


@router.get("/api/fulltext/{record_id}", tags=["fulltext"])
def reader_json(project: ProjectDep, record_id: int, reviewer: str = "") -> dict[str, Any]:
    """The reader's data: the paper's PDF, the votes the reviewer may see, its findings with
    their pages, and the reviewer's quality answers."""
    return reader_view(project, record_id, reviewer_or_only(project, reviewer)).to_dict()


@router.get("/fulltext/{record_id}/pdf", include_in_schema=False)
def pdf_file(project: ProjectDep, record_id: int) -> FileResponse:
    row = project.fulltexts.require(record_id)
    return FileResponse(
        project.fulltexts.pdf_path(row),
        media_type="application/pdf",
        headers={"Cache-Control": "private, max-age=3600"},
    )


class SelectionIn(BaseModel):
    quote: str = Field(description="The passage exactly as selected")
    page: int | None = None
    coder: str = ""


@router.post("/api/fulltext/{record_id}/findings", tags=["fulltext"])
def add_finding(record_id: int, body: SelectionIn, project: ProjectDep) -> dict[str, Any]:
    """Add the selected passage as a finding (a quote, with its page and offsets)."""
    found, place = project.fulltexts.quotes.add_finding(
        record_id, body.quote, page=body.page, coder=body.coder, actor=body.coder
    )
    return {"finding": found.to_dict(), "place": place.to_dict() if place else None}


class QualityIn(BaseModel):
    reviewer: str
    answers: dict[str, str]
    note: str = ""


@router.post("/api/fulltext/{record_id}/quality", tags=["fulltext"])
def answer_quality(record_id: int, body: QualityIn, project: ProjectDep) -> dict[str, Any]:
    """Record the reviewer's answers to the quality checklist for this paper."""
    paper = project.fulltexts.quality.answer(
        record_id, body.answers, reviewer=body.reviewer, note=body.note
    )
    return paper.to_dict()
