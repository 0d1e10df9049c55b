"""Record probes: hostile record files through ``check``, ``rules``, ``drafts import``,
``export`` (+ ``verify`` of what it writes) and ``drafts carry-over``; hostile typed values
through ``drafts set``.

The chain's promise (issue 10): every path reads a record through the one reader, so they all
agree — a file ``check`` cannot read (exit 2) no command imports or exports; a record ``check``
refuses for its limits (exit 1: a lone surrogate, an over-long value, too many rows) ``export``,
``drafts import`` and carry-over refuse with exit 1 too, naming the same place; a record
``check`` calls valid imports exactly (``drafts show`` gives back its canonical bytes) and
exports to a bundle that ``verify`` calls valid. What ``drafts set`` saves, the store gives back
as a record every path can read again; what it refuses leaves the draft as it was.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from functools import partial
from typing import Any

from tests.probes.harness import SAMPLE, Ctx, Probe, Run, probe_class

BASE: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
LIMIT_CODES = {"text.character", "text.too_long", "choice.too_many", "table.max_rows",
               "record.too_large"}


def _definition() -> Any:
    from giantdesk.forms.definitions import load_definition

    return load_definition("annex1-batch4")


def _canonical(data: bytes) -> str | None:
    """What ``drafts import`` must give back: the record's canonical bytes after the import's
    documented normalization (values as if typed: trimmed, half-width)."""
    from datetime import date

    from giantdesk.forms.record import RecordError, dumps, loads
    from giantdesk.forms.validation import normalized

    try:
        return dumps(normalized(loads(data), today=date.today()))
    except RecordError:
        return None


def encode(record: Any, *, ascii_escapes: bool = True) -> bytes:
    """JSON bytes; lone surrogates are written as ``\\udXXX`` escapes (valid JSON)."""
    return json.dumps(record, ensure_ascii=ascii_escapes, indent=1).encode(
        "utf-8", "surrogatepass")


def with_value(field: str, value: Any) -> dict[str, Any]:
    record = json.loads(json.dumps(BASE))
    record["values"][field] = value
    return record


def with_cell(table: str, row: int, column: str, value: Any) -> dict[str, Any]:
    record = json.loads(json.dumps(BASE))
    rows = record["tables"].setdefault(table, [])
    while len(rows) < row:
        rows.append({})
    rows[row - 1][column] = value
    return record


# --------------------------------------------------------------------------------------------
# The chain every record file goes through


def _codes(run: Run) -> set[str]:
    try:
        return {e["code"] for e in json.loads(run.out)["errors"]}
    except (ValueError, KeyError, TypeError):
        return set()


def record_chain(data: bytes, names: tuple[str, ...], expect: frozenset[int] | None,
                 ctx: Ctx, *, suffix: str = ".json", carry: bool = True,
                 exports: bool = True) -> None:
    path = ctx.write("record" + suffix, data)
    check = ctx.cli("check", str(path), "--format", "json")
    if expect is not None:
        ctx.check(check.code in expect, f"check: exit {check.code}, expected {sorted(expect)}")
    if check.code in (0, 1):
        try:
            json.loads(check.out)
        except ValueError:
            ctx.fail("check --format json did not print JSON", check)
    limits = check.code == 1 and bool(_codes(check) & LIMIT_CODES)
    # A refusal names the damaged place (an error elsewhere may be a consequence: a cross-field
    # check; a file over the size limit is named as a file).
    if not (check.code == 2 or limits) or "record.too_large" in _codes(check) \
            or "too large" in check.err or "过大" in check.err:
        names = ()
    elif names and not any(n in check.text for n in names):
        ctx.fail(f"the message names none of {list(names)}", check)
    if ctx.full:
        rules = ctx.cli("rules", str(path))  # exit 1 is a verdict (not eligible), not a refusal
        if check.code == 2 or limits:
            ctx.check(rules.code == check.code, f"rules exit {rules.code} but check {check.code}")

    imported = ctx.cli("drafts", "import", str(path), names=names)
    if check.code == 2 or limits:
        ctx.check(imported.code == check.code,
                  f"drafts import exit {imported.code} but check {check.code}")
    if imported.code == 0 and ctx.full:
        canonical = _canonical(data)
        draft = imported.out.strip().splitlines()[-1]
        shown = ctx.show(int(draft))
        ctx.check(shown is not None, "the imported draft cannot be shown")
        ctx.check(shown == canonical, "the imported draft does not give back the record")
        again = ctx.cli("check", str(ctx.write("shown.json", shown or "")))
        ctx.check(again.code in (0, 1), "the imported draft is a record check cannot read")

    if exports:
        out = ctx.work / "out"
        exported = ctx.cli("export", str(path), "--out", str(out), names=names)
        if check.code == 0:
            ctx.check(exported.code == 0, "check called the record valid; export refused it")
        else:
            ctx.check(exported.code == check.code,
                      f"export exit {exported.code} but check {check.code}")
        bundles = sorted(out.glob("*.zip")) if out.exists() else []
        if exported.code == 0:
            ctx.check(len(bundles) == 1, f"export wrote {len(bundles)} bundles")
            verified = ctx.cli("verify", str(bundles[0]))
            ctx.check(verified.code == 0, "verify refuses the bundle export just wrote")
        else:
            ctx.check(not bundles, "export refused the record but left a bundle")

    if carry and ctx.full:
        carried = ctx.cli("drafts", "carry-over", str(path), names=names)
        if check.code == 2 or limits:
            ctx.check(carried.code == check.code,
                      f"carry-over exit {carried.code} but check {check.code}")


def record_probe(klass: str, name: str, data: bytes, names: tuple[str, ...] = (),
                 expect: set[int] | None = None, **kwargs: Any) -> Probe:
    return Probe(klass, name, partial(record_chain, data, names,
                                      frozenset(expect) if expect else None, **kwargs))


# --------------------------------------------------------------------------------------------
# Hostile text

SURROGATES = ["\ud800", "\udfff", "\udc80", "\udbff\udbff", "a\ud83d", "\ude00b"]
CONTROLS = [chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127, 0x80, 0x85, 0x9B,
                             0x9F)] + ["\x1b[31m", "\x07\x08"]
NONCHARACTERS = ["\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff",
                 "\U0002ffff"]
#: Valid characters that are hard to print, measure or lay out.
AWKWARD = [
    "\u202e\u2066rtl", "\u200b\u200d\u2060", "\ufeff", "e" + "\u0301" * 150, "😀👨‍👩‍👧",
    "𠀀𪜀𫝀", "\ue000\U000f0000", "\u2028\u2029", "<b>粗</b><font name='x'>",
    "<img src=\"/etc/passwd\"/>", "&bogus; &#0; &#xD800; ]]> <![CDATA[", "%s%n{0}{{}}",
    "=HYPERLINK(\"http://x\",\"y\")", "W" * 200, "漢" * 200, "\\u0000", "\u00a0" * 50,
    "ﬀ\u212b\u2126", "\u0958" * 10, "\U0001d15e" * 10, "\t", "\r\n", "\n",
]
#: Characters NFC expands (so a value at the limit grows past it when normalized).
EXPANDING = ["\ufb2c", "\u0958", "\U0001d15e", "\u0344"]


def _text_fields() -> list[tuple[str, int | None, bool]]:
    d = _definition()
    return [(f.id, f.max_length, f.type.value == "longtext") for f in d.fields.values()
            if f.type.value in ("text", "longtext") and not f.computed]


def _table_texts() -> list[tuple[str, str, int | None]]:
    d = _definition()
    return [(t.id, c.id, c.max_length) for t in d.tables.values() for c in t.columns
            if c.type.value == "text"]


def _place(rng: random.Random, text: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Put ``text`` into a random text field or table cell; (record, names to expect)."""
    if rng.random() < 0.7:
        field, _, _ = rng.choice(_text_fields())
        return with_value(field, text), (field,)
    table, column, _ = rng.choice(_table_texts())
    existing = len(BASE["tables"].get(table, []))
    row = rng.randint(1, existing) if existing else 1
    record = with_cell(table, row, column, text)
    if not existing:  # a whole row, so that only the probed cell can be wrong
        definition = _definition().table(table)
        record["tables"][table][0] = {c.id: _cell_value(c) for c in definition.columns}
        record["tables"][table][0][column] = text
    return record, (f"{table}[{row}].{column}",)


