"""The place circles and their names, and the scale bar, of a map image
(:mod:`flowmap.render._picture`), drawn as ``assets/overlays.js`` and Leaflet draw them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.offsetbox import DrawingArea
from matplotlib.text import Text

from flowmap.engine.curves import WORLD, project, unproject
from flowmap.render._image_parts.boxes import distance
from flowmap.render._image_parts.ink import INK, PT, Label, label
from flowmap.render.labelplace import LabelBox

DENSE = 60
"""More place circles than this: a dense map (``assets/labels.js``'s ``DENSE``)."""


def places_of(
    ax: Any, spec: Mapping[str, Any], em: float
) -> tuple[list[Label], list[tuple[float, float, float, int, float | None]]]:
    """Draw the place circles (area ∝ arrivals + departures); return the labels of the
    largest (``maxLabels``, 60 by default, as the page) and the circles (world x, y, radius
    in CSS px, place index)."""
    places, totals = spec["places"], spec.get("totals") or {}
    total = np.asarray(totals.get("total") or [0] * len(places["id"]), dtype=np.float64)
    shown = np.flatnonzero(total > 0)
    if not len(shown):
        return [], []
    most = float((spec.get("style") or {}).get("maxRadius") or 16)  # scales.js's radius
    radius = np.maximum(3, most * np.sqrt(total / max(1.0, total.max())))
    order = shown[np.argsort(-radius[shown], kind="stable")]
    x, y = project(np.asarray(places["lat"])[order], np.asarray(places["lon"])[order])
    focus = places.get("focus") or [0] * len(places["id"])
    dark = (spec.get("style") or {}).get("theme") == "dark"  # as overlays.js draws them
    ax.scatter(
        x,
        y,
        s=(2 * radius[order] * PT) ** 2,
        c=["#ffd54f" if focus[i] else "#2a2f38" if dark else "#ffffff" for i in order],
        alpha=0.9,
        edgecolors="#d0d0d0" if dark else "#333333",
        linewidths=PT,
        zorder=3,
    )
    most = int(spec.get("maxLabels") or 60)
    ranked = shown[np.argsort(-total[shown], kind="stable")][:most]
    # A dense map (more circles than names, as labels.js's DENSE): names keep clear only of
    # the circles of the places that may be named, and may cover those of lesser places.
    dense = len(shown) > DENSE
    named = set(ranked.tolist())
    circles = [
        (float(cx), float(cy), float(radius[i]), int(i), float(total[i]) if dense else None)
        for cx, cy, i in zip(x, y, order, strict=True)
        if not dense or int(i) in named
    ]
    size = em * 11 / 12
    names = []
    for i in ranked:
        # The page's ranks: a chosen place first, then the rest by their totals.
        box = LabelBox(
            kind="place",
            rank=0 if focus[i] else 2,
            value=float(total[i]),
            radius=float(radius[i]),
            circle=int(i),
        )
        name = str(places["name"][i])
        names.append(label(ax, name, *xy_of(places, i), size, INK, bold=True, box=box))
    return names, circles


def xy_of(places: Mapping[str, Any], i: int) -> tuple[float, float]:
    """The world position of place ``i``."""
    x, y = project(places["lat"][i], places["lon"][i])
    return float(x), float(y)


def scale_bar(
    area: DrawingArea, cy: float, s: float, em: float, spec: Mapping[str, Any] | None = None
) -> None:
    """Draw Leaflet's metric scale: the round distance that fits 100 CSS px (scaled) at
    the map's middle height, measured along that latitude, in km or m with the unit in the
    language of ``spec`` (:func:`flowmap.render._image_parts.distance`)."""
    longest = area.width / PT
    lat = math.radians(float(unproject(0.0, cy)[0]))
    half = math.radians(longest / s / WORLD * 360) / 2
    metres = 2 * 6371000 * math.asin(min(1.0, abs(math.cos(lat) * math.sin(half))))
    if not metres > 0:
        return
    pow10 = 10 ** (len(str(math.floor(metres))) - 1)
    d = metres / pow10
    nice = pow10 * (10 if d >= 10 else 5 if d >= 5 else 3 if d >= 3 else 2 if d >= 2 else 1)
    bar = round(longest * nice / metres) * PT
    top, ink = area.height, "#555555"
    area.add_artist(Line2D([1, 1, bar, bar], [top * 0.75, 1, 1, top * 0.75], color=ink, lw=2 * PT))
    text = distance(spec or {}, nice)
    area.add_artist(
        Text(4, 4, text, fontsize=em * 0.8 * PT, color=INK, va="bottom", parse_math=False)
    )


__all__ = ["DENSE", "places_of", "scale_bar", "xy_of"]
