"""The tables of the drafts database (SQLAlchemy Core).

Values are stored per field as the canonical JSON text of ``record.encode_value`` so a draft
gives back exactly the bytes ``record.dumps`` would write. Table rows are stored per cell;
``draft_tables`` remembers which tables the record holds (an empty table is still a table).

The schema is created and changed only by the Alembic migrations in ``migrations/versions``;
this module must describe the head revision (a test compares the two).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

#: The Alembic revision this code reads and writes (checked against the scripts by a test).
SCHEMA_HEAD = "0005"

metadata = MetaData()

enterprises = Table(
    "enterprises", metadata,
    Column("id", Integer, primary_key=True),
    Column("uscc", String(18), nullable=False),
    Column("name", Text, nullable=False, server_default=""),
    Column("created_at", String(27), nullable=False),
    Column("updated_at", String(27), nullable=False),
    UniqueConstraint("uscc", name="uq_enterprises_uscc"),
)

drafts = Table(
    "drafts", metadata,
    Column("id", Integer, primary_key=True),
    Column("form_id", String(64), nullable=False),
    Column("form_version", String(32), nullable=False),
    Column("rules", String(64), nullable=False),
    Column("title", Text, nullable=False, server_default=""),
    Column("status", String(16), nullable=False, server_default="editing"),
    Column("enterprise_id", Integer, ForeignKey("enterprises.id", ondelete="SET NULL"),
           nullable=True),
    Column("created_at", String(27), nullable=False),
    Column("created_by", Text, nullable=False, server_default=""),
    Column("updated_at", String(27), nullable=False),
    Column("updated_by", Text, nullable=False, server_default=""),
    Column("finalized_at", String(27), nullable=True),
    Column("source", Text, nullable=False, server_default=""),
    #: In the recycle bin since (NULL: not deleted); restorable until it is purged.
    Column("deleted_at", String(27), nullable=True),
    #: Contents removed for good (the row stays, so the purge is on record).
    Column("purged_at", String(27), nullable=True),
    Index("ix_drafts_deleted_at", "deleted_at"),
)

field_values = Table(
    "field_values", metadata,
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("field_id", String(128), nullable=False),
    Column("value_json", Text, nullable=False),
    PrimaryKeyConstraint("draft_id", "field_id", name="pk_field_values"),
)

draft_tables = Table(
    "draft_tables", metadata,
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("table_id", String(128), nullable=False),
    Column("row_count", Integer, nullable=False, server_default="0"),
    PrimaryKeyConstraint("draft_id", "table_id", name="pk_draft_tables"),
)

table_cells = Table(
    "table_cells", metadata,
    Column("draft_id", Integer, nullable=False),
    Column("table_id", String(128), nullable=False),
    Column("row_no", Integer, nullable=False),  # 1-based
    Column("column_id", String(128), nullable=False),
    Column("value_json", Text, nullable=False),
    PrimaryKeyConstraint("draft_id", "table_id", "row_no", "column_id", name="pk_table_cells"),
    ForeignKeyConstraint(["draft_id", "table_id"], ["draft_tables.draft_id", "draft_tables.table_id"],
                         ondelete="CASCADE", name="fk_table_cells_table"),
)

#: Text typed into a field / table cell ("table[2].column") that is not (yet) its value: saved
#: while typing, or refused by the parser (the last valid value stays in ``field_values``).
draft_inputs = Table(
    "draft_inputs", metadata,
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("path", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("updated_at", String(27), nullable=False),
    PrimaryKeyConstraint("draft_id", "path", name="pk_draft_inputs"),
)

#: The items to confirm ticked "已核实" on the check page (``forms.progress.Confirm.key``).
draft_confirmations = Table(
    "draft_confirmations", metadata,
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("key", Text, nullable=False),
    Column("confirmed_at", String(27), nullable=False),
    Column("user", Text, nullable=False),
    PrimaryKeyConstraint("draft_id", "key", name="pk_draft_confirmations"),
)

attachments = Table(
    "attachments", metadata,
    Column("id", Integer, primary_key=True),
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("category", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("media_type", String(32), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("stored", Text, nullable=False),  # path relative to the data folder
    Column("added_at", String(27), nullable=False),
    Column("added_by", Text, nullable=False, server_default=""),
    Index("ix_attachments_draft", "draft_id"),
    Index("ix_attachments_sha256", "sha256"),
)

#: Every saved change. ``path`` is a field id, a table id (old/new hold the whole table, so a
#: draft can be rebuilt as of any time), or "@status" / "@title" / "@attachments".
#: ``detail`` names the exact place edited ("innovation.class1_ip[2].number") when it differs.
revisions = Table(
    "revisions", metadata,
    Column("id", Integer, primary_key=True),
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
    Column("at", String(27), nullable=False),
    Column("user", Text, nullable=False, server_default=""),
    Column("action", String(16), nullable=False),
    Column("path", String(160), nullable=False),
    Column("detail", String(200), nullable=False, server_default=""),
    Column("old_json", Text, nullable=True),
    Column("new_json", Text, nullable=True),
    Index("ix_revisions_draft_path", "draft_id", "path"),
    Index("ix_revisions_draft_at", "draft_id", "at"),
)
