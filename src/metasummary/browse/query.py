"""What a reader asks the records list for: filters, sort order and page."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from metasummary.errors import InputError
from metasummary.models import Phase, RecordState

MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50


class DuplicateFilter(StrEnum):
    """Which records to list by their place in a duplicate group."""

    ALL = "all"
    CANONICAL = "canonical"  # one per group: records that are not a duplicate of another
    DUPLICATE = "duplicate"  # records linked to a canonical record
    GROUPED = "grouped"  # records in a group of two or more
    UNIQUE = "unique"  # records in no group


class SortKey(StrEnum):
    ID = "id"  # the order records were added in
    TITLE = "title"
    YEAR = "year"
    SOURCE = "source"


@dataclass(frozen=True, slots=True)
class RecordQuery:
    """Filters, sort and page of the records list.

    Attributes:
        text: Terms (split at spaces) that must each occur in the title, abstract, authors
            or DOI: word beginnings in the full-text index, or text anywhere until the index
            is built (see ``browse/search.py``).
        source: A source name, as in the protocol.
        states: The state a record's group must be in, per phase.
        reviewer: A reviewer code: the group has a standing decision of theirs.
        criterion: A criterion code: the group has a standing decision citing it (by
            ``reviewer`` when both are given).
    """

    text: str = ""
    source: str | None = None
    states: dict[Phase, RecordState] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    duplicates: DuplicateFilter = DuplicateFilter.ALL
    reviewer: str | None = None
    criterion: str | None = None
    sort: SortKey = SortKey.ID
    descending: bool = False
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def __post_init__(self) -> None:
        if self.page < 1:
            raise InputError(f"page {self.page}: pages start at 1")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise InputError(f"per_page {self.per_page}: give 1 to {MAX_PER_PAGE}")
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            raise InputError(
                f"years {self.year_from}-{self.year_to}: the first year is after the last"
            )
        for phase, state in self.states.items():
            if state is RecordState.NOT_ELIGIBLE and phase.previous is None:
                raise InputError(f"{phase}: every record is eligible in the first phase")

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(self.text.split())

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page
