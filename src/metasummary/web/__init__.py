"""The local web app (``metasummary serve``): FastAPI, Jinja2 templates and htmx.

Needs the ``web`` extra. Route handlers call one method on the :class:`~metasummary.Project`
and render it as a page or as its JSON twin; they hold no SQL and no ML.
"""

from metasummary.web.app import create_app
from metasummary.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
