"""Your own data: the tables people have, read whatever their layout, delimiter, encoding
and container, into the flows and places of :mod:`flowmap.io.tables`.

Layouts (:data:`LAYOUTS`), detected from the header:

* ``long``: one row per flow, ``origin``, ``dest``, ``count``, optionally a year or period
  column and any attribute columns (the flowmap.blue flows table is one);
* ``wide``: ``origin``, ``dest`` and one count column per year (``1975``, ``1976``, …),
  turned long with a ``year`` column;
* ``matrix``: a square origin–destination matrix, places as row and column labels (the
  first column holds the origins, every other column is a destination);
* ``places``: ``id``, ``name``, ``lat``, ``lon`` (the flowmap.blue locations table).

Columns are found by their usual names in any case (``from``/``to``/``n``,
``Latitude``…, see :data:`COLUMN_NAMES`); an explicit mapping overrides the detection.
Files are comma-, semicolon- or tab-separated text in UTF-8 (with or without a BOM),
UTF-16 (with a BOM) or CP1251, optionally gzip-compressed, or XLSX workbooks. Every cell is
read as text, so ids keep their leading zeros and ``*ST`` is an id like any other.

Odd rows are skipped with a count and the first rows of each kind, never silently and
never as errors: blank or NaN counts (here), self-flows, zero counts and flows whose places
have no coordinates (:func:`flowmap.engine.flows.clean_flows`). Real errors (a count of ``abc``, a
negative count, a file that is not a table) raise one
:class:`~flowmap.core.errors.DataValidationError` naming file, row, column and value. Input
files are only read.

    >>> data = load_user_data("flows.csv", "locations.csv")  # doctest: +SKIP
    >>> print(*data.describe(), sep="\\n")  # doctest: +SKIP
    read flows.csv: long table, ';'-separated, cp1251, 1,204 rows
    read locations.csv: places, ','-separated, utf-8, 40 rows
    >>> m = data.flow_map(period="2014-2016", top=100)  # doctest: +SKIP
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree
from xml.parsers import expat

import folium
import numpy as np
import pandas as pd

from flowmap.core.budget import CLI, Budget
from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.engine.flows import MEASURES, Skipped, clean_flows
from flowmap.engine.unplaced import NotDrawn, not_drawn
from flowmap.io._files import Megabytes
from flowmap.io._textread import check_one_encoding, control_bytes, read_file, transcode, utf8_error
from flowmap.io.tables import (
    DEST_COLUMNS,
    HINTS,
    TIME_COLUMNS,
    Problems,
    _counts,
    _in_column,
    _join,
    _parse_counts,
    _quoted,
    _row,
    as_flows,
    as_places,
    check_choice,
    parse_csv,
    replaced_in,
)
from flowmap.text.i18n import Count, Message, localise, msg

LAYOUTS: tuple[str, ...] = ("long", "wide", "matrix", "places")
"""The layouts a table may have; see the module's documentation."""

COLUMN_NAMES: Mapping[str, tuple[str, ...]] = {
    "origin": (
        "origin",
        "orig",
        "from",
        "source",
        "origin_id",
        "from_id",
        "source_id",
        "country_of_origin",
        "origin_country",
        "откуда",
        "место_выбытия",
        "кайдан",
    ),
    "dest": (
        "dest",
        "destination",
        "to",
        "target",
        "dest_id",
        "destination_id",
        "to_id",
        "target_id",
        "country_of_asylum",
        "country_of_destination",
        "destination_country",
        "куда",
        "место_прибытия",
        "кайда",
    ),
    "count": (
        "count",
        "flow",
        "value",
        "n",
        "weight",
        "counts",
        "flows",
        "values",
        "число",
        "количество",
        "сан",
        "саны",
    ),
    "time": ("year", "period", "time", "год", "период", "жыл", "мезгил"),
    "id": ("id", "code", "place_id", "location_id", "iso", "iso3", "iso2"),
    "name": ("name", "label", "place", "place_name", "location"),
    "lat": ("lat", "latitude", "y"),
    "lon": ("lon", "lng", "long", "longitude", "x"),
}
"""For each role, the column names that take it (compared case-insensitively, with spaces,
hyphens and dots read as ``_``), the first that the header has winning."""

FLOW_ROLES: tuple[str, ...] = ("origin", "dest", "count", "time")
PLACE_ROLES: tuple[str, ...] = ("id", "name", "lat", "lon")

BLANK = frozenset(
    {"", "nan", "na", "n/a", "n.a.", "null", "none", "-", "–", "—", "..", "...", "…", "x"}
)
"""Cells that mean "no value" (compared case-insensitively after stripping spaces): empty,
or marked missing as statistical offices do (``N/A``, ``NA``, ``-``, ``—``, ``..``, ``x``
for a suppressed figure, ``…``)."""

ORIENTS: tuple[str, ...] = ("rows-are-origins", "rows-are-destinations")
"""How a matrix is read: its rows (the first column's labels) are the origins and its
columns the destinations, or the other way round."""

