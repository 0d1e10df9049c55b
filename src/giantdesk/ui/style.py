"""The application style sheet: status colours shared by fields, parts and the panel.

Two properties of the home window's first paint are set here (``qproperty-…``) rather than in
code: naming ``Qt.AlignmentFlag`` or ``Qt.FocusPolicy`` makes PySide6 build the Python enum
classes of Qt's whole namespace, which the start path avoids (see ``ui/home.py``)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

GREEN, RED, AMBER, GREY = "#2e7d32", "#c62828", "#a15c00", "#757575"

STYLE_SHEET = f"""
QWidget#header {{ background: #f5f7fa; border-bottom: 1px solid #dde2e8; }}
QComboBox#language {{ qproperty-focusPolicy: ClickFocus; }}
QLabel#homeEmpty {{ qproperty-alignment: AlignCenter; }}
QLabel#draftTitle {{ font-size: 16pt; font-weight: 600; }}
QLabel#formTitle {{ color: {GREY}; }}
QLabel#savedIndicator {{ padding: 2px 10px; border-radius: 9px; }}
QLabel#savedIndicator[saved="true"] {{ color: {GREEN}; background: #e8f5e9; }}
QLabel#savedIndicator[saved="false"] {{ color: {AMBER}; background: #fff4e0; }}
QLabel#savedIndicator[saved="error"] {{ color: white; background: {RED}; }}
QListWidget#parts {{ border: none; background: #fafbfc; font-size: 11pt; }}
QListWidget#parts::item {{ padding: 3px 6px; }}
QListWidget#parts::item:selected {{ background: #dbe8fb; color: black; }}
QWidget#pageBody {{ background: white; }}
QLabel#partTitle {{ font-size: 15pt; font-weight: 600; }}
QLabel#partNote {{ color: {GREY}; }}
QLabel#formNote {{ background: #f8f9fa; border: 1px solid #e3e6ea; padding: 8px; }}
QLabel#tableTitle, QLabel#gridHeader {{ font-weight: 600; }}
QLabel#unit {{ color: {GREY}; }}
QLabel#noCell {{ color: #bdbdbd; }}
QLabel#fieldMessage[level="error"] {{ color: {RED}; }}
QLabel#fieldMessage[level="warning"] {{ color: {AMBER}; }}
QLineEdit[state="error"], QPlainTextEdit[state="error"], QComboBox[state="error"] {{
    border: 1px solid {RED}; border-radius: 3px; padding: 2px; }}
