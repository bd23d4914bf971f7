"""Hostile, oversized and normal input files, made on demand (never committed).

One function per case, each taking the path to write and a ``scale`` (1.0 = the full size
of issue 17's hostile-input run; the tests use about 0.001) and returning the files to give
to ``flowmap`` as ``{"flows": path, "places": path, "districts": path}``. Files a case needs
beside its main one (a places file for a matrix) are written next to ``path``. The cases
"just over a limit" take the :class:`~flowmap.core.budget.Budget` or
:class:`~flowmap.io.geoio.BoundaryLimits` to exceed instead of a scale, and exceed exactly one
of its limits.

:data:`CASES` lists every case with the files it makes and how it must end:
``scripts/stress.py`` runs them at full size through the command line, and
``tests/test_bounded.py`` at small scale with small budgets through the Python API.

Only the standard library, numpy and (for one small workbook) openpyxl are used; every
large file is written as a stream, so making a 1 GB workbook takes a few MB of memory.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import sqlite3
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

import numpy as np

from flowmap.core.budget import CLI, Budget
from flowmap.io.geoio import DEFAULT_LIMITS, BoundaryLimits

Inputs = dict[str, Path]
"""The files of a case by role: ``flows``, ``places`` or ``districts``."""

_CHUNK = 1 << 20
# Places of the data set's own schema (data/places.csv) that flows may join.
_DATASET_PLACES = (
    "KG-B",
    "KG-GB",
    "KG-GO",
    "KG-C",
    "KG-O",
    "KG-J",
    "KG-Y",
    "KG-N",
    "KG-T",
    "KG-OTHER",
    "KG-REST",
    "ABROAD",
    "RU",
    "UZ",
    "KZ",
    "TR",
    "US",
    "TJ",
)
_DATASET_HEADER = "origin,destination,period,sex,age,count,basis,source_ref,method,note,low,high"
# Places a user's table names, all found in the offline gazetteer.
_CITIES = (
    "Bishkek",
    "Osh",
    "Batken",
    "Moscow",
    "Almaty",
    "Tashkent",
    "Istanbul",
    "Dushanbe",
    "Astana",
    "Novosibirsk",
    "Kazan",
    "Samara",
)
# Russian names of Kyrgyz and Russian cities and of Kazakhstan's largest city.
_CYRILLIC = (
    "Бишкек",
    "Ош",
    "Баткен",
    "Джалал-Абад",
    "Каракол",
    "Нарын",
    "Талас",
    "Токмок",
    "Москва",
    "Новосибирск",
    "Екатеринбург",
    "Казань",
    "Самара",
    "Алматы",
)


def _size(full: int, scale: float, least: int = 1) -> int:
    """Return ``full`` times ``scale``, at least ``least``."""
    return max(least, round(full * scale))


def _rng(seed: int = 17) -> np.random.Generator:
    return np.random.default_rng(seed)


def _write_lines(path: Path, lines: Iterable[str], *, compress: bool = False) -> None:
    """Write text lines (each with its newline) to ``path`` in chunks, gzipped if asked."""
    with gzip.open(path, "wb", compresslevel=1) if compress else path.open("wb") as out:
        buffer: list[str] = []
        size = 0
        for line in lines:
            buffer.append(line)
            size += len(line)
            if size >= _CHUNK:
                out.write("".join(buffer).encode("utf-8"))
                buffer, size = [], 0
        out.write("".join(buffer).encode("utf-8"))


def _beside(path: Path, role: str) -> Path:
    """Return the path of a second file of a case, next to ``path``."""
    return path.with_name(f"{path.name.split('.')[0]}-{role}.csv")


def _places_file(path: Path, ids: Sequence[str], *, swapped: bool = False) -> None:
    """Write a places file (``id,name,lat,lon``) of ``ids`` spread over Kyrgyzstan."""
    rng = _rng(3)
    lat = rng.uniform(39.6, 42.8, len(ids))
    lon = rng.uniform(70.0, 78.5, len(ids))
    first, second = (lon, lat) if swapped else (lat, lon)
    _write_lines(
        path,
        [
            "id,name,lat,lon\n",
            *(
                f"{i},Place {i},{a:.4f},{b:.4f}\n"
                for i, a, b in zip(ids, first, second, strict=True)
            ),
        ],
    )


# --------------------------------------------------------------------------- workbooks


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}{strings}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
    "<sheetData>"
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_row(cells: Sequence[str | int]) -> str:
    """Return a worksheet row: numbers as numbers, text inline (no cell references, which
    are optional; so a row's XML is the same wherever it stands)."""
    parts = ["<row>"]
    for value in cells:
        if isinstance(value, int):
            parts.append(f"<c><v>{value}</v></c>")
        else:
            parts.append(f'<c t="inlineStr"><is><t>{_xml_text(value)}</t></is></c>')
    parts.append("</row>")
    return "".join(parts)


def _xlsx_members(sheets: int, strings: Sequence[str] = ()) -> dict[str, bytes]:
    """Return every member of a workbook of ``sheets`` sheets but the sheets themselves."""
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>'
        + "".join(
            f'<sheet name="Sheet{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1)
        )
        + "</sheets></workbook>"
    )
    relations = [
        f'<Relationship Id="rId{n}" Type="{_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    ]
    if strings:
        relations.append(
            f'<Relationship Id="rId{sheets + 1}" Type="{_RELS}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
        )
    members = {
        "[Content_Types].xml": _CONTENT_TYPES.format(
            sheets="".join(_SHEET_TYPE.format(n=n) for n in range(1, sheets + 1)),
            strings=_STRINGS_TYPE if strings else "",
        ),
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(relations)
            + "</Relationships>"
        ),
    }
    if strings:
        items = "".join(f"<si><t>{_xml_text(s)}</t></si>" for s in strings)
        members["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
        )
    return {name: text.encode("utf-8") for name, text in members.items()}