_ORIGIN_WORDS = frozenset(
    {
        "from",
        "origin",
        "origins",
        "source",
        "sources",
        "sending",
        "departure",
        "departures",
        "previous",
        "prior",
        "ago",
        "born",
        "birth",
        "outflow",
        "откуда",
        "из",
        "выбытия",
        "отправления",
        "происхождения",
        "кайдан",
        "чыккан",
    }
)
_DEST_WORDS = frozenset(
    {
        "to",
        "dest",
        "destination",
        "destinations",
        "target",
        "receiving",
        "current",
        "present",
        "arrival",
        "arrivals",
        "inflow",
        "куда",
        "в",
        "прибытия",
        "назначения",
        "текущее",
        "кайда",
        "келген",
    }
)
_ROWS_MARKS = frozenset({"down", "rows", "row", "vertical", "строки", "строках", "саптар"})
_COLUMNS_MARKS = frozenset(
    {"across", "columns", "column", "horizontal", "столбцы", "столбцах", "тилкелер"}
)
_CORNER_SPLIT = re.compile(r"\s*(?:[\\/×]|\s[xх]\s|\s-\s|\s?[–—]\s?)\s*", re.IGNORECASE)
_TOTAL = re.compile(
    r"(?:grand\s+)?(?:total|totals|sum|всего|итого|бардыгы|жалпы|баары)\b.*"
    r"|.*\b(?:total|totals|всего|итого|бардыгы)"
    r"|all(?:\s+(?:places|countries|regions|areas|origins|destinations|states|provinces))?"
    r"|\(?(?:total|all)\)?",
    re.IGNORECASE,
)

_YEAR_COLUMN = re.compile(r"(?:y|yr|year)?[ _]?([12][0-9]{3}(?:\s*[-–]\s*[12][0-9]{3})?)(?:\.0)?")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")
_PLAIN = {"dest": DEST_COLUMNS, "time": TIME_COLUMNS}
"""Column names that need no mention: :func:`flowmap.io.tables.as_flows` takes them as they are."""
_DELIMITERS = (",", ";", "\t")
_SAMPLE = 64 * 1024
"""Bytes of a text table read to find its delimiter."""
_VISIBLE = re.compile(rb"[^\s]")


@dataclass(frozen=True)
class Detected:
    """What was found in a file: say it to the user ("read flows.csv: long table,
    ';'-separated, cp1251, 1,204 rows")."""

    source: str
    """The file's name as given."""
    layout: str = ""
    """One of :data:`LAYOUTS`."""
    container: str = "csv"
    """``csv``, ``tsv``, ``xlsx``, ``csv.gz`` or ``tsv.gz``."""
    encoding: str | None = None
    """``utf-8``, ``utf-8-sig`` (with a BOM), ``utf-16-le``, ``utf-16-be`` or ``cp1251``;
    None for a workbook."""
    delimiter: str | None = None
    """``,``, ``;`` or a tab; None for a workbook."""
    sheet: str | None = None
    """The workbook's sheet that was read."""
    columns: Mapping[str, str] = field(default_factory=dict)
    """Role (``origin``, ``dest``, ``count``, ``time``, ``id``, ``name``, ``lat``, ``lon``)
    -> the file's column."""
    years: tuple[str, ...] = ()
    """A wide table's year columns, in the file's order."""
    rows: int = 0
    """Data rows read."""
    orient: str | None = None
    """How a matrix was read: one of :data:`ORIENTS`."""
    orient_from: str = ""
    """Why: ``corner`` (its corner cell says so), ``given`` (``orient=``) or ``assumed``."""
    total_rows: int = 0
    """Rows left out because their place is a total (``Total``, ``Всего``…)."""
    total_labels: tuple[str, ...] = ()
    """Those totals' labels, as written."""
    total_columns: tuple[str, ...] = ()
    """Columns left out because they are totals."""

    def orientation(self) -> Message | None:
        """Return how a matrix was read and why ("rows are destinations, columns origins
        (the corner cell 'Current x Origin' says so)"), or None for other layouts."""
        if self.orient is None:
            return None
        rows = "origins" if self.orient == "rows-are-origins" else "destinations"
        corner = self.columns.get("origin", "")
        why = self.orient_from
        if why == "assumed" and re.fullmatch(r"column \d+", corner):
            why = "empty"  # the corner cell was empty: read_any named the column
        # Quoted as written (repr would double a backslash).
        return msg(f"user.orient.{rows}.{why}", corner=f"'{corner}'")

    def describe(self) -> Message:
        """Return one line for people: what was read and how (a
        :class:`~flowmap.text.i18n.Message`: ``.text(lang)`` says it in Kyrgyz or Russian)."""
        layout: str
        if self.layout == "wide" and self.years:
            layout = msg("user.layout.wide_years", first=self.years[0], last=self.years[-1])
        elif self.layout in LAYOUTS or not self.layout:
            layout = msg(f"user.layout.{self.layout or 'table'}")
        else:
            layout = self.layout
        parts: list[str] = [layout]
        if self.container.endswith(".gz"):
            parts.append(msg("user.detect.gzip"))
        if self.container == "xlsx":
            parts.append(msg("user.detect.sheet", sheet=repr(self.sheet)))
        if self.delimiter == "\t":
            parts.append(msg("user.detect.tab"))
        elif self.delimiter is not None:
            parts.append(msg("user.detect.separated", delimiter=repr(self.delimiter)))
        if self.encoding == "utf-8-sig":
            parts.append(msg("user.detect.bom", encoding="utf-8"))
        elif self.encoding is not None:
            parts.append(self.encoding)
        parts.append(msg("user.detect.rows", count=Count(self.rows), n=self.rows))
        renamed = [
            msg("user.detect.column", role=_role(role), column=repr(column))
            for role, column in self.columns.items()
            if column not in _PLAIN.get(role, (role,))
        ]
        if renamed and self.layout != "matrix":
            parts.append(msg("user.detect.columns", columns=_join(renamed)))
        orientation = self.orientation()
        if orientation is not None:
            parts.append(orientation)
        if self.total_rows:
            labels = _quoted(self.total_labels[:5]) + (", …" if len(self.total_labels) > 5 else "")
            n = self.total_rows
            parts.append(msg("user.detect.total_rows", count=Count(n), n=n, labels=labels))
        if self.total_columns:
            n = len(self.total_columns)
            labels = _quoted(self.total_columns[:5]) + (", …" if n > 5 else "")
            parts.append(msg("user.detect.total_columns", count=Count(n), n=n, labels=labels))
        return msg("user.detect.read", file=Path(self.source).name, parts=_join(parts))


