"""Anchor points of places and the width scale of the Batken preset.

- An *anchor* is where a place's flows start or end: a city's coordinates, an oblast's
  representative point, a documented anchor city for a country (Moscow for Russia), and
  for an aggregate with no anchor of its own the population-weighted centre of its members.
- The lines themselves (great circles, bends, corridors) are drawn in the browser by
  ``assets/geo.js``; :mod:`flowmap.engine.curves` computes the same curves for images.
- Widths are proportional to the square root of the count, on one scale for the whole data
  set, so that two maps (two years, two selections) can be compared side by side.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from flowmap.core import lazy
from flowmap.core.errors import FlowmapError
from flowmap.text.places import members

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy.module("pandas")  # imported on first use (flowmap.core.lazy)

LatLon = tuple[float, float]


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
