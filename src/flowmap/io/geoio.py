"""Read users' boundary files safely, without GDAL.

Accepted formats are recognised by their content, never by the file name's extension:

- GeoJSON and TopoJSON, parsed with :mod:`json` (a small TopoJSON decoder is included);
- GeoPackage, read with :mod:`sqlite3` from an in-memory copy (read-only, untrusted schema);
- a zipped Shapefile, checked member by member and read in memory with pyshp.

Anything else (GDAL VRT or other XML, CSV, KML, a bare ``.shp``, ...) is refused with a
message saying what the content looks like. Sizes are bounded by :class:`BoundaryLimits`,
coordinates are converted to longitude/latitude (EPSG:4326) with pyproj, projected files
without a CRS and latitude/longitude-swapped files are refused, invalid polygons are
repaired with :func:`shapely.make_valid`, and only polygons are kept. Every failure is a
:class:`BoundaryFileError` whose message names the file by the name the user gave.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from flowmap.core._escape import visible_text
from flowmap.io._files import Megabytes
from flowmap.io._geobase import BoundaryFileError, BoundaryLimits, RawLayer, named_error, shown
from flowmap.io._geojson import read_json
from flowmap.io._geoprep import check_axes, repair, simplify, to_lonlat
from flowmap.io._gpkg import MAGIC as SQLITE_MAGIC
from flowmap.io._gpkg import read_gpkg
from flowmap.io._polygons import PolygonBuilder, numbers, skipped_kinds
from flowmap.io._shpzip import PARTS, SHP_MAGIC, ZIP_MAGICS, read_shapefile, read_zip
from flowmap.text.i18n import Count, Message, msg

__all__ = [
    "ACCEPTED",
    "APP_LIMITS",
    "DEFAULT_LIMITS",
    "Boundaries",
    "BoundaryFileError",
    "BoundaryLimits",
    "read_boundaries",
    "read_boundary_file",
]

DEFAULT_LIMITS = BoundaryLimits()
"""The limits of the command line and the Python API."""
APP_LIMITS = BoundaryLimits(
    max_bytes=20 * 1024 * 1024,
    max_features=5_000,
    max_vertices=250_000,
    max_parts=3_000,
    max_json_values=1_000_000,
    max_blob_bytes=5 * 1024 * 1024,
    simplify_above=150_000,
    max_zip_bytes=60 * 1024 * 1024,
)
"""The smaller limits of uploads to the shared web app."""
#: The formats a boundary file may have, said in every message that refuses one.
ACCEPTED: Message = msg("geo.accepted")
# What refused content looks like: its first bytes, or a marker in XML -> message key.
_SIGNATURES = (
    (b"\x1f\x8b", "geo.looks.gzip"),
    (b"%PDF", "geo.looks.pdf"),
    (b"\x89PNG", "geo.looks.png"),
    (b"\xff\xd8\xff", "geo.looks.jpeg"),
    (b"7z\xbc\xaf", "geo.looks.7z"),
    (b"Rar!", "geo.looks.rar"),
    (b"\xd0\xcf\x11\xe0", "geo.looks.office"),
    (SHP_MAGIC, "geo.looks.shp"),
)
_MARKUP = (
    ("ogrvrtdatasource", "geo.looks.vrt"),
    ("<kml", "geo.looks.kml"),
    ("<gpx", "geo.looks.gpx"),
    ("<html", "geo.looks.html"),
    ("<!doctype html", "geo.looks.html"),
    ("<svg", "geo.looks.svg"),
)


@dataclass(frozen=True)
class Boundaries:
    """The polygons of a boundary file and what was found out while reading it.

    Attributes
    ----------
    frame
        One row per polygon feature, in EPSG:4326; every attribute column holds strings
        (``""`` for missing values) and ``geometry`` holds Polygons and MultiPolygons.
    notes
        Plain sentences: the format, the CRS, repairs, simplification, skipped features.
        Each is a :class:`~flowmap.text.i18n.Message` (English text that
        :func:`flowmap.text.i18n.localise` renders in another language).
    """

    frame: gpd.GeoDataFrame
    notes: tuple[str, ...]


def _describe(data: bytes) -> Message:
    """Return what refused content looks like, for the error message."""
    for magic, key in _SIGNATURES:
        if data.startswith(magic):
            return msg(key)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"\x00" not in head:
        text = head.decode("utf-8", "replace")
        low = text[:512].lower()
        if text.startswith("<"):
            for marker, key in _MARKUP:
                if marker in low:
                    return msg(key)
            return msg("geo.looks.xml")
        first = text.splitlines()[0] if text else ""
        if low.startswith(("polygon", "multipolygon", "srid=")):
            return msg("geo.looks.wkt")
        if any(sep in first for sep in ",;\t"):
            return msg("geo.looks.csv", header=repr(shown(first, 60)))
        return msg("geo.looks.text", start=repr(shown(first, 40)))
    return msg("geo.looks.binary", bytes=" ".join(f"{b:02x}" for b in data[:8]))


def _layer(data: bytes, limits: BoundaryLimits) -> RawLayer:
    if len(data) > limits.max_bytes:
        raise BoundaryFileError(_too_big(len(data), limits.max_bytes))
    if not data.strip(b"\xef\xbb\xbf \t\r\n\x00"):
        raise BoundaryFileError(msg("geo.empty", accepted=ACCEPTED))
    if data.startswith(SQLITE_MAGIC):
        return read_gpkg(data, limits)
    if data[:4] in ZIP_MAGICS:
        return read_zip(data, limits)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return read_json(data, limits)
    raise BoundaryFileError(msg("geo.unreadable", what=_describe(data), accepted=ACCEPTED))


def _too_big(size: int, limit: int) -> Message:
    """Return the message for a file of ``size`` bytes over the ``limit``."""
    return msg("geo.too_big", size=Megabytes(size), limit=Megabytes(limit, digits=0))


def _os_reason(exc: OSError) -> str:
    """Return why the system refused a file: a message for a known reason, else its text."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return msg("geo.os.permission")
    return shown(exc.strerror)