def _role(role: str) -> str:
    """Return a column role (``origin``, ``lat``…) as a word of the reader's language."""
    return msg(f"user.col.{role}") if role in COLUMN_NAMES else role


@dataclass(frozen=True)
class FlowsRead:
    """A flows file read: the normalised flows (:func:`flowmap.io.tables.as_flows`, blank
    counts left out), what was detected and the rows skipped."""

    flows: pd.DataFrame
    detected: Detected
    skipped: Skipped
    rows: np.ndarray
    """For each flow, its 0-based data row in the file."""
    cells: np.ndarray | None = None
    """For each flow of a wide table or matrix, the file's column it came from."""

    def where(self, position: int) -> Message:
        """Return where flow ``position`` is in the file: "row 3 (line 4), column '1976'"."""
        row = _row(int(self.rows[position]))
        if self.cells is None:
            return row
        return msg("user.row_column", row=row, column=repr(str(self.cells[position])))


@dataclass(frozen=True)
class PlacesRead:
    """A places file read: the normalised places (:func:`flowmap.io.tables.as_places`),
    what was detected and notes on odd rows (coordinates written ``NaN``)."""

    places: pd.DataFrame
    detected: Detected
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class UserData:
    """A user's flows and places, ready for :func:`flowmap.flow_map`.

    ``flows`` keeps self-flows, zero counts and flows without coordinates (the map skips
    them and says so; totals count self-flows as internal); ``skipped`` is everything a
    map of all the flows leaves out, with the first rows of each kind; ``unlocated``
    lists the places left without coordinates (not in the gazetteer, ambiguous, or
    written ``NaN``); ``notes`` says which places the gazetteer located.
    """

    flows: pd.DataFrame
    places: pd.DataFrame
    detected: tuple[Detected, ...]
    skipped: Skipped
    read_skipped: Skipped
    """The rows left out while reading (blank counts): pass to ``flow_map(skipped=...)``."""
    unlocated: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    measure: str = "flow"
    """``flow`` or ``stock`` (see :data:`flowmap.engine.flows.MEASURES`): a stock table's maps
    refuse to sum a span of years."""
    hints: str = "python"
    """Where messages are read (one of :data:`HINTS`), so that an error names that place's
    own option (``allow_missing=True`` in Python, ``--allow-missing`` on the command
    line)."""
    replaced: int = 0
    """How many distinct names and values had control or text-direction characters made
    visible (:func:`flowmap.core._escape.visible_text`): said once among the warnings and in
    the map's notes."""

    def describe(self) -> list[str]:
        """Return one line per file read (each a :class:`~flowmap.text.i18n.Message`)."""
        return [d.describe() for d in self.detected]

    def warnings(self, lang: str = "en") -> list[str]:
        """Return the skipped rows (the map's note, then the first rows of each kind) and
        the places without coordinates, one line each, in ``lang``.

        In English (the default) each line is a :class:`~flowmap.text.i18n.Message`, so a caller
        may still render it in another language with :func:`flowmap.text.i18n.localise`.
        """
        lines: list[str] = (
            [self.skipped.summary()] if self.skipped.total or self.skipped.cells else []
        )
        lines += [msg("user.indent", line=line) for line in self.skipped.examples]
        lines += self.unlocated
        if self.replaced:
            lines.append(msg("note.replaced"))
        return list(lines) if lang == "en" else [localise(line, lang) for line in lines]

    def cleaned(self) -> pd.DataFrame:
        """Return the flows a map can draw (see :func:`flowmap.engine.flows.clean_flows`)."""
        return clean_flows(self.flows, self.places)[0]

    def not_drawn(self, period: str | int | None = None) -> NotDrawn:
        """Return the flows (of ``period``, or of the latest period when None, as a map
        shows them) that no map can draw because a place has no coordinates, with their
        share of the volume (:func:`flowmap.engine.unplaced.not_drawn`)."""
        return not_drawn(self.flows, self.places, period=period, measure=self.measure)

    def map_texts(self, lang: str = "en") -> tuple[list[str], list[str]]:
        """Return what a map of these flows says of how they were read: notes (a matrix's
        orientation taken from its corner cell or given) and alerts shown under the title
        (an orientation assumed), in ``lang``."""
        notes: list[str] = []
        alerts: list[str] = []
        for found in self.detected:
            orientation = found.orientation()
            if orientation is None:
                continue
            line = msg("user.orient.map", what=orientation).text(lang)
            (alerts if found.orient_from == "assumed" else notes).append(line)
        return notes, alerts

    def flow_map(self, *, allow_missing: bool = True, **options: Any) -> folium.Map:
        """Return :func:`flowmap.flow_map` of these flows and places; ``options`` are its
        keyword options (``measure`` is this table's unless given). The map's note counts
        the rows and cells skipped while reading too, and says how a matrix was read; its
        title box says how many flows (and what share of the volume) have no coordinates.
        With ``allow_missing=False`` it raises :class:`~flowmap.core.errors.FlowmapError`
        instead when that share is over 5% (as the command line does without
        ``--allow-missing``)."""
        from flowmap.render.maps import flow_map

        grouped = sorted({"selection", "style", "wording"} & set(options))
        if grouped:  # their period, language and notes would be missed here: refused
            raise TypeError(
                f"UserData.flow_map takes flow_map's single keywords, not {grouped[0]}="
            )
        self.not_drawn(options.get("period")).check(allow_missing, hints=self.hints)
        lang = str(options.get("lang", "en"))
        notes, alerts = self.map_texts(lang)
        if self.replaced:  # flow_map says it once: the places' count may not travel
            notes.append(msg("note.replaced").text(lang))
        options["notes"] = [*options.get("notes", ()), *notes]
        options["alerts"] = [*alerts, *options.get("alerts", ())]
        options.setdefault("measure", self.measure)
        return flow_map(self.flows, self.places, skipped=self.read_skipped, **options)


