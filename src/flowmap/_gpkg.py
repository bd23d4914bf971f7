"""GeoPackage files read with Python's ``sqlite3`` from bytes in memory (no GDAL, no disk).

The database is loaded with ``Connection.deserialize`` into a private in-memory
connection, with ``trusted_schema`` off (schema-defined views and triggers cannot call
functions with side effects), ``query_only`` on, and a progress handler that stops any
query running far longer than reading 20,000 rows needs. Only the tables named in
``gpkg_contents`` and ``gpkg_geometry_columns`` are read; identifiers are quoted.
"""

from __future__ import annotations

import sqlite3
import struct
from contextlib import closing
from typing import Any

import shapely
from pyproj import CRS
from shapely.errors import ShapelyError
from shapely.geometry import mapping

from flowmap._geobase import (
    GEOMETRY_TYPES,
    BoundaryFileError,
    BoundaryLimits,
    RawFeature,
    RawLayer,
    epsg_crs,
    human,
    shown,
)

MAGIC = b"SQLite format 3\x00"
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_STEPS_PER_CALL = 10_000
_MAX_CALLS = 50_000  # 5e8 virtual-machine steps


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _geometry(blob: Any, where: str) -> shapely.Geometry | None:
    """Return the geometry of a GeoPackage binary blob (header + WKB), None if empty."""
    if blob is None:
        return None
    if not isinstance(blob, bytes) or len(blob) < 8 or blob[:2] != b"GP":
        raise BoundaryFileError(f"{where}: the value is not a GeoPackage geometry")
    flags = blob[3]
    if flags & 0b100000:
        raise BoundaryFileError(f"{where}: extended (non-standard) geometry types are not read")
    envelope = (flags >> 1) & 0b111
    if envelope not in _ENVELOPE_BYTES:
        raise BoundaryFileError(f"{where}: the geometry header is damaged")
    if flags & 0b10000:
        return None
    try:
        return shapely.from_wkb(blob[8 + _ENVELOPE_BYTES[envelope] :])
    except (ShapelyError, ValueError, TypeError):
        raise BoundaryFileError(f"{where}: the geometry is not valid WKB") from None


def _crs(conn: sqlite3.Connection, srs_id: Any, layer: str) -> tuple[CRS | None, str]:
    row = conn.execute(
        "SELECT organization, organization_coordsys_id, definition "
        "FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
        (srs_id,),
    ).fetchone()
    where = f"layer {shown(layer)!r}, spatial reference {shown(srs_id)}"
    if row is None:
        raise BoundaryFileError(f"{where}: not listed in gpkg_spatial_ref_sys")
    organization, code, definition = row
    if str(organization).upper() == "EPSG" and isinstance(code, int) and code > 0:
        return epsg_crs(code, where), f"EPSG:{code}"
    if srs_id in (0, -1) or str(definition).strip().lower() in {"", "undefined"}:
        return None, ""
    try:
        crs = CRS.from_wkt(str(definition)[:65536])
    except Exception:  # pyproj raises CRSError for text PROJ does not understand
        raise BoundaryFileError(f"{where}: its definition is not a CRS PROJ understands") from None
    return crs, shown(crs.name)


def _layer(conn: sqlite3.Connection, notes: list[str]) -> tuple[str, str, Any]:
    """Return the first feature table, its geometry column and its srs_id."""
    tables = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
            "('gpkg_contents', 'gpkg_geometry_columns', 'gpkg_spatial_ref_sys')"
        )
    }
    if len(tables) < 3:
        raise BoundaryFileError(
            "cannot be read as a boundary file: it is an SQLite database, but not a "
            "GeoPackage (it lacks the gpkg_contents, gpkg_geometry_columns or "
            "gpkg_spatial_ref_sys table)"
        )
    layers = [
        str(r[0])
        for r in conn.execute(
            "SELECT table_name FROM gpkg_contents WHERE lower(data_type) = 'features' "
            "ORDER BY rowid LIMIT 1000"
        )
    ]
    if not layers:
        raise BoundaryFileError("the GeoPackage has no feature layer")
    if len(layers) > 1:
        others = ", ".join(repr(shown(n, 40)) for n in layers[1:6])
        notes.append(
            f"read layer {shown(layers[0])!r}; ignored {len(layers) - 1} other(s): {others}"
        )
    layer = layers[0]
    kind = conn.execute("SELECT type FROM sqlite_master WHERE name = ?", (layer,)).fetchone()
    if kind is None or kind[0] != "table":
        raise BoundaryFileError(
            f"layer {shown(layer)!r} is {'a ' + str(kind[0]) if kind else 'missing'}; "
            "only tables are read"
        )
    row = conn.execute(
        "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)
    ).fetchone()
    if row is None:
        raise BoundaryFileError(f"layer {shown(layer)!r} is not in gpkg_geometry_columns")
    return layer, str(row[0]), row[1]


