"""Reading a table's bytes within a :class:`~flowmap.core.budget.Budget`, before any parser sees
them: regular files only, bytes capped (a gzip stream too), and their encoding checked and
converted a few megabytes at a time (the shape of CSV text is measured by
:mod:`flowmap.io._textshape`).

Every refusal is a :class:`~flowmap.core.errors.DataValidationError` with one line naming the
limit and the place (line, row) in the file.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

import numpy as np

from flowmap.core.budget import Budget
from flowmap.core.errors import DataValidationError
from flowmap.text.i18n import Count, Message, msg

_CHUNK = 1024 * 1024
"""Bytes looked at in one step of a scan (the positions of one step's line ends stay a few
megabytes even in a file of blank lines)."""
_MIB = 1024 * 1024
_NON_ASCII = re.compile(rb"[\x80-\xff]")


_msg = msg


def _count(n: int) -> Count:
    """Return :class:`flowmap.text.i18n.Count` of ``n``."""
    return Count(n)


def _refuse(source: str, problem: Message) -> DataValidationError:
    """Return the one-line refusal of ``source``."""
    return DataValidationError(source, [problem])


def read_file(path: Path | str, source: str, budget: Budget) -> bytes:
    """Return the bytes of a regular file of at most ``budget.bytes`` bytes.

    A pipe (FIFO), device, socket or folder is refused before it is opened, and again
    after (in case it was swapped in between): the file is opened without blocking, so a
    FIFO never makes the reader wait for a writer.

    Raises
    ------
    DataValidationError
        Naming ``source``: missing, a folder, not a regular file, unreadable or too large.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _refuse(source, _msg("user.file_not_found")) from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise _refuse(source, _msg("user.cannot_read", reason=reason)) from None
    _check_regular(info.st_mode, source)
    too_large = _msg("user.too_large", mb=_count(budget.bytes // _MIB))
    if info.st_size > budget.bytes:
        raise _refuse(source, too_large)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        raise _refuse(source, _msg("user.cannot_read", reason=exc.strerror)) from None
    try:
        _check_regular(os.fstat(handle).st_mode, source)
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(budget.bytes + 1)
    except OSError as exc:
        raise _refuse(source, _msg("user.cannot_read", reason=exc.strerror)) from None
    finally:
        os.close(handle)
    if len(data) > budget.bytes:  # it grew while being read
        raise _refuse(source, too_large)
    return data


def _check_regular(mode: int, source: str) -> None:
    """Refuse a folder or anything that is not a regular file."""
    if stat.S_ISDIR(mode):
        raise _refuse(source, _msg("user.is_folder"))
    if not stat.S_ISREG(mode):
        raise _refuse(source, _msg("user.not_regular"))


def check_regular(path: Path | str, source: str) -> None:
    """Refuse ``path`` unless it is a regular file (see :func:`read_file`); a missing file
    passes (its reader says it is missing).

    Raises
    ------
    DataValidationError
        Naming ``source``: a folder, a pipe, a device or a socket.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return
    _check_regular(mode, source)


# --------------------------------------------------------------------------- encodings


def utf8_error(data: bytes, start: int = 0) -> UnicodeDecodeError | None:
    """Return the first UTF-8 decoding error of ``data[start:]`` (positions in ``data``),
    or None; decoded a few megabytes at a time, never as one string."""
    position = start
    while position < len(data):
        chunk = data[position : position + _CHUNK]
        final = position + len(chunk) >= len(data)
        try:
            _, used = codecs.utf_8_decode(chunk, "strict", final)
        except UnicodeDecodeError as exc:
            return UnicodeDecodeError(
                "utf-8", data, position + exc.start, position + exc.end, exc.reason
            )
        if used == 0:  # an incomplete sequence at the very end
            used = len(chunk)
        position += used
    return None


def check_one_encoding(data: bytes, error: UnicodeDecodeError, source: str) -> None:
    """Refuse text that is UTF-8 in some lines and not in others (``error`` is its first
    UTF-8 error): read in one other encoding it would turn the UTF-8 lines into
    mojibake («Ош» -> «РћС€»). A line counts as UTF-8 when it has bytes outside ASCII and
    all of them are UTF-8.

    Raises
    ------
    DataValidationError
        Naming the first line that is not UTF-8 and a line that is.
    """
    bad_line = data.count(b"\n", 0, error.start) + 1
    byte = repr(data[error.start : error.start + 1])
    found = _NON_ASCII.search(data, 0, error.start)
    good_line: int | None = None
    if found is not None:
        good_line = data.count(b"\n", 0, found.start()) + 1
    else:
        good_line = _utf8_line_after(data, data.rfind(b"\n", 0, error.start) + 1, bad_line)
    if good_line is not None:
        mixed = _msg("user.mixed_encoding", bad=bad_line, byte=byte, good=good_line)
        raise _refuse(source, mixed)


def _utf8_line_after(data: bytes, start: int, line: int) -> int | None:
    """Return the number of the first line from ``start`` (line ``line``) that has bytes
    outside ASCII, all of them UTF-8; None if there is none."""
    position = start
    while position < len(data):
        end = data.find(b"\n", position + _CHUNK)
        end = len(data) if end < 0 else end + 1
        text = data[position:end].decode("utf-8", "replace")
        for number, row in enumerate(text.split("\n"), start=line):
            if not row.isascii() and "\ufffd" not in row:
                return number
        line += text.count("\n")
        position = end
    return None


def transcode(data: bytes, encoding: str) -> bytes:
    """Return text in ``encoding`` as UTF-8 bytes, a few megabytes at a time.

    Raises
    ------
    UnicodeDecodeError
        With the position in ``data`` of a byte that is not ``encoding``.
    """
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    parts: list[bytes] = []
    for position in range(0, len(data), _CHUNK):
        chunk = data[position : position + _CHUNK]
        try:
            parts.append(decoder.decode(chunk, final=position + _CHUNK >= len(data)).encode())
        except UnicodeDecodeError as exc:
            raise UnicodeDecodeError(
                encoding, data, position + max(exc.start, 0), position + exc.end, exc.reason
            ) from None
    return b"".join(parts)


def control_bytes(data: bytes) -> int:
    """Return how many bytes of ``data`` are control characters other than tab, CR, LF
    (a binary file has many; text almost none)."""
    total = 0
    for position in range(0, len(data), _CHUNK):
        chunk = np.frombuffer(
            data, dtype=np.uint8, count=min(_CHUNK, len(data) - position), offset=position
        )
        low = chunk < 32
        total += int(np.count_nonzero(low)) - int(
            np.count_nonzero((chunk == 9) | (chunk == 10) | (chunk == 13))
        )
    return total


__all__ = [
    "check_one_encoding",
    "check_regular",
    "control_bytes",
    "read_file",
    "transcode",
    "utf8_error",
]
