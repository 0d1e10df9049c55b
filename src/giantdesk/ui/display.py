"""Small display helpers shared by the windows: local times, the message of an error."""

from __future__ import annotations

import re
from typing import Any

from giantdesk.forms.messages import Message
from giantdesk.ui import strings as S


def local_time(moment: Any) -> str:
    return str(moment.astimezone().strftime("%Y-%m-%d %H:%M"))


#: "(giantdesk drafts reopen 3)": a command the command line tells its user to type.
_COMMAND = re.compile(r"\s*[（(][^（）()]*\bgiantdesk [^（）()]*[）)]")


def error_message(exc: BaseException) -> Message:
    """The bilingual message of a core error in the window's words, or the exception's text.

    The core's messages are also the command line's, and some name a command to run; a window
    says what it offers instead (the command line keeps its words): a finalized draft is
    reopened with 重新打开, a damaged database is dealt with at the next start, a damaged
    draft is repaired from the home window. Any other "(giantdesk …)" is left out."""
    from giantdesk.store import errors as E

    if isinstance(exc, E.DraftFinalized):
        return S.DRAFT_IS_FINALIZED.format(id=exc.draft_id)
    if isinstance(exc, E.DraftInBin):
        return S.DRAFT_IS_IN_BIN.format(id=exc.draft_id)
    if isinstance(exc, E.FinalizedNeedsConfirmation):
        return S.DRAFT_NEEDS_CONFIRMING.format(id=exc.draft_id)
    if isinstance(exc, E.DamagedContent):
        return S.DRAFT_DAMAGED_SHORT.format(id=exc.draft_id if exc.draft_id is not None else "?",
                                            n=len(exc.problems))
    if isinstance(exc, E.DatabaseDamaged):
        return S.DB_GONE_BAD.format(path=str(exc.path), detail=exc.detail_message)
    message = getattr(exc, "message", None)
    if isinstance(message, Message):
        return Message(_COMMAND.sub("", message.zh), _COMMAND.sub("", message.en))
    text = str(exc) or type(exc).__name__
    return Message(text, text)