def _text(value: Any) -> str:
    """Return an attribute value as text: ``""`` for null, JSON for lists and objects."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return f"({len(value)} bytes of binary data)"
    if isinstance(value, list | dict):
        try:
            return json.dumps(value, ensure_ascii=False)
        except (ValueError, TypeError, RecursionError):
            return "(nested value)"
    return str(value)


def _visible(columns: Mapping[str, list[str]]) -> tuple[dict[str, list[str]], int]:
    """Return attribute columns with names and values through
    :func:`~flowmap.core._escape.visible_text`, and how many names and values changed."""
    out: dict[str, list[str]] = {}
    changed = 0
    for name, values in columns.items():
        shown, did = visible_text(name)
        changed += did
        if not visible_text(" ".join(values))[1]:  # one search for the whole column
            out[shown] = values
            continue
        cleaned = [visible_text(v) for v in values]
        changed += sum(1 for _, d in cleaned if d)
        out[shown] = [v for v, _ in cleaned]
    return out, changed


def _frame(layer: RawLayer, limits: BoundaryLimits) -> Boundaries:
    if not layer.features:
        raise BoundaryFileError(msg("geo.no_features"))
    total = len(layer.features)
    notes = [msg("geo.note.format", kind=layer.kind, count=Count(total), n=total), *layer.notes]
    builder = PolygonBuilder(limits)
    kept = [(f, g) for f in layer.features if (g := builder.build(f)) is not None]
    if not kept:
        kinds = skipped_kinds(builder.skipped, counts=False)
        raise BoundaryFileError(msg("geo.no_polygons", kinds=kinds))
    if builder.closed:
        notes.append(msg("geo.note.closed", numbers=numbers(builder.closed)))
    skipped = sum(builder.skipped.values())
    if skipped:
        kinds = skipped_kinds(builder.skipped, counts=True)
        notes.append(msg("geo.note.skipped", count=Count(skipped), n=skipped, kinds=kinds))
    numbers_ = [f.number for f, _ in kept]
    geoms = np.array([g for _, g in kept], dtype=object)
    notes.append(to_lonlat(layer, geoms, numbers_))
    repaired, emptied = repair(geoms, numbers_)
    if repaired:
        notes.append(msg("geo.note.repaired", numbers=numbers(repaired)))
    if emptied:
        notes.append(msg("geo.note.no_area", numbers=numbers(emptied)))
    keep = [i for i, g in enumerate(geoms) if g is not None]
    if not keep:
        raise BoundaryFileError(msg("geo.no_area"))
    geoms, numbers_ = geoms[keep], [numbers_[i] for i in keep]
    kept = [kept[i] for i in keep]
    check_axes(geoms, numbers_)
    if int(shapely.get_num_coordinates(geoms).sum()) > limits.simplify_above:
        simplified, note = simplify(geoms, limits.simplify_above)
        repair(simplified, numbers_)
        lost = [i for i, g in enumerate(simplified) if g is None]
        simplified[lost] = geoms[lost]  # a polygon simplified away is kept as it was
        geoms = simplified
        notes.append(note)
    columns: dict[str, list[str]] = {}
    for f, _ in kept:
        for key in f.properties:
            name = "geometry_property" if str(key) == "geometry" else str(key)
            if name not in columns:
                if len(columns) >= limits.max_fields:
                    raise BoundaryFileError(
                        msg(
                            "geo.too_many_fields",
                            limit=Count(limits.max_fields),
                            n=limits.max_fields,
                        )
                    )
                columns[name] = []
    for f, _ in kept:
        props: Mapping[str, Any] = {
            ("geometry_property" if str(k) == "geometry" else str(k)): v
            for k, v in f.properties.items()
        }
        for name, values in columns.items():
            values.append(_text(props.get(name)))
    shown, replaced = _visible(columns)
    if replaced:
        notes.append(msg("note.replaced"))
    frame = gpd.GeoDataFrame(
        shown,
        geometry=list(geoms),
        crs="EPSG:4326",
    )
    return Boundaries(frame=frame, notes=tuple(notes))


def read_boundaries(
    data: bytes, *, name: str, limits: BoundaryLimits = DEFAULT_LIMITS
) -> Boundaries:
    """Return the polygons of a boundary file given as bytes.

    Parameters
    ----------
    data
        The file's content.
    name
        The file's name as the user gave it; used in messages only (never opened).
    limits
        Sizes the file must stay within.

    Returns
    -------
    Boundaries
        The polygons in EPSG:4326 with their attributes as text, and notes on what was
        detected and done.

    Raises
    ------
    BoundaryFileError
        If the content is not an accepted format, is damaged, exceeds ``limits``, has no
        polygons, is projected without a CRS, or has latitude/longitude swapped.
    """
    try:
        return _frame(_layer(data, limits), limits)
    except BoundaryFileError as exc:
        raise named_error(exc.detail, name) from None
    except (RecursionError, MemoryError):
        raise named_error(msg("geo.too_deep"), name) from None


def _check_kind(info: os.stat_result, limit: int, name: str) -> None:
    """Refuse a folder, anything but a regular file (a pipe, a device) and a file over
    ``limit`` bytes, from its ``stat``."""
    if stat.S_ISDIR(info.st_mode):
        raise named_error(msg("geo.folder"), name)
    if not stat.S_ISREG(info.st_mode):
        raise named_error(msg("geo.not_regular"), name)
    if info.st_size > limit:
        raise named_error(_too_big(info.st_size, limit), name)


def _read_regular(path: Path, limit: int, name: str) -> bytes:
    """Return the bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    The kind of file is checked before it is opened (opening a device can have effects
    of its own) and again on the opened file (it may have been replaced in between).
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise named_error(msg("geo.not_found"), name) from None
    except OSError as exc:
        raise named_error(msg("geo.open_failed", reason=_os_reason(exc)), name) from None
    _check_kind(info, limit, name)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise named_error(msg("geo.not_found"), name) from None
    except IsADirectoryError:
        raise named_error(msg("geo.folder"), name) from None
    except OSError as exc:
        raise named_error(msg("geo.open_failed", reason=_os_reason(exc)), name) from None
    try:
        _check_kind(os.fstat(fd), limit, name)
    except BaseException:
        os.close(fd)
        raise
    try:
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(info.st_size + 1)
    except OSError as exc:
        raise named_error(msg("geo.read_failed", reason=_os_reason(exc)), name) from None
    if len(data) > info.st_size:
        raise named_error(msg("geo.changed"), name)
    return data