def _features(
    conn: sqlite3.Connection, layer: str, geom_col: str, limits: BoundaryLimits
) -> list[RawFeature]:
    columns = conn.execute(
        "SELECT name, upper(type), pk FROM pragma_table_info(?)", (layer,)
    ).fetchall()
    names = [str(c[0]) for c in columns]
    if geom_col not in names:
        raise BoundaryFileError(f"layer {shown(layer)!r} has no column {shown(geom_col)!r}")
    fid = [str(c[0]) for c in columns if c[2] and c[1] == "INTEGER"]
    attrs = [n for n in names if n != geom_col and n not in fid[:1]]
    if len(attrs) > limits.max_fields:
        raise BoundaryFileError(f"has more than {human(limits.max_fields)} attributes (the limit)")
    count = conn.execute(f"SELECT count(*) FROM {_quote(layer)}").fetchone()[0]  # noqa: S608
    if count > limits.max_features:
        raise BoundaryFileError(
            f"has {human(count)} features, more than the limit of {human(limits.max_features)}"
        )
    select = ", ".join(_quote(n) for n in [geom_col, *attrs])
    features: list[RawFeature] = []
    vertices = 0
    query = f"SELECT {select} FROM {_quote(layer)}"  # noqa: S608 (quoted identifiers)
    for number, row in enumerate(conn.execute(query), start=1):
        where = f"feature {number}, column {shown(geom_col)!r}"
        geom = _geometry(row[0], where)
        geometry: dict[str, Any] | None = None
        if geom is not None:
            vertices += int(shapely.get_num_coordinates(geom))
            if vertices > limits.max_vertices:
                raise BoundaryFileError(
                    f"has more than {human(limits.max_vertices)} vertices (the limit)"
                )
            if geom.geom_type not in GEOMETRY_TYPES:
                raise BoundaryFileError(f"{where}: geometry type {geom.geom_type} is not read")
            geometry = dict(mapping(geom))
        features.append(RawFeature(number, dict(zip(attrs, row[1:], strict=True)), geometry))
    return features


def read_gpkg(data: bytes, limits: BoundaryLimits) -> RawLayer:
    """Return the features of the first feature layer of a GeoPackage.

    Raises
    ------
    BoundaryFileError
        If the database is damaged, is not a GeoPackage, or exceeds ``limits``.
    """
    image = data
    if data[18:20] == b"\x02\x02":  # write-ahead-log mode cannot be deserialised
        image = data[:18] + b"\x01\x01" + data[20:]
    calls = 0

    def progress() -> int:
        nonlocal calls
        calls += 1
        return int(calls > _MAX_CALLS)

    notes: list[str] = []
    try:
        with closing(sqlite3.connect(":memory:")) as conn:
            conn.deserialize(image)
            conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("PRAGMA query_only = ON")
            conn.set_progress_handler(progress, _STEPS_PER_CALL)
            layer, geom_col, srs_id = _layer(conn, notes)
            crs, crs_text = _crs(conn, srs_id, layer)
            features = _features(conn, layer, geom_col, limits)
    except (sqlite3.Error, struct.error, OverflowError, ValueError) as exc:
        if isinstance(exc, BoundaryFileError):
            raise
        reason = "it took too long to read" if calls > _MAX_CALLS else shown(str(exc))
        raise BoundaryFileError(
            f"cannot be read as a boundary file: it is an SQLite database that cannot be "
            f"read as a GeoPackage ({reason})"
        ) from None
    return RawLayer("GeoPackage", features, crs, crs_text, notes)
