"""The :class:`Project` facade: one review, its protocol and its database.

Every use case is a method here or on a small service object it hands out, so the CLI, the web
app and scripts all go through the same door. This is the one module that knows every
service: each is built from the :class:`~metasummary.review.Review` value (folder, protocol,
store), and a service that needs another one (the report needs the synthesis, screening and
query) is handed it here. No service imports this module.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterable
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from metasummary.environment import PROJECT_ENV
from metasummary.errors import InputError, ProjectError, ProtocolError
from metasummary.models import Phase, RecordData, SourceKind
from metasummary.outputs import manifest as output_manifest
from metasummary.outputs.sweep import Swept, review_folders, sweep
from metasummary.protocol import PROTOCOL_FILE, Protocol, load_protocol, parse_protocol
from metasummary.review import Review, catalog
from metasummary.review.context import default_actor
from metasummary.store import Store, events
from metasummary.store import meta as store_meta
from metasummary.store import records as store_records
from metasummary.store.catalog import SourceRow
from metasummary.store.engine import DB_FILE, resolve_url
from metasummary.store.meta import PROTOCOL_SNAPSHOT
from metasummary.store.phases import data_version

if TYPE_CHECKING:
    from metasummary.accounts import Accounts
    from metasummary.browse import RecordBrowser
    from metasummary.dedup.service import Dedup
    from metasummary.fulltext import FullTexts
    from metasummary.imports.exports import Exports
    from metasummary.imports.files import Imports
    from metasummary.imports.search import Searches
    from metasummary.imports.source_edits import SourceEdits
    from metasummary.keeping import BackupResult
    from metasummary.query.service import QueryService
    from metasummary.report import Report
    from metasummary.review.consistency import Inconsistency
    from metasummary.screening.decisions import Screening
    from metasummary.screening.exchange import DecisionExchange
    from metasummary.screening.status import ProjectStatus
    from metasummary.snowball import Snowball
    from metasummary.store.records import StoredRecord
    from metasummary.synthesis.service import Synthesis

GITIGNORE = """\
# Written by metasummary init. protocol.yaml and review.db are the review; these are not.
.cache/
review.db-wal
review.db-shm
review.db.before-*
"""


def protocol_template(title: str) -> str:
    """The commented ``protocol.yaml`` that ``init`` writes."""
    text = files("metasummary.review").joinpath("protocol.yaml").read_text(encoding="utf-8")
    # json.dumps gives a valid YAML double-quoted scalar for any title.
    return text.replace('"{title}"', json.dumps(title, ensure_ascii=False))


class Project:
    """One review: a folder holding ``protocol.yaml`` and a database.

    Open one with :meth:`open` or create one with :meth:`init`; use it as a context manager so
    the database is closed.
    """

    def __init__(
        self, root: Path | None, protocol: Protocol, store: Store, actor: str | None = None
    ) -> None:
        self.review = Review(root, protocol, store, default_actor() if actor is None else actor)
        """What every service is built from."""
        self._status_cache: tuple[tuple[int, ...], ProjectStatus] | None = None
        self.swept: list[Swept] = []
        """Temporaries of killed runs cleaned up when the review was opened."""
        self._synthesis_counts: tuple[tuple[int, ...], tuple[int, int, int]] | None = None

    @property
    def root(self) -> Path | None:
        """The review folder; None when the review was opened by database URL."""
        return self.review.root

    @property
    def protocol(self) -> Protocol:
        return self.review.protocol

    @property
    def store(self) -> Store:
        return self.review.store

    # -- opening ----------------------------------------------------------------------------

    @classmethod
    def init(
        cls,
        path: str | Path,
        *,
        title: str | None = None,
        db: str | None = None,
        protocol_text: str | None = None,
        actor: str | None = None,
    ) -> Project:
        """Create a review folder with a commented protocol and an empty database.

        Args:
            path: The folder; created when missing, refused when it already holds a review.
            title: The review's title (default: the folder name).
            db: A database URL to use instead of ``review.db`` in the folder.
            protocol_text: A protocol to write instead of the commented template.
            actor: Who the session acts as when a call names no one (default:
                ``$METASUMMARY_BY``, else the login name; ``""``: every change must name its
                author).
        """
        root = Path(path).expanduser()
        protocol_path = root / PROTOCOL_FILE
        if protocol_path.exists():
            raise ProjectError(f"{protocol_path}: a review already exists here; open it instead")
        if db is None and not os.environ.get("METASUMMARY_DB") and (root / DB_FILE).exists():
            raise ProjectError(f"{root / DB_FILE}: a database already exists here")
        text = protocol_text or protocol_template(title or root.resolve().name)
        protocol = parse_protocol(text, name=str(protocol_path))
        root.mkdir(parents=True, exist_ok=True)
        store = Store(resolve_url(root, db), create=True)
        try:
            project = cls(root, protocol, store, actor)
            project._sync_protocol(text)
        except BaseException:
            store.close()
            raise
        protocol_path.write_text(text, encoding="utf-8")
        ignore = root / ".gitignore"
        if not ignore.exists():
            ignore.write_text(GITIGNORE, encoding="utf-8")
        return project

    @classmethod
    def open(
        cls, path: str | Path | None = None, *, db: str | None = None, actor: str | None = None
    ) -> Project:
        """Open a review.

        Args:
            path: The review folder, or a database URL (then the protocol is the copy the
                database keeps). Default: ``$METASUMMARY_PROJECT``, else the current folder.
            db: A database URL overriding the folder's ``review.db`` (also ``$METASUMMARY_DB``).
            actor: Who the session acts as when a call names no one (see :meth:`init`).
        """
        if path is not None and "://" in str(path):
            return cls._open_url(str(path), actor)
        root = Path(path or os.environ.get(PROJECT_ENV) or ".").expanduser()
        protocol_path = root / PROTOCOL_FILE
        if not protocol_path.exists():
            where = "the current folder" if str(root) == "." else str(root)
            raise ProjectError(
                f"{where}: not a metasummary review (no {PROTOCOL_FILE}); "
                "use -p DIR or run 'metasummary init DIR'"
            )
        protocol = load_protocol(protocol_path)
        store = Store(resolve_url(root, db), create=False)
        try:
            project = cls(root, protocol, store, actor)
            project._sync_protocol(protocol_path.read_text(encoding="utf-8-sig"))
            project.swept = project.clean_up()
        except BaseException:
            store.close()
            raise
        return project

    def clean_up(self) -> list[Swept]:
        """Finish or remove what killed runs left in the review folder (temporary copies,
        half-written reports); what was done, for the command to say."""
        if self.root is None:
            return []
        return sweep(review_folders(self.root), adopt=self._adopt_copy)

    def _adopt_copy(self, temporary: Path, target: Path) -> bool:
        # Copies are renamed into place after their commit: the import's, or the PDF's.
        return self.imports.adopt_copy(temporary, target) or self.fulltexts.adopt_copy(
            temporary, target
        )

    @classmethod
    def _open_url(cls, url: str, actor: str | None = None) -> Project:
        store = Store(resolve_url(None, url), create=False)
        try:
            with store.read() as conn:
                text = store_meta.get(conn, PROTOCOL_SNAPSHOT)
            if text is None:
                raise ProtocolError(f"{store.display_url}: the database holds no protocol copy")
            return cls(
                None,
                parse_protocol(text, name=f"{store.display_url} (protocol copy)"),
                store,
                actor,
            )
        except BaseException:
            store.close()
            raise

    def _sync_protocol(self, text: str) -> None:
        with self.store.read() as conn:
            stale = catalog.sync_needed(conn, self.protocol) or (
                store_meta.get(conn, PROTOCOL_SNAPSHOT) != text
            )
        if stale:
            with self.store.write() as conn:
                # The change comes from the file; a session named with --by made it.
                catalog.sync(conn, self.protocol, actor=self.review.actor or PROTOCOL_FILE)
                store_meta.put(conn, PROTOCOL_SNAPSHOT, text)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def protocol_path(self) -> Path | None:
        return self.review.protocol_path

    # -- use cases --------------------------------------------------------------------------

    @cached_property
    def query(self) -> QueryService:
        """The Boolean query: render it per library, lint, test on the records, check seeds."""
        from metasummary.query.service import QueryService

        return QueryService(self.review)

    @cached_property
    def imports(self) -> Imports:
        """Import search-result files; see the import log."""
        from metasummary.imports.files import Imports

        return Imports(self.review)

    @cached_property
    def sources(self) -> SourceEdits:
        """List sources; rename, merge and unmerge them (every change logged, undoable)."""
        from metasummary.imports.source_edits import SourceEdits

        return SourceEdits(self.review)

    @cached_property
    def searches(self) -> Searches:
        """Search open APIs (OpenAlex, arXiv, Crossref, Semantic Scholar) into sources."""
        from metasummary.imports.search import Searches

        return Searches(self.review)

    @cached_property
    def snowball(self) -> Snowball:
        """Snowballing rounds: citations of the included papers, back into screening."""
        from metasummary.snowball import Snowball

        return Snowball(self.review)

    @cached_property
    def exports(self) -> Exports:
        """Write records out as RIS, BibTeX, CSV or a spreadsheet."""
        from metasummary.imports.exports import Exports

        return Exports(self.review)

    @cached_property
    def dedup(self) -> Dedup:
        """Deduplication: find, link, review and unlink duplicate records."""
        from metasummary.dedup.service import Dedup

        return Dedup(self.review)

    @cached_property
    def screening(self) -> Screening:
        """Screening decisions, queues, conflicts and agreement (built on first use)."""
        from metasummary.screening.decisions import Screening

        return Screening(self.review)

    @cached_property
    def decisions(self) -> DecisionExchange:
        """Screening decisions out to files (CSV, XLSX, RIS) and in from them (this tool's
        table, Rayyan, ASReview LAB, Covidence)."""
        from metasummary.screening.exchange import DecisionExchange

        return DecisionExchange(self.review, self.screening)

    def required_votes(self) -> dict[Phase, int]:
        """Votes a record needs in each phase before agreeing votes decide it."""
        return self.review.required_votes()

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
        """
        return self.review.ensure_source(conn, name, kind=kind, actor=actor, **values)

    def add_records(
        self,
        source: str,
        items: Iterable[RecordData],
        *,
        kind: SourceKind = SourceKind.MANUAL,
        actor: str = "",
    ) -> list[int]:
        """Add records by hand (or from code) to ``source``; all of them or none. Their ids."""
        with self.store.write() as conn:
            row = self.ensure_source(conn, source, kind=kind, actor=actor)
            ids = store_records.insert_many(conn, items, source_id=row.id, raw_format="manual")
            events.log(
                conn,
                "records.add",
                entity="source",
                entity_id=row.id,
                actor=self.review.acting(actor),
                payload={"count": len(ids), "first": ids[0] if ids else None},
            )
        return ids

    def record(self, record_id: int) -> StoredRecord:
        """One record by id; :class:`InputError` when there is none."""
        with self.store.read() as conn:
            found = store_records.get(conn, record_id)
        if found is None:
            raise InputError(f"record {record_id}: no such record in this review")
        return found

    @cached_property
    def fulltexts(self) -> FullTexts:
        """Full texts: PDFs attached and read, quotes located, quality assessed, OA fetched."""
        from metasummary.fulltext import FullTexts

        return FullTexts(self.review)

    @cached_property
    def synthesis(self) -> Synthesis:
        """Extraction, findings, card sort, agreement, suggestions and the meta-summary."""
        from metasummary.synthesis.service import Synthesis

        return Synthesis(self.review)

    @cached_property
    def report(self) -> Report:
        """The report: flow table, PRISMA diagram, charts and meta-summary in four formats."""
        from metasummary.report import Report

        return Report(
            self.review,
            synthesis=self.synthesis,
            screening=self.screening,
            query=self.query,
            fulltexts=self.fulltexts,
        )

    @cached_property
    def accounts(self) -> Accounts:
        """Who may sign in to the web app, as owner, reviewer or observer."""
        from metasummary.accounts import Accounts

        return Accounts(self.review)

    def backup(self, into: Path | None = None) -> BackupResult:
        """A consistent copy of the whole review (database, protocol, imported files, full
        texts) in a new folder under ``into`` (default: ``backups/`` in the review folder),
        while others keep working."""
        from metasummary.keeping import back_up

        return back_up(self.review, into)

    @cached_property
    def browser(self) -> RecordBrowser:
        """The records list (filtered, sorted, paged in SQL) and the record page."""
        from metasummary.browse import RecordBrowser

        return RecordBrowser(self.store, self.required_votes(), self.protocol.criteria.codes())

    def check(self) -> list[Inconsistency]:
        """What the stored data cites that the protocol does not list (criteria, stages,
        fields, reviewers, sources), and library ids no reader or query knows."""
        from metasummary.query.libraries import known_library
        from metasummary.review import consistency
        from metasummary.review.consistency import Inconsistency

        found = [
            Inconsistency(
                "library",
                s.library,
                f"sources: {s.name!r} has library {s.library!r}, which metasummary does not "
                "know; use a library id (metasummary query show --help lists them)",
            )
            for s in self.protocol.sources
            if s.library and not known_library(s.library)
        ]
        with self.store.read() as conn:
            return found + consistency.check(conn, self.protocol)

    def data_version(self) -> tuple[int, ...]:
        """Changes whenever the review's data changes (every change is logged), so views
        derived from the data can be kept until it does."""
        with self.store.read() as conn:
            return data_version(conn)

    def records_version(self) -> tuple[int, ...]:
        """Changes whenever anything but the synthesis changes: records, sources, duplicate
        links, decisions, queries. Views of the screening (status counts, agreement, progress,
        conflicts) are kept across a new finding or a card moved on the board."""
        from metasummary.store.versions import version_apart_from
        from metasummary.synthesis.events import EVENT_PREFIXES

        with self.store.read() as conn:
            return version_apart_from(conn, EVENT_PREFIXES)

    def status(self) -> ProjectStatus:
        """Per source and per phase: how many records there are and where they stand.

        The folded counts are kept until the records or decisions change (every change is
        logged in ``events``), so a dashboard asking again and again reads a few rows instead
        of every decision; the synthesis counts beside them are read afresh (three counts).
        """
        from metasummary.store.counts import synthesis_counts
        from metasummary.store.versions import versions_apart_from
        from metasummary.synthesis.events import EVENT_PREFIXES

        with self.store.read() as conn:  # one transaction: the counts match the versions
            everything, version = versions_apart_from(conn, EVENT_PREFIXES)
            counts = self._synthesis_counts
            if counts is None or counts[0] != everything:
                counts = self._synthesis_counts = (everything, synthesis_counts(conn))
        cached = self._status_cache
        if cached is None or cached[0] != version:
            from metasummary.screening.status import collect_status

            cached = self._status_cache = (
                version,
                collect_status(
                    self.store,
                    title=self.protocol.title,
                    path=str(self.root.resolve()) if self.root else "",
                    required=self.required_votes(),
                ),
            )
        result = copy.deepcopy(cached[1])
        result.findings, result.themes, result.sorted_findings = counts[1]
        # The report is files, not data: looked at every time (a manifest and a few stats).
        folder = self.review.report_folder
        written = output_manifest.written(folder, everything) if folder is not None else None
        result.report = written.to_dict() if written is not None else None
        return result
