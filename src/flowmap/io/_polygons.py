"""Checked GeoJSON-like geometries -> shapely polygons, naming the feature of every problem.

Also the words shared by the readers' messages: the names of geometry kinds, lists and
feature numbers, each a :class:`~flowmap.text.i18n.Message` so it can be shown in any language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from math import isfinite
from typing import Any

import numpy as np
import shapely
from shapely.errors import ShapelyError

from flowmap.io._geobase import BoundaryFileError, BoundaryLimits, RawFeature, shown
from flowmap.text.i18n import Count, Message, msg

POLYGONAL = frozenset({"Polygon", "MultiPolygon"})
OTHER_TYPES = frozenset({"Point", "MultiPoint", "LineString", "MultiLineString", "MultiPatch"})
_MAX_NESTING = 4
_SMALL_RING = 32
Ring = np.ndarray[Any, Any]  # (n, 2) float64, closed
#: Geometry kinds (and the two reasons a feature has none) -> the key of their name.
KIND_KEYS = {
    "Point": "geo.kind.point",
    "MultiPoint": "geo.kind.multipoint",
    "LineString": "geo.kind.linestring",
    "MultiLineString": "geo.kind.multilinestring",
    "Polygon": "geo.kind.polygon",
    "MultiPolygon": "geo.kind.multipolygon",
    "MultiPatch": "geo.kind.multipatch",
    "GeometryCollection": "geo.kind.collection",
    "no geometry": "geo.kind.no_geometry",
    "empty": "geo.kind.empty",
}


def kind_name(kind: str) -> str:
    """Return the name of a geometry kind as a message; an unknown kind (a file's own
    value) as it is."""
    key = KIND_KEYS.get(kind)
    return msg(key) if key else kind


def joined(items: Iterable[object], key: str = "geo.list") -> object:
    """Return ``items`` joined into one message: ``a, b, c`` (``key`` ``geo.list``) or
    ``a and b`` (``geo.and``), each item shown in the reader's language; the single item
    itself, or the message ``geo.none`` when there is none."""
    result: object = None
    for item in items:
        result = item if result is None else msg(key, head=result, tail=item)
    return msg("geo.none") if result is None else result


def skipped_kinds(skipped: Mapping[str, int], *, counts: bool) -> object:
    """Return the kinds in ``skipped`` (kind -> features), in order, as one message:
    ``Point, no geometry``, or with ``counts`` ``Point: 1, no geometry: 1``."""
    return joined(
        msg("geo.kind_count", kind=kind_name(kind), count=Count(n)) if counts else kind_name(kind)
        for kind, n in sorted(skipped.items())
    )


def feature_at(number: int) -> Message:
    """Return where a message points: ``feature 3``."""
    return msg("geo.at.feature", number=number)


def geometry_at(number: int) -> Message:
    """Return where a message about a feature's geometry points: ``feature 3, geometry``."""
    return msg("geo.at.geometry", where=feature_at(number))


def _distinct(ring: list[tuple[float, float]]) -> int:
    """Return the number of distinct points of ``ring``, counting no further than 3."""
    seen: list[tuple[float, float]] = []
    for point in ring:
        if point not in seen:
            seen.append(point)
            if len(seen) == 3:
                break
    return len(seen)


