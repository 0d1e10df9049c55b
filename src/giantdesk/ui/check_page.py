"""The “核对与导出 / Check & export” page.

The whole-application check (``LiveForm.problems``: errors block, each warning needs a tick),
the eligibility summary (``rules.group_met``), the attachments checklist (an empty category is a
reminder, not a block), then ① Finalize (``store.finalize``) and ② Export (``export_bundle`` on a
worker thread with a progress bar and Cancel). At the end: the bundle's path, fingerprint and key
id, and buttons to open the PDF / the folder / the entry sheet. Only the bundle is written to the
chosen folder; "open the PDF" extracts a copy into this run's folder under the user's temp dir
(``fileops.scratch_dir``: removed when the app exits, or by a later run if a viewer held it).
"""

from __future__ import annotations

import errno
import logging
import tempfile
import zipfile
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from giantdesk.fileops import scratch_dir
from giantdesk.forms.evidence import CATEGORIES
from giantdesk.forms.live import LiveForm
from giantdesk.forms.messages import Message
from giantdesk.forms.progress import (
    KIND_WORDS,
    Confirm,
    Kind,
    eligibility,
    items_to_confirm,
    kind_of,
    to_fill_count,
)
from giantdesk.forms.record import Problem
from giantdesk.forms.rules import load_ruleset
from giantdesk.ui import dialogs
from giantdesk.ui import strings as S
from giantdesk.ui.display import error_message, local_time
from giantdesk.ui.progress import InlineProgress
from giantdesk.ui.style import set_state
from giantdesk.ui.worker import Job

PATH_ROLE = Qt.ItemDataRole.UserRole
KEY_ROLE = Qt.ItemDataRole.UserRole + 1


def _list_height(view: QListWidget, most: int = 260) -> int:
    """Tall enough for the first items with their wrapped lines (at most ``most`` pixels)."""
    width = max(view.viewport().width(), view.width(), 400) - 40
    metrics = view.fontMetrics()
    height = 0
    for i in range(min(view.count(), 10)):
        box = metrics.boundingRect(QRect(0, 0, width, 10000), Qt.TextFlag.TextWordWrap,
                                   view.item(i).text())
        height += box.height() + 6
    return min(max(height + 2 * view.frameWidth() + 4, 40), most)


def extract_problem(exc: BaseException) -> Message:
    """Why a member of the bundle could not be taken out, in words (not the error's text)."""
    if isinstance(exc, KeyError | zipfile.BadZipFile):
        return S.EXTRACT_BUNDLE_CHANGED
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return S.EXTRACT_DISK_FULL
    if isinstance(exc, PermissionError):
        return S.EXTRACT_DENIED
    if isinstance(exc, FileNotFoundError):
        return S.EXTRACT_BUNDLE_GONE
    return S.EXTRACT_UNREADABLE


