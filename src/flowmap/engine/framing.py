"""Where a map opens: framed on the bulk of the flow volume, not on one far outlier.

Each end of a drawn flow weighs its count; the chosen places together weigh as much as all
other ends. The frame holds the chosen places and the ends nearest the volume-weighted
centre that together carry most of the volume, plus the ends not much farther away that
carry a real share of it; far or small destinations (a hundred people who went to the USA)
leave the frame, named at its edge, instead of shrinking everything else to a dot. Ends are
left out only when they are few and far: a frame that would leave out most of the ends (a
world star whose few largest spokes lie close together), or many ends carrying a real share
of the volume (a world matrix), or that could hold every end by zooming out one and a half
levels or less (a world star whose bulk already spans a continent), holds every end instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from flowmap.core import lazy
from flowmap.engine.curves import project

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy.module("pandas")  # imported on first use (flowmap.core.lazy)

BULK_SHARE = 0.8
"""The share of the flow volume whose ends are always in the frame."""
REACH = 1.6
"""Ends up to this many times farther than the bulk's farthest end are in the frame too..."""
MINOR_SHARE = 0.1
"""...if they carry at least this share of the largest other end's volume."""
MANY_OUTSIDE = 20
"""A frame that leaves out more ends than this..."""
OUTSIDE_SHARE = 0.1
"""...carrying more than this share of the volume holds every end instead: a table of the
whole world (a matrix of countries) opens on the world, while a few far destinations of a
regional table (Batken's five countries abroad) are named at the frame's edge."""
HOLD_ZOOMS = 1.5
"""A frame that leaves out ends it could hold by zooming out no more than this (one and a
half zoom levels: a view 2.8 times as wide) holds them instead: leaving ends out is worth it
only when they would shrink the bulk to a dot (Batken's destinations abroad: 4.6 levels for
2014–2023, 1.9 for the USA alone in 2023), not when the bulk already spans a continent (a
world star's spokes: 0.4 to 1.1 levels)."""
FEW_OUTSIDE = 6
"""A frame that leaves out most of its ends holds them all (a world star whose two largest
spokes lie near the hub), unless they are this few or fewer: a handful of edge labels reads
as a list (Batken's five countries abroad on its map of change, where they are most of the
ends but a figure in one period only)."""
VIEW = (1400.0, 900.0)
"""The view (CSS px) the cost of holding every end is measured for."""
WORLD_SPAN = 180.0
"""A frame wider than this (degrees of longitude) is world-scale: it opens on one copy of
the world, cut where the fewest flows cross (:func:`world_cut`)."""


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)], axis=-1)


