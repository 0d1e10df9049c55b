"""The eligibility panel: every criterion of the 2022 standard, its status, numbers and sentence."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from giantdesk.forms.model import FormDefinition
from giantdesk.forms.progress import Eligibility, Verdict, used_values
from giantdesk.forms.rules import RULE_ORDER, RuleResult, RuleSet, Status, group_met
from giantdesk.ui import strings as S
from giantdesk.ui.style import set_state

#: Status → (style sheet colour name, symbol).
STATUS_STYLE = {
    Status.PASS: ("pass", "✔"),
    Status.FAIL: ("fail", "✘"),
    Status.WARN: ("warn", "!"),
    Status.NA: ("na", "…"),
}
STATUS_COLOURS = {Status.PASS: "#2e7d32", Status.FAIL: "#c62828", Status.WARN: "#a15c00",
                  Status.NA: "#757575"}
STATUS_WORD = {Status.PASS: S.STATUS_PASS, Status.FAIL: S.STATUS_FAIL, Status.WARN: S.STATUS_WARN,
               Status.NA: S.STATUS_NA}


class RuleRow(QFrame):
    """One criterion: a coloured mark, its title and status, and the message with its numbers.

    One rich-text label per rule (not nested layouts), so word-wrapping re-flows correctly when
    the language changes.
    """

    clicked = Signal(str)

    def __init__(self, rule_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rule_id = rule_id
        self.status = Status.NA
        self.setObjectName(f"rule:{rule_id}")
        self.setProperty("rule", True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 6, 4)
        self.label = QLabel(self)
        self.label.setObjectName("ruleText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.label)

    def show_result(self, result: RuleResult, ruleset: RuleSet, lang: str,
                    definition: FormDefinition | None = None) -> None:
        """Show ``result``; widgets are touched only where what they show changed (a style
        re-polish is costly, and an edit changes one or two rules)."""
        self.status = result.status
        style, symbol = STATUS_STYLE[result.status]
        set_state(self, "status", style)
        title = ruleset.rules[result.id].title.text(lang)
        word = STATUS_WORD[result.status].text(lang)
        colour = STATUS_COLOURS[result.status]
        text = (f"<span style='color:{colour}; font-weight:700'>{symbol}</span>&nbsp; "
                f"<b>{escape(result.id)}&nbsp; {escape(title)}</b> · "
                f"<span style='color:{colour}; font-weight:600'>{escape(word)}</span><br/>"
                f"<span style='color:#37474f'>{escape(result.message.text(lang))}</span>")
        if text != self.label.text():
            self.label.setText(text)
        tip = [f"<b>{escape(S.OFFICIAL_TEXT.text(lang))}</b>：{escape(result.text.text(lang))}"]
        if not result.text_verified:
            tip.append(f"<i>{escape(S.TEXT_UNVERIFIED.text(lang))}</i>")
        if result.threshold.zh:
            tip.append(f"<b>{escape(S.THRESHOLD.text(lang))}</b>："
                       f"{escape(result.threshold.text(lang))}")
        if result.values and definition is not None:  # named by their labels, never ids
            used = "<br/>".join(f"· {escape(what.text(lang))}：{escape(value.text(lang))}"
                                for what, value in used_values(definition, result))
            tip.append(f"<b>{escape(S.VALUES_USED.text(lang))}</b>：<br/>{used}")
        tip.append(f"<i>{escape(S.CLICK_TO_GO.text(lang))}</i>")
        tooltip = "<p style='white-space:pre-wrap'>" + "<br/>".join(tip) + "</p>"
        if tooltip != self.toolTip():
            self.setToolTip(tooltip)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.rule_id)
        super().mouseReleaseEvent(event)


class EligibilityPanel(QScrollArea):
    """Groups 专业化 … 主导产品所属领域, exclusions and eligibility, with every rule's status."""

    rule_clicked = Signal(str)

    def __init__(self, ruleset: RuleSet, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ruleset = ruleset
        self.lang = lang
        self.setObjectName("eligibilityPanel")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self)
        body.setObjectName("panelBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(6)
        self.heading = QLabel(body)
        self.heading.setObjectName("panelTitle")
        layout.addWidget(self.heading)
        self.summary = QLabel(body)
        self.summary.setObjectName("panelSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.group_labels: dict[str, QLabel] = {}
        self.rows: dict[str, RuleRow] = {}
        for group in ruleset.groups:
            label = QLabel(body)
            label.setObjectName("groupTitle")
            label.setWordWrap(True)
            layout.addWidget(label)
            self.group_labels[group] = label
            for rule_id in RULE_ORDER:
                if ruleset.rules[rule_id].group == group:
                    row = RuleRow(rule_id, body)
                    row.clicked.connect(self.rule_clicked)
                    layout.addWidget(row)
                    self.rows[rule_id] = row
        self.notice = QLabel(body)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        layout.addSpacing(6)
        layout.addWidget(self.notice)
        layout.addStretch(1)
        self.setWidget(body)
        self._results: dict[str, RuleResult] = {}
        #: The form (tooltips name the values a rule used by their labels).
        self.definition: FormDefinition | None = None
        #: The summary from the core (``forms.progress.eligibility``), when the view gave one.
        self._summary: Eligibility | None = None

    def show_results(self, results: dict[str, RuleResult], lang: str) -> None:
        """Every card, the group titles and the summary (start, language change)."""
        self.lang = lang
        self._results = dict(results)
        self.heading.setText(S.PANEL_TITLE.text(lang))
        for rule_id, row in self.rows.items():
            if rule_id in results:
                row.show_result(results[rule_id], self.ruleset, lang, self.definition)
        self._show_groups()
        self.notice.setText(self.ruleset.notice.text(lang))

    def update_results(self, changed: dict[str, RuleResult],
                       results: dict[str, RuleResult]) -> None:
        """After an edit: only the cards of the rules whose result changed (``Update.rules``),
        then the group titles and summary where their state changed."""
        self._results = dict(results)
        for rule_id, result in changed.items():
            row = self.rows.get(rule_id)
            if row is not None:
                row.show_result(result, self.ruleset, self.lang, self.definition)
        if changed:
            self._show_groups()

    def _show_groups(self) -> None:
        lang, results = self.lang, self._results
        failed = missing = 0
        for group, label in self.group_labels.items():
            met = group_met(results, group) if results else None
            failed += met is False
            missing += met is None
            state = "pass" if met else "fail" if met is False else "na"
            set_state(label, "status", state)
            mark = "✔" if met else "✘" if met is False else "…"
            text = f"{mark} {self.ruleset.groups[group].text(lang)}"
            if text != label.text():
                label.setText(text)
            if group == "CX":
                label.setToolTip(S.CX_DIRECT.text(lang))
        if self._summary is not None:
            self._show_summary()
            return
        if failed:
            summary, state = S.NOT_ELIGIBLE.format(n=failed), "fail"
        elif missing:
            summary, state = S.INCOMPLETE.format(n=missing), "na"
        else:
            summary, state = S.ELIGIBLE, "pass"
        if summary.text(lang) != self.summary.text():
            self.summary.setText(summary.text(lang))
        set_state(self.summary, "status", state)

    def show_summary(self, summary: Eligibility) -> None:
        """The verdict in words, and which criterion fails (or lacks data) and why, with its
        numbers — "特色化：主导产品全国细分市场占有率 8.20%，要求 ≥ 10%" (the core's lines)."""
        self._summary = summary
        self._show_summary()

    def _show_summary(self) -> None:
        summary, lang = self._summary, self.lang
        assert summary is not None
        # which criterion fails and why; what lacks data is on the cards below
        lines = summary.failed
        text = summary.headline.text(lang)
        if lines:
            text += "\n" + "\n".join(f"· {c.message.text(lang)}" for c in lines[:4])
            if len(lines) > 4:
                text += "\n" + S.AND_MORE.format(n=len(lines) - 4).text(lang)
        if text != self.summary.text():
            self.summary.setText(text)
        state = {Verdict.MET: "pass", Verdict.NOT_MET: "fail"}.get(summary.verdict, "na")
        set_state(self.summary, "status", state)

    def retranslate(self, lang: str) -> None:
        self.show_results(self._results, lang)
