"""What the home window offers when the drafts database, or one draft, cannot be used.

Never a command to type: the window names what is wrong and offers the action itself.

* **The database** (``DatabaseDamaged`` and its kinds, found when the store opens): restore
  the backup the store would use — named, with its time and contents — and, afterwards, how
  many recorded changes it does not hold (``RestoreResult.hidden_changes``); for a database
  that holds less than it did (a lost ``-wal``) also *go on with what it holds*
  (``keep_current_state``), saying what is kept and what is lost; or *not now* (nothing is
  changed; asked again at the next start, or with the window's 处理… button).
* **One draft** (``DamagedContent``): it is listed as damaged (what is wrong, what to do) and
  the others stay usable; opening it offers the repair (``store.repair.repair_draft``: each
  unreadable value back to its last readable recorded value, or emptied).

Imported only on these paths (not on the way to the first list).
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from giantdesk.forms.messages import Message
from giantdesk.ui import dialogs
from giantdesk.ui import strings as S
from giantdesk.ui.display import error_message, local_time

if TYPE_CHECKING:
    from giantdesk.store import DatabaseDamaged
    from giantdesk.ui.home import HomeWindow

log = logging.getLogger("giantdesk.ui")


# -- the database ----------------------------------------------------------------------------


def backup_text(path: Path) -> Message:
    """The backup a restore will use: where, when it was made, what it holds."""
    from giantdesk.store import marker

    state = marker.read_state(path)
    try:
        when = local_time(datetime.fromtimestamp(path.stat().st_mtime).astimezone())
    except OSError:
        when = "?"
    return S.DB_BACKUP.format(
        path=str(path), when=when, drafts=state.drafts if state else "?",
        last=local_time(state.last_change) if state and state.last_change else "—")


def database_question(exc: DatabaseDamaged) -> tuple[Message, list[tuple[str, Message]]]:
    """The question about a database that cannot be used, and its answers (name, button)."""
    from giantdesk.store import DatabaseBehind

    parts = [S.DB_DAMAGED.format(path=str(exc.path), detail=exc.detail_message)]
    choices: list[tuple[str, Message]] = []
    if exc.newest_backup is not None:
        parts.append(backup_text(exc.newest_backup))
        choices.append(("restore", S.CHOICE_RESTORE))
    if isinstance(exc, DatabaseBehind):
        parts.append(S.DB_KEEP.format(lead=S.DB_KEEP_ALSO if choices else S.DB_KEEP_ONLY))
        choices.append(("keep", S.CHOICE_KEEP))
    if not choices:
        parts.append(S.DB_NO_BACKUP.format(folder=str(exc.path.parent / "backups")))
    else:
        parts.append(S.DB_LATER)
    choices.append(("later", S.CHOICE_LATER))
    return Message("\n\n".join(p.zh for p in parts), "\n\n".join(p.en for p in parts)), choices


def recover_database(home: HomeWindow, exc: DatabaseDamaged) -> bool:
    """Ask what to do about ``exc`` and do it; True when the store is open afterwards. The
    instance lock is let go while the store restores (it refuses while a window holds it)."""
    from giantdesk.store import keep_current_state, open_store, restore_newest_backup

    question, choices = database_question(exc)
    answer = (dialogs.choose(home, S.DAMAGED_TITLE, question, home.lang, choices,
                             escape="later") if len(choices) > 1 else "later")
    if answer == "later":
        home.last_error = question
        home.show_problem(question, recoverable=exc if len(choices) > 1 else None)
        if len(choices) == 1:  # nothing to offer: said once
            dialogs.warn(home, S.DAMAGED_TITLE, question, home.lang)
        return False
    try:
        home.lock.release()
        try:
            if answer == "restore":
                result = restore_newest_backup(home.home, exc.newest_backup)
            else:
                kept = keep_current_state(home.home)
        finally:
            home.lock.acquire()
        home.store = open_store(home.home)
    except Exception as again:
        log.exception("recovering the drafts database failed")
        home.show_problem(error_message(again), recoverable=None)
        home._error(S.DAMAGED_TITLE, error_message(again))
        return False
    if answer == "restore":
        done = S.DB_RESTORED.format(path=str(result.restored_from),
                                    kept=", ".join(str(p.name) for p in result.kept_aside)
                                    or "—")
        if result.hidden_changes:
            hidden = S.DB_HIDDEN.format(n=result.hidden_changes,
                                        when=local_time(result.last_change)
                                        if result.last_change else "?")
            done = Message(f"{done.zh}\n\n{hidden.zh}", f"{done.en}\n\n{hidden.en}")
    else:
        done = S.DB_KEPT.format(drafts=kept.drafts)
    home._info(S.DAMAGED_TITLE, done)
    return True


# -- one draft -------------------------------------------------------------------------------


def problem_lines(definition: Any, problems: list[tuple[str, Message]], lang: str,
                  limit: int = 12) -> tuple[str, str]:
    """The damaged places in the user's words (field labels), and the technical details
    (ids and what the store found) for the dialog's details and the log."""
    words = S.UNREADABLE_VALUE.text(lang)
    lines = []
    for where, _what in problems[:limit]:
        label = definition.label_of(where).text(lang) if definition is not None else where
        lines.append(f"· {label}：{words}" if lang == "zh" else f"· {label}: {words}")
    if len(problems) > limit:
        lines.append(f"……另有 {len(problems) - limit} 处" if lang == "zh"
                     else f"… and {len(problems) - limit} more")
    details = "\n".join(f"{where}: {what.text(lang)}" for where, what in problems)
    return "\n".join(lines), details


