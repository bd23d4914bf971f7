"""The overview inset of a map image (:mod:`flowmap.render._image_parts`), as the page's
``assets/inset.js`` draws it: a small second map in the top-right corner with the base
layers, the largest flows (thinner) and a rectangle where the main map is, shown when the
flows leave the main view."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.patches import Rectangle

from flowmap.engine.curves import project
from flowmap.render._image_parts.boxes import alpha_of, width_px
from flowmap.render._image_parts.ink import arrow, css_colour
from flowmap.render._image_parts.layers import draw_base

TOP = 2000
"""Flows the inset carries, largest first (``inset.js``)."""
SEA = "#dde8ef"


def inset_box(spec: Mapping[str, Any], width: float, height: float) -> tuple[float, ...] | None:
    """The inset's place (left, top, width, height in CSS px) on a ``width`` × ``height``
    image, or None when the page would not open it: no flows, a small map, or every flow
    end within the view's bounds (grown by 5 %)."""
    bounds = (spec.get("view") or {}).get("bounds")
    ends = _ends(spec)
    if not bounds or not len(ends) or width < 900 or height < 560:
        return None
    (south, west), (north, east) = bounds
    dlat, dlon = (north - south) * 0.05, (east - west) * 0.05
    lat, lon = ends[:, 0], ends[:, 1]
    inside = (lat >= south - dlat) & (lat <= north + dlat)
    inside &= (lon >= west - dlon) & (lon <= east + dlon)
    if inside.all():
        return None
    w = max(160.0, min(240.0, round(width * 0.16)))
    return (width - 10 - w, 10.0, w, float(round(w * 0.62)))


def _ends(spec: Mapping[str, Any]) -> np.ndarray:
    """(lat, lon) of each place at an end of a flow."""
    flows, places = spec["flows"], spec["places"]
    used = sorted(set(flows["o"]) | set(flows["d"]))
    return np.array([[places["lat"][i], places["lon"][i]] for i in used], dtype=np.float64)


def draw_inset(
    fig: Any,
    spec: Mapping[str, Any],
    curves: Sequence[np.ndarray],
    box: tuple[float, ...],
    page: tuple[float, float],
    view: tuple[float, float, float, float],
) -> Any:
    """Draw the inset in ``box`` (CSS px) of a ``page`` (width, height): the base layers,
    the :data:`TOP` largest flows at 0.4 of their width and the main ``view`` (world x0,
    y0, x1, y1) as a rectangle; return its axes."""
    left, top, w, h = box
    width, height = page
    ax = fig.add_axes((left / width, 1 - (top + h) / height, w / width, h / height))
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#c4c4c4")
        spine.set_linewidth(0.6)
    ax.set_zorder(6)
    # fitBounds(whole.pad(0.08)) at a zoom snapped down to a quarter step.
    ends = _ends(spec)
    south, north = ends[:, 0].min(), ends[:, 0].max()
    west, east = ends[:, 1].min(), ends[:, 1].max()
    dlat, dlon = (north - south) * 0.08, (east - west) * 0.08
    (x0, x1), (y1, y0) = project([south - dlat, north + dlat], [west - dlon, east + dlon])
    scale = min(w / max(x1 - x0, 1e-9), h / max(y1 - y0, 1e-9))
    s = 2.0 ** (math.floor(math.log2(scale) * 4) / 4)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax.set_xlim(cx - w / 2 / s, cx + w / 2 / s)
    ax.set_ylim(cy + h / 2 / s, cy - h / 2 / s)
    draw_base(ax, spec)
    _flows(ax, spec, curves, s)
    vx0, vy0, vx1, vy1 = view
    ax.add_patch(
        Rectangle((vx0, vy0), vx1 - vx0, vy1 - vy0, fill=False, ec="#222222", lw=1.5 * 0.75)
    )
    return ax


def _flows(ax: Any, spec: Mapping[str, Any], curves: Sequence[np.ndarray], s: float) -> None:
    """The largest flows, thinner (``insetSpec``: 0.4 of the widest, at least 1.5 px; the
    thinnest 0.7 px), smallest first, each with its arrowhead."""
    flows, kinds = spec["flows"], spec["style"]["kinds"]
    scale = dict(spec["scale"])
    scale["maxPx"], scale["minPx"] = max(1.5, float(scale["maxPx"]) * 0.4), 0.7
    counts = np.asarray(flows["c"], dtype=np.float64)
    order = np.argsort(-counts, kind="stable")[:TOP][::-1]
    widths = width_px(scale, counts)
    lines_a, heads_a = alpha_of(scale, spec["style"].get("fade"), counts)
    lines, colours, heads, head_colours = [], [], [], []
    for i in order:
        kind = flows["k"][i] if flows.get("k") else 0
        r, g, b, _ = css_colour(kinds[kind].get("colour"), "#555555")
        lines.append(curves[i])
        colours.append((r, g, b, float(lines_a[i])))
        head = arrow(curves[i], float(widths[i]), s)
        if head is not None:
            heads.append(head)
            head_colours.append((r, g, b, float(heads_a[i])))
    ax.add_collection(LineCollection(lines, colors=colours, linewidths=widths[order] * 0.75))
    ax.add_collection(PolyCollection(heads, facecolors=head_colours, linewidths=0))


__all__ = ["TOP", "draw_inset", "inset_box"]
