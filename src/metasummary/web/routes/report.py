"""The report page: the HTML report with its charts, as ``metasummary report`` writes it.

The report shown is the one whose manifest is complete (a report being written, or one a
killed run left half-done, is never shown); its files are served from that folder, each path
listed in the manifest and checked by :func:`~metasummary.web.security.safe_path`; they run
under a policy of their own (inline styles and SVG, no script) and show in a frame of the
app's page. "Write the report" writes it again from the data, in every format, on a thread
(:mod:`~metasummary.web.reportjob`): the page shows each step as it happens (it asks
``/report/progress`` until the writing is done), and ``/api/report/progress`` is its JSON twin.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse

from metasummary.errors import NotFoundError
from metasummary.project import Project
from metasummary.web.deps import ProjectDep, wants_fragment
from metasummary.web.fields import FilePath
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
    outdated: bool = False
    """The data changed after the report was written."""


def _folder(project: Project) -> Path | None:
    return project.review.report_folder


def report_state(project: Project) -> ReportState:
    from metasummary.report.service import FILES

    folder = _folder(project)
    if folder is None:
        return ReportState(
            False,
            "This review was opened by database URL: write its report with "
            "metasummary report --out DIR.",
        )
    written = project.report.written(folder)
    if written is None or FILES["html"] not in written.files:
        return ReportState(
            False,
            "The report has not been written yet: write it here, or with metasummary report.",
        )
    message = "The data changed after this report was written." if written.outdated else ""
    return ReportState(
        True,
        message,
        written.written_at,
        FILES_URL + FILES["html"],
        written.files,
        written.outdated,
    )


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
def report_file(project: ProjectDep, path: FilePath) -> FileResponse:
    folder = _folder(project)
    if folder is None:
        raise NotFoundError(f"{path}: no report folder for a review opened by URL")
    written = project.report.written(folder)
    if written is None or path not in written.files:
        raise NotFoundError(f"{path}: no such file in the report")
    found = safe_path(written.folder, path)
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
