"""The ink of a map image (:mod:`flowmap.render._image_parts`): sizes, text colours, CSS
colours and dashes as matplotlib takes them, and labels with a white halo (placed later by
:mod:`flowmap.render._image_labels`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

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


__all__ = ["ALERT", "GREY", "INK", "PT", "RED", "Label", "css_colour", "dashes", "label", "num"]
