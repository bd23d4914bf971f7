"""The parts of a map image besides the flows (:mod:`flowmap.render.image`): the GeoJSON layers
with their Leaflet styles, labels with a white halo, and the title, legend and source boxes
with the scale, laid out as ``assets/flowmap.js`` and ``flowmap.css`` lay out the page.

Sizes are CSS pixels (``PT`` points each); every text is drawn with ``parse_math=False``.
The parts: :mod:`~flowmap.render._image_parts.ink` (sizes, colours, dashes, haloed labels),
:mod:`~flowmap.render._image_parts.layers` (GeoJSON layers and their labels) and
:mod:`~flowmap.render._image_parts.boxes` (title, legend and source boxes and their texts).
"""

from __future__ import annotations

from flowmap.render._image_parts.boxes import (
    alpha_of,
    boxes,
    credits,
    distance,
    nominal_corners,
    people,
    still_label,
    still_notes,
    width_px,
)
from flowmap.render._image_parts.ink import (
    INK,
    PT,
    Label,
    arrow,
    css_colour,
    dash_look,
    label,
    offset_line,
)
from flowmap.render._image_parts.layers import draw_layers

__all__ = [
    "INK",
    "PT",
    "Label",
    "alpha_of",
    "arrow",
    "boxes",
    "credits",
    "css_colour",
    "dash_look",
    "distance",
    "draw_layers",
    "label",
    "nominal_corners",
    "offset_line",
    "people",
    "still_label",
    "still_notes",
    "width_px",
]
