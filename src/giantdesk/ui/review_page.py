"""The “审阅 / Review” page, the step before 核对与导出: every part with its completeness, what is
to fill, what is to correct and what to confirm, in one place; each a way back to its field.

Everything comes from the core (``forms.progress``): the same counts as the parts list, the
same items to confirm as the check page, the same criteria lines as the eligibility panel.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from giantdesk.forms.messages import Message
from giantdesk.forms.progress import (
    KIND_WORDS,
    Kind,
    PartState,
    eligibility,
    items_to_confirm,
    kind_of,
    root_id,
    to_fill_count,
)
from giantdesk.forms.record import Problem
from giantdesk.ui import strings as S
from giantdesk.ui.links import LinkLabel
from giantdesk.ui.wizard import state_icon

PATH_ROLE = Qt.ItemDataRole.UserRole
PART_ROLE = Qt.ItemDataRole.UserRole + 1


def _kind_line(kind: Kind, message: Message) -> Message:
    word = KIND_WORDS[kind]
    return Message(f"{word.zh} · {message.zh}", f"{word.en} · {message.en}")


class ReviewPage(QScrollArea):
    #: The user chose a problem: go to this field / table path.
    go_to = Signal(str)
    #: The user chose a part: show it.
    go_to_part = Signal(int)

    def __init__(self, view: Any, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPage")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.view = view
        self.lang = lang
        #: How many files are attached (store mode; None: no attachments page).
        self.attachment_count: Callable[[], int] | None = None
        #: Problems, to fill / to correct / to confirm, when last shown (tests, the parts list).
        self.counts: dict[Kind, int] = {k: 0 for k in Kind}
        body = QWidget(self)
        body.setObjectName("pageBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 16, 20, 20)
        layout.setSpacing(6)
        self.title = QLabel(body)
        self.title.setObjectName("partTitle")
        layout.addWidget(self.title)
        self.note = QLabel(body)
        self.note.setObjectName("partNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.criteria = LinkLabel(body)  # each criterion's link: Tab after the list, Enter
        self.criteria.setObjectName("reviewCriteria")
        self.criteria.linkActivated.connect(self._link)
        layout.addWidget(self.criteria)
        self.tree = QTreeWidget(body)
        self.tree.setObjectName("reviewTree")
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.itemActivated.connect(self._activated)
        layout.addWidget(self.tree, 1)
        self.attachments = QLabel(body)
        self.attachments.setObjectName("reviewAttachments")
        self.attachments.setWordWrap(True)
        layout.addWidget(self.attachments)
        self.setWidget(body)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the wizard focuses its first input
        self.retranslate(lang)

    # -- the review ---------------------------------------------------------------------------

    def refresh(self) -> None:
        lang, view = self.lang, self.view
        live = view.live
        definition = live.scope.definition
        found = live.problems()
        parts = view.part_states(found)
        confirm = items_to_confirm(live, found)
        problems: dict[str, list[tuple[Kind, Message, str]]] = {}

        def add(path: str, kind: Kind, message: Message) -> None:
            part = definition.part_of(root_id(path))
            if part is not None:
                problems.setdefault(part.id, []).append((kind, message, path))

        refused: list[Problem] = view.refused_problems()
        for p in refused:
            add(p.path, Kind.WRONG, p.message)
        taken = {p.path for p in refused}
        for p in found.errors:
            if p.path not in taken:
                add(p.path, kind_of(p), p.message)
        for c in confirm:
            if c.path:
                add(c.path, Kind.CONFIRM, c.message)
        self.counts = {k: sum(1 for items in problems.values() for kind, _m, _p in items
                              if kind is k) for k in Kind}
        heads = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        expanded = {str(h.data(0, PART_ROLE)) for h in heads if h is not None and h.isExpanded()}
        first = self.tree.topLevelItemCount() == 0
        self.tree.clear()
        for progress in parts:
            if progress.state is PartState.RECOMMENDER:
                continue
            part = progress.part
            head = QTreeWidgetItem(self.tree, [
                f"{part.number.text(lang)}、{part.title.text(lang)} — "
                f"{progress.summary.text(lang)}" if lang == "zh" else
                f"{part.number.text(lang)}. {part.title.text(lang)} — "
                f"{progress.summary.text(lang)}"])
            head.setIcon(0, state_icon(progress.state))
            head.setData(0, PART_ROLE, part.id)
            head.setData(0, PATH_ROLE, f"part:{progress.index}")
            order = {Kind.WRONG: 0, Kind.TO_FILL: 1, Kind.CONFIRM: 2}
            for kind, message, path in sorted(problems.get(part.id, []),
                                              key=lambda item: order[item[0]]):
                child = QTreeWidgetItem(head, [_kind_line(kind, message).text(lang)])
                child.setData(0, PATH_ROLE, path)
                child.setToolTip(0, S.GO_TO_FIELD.format(label=definition.label_of(path)).text(lang))
                child.setForeground(0, Qt.GlobalColor.darkRed if kind is Kind.WRONG
                                    else Qt.GlobalColor.darkBlue if kind is Kind.TO_FILL
                                    else Qt.GlobalColor.darkYellow)
            head.setExpanded(bool(problems.get(part.id)) and (first or part.id in expanded
                                                              or progress.state
                                                              is PartState.ERRORS))
        self._show_criteria(live, to_fill_count(live, found))
        count = self.attachment_count() if self.attachment_count is not None else None
        self.attachments.setVisible(count is not None)
        if count is not None:
            self.attachments.setText(S.REVIEW_ATTACHMENTS.format(n=count).text(lang))

    def inputs(self) -> list[QWidget]:
        """What Tab visits on this page (the wizard's 下一步 comes after): the list, then the
        criteria's links."""
        return [self.tree, self.criteria]

    def _show_criteria(self, live: Any, to_fill: int) -> None:
        summary = eligibility(live, to_fill=to_fill)
        lang = self.lang
        lines = [f"<b>{escape(S.REVIEW_CRITERIA.text(lang))}：{escape(summary.headline.text(lang))}"
                 "</b>"]
        for line in summary.lines():
            text = escape(line.message.text(lang))
            lines.append(f"· <a href='{escape(line.target)}'>{text}</a>" if line.target
                         else f"· {text}")
        if not any(self.counts.values()):
            lines.append(escape(S.REVIEW_ALL_DONE.text(lang)))
        self.criteria.setText("<br/>".join(lines))

    def _link(self, target: str) -> None:
        self.go_to.emit(target)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        path = str(item.data(0, PATH_ROLE) or "")
        if path.startswith("part:"):
            self.go_to_part.emit(int(path.split(":", 1)[1]))
        elif path:
            self.go_to.emit(path)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.title.setText(S.REVIEW_TITLE.text(lang))
        self.note.setText(S.REVIEW_NOTE.text(lang))
        self.tree.setAccessibleName(S.REVIEW_TITLE.text(lang))
        self.refresh()
