"""Text being typed (or refused by the parser) per field, kept beside the draft's values.

``draft_inputs`` holds what the user typed into a field or table cell and has not (yet) become
a value: the GUI saves it a moment after the last keystroke, so a crash loses nothing on
screen, and a refused text (a date that is not a date) is kept without removing the last valid
value. Additive: no existing table changes.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draft_inputs",
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("drafts.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("path", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(27), nullable=False),
        sa.PrimaryKeyConstraint("draft_id", "path", name="pk_draft_inputs"),
    )


def downgrade() -> None:
    op.drop_table("draft_inputs")
