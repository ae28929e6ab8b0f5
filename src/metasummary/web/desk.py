"""The screening desk: the app's live queues, and the next record a reviewer may screen.

Every record offered is read through ``project.screening.view`` as the reviewer sees it, and
offered only when that view says the record is in the phase and still open to the reviewer:
not resolved, without their vote, and short of the votes the phase needs. So a ranking made
a few decisions ago can order the records, but never shows a record out of the phase or one
the reviewer may no longer vote on; and blind screening holds because the view is the only
source of what the page shows. The record offered is claimed for the reviewer
(:mod:`metasummary.screening.claims`): a team screening at once is shown different records,
instead of all voting on the same ones and all but two being refused.
"""

from __future__ import annotations

import threading
from collections.abc import Collection

from metasummary.models import Phase, RecordState
from metasummary.project import Project
from metasummary.screening.reviewers import unknown_reviewer
from metasummary.screening.rules import parse_phase
from metasummary.screening.views import RecordView
from metasummary.web.livequeue import LiveQueue

CHECK_LIMIT = 50
"""Records checked on a stale ranking before ranking again on the spot."""


def open_to(view: RecordView, reviewer: str, required: int) -> bool:
    """Whether ``reviewer`` may still vote on the record ``view`` shows them."""
    if view.state is RecordState.NOT_ELIGIBLE:
        return False
    if any(d.kind == "resolution" for d in view.decisions):
        return False
    votes = [d for d in view.decisions if d.kind == "vote"]
    if any(d.reviewer == reviewer for d in votes):
        return False
    return len(votes) + view.hidden < required


class Desk:
    """One live queue per phase and reviewer, built on first use and kept while the app runs.

    Each worker of a server has its own desk; a queue whose ranking is behind the reviewer's
    own votes in the database (made through another worker, or the command line) ranks again
    in the background, so a ranking follows its reviewer without a wait on any request.

    Args:
        wait: Seconds a request waits for a queue's first ranking before the page shows
            "preparing" and asks again.
    """

    def __init__(self, wait: float = 2.0) -> None:
        self.wait = wait
        self._queues: dict[tuple[Phase, str], LiveQueue] = {}
        self._lock = threading.Lock()

    def live(self, project: Project, phase: Phase | str, reviewer: str) -> LiveQueue:
        """The warm queue of ``reviewer`` in ``phase``, started when new.

        Raises:
            InputError: Unknown phase or reviewer.
        """
        phase = parse_phase(phase)
        known = [r.id for r in project.protocol.reviewers]
        if reviewer not in known:  # checked in memory: this runs on every vote
            raise unknown_reviewer(reviewer, known)
        key = (phase, reviewer)
        with self._lock:
            live = self._queues.get(key)
            if live is None or live.failed:
                screening = project.screening
                # Titles first: on a large review the page has a record in seconds, and the
                # full ranking replaces it as soon as it is made.
                live = LiveQueue(
                    lambda: screening.reviewer_queue(
                        phase=phase, reviewer=reviewer, titles_only=True
                    ),
                    lambda: screening.reviewer_queue(phase=phase, reviewer=reviewer),
                    version=lambda: screening.vote_signature(phase=phase, reviewer=reviewer),
                )
                self._queues[key] = live
        live.start()
        if live.is_behind(project.screening.vote_signature(phase=phase, reviewer=reviewer)):
            live.refresh_soon()
        return live

    def next_view(
        self,
        project: Project,
        live: LiveQueue,
        phase: Phase,
        reviewer: str,
        *,
        skip: Collection[int] = (),
        front: int | None = None,
    ) -> RecordView | None:
        """The first record of the ranking ``reviewer`` may screen now, or None when none is
        left. Skipped records come round again once everything else is done."""
        required = project.required_votes()[phase]
        screening = project.screening
        taken = screening.taken(phase=phase, viewer=reviewer) if required > 1 else set()
        for attempt in range(2):
            checked = 0
            for record in live.candidates(front):
                if (record in skip or record in taken) and record != front:
                    continue
                view = screening.view(record, phase=phase, viewer=reviewer)
                if open_to(view, reviewer, required) and (
                    required == 1 or screening.claim(view.group, phase=phase, reviewer=reviewer)
                ):
                    return view
                checked += 1
                if checked >= CHECK_LIMIT and attempt == 0:
                    break  # the ranking is far behind (others screened much): rank again
            else:
                break
            live.refresh()
        if skip:
            return self.next_view(project, live, phase, reviewer, front=front)
        return None

    def close(self) -> None:
        with self._lock:
            queues = list(self._queues.values())
        for live in queues:
            live.close()
