"""Store probes: a damaged data folder under every command that opens it.

Each probe starts from a copy of a data folder that holds two drafts (the sample as draft 1,
a second one), a backup taken before the last change, and the marker; it damages it, then
runs the commands a user would. The promises (issue 10 points 3–7, issue 8):

* every command ends with exit 0/1/2 and a message, never a traceback or a hang;
* the store is never silently empty or older: ``drafts list`` lists both drafts, or refuses
  naming the damage (and the backups, or their absence);
* ``restore`` on a healthy database (or a newer schema) refuses without ``--force``; what it
  restores is said, with the changes the backup lacks; whatever is replaced is kept in
  ``damaged/``;
* what ``drafts show`` prints as a whole record, ``check`` reads and ``export --draft``
  exports (a damaged value is named, never returned or exported silently);
* concurrent writers: every ``saved`` value is in the draft afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from tests.probes.harness import SAMPLE, Ctx, Probe, probe_class

DB = "giantdesk.sqlite3"
#: Commands a user runs on a data folder, read-only ones first.
COMMANDS: list[list[str]] = [
    ["drafts", "list"], ["drafts", "show", "1"], ["drafts", "show", "1", "--format", "json"],
    ["drafts", "history", "1"], ["drafts", "attachments", "1"], ["doctor", "--deep"],
    ["drafts", "set", "1", "contact.name", "探针"], ["export", "--draft", "1", "--out", "out"],
    ["drafts", "new", "annex1-batch4"], ["drafts", "import", str(SAMPLE)], ["backup"],
    ["drafts", "finalize", "2"], ["restore", "--list"],
]
HELD = 2  # drafts in the stored data folder
#: The core of the chain in the fast subset: read the whole record, edit, export.
FAST_COMMANDS: list[list[str]] = [
    ["drafts", "show", "1", "--format", "json"], ["drafts", "set", "1", "contact.name", "探针"],
    ["export", "--draft", "1", "--out", "out"]]


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def damaged_chain(damage: Callable[[Ctx], None], ctx: Ctx, *, commands: list[list[str]] | None
                  = None, windows: bool | None = None, restore: bool = True) -> None:
    """Copy the stored folder, damage it, run the commands, then the promises."""
    ctx.copy_home(ctx.shared.stored_home())
    damage(ctx)
    listed = ctx.drafts()
    if listed is not None:
        ctx.check(len(listed) >= HELD,
                  f"the damaged store silently lists {len(listed)} draft(s); it held {HELD}")
    def step(argv: list[str]) -> None:
        run = ctx.cli(*argv, windows=windows)
        if argv[:2] == ["drafts", "show"] and "--format" in argv and run.code == 0:
            whole_record_readable(ctx, run.out)
        if argv[0] == "export" and run.code == 0:
            (bundle,) = (ctx.work / "out").glob("*.zip")
            ctx.check(ctx.cli("verify", str(bundle)).code == 0,
                      "a bundle exported from the damaged store does not verify")

    ctx.each((commands or COMMANDS) if ctx.full else FAST_COMMANDS, step)
    if restore and ctx.full:
        restored = ctx.cli("restore", windows=windows)
        if restored.code == 0:
            listed = ctx.drafts()
            ctx.check(listed is not None and len(listed) >= 1,
                      "after a successful restore the store lists nothing")
    ctx.cli("drafts", "list")


def whole_record_readable(ctx: Ctx, text: str) -> None:
    path = ctx.write("shown.json", text)
    check = ctx.cli("check", str(path))
    ctx.check(check.code in (0, 1),
              "drafts show --format json printed a record the reader cannot read")


def _probe(klass: str, name: str, damage: Callable[[Ctx], None], **kwargs: object) -> Probe:
    return Probe(klass, name, partial(damaged_chain, damage, **kwargs))  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# The database file


def _truncate(size: int | float, drop_backups: bool) -> Callable[[Ctx], None]:
    def damage(ctx: Ctx) -> None:
        db = ctx.home / DB
        with open(db, "r+b") as f:
            f.truncate(int(size if isinstance(size, int) else db.stat().st_size * size))
        if drop_backups:
            _rmtree(ctx.home / "backups")
    return damage


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


@probe_class("store.truncated", "store", fast=1)
def truncated(rng: random.Random, full: bool) -> Iterator[Probe]:
    """A zero-byte or truncated database, with and without its backups folder."""
    sizes: list[int | float] = [0, 1, 99, 100, 4096, 0.5, 0.9]
    if full:
        sizes += [rng.random() for _ in range(8)] + [rng.randrange(1, 200_000) for _ in range(4)]
    for size in sizes:
        for drop in (False, True):
            yield _probe("store.truncated", f"size-{size}{'-no-backups' if drop else ''}",
                         _truncate(size, drop))


def _garble(rng_seed: int, kind: str) -> Callable[[Ctx], None]:
    def damage(ctx: Ctx) -> None:
        rng = random.Random(rng_seed)
        db = ctx.home / DB
        data = bytearray(db.read_bytes())
        pages = len(data) // 4096
        if kind == "header":
            data[0:100] = rng.randbytes(100)
        elif kind == "page":
            page = rng.randrange(pages)
            data[page * 4096:(page + 1) * 4096] = rng.randbytes(4096)
        elif kind == "zero-page":
            page = rng.randrange(1, pages)
            data[page * 4096:(page + 1) * 4096] = bytes(4096)
        elif kind == "swap-pages":
            a, b = rng.sample(range(1, pages), 2)
            pa, pb = data[a * 4096:(a + 1) * 4096], data[b * 4096:(b + 1) * 4096]
            data[a * 4096:(a + 1) * 4096], data[b * 4096:(b + 1) * 4096] = pb, pa
        elif kind == "bits":
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(len(data))
                data[i] ^= 1 << rng.randrange(8)
        elif kind == "bytes":
            for _ in range(rng.randint(1, 16)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        db.write_bytes(bytes(data))
    return damage


@probe_class("store.garbled", "store", fast=1)
def garbled(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Garbled pages of the database: random header, random/zeroed/swapped pages, bit flips
    and random bytes anywhere (seeded)."""
    kinds = ["header", "page", "zero-page", "swap-pages", "bits", "bytes"]
    for i in range(120 if full else 12):
        kind = kinds[i % len(kinds)]
        yield _probe("store.garbled", f"{kind}-{i}", _garble(rng.randrange(1 << 30), kind),
                     commands=COMMANDS[:8])


