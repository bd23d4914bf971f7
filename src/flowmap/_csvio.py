"""Strict CSV reading, deterministic CSV text, and safe file writing for every table."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from flowmap.errors import DataValidationError


@dataclass(frozen=True)
class Record:
    """One data row of a CSV file, with the numbers needed to point a user at it."""

    row: int
    line: int
    values: dict[str, str]

    def where(self) -> str:
        """Return ``"row N (line M)"``, the position used in every error message."""
        return f"row {self.row} (line {self.line})"


MAX_ROWS = 2_000_000
"""The most data rows a CSV file may have."""
MAX_BYTES = 200 * 1024 * 1024
"""The largest CSV file read."""


def _csv_problem(line: int, exc: csv.Error) -> str:
    """Return a CSV parsing error as a problem line (no traceback, no internals)."""
    if "field larger than field limit" in str(exc):
        return (
            f"line {line}: a cell is longer than {csv.field_size_limit():,} characters; "
            "is this really a table?"
        )
    return f"line {line}: not a valid CSV table ({exc})"


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
        raise DataValidationError(str(path), ["file not found"]) from None
    except OSError as exc:
        raise DataValidationError(str(path), [f"cannot be read ({exc.strerror})"]) from None
    if path.is_dir():
        raise DataValidationError(str(path), ["is a directory, not a CSV file"])
    if not path.is_file():
        raise DataValidationError(str(path), ["is not a regular file"])
    if info.st_size > MAX_BYTES:
        raise DataValidationError(
            str(path), [f"is {info.st_size / 2**20:,.0f} MB; the limit is {MAX_BYTES // 2**20} MB"]
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataValidationError(str(path), [f"cannot be read ({exc.strerror})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 4]
        raise DataValidationError(
            str(path),
            [
                f"line {line}: not valid UTF-8 (byte {bad[:1]!r} at offset {exc.start}); "
                "save the file as UTF-8 and try again"
            ],
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataValidationError(str(path), ["the file is empty: expected a header row"]) from None
    except csv.Error as exc:
        raise DataValidationError(str(path), [_csv_problem(reader.line_num, exc)]) from None
    header = [h.strip() for h in header]
    problems: list[str] = []
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(
            "missing column(s) "
            + ", ".join(repr(c) for c in missing)
            + f"; the header has {', '.join(repr(h) for h in header)}"
        )
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        problems.append("repeated column(s) " + ", ".join(repr(c) for c in dupes))
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
                str(path), [f"more than {MAX_ROWS:,} rows: split the file or aggregate it first"]
            )
        line = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                f"row {index} (line {line}): has {len(cells)} cells, the header has {len(header)}"
            )
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
    empty cell does not turn into floats).
    """
    frame = pd.DataFrame(list(rows), columns=list(columns), dtype=object)
    text: str = frame.to_csv(index=False, lineterminator="\n")
    return text
