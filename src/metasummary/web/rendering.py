"""HTML pages from Jinja2 templates; every value is escaped (autoescape is on, always)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from metasummary import __version__, numbers
from metasummary.agreement import Estimate
from metasummary.errors import MetasummaryError
from metasummary.web.access import LOCAL, Viewer
from metasummary.web.navigation import NAVIGATION
from metasummary.web.reviewer import chosen
from metasummary.web.security import csrf_token_for, safe_url

HERE = Path(__file__).parent
STATE_LABELS = {
    "included": "Included",
    "excluded": "Excluded",
    "maybe": "Maybe",
    "conflict": "Conflict",
    "awaiting": "Awaiting",
    "undecided": "Undecided",
    "not-eligible": "—",
}


def _idsafe(value: str) -> str:
    """``value`` usable in an element id and a CSS selector."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", str(value))


def _authors(names: list[str], limit: int = 3) -> str:
    shown = "; ".join(names[:limit])
    return f"{shown} et al." if len(names) > limit else shown


def _estimate(data: dict[str, Any], proportion: bool = False) -> str:
    """An estimate's JSON (value, low, high, n, note) in the one number style."""
    return numbers.estimate(Estimate(**data), proportion=proportion)


def build_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["authors"] = _authors
    env.filters["idsafe"] = _idsafe
    env.filters["state_label"] = lambda state: STATE_LABELS.get(str(state), str(state))
    env.filters["percent"] = numbers.percent
    env.filters["coefficient"] = numbers.coefficient
    env.filters["estimate"] = _estimate
    env.globals["version"] = __version__
    env.globals["navigation"] = NAVIGATION
    return Jinja2Templates(env=env)


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """A page (or, for an htmx request, the fragment ``template`` names)."""
    templates: Jinja2Templates = request.app.state.templates
    context.setdefault("active", "")
    context.setdefault("title", "")
    viewer = context.setdefault("viewer", _viewer(request))
    team = viewer.reviewer if isinstance(viewer, Viewer) and viewer.team else None
    base = {
        "csrf_token": csrf_token_for(request),
        "project_title": _project_title(request),
        # On a team's server the account says who acts; the chooser is for one machine.
        "acting": chosen(request) if team is None else team,
        "acting_choices": _reviewers(request) if team is None else [],
    }
    return templates.TemplateResponse(
        request,
        template,
        {**base, **context},
        status_code=status_code,
        headers={"Vary": "HX-Request, HX-Target"},
    )


def _reviewers(request: Request) -> list[str]:
    try:
        return [r.id for r in request.app.state.projects.get().protocol.reviewers]
    except MetasummaryError:
        return []


def _viewer(request: Request) -> Viewer | None:
    """Who the page is for; None on a team's server before sign-in (no navigation then)."""
    viewer = getattr(request.state, "viewer", None)
    if viewer is None and request.app.state.settings.team is None:
        return LOCAL  # a page the gate never saw (an unknown path) on a local server
    return viewer if isinstance(viewer, Viewer) else None


def _project_title(request: Request) -> str:
    holder = request.app.state.projects
    try:
        return str(holder.get().protocol.title)
    except MetasummaryError:  # an error page must render even when the project cannot open
        return "metasummary"
