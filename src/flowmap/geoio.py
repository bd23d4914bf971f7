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

from flowmap._geobase import (
    ACCEPTED,
    BoundaryFileError,
    BoundaryLimits,
    RawLayer,
    human,
    shown,
)
from flowmap._geojson import read_json
from flowmap._geoprep import check_axes, repair, simplify, to_lonlat
from flowmap._gpkg import MAGIC as SQLITE_MAGIC
from flowmap._gpkg import read_gpkg
from flowmap._polygons import PolygonBuilder, numbers
from flowmap._shpzip import PARTS, SHP_MAGIC, ZIP_MAGICS, read_shapefile, read_zip

__all__ = [
    "ACCEPTED",
    "DEFAULT_LIMITS",
    "Boundaries",
    "BoundaryFileError",
    "BoundaryLimits",
    "read_boundaries",
    "read_boundary_file",
]

DEFAULT_LIMITS = BoundaryLimits()
_SIGNATURES = (
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (SHP_MAGIC, "a bare Shapefile .shp (zip it together with its .shx, .dbf and .prj)"),
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
    """

    frame: gpd.GeoDataFrame
    notes: tuple[str, ...]


def _describe(data: bytes) -> str:
    """Return what refused content looks like, for the error message."""
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            return what
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"\x00" not in head:
        text = head.decode("utf-8", "replace")
        low = text[:512].lower()
        if text.startswith("<"):
            for marker, what in (
                ("ogrvrtdatasource", "a GDAL virtual dataset (VRT, XML), which is never opened"),
                ("<kml", "KML (XML)"),
                ("<gpx", "GPX (XML)"),
                ("<html", "an HTML page"),
                ("<!doctype html", "an HTML page"),
                ("<svg", "an SVG image"),
            ):
                if marker in low:
                    return what
            return "XML"
        first = text.splitlines()[0] if text else ""
        if low.startswith(("polygon", "multipolygon", "srid=")):
            return "WKT text"
        if any(sep in first for sep in ",;\t"):
            return f"comma-separated text (CSV) with the header {shown(first, 60)!r}"
        return f"plain text starting {shown(first, 40)!r}"
    return "binary data (it starts with bytes " + " ".join(f"{b:02x}" for b in data[:8]) + ")"


def _layer(data: bytes, limits: BoundaryLimits) -> RawLayer:
    if len(data) > limits.max_bytes:
        raise BoundaryFileError(
            f"is {len(data) / 2**20:,.1f} MB, larger than the limit of "
            f"{limits.max_bytes / 2**20:,.0f} MB"
        )
    if not data.strip(b"\xef\xbb\xbf \t\r\n\x00"):
        raise BoundaryFileError(f"is empty; {ACCEPTED}")
    if data.startswith(SQLITE_MAGIC):
        return read_gpkg(data, limits)
    if data[:4] in ZIP_MAGICS:
        return read_zip(data, limits)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return read_json(data, limits)
    raise BoundaryFileError(
        f"cannot be read as a boundary file: its content looks like {_describe(data)}; {ACCEPTED}"
    )


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


def _frame(layer: RawLayer, limits: BoundaryLimits) -> Boundaries:
    if not layer.features:
        raise BoundaryFileError("has no features")
    notes = [f"format: {layer.kind}, {human(len(layer.features))} feature(s)", *layer.notes]
    builder = PolygonBuilder(limits)
    kept = [(f, g) for f in layer.features if (g := builder.build(f)) is not None]
    if not kept:
        kinds = ", ".join(sorted(builder.skipped)) or "none"
        raise BoundaryFileError(f"has no polygon geometry (found: {kinds})")
    if builder.closed:
        notes.append(f"closed the unclosed rings of feature(s) {numbers(builder.closed)}")
    skipped = sum(builder.skipped.values())
    if skipped:
        kinds = ", ".join(f"{k}: {n}" for k, n in sorted(builder.skipped.items()))
        notes.append(f"skipped {skipped} feature(s) that are not polygons ({kinds})")
    numbers_ = [f.number for f, _ in kept]
    geoms = np.array([g for _, g in kept], dtype=object)
    notes.append(to_lonlat(layer, geoms, numbers_))
    repaired, emptied = repair(geoms, numbers_)
    if repaired:
        notes.append(f"repaired invalid polygons with make_valid: feature(s) {numbers(repaired)}")
    if emptied:
        notes.append(f"skipped polygons with no area: feature(s) {numbers(emptied)}")
    keep = [i for i, g in enumerate(geoms) if g is not None]
    if not keep:
        raise BoundaryFileError("has no polygon with an area")
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
                        f"has more than {human(limits.max_fields)} attributes (the limit)"
                    )
                columns[name] = []
    for f, _ in kept:
        props: Mapping[str, Any] = {
            ("geometry_property" if str(k) == "geometry" else str(k)): v
            for k, v in f.properties.items()
        }
        for name, values in columns.items():
            values.append(_text(props.get(name)))
    frame = gpd.GeoDataFrame(
        columns,
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
        raise BoundaryFileError(exc.detail, name) from None
    except (RecursionError, MemoryError):
        raise BoundaryFileError("is too large or too deeply nested to read", name) from None


def _read_regular(path: Path, limit: int, name: str) -> bytes:
    """Return the bytes of ``path`` if it is a regular file of at most ``limit`` bytes."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise BoundaryFileError("not found", name) from None
    except IsADirectoryError:
        raise BoundaryFileError("is a folder, not a file", name) from None
    except OSError as exc:
        raise BoundaryFileError(f"cannot be opened ({shown(exc.strerror)})", name) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise BoundaryFileError("is a folder, not a file", name)
        if not stat.S_ISREG(info.st_mode):
            raise BoundaryFileError("is not a regular file (a pipe, device or socket)", name)
        if info.st_size > limit:
            raise BoundaryFileError(
                f"is {info.st_size / 2**20:,.1f} MB, larger than the limit of "
                f"{limit / 2**20:,.0f} MB",
                name,
            )
    except BaseException:
        os.close(fd)
        raise
    try:
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(info.st_size + 1)
    except OSError as exc:
        raise BoundaryFileError(f"cannot be read ({shown(exc.strerror)})", name) from None
    if len(data) > info.st_size:
        raise BoundaryFileError("changed while it was read", name)
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
            raise BoundaryFileError(exc.detail, shown_name) from None
    return read_boundaries(data, name=shown_name, limits=limits)
