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
from collections.abc import Callable
from contextlib import closing
from functools import partial
from typing import Any

import shapely
from pyproj import CRS
from shapely.errors import ShapelyError

from flowmap.io._files import Megabytes
from flowmap.io._geobase import (
    GEOMETRY_TYPES,
    BoundaryFileError,
    BoundaryLimits,
    RawFeature,
    RawLayer,
    epsg_crs,
    shown,
)
from flowmap.io._polygons import feature_at, kind_name
from flowmap.text.i18n import Count, Message, msg

MAGIC = b"SQLite format 3\x00"
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_MAX_NESTING = 4
_STEPS_PER_CALL = 10_000
_MAX_CALLS = 50_000  # 5e8 virtual-machine steps
# What SQLite says is wrong with a database -> the key of the same reason in the catalogue.
_SQLITE_REASONS = {
    "file is not a database": "geo.sqlite.not_database",
    "database disk image is malformed": "geo.sqlite.malformed",
}
# Kinds of SQLite schema objects that are not tables -> the key of their name.
_SCHEMA_KINDS = {
    "view": "geo.sqlite.view",
    "index": "geo.sqlite.index",
    "trigger": "geo.sqlite.trigger",
}


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _column_at(number: int, column: str) -> Message:
    """Return where a message about a value of the table points: ``feature 3, column 'geom'``."""
    return msg("geo.at.column", where=feature_at(number), column=repr(shown(column)))


class _Budget:
    """Rings and points of the geometries read so far, checked against the limits."""

    def __init__(self, limits: BoundaryLimits, where: Callable[[], Message]) -> None:
        self.limits = limits
        self.where = where
        self.rings = 0
        self.points = 0

    def add(self, rings: int, points: int) -> None:
        self.rings += rings
        self.points += points
        if self.rings > self.limits.max_parts:
            limit = self.limits.max_parts
            raise BoundaryFileError(
                msg("geo.part_limit_at", where=self.where(), limit=Count(limit), n=limit)
            )
        if self.points > self.limits.max_vertices:
            limit = self.limits.max_vertices
            raise BoundaryFileError(
                msg("geo.vertex_limit_at", where=self.where(), limit=Count(limit), n=limit)
            )


def _count_wkb(wkb: bytes, budget: _Budget, pos: int = 0, level: int = 0) -> int:
    """Count the rings and points a WKB geometry at ``pos`` declares, parsing nothing.

    Returns the offset just after the geometry.

    Raises
    ------
    BoundaryFileError
        If a count needs more bytes than the geometry has, the structure is not WKB of
        the Simple Features types (nested at most ``_MAX_NESTING`` deep), or the rings or
        points pass the limits.
    """
    end = len(wkb)
    if pos + 5 > end or wkb[pos] > 1 or level > _MAX_NESTING:
        raise BoundaryFileError(msg("geo.gpkg.wkb", where=budget.where()))
    order = "<" if wkb[pos] == 1 else ">"
    code = struct.unpack_from(order + "I", wkb, pos + 1)[0]
    pos += 9 if code & 0x20000000 else 5  # an EWKB SRID follows the type
    dims = 2 + bool(code & 0x80000000) + bool(code & 0x40000000)
    kind, iso = (code & 0xFFFF) % 1000, (code & 0xFFFF) // 1000
    size = 8 * (dims + {1: 1, 2: 1, 3: 2}.get(iso, 0))
    if kind == 1:
        pos = _checked_end(pos + size, wkb, budget)
        budget.add(0, 1)
        return pos
    if kind not in range(2, 8):
        raise BoundaryFileError(msg("geo.gpkg.wkb", where=budget.where()))
    count = struct.unpack_from(order + "I", wkb, _checked_end(pos + 4, wkb, budget) - 4)[0]
    pos += 4
    if kind == 2:
        pos = _checked_end(pos + count * size, wkb, budget)
        budget.add(0, count)
        return pos
    if kind == 3:
        _checked_end(pos + 4 * count, wkb, budget)
        budget.add(count, 0)
        for _ in range(count):
            points = struct.unpack_from(order + "I", wkb, _checked_end(pos + 4, wkb, budget) - 4)
            pos = _checked_end(pos + 4 + points[0] * size, wkb, budget)
            budget.add(0, points[0])
        return pos
    _checked_end(pos + 5 * count, wkb, budget)
    for _ in range(count):
        pos = _count_wkb(wkb, budget, pos, level + 1)
    return pos