# --------------------------------------------------------------------------- raw files


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
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

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


# --------------------------------------------------------------------------- layouts


def _key(column: str) -> str:
    """Return a column name as compared with :data:`COLUMN_NAMES` (a note in brackets at
    its end left out: ``Country of origin (ISO)`` is ``country_of_origin``)."""
    bare = re.sub(r"\s*\([^()]*\)\s*$", "", column.strip()) or column.strip()
    return re.sub(r"[\s.\-]+", "_", bare.lower())


def _year(column: str) -> str | None:
    """Return the year (or span) a wide table's column stands for, or None."""
    match = _YEAR_COLUMN.fullmatch(column.strip().lower())
    return re.sub(r"\s*[-–]\s*", "-", match.group(1)) if match else None


def _find_columns(
    header: Sequence[str], roles: Sequence[str], given: Mapping[str, str], source: str
) -> dict[str, str]:
    """Return role -> column: the ``given`` ones (checked), then the usual names."""
    unknown_roles = sorted(set(given) - set(COLUMN_NAMES))
    missing = [c for c in given.values() if c not in header]
    problems: list[str] = []
    if unknown_roles:
        known = ", ".join(COLUMN_NAMES)
        problems.append(msg("user.unknown_roles", roles=_quoted(unknown_roles), known=known))
    if missing:
        problems.append(msg("user.no_column", columns=_quoted(missing), header=_quoted(header)))
    if problems:
        raise DataValidationError(source, problems)
    found = {role: column for role, column in given.items() if role in roles}
    taken = set(given.values())
    keys = {column: _key(column) for column in header}
    for role in roles:
        if role in found:
            continue
        for wanted in COLUMN_NAMES[role]:
            column = next((c for c in header if keys[c] == wanted and c not in taken), None)
            if column is not None:
                found[role] = column
                taken.add(column)
                break
    return {role: found[role] for role in roles if role in found}


def detect_layout(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    layout: str | None = None,
    source: str = "table",
    hints: str = "python",
) -> tuple[str, dict[str, str]]:
    """Return the layout of a table read as text (one of :data:`LAYOUTS`) and its
    columns (role -> column).

    ``columns`` maps roles to columns, overriding the detection; ``layout`` forces one;
    ``hints`` (one of :data:`HINTS`) says where the error is read, so that it names that
    place's way of naming columns.

    Raises
    ------
    DataValidationError
        If the layout cannot be told, naming what was looked for and the header.
    """
    header = [str(c) for c in frame.columns]
    given = dict(columns or {})
    if layout is not None and layout not in LAYOUTS:
        options = ", ".join(LAYOUTS)
        raise FlowmapError(msg("user.choice", name="layout", options=options, value=repr(layout)))
    flows = _find_columns(header, FLOW_ROLES, given, source)
    places = _find_columns(header, PLACE_ROLES, given, source)
    years = [c for c in header if _year(c) and c not in flows.values()]
    if layout in (None, "long") and {"origin", "dest", "count"} <= set(flows):
        return "long", flows
    if layout in (None, "wide") and {"origin", "dest"} <= set(flows) and years:
        return "wide", {k: v for k, v in flows.items() if k in ("origin", "dest")}
    if (
        layout in (None, "places")
        and {"lat", "lon"} <= set(places)
        and set(places)
        & {
            "id",
            "name",
        }
    ):
        return "places", places
    if layout == "places" and set(places) & {"id", "name"}:
        return "places", places
    if layout in (None, "matrix") and _is_matrix(frame, given.get("origin")):
        return "matrix", {"origin": given.get("origin", header[0])}
    shown = _quoted(header[:20]) + (", …" if len(header) > 20 else "")
    kind = "places" if layout == "places" else "flows"
    hint = msg(f"user.hint.{kind}.{check_choice('hints', hints, HINTS)}")
    unknown = "user.unknown_places" if kind == "places" else "user.unknown_layout"
    raise DataValidationError(source, [msg(unknown, header=shown, hint=hint)])


def _is_matrix(frame: pd.DataFrame, first: str | None) -> bool:
    """Return True for a square matrix: most column labels are also row labels."""
    if frame.shape[1] < 3:
        return False
    labels = frame[first] if first is not None else frame.iloc[:, 0]
    rows = set(labels.astype(str).str.strip())
    heads = [str(c) for c in frame.columns if str(c) != (first or str(frame.columns[0]))]
    shared = sum(1 for h in heads if h in rows)
    return shared >= 2 and shared * 2 >= len(heads)


# --------------------------------------------------------------------------- flows


def _blank(values: pd.Series) -> np.ndarray:
    """Return a mask of cells that mean "no value" (see :data:`BLANK`)."""
    text = values.astype(str).str.strip().str.lower()
    return np.asarray(text.isin(BLANK).to_numpy(), dtype=bool)


