"""Strict CSV reading, deterministic CSV text, and safe file writing for every table."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from flowmap.errors import DataValidationError

if TYPE_CHECKING:
    from flowmap.i18n import Count, Message


def msg(key: str, /, **values: object) -> Message:
    """Return :func:`flowmap.i18n.msg` (imported late: :mod:`flowmap.i18n` needs
    :mod:`flowmap.data`, which needs this module)."""
    from flowmap.i18n import msg as message

    return message(key, **values)


def _count(n: int) -> Count:
    """Return :class:`flowmap.i18n.Count` of ``n`` (imported late, as in :func:`msg`)."""
    from flowmap.i18n import Count

    return Count(n)


@dataclass(frozen=True)
class Record:
    """One data row of a CSV file, with the numbers needed to point a user at it."""

    row: int
    line: int
    values: dict[str, str]

    def where(self) -> Message:
        """Return ``"row N (line M)"``, the position used in every error message."""
        return msg("user.row", row=self.row, line=self.line)


MAX_ROWS = 2_000_000
"""The most data rows a CSV file may have."""
MAX_BYTES = 200 * 1024 * 1024
"""The largest CSV file read."""


def _csv_problem(line: int, exc: csv.Error) -> Message:
    """Return a CSV parsing error as a problem line (no traceback, no internals)."""
    where = msg("user.line", line=line)
    if "field larger than field limit" in str(exc):
        detail = msg("user.cell_too_long", limit=_count(csv.field_size_limit()))
    else:
        detail = msg("user.not_csv", reason=str(exc))
    return msg("user.at_colon", where=where, detail=detail)


def read_records(
    path: Path | str,
    required: Sequence[str],
    *,
    optional: Sequence[str] = (),
) -> list[Record]:
    """Return the rows of a UTF-8 CSV file, checking encoding and header first.

    The file is opened read-only and never written. Leading and trailing spaces in
    cells are removed. Columns other than ``required`` and ``optional`` are kept.

    Raises
    ------
    DataValidationError
        If the file is missing, is not UTF-8, is empty, or lacks a required column.
    """
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DataValidationError(str(path), [msg("user.file_not_found")]) from None
    except OSError as exc:
        unreadable = msg("user.cannot_read", reason=exc.strerror)
        raise DataValidationError(str(path), [unreadable]) from None
    if path.is_dir():
        raise DataValidationError(str(path), [msg("user.is_directory")])
    if not path.is_file():
        raise DataValidationError(str(path), [msg("user.not_regular")])
    if info.st_size > MAX_BYTES:
        size = _count(round(info.st_size / 2**20))
        too_big = msg("user.size_limit", size=size, limit=_count(MAX_BYTES // 2**20))
        raise DataValidationError(str(path), [too_big])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        unreadable = msg("user.cannot_read", reason=exc.strerror)
        raise DataValidationError(str(path), [unreadable]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 4]
        raise DataValidationError(
            str(path),
            [
                msg(
                    "user.at_colon",
                    where=msg("user.line", line=line),
                    detail=msg("user.not_utf8_byte", byte=repr(bad[:1]), offset=exc.start),
                )
            ],
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataValidationError(str(path), [msg("user.empty_file")]) from None
    except csv.Error as exc:
        raise DataValidationError(str(path), [_csv_problem(reader.line_num, exc)]) from None
    header = [h.strip() for h in header]
    problems: list[str] = []
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(
            msg(
                "user.missing_columns",
                columns=", ".join(repr(c) for c in missing),
                header=", ".join(repr(h) for h in header),
            )
        )
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        problems.append(msg("user.repeated_columns", columns=", ".join(repr(c) for c in dupes)))
    if problems:
        raise DataValidationError(str(path), problems)
    records: list[Record] = []
    rows = enumerate(reader, start=1)
    while True:
        try:
            index, cells = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataValidationError(str(path), [_csv_problem(reader.line_num, exc)]) from None
        if index > MAX_ROWS:
            raise DataValidationError(
                str(path), [msg("user.too_many_file_rows", max=_count(MAX_ROWS))]
            )
        line = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            where = msg("user.row", row=index, line=line)
            detail = msg("user.cells", cells=_count(len(cells)), header=_count(len(header)))
            problems.append(msg("user.at_colon", where=where, detail=detail))
            continue
        values = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        for column in optional:
            values.setdefault(column, "")
        records.append(Record(row=index, line=line, values=values))
    if problems:
        raise DataValidationError(str(path), problems)
    return records


def render_rows(columns: Sequence[str], rows: Sequence[dict[str, object]]) -> str:
    """Return ``rows`` as CSV text with ``\\n`` line ends.

    Cells are quoted only where needed (``csv.QUOTE_MINIMAL``). A key missing from a row, or
    ``None``/NaN, gives an empty cell; keys not in ``columns`` are left out. The frame has
    ``object`` dtype so that every value is written as itself (an integer column with an
    empty cell does not turn into floats). Text goes through
    :func:`~flowmap._escape.visible_text`; the header is escaped as a spreadsheet cell
    (:func:`~flowmap._escape.csv_header`; cells are the caller's to escape: the data
    files keep their own text).
    """
    from flowmap._escape import csv_header, visible_text

    shown = [
        {k: visible_text(v)[0] if isinstance(v, str) else v for k, v in r.items()} for r in rows
    ]
    frame = pd.DataFrame(shown, columns=list(columns), dtype=object)
    header = [csv_header(c) for c in columns]
    text: str = frame.to_csv(index=False, header=header, lineterminator="\n")
    return text
