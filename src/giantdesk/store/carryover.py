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
from giantdesk.forms.record import RecordError, Submission, loads, problems_message, read_file
from giantdesk.store.errors import EXIT_INVALID, EXIT_UNREADABLE, StoreError


@dataclass
class CarryOver:
    record: Submission
    #: Field / column paths of the source that the target form does not have (or types differ).
    skipped: list[str] = field(default_factory=list)


def read_source(path: Path) -> Submission:
    """A record from ``submission.json`` (the one record reader, ``record.read_file``), or from
    a bundle ``.zip`` — which must first pass ``giantdesk verify`` (signature, hashes, layout,
    copies): a tampered bundle is refused, and the record imported is exactly the bytes verify
    checked (the bundle is read once)."""
    try:
        with fileops.open_regular(path) as handle:  # a FIFO or a device: refused, never read
            is_zip = handle.read(4) == b"PK\x03\x04" or zipfile.is_zipfile(handle) \
                or path.suffix.lower() == ".zip"
        return loads(_verified_record(path)) if is_zip else read_file(path)
    except OSError as exc:  # exit 2 like ``check``: the file cannot be read at all
        message = exc.message if isinstance(exc, fileops.FileOpError) else Message(
            f"无法读取 {path}：{exc.strerror}", f"cannot read {path}: {exc.strerror}")
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


def _verified_record(path: Path) -> bytes:
    from giantdesk.export.verify import verify_bundle

    report = verify_bundle(path)
    data = report.verified_record
    if data is None:
        assert report.problem is not None
        where = f"{report.problem.member}：" if report.problem.member else ""
        where_en = f"{report.problem.member}: " if report.problem.member else ""
        raise StoreError(Message(
            f"{path} 未通过校验，不能从中结转：{where}{report.problem.message.zh}",
            f"{path} does not verify, so nothing is carried over from it: "
            f"{where_en}{report.problem.message.en}"))
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
