"""A reviewer's screening queue in a phase, ordered by the prioritiser and kept warm.

The queue holds the records the reviewer may still screen: groups the phase holds, not
resolved, without the reviewer's vote, and with fewer votes than the phase needs. The pilot
sample comes first; the rest is ranked by the model trained on the labels the reviewer may
see (their own votes and decided groups; never another reviewer's pending vote).

A :class:`ReviewerQueue` keeps its snapshot, features and model between refreshes, so after a
decision only what changed is read again: the next record appears without a wait even on a
review of 100,000 records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from metasummary.errors import InputError
from metasummary.models import Phase, RecordState, Verdict
from metasummary.protocol import StoppingSettings
from metasummary.screening import pilot
from metasummary.screening.countcache import CountCache
from metasummary.screening.features import record_text, text_digest, tfidf
from metasummary.screening.prioritiser import Prioritiser
from metasummary.screening.snapshot import PhaseSnapshot
from metasummary.screening.state import GroupVotes
from metasummary.screening.stopping import (
    RULES,
    History,
    KneeAdvice,
    Reading,
    Target,
    inclusions_left,
    knee_advice,
)
from metasummary.screening.vectors import embed
from metasummary.screening.visibility import unblinded
from metasummary.store import Store, events
from metasummary.store import decisions as store_decisions
from metasummary.store.catalog import ReviewerRow

LIVE_KINDS = ("tfidf", "embeddings")
"""Feature kinds of live screening (the ensemble is measured in simulation so far)."""

_LABEL = {Verdict.INCLUDE.value: 1, Verdict.MAYBE.value: 1, Verdict.EXCLUDE.value: 0}
_FINAL = {RecordState.INCLUDED: 1, RecordState.MAYBE: 1, RecordState.EXCLUDED: 0}


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a reviewer stands in a phase, and what the stopping aids read."""

    eligible: int
    screened: int
    """Groups whose label the reviewer knows (their votes and decided groups)."""
    included: int
    open: int
    since_inclusion: int
    """Records screened since the last inclusion (the run of exclusions)."""
    inclusions_left: float | None
    knee: KneeAdvice
    readings: list[Reading] = field(default_factory=list)
    """Every stopping rule's reading of the reviewer's screening, the followed rule first."""

    @property
    def stopping(self) -> Reading | None:
        """The reading of the rule the protocol follows."""
        return self.readings[0] if self.readings else None

    def to_dict(self) -> dict[str, object]:
        left = self.inclusions_left
        return {
            "stopping": [r.to_dict() for r in self.readings],
            "eligible": self.eligible,
            "screened": self.screened,
            "included": self.included,
            "open": self.open,
            "since_last_inclusion": self.since_inclusion,
            "estimated_inclusions_left": None if left is None else round(left, 1),
            "knee_rule": self.knee.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Queue:
    phase: Phase
    reviewer: str
    records: list[int]
    """Canonical record ids, in the order to screen them."""
    pilot: list[int]
    labelled: int
    """Labels the ranking learned from."""
    progress: Progress
    check: list[int] = field(default_factory=list)
    """Records drawn at random for the followed stopping rule's check, served first after
    the pilot; decide them with ``random_check=True``."""

    def to_dict(self) -> dict[str, object]:
        return {
            "phase": self.phase.value,
            "reviewer": self.reviewer,
            "records": list(self.records),
            "pilot": list(self.pilot),
            "random_check": list(self.check),
            "labelled": self.labelled,
            "progress": self.progress.to_dict(),
        }


def _status(
    votes: GroupVotes | None, state: RecordState, reviewer_id: int, required: int
) -> tuple[bool, int | None, int | None]:
    """(open to the reviewer, label the reviewer may learn from, when it became known)."""
    votes = votes or GroupVotes()
    current = votes.current()
    own = current.get(reviewer_id)
    is_open = votes.resolution is None and own is None and len(current) < required
    label: int | None = None
    known: int | None = None
    if own is not None and own.verdict:
        label, known = _LABEL[own.verdict], own.id
    if unblinded(votes, required) and state in _FINAL:
        label = _FINAL[state]
        ids = [row.id for row in current.values()]
        if votes.resolution is not None:
            ids.append(votes.resolution.id)
        known = min(ids) if known is None else min(known, *ids)
    return is_open, label, known


def _since_last(labels: list[int]) -> int:
    for position, label in enumerate(reversed(labels)):
        if label:
            return position
    return len(labels)


class ReviewerQueue:
    """One reviewer's queue in one phase, refreshed incrementally.

    Args:
        store: The review's store.
        phase: The phase screened.
        required: Votes each phase needs.
        reviewer: The reviewer whose queue this is.
        features: ``tfidf`` (default) or ``embeddings`` (needs the ``semantic`` extra).
        cache: A file for the hashed term counts, so the next session starts fast.
        seed: Seeds tie-breaks and the cold start.
        titles_only: Rank on the titles alone (TF-IDF): a tenth of the text to read and
            hash, so a first ranking of a large review is there in seconds while the full
            one is made (see :class:`metasummary.web.livequeue.LiveQueue`); give it a cache
            file of its own.
        stopping: The protocol's stopping settings (the rule followed, recall, confidence).
    """

    def __init__(
        self,
        store: Store,
        phase: Phase,
        required: dict[Phase, int],
        reviewer: ReviewerRow,
        *,
        features: str = "tfidf",
        cache: Path | None = None,
        seed: int = 0,
        titles_only: bool = False,
        stopping: StoppingSettings | None = None,
    ) -> None:
        if features not in LIVE_KINDS:
            raise InputError(f"features {features!r}: unknown; use {' or '.join(LIVE_KINDS)}")
        self.store = store
        self.phase = phase
        self.required = required[phase]
        self.reviewer = reviewer
        self.kind = features
        self.seed = seed
        self.titles_only = titles_only
        self.snapshot = PhaseSnapshot(phase, required)
        self._counts = CountCache(cache)
        self._embedded: dict[int, Any] = {}
        self._roots: list[int] = []
        self._row: dict[int, int] = {}
        self._status: dict[int, tuple[bool, int | None, int | None]] = {}
        self._prioritiser: Prioritiser | None = None
        self._pilot: list[int] = []
        self.stopping = stopping or StoppingSettings()
        self._drawn: set[int] = set()

    def refresh(self) -> Queue:
        """Read what changed and return the queue in its current order."""
        with self.store.read() as conn:
            touched = self.snapshot.refresh(conn)
            sample = pilot.load(conn, self.phase)
            self._pilot = sample.records if sample else []
            self._drawn = {
                self.snapshot.groups.canonical(int(e.entity_id))
                for e in events.of_action(conn, "screening.check")
                if e.entity_id is not None
                and e.actor == self.reviewer.code
                and e.payload.get("phase") == self.phase.value
            }
            roots = (
                self.snapshot.eligible()
                if touched is None or self._roots_may_change(touched)
                else self._roots
            )
            if roots != self._roots:
                self._rebuild(conn, roots)
                touched = None
        for root in self._roots if touched is None else touched & set(self._row):
            self._status[root] = _status(
                self.snapshot.folded[self.phase].get(root),
                self.snapshot.state(root),
                self.reviewer.id,
                self.required,
            )
        return self._queue()

    def _roots_may_change(self, touched: set[int]) -> bool:
        # At full text, a title-abstract decision can move a group in or out of the phase.
        return self.phase.previous is not None and bool(touched)

    def _documents(self, conn: Any, roots: list[int]) -> list[str]:
        if self.titles_only:
            titles = store_decisions.record_titles(conn, roots)
            return [record_text(titles.get(root, ""), "") for root in roots]
        texts = store_decisions.record_texts(conn, roots)
        return [record_text(*texts.get(root, ("", "", []))) for root in roots]

    def _rebuild(self, conn: Any, roots: list[int]) -> None:
        documents = self._documents(conn, roots)
        if self.kind == "embeddings":
            missing = [i for i, root in enumerate(roots) if root not in self._embedded]
            if missing:
                vectors = embed([documents[i] for i in missing])
                for i, vector in zip(missing, vectors, strict=True):
                    self._embedded[roots[i]] = vector
            matrix: Any = (
                np.vstack([self._embedded[r] for r in roots]) if roots else np.zeros((0, 1))
            )
        else:
            matrix = tfidf(self._counts.counts(roots, documents))
        self._roots = list(roots)
        self._row = {root: i for i, root in enumerate(roots)}
        self._status = {}
        self._prioritiser = Prioritiser(matrix, seed=self.seed) if roots else None

    def _queue(self) -> Queue:
        open_roots = [r for r in self._roots if self._status[r][0]]
        known = sorted(
            (status[2], root) for root, status in self._status.items() if status[1] is not None
        )
        sequence = [int(self._status[root][1] or 0) for _, root in known]
        pilot_open = [r for r in self._pilot if r in self._row and self._status[r][0]]
        in_pilot = set(pilot_open)
        rest = [r for r in open_roots if r not in in_pilot]
        ranked = rest
        if self._prioritiser is not None and rest:
            rows = np.array([self._row[root] for _, root in known], dtype=np.int64)
            labels = np.array(sequence, dtype=np.int64)
            order = self._prioritiser.order(
                rows, labels, np.array([self._row[r] for r in rest], dtype=np.int64)
            )
            ranked = [self._roots[int(i)] for i in order]
        history = History(sequence, [root in self._drawn for _, root in known], len(self._roots))
        readings = self._readings(history)
        check = self._check(readings[0], history, rest)
        if check:
            drawn = set(check)
            ranked = check + [r for r in ranked if r not in drawn]
        progress = Progress(
            eligible=len(self._roots),
            screened=len(sequence),
            included=sum(sequence),
            open=len(open_roots),
            since_inclusion=_since_last(sequence),
            inclusions_left=inclusions_left(sequence, len(open_roots)),
            knee=knee_advice(sequence),
            readings=readings,
        )
        return Queue(
            phase=self.phase,
            reviewer=self.reviewer.code,
            records=pilot_open + ranked,
            pilot=pilot_open,
            labelled=len(sequence),
            progress=progress,
            check=check,
        )

    def _readings(self, history: History) -> list[Reading]:
        target = Target(self.stopping.recall, self.stopping.confidence)
        followed = self.stopping.rule
        names = [followed, *(name for name in RULES if name != followed)]
        return [RULES[name].read(history, target) for name in names]

    def _check(self, reading: Reading, history: History, rest: list[int]) -> list[int]:
        """The records of the random check the followed rule asks for, if any.

        The draw is a seeded random order of the open records, fixed for one check (it is
        keyed by where the check began), so the records served stay the same while the check
        is screened.
        """
        if not reading.sample or not rest:
            return []
        began = history.screened - history.checking
        salt = f"{self.seed}:{self.reviewer.code}:{self.phase.value}:{began}:"
        keyed = sorted(rest, key=lambda root: text_digest(salt + str(root)))
        return keyed[: reading.sample]
