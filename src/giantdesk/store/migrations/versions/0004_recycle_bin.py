"""The drafts recycle bin: a deleted draft is kept (restorable) for 30 days, then its contents
are purged and only the row with its times stays, so the purge itself is on record.

``deleted_at``: in the bin since (NULL: not deleted); ``purged_at``: contents removed for good.
Additive: two nullable columns and an index.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("drafts", sa.Column("deleted_at", sa.String(27), nullable=True))
    op.add_column("drafts", sa.Column("purged_at", sa.String(27), nullable=True))
    op.create_index("ix_drafts_deleted_at", "drafts", ["deleted_at"])


def downgrade() -> None:
    op.drop_index("ix_drafts_deleted_at", table_name="drafts")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("purged_at")
        batch.drop_column("deleted_at")
