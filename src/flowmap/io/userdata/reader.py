"""Any table file (or uploaded bytes) read as text columns: CSV, TSV or XLSX, optionally
gzip-compressed, in UTF-8 (with or without a BOM), UTF-16 (with a BOM) or CP1251, its
delimiter found from its first lines (:func:`read_any`)."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import zlib
from pathlib import Path

import pandas as pd

from flowmap.core.budget import CLI, Budget
from flowmap.core.errors import DataValidationError
from flowmap.io._textread import check_one_encoding, control_bytes, read_file, transcode, utf8_error
from flowmap.io.tables import (
    parse_csv,
)
from flowmap.io.userdata.detected import Detected
from flowmap.io.userdata.xlsx import _read_xlsx
from flowmap.text.i18n import Count, msg

_DELIMITERS = (",", ";", "\t")

_SAMPLE = 64 * 1024
"""Bytes of a text table read to find its delimiter."""

_VISIBLE = re.compile(rb"[^\s]")


def read_any(
    source: Path | str | bytes,
    *,
    name: str | None = None,
    sheet: str | None = None,
    budget: Budget = CLI,
) -> tuple[pd.DataFrame, Detected]:
    """Return a table file as text columns, and its container, encoding and delimiter
    (its layout is found by :func:`detect_layout`).

    ``source`` is a path, or the bytes of an upload named ``name``; ``sheet`` chooses a
    workbook's sheet (by default the first with data). The file is read within
    ``budget`` (:class:`flowmap.core.budget.Budget`): a limit is enforced while reading,
    stopping at the first one met with one line that names it and where it was met.

    Raises
    ------
    DataValidationError
        If the file is missing, not a regular file, too large, damaged, not a table, or
        beyond ``budget``.
    """
    data, label = _read_bytes(source, name, budget)
    gz = data[:2] == b"\x1f\x8b"
    if gz:
        data = _gunzip(data, label, budget)
    if data[:4] == b"PK\x03\x04":
        frame, title = _read_xlsx(data, label, sheet, budget)
        detected = Detected(label, container="xlsx", sheet=title, rows=len(frame))
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DataValidationError(label, [msg("user.old_xls")])
    else:
        data, encoding = _decode(data, label)
        if _VISIBLE.search(data) is None:
            raise DataValidationError(label, [msg("user.empty_file")])
        sample = data[:_SAMPLE].decode("utf-8", "ignore")
        delimiter = _delimiter(sample, label, cut=len(data) > _SAMPLE)
        frame = parse_csv(data, source=label, sep=delimiter, budget=budget)
        container = "tsv" if delimiter == "\t" else "csv"
        detected = Detected(
            label,
            container=container + (".gz" if gz else ""),
            encoding=encoding,
            delimiter=delimiter,
            rows=len(frame),
        )
    names = [str(c).replace("\ufeff", "").strip() for c in frame.columns]
    frame.columns = pd.Index(
        [f"column {i + 1}" if re.fullmatch(r"Unnamed: \d+", c) else c for i, c in enumerate(names)]
    )
    return frame, detected


def _read_bytes(
    source: Path | str | bytes, name: str | None, budget: Budget = CLI
) -> tuple[bytes, str]:
    """Return the bytes of a file (or the given bytes) and the name used in messages: a
    regular file of at most ``budget.bytes`` (a pipe, device or folder is refused before
    it is opened, see :func:`flowmap.io._textread.read_file`)."""
    if isinstance(source, bytes):
        label = name or "upload"
        if len(source) > budget.bytes:
            too_large = msg("user.too_large", mb=Count(budget.bytes // 2**20))
            raise DataValidationError(label, [too_large])
        return source, label
    label = name or str(source)
    return read_file(source, label, budget), label


def _gunzip(data: bytes, source: str, budget: Budget = CLI) -> bytes:
    """Return the content of gzip data, unpacked as a stream that stops one byte past
    ``budget.bytes`` (a gzip bomb is never unpacked whole)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            content = stream.read(budget.bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataValidationError(source, [msg("user.bad_gz", reason=str(exc))]) from None
    if len(content) > budget.bytes:
        too_big = msg("user.unpacks_to", mb=Count(budget.bytes // 2**20))
        raise DataValidationError(source, [too_big])
    return content


def _decode(data: bytes, source: str) -> tuple[bytes, str]:
    """Return a file's text as UTF-8 bytes (without a BOM) and its encoding: a BOM decides
    (UTF-8, UTF-16 LE/BE), then UTF-8, then CP1251 when the result reads as text. The
    text is checked and converted a few megabytes at a time, never held as one string.

    Raises
    ------
    DataValidationError
        For bytes that are none of these (a file that is not a table), and for text that
        is UTF-8 in some lines and not in others (naming the first line that is not).
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                if encoding == "utf-8-sig":
                    error = utf8_error(data, len(bom))
                    if error is not None:
                        raise error
                    return data[len(bom) :], encoding
                return transcode(data[len(bom) :], encoding), encoding
            except UnicodeDecodeError as exc:
                not_it = msg("user.bad_bom", encoding=encoding, offset=exc.start)
                raise DataValidationError(source, [not_it]) from None
    error = utf8_error(data)
    if error is None:
        return data, "utf-8"
    check_one_encoding(data, error, source)
    try:
        text = transcode(data, "cp1251")
    except UnicodeDecodeError:
        text = b""
    if text and control_bytes(data) <= len(data) // 1000:
        return text, "cp1251"
    raise DataValidationError(source, [msg("user.not_text", offset=error.start)])


def _delimiter(sample: str, source: str, *, cut: bool) -> str:
    """Return the delimiter of CSV text from its first lines ``sample`` (``cut`` when the
    text goes on): the one of ``,``, ``;`` and tab that splits the header into the most
    columns with the data rows agreeing."""
    lines = [line for line in sample.splitlines()[:51] if line.strip()]
    if cut and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    best, best_columns = "", 1
    for candidate in _DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=candidate))
        except csv.Error:
            continue
        if not rows or len(rows[0]) <= best_columns:
            continue
        body = rows[1:]
        agree = sum(1 for row in body if len(row) == len(rows[0]))
        if not body or agree * 10 >= len(body) * 8:
            best, best_columns = candidate, len(rows[0])
    if not best:
        first = lines[0][:60] if lines else ""
        raise DataValidationError(source, [msg("user.no_delimiter", header=repr(first))])
    return best


__all__ = ["read_any"]