# --------------------------------------------------------------------------------------------
# The -wal and -shm files

#: Saves two values in a child that dies without checkpointing: the committed frames are only
#: in the -wal file.
_WRITER = textwrap.dedent("""
    import os, sys
    from giantdesk.store import open_store
    store = open_store(backup_on_start=False)
    store.set_value(1, "enterprise.name", "只在日志里的名称")
    store.set_value(1, "contact.name", "只在日志里的联系人")
    os._exit(0)
""")


def _wal_damage(kind: str, seed: int) -> Callable[[Ctx], None]:
    def damage(ctx: Ctx) -> None:
        result = subprocess.run([sys.executable, "-c", _WRITER], env=ctx.env(),
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        rng = random.Random(seed)
        for suffix in ("-wal", "-shm"):
            path = ctx.home / (DB + suffix)
            if not kind.startswith(suffix[1:]):
                continue
            what = kind.split(":", 1)[1]
            size = path.stat().st_size
            if what == "delete":
                path.unlink()
            elif what == "zero":
                path.write_bytes(bytes(size))
            elif what == "truncate":
                with open(path, "r+b") as f:
                    f.truncate(rng.randrange(0, size))
            elif what == "garble-header":
                with open(path, "r+b") as f:
                    f.write(rng.randbytes(32))
            elif what == "garble":
                with open(path, "r+b") as f:
                    f.seek(rng.randrange(0, size - 64))
                    f.write(rng.randbytes(rng.randrange(1, 64)))
            elif what == "directory":
                path.unlink()
                path.mkdir()
            elif what == "fifo":
                path.unlink()
                os.mkfifo(path)
            elif what == "grow":
                with open(path, "ab") as f:
                    f.write(rng.randbytes(5000))
    return damage


def wal_chain(kind: str, seed: int, ctx: Ctx) -> None:
    ctx.copy_home(ctx.shared.stored_home())
    _wal_damage(kind, seed)(ctx)
    listed = ctx.drafts()
    if listed is not None:
        ctx.check(len(listed) >= HELD, "a store behind its -wal silently lists fewer drafts")
        shown = ctx.show(1)
        if shown is not None:
            values = json.loads(shown)["values"]
            ctx.check(values.get("contact.name") == "只在日志里的联系人",
                      "the store opened without the last saved value and said nothing "
                      f"(contact.name = {values.get('contact.name')!r})")
    if ctx.full:
        ctx.each(COMMANDS[:7], lambda argv: ctx.cli(*argv))
        ctx.cli("drafts", "list")
    ctx.cli("restore")


@probe_class("store.wal", "store", fast=1)
def wal(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Committed frames only in the -wal file, then the -wal or -shm deleted, zeroed,
    truncated, garbled (header or frames), grown, replaced by a folder or a FIFO."""
    kinds = [f"wal:{k}" for k in ("delete", "zero", "truncate", "garble-header", "garble",
                                  "grow", "directory", "fifo")]
    kinds += [f"shm:{k}" for k in ("delete", "zero", "truncate", "garble-header", "garble",
                                   "directory", "fifo")]
    for i in range(3 if full else 1):
        for kind in kinds:
            yield Probe("store.wal", f"{kind}-{i}", partial(wal_chain, kind,
                                                             rng.randrange(1 << 30)))


# --------------------------------------------------------------------------------------------
# Structure and contents


STRUCTURE = [
    "DELETE FROM alembic_version", "UPDATE alembic_version SET version_num='0099'",
    "UPDATE alembic_version SET version_num=''", "UPDATE alembic_version SET version_num='zzz'",
    "INSERT INTO alembic_version VALUES ('0002')", "DROP TABLE alembic_version",
    "DROP TABLE revisions", "DROP TABLE field_values", "DROP TABLE drafts",
    "DROP TABLE table_cells", "DROP TABLE draft_tables", "DROP TABLE attachments",
    "DROP TABLE enterprises", "DROP TABLE draft_inputs",
    "ALTER TABLE field_values RENAME COLUMN value_json TO v",
    "ALTER TABLE revisions RENAME TO revisions_old",
    "CREATE TRIGGER no_writes BEFORE INSERT ON revisions BEGIN SELECT RAISE(ABORT, 'no'); END",
    "CREATE TRIGGER no_updates BEFORE UPDATE ON drafts BEGIN SELECT RAISE(FAIL, 'x'); END",
    "DROP TABLE field_values ;; CREATE VIEW field_values AS SELECT 1 AS draft_id, 'a' AS "
    "field_id, '1' AS value_json",
    "PRAGMA user_version=99", "PRAGMA application_id=1234",
]


def _structure(statement: str) -> Callable[[Ctx], None]:
    def damage(ctx: Ctx) -> None:
        _sql(ctx.home / DB, *statement.split(" ;; "))
    return damage


@probe_class("store.structure", "store", fast=1)
def structure(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Dropped and renamed tables and columns, a missing, garbage or newer alembic_version,
    triggers that refuse every write, a view in place of a table."""
    for statement in STRUCTURE:
        yield _probe("store.structure", statement[:60], _structure(statement))


def _columns(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return [(t, r[1]) for t in tables for r in conn.execute(f"PRAGMA table_info({t})")]
    finally:
        conn.close()


JSON_COLUMNS = [("field_values", "value_json"), ("table_cells", "value_json"),
                ("revisions", "old_json"), ("revisions", "new_json")]
BAD_JSON = ["'{\"broken'", "'[1,'", "''", "'null'", "'123'", "'\"x\"'", "'[]'", "'{}'",
            "'true'", "'\"' || hex(randomblob(2000)) || '\"'", "'1e999'", "'NaN'",
            "'\"\\ud800\"'", "'\"\\u0000\"'", "CAST(X'C3FF' AS TEXT)", "NULL",
            "'" + "[" * 100_000 + "'", "'\"" + "x" * 1_000_000 + "\"'",
            "'\"9999999999999999999999999999999999.99\"'", "'\"0001-01-01\"'"]
BAD_TEXT = ["CAST(X'C3FF' AS TEXT)", "CAST(X'EDA080' AS TEXT)", "''",
            "'\x1b[2J'", "'9999-99-99T99:99:99.999999Z'", "'0001-01-01T00:00:00.000000Z'",
            "'bogus'", "NULL", "X'00FF'", "-1", "9223372036854775807", "1.5",
            "'" + "x" * 100_000 + "'"]


def _value_damage(table: str, column: str, value: str) -> Callable[[Ctx], None]:
    def damage(ctx: Ctx) -> None:
        try:
            _sql(ctx.home / DB, f"UPDATE {table} SET {column}={value}")
        except sqlite3.IntegrityError:  # NOT NULL, keys: damage that SQLite itself refuses
            with contextlib.suppress(sqlite3.IntegrityError):  # (an INTEGER PRIMARY KEY)
                _sql(ctx.home / DB, "PRAGMA ignore_check_constraints=ON",
                     f"UPDATE OR IGNORE {table} SET {column}={value} WHERE rowid IN "
                     f"(SELECT rowid FROM {table} LIMIT 1)")
    return damage


@probe_class("store.contents", "store", fast=1)
def contents(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Broken stored values: JSON that is broken, of the wrong type, deeply nested, huge, with
    lone surrogates; invalid UTF-8, controls, garbage times, NULLs and blobs in every text
    column of every table."""
    for table, column in JSON_COLUMNS:
        for value in rng.sample(BAD_JSON, 12) if full else rng.sample(BAD_JSON, 3):
            yield _probe("store.contents", f"{table}.{column}={value[:30]}",
                         _value_damage(table, column, value), commands=COMMANDS[:9])
    # every other column gets a random bad value (all of them in the full run)
    columns = [
        ("drafts", c) for c in ("form_id", "form_version", "rules", "title", "status",
                                "created_at", "created_by", "updated_at", "updated_by",
                                "finalized_at", "source", "enterprise_id", "id")
    ] + [("enterprises", c) for c in ("uscc", "name", "created_at", "id")] + [
        ("field_values", "field_id"), ("field_values", "draft_id"),
        ("draft_tables", "row_count"), ("draft_tables", "table_id"),
        ("table_cells", "row_no"), ("table_cells", "column_id"),
        ("revisions", "path"), ("revisions", "detail"), ("revisions", "at"),
        ("revisions", "user"), ("revisions", "action"), ("draft_inputs", "path"),
    ]
    # the ones that once ran out of memory or ended in tracebacks, always
    for table, column, value in (("draft_tables", "row_count", "9223372036854775807"),
                                 ("draft_tables", "row_count", "'x'"),
                                 ("table_cells", "row_no", "'9999-99-99'"),
                                 ("drafts", "form_id", "'bogus'")):
        yield _probe("store.contents", f"{table}.{column}={value[:30]}",
                     _value_damage(table, column, value), commands=COMMANDS[:9])
    for table, column in columns if full else rng.sample(columns, 4):
        for value in rng.sample(BAD_TEXT, 4) if full else [rng.choice(BAD_TEXT)]:
            yield _probe("store.contents", f"{table}.{column}={value[:30]}",
                         _value_damage(table, column, value), commands=COMMANDS[:9])


# --------------------------------------------------------------------------------------------
# The data folder and its neighbours


def _replace_with(name: str, kind: str) -> Callable[[Ctx], None]:
    def damage(ctx: Ctx) -> None:
        path = ctx.home / name
        if path.is_dir() and not path.is_symlink():
            _rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        if kind == "missing":
            return
        if kind == "file":
            path.write_bytes(b"not a folder")
        elif kind == "dir":
            path.mkdir()
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "dev-zero":
            path.symlink_to("/dev/zero")
        elif kind == "dangling":
            path.symlink_to(ctx.work / "nowhere")
        elif kind == "loop":
            path.symlink_to(path)
        elif kind == "garbage":
            path.write_bytes(random.Random(name).randbytes(300))
        elif kind == "zero":
            path.write_bytes(b"")
        elif kind == "huge":
            with open(path, "wb") as f:
                f.truncate(1 << 32)
    return damage


@probe_class("store.folder", "store", fast=1)
def folder(rng: random.Random, full: bool) -> Iterator[Probe]:
    """The database, marker, lock, backups, damaged and attachments entries replaced by a
    file, a folder, a FIFO, /dev/zero, a dangling or looping symlink, garbage, nothing."""
    entries = {
        DB: ["dir", "fifo", "dev-zero", "dangling", "loop", "garbage", "missing"],
        "giantdesk.marker": ["dir", "fifo", "dev-zero", "garbage", "zero", "huge", "missing",
                             "loop"],
        "giantdesk.lock": ["dir", "fifo", "dev-zero", "garbage"],
        "giantdesk.migrate.lock": ["dir", "fifo", "dev-zero", "loop"],
        "backups": ["file", "fifo", "missing", "dangling"],
        "damaged": ["file", "fifo", "dev-zero"],
        "attachments": ["file", "fifo", "dev-zero"],
    }
    for name, kinds in entries.items():
        for kind in kinds:
            yield _probe("store.folder", f"{name}={kind}", _replace_with(name, kind))
    for kind in ("file", "fifo", "dev-null", "dangling", "proc"):
        yield Probe("store.folder", f"home={kind}", partial(_home_is, kind))


def _home_is(kind: str, ctx: Ctx) -> None:
    home = ctx.work / "home-entry"
    if kind == "file":
        home.write_bytes(b"x")
    elif kind == "fifo":
        os.mkfifo(home)
    elif kind == "dev-null":
        home = Path("/dev/null")
    elif kind == "dangling":
        home.symlink_to(ctx.work / "nowhere" / "deeper")
    elif kind == "proc":
        home = Path("/proc/self/giantdesk")
    env = ctx.env(GIANTDESK_HOME=str(home))
    for argv in (["drafts", "list"], ["drafts", "import", str(SAMPLE)], ["backup"],
                 ["restore"], ["doctor"]):
        run = ctx.cli(*argv, env=env)
        if argv[:2] == ["drafts", "import"] and kind == "dangling" and run.code == 0:
            continue  # a dangling link to a folder that can be made: fine
        ctx.check(run.code != 0 or argv[0] in ("doctor",) or kind == "dangling",
                  f"{argv[0]} succeeded on a data folder that is a {kind}")


def _read_only_chain(step: str, ctx: Ctx) -> None:
    """A real read-only or full file system (tmpfs in a private mount namespace)."""
    mount = ctx.work / "disk"
    mount.mkdir()
    g = " ".join(map(_quote, [sys.executable, "-m", "giantdesk"]))
    script = textwrap.dedent(f"""
        set -u
        D={_quote(str(mount))}
        mount -t tmpfs -o size=6m tmpfs "$D" || exit 90
        export GIANTDESK_HOME="$D/home"
        {g} drafts import {_quote(str(SAMPLE))} >/dev/null || exit 91
        {g} drafts set 1 contact.name 只读之前 >/dev/null || exit 92
        case {step} in
          ro) mount -o remount,ro "$D" ;;
          full) head -c 8m /dev/zero > "$D/fill" 2>/dev/null ;;
        esac
        for c in "drafts list" "drafts show 1" "drafts set 1 contact.name 新值" \
                 "drafts import {_quote(str(SAMPLE))}" "backup" "restore" "restore --force" \
                 "drafts finalize 1" "export --draft 1 --out $D/out" "doctor --deep"; do
          echo "== $c"; {g} $c; echo "rc=$?"
        done
        case {step} in
          ro) mount -o remount,rw "$D" ;;
          full) rm -f "$D/fill" ;;
        esac
        echo "== final"; {g} drafts show 1 --format json; echo "rc=$?"
    """)
    prefix = ["unshare", "-m", "--propagation", "private"] if os.getuid() == 0 else \
        ["unshare", "-rm", "--propagation", "private"]
    result = subprocess.run([*prefix, "sh", "-c", script], capture_output=True, env=ctx.env(),
                            timeout=300)
    out = result.stdout.decode("utf-8", "replace")
    err = result.stderr.decode("utf-8", "replace")
    if result.returncode in (90, 91, 92) or "unshare" in err[:200]:
        raise RuntimeError(f"no private mount here: {err[:300]}")
    from tests.probes.harness import _TRACEBACK, Run

    run = Run((step, "(script)"), result.returncode, out, err, 0.0)
    ctx.runs.append(run)
    found = _TRACEBACK.search(out + err)
    ctx.check(found is None, f"a traceback on a {step} disk: {found and found.group()}", run)
    for section in out.split("== ")[1:]:
        command, _, rest = section.partition("\n")
        code = rest.strip().splitlines()[-1] if rest.strip() else ""
        ctx.check(code in ("rc=0", "rc=1", "rc=2"), f"{command}: {code}", run)
    ctx.check("damaged" not in (out + err).lower() and "损坏" not in out + err,
              f"a {step} disk reported as damaged", run)
    final = out.split("== final\n")[1]
    ctx.check("只读之前" in final or "新值" in final, "the draft's last value was lost", run)


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


@probe_class("store.read-only-full", "store", fast=0)
def read_only_full(rng: random.Random, full: bool) -> Iterator[Probe]:
    """A real read-only and a real full disk (tmpfs in a private mount namespace; root or
    user namespaces): every command names the condition, nothing is lost."""
    for step in ("ro", "full"):
        yield Probe("store.read-only-full", step, partial(_read_only_chain, step))


# --------------------------------------------------------------------------------------------
# restore


def _restore_chain(case: str, force: bool, ctx: Ctx) -> None:
    ctx.copy_home(ctx.shared.stored_home())
    backups = sorted((ctx.home / "backups").glob("*.sqlite3"))
    before = ctx.show(1)
    target: str | None = None
    healthy = True
    if case == "healthy":
        pass
    elif case == "newer-schema":
        _sql(ctx.home / DB, "UPDATE alembic_version SET version_num='0099'")
    elif case == "damaged":
        _garble(1, "header")(ctx)
        healthy = False
    elif case.startswith("backup="):
        kind = case.split("=", 1)[1]
        path = ctx.work / "chosen.sqlite3"
        if kind == "garbage":
            path.write_bytes(random.Random(3).randbytes(8192))
        elif kind == "zero":
            path.write_bytes(b"")
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "dir":
            path.mkdir()
        elif kind == "dev-zero":
            path = Path("/dev/zero")
        elif kind == "missing":
            path = ctx.work / "missing.sqlite3"
        elif kind == "foreign":
            conn = sqlite3.connect(path)
            conn.execute("CREATE TABLE x (a)")
            conn.commit()
            conn.close()
        elif kind == "newer":
            path.write_bytes(backups[-1].read_bytes())
            _sql(path, "UPDATE alembic_version SET version_num='0099'")
        elif kind == "itself":
            path = ctx.home / DB
        elif kind == "damaged-backup":
            path.write_bytes(backups[-1].read_bytes())
            with open(path, "r+b") as f:
                f.seek(4096 * 3)
                f.write(random.Random(4).randbytes(4096))
        elif kind == "symlink-to-backup":
            path.symlink_to(backups[-1])
        elif kind == "empty-db":
            sqlite3.connect(path).close()
        target = str(path)
    argv = ["restore", *([target] if target else []), *(["--force"] if force else [])]
    run = ctx.cli(*argv)
    if case in ("healthy", "newer-schema") and not force:
        ctx.check(run.code == 1, "restore without --force replaced a healthy/newer database")
        ctx.check(not (ctx.home / "damaged").exists() or not any(
            (ctx.home / "damaged").iterdir()), "a refused restore moved something aside")
    if run.code == 0:
        kept = list((ctx.home / "damaged").glob("*giantdesk.sqlite3")) \
            if (ctx.home / "damaged").exists() else []
        ctx.check(kept or case.startswith("backup=itself"),
                  "restore replaced the database without keeping it in damaged/")
        listed = ctx.drafts()
        ctx.check(listed is not None, "the restored store cannot be listed")
        assert listed is not None
        ctx.check(len(listed) >= 1, "the restored store is empty")
    elif healthy and case != "newer-schema" and not case.startswith("backup=newer"):
        ctx.check(ctx.show(1) == before, "a failed restore changed the draft")
    ctx.cli("drafts", "list")


@probe_class("store.restore", "store", fast=1)
def restore(rng: random.Random, full: bool) -> Iterator[Probe]:
    """``restore`` with and without ``--force`` on a healthy, newer-schema and damaged
    database, and with a chosen backup that is garbage, empty, a FIFO, a folder, /dev/zero,
    missing, another SQLite file, of a newer schema, the database itself, damaged, a link."""
    cases = ["healthy", "newer-schema", "damaged"] + [
        f"backup={k}" for k in ("garbage", "zero", "fifo", "dir", "dev-zero", "missing",
                                "foreign", "newer", "itself", "damaged-backup",
                                "symlink-to-backup", "empty-db")]
    for case in cases:
        for force in (False, True):
            yield Probe("store.restore", f"{case}{' --force' if force else ''}",
                        partial(_restore_chain, case, force))


# --------------------------------------------------------------------------------------------
# Concurrent command-line writers (and a GUI holding the instance lock)

_LOCK_HOLDER = textwrap.dedent("""
    import sys, time
    from giantdesk.store import instance_lock
    lock = instance_lock()
    lock.acquire()
    print("held", flush=True)
    time.sleep(float(sys.argv[1]))
