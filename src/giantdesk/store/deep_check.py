"""``giantdesk doctor --deep``: SQLite's full integrity check, then every stored value decoded.

Each problem names the draft (when there is one), where (a field, a cell, a revision, a table)
and what is wrong. Nothing is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from giantdesk import fileops
from giantdesk.forms.messages import Message
from giantdesk.store.api import Store
from giantdesk.store.errors import DamagedContent, StoreError
from giantdesk.store.schema import attachments, drafts


@dataclass(frozen=True)
class Finding:
    draft_id: int | None
    where: str | Message  # a field path, or words (a revision, an attachment)
    what: Message

    def text(self, lang: str) -> str:
        head = (Message(f"草稿 {self.draft_id}", f"draft {self.draft_id}").text(lang)
                if self.draft_id is not None else Message("数据库", "database").text(lang))
        where = self.where.text(lang) if isinstance(self.where, Message) else self.where
        return f"{head} {where}: {self.what.text(lang)}"


def deep_check(store: Store) -> list[Finding]:
    """Every problem found in ``store`` (empty: all is readable)."""
    findings: list[Finding] = []
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
        results = [str(r[0]) for r in rows]
        if results != ["ok"]:
            findings.extend(Finding(None, "integrity_check", Message(text, text))
                            for text in results[:20])
        draft_ids = [int(r[0]) for r in conn.execute(select(drafts.c.id).order_by(drafts.c.id))]
        stored = conn.execute(select(attachments.c.draft_id, attachments.c.id,
                                     attachments.c.stored, attachments.c.size,
                                     attachments.c.sha256)).all()
    for info in store.list_drafts(include_bin=True):
        findings.extend(Finding(info.id, "drafts", m) for m in info.problems)
    for draft_id in draft_ids:
        try:
            _record, problems = store.read_record(draft_id)
        except DamagedContent as exc:
            problems = list(exc.problems)
        except StoreError as exc:
            problems = [("drafts", exc.message)]
        findings.extend(Finding(draft_id, where, what) for where, what in problems)
        for revision in store.history(draft_id):
            if revision.problem is not None:
                findings.append(Finding(draft_id, Message(f"修改记录 {revision.id}",
                                                          f"revision {revision.id}"),
                                        revision.problem))
    for draft_id, attachment_id, rel, size, sha256 in stored:
        where = Message(f"附件 {attachment_id}", f"attachment {attachment_id}")
        path = store.layout.root / str(rel)
        try:
            digest = hashlib.sha256()
            length = 0
            with open(path, "rb") as handle:
                while chunk := handle.read(1024 * 1024):
                    digest.update(chunk)
                    length += len(chunk)
        except OSError as exc:
            findings.append(Finding(draft_id, where, Message(
                f"存储的副本 {path} 无法读取（{fileops.os_reason(exc).zh}）",
                f"the stored copy {path} cannot be read ({fileops.os_reason(exc).en})")))
            continue
        if length != size or digest.hexdigest() != sha256:
            findings.append(Finding(draft_id, where, Message(
                f"存储的副本 {path} 与添加时不同", f"the stored copy {path} differs from what was "
                "added")))
    return findings

