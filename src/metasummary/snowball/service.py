"""``project.snowball``: start a round, list the rounds, say whether one is due, replay one.

A round starts from the included papers not yet snowballed in its direction, gathers their
citations (fetching into the cache as it goes, so an interrupted round resumes), then stores
everything in one transaction: the round's source, its new records (which join the screening
queue, having no decisions), an origin row for every candidate (pointing at the existing
group for papers the review already held), and pairs for doubtful duplicates.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.imports.search.cache import ResponseCache
from metasummary.imports.search.fetch import Fetcher
from metasummary.models import Phase, RecordState
from metasummary.review import Review
from metasummary.screening.standing import Standing
from metasummary.snowball.collect import Collected, Collector, Progress
from metasummary.snowball.grobid import Grobid
from metasummary.snowball.matching import Existing, Placement, place
from metasummary.snowball.model import ROUND_SOURCE, Direction, RoundSettings
from metasummary.snowball.openalex import CitationIndex
from metasummary.snowball.recording import known_keys, store_round
from metasummary.snowball.rounds import RoundBook, RoundSummary, SnowballState, assess
from metasummary.snowball.seeds import Seed, load_seeds
from metasummary.store import records as store_records
from metasummary.store.counts import record_links
from metasummary.store.groups import DuplicateGroups

Plan = list[tuple[Seed, tuple[Direction, ...]]]


def make_fetcher() -> Fetcher:
    """The HTTP fetcher used when none is injected (tests replace this)."""
    return Fetcher()


@dataclass(slots=True)
class RoundResult:
    """What a round did."""

    round: int
    source: str
    direction: str
    seeds: int
    candidates: int
    new: int
    known: int
    unresolved: int
    maybe_pairs: int
    fetched: int
    from_cache: int
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class ReplayReport:
    """A round computed again from the cache, beside what was stored."""

    round: int
    same: bool
    candidates: int
    stored: int
    missing: list[tuple[int, int, str]]
    """Stored origins (paper, seed, direction) the replay did not find."""
    added: list[tuple[int | str, int, str]]
    """Origins the replay found that were not stored (a paper the review lacks is a key)."""
    from_cache: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Snowball:
    """Snowballing rounds of one review; hand out by ``project.snowball``."""

    def __init__(self, review: Review, fetcher: Fetcher | None = None) -> None:
        self.review = review
        self._fetcher = fetcher

    def _standing(self) -> Standing:
        return Standing(self.review.required_votes())

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = make_fetcher()
        return self._fetcher

    # -- reading ----------------------------------------------------------------------------

    def rounds(self) -> list[RoundSummary]:
        """Every round with its seeds, candidates, new and known papers, screened, included."""
        with self.review.store.read() as conn:
            return RoundBook.read(conn, self._standing()).summaries()

    def status(
        self, *, direction: str = "both", from_phase: Phase = Phase.FULL_TEXT
    ) -> SnowballState:
        """Whether another round is due, and why."""
        RoundSettings(direction=direction, from_phase=from_phase)  # validates
        with self.review.store.read() as conn:
            return self._assess(conn, direction, from_phase)[0]

    def _assess(
        self, conn: sa.Connection, direction: str, phase: Phase
    ) -> tuple[SnowballState, RoundBook, set[int]]:
        book = RoundBook.read(conn, self._standing())
        included = book.states.with_state(phase, RecordState.INCLUDED)  # folded by the book
        return assess(book, included, direction, phase), book, included

    # -- a round ----------------------------------------------------------------------------

    def run(
        self,
        settings: RoundSettings | None = None,
        *,
        offline: bool = False,
        force: bool = False,
        actor: str = "",
        progress: Progress | None = None,
    ) -> RoundResult:
        """Start the next round; refused (unless ``force``) when none is due.

        With ``force`` and no paper left to start from, every included paper is a seed again
        (to catch citations that appeared since).
        """
        settings = settings or RoundSettings()
        with self.review.store.read() as conn:
            state, book, included = self._assess(conn, settings.direction, settings.from_phase)
            if not included:
                raise InputError(state.reason)
            if not state.due and not force:
                raise InputError(f"{state.reason}; give --force to start a round anyway")
            plan = self._plan(conn, settings, book, included)
        cache = self._cache(offline)
        collected = self._collector(settings, cache).collect(plan, progress)
        number = state.next_round
        with self.review.store.write() as conn:
            placement = self._place(conn, collected)
            stored = store_round(
                conn,
                self.review,
                number=number,
                settings=settings,
                plan=plan,
                collected=collected,
                placement=placement,
                actor=actor,
                date=datetime.now(UTC).isoformat(timespec="seconds"),
            )
        return RoundResult(
            round=number,
            source=ROUND_SOURCE.format(n=number),
            direction=settings.direction,
            seeds=len(plan),
            candidates=len(placement.new) + stored.known,
            new=len(placement.new),
            known=stored.known,
            unresolved=len(collected.unresolved),
            maybe_pairs=stored.maybe_pairs,
            fetched=cache.fetched,
            from_cache=cache.served,
            notes=collected.notes,
        )

    def _plan(
        self, conn: sa.Connection, settings: RoundSettings, book: RoundBook, included: set[int]
    ) -> Plan:
        done = book.snowballed()
        todo = {d: included - done[d] for d in settings.directions}
        if not any(todo.values()):  # forced: start again from every included paper
            todo = {d: set(included) for d in settings.directions}
        roots = set().union(*todo.values())
        return [
            (seed, tuple(d for d in settings.directions if seed.root in todo[d]))
            for seed in load_seeds(conn, roots)
        ]

    def _cache(self, offline: bool) -> ResponseCache:
        return ResponseCache(self.review.store, lambda: self.fetcher, offline=offline)

    def _collector(self, settings: RoundSettings, cache: ResponseCache) -> Collector:
        return Collector(
            settings,
            index=CitationIndex(cache) if settings.openalex else None,
            grobid=Grobid(settings.grobid, cache) if settings.grobid else None,
            root=self.review.root,
        )

    @staticmethod
    def _place(conn: sa.Connection, collected: Collected) -> Placement:
        groups = DuplicateGroups(record_links(conn))
        existing = [
            Existing(r.id, groups.canonical(r.id), r.data) for r in store_records.iter_all(conn)
        ]
        keys = {key: groups.canonical(rid) for key, rid in known_keys(conn).items()}
        return place(list(collected.candidates.values()), existing, keys)

    # -- replay -----------------------------------------------------------------------------

    def replay(self, number: int) -> ReplayReport:
        """Compute round ``number`` again from the cached answers alone (no network) and
        compare its papers, seeds and directions with what the round stored."""
        with self.review.store.read() as conn:
            book = RoundBook.read(conn, self._standing())
            source = next((s for s in book.sources if s.details["round"] == number), None)
            if source is None:
                raise InputError(
                    f"round {number}: no such round; see 'metasummary snowball rounds'"
                )
            details = source.details
            settings = RoundSettings.from_dict(details.get("settings") or {})
            seeds_by_direction = {
                Direction(d): {book.groups.canonical(i) for i in ids}
                for d, ids in (details.get("seeds") or {}).items()
            }
            roots = set().union(set(), *seeds_by_direction.values())
            plan = [
                (
                    seed,
                    tuple(
                        d for d in settings.directions if seed.root in seeds_by_direction.get(d, ())
                    ),
                )
                for seed in load_seeds(conn, roots)
            ]
        cache = self._cache(offline=True)
        collected = self._collector(settings, cache).collect(plan)
        with self.review.store.read() as conn:
            placement = self._place(conn, collected)
        replayed: set[tuple[int | str, int, str]] = set()
        for candidate, root in placement.known:
            replayed |= {
                (root, o.seed, o.direction.value) for o in candidate.origins if o.seed != root
            }
        for candidate, _ in placement.new:
            replayed |= {(candidate.key, o.seed, o.direction.value) for o in candidate.origins}
        stored = {
            (book.groups.canonical(record), book.groups.canonical(seed), direction)
            for record, seed, direction in book.origins.get(source.id, [])
        }
        missing = sorted(stored - replayed)
        added = sorted(replayed - stored, key=str)
        return ReplayReport(
            round=number,
            same=not missing and not added,
            candidates=len(placement.known) + len(placement.new),
            stored=len({paper for paper, _, _ in stored}),
            missing=missing,
            added=added,
            from_cache=cache.served,
        )
