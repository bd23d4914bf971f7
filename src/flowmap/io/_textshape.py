"""The shape of CSV text (line length, columns, rows, cells) measured on its bytes within a
:class:`~flowmap.core.budget.Budget`, before any parser sees it, so that a file of one 150 MB
line or of a million columns is refused at once instead of being handed to pandas.

Every refusal is a :class:`~flowmap.core.errors.DataValidationError` with one line naming the
limit and the place (line, row) in the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from flowmap.core.budget import Budget
from flowmap.io._textread import _CHUNK, _count, _msg, _refuse


@dataclass(frozen=True)
class Shape:
    """What the bytes of CSV text say of its shape, before it is parsed."""

    columns: int
    """Columns of the header (its first non-empty line)."""
    rows: int
    """Non-empty lines after the header: the rows, unless quoted cells hold line breaks."""
    allowed: int
    """The most rows the budget allows with this many columns (rows and cells)."""
    quoted: bool
    """True when a line has an odd number of quotes: a quoted cell holds a line break (or
    a quote is stray), so lines are not rows and the rows are counted by
    :func:`count_rows` before the text is parsed."""


def _lines(data: bytes, start: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield the start and end offsets of the lines of ``data`` from ``start``, a few
    megabytes at a time (ends exclude the line break; the last line may lack one)."""
    view = np.frombuffer(data, dtype=np.uint8)
    first = start
    position = start
    while position < len(data):
        stop = min(position + _CHUNK, len(data))
        ends = np.flatnonzero(view[position:stop] == 10) + position
        if stop == len(data) and (len(ends) == 0 or ends[-1] != len(data) - 1):
            ends = np.append(ends, len(data))
        if len(ends):
            starts = np.empty_like(ends)
            starts[0] = first
            starts[1:] = ends[:-1] + 1
            first = int(ends[-1]) + 1
            yield starts, ends
        position = stop


def _characters(data: bytes, start: int, end: int, limit: int) -> int:
    """Return how many characters of UTF-8 bytes ``data[start:end]`` hold, or more than
    ``limit`` when the line is too long to matter (only lead bytes are counted)."""
    if end - start > 4 * limit:
        return end - start
    view = np.frombuffer(data, dtype=np.uint8, count=end - start, offset=start)
    return int(np.count_nonzero((view < 0x80) | (view > 0xBF)))


