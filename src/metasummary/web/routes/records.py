"""The records list (search, filters, sort, pages) and the record page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BeforeValidator

from metasummary.browse import (
    DuplicateFilter,
    ListChoices,
    RecordDetail,
    RecordPage,
    RecordQuery,
    SortKey,
)
from metasummary.browse.query import DEFAULT_PER_PAGE, MAX_PER_PAGE
from metasummary.browse.search import TextSearch
from metasummary.models import Phase, RecordState
from metasummary.project import Project
from metasummary.web.acting import ActingDep
from metasummary.web.deps import IndexerDep, ProjectDep, wants_fragment
from metasummary.web.fields import StoreInt, Word
from metasummary.web.indexing import IndexState, SearchIndexer
from metasummary.web.rendering import render

router = APIRouter()
RESULTS_ID = "results"


def _blank_means(default: Any) -> BeforeValidator:
    # An HTML form sends "" for a field left empty: no filter, or the default.
    return BeforeValidator(lambda value: default if value == "" else value)


Blank = _blank_means(None)


def record_query(
    q: Annotated[
        Word, Query(description="Word beginnings to find in title, abstract, authors, DOI")
    ] = "",
    source: Annotated[Word | None, Blank, Query(description="A source name")] = None,
    title_abstract: Annotated[
        RecordState | None, Blank, Query(alias="title-abstract", description="State at T/A")
    ] = None,
    full_text: Annotated[
        RecordState | None, Blank, Query(alias="full-text", description="State at full text")
    ] = None,
    year_from: Annotated[StoreInt | None, Blank, Query()] = None,
    year_to: Annotated[StoreInt | None, Blank, Query()] = None,
    duplicates: Annotated[
        DuplicateFilter, _blank_means(DuplicateFilter.ALL), Query()
    ] = DuplicateFilter.ALL,
    reviewer: Annotated[
        Word | None, Blank, Query(description="A reviewer with a standing decision on it")
    ] = None,
    criterion: Annotated[
        Word | None, Blank, Query(description="A criterion code a standing decision cites")
    ] = None,
    sort: Annotated[SortKey, _blank_means(SortKey.ID), Query()] = SortKey.ID,
    order: Annotated[Literal["asc", "desc"], _blank_means("asc"), Query()] = "asc",
    page: Annotated[StoreInt, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = DEFAULT_PER_PAGE,
) -> RecordQuery:
    states = {
        phase: state
        for phase, state in ((Phase.TITLE_ABSTRACT, title_abstract), (Phase.FULL_TEXT, full_text))
        if state is not None
    }
    return RecordQuery(
        text=q,
        source=source,
        states=states,
        year_from=year_from,
        year_to=year_to,
        duplicates=duplicates,
        reviewer=reviewer,
        criterion=criterion,
        sort=sort,
        descending=order == "desc",
        page=page,
        per_page=per_page,
    )


QueryDep = Annotated[RecordQuery, Depends(record_query)]


@dataclass(slots=True)
class RecordList:
    """The records page: one page of the list and the choices its filters offer.

    ``search_index`` is set while searches read every record: the full-text index is being
    built (see ``web/indexing.py``).
    """

    page: RecordPage
    choices: ListChoices
    search_index: IndexState | None = None


def index_state(project: Project, indexer: SearchIndexer, page: RecordPage) -> IndexState | None:
    """Start building the index when the search had to read every record."""
    return indexer.start(project) if page.search is TextSearch.SCAN else None


def record_list(
    project: Project, indexer: SearchIndexer, query: RecordQuery, viewer: str | None
) -> RecordList:
    page = project.browser.page(query, viewer)
    return RecordList(
        page=page,
        choices=project.browser.choices(),
        search_index=index_state(project, indexer, page),
    )


@router.get("/records", response_class=HTMLResponse, include_in_schema=False)
def records_page(
    request: Request,
    project: ProjectDep,
    indexer: IndexerDep,
    query: QueryDep,
    acting: ActingDep,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "query": query,
        "active": "records",
        "title": "Records",
        "json_url": "/api/records" + (f"?{request.url.query}" if request.url.query else ""),
    }
    if wants_fragment(request, RESULTS_ID):
        page = project.browser.page(query, acting.viewer)
        index = index_state(project, indexer, page)
        return render(request, "records_results.html", page=page, index=index, **context)
    view = record_list(project, indexer, query, acting.viewer)
    return render(
        request, "records.html", view=view, page=view.page, index=view.search_index, **context
    )


@router.get("/api/records", tags=["records"])
def records_json(
    project: ProjectDep, indexer: IndexerDep, query: QueryDep, acting: ActingDep
) -> RecordList:
    """One page of records matching the filters, and the choices the filters offer (the
    decision filters see what the acting reviewer may see)."""
    return record_list(project, indexer, query, acting.viewer)


@router.get("/records/{record_id}", response_class=HTMLResponse, include_in_schema=False)
def record_page(
    request: Request, project: ProjectDep, acting: ActingDep, record_id: StoreInt
) -> HTMLResponse:
    detail = project.browser.detail(record_id, acting.viewer)
    return render(
        request,
        "record.html",
        record=detail,
        active="records",
        title=f"Record {record_id}",
        json_url=f"/api/records/{record_id}",
    )


@router.get("/api/records/{record_id}", tags=["records"])
def record_json(project: ProjectDep, acting: ActingDep, record_id: StoreInt) -> RecordDetail:
    """One record with its provenance, duplicate group and the decision history the acting
    reviewer may see (blind screening), PDF links included."""
    return project.browser.detail(record_id, acting.viewer)
