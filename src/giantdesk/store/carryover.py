"""Carry-over: start an Annex 2 (review) draft from an earlier Annex 1 record or bundle.

Every value whose field exists in the target form with the same type is copied; tables are
copied column by column the same way. What cannot be carried is listed, never silently lost.
The result says what it did: how much was carried per part, the review-only items the source
form does not have (still to fill), every required item still empty, and the attachments the
source holds (offered for carrying too: a draft's are shared with the new one, a bundle's go
through the store's intake).
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from giantdesk import fileops
from giantdesk.forms.definitions import REVIEW_FORM, load_definition
from giantdesk.forms.evidence import CATEGORIES
from giantdesk.forms.messages import Message
from giantdesk.forms.model import FormDefinition, Part, TableDef
from giantdesk.forms.record import RecordError, Submission, loads, problems_message, read_file
from giantdesk.forms.validation import is_missing, validate
from giantdesk.store.errors import EXIT_INVALID, EXIT_UNREADABLE, StoreError

if TYPE_CHECKING:
    from giantdesk.export.verify import Report
    from giantdesk.store.api import AttachmentInfo, Store


@dataclass(frozen=True)
class PartCarried:
    """What was carried into one part of the new draft."""

    part_id: str
    title: Message  # "一、企业情况"
    fields: int
    tables: int
    rows: int


@dataclass(frozen=True)
class Offered:
    """An attachment of the source, offered for carrying into the new draft too."""

    category: str
    name: str
    size: int
    #: Where it is: ``draft:<attachment id>`` (a draft in this store) or a bundle member name.
    origin: str
    #: A bundle member's SHA-256 as its signed manifest gives it: the bytes carried must match.
    sha256: str | None = None

    @property
    def label(self) -> Message:
        cat = CATEGORIES.get(self.category, Message(self.category, self.category))
        return Message(f"{cat.zh}：{self.name}", f"{cat.en}: {self.name}")


@dataclass
class CarryOver:
    record: Submission
    #: Field / column paths of the source that the target form does not have (or types differ).
    skipped: list[str] = field(default_factory=list)
    carried: list[PartCarried] = field(default_factory=list)
    #: Required items of the target form that the source form has no counterpart for (the
    #: review's own questions), in the form's order: all empty, all still to fill.
    review_only: list[str] = field(default_factory=list)
    #: Every required, visible item of the enterprise's parts still empty (a field, table or
    #: cell path), review-only ones included, in the form's order.
    to_fill: list[str] = field(default_factory=list)
    #: The source's attachments, offered for carrying too (filled by :func:`offer_from_draft`
    #: / :func:`offer_from_bundle`).
    offered: list[Offered] = field(default_factory=list)

    def report(self) -> Message:
        """What was done, in a few lines (CLI; the GUI shows the same with links)."""
        definition = self.record.definition
        zh = ["已转入：" if self.carried else "没有可转入的内容。"]
        en = ["Carried over:" if self.carried else "Nothing could be carried over."]
        for part in self.carried:
            zh.append(f"  {part.title.zh}：{part.fields} 项"
                      + (f"，{part.tables} 个表格 {part.rows} 行" if part.tables else ""))
            en.append(f"  {part.title.en}: {part.fields} field(s)"
                      + (f", {part.tables} table(s) with {part.rows} row(s)" if part.tables
                         else ""))
        if self.review_only:
            labels = [definition.label_of(i) for i in self.review_only]
            zh.append("复核专有、待填写：" + "、".join(m.zh for m in labels))
            en.append("Review-only, to fill: " + "; ".join(m.en for m in labels))
        others = [i for i in self.to_fill if i not in self.review_only]
        if others:
            zh.append(f"另有 {len(others)} 项必填内容为空，待填写")
            en.append(f"{len(others)} other required item(s) are empty, to fill")
        if self.offered:
            zh.append(f"原申报材料中有 {len(self.offered)} 个附件，可一并转入")
            en.append(f"The source has {len(self.offered)} attachment(s) that can be carried "
                      "too")
        if self.skipped:
            zh.append(f"未转入（目标表单没有或类型不同）：{'、'.join(self.skipped)}")
            en.append(f"Not carried (absent or different in the target form): "
                      f"{', '.join(self.skipped)}")
        return Message("\n".join(zh), "\n".join(en))


def read_source(path: Path) -> Submission:
    """A record from ``submission.json`` (the one record reader, ``record.read_file``), or from
    a bundle ``.zip`` — which must first pass ``giantdesk verify`` (signature, hashes, layout,
    copies): a tampered bundle is refused, and the record imported is exactly the bytes verify
    checked (the bundle is read once)."""
    return read_source_and_offers(path)[0]


def read_source_and_offers(path: Path) -> tuple[Submission, list[Offered]]:
    """:func:`read_source`, and a bundle's attachments offered for carrying — from the same
    verification: the signed manifest's members with their hashes (none for a record file)."""
    try:
        with fileops.open_regular(path) as handle:  # a FIFO or a device: refused, never read
            is_zip = handle.read(4) == b"PK\x03\x04" or zipfile.is_zipfile(handle) \
                or path.suffix.lower() == ".zip"
        if not is_zip:
            return read_file(path), []
        report = _verified(path)
        assert report.verified_record is not None
        return loads(report.verified_record), _offers(report)
    except OSError as exc:  # exit 2 like ``check``: the file cannot be read at all
        message = exc.message if isinstance(exc, fileops.FileOpError) else Message(
            f"无法读取 {path}：{fileops.os_reason(exc).zh}",
            f"cannot read {path}: {fileops.os_reason(exc).en}")
        raise _error(message, EXIT_UNREADABLE) from exc
    except RecordError as exc:  # over the limits: exit 1; not a record: exit 2
        raise _error(problems_message(Message(f"{path} 不是可读取的申报记录：",
                                              f"{path} is not a readable submission record:"),
                                      exc.problems, most=20),
                     EXIT_INVALID if exc.over_limits else EXIT_UNREADABLE) from exc


