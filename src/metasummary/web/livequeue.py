"""One reviewer's screening queue in one phase, kept warm and re-ranked off the request path.

:class:`~metasummary.screening.queue.ReviewerQueue` re-ranks the records after every decision.
On a large review that costs from tens of milliseconds (no retrain) to seconds (a retrain on
many labels), and opening it hashes every text once. The screening page must not wait for
either: a :class:`LiveQueue` keeps the latest ranking it has, answers from it at once, and
ranks again in the background after each decision (:meth:`LiveQueue.refresh`; several
decisions made meanwhile fold into one more pass).

The first ranking can come in stages: a queue quick to build on a large review (TF-IDF of the
titles) ranks first, so the page has a record in seconds, and the full queue (title,
abstract and keywords, or a slower model) ranks next on the same thread and replaces it; the
page says the ranking shown is provisional until then. Each stage is one more ranking pass,
so decisions made meanwhile are handled as below.

Until a new ranking arrives, the decisions made since the last one are *pending*: they are
left out of the candidates (or, when undone, put first) and counted into the progress the
page shows. A pending entry is dropped once a ranking reflects it. The ranking only orders;
whether a record may still be shown is checked again on the record itself by the caller.

The reviewer's own decisions made elsewhere (through another worker of the same server,
another server, the command line) reach the ranking through the database: each ranking notes
the reviewer's vote signature it started from, and a queue found behind it ranks again in the
background (:meth:`LiveQueue.is_behind`, :meth:`LiveQueue.refresh_soon`). Other reviewers'
votes only close records, which the caller's check skips, as on a single process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain, count
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the queue itself (NumPy, SciPy, scikit-learn) loads with the first ranking
    from metasummary.screening.queue import Queue, ReviewerQueue


@dataclass(frozen=True, slots=True)
class Pending:
    """A decision the ranking does not reflect yet."""

    record: int
    change: int  # +1 a vote recorded, -1 a vote undone
    label: int  # 1 include or maybe, 0 exclude
    seq: int


@dataclass(frozen=True, slots=True)
class ShownProgress:
    """The queue's progress with the pending decisions counted in."""

    eligible: int
    screened: int
    included: int
    open: int
    since_inclusion: int
    inclusions_left: float | None
    knee_stop: bool
    pending: int
    stopping: str = ""
    """The followed stopping rule's reading, in words (as of the last ranking)."""
    may_stop: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.screened / self.eligible) if self.eligible else 100

    def to_dict(self) -> dict[str, object]:
        left = self.inclusions_left
        return {
            "eligible": self.eligible,
            "screened": self.screened,
            "included": self.included,
            "open": self.open,
            "since_last_inclusion": self.since_inclusion,
            "estimated_inclusions_left": None if left is None else round(left, 1),
            "knee_rule_suggests_stopping": self.knee_stop,
            "stopping_rule": self.stopping,
            "stopping_rule_says_stop": self.may_stop,
            "decisions_not_yet_ranked": self.pending,
        }


