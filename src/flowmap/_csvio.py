"""Strict CSV reading, deterministic CSV text, and safe file writing for every table."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

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
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataValidationError(str(path), ["file not found"]) from None
    except IsADirectoryError:
        raise DataValidationError(str(path), ["is a directory, not a CSV file"]) from None
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
    for index, cells in enumerate(reader, start=1):
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


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 through a temporary file, so that a failure
    never leaves a half-written file behind."""
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(path)


def render_rows(columns: Sequence[str], rows: Sequence[dict[str, object]]) -> str:
    """Return ``rows`` as CSV text with ``\\n`` line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return buffer.getvalue()
