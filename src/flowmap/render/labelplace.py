"""Where labels go: the placement the page (``assets/labelplace.js``) and the images
(:mod:`flowmap.render.image`) share, checked by the same cases (``tests/labelplace_cases.json``).

All sizes are pixels of the frame (x to the right, y down). Labels are placed in order of
rank (lower first; edge labels after rank 0, before the rest), then value (bigger first),
then as given. Each tries its positions (:func:`offsets`) in order and takes the first
whose box, with :data:`PAD` pixels around it, stays :data:`PAD` pixels inside the frame and
clear of the blocks (title, legend, notes, controls), of every circle but its own (a circle
with a ``value`` smaller than the label's, a lesser place of a dense map, is no obstacle) and
of the labels placed before it. A label with no such position is hidden.

>>> # Both name places with a circle of radius 5 at (50, 50); the chosen place (rank 0)
>>> # takes the right side although the other is bigger; the other goes left.
>>> a = LabelBox(x=50, y=50, w=30, h=10, kind="place", radius=5, rank=2, value=9)
>>> b = LabelBox(x=50, y=50, w=30, h=10, kind="place", radius=5, rank=0, value=1)
>>> place_labels(200, 100, [a, b])
[Placed(x=12.0, y=45.0, dx=-38.0, dy=-5.0), Placed(x=58.0, y=45.0, dx=8.0, dy=-5.0)]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

PAD = 2.0
"""Pixels kept free around a label, and around a block."""
CIRCLE_PAD = 1.0
"""Pixels added to a circle's radius (its outline)."""
EDGE_RANK = 0.5
"""The rank of edge labels: after the chosen places (rank 0), before the rest."""
CELL = 64.0
"""The side (px) of a cell of the grid that finds a box's near neighbours."""
CLASS_RANK: dict[str, float] = {
    "fm-enclave": 3,
    "fm-district": 3.5,
    "fm-centre": 4,
    "fm-batken": 5,
}
"""The rank of a layer's label by its CSS class (lower is placed first)."""
OTHER_RANK = 6
"""The rank of a layer's label with none of the classes of :data:`CLASS_RANK`."""

Kind = Literal["place", "area", "edge"]


@dataclass(frozen=True)
class LabelBox:
    """A label to place: its anchor, size and priority, in pixels of the frame.

    ``kind`` is "place" (beside a place circle of radius ``radius``), "area" (on a point
    that names an area) or "edge" (along ``path``, points tried from the last). ``circle``
    is the index of the label's own circle, which it may touch (-1: none).
    """

    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    kind: Kind = "area"
    radius: float = 0.0
    rank: float = OTHER_RANK
    value: float = 0.0
    circle: int = -1
    path: Sequence[tuple[float, float]] = field(default_factory=tuple)


@dataclass(frozen=True)
class Circle:
    """A place circle labels keep clear of (``index`` lets its own label touch it)."""

    x: float
    y: float
    r: float
    index: int = -1
    value: float | None = None
    """The total of the circle's place: a label of a larger place may cover it (None: no
    label may)."""


@dataclass(frozen=True)
class Line:
    """A drawn flow (its points in frame pixels, ``w`` pixels wide) that an area's label
    keeps clear of where it can: a name is not written under a flow when another of its
    positions is free."""

    points: Sequence[tuple[float, float]]
    w: float = 1.0


