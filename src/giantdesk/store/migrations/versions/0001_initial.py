"""Initial schema: enterprises, drafts, values, tables, attachments, revisions.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.String(27)


def upgrade() -> None:
    op.create_table(
        "enterprises",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("name", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("uscc", name="uq_enterprises_uscc"),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("form_id", sa.String(64), nullable=False),
        sa.Column("form_version", sa.String(32), nullable=False),
        sa.Column("rules", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False, server_default="editing"),
        sa.Column("enterprise_id", sa.Integer,
                  sa.ForeignKey("enterprises.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False, server_default=""),
        sa.Column("finalized_at", TS, nullable=True),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "field_values",
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("drafts.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("field_id", sa.String(128), nullable=False),
        sa.Column("value_json", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("draft_id", "field_id", name="pk_field_values"),
    )
    op.create_table(
        "draft_tables",
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("drafts.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("table_id", sa.String(128), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("draft_id", "table_id", name="pk_draft_tables"),
    )
    op.create_table(
        "table_cells",
        sa.Column("draft_id", sa.Integer, nullable=False),
        sa.Column("table_id", sa.String(128), nullable=False),
        sa.Column("row_no", sa.Integer, nullable=False),
        sa.Column("column_id", sa.String(128), nullable=False),
        sa.Column("value_json", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("draft_id", "table_id", "row_no", "column_id",
                                name="pk_table_cells"),
        sa.ForeignKeyConstraint(["draft_id", "table_id"],
                                ["draft_tables.draft_id", "draft_tables.table_id"],
                                ondelete="CASCADE", name="fk_table_cells_table"),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("drafts.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("media_type", sa.String(32), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("stored", sa.Text, nullable=False),
        sa.Column("added_at", TS, nullable=False),
        sa.Column("added_by", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_attachments_draft", "attachments", ["draft_id"])
    op.create_index("ix_attachments_sha256", "attachments", ["sha256"])
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("drafts.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("user", sa.Text, nullable=False, server_default=""),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("path", sa.String(160), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False, server_default=""),
        sa.Column("old_json", sa.Text, nullable=True),
        sa.Column("new_json", sa.Text, nullable=True),
    )
    op.create_index("ix_revisions_draft_path", "revisions", ["draft_id", "path"])


def downgrade() -> None:
    for table in ("revisions", "attachments", "table_cells", "draft_tables", "field_values",
                  "drafts", "enterprises"):
        op.drop_table(table)
