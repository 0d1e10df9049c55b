"""The items a user confirmed ("已核实") on a draft's check page, kept with the draft.

``draft_confirmations`` holds one row per confirmed item: its key (``forms.progress.Confirm.key``
— the finding with its numbers, so a confirmation is asked again when they change), when and by
whom. Not a revision: no value changes. Additive: no existing table changes.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draft_confirmations",
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("drafts.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("confirmed_at", sa.String(27), nullable=False),
        sa.Column("user", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("draft_id", "key", name="pk_draft_confirmations"),
    )


def downgrade() -> None:
    op.drop_table("draft_confirmations")
