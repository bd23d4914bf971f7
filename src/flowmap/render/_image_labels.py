"""The labels of a map image (:mod:`flowmap.render.image`), measured and placed by
:mod:`flowmap.render.labelplace`: the algorithm the page's ``labelplace.js`` runs, so an image shows
the labels the browser shows in the same frame, where the browser shows them. Like the page
(``labels.js``), an image names the far end of the largest flows that leave it, at its edge
("→ Russia 7,529")."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from matplotlib.transforms import BboxBase

from flowmap.engine.curves import WORLD, project
from flowmap.render._image_parts import PT, Label, css_colour
from flowmap.render.labelplace import Box, Circle, LabelBox, Line, place_labels

EDGE = 28.0
"""A flow end closer than this (px) to the image's edge counts as outside (``labels.js``)."""
MAX_EDGE = 12
"""Edge labels per map, largest flows first."""
SCAN = 5000
"""Flows looked at for edge labels, largest first."""
STEP = 12.0
"""Pixels between the points of a flow where its edge label may go."""
LINES = 300
"""The widest flows that the names of areas keep off (``labels.js``: the first drawn)."""


@dataclass(frozen=True)
class Frame:
    """The view of an image: its centre (world units), scale (CSS px per world unit) and
    size (CSS px)."""

    cx: float
    cy: float
    s: float
    width: float
    height: float

    def at(self, x: float, y: float) -> tuple[float, float]:
        """The frame point (CSS px, y down) of world point (x, y)."""
        return (x - self.cx) * self.s + self.width / 2, (y - self.cy) * self.s + self.height / 2


def place(
    ax: Any,
    labels: Sequence[Label],
    circles: Sequence[tuple[float, float, float, int, float | None]],
    blocks: Sequence[BboxBase],
    frame: Frame,
    renderer: Any,
    flows: Sequence[tuple[np.ndarray, float]] = (),
) -> None:
    """Move each label where :func:`flowmap.render.labelplace.place_labels` puts it, or hide it.

    ``circles`` are the place circles (world x, y, radius in CSS px, place index, and the
    place's total on a dense map, where a label may cover a lesser place's circle);
    ``blocks`` the title, legend and source boxes (display pixels); ``flows`` the curves
    (world units) and widths (CSS px) of the largest flows, which an area's name keeps
    off where it can. Labels and circles are measured in CSS px, y down, as the page does;
    an edge label's path is in CSS px already.
    """
    px, height = ax.figure.dpi / 96, frame.height
    boxes = []
    for item in labels:
        extent = item.text.get_window_extent(renderer)
        x, y = frame.at(item.x, item.y)
        w, h = extent.width / px + 2 * item.inset, extent.height / px + 2 * item.inset
        boxes.append(replace(item.box, x=x, y=y, w=w, h=h))
    dots = [Circle(*frame.at(x, y), r, index, value) for x, y, r, index, value in circles]
    walls = [Box(b.x0 / px, height - b.y1 / px, b.x1 / px, height - b.y0 / px) for b in blocks]
    lines = [Line(_frame_points(frame, c), w) for c, w in flows]
    spots = place_labels(frame.width, height, boxes, walls, dots, lines)
    for item, spot in zip(labels, spots, strict=True):
        for text in (item.text, item.halo):
            if spot is None:
                text.set_visible(False)
                continue
            # The top-left corner of the text, inside its box's padding, in world units.
            left, top = spot.x + item.inset, spot.y + item.inset
            text.set_position(
                (
                    frame.cx + (left - frame.width / 2) / frame.s,
                    frame.cy + (top - height / 2) / frame.s,
                )
            )


def _frame_points(frame: Frame, c: np.ndarray) -> list[tuple[float, float]]:
    """The points of curve ``c`` (world units) in frame pixels."""
    xs = (c[:, 0] - frame.cx) * frame.s + frame.width / 2
    ys = (c[:, 1] - frame.cy) * frame.s + frame.height / 2
    return list(zip(xs.tolist(), ys.tolist(), strict=True))