def _checked_end(pos: int, wkb: bytes, budget: _Budget) -> int:
    """Return ``pos`` if the WKB has that many bytes; raise naming the geometry if not."""
    if pos > len(wkb):
        raise BoundaryFileError(
            msg("geo.gpkg.wkb_short", where=budget.where(), size=Count(len(wkb)))
        )
    return pos


def _geometry(
    blob: Any, where: Callable[[], Message], limits: BoundaryLimits, budget: _Budget
) -> shapely.Geometry | None:
    """Return the geometry of a GeoPackage binary blob (header + WKB), None if empty.

    The blob's size and the rings and points its WKB declares are checked against
    ``limits`` before shapely parses it. ``where`` makes the place a message points to,
    only when one is needed.
    """
    if blob is None:
        return None
    if not isinstance(blob, bytes) or len(blob) < 8 or blob[:2] != b"GP":
        raise BoundaryFileError(msg("geo.gpkg.not_geometry", where=where()))
    if len(blob) > limits.max_blob_bytes:
        raise BoundaryFileError(
            msg(
                "geo.gpkg.blob_big",
                where=where(),
                size=Megabytes(len(blob)),
                limit=Megabytes(limits.max_blob_bytes, digits=0),
            )
        )
    flags = blob[3]
    if flags & 0b100000:
        raise BoundaryFileError(msg("geo.gpkg.extended", where=where()))
    envelope = (flags >> 1) & 0b111
    if envelope not in _ENVELOPE_BYTES:
        raise BoundaryFileError(msg("geo.gpkg.header", where=where()))
    if flags & 0b10000:
        return None
    wkb = blob[8 + _ENVELOPE_BYTES[envelope] :]
    budget.where = where
    _count_wkb(wkb, budget)
    try:
        return shapely.from_wkb(wkb)
    except (ShapelyError, ValueError, TypeError):
        raise BoundaryFileError(msg("geo.gpkg.wkb", where=where())) from None


def _mapping(geom: shapely.Geometry) -> dict[str, Any]:
    """Return a GeoJSON-like mapping of ``geom`` with its rings as ``(n, 2)`` arrays.

    Only polygons keep their coordinates (other kinds are skipped, never drawn); the
    arrays come from shapely in one call per polygon, not one Python tuple per point.
    """
    kind = geom.geom_type
    if kind == "Polygon":
        if geom.is_empty:
            return {"type": kind, "coordinates": []}
        rings = [geom.exterior, *geom.interiors]
        return {"type": kind, "coordinates": [shapely.get_coordinates(r) for r in rings]}
    if kind == "MultiPolygon":
        return {
            "type": kind,
            "coordinates": [_mapping(p)["coordinates"] for p in shapely.get_parts(geom)],
        }
    if kind == "GeometryCollection":
        return {"type": kind, "geometries": [_mapping(g) for g in shapely.get_parts(geom)]}
    return {"type": kind}


