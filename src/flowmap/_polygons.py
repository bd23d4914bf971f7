"""Checked GeoJSON-like geometries -> shapely polygons, naming the feature of every problem."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from math import isfinite
from typing import Any

import numpy as np
import shapely
from shapely.errors import ShapelyError
from shapely.geometry import shape

from flowmap._geobase import BoundaryFileError, BoundaryLimits, RawFeature, human, shown

POLYGONAL = frozenset({"Polygon", "MultiPolygon"})
OTHER_TYPES = frozenset({"Point", "MultiPoint", "LineString", "MultiLineString", "MultiPatch"})
_MAX_NESTING = 4
Ring = np.ndarray[Any, Any]  # (n, 2) float64, closed


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
        self.skipped: Counter[str] = Counter()
        self.closed: list[int] = []

    def _ring(self, value: Any, where: str, number: int) -> Ring:
        if not isinstance(value, list | tuple):
            raise BoundaryFileError(
                f"{where}: a ring must be a list of positions, got {shown(value)}"
            )
        self.vertices += len(value)
        if self.vertices > self.limits.max_vertices:
            raise BoundaryFileError(
                f"{where}: the file has more than {human(self.limits.max_vertices)} vertices "
                "(the limit)"
            )
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
                    f"{where}: expected a position [x, y], got {shown(position)}"
                )
            fx, fy = _finite(position[0]), _finite(position[1])
            if fx is None or fy is None:
                raise BoundaryFileError(
                    f"{where}: coordinate {shown(list(position))} is not a pair of finite numbers"
                )
            append((fx, fy))
        if ring and ring[0] != ring[-1]:
            append(ring[0])
            if not self.closed or self.closed[-1] != number:
                self.closed.append(number)
        distinct = _distinct(ring)
        if distinct < 3:
            raise BoundaryFileError(
                f"{where}: a polygon ring has {distinct} distinct "
                f"point{'s' if distinct != 1 else ''}; it needs at least 3"
            )
        return np.array(ring, dtype=np.float64)

    def _polygon(self, value: Any, where: str, number: int) -> list[Ring]:
        if not isinstance(value, list | tuple):
            raise BoundaryFileError(
                f"{where}: a polygon must be a list of rings, got {shown(value)}"
            )
        return [self._ring(ring, where, number) for ring in value]

    def _parts(self, geometry: Mapping[str, Any], where: str, number: int, level: int) -> Any:
        """Return the polygons (lists of rings) of ``geometry``, or its type if it has none."""
        kind = geometry.get("type")
        if kind == "Polygon":
            rings = self._polygon(geometry.get("coordinates"), where, number)
            return [rings] if rings else []
        if kind == "MultiPolygon":
            polygons = geometry.get("coordinates")
            if not isinstance(polygons, list | tuple):
                raise BoundaryFileError(
                    f"{where}: MultiPolygon coordinates must be a list, got {shown(polygons)}"
                )
            return [p for p in (self._polygon(p, where, number) for p in polygons) if p]
        if isinstance(kind, str) and kind in OTHER_TYPES:
            return str(kind)
        if kind == "GeometryCollection":
            members = geometry.get("geometries")
            if not isinstance(members, list | tuple):
                raise BoundaryFileError(
                    f"{where}: 'geometries' must be a list, got {shown(members)}"
                )
            if level >= _MAX_NESTING:
                raise BoundaryFileError(f"{where}: geometry collections are nested too deeply")
            parts: list[list[Ring]] = []
            for member in members:
                if not isinstance(member, Mapping):
                    raise BoundaryFileError(f"{where}: a geometry must be an object")
                found = self._parts(member, where, number, level + 1)
                if isinstance(found, list):
                    parts.extend(found)
            return parts if parts else "GeometryCollection"
        raise BoundaryFileError(
            f"{where}, member 'type': {shown(kind)!r} is not a GeoJSON geometry type"
        )

    def build(self, feature: RawFeature) -> shapely.Geometry | None:
        """Return the feature's (possibly invalid) polygonal geometry, or None if skipped.

        Raises
        ------
        BoundaryFileError
            If a coordinate is not a finite number, a ring is too short, the structure is
            not GeoJSON, or the vertex limit is passed; the message names the feature.
        """
        where = f"feature {feature.number}, geometry"
        if feature.geometry is None:
            self.skipped["no geometry"] += 1
            return None
        found = self._parts(feature.geometry, where, feature.number, 0)
        if isinstance(found, str):
            self.skipped[found] += 1
            return None
        if not found:
            self.skipped["empty"] += 1
            return None
        kind = "Polygon" if len(found) == 1 else "MultiPolygon"
        coordinates = found[0] if len(found) == 1 else found
        try:
            return shape({"type": kind, "coordinates": coordinates})
        except (ShapelyError, ValueError, TypeError) as exc:
            raise BoundaryFileError(f"{where}: not a polygon ({shown(str(exc))})") from None


def numbers(values: list[int], limit: int = 10) -> str:
    """Return feature numbers as ``"2, 5, 9"``, cut after ``limit`` with the remaining count."""
    text = ", ".join(str(v) for v in values[:limit])
    return text + (f" and {len(values) - limit} more" if len(values) > limit else "")


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
