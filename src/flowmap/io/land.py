"""Which country a point lies in, from the embedded ``countries.geojson``.

The country outlines are coarse (they are drawn on a map of Eurasia, not surveyed), so a
point counts as being in a country when it is inside its outline or within
``tolerance_km`` of it. The answer is only meant for plausibility checks, such as telling
whether a boundary file's coordinates are in latitude, longitude order.
"""

from __future__ import annotations

import json
import math
from functools import cache

import numpy as np
import shapely
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from flowmap.core.paths import geo_dir
from flowmap.text.i18n import Message, msg

_KM_PER_DEGREE = 111.195
_EARTH_RADIUS_KM = 6371.0088


@cache
def _countries() -> tuple[shapely.STRtree, tuple[str, ...], tuple[shapely.Geometry, ...]]:
    """Return a search tree of the country outlines, their ids and their geometries."""
    data = json.loads((geo_dir() / "countries.geojson").read_text(encoding="utf-8"))
    ids: list[str] = []
    geoms: list[shapely.Geometry] = []
    for feature in data["features"]:
        geom = shape(feature["geometry"])
        if geom.is_empty:
            continue
        ids.append(str(feature["properties"]["id"]))
        geoms.append(shapely.make_valid(geom) if not geom.is_valid else geom)
    return shapely.STRtree(geoms), tuple(ids), tuple(geoms)


def on_land(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Return, for each point, whether it lies inside a country's outline (no tolerance:
    a quick first pass before :func:`country_at`); points that are not finite latitudes
    and longitudes are not on land."""
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    valid = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    found = np.zeros(len(lat), dtype=bool)
    if valid.any():
        tree, _, _ = _countries()
        points = shapely.points(lon[valid], lat[valid])
        hits = tree.query(points, predicate="intersects")[0]
        inside = np.zeros(len(points), dtype=bool)
        inside[hits] = True
        found[valid] = inside
    return found


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def country_at(lat: float, lon: float, *, tolerance_km: float = 25) -> str:
    """Return the id of the country at a point, or ``""`` for the sea.

    Parameters
    ----------
    lat, lon
        The point, in degrees (WGS 84).
    tolerance_km
        A point this close to a country's outline counts as being in it (the outlines
        are simplified, so coasts and borders are only approximate).

    Returns
    -------
    str
        The country's id in ``countries.geojson`` (ISO 3166-1 alpha-2, e.g. ``"KG"``), the
        nearest one when the point is outside every outline but within ``tolerance_km``;
        ``""`` when the point is at sea, or is not a finite latitude and longitude.
    """
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return ""
    tree, ids, geoms = _countries()
    point = Point(lon, lat)
    inside = tree.query(point, predicate="intersects")
    if len(inside):
        return ids[int(np.min(inside))]
    if tolerance_km <= 0:
        return ""
    dlat = tolerance_km / _KM_PER_DEGREE
    dlon = min(180.0, dlat / max(math.cos(math.radians(lat)), 0.01))
    box = shapely.box(lon - dlon, lat - dlat, lon + dlon, lat + dlat)
    best, best_km = "", math.inf
    for index in sorted(int(i) for i in tree.query(box)):
        near = nearest_points(geoms[index], point)[0]
        km = _distance_km(lat, lon, near.y, near.x)
        if km <= tolerance_km and km < best_km:
            best, best_km = ids[index], km
    return best


def swapped_coordinates(lat: float, lon: float) -> Message | str:
    """Return why ``(lat, lon)`` look swapped (at sea, while ``(lon, lat)`` is on land) as a
    catalogue message, or ``""`` when they look right or cannot be judged."""
    if abs(lon) > 90 or country_at(lat, lon) or not (country := country_at(lon, lat)):
        return ""
    return msg("data.swapped", lat=f"{lat:g}", lon=f"{lon:g}", country=country)
