"""A small TopoJSON decoder: a parsed topology -> GeoJSON-like features.

Follows the TopoJSON 1.0 specification: shared ``arcs`` (optionally quantised and
delta-encoded, undone with the topology's ``transform``), geometries referring to arcs by
index (a negative index ``i`` means arc ``~i`` reversed), and the geometry types Point,
MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon and GeometryCollection.
A top-level GeometryCollection object yields one feature per member geometry; any other
object yields one feature.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from flowmap._geobase import BoundaryFileError, BoundaryLimits, human, shown

Position = tuple[float, float]
_MAX_NESTING = 4


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _pair(value: Any, where: str) -> tuple[float, float]:
    """Return a finite ``[a, b]`` pair (extra members ignored) or raise."""
    if (
        not isinstance(value, list)
        or len(value) < 2
        or not (_number(value[0]) and _number(value[1]))
    ):
        raise BoundaryFileError(f"{where}: expected a position [x, y], got {shown(value)}")
    a, b = float(value[0]), float(value[1])
    if not (math.isfinite(a) and math.isfinite(b)):
        raise BoundaryFileError(f"{where}: coordinate {shown(value)} is not a finite number")
    return a, b


class _Decoder:
    """Decode the arcs and geometries of one topology, counting vertices as it goes."""

    def __init__(self, topology: Mapping[str, Any], limits: BoundaryLimits) -> None:
        arcs = topology.get("arcs", [])
        if not isinstance(arcs, list):
            raise BoundaryFileError(f"TopoJSON 'arcs' must be a list, got {shown(arcs)}")
        self.raw_arcs: list[Any] = arcs
        self.limits = limits
        self.vertices = 0
        self.scale: Position = (1.0, 1.0)
        self.translate: Position = (0.0, 0.0)
        self.quantised = "transform" in topology
        if self.quantised:
            transform = topology["transform"]
            if not isinstance(transform, Mapping):
                raise BoundaryFileError(
                    f"TopoJSON 'transform' must be an object, got {shown(transform)}"
                )
            self.scale = _pair(transform.get("scale"), "TopoJSON transform 'scale'")
            self.translate = _pair(transform.get("translate"), "TopoJSON transform 'translate'")
        self.cache: dict[int, list[Position]] = {}

    def _count(self, added: int, where: str) -> None:
        self.vertices += added
        if self.vertices > self.limits.max_vertices:
            raise BoundaryFileError(
                f"{where}: the file has more than {human(self.limits.max_vertices)} vertices "
                "(the limit)"
            )

    def arc(self, index: int) -> list[Position]:
        """Return arc ``index`` (>= 0) as absolute positions."""
        if index not in self.cache:
            raw = self.raw_arcs[index]
            where = f"TopoJSON arc {index}"
            if not isinstance(raw, list) or len(raw) < 2:
                raise BoundaryFileError(f"{where}: an arc needs at least 2 positions")
            (sx, sy), (tx, ty) = self.scale, self.translate
            x = y = 0.0
            points: list[Position] = []
            for value in raw:
                a, b = _pair(value, where)
                if self.quantised:
                    x, y = x + a, y + b
                    points.append((x * sx + tx, y * sy + ty))
                else:
                    points.append((a, b))
            self.cache[index] = points
        return self.cache[index]

    def line(self, indexes: Any, where: str) -> list[Position]:
        """Return the positions of arcs ``indexes`` joined end to start."""
        if not isinstance(indexes, list):
            raise BoundaryFileError(
                f"{where}: expected a list of arc indexes, got {shown(indexes)}"
            )
        points: list[Position] = []
        count = len(self.raw_arcs)
        for index in indexes:
            if not isinstance(index, int) or isinstance(index, bool) or not -count <= index < count:
                raise BoundaryFileError(
                    f"{where}: arc index {shown(index)} is not one of the {count} arcs"
                )
            arc = self.arc(index) if index >= 0 else self.arc(~index)[::-1]
            points.extend(arc[1:] if points else arc)
        self._count(len(points), where)
        return points

    def nested(self, value: Any, depth: int, where: str) -> list[Any]:
        """Return arc-index lists nested ``depth`` deep, each turned into positions."""
        if depth == 0:
            return self.line(value, where)
        if not isinstance(value, list):
            raise BoundaryFileError(f"{where}: 'arcs' must be a list, got {shown(value)}")
        return [self.nested(item, depth - 1, where) for item in value]

    def point(self, value: Any, where: str) -> Position:
        a, b = _pair(value, where)
        if self.quantised:
            (sx, sy), (tx, ty) = self.scale, self.translate
            return a * sx + tx, b * sy + ty
        return a, b

    def geometry(self, obj: Any, where: str, level: int = 0) -> dict[str, Any] | None:
        """Return the GeoJSON-like geometry of TopoJSON geometry object ``obj``."""
        if not isinstance(obj, Mapping):
            raise BoundaryFileError(f"{where}: a geometry must be an object, got {shown(obj)}")
        kind = obj.get("type")
        depths = {"LineString": 0, "MultiLineString": 1, "Polygon": 1, "MultiPolygon": 2}
        if kind is None:
            return None
        if isinstance(kind, str) and kind in depths:
            return {"type": kind, "coordinates": self.nested(obj.get("arcs"), depths[kind], where)}
        if kind == "Point":
            self._count(1, where)
            return {"type": kind, "coordinates": self.point(obj.get("coordinates"), where)}
        if kind == "MultiPoint":
            points = obj.get("coordinates")
            if not isinstance(points, list):
                raise BoundaryFileError(f"{where}: MultiPoint coordinates must be a list")
            self._count(len(points), where)
            return {"type": kind, "coordinates": [self.point(p, where) for p in points]}
        if kind == "GeometryCollection":
            members = obj.get("geometries")
            if not isinstance(members, list):
                raise BoundaryFileError(f"{where}: 'geometries' must be a list")
            if level >= _MAX_NESTING:
                raise BoundaryFileError(f"{where}: geometry collections are nested too deeply")
            parts = [self.geometry(m, where, level + 1) for m in members]
            return {"type": kind, "geometries": [p for p in parts if p is not None]}
        raise BoundaryFileError(
            f"{where}: geometry type {shown(kind)} is not a TopoJSON geometry type"
        )


def _feature(decoder: _Decoder, obj: Any, number: int) -> dict[str, Any]:
    where = f"feature {number}"
    geometry = decoder.geometry(obj, where)
    feature: dict[str, Any] = {
        "type": "Feature",
        "properties": obj.get("properties"),
        "geometry": geometry,
    }
    if "id" in obj:
        feature["id"] = obj["id"]
    return feature


def decode_topology(topology: Mapping[str, Any], limits: BoundaryLimits) -> list[dict[str, Any]]:
    """Return the features of every object of a TopoJSON topology, as GeoJSON-like dicts.

    Raises
    ------
    BoundaryFileError
        If the topology is malformed (naming the feature or arc) or exceeds ``limits``.
    """
    objects = topology.get("objects")
    if not isinstance(objects, Mapping) or not objects:
        raise BoundaryFileError("TopoJSON 'objects' must be an object holding at least one layer")
    decoder = _Decoder(topology, limits)
    members: list[Any] = []
    for obj in objects.values():
        if isinstance(obj, Mapping) and obj.get("type") == "GeometryCollection":
            geometries = obj.get("geometries")
            if not isinstance(geometries, list):
                raise BoundaryFileError("TopoJSON object: 'geometries' must be a list")
            members.extend(geometries)
        else:
            members.append(obj)
    if len(members) > limits.max_features:
        raise BoundaryFileError(
            f"has {human(len(members))} features, more than the limit of "
            f"{human(limits.max_features)}"
        )
    return [_feature(decoder, obj, number) for number, obj in enumerate(members, start=1)]
