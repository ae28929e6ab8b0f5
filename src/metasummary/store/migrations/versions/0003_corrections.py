"""corrections: undone imports, merged sources

Revision ID: 0003_corrections
Revises: 0002_fulltexts
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_corrections"
down_revision = "0002_fulltexts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_batches") as batch:
        batch.add_column(sa.Column("retracted_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("retracted_by", sa.String(length=64), server_default="", nullable=False)
        )
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_sources_merged_into_sources"), "sources", ["merged_into"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.drop_constraint(batch.f("fk_sources_merged_into_sources"), type_="foreignkey")
        batch.drop_column("merged_into")
    with op.batch_alter_table("import_batches") as batch:
        batch.drop_column("retracted_by")
        batch.drop_column("retracted_at")
