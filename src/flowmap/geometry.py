"""Flow geometry: anchor points of places, curved great-circle lines, and the width scale.

- An *anchor* is where a place's flows start or end: a city's coordinates, an oblast's
  representative point, a documented anchor city for a country (Moscow for Russia), and
  for an aggregate with no anchor of its own the population-weighted centre of its members.
- A flow line follows the great circle (the WGS84 geodesic, from ``pyproj.Geod``) from
  origin to destination (so long flows curve as on a globe) and is bent sideways, to the
  right of the direction of travel, so that the inflow and the outflow between the same
  two places never overlap. Flows that leave in
  nearly the same direction (a shared corridor) get increasing bends.
- Widths are proportional to the square root of the count, on one scale for the whole data
  set, so that two maps (two years, two selections) can be compared side by side.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Geod

from flowmap.data import members
from flowmap.errors import FlowmapError

LatLon = tuple[float, float]

_GEOD = Geod(ellps="WGS84")
"""Geodesics (distances, bearings, intermediate points) on the WGS84 ellipsoid."""


def anchor_points(places: pd.DataFrame, populations: Mapping[str, float]) -> dict[str, LatLon]:
    """Return ``(lat, lon)`` of every place that has an anchor.

    Places with coordinates use them. An aggregate without coordinates gets the
    population-weighted centre of its members (computed on the unit sphere), when every
    member has coordinates and a population; otherwise it has no anchor.
    """
    anchors: dict[str, LatLon] = {}
    for pid, row in places.iterrows():
        if pd.notna(row["lat"]) and pd.notna(row["lon"]):
            anchors[str(pid)] = (float(row["lat"]), float(row["lon"]))
    for pid, row in places.iterrows():
        if str(pid) in anchors or row["kind"] != "aggregate":
            continue
        ids = members(places, str(pid))
        if ids and all(i in anchors and i in populations for i in ids):
            points = [(anchors[i], float(populations[i])) for i in ids]
            anchors[str(pid)] = _weighted_centre(points)
    return anchors


def _weighted_centre(points: Sequence[tuple[LatLon, float]]) -> LatLon:
    """Return the weighted mean of points, taken as unit vectors on the sphere."""
    vector = np.zeros(3)
    for (lat, lon), weight in points:
        vector += weight * _unit(lat, lon)
    return _latlon(vector)


def _unit(lat: float, lon: float) -> np.ndarray:
    """Return the unit vector of a point on the sphere."""
    phi, lam = math.radians(lat), math.radians(lon)
    return np.array([math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)])


def _latlon(vector: np.ndarray) -> LatLon:
    """Return ``(lat, lon)`` of a (not necessarily unit) vector."""
    x, y, z = (float(v) for v in vector)
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def great_circle(a: LatLon, b: LatLon, steps: int = 48) -> list[LatLon]:
    """Return ``steps + 1`` points along the geodesic (on WGS84) from ``a`` to ``b``.

    Longitudes are unwrapped (they may leave [-180, 180]) so that the line is continuous
    on a Web-Mercator map even where it crosses the antimeridian.
    """
    if _distance_m(a, b) < 1e-6:
        return [a] * (steps + 1)
    line = _GEOD.inv_intermediate(
        a[1],
        a[0],
        b[1],
        b[0],
        npts=steps + 1,
        initial_idx=0,
        terminus_idx=0,
        return_back_azimuth=True,
    )
    points = [(float(lat), float(lon)) for lat, lon in zip(line.lats, line.lons, strict=True)]
    points[0], points[-1] = a, b
    return _unwrap(points)


def _unwrap(points: list[LatLon]) -> list[LatLon]:
    """Return the points with longitudes shifted by 360° where they jump across ±180°."""
    out = [points[0]]
    for lat, lon in points[1:]:
        previous = out[-1][1]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        out.append((lat, lon))
    return out


def _mercator(lat: float, lon: float) -> tuple[float, float]:
    """Return Web-Mercator coordinates in degrees-like units (x = lon)."""
    lat = max(-85.0, min(85.0, lat))
    return lon, math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _inverse_mercator(x: float, y: float) -> LatLon:
    """Return ``(lat, lon)`` of Web-Mercator coordinates from :func:`_mercator`."""
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2), x


def curved_line(a: LatLon, b: LatLon, bend: float, steps: int = 48) -> list[LatLon]:
    """Return a flow line from ``a`` to ``b``: the great circle bent to the right by ``bend``.

    ``bend`` is the largest sideways offset as a fraction of the line's length on the map
    (Web Mercator), reached half-way. The offset is to the right of the direction of travel,
    so the line from ``b`` to ``a`` bends to the other side.
    """
    path = [_mercator(lat, lon) for lat, lon in great_circle(a, b, steps)]
    (x0, y0), (x1, y1) = path[0], path[-1]
    length = math.hypot(x1 - x0, y1 - y0)
    if length == 0:
        return [a] * (steps + 1)
    # Unit normal to the right of the chord (x east, y north).
    nx, ny = (y1 - y0) / length, -(x1 - x0) / length
    out: list[LatLon] = []
    for i, (x, y) in enumerate(path):
        t = i / steps
        offset = bend * length * 4 * t * (1 - t)
        out.append(_inverse_mercator(x + nx * offset, y + ny * offset))
    return out


def bearing(a: LatLon, b: LatLon) -> float:
    """Return the initial compass bearing from ``a`` to ``b`` in degrees [0, 360)."""
    azimuth, _, distance = _GEOD.inv(a[1], a[0], b[1], b[0])
    return 0.0 if distance == 0 else float(azimuth) % 360


def corridor_bends(
    ends: Sequence[tuple[LatLon, LatLon]],
    *,
    base: float = 0.12,
    step: float = 0.1,
    corridor_deg: float = 15.0,
) -> list[float]:
    """Return a bend for each line so that lines sharing a corridor separate.

    Lines that start at the same point and leave within ``corridor_deg`` degrees of each
    other form a corridor; within it the shortest line gets ``base`` and each longer one
    ``step`` more, so their curves fan out instead of lying on top of each other.
    """
    bends = [base] * len(ends)
    groups: dict[LatLon, list[int]] = {}
    for i, (a, _) in enumerate(ends):
        groups.setdefault((round(a[0], 4), round(a[1], 4)), []).append(i)
    for indices in groups.values():
        ordered = sorted(indices, key=lambda i: bearing(*ends[i]))
        cluster: list[int] = []
        for i in [*ordered, -1]:
            if cluster and (
                i == -1 or _angle(bearing(*ends[i]), bearing(*ends[cluster[-1]])) > corridor_deg
            ):
                by_length = sorted(cluster, key=lambda j: _distance_m(*ends[j]))
                for rank, j in enumerate(by_length):
                    bends[j] = base + step * rank
                cluster = []
            if i != -1:
                cluster.append(i)
    return bends


def _angle(a: float, b: float) -> float:
    """Return the smallest difference between two bearings in degrees."""
    d = abs(a - b) % 360
    return min(d, 360 - d)


def _distance_m(a: LatLon, b: LatLon) -> float:
    """Return the geodesic distance in metres between two points on WGS84."""
    return float(_GEOD.inv(a[1], a[0], b[1], b[0])[2])


@dataclass(frozen=True)
class WidthScale:
    """Line widths in pixels proportional to the square root of the count.

    One scale serves every map of a data set: ``max_count`` is the largest count in the
    whole data set (not in the selection), drawn ``max_px`` wide. Widths never go below
    ``min_px`` so that small flows stay visible; the legend says so.
    """

    max_count: int
    max_px: float = 28.0
    min_px: float = 1.5

    def __post_init__(self) -> None:
        if self.max_count <= 0:
            raise FlowmapError(f"width scale: max_count must be > 0, got {self.max_count}")

    @classmethod
    def for_flows(cls, flows: pd.DataFrame, **kwargs: float) -> WidthScale:
        """Return the scale for a whole flows table."""
        return cls(max_count=max(1, int(flows["count"].max()) if len(flows) else 1), **kwargs)

    @property
    def px_per_sqrt_person(self) -> float:
        """Return the pixels per square root of a person (constant for the data set)."""
        return self.max_px / math.sqrt(self.max_count)

    def width(self, count: float) -> float:
        """Return the line width in pixels for ``count`` people."""
        return round(max(self.min_px, self.px_per_sqrt_person * math.sqrt(max(0.0, count))), 2)

    def legend_counts(self) -> list[int]:
        """Return three round reference counts spread over the scale, for the legend."""
        top = self.max_count
        magnitude = 10 ** int(math.log10(top)) if top >= 10 else 1
        candidates = [magnitude // 100, magnitude // 10, magnitude]
        return sorted({c for c in candidates if c >= 1})