def measure(data: bytes, source: str, sep: str, budget: Budget) -> Shape:
    """Return the shape of UTF-8 CSV ``data`` separated by ``sep``, refusing it at the first
    limit of ``budget`` met from its start: a line longer than ``budget.line``
    characters, a header of more than ``budget.columns`` columns, more than
    ``budget.rows`` rows or ``budget.cells`` cells.

    Lines are found with numpy on the bytes, a few megabytes at a time: nothing is
    decoded or parsed but the header line.

    Raises
    ------
    DataValidationError
        Naming the limit and the line of the file where it is passed.
    """
    columns = 0
    allowed = budget.rows
    rows = 0
    line = 0  # lines before this step's
    quoted = b'"' in data
    multiline = False  # a line seen so far with an odd number of quotes
    quotes_to, parity = 0, 0  # where the quotes are counted to, and their count's parity
    over = False
    view = np.frombuffer(data, dtype=np.uint8)
    for starts, ends in _lines(data, 0):
        has_cr = np.zeros(len(ends), dtype=bool)
        nonzero = ends > starts
        has_cr[nonzero] = view[ends[nonzero] - 1] == 13
        lengths = ends - starts - has_cr
        long = next(
            (
                int(i)
                for i in np.flatnonzero(lengths > budget.line)
                if _characters(data, int(starts[i]), int(ends[i] - has_cr[i]), budget.line)
                > budget.line
            ),
            None,
        )
        filled = np.flatnonzero(lengths > 0)
        if columns == 0 and len(filled):
            head = int(filled[0])
            if long is not None and long < head:
                _too_long(source, budget, line + long + 1)
            if long == head:  # a header too long to parse: count its separators if unquoted
                begin, end = int(starts[head]), int(ends[head])
                if data.find(b'"', begin, end) < 0:
                    _too_wide(
                        source, budget, line + head + 1, data.count(sep.encode(), begin, end) + 1
                    )
                _too_long(source, budget, line + long + 1)
            text = data[int(starts[head]) : int(ends[head] - has_cr[head])].decode(
                "utf-8", "replace"
            )
            text = text.lstrip("\ufeff").split("\r")[0]  # old Mac line ends: the first line
            try:
                columns = len(next(csv.reader([text], delimiter=sep), [""]))
            except csv.Error:  # an open quote: the separators are counted
                columns = text.count(sep) + 1
            _too_wide(source, budget, line + head + 1, columns)
            allowed = min(budget.rows, budget.cells // max(columns, 1))
            filled = filled[1:]
        first_over: int | None = None
        if not over and rows + len(filled) > allowed:
            over = True
            first_over = int(filled[allowed - rows])
        upto = len(ends) if long is None else long  # the lines before a long one
        if first_over is not None:
            upto = min(upto, first_over + 1)
        if quoted and not multiline and upto > 0:
            multiline, quotes_to, parity = _odd_quotes(view, ends[:upto], quotes_to, parity)
        if first_over is not None and not multiline and (long is None or first_over < long):
            # No quoted line break before it: lines are rows, the count is exact.
            _too_many(source, budget, columns, allowed + 1, line + first_over + 1)
        if long is not None:
            _too_long(source, budget, line + long + 1)
        rows += len(filled)
        line += len(ends)
    return Shape(columns=columns, rows=rows, allowed=allowed, quoted=multiline)


def _odd_quotes(
    view: np.ndarray, ends: np.ndarray, start: int, parity: int
) -> tuple[bool, int, int]:
    """Return whether the quotes counted from the start of the text are odd in number at
    one of the line ``ends`` (a quoted cell then goes on over a line break), the offset
    counted to and the parity there, counting from ``start`` with ``parity``."""
    stop = int(ends[-1])
    if stop <= start:
        return False, start, parity
    counts = np.cumsum(view[start:stop] == 34, dtype=np.uint8)  # wraps round; parity holds
    before = ends - start - 1  # the quotes before each line end
    odd = (counts[np.maximum(before, 0)] * (before >= 0) + parity) & 1
    return bool(odd.any()), stop, int(counts[-1] + parity) & 1


def _too_wide(source: str, budget: Budget, line: int, columns: int) -> None:
    """Refuse a header of more than ``budget.columns`` columns."""
    if columns > budget.columns:
        many = _msg(
            "user.budget.columns", line=line, columns=_count(columns), limit=_count(budget.columns)
        )
        raise _refuse(source, many)


def _too_long(source: str, budget: Budget, line: int) -> None:
    """Refuse a line longer than ``budget.line`` characters."""
    raise _refuse(source, _msg("user.budget.line", line=line, limit=_count(budget.line)))


def _too_many(source: str, budget: Budget, columns: int, row: int, line: int | None) -> None:
    """Refuse a table of more than ``budget.rows`` rows or ``budget.cells`` cells, naming
    ``row``, the first row over the limit (and its ``line`` in the file when known)."""
    if row > budget.rows:
        if line is None:
            raise _refuse(source, _msg("user.too_many_file_rows", max=_count(budget.rows)))
        problem = _msg("user.budget.rows", limit=_count(budget.rows), row=row, line=line)
    elif line is None:
        problem = _msg("user.budget.cells_any", limit=_count(budget.cells), columns=_count(columns))
    else:
        problem = _msg(
            "user.budget.cells",
            limit=_count(budget.cells),
            columns=_count(columns),
            row=row,
            line=line,
        )
    raise _refuse(source, problem)


def count_rows(data: bytes, source: str, sep: str, budget: Budget, shape: Shape) -> None:
    """Count the rows of quoted CSV text with the :mod:`csv` module (a quoted cell may
    hold line breaks), stopping one row past ``shape.allowed``; a cell longer than the
    :mod:`csv` module's field limit (131,072 characters) is refused too, so that no parser
    is handed a cell of a hundred megabytes split over many short lines.

    Raises
    ------
    DataValidationError
        Naming the limit and the line where it is passed.
    """
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.reader(stream, delimiter=sep)
    rows = -1  # the header
    try:
        for cells in reader:
            if cells:
                rows += 1
                if rows > shape.allowed:
                    refuse_rows(source, budget, shape, reader.line_num)
    except csv.Error as exc:
        where = _msg("user.line", line=reader.line_num)
        if "field larger than field limit" in str(exc):
            detail = _msg("user.cell_too_long", limit=_count(csv.field_size_limit()))
        else:
            detail = _msg("user.not_csv", reason=str(exc))
        raise _refuse(source, _msg("user.at_colon", where=where, detail=detail)) from None


def refuse_rows(source: str, budget: Budget, shape: Shape, line: int | None = None) -> None:
    """Refuse a table found to have more than ``shape.allowed`` rows, naming the ``line``
    where the first row past it is when known."""
    _too_many(source, budget, shape.columns, shape.allowed + 1, line)


__all__ = [
    "Shape",
    "count_rows",
    "measure",
    "refuse_rows",
]