@dataclass(frozen=True)
class Box:
    """A rectangle labels keep clear of (a title, legend, notes or control box)."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Placed:
    """Where a label went: its top-left corner, and its offset from its anchor (for an
    edge label, from the point of its path it took)."""

    x: float
    y: float
    dx: float
    dy: float


def rank(classes: str | None, own: Any = None) -> float:
    """The rank of a layer's label: its own number when it has one, else by its classes.

    >>> rank("fm-label fm-district"), rank("fm-country"), rank("fm-country", 1)
    (5, 6, 1)
    """
    if isinstance(own, int | float) and not isinstance(own, bool):
        return own
    return min(
        (CLASS_RANK.get(c, OTHER_RANK) for c in str(classes or "").split()), default=OTHER_RANK
    )


def offsets(kind: str, w: float, h: float, r: float) -> list[tuple[float, float]]:
    """The offsets (top-left of the label from its point) to try, in order of preference."""
    if kind == "area":
        return [
            (-w / 2, -h / 2),
            (-w / 2, -h * 1.6),
            (-w / 2, h * 0.6),
            (6, -h / 2),
            (-w - 6, -h / 2),
            (-w / 2, h * 1.4),
            (-w / 2, -h * 2.4),
            (6, h * 1.4),
            (-w - 6, h * 1.4),
        ]
    if kind == "edge":
        return [(-w / 2, -h / 2), (4, -h - 2), (-w - 4, -h - 2), (4, 4), (-w - 4, 4)]
    g, d = r + 3, r * 0.7 + 2
    return [
        (g, -h / 2),
        (-g - w, -h / 2),
        (-w / 2, -g - h),
        (-w / 2, g),
        (d, -d - h),
        (d, d),
        (-d - w, -d - h),
        (-d - w, d),
    ]


_Rect = tuple[float, float, float, float]
_Dot = tuple[float, float, float, int, float]


class _Grid:
    """The circles and placed boxes of a frame, listed by the cells of a grid they reach."""

    def __init__(self, width: float, height: float) -> None:
        self.cols = max(1, math.ceil(width / CELL))
        self.rows = max(1, math.ceil(height / CELL))
        self.boxes: dict[int, list[_Rect]] = {}
        self.dots: dict[int, list[_Dot]] = {}
        self.segments: dict[int, list[tuple[float, float, float, float, float]]] = {}

    def _keys(self, left: float, top: float, right: float, bottom: float) -> list[int]:
        c0, c1 = max(0, math.floor(left / CELL)), min(self.cols - 1, math.floor(right / CELL))
        r0, r1 = max(0, math.floor(top / CELL)), min(self.rows - 1, math.floor(bottom / CELL))
        return [row * self.cols + col for row in range(r0, r1 + 1) for col in range(c0, c1 + 1)]

    def add_box(self, box: _Rect) -> None:
        for key in self._keys(*box):
            self.boxes.setdefault(key, []).append(box)

    def add_dot(self, dot: _Dot) -> None:
        x, y, r, _, _ = dot
        for key in self._keys(x - r, y - r, x + r, y + r):
            self.dots.setdefault(key, []).append(dot)

    def hits(
        self, left: float, top: float, right: float, bottom: float, skip: int, value: float
    ) -> bool:
        """Whether the box meets a placed box or a circle other than ``skip`` (-1: none) and
        not smaller than ``value``."""
        boxes, dots, cols = self.boxes, self.dots, self.cols
        c0, c1 = max(0, math.floor(left / CELL)), min(cols - 1, math.floor(right / CELL))
        r0, r1 = max(0, math.floor(top / CELL)), min(self.rows - 1, math.floor(bottom / CELL))
        for row in range(r0, r1 + 1):
            for key in range(row * cols + c0, row * cols + c1 + 1):
                for cx, cy, cr, index, size in dots.get(key, ()):
                    if (index == skip and skip >= 0) or size < value:
                        continue
                    dx = (left if cx < left else right if cx > right else cx) - cx
                    dy = (top if cy < top else bottom if cy > bottom else cy) - cy
                    if dx * dx + dy * dy < cr * cr:
                        return True
                for l2, t2, r2, b2 in boxes.get(key, ()):
                    if left < r2 and l2 < right and top < b2 and t2 < bottom:
                        return True
        return False


def _num(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


def _order(labels: Sequence[LabelBox]) -> list[int]:
    """The order labels are placed in: rank, then value (bigger first), then as given."""

    def key(i: int) -> tuple[float, float, int]:
        label = labels[i]
        first = EDGE_RANK if label.kind == "edge" else _num(label.rank, OTHER_RANK)
        return (first, -_num(label.value, 0.0), i)

    return sorted(range(len(labels)), key=key)


def _segments(lines: Sequence[Line], width: float, height: float) -> _Grid:
    """A grid of the lines' segments, each as the box it spans grown by half the line's
    width, and its ends (for the exact test in :func:`_crosses`)."""
    grid = _Grid(width, height)
    for line in lines:
        half = _num(line.w, 1.0) / 2
        pts = list(line.points)
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            box = (min(x0, x1) - half, min(y0, y1) - half, max(x0, x1) + half, max(y0, y1) + half)
            if box[2] < 0 or box[3] < 0 or box[0] > width or box[1] > height:
                continue
            for key in grid._keys(*box):
                grid.segments.setdefault(key, []).append((x0, y0, x1, y1, half))
    return grid


def _crosses(segments: _Grid, left: float, top: float, right: float, bottom: float) -> bool:
    """Whether a segment of :func:`_segments` passes through the box (grown by its half
    width): Liang–Barsky clipping of the segment to the box."""
    cols = segments.cols
    c0, c1 = max(0, math.floor(left / CELL)), min(cols - 1, math.floor(right / CELL))
    r0, r1 = max(0, math.floor(top / CELL)), min(segments.rows - 1, math.floor(bottom / CELL))
    for row in range(r0, r1 + 1):
        for key in range(row * cols + c0, row * cols + c1 + 1):
            for x0, y0, x1, y1, half in segments.segments.get(key, ()):
                if _clips(x0, y0, x1, y1, (left - half, top - half, right + half, bottom + half)):
                    return True
    return False


def _clips(x0: float, y0: float, x1: float, y1: float, box: _Rect) -> bool:
    """Whether the segment (x0, y0)–(x1, y1) meets the box (left, top, right, bottom)."""
    t0, t1, dx, dy = 0.0, 1.0, x1 - x0, y1 - y0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def place_labels(
    width: float,
    height: float,
    labels: Sequence[LabelBox],
    blocks: Sequence[Box] = (),
    circles: Sequence[Circle] = (),
    lines: Sequence[Line] = (),
) -> list[Placed | None]:
    """Place ``labels`` in a frame of ``width`` × ``height`` px, clear of ``blocks`` and
    ``circles``; return, in the order given, where each went (None: hidden). An area's
    label takes the first of its positions also clear of the ``lines`` (the flows), and
    only when none is, the first clear of the rest: flows never hide a name."""
    grid = _Grid(width, height)
    segments = _segments(lines, width, height)
    walls = [(b.left - PAD, b.top - PAD, b.right + PAD, b.bottom + PAD) for b in blocks]
    for c in circles:
        r = c.r + CIRCLE_PAD
        # A circle off the frame cannot meet a label inside it.
        if c.x + r < 0 or c.y + r < 0 or c.x - r > width or c.y - r > height:
            continue
        size = math.inf if c.value is None else float(c.value)
        grid.add_dot((c.x, c.y, r, int(c.index), size))
    out: list[Placed | None] = [None] * len(labels)
    low, right_max, bottom_max = PAD, width - PAD, height - PAD
    for i in _order(labels):
        label = labels[i]
        w, h = _num(label.w, 0.0), _num(label.h, 0.0)
        offs = offsets(label.kind, w, h, _num(label.radius, 0.0))
        points = list(label.path) if label.kind == "edge" else [(label.x, label.y)]
        skip, value = int(label.circle), _num(label.value, 0.0)
        frame = (low, right_max, bottom_max)
        tries = [segments, None] if label.kind == "area" and lines else [None]
        for avoid in tries:
            for px, py in reversed(points):
                spot = _first_free(px, py, w, h, offs, frame, walls, grid, (skip, value), avoid)
                if spot is not None:
                    out[i] = spot
                    break
            if out[i] is not None:
                break
    return out


def _first_free(
    px: float,
    py: float,
    w: float,
    h: float,
    offs: Sequence[tuple[float, float]],
    frame: tuple[float, float, float],
    walls: Sequence[_Rect],
    grid: _Grid,
    own: tuple[int, float],
    avoid: _Grid | None = None,
) -> Placed | None:
    """The first offset from (px, py) where the label fits (clear of the segments of
    ``avoid`` too, when given), added to the grid; or None."""
    low, right_max, bottom_max = frame
    for ox, oy in offs:
        x, y = px + ox, py + oy
        left, top, right, bottom = x - PAD, y - PAD, x + w + PAD, y + h + PAD
        if left < low or top < low or right > right_max or bottom > bottom_max:
            continue
        if any(left < r2 and l2 < right and top < b2 and t2 < bottom for l2, t2, r2, b2 in walls):
            continue
        if grid.hits(left, top, right, bottom, *own):
            continue
        if avoid is not None and _crosses(avoid, left, top, right, bottom):
            continue
        grid.add_box((left, top, right, bottom))
        return Placed(float(x), float(y), float(ox), float(oy))
    return None


def label_box(data: Mapping[str, Any]) -> LabelBox:
    """A :class:`LabelBox` from a mapping of its fields (as in the JSON cases)."""
    path = tuple((float(p[0]), float(p[1])) for p in data.get("path") or ())
    fields = {
        k: data[k] for k in ("x", "y", "w", "h", "kind", "radius", "rank", "value") if k in data
    }
    return LabelBox(**fields, circle=int(data.get("circle", -1)), path=path)


__all__ = [
    "CLASS_RANK",
    "EDGE_RANK",
    "PAD",
    "Box",
    "Circle",
    "LabelBox",
    "Line",
    "Placed",
    "label_box",
    "offsets",
    "place_labels",
    "rank",
]
