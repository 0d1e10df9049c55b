#!/usr/bin/env python3
"""Build src/giantdesk/forms/data/gbt4754-2017.json from the two transcribed sources.

Usage (from the repository root)::

    python resources/data-tools/build_gbt4754.py          # write the JSON
    python resources/data-tools/build_gbt4754.py --check  # only verify it is up to date

Inputs (see the header of each file for repository, path and commit):

* ``sources/gbt4754-2017.newoa.tsv``    primary: every 小类 (1381), 门类, 大类, and the
  中类 that have more than one 小类;
* ``sources/gbt4754-2017.vue-init.tsv`` cross-check: lists every 中类 explicitly but
  misses four 小类 (2522, 3969, 5267, 7123).

The script merges them, applies the few documented corrections below, refuses any
other disagreement between the two sources, validates counts and hierarchy, and
writes the JSON (UTF-8, ``ensure_ascii=False``, ``indent=1``, keys sorted).
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PRIMARY = HERE / "sources" / "gbt4754-2017.newoa.tsv"
SECONDARY = HERE / "sources" / "gbt4754-2017.vue-init.tsv"
OUTPUT = ROOT / "src" / "giantdesk" / "forms" / "data" / "gbt4754-2017.json"

# Expected sizes of GB/T 4754-2017 (as amended, 2019): 门类/大类/中类/小类.
EXPECTED = {"sections": 20, "divisions": 97, "groups": 473, "classes": 1381}

# Corrections applied after normalisation.  Each one is justified in docs/code-tables.md.
FIXES: dict[str, str] = {
    # newOA has the near-miss "酒、饮料及精制茶制造业"; vue-init and the standard use "和".
    "15": "酒、饮料和精制茶制造业",
    # newOA keeps the 2011 name "其他金属制品制造", vue-init has the typo "锻造…";
    # the 2017 name (which moved 3391/3392 铸造 here) is confirmed by several other
    # public copies of the table.
    "339": "铸造及其他金属制品制造",
    # newOA: "?污水处理及其再生利用" (mis-encoded first character).
    "462": "污水处理及其再生利用",
    "4620": "污水处理及其再生利用",
}

# Known, accepted disagreements between the two sources (after normalisation), keyed by
# code: (primary name, secondary name).  Anything else makes the build fail.
KNOWN_NAME_DIFFS = {
    "15": ("酒、饮料及精制茶制造业", "酒、饮料和精制茶制造业"),
    "339": ("其他金属制品制造", "锻造及其他金属制品制造"),
    "4620": ("?污水处理及其再生利用", "污水处理及其再生利用"),
}
# 小类 present in the primary source only (the secondary one dropped them).
KNOWN_MISSING_IN_SECONDARY = {"2522", "3969", "5267", "7123"}

_ASCII_TO_FULLWIDTH = str.maketrans({"(": "（", ")": "）"})


def normalise(name: str) -> str:
    """Strip (ideographic) spaces and use the standard's full-width parentheses."""
    name = re.sub(r"[\s\u3000]+", "", name)
    return name.translate(_ASCII_TO_FULLWIDTH)


def read_tsv(path: Path) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        code, sep, name = line.partition("\t")
        if not sep or not re.fullmatch(r"[A-T]|\d{2,4}", code):
            raise SystemExit(f"{path.name}:{lineno}: bad line {line!r}")
        if code in seen:
            raise SystemExit(f"{path.name}:{lineno}: duplicate code {code}")
        seen.add(code)
        rows.append((code, normalise(name)))
    return rows


def section_of_divisions(rows: list[tuple[str, str]]) -> dict[str, str]:
    """Division → section letter, from the order of the rows (a letter heads its divisions)."""
    out: dict[str, str] = {}
    section = ""
    for code, _ in rows:
        if len(code) == 1:
            section = code
        elif len(code) == 2:
            out[code] = section
    return out


