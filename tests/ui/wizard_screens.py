"""The wizard in a real window (``giantdesk.ui.app.main`` on an X display), for a test and for
the screenshots in ``docs/screenshots``.

Run in a child process with ``QT_QPA_PLATFORM=xcb`` and the ``DISPLAY`` of an Xvfb at 1366×768,
``GIANTDESK_HOME`` set: ``python -m tests.ui.wizard_screens SCENARIO OUT_DIR``.

* ``next``: a new Annex 1 draft; the 下一步 button: is it visible, inside the window and the
  screen; a real mouse click on it; which step is shown then. Prints one JSON line.
* ``shots``: an Annex 1 draft in progress (the sample with a criterion failing, a value to
  correct, an item to fill and one to confirm); every step (the review page and the check page
  among them), the carry-over summary and the home window, in Chinese and English, saved as
  8-bit PNGs into OUT_DIR.

To refresh the documentation's screenshots::

    xvfb-run -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb GIANTDESK_HOME=$(mktemp -d) \\
        .venv/bin/python -m tests.ui.wizard_screens shots docs/screenshots
"""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QFont, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from giantdesk.forms.record import loads
from giantdesk.ui import app as gui
from giantdesk.ui import language

from .real_window import rect, settle, when_store_open

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "annex1-pass.json"


def next_button(out: Path) -> None:
    def listed(home: Any) -> None:
        when_store_open(home, lambda: step(home))

    def step(home: Any) -> None:
        draft_id = home.new_draft("annex1-batch4")
        window = home.windows[draft_id]
        settle(400)
        view = window.view
        button = view.nav.next_button
        top_left = button.mapTo(window, QPoint(0, 0))
        inside = window.rect().contains(top_left) and window.rect().contains(
            top_left + QPoint(button.width() - 1, button.height() - 1))
        screen = window.screen().availableGeometry()
        global_rect = [*(lambda p: [p.x(), p.y()])(button.mapToGlobal(QPoint(0, 0))),
                       button.width(), button.height()]
        before = view.current_part()
        header = view.step_bar.title.text()
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        settle(200)
        result = {
            "visible": button.isVisible(), "inside_window": inside,
            "button": global_rect, "available": rect(screen), "text": button.text(),
            "before": before, "after": view.current_part(), "header_before": header,
            "header_after": view.step_bar.title.text(),
            "focus": view.focusWidget().objectName() if view.focusWidget() else "",
        }
        window.grab().save(str(out / "next.png"))
        print(json.dumps(result, ensure_ascii=False), flush=True)
        window.close()
        home.close()

    sys.exit(gui.main([], on_listed=listed))


def _in_progress(home: Any) -> int:
    """The sample with 特色化 failing (8.2 %), a mobile number to correct, the e-mail and the
    chain's customers to fill, and an expired certificate to confirm."""
    record = loads(SAMPLE.read_bytes())
    record.values["distinctiveness.market_share"] = Decimal("8.20")
    record.values["distinctiveness.main_product_sales"] = Decimal("10200.00")
    record.values["legal_rep.mobile"] = "1391234567"
    for field_id in ("contact.email", "chain.customers", "other.introduction"):
        record.values.pop(field_id, None)
    for row in record.tables["refinement.certifications"]:  # expired: JX-2 says "请核实"
        row["valid_until"] = date(2021, 6, 30)
    draft_id = int(home.store.import_record(record, "苏州精研微动科技股份有限公司"))
    home.refresh()
    return draft_id


def save_small(widget: Any, path: Path) -> None:
    """An 8-bit palette PNG (a screenshot of flat colours and text loses nothing visible)."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    image.convertToFormat(QImage.Format.Format_Indexed8,
                          Qt.ImageConversionFlag.AvoidDither).save(str(path), "PNG", 0)


def shots(out: Path) -> None:
    def listed(home: Any) -> None:
        when_store_open(home, lambda: QTimer.singleShot(300, lambda: step(home)))

    def step(home: Any) -> None:
        font = QApplication.font()  # crisp text: a tenth of the bytes of anti-aliased text
        font.setStyleStrategy(QFont.StyleStrategy.NoAntialias)
        QApplication.setFont(font)
        draft_id = _in_progress(home)
        window = home.open_draft(draft_id)
        settle(500)
        view = window.view
        names: list[str] = []
        for lang in ("zh", "en"):
            language.choose(lang)
            settle(300)
            steps = view.steps()
            for number, index in enumerate(steps, start=1):
                view.go_to_part(index, focus=True)
                settle(250)
                key = (view.definition.parts[index].id if index < len(view.definition.parts)
                       else view.current_key())
                name = f"wizard-{lang}-{number:02d}-{key}.png"
                save_small(window, out / name)
                names.append(name)
            home.select(draft_id)
            review_id = home.carry_over_selected()  # the summary: carried, to fill, files
            settle(300)
            carry_name = f"wizard-carry-{lang}.png"
            save_small(home.carry_summary, out / carry_name)
            home.carry_summary.close()
            home_name = f"wizard-home-{lang}.png"
            home.refresh()
            settle(200)
            save_small(home, out / home_name)
            names += [carry_name, home_name]
            home.store.delete_draft(review_id)
            home.refresh()
        language.choose("zh")
        print(json.dumps({"saved": names}, ensure_ascii=False), flush=True)
        window.close()
        home.close()

    sys.exit(gui.main([], on_listed=listed))


if __name__ == "__main__":
    scenario, folder = sys.argv[1], Path(sys.argv[2])
    {"next": next_button, "shots": shots}[scenario](folder)
    QApplication.quit()
