"""XLSX workbooks read as text columns without trusting them: sizes checked in the zip
directory first, every XML part refused if it declares a document type, and the sheet
streamed row by row within a :class:`~flowmap.core.budget.Budget` (openpyxl, an optional
extra, is imported only when a workbook is read)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Sequence
from typing import IO, Any
from xml.etree import ElementTree
from xml.parsers import expat

import pandas as pd

from flowmap.core.budget import CLI, Budget
from flowmap.core.errors import DataValidationError, FlowmapError, MissingExtraError
from flowmap.io._files import Megabytes
from flowmap.io.problems import _quoted
from flowmap.text.i18n import Count, Message, msg


def _cell(value: object) -> str:
    """Return a workbook cell as text: whole numbers without ``.0``, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

_ROW, _CELL, _VALUE = _SHEET_NS + "row", _SHEET_NS + "c", _SHEET_NS + "v"

_INLINE, _TEXT, _RUN = _SHEET_NS + "is", _SHEET_NS + "t", _SHEET_NS + "r"


class _DoctypeError(Exception):
    """A document type declaration was met (see :func:`_declares_doctype`)."""


class _RootError(Exception):
    """The root element was met: no document type declaration can follow."""


def _declares_doctype(stream: IO[bytes]) -> bool:
    """Return True when an XML part declares a document type or entities before its root
    element (a workbook never does: it is how XXE and billion-laughs attacks begin)."""
    parser = expat.ParserCreate()

    def doctype(*_: object) -> None:
        raise _DoctypeError

    def root(*_: object) -> None:
        raise _RootError

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        while chunk := stream.read(64 * 1024):
            parser.Parse(chunk, False)
    except _DoctypeError:
        return True
    except (_RootError, expat.ExpatError):
        return False  # a malformed part is said by the reader
    return False


def _read_xlsx(
    data: bytes, source: str, sheet: str | None, budget: Budget = CLI
) -> tuple[pd.DataFrame, str]:
    """Return a workbook's sheet (``sheet``, or the first with data) as text columns.

    The sizes in the zip directory are checked first (all the parts together within
    ``budget.workbook``, each part within ``budget.sheet_xml``; the zip reader never
    unpacks more than a part declares), then every XML part for a document type
    declaration; the sheet is streamed row by row, counting rows, columns, cells and
    bytes of text against ``budget`` (see :func:`_sheet_rows`).
    """
    try:
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet
    except ModuleNotFoundError as exc:  # workbooks need the [xlsx] extra
        raise MissingExtraError(msg("error.extra.xlsx"), "xlsx", "openpyxl") from exc

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if "xl/workbook.xml" not in archive.namelist():
                raise DataValidationError(source, [msg("user.zip_not_xlsx")])
            unpacked = sum(info.file_size for info in infos)
            if unpacked > budget.workbook:
                too_big = msg("user.xlsx_too_big", mb=_megabytes(budget.workbook))
                raise DataValidationError(source, [too_big])
            for info in infos:  # a sheet's own size is checked when it is chosen
                sheet_part = info.filename.startswith("xl/worksheets/")
                if info.file_size > budget.sheet_xml and not sheet_part:
                    size, mb = _megabytes(info.file_size), _megabytes(budget.sheet_xml)
                    too_big = msg("user.xlsx_part_too_big", size=size, mb=mb)
                    raise DataValidationError(source, [too_big])
                if info.filename.endswith((".xml", ".rels")):
                    with archive.open(info) as stream:
                        if _declares_doctype(stream):
                            raise DataValidationError(source, [msg("user.xlsx_doctype")])
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError) as exc:
        raise DataValidationError(source, [msg("user.bad_xlsx", reason=str(exc))]) from None
    try:  # the workbook's parts, not its sheets: a sheet is streamed below
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)  # which styles are dates
        sheets = {
            str(found.name): str(rel.target)
            for found, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in str(rel.Type)
        }
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise DataValidationError(source, [_unreadable(exc)]) from None
    rows: list[list[str]] = []
    title = ""
    try:
        names = list(sheets)
        if sheet is not None and sheet not in names:
            no_sheet = msg("user.no_sheet", sheet=repr(sheet), sheets=_quoted(names))
            raise DataValidationError(source, [no_sheet])
        for title in [sheet] if sheet is not None else names:
            try:
                rows = _sheet_rows(reader, sheets[title], title, source, budget)
            except FlowmapError:
                raise
            except (SyntaxError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as exc:
                raise DataValidationError(source, [_unreadable(exc)]) from None
            if len(rows) > 1 or sheet is not None:
                break
    finally:
        reader.archive.close()
    if not rows:
        raise DataValidationError(source, [msg("user.empty_workbook")])
    header, body = rows[0], rows[1:]
    if not body:
        raise DataValidationError(source, [msg("user.sheet_no_rows")])
    width = max(len(header), *(len(r) for r in body))
    header += [""] * (width - len(header))
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in body], columns=None, dtype=object)
    keep = [i for i in range(width) if header[i] or (frame[i] != "").any()]
    frame = frame[keep]
    frame.columns = pd.Index([header[i] or f"column {i + 1}" for i in keep])
    return frame.astype(str), str(title)