def matrix_orientation(corner: str) -> str | None:
    """Return how a matrix's corner cell says it is read (one of :data:`ORIENTS`), or
    None when it does not say.

    The corner names the rows, then the columns: ``from\\to``, ``origin/destination``,
    ``откуда\\куда`` (rows are origins), ``to\\from``, ``Current x Origin`` (rows are
    destinations: people's current place), with ``\\``, ``/``, `` x ``, ``×`` or `` - ``
    between, in any case; words marked ``(across)``/``(columns)`` or ``(down)``/``(rows)``
    say it outright: ``Destination (across) - Source (down)`` has origins as rows. A
    single word names the rows (``Origin``).
    """
    text = corner.strip().lower()
    votes: set[str] = set()
    for words, mark in re.findall(r"([^()]+?)\s*\(([^()]*)\)", text):
        role, marks = _corner_role(words), set(re.findall(r"\w+", mark))
        if role is not None and marks & _ROWS_MARKS:
            votes.add(role)
        elif role is not None and marks & _COLUMNS_MARKS:
            votes.add("dest" if role == "origin" else "origin")
    if not votes:
        parts = [part for part in _CORNER_SPLIT.split(text) if part.strip()]
        first = _corner_role(parts[0]) if parts else None
        last = _corner_role(parts[-1]) if len(parts) > 1 else None
        if first is not None and first != last:
            votes.add(first)
        elif first is None and last is not None:
            votes.add("dest" if last == "origin" else "origin")
    if len(votes) != 1:
        return None
    return "rows-are-origins" if votes == {"origin"} else "rows-are-destinations"


def _corner_role(words: str) -> str | None:
    """Return ``origin`` or ``dest`` for the words of a corner cell naming one side."""
    tokens = set(re.findall(r"\w+", words.lower()))
    origin, dest = bool(tokens & _ORIGIN_WORDS), bool(tokens & _DEST_WORDS)
    if origin == dest:
        return None
    return "origin" if origin else "dest"


def is_total(label: object) -> bool:
    """Return True for a row, column or place label that names a total rather than a
    place: ``Total``, ``Grand total``, ``All``, ``Sum``, ``Всего``, ``Итого``,
    ``Бардыгы``, ``Жалпы``, ``World total`` (in any case)."""
    return bool(_TOTAL.fullmatch(str(label).strip()))


