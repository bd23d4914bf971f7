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
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from flowmap.io._geobase import BoundaryFileError, BoundaryLimits, shown
from flowmap.io._polygons import feature_at
from flowmap.text.i18n import Count, Message, msg

Position = tuple[float, float]
#: Where a message points (``feature 3``, ``TopoJSON arc 7``), made only when it is needed.
Where = Callable[[], Message]
_MAX_NESTING = 4


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _pair(value: Any, where: Where) -> tuple[float, float]:
    """Return a finite ``[a, b]`` pair (extra members ignored) or raise."""
    if (
        not isinstance(value, list)
        or len(value) < 2
        or not (_number(value[0]) and _number(value[1]))
    ):
        raise BoundaryFileError(msg("geo.position", where=where(), value=shown(value)))
    a, b = float(value[0]), float(value[1])
    if not (math.isfinite(a) and math.isfinite(b)):
        raise BoundaryFileError(msg("geo.coordinate_finite", where=where(), value=shown(value)))
    return a, b


class _Decoder:
    """Decode the arcs and geometries of one topology, counting vertices as it goes."""

    def __init__(self, topology: Mapping[str, Any], limits: BoundaryLimits) -> None:
        arcs = topology.get("arcs", [])
        if not isinstance(arcs, list):
            raise BoundaryFileError(msg("geo.topo.arcs_not_list", value=shown(arcs)))
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
                    msg("geo.topo.transform_not_object", value=shown(transform))
                )
            scale = partial(msg, "geo.at.transform", member="'scale'")
            translate = partial(msg, "geo.at.transform", member="'translate'")
            self.scale = _pair(transform.get("scale"), scale)
            self.translate = _pair(transform.get("translate"), translate)
        self.cache: dict[int, list[Position]] = {}

    def _count(self, added: int, where: Where) -> None:
        self.vertices += added
        if self.vertices > self.limits.max_vertices:
            limit = self.limits.max_vertices
            raise BoundaryFileError(
                msg("geo.vertex_limit_at", where=where(), limit=Count(limit), n=limit)
            )

    def arc(self, index: int) -> list[Position]:
        """Return arc ``index`` (>= 0) as absolute positions."""
        if index not in self.cache:
            raw = self.raw_arcs[index]
            where = partial(msg, "geo.at.arc", index=index)
            if not isinstance(raw, list) or len(raw) < 2:
                raise BoundaryFileError(msg("geo.topo.arc_short", where=where()))
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

    def line(self, indexes: Any, where: Where) -> list[Position]:
        """Return the positions of arcs ``indexes`` joined end to start."""
        if not isinstance(indexes, list):
            raise BoundaryFileError(
                msg("geo.topo.indexes_not_list", where=where(), value=shown(indexes))
            )
        points: list[Position] = []
        count = len(self.raw_arcs)
        for index in indexes:
            if not isinstance(index, int) or isinstance(index, bool) or not -count <= index < count:
                raise BoundaryFileError(
                    msg(
                        "geo.topo.bad_index",
                        where=where(),
                        index=shown(index),
                        count=Count(count),
                        n=count,
                    )
                )
            arc = self.arc(index) if index >= 0 else self.arc(~index)[::-1]
            if self.vertices + len(points) + len(arc) > self.limits.max_vertices:
                self._count(len(points) + len(arc), where)  # raises: an arc used over and over
            points.extend(arc[1:] if points else arc)
        self._count(len(points), where)
        return points

    def nested(self, value: Any, depth: int, where: Where) -> list[Any]:
        """Return arc-index lists nested ``depth`` deep, each turned into positions."""
        if depth == 0:
            return self.line(value, where)
        if not isinstance(value, list):
            raise BoundaryFileError(msg("geo.topo.arcs_member", where=where(), value=shown(value)))
        return [self.nested(item, depth - 1, where) for item in value]

    def point(self, value: Any, where: Where) -> Position:
        a, b = _pair(value, where)
        if self.quantised:
            (sx, sy), (tx, ty) = self.scale, self.translate
            return a * sx + tx, b * sy + ty
        return a, b

    def geometry(self, obj: Any, where: Where, level: int = 0) -> dict[str, Any] | None:
        """Return the GeoJSON-like geometry of TopoJSON geometry object ``obj``."""
        if not isinstance(obj, Mapping):
            raise BoundaryFileError(
                msg("geo.geometry.not_object_got", where=where(), value=shown(obj))
            )
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
                raise BoundaryFileError(msg("geo.topo.multipoint", where=where()))
            self._count(len(points), where)
            return {"type": kind, "coordinates": [self.point(p, where) for p in points]}
        if kind == "GeometryCollection":
            members = obj.get("geometries")
            if not isinstance(members, list):
                raise BoundaryFileError(msg("geo.geometries.must_list", where=where()))
            if level >= _MAX_NESTING:
                raise BoundaryFileError(msg("geo.too_nested", where=where()))
            parts = [self.geometry(m, where, level + 1) for m in members]
            return {"type": kind, "geometries": [p for p in parts if p is not None]}
        raise BoundaryFileError(msg("geo.topo.bad_type", where=where(), kind=shown(kind)))


def _feature(decoder: _Decoder, obj: Any, number: int) -> dict[str, Any]:
    geometry = decoder.geometry(obj, partial(feature_at, number))
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
        raise BoundaryFileError(msg("geo.topo.objects"))
    decoder = _Decoder(topology, limits)
    members: list[Any] = []
    for obj in objects.values():
        if isinstance(obj, Mapping) and obj.get("type") == "GeometryCollection":
            geometries = obj.get("geometries")
            if not isinstance(geometries, list):
                where = msg("geo.at.topo_object")
                raise BoundaryFileError(msg("geo.geometries.must_list", where=where))
            members.extend(geometries)
        else:
            members.append(obj)
    if len(members) > limits.max_features:
        raise BoundaryFileError(
            msg(
                "geo.too_many_features",
                count=Count(len(members)),
                limit=Count(limits.max_features),
            )
        )
    return [_feature(decoder, obj, number) for number, obj in enumerate(members, start=1)]
