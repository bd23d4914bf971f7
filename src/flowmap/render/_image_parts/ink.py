"""The ink of a map image (:mod:`flowmap.render._image_parts`): sizes, text colours, CSS
colours and dashes as matplotlib takes them, and labels with a white halo (placed later by
:mod:`flowmap.render._image_labels`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import colors as mcolors
from matplotlib import patheffects
from matplotlib.text import Text

from flowmap.render.labelplace import LabelBox

PT = 0.75
"""Points per CSS pixel (96 CSS px to the inch)."""
INK, GREY, RED = "#222222", "#444444", "#b2182b"
# RED is the page's ``.fm-empty`` text ("no flow matches"), an alert colour of flowmap.css:
# not a kind of flow. Flows and their legend take their colours from the spec's palette.
ALERT = "#7a4a00"
"""What a view leaves out, under the title (``.fm-alert`` in the page's CSS)."""


DASH_BAND, BAND_ALPHA, OUTLINE, OUTLINE_DASH = 5.0, 0.35, 1.25, (5.0, 3.0)
"""A modelled (dashed) flow this wide (CSS px) or wider is a pale band (``BAND_ALPHA`` times
the line's opacity) in a fine dashed outline (``OUTLINE`` px, ``OUTLINE_DASH``), as
``geo.dashLook`` draws it on the page."""


@dataclass(frozen=True)
class DashLook:
    """How a flow is stroked (CSS px): its dash pattern (empty: solid), its opacity as a
    share of the line's, and the width, distance from the middle and dashes of an outline
    drawn either side (``outline`` 0: none)."""

    dash: tuple[float, ...]
    alpha: float
    outline: float
    edge: float
    outline_dash: tuple[float, ...]


def dash_look(w: float, dashed: bool) -> DashLook:
    """How a flow ``w`` CSS px wide is stroked (``geo.dashLook``): solid; or, when
    ``dashed`` (a modelled figure), a thin one as a dashed line and a wide one as a pale
    band in a fine dashed outline, so that it reads as modelled without breaking into
    blocks.

    >>> dash_look(3, True).dash, dash_look(12, True).outline, dash_look(12, False).dash
    ((4.8, 3.3000000000000003), 1.25, ())
    """
    if not dashed:
        return DashLook((), 1.0, 0.0, 0.0, ())
    if w < DASH_BAND:
        return DashLook((max(4.0, 1.6 * w), max(3.0, 1.1 * w)), 1.0, 0.0, 0.0, ())
    return DashLook((), BAND_ALPHA, OUTLINE, (w - OUTLINE) / 2, OUTLINE_DASH)


def offset_line(c: np.ndarray, d: float) -> np.ndarray:
    """Curve ``c`` ((k, 2) points, y down) moved ``d`` units to the left of travel along
    its normals (right when negative): the edge of a band drawn along it
    (``geo.offsetLine``)."""
    before = np.vstack([c[:1], c[:-1]])
    after = np.vstack([c[1:], c[-1:]])
    u = after - before
    length = np.hypot(u[:, 0], u[:, 1])
    length[length == 0] = 1.0
    normal = np.column_stack([u[:, 1], -u[:, 0]]) / length[:, None]
    moved: np.ndarray = c + normal * d
    return moved


ARROW_LONG, ARROW_HALF, ARROW_MIN_LONG, ARROW_MIN_HALF = 2.2, 0.85, 12.0, 4.5
"""An arrowhead's length and half-width in CSS px: times the line's width, and at least
(``assets/geo.js``): longer than wide, so it reads as pointing away from the start."""


def arrow(c: np.ndarray, w: float, s: float) -> np.ndarray | None:
    """The arrowhead of curve ``c`` (world units) at 70 % of its points, or None: longer
    than it is wide, as the page's ``geo.arrowHead`` draws it."""
    n = len(c)
    k = max(1, min(n - 2, int(n * 0.7)))
    if k + 1 >= n:
        return None
    u = c[k + 1] - c[k - 1]
    length = math.hypot(u[0], u[1])
    if length * s < 1e-6:
        return None
    u = u / length
    size = max(ARROW_MIN_LONG, w * ARROW_LONG) / s
    half = max(ARROW_MIN_HALF, w * ARROW_HALF) / s
    tip = c[k] + u * size / 2
    base, normal = tip - u * size, np.array([-u[1], u[0]])
    return np.array([tip, base + normal * half, base - normal * half])


@dataclass
class Label:
    """A label and its white halo (drawn as a path below it, so SVG and PDF keep the label
    itself as text), at world point (x, y), with what :mod:`flowmap.render.labelplace` needs
    to place it (``box``: its kind, rank, value, circle; the size and anchor come later) and
    the padding (CSS px) of the box drawn around the text, if any."""

    text: Text
    halo: Text
    x: float
    y: float
    box: LabelBox
    inset: float = 0.0


def label(
    ax: Any, text: str, x: float, y: float, size: float, colour: str, *, bold: bool, box: LabelBox
) -> Label:
    """Put a label with a white halo at world point (x, y), its top-left corner there until
    :func:`flowmap.render._image_labels.place` moves it or hides it."""
    style: dict[str, Any] = {
        "transform": ax.transData,
        "fontsize": size * PT,
        "fontweight": "bold" if bold else "normal",
        "ha": "left",
        "va": "top",
        "parse_math": False,
    }
    halo = ax.text(x, y, text, color="w", zorder=4, **style)
    halo.set_path_effects([patheffects.Stroke(linewidth=max(2.5, size / 5) * PT, foreground="w")])
    return Label(ax.text(x, y, text, color=colour, zorder=4.1, **style), halo, x, y, box)


def css_colour(value: Any, default: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    """An RGBA colour from a CSS colour of the data (``default`` when matplotlib can't)."""
    try:
        rgba = mcolors.to_rgba(str(value) if value is not None else default)
    except ValueError:
        rgba = mcolors.to_rgba(default)
    return (rgba[0], rgba[1], rgba[2], rgba[3] * num(alpha, 1.0))


def num(value: Any, default: float) -> float:
    """Return ``value`` as a finite number, else ``default``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


def dashes(value: Any) -> Any:
    """A Leaflet ``dashArray`` ("3 3") as a matplotlib dash pattern in points."""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list | tuple) or not value:
        return "solid"
    lengths = [num(v, -1.0) for v in value]
    if any(v < 0 for v in lengths) or sum(lengths) <= 0:
        return "solid"
    lengths = lengths * (2 if len(lengths) % 2 else 1)
    return (0, tuple(v * PT for v in lengths))


__all__ = [
    "ALERT",
    "GREY",
    "INK",
    "PT",
    "RED",
    "DashLook",
    "Label",
    "arrow",
    "css_colour",
    "dash_look",
    "dashes",
    "label",
    "num",
    "offset_line",
]