def _sidecars(path: Path, name: str, limits: BoundaryLimits) -> dict[str, bytes]:
    """Return the files next to a ``.shp`` (``.shx``, ``.dbf``, ``.prj``, ``.cpg``)."""
    parts: dict[str, bytes] = {}
    for ext in PARTS[1:]:
        for candidate in (path.with_suffix(ext), path.with_suffix(ext.upper())):
            if candidate.exists():
                parts[ext] = _read_regular(candidate, limits.max_bytes, name + f" ({ext})")
                break
    return parts


def read_boundary_file(
    path: str | Path, *, limits: BoundaryLimits = DEFAULT_LIMITS, name: str | None = None
) -> Boundaries:
    """Return the polygons of a boundary file on disk (see :func:`read_boundaries`).

    The file must be a regular file (not a folder, pipe or device) within the size limit;
    it is checked before it is read. A bare ``.shp`` is read together with the ``.shx``,
    ``.dbf``, ``.prj`` and ``.cpg`` files next to it.

    Parameters
    ----------
    path
        The file.
    limits
        Sizes the file must stay within.
    name
        The name to use in messages; by default the path as given.

    Raises
    ------
    BoundaryFileError
        If the file is missing, not a regular file, too large, or cannot be read (see
        :func:`read_boundaries`).
    """
    path = Path(path)
    shown_name = str(path) if name is None else name
    data = _read_regular(path, limits.max_bytes, shown_name)
    if data.startswith(SHP_MAGIC) and path.suffix.lower() == ".shp":
        parts = {".shp": data, **_sidecars(path, shown_name, limits)}
        try:
            return _frame(read_shapefile(parts, shown(path.name), limits), limits)
        except BoundaryFileError as exc:
            raise named_error(exc.detail, shown_name) from None
    return read_boundaries(data, name=shown_name, limits=limits)
