"""The screening service: record, undo and resolve decisions; show records to a reviewer.

Reached as ``project.screening``. Decisions are made per duplicate group (a decision on any
member counts for the group), appended, never changed, and logged in ``events`` in the same
transaction. Every read that shows votes takes the viewing reviewer and goes through
:mod:`metasummary.screening.visibility`, so blind dual screening holds in every face.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.models import Phase, RecordState, Verdict
from metasummary.review import Review
from metasummary.screening import claims, pilot
from metasummary.screening.conflicts import Conflict, list_conflicts
from metasummary.screening.progress import ReviewerProgress, reviewer_progress
from metasummary.screening.reliability import PhaseAgreement, phase_agreement
from metasummary.screening.reviewers import find_reviewer, latest_standing
from metasummary.screening.rules import check_criteria, parse_phase, parse_verdict
from metasummary.screening.standing import GroupContext, Standing
from metasummary.screening.state import STATE_OF
from metasummary.screening.views import RecordView, record_view
from metasummary.store import catalog, events
from metasummary.store import claims as store_claims
from metasummary.store import decisions as store_decisions
from metasummary.store.clock import now

if TYPE_CHECKING:
    from metasummary.screening.queue import Queue, ReviewerQueue

CACHE_FILE = ".cache/screening-term-counts.npz"
"""Hashed term counts per record, kept beside the protocol so the next session starts fast."""


@dataclass(frozen=True, slots=True)
class DecisionResult:
    """What a write did: the decision's id and the group's state as the author may see it."""

    decision_id: int
    record_id: int
    group: int
    phase: Phase
    kind: str
    state: RecordState

    def to_dict(self) -> dict[str, object]:
        return {
            "decision_id": self.decision_id,
            "record_id": self.record_id,
            "group": self.group,
            "phase": self.phase.value,
            "kind": self.kind,
            "state": self.state.value,
        }


class Screening:
    """Screening decisions for one project (``project.screening``)."""

    def __init__(self, review: Review) -> None:
        self.review = review
        self.store = review.store
        self.protocol = review.protocol
        self.required = review.required_votes()
        self.standing = Standing(self.required)

    # -- writes -----------------------------------------------------------------------------

    def decide(
        self,
        record_id: int,
        *,
        phase: Phase | str,
        reviewer: str,
        verdict: Verdict | str,
        criteria: Sequence[str] = (),
        note: str = "",
        pdf: str = "",
    ) -> DecisionResult:
        """Record ``reviewer``'s vote on the group of ``record_id``.

        Raises:
            InputError: unknown phase, verdict, criterion or reviewer; a record that is not in
                the phase; an exclusion without an exclusion code; a PDF at title-abstract.
                Nothing is written then.
        """
        phase = parse_phase(phase)
        verdict = parse_verdict(verdict)
        codes = check_criteria(self.protocol.criteria, verdict, criteria, note)
        if pdf and phase is not Phase.FULL_TEXT:
            raise InputError("a PDF link belongs to a full-text decision, not title-abstract")
        with self.store.write() as conn:
            who = find_reviewer(conn, reviewer)
            group = self._group_in_phase(conn, record_id, phase)
            voters = group.voters()
            if group.votes.resolution is not None:
                raise InputError(
                    f"record {record_id}: already resolved at {phase.value}; "
                    "record a new resolution to change it"
                )
            if who.id not in voters and len(voters) >= self.required[phase]:
                raise InputError(
                    f"record {record_id}: already has the {self.required[phase]} vote(s) "
                    f"{phase.value} needs; resolve it instead (metasummary conflicts resolve)"
                )
            in_pilot = self._in_pilot(conn, phase, group.root)
            decision_id = store_decisions.insert(
                conn,
                record_id=record_id,
                phase=phase.value,
                reviewer_id=who.id,
                kind="vote",
                verdict=verdict.value,
                criteria=codes,
                note=note,
                pdf=pdf,
                pilot=in_pilot,
            )
            events.log(
                conn,
                "screening.vote",
                entity="record",
                entity_id=record_id,
                actor=who.code,
                payload={
                    "decision": decision_id,
                    "group": group.root,
                    "phase": phase.value,
                    "verdict": verdict.value,
                    "criteria": codes,
                    "pilot": in_pilot,
                },
            )
            after = self.standing.group(conn, record_id, phase)
        return DecisionResult(
            decision_id, record_id, group.root, phase, "vote", after.state(self.required[phase])
        )

    def retract(
        self, record_id: int | None = None, *, phase: Phase | str, reviewer: str
    ) -> DecisionResult:
        """Undo ``reviewer``'s standing vote on ``record_id`` (default: their latest vote).

        The vote stays in the log; a retraction is appended and the vote before it, if any,
        counts again.
        """
        phase = parse_phase(phase)
        with self.store.write() as conn:
            who = find_reviewer(conn, reviewer)
            if record_id is None:
                record_id = latest_standing(conn, phase, who)
            group = self.standing.group(conn, record_id, phase)
            standing = group.votes.current().get(who.id)
            if standing is None:
                raise InputError(
                    f"record {record_id}: {who.code} has no vote at {phase.value} to undo"
                )
            decision_id = store_decisions.insert(
                conn,
                record_id=standing.record_id,
                phase=phase.value,
                reviewer_id=who.id,
                kind="retraction",
            )
            events.log(
                conn,
                "screening.retract",
                entity="record",
                entity_id=standing.record_id,
                actor=who.code,
                payload={"decision": decision_id, "retracts": standing.id, "phase": phase.value},
            )
            after = self.standing.group(conn, record_id, phase)
        return DecisionResult(
            decision_id,
            standing.record_id,
            group.root,
            phase,
            "retraction",
            after.state(self.required[phase]),
        )

    def resolve(
        self,
        record_id: int,
        *,
        phase: Phase | str,
        reviewer: str,
        verdict: Verdict | str,
        criteria: Sequence[str] = (),
        note: str = "",
    ) -> DecisionResult:
        """Settle a conflict (or an agreed maybe): by a third reviewer, or by consensus when
        the resolver is one of the voters. Both votes are kept; the resolution decides.
        """
        phase = parse_phase(phase)
        verdict = parse_verdict(verdict)
        codes = check_criteria(self.protocol.criteria, verdict, criteria, note)
        with self.store.write() as conn:
            who = find_reviewer(conn, reviewer)
            group = self._group_in_phase(conn, record_id, phase)
            state = group.state(self.required[phase])
            resolvable = state in (RecordState.CONFLICT, RecordState.MAYBE)
            if not resolvable and group.votes.resolution is None:
                raise InputError(
                    f"record {record_id}: nothing to resolve at {phase.value} (it is "
                    f"{state.value}); only conflicts and maybes are resolved"
                )
            how = "consensus" if who.id in group.voters() else "third reviewer"
            decision_id = store_decisions.insert(
                conn,
                record_id=record_id,
                phase=phase.value,
                reviewer_id=who.id,
                kind="resolution",
                verdict=verdict.value,
                criteria=codes,
                note=note,
            )
            events.log(
                conn,
                "screening.resolve",
                entity="record",
                entity_id=record_id,
                actor=who.code,
                payload={
                    "decision": decision_id,
                    "group": group.root,
                    "phase": phase.value,
                    "verdict": verdict.value,
                    "criteria": codes,
                    "by": how,
                    "votes": sorted(row.id for row in group.votes.current().values()),
                },
            )
        return DecisionResult(
            decision_id, record_id, group.root, phase, "resolution", STATE_OF[verdict]
        )

    def start_pilot(
        self, *, phase: Phase | str, size: int | None = None, seed: int = 0
    ) -> pilot.PilotSample:
        """Draw the phase's pilot sample (``size`` groups, default the protocol's pilot_size)."""
        phase = parse_phase(phase)
        settings = (
            self.protocol.screening.title_abstract
            if phase is Phase.TITLE_ABSTRACT
            else self.protocol.screening.full_text
        )
        wanted = size if size is not None else settings.pilot_size
        if wanted <= 0:
            raise InputError(
                f"pilot for {phase.value}: give --size N or set screening."
                f"{phase.value.replace('-', '_')}.pilot_size in protocol.yaml"
            )
        with self.store.write() as conn:
            return pilot.start(conn, self.standing.phase(conn, phase), wanted, seed)

    def claim(
        self,
        record_id: int,
        *,
        phase: Phase | str,
        reviewer: str,
        minutes: float = claims.CLAIM_MINUTES,
    ) -> bool:
        """Put the group of ``record_id`` on ``reviewer``'s screen (their one claim in the
        phase), unless its places are all taken by votes and other reviewers' claims.

        True when it is theirs to screen now; see :mod:`metasummary.screening.claims`.
        """
        phase = parse_phase(phase)
        lasting = timedelta(minutes=minutes)
        with self.store.read() as conn:  # the same card shown again needs no write
            who = find_reviewer(conn, reviewer)
            mine = store_claims.held_by(conn, who.id, phase.value)
            group = self.standing.group(conn, record_id, phase)
            if mine is not None and mine[0] == group.root and mine[1] > now() + lasting / 2:
                return True
        with self.store.write() as conn:
            group = self.standing.group(conn, record_id, phase)
            held = store_claims.live(conn, phase.value, now())
            if not claims.claimable(group, who.id, held, self.required[phase]):
                return False
            until = now() + lasting
            store_claims.put(
                conn, reviewer_id=who.id, phase=phase.value, record_id=group.root, until=until
            )
        return True

    def taken(self, *, phase: Phase | str, viewer: str) -> set[int]:
        """Groups whose places are all on other reviewers' screens now."""
        phase = parse_phase(phase)
        with self.store.read() as conn:
            who = find_reviewer(conn, viewer)
            held = store_claims.live(conn, phase.value, now())
        return claims.taken(held, who.id, self.required[phase])

    # -- reads ------------------------------------------------------------------------------

    def view(self, record_id: int, *, phase: Phase | str, viewer: str) -> RecordView:
        """``record_id`` (its group's canonical record) with the decisions ``viewer`` may see."""
        phase = parse_phase(phase)
        with self.store.read() as conn:
            return record_view(conn, record_id, phase, find_reviewer(conn, viewer), self.standing)

    def reviewer_queue(
        self, *, phase: Phase | str, reviewer: str, features: str = "tfidf", seed: int = 0
    ) -> ReviewerQueue:
        """A warm queue for a screening session: call ``refresh()`` after every decision."""
        from metasummary.screening.queue import ReviewerQueue  # numpy and scikit-learn

        phase = parse_phase(phase)
        with self.store.read() as conn:
            who = find_reviewer(conn, reviewer)
        cache = self.review.root / CACHE_FILE if self.review.root is not None else None
        return ReviewerQueue(
            self.store, phase, self.required, who, features=features, cache=cache, seed=seed
        )

    def vote_signature(self, *, phase: Phase | str, reviewer: str) -> tuple[int, int]:
        """Changes whenever ``reviewer`` votes or retracts in ``phase``, wherever (another
        worker, another server, the command line): when their ranking should learn."""
        phase = parse_phase(phase)
        with self.store.read() as conn:
            who = find_reviewer(conn, reviewer)
            return store_decisions.reviewer_signature(conn, who.id, phase.value)

    def queue(self, *, phase: Phase | str, reviewer: str, features: str = "tfidf") -> Queue:
        """The records ``reviewer`` may screen in ``phase``, pilot first, then by priority."""
        return self.reviewer_queue(phase=phase, reviewer=reviewer, features=features).refresh()

    def conflicts(self, *, phase: Phase | str, viewer: str) -> list[Conflict]:
        """Groups whose votes disagree (or agree on maybe), waiting for a resolution."""
        phase = parse_phase(phase)
        with self.store.read() as conn:
            who = find_reviewer(conn, viewer)
            snapshot = self.standing.phase(conn, phase)
            return list_conflicts(conn, snapshot, who.id)

    def agreement(
        self, *, phases: Sequence[Phase | str] = (), pilot_only: bool = False
    ) -> list[PhaseAgreement]:
        """Agreement between reviewers, per phase (default: both) and per criterion."""
        chosen = [parse_phase(p) for p in phases] or list(Phase)
        codes = self.protocol.criteria.codes()
        with self.store.read() as conn:
            snapshots = [self.standing.phase(conn, p) for p in chosen]
        return [phase_agreement(s, codes, pilot_only=pilot_only) for s in snapshots]

    def progress(self) -> list[ReviewerProgress]:
        """Each protocol reviewer's standing votes per phase, by verdict."""
        with self.store.read() as conn:
            listed = [r for r in catalog.list_reviewers(conn) if r.in_protocol]
            return reviewer_progress(conn, listed, self.standing)

    def pilot_sample(self, phase: Phase | str) -> pilot.PilotSample | None:
        with self.store.read() as conn:
            return pilot.load(conn, parse_phase(phase))

    # -- helpers ----------------------------------------------------------------------------

    def _group_in_phase(self, conn: sa.Connection, record_id: int, phase: Phase) -> GroupContext:
        group = self.standing.group(conn, record_id, phase)
        if group.state(self.required[phase]) is RecordState.NOT_ELIGIBLE:
            previous = phase.previous.value if phase.previous else ""
            raise InputError(
                f"record {record_id}: not in {phase.value}; only records included at "
                f"{previous} reach it"
            )
        return group

    def _in_pilot(self, conn: sa.Connection, phase: Phase, root: int) -> bool:
        sample = pilot.load(conn, phase)
        return sample is not None and root in sample.records