def _error(message: Message, exit_code: int) -> StoreError:
    error = StoreError(message)
    error.exit_code = exit_code
    return error


def _verified(path: Path) -> Report:
    """The report of a bundle that verified; else the error naming what is wrong."""
    from giantdesk.export.verify import verify_bundle

    report = verify_bundle(path)
    if not report.valid:
        assert report.problem is not None
        where = f"{report.problem.member}：" if report.problem.member else ""
        where_en = f"{report.problem.member}: " if report.problem.member else ""
        raise _error(Message(
            f"{path} 未通过校验，不能从中结转：{where}{report.problem.message.zh}",
            f"{path} does not verify, so nothing is carried over from it: "
            f"{where_en}{report.problem.message.en}"), report.exit_code)  # 2: not a zip
    return report


def _part_title(part: Part) -> Message:
    return Message(f"{part.number.zh}、{part.title.zh}", f"{part.number.en}. {part.title.en}")


def carry_over(source: Submission, to_form: str = REVIEW_FORM, *,
               today: date | None = None) -> CarryOver:
    target = load_definition(to_form)
    definition = source.definition
    result = CarryOver(Submission.empty(target))
    for field_id, value in source.values.items():
        src, dst = definition.field(field_id), target.field(field_id)
        if src is None or dst is None or src.type != dst.type or dst.computed is not None:
            result.skipped.append(field_id)
            continue
        result.record.values[field_id] = value
    for table_id, rows in source.tables.items():
        src_t, dst_t = definition.table(table_id), target.table(table_id)
        if src_t is None or dst_t is None:
            result.skipped.append(table_id)
            continue
        carried = []
        for index, row in enumerate(rows):
            new_row = {}
            for column_id, value in row.items():
                a, b = src_t.column(column_id), dst_t.column(column_id)
                if a is None or b is None or a.type != b.type:
                    result.skipped.append(f"{table_id}[{index + 1}].{column_id}")
                    continue
                new_row[column_id] = value
            carried.append(new_row)
        result.record.tables[table_id] = carried
    _describe(result, definition, target, today or date.today())
    return result


def _describe(result: CarryOver, source: FormDefinition, target: FormDefinition,
              today: date) -> None:
    record = result.record
    for part in target.parts:
        fields = sum(1 for f in part.fields() if f.id in record.values)
        tables = [i.id for i in part.items if isinstance(i, TableDef) and i.id in record.tables]
        rows = sum(len(record.tables[t]) for t in tables)
        if fields or tables:
            result.carried.append(PartCarried(part.id, _part_title(part), fields, len(tables),
                                              rows))
    empty: list[str] = []
    for p in validate(record, today=today).errors:
        owner = target.part_of(p.path.split("[", 1)[0])
        if is_missing(p) and owner is not None and owner.filled_by == "enterprise":
            empty.append(p.path)
    result.to_fill = empty
    result.review_only = [
        path for path in empty
        if "[" not in path and source.field(path) is None and source.table(path) is None]