class LiveQueue:
    """A reviewer's queue for the web page.

    Args:
        openers: Build the core queues (``project.screening.reviewer_queue``), quickest
            first: each ranks once, in turn, on the warm-up thread; the last one is kept
            and ranks every later pass.
        version: Reads the reviewer's vote signature (``project.screening.vote_signature``);
            None when only decisions made through this queue matter.
    """

    def __init__(
        self,
        *openers: Callable[[], ReviewerQueue],
        version: Callable[[], tuple[int, ...]] | None = None,
    ) -> None:
        if not openers:
            raise ValueError("a live queue needs a queue to rank with")
        self._openers = list(openers)
        self._version = version
        self._ranked_from: tuple[int, ...] | None = None
        self._soon: threading.Thread | None = None
        self._queue: ReviewerQueue | None = None
        self._ranking: Queue | None = None
        self._provisional = False
        self._pending: dict[int, Pending] = {}
        self._history: list[tuple[int, int]] = []
        self._seq = count(1)
        self._last_seq = 0
        self._state = threading.Lock()  # guards the fields above
        self._ranking_lock = threading.Lock()  # one ranking pass at a time
        self._dirty = False
        self._ready = threading.Event()  # a ranking is there
        self._final = threading.Event()  # the last stage's ranking is there
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    # -- warming up -------------------------------------------------------------------------

    def start(self) -> None:
        """Rank for the first time on a thread of its own (once)."""
        with self._state:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._warm, name="screening-queue", daemon=True)
        self._thread.start()

    def _warm(self) -> None:
        try:
            self.refresh()
        except BaseException as exc:  # shown to the reviewer by ranking()
            self._error = exc
            self._ready.set()
            self._final.set()

    def wait(self, timeout: float) -> bool:
        """Whether a ranking is there, waiting up to ``timeout`` seconds for the full one
        (a provisional ranking made meanwhile serves when the full one is not ready yet)."""
        return self._final.wait(timeout) or self._ready.is_set()

    @property
    def provisional(self) -> bool:
        """Whether the ranking shown comes from a quick stage, the full one still to come."""
        return self._provisional

    @property
    def failed(self) -> bool:
        return self._error is not None

    def ranking(self) -> Queue:
        """The latest ranking; raises what went wrong while making the first one."""
        if self._error is not None:
            raise self._error
        ranking = self._ranking
        assert ranking is not None, "wait() for the first ranking"
        return ranking

    # -- ranking ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Rank again with every decision made so far; returns when that is done, or at once
        when another thread is ranking (it ranks once more for this call)."""
        with self._state:
            self._dirty = True
        while self._ranking_lock.acquire(blocking=False):
            try:
                while self._take_dirty():
                    self._rank()
            finally:
                self._ranking_lock.release()
            with self._state:
                if not self._dirty:
                    return

    def _take_dirty(self) -> bool:
        with self._state:
            dirty, self._dirty = self._dirty, False
            return dirty

    def _rank(self) -> None:
        with self._state:
            started = self._last_seq
        if self._version is not None:
            version = self._version()
            with self._state:
                self._ranked_from = version
        provisional = False
        if self._queue is not None:
            ranking = self._queue.refresh()
        else:
            opener = self._openers.pop(0)
            queue = opener()
            ranking = queue.refresh()
            if self._openers:  # a quick stage: rank once more at once, with the next queue
                provisional = True
                with self._state:
                    self._dirty = True
            else:
                self._queue = queue
        open_now = set(ranking.records)
        with self._state:
            self._ranking = ranking
            self._provisional = provisional
            self._pending = {
                record: p
                for record, p in self._pending.items()
                if p.seq > started and (record in open_now) == (p.change > 0)
            }
        self._ready.set()
        if not provisional:
            self._final.set()

    def is_behind(self, version: tuple[int, ...]) -> bool:
        """Whether the reviewer voted elsewhere since the latest ranking began (ready queues
        only)."""
        with self._state:
            return self._ranked_from is not None and self._ranked_from != version

    def refresh_soon(self) -> None:
        """Rank again on a thread of its own, unless such a thread is already on its way."""
        with self._state:
            if self._soon is not None and self._soon.is_alive():
                return
            self._soon = threading.Thread(target=self._refresh_quietly, daemon=True)
            soon = self._soon
        soon.start()

    def _refresh_quietly(self) -> None:
        try:
            self.refresh()
        except Exception:  # the next request ranks on its own and shows what went wrong
            return

    def close(self, timeout: float = 10.0) -> None:
        """Wait (a while) for a ranking pass in progress, so the project can be closed after;
        a first ranking cut short by the closing store fails quietly on its own thread."""
        if self._ranking_lock.acquire(timeout=timeout):
            self._ranking_lock.release()

    # -- decisions made through the page -------------------------------------------------------

    def record_vote(self, record: int, label: int) -> None:
        """``record`` (a group's canonical record) was voted on; ``label`` 1 for include or
        maybe."""
        self._note(record, +1, label)
        with self._state:
            self._history.append((record, label))

    def record_undo(self, record: int) -> None:
        """The reviewer's vote on ``record`` was retracted."""
        with self._state:
            label = next((lab for rec, lab in reversed(self._history) if rec == record), 0)
            if self._history and self._history[-1][0] == record:
                self._history.pop()
        self._note(record, -1, label)

    def last_voted(self) -> int | None:
        """The record of the latest vote made through this queue, for undo."""
        with self._state:
            return self._history[-1][0] if self._history else None

    def _note(self, record: int, change: int, label: int) -> None:
        with self._state:
            seq = next(self._seq)
            self._last_seq = seq
            earlier = self._pending.get(record)
            if earlier is not None and earlier.change == -change:
                del self._pending[record]  # a vote and its undo cancel out
            else:
                self._pending[record] = Pending(record, change, label, seq)

    # -- what the page reads --------------------------------------------------------------------

    def candidates(self, front: int | None = None) -> Iterator[int]:
        """Records to offer, best first: ``front``, records just undone, then the ranking
        without the records just voted on (lazily: the caller usually takes the first)."""
        with self._state:
            ranking = self.ranking()
            undone = [p.record for p in self._pending.values() if p.change < 0]
            voted = {p.record for p in self._pending.values() if p.change > 0}
        first = [front] if front is not None else []
        offered: set[int] = set()
        for record in chain(first, reversed(undone), ranking.records):
            if record not in voted and record not in offered:
                offered.add(record)
                yield record

    def in_pilot(self, record: int) -> bool:
        return record in self.ranking().pilot

    def in_check(self, record: int) -> bool:
        """Whether ``record`` is served as the stopping rule's random check (never before
        the first ranking: a vote sent straight to the API was not served from one)."""
        ranking = self._ranking
        return ranking is not None and record in ranking.check

    def progress(self) -> ShownProgress:
        with self._state:
            base = self.ranking().progress
            pending = sorted(self._pending.values(), key=lambda p: p.seq)
        change = sum(p.change for p in pending)
        found = sum(p.change * p.label for p in pending)
        since = base.since_inclusion
        for p in pending:
            if p.change > 0:
                since = 0 if p.label else since + 1
        return ShownProgress(
            eligible=base.eligible,
            screened=base.screened + change,
            included=base.included + found,
            open=max(0, base.open - change),
            since_inclusion=max(0, since),
            inclusions_left=base.inclusions_left,
            knee_stop=base.knee.stop,
            pending=len(pending),
            stopping="" if base.stopping is None else base.stopping.statement,
            may_stop=base.stopping is not None and base.stopping.stop,
        )