def _crs(conn: sqlite3.Connection, srs_id: Any, layer: str) -> tuple[CRS | None, str]:
    row = conn.execute(
        "SELECT organization, organization_coordsys_id, definition "
        "FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
        (srs_id,),
    ).fetchone()
    where = msg("geo.at.srs", layer=repr(shown(layer)), srs=shown(srs_id))
    if row is None:
        raise BoundaryFileError(msg("geo.gpkg.srs_missing", where=where))
    organization, code, definition = row
    if str(organization).upper() == "EPSG" and isinstance(code, int) and code > 0:
        return epsg_crs(code, where), f"EPSG:{code}"
    if srs_id in (0, -1) or str(definition).strip().lower() in {"", "undefined"}:
        return None, ""
    try:
        crs = CRS.from_wkt(str(definition)[:65536])
    except Exception:  # pyproj raises CRSError for text PROJ does not understand
        raise BoundaryFileError(msg("geo.gpkg.srs_bad", where=where)) from None
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
        raise BoundaryFileError(msg("geo.gpkg.not_gpkg"))
    layers = [
        str(r[0])
        for r in conn.execute(
            "SELECT table_name FROM gpkg_contents WHERE lower(data_type) = 'features' "
            "ORDER BY rowid LIMIT 1000"
        )
    ]
    if not layers:
        raise BoundaryFileError(msg("geo.gpkg.no_layer"))
    if len(layers) > 1:
        others = ", ".join(repr(shown(n, 40)) for n in layers[1:6])
        ignored = len(layers) - 1
        notes.append(
            msg(
                "geo.gpkg.note.layers",
                layer=repr(shown(layers[0])),
                count=Count(ignored),
                n=ignored,
                others=others,
            )
        )
    layer = layers[0]
    shown_layer = repr(shown(layer))
    kind = conn.execute("SELECT type FROM sqlite_master WHERE name = ?", (layer,)).fetchone()
    if kind is None:
        raise BoundaryFileError(msg("geo.gpkg.layer_missing", layer=shown_layer))
    if kind[0] != "table":
        key = _SCHEMA_KINDS.get(str(kind[0]))
        what = msg(key) if key else shown(str(kind[0]))
        raise BoundaryFileError(msg("geo.gpkg.layer_kind", layer=shown_layer, kind=what))
    row = conn.execute(
        "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)
    ).fetchone()
    if row is None:
        raise BoundaryFileError(msg("geo.gpkg.not_in_columns", layer=shown_layer))
    return layer, str(row[0]), row[1]


def _features(
    conn: sqlite3.Connection, layer: str, geom_col: str, limits: BoundaryLimits
) -> list[RawFeature]:
    columns = conn.execute(
        "SELECT name, upper(type), pk FROM pragma_table_info(?)", (layer,)
    ).fetchall()
    names = [str(c[0]) for c in columns]
    if geom_col not in names:
        raise BoundaryFileError(
            msg("geo.gpkg.no_column", layer=repr(shown(layer)), column=repr(shown(geom_col)))
        )
    fid = [str(c[0]) for c in columns if c[2] and c[1] == "INTEGER"]
    attrs = [n for n in names if n != geom_col and n not in fid[:1]]
    if len(attrs) > limits.max_fields:
        limit = limits.max_fields
        raise BoundaryFileError(msg("geo.too_many_fields", limit=Count(limit), n=limit))
    count = conn.execute(f"SELECT count(*) FROM {_quote(layer)}").fetchone()[0]  # noqa: S608
    if count > limits.max_features:
        raise BoundaryFileError(
            msg("geo.too_many_features", count=Count(count), limit=Count(limits.max_features))
        )
    select = ", ".join(_quote(n) for n in [geom_col, *attrs])
    features: list[RawFeature] = []
    budget = _Budget(limits, partial(_column_at, 0, geom_col))
    query = f"SELECT {select} FROM {_quote(layer)}"  # noqa: S608 (quoted identifiers)
    for number, row in enumerate(conn.execute(query), start=1):
        where = partial(_column_at, number, geom_col)
        geom = _geometry(row[0], where, limits, budget)
        geometry: dict[str, Any] | None = None
        if geom is not None:
            if geom.geom_type not in GEOMETRY_TYPES:
                kind = kind_name(geom.geom_type)
                raise BoundaryFileError(msg("geo.gpkg.geom_type", where=where(), kind=kind))
            geometry = _mapping(geom)
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
        key = "geo.gpkg.too_long" if calls > _MAX_CALLS else _SQLITE_REASONS.get(str(exc))
        reason = msg(key) if key else shown(str(exc))
        raise BoundaryFileError(msg("geo.gpkg.unreadable", reason=reason)) from None
    return RawLayer("GeoPackage", features, crs, crs_text, notes)
