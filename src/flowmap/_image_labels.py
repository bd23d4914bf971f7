"""The labels of a map image (:mod:`flowmap.image`), measured and placed by
:mod:`flowmap.labelplace`: the algorithm the page's ``labelplace.js`` runs, so an image shows
the labels the browser shows in the same frame, where the browser shows them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from matplotlib.transforms import BboxBase, offset_copy

from flowmap._image_parts import PT, Label
from flowmap.labelplace import Box, Circle, place_labels


def place(
    ax: Any,
    labels: Sequence[Label],
    circles: Sequence[tuple[float, float, float, int]],
    blocks: Sequence[BboxBase],
    frame: tuple[float, float],
    renderer: Any,
) -> None:
    """Move each label where :func:`flowmap.labelplace.place_labels` puts it, or hide it.

    ``circles`` are the place circles (world x, y, radius in CSS px, place index);
    ``blocks`` the title, legend and source boxes (display pixels); ``frame`` the image's
    size in CSS px. Labels and circles are measured in CSS px, y down, as the page does.
    """
    width, height = frame
    px = ax.figure.dpi / 96

    def at(x: float, y: float) -> tuple[float, float]:
        dx, dy = ax.transData.transform((x, y))
        return float(dx) / px, height - float(dy) / px

    boxes = []
    for item in labels:
        extent = item.text.get_window_extent(renderer)
        x, y = at(item.x, item.y)
        boxes.append(replace(item.box, x=x, y=y, w=extent.width / px, h=extent.height / px))
    dots = [Circle(*at(x, y), r, index) for x, y, r, index in circles]
    walls = [Box(b.x0 / px, height - b.y1 / px, b.x1 / px, height - b.y0 / px) for b in blocks]
    for item, spot in zip(labels, place_labels(width, height, boxes, walls, dots), strict=True):
        if spot is None:
            item.text.set_visible(False)
            item.halo.set_visible(False)
            continue
        moved = offset_copy(
            ax.transData, fig=ax.figure, x=spot.dx * PT, y=-spot.dy * PT, units="points"
        )
        item.text.set_transform(moved)
        item.halo.set_transform(moved)


__all__ = ["place"]