""")


def _concurrent_chain(writers: int, each: int, windows: bool, with_gui: bool,
                      ctx: Ctx) -> None:
    ctx.copy_home(ctx.shared.stored_home())
    gui = None
    if with_gui:
        command = [sys.executable, "-c", (_winsem_prelude() if windows else "") + _LOCK_HOLDER,
                   "60"]
        gui = subprocess.Popen(command, env=ctx.env(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
        assert gui.stdout is not None
        ctx.check(gui.stdout.readline().strip() == b"held", "the lock holder did not start")
    try:
        procs = []
        for w in range(writers):
            script = "; ".join(
                f"{_g(windows)} drafts set 1 'innovation.class1_ip[{w + 1}].title' 写入{w}-{i}"
                for i in range(each))
            procs.append(subprocess.Popen(["sh", "-c", script], env=ctx.env(),
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          start_new_session=True))
        side = [ctx.cli("backup", windows=windows), ctx.cli("drafts", "list", windows=windows)]
        if with_gui:
            refused = ctx.cli("restore", "--force", windows=windows)
            ctx.check(refused.code != 0, "restore --force ran while a window holds the store")
        deadline = time.monotonic() + 120 + 5 * writers * each
        outputs = []
        for proc in procs:
            out, err = proc.communicate(timeout=max(1, deadline - time.monotonic()))
            outputs.append((proc.returncode, out.decode(), err.decode()))
        del side
    finally:
        if gui is not None:
            gui.kill()
            gui.wait()
    for code, out, err in outputs:
        from tests.probes.harness import _TRACEBACK

        ctx.check(_TRACEBACK.search(out + err) is None, f"a writer printed a traceback: {err}")
        ctx.check(out.count("saved") + out.count("已保存") == each,
                  f"a writer was refused (exit {code}): {err[-500:]}")
    shown = ctx.show(1)
    ctx.check(shown is not None, "the draft cannot be shown after concurrent writes")
    assert shown is not None
    rows = json.loads(shown)["tables"]["innovation.class1_ip"]
    for w in range(writers):
        ctx.check(rows[w]["title"] == f"写入{w}-{each - 1}",
                  f"writer {w}'s last saved value is not in the draft: {rows[w].get('title')}")
    history = ctx.cli("drafts", "history", "1", "--format", "json")
    ctx.check(history.code == 0, "the history cannot be read after concurrent writes")
    recorded = json.dumps(json.loads(history.out), ensure_ascii=False)
    missing = [f"写入{w}-{i}" for w in range(writers) for i in range(each)
               if f"写入{w}-{i}" not in recorded]
    ctx.check(not missing, f"saved values missing from the history: {missing[:5]}")


def _g(windows: bool = False) -> str:
    from tests.probes.harness import giantdesk_command

    command = [sys.executable, "-m", "tests.probes.winrun"] if windows else giantdesk_command()
    return " ".join(map(_quote, command))


def _winsem_prelude() -> str:
    from tests.winsem import CHILD_PRELUDE

    return CHILD_PRELUDE


@probe_class("store.concurrency", "store", fast=1)
def concurrency(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Concurrent command-line writers (each `drafts set` its own row, several times) with a
    backup and a listing running alongside; with a GUI holding the instance lock (restore
    must refuse); under the Windows emulation (mandatory locks)."""
    shapes = [(3, 4, False, False), (3, 3, False, True), (2, 3, True, True)] if full else [
        (2, 2, False, True)]
    if full:
        shapes += [(4, 8, False, False), (4, 5, True, False), (2, 10, False, True)]
    for writers, each, windows, gui in shapes:
        yield Probe("store.concurrency",
                    f"{writers}x{each}{' +gui' if gui else ''}{' windows' if windows else ''}",
                    partial(_concurrent_chain, writers, each, windows, gui))