QLineEdit[state="warning"], QPlainTextEdit[state="warning"], QComboBox[state="warning"] {{
    border: 1px solid #e0a030; border-radius: 3px; padding: 2px; }}
QLabel#choiceText[state="error"] {{ color: {RED}; }}
QLineEdit[computed="true"] {{ background: #f1f3f5; color: #37474f; }}
QScrollArea#eligibilityPanel {{ border: none; border-left: 1px solid #dde2e8; }}
QWidget#panelBody {{ background: #fcfcfd; }}
QLabel#panelTitle {{ font-size: 13pt; font-weight: 600; }}
QLabel#panelSummary {{ padding: 6px; border-radius: 4px; font-weight: 600; }}
QLabel#panelSummary[status="pass"] {{ color: {GREEN}; background: #e8f5e9; }}
QLabel#panelSummary[status="fail"] {{ color: {RED}; background: #fdecea; }}
QLabel#panelSummary[status="na"] {{ color: {GREY}; background: #f0f0f0; }}
QLabel#groupTitle {{ font-weight: 600; margin-top: 6px; }}
QLabel#groupTitle[status="pass"] {{ color: {GREEN}; }}
QLabel#groupTitle[status="fail"] {{ color: {RED}; }}
QLabel#groupTitle[status="na"] {{ color: {GREY}; }}
QFrame[rule="true"] {{ border-radius: 3px; border-left: 4px solid #bdbdbd; background: #f5f5f5; }}
QFrame[rule="true"][status="pass"] {{ border-left-color: {GREEN}; background: #eef7ee; }}
QFrame[rule="true"][status="fail"] {{ border-left-color: {RED}; background: #fdecea; }}
QFrame[rule="true"][status="warn"] {{ border-left-color: #e0a030; background: #fff6e5; }}
QFrame[rule="true"] QLabel {{ background: transparent; border: none; }}
QLabel#ruleMark {{ font-weight: 700; }}
QLabel#ruleMark[status="pass"] {{ color: {GREEN}; }}
QLabel#ruleMark[status="fail"] {{ color: {RED}; }}
QLabel#ruleMark[status="warn"] {{ color: {AMBER}; }}
QLabel#ruleMark[status="na"] {{ color: {GREY}; }}
QLabel#ruleTitle {{ font-weight: 600; }}
QLabel#ruleMessage {{ color: #37474f; }}
QFrame#finalizedBanner {{ background: #e8f5e9; border-bottom: 1px solid #b9dcbb; }}
QLabel#bannerText {{ color: {GREEN}; font-weight: 600; }}
QLabel#checkHeading {{ font-weight: 600; font-size: 11pt; }}
QLabel#checkStatus {{ padding: 6px; border-radius: 4px; font-weight: 600; }}
QLabel#checkStatus[level="error"] {{ color: {RED}; background: #fdecea; }}
QLabel#checkStatus[level="warning"] {{ color: {AMBER}; background: #fff4e0; }}
QLabel#checkStatus[level="ok"] {{ color: {GREEN}; background: #e8f5e9; }}
QLabel#checkAttachment[present="true"] {{ color: {GREEN}; }}
QLabel#checkAttachment[present="false"] {{ color: {GREY}; }}
QFrame#exportResult {{ border: 1px solid #b9dcbb; border-radius: 4px; background: #f3faf3; }}
QLabel#resultTitle {{ font-weight: 600; font-size: 12pt; color: {GREEN}; }}
QLabel#resultValue {{ font-family: monospace; }}
QLabel#homeEmpty {{ color: {GREY}; font-size: 12pt; padding: 40px; }}
QLabel#homeEmpty[problem="true"] {{ color: {RED}; }}
QTableWidget#drafts {{ font-size: 10.5pt; }}
QLabel[notice="true"] {{ padding: 6px; border-radius: 4px; }}
QLabel[notice="true"][level="error"] {{ color: {RED}; background: #fdecea; }}
QLabel[notice="true"][level="ok"] {{ color: {GREEN}; background: #e8f5e9; }}
QLabel[notice="true"][level="info"] {{ color: {GREY}; background: #f0f0f0; }}
QLabel#notice {{ color: {GREY}; font-size: 9pt; border-top: 1px solid #e0e0e0; padding-top: 6px; }}
QFrame#stepBar {{ background: #f5f7fa; border-bottom: 1px solid #e3e6ea; }}
QLabel#stepTitle {{ font-weight: 600; }}
QLabel#stepSummary {{ color: #37474f; }}
QFrame#navBar {{ background: #f5f7fa; border-top: 1px solid #e3e6ea; }}
QLabel#navFollowing {{ color: {GREY}; padding-right: 8px; }}
QPushButton#stepNext {{ font-weight: 600; }}
QLabel#charCounter {{ color: {GREY}; font-size: 9pt; }}
QLabel#charCounter[level="error"] {{ color: {RED}; }}
QLabel#partNote a, QLabel#reviewCriteria a {{ color: #1a5fb4; }}
/* A visible focus frame on every input and button (keyboard users see where they are). */
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QListWidget:focus, QTreeWidget:focus,
QTableWidget:focus {{ border: 2px solid #1a73e8; border-radius: 3px; }}
QPushButton:focus {{ border: 2px solid #1a73e8; border-radius: 4px; padding: 4px 10px; }}
QCheckBox:focus {{ background: #e3eefc; border-radius: 3px; }}
QLabel[links="true"]:focus {{ background: #e3eefc; border-radius: 3px; }}
/* Finalized (read-only) pages: dark text, not Qt's pale disabled grey. */
QWidget#pageBody QLineEdit:disabled, QWidget#pageBody QPlainTextEdit:disabled,
QWidget#pageBody QComboBox:disabled {{ color: #212121; background: #f7f8f9; }}
QWidget#pageBody QLabel:disabled, QWidget#pageBody QCheckBox:disabled {{ color: #212121; }}
QWidget#pageBody QTableWidget:disabled {{ color: #212121; }}
"""


def set_state(widget: QWidget, name: str, value: str) -> bool:
    """Set the dynamic property ``name`` that the style sheet reads, re-polishing ``widget``
    only when the value changes (a re-polish costs a style lookup and a repaint). True when it
    changed."""
    if widget.property(name) == value:
        return False
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    return True