def shown_flows(
    curves: Sequence[np.ndarray], widths: np.ndarray, frame: Frame, most: int = LINES
) -> list[tuple[np.ndarray, float]]:
    """The curves (each copy of the world in view) and widths of the ``most`` widest
    flows: what labels of areas keep off (``labels.js`` takes the flows drawn first)."""
    out: list[tuple[np.ndarray, float]] = []
    half_w, half_h = frame.width / 2 / frame.s, frame.height / 2 / frame.s
    for i in np.argsort(-widths, kind="stable")[:most]:
        c = curves[int(i)]
        for copy in (-1, 0, 1):
            moved = c + np.array([copy * WORLD, 0.0])
            if (
                moved[:, 0].max() < frame.cx - half_w
                or moved[:, 0].min() > frame.cx + half_w
                or moved[:, 1].max() < frame.cy - half_h
                or moved[:, 1].min() > frame.cy + half_h
            ):
                continue
            out.append((moved, float(widths[int(i)])))
    return out


def edge_labels(
    ax: Any, spec: Mapping[str, Any], curves: Sequence[np.ndarray], frame: Frame, em: float
) -> list[Label]:
    """The labels of the largest flows that leave the image (at most :data:`MAX_EDGE`, one
    per far end and direction), as ``labels.js`` finds them: "→ name value (range)" in the
    colour of the flow's kind, each with the points along the flow where it may go."""
    flows, places = spec["flows"], spec["places"]
    if not curves:
        return []
    order = np.argsort(-np.asarray(flows["c"], dtype=np.float64), kind="stable")[:SCAN]
    # Both ends of each flow in world units, the far end's longitude within 180° of the
    # near one's (``layer.ends`` in the page).
    lat = np.asarray(places["lat"], dtype=np.float64)
    lon = np.asarray(places["lon"], dtype=np.float64)
    o_ids = np.asarray(flows["o"], dtype=np.int64)[order]
    d_ids = np.asarray(flows["d"], dtype=np.int64)[order]
    ox, oy = project(lat[o_ids], lon[o_ids])
    far_lon = lon[d_ids] - 360 * np.ceil((lon[d_ids] - lon[o_ids] - 180) / 360).clip(min=0)
    far_lon = far_lon + 360 * np.ceil((lon[o_ids] - far_lon - 180) / 360).clip(min=0)
    bx, by = WORLD * (far_lon + 180) / 360, project(lat[d_ids], lon[d_ids])[1]
    found: set[tuple[int, bool]] = set()
    out: list[Label] = []
    for r, i in enumerate(int(k) for k in order):
        if len(out) >= MAX_EDGE:
            break
        o, d = int(o_ids[r]), int(d_ids[r])
        ax0, ay0, bx0, by0 = float(ox[r]), float(oy[r]), float(bx[r]), float(by[r])
        for copy in (-1, 0, 1):
            shift = copy * WORLD
            o_in, d_in = _in_view(frame, ax0 + shift, ay0), _in_view(frame, bx0 + shift, by0)
            if o_in == d_in:
                continue
            far, key = (d, True) if o_in else (o, False)
            if (far, key) in found:
                break
            # Only an end really out of view: not one whose point shows in another copy.
            fx, fy = (bx0, by0) if o_in else (ax0, ay0)
            if any(_in_view(frame, fx + k * WORLD, fy) for k in (-1, 0, 1)):
                break
            path = _exit_path(curves[i], o_in, shift, frame)
            if path is None:
                break
            found.add((far, key))
            # A cluster's name ends in a number ("Lyon +12"): a colon keeps it from the flow's.
            gap = ": " if (places.get("held") or {far: ""})[far] else " "
            text = ("→ " if o_in else "← ") + str(places["name"][far]) + gap + _value_text(spec, i)
            out.append(_edge_label(ax, spec, i, text + _range_text(spec, i), path, em))
            break
    return out


def _in_view(frame: Frame, x: float, y: float) -> bool:
    """Whether world point (x, y) is on the image (a circle at its edge still shows)."""
    fx, fy = frame.at(x, y)
    return 0 <= fx <= frame.width and 0 <= fy <= frame.height


