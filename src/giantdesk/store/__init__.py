"""Drafts: SQLAlchemy models, autosave, revisions, backup. No Qt here."""