def _definition(store: Any, draft_id: int) -> Any:
    from giantdesk.forms.definitions import load_definition

    try:
        return load_definition(store.draft(draft_id).form_id)
    except Exception:  # the form itself is what is damaged
        return None


def damaged_tooltip(store: Any, draft_id: int, problems: list[tuple[str, Message]],
                    lang: str) -> str:
    items, _details = problem_lines(_definition(store, draft_id), problems, lang)
    return S.DRAFT_DAMAGED_TIP.format(n=len(problems), items=items).text(lang)


def offer_repair(home: HomeWindow, draft_id: int, problems: list[tuple[str, Message]],
                 ) -> Message | None:
    """Say what is damaged in the draft and offer to repair it; what the repair did (the
    draft can be opened), or None."""
    from giantdesk.store.repair import repair_draft

    store = home.store
    info = store.draft(draft_id)
    title = info.title or S.UNTITLED.text(home.lang)
    definition = _definition(store, draft_id)
    items_zh, details = problem_lines(definition, problems, "zh")
    items_en, _d = problem_lines(definition, problems, "en")
    head = Message(S.DRAFT_DAMAGED.zh.format(title=title, n=len(problems), items=items_zh),
                   S.DRAFT_DAMAGED.en.format(title=title, n=len(problems), items=items_en))
    log.warning("draft %s is damaged:\n%s", draft_id, details)
    if definition is None:
        message = Message(f"{head.zh}\n\n{S.DRAFT_NO_REPAIR.zh}",
                          f"{head.en}\n\n{S.DRAFT_NO_REPAIR.en}")
        home.last_error = message
        dialogs.warn(home, S.DRAFT_UNAVAILABLE, message, home.lang, details=details)
        return None
    parts = [head, S.DRAFT_REPAIR] + ([S.DRAFT_REPAIR_REOPEN] if info.finalized else [])
    message = Message("\n\n".join(p.zh for p in parts), "\n\n".join(p.en for p in parts))
    home.last_error = message
    repair = S.CHOICE_REOPEN_REPAIR if info.finalized else S.CHOICE_REPAIR
    answer = dialogs.choose(home, S.DRAFT_UNAVAILABLE, message, home.lang,
                            [("repair", repair), ("later", S.CHOICE_NOT_OPEN)],
                            escape="later", details=details)
    if answer != "repair":
        return None
    try:
        if info.finalized:
            store.reopen(draft_id)
        done = repair_draft(store, draft_id)
    except Exception as exc:
        log.exception("repairing draft %s failed", draft_id)
        home._error(S.DRAFT_UNAVAILABLE, error_message(exc))
        return None
    lines = {lang: "\n".join(
        "· " + (S.REPAIRED_RESTORED if r.restored else S.REPAIRED_CLEARED).format(
            where=definition.label_of(r.where).text(lang)).text(lang) for r in done)
        for lang in ("zh", "en")}
    return Message(S.DRAFT_REPAIRED.zh.format(title=title, items=lines["zh"]),
                   S.DRAFT_REPAIRED.en.format(title=title, items=lines["en"]))
