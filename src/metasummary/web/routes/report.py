"""The report page: the HTML report with its charts, as ``metasummary report`` writes it.

The report's files are served from the review's ``report/`` folder, each path checked by
:func:`~metasummary.web.security.safe_path`; they run under a policy of their own (inline
styles and SVG, no script) and show in a frame of the app's page. "Write the report" writes
it again from the data, in every format.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from metasummary.errors import NotFoundError
from metasummary.project import Project
from metasummary.web.deps import ProjectDep, wants_fragment
from metasummary.web.rendering import render
from metasummary.web.security import REPORT_HEADERS, safe_path

router = APIRouter()
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
    from metasummary.report.service import REPORT_DIR  # matplotlib: when a report is asked for

    return project.root / REPORT_DIR if project.root is not None else None


def report_state(project: Project) -> ReportState:
    from metasummary.report.service import FILES

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


def _page(request: Request, state: ReportState, notice: str = "") -> HTMLResponse:
    if wants_fragment(request, REPORT_ID):
        return render(request, "report_body.html", report=state, notice=notice)
    return render(
        request,
        "report.html",
        report=state,
        notice=notice,
        active="report",
        title="Report",
        json_url="/api/report",
    )


@router.get("/report", response_class=HTMLResponse, include_in_schema=False)
def report_page(request: Request, project: ProjectDep) -> HTMLResponse:
    return _page(request, report_state(project))


@router.post("/report/write", response_class=HTMLResponse, include_in_schema=False)
def write_report(request: Request, project: ProjectDep) -> HTMLResponse:
    written = project.report.write(_folder(project))
    notice = f"Wrote {len(written.files)} files to {written.folder}"
    return _page(request, report_state(project), notice)


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
