"""The matplotlib paths of a map image's GeoJSON geometries (:mod:`flowmap.render._image_parts`),
in Web Mercator world units: each polygon's outer ring counter-clockwise and its holes
clockwise (``shapely.geometry.polygon.orient``), lines as they are, points left out.

Well-formed GeoJSON (closed rings of at least four finite positions, lines of at least two)
is read straight into numpy arrays, with the rings' orientation decided by GEOS for all
rings of a layer at once: the countries' thousand rings take a few milliseconds instead of
the tenth of a second that building a shapely geometry per feature took (issue 20: a
Batken PNG in 1.5 s). Anything else goes through shapely as before, so an odd geometry is
drawn (or skipped) exactly as it was.
"""

from __future__ import annotations

import hashlib
import pickle
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from matplotlib.path import Path as MPath
from shapely.geometry import shape
from shapely.geometry.polygon import orient

from flowmap.engine.curves import project

Part = tuple[np.ndarray, bool]
"""A ring (closed: True) or line of a geometry, as (lon, lat) positions."""


class _IrregularError(Exception):
    """A geometry the fast reader leaves to shapely."""


def _positions(value: Any, least: int) -> np.ndarray:
    """``value`` as an (n, 2) array of finite (lon, lat), n >= ``least``, or raise."""
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise _IrregularError
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise _IrregularError from None
    if array.ndim != 2 or array.shape[0] < least or array.shape[1] < 2:
        raise _IrregularError
    array = array[:, :2]
    if not np.isfinite(array).all():
        raise _IrregularError
    return array


def _polygon(rings: Any, out: list[tuple[np.ndarray, bool | None]]) -> None:
    """Add a GeoJSON polygon's rings (closed, four positions or more); the outer ring's
    wanted orientation is marked True (counter-clockwise), its holes' False."""
    if not isinstance(rings, Sequence) or isinstance(rings, str) or not rings:
        raise _IrregularError
    for i, ring in enumerate(rings):
        array = _positions(ring, 4)
        if not (array[0] == array[-1]).all():
            raise _IrregularError  # shapely would close it: leave that to shapely
        out.append((array, i == 0))


def _parts(geometry: Any, out: list[tuple[np.ndarray, bool | None]]) -> None:
    """Add the rings and lines of a well-formed GeoJSON geometry (orientation wanted for
    rings, None for lines); raise :class:`_IrregularError` for anything else."""
    if not isinstance(geometry, Mapping):
        raise _IrregularError
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind in ("Point", "MultiPoint"):
        return
    if kind == "Polygon":
        _polygon(coords, out)
    elif kind == "MultiPolygon" and isinstance(coords, Sequence) and coords:
        for rings in coords:
            _polygon(rings, out)
    elif kind == "LineString":
        out.append((_positions(coords, 2), None))
    elif kind == "MultiLineString" and isinstance(coords, Sequence) and coords:
        for line in coords:
            out.append((_positions(line, 2), None))
    elif kind == "GeometryCollection" and isinstance(geometry.get("geometries"), Sequence):
        for part in geometry["geometries"]:
            _parts(part, out)
    else:
        raise _IrregularError


def _counter_clockwise(rings: Sequence[np.ndarray]) -> list[bool]:
    """Whether each ring turns counter-clockwise, as GEOS decides (one call for all)."""
    if not rings:
        return []
    lengths = [len(r) for r in rings]
    made = shapely.linearrings(
        np.concatenate(rings), indices=np.repeat(np.arange(len(rings)), lengths)
    )
    return [bool(v) for v in shapely.is_ccw(made)]


def _oriented(found: list[list[tuple[np.ndarray, bool | None]]]) -> list[list[Part]]:
    """The parts of each geometry with every ring turned as wanted: GEOS decides each
    ring's orientation (``shapely.is_ccw``, as ``orient`` does), for all rings at once."""
    rings = [array for parts in found for array, ccw in parts if ccw is not None]
    turns = iter(_counter_clockwise(rings))
    out: list[list[Part]] = []
    for parts in found:
        kept: list[Part] = []
        for array, ccw in parts:
            if ccw is None:
                kept.append((array, False))
            else:
                kept.append((array if next(turns) == ccw else array[::-1], True))
        out.append(kept)
    return out


