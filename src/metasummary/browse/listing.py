"""The records list: one page of records matching a :class:`RecordQuery`, and the choices
its filters offer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from metasummary.browse.detail import RecordDetail, record_detail
from metasummary.browse.query import RecordQuery
from metasummary.browse.search import TextSearch, plan_search
from metasummary.errors import InputError
from metasummary.models import PHASES, Phase, RecordState
from metasummary.screening.standing import Standing, group_keys
from metasummary.screening.state import GroupKeys, PhaseStates
from metasummary.store import Store
from metasummary.store import catalog as store_catalog
from metasummary.store import listing as store_listing
from metasummary.store import phases as store_phases
from metasummary.store.idsets import IdSet
from metasummary.store.listing import ListFilter


@dataclass(slots=True)
class RecordRow:
    """One line of the records list."""

    id: int
    title: str
    authors: list[str]
    year: int | None
    venue: str
    doi: str
    source: str
    snippet: str
    duplicate_of: int | None
    group_size: int
    states: dict[str, RecordState]


@dataclass(slots=True)
class RecordPage:
    """One page of the list, with the total the filters match.

    ``search`` says how the search text was matched (None without one): word beginnings in
    the full-text index, or text anywhere by reading every record (see ``browse/search.py``).
    """

    total: int
    page: int
    per_page: int
    pages: int
    rows: list[RecordRow] = field(default_factory=list)
    search: TextSearch | None = None


@dataclass(slots=True)
class SourceChoice:
    name: str
    kind: str


@dataclass(slots=True)
class ListChoices:
    """What the list's filters can be set to."""

    sources: list[SourceChoice]
    phases: dict[str, list[RecordState]]
    year_min: int | None
    year_max: int | None
    reviewers: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    """The protocol's criterion codes."""


@dataclass(slots=True)
class _Snapshot:
    """What the list derives from the whole review, valid while its data version holds."""

    version: tuple[int, ...]
    keys: GroupKeys
    states: PhaseStates | None = None
    filters: dict[frozenset[tuple[Phase, RecordState]], tuple[IdSet | None, IdSet]] = field(
        default_factory=dict
    )
    decided: dict[tuple[str, str | None, str | None], IdSet] = field(default_factory=dict)