def _write_xlsx(
    path: Path,
    sheets: Sequence[Callable[[IO[bytes]], None]],
    strings: Sequence[str] = (),
) -> None:
    """Write a workbook whose sheet ``n`` is written by ``sheets[n - 1](stream)``.

    The sheets are streamed into the zip (deflated at level 1), so their XML may be far
    larger than memory; ``strings`` is the shared-string table, if any.
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, content in _xlsx_members(len(sheets), strings).items():
            book.writestr(name, content)
        for n, write in enumerate(sheets, start=1):
            with book.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as stream:
                write(stream)


def _padded_sheet(rows: Sequence[Sequence[str | int]], size: int) -> Callable[[IO[bytes]], None]:
    """Return a sheet writer of ``rows`` padded with whitespace between rows (allowed by
    XML) to exactly ``size`` bytes of XML."""
    body = "".join(_xml_row(r) for r in rows).encode("utf-8")
    fixed = len(_SHEET_HEAD.encode()) + len(body) + len(_SHEET_TAIL)
    padding = size - fixed
    if padding < 0:
        raise ValueError(f"the rows alone take {fixed} bytes, more than {size}")

    def write(stream: IO[bytes]) -> None:
        stream.write(_SHEET_HEAD.encode())
        stream.write(body)
        block = b" " * _CHUNK
        left = padding
        while left > 0:
            stream.write(block[: min(left, _CHUNK)])
            left -= _CHUNK
        stream.write(_SHEET_TAIL.encode())

    return write


# --------------------------------------------------------------------------- boundaries


def _feature_collection(
    path: Path, features: Iterable[tuple[str, str, str]], *, extra: str = ""
) -> None:
    """Write a GeoJSON FeatureCollection of ``(name, geometry type, coordinates JSON)``."""

    def lines() -> Iterator[str]:
        yield '{"type":"FeatureCollection",' + extra + '"features":[\n'
        for n, (name, kind, coordinates) in enumerate(features):
            comma = "," if n else ""
            yield (
                f'{comma}{{"type":"Feature","properties":{{"name":{json.dumps(name)}}},'
                f'"geometry":{{"type":"{kind}","coordinates":{coordinates}}}}}\n'
            )
        yield "]}\n"

    _write_lines(path, lines())


def _triangles(count: int, *, columns: int = 1000) -> Iterator[str]:
    """Yield ``count`` small disjoint triangles over Batken as GeoJSON polygons' text."""
    for i in range(count):
        x = 69.5 + (i % columns) * 0.002
        y = 39.6 + (i // columns) * 0.002
        a, b, c = f"{x:.3f}", f"{x + 0.001:.3f}", f"{y + 0.001:.3f}"
        yy = f"{y:.3f}"
        yield f"[[[{a},{yy}],[{b},{yy}],[{a},{c}],[{a},{yy}]]]"


def _repeated_ring(vertices: int, corners: Sequence[tuple[str, str]]) -> Iterator[str]:
    """Yield the positions of a closed ring of exactly ``vertices`` positions through
    ``corners`` (the first repeated at the end), each corner repeated in turn: a vertex
    bomb in few bytes."""
    inner = vertices - 1
    each, extra = divmod(inner, len(corners))
    for n, (x, y) in enumerate(corners):
        position = f"[{x},{y}]"
        for _ in range(each + (1 if n < extra else 0)):
            yield position
    yield f"[{corners[0][0]},{corners[0][1]}]"


def _rectangle(x0: int, y0: int, x1: int, y1: int, step: int) -> list[tuple[str, str]]:
    """Return the grid points (tenths of a degree, as text) around a rectangle,
    clockwise from its lower left corner; the corners are given in tenths."""

    def deg(tenths: int) -> str:
        return f"{tenths / 10:g}"

    points = [(x0, y) for y in range(y0, y1, step)]
    points += [(x, y1) for x in range(x0, x1, step)]
    points += [(x1, y) for y in range(y1, y0, -step)]
    points += [(x, y0) for x in range(x1, x0, -step)]
    return [(deg(x), deg(y)) for x, y in points]


def _ring_polygon(positions: Iterator[str]) -> Iterator[str]:
    yield "[["
    first = True
    batch: list[str] = []
    for position in positions:
        batch.append(position)
        if len(batch) == 65536:
            yield ("" if first else ",") + ",".join(batch)
            first, batch = False, []
    if batch:
        yield ("" if first else ",") + ",".join(batch)
    yield "]]"


def _streamed_polygon_collection(path: Path, name: str, parts: Iterator[str]) -> None:
    """Write a FeatureCollection of one feature whose coordinates are streamed."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{"type":"FeatureCollection","features":[{"type":"Feature",')
        out.write(f'"properties":{{"name":{json.dumps(name)}}},')
        out.write('"geometry":{"type":"Polygon","coordinates":')
        for piece in parts:
            out.write(piece)
        out.write("}}]}\n")


def _multipolygon_collection(path: Path, name: str, count: int) -> None:
    """Write one MultiPolygon feature of ``count`` triangles (streamed)."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{"type":"FeatureCollection","features":[{"type":"Feature",')
        out.write(f'"properties":{{"name":{json.dumps(name)}}},')
        out.write('"geometry":{"type":"MultiPolygon","coordinates":[')
        batch: list[str] = []
        first = True
        for triangle in _triangles(count):
            batch.append(triangle)
            if len(batch) == 8192:
                out.write(("" if first else ",") + ",".join(batch))
                first, batch = False, []
        if batch:
            out.write(("" if first else ",") + ",".join(batch))
        out.write("]}}]}\n")


def _dbf(names: Sequence[str]) -> bytes:
    """Return a dBASE III table of one text field ``NAME`` (40 bytes wide)."""
    width = 40
    header = struct.pack("<BBBBIHH20x", 3, 126, 12, 6, len(names), 32 + 32 + 1, 1 + width)
    descriptor = struct.pack("<11sc4xBB14x", b"NAME", b"C", width, 0)
    records = b"".join(b" " + n.encode("utf-8")[:width].ljust(width, b" ") for n in names)
    return header + descriptor + b"\r" + records + b"\x1a"


def _shp_header(code: int, words: int, box: tuple[float, float, float, float]) -> bytes:
    """Return the 100-byte header of a .shp or .shx file of ``words`` 16-bit words."""
    return struct.pack(">7i", 9994, 0, 0, 0, 0, 0, words) + struct.pack(
        "<2i8d", 1000, code, *box, 0.0, 0.0, 0.0, 0.0
    )


def _polygon_record(rings: Sequence[np.ndarray]) -> bytes:
    """Return the content of a Shapefile polygon record (type 5) of ``rings``."""
    points = np.concatenate(rings)
    box = (*points.min(axis=0), *points.max(axis=0))
    starts = np.cumsum([0, *(len(r) for r in rings[:-1])]).astype("<i4")
    return (
        struct.pack("<i4d2i", 5, box[0], box[1], box[2], box[3], len(rings), len(points))
        + starts.tobytes()
        + points.astype("<f8").tobytes()
    )


def _write_shapefile_zip(
    path: Path, records: Sequence[bytes], names: Sequence[str], *, lengths: Sequence[int] = ()
) -> None:
    """Write a zip of ``area.shp/.shx/.dbf/.prj`` holding polygon ``records``.

    ``lengths`` overrides the content length (in 16-bit words) written in the ``.shp``
    record headers (a broken file); the ``.shx`` always has the true lengths.
    """
    shp_body = bytearray()
    shx_body = bytearray()
    offset = 50  # words: after the 100-byte header
    for n, content in enumerate(records, start=1):
        words = len(content) // 2
        said = lengths[n - 1] if lengths else words
        shp_body += struct.pack(">2i", n, said) + content
        shx_body += struct.pack(">2i", offset, words)
        offset += 4 + words
    box = (69.0, 39.0, 73.0, 41.0)
    shp = _shp_header(5, 50 + len(shp_body) // 2, box) + bytes(shp_body)
    shx = _shp_header(5, 50 + len(shx_body) // 2, box) + bytes(shx_body)
    prj = (
        'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,'
        '298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("area.shp", shp)
        archive.writestr("area.shx", shx)
        archive.writestr("area.dbf", _dbf(names))
        archive.writestr("area.prj", prj)
        archive.writestr("area.cpg", "UTF-8")


def _square(x: float, y: float, side: float) -> np.ndarray:
    """Return a clockwise closed square ring (a Shapefile's outer ring)."""
    return np.array(
        [(x, y), (x, y + side), (x + side, y + side), (x + side, y), (x, y)], dtype="<f8"
    )


# --------------------------------------------------------------------------- hostile cases


def csv_million_columns(path: Path, scale: float = 1.0) -> Inputs:
    """A flows CSV with 1,000,000 columns (a wide table gone wrong) and two data rows."""
    columns = _size(1_000_000, scale, 10)
    header = "origin,destination," + ",".join(f"c{i}" for i in range(columns - 2)) + "\n"
    row = ",".join(["1"] * (columns - 2))
    rows = [f"{a},{b},{row}\n" for a, b in (("Bishkek", "Moscow"), ("Osh", "Almaty"))]
    _write_lines(path, [header, *rows])
    return {"flows": path}


def xlsx_sheet_900mb(path: Path, scale: float = 1.0) -> Inputs:
    """A workbook whose one sheet's XML unpacks to 900 MB (a few MB packed): the same
    rows of a long table over and over."""
    size = _size(900_000_000, scale, 10_000)
    block = "".join(
        _xml_row([a, b, 2000 + n % 24, 10 + n])
        for n, (a, b) in enumerate(zip(_CITIES, _CITIES[1:] + _CITIES[:1], strict=True))
    ).encode()
    header = _xml_row(["origin", "destination", "year", "count"]).encode()

    def write(stream: IO[bytes]) -> None:
        stream.write(_SHEET_HEAD.encode() + header)
        chunk = block * max(1, _CHUNK // len(block))
        written = 0
        while written < size:
            stream.write(chunk)
            written += len(chunk)
        stream.write(_SHEET_TAIL.encode())

    _write_xlsx(path, [write])
    return {"flows": path}


def xlsx_million_rows(path: Path, scale: float = 1.0) -> Inputs:
    """A workbook of 1,048,576 rows (Excel's most: a header and 1,048,575 flows between
    cities named in a shared-string table), with cell references as Excel writes them."""
    rows = _size(1_048_576, scale, 3)
    strings = [*_CITIES, "origin", "destination", "year", "count"]
    n_cities = len(_CITIES)
    rng = _rng()
    origins = rng.integers(0, n_cities, rows)
    steps = rng.integers(1, n_cities, rows)
    counts = rng.integers(1, 5000, rows)

    def write(stream: IO[bytes]) -> None:
        stream.write(_SHEET_HEAD.encode())
        head = "".join(f'<c r="{c}1" t="s"><v>{n_cities + i}</v></c>' for i, c in enumerate("ABCD"))
        parts = [f'<row r="1">{head}</row>']
        for r in range(2, rows + 1):
            o = int(origins[r - 1])
            d = (o + int(steps[r - 1])) % n_cities
            parts.append(
                f'<row r="{r}"><c r="A{r}" t="s"><v>{o}</v></c><c r="B{r}" t="s"><v>{d}</v></c>'
                f'<c r="C{r}"><v>{2000 + r % 24}</v></c><c r="D{r}"><v>{counts[r - 1]}</v></c>'
                "</row>"
            )
            if len(parts) >= 20_000:
                stream.write("".join(parts).encode())
                parts = []
        stream.write("".join(parts).encode() + _SHEET_TAIL.encode())

    _write_xlsx(path, [write], strings)
    return {"flows": path}


def _dataset_rows(rows: int) -> Iterator[tuple[str, str, str, str, str]]:
    """Yield ``rows`` distinct keys (origin, destination, period, sex, age) of the data
    set's schema: every pair of its places, sex and age group, over spans of years."""
    pairs = [(a, b) for a in _DATASET_PLACES for b in _DATASET_PLACES if a != b]
    n = 0
    for start in range(1900, 2100):
        for end in range(start, 2100):
            period = str(start) if start == end else f"{start}-{end}"
            for a, b in pairs:
                for sex in ("total", "male", "female"):
                    for age in ("all", "working"):
                        if n == rows:
                            return
                        yield a, b, period, sex, age
                        n += 1


def dataset_bad_rows(path: Path, scale: float = 1.0) -> Inputs:
    """1,900,000 rows in the data set's own schema (the columns of data/flows.csv), every
    hundredth one bad (an unknown place, a count that is not a number, an unknown sex)."""
    rows = _size(1_900_000, scale, 10)

    def lines() -> Iterator[str]:
        yield _DATASET_HEADER + "\n"
        for n, (a, b, period, sex, age) in enumerate(_dataset_rows(rows)):
            count = str(100 + n % 900)
            if n % 100 == 99:
                kind = (n // 100) % 3
                a = "XX-NOWHERE" if kind == 0 else a
                count = "12a" if kind == 1 else count
                sex = "both" if kind == 2 else sex
            yield f"{a},{b},{period},{sex},{age},{count},reported,P-EXT-2013,,,,\n"

    _write_lines(path, lines())
    return {"flows": path}


def dataset_duplicate_rows(path: Path, scale: float = 1.0) -> Inputs:
    """1,900,000 rows in the data set's own schema, each valid alone, every key twice."""
    rows = _size(1_900_000, scale, 10)
    half = rows // 2 + rows % 2

    def lines() -> Iterator[str]:
        yield _DATASET_HEADER + "\n"
        n = 0
        for _ in range(2):
            for a, b, period, sex, age in _dataset_rows(min(half, rows - n)):
                yield f"{a},{b},{period},{sex},{age},{100 + n % 900},reported,P-EXT-2013,,,,\n"
                n += 1

    _write_lines(path, lines())
    return {"flows": path}


def geojson_600k_parts(path: Path, scale: float = 1.0) -> Inputs:
    """A district file of one MultiPolygon of 600,000 small triangles (2.4 million
    positions, 42 MB: under the byte and vertex limits)."""
    _multipolygon_collection(path, "Batken", _size(600_000, scale, 2))
    return {"districts": path}


def shp_zip_700k_parts(path: Path, scale: float = 1.0) -> Inputs:
    """A zipped Shapefile of one polygon record of 700,000 squares (3.5 million points)."""
    parts = _size(700_000, scale, 2)
    columns = 1000
    i = np.arange(parts)
    x = 69.5 + (i % columns) * 0.002
    y = 39.6 + (i // columns) * 0.002
    side = 0.001
    ring = np.empty((parts, 5, 2), dtype="<f8")
    ring[:, [0, 1, 4], 0] = x[:, None]
    ring[:, [2, 3], 0] = (x + side)[:, None]
    ring[:, [0, 3, 4], 1] = y[:, None]
    ring[:, [1, 2], 1] = (y + side)[:, None]
    record = (
        struct.pack(
            "<i4d2i",
            5,
            float(x.min()),
            float(y.min()),
            float(x.max() + side),
            float(y.max() + side),
            parts,
            parts * 5,
        )
        + (np.arange(parts, dtype="<i4") * 5).tobytes()
        + ring.tobytes()
    )
    _write_shapefile_zip(path, [record], ["Batken"])
    return {"districts": path}


def fifo_flows(path: Path, scale: float = 1.0) -> Inputs:
    """A named pipe given as ``--flows``: whoever runs the case feeds it with
    :func:`feed_fifo` (a table that never ends)."""
    del scale
    os.mkfifo(path)
    return {"flows": path}


def feed_fifo(path: Path, stop: Callable[[], bool]) -> None:
    """Write a table that never ends into the named pipe ``path`` until ``stop()``.

    The pipe is opened without blocking, retried until a reader opens it (a reader that
    refuses the pipe without opening it leaves this waiting until ``stop()``).
    """
    import errno
    import time

    fd = -1
    while not stop():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as exc:
            if exc.errno != errno.ENXIO:
                return
            time.sleep(0.01)
    if fd < 0:
        return
    os.set_blocking(fd, False)
    data = b"origin,destination,year,count\n" + b"Bishkek,Moscow,2020,1\n" * 4096
    try:
        while not stop():
            try:
                os.write(fd, data)
            except BlockingIOError:
                time.sleep(0.005)
    except OSError:  # the reader closed the pipe
        pass
    finally:
        os.close(fd)


def csv_150mb_line(path: Path, scale: float = 1.0) -> Inputs:
    """A flows CSV whose one data line is 150 MB long: a note cell of 150 MB after a
    valid flow (accepted as one flow by the old reader, at 1.5 GB of memory)."""
    size = _size(150_000_000, scale, 100)

    def lines() -> Iterator[str]:
        yield "origin,destination,year,count,note\n"
        yield "Bishkek,Moscow,2020,120,"
        block = "x" * _CHUNK
        left = size
        while left > 0:
            yield block[: min(left, _CHUNK)]
            left -= _CHUNK
        yield "\n"

    _write_lines(path, lines())
    return {"flows": path}


def _matrix_lines(ids: Sequence[str], values: Callable[[int], Sequence[int]]) -> Iterator[str]:
    yield "from\\to," + ",".join(ids) + "\n"
    for n, place in enumerate(ids):
        yield place + "," + ",".join(map(str, values(n))) + "\n"


def matrix_1500(path: Path, scale: float = 1.0) -> Inputs:
    """A 1,500 × 1,500 origin-destination matrix (2.25 million cells, 60 % zeros) of
    places whose coordinates a places file gives."""
    n = _size(1500, scale, 3)
    ids = [f"P{i:04d}" for i in range(n)]
    rng = _rng()

    def row(i: int) -> Sequence[int]:
        values = rng.integers(1, 500, n) * (rng.random(n) > 0.6)
        values[i] = 0
        return [int(v) for v in values]

    _write_lines(path, _matrix_lines(ids, row))
    places = _beside(path, "places")
    _places_file(places, ids)
    return {"flows": path, "places": places}


def matrix_3000_gz(path: Path, scale: float = 1.0) -> Inputs:
    """A gzipped 3,000 × 3,000 matrix (9 million cells) whose cells are all 0."""
    n = _size(3000, scale, 3)
    ids = [f"P{i:04d}" for i in range(n)]
    zeros = [0] * n
    _write_lines(path, _matrix_lines(ids, lambda i: zeros), compress=True)
    return {"flows": path}


def geojson_4m_vertices(path: Path, scale: float = 1.0) -> Inputs:
    """A district of one polygon of 4,000,000 vertices (48 MB: each of 56 grid points
    on its outline repeated, as a vertex bomb writes them, under the byte limit)."""
    vertices = _size(4_000_000, scale, 60)
    corners = _rectangle(695, 396, 715, 404, 1)
    _streamed_polygon_collection(path, "Batken", _ring_polygon(_repeated_ring(vertices, corners)))
    return {"districts": path}


def _gpkg(path: Path, blobs: Sequence[bytes], names: Sequence[str]) -> None:
    """Write a GeoPackage of one feature table ``areas`` (``geom``, ``name``)."""
    with closing(sqlite3.connect(path)) as db:
        db.executescript(
            """
            PRAGMA application_id = 1196444487;
            CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY,
              organization TEXT, organization_coordsys_id INTEGER, definition TEXT,
              description TEXT);
            CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT,
              identifier TEXT, srs_id INTEGER);
            CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT,
              geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);
            CREATE TABLE areas (fid INTEGER PRIMARY KEY, geom BLOB, name TEXT);
            INSERT INTO gpkg_spatial_ref_sys VALUES
              ('WGS 84', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84"]', '');
            INSERT INTO gpkg_contents VALUES ('areas', 'features', 'areas', 4326);
            INSERT INTO gpkg_geometry_columns VALUES ('areas', 'geom', 'POLYGON', 4326, 0, 0);
            """
        )
        db.executemany(
            "INSERT INTO areas (geom, name) VALUES (?, ?)", zip(blobs, names, strict=True)
        )
        db.commit()


def gpkg_giant_blob(path: Path, scale: float = 1.0) -> Inputs:
    """A GeoPackage of one polygon whose geometry blob is 48 MB: a circle of 3,000,000
    distinct vertices (under the byte and vertex limits)."""
    vertices = _size(3_000_000, scale, 8)
    angle = np.linspace(0.0, 2 * math.pi, vertices, endpoint=False)
    ring = np.empty((vertices + 1, 2), dtype="<f8")
    ring[:-1, 0] = 70.5 + 0.6 * np.cos(angle)
    ring[:-1, 1] = 40.0 + 0.3 * np.sin(angle)
    ring[-1] = ring[0]
    wkb = struct.pack("<BIII", 1, 3, 1, vertices + 1) + ring.tobytes()
    blob = b"GP\x00\x01" + struct.pack("<i", 4326) + wkb
    _gpkg(path, [blob], ["Batken"])
    return {"districts": path}


MAX_CELL = 999_999_999_999
"""The largest count a table's cell may hold (:data:`flowmap.batken.data.MAX_COUNT` less one)."""


def wide_sum_overflow(path: Path, scale: float = 1.0) -> Inputs:
    """A wide table (a column per year, 1900-2099) of one pair of places in 46,118 rows,
    every cell the largest count a cell may hold: 9.3 million cells (within the cell
    limit) whose sum exceeds 64-bit integers (only at scale 1)."""
    years = list(range(1900, 2100))
    rows = _size(2**63 // (MAX_CELL * len(years)) + 1, scale, 2)
    cells = ",".join([str(MAX_CELL)] * len(years))
    _write_lines(
        path,
        [
            "origin,destination," + ",".join(map(str, years)) + "\n",
            *(f"Bishkek,Moscow,{cells}\n" for _ in range(rows)),
        ],
    )
    return {"flows": path}


def places_swapped(path: Path, scale: float = 1.0) -> Inputs:
    """A places file (``id,name,lat,lon``) of places in Kyrgyzstan with latitude and
    longitude swapped in every row (Bishkek at 74.59, 42.87), and a flows table of them."""
    n = _size(200, scale, 5)
    ids = [f"P{i:03d}" for i in range(n)]
    _places_file(path, ids, swapped=True)
    flows = _beside(path, "flows")
    _write_lines(
        flows,
        [
            "origin,destination,year,count\n",
            *(f"{ids[i]},{ids[(i + 1) % n]},2020,{10 + i}\n" for i in range(n)),
        ],
    )
    return {"places": path, "flows": flows}


def mixed_encodings(path: Path, scale: float = 1.0) -> Inputs:
    """A long table whose first lines are UTF-8 and the rest CP1251 (a file pasted
    together from two exports): the same Cyrillic names in two encodings."""
    rows = _size(2000, scale, 4)
    with path.open("wb") as out:
        out.write(b"origin,destination,year,count\n")
        for n in range(rows):
            encoding = "utf-8" if n < rows // 2 else "cp1251"
            line = f"Ош,Москва,{2000 + n % 24},{10 + n}\n"
            out.write(line.encode(encoding))
    return {"flows": path}


def shp_broken_record_length(path: Path, scale: float = 1.0) -> Inputs:
    """A zipped Shapefile of three districts whose second record's header says a
    content length 40 words longer than the record is."""
    del scale
    records = [_polygon_record([_square(69.5 + i * 0.5, 39.7, 0.4)]) for i in range(3)]
    lengths = [len(r) // 2 for r in records]
    lengths[1] += 40
    _write_shapefile_zip(path, records, ["Leilek", "Batken", "Kadamjay"], lengths=lengths)
    return {"districts": path}


# --------------------------------------------------------------------------- just over a limit


def _one_over(kind: str, sizes: dict[str, int], budget: Budget) -> None:
    """Check that a table's ``sizes`` exceed the ``budget`` at ``kind`` only."""
    over = [k for k, v in sizes.items() if v > getattr(budget, k)]
    if over != [kind]:
        raise ValueError(f"a case over {kind!r} would exceed {over} of {budget}")


def over_bytes(path: Path, budget: Budget = CLI) -> Inputs:
    """A gzipped long table that unpacks to one byte more than ``budget.bytes``."""
    header = "origin,destination,year,count,note\n"
    rows = max(2, min(budget.rows, budget.cells // 5) // 2)
    body = budget.bytes + 1 - len(header)
    prefix = "Bishkek,Moscow,2020,10,"
    width, extra = divmod(body, rows)  # each line is `prefix + note + "\n"`
    note = width - len(prefix) - 1
    if note < 1 or width + 1 > budget.line:
        raise ValueError(f"no long table of {rows} rows unpacks to {budget.bytes + 1} bytes")
    _one_over(
        "bytes",
        {
            "bytes": budget.bytes + 1,
            "rows": rows,
            "columns": 5,
            "cells": 5 * rows,
            "line": width + 1,
        },
        budget,
    )

    def lines() -> Iterator[str]:
        yield header
        line = prefix + "n" * note + "\n"
        for n in range(rows):
            yield line if n >= extra else prefix + "n" * (note + 1) + "\n"

    _write_lines(path, lines(), compress=True)
    return {"flows": path}


def over_rows(path: Path, budget: Budget = CLI) -> Inputs:
    """A long table of ``budget.rows + 1`` data rows."""
    rows = budget.rows + 1
    _one_over(
        "rows",
        {"bytes": rows * 30, "rows": rows, "columns": 4, "cells": 4 * rows, "line": 30},
        budget,
    )
    cities = [(a, b) for a in _CITIES for b in _CITIES if a != b]

    def lines() -> Iterator[str]:
        yield "origin,destination,year,count\n"
        for n in range(rows):
            a, b = cities[n % len(cities)]
            yield f"{a},{b},{1900 + n % 120},{1 + n % 97}\n"

    _write_lines(path, lines())
    return {"flows": path}


def over_columns(path: Path, budget: Budget = CLI) -> Inputs:
    """A wide table of ``budget.columns + 1`` columns and two rows."""
    columns = budget.columns + 1
    header = "origin,destination," + ",".join(f"c{i}" for i in range(columns - 2)) + "\n"
    _one_over(
        "columns",
        {
            "bytes": 3 * len(header),
            "rows": 2,
            "columns": columns,
            "cells": 2 * columns,
            "line": len(header),
        },
        budget,
    )
    row = ",".join(["1"] * (columns - 2))
    _write_lines(path, [header, f"Bishkek,Moscow,{row}\n", f"Osh,Almaty,{row}\n"])
    return {"flows": path}


def over_cells(path: Path, budget: Budget = CLI) -> Inputs:
    """A wide table of just over ``budget.cells`` cells (rows times columns), within the
    row and column limits."""
    columns = 10
    while math.ceil((budget.cells + 1) / columns) > budget.rows and columns < budget.columns:
        columns += 10
    rows = math.ceil((budget.cells + 1) / columns)
    years = [str(2014 + i) for i in range(columns - 2)]
    _one_over(
        "cells",
        {
            "bytes": rows * columns * 4,
            "rows": rows,
            "columns": columns,
            "cells": rows * columns,
            "line": columns * 8,
        },
        budget,
    )
    cities = [(a, b) for a in _CITIES for b in _CITIES if a != b]

    def lines() -> Iterator[str]:
        yield "origin,destination," + ",".join(years) + "\n"
        values = ",".join(str(10 + i) for i in range(columns - 2))
        for n in range(rows):
            a, b = cities[n % len(cities)]
            yield f"{a} {n // len(cities)},{b},{values}\n"

    _write_lines(path, lines())
    return {"flows": path}


def over_line(path: Path, budget: Budget = CLI) -> Inputs:
    """A long table whose one data line is ``budget.line + 1`` characters: nine note
    columns, each cell well under the cell limit."""
    notes = 9
    prefix = "Bishkek,Moscow,2020,10,"
    body = budget.line + 1 - len(prefix) - (notes - 1)  # the commas between notes
    each, extra = divmod(body, notes)
    cells = [("n" * (each + 1 if i < extra else each)) for i in range(notes)]
    line = prefix + ",".join(cells)
    assert len(line) == budget.line + 1
    header = "origin,destination,year,count," + ",".join(f"note{i}" for i in range(notes))
    _one_over(
        "line",
        {
            "bytes": len(line) + len(header) + 2,
            "rows": 1,
            "columns": 4 + notes,
            "cells": 4 + notes,
            "line": len(line),
        },
        budget,
    )
    _write_lines(path, [header + "\n", line + "\n"])
    return {"flows": path}


_SMALL_TABLE: list[list[str | int]] = [
    ["origin", "destination", "year", "count"],
    ["Bishkek", "Moscow", 2020, 120],
    ["Osh", "Almaty", 2020, 45],
]


def over_sheet_xml(path: Path, budget: Budget = CLI) -> Inputs:
    """A workbook of a small table whose sheet XML is ``budget.sheet_xml + 1`` bytes
    (whitespace between its rows), the workbook within ``budget.workbook``."""
    if budget.sheet_xml + 10_000 > budget.workbook:
        raise ValueError("the workbook limit is below the sheet limit")
    _write_xlsx(path, [_padded_sheet(_SMALL_TABLE, budget.sheet_xml + 1)])
    return {"flows": path}


def over_workbook(path: Path, budget: Budget = CLI) -> Inputs:
    """A workbook whose members unpack to ``budget.workbook + 1`` bytes together, each
    sheet within ``budget.sheet_xml``: a small table and sheets of whitespace."""
    first = 2000
    count = 2
    while True:  # the other members grow with the number of sheets
        fixed = sum(len(v) for v in _xlsx_members(count).values())
        rest = budget.workbook + 1 - fixed - first
        needed = 1 + math.ceil(rest / budget.sheet_xml)
        if needed == count:
            break
        count = needed
    each, extra = divmod(rest, count - 1)
    sheets = [_padded_sheet(_SMALL_TABLE, first)] + [
        _padded_sheet([], each + (1 if n < extra else 0)) for n in range(count - 1)
    ]
    _write_xlsx(path, sheets)
    return {"flows": path}


def _xlsx_rows(rows: Iterable[Sequence[str | int]]) -> Callable[[IO[bytes]], None]:
    """Return a sheet writer of ``rows`` (streamed)."""

    def write(stream: IO[bytes]) -> None:
        stream.write(_SHEET_HEAD.encode())
        batch: list[str] = []
        for row in rows:
            batch.append(_xml_row(row))
            if len(batch) >= 10_000:
                stream.write("".join(batch).encode())
                batch = []
        stream.write("".join(batch).encode() + _SHEET_TAIL.encode())

    return write


def over_sheet_rows(path: Path, budget: Budget = CLI) -> Inputs:
    """A workbook whose sheet has ``budget.sheet_rows + 1`` data rows of a long table."""
    rows = int(getattr(budget, "sheet_rows")) + 1  # noqa: B009
    cities = [(a, b) for a in _CITIES for b in _CITIES if a != b]
    table: Iterator[Sequence[str | int]] = (
        ["origin", "destination", "year", "count"]
        if n < 0
        else [*cities[n % len(cities)], 1900 + n % 120, 1 + n % 97]
        for n in range(-1, rows)
    )
    _write_xlsx(path, [_xlsx_rows(table)])
    return {"flows": path}


def over_sheet_cells(path: Path, budget: Budget = CLI) -> Inputs:
    """A workbook whose sheet is a wide table of just over ``budget.sheet_cells`` cells
    (rows times columns), within its row limit."""
    columns = 10
    while math.ceil((int(getattr(budget, "sheet_cells")) + 1) / columns) > int(  # noqa: B009
        getattr(budget, "sheet_rows")  # noqa: B009
    ):
        columns += 10
    rows = math.ceil((int(getattr(budget, "sheet_cells")) + 1) / columns)  # noqa: B009
    years = [str(2014 + i) for i in range(columns - 2)]
    cities = [(a, b) for a in _CITIES for b in _CITIES if a != b]
    table: Iterator[Sequence[str | int]] = (
        ["origin", "destination", *years]
        if n < 0
        else [
            f"{cities[n % len(cities)][0]} {n // len(cities)}",
            cities[n % len(cities)][1],
            *range(10, 10 + columns - 2),
        ]
        for n in range(-1, rows)
    )
    _write_xlsx(path, [_xlsx_rows(table)])
    return {"flows": path}


def over_melt_cells(path: Path, budget: Budget = CLI) -> Inputs:
    """A square matrix of just over ``budget.melt_cells`` counts (within the cell and
    column limits): more flows than a map is made of."""
    n = math.isqrt(int(getattr(budget, "melt_cells"))) + 1  # noqa: B009
    ids = [f"P{i:04d}" for i in range(n)]
    _one_over(
        "melt_cells",
        {"rows": n, "columns": n + 1, "cells": n * (n + 1), "melt_cells": n * n},
        budget,
    )
    rng = _rng()
    _write_lines(path, _matrix_lines(ids, lambda i: [int(v) for v in rng.integers(0, 9, n)]))
    return {"flows": path}


def over_features(path: Path, limits: BoundaryLimits = DEFAULT_LIMITS) -> Inputs:
    """A GeoJSON of ``limits.max_features + 1`` small triangles, one feature each."""
    count = limits.max_features + 1
    _feature_collection(
        path, ((f"Area {n}", "Polygon", t[1:-1]) for n, t in enumerate(_triangles(count)))
    )
    return {"districts": path}


def over_vertices(path: Path, limits: BoundaryLimits = DEFAULT_LIMITS) -> Inputs:
    """A GeoJSON of one polygon of ``limits.max_vertices + 1`` positions (its corners
    repeated: 8 bytes a vertex, under the byte limit)."""
    corners = [("69", "39"), ("69", "41"), ("72", "41"), ("72", "39")]
    ring = _repeated_ring(limits.max_vertices + 1, corners)
    _streamed_polygon_collection(path, "Batken", _ring_polygon(ring))
    return {"districts": path}


def over_parts(path: Path, limits: BoundaryLimits = DEFAULT_LIMITS) -> Inputs:
    """A GeoJSON of one MultiPolygon of ``limits.max_parts + 1`` triangles."""
    _multipolygon_collection(path, "Batken", int(getattr(limits, "max_parts")) + 1)  # noqa: B009
    return {"districts": path}


def json_values(text: bytes) -> int:
    """Return the values of a JSON text as the GeoJSON reader estimates them before parsing
    (commas, ``[`` and ``{``, plus one)."""
    return text.count(b",") + text.count(b"[") + text.count(b"{") + 1


def over_json_values(path: Path, limits: BoundaryLimits = DEFAULT_LIMITS) -> Inputs:
    """A GeoJSON of one small triangle whose property ``v`` is a list of numbers, so that
    the file holds ``limits.max_json_values + 1`` values (within the vertex limit)."""

    def text(numbers: int) -> bytes:
        values = ",".join(["0"] * numbers)
        return (
            '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
            f'{{"name":"Batken","v":[{values}]}},"geometry":{{"type":"Polygon",'
            '"coordinates":[[[70,40],[70.5,40],[70,40.5],[70,40]]]}}]}\n'
        ).encode()

    base = json_values(text(1))  # every value but the list's numbers after the first
    path.write_bytes(text(limits.max_json_values + 1 - base + 1))
    return {"districts": path}


def over_blob_bytes(path: Path, limits: BoundaryLimits = DEFAULT_LIMITS) -> Inputs:
    """A GeoPackage of one polygon whose geometry blob is just over
    ``limits.max_blob_bytes`` (by less than one vertex): a ring of XYZM positions, 32
    bytes each, so it stays within the vertex limit."""
    head = 8 + 13  # GeoPackage header, then WKB byte order, type, rings, points
    vertices = math.ceil((int(getattr(limits, "max_blob_bytes")) + 1 - head) / 32)  # noqa: B009
    angle = np.linspace(0.0, 2 * math.pi, vertices - 1, endpoint=False)
    ring = np.zeros((vertices, 4), dtype="<f8")
    ring[:-1, 0] = 70.5 + 0.6 * np.cos(angle)
    ring[:-1, 1] = 40.0 + 0.3 * np.sin(angle)
    ring[-1] = ring[0]
    wkb = struct.pack("<BIII", 1, 3003, 1, vertices) + ring.tobytes()  # Polygon ZM
    _gpkg(path, [b"GP\x00\x01" + struct.pack("<i", 4326) + wkb], ["Batken"])
    return {"districts": path}


# --------------------------------------------------------------------------- normal tables


def _countries() -> list[str]:
    """Return the English names of the gazetteer's countries."""
    from flowmap.io.gazetteer import places

    table = places()
    return [str(n) for n in table.loc[table["kind"] == "country", "name"]]


def normal_world_matrix(path: Path, scale: float = 1.0) -> Inputs:
    """A world matrix of every country of the gazetteer (246 × 246, by English name),
    with a blank diagonal and most cells small."""
    names = _countries()
    names = names[: _size(len(names), scale, 5)]
    rng = _rng()
    n = len(names)

    def lines() -> Iterator[str]:
        yield "from\\to," + ",".join(_csv_cell(c) for c in names) + "\n"
        for i, name in enumerate(names):
            values = rng.integers(0, 3000, n) * (rng.random(n) > 0.5)
            cells = ["" if j == i else str(int(v)) for j, v in enumerate(values)]
            yield _csv_cell(name) + "," + ",".join(cells) + "\n"

    _write_lines(path, lines())
    return {"flows": path}


def _csv_cell(text: str) -> str:
    return f'"{text}"' if "," in text or '"' in text else text


def normal_national_long(path: Path, scale: float = 1.0) -> Inputs:
    """A national long table of 3,000 places (municipalities with a places file), each
    sending to ten others over ten years: 300,000 rows."""
    n = _size(3000, scale, 12)
    ids = [f"M{i:04d}" for i in range(n)]
    rng = _rng()
    others = rng.integers(1, n, (n, 10))
    counts = rng.integers(1, 400, (n, 10, 10))

    def lines() -> Iterator[str]:
        yield "origin,destination,year,count\n"
        for i in range(n):
            for k in range(10):
                j = (i + int(others[i, k])) % n
                for y in range(10):
                    yield f"{ids[i]},{ids[j]},{2014 + y},{counts[i, k, y]}\n"

    _write_lines(path, lines())
    places = _beside(path, "places")
    _places_file(places, ids)
    return {"flows": path, "places": places}


def normal_wide_30_years(path: Path, scale: float = 1.0) -> Inputs:
    """A wide table of emigration, 1994-2023 (a column per year), from five Central
    Asian countries to sixty others."""
    origins = ["Kyrgyzstan", "Kazakhstan", "Tajikistan", "Uzbekistan", "Turkmenistan"]
    dests = [c for c in _countries() if c not in origins][: _size(60, scale, 3)]
    years = list(range(1994, 2024))
    rng = _rng()

    def lines() -> Iterator[str]:
        yield "origin,destination," + ",".join(map(str, years)) + "\n"
        for a in origins:
            for b in dests:
                values = rng.integers(0, 20_000, len(years))
                yield f"{a},{_csv_cell(b)}," + ",".join(map(str, values)) + "\n"

    _write_lines(path, lines())
    return {"flows": path}


def normal_xlsx_cyrillic(path: Path, scale: float = 1.0) -> Inputs:
    """A workbook (written by openpyxl) of flows between cities named in Russian, with a
    Russian header row, 2015-2023."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Миграция"
    sheet.append(["Откуда", "Куда", "Год", "Число"])
    rng = _rng()
    pairs = [(a, b) for a in _CYRILLIC for b in _CYRILLIC if a != b]
    pairs = pairs[: _size(len(pairs), scale, 4)]
    for year in range(2015, 2024):
        for a, b in pairs:
            sheet.append([a, b, year, int(rng.integers(5, 3000))])
    book.save(path)
    return {"flows": path}


# --------------------------------------------------------------------------- the list


@dataclass(frozen=True)
class Case:
    """One input and how it must end.

    Parameters
    ----------
    name
        The case's name (``--only NAME`` of ``scripts/stress.py``).
    make
        Writes the files at a path and a scale (cases over a limit ignore the scale and
        exceed the command line's limits).
    suffix
        The main file's name ending.
    ends
        The endings that are right: ``accepted``, ``refused`` or both.
    says
        Text the output must contain, if any (the warning about swapped coordinates).
    options
        Options of ``flowmap export`` the stress run adds (see the attribute).
    limit
        The limit a refusal must name (a field of :class:`~flowmap.core.budget.Budget` or
        :class:`~flowmap.io.geoio.BoundaryLimits`), so that a refusal for another reason
        fails; see :func:`names`.
    what
        One line on what the case is.
    """

    name: str
    make: Callable[[Path, float], Inputs]
    suffix: str
    ends: frozenset[str]
    says: str = ""
    limit: str = ""
    what: str = field(default="", compare=False)
    options: tuple[str, ...] = ()
    """Command-line options the case is run with (the span a wide table is summed over)."""

    def expected_text(self, budget: Budget = CLI, limits: BoundaryLimits = DEFAULT_LIMITS) -> str:
        """Return the text the output must contain: :attr:`says`, or how a refusal names
        :attr:`limit` of ``budget`` or ``limits``."""
        if self.says or not self.limit:
            return self.says
        return names(self.limit, limits if self.limit.startswith("max_") else budget)


def _case(
    make: Callable[[Path, float], Inputs],
    suffix: str,
    ends: str,
    says: str = "",
    limit: str = "",
) -> Case:
    doc = " ".join((make.__doc__ or "").strip().split("\n\n")[0].split())
    return Case(make.__name__, make, suffix, frozenset(ends.split("|")), says, limit, doc)


def _at_cli(
    make: Callable[[Path, Budget], Inputs],
) -> Callable[[Path, float], Inputs]:
    def run(path: Path, scale: float = 1.0) -> Inputs:
        del scale
        return make(path, CLI)

    run.__name__ = make.__name__ + "_cli"
    run.__doc__ = make.__doc__
    return run


def _at_geo(
    make: Callable[[Path, BoundaryLimits], Inputs],
) -> Callable[[Path, float], Inputs]:
    def run(path: Path, scale: float = 1.0) -> Inputs:
        del scale
        return make(path, DEFAULT_LIMITS)

    run.__name__ = make.__name__ + "_geo"
    run.__doc__ = make.__doc__
    return run


def names(limit: str, budget: Budget | BoundaryLimits = CLI) -> str:
    """Return how a refusal names a limit of ``budget``: ``2,000,000`` (rows), ``200`` (MB,
    written ``200 MB`` or ``200.0 MB``)."""
    value = int(getattr(budget, limit))
    return f"{value // _CHUNK:,}" if limit in BYTE_LIMITS else f"{value:,}"


BYTE_LIMITS = ("bytes", "sheet_xml", "workbook", "max_bytes", "max_blob_bytes")
"""The limits in bytes, named in megabytes."""


BOTH = "accepted|refused"
HOSTILE = (
    _case(csv_million_columns, ".csv", "refused", limit="columns"),
    _case(xlsx_sheet_900mb, ".xlsx", "refused", limit="sheet_xml"),
    _case(xlsx_million_rows, ".xlsx", BOTH),
    _case(dataset_bad_rows, ".csv", "refused"),
    _case(dataset_duplicate_rows, ".csv", "refused"),
    _case(geojson_600k_parts, ".geojson", BOTH),
    _case(shp_zip_700k_parts, ".zip", BOTH),
    _case(fifo_flows, ".csv", "refused"),
    _case(csv_150mb_line, ".csv", "refused", limit="line"),
    _case(matrix_1500, ".csv", BOTH),
    _case(matrix_3000_gz, ".csv.gz", BOTH),
    _case(geojson_4m_vertices, ".geojson", BOTH),
    _case(gpkg_giant_blob, ".gpkg", BOTH),
    replace(_case(wide_sum_overflow, ".csv", BOTH), options=("--period", "1900-2099")),
    _case(places_swapped, ".csv", "accepted", says="swapped"),
    _case(mixed_encodings, ".csv", "refused", says="utf-8"),
    _case(shp_broken_record_length, ".zip", "refused"),
)
"""The inputs of issue 17's hostile-input run that hung, took gigabytes or gave wrong data."""

LIMITS = (
    _case(_at_cli(over_bytes), ".csv.gz", "refused", limit="bytes"),
    _case(_at_cli(over_rows), ".csv", "refused", limit="rows"),
    _case(_at_cli(over_columns), ".csv", "refused", limit="columns"),
    _case(_at_cli(over_cells), ".csv", "refused", limit="cells"),
    _case(_at_cli(over_line), ".csv", "refused", limit="line"),
    _case(_at_cli(over_sheet_xml), ".xlsx", "refused", limit="sheet_xml"),
    _case(_at_cli(over_workbook), ".xlsx", "refused", limit="workbook"),
    *(
        _case(_at_cli(make), suffix, "refused", limit=name)
        for name, make, suffix in (
            ("sheet_rows", over_sheet_rows, ".xlsx"),
            ("sheet_cells", over_sheet_cells, ".xlsx"),
            ("melt_cells", over_melt_cells, ".csv"),
        )
        if hasattr(CLI, name)
    ),
    _case(_at_geo(over_features), ".geojson", "refused", limit="max_features"),
    _case(_at_geo(over_vertices), ".geojson", "refused", limit="max_vertices"),
    *(
        _case(_at_geo(make), suffix, "refused", limit=f"max_{name}")
        for name, make, suffix in (
            ("parts", over_parts, ".geojson"),
            ("json_values", over_json_values, ".geojson"),
            ("blob_bytes", over_blob_bytes, ".gpkg"),
        )
        if hasattr(DEFAULT_LIMITS, f"max_{name}")
    ),
)
"""One case just over each limit of :data:`flowmap.core.budget.CLI` and
:data:`flowmap.io.geoio.DEFAULT_LIMITS` (features, vertices, parts, JSON values, GeoPackage
geometry bytes)."""

NORMAL = (
    _case(normal_world_matrix, ".csv", "accepted"),
    _case(normal_national_long, ".csv", "accepted"),
    _case(normal_wide_30_years, ".csv", "accepted"),
    _case(normal_xlsx_cyrillic, ".xlsx", "accepted"),
)
"""Realistic tables that must be read and mapped."""

CASES = (*HOSTILE, *LIMITS, *NORMAL)
"""Every case, hostile first."""
