"""The draft window: header (title, saved state, language), menus, and the form view."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from giantdesk.forms.definitions import FORM_IDS, load_definition
from giantdesk.forms.messages import Message
from giantdesk.forms.record import Submission
from giantdesk.ui import dialogs, geometry, language
from giantdesk.ui import strings as S
from giantdesk.ui.display import error_message
from giantdesk.ui.form_view import FormView, root_id
from giantdesk.ui.header import WindowHeader
from giantdesk.ui.persistence import (
    FilePersistence,
    OpenError,
    Persistence,
    SaveError,
    StorePersistence,
    read_record,
)
from giantdesk.ui.style import set_state

SAMPLE = Path(__file__).resolve().parents[3] / "resources" / "samples" / "annex1-pass.json"


class DraftWindow(QMainWindow):
    def __init__(self, record: Submission | None = None, *, lang: str = "zh",
                 today: date | None = None, path: Path | None = None) -> None:
        super().__init__()
        self.setObjectName("draftWindow")
        self.lang = lang
        self.today = today or date.today()
        self.last_error: Message | None = None
        self.persistence: Persistence = FilePersistence(self)
        self.persistence.state_changed.connect(self._show_saved_state)
        self._actions: list[tuple[QAction, Message]] = []
        self._menus: list[tuple[object, Message]] = []
        #: Called with the draft id when this window closes (the home window refreshes).
        self.on_closed: object = None
        self.attachments_page: Any = None  # AttachmentsPage in store mode (imported late)
        self.review_page: Any = None  # ReviewPage (the step before 核对与导出)
        self.check_page: Any = None  # CheckPage in store mode
        self.finalized = False
        self._build_header()
        self._build_menus()
        self.view: FormView | None = None
        self.load(record or Submission.empty(load_definition(FORM_IDS[0])), path)
        geometry.place(self, "draft")

    # -- chrome -------------------------------------------------------------------------------

    def _build_header(self) -> None:
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        header = self.header = WindowHeader(central, self.lang)
        self.title_label, self.form_label = header.title_label, header.subtitle_label
        self.saved_label = QLabel(header)
        self.saved_label.setObjectName("savedIndicator")
        header.add_indicator(self.saved_label)
        self.language_label, self.language = header.language_label, header.language
        header.language_changed.connect(language.choose)
        language.current().changed.connect(self.set_language)
        outer.addWidget(header)
        self.banner = QFrame(central)
        self.banner.setObjectName("finalizedBanner")
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(16, 6, 16, 6)
        self.banner_label = QLabel(self.banner)
        self.banner_label.setObjectName("bannerText")
        self.banner_label.setWordWrap(True)
        self.reopen_button = QPushButton(self.banner)
        self.reopen_button.setObjectName("reopen")
        self.reopen_button.clicked.connect(self.reopen)
        banner_row.addWidget(self.banner_label, 1)
        banner_row.addWidget(self.reopen_button)
        self.banner.hide()
        outer.addWidget(self.banner)
        self._body = outer
        self.setCentralWidget(central)
        self.mode_label = QLabel(self)
        self.refused_label = QLabel(self)
        self.refused_label.setObjectName("refusedCount")
        self.statusBar().addWidget(self.mode_label, 1)
        self.statusBar().addPermanentWidget(self.refused_label)

    def _action(self, text: Message, slot: object, keys: list[QKeySequence] | None = None,
                name: str = "") -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if keys:
            action.setShortcuts(keys)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self._actions.append((action, text))
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("")
        self._menus.append((file_menu, S.MENU_FILE))
        for form_id in FORM_IDS:
            definition = load_definition(form_id)
            title = Message(f"{S.ACT_NEW.zh}：{definition.short_title.zh}",
                            f"{S.ACT_NEW.en}: {definition.short_title.en}")
            file_menu.addAction(self._action(title, lambda _c=False, f=form_id: self.new_record(f),
                                             name=f"new:{form_id}"))
        file_menu.addSeparator()
        file_menu.addAction(self._action(S.ACT_OPEN, self.open_dialog,
                                         [QKeySequence(QKeySequence.StandardKey.Open)], "open"))
        if SAMPLE.is_file():
            file_menu.addAction(self._action(S.ACT_OPEN_SAMPLE,
                                             lambda: self.open_path(SAMPLE, as_new=True),
                                             name="openSample"))
        file_menu.addSeparator()
        file_menu.addAction(self._action(S.ACT_SAVE, self.save,
                                         [QKeySequence(QKeySequence.StandardKey.Save)], "save"))
        file_menu.addAction(self._action(S.ACT_SAVE_AS, self.save_as,
                                         [QKeySequence(QKeySequence.StandardKey.SaveAs)], "saveAs"))
        file_menu.addSeparator()
        file_menu.addAction(self._action(S.ACT_QUIT, self.close,
                                         [QKeySequence(QKeySequence.StandardKey.Quit)], "quit"))
        view_menu = bar.addMenu("")
        self._menus.append((view_menu, S.MENU_VIEW))
        view_menu.addAction(self._action(
            S.ACT_BACK, self.previous_step, [QKeySequence("Alt+Left")], "previousStep"))
        view_menu.addAction(self._action(
            S.ACT_NEXT, self.next_step, [QKeySequence("Alt+Right")], "nextStep"))
        view_menu.addSeparator()
        view_menu.addAction(self._action(
            S.ACT_PREV_PART, self.previous_part,
            [QKeySequence("Alt+Up"), QKeySequence("Ctrl+PgUp")], "previousPart"))
        view_menu.addAction(self._action(
            S.ACT_NEXT_PART, self.next_part,
            [QKeySequence("Alt+Down"), QKeySequence("Ctrl+PgDown")], "nextPart"))
        draft_menu = bar.addMenu("")
        self._menus.append((draft_menu, S.MENU_DRAFT))
        # Inside a text box Ctrl+Z undoes typing (the box takes the shortcut); elsewhere it puts
        # back the value the last accepted edit replaced.
        self.undo_action = self._action(S.ACT_UNDO, self.undo,
                                        [QKeySequence(QKeySequence.StandardKey.Undo)], "undo")
        draft_menu.addAction(self.undo_action)
        self.history_action = self._action(S.ACT_HISTORY, self.show_history,
                                           [QKeySequence("Ctrl+H")], "history")
        draft_menu.addAction(self.history_action)
        self.reopen_action = self._action(S.ACT_REOPEN, self.reopen, name="reopenDraft")
        draft_menu.addAction(self.reopen_action)
        self.check_action = self._action(S.CHECK_PAGE, lambda: self.show_page("check"),
                                         [QKeySequence("Ctrl+E")], "checkPage")
        draft_menu.addAction(self.check_action)
        language_menu = bar.addMenu("")
        self._menus.append((language_menu, S.MENU_LANGUAGE))
        language_menu.addAction(self._action(S.LANG_ZH, lambda: language.choose("zh"),
                                             name="lang:zh"))
        language_menu.addAction(self._action(S.LANG_EN, lambda: language.choose("en"),
                                             name="lang:en"))

    def undo(self) -> None:
        if self.view is None:
            return
        undone = self.view.undo()
        if undone is not None:
            self.view.go_to_item(undone)

    # -- the record ---------------------------------------------------------------------------

    def load(self, record: Submission, path: Path | None, draft_id: object = None) -> None:
        """Show ``record`` (``draft_id`` in store mode: its kept inputs come back too)."""
        if self.view is not None:
            self.persistence.flush()  # what is pending belongs to the record shown until now
        view = FormView(record, self.lang, self.today, self)
        if self.view is not None:
            self._body.removeWidget(self.view)
            self.view.hide()
            self.view.setParent(None)
            self.view.deleteLater()
        self.view = view
        self._body.addWidget(view, 1)
        view.edited.connect(self._edited)
        view.input_changed.connect(self._input_changed)
        self.persistence.path = path
        inputs: dict[str, str] = {}
        if isinstance(self.persistence, StorePersistence):
            self.persistence.draft_id = draft_id
            self.persistence.inputs.clear()
            if draft_id is not None:
                try:
                    inputs = self.persistence.store.inputs(draft_id)
                except Exception:  # an older store: nothing kept
                    logging.getLogger("giantdesk.ui").exception("kept inputs unreadable")
        self.persistence.mark_clean()
        self._add_pages()
        self.retranslate()
        if inputs:
            view.apply_inputs(inputs)  # as the user left them: typed text, refusals

    def _input_changed(self, path: str, text: object) -> None:
        self.persistence.input_changed(path, text if isinstance(text, str) else None)

    def record(self) -> Submission:
        assert self.view is not None
        return self.view.record()

    # -- store mode: attachments, check & export, finalized state, history ----------------------

    def draft_id(self) -> int | None:
        p = self.persistence
        return p.draft_id if isinstance(p, StorePersistence) else None

    def _ensure_draft(self) -> int:
        assert isinstance(self.persistence, StorePersistence)
        return int(self.persistence.ensure_draft(self.record()))

    def _add_pages(self) -> None:
        """After the form's parts: 审阅 always; in store mode 附件 first and 核对与导出 last
        (they need a draft). Each is a step."""
        from giantdesk.ui.review_page import ReviewPage

        for page in (self.attachments_page, self.check_page):
            shutdown = getattr(page, "shutdown", None)
            if callable(shutdown):
                shutdown()
        self.attachments_page = self.review_page = self.check_page = None
        view = self.view
        if view is None:
            return
        p = self.persistence
        review = ReviewPage(view, self.lang, view)
        review.go_to.connect(lambda path: view.go_to_item(root_id(path)))
        review.go_to_part.connect(lambda index: view.go_to_part(index, focus=True))
        self.review_page = review
        view.part_changed.connect(self._page_shown)
        view.edited.connect(self._page_icons)
        if not isinstance(p, StorePersistence):
            view.add_page("review", review, S.REVIEW_PAGE)
            view.edited.connect(lambda: review.refresh() if view.stack.currentWidget() is review
                                else None)
            self._page_icons()
            self._show_status()
            return
        from giantdesk.ui.attachments_page import AttachmentsPage
        from giantdesk.ui.check_page import CheckPage

        store = p.store
        attachments = AttachmentsPage(store, self._ensure_draft, self.lang, view)
        check = CheckPage(store, self._ensure_draft, lambda: view.live, self.lang, view)
        check.refused = view.refused_problems
        check.existing_draft = self.draft_id
        review.attachment_count = lambda: sum(getattr(attachments, "counts", {}).values())
        view.add_page("attachments", attachments, S.ATTACHMENTS_PAGE)
        view.add_page("review", review, S.REVIEW_PAGE)
        view.add_page("check", check, S.CHECK_PAGE)
        check.go_to.connect(lambda path: view.go_to_item(root_id(path)))
        check.status_changed.connect(self._status_changed)
        check.before_finalize = self.save
        attachments.changed.connect(check.refresh)
        attachments.changed.connect(self._page_icons)
        view.edited.connect(lambda: check.refresh() if view.stack.currentWidget() is check
                            else None)
        view.edited.connect(lambda: review.refresh() if view.stack.currentWidget() is review
                            else None)
        check.confirmed_changed.connect(self._page_icons)
        self.attachments_page, self.check_page = attachments, check
        self._page_icons()
        self._show_status()

    def _page_icons(self) -> None:
        """What 附件, 审阅 and 核对与导出 say in the parts list and the step header."""
        from giantdesk.forms.progress import PartState

        view = self.view
        if view is None:
            return
        if self.attachments_page is not None:
            files = sum(getattr(self.attachments_page, "counts", {}).values())
            view.set_page_summary("attachments",
                                  S.PAGE_FILES.format(n=files) if files else S.PAGE_NO_FILES,
                                  PartState.COMPLETE if files else PartState.UNTOUCHED)
        parts = [p for p in view.progress if p.state is not PartState.RECOMMENDER]
        left = sum(p.to_fill + p.errors + p.to_confirm for p in parts)
        state = (PartState.ERRORS if any(p.errors for p in parts) else
                 PartState.TO_FILL if any(p.to_fill for p in parts) else
                 PartState.CONFIRM if left else PartState.COMPLETE)
        view.set_page_summary("review", S.PAGE_BLOCKED.format(n=left) if left else S.PAGE_READY,
                              state)
        check = self.check_page
        if check is not None:
            if self.finalized:
                summary, state = S.PAGE_FINALIZED, PartState.COMPLETE
            else:
                blocked = check.blocking_count()
                summary = S.PAGE_BLOCKED.format(n=blocked) if blocked else S.PAGE_READY
                state = PartState.TO_FILL if blocked else PartState.COMPLETE
            view.set_page_summary("check", summary, state)

    def _page_shown(self, index: int) -> None:
        view = self.view
        if view is None or view.stack.currentIndex() != index:
            return
        page: Any = view.stack.widget(index)
        if page is not None and page in (self.check_page, self.review_page):
            page.refresh()
            self._page_icons()

    def show_page(self, key: str) -> None:
        if self.view is not None:
            self.view.show_page(key)

    def _show_status(self) -> None:
        """Finalized drafts are read-only, with a banner offering to reopen them."""
        draft_id = self.draft_id()
        info = None
        if draft_id is not None:
            try:
                info = self.persistence.store.draft(draft_id)  # type: ignore[attr-defined]
            except Exception:  # the draft was removed meanwhile: treat as editable
                info = None
        self.finalized = bool(info is not None and info.finalized)
        if self.view is not None:
            self.view.set_read_only(self.finalized)
        if self.attachments_page is not None:
            self.attachments_page.set_read_only(self.finalized)
        self.banner.setVisible(self.finalized)
        self.reopen_action.setEnabled(self.finalized)
        self.history_action.setEnabled(draft_id is not None)
        self.check_action.setEnabled(self.check_page is not None)
        if self.finalized and info is not None:
            when = info.finalized_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.banner_label.setText(S.FINALIZED_BANNER.format(when=when).text(self.lang))
        self.reopen_button.setText(S.ACT_REOPEN.text(self.lang))
        self._page_icons()

    def _status_changed(self) -> None:
        self._show_status()

    def reopen(self) -> None:
        draft_id = self.draft_id()
        if draft_id is None or not self.finalized:
            return
        try:
            self.persistence.store.reopen(draft_id)  # type: ignore[attr-defined]
        except Exception as exc:
            self._error(S.STORE_PROBLEM, error_message(exc))
            return
        self._show_status()
        if self.check_page is not None:
            self.check_page.refresh()

    def reload_from_store(self) -> None:
        """Show the stored draft again (after a restore from the history)."""
        draft_id = self.draft_id()
        if draft_id is None or self.view is None:
            return
        part = self.view.current_part()
        record = self.persistence.store.get_record(draft_id)  # type: ignore[attr-defined]
        self.load(record, None, draft_id)
        if self.view is not None:
            self.view.go_to_part(part)

    def show_history(self) -> object:
        from giantdesk.ui.history import HistoryDialog

        if not isinstance(self.persistence, StorePersistence):
            return None
        self.persistence.flush()
        draft_id = self._ensure_draft()
        assert self.view is not None
        dialog = HistoryDialog(self.persistence.store, draft_id, self.view.definition, self.lang,
                               self.title_label.text(), self)
        dialog.restored.connect(self.reload_from_store)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _edited(self) -> None:
        self.persistence.edited(self.record)
        self._show_title()

    def attach_persistence(self, persistence: Persistence) -> None:
        """Switch to ``persistence`` (e.g. the store, once it has been imported)."""
        persistence.setParent(self)
        persistence.path = self.persistence.path
        if isinstance(persistence, StorePersistence):
            persistence.record_getter = self.record
        self.persistence = persistence
        persistence.state_changed.connect(self._show_saved_state)
        self._show_saved_state()

    def new_record(self, form_id: str) -> None:
        if self.maybe_save():
            self.load(Submission.empty(load_definition(form_id)), None)

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        name, _filter = QFileDialog.getOpenFileName(
            self, S.OPEN_TITLE.text(self.lang), "", S.RECORD_FILTER.text(self.lang))
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path, *, as_new: bool = False) -> bool:
        """Open a record file; on failure explain it and keep the current record."""
        try:
            record = read_record(path)
        except OpenError as exc:
            self._error(exc.title, exc.message)
            return False
        self.load(record, None if as_new else path)
        return True

    def save(self) -> bool:
        if isinstance(self.persistence, StorePersistence):
            self.persistence.flush()
            return self.persistence.error is None
        if self.persistence.path is None:
            return self.save_as()
        return self.save_to(self.persistence.path)

    def save_as(self) -> bool:
        name, _filter = QFileDialog.getSaveFileName(
            self, S.SAVE_TITLE.text(self.lang), "submission.json", S.RECORD_FILTER.text(self.lang))
        return self.save_to(Path(name)) if name else False

    def save_to(self, path: Path) -> bool:
        assert isinstance(self.persistence, FilePersistence)
        try:
            self.persistence.save_to(self.record(), path)
        except SaveError as exc:
            self._error(S.SAVE_FAILED, exc.message)
            return False
        self._show_title()
        return True

    def maybe_save(self) -> bool:
        """True when it is fine to replace the record (saved, discarded, or nothing to save)."""
        self.persistence.flush()
        if not self.persistence.dirty:
            return True
        answer = dialogs.ask_unsaved(self, S.UNSAVED_TITLE, S.UNSAVED_QUESTION, self.lang)
        if answer == dialogs.Button.Save:
            return self.save()
        return answer == dialogs.Button.Discard

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.maybe_save():
            geometry.remember(self, "draft")
            for page in (self.attachments_page, self.check_page):
                shutdown = getattr(page, "shutdown", None)
                if callable(shutdown):
                    shutdown()
            draft_id = self.draft_id()
            self.persistence.close()
            event.accept()
            if callable(self.on_closed):
                self.on_closed(draft_id)
        else:
            event.ignore()

    def _error(self, title: Message, message: Message) -> None:
        self.last_error = message
        dialogs.warn(self, title, message, self.lang)

    # -- navigation ---------------------------------------------------------------------------

    def next_step(self) -> None:
        if self.view is not None:
            self.view.next_step()

    def previous_step(self) -> None:
        if self.view is not None:
            self.view.previous_step()

    def next_part(self) -> None:
        if self.view is not None:
            self.view.go_to_part(self.view.current_part() + 1, focus=True)

    def previous_part(self) -> None:
        if self.view is not None:
            self.view.go_to_part(self.view.current_part() - 1, focus=True)

    # -- language and labels ------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        if lang == self.lang:
            return
        self.lang = lang
        self.header.select(lang)
        self.retranslate()

    def retranslate(self) -> None:
        lang = self.lang
        for action, text in self._actions:
            action.setText(text.text(lang))
        for menu, text in self._menus:
            menu.setTitle(text.text(lang))  # type: ignore[attr-defined]
        self.language_label.setText(S.LANGUAGE.text(lang))
        if self.view is not None:
            self.view.retranslate(lang)
        for page in (self.attachments_page, self.review_page, self.check_page):
            if page is not None:
                page.retranslate(lang)
        self._page_icons()
        self._show_title()
        self._show_saved_state()
        self._show_status()

    def _show_title(self) -> None:
        if self.view is None:
            return
        definition = self.view.definition
        name = self.view.live.scope.values.get("enterprise.name")
        if isinstance(name, str) and name:
            title = name
        elif self.persistence.path is not None:
            title = self.persistence.path.name
        else:
            title = S.UNTITLED.text(self.lang)
        self.title_label.setText(title)
        self.form_label.setText(f"{definition.short_title.text(self.lang)} · "
                                f"{definition.title.text(self.lang)}")
        self.setWindowTitle(f"{title} — {definition.short_title.text(self.lang)} — GiantDesk")
        refused = len(self.view.refused) + sum(len(t.refused) for t in self.view.tables.values())
        self.refused_label.setText(S.REFUSED_INPUTS.format(n=refused).text(self.lang)
                                   if refused else "")

    def _show_saved_state(self) -> None:
        p = self.persistence
        state = "error" if p.error is not None else "false" if p.dirty else "true"
        set_state(self.saved_label, "saved", state)
        self.saved_label.setText(p.status().text(self.lang))
        self.saved_label.setToolTip(p.error.text(self.lang) if p.error else
                                    (str(p.path) if p.path else ""))
        self.mode_label.setText(p.mode_note().text(self.lang))


def open_draft(store: object, draft_id: int, *, lang: str = "zh", today: date | None = None,
               ) -> DraftWindow:
    """A draft window on draft ``draft_id`` of the (shared) ``store`` of the home window."""
    window = DraftWindow(lang=lang, today=today)
    window.attach_persistence(StorePersistence(store, window, owns_store=False))
    record = store.get_record(draft_id)  # type: ignore[attr-defined]
    window.load(record, None, draft_id)
    if window.view is not None:  # the first step, its first input ready to type into
        window.view.go_to_part(0, focus=True)
    return window


def start_persistence(window: DraftWindow) -> None:
    """After the first paint: import the store (slow) and use it when it is there.

    With the store, a window that shows the untouched empty record opens the most recently
    changed draft instead; a record opened from a file becomes a new draft on its first edit.
    """
    from giantdesk.ui.persistence import choose

    persistence, problem = choose(window)
    if problem is not None:
        window._error(S.STORE_PROBLEM, problem)
    if not isinstance(persistence, StorePersistence):
        return
    untouched = (window.persistence.path is None and not window.persistence.dirty
                 and window.view is not None and not window.view.live.scope.values)
    window.attach_persistence(persistence)
    if untouched:
        try:
            latest = persistence.latest_draft()
        except Exception as exc:  # the store explains; the empty record stays usable
            window._error(S.STORE_PROBLEM, error_message(exc))
            return
        if latest is not None:
            draft_id, record = latest
            window.load(record, None, draft_id)


def schedule_startup(window: DraftWindow) -> None:
    QTimer.singleShot(0, lambda: start_persistence(window))
