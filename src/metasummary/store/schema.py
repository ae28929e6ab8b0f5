"""The review database schema, one definition for SQLite and PostgreSQL.

Evidence is never deleted: duplicates point at their canonical record, decisions are appended,
and every change is written to ``events``. Migrations in ``migrations/versions`` build exactly
this schema (a test compares the two).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

SCHEMA_VERSION = 3
"""Bumped with every migration; stored in ``meta`` beside Alembic's revision."""

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timestamps stored as UTC and always read back timezone-aware, on both engines."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONType: sa.types.TypeEngine[Any] = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


# Bounds of the text columns people type into, in characters (see store/limits.py): the
# databases would take more, but a 50 MB theme label is a mistake or an attack, not a label.
LABEL = 1_000
"""A theme label, a finding's location or value."""
NOTE = 20_000
"""A decision's note, a theme's description."""
FINDING = 100_000
"""A finding: a long quote, or a whole cell of statements before it is split."""
PATH = 4_096
"""A file path or URL."""


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _created() -> sa.Column[datetime]:
    return sa.Column("created_at", UTCDateTime, nullable=False)


meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

sources = sa.Table(
    "sources",
    metadata,
    _id(),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("library", sa.String(64), nullable=False, server_default=""),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("query_text", sa.Text, nullable=False, server_default=""),
    sa.Column("searched_at", UTCDateTime, nullable=True),
    # Counts the library reported that are not held as records (the report marks them).
    sa.Column("reported", JSONType, nullable=True),
    # Kind-specific facts: snowball round, direction and seeds; API name and parameters.
    sa.Column("details", JSONType, nullable=False, default=dict),
    sa.Column("in_protocol", sa.Boolean, nullable=False, server_default=sa.true()),
    _created(),
    # A source merged into another keeps its row (and its name in the log), pointing there;
    # its records and imports moved (``source merge``, undone by ``source unmerge``).
    sa.Column("merged_into", sa.ForeignKey("sources.id"), nullable=True),
)

