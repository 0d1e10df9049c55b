"""Issue 10: hostile and damaged input to the store — a clear answer, never a traceback, a hang
or a silent empty store. One test (or a group) per numbered point of the issue."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from giantdesk.cli import main
from giantdesk.store import DatabaseBehind, open_store
from tests.store.test_attachments import make_pdf, make_png

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "annex1-pass.json"


POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="POSIX facilities: FIFOs, mount "
                                "namespaces, modes, /dev/zero, symlinks to /etc")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "giantdesk", *argv], capture_output=True,
                          text=True, encoding="utf-8", env=env or dict(os.environ), timeout=120)


def sql(home: Path, *statements: str) -> None:
    conn = sqlite3.connect(home / "giantdesk.sqlite3", isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


# --------------------------------------------------------------------------------------------
# 3. A store that knows it held drafts


def test_3_a_zero_byte_database_without_backups_is_damaged_not_empty(
        capsys: pytest.CaptureFixture[str], giantdesk_home: Path) -> None:
    run(capsys, "drafts", "import", str(SAMPLE))
    shutil.rmtree(giantdesk_home / "backups")
    (giantdesk_home / "giantdesk.sqlite3").write_bytes(b"")
    code, out, err = run(capsys, "--lang", "en", "drafts", "list")
    assert code == 2 and "no drafts yet" not in out
    assert "empty file (0 bytes)" in err and "held 1 draft(s)" in err
    assert "backups folder" in err and "is missing" in err and "Traceback" not in err
    assert (giantdesk_home / "giantdesk.sqlite3").read_bytes() == b""  # nothing written


def test_3_an_emptied_database_is_damaged(capsys: pytest.CaptureFixture[str],
                                          giantdesk_home: Path) -> None:
    run(capsys, "drafts", "import", str(SAMPLE))
    sql(giantdesk_home, "PRAGMA foreign_keys=OFF", "DELETE FROM revisions",
        "DELETE FROM field_values", "DELETE FROM drafts")
    code, out, err = run(capsys, "--lang", "en", "drafts", "list")
    assert code == 2 and "no drafts yet" not in out
    assert "holds 0 draft(s)" in err and "held 1 draft(s)" in err
    code, out, err = run(capsys, "--lang", "en", "restore")  # the start-up backup has none…
    assert code == 0, err
    assert "does not hold" in out  # …and going back past the last change is said


# --------------------------------------------------------------------------------------------
# 4. restore only restores when asked about a specific state


def test_4_restore_refuses_a_healthy_database(capsys: pytest.CaptureFixture[str],
                                              giantdesk_home: Path) -> None:
    # a new data folder: the start-up backup is taken before the first import
    assert run(capsys, "drafts", "import", str(SAMPLE))[0] == 0
    code, _, err = run(capsys, "--lang", "en", "restore")
    assert code == 1 and "the database is healthy (1 draft(s)" in err
    assert "would replace it" in err and "later change(s)" in err and "--force" in err
    assert json.loads(run(capsys, "drafts", "list", "--format", "json")[1])[0]["id"] == 1
    assert not (giantdesk_home / "damaged").exists()


def test_4_restore_never_silently_goes_back_past_a_newer_schema(
        capsys: pytest.CaptureFixture[str], giantdesk_home: Path) -> None:
    run(capsys, "drafts", "import", str(SAMPLE))
    sql(giantdesk_home, "UPDATE alembic_version SET version_num='0099'")
    code, _, err = run(capsys, "--lang", "en", "drafts", "list")
    assert code == 2 and "newer GiantDesk" in err
    code, _, err = run(capsys, "--lang", "en", "restore")
    assert code == 1 and "made by a newer GiantDesk" in err and "--force" in err
    code, out, err = run(capsys, "--lang", "en", "restore", "--force")
    assert code == 0 and "does not hold" in out, err
    kept = list((giantdesk_home / "damaged").glob("*-replaced-giantdesk.sqlite3"))
    assert kept  # the newer database is kept, not deleted


# --------------------------------------------------------------------------------------------
# 5. A lost or damaged -wal file


_WRITER = textwrap.dedent("""
    import os, sys
    from giantdesk.store import open_store
    store = open_store(backup_on_start=False)
    store.set_value(1, "enterprise.name", "第二次保存")
    store.set_value(1, "contact.name", "第三次保存")
    if sys.argv[1] == "backup":
        store.backup("manual")
    os._exit(0)  # killed: the committed frames are still only in the -wal file
