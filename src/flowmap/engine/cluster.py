"""Places clustered by zoom: nearby places merge as a map zooms out, and split as it zooms in.

A map of thousands of places (the towns of a country) is a carpet of circles and flows at the
zoom it opens. Its places are clustered once, at export time, by SciPy's hierarchical
clustering (:func:`scipy.cluster.hierarchy.linkage`, complete linkage) on their Web
Mercator coordinates: :func:`hierarchy` returns the merges as ``[a, b, distance]`` rows (a
leaf is a place index, node ``n + k`` the cluster made by merge ``k``; distances in world
pixels at zoom 0). The page (``assets/cluster.js``) and the images (:func:`cut`) cut that
tree at :data:`CLUSTER_PX` screen pixels: places whose cluster would span no more than that
many pixels at the current zoom are one cluster. Complete linkage makes that span a bound
on every pair of members, so a cluster is never a long chain of towns.

Flows between clusters are summed; flows within one cluster are not drawn, but stay in its
totals (:func:`level`): a cluster's arrivals, departures and internal volume are exactly the
sums of its members', at every level (the tests check this).

    >>> lat, lon = [48.1, 48.11, 45.0], [-1.68, -1.69, 5.0]
    >>> merges = hierarchy(lat, lon)
    >>> cut(merges, 3, 0.5).tolist()  # the two near places merge, the far one stays alone
    [0, 0, 1]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from flowmap.engine.curves import project, unproject

CLUSTER_FROM = 400
"""Maps of more places than this (with a flow drawn) cluster them by zoom. Up to a few
hundred places keep their circles apart at the zoom a map opens at (a world of 200
countries, a country's regions: each place stays itself, named as the table names it);
above, circles and flows cover each other, and clusters make the map readable."""

CLUSTER_PX = 36.0
"""Places are merged while their cluster spans at most this many screen pixels (about two
large circles side by side)."""

Ints = NDArray[np.int64]


def hierarchy(lat: ArrayLike, lon: ArrayLike, alone: ArrayLike = ()) -> NDArray[np.float64]:
    """Return the merges of the places at ``lat``, ``lon`` (degrees) as rows ``[a, b,
    distance]``: SciPy's complete linkage of their Web Mercator positions, distances in
    world pixels at zoom 0 rounded to 4 significant digits (rounding keeps them in
    order), an empty ``(0, 3)`` array for fewer than two places. The places of index
    ``alone`` (the chosen places of a map) are in no merge: never clustered with others.
    Leaves are place indices, node ``n + k`` the cluster made by merge ``k`` (``n``: all
    places)."""
    x, y = project(lat, lon)
    n = len(x)
    kept = np.setdiff1d(np.arange(n), np.asarray(alone, dtype=np.int64))
    if len(kept) < 2:
        return np.zeros((0, 3))
    from scipy.cluster.hierarchy import linkage  # only maps of many places need SciPy

    z = linkage(np.column_stack([x[kept], y[kept]]), method="complete", metric="euclidean")
    m = len(kept)
    ends = z[:, :2].astype(np.int64)
    ends = np.where(ends < m, kept[np.minimum(ends, m - 1)], ends - m + n)
    distances = np.array([float(f"{d:.4g}") for d in z[:, 2]])
    return np.column_stack([ends.astype(np.float64), distances])


def threshold(scale: float, px: float = CLUSTER_PX) -> float:
    """Return the merge distance (world pixels at zoom 0) at ``scale`` (screen pixels per
    world pixel, ``2 ** zoom``) for clusters of at most ``px`` pixels."""
    return px / scale


def cut(merges: ArrayLike, n: int, limit: float) -> Ints:
    """Return the cluster of each of ``n`` places when the tree ``merges`` is cut at
    distance ``limit`` (the merges of distance ``<= limit`` are made): indices ``0..k-1``,
    numbered in the order of each cluster's first place."""
    rows = np.asarray(merges, dtype=np.float64).reshape(-1, 3)
    nodes = np.arange(n + len(rows))
    # A node belongs to its parent's cluster when the parent's merge is within the limit:
    # each node points to that parent (else to itself), and the pointers are followed by
    # doubling (each round jumps twice as far) until every node points to its cluster's
    # top node.
    made = n + np.arange(len(rows))
    up = nodes.copy()
    within = rows[:, 2] <= limit
    ends = rows[:, :2].astype(np.int64)
    up[ends[within, 0]] = made[within]
    up[ends[within, 1]] = made[within]
    root = up
    while True:
        further = root[root]
        if np.array_equal(further, root):
            break
        root = further
    _, labels = np.unique(root[:n], return_inverse=True)
    order = np.full(labels.max() + 1 if n else 0, n)
    np.minimum.at(order, labels, np.arange(n))
    rank = np.argsort(np.argsort(order, kind="stable"), kind="stable")
    return np.asarray(rank[labels], dtype=np.int64)


@dataclass(frozen=True)
class Level:
    """The places and flows of one cut: clusters and the flows between them.

    ``members`` lists each cluster's places (largest total first); ``lat``, ``lon`` is its
    position (the total-weighted centre of its members, in Web Mercator); ``arrivals``,
    ``departures`` and ``internal`` sum its members' (internal: flows from one member to
    another, not drawn). ``origin``, ``dest``, ``kind``, ``count`` are the flows between
    clusters, summed over the flows of each pair and kind, largest first; ``summed`` is how
    many flows of the table each one sums.
    """

    members: tuple[tuple[int, ...], ...]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    arrivals: Ints
    departures: Ints
    internal: Ints
    origin: Ints
    dest: Ints
    kind: Ints
    count: Ints
    summed: Ints


def level(
    labels: ArrayLike,
    lat: ArrayLike,
    lon: ArrayLike,
    origin: ArrayLike,
    dest: ArrayLike,
    count: ArrayLike,
    kind: ArrayLike | None = None,
) -> Level:
    """Return the clusters ``labels`` (:func:`cut`) of the places at ``lat``, ``lon`` and
    the flows (place indices ``origin`` → ``dest``, ``count``, ``kind``) between them."""
    lab = np.asarray(labels, dtype=np.int64)
    o, d, c, k = _arrays(origin, dest, count, kind)
    size = int(lab.max()) + 1 if len(lab) else 0
    into = np.bincount(d, weights=c, minlength=len(lab)).astype(np.int64)
    out = np.bincount(o, weights=c, minlength=len(lab)).astype(np.int64)
    total = into + out
    # Each cluster's places, largest total first (ties by index): one sort of every place
    # by (cluster, -total, index), split at the clusters' boundaries.
    order = np.lexsort((np.arange(len(lab)), -total, lab))
    bounds = np.cumsum(np.bincount(lab, minlength=size))[:-1]
    members = tuple(tuple(part.tolist()) for part in np.split(order, bounds)) if size else ()
    x, y = project(lat, lon)
    weight = total.astype(np.float64) + 1e-9
    mass = np.bincount(lab, weights=weight, minlength=size)
    cx = np.bincount(lab, weights=weight * x, minlength=size) / mass
    cy = np.bincount(lab, weights=weight * y, minlength=size) / mass
    clat, clon = unproject(cx, cy)
    co = lab[o]
    inside = co == lab[d]
    internal = np.bincount(co[inside], weights=c[inside], minlength=size).astype(np.int64)
    keys, sums, summed = _between(lab, o, d, c, k)
    kinds = int(k.max()) + 1 if len(k) else 1
    order = np.lexsort((keys, -sums))
    return Level(
        members=members,
        lat=clat,
        lon=clon,
        arrivals=np.bincount(lab, weights=into, minlength=size).astype(np.int64),
        departures=np.bincount(lab, weights=out, minlength=size).astype(np.int64),
        internal=internal,
        origin=(keys // kinds // size)[order],
        dest=(keys // kinds % size)[order],
        kind=(keys % kinds)[order],
        count=sums[order],
        summed=summed[order],
    )


def _between(lab: Ints, o: Ints, d: Ints, c: Ints, k: Ints) -> tuple[Ints, Ints, Ints]:
    """Return the flows between clusters ``lab`` (the flows within one left out), one per
    pair and kind: their keys ``(origin * clusters + dest) * kinds + kind`` in order, their
    summed counts and how many flows of the table each sums."""
    size = int(lab.max()) + 1 if len(lab) else 0
    co, cd = lab[o], lab[d]
    apart = co != cd
    key = (co[apart] * size + cd[apart]) * (int(k.max()) + 1 if len(k) else 1) + k[apart]
    keys, where = np.unique(key, return_inverse=True)
    sums = np.bincount(where, weights=c[apart], minlength=len(keys)).astype(np.int64)
    summed = np.bincount(where, minlength=len(keys)).astype(np.int64)
    return keys, sums, summed


def _arrays(
    origin: ArrayLike, dest: ArrayLike, count: ArrayLike, kind: ArrayLike | None
) -> tuple[Ints, Ints, Ints, Ints]:
    """Return the flows' origins, destinations, counts and kinds as integer arrays (kind 0
    for every flow when ``kind`` is None)."""
    o, d = np.asarray(origin, dtype=np.int64), np.asarray(dest, dtype=np.int64)
    c = np.asarray(count, dtype=np.int64)
    k = np.zeros(len(o), np.int64) if kind is None else np.asarray(kind, dtype=np.int64)
    return o, d, c, k


def largest_by_zoom(
    merges: ArrayLike,
    lat: Sequence[float],
    lon: Sequence[float],
    origin: ArrayLike,
    dest: ArrayLike,
    count: ArrayLike,
    kind: ArrayLike | None = None,
) -> Ints:
    """Return the largest flow between clusters at each zoom from 0 to 18 (index: zoom;
    0 where a zoom draws no flow): zoomed out, summed flows grow larger than any flow of
    the table."""
    n = len(lat)
    o, d, c, k = _arrays(origin, dest, count, kind)
    out = np.zeros(19, np.int64)
    found: dict[bytes, int] = {}  # zooms that cut the tree alike have the same largest flow
    for zoom in range(19):
        lab = cut(merges, n, threshold(2.0**zoom))
        seen = lab.tobytes()
        if seen not in found:
            found[seen] = _largest_between(lab, o, d, c, k)
        out[zoom] = found[seen]
    return out


DENSE_KEYS = 1 << 22
"""Pairs of clusters (times kinds) up to which the flows between them are summed by key in
one dense array (32 MB at most) rather than by sorting the keys (:func:`_largest_between`)."""


def _largest_between(lab: Ints, o: Ints, d: Ints, c: Ints, k: Ints) -> int:
    """Return the largest flow between clusters ``lab`` (0 when every flow is within
    one): :func:`_between`'s largest sum, without sorting where the keys are few."""
    size = int(lab.max()) + 1 if len(lab) else 0
    kinds = int(k.max()) + 1 if len(k) else 1
    if size * size * kinds > DENSE_KEYS:
        _, sums, _ = _between(lab, o, d, c, k)
        return int(sums.max()) if len(sums) else 0
    co, cd = lab[o], lab[d]
    apart = co != cd
    if not apart.any():
        return 0
    key = (co[apart] * size + cd[apart]) * kinds + k[apart]
    return int(np.bincount(key, weights=c[apart]).max())


def widest_count(
    merges: ArrayLike,
    lat: Sequence[float],
    lon: Sequence[float],
    origin: ArrayLike,
    dest: ArrayLike,
    count: ArrayLike,
    kind: ArrayLike | None = None,
    *,
    lowest: int = 0,
) -> int:
    """Return the largest flow between clusters at any zoom of a map from ``lowest`` to 18:
    the count its widest line is scaled to, so that the width scale and legend hold at
    every zoom from there in (zoomed further out, larger flows are drawn as wide, and the
    legend says so: :func:`flowmap.render.cluster.with_clusters`)."""
    best = int(np.max(count)) if len(np.asarray(count)) else 1
    found = largest_by_zoom(merges, lat, lon, origin, dest, count, kind)
    return max(best, int(found[max(0, lowest) :].max()))


__all__ = [
    "CLUSTER_FROM",
    "CLUSTER_PX",
    "Level",
    "cut",
    "hierarchy",
    "largest_by_zoom",
    "level",
    "threshold",
    "widest_count",
]
