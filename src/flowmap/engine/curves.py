"""The curves of flows, as the browser draws them: a numpy port of ``assets/geo.js``.

Every flow is a great circle (longitudes unwrapped, so a line across the antimeridian stays
continuous; a straight map line when the circle passes beyond 75° of latitude) in Web
Mercator world coordinates (zoom 0: the world is 256 × 256, y grows southward), bent to the
right of travel by ``bend × chord × 4t(1 − t)``. Flows that leave or reach the same place
within 14° of bearing fan out (:func:`corridor_bends`). Great circles and bearings are
the sphere's own formulas in numpy (the browser's slerp gives the same points; they agree
with ``pyproj.Geod`` on the sphere to 1e-9°, without its import on every image); the rest
of the arithmetic follows the JavaScript, so that the two agree to far better than a
pixel (the browser tests check 1e-6 world units).

    >>> c = curve(39.85, 71.59, 55.75, 37.62, 0.12)
    >>> c.shape[1], bool(c[0, 0] < c[-1, 0] or c[0, 0] > c[-1, 0])
    (2, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

WORLD = 256.0
"""Web Mercator world size in pixels at zoom 0."""
MAX_LAT = 85.0511287798
POLAR_LAT = 75.0
"""Great circles that reach beyond this latitude are drawn straight on the map."""
STRAIGHT_STEPS = 24
SPREAD = 14.0
"""Flows from one place whose bearings are within this many degrees form a corridor."""
BEND_STEP = 0.06
BEND_MAX = 0.3
MAX_CORRIDOR_FLOWS = 20000
"""Above this many flows every flow gets the base bend (as in the browser)."""
LANE_SPREAD = 20.0
"""Flows from (or to) one place within this many degrees of bearing lie in lanes there."""
LANE_GAP = 1.0
"""Pixels between two lanes."""

Floats = NDArray[np.float64]


def _inverse(lat1: Floats, lon1: Floats, lat2: Floats, lon2: Floats) -> tuple[Floats, Floats]:
    """Return the initial bearing (degrees, -180 to 180) and the angle (radians) of the
    great circle from each point 1 to its point 2."""
    p1, p2, dl = np.radians(lat1), np.radians(lat2), np.radians(lon2 - lon1)
    north = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
    east = np.sin(dl) * np.cos(p2)
    angle = np.arctan2(
        np.hypot(east, north), np.sin(p1) * np.sin(p2) + np.cos(p1) * np.cos(p2) * np.cos(dl)
    )
    return np.degrees(np.arctan2(east, north)), angle


def _direct(lat1: Floats, lon1: Floats, azimuth: Floats, angle: Floats) -> tuple[Floats, Floats]:
    """Return the latitude and longitude (degrees, -180 to 180) reached from each point
    along the great circle of ``azimuth`` (degrees) after ``angle`` (radians)."""
    p1, theta = np.radians(lat1), np.radians(azimuth)
    lat = np.arcsin(
        np.clip(np.sin(p1) * np.cos(angle) + np.cos(p1) * np.sin(angle) * np.cos(theta), -1, 1)
    )
    dl = np.arctan2(
        np.sin(theta) * np.sin(angle) * np.cos(p1), np.cos(angle) - np.sin(p1) * np.sin(lat)
    )
    lon = lon1 + np.degrees(dl)
    return np.degrees(lat), (lon + 180) % 360 - 180


def project(lat: ArrayLike, lon: ArrayLike) -> tuple[Floats, Floats]:
    """Return Web Mercator world coordinates (x, y) of latitudes and longitudes (degrees)."""
    s = np.sin(np.clip(np.asarray(lat, dtype=np.float64), -MAX_LAT, MAX_LAT) * math.pi / 180)
    x = WORLD * (np.asarray(lon, dtype=np.float64) + 180) / 360
    y = WORLD * (0.5 - np.log((1 + s) / (1 - s)) / (4 * math.pi))
    return x, y


def unproject(x: ArrayLike, y: ArrayLike) -> tuple[Floats, Floats]:
    """Return latitudes and longitudes (degrees) of world coordinates."""
    xs, ys = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    lat = np.degrees(2 * np.arctan(np.exp((0.5 - ys / WORLD) * 2 * math.pi)) - math.pi / 2)
    return lat, xs / WORLD * 360 - 180


def _near(lon: Floats, ref: Floats) -> Floats:
    """``lon`` moved by whole turns to within 180° of ``ref`` (the JS ``while`` loops)."""
    d = lon - ref
    down = np.where(d > 180, np.ceil((d - 180) / 360), 0.0)
    up = np.where(d < -180, np.ceil((-d - 180) / 360), 0.0)
    moved: Floats = lon + 360 * (up - down)
    return moved


def _steps(
    lat1: Floats, lon1: Floats, lat2: Floats, lon2: Floats
) -> tuple[Floats, Floats, NDArray[np.int64]]:
    """Return the initial bearing and angle (radians) of each great circle, and its number
    of segments (one per 2.5° of arc, 12 to 72: a short bent flow stays a smooth curve)."""
    azimuth, omega = _inverse(lat1, lon1, lat2, lon2)
    n = np.clip(np.ceil(omega * 180 / math.pi / 2.5), 12, 72).astype(np.int64)
    return azimuth, omega, n


def _great_circles(
    lat1: Floats, lon1: Floats, lat2: Floats, lon2: Floats, azimuth: Floats, omega: Floats, n: int
) -> tuple[Floats, Floats]:
    """Return (m, n + 1) latitudes and unwrapped longitudes of m great circles."""
    t = np.arange(n + 1, dtype=np.float64)[None, :] / n
    along = omega[:, None] * t
    lat, lon = _direct(
        np.repeat(lat1, n + 1), np.repeat(lon1, n + 1), np.repeat(azimuth, n + 1), along.ravel()
    )
    # A circle too short (or too close to antipodal) to have a direction is a straight line.
    linear = (omega < 1e-9)[:, None] | (np.sin(omega) < 1e-9)[:, None]
    lat = np.where(linear, lat1[:, None] + (lat2 - lat1)[:, None] * t, lat.reshape(along.shape))
    raw = np.where(linear, lon1[:, None] + (lon2 - lon1)[:, None] * t, lon.reshape(along.shape))
    # Unwrap as the JS does: each longitude within 180° of the one before it (the first
    # within 180° of the origin's).
    turns = np.zeros_like(raw)
    turns[:, 0] = (_near(raw[:, 0], lon1) - raw[:, 0]) / 360
    diff = np.diff(raw, axis=1)
    turns[:, 1:] = np.where(diff > 180, -1.0, np.where(diff < -180, 1.0, 0.0))
    return lat, raw + 360 * np.round(np.cumsum(turns, axis=1))


def _bent(lat: Floats, lon: Floats, bend: Floats) -> Floats:
    """Return (m, k, 2) world points of lines through (lat, lon), bent by ``bend``."""
    x, y = project(lat, lon)
    n = lat.shape[1] - 1
    dx, dy = x[:, -1] - x[:, 0], y[:, -1] - y[:, 0]
    length = np.sqrt(dx * dx + dy * dy)
    safe = np.where(length > 0, length, 1.0)
    nx, ny = np.where(length > 0, -dy / safe, 0.0), np.where(length > 0, dx / safe, 0.0)
    t = np.arange(n + 1, dtype=np.float64)[None, :] / n
    off = bend[:, None] * length[:, None] * 4 * t * (1 - t)
    return np.stack([x + nx[:, None] * off, y + ny[:, None] * off], axis=-1)


def curves(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike, bend: ArrayLike
) -> list[Floats]:
    """Return the curve of each flow, a (k, 2) array of world points (k varies by flow).

    Vectorised: flows are computed in groups of the same number of points.
    """
    la1, lo1, la2, lo2 = (
        np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in (lat1, lon1, lat2, lon2)
    )
    bends = np.broadcast_to(np.asarray(bend, dtype=np.float64), la1.shape)
    lo2 = _near(lo2, lo1)
    azimuth, omega, steps = _steps(la1, lo1, la2, lo2)
    out: list[Floats] = [np.empty((0, 2))] * len(la1)
    polar = np.zeros(len(la1), dtype=bool)
    for n in np.unique(steps):
        idx = np.flatnonzero(steps == n)
        lat, lon = _great_circles(
            la1[idx], lo1[idx], la2[idx], lo2[idx], azimuth[idx], omega[idx], int(n)
        )
        beyond = (np.abs(lat) > POLAR_LAT).any(axis=1)
        polar[idx[beyond]] = True
        keep = idx[~beyond]
        if len(keep):
            for i, pts in zip(keep, _bent(lat[~beyond], lon[~beyond], bends[keep]), strict=True):
                out[i] = pts
    if polar.any():
        idx = np.flatnonzero(polar)
        t = np.arange(STRAIGHT_STEPS + 1, dtype=np.float64)[None, :]
        lat = la1[idx, None] + (la2 - la1)[idx, None] * t / STRAIGHT_STEPS
        lon = lo1[idx, None] + (lo2 - lo1)[idx, None] * t / STRAIGHT_STEPS
        for i, pts in zip(idx, _bent(lat, lon, bends[idx]), strict=True):
            out[i] = pts
    return out


def curve(lat1: float, lon1: float, lat2: float, lon2: float, bend: float) -> Floats:
    """Return one flow's curve as (k, 2) world points (``flowmap.geo.curve`` in the page)."""
    return curves([lat1], [lon1], [lat2], [lon2], [bend])[0]