def build() -> dict[str, object]:
    primary = read_tsv(PRIMARY)
    secondary = read_tsv(SECONDARY)
    p = dict(primary)
    s = dict(secondary)

    # --- cross-check the two sources -------------------------------------------------
    problems: list[str] = []
    for code in sorted(set(p) | set(s)):
        if code in p and code in s:
            if p[code] != s[code] and KNOWN_NAME_DIFFS.get(code) != (p[code], s[code]):
                problems.append(f"{code}: {p[code]!r} != {s[code]!r}")
        elif code in p:  # only in primary
            if not (len(code) == 4 and code in KNOWN_MISSING_IN_SECONDARY):
                problems.append(f"{code}: only in primary ({p[code]!r})")
        else:  # only in secondary: must be a 中类 whose single 小类 is xxx0 in primary
            single = p.get(code + "0")
            if len(code) != 3 or single is None:
                problems.append(f"{code}: only in secondary ({s[code]!r})")
            elif single != s[code] and not (code in FIXES and FIXES[code] == FIXES.get(code + "0")):
                problems.append(f"{code}: group {s[code]!r} != its class {single!r}")
    missing_secondary = {c for c in p if c not in s}
    if missing_secondary != KNOWN_MISSING_IN_SECONDARY:
        problems.append(f"unexpected set missing from secondary: {sorted(missing_secondary)}")
    if section_of_divisions(primary) != section_of_divisions(secondary):
        problems.append("section of some division differs between the sources")
    if problems:
        raise SystemExit("sources disagree:\n  " + "\n  ".join(problems))

    # --- merge ---------------------------------------------------------------------------
    names = dict(p)
    for code, name in s.items():
        names.setdefault(code, name)  # the 199 single-class 中类 come from the secondary
    names.update(FIXES)

    division_section = section_of_divisions(primary)
    sections = {c: {"zh": n} for c, n in names.items() if len(c) == 1}
    divisions = {c: {"zh": names[c], "section": division_section[c]} for c in names if len(c) == 2}
    groups = {c: {"zh": n, "division": c[:2]} for c, n in names.items() if len(c) == 3}
    classes = {c: {"zh": n, "group": c[:3]} for c, n in names.items() if len(c) == 4}

    # --- validate ------------------------------------------------------------------------
    table = {"sections": sections, "divisions": divisions, "groups": groups, "classes": classes}
    for level, size in EXPECTED.items():
        if len(table[level]) != size:
            raise SystemExit(f"{level}: {len(table[level])} entries, expected {size}")

    def require(ok: bool, message: str) -> None:
        if not ok:
            raise SystemExit(message)

    for code, entry in classes.items():
        require(entry["group"] in groups, f"小类 {code}: no 中类 {entry['group']}")
    for code, entry in groups.items():
        require(entry["division"] in divisions, f"中类 {code}: no 大类 {entry['division']}")
        require(any(c.startswith(code) for c in classes), f"中类 {code} has no 小类")
    for code, entry in divisions.items():
        require(entry["section"] in sections, f"大类 {code}: no 门类 {entry['section']}")
        require(any(g.startswith(code) for g in groups), f"大类 {code} has no 中类")
    for letter in sections:
        require(letter in division_section.values(), f"门类 {letter} has no 大类")
    for entries in table.values():
        for code, entry in entries.items():
            zh = entry["zh"]
            require(bool(zh) and not re.search(r"[()?]", zh), f"{code}: bad name {zh!r}")

    source = (
        "Primary: github.com/bi38324/newOA, newoa.sql (table `industry`, 1772 rows), "
        "commit 81603f55533e8b63f21ccfe5beb0597ab9e502d0. "
        "Cross-check: github.com/Czsx-525/Vue-init, src/components/industry/IndustryPicker.vue, "
        "commit d112c559a70a3e54adccd99c34fa2c5f0e9dc25c. "
        "Both transcribed to resources/data-tools/sources/*.tsv and merged by "
        "resources/data-tools/build_gbt4754.py. The two agree on every code and name except: "
        "4 小类 (2522, 3969, 5267, 7123) missing from the cross-check source (kept); "
        "the 199 single-小类 中类 have no row in the primary (names taken from the "
        "cross-check, equal to their xxx0 小类). Fixes: 15 → 酒、饮料和精制茶制造业 "
        "(primary had 及); 339 → 铸造及其他金属制品制造 (primary had the 2011 name "
        "其他金属制品制造, cross-check the typo 锻造…; confirmed by other public copies); "
        "462/4620 stray '?' removed; whitespace stripped; ASCII parentheses made "
        "full-width as in the standard. 1381 小类 = count after the 2019 第1号修改单 "
        "as commonly cited (the original 2017 text has 1380); the sources do not say "
        "which edition they follow."
    )
    return {"standard": "GB/T 4754-2017", "source": source, **table}


def render(data: dict[str, object]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the JSON is stale")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date; run {Path(__file__).name}", file=sys.stderr)
            return 1
        print(f"{OUTPUT.name} is up to date")
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    data = json.loads(text)
    counts = ", ".join(f"{k} {len(data[k])}" for k in EXPECTED)
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