class RecordBrowser:
    """Lists, filters and pages the records of a review (``project.browser``).

    Phase states of the whole review are derived once per change of the data (every change
    is logged in ``events``, whose size and last id make the version), so repeated filtering
    by state costs one fold of the decisions, not one per request.
    """

    def __init__(self, store: Store, required: dict[Phase, int], codes: Sequence[str] = ()) -> None:
        self._store = store
        self._standing = Standing(required)
        self._codes = tuple(codes)
        self._snapshot: _Snapshot | None = None

    def _current(self, conn: Connection) -> _Snapshot:
        version = store_phases.data_version(conn)
        snapshot = self._snapshot
        if snapshot is None or snapshot.version != version:
            snapshot = _Snapshot(version, group_keys(conn))
            self._snapshot = snapshot
        return snapshot

    def _all_states(self, conn: Connection, snapshot: _Snapshot) -> PhaseStates:
        if snapshot.states is None:
            snapshot.states = self._standing.decided(conn, snapshot.keys)
        return snapshot.states

    def _state_filter(
        self, conn: Connection, snapshot: _Snapshot, wanted: dict[Phase, RecordState]
    ) -> tuple[IdSet | None, IdSet]:
        key = frozenset(wanted.items())
        if key not in snapshot.filters:
            keep, drop = _state_filter(self._all_states(conn, snapshot), snapshot.keys, wanted)
            snapshot.filters[key] = (None if keep is None else IdSet(keep), IdSet(drop))
        return snapshot.filters[key]

    def _decision_filter(
        self, conn: Connection, snapshot: _Snapshot, reviewer: str | None, criterion: str | None
    ) -> IdSet:
        """Keys of the groups with a standing decision by ``reviewer`` / citing ``criterion``."""
        key = ("decided", reviewer, criterion)
        if key not in snapshot.decided:
            reviewer_id = None
            if reviewer is not None:
                known = {r.code: r.id for r in store_catalog.list_reviewers(conn)}
                if reviewer not in known:
                    listed = ", ".join(known) or "none"
                    raise InputError(f"reviewer {reviewer!r}: no such reviewer ({listed})")
                reviewer_id = known[reviewer]
            roots = self._standing.decided_by(
                conn, snapshot.keys, reviewer_id=reviewer_id, criterion=criterion
            )
            snapshot.decided[key] = IdSet(snapshot.keys.keys_of(roots))
        return snapshot.decided[key]

    def page(self, query: RecordQuery) -> RecordPage:
        """The page ``query`` asks for; filtering, sorting and paging happen in SQL."""
        with self._store.read() as conn:
            source_id = None
            if query.source is not None:
                found = store_catalog.source_by_name(conn, query.source)
                if found is None:
                    raise InputError(f"source {query.source!r}: no such source in this review")
                source_id = found.id
            snapshot = self._current(conn)
            keys = snapshot.keys
            keep: IdSet | None = None
            drop: IdSet | None = None
            if query.states:
                keep, drop = self._state_filter(conn, snapshot, query.states)
            if query.reviewer is not None or query.criterion is not None:
                decided = self._decision_filter(conn, snapshot, query.reviewer, query.criterion)
                keep = decided if keep is None else IdSet(keep.values & decided.values)
            search = plan_search(conn, query.terms)
            filt = ListFilter(
                terms=search.terms,
                phrases=search.phrases,
                source_id=source_id,
                year_from=query.year_from,
                year_to=query.year_to,
                duplicates=query.duplicates.value,
                keys_in=keep,
                keys_not_in=drop,
            )
            total = store_listing.count(conn, filt)
            ids = store_listing.page_ids(
                conn,
                filt,
                total=total,
                sort=query.sort.value,
                descending=query.descending,
                limit=query.per_page,
                offset=query.offset,
            )
            listed = store_listing.rows(conn, ids)
            page_keys = keys.expand({row.duplicate_of or row.id for row in listed})
            states = snapshot.states
            if states is None:  # only this page's groups: no need to fold every decision
                states = self._standing.of_keys(conn, keys, page_keys)
            linked = store_listing.duplicate_counts(conn, page_keys)
        rows = []
        for row in listed:
            root = keys.root(row.duplicate_of or row.id)
            rows.append(
                RecordRow(
                    id=row.id,
                    title=row.title,
                    authors=row.authors,
                    year=row.year,
                    venue=row.venue,
                    doi=row.doi,
                    source=row.source,
                    snippet=row.snippet,
                    duplicate_of=row.duplicate_of,
                    group_size=1 + sum(linked.get(k, 0) for k in keys.keys_of({root})),
                    states={p.value: states.of(root, p) for p in PHASES},
                )
            )
        pages = max(1, -(-total // query.per_page))
        return RecordPage(
            total=total,
            page=query.page,
            per_page=query.per_page,
            pages=pages,
            rows=rows,
            search=search.mode,
        )

    def detail(self, record_id: int) -> RecordDetail:
        """One record with its provenance, duplicate group and decision history."""
        return record_detail(self._store, self._standing, record_id)

    def choices(self) -> ListChoices:
        """The sources, phase states and year span the filters offer."""
        with self._store.read() as conn:
            sources = store_catalog.list_sources(conn)
            year_min, year_max = store_listing.year_span(conn)
            reviewers = [r.code for r in store_catalog.list_reviewers(conn) if r.in_protocol]
        phases = {
            phase.value: [
                s
                for s in RecordState
                if s is not RecordState.NOT_ELIGIBLE or phase.previous is not None
            ]
            for phase in PHASES
        }
        return ListChoices(
            sources=[SourceChoice(s.name, s.kind) for s in sources],
            phases=phases,
            year_min=year_min,
            year_max=year_max,
            reviewers=reviewers,
            criteria=list(self._codes),
        )


def _state_filter(
    states: PhaseStates, keys: GroupKeys, wanted: dict[Phase, RecordState]
) -> tuple[set[int] | None, set[int]]:
    """Group keys a listed record must have (None: any) and must not have."""
    keep: set[int] | None = None
    drop: set[int] = set()
    for phase in PHASES:
        if phase not in wanted:
            continue
        roots, negate = states.matching(phase, wanted[phase])
        if negate:
            drop |= keys.keys_of(roots)
        else:
            found = keys.keys_of(roots)
            keep = found if keep is None else keep & found
    if keep is not None:
        return keep - drop, set()
    return None, drop
