"""Reading a review's records: the filtered, paged list and one record in full."""

from metasummary.browse.detail import Provenance, RecordDetail
from metasummary.browse.listing import ListChoices, RecordBrowser, RecordPage, RecordRow
from metasummary.browse.query import DuplicateFilter, RecordQuery, SortKey

__all__ = [
    "DuplicateFilter",
    "ListChoices",
    "Provenance",
    "RecordBrowser",
    "RecordDetail",
    "RecordPage",
    "RecordQuery",
    "RecordRow",
    "SortKey",
]
