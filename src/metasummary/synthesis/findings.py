"""Findings: the statements and verbatim quotes extracted from included papers.

A finding has its paper, a location (page or section), a kind (quote or paraphrase), an
optional percentage or count the paper reports, and the coder who extracted it. Edits are
logged with the text before and after; a split retires the original and points its parts at
it (``parent_id``), and the parts take the original's place in every coder's sort.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.review import Review
from metasummary.store import events
from metasummary.store import findings as store_findings
from metasummary.store import records as store_records
from metasummary.store import themes as store_themes
from metasummary.store.findings import FindingRow
from metasummary.synthesis.findings_sheet import FindingsImport, export_findings, import_findings
from metasummary.synthesis.papers import load_corpus
from metasummary.synthesis.statements import Split, check_kind


@dataclass(frozen=True, slots=True)
class Finding:
    id: int
    record_id: int
    text: str
    location: str
    kind: str
    value: str
    coder: str
    parent_id: int | None
    retired: bool
    position: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class FindingHistory:
    """A finding, the finding it was split from, its parts, and the logged changes."""

    finding: Finding
    parent: Finding | None
    parts: list[Finding]
    changes: list[dict[str, Any]]


def to_finding(row: FindingRow) -> Finding:
    return Finding(
        row.id,
        row.record_id,
        row.text,
        row.location,
        row.kind,
        row.value,
        row.coder,
        row.parent_id,
        row.retired,
        row.position,
    )


class Findings:
    """Findings of the review (``project.synthesis.findings``)."""

    def __init__(self, review: Review) -> None:
        self.review = review

    def find(
        self,
        *,
        record_id: int | None = None,
        include_retired: bool = False,
        unsorted_for: str | None = None,
    ) -> list[Finding]:
        """Findings by paper; ``unsorted_for`` keeps those not in that coder's sort."""
        with self.review.store.read() as conn:
            rows = store_findings.list_all(
                conn,
                active_only=not include_retired,
                record_ids=[record_id] if record_id is not None else None,
            )
            if unsorted_for is not None:
                placed = {
                    a.finding_id for a in store_themes.list_assignments(conn, coder=unsorted_for)
                }
                rows = [r for r in rows if r.id not in placed]
        return [to_finding(r) for r in rows]

    def get(self, finding_id: int) -> Finding:
        with self.review.store.read() as conn:
            return to_finding(_row(conn, finding_id))

    def add(
        self,
        record_id: int,
        text: str,
        *,
        location: str = "",
        kind: str = "paraphrase",
        value: str = "",
        coder: str = "",
        actor: str = "",
        also: Callable[[sa.Connection, int], None] | None = None,
    ) -> Finding:
        """Add one finding to an included paper; ``also`` writes more about it (its place
        in the paper) in the same transaction."""
        text = _text(text)
        kind = check_kind(kind)
        with self.review.store.write() as conn:
            corpus = load_corpus(conn, self.review.required_votes())
            if store_records.get(conn, record_id) is None:
                raise InputError(f"record {record_id}: no such record in this review")
            if not corpus.is_included(record_id):
                raise InputError(f"record {record_id} is not included at full text")
            paper = corpus.paper_of(record_id)
            finding_id = store_findings.insert(
                conn,
                record_id=paper,
                text=text,
                location=location.strip(),
                kind=kind,
                value=value.strip(),
                coder=coder,
                position=store_findings.next_position(conn, paper),
            )
            events.log(
                conn,
                "finding.add",
                entity="finding",
                entity_id=finding_id,
                actor=actor,
                payload={"record": paper, "text": text},
            )
            if also is not None:
                also(conn, finding_id)
            return to_finding(_row(conn, finding_id))

    def edit(
        self,
        finding_id: int,
        *,
        text: str | None = None,
        location: str | None = None,
        kind: str | None = None,
        value: str | None = None,
        actor: str = "",
    ) -> Finding:
        """Change a finding in place; the event log keeps what it said before."""
        changes: dict[str, str] = {}
        if text is not None:
            changes["text"] = _text(text)
        if location is not None:
            changes["location"] = location.strip()
        if kind is not None:
            changes["kind"] = check_kind(kind)
        if value is not None:
            changes["value"] = value.strip()
        if not changes:
            raise InputError("nothing to change: give --text, --location, --kind or --value")
        with self.review.store.write() as conn:
            row = _active_row(conn, finding_id)
            before = {k: getattr(row, k) for k in changes}
            store_findings.update(conn, finding_id, **changes)
            events.log(
                conn,
                "finding.edit",
                entity="finding",
                entity_id=finding_id,
                actor=actor,
                payload={"before": before, "after": changes},
            )
            return to_finding(_row(conn, finding_id))

    def split(self, finding_id: int, parts: list[str], *, actor: str = "") -> list[Finding]:
        """Replace a finding by two or more parts; they inherit its place in every sort."""
        texts = [" ".join(p.split()) for p in parts if p.strip()]
        if len(texts) < 2:
            raise InputError("a split needs two or more non-empty parts")
        with self.review.store.write() as conn:
            row = _active_row(conn, finding_id)
            ids = [
                store_findings.insert(
                    conn,
                    record_id=row.record_id,
                    text=text,
                    location=row.location,
                    kind=row.kind,
                    value=row.value,
                    coder=row.coder,
                    parent_id=row.id,
                    position=row.position,
                )
                for text in texts
            ]
            store_findings.update(conn, finding_id, retired=True)
            placed = store_themes.list_assignments(conn, finding_ids=[finding_id])
            for assignment in placed:
                for part in ids:
                    store_themes.insert_assignment(
                        conn,
                        finding_id=part,
                        theme_id=assignment.theme_id,
                        coder=assignment.coder,
                        position=store_themes.next_assignment_position(
                            conn, assignment.theme_id, assignment.coder
                        ),
                    )
            events.log(
                conn,
                "finding.split",
                entity="finding",
                entity_id=finding_id,
                actor=actor,
                payload={"parts": ids, "texts": texts},
            )
            return [to_finding(_row(conn, i)) for i in ids]

    def history(self, finding_id: int) -> FindingHistory:
        with self.review.store.read() as conn:
            row = _row(conn, finding_id)
            parent = _row(conn, row.parent_id) if row.parent_id is not None else None
            parts = [_row(conn, i) for i in store_findings.children(conn, finding_id)]
            changes = [
                {"action": e.action, "actor": e.actor, "at": e.created_at.isoformat(), **e.payload}
                for e in store_findings.events_of(conn, finding_id)
            ]
        return FindingHistory(
            to_finding(row),
            to_finding(parent) if parent else None,
            [to_finding(p) for p in parts],
            changes,
        )

    def import_file(
        self,
        path: Path,
        *,
        split: Split = Split.NONE,
        separator: str = "",
        text_column: str | None = None,
        coder: str = "",
        add_missing: bool = False,
        actor: str = "",
    ) -> FindingsImport:
        """Read findings from a sheet, all or none (see :mod:`.findings_sheet`)."""
        return import_findings(
            self.review,
            path,
            split=split,
            separator=separator,
            text_column=text_column,
            coder=coder,
            add_missing=add_missing,
            actor=actor,
        )

    def export(self, path: Path, *, coder: str = "") -> int:
        """Write every active finding with its stage and theme in ``coder``'s sort."""
        return export_findings(self.review, path, coder=coder)


def _text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InputError("a finding needs its text")
    return cleaned


def _row(conn: sa.Connection, finding_id: int) -> FindingRow:
    row = store_findings.get(conn, finding_id)
    if row is None:
        raise InputError(f"finding {finding_id}: no such finding (see: metasummary findings list)")
    return row


def _active_row(conn: sa.Connection, finding_id: int) -> FindingRow:
    row = _row(conn, finding_id)
    if row.retired:
        parts = ", ".join(str(i) for i in store_findings.children(conn, finding_id))
        raise InputError(f"finding {finding_id} was split into {parts}; change those instead")
    return row
