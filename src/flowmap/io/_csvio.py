"""Strict CSV reading, deterministic CSV text, and safe file writing for every table."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from flowmap.core._escape import csv_header, visible_text
from flowmap.core.budget import CLI, Budget
from flowmap.core.errors import DataValidationError
from flowmap.io._textread import read_file, utf8_error
from flowmap.io._textshape import measure, refuse_rows
from flowmap.text.i18n import Count, Message, msg

__all__ = ["MAX_BYTES", "MAX_ROWS", "ProblemList", "Record", "msg", "read_records"]


def _count(n: int) -> Count:
    """Return :class:`flowmap.text.i18n.Count` of ``n``."""
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


MAX_ROWS = CLI.rows
"""The most data rows a CSV file may have (see :class:`flowmap.core.budget.Budget`)."""
MAX_BYTES = CLI.bytes
"""The largest CSV file read."""
SHOWN_PROBLEMS = 50
"""How many problems of a table in the data set's own schema are listed; the rest are
counted ("… and 1,899,950 more problems")."""


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
    budget: Budget = CLI,
) -> list[Record]:
    """Return the rows of a UTF-8 CSV file, checking encoding and header first.

    The file is opened read-only and never written; it must be a regular file within
    ``budget`` (its line lengths, columns, rows and cells are measured on the bytes
    before it is parsed, see :func:`flowmap.io._textshape.measure`). Leading and trailing
    spaces in cells are removed. Columns other than ``required`` and ``optional`` are
    kept.

    Raises
    ------
    DataValidationError
        If the file is missing, not a regular file, beyond ``budget``, not UTF-8, empty,
        or lacks a required column.
    """
    source = str(path)
    raw = read_file(path, source, budget)
    error = utf8_error(raw)
    if error is not None:
        line = raw.count(b"\n", 0, error.start) + 1
        bad = raw[error.start : error.start + 1]
        raise DataValidationError(
            source,
            [
                msg(
                    "user.at_colon",
                    where=msg("user.line", line=line),
                    detail=msg("user.not_utf8_byte", byte=repr(bad), offset=error.start),
                )
            ],
        )
    shape = measure(raw, source, ",", budget)
    text = raw.decode("utf-8-sig")
    del raw
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataValidationError(source, [msg("user.empty_file")]) from None
    except csv.Error as exc:
        raise DataValidationError(source, [_csv_problem(reader.line_num, exc)]) from None
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
        raise DataValidationError(source, problems)
    records: list[Record] = []
    bad_rows = 0
    rows = enumerate(reader, start=1)
    while True:
        try:
            index, cells = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataValidationError(source, [_csv_problem(reader.line_num, exc)]) from None
        line = reader.line_num
        if index > shape.allowed:
            refuse_rows(source, budget, shape, line)
        if not "".join(cells).strip():  # an empty row (one C call, not one per cell)
            continue
        if len(cells) != len(header):
            bad_rows += 1
            if len(problems) < SHOWN_PROBLEMS:
                where = msg("user.row", row=index, line=line)
                detail = msg("user.cells", cells=_count(len(cells)), header=_count(len(header)))
                problems.append(msg("user.at_colon", where=where, detail=detail))
            continue
        values = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        for column in optional:
            values.setdefault(column, "")
        records.append(Record(row=index, line=line, values=values))
    if problems:
        raise DataValidationError(source, capped(problems, bad_rows), total=bad_rows)
    return records


class ProblemList(list[str]):
    """Problems of a table in the data set's own schema: the first
    :data:`SHOWN_PROBLEMS` are kept, the others only counted (a file of two million bad
    rows costs no more memory than one of fifty)."""

    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    def append(self, problem: str) -> None:
        """Count ``problem``; keep it if fewer than :data:`SHOWN_PROBLEMS` are kept."""
        self.total += 1
        if len(self) < SHOWN_PROBLEMS:
            super().append(problem)

    def add(self, make: Callable[[], str]) -> None:
        """Count one problem; make its text (``make()``) only if it is kept: a message
        takes far longer to make than a row to check."""
        self.total += 1
        if len(self) < SHOWN_PROBLEMS:
            super().append(make())

    def raise_if_any(self, source: str) -> None:
        """Raise one :class:`DataValidationError` for ``source`` listing the problems
        kept and how many more there are, if there are any."""
        if self.total:
            raise DataValidationError(source, capped(list(self), self.total), total=self.total)


def capped(problems: list[str], total: int) -> list[str]:
    """Return the first :data:`SHOWN_PROBLEMS` of ``total`` problems and, when some are
    left out, a last line saying how many ("… and 1,899,950 more problems")."""
    shown = problems[:SHOWN_PROBLEMS]
    if total > len(shown):
        return [*shown, msg("data.more_problems", count=_count(total - len(shown)))]
    return shown


def render_rows(columns: Sequence[str], rows: Sequence[dict[str, object]]) -> str:
    """Return ``rows`` as CSV text with ``\\n`` line ends.

    Cells are quoted only where needed (``csv.QUOTE_MINIMAL``). A key missing from a row, or
    ``None``/NaN, gives an empty cell; keys not in ``columns`` are left out. The frame has
    ``object`` dtype so that every value is written as itself (an integer column with an
    empty cell does not turn into floats). Text goes through
    :func:`~flowmap.core._escape.visible_text`; the header is escaped as a spreadsheet cell
    (:func:`~flowmap.core._escape.csv_header`; cells are the caller's to escape: the data
    files keep their own text).
    """
    shown = [
        {k: visible_text(v)[0] if isinstance(v, str) else v for k, v in r.items()} for r in rows
    ]
    frame = pd.DataFrame(shown, columns=list(columns), dtype=object)
    header = [csv_header(c) for c in columns]
    text: str = frame.to_csv(index=False, header=header, lineterminator="\n")
    return text
