"""The :class:`Review` value: what a step's service needs to know of the review it serves."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from metasummary.models import Phase, SourceKind
from metasummary.protocol import PROTOCOL_FILE, Protocol
from metasummary.store import Store, events
from metasummary.store import catalog as store_catalog
from metasummary.store.catalog import SourceRow


@dataclass(frozen=True, slots=True)
class Review:
    """One open review: its folder (None when opened by database URL), protocol and store.

    :class:`~metasummary.project.Project` opens it and builds every service from it; the
    services share this one value and never reach for the facade or for each other (a
    service that needs another one is handed it).
    """

    root: Path | None
    protocol: Protocol
    store: Store

    @property
    def protocol_path(self) -> Path | None:
        return self.root / PROTOCOL_FILE if self.root is not None else None

    def required_votes(self) -> dict[Phase, int]:
        """Votes a record needs in each phase before agreeing votes decide it."""
        settings = {
            Phase.TITLE_ABSTRACT: self.protocol.screening.title_abstract,
            Phase.FULL_TEXT: self.protocol.screening.full_text,
        }
        return {phase: 2 if s.mode == "dual" else 1 for phase, s in settings.items()}

    def ensure_source(
        self, conn: Connection, name: str, *, kind: SourceKind = SourceKind.FILE, **values: Any
    ) -> SourceRow:
        """The source called ``name``, created (outside the protocol) when it does not exist.

        Runs inside the caller's write transaction, so a failed import leaves no empty source.
        """
        row = store_catalog.source_by_name(conn, name)
        if row is None:
            store_catalog.insert_source(
                conn, name=name, kind=kind.value, in_protocol=False, **values
            )
            events.log(
                conn, "source.create", entity="source", payload={"name": name, "kind": kind.value}
            )
            row = store_catalog.source_by_name(conn, name)
            assert row is not None
        return row
