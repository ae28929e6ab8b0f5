"""full texts: PDFs and their pages, finding anchors, open-access look-ups, quality answers

Revision ID: 0002_fulltexts
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0002_fulltexts"
down_revision = "0001"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def _created() -> sa.Column[object]:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "fulltexts",
        _id(),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("stored_path", sa.Text(), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("matched_by", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.Text(), server_default="", nullable=False),
        sa.Column("details", JSON, nullable=False),
        sa.Column("actor", sa.String(length=64), server_default="", nullable=False),
        _created(),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_fulltexts_record_id_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fulltexts")),
        sa.UniqueConstraint("record_id", "version", name=op.f("uq_fulltexts_record_id_version")),
    )
    _index("fulltexts", "record_id", "sha256")
    op.create_table(
        "fulltext_pages",
        _id(),
        sa.Column("fulltext_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("search", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fulltext_id"], ["fulltexts.id"], name=op.f("fk_fulltext_pages_fulltext_id_fulltexts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fulltext_pages")),
        sa.UniqueConstraint("fulltext_id", "page", name=op.f("uq_fulltext_pages_fulltext_id_page")),
    )
    _index("fulltext_pages", "fulltext_id")
    op.create_table(
        "finding_anchors",
        _id(),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("fulltext_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=64), server_default="", nullable=False),
        _created(),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name=op.f("fk_finding_anchors_finding_id_findings")
        ),
        sa.ForeignKeyConstraint(
            ["fulltext_id"],
            ["fulltexts.id"],
            name=op.f("fk_finding_anchors_fulltext_id_fulltexts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_anchors")),
    )
    _index("finding_anchors", "finding_id", "fulltext_id")
    op.create_table(
        "fulltext_fetches",
        _id(),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("service", sa.String(length=32), server_default="", nullable=False),
        sa.Column("url", sa.Text(), server_default="", nullable=False),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.Column("actor", sa.String(length=64), server_default="", nullable=False),
        _created(),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_fulltext_fetches_record_id_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fulltext_fetches")),
    )
    _index("fulltext_fetches", "record_id")
    op.create_table(
        "quality_answers",
        _id(),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("reviewer", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.String(length=64), server_default="", nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        _created(),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_quality_answers_record_id_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_answers")),
    )
    _index("quality_answers", "record_id")


def downgrade() -> None:
    for table in (
        "quality_answers",
        "fulltext_fetches",
        "finding_anchors",
        "fulltext_pages",
        "fulltexts",
    ):
        op.drop_table(table)