""")


def _garble_header(wal: Path) -> None:
    with open(wal, "r+b") as f:
        f.write(random.Random(1).randbytes(32))


def _garble_frame(wal: Path) -> None:
    with open(wal, "r+b") as f:
        f.seek(32 + 24 + 100)
        f.write(random.Random(2).randbytes(200))


def _truncate(wal: Path) -> None:
    with open(wal, "r+b") as f:
        f.truncate(32 + 24 + 100)


def _zero(wal: Path) -> None:
    wal.write_bytes(bytes(wal.stat().st_size))


def _delete(wal: Path) -> None:
    wal.unlink()


@pytest.mark.parametrize("damage", [_garble_header, _garble_frame, _truncate, _zero, _delete],
                         ids=["garbled-header", "garbled-frame", "truncated", "zeroed", "deleted"])
def test_5_a_lost_wal_is_reported_before_anything_is_written(
        capsys: pytest.CaptureFixture[str], giantdesk_home: Path,
        damage: Callable[[Path], None]) -> None:
    with open_store() as store:
        store.create_draft("annex1-batch4")
        store.set_value(1, "enterprise.name", "第一次保存")
    result = subprocess.run([sys.executable, "-c", _WRITER, "plain"], env=dict(os.environ),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    db, wal = giantdesk_home / "giantdesk.sqlite3", giantdesk_home / "giantdesk.sqlite3-wal"
    assert wal.stat().st_size > 0
    wal_bytes = wal.read_bytes()
    damage(wal)
    before = db.read_bytes()
    code, out, err = run(capsys, "--lang", "en", "drafts", "list")
    assert code == 2 and "latest saved changes are lost" in err and "Traceback" not in err
    assert "No backup holds the newer state" in err and "--keep-current" in err
    assert db.read_bytes() == before  # nothing was written
    if damage is not _delete:  # the damaged log is kept for support
        kept = list((giantdesk_home / "damaged").glob("lost-*-giantdesk.sqlite3-wal"))
        assert len(kept) == 1 and kept[0].read_bytes() != wal_bytes
    with pytest.raises(DatabaseBehind):
        open_store()
    code, out, err = run(capsys, "--lang", "en", "restore", "--keep-current")
    assert code == 0, err
    accepted = list((giantdesk_home / "damaged").glob("*-accepted-giantdesk.marker"))
    assert len(accepted) == 1 and accepted[0].stat().st_size > 0  # what it held, kept
    code, out, _ = run(capsys, "drafts", "show", "1", "--format", "json")
    assert code == 0  # the older state, knowingly accepted
    assert json.loads(out)["values"].get("enterprise.name") in ("第一次保存", "第二次保存")


def test_5_a_backup_holding_the_newer_state_is_named_and_restored(
        capsys: pytest.CaptureFixture[str], giantdesk_home: Path) -> None:
    with open_store() as store:
        store.create_draft("annex1-batch4")
        store.set_value(1, "enterprise.name", "第一次保存")
    result = subprocess.run([sys.executable, "-c", _WRITER, "backup"], env=dict(os.environ),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    (giantdesk_home / "giantdesk.sqlite3-wal").unlink()
    code, _, err = run(capsys, "--lang", "en", "drafts", "list")
    assert code == 2 and "These backups hold more than the database does" in err
    assert "-manual.sqlite3" in err
    code, out, err = run(capsys, "--lang", "en", "restore")
    assert code == 0 and "-manual.sqlite3" in out, err
    record = json.loads(run(capsys, "drafts", "show", "1", "--format", "json")[1])
    assert record["values"]["contact.name"] == "第三次保存"


# --------------------------------------------------------------------------------------------
# 6. Damaged contents: messages naming the draft and what is wrong


def test_6_a_broken_value_is_named_by_show_export_and_doctor(
        capsys: pytest.CaptureFixture[str], giantdesk_home: Path) -> None:
    run(capsys, "drafts", "import", str(SAMPLE))
    sql(giantdesk_home, "UPDATE field_values SET value_json='{\"broken' "
                        "WHERE field_id='enterprise.name'")
    code, out, err = run(capsys, "--lang", "en", "drafts", "show", "1")
    assert code == 2 and "draft 1" in err and "enterprise.name: not valid JSON" in err
    assert "contact.name" in out  # the readable rest is shown, and said to be incomplete
    code, out, err = run(capsys, "--lang", "en", "drafts", "show", "1", "--format", "json")
    assert code == 2 and out == "" and "enterprise.name" in err
    code, out, err = run(capsys, "--lang", "en", "export", "--draft", "1", "--out", "o")
    assert code == 2 and "enterprise.name" in err and "Traceback" not in err
    code, out, _ = run(capsys, "--lang", "en", "doctor", "--deep")
    assert code == 1 and "draft 1 enterprise.name: not valid JSON" in out


def test_6_damaged_revisions_are_named_by_history(capsys: pytest.CaptureFixture[str],
                                                  giantdesk_home: Path) -> None:
    run(capsys, "drafts", "new", "annex1-batch4")
    run(capsys, "drafts", "set", "1", "enterprise.name", "甲公司")
    run(capsys, "drafts", "set", "1", "contact.name", "张三")
    sql(giantdesk_home, "UPDATE revisions SET new_json='[1,' WHERE path='enterprise.name'",
        "UPDATE revisions SET action=CAST(X'C3FF' AS TEXT) WHERE path='contact.name'")
    code, out, err = run(capsys, "--lang", "en", "drafts", "history", "1")
    assert code == 2 and "Traceback" not in err
    assert "⚠ this revision is damaged (new_json unreadable)" in out
    assert "⚠ this revision is damaged (action unreadable)" in out
    assert "draft 1" in err and "revision" in err
    code, out, err = run(capsys, "drafts", "history", "1", "--format", "json")
    assert code == 2 and sum("problem" in r for r in json.loads(out)) == 2
    code, out, _ = run(capsys, "--lang", "en", "doctor", "--deep")
    assert code == 1 and out.count("this revision is damaged") == 2
    assert "draft 1 revision " in out
    code, out, _ = run(capsys, "--lang", "zh", "doctor", "--deep")
    assert code == 1 and "草稿 1 修改记录 " in out and "revision" not in out


@pytest.mark.parametrize("statement, words", [
    ("DELETE FROM alembic_version", "schema version record (alembic_version) is missing"),
    ("DROP TABLE revisions", "table(s) missing: revisions"),
    # probe store.structure: "no such column: field_values.value_json" tracebacks before
    ("ALTER TABLE field_values RENAME COLUMN value_json TO v",
     "column(s) missing: field_values.value_json"),
    ("ALTER TABLE revisions DROP COLUMN detail", "column(s) missing: revisions.detail"),
    # probe store.structure: IntegrityError tracebacks in the middle of a save before
    ("CREATE TRIGGER no_writes BEFORE INSERT ON revisions BEGIN SELECT RAISE(ABORT, 'no'); "
     "END", "triggers or views GiantDesk never makes: no_writes"),
])
def test_6_damaged_structure_is_named(capsys: pytest.CaptureFixture[str], giantdesk_home: Path,
                                      statement: str, words: str) -> None:
    run(capsys, "drafts", "import", str(SAMPLE))
    sql(giantdesk_home, statement)
    for argv in (("drafts", "list"), ("drafts", "history", "1"), ("drafts", "show", "1")):
        code, _, err = run(capsys, "--lang", "en", *argv)
        assert code == 2 and words in err and "Traceback" not in err


def test_6_a_garbled_name_in_sqlites_own_schema_is_named(
        capsys: pytest.CaptureFixture[str], giantdesk_home: Path) -> None:
    """Probe store.garbled: a random byte in the schema page made a table's name invalid
    UTF-8, and every command ended in a UnicodeDecodeError traceback (marker.read_state)."""
    run(capsys, "drafts", "import", str(SAMPLE))
    sql(giantdesk_home, "PRAGMA writable_schema=ON",
        "UPDATE sqlite_master SET name=CAST(X'72657669B0696F6E73' AS TEXT) "
        "WHERE name='revisions'")
    for argv in (("drafts", "list"), ("drafts", "show", "1"), ("restore", "--list")):
        code, _, err = run(capsys, "--lang", "en", *argv)
        assert code in (0, 2) and "Traceback" not in err, (argv, err)
    code, _, err = run(capsys, "--lang", "en", "drafts", "list")
    assert code == 2 and "sqlite_master" in err and "garbled" in err, err


@pytest.mark.parametrize("statement, where", [
    ("UPDATE table_cells SET value_json='" + "[" * 100_000 + "' WHERE row_no=1",
     "innovation.class1_ip[1]"),  # RecursionError before
    ("UPDATE draft_tables SET row_count='x' WHERE table_id='innovation.class1_ip'",
     "innovation.class1_ip"),  # ValueError: int('x') before
    ("UPDATE draft_tables SET row_count=9223372036854775807 "
     "WHERE table_id='innovation.class1_ip'", "innovation.class1_ip"),  # a list of 2**63 rows
    ("UPDATE table_cells SET row_no='9999-99-99' WHERE table_id='innovation.class1_ip' "
     "AND row_no=2 AND column_id='title'",
     "innovation.class1_ip"),  # TypeError: '<=' between int and str before
    ("UPDATE drafts SET form_id='bogus'", "bogus"),  # KeyError from drafts set before
    ("UPDATE field_values SET value_json=CAST(X'C3FF' AS TEXT) "
     "WHERE field_id='contact.name'", "contact.name"),  # UnicodeEncodeError from set before
])
def test_6_damaged_stored_values_are_named_by_every_command(
        capsys: pytest.CaptureFixture[str], giantdesk_home: Path, statement: str,
        where: str) -> None:
    """Probe store.contents: each of these damaged stored values ended some command in a
    traceback (or, for a huge row count, in allocating a list of 2**63 rows)."""
    run(capsys, "drafts", "import", str(SAMPLE))
    sql(giantdesk_home, statement)
    edit = ("contact.name" if where in ("contact.name", "bogus")
            else "innovation.class1_ip[1].title")  # editing the damaged place itself
    for argv in (("drafts", "show", "1"), ("drafts", "show", "1", "--format", "json"),
                 ("drafts", "set", "1", edit, "新的值"),
                 ("export", "--draft", "1", "--out", str(giantdesk_home / "out")),
                 ("doctor", "--deep")):
        code, out, err = run(capsys, "--lang", "en", *argv)
        assert code in (1, 2) and "Traceback" not in err, (argv, err)
        assert where in out + err and "draft 1" in out + err, (argv, out, err)


@POSIX_ONLY
def test_6_a_marker_that_is_a_fifo_does_not_block_the_start(giantdesk_home: Path) -> None:
    """Probe store.folder: ``giantdesk.marker`` replaced by a FIFO blocked every command."""
    env = dict(os.environ, GIANTDESK_HOME=str(giantdesk_home))
    assert cli("drafts", "import", str(SAMPLE), env=env).returncode == 0
    marker = giantdesk_home / "giantdesk.marker"
    marker.unlink()
    os.mkfifo(marker)
    result = subprocess.run([sys.executable, "-m", "giantdesk", "drafts", "list"], env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and result.stdout.startswith("1\t"), result.stderr
    assert marker.is_file()  # a real marker again


# --------------------------------------------------------------------------------------------
# 7. Environment faults: messages, not tracebacks (a real read-only / full disk: a tmpfs in a
# private mount namespace, as root — CI runs as root)


def _namespace(script: str) -> subprocess.CompletedProcess[str]:
    prefix = ["unshare", "-m", "--propagation", "private"] if os.getuid() == 0 else \
        ["unshare", "-rm", "--propagation", "private"]
    env = dict(os.environ, GIANTDESK_LANG="en", PY=sys.executable)
    return subprocess.run([*prefix, "sh", "-c", script], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=180)


@POSIX_ONLY
def test_7_read_only_and_full_disks_are_named_as_such(tmp_path: Path) -> None:
    mount = tmp_path / "disk"
    mount.mkdir()
    script = textwrap.dedent(f"""
        D={mount}
        G="$PY -m giantdesk"
        mount -t tmpfs -o size=4m tmpfs $D || exit 90
        export GIANTDESK_HOME=$D/home
        $G drafts import {SAMPLE} >/dev/null || exit 91
        echo "== ro-list"; mount -o remount,ro $D; $G drafts list; echo "rc=$?"
        echo "== ro-restore"; $G restore --force; echo "rc=$?"
        echo "== ro-new-home"; GIANTDESK_HOME=$D/other $G drafts list; echo "rc=$?"
        mount -o remount,rw $D
        echo "== damaged"; printf 'garbage%.0s' $(seq 1 200) > $D/home/giantdesk.sqlite3
        head -c 8m /dev/zero > $D/fill 2>/dev/null
        echo "== full-restore"; $G restore; echo "rc=$?"
        ls $D/home
        echo "== full-first-start"; GIANTDESK_HOME=$D/new $G drafts new annex1-batch4; echo "rc=$?"
    """)
    result = _namespace(script)
    assert result.returncode == 0, result.stdout + result.stderr
    sections = dict(part.split("\n", 1) for part in result.stdout.split("== ")[1:])
    errors = result.stderr
    assert "Traceback" not in errors
    assert sections["ro-list"].strip().endswith("rc=2")
    assert "read-only" in errors and "damaged" not in errors.split("garbage")[0]
    assert sections["ro-restore"].strip().endswith("rc=2")
    assert sections["ro-new-home"].strip().endswith("rc=2")
    assert sections["full-restore"].strip().splitlines()[0] == "rc=2"
    assert "giantdesk.sqlite3" in sections["full-restore"]  # still there, not moved away
    assert sections["full-first-start"].strip().endswith("rc=2")
    assert errors.count("the disk is full") >= 2


@POSIX_ONLY
def test_7_a_store_on_a_disk_that_fills_up_is_full_not_damaged(tmp_path: Path) -> None:
    """Probe store.read-only-full: with the disk full after the store was made, every command
    said "The drafts database is damaged or unreadable … (disk I/O error) … giantdesk
    restore" (SQLite cannot grow the -shm file to read a WAL database): following that advice
    on a healthy database is what issue 10 point 4 warns about."""
    mount = tmp_path / "disk"
    mount.mkdir()
    script = textwrap.dedent(f"""
        D={mount}
        G="$PY -m giantdesk"
        mount -t tmpfs -o size=4m tmpfs $D || exit 90
        export GIANTDESK_HOME=$D/home
        $G drafts import {SAMPLE} >/dev/null || exit 91
        head -c 8m /dev/zero > $D/fill 2>/dev/null
        for c in "drafts list" "drafts show 1" "drafts set 1 contact.name X" "backup"; do
          echo "== $c"; $G $c; echo "rc=$?"
        done
        rm $D/fill
        echo "== after"; $G drafts show 1 --format json | grep -c contact.name; echo "rc=$?"
    """)
    result = _namespace(script)
    assert result.returncode == 0, result.stdout + result.stderr
    sections = dict(part.split("\n", 1) for part in result.stdout.split("== ")[1:])
    assert "Traceback" not in result.stderr
    assert "damaged" not in result.stderr and "restore" not in result.stderr, result.stderr
    for command in ("drafts list", "drafts show 1", "drafts set 1 contact.name X", "backup"):
        assert sections[command].strip().endswith("rc=2"), (command, sections[command])
    assert result.stderr.count("the disk is full") == 4, result.stderr
    assert sections["after"].strip().endswith("rc=0")  # nothing was lost or moved aside


def test_7_a_wrong_keyring_backend_gives_a_message(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="no.such.Backend", HOME=str(tmp_path))
    result = cli("--lang", "en", "doctor", env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot be loaded" in result.stdout


# --------------------------------------------------------------------------------------------
# 8. Secrets and modes


def test_8_keyrings_chainer_never_writes_the_key_to_a_plaintext_file(tmp_path: Path) -> None:
    data = tmp_path / "xdg"
    for chosen in ("keyring.backends.chainer.ChainerBackend", None):
        env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(data),
                   XDG_CONFIG_HOME=str(tmp_path / "cfg"))
        env.pop("PYTHON_KEYRING_BACKEND", None)
        if chosen:
            env["PYTHON_KEYRING_BACKEND"] = chosen
        result = cli("--lang", "en", "export", str(SAMPLE), "--out", str(tmp_path / "out"),
                     env=env)
        assert result.returncode == 1 and "plaintext" in result.stderr, result.stderr
        assert not data.exists() or not any(data.rglob("*.cfg"))  # no key file written
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@POSIX_ONLY
@pytest.mark.posix_semantics
def test_8_the_data_folder_and_its_files_are_private(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "new-home"
    monkeypatch.setenv("GIANTDESK_HOME", str(home))
    previous = os.umask(0o022)
    try:
        run(capsys, "drafts", "import", str(SAMPLE))
        assert run(capsys, "drafts", "attach", "1", "other",
                   str(make_png(tmp_path / "a.png")))[0] == 0
        run(capsys, "backup")
        with open_store() as store:  # leave -wal/-shm open while looking
            store.set_value(1, "contact.name", "李四")
            files = [p for p in home.rglob("*") if p.is_file()]
            folders = [home, *(p for p in home.rglob("*") if p.is_dir())]
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files + folders}
    finally:
        os.umask(previous)
    assert any(name.endswith("-wal") for name in modes)
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o700 for f in folders), modes
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files if f.exists()), modes


# --------------------------------------------------------------------------------------------
# 10. One attachment intake: export --attach refuses what drafts attach refuses, in the same words


def _hostile_files(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {
        "elf": folder / "elf.pdf", "pe": folder / "setup.pdf", "empty": folder / "empty.pdf",
        "html": folder / "page.pdf", "encrypted": make_pdf(folder / "locked.pdf", "secret"),
        "link-outside": folder / "passwd.pdf", "folder": folder / "dir.pdf",
    }
    files["elf"].write_bytes(b"\x7fELF\x02\x01\x01" + bytes(200))
    files["pe"].write_bytes(b"MZ\x90\x00" + bytes(200))
    files["empty"].write_bytes(b"")
    files["html"].write_bytes(b"<!doctype html><html><body>%PDF-1.4</body></html>")
    files["link-outside"].symlink_to("/etc/passwd")
    files["folder"].mkdir()
    return files


@POSIX_ONLY
def test_10_export_attach_goes_through_the_same_intake(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    run(capsys, "drafts", "new", "annex1-batch4")
    out = tmp_path / "out"
    for kind, path in _hostile_files(tmp_path / "in").items():
        code_a, _, err_a = run(capsys, "--lang", "en", "drafts", "attach", "1", "other", str(path))
        code_e, _, err_e = run(capsys, "--lang", "en", "export", str(SAMPLE), "--out", str(out),
                               "--attach", f"other={path}")
        assert code_a != 0 and code_e == code_a, (kind, err_a, err_e)
        assert err_e == err_a and path.name in err_a, kind  # the same refusal, word for word
    assert not out.exists() or not any(out.iterdir())
    inside = tmp_path / "in" / "licence-link.pdf"
    inside.symlink_to(make_pdf(tmp_path / "in" / "licence.pdf"))  # a link within the folder
    assert run(capsys, "drafts", "attach", "1", "other", str(inside))[0] == 0


# --------------------------------------------------------------------------------------------
# 11. Every command that reads a path refuses non-regular files and reads at most its limit


def _bounded(argv: list[str], fifo: Path | None) -> int:
    """Run the command; a command still blocked after 10 s fails the test (and is released)."""
    result: dict[str, int] = {}
    thread = threading.Thread(target=lambda: result.update(code=main(argv)), daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():
        if fifo is not None:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # release the reader
        thread.join(10)
        pytest.fail(f"{' '.join(argv)} blocked on {fifo}")
    return result["code"]


@POSIX_ONLY
def test_11_a_fifo_or_a_device_is_refused_without_blocking(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    run(capsys, "drafts", "new", "annex1-batch4")
    fifo = tmp_path / "record.json"
    os.mkfifo(fifo)
    folder = tmp_path / "province"
    folder.mkdir()
    os.mkfifo(folder / "bundle.zip")
    commands = [
        ["check", str(fifo)], ["check", "/dev/zero"], ["drafts", "import", str(fifo)],
        ["drafts", "carry-over", str(fifo)], ["drafts", "attach", "1", "other", str(fifo)],
        ["verify", str(fifo)], ["export", str(fifo), "--out", str(tmp_path / "o")],
        ["export", str(SAMPLE), "--out", str(tmp_path / "o"), "--attach", f"other={fifo}"],
        ["drafts", "import", "/dev/zero"],
        ["summarize", "annex3", str(folder), "--out", str(tmp_path / "s.xlsx")],
        ["summarize", "annex3", str(folder), "--definition", str(fifo), "--out",
         str(tmp_path / "s.xlsx")],
    ]
    for argv in commands:
        started = time.monotonic()
        code = _bounded(["--lang", "en", *argv], fifo)
        out, err = capsys.readouterr()
        err += out  # verify and summarize report on stdout
        assert code in (1, 2) and "Traceback" not in err, (argv, err)
        assert "not a regular file" in err, (argv, err)
        assert time.monotonic() - started < 5, argv


def test_text_from_the_os_that_is_not_utf8_is_stored_or_refused_by_name(
        samples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """File names, titles given on a command line and login names may hold bytes that are not
    UTF-8 (surrogate escapes): a title is refused naming it, a name is kept with U+FFFD; never
    a UnicodeEncodeError from SQLite."""
    from giantdesk.forms.record import loads
    from giantdesk.store import InvalidEdit
    from giantdesk.store.api import TITLE_MAX

    monkeypatch.setenv("LOGNAME", "clerk\udcff")
    with open_store() as store:
        assert store.user == "clerk\ufffd"
        draft_id = store.create_draft("annex1-batch4", "  精研 2022  ")
        assert store.draft(draft_id).title == "精研 2022"
        for bad in ("a\udcffb", "a\x1bb", "x" * (TITLE_MAX + 1)):
            with pytest.raises(InvalidEdit) as info:
                store.set_title(draft_id, bad)
            assert "标题" in info.value.message.zh and "title" in info.value.message.en
            with pytest.raises(InvalidEdit):
                store.create_draft("annex1-batch4", bad)
        record = loads((samples / "annex1-pass.json").read_bytes())
        imported = store.import_record(record, source="import:x\udcff.json")
        assert store.draft(imported).source == "import:x\ufffd.json"
        pdf = make_pdf(tmp_path / "a\udcff.pdf")
        info_ = store.add_attachment(draft_id, "audit_report", pdf)
        assert info_.name == "a\ufffd.pdf" and store.attachments(draft_id)[0].name == "a\ufffd.pdf"
        store.save_inputs(draft_id, {"enterprise.name": "精研\ud800"})
        assert store.inputs(draft_id) == {"enterprise.name": "精研\ufffd"}


def test_a_title_on_the_command_line_that_is_not_utf8(capsys: pytest.CaptureFixture[str],
                                                       samples: Path) -> None:
    for argv in (["drafts", "new", "annex1-batch4", "--title", "a\udcffb"],
                 ["drafts", "import", str(samples / "annex1-pass.json"), "--title", "a\udcffb"]):
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 1 and "草稿标题" in err and "U+DCFF" in err and "Traceback" not in err