class CheckPage(QScrollArea):
    #: The user clicked a problem: go to this field / table path.
    go_to = Signal(str)
    #: Finalized (or reopened) here: the window becomes read-only.
    status_changed = Signal()
    #: An item to confirm was ticked or unticked.
    confirmed_changed = Signal()

    def __init__(self, store: Any, draft_id: Callable[[], int], live: Callable[[], LiveForm],
                 lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkPage")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.store = store
        self.draft_id = draft_id
        self.live = live
        self.lang = lang
        self.last_error: Message | None = None
        #: Warnings the user ticked "已核实" (kept with the draft: ``store.confirm``).
        self.confirmed: set[str] = set()
        #: The draft's id if it has one yet (the ticks are read from the store once it has).
        self.existing_draft: Callable[[], int | None] = lambda: None
        self._confirmed_of: int | None = None
        self.job: Job | None = None
        self.result: Any = None
        #: How a file or folder is opened (tests replace it).
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        #: Write pending edits before the draft becomes read-only (the window's autosave);
        #: False (the save failed, the window said why) stops the finalization.
        self.before_finalize: Callable[[], bool] = lambda: True
        #: Inputs the window did not take (refused text): errors too, they block finalizing.
        self.refused: Callable[[], list[Problem]] = list
        self._errors: list[Problem] = []
        self._warnings: list[Confirm] = []
        self._finalized_at: Any = None

        body = QWidget(self)
        body.setObjectName("pageBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 16, 20, 20)
        layout.setSpacing(6)
        self.title = QLabel(body)
        self.title.setObjectName("partTitle")
        layout.addWidget(self.title)

        self.errors_heading = self._heading(body, layout)
        self.errors = QListWidget(body)
        self.errors.setObjectName("checkErrors")
        self.errors.setWordWrap(True)
        self.errors.itemClicked.connect(self._jump)
        self.errors.itemActivated.connect(self._jump)
        layout.addWidget(self.errors)

        self.warnings_heading = self._heading(body, layout)
        self.warnings = QListWidget(body)
        self.warnings.setObjectName("checkWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.itemChanged.connect(self._ticked)
        self.warnings.itemActivated.connect(self._jump)
        self.warnings.itemDoubleClicked.connect(self._jump)
        layout.addWidget(self.warnings)

        self.eligibility_heading = self._heading(body, layout)
        self.eligibility = QLabel(body)
        self.eligibility.setObjectName("checkEligibility")
        self.eligibility.setWordWrap(True)
        self.eligibility.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.eligibility)

        self.attachments_heading = self._heading(body, layout)
        checklist = QGridLayout()
        checklist.setHorizontalSpacing(24)
        checklist.setVerticalSpacing(2)
        self.checklist: dict[str, QLabel] = {}
        for i, category in enumerate(CATEGORIES):
            label = QLabel(body)
            label.setObjectName("checkAttachment")
            checklist.addWidget(label, i // 2, i % 2)
            self.checklist[category] = label
        layout.addLayout(checklist)

        layout.addSpacing(12)
        self.status = QLabel(body)
        self.status.setObjectName("checkStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        steps = QHBoxLayout()
        self.finalize_button = QPushButton(body)
        self.finalize_button.setObjectName("finalize")
        self.finalize_button.clicked.connect(self.finalize)
        self.export_button = QPushButton(body)
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self.export_dialog)
        steps.addWidget(self.finalize_button)
        steps.addWidget(self.export_button)
        steps.addStretch(1)
        layout.addLayout(steps)

        self.progress = InlineProgress(body, "exportProgress")
        self.progress.cancelled.connect(self.cancel_export)
        layout.addWidget(self.progress)

        self.result_box = QFrame(body)
        self.result_box.setObjectName("exportResult")
        result_layout = QGridLayout(self.result_box)
        self.result_title = QLabel(self.result_box)
        self.result_title.setObjectName("resultTitle")
        result_layout.addWidget(self.result_title, 0, 0, 1, 2)
        self.result_labels: list[QLabel] = []
        self.result_values: list[QLabel] = []
        for row in range(3):
            name, value = QLabel(self.result_box), QLabel(self.result_box)
            value.setObjectName("resultValue")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            result_layout.addWidget(name, row + 1, 0, Qt.AlignmentFlag.AlignTop)
            result_layout.addWidget(value, row + 1, 1)
            self.result_labels.append(name)
            self.result_values.append(value)
        result_layout.setColumnStretch(1, 1)
        open_row = QHBoxLayout()
        self.open_pdf_button = QPushButton(self.result_box)
        self.open_pdf_button.setObjectName("openPdf")
        self.open_pdf_button.clicked.connect(self.open_pdf)
        self.open_folder_button = QPushButton(self.result_box)
        self.open_folder_button.setObjectName("openFolder")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_sheet_button = QPushButton(self.result_box)
        self.open_sheet_button.setObjectName("openEntrySheet")
        self.open_sheet_button.clicked.connect(self.open_entry_sheet)
        for button in (self.open_pdf_button, self.open_folder_button, self.open_sheet_button):
            open_row.addWidget(button)
        open_row.addStretch(1)
        result_layout.addLayout(open_row, 4, 0, 1, 2)
        layout.addWidget(self.result_box)
        self.result_box.hide()
        layout.addStretch(1)
        self.setWidget(body)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the wizard focuses its first input
        self.retranslate(lang)

    def inputs(self) -> list[QWidget]:
        """What Tab visits on this page, in order (the wizard's 下一步 comes after)."""
        return [self.errors, self.warnings, self.finalize_button, self.export_button,
                self.progress.cancel_button, self.open_pdf_button, self.open_folder_button,
                self.open_sheet_button]

    @staticmethod
    def _heading(body: QWidget, layout: QVBoxLayout) -> QLabel:
        label = QLabel(body)
        label.setObjectName("checkHeading")
        label.setWordWrap(True)
        layout.addSpacing(6)
        layout.addWidget(label)
        return label

    # -- the check ----------------------------------------------------------------------------

    def _load_confirmed(self) -> None:
        """The ticks kept with the draft (once per draft; a failure leaves them unticked: the
        user ticks again, nothing is lost)."""
        draft_id = self.existing_draft()
        if draft_id is None or draft_id == self._confirmed_of:
            return
        self._confirmed_of = draft_id
        try:
            self.confirmed = set(self.store.confirmed(draft_id)) | self.confirmed
        except Exception:
            logging.getLogger("giantdesk.ui").exception("reading the confirmed items failed")

    def refresh(self) -> None:
        self._load_confirmed()
        lang = self.lang
        live = self.live()
        found = live.problems()
        definition = live.scope.definition
        self._errors = self.refused() + found.errors
        self._warnings = items_to_confirm(live, found)
        self.errors.clear()
        to_fill = 0
        for p in self._errors:
            kind = Kind.WRONG if p.code == "input.refused" else kind_of(p)
            to_fill += kind is Kind.TO_FILL
            word = KIND_WORDS[kind]
            mark = "○" if kind is Kind.TO_FILL else "✘"
            item = QListWidgetItem(f"{mark} {word.text(lang)} · {p.message.text(lang)}",
                                   self.errors)
            item.setData(PATH_ROLE, p.path)
            item.setForeground(Qt.GlobalColor.darkBlue if kind is Kind.TO_FILL
                               else Qt.GlobalColor.darkRed)
            item.setToolTip(S.GO_TO_FIELD.format(label=definition.label_of(p.path)).text(lang))
        self.errors.setVisible(bool(self._errors))
        self.errors_heading.setText(
            S.BLOCKING_HEADING.format(n=len(self._errors), fill=to_fill,
                                      fix=len(self._errors) - to_fill).text(lang)
            if self._errors else S.NO_ERRORS.text(lang))
        self.warnings.blockSignals(True)
        self.warnings.clear()
        for c in self._warnings:
            item = QListWidgetItem(c.message.text(lang), self.warnings)
            item.setData(PATH_ROLE, c.path)
            item.setData(KEY_ROLE, c.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if c.key in self.confirmed
                               else Qt.CheckState.Unchecked)
            where = S.GO_TO_FIELD.format(label=definition.label_of(c.path)) if c.path else None
            item.setToolTip(S.CHECKED.text(lang) + (f" — {where.text(lang)}" if where else ""))
        self.warnings.blockSignals(False)
        self.warnings.setVisible(bool(self._warnings))
        self.warnings_heading.setText(
            S.CONFIRM_HEADING.format(n=len(self._warnings)).text(lang) if self._warnings
            else S.NO_WARNINGS.text(lang))
        for view in (self.errors, self.warnings):
            view.setFixedHeight(_list_height(view))
        self._show_eligibility(live, to_fill_count(live, found))
        self._show_checklist()
        self._update_steps()

    def _show_eligibility(self, live: LiveForm, to_fill: int) -> None:
        """The same words as the eligibility panel: the verdict, and each criterion that
        fails (or lacks data) with its numbers."""
        ruleset = load_ruleset(live.scope.definition.rules)
        summary = eligibility(live, to_fill=to_fill)
        parts = []
        for group, label in ruleset.groups.items():
            met = summary.groups[group]
            colour, mark = (("#2e7d32", "✔") if met else ("#c62828", "✘") if met is False
                            else ("#757575", "…"))
            parts.append(f"<span style='color:{colour}'>{mark}&nbsp;"
                         f"{escape(label.text(self.lang))}</span>")
        lines = "".join(f"<br/>· {escape(c.message.text(self.lang))}" for c in summary.lines())
        self.eligibility.setText(f"<b>{escape(summary.headline.text(self.lang))}</b>{lines}"
                                 "<br/>" + " &nbsp; ".join(parts))

    def _show_checklist(self) -> None:
        try:
            infos = self.store.attachments(self.draft_id())
        except Exception:  # shown on the attachments page
            infos = []
        counts = {c: 0 for c in CATEGORIES}
        for info in infos:
            counts[info.category] = counts.get(info.category, 0) + 1
        for category, label in self.checklist.items():
            n = counts.get(category, 0)
            name = CATEGORIES[category].text(self.lang)
            text = (S.ATTACHMENT_PRESENT.format(category=name, n=n) if n
                    else S.ATTACHMENT_MISSING.format(category=name))
            label.setText(text.text(self.lang))
            set_state(label, "present", "true" if n else "false")

    def unconfirmed(self) -> int:
        return sum(1 for c in self._warnings if c.key not in self.confirmed)

    def blocking_count(self) -> int:
        """What stops finalizing now: errors, refused inputs, items not yet confirmed."""
        return len(self._errors) + self.unconfirmed()

    def finalized(self) -> bool:
        info = self.store.draft(self.draft_id())
        self._finalized_at = info.finalized_at
        return bool(info.finalized)

    def _update_steps(self) -> None:
        lang = self.lang
        finalized = self.finalized()
        busy = self.job is not None
        ok = not self._errors and self.unconfirmed() == 0
        self.finalize_button.setEnabled(ok and not finalized and not busy)
        self.export_button.setEnabled(ok and finalized and not busy)
        if self._errors:
            status, level = S.BLOCKED_ERRORS.format(n=len(self._errors)), "error"
        elif self.unconfirmed():
            status, level = S.BLOCKED_WARNINGS.format(n=self.unconfirmed()), "warning"
        elif finalized:
            status = S.FINALIZED_READY.format(when=local_time(self._finalized_at))
            level = "ok"
        else:
            status, level = S.READY_TO_FINALIZE, "ok"
        self.status.setText(status.text(lang))
        set_state(self.status, "level", level)

    def _jump(self, item: QListWidgetItem) -> None:
        path = item.data(PATH_ROLE)
        if path:
            self.go_to.emit(str(path))

    def _ticked(self, item: QListWidgetItem) -> None:
        key = str(item.data(KEY_ROLE))
        checked = item.checkState() == Qt.CheckState.Checked
        if checked:
            self.confirmed.add(key)
        else:
            self.confirmed.discard(key)
        try:  # kept with the draft: closing the window does not lose it
            self.store.confirm(self.draft_id(), {key: checked})
        except Exception as exc:  # still ticked in this window; said, and the log has why
            logging.getLogger("giantdesk.ui").exception("keeping a confirmation failed")
            self._error(S.CONFIRM_NOT_KEPT, error_message(exc))
        self._update_steps()
        self.confirmed_changed.emit()

    def confirm_all(self) -> None:
        """Tick every warning (tests; a user ticks them one by one)."""
        for i in range(self.warnings.count()):
            self.warnings.item(i).setCheckState(Qt.CheckState.Checked)

    # -- finalize -----------------------------------------------------------------------------

    def finalize(self) -> bool:
        if not dialogs.ask(self, S.STEP_FINALIZE, S.FINALIZE_QUESTION, self.lang):
            return False
        if not self.before_finalize():
            return False
        try:
            self.store.finalize(self.draft_id())
        except Exception as exc:
            self._error(S.EXPORT_FAILED, error_message(exc))
            return False
        self.status_changed.emit()
        self.refresh()
        if self.export_button.isEnabled():  # step ② next (the finalize button is disabled now)
            self.export_button.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # -- export -------------------------------------------------------------------------------

    def export_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, S.EXPORT_FOLDER_TITLE.text(self.lang))
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> Job:
        """Write the bundle of the finalized draft into ``folder`` on a worker thread."""
        from giantdesk.export.attachments import Attachment

        draft_id = self.draft_id()
        record = self.store.get_record(draft_id)
        finalized_at = self.store.finalized_at(draft_id)
        attachments = [Attachment(a.category, a.path, a.name, a.size, a.sha256)
                       for a in self.store.attachments(draft_id)]

        def run(progress: Any, cancel: Any) -> Any:
            from giantdesk.export.bundle import export_bundle

            return export_bundle(record, folder, attachments=attachments,
                                 finalized_at=finalized_at, progress=progress, cancel=cancel)

        job = Job(run, self)
        self.job = job
        self.result = None
        self.result_box.hide()
        job.progress.connect(self.progress.set_value)
        job.succeeded.connect(self._exported)
        job.failed.connect(self._export_failed)
        self.progress.start(S.EXPORTING, self.lang)
        self._update_steps()
        job.start()
        return job

    def cancel_export(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.progress.cancel_button.setEnabled(False)

    def _job_done(self) -> None:
        if self.job is not None:
            self.job.deleteLater()
        self.job = None
        self.progress.stop()
        self._update_steps()

    def _exported(self, result: Any) -> None:
        self._job_done()
        self.result = result
        self.last_error = None
        self._show_result()

    def _show_result(self) -> None:
        result = self.result
        if result is None:
            return
        lang = self.lang
        self.result_title.setText(S.EXPORT_DONE.text(lang))
        for label, text in zip(self.result_labels, (S.BUNDLE_PATH, S.FINGERPRINT, S.KEY_ID),
                               strict=True):
            label.setText(text.text(lang))
        for value, text in zip(self.result_values,
                               (str(result.path), result.fingerprint, result.key_id), strict=True):
            value.setText(text)
        self.result_box.show()
        self.ensureWidgetVisible(self.result_box)

    def _export_failed(self, exc: BaseException) -> None:
        self._job_done()
        from giantdesk.export.signing import KeyringUnavailable  # loaded with the export anyway

        log = logging.getLogger("giantdesk.ui")
        if isinstance(exc, KeyringUnavailable):
            # the user reads what to do; the backend, the error and the expert's options (its
            # technical ``detail``) go to the log — never an environment variable or a class
            # name in the dialog
            log.warning("signing key unavailable: %s | %s | cause: %r", exc.message.en,
                        exc.detail.en if exc.detail else "-", exc.__cause__)
            self._error(S.KEYRING_TITLE, exc.message)
            return
        log.warning("export failed: %r", exc)
        self._error(S.EXPORT_FAILED, error_message(exc))

    # -- opening the results ------------------------------------------------------------------

    def open_folder(self) -> None:
        if self.result is not None:
            self.open_url(QUrl.fromLocalFile(str(self.result.path.parent)))

    def open_pdf(self) -> Path | None:
        from giantdesk.export.bundle import PDF

        return self.open_member(PDF)

    def open_entry_sheet(self) -> Path | None:
        from giantdesk.export.bundle import ENTRY_SHEET

        return self.open_member(ENTRY_SHEET)

    def open_member(self, member: str) -> Path | None:
        """Extract ``member`` of the bundle into a new folder of this run's scratch folder
        (a viewer may still hold an earlier copy) and open it."""
        if self.result is None:
            return None
        bundle: Path = self.result.path
        try:
            folder = Path(tempfile.mkdtemp(prefix="open-", dir=scratch_dir()))
            target = folder / f"{bundle.stem}-{member}"
            with zipfile.ZipFile(bundle) as zf:
                target.write_bytes(zf.read(member))
        except (OSError, KeyError, zipfile.BadZipFile) as exc:  # words; the error to the log
            logging.getLogger("giantdesk.ui").warning("cannot extract %s from %s: %r",
                                                      member, bundle, exc)
            self._error(S.EXPORT_FAILED, S.CANNOT_EXTRACT.format(
                name=member, bundle=bundle.name, why=extract_problem(exc)))
            return None
        self.open_url(QUrl.fromLocalFile(str(target)))
        return target

    # -- chrome -------------------------------------------------------------------------------

    def _error(self, title: Message, message: Message) -> None:
        self.last_error = message
        dialogs.warn(self, title, message, self.lang)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.title.setText(S.CHECK_TITLE.text(lang))
        self.eligibility_heading.setText(S.ELIGIBILITY_HEADING.text(lang))
        self.attachments_heading.setText(S.ATTACHMENTS_HEADING.text(lang))
        self.finalize_button.setText(S.STEP_FINALIZE.text(lang))
        self.export_button.setText(S.STEP_EXPORT.text(lang))
        self.progress.retranslate(lang)
        self.open_pdf_button.setText(S.OPEN_PDF.text(lang))
        self.open_folder_button.setText(S.OPEN_FOLDER.text(lang))
        self.open_sheet_button.setText(S.OPEN_ENTRY_SHEET.text(lang))
        self._show_result()
        self.refresh()

    def shutdown(self) -> None:
        if self.job is not None:
            self.job.wait()