def bearings(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> Floats:
    """Return initial great-circle bearings in degrees [0, 360) (0 between equal points)."""
    lo1, la1, lo2, la2 = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (lon1, lat1, lon2, lat2))
    )
    azimuth, angle = _inverse(la1, lo1, la2, lo2)
    degrees: Floats = np.where(angle > 0, np.fmod(azimuth + 360, 360), 0.0)
    return degrees


def corridor_bends(
    origins: Sequence[int] | NDArray[np.int64],
    dests: Sequence[int] | NDArray[np.int64],
    lat: ArrayLike,
    lon: ArrayLike,
    *,
    base: float = 0.12,
    step: float = BEND_STEP,
    cap: float = BEND_MAX,
) -> Floats:
    """Return the bend of each flow (place indices ``origins`` → ``dests``).

    At each place, flows sorted by bearing form corridors where neighbours are at most
    14° apart; within a corridor the nearest other end gets ``base`` and each farther one
    ``step`` more, up to ``cap``. A flow keeps the largest bend of its two ends.
    """
    o, d = np.asarray(origins, dtype=np.int64), np.asarray(dests, dtype=np.int64)
    plat, plon = np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
    n = len(o)
    bends = np.full(n, float(base))
    if n > MAX_CORRIDOR_FLOWS or n == 0:
        return bends
    for hub, other in ((o, d), (d, o)):
        bearing = bearings(plat[hub], plon[hub], plat[other], plon[other])
        order = np.lexsort((np.arange(n), bearing, hub))  # by hub, then bearing (stable)
        h, b = hub[order], bearing[order]
        new = np.ones(n, dtype=bool)
        new[1:] = (h[1:] != h[:-1]) | (b[1:] - b[:-1] > SPREAD)
        cluster = np.cumsum(new)
        dist = np.abs(plat[other[order]] - plat[h]) + np.abs(plon[other[order]] - plon[h])
        ranked = np.lexsort((np.arange(n), dist, cluster))  # by cluster, then distance
        ids = cluster[ranked]
        first = np.r_[True, ids[1:] != ids[:-1]]
        rank = np.arange(n) - np.maximum.accumulate(np.where(first, np.arange(n), 0))
        target = order[ranked]
        bends[target] = np.maximum(bends[target], np.minimum(cap, base + step * rank))
    return bends


