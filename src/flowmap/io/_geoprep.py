"""The geometry steps of reading a boundary file, after its features are built.

Conversion to longitude/latitude, the check for swapped axes, repair of invalid polygons
and simplification of very detailed files; also :func:`epsg`, the CRS of an EPSG code.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from pyproj.exceptions import ProjError

from flowmap.io._geobase import BoundaryFileError, RawLayer, is_lonlat, shown
from flowmap.io._polygons import polygonal
from flowmap.io.land import country_at
from flowmap.text.i18n import Count, Message, msg

_SWAP_SAMPLE = 200
_SAMPLE_VERTICES = 50_000
_SEARCH_PASSES = 12
_FINAL_PASSES = 1  # full runs after the first: each takes seconds on a million vertices
_KM_PER_DEGREE = 111.195


def _first_outside(geom: shapely.Geometry) -> tuple[float, float]:
    coords = shapely.get_coordinates(geom)
    bad = (np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)
    x, y = coords[int(np.argmax(bad))]
    return float(x), float(y)


def to_lonlat(layer: RawLayer, geoms: np.ndarray[Any, Any], numbers_: list[int]) -> Message:
    """Convert ``geoms`` in place to longitude/latitude; return a note on the CRS."""
    if layer.crs is not None and not _is_lonlat(layer):
        crs = layer.crs
        try:
            transformer = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

            def convert(xy: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
                x, y = transformer.transform(xy[:, 0], xy[:, 1])
                return np.column_stack([x, y])

            geoms[:] = shapely.transform(geoms, convert)
        except ProjError:
            raise BoundaryFileError(msg("geo.crs.convert_failed", crs=shown(crs.name))) from None
        name = layer.crs_text or shown(crs.name)
        for number, geom in zip(numbers_, geoms, strict=True):
            if not np.isfinite(shapely.get_coordinates(geom)).all():
                raise BoundaryFileError(msg("geo.crs.outside", number=number, crs=name))
        return msg("geo.note.converted", crs=name)
    bounds = shapely.bounds(geoms)
    outside = (np.abs(bounds[:, [0, 2]]) > 180).any(axis=1) | (np.abs(bounds[:, [1, 3]]) > 90).any(
        axis=1
    )
    if outside.any():
        index = int(np.argmax(outside))
        x, y = _first_outside(geoms[index])
        number, x_, y_ = numbers_[index], f"{x:.10g}", f"{y:.10g}"
        if (np.abs(bounds[:, [0, 2]]) <= 90).all() and (np.abs(bounds[:, [1, 3]]) <= 180).all():
            raise BoundaryFileError(msg("geo.crs.latlon", number=number, x=x_, y=y_))
        if layer.crs:
            declared = layer.crs_text or msg("geo.lonlat")
            raise BoundaryFileError(
                msg("geo.crs.projected_declared", crs=declared, number=number, x=x_, y=y_)
            )
        raise BoundaryFileError(msg("geo.crs.projected", number=number, x=x_, y=y_))
    if layer.crs is None:
        return msg("geo.note.no_crs")
    return msg("geo.note.lonlat", crs=layer.crs_text or shown(layer.crs.name))


def _is_lonlat(layer: RawLayer) -> bool:
    return layer.crs is not None and is_lonlat(layer.crs)


def check_axes(geoms: np.ndarray[Any, Any], numbers_: list[int]) -> None:
    """Raise if most centroids are at sea while the swapped (lat<->lon) ones are on land."""
    step = max(1, math.ceil(len(geoms) / _SWAP_SAMPLE))
    picked = list(range(0, len(geoms), step))
    centres = shapely.centroid(geoms[picked])
    at_sea = swapped_land = 0
    example: tuple[int, float, float, str] | None = None
    for index, centre in zip(picked, centres, strict=True):
        x, y = centre.x, centre.y
        if country_at(y, x) == "":
            at_sea += 1
            land = country_at(x, y)
            if land:
                swapped_land += 1
                example = example or (numbers_[index], x, y, land)
    if example and at_sea * 2 > len(picked) and swapped_land * 2 > len(picked):
        number, x, y, land = example
        raise BoundaryFileError(
            msg("geo.crs.swapped", number=number, x=f"{x:.4f}", y=f"{y:.4f}", country=land)
        )


def _count(geoms: np.ndarray[Any, Any]) -> int:
    return int(shapely.get_num_coordinates(geoms).sum())


def _windows(polygons: np.ndarray[Any, Any], size: int = 2000) -> np.ndarray[Any, Any]:
    """Return about ``_SAMPLE_VERTICES`` vertices of the polygons' rings: pieces of
    ``size`` consecutive vertices spread evenly over them, each closed into a thin polygon
    (simplified, such a piece keeps about the share of vertices its stretch of the ring
    would); the polygons themselves if no piece makes a valid polygon."""
    coords, ring = shapely.get_coordinates(shapely.get_rings(polygons), return_index=True)
    stride = max(size, len(coords) * size // _SAMPLE_VERTICES)
    pieces = [
        shapely.polygons(coords[s : s + size])
        for s in range(0, max(len(coords) - size, 0) + 1, stride)
        if ring[s] == ring[min(s + size, len(coords)) - 1]
    ]
    valid = [p for p in pieces if shapely.is_valid(p)]
    return np.asarray(valid if valid else polygons, dtype=object)


def _tolerance(
    run: Callable[[np.ndarray[Any, Any], float], np.ndarray[Any, Any]],
    geoms: np.ndarray[Any, Any],
    keep: float,
) -> float:
    """Return a tolerance keeping about ``keep`` (a fraction) of the vertices.

    Searched by bisection on log(tolerance), on every k-th polygon only (about
    ``_SAMPLE_VERTICES`` vertices): the fraction kept depends on the detail of the lines,
    which a sample shows as well as the whole. When a few polygons hold most vertices,
    the sample is pieces of their rings, simplified on their own (far cheaper than
    simplifying a huge polygon on every pass).
    """
    parts = shapely.get_parts(geoms)  # a sample of polygons, also of one MultiPolygon's
    step = max(1, math.ceil(_count(parts) / _SAMPLE_VERTICES))
    sample = parts[::step]
    if _count(sample) > 2 * _SAMPLE_VERTICES:  # a few huge polygons: sample their lines
        sample = _windows(sample)
    total = max(_count(sample), 1)
    guess = math.log(max(float(shapely.length(sample).sum()) / total, 1e-9))
    low: float | None = None  # keeps too many vertices
    high: float | None = None  # keeps few enough
    previous = -1.0
    for _ in range(_SEARCH_PASSES):
        kept = _count(run(sample, math.exp(guess))) / total
        if kept > keep:
            low = guess
        else:
            high = guess
            if kept > 0.8 * keep or (low is None and kept == previous):
                break  # close enough, or a smaller tolerance keeps no more vertices
        previous = kept
        if low is not None and high is not None:
            guess = (low + high) / 2
        else:
            guess += 1.5 if high is None else -1.5
    return math.exp(high if high is not None else guess)


def simplify(geoms: np.ndarray[Any, Any], target: int) -> tuple[np.ndarray[Any, Any], Message]:
    """Simplify ``geoms`` to about ``target`` vertices; return them and a note.

    The tolerance is found on a sample; the whole is simplified once with it, and once
    more with twice the tolerance if that left more than ``target`` vertices (each run
    takes seconds on a million vertices). The note says how many vertices are left.

    Uses :func:`shapely.coverage_simplify`, so borders shared by neighbouring districts
    stay shared (no gaps or slivers appear). Polygons that overlap are simplified too
    (each edge on its own); the caller repairs any geometry that became invalid.
    """
    before = _count(geoms)

    def run(part: np.ndarray[Any, Any], tolerance: float) -> np.ndarray[Any, Any]:
        return np.asarray(shapely.coverage_simplify(part, tolerance), dtype=object)

    tolerance = _tolerance(run, geoms, 0.75 * target / before)  # room for the sample's error
    out = run(geoms, tolerance)
    for _ in range(_FINAL_PASSES):
        if _count(out) <= target:
            break
        tolerance *= 2.0
        out = run(geoms, tolerance)
    metres = round(tolerance * _KM_PER_DEGREE * 1000)
    after = _count(out)
    return out, msg(
        "geo.note.simplified", before=Count(before), after=Count(after), metres=Count(metres)
    )


def repair(geoms: np.ndarray[Any, Any], numbers_: list[int]) -> tuple[list[int], list[int]]:
    """Make invalid geometries valid in place; return repaired and emptied feature numbers."""
    repaired: list[int] = []
    emptied: list[int] = []
    for i in np.flatnonzero(~shapely.is_valid(geoms)):
        fixed = polygonal(shapely.make_valid(geoms[i]))
        (repaired if fixed is not None else emptied).append(numbers_[i])
        geoms[i] = fixed
    for i in np.flatnonzero(shapely.area(geoms) <= 0):
        if geoms[i] is not None and numbers_[i] not in emptied:
            emptied.append(numbers_[i])
            geoms[i] = None
    return repaired, emptied