def _shapely_parts(geometry: Any) -> list[Part]:
    """The rings (holes turning the other way) and lines of a geometry read by shapely:
    any geometry the fast reader does not take; none when shapely refuses it."""
    parts: list[Part] = []
    try:
        _rings(shape(geometry), parts)
    except Exception:
        return []
    return parts


def _rings(geom: Any, out: list[Part]) -> None:
    """Collect the rings (holes turning the other way) and lines of a shapely geometry."""
    kind = geom.geom_type
    if kind == "Polygon" and not geom.is_empty:
        geom = orient(geom, 1.0)
        for ring in (geom.exterior, *geom.interiors):
            out.append((np.asarray(ring.coords)[:, :2], True))
    elif kind == "LineString" and len(geom.coords) >= 2:
        out.append((np.asarray(geom.coords)[:, :2], False))
    elif kind in ("MultiPolygon", "MultiLineString", "GeometryCollection"):
        for part in geom.geoms:
            _rings(part, out)


def geometry_parts(geometries: Sequence[Any]) -> list[list[Part]]:
    """The rings and lines of each GeoJSON geometry, as (lon, lat) arrays, each polygon's
    outer ring counter-clockwise and its holes clockwise."""
    found: list[list[tuple[np.ndarray, bool | None]]] = []
    irregular: dict[int, list[Part]] = {}
    for i, geometry in enumerate(geometries):
        parts: list[tuple[np.ndarray, bool | None]] = []
        try:
            _parts(geometry, parts)
        except _IrregularError:
            irregular[i] = _shapely_parts(geometry)
            parts = []
        found.append(parts)
    oriented = _oriented(found)
    return [irregular.get(i, parts or []) for i, parts in enumerate(oriented)]


_PATHS: OrderedDict[bytes, tuple[MPath | None, ...]] = OrderedDict()
"""The paths of the last layers drawn, by the digest of their geometries (:func:`_key`)."""
_KEPT = 32


def _key(geometries: Sequence[Any]) -> bytes | None:
    """A digest of the geometries' pickle: equal only for equal geometries (the same
    values, types and nesting), in about a millisecond for the basemap's countries where
    their JSON text took 12 ms, on every map and its inset. None when they do not pickle
    (no GeoJSON value fails): then they are read without the cache."""
    try:
        data = pickle.dumps(list(geometries), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return None
    return hashlib.blake2b(data, digest_size=32).digest()


def geometry_paths(geometries: Sequence[Any]) -> tuple[MPath | None, ...]:
    """The matplotlib path (world units) of each GeoJSON geometry of a layer (None for a
    geometry without an area or a line), read and projected once per process for the
    same geometries (the basemap's countries: on every map, and again in its inset)."""
    key = _key(geometries)
    if key is not None and key in _PATHS:
        _PATHS.move_to_end(key)
        return _PATHS[key]
    paths = tuple(_path(parts) for parts in geometry_parts(geometries))
    if key is not None:  # geometries that cannot be keyed are not kept
        _PATHS[key] = paths
        while len(_PATHS) > _KEPT:
            _PATHS.popitem(last=False)
    return paths


def _path(parts: Sequence[Part]) -> MPath | None:
    """One geometry's rings and lines as one path, projected at once."""
    if not parts:
        return None
    coords = np.concatenate([c for c, _ in parts])
    codes = np.full(len(coords), MPath.LINETO, dtype=np.uint8)
    start = 0
    for c, closed in parts:
        codes[start] = MPath.MOVETO
        if closed:
            codes[start + len(c) - 1] = MPath.CLOSEPOLY
        start += len(c)
    x, y = project(coords[:, 1], coords[:, 0])
    return MPath(np.column_stack([x, y]), codes)


__all__ = ["geometry_parts", "geometry_paths"]