# --------------------------------------------------------------------------------------------
# Attachments offered with the carry-over

def offer_from_draft(store: Store, draft_id: int) -> list[Offered]:
    """The attachments of a draft in this store, offered for carrying."""
    return [Offered(a.category, a.name, a.size, f"draft:{a.id}")
            for a in store.attachments(draft_id)]


def offer_from_bundle(path: Path) -> list[Offered]:
    """The attachments of a bundle, offered for carrying: the members its signed manifest
    lists (``attachments/<nn>-<category>-<name>``), with their hashes (verified here; see
    :func:`read_source_and_offers` to verify once for both)."""
    return _offers(_verified(path)) if _is_zip(path) else []


def _offers(report: Report) -> list[Offered]:
    return [Offered(category, name, entry.size, member, entry.sha256)
            for category, name, member, entry in report.verified_attachments
            if category in CATEGORIES]


def _is_zip(path: Path) -> bool:
    try:
        with fileops.open_regular(path) as handle:
            return zipfile.is_zipfile(handle)
    except (fileops.FileOpError, OSError):
        return False


_CHANGED = Message("申报包在校验之后被改动或已损坏，未转入这个附件",
                   "the bundle was changed or damaged after it was verified; this attachment "
                   "was not carried")


def carry_attachments(store: Store, draft_id: int, offered: list[Offered], *,
                      source_draft: int | None = None, bundle: Path | None = None,
                      ) -> tuple[list[AttachmentInfo], list[tuple[Offered, Message]]]:
    """Add the chosen offered attachments to the new draft: a draft's are shared (the stored
    copy is the same file), a bundle's are read through the store's intake like any file the
    user adds. Returns what was added and what was refused (with the store's reason)."""
    from giantdesk.export.zipsafe import MemberReadError, iter_member

    added: list[AttachmentInfo] = []
    refused: list[tuple[Offered, Message]] = []
    from_draft = [o for o in offered if o.origin.startswith("draft:")]
    if from_draft:
        if source_draft is None:
            raise ValueError("source_draft is needed for a draft's attachments")
        ids = [int(o.origin.split(":", 1)[1]) for o in from_draft]
        copied, skipped = store.share_attachments(source_draft, draft_id, ids)
        added += copied
        by_id = {int(o.origin.split(":", 1)[1]): o for o in from_draft}
        refused += [(by_id[i], why) for i, why in skipped]
    members = [o for o in offered if not o.origin.startswith("draft:")]
    if members:
        if bundle is None:
            raise ValueError("bundle is needed for a bundle's attachments")
        # ignore_cleanup_errors: on Windows an antivirus may still hold a copy just read; the
        # attachments are already stored by then (the scratch folder is swept at the next start)
        with tempfile.TemporaryDirectory(prefix="giantdesk-carry-",
                                         ignore_cleanup_errors=True) as tmp, \
                zipfile.ZipFile(bundle) as zf:
            for index, offer in enumerate(members):
                folder = Path(tmp) / str(index)
                folder.mkdir()
                target = folder / offer.name
                digest = hashlib.sha256()
                try:
                    info = zf.getinfo(offer.origin)
                    with target.open("wb") as out:  # streamed; the intake checks the size

                        def sink(chunk: bytes, out: BinaryIO = out, digest: Any = digest) -> None:
                            digest.update(chunk)  # hashed as it is written: read once
                            out.write(chunk)

                        iter_member(zf, info, info.file_size, sink=sink)
                    if offer.sha256 is not None and digest.hexdigest() != offer.sha256:
                        refused.append((offer, _CHANGED))
                        continue
                    added.append(store.add_attachment(draft_id, offer.category, target))
                except StoreError as exc:
                    refused.append((offer, exc.message))
                except OSError as exc:
                    reason = fileops.os_reason(exc)
                    refused.append((offer, Message(f"无法从申报包读取：{reason.zh}",
                                                   f"cannot read it from the bundle: {reason.en}")))
                except (KeyError, MemberReadError, zipfile.BadZipFile):
                    refused.append((offer, _CHANGED))
    return added, refused
