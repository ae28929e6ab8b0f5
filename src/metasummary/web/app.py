"""The web app factory: one FastAPI app serving one review, in-process or on a server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from metasummary import __version__
from metasummary.web import errors
from metasummary.web.access import gate
from metasummary.web.cache import ViewCache
from metasummary.web.collector import CollectorMiddleware
from metasummary.web.desk import Desk
from metasummary.web.holder import ProjectHolder, ProjectSource
from metasummary.web.indexing import SearchIndexer
from metasummary.web.limits import BodyLimitMiddleware
from metasummary.web.rendering import build_templates
from metasummary.web.reportjob import ReportWriter
from metasummary.web.routes import BODY_LIMITS, ROUTERS
from metasummary.web.security import SecurityMiddleware
from metasummary.web.settings import WebSettings
from metasummary.web.timing import TimingMiddleware

STATIC = Path(__file__).parent / "static"


def create_app(project: ProjectSource, settings: WebSettings | None = None) -> FastAPI:
    """The app for one review.

    Args:
        project: An open :class:`~metasummary.Project` (the caller closes it) or a function
            that opens one on first use (closed when the app shuts down).
        settings: Allowed hosts and the CSRF token; by default local hosts and a fresh token.
            With ``settings.team`` every route but signing in needs a signed-in account
            whose role allows it (``web/access.py``).
    """
    settings = settings or WebSettings()
    holder = ProjectHolder(project)
    desk = Desk(wait=settings.screening_wait)
    indexer = SearchIndexer()
    reports = ReportWriter()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        desk.close()  # a ranking in progress finishes before the project closes
        indexer.close()  # so does a build of the search index
        reports.close()  # and a writing of the report
        holder.close()

    app = FastAPI(
        title="metasummary",
        version=__version__,
        description="The local web app of a metasummary review. Every page has a JSON twin here.",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN; the schema is enough
        redoc_url=None,
        dependencies=[Depends(gate)],  # who is asking, and may they: before every route
    )
    app.state.settings = settings
    app.state.projects = holder
    app.state.desk = desk
    app.state.indexer = indexer
    app.state.reports = reports
    app.state.views = ViewCache()
    app.state.templates = build_templates()
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(CollectorMiddleware)
    app.add_middleware(TimingMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_body=settings.max_body, uploads=BODY_LIMITS)
    app.add_middleware(SecurityMiddleware, settings=settings)
    return app
