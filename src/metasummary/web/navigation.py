"""The pages in the header's navigation, in order.

A page joins the app by adding its router to :data:`metasummary.web.routes.ROUTERS` and its
entry here. Part 2 of the web issue adds screening, dedup review and the card-sort board
between records and report.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NavItem:
    key: str
    label: str
    path: str


NAVIGATION: list[NavItem] = [
    NavItem("dashboard", "Dashboard", "/"),
    NavItem("records", "Records", "/records"),
    NavItem("report", "Report", "/report"),
]