def corridor_lanes(
    origins: Sequence[int] | NDArray[np.int64],
    dests: Sequence[int] | NDArray[np.int64],
    lat: ArrayLike,
    lon: ArrayLike,
    widths: ArrayLike,
) -> Floats:
    """Return the lane of each flow where it starts and ends, as an (n, 2) array of pixel
    offsets to the left of travel (``geo.corridorLanes`` in the page).

    Flows that leave or reach one place within :data:`LANE_SPREAD` degrees of each other
    (departures and arrivals alike) lie side by side there, each as wide as it is drawn
    (``widths``, px) with :data:`LANE_GAP` px between, in the order of their bearings, so
    parallel corridors never overlap where they start; a flow alone in its direction
    keeps 0.

    >>> lanes = corridor_lanes([0, 0, 0], [1, 2, 3], [40, 43, 42.6, 30], [71, 74.6, 74.6, 71],
    ...                        [10, 6, 4])
    >>> lanes[:, 0].tolist()  # Bishkek and Chüy side by side; the flow south alone
    [3.5, -5.5, 0.0]
    """
    o, d = np.asarray(origins, dtype=np.int64), np.asarray(dests, dtype=np.int64)
    plat, plon = np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
    w = np.asarray(widths, dtype=np.float64)
    n = len(o)
    lanes = np.zeros((n, 2))
    if n > MAX_CORRIDOR_FLOWS or n == 0:
        return lanes
    # Flows leaving and reaching a place share its bundle; at one bearing an arrival
    # first (its bend takes it anticlockwise, a departure's clockwise).
    hub, other = np.concatenate([o, d]), np.concatenate([d, o])
    flow = np.concatenate([np.arange(n), np.arange(n)])
    slot = np.repeat([0, 1], n)
    sign = np.where(slot == 0, -1.0, 1.0)
    bearing = bearings(plat[hub], plon[hub], plat[other], plon[other])
    order = np.lexsort((flow, -slot, bearing, hub))
    start = 0
    for k in range(1, 2 * n + 1):
        same = k < 2 * n and hub[order[k]] == hub[order[k - 1]]
        if same and bearing[order[k]] - bearing[order[k - 1]] <= LANE_SPREAD:
            continue
        group = order[start:k]
        start = k
        if len(group) < 2:
            continue
        sizes = w[flow[group]]
        total = float(sizes.sum()) + LANE_GAP * (len(group) - 1)
        ends = np.cumsum(sizes + LANE_GAP) - LANE_GAP
        lanes[flow[group], slot[group]] = sign[group] * (-total / 2 + ends - sizes / 2)
    return lanes


