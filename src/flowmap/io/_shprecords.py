"""The geometries of a Shapefile ``.shp``, checked record by record before any is read.

Every record header (its content length, shape type, number of rings and points) is
checked against the bytes that are there and against the ``.shx`` index, and the rings and
points are counted against :class:`~flowmap.io._geobase.BoundaryLimits`, before a single
coordinate is read. The coordinates are then taken as numpy arrays straight from the bytes,
and rings are grouped into polygons (clockwise outer rings, anticlockwise holes, each hole
in the smallest outer ring around it) with shapely's vectorised functions, so that a record
of many thousand rings costs milliseconds rather than the minutes of a pure-Python pass.
"""

from __future__ import annotations

import itertools
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from flowmap.io._geobase import BoundaryFileError, BoundaryLimits
from flowmap.text.i18n import Count, Message, msg

_HEADER = 100
# Shape type -> (the geometry kind, bytes before the part indexes, bytes per part index
# list entry, extra bytes per point after the XY pairs, fixed extra bytes after them).
_POLYGONS = {5: 0, 15: 1, 25: 0}  # Polygon, PolygonZ (Z values required), PolygonM
_LINES = {3: 0, 13: 1, 23: 0}
_MULTIPOINTS = {8: 0, 18: 1, 28: 0}
_POINTS = {1, 11, 21}
_MULTIPATCH = 31


@dataclass(frozen=True)
class ShapeRecord:
    """Where one record's shape is in the ``.shp``, as its header says (checked).

    Attributes
    ----------
    kind
        The shape type (0 for a null shape).
    start
        Offset of the shape's content (its shape type) in the ``.shp``.
    parts
        Number of rings (polygons), parts (lines, multipatches) or points (multipoints).
    points
        Number of points.
    """

    kind: int
    start: int
    parts: int
    points: int


def record_at(number: int) -> Message:
    """Return where a message about record ``number`` of the ``.shp`` points."""
    return msg("geo.at.record", number=number)


def _need(kind: int, parts: int, points: int) -> int:
    """Return the bytes a shape of ``kind`` with ``parts`` and ``points`` needs at least."""
    if kind in _POLYGONS or kind in _LINES:
        z = _POLYGONS.get(kind, _LINES.get(kind, 0))
        return 44 + 4 * parts + 16 * points + z * (16 + 8 * points)
    if kind in _MULTIPOINTS:
        return 40 + 16 * points + _MULTIPOINTS[kind] * (16 + 8 * points)
    if kind == _MULTIPATCH:
        return 44 + 8 * parts + 24 * points + 16
    return 20 if kind in _POINTS else 4


