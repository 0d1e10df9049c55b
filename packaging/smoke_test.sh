#!/usr/bin/env bash
# Smoke test of the frozen onedir app (run after `make package`): the console program and the
# GUI program start, find their data, render, sign with a throwaway demo key, verify, and use
# the store. Usage: packaging/smoke_test.sh [DIST_DIR]   (default dist/GiantDesk)
set -euo pipefail
dist="${1:-dist/GiantDesk}"
cli="$dist/giantdesk"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GIANTDESK_HOME="$work/home"
samples="$dist/_internal/resources/samples"

"$cli" --version
"$cli" forms | grep -q annex2-batch1-review
"$cli" check "$samples/annex1-pass.json" --format json | grep -q '"valid": true'
"$cli" rules "$samples/annex1-pass.json" --format json | grep -q '"eligible": true'
"$cli" --lang en doctor || true   # reports the keyring state; a headless box has none
"$cli" demo --out "$work/out" 2>/dev/null
"$cli" verify "$work"/out/*.zip --format json | grep -q '"valid": true'
"$cli" summarize annex3 "$work/out" --out "$work/annex3.xlsx" --docx "$work/annex3.docx" >/dev/null
[ -s "$work/annex3.xlsx" ] && [ -s "$work/annex3.docx" ]
"$cli" drafts import "$samples/annex2-pass.json" | grep -q '^1$'
"$cli" drafts set 1 contact.name 王丽娜 | grep -q saved
"$cli" backup >/dev/null
# The GUI program really starts (offscreen): home window, store, log.
QT_QPA_PLATFORM=offscreen "$dist/GiantDesk" --self-test 2>/dev/null | grep -q "store opened"
# Killed while open (no chance to clean up), it leaves a store the next program opens.
QT_QPA_PLATFORM=offscreen "$dist/GiantDesk" 2>/dev/null &
gui=$!
sleep 3
kill -0 "$gui"  # still running: it started and did not crash
kill -9 "$gui"
wait "$gui" 2>/dev/null || true
"$cli" drafts show 1 --format json | grep -q 王丽娜
QT_QPA_PLATFORM=offscreen "$dist/GiantDesk" --self-test 2>/dev/null | grep -q "store opened, 1 draft"
# Without a display it must explain itself and exit 1, never abort.
set +e
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$dist/GiantDesk" >"$work/gui.txt" 2>&1
code=$?
set -e
[ "$code" = 1 ] && grep -q "giantdesk --help" "$work/gui.txt"
# The lean bundle: one archive for both programs, the icon, Qt's Chinese strings (the only
# translation kept), and none of what packaging/build_support.py leaves out.
internal="$dist/_internal"
[ "$(find "$dist" -maxdepth 1 -name '*.pkg' | wc -l)" = 1 ]
[ -s "$internal/resources/icons/giantdesk.png" ]
[ "$(find "$internal" -name '*.qm' -printf '%f\n')" = qtbase_zh_CN.qm ]
left_out=$(find "$internal" \( -iname '*wayland*' -o -iname '*qgtk3*' -o -iname '*qt6network*' \
  -o -iname '*qt6svg*' -o -iname 'opengl32sw.dll' -o -path '*/plugins/tls/*' \
  -o -path '*/plugins/imageformats/*' -o -iname '*eglfs*' -o -iname '*qvnc*' \) -print)
[ -z "$left_out" ] || { echo "should have been left out: $left_out"; exit 1; }
echo "smoke test passed: $dist ($(du -sm "$dist" | cut -f1) MB, $(find "$dist" -type f | wc -l) files)"
