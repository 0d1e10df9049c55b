"""Index revisions by time (restoring a draft as of a moment reads them in time order).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_revisions_draft_at", "revisions", ["draft_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_revisions_draft_at", table_name="revisions")
