"""Carry-over: start an Annex 2 (review) draft from an earlier Annex 1 record or bundle.

Every value whose field exists in the target form with the same type is copied; tables are
copied column by column the same way. What cannot be carried is listed, never silently lost.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from giantdesk import fileops
from giantdesk.forms.definitions import REVIEW_FORM, load_definition
from giantdesk.forms.messages import Message
from giantdesk.forms.record import RecordError, Submission, loads
from giantdesk.forms.recordfile import RecordFileError, read_record_file, refused
from giantdesk.store.errors import EXIT_UNREADABLE, StoreError


@dataclass
class CarryOver:
    record: Submission
    #: Field / column paths of the source that the target form does not have (or types differ).
    skipped: list[str] = field(default_factory=list)


def read_source(path: Path) -> Submission:
    """A record from ``submission.json``, or from a bundle ``.zip`` — which must first pass
    ``giantdesk verify`` (signature, hashes, layout, copies): a tampered bundle is refused, and
    the record imported is exactly the bytes verify checked (the bundle is read once).

    A record file is read by the one record-file reader (:mod:`giantdesk.forms.recordfile`),
    so carry-over refuses what ``check`` and ``drafts import`` refuse, in the same words and
    with the same exit code (:class:`StoreError` ``.exit_code``: 2 unreadable, 1 invalid)."""
    try:
        with fileops.open_regular(path) as handle:  # a FIFO or a device: refused, never read
            is_zip = handle.read(4) == b"PK\x03\x04" or zipfile.is_zipfile(handle) \
                or path.suffix.lower() == ".zip"
        if not is_zip:
            return read_record_file(path)
        data = _verified_record(path)
        try:
            return loads(data)
        except RecordError as exc:  # verify read it as a record: not expected, but named
            raise refused(f"{path}: submission.json", exc) from exc
    except RecordFileError as exc:
        raise _error(exc.message, exc.exit_code) from exc
    except fileops.FileOpError as exc:
        raise _error(exc.message, exc.exit_code) from exc
    except OSError as exc:
        raise _error(Message(f"无法读取 {path}：{exc.strerror}",
                             f"cannot read {path}: {exc.strerror}"), EXIT_UNREADABLE) from exc


def _error(message: Message, exit_code: int) -> StoreError:
    error = StoreError(message)
    error.exit_code = exit_code
    return error


def _verified_record(path: Path) -> bytes:
    from giantdesk.export.verify import verify_bundle

    report = verify_bundle(path)
    data = report.verified_record
    if data is None:
        assert report.problem is not None
        where = f"{report.problem.member}：" if report.problem.member else ""
        where_en = f"{report.problem.member}: " if report.problem.member else ""
        raise _error(Message(
            f"{path} 未通过校验，不能从中结转：{where}{report.problem.message.zh}",
            f"{path} does not verify, so nothing is carried over from it: "
            f"{where_en}{report.problem.message.en}"), report.exit_code)
    return data


def carry_over(source: Submission, to_form: str = REVIEW_FORM) -> CarryOver:
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
    return result
