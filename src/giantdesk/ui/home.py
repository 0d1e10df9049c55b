"""The home window: the drafts of this PC, and what to do with them.

The start screen when the store opens. It holds the data folder's instance lock (a second
window gets a clear "already open" message), the one :class:`~giantdesk.store.Store` shared by
every draft window it opens, and offers: New (choose the form), Open, Import record, Carry over to
an Annex 2 review draft (store ``carryover``), Rename and Backups. A damaged database found at
start is never replaced: the newest good backup is offered instead.

Start-up in two steps so the list shows near the time a bare Qt window takes: the window paints
with only Qt imported; :meth:`HomeWindow.list_quickly` takes the lock and lists the drafts with
``store.listing`` (sqlite3 alone); :meth:`HomeWindow.open_store` then imports the store
(SQLAlchemy), checks / migrates, and fills in completeness and criteria.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from giantdesk.forms.messages import Message
from giantdesk.ui import geometry, language
from giantdesk.ui import strings as S
from giantdesk.ui.display import error_message, local_time
from giantdesk.ui.header import WindowHeader

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

#: ``Qt.ItemDataRole.UserRole`` as its number: naming ``Qt`` makes PySide6 build the Python enum
#: classes of Qt's whole namespace (~90 of them, 10–25 ms), which the path to the first list
#: avoids (``tests/ui/test_home.py`` checks the value and that the path never names ``Qt``).
ID_ROLE = 256
COLUMNS = (S.COL_TITLE, S.COL_ENTERPRISE, S.COL_FORM, S.COL_STATUS, S.COL_COMPLETE,
           S.COL_ELIGIBILITY, S.COL_CHANGED)
#: ``Qt.ItemDataRole.ForegroundRole``: the list's text colours are set as data (a QColor) —
#: ``setForeground(QBrush)`` resolves QBrush's overloads, which builds those enums too.
FOREGROUND_ROLE = 9
#: Text colours of the list (Qt's darkGreen, darkRed, darkGray, black).
_COLOURS = {"green": "#008000", "red": "#800000", "grey": "#808080", "black": "#000000"}
_colours: dict[str, QColor] = {}


#: The glance of a draft whose stored contents cannot be read.
_DAMAGED = object()


def dialogs_inform(parent: QWidget, message: Message, lang: str) -> None:
    from giantdesk.ui import dialogs

    dialogs.inform(parent, S.DRAFT_REPAIRED_TITLE, message, lang)


def _colour(name: str) -> QColor:
    colour = _colours.get(name)
    if colour is None:
        colour = _colours[name] = QColor(_COLOURS[name])
    return colour


class HomeWindow(QMainWindow):
    #: The drafts are listed (after start; each refresh).
    listed = Signal()

    def __init__(self, *, lang: str = "zh", today: date | None = None,
                 home: Path | None = None) -> None:
        super().__init__()
        self.setObjectName("homeWindow")
        self.lang = lang
        self.today = today or date.today()
        self.home = home
        self.store: Any = None
        self.lock: Any = None
        self.data_folder: Path | None = None
        #: Where faulthandler writes (set by the app; shown after an abnormal end).
        self.fault_log: Path | None = None
        #: The previous session, when it ended abnormally (told once the store is open).
        self.previous_end: Any = None
        #: Called after the list has painted, before the store is imported (the app's logs).
        self.before_store: Callable[[], object] | None = None
        #: The last problem / note shown to the user (also in a dialog).
        self.last_error: Message | None = None
        self.last_info: Message | None = None
        self.windows: dict[int, Any] = {}
        #: The summary of the last carry-over (not modal), while it is open.
        self.carry_summary: Any = None
        #: Drafts purged from the recycle bin at the last start (said in a dialog).
        self.purged: list[Any] = []
        #: Drafts whose stored contents cannot be read: id → [(where, what)].
        self.damaged: dict[int, list[tuple[str, Message]]] = {}
        #: What the window says instead of the list (None: the list is shown).
        self.problem: Message | None = None
        #: The database problem 处理… asks about again (None: nothing to offer).
        self._recoverable: Any = None
        self._glances: dict[tuple[int, Any], Any] = {}
        self._actions: list[tuple[QAction, Message]] = []
        self._menus: list[tuple[QMenu, Message]] = []
        self._buttons: list[tuple[QPushButton, Message]] = []
        self.new_actions: dict[str, QAction] = {}
        self._built = False
        self._build()
        geometry.place(self, "home")
        self.retranslate()

    # -- building -----------------------------------------------------------------------------

    def _action(self, text: Message, slot: Any, keys: str | None = None,
                name: str = "") -> QAction:
        from PySide6.QtGui import QAction, QKeySequence

        action = QAction(self)
        action.setObjectName(name)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        self.addAction(action)
        self._actions.append((action, text))
        return action

    def _menu(self, text: Message, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        self._menus.append((menu, text))
        return menu

    def _button(self, text: Message, parent: QWidget, name: str) -> QPushButton:
        button = QPushButton(parent)
        button.setObjectName(name)
        self._buttons.append((button, text))
        return button

    def _build(self) -> None:
        """What the first paint shows: header, buttons, the list (no action, no shortcut: they
        are made by :meth:`build_actions` once the list is shown — the buttons are disabled
        until the store is open anyway)."""
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        header = self.header = WindowHeader(central, self.lang)
        self.title_label, self.app_label = header.title_label, header.subtitle_label
        self.language_label, self.language = header.language_label, header.language
        header.language_changed.connect(language.choose)
        language.current().changed.connect(self.set_language)
        outer.addWidget(header)

        body = QWidget(central)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        buttons = QHBoxLayout()
        # the buttons' menus are filled by build_actions (New: one entry per form)
        self.new_menu = self._menu(S.ACT_NEW_DRAFT, self)
        self.new_button = self._button(S.ACT_NEW_DRAFT, body, "newDraft")
        self.new_button.setMenu(self.new_menu)
        self.open_button = self._button(S.ACT_OPEN_DRAFT, body, "openDraft")
        self.open_button.clicked.connect(self.open_selected)
        self.import_button = self._button(S.ACT_IMPORT, body, "importRecord")
        self.import_button.clicked.connect(self.import_dialog)
        self.carry_menu = self._menu(S.ACT_CARRY, self)
        self.carry_button = self._button(S.ACT_CARRY, body, "carryOver")
        self.carry_button.setMenu(self.carry_menu)
        self.rename_button = self._button(S.ACT_RENAME, body, "rename")
        self.rename_button.clicked.connect(lambda: self.rename_selected())
        self.delete_button = self._button(S.ACT_DELETE, body, "deleteDraft")
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.bin_button = self._button(S.ACT_BIN, body, "recycleBin")
        self.bin_button.clicked.connect(self.show_bin)
        self.backup_menu = self._menu(S.ACT_BACKUPS, self)
        self.backup_button = self._button(S.ACT_BACKUPS, body, "backups")
        self.backup_button.setMenu(self.backup_menu)
        for button in (self.new_button, self.open_button, self.import_button, self.carry_button,
                       self.rename_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.bin_button)
        buttons.addWidget(self.backup_button)
        layout.addLayout(buttons)

        self.table = QTableWidget(0, len(COLUMNS), body)
        self.table.setObjectName("drafts")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(32)
        header_view = self.table.horizontalHeader()
        header_view.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header_view.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in range(2, len(COLUMNS)):
            header_view.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemActivated.connect(lambda _item: self.open_selected())
        self.table.currentCellChanged.connect(lambda *_a: self._update_actions())
        layout.addWidget(self.table, 1)
        # instead of the list: no drafts yet, or why there is no list (and 处理… under it)
        self.empty_area = QWidget(body)
        empty = QVBoxLayout(self.empty_area)
        empty.addStretch(1)
        self.empty_label = QLabel(self.empty_area)
        self.empty_label.setObjectName("homeEmpty")  # centred by the style sheet
        self.empty_label.setWordWrap(True)
        empty.addWidget(self.empty_label)
        recover_row = QHBoxLayout()
        recover_row.addStretch(1)
        self.recover_button = self._button(S.ACT_RECOVER, self.empty_area, "recoverDatabase")
        self.recover_button.clicked.connect(lambda: self.recover())
        self.recover_button.hide()
        recover_row.addWidget(self.recover_button)
        recover_row.addStretch(1)
        empty.addLayout(recover_row)
        empty.addStretch(1)
        layout.addWidget(self.empty_area, 1)
        self.empty_area.hide()
        outer.addWidget(body, 1)
        self.setCentralWidget(central)

        bar = self.menuBar()  # the titles now (the window does not move later), items later
        self.file_menu = bar.addMenu("")
        self._menus.append((self.file_menu, S.MENU_FILE))
        self.language_menu = bar.addMenu("")
        self._menus.append((self.language_menu, S.MENU_LANGUAGE))
        self.setTabOrder(self.table, self.new_button)
        self._update_actions()

    def build_actions(self) -> None:
        """The menus' actions and the shortcuts (idempotent): after the list is shown."""
        if self._built:
            return
        self._built = True
        self.carry_selected_action = self._action(S.ACT_CARRY_SELECTED, self.carry_over_selected,
                                                  name="carrySelected")
        self.carry_menu.addAction(self.carry_selected_action)
        self.carry_menu.addAction(self._action(S.ACT_CARRY_FILE, self.carry_over_dialog,
                                               name="carryFile"))
        self.backup_menu.addAction(self._action(S.ACT_BACKUP_NOW, self.backup_now,
                                                name="backupNow"))
        self.backup_menu.addAction(self._action(S.ACT_SHOW_BACKUPS, self.show_backups,
                                                name="showBackups"))
        file_menu = self.file_menu
        file_menu.addMenu(self.new_menu)
        self.open_action = self._action(S.ACT_OPEN_DRAFT, self.open_selected, "Ctrl+O", "open")
        file_menu.addAction(self.open_action)
        file_menu.addAction(self._action(S.ACT_IMPORT, self.import_dialog, "Ctrl+I", "import"))
        file_menu.addMenu(self.carry_menu)
        self.rename_action = self._action(S.ACT_RENAME, lambda: self.rename_selected(), "F2",
                                          "renameAction")
        file_menu.addAction(self.rename_action)
        self.delete_action = self._action(S.ACT_DELETE, lambda: self.delete_selected(), "Del",
                                          "deleteAction")
        file_menu.addAction(self.delete_action)
        file_menu.addAction(self._action(S.ACT_BIN, self.show_bin, name="binAction"))
        file_menu.addAction(self._action(S.ACT_REFRESH, self.refresh, "F5", "refresh"))
        file_menu.addMenu(self.backup_menu)
        file_menu.addSeparator()
        file_menu.addAction(self._action(S.ACT_QUIT, self.close, "Ctrl+Q", "quit"))
        self.new_shortcut = self._action(S.ACT_NEW_DRAFT, self._popup_new, "Ctrl+N", "newPopup")
        self.language_menu.addAction(self._action(S.LANG_ZH, lambda: language.choose("zh"),
                                                  name="lang:zh"))
        self.language_menu.addAction(self._action(S.LANG_EN, lambda: language.choose("en"),
                                                  name="lang:en"))
        for action, text in self._actions:
            action.setText(text.text(self.lang))
        self._update_actions()

    def _popup_new(self) -> None:
        if self.new_button.isEnabled():
            self.new_button.showMenu()

    # -- start: lock, store, recovery ---------------------------------------------------------

    def start(self) -> bool:
        """Lock, list and open the store in one go (tests, the self-test)."""
        return self.list_quickly() and self.open_store()

    def start_soon(self) -> None:
        """The app's start: the lock and the list now; once the list has painted,
        ``before_store`` (the app sets up its logs there) and the store."""
        if self.list_quickly():
            QTimer.singleShot(0, self._then_store)

    def _then_store(self) -> None:
        self.build_actions()
        if callable(self.before_store):
            self.before_store()
        self.open_store()

    def list_quickly(self) -> bool:
        """Take the instance lock and show the drafts as the database lists them, without
        importing the store (the completeness columns say "…" until :meth:`open_store`)."""
        from giantdesk.store.errors import AlreadyOpen, StoreError
        from giantdesk.store.listing import quick_list
        from giantdesk.store.lock import InstanceLock
        from giantdesk.store.paths import Layout

        try:
            layout = Layout.of(self.home)
        except StoreError as exc:  # the data folder cannot be made (read-only, a file in the way)
            self._unavailable(S.DAMAGED_TITLE, exc.message)
            return False
        self.lock = InstanceLock(layout.lock)
        try:
            self.lock.acquire()
        except StoreError as exc:  # another window, or the lock file cannot be written
            self.lock = None
            self._unavailable(S.ALREADY_OPEN_TITLE if isinstance(exc, AlreadyOpen)
                              else S.DAMAGED_TITLE, exc.message)
            return False
        self.data_folder = layout.root
        drafts = quick_list(layout.db)
        if drafts is not None:
            self._show_drafts(drafts)
        return True

    def open_store(self) -> bool:
        """Import and open the store (checks, migrates, backs up), then list from it. A
        database that cannot be used as it is is never replaced unasked: ``ui/recovery``
        offers what can be done (a named backup, going on with what it holds, not now)."""
        from giantdesk.store import DatabaseDamaged, open_store
        from giantdesk.ui.crash import begin_session

        self.build_actions()
        if self.lock is None or self.data_folder is None:
            return False
        if self.previous_end is None:  # the session marker, under the lock
            self.previous_end = begin_session(self.data_folder, self.fault_log)
        try:
            self.store = open_store(self.home)
        except DatabaseDamaged as exc:
            from giantdesk.ui.recovery import recover_database

            if not recover_database(self, exc):
                return False
        except Exception as exc:  # too new, unreadable folder…: explained, nothing replaced
            self._unavailable(S.DAMAGED_TITLE, error_message(exc))
            return False
        self._opened()
        return True

    def _opened(self) -> None:
        from giantdesk.ui.crash import tell_abnormal_end

        self.recover_button.hide()
        self._fill_new_menu()
        self._purge_bin()
        self.refresh()
        if self.previous_end is not None:
            previous, self.previous_end = self.previous_end, None
            QTimer.singleShot(0, lambda: tell_abnormal_end(self, previous, self.fault_log,
                                                           self.lang))

    def recover(self) -> bool:
        """The 处理… button under a database problem: the same question as at the start."""
        from giantdesk.ui.recovery import recover_database

        exc, self._recoverable = self._recoverable, None
        if exc is None or self.store is not None or self.lock is None:
            return False
        if not recover_database(self, exc):
            return False
        self._opened()
        return True

    def _fill_new_menu(self) -> None:
        from giantdesk.forms.definitions import FORM_IDS, load_definition

        for form_id in FORM_IDS:
            if form_id in self.new_actions:
                continue
            definition = load_definition(form_id)
            text = Message(f"{definition.short_title.zh}：{definition.title.zh}",
                           f"{definition.short_title.en}: {definition.title.en}")
            action = self._action(text, lambda _c=False, f=form_id: self.new_draft(f),
                                  name=f"new:{form_id}")
            action.setText(text.text(self.lang))
            self.new_menu.addAction(action)
            self.new_actions[form_id] = action

    def _unavailable(self, title: Message, message: Message) -> None:
        self.show_problem(message)
        self._error(title, message)

    def show_problem(self, message: Message, recoverable: Any = None) -> None:
        """The window says why there is no list (and, for a database problem the user may
        still decide about, offers 处理…)."""
        self.build_actions()  # Quit and the language menu at least
        self.problem = message
        self._recoverable = recoverable
        self.empty_label.setText(message.text(self.lang))
        self.empty_label.setProperty("problem", True)
        self.table.hide()
        self.empty_area.show()
        self.recover_button.setVisible(recoverable is not None)
        self._update_actions()

    # -- the list -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """The list as the store has it, with each draft's completeness and criteria."""
        if self.store is None:
            return
        try:
            drafts = self.store.list_drafts()
        except Exception as exc:
            self._error(S.STORE_UNAVAILABLE, error_message(exc))
            return
        self._show_drafts(drafts)

    def _show_drafts(self, drafts: list[Any]) -> None:
        """One row per draft (``DraftInfo`` or ``listing.ListedDraft``): completeness and
        criteria once the store is open (before: "…": the form core is not imported yet)."""
        lang = self.lang
        selected = self.selected_id()
        self.table.setRowCount(len(drafts))
        for r, info in enumerate(drafts):
            form, form_title = self._form_titles(info.form_id)
            glance = self._glance(info)
            damaged = self.damaged.get(info.id) if glance is _DAMAGED else None
            status = (S.DRAFT_DAMAGED_STATUS if damaged is not None else
                      S.STATUS_FINALIZED if info.finalized else S.STATUS_EDITING)
            if damaged is not None:
                glance = None
                complete = criteria = S.NOT_SHOWN
            elif glance is None:
                complete = criteria = S.PENDING
            else:
                complete = S.COMPLETENESS.format(pct=glance.percent, done=glance.filled,
                                                 total=glance.required)
                criteria = glance.criteria if glance.criteria.zh else (
                    S.GROUPS_NOT_MET.format(n=glance.groups_failed) if glance.groups_failed else
                    S.GROUPS_UNKNOWN.format(n=glance.groups_unknown) if glance.groups_unknown
                    else S.ALL_GROUPS_MET)
            cells = [
                info.title or S.UNTITLED.text(lang),
                info.enterprise_name or "",
                form.text(lang),
                status.text(lang),
                complete.text(lang),
                criteria.text(lang),
                S.CHANGED_BY.format(when=local_time(info.updated_at),
                                    user=info.updated_by).text(lang),
            ]
            tip = None
            if damaged is not None:  # what is wrong and what to do, on the whole row
                from giantdesk.ui.recovery import damaged_tooltip

                tip = damaged_tooltip(self.store, info.id, damaged, lang)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, info.id)
                item.setToolTip(tip or (text if c != 2 else form_title.text(lang)))
                if c == 5 and glance is not None and glance.reasons:  # which and why
                    item.setToolTip("\n".join([text, *(m.text(lang) for m in glance.reasons)]))
                if c == 3:
                    item.setData(FOREGROUND_ROLE, _colour(
                        "red" if damaged is not None else
                        "green" if info.finalized else "black"))
                if c == 5:
                    item.setData(FOREGROUND_ROLE, _colour(
                        "grey" if glance is None else "green" if glance.eligible else
                        "red" if glance.groups_failed else "grey"))
                if c == 4 and glance is not None:  # "…" before the store is open
                    from PySide6.QtCore import Qt

                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        empty = not drafts
        self.problem = None
        self.empty_label.setProperty("problem", False)
        self.empty_label.setText(S.NO_DRAFTS.text(lang))
        self.empty_area.setVisible(empty)
        self.table.setVisible(not empty)
        if drafts:
            self.select(selected if selected is not None else drafts[0].id)
        self._update_actions()
        self.listed.emit()

    def _form_titles(self, form_id: str) -> tuple[Message, Message]:
        """The form's short and full title — "…" before the store (and forms) are loaded."""
        if self.store is None:
            return S.PENDING, S.PENDING
        from giantdesk.forms.definitions import load_definition

        try:
            definition = load_definition(form_id)
        except Exception:  # a damaged row: its form id names no form (said in its tooltip)
            return Message(form_id, form_id), Message(form_id, form_id)
        return definition.short_title, definition.title

    def _glance(self, info: Any) -> Any:
        """The draft's ``Glance`` (cached per change time); None before the store is open;
        ``_DAMAGED`` for a draft whose stored contents cannot be read (``self.damaged``)."""
        key = (info.id, info.updated_at)
        glance = self._glances.get(key)
        if glance is None and self.store is not None:
            from giantdesk.forms.progress import Glance, glance_record
            from giantdesk.store import DamagedContent

            self.damaged.pop(info.id, None)
            try:
                glance = glance_record(self.store.get_record(info.id), self.today)
            except DamagedContent as exc:  # listed as damaged; the others stay usable
                self.damaged[info.id] = list(exc.problems)
                glance = _DAMAGED
            except Exception:  # one unreadable draft must not hide the others
                logging.getLogger("giantdesk.ui").exception("summary of draft %s failed", info.id)
                glance = Glance(required=0, filled=0, groups_failed=0, groups_unknown=1,
                                errors=1, warnings=0)
            self._glances[key] = glance
        return glance

    def draft_ids(self) -> list[int]:
        items = [self.table.item(r, 0) for r in range(self.table.rowCount())]
        return [int(item.data(ID_ROLE)) for item in items if item is not None]

    def selected_id(self) -> int | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return int(item.data(ID_ROLE)) if item is not None else None

    def select(self, draft_id: int) -> None:
        for r, did in enumerate(self.draft_ids()):
            if did == draft_id:
                self.table.setCurrentCell(r, 0)
                return
        if self.table.rowCount():
            self.table.setCurrentCell(0, 0)

    def _update_actions(self) -> None:
        ready = self.store is not None
        chosen = ready and self.selected_id() is not None
        for widget in (self.new_button, self.import_button, self.carry_button,
                       self.backup_button):
            widget.setEnabled(ready)
        for widget in (self.open_button, self.rename_button, self.delete_button):
            widget.setEnabled(chosen)
        self.bin_button.setEnabled(ready)
        if not self._built:
            return
        self.open_action.setEnabled(chosen)
        self.rename_action.setEnabled(chosen)
        self.delete_action.setEnabled(chosen)
        for action in self.new_actions.values():
            action.setEnabled(ready)
        self.carry_selected_action.setEnabled(chosen)

    # -- actions ------------------------------------------------------------------------------

    def new_draft(self, form_id: str) -> int | None:
        try:
            draft_id = int(self.store.create_draft(form_id))
        except Exception as exc:
            self._error(S.ACT_NEW_DRAFT, error_message(exc))
            return None
        self.refresh()
        self.select(draft_id)
        self.open_draft(draft_id)
        return draft_id

    def open_selected(self) -> Any:
        draft_id = self.selected_id()
        if draft_id is None or self.store is None:  # listed before the store is open
            return None
        return self.open_draft(draft_id)

    def open_draft(self, draft_id: int) -> Any:
        """Show the draft's window (raising it when it is already open)."""
        from PySide6.QtCore import Qt

        from giantdesk.ui.draft_window import open_draft

        window = self.windows.get(draft_id)
        if window is not None:
            window.raise_()
        else:
            from giantdesk.store import DamagedContent
            from giantdesk.ui.recovery import offer_repair

            try:
                window = open_draft(self.store, draft_id, lang=self.lang, today=self.today)
            except DamagedContent as exc:  # this draft only: say what, offer the repair
                repaired = offer_repair(self, draft_id, list(exc.problems))
                if repaired is None:
                    return None
                self.refresh()
                window = self.open_draft(draft_id)
                if window is not None:  # what the repair did, over the repaired draft
                    self.last_info = repaired
                    QTimer.singleShot(0, lambda: dialogs_inform(window, repaired, self.lang))
                return window
            except Exception as exc:
                self._error(S.DRAFT_UNAVAILABLE, error_message(exc))
                return None
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.on_closed = self._draft_closed
            self.windows[draft_id] = window
        window.show()
        window.activateWindow()
        return window

    def _draft_closed(self, draft_id: int | None) -> None:
        for key, window in list(self.windows.items()):
            if key == draft_id or window.draft_id() == draft_id:
                del self.windows[key]
        QTimer.singleShot(0, self.refresh)

    def import_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _filter = QFileDialog.getOpenFileName(self, S.IMPORT_TITLE.text(self.lang), "",
                                                    S.RECORD_FILTER.text(self.lang))
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> int | None:
        from giantdesk.ui.persistence import OpenError, read_record

        try:
            record = read_record(path)
        except OpenError as exc:
            self._error(exc.title, exc.message)
            return None
        try:
            draft_id = int(self.store.import_record(record, source=f"import:{path.name}"))
        except Exception as exc:
            self._error(S.CANNOT_OPEN.format(name=path.name), error_message(exc))
            return None
        self.refresh()
        self.select(draft_id)
        self._status(S.IMPORTED.format(id=draft_id))
        return draft_id

    def carry_over_selected(self) -> int | None:
        from giantdesk.forms.definitions import REVIEW_FORM

        draft_id = self.selected_id()
        info = self.store.draft(draft_id) if draft_id is not None else None
        if info is None or info.form_id == REVIEW_FORM:
            self._error(S.ACT_CARRY, S.CARRY_NEEDS_ANNEX1)
            return None
        try:
            record = self.store.get_record(info.id)
        except Exception as exc:  # a damaged draft: said (opening it offers the repair)
            self._error(S.ACT_CARRY, error_message(exc))
            return None
        return self._carry(record, f"carry-over:draft-{info.id}", info.title,
                           source_draft=info.id)

    def carry_over_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _filter = QFileDialog.getOpenFileName(self, S.CARRY_TITLE.text(self.lang), "",
                                                    S.CARRY_FILTER.text(self.lang))
        if name:
            self.carry_over_file(Path(name))

    def carry_over_file(self, path: Path) -> int | None:
        from giantdesk.store.carryover import read_source_and_offers

        try:
            record, offered = read_source_and_offers(path)  # one verification for both
        except Exception as exc:
            self._error(S.CANNOT_OPEN.format(name=path.name), error_message(exc))
            return None
        return self._carry(record, f"carry-over:{path.name}", path.name, bundle=path,
                           offered=offered)

    def _carry(self, record: Any, source: str, source_name: str, *,
               source_draft: int | None = None, bundle: Path | None = None,
               offered: list[Any] | None = None) -> int | None:
        """A new Annex 2 review draft from ``record``; the summary says what was carried,
        links the review fields to fill, and offers the source's attachments."""
        from giantdesk.forms.definitions import REVIEW_FORM
        from giantdesk.store.carryover import (
            carry_attachments,
            carry_over,
            offer_from_draft,
        )
        from giantdesk.ui.home_dialogs import CarrySummary, carried_message

        try:
            result = carry_over(record, REVIEW_FORM, today=self.today)
            result.offered = (offer_from_draft(self.store, source_draft)
                              if source_draft is not None else offered or [])
            draft_id = int(self.store.import_record(result.record, source=source))
        except Exception as exc:
            self._error(S.ACT_CARRY, error_message(exc))
            return None
        self.refresh()
        self.select(draft_id)
        self.last_info = S.CARRIED.format(id=draft_id)

        def carry(chosen: list[Any]) -> Message:
            try:
                added, refused = carry_attachments(self.store, draft_id, chosen,
                                                   source_draft=source_draft, bundle=bundle)
            except Exception as exc:
                return error_message(exc)
            window = self.windows.get(draft_id)
            page = getattr(window, "attachments_page", None)
            if page is not None:
                page.refresh()
            return carried_message(len(added), refused)

        title = self.store.draft(draft_id).title
        if self.carry_summary is not None:
            self.carry_summary.close()
        summary = CarrySummary(result, draft_id, title, source_name, self.lang, self.open_at,
                               carry, self)
        summary.destroyed.connect(lambda *_a: setattr(self, "carry_summary", None))
        self.carry_summary = summary
        summary.show()
        return draft_id

    def open_at(self, draft_id: int, path: str | None) -> Any:
        """The draft's window, at the field ``path`` (its first step when None)."""
        window = self.open_draft(draft_id)
        view = getattr(window, "view", None)
        if view is not None and path:
            view.go_to_item(path.split("[", 1)[0])
        return window

    # -- the recycle bin ----------------------------------------------------------------------

    def delete_selected(self) -> bool:
        """Move the selected draft to the recycle bin (restorable for 30 days). It asks; a
        finalized draft asks twice. A draft open in a window is closed first."""
        from giantdesk.store.api import BIN_DAYS  # loaded: the store is open

        draft_id = self.selected_id()
        if draft_id is None or self.store is None:
            return False
        info = self.store.draft(draft_id)
        title = info.title or S.UNTITLED.text(self.lang)
        if draft_id in self.windows:
            self._error(S.DELETE_TITLE, S.DELETE_OPEN_WINDOW.format(title=title))
            return False
        if info.finalized:
            if not (self._ask(S.DELETE_TITLE, S.DELETE_FINALIZED_QUESTION.format(title=title))
                    and self._ask(S.DELETE_TITLE, S.DELETE_FINALIZED_AGAIN.format(title=title, days=BIN_DAYS))):
                return False
        elif not self._ask(S.DELETE_TITLE, S.DELETE_QUESTION.format(title=title, days=BIN_DAYS)):
            return False
        try:
            until = self.store.delete_draft(draft_id, finalized=info.finalized) + timedelta(
                days=BIN_DAYS)
        except Exception as exc:
            self._error(S.DELETE_TITLE, error_message(exc))
            return False
        self.refresh()
        self._status(S.DELETED.format(title=title, until=local_time(until)))
        return True

    def show_bin(self) -> Any:
        from PySide6.QtCore import Qt

        from giantdesk.ui.home_dialogs import BinDialog

        if self.store is None:
            return None
        dialog = BinDialog(self.store, self.lang, self._restored, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _restored(self, draft_id: int) -> None:
        self.refresh()
        self.select(draft_id)
        info = self.store.draft(draft_id)
        self._status(S.UNDELETED.format(title=info.title or S.UNTITLED.text(self.lang)))

    def _purge_bin(self) -> None:
        """Drafts deleted more than 30 days ago are purged now — and the user is told."""
        from giantdesk.store.api import BIN_DAYS  # loaded: the store is open

        try:
            self.purged = list(self.store.purge_bin())
        except Exception:  # the next start tries again; nothing is lost meanwhile
            logging.getLogger("giantdesk.ui").exception("purging the recycle bin failed")
            return
        if self.purged:
            items = [S.PURGED_ITEM.format(title=d.title or S.UNTITLED,
                                          deleted=local_time(d.deleted_at)) for d in self.purged]
            message = S.PURGED_NOTICE.format(days=BIN_DAYS, items=Message(
                "\n".join(i.zh for i in items), "\n".join(i.en for i in items)))
            self.last_info = message
            QTimer.singleShot(0, lambda: self._info(S.BIN_TITLE, message))

    def rename_selected(self, title: str | None = None) -> bool:
        draft_id = self.selected_id()
        if draft_id is None:
            return False
        if title is None:
            from PySide6.QtWidgets import QInputDialog

            current = self.store.draft(draft_id).title
            text, ok = QInputDialog.getText(self, S.RENAME_TITLE.text(self.lang),
                                            S.RENAME_LABEL.text(self.lang), text=current)
            if not ok:
                return False
            title = text
        title = title.strip()
        if not title:
            return False
        try:
            self.store.set_title(draft_id, title)
        except Exception as exc:
            self._error(S.RENAME_TITLE, error_message(exc))
            return False
        self.refresh()
        return True

    def backup_now(self) -> Path | None:
        try:
            path = Path(self.store.backup("manual"))
        except Exception as exc:
            self._error(S.ACT_BACKUPS, error_message(exc))
            return None
        self._info(S.ACT_BACKUPS, S.BACKUP_DONE.format(path=path))
        return path

    def show_backups(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        folder = self.store.layout.root / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- messages -----------------------------------------------------------------------------

    def _status(self, message: Message) -> None:
        self.last_info = message
        self.statusBar().showMessage(message.text(self.lang), 8000)

    def _info(self, title: Message, message: Message) -> None:
        self.last_info = message
        from giantdesk.ui import dialogs

        dialogs.inform(self, title, message, self.lang)

    def _error(self, title: Message, message: Message) -> None:
        self.last_error = message
        from giantdesk.ui import dialogs

        dialogs.warn(self, title, message, self.lang)

    def _ask(self, title: Message, message: Message) -> bool:
        from giantdesk.ui import dialogs

        return dialogs.ask(self, title, message, self.lang)

    # -- language, closing --------------------------------------------------------------------

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
            menu.setTitle(text.text(lang))
        for button, text in self._buttons:
            button.setText(text.text(lang))
        self.title_label.setText(S.HOME_TITLE.text(lang))
        self.app_label.setText(S.APP_NAME.text(lang))
        self.language_label.setText(S.LANGUAGE.text(lang))
        self.table.setHorizontalHeaderLabels([c.text(lang) for c in COLUMNS])
        self.setWindowTitle(f"{S.HOME_TITLE.text(lang)} — GiantDesk")
        if self.store is not None:
            self.refresh()
        elif self.problem is not None:
            self.empty_label.setText(self.problem.text(lang))
        else:
            self.empty_label.setText(S.LOADING.text(lang))

    def closeEvent(self, event: QCloseEvent) -> None:
        for window in list(self.windows.values()):
            if not window.close():
                event.ignore()
                return
        geometry.remember(self, "home")
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Close the store and release the data folder (idempotent)."""
        if self.store is not None:
            self.store.close()
            self.store = None
        if self.lock is not None:
            if self.data_folder is not None:
                from giantdesk.ui.crash import end_session

                end_session(self.data_folder)  # a normal end: no notice next time
            self.lock.release()
            self.lock = None