def _megabytes(size: int) -> Megabytes:
    """Return a size in bytes to be said in megabytes (with decimals below 10 MB)."""
    return Megabytes(size, digits=0 if size >= 10 * 2**20 else 2)


def _unreadable(exc: Exception) -> Message:
    """Return a damaged workbook's problem in one line."""
    reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return msg("user.unreadable_xlsx", reason=reason)


def _column_number(letters: str, known: dict[str, int]) -> int:
    """Return the 1-based number of a column written in letters (``A`` 1, ``AA`` 27)."""
    number = known.get(letters)
    if number is None:
        if not (letters.isascii() and letters.isalpha() and len(letters) <= 3):
            raise ValueError(f"bad cell reference {letters[:10]!r}")
        number = 0
        for letter in letters.upper():
            number = number * 26 + ord(letter) - 64
        known[letters] = number
    return number


def _sheet_rows(
    reader: Any, path: str, title: str, source: str, budget: Budget = CLI
) -> list[list[str]]:
    """Return the rows of the worksheet at ``path`` of a workbook (an openpyxl
    ``ExcelReader`` that has read the workbook's parts) from its first non-empty row, as
    text.

    The sheet's XML is streamed and each row is dropped once read; the rows, the columns
    of a row, the cells and the bytes of their text are counted as they stream and the
    first limit of ``budget`` met refuses the file, naming the limit and the row.
    """
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    book = reader.wb
    shared: Sequence[object] = reader.shared_strings
    dates: set[int] = set(getattr(book, "_date_formats", ()) or ())
    durations: set[int] = set(getattr(book, "_timedelta_formats", ()) or ())
    epoch = book.epoch
    name = repr(title)
    rows: list[list[str]] = []
    known: dict[str, int] = {}
    cells = text_bytes = 0
    row_number = header = 0
    max_rows = min(budget.rows, budget.sheet_rows)
    max_cells = min(budget.cells, budget.sheet_cells)

    def refuse(key: str, **values: object) -> DataValidationError:
        return DataValidationError(source, [msg(key, sheet=name, row=Count(row_number), **values)])

    size = reader.archive.getinfo(path).file_size
    if size > budget.sheet_xml:  # from the zip directory; never more is unpacked
        mb = _megabytes(budget.sheet_xml)
        too_big = msg("user.xlsx_sheet_too_big", sheet=name, size=_megabytes(size), mb=mb)
        raise DataValidationError(source, [too_big])
    with reader.archive.open(path) as stream:
        # Every part was checked for a DTD (_declares_doctype): nothing to expand.
        for _, element in ElementTree.iterparse(stream, events=("end",)):  # noqa: S314
            if element.tag != _ROW:
                continue
            given = element.get("r")
            row_number = int(given) if given and given.isdigit() else row_number + 1
            values: list[str] = []
            for cell in element.iter(_CELL):
                ref = cell.get("r")
                if ref:
                    column = _column_number(ref.rstrip("0123456789"), known)
                    if column > budget.columns:
                        raise refuse("user.xlsx_columns", max=Count(budget.columns))
                    if column > len(values) + 1:
                        values.extend([""] * (column - len(values) - 1))
                kind = cell.get("t", "n")
                if kind == "inlineStr":
                    inline = cell.find(_INLINE)
                    parts = [] if inline is None else [t.text or "" for t in inline.iter(_TEXT)]
                    text = "".join(parts).strip()
                else:
                    raw = cell.findtext(_VALUE)
                    if not raw:
                        text = ""
                    elif kind == "s":
                        value = shared[int(raw)]
                        text = value.strip() if isinstance(value, str) else _cell(value)
                    elif kind == "n":
                        number: float = int(raw) if raw.isdigit() else float(raw)
                        style = int(cell.get("s", 0))
                        if style not in dates:
                            text = str(number) if type(number) is int else _cell(number)
                        else:
                            try:
                                text = _cell(from_excel(number, epoch, style in durations))
                            except (OverflowError, ValueError):
                                text = raw.strip()  # a serial number outside the dates
                    elif kind == "b":
                        text = _cell(raw.strip() not in ("0", "false"))
                    elif kind == "d":
                        text = _cell(from_ISO8601(raw))
                    else:  # "str" (a formula's text), "e" (an error such as #N/A)
                        text = raw.strip()
                values.append(text)
                text_bytes += len(text)
            element.clear()
            while values and not values[-1]:
                values.pop()
            if len(values) > budget.columns:
                raise refuse("user.xlsx_columns", max=Count(budget.columns))
            if not rows:
                if not values:
                    continue
                header = row_number  # the sheet's row of rows[0]
            position = max(row_number - header, len(rows))  # 0: the header
            if position > max_rows:
                raise refuse("user.xlsx_rows", max=Count(max_rows))
            rows.extend([] for _ in range(position - len(rows)))  # rows left out: empty
            rows.append(values)
            cells += len(values)
            if cells > max_cells:
                raise refuse("user.xlsx_cells", max=Count(max_cells))
            if text_bytes > budget.bytes:
                raise refuse("user.xlsx_text", mb=_megabytes(budget.bytes))
    while rows and not rows[-1]:
        rows.pop()
    return rows


__all__ = []