def _finite(value: Any) -> float | None:
    """Return ``value`` as a finite float, or None if it is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if isfinite(number) else None


class PolygonBuilder:
    """Turn raw features into shapely polygons, counting vertices and what was skipped.

    Attributes
    ----------
    skipped
        Geometry type (or ``"no geometry"``, ``"empty"``) -> number of features skipped.
    closed
        Numbers of the features whose rings were not closed (they are closed here).
    """

    def __init__(self, limits: BoundaryLimits) -> None:
        self.limits = limits
        self.vertices = 0
        self.parts = 0
        self.skipped: Counter[str] = Counter()
        self.closed: list[int] = []

    def _array_ring(self, ring: Ring, number: int) -> Ring:
        """Check a ring given as an ``(n, 2)`` array (Shapefile, GeoPackage), as :meth:`_ring`."""
        finite = np.isfinite(ring).all(axis=1)
        if not finite.all():
            bad = ring[int(np.argmin(finite))]
            where = geometry_at(number)
            raise BoundaryFileError(
                msg("geo.coordinate_pair", where=where, value=shown([float(v) for v in bad]))
            )
        if len(ring) and not np.array_equal(ring[0], ring[-1]):
            ring = np.vstack([ring, ring[:1]])
            if not self.closed or self.closed[-1] != number:
                self.closed.append(number)
        other = np.flatnonzero((ring != ring[0]).any(axis=1)) if len(ring) else ring[:0, 0]
        distinct = min(len(ring), 1) + min(len(other), 1)
        if len(other):
            second = ring[other[0]]
            distinct += int(((ring[other] != second).any(axis=1)).any())
        if distinct < 3:
            where = geometry_at(number)
            raise BoundaryFileError(
                msg("geo.ring.short", where=where, count=Count(distinct), n=distinct)
            )
        return np.ascontiguousarray(ring, dtype=np.float64)

    def _ring(self, value: Any, number: int) -> Ring:
        if isinstance(value, np.ndarray) and value.ndim == 2 and value.shape[1] == 2:
            if len(value) > _SMALL_RING:
                self._count(len(value), number)
                return self._array_ring(value, number)
            value = value.tolist()  # a few points: cheaper as a list than with numpy calls
        if not isinstance(value, list | tuple):
            raise BoundaryFileError(
                msg("geo.ring.not_list", where=geometry_at(number), value=shown(value))
            )
        self._count(len(value), number)
        ring: list[tuple[float, float]] = []
        append = ring.append
        for position in value:
            if type(position) is list and len(position) >= 2:  # the usual case, fast
                x, y = position[0], position[1]
                if type(x) is float and type(y) is float and isfinite(x) and isfinite(y):
                    append((x, y))
                    continue
            if not isinstance(position, list | tuple) or len(position) < 2:
                raise BoundaryFileError(
                    msg("geo.position", where=geometry_at(number), value=shown(position))
                )
            fx, fy = _finite(position[0]), _finite(position[1])
            if fx is None or fy is None:
                where = geometry_at(number)
                raise BoundaryFileError(
                    msg("geo.coordinate_pair", where=where, value=shown(list(position)))
                )
            append((fx, fy))
        if ring and ring[0] != ring[-1]:
            append(ring[0])
            if not self.closed or self.closed[-1] != number:
                self.closed.append(number)
        distinct = _distinct(ring)
        if distinct < 3:
            where = geometry_at(number)
            raise BoundaryFileError(
                msg("geo.ring.short", where=where, count=Count(distinct), n=distinct)
            )
        return np.array(ring, dtype=np.float64)

    def _count(self, vertices: int, number: int) -> None:
        """Add a ring of ``vertices`` of feature ``number``; raise past a limit."""
        self.parts += 1
        self.vertices += vertices
        if self.parts > self.limits.max_parts:
            limit = self.limits.max_parts
            raise BoundaryFileError(
                msg("geo.part_limit_at", where=geometry_at(number), limit=Count(limit), n=limit)
            )
        if self.vertices > self.limits.max_vertices:
            limit = self.limits.max_vertices
            raise BoundaryFileError(
                msg("geo.vertex_limit_at", where=geometry_at(number), limit=Count(limit), n=limit)
            )

    def _polygon(self, value: Any, number: int) -> list[Ring]:
        if not isinstance(value, list | tuple):
            raise BoundaryFileError(
                msg("geo.polygon.not_list", where=geometry_at(number), value=shown(value))
            )
        return [self._ring(ring, number) for ring in value]

    def _parts(self, geometry: Mapping[str, Any], number: int, level: int) -> Any:
        """Return the polygons (lists of rings) of ``geometry``, or its type if it has none."""
        kind = geometry.get("type")
        if kind == "Polygon":
            rings = self._polygon(geometry.get("coordinates"), number)
            return [rings] if rings else []
        if kind == "MultiPolygon":
            polygons = geometry.get("coordinates")
            if not isinstance(polygons, list | tuple):
                raise BoundaryFileError(
                    msg(
                        "geo.multipolygon.not_list",
                        where=geometry_at(number),
                        value=shown(polygons),
                    )
                )
            return [p for p in (self._polygon(p, number) for p in polygons) if p]
        if isinstance(kind, str) and kind in OTHER_TYPES:
            return str(kind)
        if kind == "GeometryCollection":
            members = geometry.get("geometries")
            if not isinstance(members, list | tuple):
                raise BoundaryFileError(
                    msg("geo.geometries.not_list", where=geometry_at(number), value=shown(members))
                )
            if level >= _MAX_NESTING:
                raise BoundaryFileError(msg("geo.too_nested", where=geometry_at(number)))
            parts: list[list[Ring]] = []
            for member in members:
                if not isinstance(member, Mapping):
                    raise BoundaryFileError(
                        msg("geo.geometry.not_object", where=geometry_at(number))
                    )
                found = self._parts(member, number, level + 1)
                if isinstance(found, list):
                    parts.extend(found)
            return parts if parts else "GeometryCollection"
        where = msg("geo.at.member", where=geometry_at(number), member="'type'")
        raise BoundaryFileError(msg("geo.type.not_geojson", where=where, kind=repr(shown(kind))))

    def build(self, feature: RawFeature) -> shapely.Geometry | None:
        """Return the feature's (possibly invalid) polygonal geometry, or None if skipped.

        Raises
        ------
        BoundaryFileError
            If a coordinate is not a finite number, a ring is too short, the structure is
            not GeoJSON, or the vertex limit is passed; the message names the feature.
        """
        if feature.geometry is None:
            self.skipped["no geometry"] += 1
            return None
        found = self._parts(feature.geometry, feature.number, 0)
        if isinstance(found, str):
            self.skipped[found] += 1
            return None
        if not found:
            self.skipped["empty"] += 1
            return None
        try:
            return assemble(found)
        except (ShapelyError, ValueError, TypeError) as exc:
            where = geometry_at(feature.number)
            raise BoundaryFileError(
                msg("geo.not_polygon", where=where, reason=shown(str(exc)))
            ) from None


def assemble(polygons: list[list[Ring]]) -> shapely.Geometry:
    """Return a Polygon (one polygon) or MultiPolygon of checked, closed rings.

    Each polygon is its outer ring followed by its holes. The rings are made in one
    vectorised call, so that thousands of small polygons cost milliseconds.
    """
    rings = [ring for polygon in polygons for ring in polygon]
    ring_ids = np.repeat(np.arange(len(rings)), [len(r) for r in rings])
    made = shapely.linearrings(np.concatenate(rings), indices=ring_ids)
    polygon_ids = np.repeat(np.arange(len(polygons)), [len(p) for p in polygons])
    parts = shapely.polygons(made, indices=polygon_ids)
    return parts[0] if len(parts) == 1 else shapely.multipolygons(parts)


def numbers(values: list[int], limit: int = 10) -> str:
    """Return feature numbers as ``"2, 5, 9"``, cut after ``limit`` with the remaining count
    (a message: ``"1, 2, … 10 and 5 more"``)."""
    text = ", ".join(str(v) for v in values[:limit])
    rest = len(values) - limit
    return msg("geo.numbers_more", numbers=text, count=Count(rest), n=rest) if rest > 0 else text


def polygonal(geom: shapely.Geometry) -> shapely.Geometry | None:
    """Return the polygonal part of ``geom`` (a Polygon or MultiPolygon), or None if none."""
    if geom.geom_type in POLYGONAL:
        return None if geom.is_empty else geom
    parts = [
        p
        for p in shapely.get_parts(geom)
        if p.geom_type in POLYGONAL and not p.is_empty and p.area > 0
    ]
    if not parts:
        return None
    flat = [q for p in parts for q in shapely.get_parts(p)]
    return flat[0] if len(flat) == 1 else shapely.MultiPolygon(flat)
