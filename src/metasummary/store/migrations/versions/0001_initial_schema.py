"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# JSONB on PostgreSQL for indexable documents; JSON (text) on SQLite.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_cache",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_api_cache")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("actor", sa.String(length=64), server_default="", nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), server_default="", nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("undoes", sa.Integer(), nullable=True),
        sa.Column("undone", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["undoes"], ["events.id"], name=op.f("fk_events_undoes_events")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_action"), ["action"], unique=False)

    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.create_table(
        "query_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("query", JSON, nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("hits", JSON, nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_query_versions")),
    )
    with op.batch_alter_table("query_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_query_versions_fingerprint"), ["fingerprint"], unique=False
        )

    op.create_table(
        "reviewers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), server_default="", nullable=False),
        sa.Column("email", sa.Text(), server_default="", nullable=False),
        sa.Column("in_protocol", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviewers")),
        sa.UniqueConstraint("code", name=op.f("uq_reviewers_code")),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("library", sa.String(length=64), server_default="", nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("query_text", sa.Text(), server_default="", nullable=False),
        sa.Column("searched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported", JSON, nullable=True),
        sa.Column("details", JSON, nullable=False),
        sa.Column("in_protocol", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_sources_name")),
    )
    op.create_table(
        "stages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("in_protocol", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stages")),
        sa.UniqueConstraint("code", name=op.f("uq_stages_code")),
    )
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("stored_path", sa.Text(), server_default="", nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), server_default="0", nullable=False),
        sa.Column("skipped_entries", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_import_batches_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_batches_sha256"), ["sha256"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_import_batches_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("sub_points", JSON, nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("retired", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into"], ["themes.id"], name=op.f("fk_themes_merged_into_themes")
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"], ["stages.id"], name=op.f("fk_themes_stage_id_stages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_themes")),
    )
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_themes_stage_id"), ["stage_id"], unique=False)

    op.create_table(
        "records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("entry_index", sa.Integer(), nullable=True),
        sa.Column("entry_line", sa.Integer(), nullable=True),
        sa.Column("original_key", sa.Text(), server_default="", nullable=False),
        sa.Column("title", sa.Text(), server_default="", nullable=False),
        sa.Column("abstract", sa.Text(), server_default="", nullable=False),
        sa.Column("authors", JSON, nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("venue", sa.Text(), server_default="", nullable=False),
        sa.Column("volume", sa.String(length=64), server_default="", nullable=False),
        sa.Column("issue", sa.String(length=64), server_default="", nullable=False),
        sa.Column("pages", sa.String(length=64), server_default="", nullable=False),
        sa.Column("doi", sa.String(length=256), server_default="", nullable=False),
        sa.Column("url", sa.Text(), server_default="", nullable=False),
        sa.Column("keywords", JSON, nullable=False),
        sa.Column("type", sa.String(length=64), server_default="", nullable=False),
        sa.Column("language", sa.String(length=32), server_default="", nullable=False),
        sa.Column("publisher", sa.Text(), server_default="", nullable=False),
        sa.Column("references", JSON, nullable=False),
        sa.Column("extra", JSON, nullable=False),
        sa.Column("raw", sa.Text(), server_default="", nullable=False),
        sa.Column("raw_format", sa.String(length=32), server_default="", nullable=False),
        sa.Column("duplicate_of", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "title_sort", sa.Text(), sa.Computed("lower(title)", persisted=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_records_batch_id_import_batches")
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of"], ["records.id"], name=op.f("fk_records_duplicate_of_records")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_records_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_records")),
    )
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_records_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_records_doi"), ["doi"], unique=False)
        batch_op.create_index(batch_op.f("ix_records_duplicate_of"), ["duplicate_of"], unique=False)
        batch_op.create_index(batch_op.f("ix_records_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_records_year"), ["year"], unique=False)
        batch_op.create_index("ix_records_title_sort", ["title_sort", "id"], unique=False)
        batch_op.create_index("ix_records_id", ["id"], unique=False)

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=True),
        sa.Column("criteria", JSON, nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("pdf", sa.Text(), server_default="", nullable=False),
        sa.Column("pilot", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_decisions_record_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["reviewers.id"], name=op.f("fk_decisions_reviewer_id_reviewers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_record_id"), ["record_id"], unique=False)
        batch_op.create_index("ix_decisions_record_phase", ["record_id", "phase"], unique=False)
        batch_op.create_index(batch_op.f("ix_decisions_reviewer_id"), ["reviewer_id"], unique=False)

    op.create_table(
        "extraction_values",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=128), nullable=False),
        sa.Column("value", JSON, nullable=True),
        sa.Column("coder", sa.String(length=64), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_extraction_values_record_id_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extraction_values")),
        sa.UniqueConstraint(
            "record_id", "field", "coder", name=op.f("uq_extraction_values_record_id_field_coder")
        ),
    )
    with op.batch_alter_table("extraction_values", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_extraction_values_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), server_default="", nullable=False),
        sa.Column("kind", sa.String(length=16), server_default="paraphrase", nullable=False),
        sa.Column("value", sa.Text(), server_default="", nullable=False),
        sa.Column("coder", sa.String(length=64), server_default="", nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("retired", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["findings.id"], name=op.f("fk_findings_parent_id_findings")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_findings_record_id_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_findings_record_id"), ["record_id"], unique=False)

    op.create_table(
        "record_pairs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_a", sa.Integer(), nullable=False),
        sa.Column("record_b", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("decided_by", sa.String(length=64), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_a"], ["records.id"], name=op.f("fk_record_pairs_record_a_records")
        ),
        sa.ForeignKeyConstraint(
            ["record_b"], ["records.id"], name=op.f("fk_record_pairs_record_b_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_pairs")),
        sa.UniqueConstraint("record_a", "record_b", name=op.f("uq_record_pairs_record_a_record_b")),
    )
    with op.batch_alter_table("record_pairs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_pairs_record_a"), ["record_a"], unique=False)
        batch_op.create_index(batch_op.f("ix_record_pairs_record_b"), ["record_b"], unique=False)

    op.create_table(
        "snowball_origins",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("seed_record_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_snowball_origins_record_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["seed_record_id"],
            ["records.id"],
            name=op.f("fk_snowball_origins_seed_record_id_records"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_snowball_origins_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snowball_origins")),
    )
    with op.batch_alter_table("snowball_origins", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_snowball_origins_record_id"), ["record_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_snowball_origins_seed_record_id"), ["seed_record_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_snowball_origins_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("coder", sa.String(length=64), server_default="", nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name=op.f("fk_assignments_finding_id_findings")
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name=op.f("fk_assignments_theme_id_themes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint("finding_id", "coder", name=op.f("uq_assignments_finding_id_coder")),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_finding_id"), ["finding_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_theme_id"), ["theme_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_theme_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_finding_id"))

    op.drop_table("assignments")
    with op.batch_alter_table("snowball_origins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_snowball_origins_source_id"))
        batch_op.drop_index(batch_op.f("ix_snowball_origins_seed_record_id"))
        batch_op.drop_index(batch_op.f("ix_snowball_origins_record_id"))

    op.drop_table("snowball_origins")
    with op.batch_alter_table("record_pairs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_pairs_record_b"))
        batch_op.drop_index(batch_op.f("ix_record_pairs_record_a"))

    op.drop_table("record_pairs")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_findings_record_id"))

    op.drop_table("findings")
    with op.batch_alter_table("extraction_values", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_extraction_values_record_id"))

    op.drop_table("extraction_values")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_reviewer_id"))
        batch_op.drop_index("ix_decisions_record_phase")
        batch_op.drop_index(batch_op.f("ix_decisions_record_id"))

    op.drop_table("decisions")
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index("ix_records_id")
        batch_op.drop_index("ix_records_title_sort")
        batch_op.drop_index(batch_op.f("ix_records_year"))
        batch_op.drop_index(batch_op.f("ix_records_source_id"))
        batch_op.drop_index(batch_op.f("ix_records_duplicate_of"))
        batch_op.drop_index(batch_op.f("ix_records_doi"))
        batch_op.drop_index(batch_op.f("ix_records_batch_id"))

    op.drop_table("records")
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_themes_stage_id"))

    op.drop_table("themes")
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batches_source_id"))
        batch_op.drop_index(batch_op.f("ix_import_batches_sha256"))

    op.drop_table("import_batches")
    op.drop_table("stages")
    op.drop_table("sources")
    op.drop_table("reviewers")
    with op.batch_alter_table("query_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_query_versions_fingerprint"))

    op.drop_table("query_versions")
    op.drop_table("meta")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_action"))

    op.drop_table("events")
    op.drop_table("api_cache")
