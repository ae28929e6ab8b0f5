"""Searching open APIs (OpenAlex, arXiv, Crossref, Semantic Scholar) into a source.

One small client per API behind one interface (:class:`~metasummary.imports.search.api.Api`); the
HTTP client is injected, so tests replay recorded responses through ``httpx.MockTransport``.
"""

from metasummary.imports.search.api import APIS, Api, api_named
from metasummary.imports.search.fetch import Fetcher
from metasummary.imports.search.service import Searches, SearchResult

__all__ = ["APIS", "Api", "Fetcher", "SearchResult", "Searches", "api_named"]