def _exit_path(
    curve: np.ndarray, from_origin: bool, shift: float, frame: Frame
) -> list[tuple[float, float]] | None:
    """Points every few pixels along ``curve`` (world units, moved by ``shift``), from its
    end on the image up to where it leaves the inner rectangle; None when it does not."""
    points = curve if from_origin else curve[::-1]
    path: list[tuple[float, float]] = []
    prev: tuple[float, float] | None = None
    low, right, bottom = EDGE, frame.width - EDGE, frame.height - EDGE
    for wx, wy in points:
        p = frame.at(float(wx) + shift, float(wy))
        if prev is None:
            path.append(p)
        else:
            steps = max(1, math.ceil(math.hypot(p[0] - prev[0], p[1] - prev[1]) / STEP))
            for t in range(1, steps + 1):
                q = (prev[0] + (p[0] - prev[0]) * t / steps, prev[1] + (p[1] - prev[1]) * t / steps)
                if not (low <= q[0] <= right and low <= q[1] <= bottom):
                    return path
                path.append(q)
        prev = p
    return None


def _value_text(spec: Mapping[str, Any], i: int) -> str:
    """Flow i's figure as the page writes it (``valueText``): a net view signs it."""
    flows, style = spec["flows"], spec["style"]
    signed = ((spec.get("text") or {}).get("tip") or {}).get("signed")
    kind = style["kinds"][flows["k"][i]] if flows.get("k") else None
    count = flows["c"][i]
    if signed and kind and kind.get("kind"):
        return _number(spec, -count) if kind["kind"] == signed else "+" + _number(spec, count)
    if kind and kind.get("kind") in ("gain", "loss"):  # a map of change signs the change
        return _number(spec, -count) if kind["kind"] == "loss" else "+" + _number(spec, count)
    return _number(spec, count)


def _number(spec: Mapping[str, Any], value: float) -> str:
    """A number with the page's symbols (grouping, decimal sign, minus), at most three
    decimals, as the page's ``numberFormat`` writes it."""
    symbols = {"group": ",", "decimal": ".", "minus": "\u2212", **(spec.get("numbers") or {})}
    text = f"{value:,.3f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    swap = {",": symbols["group"], ".": symbols["decimal"], "-": symbols["minus"]}
    return "".join(swap.get(c, c) for c in text)


def _range_text(spec: Mapping[str, Any], i: int) -> str:
    """Flow i's "range" attribute in the shown language, in brackets, or ""."""
    codes = (spec["flows"].get("a") or {}).get("range")
    if not codes or not codes[i] >= 0:
        return ""
    for attribute in spec.get("attributes") or []:
        names = attribute.get("labels") or []
        if attribute.get("key") == "range" and codes[i] < len(names) and names[codes[i]]:
            return f" ({names[codes[i]]})"
    return ""


def _edge_label(
    ax: Any,
    spec: Mapping[str, Any],
    i: int,
    text: str,
    path: Sequence[tuple[float, float]],
    em: float,
) -> Label:
    """An edge label as ``.fm-edge`` draws it: bold, the kind's colour, on a white box."""
    flows, kinds = spec["flows"], spec["style"]["kinds"]
    kind = kinds[flows["k"][i]] if flows.get("k") else {}
    size, inset = 13 * em / 12, 3 * em / 12
    made = ax.text(
        0,
        0,
        text,
        color=css_colour(kind.get("colour"), "#333333"),
        fontsize=size * PT,
        fontweight="bold",
        ha="left",
        va="top",
        zorder=4.2,
        parse_math=False,
        bbox={
            "boxstyle": f"round,pad={inset / size},rounding_size={3 * em / 12 / size}",
            "facecolor": (1, 1, 1, 0.88),
            "edgecolor": (0, 0, 0, 0.3),
            "linewidth": 0.5 * PT,
        },
    )
    box = LabelBox(kind="edge", path=tuple(path))
    return Label(made, made, 0.0, 0.0, box, inset)


__all__ = ["EDGE", "LINES", "MAX_EDGE", "Frame", "edge_labels", "place", "shown_flows"]
