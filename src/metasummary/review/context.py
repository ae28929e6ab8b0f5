"""The :class:`Review` value: what a step's service needs to know of the review it serves."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from metasummary.environment import ACTOR_ENV
from metasummary.errors import InputError
from metasummary.models import Phase, SourceKind
from metasummary.protocol import PROTOCOL_FILE, Protocol
from metasummary.store import Store, events
from metasummary.store import catalog as store_catalog
from metasummary.store.catalog import SourceRow

REPORT_DIR = "report"
"""The report's folder in the review folder."""


def default_actor() -> str:
    """``$METASUMMARY_BY``, else the login name: who a command-line session acts as."""
    named = os.environ.get(ACTOR_ENV, "").strip()
    if named:
        return named
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container without a passwd entry)
        return ""


@dataclass(frozen=True, slots=True)
class Review:
    """One open review: its folder (None when opened by database URL), protocol and store.

    :class:`~metasummary.project.Project` opens it and builds every service from it; the
    services share this one value and never reach for the facade or for each other (a
    service that needs another one is handed it).

    ``actor`` is who the session acts as when a call names no one (the CLI's ``--by``, else
    the login name); the web app opens the review with none, so each of its writes must
    name the reviewer acting (the store refuses a change by no one).
    """

    root: Path | None
    protocol: Protocol
    store: Store
    actor: str = ""

    def acting(self, actor: str = "") -> str:
        """Who makes a change: ``actor`` when given, else the session's."""
        return actor.strip() or self.actor

    @property
    def protocol_path(self) -> Path | None:
        return self.root / PROTOCOL_FILE if self.root is not None else None

    @property
    def report_folder(self) -> Path | None:
        return self.root / REPORT_DIR if self.root is not None else None

    def required_votes(self) -> dict[Phase, int]:
        """Votes a record needs in each phase before agreeing votes decide it."""
        settings = {
            Phase.TITLE_ABSTRACT: self.protocol.screening.title_abstract,
            Phase.FULL_TEXT: self.protocol.screening.full_text,
        }
        return {phase: 2 if s.mode == "dual" else 1 for phase, s in settings.items()}

    def ensure_source(
        self,
        conn: Connection,
        name: str,
        *,
        kind: SourceKind = SourceKind.FILE,
        actor: str = "",
        **values: Any,
    ) -> SourceRow:
        """The source called ``name``, created (outside the protocol) when it does not exist.

        Runs inside the caller's write transaction, so a failed import leaves no empty source.
        A source merged into another one takes nothing new: that one is named instead.
        """
        row = store_catalog.source_by_name(conn, name)
        if row is not None and row.merged_into is not None:
            into = store_catalog.source_by_id(conn, row.merged_into)
            raise InputError(
                f"source '{name}' was merged into '{into.name if into else row.merged_into}'; "
                "use that one (or metasummary source unmerge first)"
            )
        if row is None:
            store_catalog.insert_source(
                conn, name=name, kind=kind.value, in_protocol=False, **values
            )
            events.log(
                conn,
                "source.create",
                actor=self.acting(actor),
                entity="source",
                payload={"name": name, "kind": kind.value},
            )
            row = store_catalog.source_by_name(conn, name)
            assert row is not None
        return row