def world_cut(drawn: pd.DataFrame, places: pd.DataFrame, step: float = 1.0) -> float:
    """Return the longitude in [-180, 180) where a one-world map is best cut: the meridian
    that the least flow volume crosses (each flow runs the short way in longitude, as its
    great circle does), in the middle of the widest run of such meridians.

    The map is then centred 180° away from it: Atlantic-centred when the flows cross the
    Pacific least, Pacific-centred when they cross the Atlantic least.
    """
    known = drawn["origin"].isin(places.index) & drawn["dest"].isin(places.index)
    flows = drawn[known]
    cuts = np.arange(-180.0, 180.0, step)
    if flows.empty:
        return -180.0
    lon1 = places.loc[flows["origin"], "lon"].to_numpy(dtype=float)
    lon2 = places.loc[flows["dest"], "lon"].to_numpy(dtype=float)
    w = flows["count"].to_numpy(dtype=float)
    delta = (lon2 - lon1 + 180) % 360 - 180  # the short way, as the curves run
    start = np.where(delta >= 0, lon1, lon1 + delta)
    # A meridian c is crossed when it lies in [start, start + |delta|] (a cut through a
    # flow's end counts too: that place would sit on the frame's edge).
    offset = (cuts[None, :] - start[:, None]) % 360
    crossed = offset <= np.abs(delta)[:, None]
    volume = (crossed * w[:, None]).sum(axis=0)
    best = volume <= volume.min() + 1e-9 * max(1.0, float(w.sum()))
    # The widest run of best meridians (circular), and its middle.
    n = len(cuts)
    if best.all():
        return -180.0
    first = int(np.argmin(best))  # a meridian that is not best: runs start after it
    run_start, run_len, best_start, best_len = 0, 0, 0, 0
    for k in range(1, n + 1):
        i = (first + k) % n
        if best[i]:
            if run_len == 0:
                run_start = i
            run_len += 1
            if run_len > best_len:
                best_start, best_len = run_start, run_len
        else:
            run_len = 0
    middle = cuts[(best_start + (best_len - 1) // 2) % n] + (step / 2 if best_len % 2 == 0 else 0)
    return float((middle + 180) % 360 - 180)


def _zooms_to_hold(lat: np.ndarray, lon: np.ndarray, keep: np.ndarray, centre: float) -> float:
    """Return how many zoom levels a :data:`VIEW` must zoom out to hold every end instead
    of the ``keep`` ones (0 when none is left out): the log2 of the ratio of the Web
    Mercator extents of both, longitudes taken within 180° of ``centre``."""
    if keep.all():
        return 0.0
    x, y = project(np.clip(lat, -80, 80), (lon - centre + 180) % 360 - 180 + centre)

    def fit(m: np.ndarray) -> float:  # world px at zoom 0 per view px
        spans = (float(x[m].max() - x[m].min()), float(y[m].max() - y[m].min()))
        return max(spans[0] / VIEW[0], spans[1] / VIEW[1], 1e-6)

    return float(np.log2(fit(np.ones_like(keep)) / fit(keep)))


def frame_bounds(
    drawn: pd.DataFrame,
    places: pd.DataFrame,
    chosen: Sequence[str] = (),
    *,
    bulk_share: float = BULK_SHARE,
    reach: float = REACH,
    also: Sequence[Sequence[float]] = (),
    edge: Sequence[str] = (),
) -> list[list[float]] | None:
    """Return ``[[south, west], [north, east]]`` to open the map on, or None without flows.

    Longitudes are unwrapped around the frame's centre (so a frame across the antimeridian
    is one box), and the centre's longitude lies in [-180, 180); a world-scale frame (wider
    than :data:`WORLD_SPAN`) spans at most 360°, from the meridian of :func:`world_cut`
    eastwards, so its centre may lie beyond ±180. Points in ``also``
    (lat, lon) are always in the frame; the places in ``edge`` (symbolic points such as
    "Abroad") never stretch it: they neither weigh in its centre nor are kept in it
    (out of view, their flows are named at the edge).

    >>> places = pd.DataFrame({"lat": [40.0, 41.0, 42.0], "lon": [71.0, 72.0, 50.5]},
    ...                       index=["B", "O", "ABROAD"])
    >>> drawn = pd.DataFrame({"origin": ["B", "B"], "dest": ["O", "ABROAD"],
    ...                       "count": [100, 900]})
    >>> round(frame_bounds(drawn, places, ["B"])[0][1], 6)  # west: Abroad stretches it
    50.5
    >>> round(frame_bounds(drawn, places, ["B"], edge=["ABROAD"])[0][1], 6)
    71.0
    """
    ends = pd.concat(
        [
            pd.DataFrame({"id": drawn["origin"], "w": drawn["count"]}),
            pd.DataFrame({"id": drawn["dest"], "w": drawn["count"]}),
        ]
    )
    weights = ends.groupby("id")["w"].sum()
    # The chosen places weigh as much as all other ends together (half the total), so the
    # frame centres near them; the bulk share then takes the nearest other ends that carry
    # most of the rest of the volume.
    mine = [pid for pid in dict.fromkeys(chosen) if pid in places.index]
    others = float(weights[~weights.index.isin(mine)].sum())
    for pid in mine:
        weights.loc[pid] = max(1.0, others) / len(mine)
    weights = weights[weights.index.isin(places.index) & ~weights.index.isin(list(edge))]
    if weights.empty:
        return None
    lat = places.loc[weights.index, "lat"].to_numpy(dtype=float)
    lon = places.loc[weights.index, "lon"].to_numpy(dtype=float)
    w = weights.to_numpy(dtype=float)
    vectors = _unit(lat, lon)
    centre = (vectors * w[:, None]).sum(axis=0)
    norm = np.linalg.norm(centre)
    centre = vectors[np.argmax(w)] if norm < 1e-9 else centre / norm
    angle = np.arccos(np.clip(vectors @ centre, -1.0, 1.0))
    order = np.argsort(angle, kind="stable")
    cumulative = np.cumsum(w[order]) / w.sum()
    bulk = order[: int(np.searchsorted(cumulative, bulk_share - 1e-9)) + 1]
    radius = float(angle[bulk].max())
    # Beyond the bulk, ends within reach join the frame when they carry a real share of
    # the volume (a tenth of the largest other end); small near ones get edge labels.
    chosen_mask = weights.index.isin(mine)
    largest = float(w[~chosen_mask].max()) if (~chosen_mask).any() else float(w.max())
    near = angle <= max(radius * reach, radius + np.radians(0.5))
    keep = (angle <= radius) | (near & (w >= MINOR_SHARE * largest))
    keep[[weights.index.get_loc(p) for p in chosen if p in weights.index]] = True
    centre_lon = float(np.degrees(np.arctan2(centre[1], centre[0])))
    out = int((~keep).sum())
    many = out > MANY_OUTSIDE and w[~keep].sum() > OUTSIDE_SHARE * w.sum()
    most = 2 * out > len(keep) and out > FEW_OUTSIDE  # a corner of the map, not its bulk
    if many or most or _zooms_to_hold(lat, lon, keep, centre_lon) <= HOLD_ZOOMS:
        keep[:] = True
    extra = np.array([[float(a), float(b)] for a, b in also]).reshape(-1, 2)
    lons = (np.concatenate([lon[keep], extra[:, 1]]) - centre_lon + 180) % 360 - 180 + centre_lon
    if float(lons.max() - lons.min()) > WORLD_SPAN:
        # World-scale: one copy of the world, cut where the fewest flows cross, so that
        # the frame spans at most 360° and the flows run inside it.
        cut = world_cut(drawn, places)
        lons = (np.concatenate([lon[keep], extra[:, 1]]) - cut) % 360 + cut
    lats = np.clip(np.concatenate([lat[keep], extra[:, 0]]), -80, 80)
    return [[float(lats.min()), float(lons.min())], [float(lats.max()), float(lons.max())]]


FILL_FLOWS = 200
"""The largest flows whose curves a filled frame keeps in view (``frame.js``)."""
FILL_GRID = 12
"""Offsets tried per side when a frame fills (``frame.js``)."""
MARGIN = 16.0
"""Pixels kept between what a frame shows and the map's edge or a corner box."""


def place_at(
    points: np.ndarray,
    s: float,
    size: tuple[float, float],
    rects: Sequence[tuple[float, float, float, float]],
    margin: float = MARGIN,
) -> tuple[float, float] | None:
    """Return the offset (frame px = world px × ``s`` + offset) that puts every point
    (world units, (n, 2)) ``margin`` px inside a frame of ``size`` and clear of the boxes
    ``rects`` (left, top, width, height; grown by ``margin``), nearest the middle, as
    ``frame.js``'s ``placeAt`` finds it; None when no offset of its grid does."""
    xs, ys = points[:, 0] * s, points[:, 1] * s
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    room_x, room_y = size[0] - 2 * margin - (x1 - x0), size[1] - 2 * margin - (y1 - y0)
    if room_x < 0 or room_y < 0:
        return None
    steps = np.arange(FILL_GRID + 1) / FILL_GRID
    ox = (margin - x0 + room_x * steps)[:, None, None]
    oy = (margin - y0 + room_y * steps)[None, :, None]
    clear = np.ones((FILL_GRID + 1, FILL_GRID + 1), dtype=bool)
    for left, top, w, h in rects:
        inside_x = (xs[None, None, :] + ox > left - margin) & (xs + ox < left + w + margin)
        inside_y = (ys[None, None, :] + oy > top - margin) & (ys + oy < top + h + margin)
        clear &= ~(inside_x & inside_y).any(axis=2)
    if not clear.any():
        return None
    away = np.abs((x0 + x1) / 2 + ox[:, :, 0] - size[0] / 2)
    away = away + np.abs((y0 + y1) / 2 + oy[:, :, 0] - size[1] / 2)
    away = np.where(clear, away, np.inf)
    i, j = np.unravel_index(int(np.argmin(away)), away.shape)
    return float(ox[i, 0, 0]), float(oy[0, j, 0])


def fill_frame(
    points: np.ndarray,
    zoom: float,
    size: tuple[float, float],
    rects: Sequence[tuple[float, float, float, float]],
) -> tuple[float, float, float] | None:
    """Zoom in from ``zoom`` (by up to one, in steps of 0.1) as far as the ``points`` (world
    units) still fit clear of the corner boxes ``rects`` (:func:`place_at`): the boxes are
    kept clear of what the map shows, not of whole strips along the sides (``frame.js``'s
    ``fill``). Return the view's centre (world units) and scale, or None (no gain)."""
    if len(points) < 2 or not rects:
        return None
    top = min(18.0, zoom + 1)
    for k in range(round((top - zoom) * 10)):
        z = round((top - 0.1 * k) * 10) / 10
        if z <= zoom + 0.05:
            break
        at = place_at(points, 2.0**z, size, rects)
        if at is not None:
            s = 2.0**z
            return (size[0] / 2 - at[0]) / s, (size[1] / 2 - at[1]) / s, s
    return None


def shift_places(places: pd.DataFrame, bounds: Sequence[Sequence[float]] | None) -> pd.DataFrame:
    """Return ``places`` with longitudes moved by ±360° to lie within 180° of the frame's
    centre, when the frame reaches beyond ±180 (a Pacific-centred world map): places,
    curves and labels then sit in the one copy of the world in view. Otherwise unchanged."""
    if not bounds or "lon" not in places.columns:
        return places
    (_, west), (_, east) = bounds
    if west >= -180 and east <= 180:
        return places
    mid = (west + east) / 2
    lon = places["lon"].astype("float64")
    return places.assign(lon=lon - 360 * np.round((lon - mid) / 360))


__all__ = [
    "BULK_SHARE",
    "FEW_OUTSIDE",
    "FILL_FLOWS",
    "FILL_GRID",
    "HOLD_ZOOMS",
    "MARGIN",
    "MINOR_SHARE",
    "REACH",
    "WORLD_SPAN",
    "fill_frame",
    "frame_bounds",
    "place_at",
    "shift_places",
    "world_cut",
]
