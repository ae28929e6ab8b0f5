"""The pilot round: a seeded random sample every reviewer screens first, to calibrate.

The sample is drawn once per phase from the groups the phase holds, and kept (with its seed)
in the database, so every reviewer and every face serves the same records first. Votes on
them are marked as pilot votes; ``metasummary agreement --pilot`` reports on them alone.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.models import Phase
from metasummary.screening.snapshot import PhaseSnapshot
from metasummary.store import events, meta


@dataclass(frozen=True, slots=True)
class PilotSample:
    phase: Phase
    seed: int
    records: list[int]
    """Canonical record ids, in the order reviewers are shown them."""

    def to_dict(self) -> dict[str, object]:
        return {"phase": self.phase.value, "seed": self.seed, "records": list(self.records)}


def _key(phase: Phase) -> str:
    return f"screening.pilot.{phase.value}"


def draw(roots: Sequence[int], size: int, seed: int) -> list[int]:
    """``size`` groups drawn without replacement; the same roots and seed give the same draw."""
    ordered = sorted(roots)
    return random.Random(seed).sample(ordered, min(size, len(ordered)))


def start(
    conn: sa.Connection, snapshot: PhaseSnapshot, size: int, seed: int, *, actor: str
) -> PilotSample:
    """Draw and keep the pilot sample of the snapshot's phase (once per phase)."""
    phase = snapshot.phase
    if load(conn, phase) is not None:
        raise InputError(f"pilot for {phase.value}: already drawn; it cannot be redrawn")
    roots = snapshot.eligible()
    if not roots:
        raise InputError(f"pilot for {phase.value}: the phase holds no records yet")
    sample = PilotSample(phase, seed, draw(roots, size, seed))
    save(conn, sample)
    events.log(conn, "screening.pilot", actor=actor, payload=sample.to_dict())
    return sample


def load(conn: sa.Connection, phase: Phase) -> PilotSample | None:
    text = meta.get(conn, _key(phase))
    if text is None:
        return None
    data = json.loads(text)
    return PilotSample(phase, int(data["seed"]), [int(r) for r in data["records"]])


def save(conn: sa.Connection, sample: PilotSample) -> None:
    meta.put(conn, _key(sample.phase), json.dumps({"seed": sample.seed, "records": sample.records}))