def check_records(shp: bytes, shx: bytes, limits: BoundaryLimits) -> list[ShapeRecord]:
    """Return the records of a ``.shp`` after checking every header; read no coordinate.

    Raises
    ------
    BoundaryFileError
        Naming the record: if a header says more bytes than are left, fewer than its
        rings and points need, an unknown shape type, rings out of order, a place or
        length other than the ``.shx`` index gives; or if the records together have more
        rings or points than ``limits`` allow, or not as many records as the ``.shx``.
    """
    declared = struct.unpack_from(">i", shp, 24)[0] * 2
    end = declared if _HEADER <= declared <= len(shp) else len(shp)
    count = max(0, (len(shx) - _HEADER) // 8)
    index = np.frombuffer(shx, dtype=">i4", count=2 * count, offset=_HEADER).reshape(-1, 2)
    records: list[ShapeRecord] = []
    pos, rings, vertices = _HEADER, 0, 0
    while pos < end:
        number = len(records) + 1
        where = record_at(number)
        left = end - pos - 8
        if left < 0:
            raise BoundaryFileError(
                msg("geo.shp.record_past_end", where=where, length=8, left=left + 8)
            )
        length = struct.unpack_from(">i", shp, pos + 4)[0] * 2
        if length > left:
            raise BoundaryFileError(
                msg("geo.shp.record_past_end", where=where, length=length, left=left)
            )
        if length < 4:
            raise BoundaryFileError(msg("geo.shp.record_tiny", where=where, length=length))
        if number <= count and (
            index[number - 1, 0] * 2 != pos or index[number - 1, 1] * 2 != length
        ):
            raise BoundaryFileError(
                msg(
                    "geo.shp.record_index",
                    where=where,
                    indexed=int(index[number - 1, 0]) * 2,
                    indexed_length=int(index[number - 1, 1]) * 2,
                    found=pos,
                    length=length,
                )
            )
        start = pos + 8
        kind = struct.unpack_from("<i", shp, start)[0]
        parts = points = 0
        if kind in _POLYGONS or kind in _LINES or kind == _MULTIPATCH:
            if length >= 44:
                parts, points = struct.unpack_from("<2i", shp, start + 36)
        elif kind in _MULTIPOINTS:
            if length >= 40:
                parts = points = struct.unpack_from("<i", shp, start + 36)[0]
        elif kind != 0 and kind not in _POINTS:
            raise BoundaryFileError(msg("geo.shp.record_type", where=where, kind=kind))
        need = _need(kind, parts, points)
        if parts < 0 or points < 0 or need > length:
            raise BoundaryFileError(
                msg(
                    "geo.shp.record_short",
                    where=where,
                    points=points,
                    parts=parts,
                    need=need,
                    length=length,
                )
            )
        vertices += points
        if kind in _POLYGONS or kind == _MULTIPATCH:
            rings += parts
        if rings > limits.max_parts:
            limit = limits.max_parts
            raise BoundaryFileError(
                msg("geo.part_limit_at", where=where, limit=Count(limit), n=limit)
            )
        if vertices > limits.max_vertices:
            limit = limits.max_vertices
            raise BoundaryFileError(
                msg("geo.vertex_limit_at", where=where, limit=Count(limit), n=limit)
            )
        records.append(ShapeRecord(kind, start, parts, points))
        pos = start + length
    if len(records) != count:
        raise BoundaryFileError(
            msg("geo.shp.record_count", found=Count(len(records)), shapes=Count(count))
        )
    return records


def _rings(shp: bytes, record: ShapeRecord, where: Message) -> list[np.ndarray[Any, Any]]:
    """Return the rings (or line parts) of a checked record as ``(n, 2)`` arrays."""
    starts = np.frombuffer(shp, dtype="<i4", count=record.parts, offset=record.start + 44)
    offset = record.start + 44 + 4 * record.parts * (2 if record.kind == _MULTIPATCH else 1)
    xy = np.frombuffer(shp, dtype="<f8", count=2 * record.points, offset=offset).reshape(-1, 2)
    bounds = np.append(starts, record.points)
    if starts.size and (starts[0] != 0 or (np.diff(bounds) < 0).any()):
        raise BoundaryFileError(msg("geo.shp.record_parts", where=where, points=record.points))
    return [xy[a:b] for a, b in itertools.pairwise(bounds.tolist())]


def _clockwise(rings: list[np.ndarray[Any, Any]]) -> np.ndarray[Any, Any]:
    """Return, for each ring, whether it runs clockwise (signed area below zero)."""
    lengths = np.array([len(r) for r in rings])
    if not lengths.size or not lengths.sum():
        return np.zeros(len(rings), dtype=bool)
    xy = np.concatenate(rings)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    following = np.arange(1, len(xy) + 1)
    following[ends[lengths > 0] - 1] = starts[lengths > 0]  # the last point joins the first
    cross = xy[:, 0] * xy[following, 1] - xy[following, 0] * xy[:, 1]
    total = np.concatenate([[0.0], np.cumsum(cross)])
    with np.errstate(invalid="ignore"):
        return np.asarray((total[ends] - total[starts]) < 0)


def _polygons_of(rings: list[np.ndarray[Any, Any]]) -> np.ndarray[Any, Any]:
    """Return one shapely polygon (without holes) per ring of at least 4 points."""
    lengths = [len(r) for r in rings]
    indices = np.repeat(np.arange(len(rings)), lengths)
    return np.asarray(
        shapely.polygons(shapely.linearrings(np.concatenate(rings), indices=indices)),
        dtype=object,
    )


def _polygons(rings: list[np.ndarray[Any, Any]]) -> list[list[np.ndarray[Any, Any]]]:
    """Group a Shapefile polygon's rings into polygons (outer ring first, then its holes).

    Clockwise rings are outer rings, anticlockwise ones holes; a hole goes to the smallest
    outer ring containing a point inside it, and a hole inside none is an outer ring of its
    own (as pyshp and GDAL read such files). Rings too short to be polygons are kept as
    outer rings, for the polygon checks to name them.
    """
    usable = [len(r) >= 4 and bool(np.isfinite(r).all()) for r in rings]
    clockwise = _clockwise(rings)
    outer = [i for i, r in enumerate(rings) if clockwise[i] or not usable[i]]
    is_outer = set(outer)
    holes = [i for i in range(len(rings)) if i not in is_outer]
    if not outer:
        return [[r] for r in rings]
    if len(outer) == 1:
        return [[rings[outer[0]], *(rings[i] for i in holes)]]
    groups: dict[int, list[int]] = {i: [] for i in outer}
    shells = [i for i in outer if usable[i]]
    if holes and shells:
        shell_polygons = _polygons_of([rings[i] for i in shells])
        areas = shapely.area(shell_polygons)
        inside = shapely.point_on_surface(_polygons_of([rings[i] for i in holes]))
        found, shell = shapely.STRtree(shell_polygons).query(inside, predicate="within")
        best: dict[int, int] = {}
        for h, k in zip(found.tolist(), shell.tolist(), strict=True):
            if h not in best or areas[k] < areas[best[h]]:
                best[h] = k
        for h, ring in enumerate(holes):
            if h in best:
                groups[shells[best[h]]].append(ring)
            else:
                groups[ring] = []
    else:
        groups.update({ring: [] for ring in holes})
    return [[rings[i], *(rings[j] for j in groups[i])] for i in sorted(groups)]


def shape_geometry(shp: bytes, record: ShapeRecord, where: Message) -> dict[str, Any] | None:
    """Return the GeoJSON-like geometry of a checked record (rings as numpy arrays).

    Shapes other than polygons get their kind only (they are skipped, never drawn).
    """
    if record.kind == 0:
        return None
    if record.kind in _POINTS:
        return {"type": "Point"}
    if record.kind in _MULTIPOINTS:
        return {"type": "MultiPoint"}
    if record.kind in _LINES:
        return {"type": "LineString" if record.parts == 1 else "MultiLineString"}
    if record.kind == _MULTIPATCH:
        return {"type": "MultiPatch"}
    polygons = _polygons(_rings(shp, record, where))
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}