def _total_rows(frame: pd.DataFrame, keys: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Return a mask of the rows whose place (in any of ``keys``) is a total, and those
    labels as written (each once)."""
    mask = np.zeros(len(frame), dtype=bool)
    labels: list[str] = []
    for key in keys:
        values = frame[key]
        totals = [v for v in values.unique() if is_total(v)]  # each label once
        if totals:
            mask |= values.isin(totals).to_numpy()
            labels += [str(v).strip() for v in totals if str(v).strip() not in labels]
    return mask, labels


def read_user_flows(
    source: Path | str | bytes,
    *,
    name: str | None = None,
    columns: Mapping[str, str] | None = None,
    layout: str | None = None,
    sheet: str | None = None,
    orient: str | None = None,
    hints: str = "python",
    budget: Budget = CLI,
) -> FlowsRead:
    """Return the flows of a long table, a wide table or a matrix (see the module's
    documentation), normalised by :func:`flowmap.io.tables.as_flows`.

    Rows whose count is blank or NaN (and empty rows) are left out and counted in
    ``skipped.blank_counts``; the empty cells of a wide table or matrix are counted as
    cells (``skipped.empty_cells``, ``skipped.missing_cells``), not rows. Self-flows, zero
    counts and flows without coordinates are kept for :func:`flowmap.engine.flows.clean_flows`.
    Rows and columns of totals (:func:`is_total`) are left out and named in
    :meth:`Detected.describe`.

    A matrix is read as its corner cell says (:func:`matrix_orientation`), else with
    rows as origins, said as assumed; ``orient`` (one of :data:`ORIENTS`) decides instead
    (it has no effect on long and wide tables). ``hints`` (one of :data:`HINTS`) names the
    place the messages are read in.

    Raises
    ------
    DataValidationError
        Naming file, row, column and value: counts that are not whole numbers from 0
        (``abc``, ``-5``), empty ids, a table that is not flows.
    """
    if orient is not None:
        check_choice("orient", orient, ORIENTS)
    check_choice("hints", hints, HINTS)
    frame, detected = read_any(source, name=name, sheet=sheet, budget=budget)
    label = detected.source
    found, roles = detect_layout(frame, columns=columns, layout=layout, source=label, hints=hints)
    if found == "places":
        raise DataValidationError(label, [msg("user.places_not_flows")])
    cells: np.ndarray | None = None
    years: tuple[str, ...] = ()
    orientation: str | None = None
    said = ""
    total_columns: list[str] = []
    if found == "long":
        totals, total_labels = _total_rows(frame, [roles["origin"], roles["dest"]])
        blank = _blank(frame[roles["count"]]) & ~totals
        keep = ~blank & ~totals
        rows = np.flatnonzero(keep)
        flows = as_flows(
            frame[keep],
            origin=roles["origin"],
            dest=roles["dest"],
            count=roles["count"],
            time=roles.get("time", ""),
            source=label,
            where=lambda i: _row(int(rows[i])),
        )
        written = frame[roles["count"]].astype(str).str.strip()
        empty = blank & (written == "").to_numpy()
        marked = blank & ~empty  # "..", "x", "N/A": said as marked, as in wide tables
        skipped_rows = Problems(label)
        no_count = _in_column(roles["count"], msg("user.no_count"))
        skipped_rows.add_rows("blank count", empty, no_count)
        marked_missing = _in_column(roles["count"], msg("user.marked_missing"))
        skipped_rows.add_rows("marked count", marked, marked_missing, written)
        skipped = Skipped(
            blank_counts=int(np.count_nonzero(empty)),
            marked_counts=int(np.count_nonzero(marked)),
            missing_marks=tuple(sorted(set(written[marked]))),
            examples=tuple(skipped_rows.lines()),
        )
    else:
        origin = roles["origin"]
        if found == "wide":
            value_columns = [c for c in frame.columns if _year(str(c)) and c not in roles.values()]
            years = tuple(value_columns)
            keys = [origin, roles["dest"]]
        else:
            value_columns = [c for c in frame.columns if c != origin]
            keys = [origin]
        total_columns = [str(c) for c in frame.columns if c not in keys and is_total(c)]
        value_columns = [c for c in value_columns if str(c) not in total_columns]
        totals, total_labels = _total_rows(frame, keys)
        kept = np.flatnonzero(~totals)
        body = frame[~totals].reset_index(drop=True) if totals.any() else frame
        attributes = [
            c
            for c in body.columns
            if c not in value_columns and c not in keys and str(c) not in total_columns
        ]
        _check_cells(len(body), len(value_columns), label, budget)  # before melting
        text = _stacked(body, value_columns)  # column after column
        # Plain digits (most cells) are read at once; the rest is checked cell by cell.
        plain = text.str.fullmatch(r"[0-9]{1,12}").to_numpy(dtype=bool, na_value=False)
        counts = np.zeros(len(text), dtype=np.int64)
        counts[plain] = _digits(text[plain])
        others = np.flatnonzero(~plain)
        other = text.iloc[others].str.strip()
        del text
        empty = np.zeros(len(plain), dtype=bool)
        marked = np.zeros(len(plain), dtype=bool)
        empty[others] = (other == "").to_numpy(dtype=bool)
        marked[others] = _blank(other) & ~empty[others]
        blank = empty | marked
        numbers, bad_others, _ = _parse_counts(other.where(~blank[others], "0"))
        counts[others] = numbers.fillna(0).to_numpy(dtype=np.int64)
        bad = np.zeros(len(plain), dtype=bool)
        bad[others] = bad_others
        if bad.any():  # said column by column, as a long table's counts are
            problems = Problems(label, where=lambda i: _row(int(kept[i])))
            n = len(body)
            for i in np.unique(np.flatnonzero(bad) // n):
                column = value_columns[int(i)]
                _counts(body[column].where(~blank[i * n : (i + 1) * n], "0"), column, problems)
            problems.raise_if_any()
        marks = sorted(set(other[marked[others]].unique()))
        long, positions, melted = _melt(body, keys, attributes, value_columns, blank, counts, found)
        rows = kept[positions]
        cells = melted
        if found == "matrix":
            detected_orient = matrix_orientation(origin)
            orientation = orient or detected_orient or ORIENTS[0]
            said = "given" if orient else ("corner" if detected_orient else "assumed")
            if orientation == "rows-are-destinations":
                long = long.rename(columns={"origin": "dest", "dest": "origin"})
        flows = as_flows(
            long,
            origin="origin",
            dest="dest",
            count="count",
            time="year" if found == "wide" else "",
            source=label,
            where=lambda i: msg("user.row_column", row=_row(int(rows[i])), column=repr(melted[i])),
        )
        skipped = Skipped(
            unit="cells",
            empty_cells=int(np.count_nonzero(empty)),
            missing_cells=int(np.count_nonzero(marked)),
            missing_marks=tuple(marks),
        )
    detected = replace(
        detected,
        layout=found,
        columns=roles,
        years=tuple(str(y) for y in years),
        orient=orientation,
        orient_from=said,
        total_rows=int(np.count_nonzero(totals)),
        total_labels=tuple(total_labels),
        total_columns=tuple(total_columns),
    )
    return FlowsRead(flows=flows, detected=detected, skipped=skipped, rows=rows, cells=cells)


def _stacked(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """Return the cells of ``columns`` as one text series, column after column."""
    if not columns:
        return pd.Series([], dtype="str")
    stacked = pd.concat([frame[c] for c in columns], ignore_index=True)
    return stacked if isinstance(stacked.dtype, pd.StringDtype) else stacked.astype("str")


def _check_cells(rows: int, columns: int, source: str, budget: Budget) -> None:
    """Refuse a wide table or matrix of more count columns or cells than ``budget``
    allows (``columns``; ``cells`` and ``melt_cells``), before its cells are turned into
    flows."""
    if columns > budget.columns:
        too_wide = msg("user.wide_columns", columns=Count(columns), max=Count(budget.columns))
        raise DataValidationError(source, [too_wide])
    limit = min(budget.cells, budget.melt_cells)
    if rows * columns > limit:
        too_many = msg(
            "user.wide_cells",
            rows=Count(rows),
            columns=Count(columns),
            cells=Count(rows * columns),
            max=Count(limit),
        )
        raise DataValidationError(source, [too_many])


def _digits(text: pd.Series) -> np.ndarray:
    """Return text of plain digits (at most twelve) as int64."""
    try:  # arrow parses a million digit strings in a tenth of a second
        return np.asarray(text.astype("int64[pyarrow]").to_numpy(dtype="int64"))
    except (TypeError, ValueError):
        return np.asarray(text.astype("int64").to_numpy())


def _melt(
    frame: pd.DataFrame,
    keys: Sequence[str],
    attributes: Sequence[str],
    value_columns: Sequence[str],
    blank: np.ndarray,
    counts: np.ndarray,
    layout: str,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Return a wide table or matrix as long rows (blank cells left out), with each row's
    position and column in the file.

    ``blank`` and ``counts`` hold the cells column after column (see :func:`_stacked`);
    the places are categories, each label kept once however many cells name it.
    """
    n = len(frame)
    keep = ~blank
    # Column after column: the kept cells' columns and rows, without a full-size index.
    which, positions = (a.astype(np.int32) for a in np.nonzero(keep.reshape(-1, max(n, 1))))
    names = [str(c) for c in value_columns]
    columns = np.array(names, dtype=object)[which]

    def spread(values: pd.Series) -> pd.Categorical:
        codes, labels = pd.factorize(values.astype(str), use_na_sentinel=False)
        return pd.Categorical.from_codes(codes[positions], categories=labels)

    dest: object = spread(frame[keys[1]]) if layout == "wide" else columns
    if layout != "wide" and len(set(names)) == len(names):
        dest = pd.Categorical.from_codes(which, categories=names)
    out = pd.DataFrame({"origin": spread(frame[keys[0]]), "dest": dest, "count": counts[keep]})
    if layout == "wide":
        years = [_year(c) for c in names]
        if len(set(years)) == len(years):
            out["year"] = pd.Categorical.from_codes(which, categories=years)
        else:
            out["year"] = np.array(years, dtype=object)[which]
    for column in attributes:
        if column not in out.columns:
            out[column] = frame[column].to_numpy()[positions]
    return out, positions, columns


# --------------------------------------------------------------------------- places


def read_user_places(
    source: Path | str | bytes,
    *,
    name: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
    hints: str = "python",
    budget: Budget = CLI,
) -> PlacesRead:
    """Return the places of a table with ``id`` (or only ``name``), ``name``, ``lat`` and
    ``lon`` columns, normalised by :func:`flowmap.io.tables.as_places`.

    Coordinates may be blank (found later in the gazetteer by name or code); ``NaN`` is
    read as blank and noted; a decimal comma (``42,87``) is read as a point.

    Raises
    ------
    DataValidationError
        Naming file, row, column and value: repeated ids, coordinates out of range; or
        naming the file, its header and the option of ``hints`` when its id (or name),
        lat or lon column cannot be found (a column named ``Breite`` is never taken for
        the latitude without ``lat='Breite'``).
    """
    frame, detected = read_any(source, name=name, sheet=sheet, budget=budget)
    label = detected.source
    found, roles = detect_layout(frame, columns=columns, layout="places", source=label, hints=hints)
    absent = [role for role in ("lat", "lon") if role not in roles]
    if absent:  # a places file is given for its coordinates: never ignored silently
        header = [str(c) for c in frame.columns]
        shown = _quoted(header[:20]) + (", …" if len(header) > 20 else "")
        hint = msg(f"user.hint.places.{check_choice('hints', hints, HINTS)}")
        problem = msg("user.places_no_coordinates", roles=_quoted(absent), header=shown, hint=hint)
        raise DataValidationError(label, [problem])
    out = frame.copy()
    notes = Problems(label)
    coordinates = [roles[role] for role in ("lat", "lon") if role in roles]
    nan = np.zeros(len(out), dtype=bool)
    for column in coordinates:
        text = out[column].astype(str).str.strip()
        odd = (text.str.lower().isin(BLANK) & (text != "")).to_numpy()
        notes.add_rows(
            "nan coordinates",
            odd,
            _in_column(column, msg("user.nan_coordinates")),
            text,
        )
        nan |= odd
        comma = text.str.fullmatch(_DECIMAL_COMMA.pattern)
        out[column] = text.where(~comma, text.str.replace(",", ".", regex=False))
    for column in coordinates:  # "NaN" in either makes the pair missing
        out[column] = out[column].where(~nan, "")
    renamed: dict[str, str] = {}
    for role, column in roles.items():
        if column != role:
            renamed[column] = role
    clashing = [role for column, role in renamed.items() if role in out.columns]
    out = out.drop(columns=clashing).rename(columns=renamed)
    if "id" not in roles:
        out["id"] = out["name"]
    places = as_places(out, source=label)
    _swapped(places, f"'{roles['lat']}'/'{roles['lon']}'", notes)
    return PlacesRead(
        places=places,
        detected=replace(detected, layout=found, columns=roles),
        notes=tuple(notes.lines()),
    )


def _swapped(places: pd.DataFrame, columns: str, notes: Problems) -> None:
    """Note the places whose latitude and longitude look swapped, never swapping them: a
    point at sea that swapped is on land (as the data set's places are checked, with
    :func:`flowmap.batken.data.swapped_coordinates`), or a place whose id is a country code
    (``RU``) and that only swapped lies in that country."""
    from flowmap.io.land import country_at, on_land, swapped_coordinates

    lat, lon = places["lat"].to_numpy(dtype=float), places["lon"].to_numpy(dtype=float)
    given, flipped = on_land(lat, lon), on_land(lon, lat)
    ids = places["id"].astype(str).str.strip().str.upper().to_numpy()
    coded = np.array([len(i) == 2 and i.isalpha() for i in ids], dtype=bool)
    for i in np.flatnonzero(flipped & (~given | coded)):
        pair = float(lat[i]), float(lon[i])
        detail: str = swapped_coordinates(*pair) if not given[i] else ""
        if not detail and coded[i] and country_at(*pair) != ids[i] == country_at(*pair[::-1]):
            detail = msg("user.swapped_country", lat=f"{pair[0]:g}", lon=f"{pair[1]:g}", id=ids[i])
        if detail:
            line = msg("data.at_columns", where=_row(int(i)), columns=columns, detail=detail)
            notes.add("swapped coordinates", line)


def places_of(flows: pd.DataFrame) -> pd.DataFrame:
    """Return the places of a flows table without a places file: its distinct ids, named
    by themselves, without coordinates (see :func:`find_coordinates`)."""
    ends = pd.concat([flows["origin"], flows["dest"]], ignore_index=True)
    ids = list(dict.fromkeys(str(v) for v in pd.unique(ends)))  # each id once, in order
    frame = pd.DataFrame({"id": ids, "name": ids, "lat": np.nan, "lon": np.nan})
    return as_places(frame)


def find_coordinates(places: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Return places with missing coordinates filled from the offline gazetteer
    (:func:`flowmap.io.gazetteer.fill_places`: by code or name, never a guess), what was
    found (one line) and the places left without coordinates (one line each), the lines
    being :class:`~flowmap.text.i18n.Message` objects. A place whose name is its id (``RU``)
    takes the gazetteer's name (``Russia``), and its Kyrgyz and Russian names in
    ``name_ky`` and ``name_ru`` columns (added when the table has none) for maps in those
    languages."""
    if not (places["lat"].isna() | places["lon"].isna()).any():
        return places, [], []
    try:
        from flowmap.io.gazetteer import fill_places

        filled, report = fill_places(places.reset_index(drop=True))
    except (ImportError, OSError, FlowmapError) as exc:
        first = exc.args[0] if exc.args else None
        reason = first if isinstance(first, Message) else str(exc).splitlines()[0][:200]
        return places, [], [msg("user.no_gazetteer", reason=reason)]
    # A place named by its code alone (no places file) takes the gazetteer's name.
    found = filled["id"].astype(str).map({pid: m.place.name for pid, m in report.filled.items()})
    bare = (filled["name"].astype(str) == filled["id"].astype(str)) & found.notna()
    filled["name"] = found.where(bare, filled["name"])
    for column in ("name_ky", "name_ru"):  # and its names in Kyrgyz and Russian for the map
        if bare.any() and column not in filled.columns:
            local = {pid: getattr(m.place, column) for pid, m in report.filled.items()}
            filled[column] = filled["id"].astype(str).map(local).where(bare, "").fillna("")
    problems = report.problems().lines()
    found_lines = report.lines()[: -len(problems) or None]
    return as_places(filled, source="places"), found_lines, problems


# --------------------------------------------------------------------------- both


def load_user_data(
    flows: Path | str | bytes,
    places: Path | str | bytes | None = None,
    *,
    flows_name: str | None = None,
    places_name: str | None = None,
    flow_columns: Mapping[str, str] | None = None,
    place_columns: Mapping[str, str] | None = None,
    layout: str | None = None,
    sheet: str | None = None,
    gazetteer: bool = True,
    orient: str | None = None,
    measure: str = "flow",
    hints: str = "python",
    budget: Budget = CLI,
) -> UserData:
    """Return a user's flows and places, read from files or uploaded bytes.

    Parameters
    ----------
    flows, places
        Paths, or bytes (named ``flows_name``, ``places_name`` in messages). Without
        ``places``, the places are the distinct ids of the flows (country codes or names,
        say), located in the gazetteer.
    flow_columns, place_columns
        Role -> column mappings overriding the detection, e.g.
        ``{"origin": "Herkunft", "dest": "Ziel", "count": "Anzahl"}``.
    layout, sheet
        Force the flows' layout (one of :data:`LAYOUTS`); a workbook's sheet.
    gazetteer
        Fill missing coordinates from the offline gazetteer.
    orient
        How a matrix is read, one of :data:`ORIENTS` (by default as its corner cell says,
        else rows as origins, said as assumed); no effect on other layouts.
    measure
        ``flow`` (the default: counts of moves, summable over years) or ``stock`` (people
        present at a date): maps of a stock table refuse to sum a span.
    hints
        Where messages are read (one of :data:`HINTS`): an error names ``flow_columns=``
        in Python, ``--columns`` on the command line, "Layout and columns" in the app;
        kept in :attr:`UserData.hints` for the errors of its maps.
    budget
        The most each file may hold (:class:`flowmap.core.budget.Budget`): the command line's
        and the Python API's :data:`flowmap.core.budget.CLI` by default, the app's
        :data:`flowmap.core.budget.APP`.

    Raises
    ------
    DataValidationError
        For real errors in either file (see :func:`read_user_flows`).
    """
    check_choice("measure", measure, MEASURES)
    read = read_user_flows(
        flows,
        name=flows_name,
        columns=flow_columns,
        layout=layout,
        sheet=sheet,
        orient=orient,
        hints=hints,
        budget=budget,
    )
    notes: list[str] = []
    unlocated: list[str] = []
    detected = [read.detected]
    if places is None:
        place_table = places_of(read.flows)
    else:
        place_read = read_user_places(
            places, name=places_name, columns=place_columns, hints=hints, budget=budget
        )
        place_table = place_read.places
        detected.append(place_read.detected)
        unlocated.extend(place_read.notes)
    replaced = replaced_in(read.flows, place_table)
    if gazetteer:
        place_table, found, missing = find_coordinates(place_table)
        notes.extend(found)
        unlocated.extend(missing)
    where: Callable[[int], str] = read.where
    _, cleaned = clean_flows(read.flows, place_table, source=read.detected.source, where=where)
    if read.cells is not None:  # a wide table's or matrix's flows are its cells
        cleaned = replace(cleaned, unit="cells")
    return UserData(
        flows=read.flows,
        places=place_table,
        detected=tuple(detected),
        skipped=read.skipped.merged(cleaned),
        read_skipped=read.skipped,
        unlocated=tuple(unlocated),
        notes=tuple(notes),
        measure=measure,
        hints=hints,
        replaced=replaced,
    )


__all__ = [
    "BLANK",
    "COLUMN_NAMES",
    "HINTS",
    "LAYOUTS",
    "ORIENTS",
    "Detected",
    "FlowsRead",
    "PlacesRead",
    "UserData",
    "detect_layout",
    "find_coordinates",
    "is_total",
    "load_user_data",
    "matrix_orientation",
    "places_of",
    "read_any",
    "read_user_flows",
    "read_user_places",
]
