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
from metasummary.screening.reviewers import find_reviewer, latest_standing, viewer_id
from metasummary.screening.rules import check_criteria, parse_phase, parse_verdict
from metasummary.screening.standing import GroupContext, Standing
from metasummary.screening.state import STATE_OF
from metasummary.screening.views import RecordView, record_view
from metasummary.store import catalog, events
from metasummary.store import claims as store_claims
from metasummary.store import decisions as store_decisions
from metasummary.store import pairs as store_pairs
from metasummary.store.clock import now

if TYPE_CHECKING:
    from metasummary.screening.gain import GainCurve, StopDecision
    from metasummary.screening.queue import Queue, ReviewerQueue

CACHE_FILE = ".cache/screening-term-counts.npz"
TITLES_CACHE_FILE = ".cache/screening-title-counts.npz"
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
        actor: str = "",
        random_check: bool = False,
    ) -> DecisionResult:
        """Record ``reviewer``'s vote on the group of ``record_id``.

        ``actor`` is who records it, when not the reviewer (a lead entering a paper form).
        ``random_check`` marks a record the queue served as a stopping rule's random check
        (the rules then know it was drawn at random, not chosen by the ranking).

        Raises:
            InputError: unknown phase, verdict, criterion or reviewer; a record that is not in
                the phase; an exclusion without a criterion code; a PDF at title-abstract.
                Nothing is written then.
        """
        with self.store.write() as conn:
            return self.vote_in(
                conn,
                record_id,
                phase=phase,
                reviewer=reviewer,
                verdict=verdict,
                criteria=criteria,
                note=note,
                pdf=pdf,
                actor=actor,
                random_check=random_check,
            )

    def vote_in(
        self,
        conn: sa.Connection,
        record_id: int,
        *,
        phase: Phase | str,
        reviewer: str,
        verdict: Verdict | str,
        criteria: Sequence[str] = (),
        note: str = "",
        pdf: str = "",
        actor: str = "",
        via: str = "",
        random_check: bool = False,
    ) -> DecisionResult:
        """:meth:`decide` inside the caller's write transaction (a file of decisions is
        written whole or not at all); ``via`` names the file in the log."""
        phase = parse_phase(phase)
        verdict = parse_verdict(verdict)
        codes = check_criteria(self.protocol.criteria, verdict, criteria, note)
        if pdf and phase is not Phase.FULL_TEXT:
            raise InputError("a PDF link belongs to a full-text decision, not title-abstract")
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
        payload: dict[str, object] = {
            "decision": decision_id,
            "group": group.root,
            "phase": phase.value,
            "verdict": verdict.value,
            "criteria": codes,
            "pilot": in_pilot,
            "random_check": random_check,
        }
        if via:
            payload.update(reviewer=who.code, via=via)
        events.log(
            conn,
            "screening.vote",
            entity="record",
            entity_id=record_id,
            actor=actor.strip() or who.code,
            payload=payload,
        )
        if random_check:
            events.log(
                conn,
                "screening.check",  # gain.CHECK_EVENT (not imported: numpy, scipy)
                entity="record",
                entity_id=record_id,
                actor=actor.strip() or who.code,
                payload={"phase": phase.value, "group": group.root, "decision": decision_id},
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
        replace: bool = False,
    ) -> DecisionResult:
        """Settle a conflict (or an agreed maybe): by a third reviewer, or by consensus when
        the resolver is one of the voters. Both votes are kept; the resolution decides.

        A group already resolved keeps its resolution unless ``replace`` says a new one is
        meant (both stay in the log; the newer one decides).
        """
        with self.store.write() as conn:
            return self.resolve_in(
                conn,
                record_id,
                phase=phase,
                reviewer=reviewer,
                verdict=verdict,
                criteria=criteria,
                note=note,
                replace=replace,
            )

    def resolve_in(
        self,
        conn: sa.Connection,
        record_id: int,
        *,
        phase: Phase | str,
        reviewer: str,
        verdict: Verdict | str,
        criteria: Sequence[str] = (),
        note: str = "",
        replace: bool = False,
        settled_elsewhere: bool = False,
        actor: str = "",
        via: str = "",
    ) -> DecisionResult:
        """:meth:`resolve` inside the caller's write transaction.

        ``settled_elsewhere`` records a decision a team reached in another tool (Covidence's
        lists hold the consensus, not the votes): it needs no conflict to settle.
        """
        phase = parse_phase(phase)
        verdict = parse_verdict(verdict)
        codes = check_criteria(self.protocol.criteria, verdict, criteria, note)
        who = find_reviewer(conn, reviewer)
        group = self._group_in_phase(conn, record_id, phase)
        state = group.state(self.required[phase])
        resolvable = settled_elsewhere or state in (RecordState.CONFLICT, RecordState.MAYBE)
        if not resolvable and group.votes.resolution is None:
            raise InputError(
                f"record {record_id}: nothing to resolve at {phase.value} (it is "
                f"{state.value}); only conflicts and maybes are resolved"
            )
        earlier = group.votes.resolution
        if earlier is not None and not replace:
            entry = group.entries.get(earlier.id)
            when = f" on {entry.created_at:%Y-%m-%d}" if entry else ""
            by = self._code(conn, earlier.reviewer_id)
            raise InputError(
                f"record {record_id}: already resolved at {phase.value} by {by}{when} "
                f"({earlier.verdict}); give --replace to record a new resolution (both "
                "stay in the log)"
            )
        how = "consensus" if who.id in group.voters() else "third reviewer"
        if settled_elsewhere:
            how = "settled elsewhere"
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
        payload: dict[str, object] = {
            "decision": decision_id,
            "group": group.root,
            "phase": phase.value,
            "verdict": verdict.value,
            "criteria": codes,
            "by": how,
            "votes": sorted(row.id for row in group.votes.current().values()),
            "replaces": earlier.id if earlier is not None else None,
        }
        if via:
            payload.update(reviewer=who.code, via=via)
        events.log(
            conn,
            "screening.resolve",
            entity="record",
            entity_id=record_id,
            actor=actor.strip() or who.code,
            payload=payload,
        )
        return DecisionResult(
            decision_id, record_id, group.root, phase, "resolution", STATE_OF[verdict]
        )

    def start_pilot(
        self, *, phase: Phase | str, size: int | None = None, seed: int = 0, actor: str = ""
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
            return pilot.start(
                conn,
                self.standing.phase(conn, phase),
                wanted,
                seed,
                actor=self.review.acting(actor),
            )

    def stop(self, *, phase: Phase | str, reviewer: str, note: str = "") -> StopDecision:
        """Log the team's decision to stop screening ``phase``, with the reading of the rule
        the protocol follows at this point (the team decides; the rule only advises).

        Raises:
            InputError: unknown phase or reviewer, or nothing settled in the phase yet.
        """
        from metasummary.screening import gain

        phase = parse_phase(phase)
        settings = self.protocol.screening.stopping
        with self.store.write() as conn:
            who = find_reviewer(conn, reviewer)
            curve = gain.gain_curve(conn, self.standing.phase(conn, phase), settings)
            if curve.history.screened == 0:
                raise InputError(f"stop {phase.value}: no record is decided there yet")
            gain.log_stop(conn, curve, who.code, note)
            decision = gain.last_decision(conn, phase)
        assert decision is not None
        return decision

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

    def stopping(self, phase: Phase | str) -> GainCurve:
        """The phase's gain curve, every stopping rule's reading, and any decision to stop."""
        from metasummary.screening import gain

        phase = parse_phase(phase)
        with self.store.read() as conn:
            snapshot = self.standing.phase(conn, phase)
            return gain.gain_curve(conn, snapshot, self.protocol.screening.stopping)

    def view(self, record_id: int, *, phase: Phase | str, viewer: str) -> RecordView:
        """``record_id`` (its group's canonical record) with the decisions ``viewer`` may see."""
        phase = parse_phase(phase)
        with self.store.read() as conn:
            return record_view(conn, record_id, phase, find_reviewer(conn, viewer), self.standing)

    def reviewer_queue(
        self,
        *,
        phase: Phase | str,
        reviewer: str,
        features: str = "tfidf",
        seed: int = 0,
        titles_only: bool = False,
    ) -> ReviewerQueue:
        """A warm queue for a screening session: call ``refresh()`` after every decision.

        With ``titles_only`` it ranks on TF-IDF of the titles alone: quick to build on a
        large review, for a first page while the full ranking is made.
        """
        from metasummary.screening.queue import ReviewerQueue  # numpy and scikit-learn

        phase = parse_phase(phase)
        with self.store.read() as conn:
            who = find_reviewer(conn, reviewer)
        name = TITLES_CACHE_FILE if titles_only else CACHE_FILE
        cache = self.review.root / name if self.review.root is not None else None
        return ReviewerQueue(
            self.store,
            phase,
            self.required,
            who,
            features="tfidf" if titles_only else features,
            cache=cache,
            seed=seed,
            titles_only=titles_only,
            stopping=self.protocol.screening.stopping,
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

    def progress(self, viewer: str | None = None) -> list[ReviewerProgress]:
        """Each protocol reviewer's standing votes per phase, by verdict as ``viewer`` (a
        reviewer code; None: no reviewer) may see them."""
        with self.store.read() as conn:
            listed = [r for r in catalog.list_reviewers(conn) if r.in_protocol]
            return reviewer_progress(conn, listed, self.standing, viewer_id(conn, viewer))

    def warnings(self) -> list[str]:
        """What should be settled before screening goes on: duplicate pairs waiting for a
        reviewer (each would otherwise be screened twice)."""
        with self.store.read() as conn:
            waiting = store_pairs.waiting_count(conn)
        if not waiting:
            return []
        return [
            f"{waiting} possible duplicate pair{'' if waiting == 1 else 's'} wait for review; "
            "settle them first (metasummary dedup review, or the Duplicates page), or both "
            "records of each get screened"
        ]

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

    @staticmethod
    def _code(conn: sa.Connection, reviewer_id: int) -> str:
        codes = {r.id: r.code for r in catalog.list_reviewers(conn)}
        return codes.get(reviewer_id, f"#{reviewer_id}")

    def _in_pilot(self, conn: sa.Connection, phase: Phase, root: int) -> bool:
        sample = pilot.load(conn, phase)
        return sample is not None and root in sample.records
