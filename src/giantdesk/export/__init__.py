"""Canonical JSON, DOCX, PDF, entry sheet, bundle, signing, verify. No Qt here."""