def lane_curve(c: Floats, s: float, a: float, b: float) -> Floats:
    """Return curve ``c`` (world points) moved onto its lane at scale ``s`` (px per world
    unit): ``a`` px left of travel at its start and ``b`` at its end, tapering as
    (1 − t)² and t² (``geo.laneCurve`` in the page)."""
    if not a and not b:
        return c
    n = len(c)
    i0, i1 = np.maximum(0, np.arange(n) - 1), np.minimum(n - 1, np.arange(n) + 1)
    u = c[i1] - c[i0]
    length = np.sqrt((u**2).sum(axis=1))
    length = np.where(length > 0, length, 1.0)
    t = np.arange(n) / max(n - 1, 1)
    d = (a * (1 - t) ** 2 + b * t**2) / s
    moved: Floats = c + np.stack([u[:, 1] / length * d, -u[:, 0] / length * d], axis=-1)
    return moved


def spec_bends(spec: Mapping[str, Any]) -> Floats:
    """Return the bend of each flow of a map spec (``layer.bends`` in the page)."""
    style, places, flows = spec["style"], spec["places"], spec["flows"]
    return corridor_bends(
        flows["o"],
        flows["d"],
        places["lat"],
        places["lon"],
        base=float(style["bend"]),
        step=float(style.get("bendStep") or BEND_STEP),
        cap=float(style.get("bendMax") or BEND_MAX),
    )


def spec_curves(spec: Mapping[str, Any], bends: Floats | None = None) -> list[Floats]:
    """Return the curve of each flow of a map spec (``layer.curveOf(i)`` in the page)."""
    places, flows = spec["places"], spec["flows"]
    lat = np.asarray(places["lat"], dtype=np.float64)
    lon = np.asarray(places["lon"], dtype=np.float64)
    o = np.asarray(flows["o"], dtype=np.int64)
    d = np.asarray(flows["d"], dtype=np.int64)
    if len(o) == 0:
        return []
    return curves(lat[o], lon[o], lat[d], lon[d], spec_bends(spec) if bends is None else bends)


__all__ = [
    "MAX_LAT",
    "POLAR_LAT",
    "WORLD",
    "bearings",
    "corridor_bends",
    "corridor_lanes",
    "curve",
    "curves",
    "lane_curve",
    "project",
    "spec_bends",
    "spec_curves",
    "unproject",
]