import_batches = sa.Table(
    "import_batches",
    metadata,
    _id(),
    sa.Column("source_id", sa.ForeignKey("sources.id"), nullable=False, index=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("format", sa.String(32), nullable=False),
    sa.Column("stored_path", sa.Text, nullable=False, server_default=""),
    sa.Column("entries", sa.Integer, nullable=False),
    sa.Column("imported", sa.Integer, nullable=False),
    sa.Column("skipped", sa.Integer, nullable=False, server_default="0"),
    # Entries left out under --skip-bad: index, line, error and raw text of each.
    sa.Column("skipped_entries", JSONType, nullable=False, default=list),
    _created(),
    # An undone import (``import undo``): its rows stay, but its records leave every count,
    # list and export until it is redone. Who and when; the event log keeps every change.
    sa.Column("retracted_at", UTCDateTime, nullable=True),
    sa.Column("retracted_by", sa.String(64), nullable=False, server_default=""),
)

records = sa.Table(
    "records",
    metadata,
    _id(),
    sa.Column("source_id", sa.ForeignKey("sources.id"), nullable=False, index=True),
    sa.Column("batch_id", sa.ForeignKey("import_batches.id"), nullable=True, index=True),
    sa.Column("entry_index", sa.Integer, nullable=True),
    sa.Column("entry_line", sa.Integer, nullable=True),
    sa.Column("original_key", sa.Text, nullable=False, server_default=""),
    sa.Column("title", sa.Text, nullable=False, server_default=""),
    sa.Column("abstract", sa.Text, nullable=False, server_default=""),
    sa.Column("authors", JSONType, nullable=False, default=list),
    sa.Column("year", sa.Integer, nullable=True, index=True),
    sa.Column("venue", sa.Text, nullable=False, server_default=""),
    sa.Column("volume", sa.String(64), nullable=False, server_default=""),
    sa.Column("issue", sa.String(64), nullable=False, server_default=""),
    sa.Column("pages", sa.String(64), nullable=False, server_default=""),
    sa.Column("doi", sa.String(256), nullable=False, server_default="", index=True),
    sa.Column("url", sa.Text, nullable=False, server_default=""),
    sa.Column("keywords", JSONType, nullable=False, default=list),
    sa.Column("type", sa.String(64), nullable=False, server_default=""),
    sa.Column("language", sa.String(32), nullable=False, server_default=""),
    sa.Column("publisher", sa.Text, nullable=False, server_default=""),
    sa.Column("references", JSONType, nullable=False, default=list),
    sa.Column("extra", JSONType, nullable=False, default=dict),
    sa.Column("raw", sa.Text, nullable=False, server_default=""),
    sa.Column("raw_format", sa.String(32), nullable=False, server_default=""),
    # Dedup never deletes: a duplicate points at its canonical record.
    sa.Column("duplicate_of", sa.ForeignKey("records.id"), nullable=True, index=True),
    _created(),
    # The records list's title order, computed and stored by the database on every write
    # (inserts leave it out), indexed with the id so a sorted page reads only its rows.
    sa.Column("title_sort", sa.Text, sa.Computed("lower(title)", persisted=True), nullable=True),
    sa.Index("ix_records_title_sort", "title_sort", "id"),
    # The ids alone: SQLite pages through the list in id order (OFFSET) on this narrow index
    # instead of the whole rows (on PostgreSQL it repeats the primary key: one schema).
    sa.Index("ix_records_id", "id"),
)

record_pairs = sa.Table(
    "record_pairs",
    metadata,
    _id(),
    sa.Column("record_a", sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("record_b", sa.ForeignKey("records.id"), nullable=False, index=True),
    # duplicate | version (conference paper and its journal extension) | related (erratum ...)
    sa.Column("kind", sa.String(16), nullable=False),
    # candidate (waiting for review) | accepted | rejected | auto (linked above the threshold)
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("decided_by", sa.String(64), nullable=False, server_default=""),
    _created(),
    sa.UniqueConstraint("record_a", "record_b"),
)

snowball_origins = sa.Table(
    "snowball_origins",
    metadata,
    _id(),
    sa.Column("record_id", sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("seed_record_id", sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("source_id", sa.ForeignKey("sources.id"), nullable=False, index=True),
    sa.Column("direction", sa.String(16), nullable=False),  # backward | forward
    _created(),
)

api_cache = sa.Table(
    "api_cache",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),  # sha256 of service + request
    sa.Column("service", sa.String(32), nullable=False),
    sa.Column("request", sa.Text, nullable=False),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("fetched_at", UTCDateTime, nullable=False),
)

reviewers = sa.Table(
    "reviewers",
    metadata,
    _id(),
    sa.Column("code", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False, server_default=""),
    sa.Column("email", sa.Text, nullable=False, server_default=""),
    sa.Column("in_protocol", sa.Boolean, nullable=False, server_default=sa.true()),
    _created(),
)

decisions = sa.Table(
    "decisions",
    metadata,
    _id(),
    sa.Column("record_id", sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("phase", sa.String(16), nullable=False),
    sa.Column("reviewer_id", sa.ForeignKey("reviewers.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),  # vote | resolution | retraction
    sa.Column("verdict", sa.String(16), nullable=True),  # include | exclude | maybe
    sa.Column("criteria", JSONType, nullable=False, default=list),
    sa.Column("note", sa.Text, nullable=False, server_default="", info={"max_length": NOTE}),
    sa.Column("pdf", sa.Text, nullable=False, server_default="", info={"max_length": PATH}),
    sa.Column("pilot", sa.Boolean, nullable=False, server_default=sa.false()),
    _created(),
    sa.Index("ix_decisions_record_phase", "record_id", "phase"),
)

extraction_values = sa.Table(
    "extraction_values",
    metadata,
    _id(),
    sa.Column("record_id", sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("field", sa.String(128), nullable=False),
    sa.Column("value", JSONType, nullable=True),
    sa.Column("coder", sa.String(64), nullable=False, server_default=""),
    _created(),
    sa.UniqueConstraint("record_id", "field", "coder"),
)

findings = sa.Table(
    "findings",
    metadata,
    _id(),
    sa.Column("record_id", sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("text", sa.Text, nullable=False, info={"max_length": FINDING}),
    sa.Column("location", sa.Text, nullable=False, server_default="", info={"max_length": LABEL}),
    sa.Column("kind", sa.String(16), nullable=False, server_default="paraphrase"),
    sa.Column("value", sa.Text, nullable=False, server_default="", info={"max_length": LABEL}),
    sa.Column("coder", sa.String(64), nullable=False, server_default=""),
    # A split keeps the original, retired, and points the parts at it.
    sa.Column("parent_id", sa.ForeignKey("findings.id"), nullable=True),
    sa.Column("retired", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    _created(),
)

stages = sa.Table(
    "stages",
    metadata,
    _id(),
    sa.Column("code", sa.String(64), nullable=False, unique=True),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("in_protocol", sa.Boolean, nullable=False, server_default=sa.true()),
    _created(),
)

themes = sa.Table(
    "themes",
    metadata,
    _id(),
    sa.Column("stage_id", sa.ForeignKey("stages.id"), nullable=False, index=True),
    sa.Column("label", sa.Text, nullable=False, info={"max_length": LABEL}),
    sa.Column("description", sa.Text, nullable=False, server_default="", info={"max_length": NOTE}),
    sa.Column("sub_points", JSONType, nullable=False, default=list),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    # A merged theme is kept, retired, pointing at the theme it went into.
    sa.Column("merged_into", sa.ForeignKey("themes.id"), nullable=True),
    sa.Column("retired", sa.Boolean, nullable=False, server_default=sa.false()),
    _created(),
)

assignments = sa.Table(
    "assignments",
    metadata,
    _id(),
    sa.Column("finding_id", sa.ForeignKey("findings.id"), nullable=False, index=True),
    sa.Column("theme_id", sa.ForeignKey("themes.id"), nullable=False, index=True),
    # '' is the consensus sort; a coder id is that coder's independent sort.
    sa.Column("coder", sa.String(64), nullable=False, server_default=""),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    _created(),
    sa.UniqueConstraint("finding_id", "coder"),
)

# -- full texts (guide: the full-text step) ---------------------------------------------------
# A PDF is evidence: never deleted. A second file for a record is its next version.
fulltexts = sa.Table(
    "fulltexts",
    metadata,
    _id(),
    sa.Column("record_id", sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("file_name", sa.Text, nullable=False),
    # Relative to the review folder: fulltexts/<sha256>.pdf
    sa.Column("stored_path", sa.Text, nullable=False),
    sa.Column("bytes", sa.Integer, nullable=False),
    sa.Column("pages", sa.Integer, nullable=False),
    # doi | title | record (forced) | fetch (an open-access copy)
    sa.Column("matched_by", sa.String(16), nullable=False),
    sa.Column("origin", sa.Text, nullable=False, server_default=""),
    # How it matched (the DOI or title score), the PDF's metadata, pages without text.
    sa.Column("details", JSONType, nullable=False, default=dict),
    sa.Column("actor", sa.String(64), nullable=False, server_default=""),
    _created(),
    sa.UniqueConstraint("record_id", "version"),
)

fulltext_pages = sa.Table(
    "fulltext_pages",
    metadata,
    _id(),
    sa.Column("fulltext_id", sa.ForeignKey("fulltexts.id"), nullable=False, index=True),
    sa.Column("page", sa.Integer, nullable=False),  # 1-based
    # Character offset of the page in the document's text (pages joined in order).
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),  # as extracted: quotes are cut from this
    # Ligatures, hyphenation and split accents repaired: what searches read.
    sa.Column("search", sa.Text, nullable=False),
    sa.UniqueConstraint("fulltext_id", "page"),
)

# Where a finding was cut from: the page and the character offsets in that page's text.
# Appended, never changed: the latest row of a finding is its place.
finding_anchors = sa.Table(
    "finding_anchors",
    metadata,
    _id(),
    sa.Column("finding_id", sa.ForeignKey("findings.id"), nullable=False, index=True),
    sa.Column("fulltext_id", sa.ForeignKey("fulltexts.id"), nullable=False, index=True),
    sa.Column("page", sa.Integer, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("actor", sa.String(64), nullable=False, server_default=""),
    _created(),
)

# Open-access look-ups: what each service answered for a record (found, or not).
fulltext_fetches = sa.Table(
    "fulltext_fetches",
    metadata,
    _id(),
    sa.Column("record_id", sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("status", sa.String(16), nullable=False),  # found | not-found | failed
    sa.Column("service", sa.String(32), nullable=False, server_default=""),
    sa.Column("url", sa.Text, nullable=False, server_default=""),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Column("actor", sa.String(64), nullable=False, server_default=""),
    _created(),
)

# Quality assessment: one answer of one reviewer to one checklist question about a paper.
# Appended: a reviewer's latest answer stands; an empty answer withdraws it.
quality_answers = sa.Table(
    "quality_answers",
    metadata,
    _id(),
    sa.Column("record_id", sa.ForeignKey("records.id"), nullable=False, index=True),
    sa.Column("question", sa.String(64), nullable=False),
    sa.Column("reviewer", sa.String(64), nullable=False),
    sa.Column("answer", sa.String(64), nullable=False, server_default=""),
    sa.Column("note", sa.Text, nullable=False, server_default="", info={"max_length": NOTE}),
    _created(),
)

query_versions = sa.Table(
    "query_versions",
    metadata,
    _id(),
    sa.Column("query", JSONType, nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
    sa.Column("hits", JSONType, nullable=False, default=dict),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    _created(),
)

events = sa.Table(
    "events",
    metadata,
    _id(),
    sa.Column("actor", sa.String(64), nullable=False, server_default=""),
    sa.Column("action", sa.String(64), nullable=False, index=True),
    sa.Column("entity", sa.String(32), nullable=False, server_default=""),
    sa.Column("entity_id", sa.Integer, nullable=True),
    # What undo needs: the state before and after the change.
    sa.Column("payload", JSONType, nullable=False, default=dict),
    sa.Column("undoes", sa.ForeignKey("events.id"), nullable=True),
    sa.Column("undone", sa.Boolean, nullable=False, server_default=sa.false()),
    _created(),
)

# -- a team: who may sign in, as what (accounts/), and the sign-ins tried -----------------------

accounts = sa.Table(
    "accounts",
    metadata,
    _id(),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("full_name", sa.Text, nullable=False, server_default=""),
    sa.Column("role", sa.String(16), nullable=False),  # owner | reviewer | observer
    # The protocol reviewer (R1, R2 ...) the account votes as; one account per reviewer.
    sa.Column("reviewer_id", sa.ForeignKey("reviewers.id"), nullable=True, unique=True),
    # argon2id, with its parameters and salt; '' when the account signs in only through OIDC.
    sa.Column("password_hash", sa.Text, nullable=False, server_default=""),
    # The OpenID Connect provider's ``sub`` for this person, when they sign in that way.
    sa.Column("oidc_subject", sa.String(255), nullable=True, unique=True),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    # Bumped by a new password or disabling: every session signed before it stops working.
    sa.Column("generation", sa.Integer, nullable=False, server_default="0"),
    _created(),
)

sign_ins = sa.Table(
    "sign_ins",
    metadata,
    _id(),
    sa.Column("name", sa.String(64), nullable=False),  # as given, account or not
    sa.Column("address", sa.String(64), nullable=False, server_default=""),
    sa.Column("method", sa.String(16), nullable=False),  # password | oidc
    sa.Column("ok", sa.Boolean, nullable=False),
    _created(),
    # The rate limit counts recent failures per name and per address.
    sa.Index("ix_sign_ins_name_created_at", "name", "created_at"),
    sa.Index("ix_sign_ins_address_created_at", "address", "created_at"),
)

screening_claims = sa.Table(
    "screening_claims",
    metadata,
    _id(),
    # The record (its group's canonical one) a reviewer has on screen, so a team's screening
    # pages offer others different records. Presence, not evidence: one row per reviewer and
    # phase, moved as they go, and ignored once expired.
    sa.Column("reviewer_id", sa.ForeignKey("reviewers.id"), nullable=False),
    sa.Column("phase", sa.String(16), nullable=False),
    sa.Column("record_id", sa.ForeignKey("records.id"), nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("reviewer_id", "phase"),
)
