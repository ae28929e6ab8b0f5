"""The report page: a placeholder until the report step builds the HTML report."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from metasummary.web.rendering import render

router = APIRouter()

PENDING = (
    "The report arrives with the report step: the tables, charts and PRISMA flow diagram "
    "of this review, built from its data."
)


@dataclass(slots=True)
class ReportState:
    available: bool
    message: str


def report_state() -> ReportState:
    return ReportState(available=False, message=PENDING)


@router.get("/report", response_class=HTMLResponse, include_in_schema=False)
def report_page(request: Request) -> HTMLResponse:
    return render(
        request,
        "report.html",
        report=report_state(),
        active="report",
        title="Report",
        json_url="/api/report",
    )


@router.get("/api/report", tags=["report"])
def report_json() -> ReportState:
    """Whether the report is available yet."""
    return report_state()
