"""Attachment and path probes: hostile files given to ``drafts attach`` and
``export --attach``, and non-regular paths given to every command that reads a path.

The promises (issue 10 points 10 and 11): one intake — ``drafts attach`` and ``export
--attach`` refuse the same files with the same words (exit code and message); only regular
files (no FIFOs, devices, sockets, folders; symlinks only within the folder they are in), by
content (PDF structure, not encrypted, not empty; images by magic), within the size limit;
nothing hangs, nothing partial is left; a refused attachment leaves the draft as it was.
What is accepted exports into a bundle that verifies.
"""

from __future__ import annotations

import io
import os
import random
import socket
import struct
import zlib
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from tests.probes.harness import SAMPLE, Ctx, Probe, probe_class

Maker = Callable[[Path], Path]


def _pdf(pages: int = 1, password: str | None = None, **kwargs: object) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(password, **kwargs)  # type: ignore[arg-type]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _png(width: int = 1, height: int = 1, *, lie: bool = False) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    ihdr = struct.pack(">II", width, height) + bytes([8, 0, 0, 0, 0])
    rows = b"" if lie else b"".join(b"\x00" + bytes(width) for _ in range(min(height, 4)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def _file(name: str, data: bytes | Callable[[], bytes]) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data() if callable(data) else data)
        return path
    return make


def _special(name: str, kind: str) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / name
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "dir":
            path.mkdir()
        elif kind == "socket":
            sock = socket.socket(socket.AF_UNIX)
            sock.bind(str(path))
            sock.close()
        elif kind.startswith("link:"):
            path.symlink_to(kind.split(":", 1)[1])
        elif kind == "link-to-fifo":
            os.mkfifo(folder / "pipe")
            path.symlink_to(folder / "pipe")
        elif kind == "link-inside":
            (folder / "real.pdf").write_bytes(_pdf())
            path.symlink_to("real.pdf")
        elif kind == "link-sibling-folder":
            other = folder.parent / "elsewhere"
            other.mkdir(exist_ok=True)
            (other / "real.pdf").write_bytes(_pdf())
            path.symlink_to(other / "real.pdf")
        elif kind == "link-dotdot":
            other = folder.parent / "up.pdf"
            other.write_bytes(_pdf())
            path.symlink_to("../up.pdf")
        elif kind == "link-chain-out":
            (folder / "hop").symlink_to("/etc/hostname")
            path.symlink_to("hop")
        elif kind == "link-loop":
            path.symlink_to(name)
        elif kind == "link-dangling":
            path.symlink_to("nowhere.pdf")
        elif kind == "sparse":
            with open(path, "wb") as f:
                f.write(_pdf())
                f.truncate(64 << 30)
        elif kind == "hardlink-out":
            os.link("/etc/hostname", path)
        return path
    return make


def _truncated_pdf() -> bytes:
    data = _pdf(3)
    return data[: len(data) * 2 // 3]


def _pdf_without_eof() -> bytes:
    return _pdf().replace(b"%%EOF", b"")


def _pdf_bad_xref() -> bytes:
    data = _pdf(2)
    at = data.rfind(b"startxref")
    return data[:at] + b"startxref\n999999\n%%EOF\n"


def _pdf_zero_pages() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _pdf_loop() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[2 0 R]/Count 1/Parent 2 0 R>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _pdf_deep() -> bytes:
    return b"%PDF-1.4\n1 0 obj " + b"[" * 200_000 + b"]" * 200_000 + b" endobj\n%%EOF\n"


def _pdf_huge_object_count() -> bytes:
    body = b"".join(b"%d 0 obj null endobj\n" % i for i in range(1, 200_000))
    return b"%PDF-1.4\n" + body + b"trailer<</Root 1 0 R/Size 999999999>>\n%%EOF\n"


def _pdf_bomb() -> bytes:
    stream = zlib.compress(bytes(50 << 20), 9)
    page = (b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length %d/Filter/FlateDecode>>stream\n" % len(stream) + stream
            + b"\nendstream endobj\n")
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" + page
            + b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _jpeg_truncated() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


def _zip_named_pdf() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("a.txt", "x")
    return out.getvalue()


#: (name, maker, accepted?) — None: either is fine, the intakes must agree.
CONTENT: list[tuple[str, Maker, bool | None]] = [
    ("elf", _file("tool.pdf", b"\x7fELF\x02\x01\x01" + bytes(500)), False),
    ("pe", _file("setup.pdf", b"MZ\x90\x00" + bytes(500) + b"PE\x00\x00"), False),
    ("html", _file("page.pdf", b"<!doctype html><script>alert(1)</script>%PDF-1.4"), False),
    ("svg", _file("image.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), False),
    ("zip", _file("archive.pdf", _zip_named_pdf), False),
    ("docx-as-pdf", _file("doc.pdf", _zip_named_pdf), False),
    ("text", _file("notes.pdf", "说明文字".encode()), False),
    ("empty", _file("empty.pdf", b""), False),
    ("pdf-magic-only", _file("magic.pdf", b"%PDF-"), False),
    ("pdf-encrypted-user", _file("locked.pdf", lambda: _pdf(password="secret")), False),
    ("pdf-encrypted-owner", _file("owner.pdf", lambda: _pdf(password="")), None),
    ("pdf-aes", _file("aes.pdf", lambda: _pdf(password="x", algorithm="AES-256")), False),
    ("pdf-truncated", _file("cut.pdf", _truncated_pdf), False),
    ("pdf-no-eof", _file("noeof.pdf", _pdf_without_eof), False),
    ("pdf-bad-xref", _file("xref.pdf", _pdf_bad_xref), None),
    ("pdf-zero-pages", _file("nopages.pdf", _pdf_zero_pages), False),
    ("pdf-page-loop", _file("loop.pdf", _pdf_loop), None),
    ("pdf-deep-nesting", _file("deep.pdf", _pdf_deep), None),
    ("pdf-many-objects", _file("objects.pdf", _pdf_huge_object_count), None),
    ("pdf-stream-bomb", _file("bomb.pdf", _pdf_bomb), None),
    ("pdf-ok", _file("ok.pdf", lambda: _pdf(2)), True),
    ("pdf-uppercase-ext", _file("OK.PDF", lambda: _pdf(1)), True),
    ("pdf-no-ext", _file("scan", lambda: _pdf(1)), True),
    ("png-ok", _file("photo.png", lambda: _png()), True),
    ("png-huge-dimensions", _file("wide.png", lambda: _png(100_000, 100_000, lie=True)), None),
    ("png-header-only", _file("head.png", b"\x89PNG\r\n\x1a\n"), None),
    ("jpeg-truncated", _file("cut.jpg", _jpeg_truncated), None),
    ("pdf-over-limit", _file("big.pdf", lambda: _pdf() + b"%" + b"x" * (21 << 20)), False),
]
NAMES: list[tuple[str, str]] = [
    ("name-control", "a\x1b[31mb.pdf"), ("name-newline", "line\nbreak.pdf"),
    ("name-bidi", "invoice\u202efdp.exe"), ("name-long", "长" * 80 + ".pdf"),
    ("name-dots", "...pdf"), ("name-only-ext", ".pdf"), ("name-spaces", "  .pdf  "),
    ("name-reserved", "CON.pdf"), ("name-backslash", "a\\..\\b.pdf"),
    ("name-colon", "c:evil.pdf"), ("name-bytes", "\udcff\udcfe.pdf"),
    ("name-nfd", "e\u0301.pdf"), ("name-star", "*?<>|.pdf"),
]
SPECIAL: list[tuple[str, str]] = [
    ("fifo", "fifo"), ("dir", "dir"), ("socket", "socket"), ("dev-zero", "link:/dev/zero"),
    ("dev-null", "link:/dev/null"), ("dev-urandom", "link:/dev/urandom"),
    ("link-to-fifo", "link-to-fifo"), ("link-etc", "link:/etc/passwd"),
    ("link-proc", "link:/proc/cpuinfo"), ("link-sibling-folder", "link-sibling-folder"),
    ("link-dotdot", "link-dotdot"), ("link-chain-out", "link-chain-out"),
    ("link-loop", "link-loop"), ("link-dangling", "link-dangling"), ("sparse-64GB", "sparse"),
    ("hardlink-out", "hardlink-out"), ("link-inside", "link-inside"),
]


def intake_chain(make: Maker, accepted: bool | None, ctx: Ctx, *, category: str = "other"
                 ) -> None:
    """The same file through ``drafts attach`` and ``export --attach``: the same answer."""
    ctx.copy_home(ctx.shared.stored_home())
    folder = ctx.work / "chosen"
    folder.mkdir()
    path = make(folder)
    before = ctx.cli("drafts", "attachments", "1", "--format", "json").out
    attach = ctx.cli("drafts", "attach", "1", category, str(path), names=(path.name,),
                     timeout=30)
    out = ctx.work / "out"
    export = ctx.cli("export", str(SAMPLE), "--out", str(out), "--attach",
                     f"{category}={path}", timeout=60)
    ctx.check(attach.code == export.code or (attach.code != 0) == (export.code != 0),
              f"drafts attach exit {attach.code}, export --attach exit {export.code}")
    if attach.code != 0:
        ctx.check(export.code == attach.code and export.err.strip() == attach.err.strip(),
                  "export --attach refuses in other words than drafts attach:\n"
                  f"attach: {attach.err.strip()}\nexport: {export.err.strip()}", export)
        after = ctx.cli("drafts", "attachments", "1", "--format", "json").out
        ctx.check(after == before, "a refused attachment changed the draft's attachments")
        ctx.check(not out.exists() or not any(out.iterdir()), "a refused export left a file")
    if accepted is not None:
        ctx.check((attach.code == 0) == accepted,
                  f"drafts attach {'refused' if accepted else 'accepted'} it", attach)
    if export.code == 0:
        (bundle,) = out.glob("*.zip")
        ctx.check(ctx.cli("verify", str(bundle)).code == 0,
                  "a bundle exported with this attachment does not verify")
    if attach.code == 0 and ctx.full:
        drafted = ctx.cli("export", "--draft", "1", "--out", str(ctx.work / "out2"))
        ctx.check(drafted.code == 0, "the attached draft cannot be exported", drafted)
        (bundle,) = (ctx.work / "out2").glob("*.zip")
        ctx.check(ctx.cli("verify", str(bundle)).code == 0,
                  "the attached draft's bundle does not verify")


@probe_class("attachments.content", "attachments", fast=1)
def content(rng: random.Random, full: bool) -> Iterator[Probe]:
    """ELF/PE/HTML/SVG/ZIP/text named .pdf or .png; empty, magic-only, encrypted (user,
    owner, AES), truncated, no %%EOF, bad xref, no pages, page loops, deep nesting, 200,000
    objects, a 50 MB stream bomb, over the size limit; real PDFs and PNGs (accepted)."""
    for name, make, accepted in CONTENT:
        yield Probe("attachments.content", name, partial(intake_chain, make, accepted))
    if full:
        for i in range(40):
            seed = rng.randrange(1 << 30)
            yield Probe("attachments.content", f"mutated-pdf-{i}",
                        partial(intake_chain, _file("m.pdf", partial(_mutated_pdf, seed)),
                                None))


def _mutated_pdf(seed: int) -> bytes:
    rng = random.Random(seed)
    data = bytearray(_pdf(2))
    for _ in range(rng.randint(1, 20)):
        i = rng.randrange(8, len(data) - 8)
        data[i] = rng.randrange(256)
    return bytes(data)


@probe_class("attachments.names", "attachments", fast=1)
def names(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Real PDFs under hostile file names: controls, line breaks, bidi overrides, 80 CJK
    characters, only dots, reserved names, backslashes, bytes that are not UTF-8, NFD."""
    for label, name in NAMES:
        yield Probe("attachments.names", label,
                    partial(intake_chain, _file(name, _pdf), True))


@probe_class("attachments.special", "attachments", fast=1)
def special(rng: random.Random, full: bool) -> Iterator[Probe]:
    """FIFOs, folders, sockets, devices, links to /dev/zero, /etc/passwd, /proc, to a FIFO,
    out of the chosen folder (sibling, ../, a chain), loops, dangling links, a 64 GB sparse
    file, a hard link to a system file; a link inside the folder (accepted)."""
    for label, kind in SPECIAL:
        accepted = True if kind == "link-inside" else None if kind == "hardlink-out" else False
        yield Probe("attachments.special", label,
                    partial(intake_chain, _special("file.pdf", kind), accepted))


# --------------------------------------------------------------------------------------------
# Every command that reads a path, given one that is not a regular file


def path_chain(kind: str, ctx: Ctx) -> None:
    ctx.copy_home(ctx.shared.stored_home())
    folder = ctx.work / "chosen"
    folder.mkdir()
    path = _special("input.json", kind)(folder) if kind != "missing" else folder / "none.json"
    bundles_dir = ctx.work / "province"
    bundles_dir.mkdir()
    _special("bundle.zip", kind)(bundles_dir) if kind != "missing" else None
    commands = [
        ["check", str(path)], ["rules", str(path)], ["drafts", "import", str(path)],
        ["drafts", "carry-over", str(path)], ["export", str(path), "--out", "out"],
        ["verify", str(path)], ["verify", str(ctx.shared.base_bundle()), "--trust-file",
                                str(path)],
        ["summarize", "annex3", str(path), "--out", "s.xlsx"],
        ["summarize", "annex3", str(bundles_dir), "--out", "s2.xlsx"],
        ["summarize", "annex3", str(ctx.shared.base_bundle()), "--out", "s3.xlsx",
         "--definition", str(path)],
        ["summarize", "annex3", str(ctx.shared.base_bundle()), "--out", "s4.xlsx",
         "--trust-file", str(path)],
        ["restore", str(path)], ["drafts", "attach", "1", "other", str(path)],
        ["drafts", "show", "1", "-o", str(path)],
        ["summarize", "annex3", str(ctx.shared.base_bundle()), "--out", str(path)],
        ["export", str(SAMPLE), "--out", str(path)],
    ]
    def step(argv: list[str]) -> None:
        run = ctx.cli(*argv, timeout=20)
        ctx.check(run.seconds < 10, f"took {run.seconds:.1f} s")
        writes = (argv[0] == "drafts" and argv[1] == "show") or ("--out" in argv and \
            argv[argv.index("--out") + 1] == str(path))
        if kind in ("fifo", "dir", "socket", "link-to-fifo", "link:/dev/zero") and not writes \
                and argv[0] not in ("summarize",):
            ctx.check(run.code != 0, f"{argv[0]} accepted a {kind}")

    ctx.each(commands if ctx.full else commands[::4], step)
    ctx.never_silently_empty(2)


@probe_class("paths.non-regular", "paths", fast=1)
def non_regular(rng: random.Random, full: bool) -> Iterator[Probe]:
    """A FIFO, folder, socket, /dev/zero, /dev/urandom, a link to a FIFO, a dangling link, a
    loop, a missing file, a 64 GB sparse file given to every command that reads or writes a
    path (check, rules, import, carry-over, export, verify, --trust-file, summarize and its
    folder scan and --definition, restore, attach, show -o, export/summarize --out)."""
    for kind in ("fifo", "dir", "socket", "link:/dev/zero", "link:/dev/urandom",
                 "link-to-fifo", "link-dangling", "link-loop", "missing", "sparse"):
        yield Probe("paths.non-regular", kind, partial(path_chain, kind))
