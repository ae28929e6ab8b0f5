"""Which duplicate groups a phase included: the one derivation every later step uses.

Exports (``--included``), the synthesis corpus, snowballing seeds and the report all ask the
same question; they ask it here. Only the groups that carry decisions are folded, so the cost
follows the number of decisions, not of records.
"""

from __future__ import annotations

import sqlalchemy as sa

from metasummary.browse.states import GroupKeys, PhaseStates
from metasummary.models import Phase, RecordState
from metasummary.store import phases as store_phases


def decided_states(conn: sa.Connection, required: dict[Phase, int]) -> PhaseStates:
    """The state of every decided group in every phase (undecided groups are left out)."""
    keys = GroupKeys(store_phases.chain_links(conn))
    return PhaseStates.build(
        store_phases.all_decisions(conn), store_phases.decided_links(conn), keys, required
    )


def included_groups(
    conn: sa.Connection, required: dict[Phase, int], phase: Phase = Phase.FULL_TEXT
) -> set[int]:
    """Canonical record ids of the groups included at ``phase``."""
    return included_in(decided_states(conn, required), phase)


def included_in(states: PhaseStates, phase: Phase) -> set[int]:
    """The groups ``states`` has as included at ``phase`` (for a caller that holds them)."""
    return {root for root, state in states.known[phase].items() if state is RecordState.INCLUDED}
