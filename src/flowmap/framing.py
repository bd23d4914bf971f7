"""Where a map opens: framed on the bulk of the flow volume, not on one far outlier.

Each end of a drawn flow weighs its count. The frame holds the chosen places and the ends
nearest the volume-weighted centre that together carry most of the volume, plus every end
not much farther away than those; a few far destinations (a hundred people who went to the
USA) leave the frame instead of shrinking everything else to a dot.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

BULK_SHARE = 0.8
"""The share of the flow volume whose ends are always in the frame."""
REACH = 1.6
"""Ends up to this many times farther than the bulk's farthest end are in the frame too."""


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)], axis=-1)


def frame_bounds(
    drawn: pd.DataFrame,
    places: pd.DataFrame,
    chosen: Sequence[str] = (),
    *,
    bulk_share: float = BULK_SHARE,
    reach: float = REACH,
    also: Sequence[Sequence[float]] = (),
) -> list[list[float]] | None:
    """Return ``[[south, west], [north, east]]`` to open the map on, or None without flows.

    Longitudes are unwrapped around the frame's centre (so a frame across the antimeridian
    is one box), and the centre's longitude lies in [-180, 180). Points in ``also``
    (lat, lon) are always in the frame.
    """
    ends = pd.concat(
        [
            pd.DataFrame({"id": drawn["origin"], "w": drawn["count"]}),
            pd.DataFrame({"id": drawn["dest"], "w": drawn["count"]}),
        ]
    )
    weights = ends.groupby("id")["w"].sum()
    for pid in chosen:
        if pid in places.index:
            weights.loc[pid] = weights.get(pid, 0) + max(1, int(weights.sum()))
    weights = weights[weights.index.isin(places.index)]
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
    keep = angle <= max(radius * reach, radius + np.radians(0.5))
    keep[[weights.index.get_loc(p) for p in chosen if p in weights.index]] = True
    centre_lon = float(np.degrees(np.arctan2(centre[1], centre[0])))
    extra = np.array([[float(a), float(b)] for a, b in also]).reshape(-1, 2)
    lons = (np.concatenate([lon[keep], extra[:, 1]]) - centre_lon + 180) % 360 - 180 + centre_lon
    lats = np.clip(np.concatenate([lat[keep], extra[:, 0]]), -80, 80)
    return [[float(lats.min()), float(lons.min())], [float(lats.max()), float(lons.max())]]


__all__ = ["BULK_SHARE", "REACH", "frame_bounds"]
