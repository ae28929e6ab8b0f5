"""The report page: the HTML report with its charts, as ``metasummary report`` writes it.

The report's files are served from the review's ``report/`` folder, each path checked by
:func:`~metasummary.web.security.safe_path`; they run under a policy of their own (inline
styles and SVG, no script) and show in a frame of the app's page. "Write the report" writes
it again from the data, in every format, on a thread (:mod:`~metasummary.web.reportjob`): the
page shows each step as it happens (it asks ``/report/progress`` until the writing is done),
and ``/api/report/progress`` is its JSON twin.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse

from metasummary.errors import NotFoundError
from metasummary.project import Project
from metasummary.report.service import FILES, REPORT_DIR
from metasummary.web.deps import ProjectDep, wants_fragment
from metasummary.web.rendering import render
from metasummary.web.reportjob import ReportProgress, ReportWriter
from metasummary.web.security import REPORT_HEADERS, safe_path

router = APIRouter()


def get_reports(request: Request) -> ReportWriter:
    reports: ReportWriter = request.app.state.reports
    return reports


ReportsDep = Annotated[ReportWriter, Depends(get_reports)]
REPORT_ID = "report"
FILES_URL = "/report/files/"


@dataclass(slots=True)
class ReportState:
    """Whether the report was written, when, and the files it holds (relative paths)."""

    available: bool
    message: str
    written_at: datetime | None = None
    url: str = ""
    files: list[str] = field(default_factory=list)


def _folder(project: Project) -> Path | None:
    return project.root / REPORT_DIR if project.root is not None else None


def report_state(project: Project) -> ReportState:
    folder = _folder(project)
    if folder is None:
        return ReportState(
            False,
            "This review was opened by database URL: write its report with "
            "metasummary report --out DIR.",
        )
    index = folder / FILES["html"]
    if not index.is_file():
        return ReportState(
            False,
            "The report has not been written yet: write it here, or with metasummary report.",
        )
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    written = datetime.fromtimestamp(index.stat().st_mtime, tz=UTC)
    return ReportState(True, "", written, FILES_URL + FILES["html"], files)


def _page(
    request: Request, state: ReportState, progress: ReportProgress, notice: str = ""
) -> HTMLResponse:
    context: dict[str, Any] = {"report": state, "progress": progress, "notice": notice}
    if wants_fragment(request, REPORT_ID):
        return render(request, "report_body.html", **context)
    return render(
        request,
        "report.html",
        **context,
        active="report",
        title="Report",
        json_url="/api/report",
    )


def _notice(progress: ReportProgress) -> str:
    if progress.error:
        return f"The report was not written: {progress.error}"
    return f"Wrote {progress.files} files to {progress.folder} in {progress.seconds:.1f} s"


@router.get("/report", response_class=HTMLResponse, include_in_schema=False)
def report_page(request: Request, project: ProjectDep, reports: ReportsDep) -> HTMLResponse:
    return _page(request, report_state(project), reports.progress())


@router.post("/report/write", response_class=HTMLResponse, include_in_schema=False)
def write_report(request: Request, project: ProjectDep, reports: ReportsDep) -> HTMLResponse:
    progress = reports.start(project, _folder(project))
    return _page(request, report_state(project), progress)


@router.get("/report/progress", response_class=HTMLResponse, include_in_schema=False)
def report_progress(request: Request, project: ProjectDep, reports: ReportsDep) -> HTMLResponse:
    """The report body while it is written (the page asks again), then the report."""
    progress = reports.progress()
    notice = ""
    if progress.finished:
        notice = _notice(progress)
        reports.seen()
    return _page(request, report_state(project), progress, notice)


@router.get("/report/files/{path:path}", include_in_schema=False)
def report_file(project: ProjectDep, path: str) -> FileResponse:
    folder = _folder(project)
    if folder is None:
        raise NotFoundError(f"{path}: no report folder for a review opened by URL")
    found = safe_path(folder, path)
    kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
    return FileResponse(found, media_type=kind, headers=REPORT_HEADERS)


@router.get("/api/report", tags=["report"])
def report_json(project: ProjectDep) -> ReportState:
    """Whether the report was written, when, and its files (under ``/report/files/``)."""
    return report_state(project)


@router.get("/api/report/progress", tags=["report"])
def report_progress_json(reports: ReportsDep) -> ReportProgress:
    """Where the latest writing of the report stands: its step, steps done of all, seconds."""
    return reports.progress()