def _characters(klass: str, atoms: list[str], rng: random.Random, full: bool,
                expect: set[int] | None) -> Iterator[Probe]:
    count = 60 if full else len(atoms)
    for i in range(count):
        atom = atoms[i % len(atoms)]
        text = rng.choice(["", "企业", "Name "]) + atom + rng.choice(["", "有限公司", " x"])
        record, names = _place(rng, text)
        yield record_probe(klass, f"{klass}-{i}-U+{ord(atom[0]):04X}", encode(record), names,
                           expect)


@probe_class("records.surrogates", "records", fast=1)
def surrogates(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Lone surrogates (valid JSON escapes, not Unicode) in text fields and table cells."""
    yield from _characters("records.surrogates", SURROGATES, rng, full, {1})


@probe_class("records.controls", "records", fast=1)
def controls(rng: random.Random, full: bool) -> Iterator[Probe]:
    """C0/C1 control characters, DEL, ESC sequences in text fields and table cells."""
    yield from _characters("records.controls", CONTROLS, rng, full, {1})


@probe_class("records.noncharacters", "records", fast=1)
def noncharacters(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Unicode noncharacters (U+FFFE, U+FDD0, plane ends)."""
    yield from _characters("records.noncharacters", NONCHARACTERS, rng, full, {1})


@probe_class("records.awkward-text", "records", fast=1)
def awkward(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Valid but awkward text: bidi overrides, zero-width, combining runs, astral CJK and
    emoji, markup (reportlab/XML/formula injection), unbreakable runs, line breaks."""
    for i, atom in enumerate(AWKWARD * (3 if full else 1)):
        record, names = _place(rng, atom)
        # tabs and line breaks are refused in single-line fields (exit 1), fine elsewhere
        yield record_probe("records.awkward-text", f"awkward-{i}", encode(record), names)


@probe_class("records.lengths", "records", fast=1)
def lengths(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Over-long values: at the limit, one over, far over, 1 MB; NFC-expanding characters at
    the limit; 2,000-character descriptions (they must split across pages)."""
    fields = [f for f in _text_fields() if f[1]]
    cases: list[tuple[str, dict[str, Any], tuple[str, ...], set[int] | None]] = []
    picks = fields if full else rng.sample(fields, 4)
    for field, limit, multiline in picks:
        assert limit is not None
        char = rng.choice(["漢", "W", "a b ", "。"]) if multiline else rng.choice(["漢", "W"])
        at = (char * limit)[:limit]
        cases.append((f"{field}-at-limit", with_value(field, at), (field,), None))
        cases.append((f"{field}-over", with_value(field, at + "x"), (field,), {1}))
        if multiline:
            lines = ("第一行\n" * limit)[:limit]
            cases.append((f"{field}-lines", with_value(field, lines), (field,), None))
    field, limit, _ = rng.choice(fields)
    cases.append(("far-over", with_value(field, "长" * 100_000), (field,), {1}))
    cases.append(("one-megabyte", with_value(field, "x" * 1_000_000), (field,), {1}))
    for ch in EXPANDING:
        field, limit, _ = rng.choice(fields)
        assert limit is not None
        cases.append((f"nfc-{ord(ch):04X}", with_value(field, ch * limit), (field,), {1}))
    for table, column, limit in _table_texts()[: None if full else 2]:
        if limit:
            cases.append((f"{table}.{column}-over",
                          with_cell(table, 1, column, "格" * (limit + 1)),
                          (f"{table}[1].{column}",), {1}))
            cases.append((f"{table}.{column}-at", with_cell(table, 1, column, "格" * limit),
                          (f"{table}[1].{column}",), None))
    for name, record, names, expect in cases:
        yield record_probe("records.lengths", name, encode(record), names, expect)


@probe_class("records.rows", "records", fast=1)
def rows(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Too many rows: at max_rows, one over, 100,000 rows, rows of 10,000 unknown columns."""
    d = _definition()
    for table in d.tables.values():
        if not full and rng.random() < 0.6:
            continue
        row = {c.id: _cell_value(c) for c in table.columns}
        for count, expect in ((table.max_rows, None), (table.max_rows + 1, {1}),
                              (100_000, {1})):
            record = json.loads(json.dumps(BASE))
            record["tables"][table.id] = [dict(row) for _ in range(count)]
            yield record_probe("records.rows", f"{table.id}-{count}", encode(record),
                               (table.id,), expect, exports=count <= 200 or full)
    record = json.loads(json.dumps(BASE))
    record["tables"]["innovation.national_award"] = [
        {f"col{i}": i for i in range(10_000)} for _ in range(3)]
    yield record_probe("records.rows", "unknown-columns", encode(record),
                       ("innovation.national_award",), {2})


def _cell_value(column: Any) -> Any:
    kind = column.type.value
    if kind == "choice":
        return column.choices[0].id
    if kind == "date":
        return "2020-01-01"
    if kind == "bool":
        return True
    if kind in ("int", "year"):
        return 2020
    return "第一项"


def _nest(depth: int, kind: str) -> str:
    if kind == "list":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


@probe_class("records.nesting", "records", fast=1)
def nesting(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Deep nesting: lists and objects 100 to 1,000,000 deep as a value, as a row, as the
    file; nested values where a scalar belongs."""
    depths = [100, 10_000, 100_000, 1_000_000] if full else [10_000, 1_000_000]
    text = json.dumps(BASE, ensure_ascii=False)
    for depth in depths:
        for kind in ("list", "object"):
            nest = _nest(depth, kind)
            as_value = text.replace('"enterprise.name": ', f'"enterprise.name": {nest}, "x": ', 1)
            yield record_probe("records.nesting", f"value-{kind}-{depth}", as_value.encode(),
                               (), {2})
            yield record_probe("records.nesting", f"file-{kind}-{depth}", nest.encode(), (), {2})
    for value in ([[["x"]]], {"a": {"b": "c"}}, [{"zh": "x"}]):
        yield record_probe("records.nesting", f"scalar-{json.dumps(value)}",
                           encode(with_value("enterprise.name", value)), ("enterprise.name",),
                           {2})


@probe_class("records.numbers", "records", fast=1)
def numbers(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Huge and odd numbers: ints past 2**63 and past Python's 4,300-digit limit, floats,
    NaN/Infinity, decimal strings of 1,000 digits, many decimals, exponents, full-width digits;
    years and dates at the ends of the calendar."""
    d = _definition()
    ints = [f.id for f in d.fields.values() if f.type.value in ("int", "year")
            and not f.computed]
    moneys = [f.id for f in d.fields.values() if f.type.value in ("money", "percent")
              and not f.computed]
    dates = [f.id for f in d.fields.values() if f.type.value == "date" and not f.computed]
    raw_ints = ["0", "-1", str(2**31), str(2**63), str(2**64), str(10**18), str(10**100),
                "-" + str(10**300), "9" * 4299, "9" * 4301, "1" * 100_000, "1.0", "1e3",
                "-0", "NaN", "Infinity", "-Infinity", "1E400", "0.1"]
    raw_money = ['"0.00"', '"-0.00"', '"' + "9" * 30 + '.00"', '"' + "9" * 1000 + '"',
                 '"0.' + "0" * 1000 + '1"', '"1e5"', '" 1.00"', '"1,000.00"', '"１２３.00"',
                 '"٣.٠٠"', '"-99999999999999999999999999999.99"', '"0.001"', '""', '"."',
                 '"1."', "1.5", "100", "true", "null", '"NaN"', '"Infinity"']
    raw_dates = ['"0001-01-01"', '"9999-12-31"', '"2022-02-29"', '"2020-02-29"',
                 '"2022-13-01"', '"2022-1-1"', '"１９９９-０１-０１"', '"2022-02-30"',
                 '"1900-01-01"', '"2099-12-31"', '"0000-00-00"', "20220101"]
    cases = [(rng.choice(ints), raw) for raw in raw_ints]
    cases += [(rng.choice(moneys), raw) for raw in raw_money]
    cases += [(rng.choice(dates), raw) for raw in raw_dates]
    if full:
        cases += [(f, rng.choice(raw_ints)) for f in ints]
        cases += [(f, rng.choice(raw_money)) for f in moneys]
    text = json.dumps(BASE, ensure_ascii=False, indent=1)
    for field, raw in cases:
        old = json.dumps(BASE["values"].get(field), ensure_ascii=False)
        marker = f'"{field}": '
        if field in BASE["values"]:
            record = text.replace(marker + old, marker + raw, 1)
        else:
            record = text.replace('"values": {', '"values": {' + marker + raw + ", ", 1)
        yield record_probe("records.numbers", f"{field}={raw[:24]}", record.encode(), (field,))
    for year_field in ("innovation.national_award", "innovation.maker_china_top50"):
        for raw in (0, -5, 99999, 10**20):
            record = with_cell(year_field, 1, "year", raw)
            yield record_probe("records.numbers", f"{year_field}.year={raw}", encode(record),
                               (f"{year_field}[1].year", year_field))


@probe_class("records.types", "records", fast=1)
def types(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Wrong types at every level: values of the wrong JSON type per field, the wrong
    structure (values a list, a row a string), unknown keys and forms, duplicate keys."""
    d = _definition()
    wrong: list[Any] = [None, True, 0, 1.5, "", "x", [], ["a"], {}, {"a": 1}]
    fields = list(d.fields.values())
    picks = fields if full else rng.sample(fields, 6)
    for f in picks:
        if f.computed:
            continue
        value = rng.choice(wrong)
        yield record_probe("records.types", f"{f.id}={json.dumps(value)}",
                           encode(with_value(f.id, value)), (f.id,))
    structures: list[tuple[str, bytes]] = [
        ("values-list", encode({**BASE, "values": []})),
        ("tables-string", encode({**BASE, "tables": "x"})),
        ("table-null", encode({**BASE, "tables": {"innovation.class1_ip": None}})),
        ("row-string", encode({**BASE, "tables": {"innovation.class1_ip": ["row"]}})),
        ("top-array", b"[]"), ("top-null", b"null"), ("top-string", b'"x"'), ("top-number", b"1"),
        ("empty", b""), ("spaces", b"   \n\t  "), ("trailing", encode(BASE) + b" garbage"),
        ("two-objects", encode(BASE) + encode(BASE)),
        ("form-unknown", encode({**BASE, "form": "annex9"})),
        ("form-surrogate", encode({**BASE, "form": "\ud800"})),
        ("form-number", encode({**BASE, "form": 1})),
        ("version-huge", json.dumps({**BASE, "form_version": 0}).replace(
            '"form_version": 0', '"form_version": 1E400').encode()),
        ("format-missing", encode({k: v for k, v in BASE.items() if k != "format"})),
        ("unknown-top", encode({**BASE, "\ud800key": 1, "x" * 10_000: 2})),
        ("many-unknown-fields", encode({**BASE, "values": {
            **BASE["values"], **{f"x.{i}": i for i in range(50_000)}}})),
        ("unknown-field-surrogate", encode(with_value("\udcff.name", "x"))),
        ("dup-top", encode(BASE)[:-2] + b',\n "form": "annex1-batch4"\n}'),
        ("dup-value", json.dumps(BASE, ensure_ascii=False).replace(
            '"values": {', '"values": {"enterprise.name": "甲", ', 1).encode()),
        ("escapes", encode(with_value("innovation.description", "é" * 1000))
         .replace(b"\\u00e9", b"\\u00e9")),
    ]
    for name, data in structures:
        yield record_probe("records.types", name, data)


@probe_class("records.encodings", "records", fast=1)
def encodings(rng: random.Random, full: bool) -> Iterator[Probe]:
    """BOMs and other encodings (UTF-16/32, GB18030 as a Chinese Notepad saves, Latin-1),
    invalid UTF-8 (overlong, CESU-8 surrogates, truncated sequences, 0xFF)."""
    text = json.dumps(BASE, ensure_ascii=False, indent=1)
    cases: list[tuple[str, bytes]] = [
        ("utf8-bom", b"\xef\xbb\xbf" + text.encode()),
        ("utf8-bom-twice", b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode()),
        ("utf16le-bom", text.encode("utf-16")), ("utf16be", text.encode("utf-16-be")),
        ("utf16le", text.encode("utf-16-le")), ("utf32", text.encode("utf-32")),
        ("utf32be", text.encode("utf-32-be")), ("gb18030", text.encode("gb18030")),
        ("gbk", text.encode("gbk", "replace")),
        ("latin1", text.encode("utf-8").decode("latin-1").encode("latin-1")),
        ("big5", text.encode("big5", "replace")),
        ("utf7", text.encode("utf-7")),
    ]
    name_at = text.index("苏州精研")
    raw = text.encode()
    at = len(text[:name_at].encode())
    for label, bad in (("overlong-slash", b"\xc0\xaf"), ("overlong-nul", b"\xc0\x80"),
                       ("cesu-surrogate", b"\xed\xa0\x80"), ("ff", b"\xff"),
                       ("truncated", b"\xe8\x8b"), ("continuation", b"\x80\x80"),
                       ("5-byte", b"\xf8\x88\x80\x80\x80"), ("above-10ffff", b"\xf4\x90\x80\x80")):
        cases.append((label, raw[:at] + bad + raw[at:]))
    cases.append(("cut-in-char", raw[: at + 1]))
    cases.append(("nul-bytes", raw[:at] + b"\x00" * 10 + raw[at:]))
    for name, data in cases:
        yield record_probe("records.encodings", name, data)


@probe_class("records.huge-files", "records", fast=1)
def huge_files(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Files at and over the size limit: padded records, 50 MB of spaces, sparse files of
    4 GB and 1 TB (must be refused without being read)."""
    from giantdesk.forms.record import max_record_bytes

    limit = max_record_bytes()
    raw = encode(BASE)

    def sparse(size: int, ctx: Ctx) -> None:
        path = ctx.work / "sparse.json"
        with open(path, "wb") as f:
            f.write(raw)
            f.truncate(size)
        for argv in (["check", str(path)], ["drafts", "import", str(path)],
                     ["export", str(path), "--out", "out"], ["drafts", "carry-over", str(path)],
                     ["rules", str(path)]):
            run = ctx.cli(*argv, codes={1, 2}, timeout=20)
            ctx.check(run.seconds < 10, f"took {run.seconds:.1f} s to refuse a sparse file")

    yield Probe("records.huge-files", "sparse-4GB", partial(sparse, 4 << 30))
    yield Probe("records.huge-files", "sparse-1TB", partial(sparse, 1 << 40))
    yield record_probe("records.huge-files", "limit-plus-one",
                       raw[:-2] + b" " * (limit + 1 - len(raw)) + raw[-2:], (), {1})
    if full:
        yield record_probe("records.huge-files", "exactly-limit",
                           raw[:-2] + b" " * (limit - len(raw)) + raw[-2:], ())
        yield record_probe("records.huge-files", "50MB-spaces", b" " * (50 << 20), (), {1})
        yield record_probe("records.huge-files", "big-description",
                           encode(with_value("innovation.description", "甲" * 3_000_000)),
                           ("innovation.description",), {1})


# --------------------------------------------------------------------------------------------
# drafts set: hostile typed input on a stored draft


def set_chain(field: str, value: str, ctx: Ctx) -> None:
    ctx.copy_home(ctx.shared.stored_home())
    before = ctx.show(1)
    ctx.check(before is not None, "the stored draft cannot be shown before the edit")
    done = ctx.cli("drafts", "set", "1", _argv_text(field), _argv_text(value), codes={0, 1, 2})
    after = ctx.show(1)
    ctx.check(after is not None, "the draft cannot be shown after the edit")
    if done.code != 0:
        ctx.check(after == before, "a refused edit changed the draft (data lost)")
        return
    ctx.check("saved" in done.out or "已保存" in done.out, "no 'saved' after exit 0")
    # What the store saved, every reader reads back: check, export, carry-over.
    assert after is not None
    path = ctx.write("draft.json", after)
    check = ctx.cli("check", str(path))
    ctx.check(check.code in (0, 1), "the store saved a value its own reader cannot read")
    exported = ctx.cli("export", "--draft", "1", "--out", "out")
    if check.code == 0:
        ctx.check(exported.code == 0, "check calls the draft valid; export --draft refuses it")
        (bundle,) = (ctx.work / "out").glob("*.zip")
        ctx.check(ctx.cli("verify", str(bundle)).code == 0, "the exported draft does not verify")
    again = ctx.cli("drafts", "import", str(path))
    ctx.check(again.code == 0, "the store's own record cannot be imported again")


def _argv_text(text: str) -> str:
    """Text as a command-line argument carries it: no NUL; a lone surrogate goes as the bytes
    UTF-8 would give it (ED A0 80), which the command sees as undecodable bytes."""
    raw = text.replace("\x00", "").encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "surrogateescape")


@probe_class("records.drafts-set", "records", fast=1)
def drafts_set(rng: random.Random, full: bool) -> Iterator[Probe]:
    """``drafts set`` with hostile values (argv bytes that are not UTF-8, controls,
    noncharacters, over-long, NFC-expanding, huge numbers, odd dates) and hostile field paths
    (row 0, -1, 10**30, unknown tables, computed fields)."""
    d = _definition()
    texts = [f for f in _text_fields() if f[1]]
    values: list[tuple[str, str]] = []
    for atom in SURROGATES[:3] + CONTROLS[::4] + NONCHARACTERS[:3] + AWKWARD[::3]:
        field, _, _ = rng.choice(texts)
        values.append((field, _argv_text("名" + atom)))
    for field, limit, _ in rng.sample(texts, 3):
        assert limit is not None
        values.append((field, "x" * (limit + 1)))
        values.append((field, "\ufb2c" * limit))
    moneys = [f.id for f in d.fields.values() if f.type.value == "money" and not f.computed]
    for raw in ("9" * 40, "1e308", "-0", "１２３", "1,234.5", "NaN", "inf", "0x10", "1_000",
                "９９9", "1" * 5000, "  12  ", "¥100", "100万"):
        values.append((rng.choice(moneys), raw))
    ints = [f.id for f in d.fields.values() if f.type.value == "int" and not f.computed]
    for raw in ("99999999999999999999", "-5", "1.5", "1e3", "٣"):
        values.append((rng.choice(ints), raw))
    for raw in ("0001-01-01", "9999-12-31", "2022-02-30", "10000-01-01", "2022/01/01",
                "二〇二二年一月一日"):
        values.append(("enterprise.registered_on", raw))
    for path in ("innovation.class1_ip[0].number", "innovation.class1_ip[-1].number",
                 f"innovation.class1_ip[{10**30}].number", "innovation.class1_ip[5].number",
                 "innovation.class1_ip[999].number", "innovation.class1_ip[1.5].number",
                 "innovation.class1_ip[1].nosuch", "nosuch[1].x", "nosuch.field", "",
                 "innovation.class1_ip", "innovation.class1_ip[1]", "[1]",
                 "finance.2021.rd_ratio", "\udcff", "enterprise.name\x1b",
                 "innovation.class1_ip[1].granted_on"):
        values.append((path, "ZL202110012345.6"))
    values.append(("innovation.class1_ip[501].number", "x"))
    values.append(("refinement.self_assessment", ",".join(["strategy"] * 500)))
    values.append(("enterprise.ownership", "\ud800"))
    for i, (field, value) in enumerate(values):
        yield Probe("records.drafts-set", f"set-{i}-{field[:30]}={value[:20]!r}",
                    partial(set_chain, field, value))


# --------------------------------------------------------------------------------------------
# Other hostile arguments: ids, times, titles, limits


def args_chain(argv: list[str], ctx: Ctx) -> None:
    ctx.copy_home(ctx.shared.stored_home())
    before = ctx.show(1)
    ctx.cli(*argv)
    ctx.check(ctx.show(1) == before or argv[:2] in (["drafts", "restore"], ["drafts", "delete-row"])
              or argv[:2] == ["drafts", "finalize"], "the draft changed")
    ctx.never_silently_empty(2)


@probe_class("records.arguments", "records", fast=1)
def arguments(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Hostile arguments: draft ids past SQLite's integers, negative, zero; restore times at
    the ends of the calendar; titles with surrogates and controls; --max-mb nan/inf/-1;
    --as-of and --trust garbage."""
    cases: list[list[str]] = []
    for draft in ("0", "-1", str(2**63), str(10**30), "99999"):
        cases += [["drafts", "show", draft], ["drafts", "set", draft, "enterprise.name", "x"],
                  ["drafts", "history", draft], ["drafts", "finalize", draft],
                  ["export", "--draft", draft, "--out", "out"],
                  ["drafts", "attach", draft, "other", str(SAMPLE)],
                  ["drafts", "delete-row", "1", "innovation.class1_ip", draft]]
    for at in ("0001-01-01T00:00:00", "9999-12-31T23:59:59", "9999-12-31T23:59:59-14:00",
               "0001-01-01T00:00:00+14:00", "nan", "", "2022-06-20T25:00:00",
               "1970-01-01", "2022-06-20T10:00:00+99:00"):
        cases.append(["drafts", "restore", "1", "--at", at])
    for title in ("\udcff\udcfe", "a\x00b".replace("\x00", ""), "\x1b[2J", "题" * 40_000,
                  "\ufffe"):
        cases += [["drafts", "new", "annex1-batch4", "--title", title],
                  ["drafts", "import", str(SAMPLE), "--title", title]]
    for mb in ("nan", "inf", "-1", "0", "1e308", "1e-300"):
        cases.append(["drafts", "attach", "1", "other", str(SAMPLE), "--max-mb", mb])
    for as_of in ("0001-01-01", "9999-12-31", "x"):
        cases.append(["summarize", "annex3", ".", "--out", "s.xlsx", "--as-of", as_of])
    for trust in ("", "Z" * 16, "\udcff" * 16, "0" * 10_000):
        cases.append(["verify", str(SAMPLE), "--trust", trust])
    cases.append(["drafts", "history", "1", "\udcff"])
    cases += [["drafts", "delete-row", "1", "\udcff", "1"],
              ["drafts", "attach", "1", "\udcff", str(SAMPLE)],
              ["drafts", "set", "1", "\udcff[1].x", "y"], ["drafts", "show", "1", "-o", ""],
              ["export", str(SAMPLE), "--out", "out", "--attach", "\udcff=x"],
              ["export", str(SAMPLE), "--out", "out", "--attach", "other"],
              ["export", str(SAMPLE), "--out", "out", "--attach", "=x"],
              ["summarize", "annex9", ".", "--out", "s.xlsx"],
              ["summarize", "annex3", ".", "--out", "s.xlsx", "--accept-key", "\udcff"],
              ["restore", "\udcff"], ["verify", "\udcff.zip"], ["check", "\udcff.json"]]
    cases.append(["drafts", "history", "1", "x" * 120_000])
    for i, argv in enumerate(cases):
        yield Probe("records.arguments", f"args-{i}-{' '.join(argv)[:50]}",
                    partial(args_chain, argv))

