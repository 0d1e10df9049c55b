# GiantDesk — two commands on a fresh Debian/Ubuntu machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# System libraries Qt needs (offscreen and on a real display), fonts for CJK screenshots,
# poppler for looking at PDFs. Installed only when running as root and something is missing.
QT_DEBS := libglib2.0-0 libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 \
           libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
           libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 \
           libx11-xcb1 libxcb-xkb1 libxcb-sync1 libxcb-xfixes0 libxcb-shm0
# makensis: `make installer` (and its test) build the Windows installer here too.
TOOL_DEBS := nsis
# The printed-copy tests: pdftoppm/pdftotext (poppler) and zbarimg (QR codes at 100 dpi);
# the real-window tests: an Xvfb display (xvfb, xauth).
TEST_DEBS := poppler-utils zbar-tools xvfb xauth

.PHONY: run test lint bench package installer sysdeps venv clean

sysdeps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  missing=""; for p in $(QT_DEBS) $(TOOL_DEBS) $(TEST_DEBS); do \
	    dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends $$missing >/dev/null; \
	  fi; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: sysdeps venv
	@$(BIN)/python -m giantdesk.ui.app || { code=$$?; \
	  if [ -z "$$DISPLAY$$WAYLAND_DISPLAY$$QT_QPA_PLATFORM" ]; then \
	    echo; echo "命令行 / the command line here: $(BIN)/giantdesk --help   ($(BIN)/giantdesk demo --out out)"; \
	  fi; exit $$code; }

test: sysdeps venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests bench packaging resources
	$(BIN)/mypy

lint: venv
	$(BIN)/ruff check src tests bench packaging resources
	$(BIN)/mypy

bench: venv
	$(BIN)/python -m bench

# The frozen onedir app (PyInstaller; build on Windows for the Windows installer) + smoke test.
package: venv
	$(BIN)/python -m pip install -q -e '.[package]'
	$(BIN)/pyinstaller --noconfirm --distpath dist --workpath build packaging/giantdesk.spec
	packaging/smoke_test.sh dist/GiantDesk

# The Windows installer (NSIS) around whatever dist/GiantDesk holds → dist/GiantDesk-<version>-setup.exe.
installer: sysdeps venv
	$(BIN)/python packaging/installer.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
