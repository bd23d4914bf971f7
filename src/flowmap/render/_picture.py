"""Drawing a map spec with matplotlib (the ``[image]`` extra): the work behind
:func:`flowmap.render.image.render_image`, imported only when an image is drawn, so that
``import flowmap`` and the command line start without matplotlib."""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType

from flowmap.engine.curves import WORLD, corridor_lanes, lane_curve, project, spec_curves
from flowmap.engine.framing import FILL_FLOWS, fill_frame
from flowmap.render._image_labels import Frame, edge_labels, shown_flows
from flowmap.render._image_labels import place as place_labels
from flowmap.render._image_parts import (
    PT,
    alpha_of,
    arrow,
    boxes,
    css_colour,
    dash_look,
    draw_layers,
    nominal_corners,
    offset_line,
    width_px,
)
from flowmap.render._image_parts.inset import draw_inset, inset_box
from flowmap.render._image_parts.paths import geometry_paths
from flowmap.render._image_parts.places import places_of, scale_bar
from flowmap.render._image_theme import darken
from flowmap.render.cluster import view_at
from flowmap.render.pagespec import basemap_layer
from flowmap.render.theme import SHADES, ramp_index

if TYPE_CHECKING:
    from flowmap.render.image import ImageSize

SEA = SHADES["light"]["sea"]
RC: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "text.usetex": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "flowmap",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,  # also sizes the PDF font subsets: the whole BMP in one subset
    "lines.scale_dashes": False,
    "axes.unicode_minus": False,
}
_LOCK = threading.Lock()
"""matplotlib's settings are global: one image is drawn at a time (the app has threads)."""
METADATA: dict[str, dict[str, Any]] = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}
PNG_OPTIONS: dict[str, Any] = {"compress_level": 1}
"""zlib's fastest level for PNGs: a Batken map's 2 million pixels are compressed in half
the time of the default level 6, for a file 3–5 % larger (the same pixels)."""


def warm() -> None:
    """Load what every image needs whatever its spec: the fonts of its texts (regular and
    bold) and the paths of the offline basemap's countries
    (:func:`~flowmap.render._image_parts.paths.geometry_paths`, kept for the image)."""
    with _LOCK, mpl.rc_context(RC):
        fig = Figure(figsize=(4, 1), dpi=96)
        renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
        for weight in ("normal", "bold"):
            fig.text(0, 0, "Batken 0", fontweight=weight).get_window_extent(renderer)
        geometry_paths([f.get("geometry") for f in basemap_layer("en")["features"]["features"]])


def draw_bytes(spec: Mapping[str, Any], fmt: str, page: ImageSize) -> bytes:
    """Return the image of a clean map spec (its JSON) as ``fmt`` bytes on ``page``."""
    with _LOCK, mpl.rc_context(RC):
        dark = (spec.get("style") or {}).get("theme") == "dark"
        sea = SHADES["dark" if dark else "light"]["sea"]
        fig = Figure(figsize=(page.width_in, page.height_in), dpi=page.dpi, facecolor=sea)
        FigureCanvasAgg(fig)
        if spec.get("clusters"):
            # A map of many places: the image is one zoom, cut as the page cuts it at the
            # image's scale (first at the opening bounds' scale, then at the framed one).
            # The first cut is only framed (its boxes measured, not its flows drawn): one
            # full drawing, of the final cut.
            first = view_at(spec, _rough_scale(spec, page))
            final = view_at(spec, _draw(fig, first, page, frame_only=True))
            same = final["places"] == first["places"] and final["flows"] == first["flows"]
            fig.clear()
            _draw(fig, first if same else final, page)
        else:
            _draw(fig, spec, page)
        if dark:
            darken(fig)
        buffer = io.BytesIO()
        more: dict[str, Any] = {"pil_kwargs": PNG_OPTIONS} if fmt == "png" else {}
        fig.savefig(buffer, format=fmt, dpi=page.dpi, metadata=METADATA.get(fmt), **more)
    return buffer.getvalue()


def _rough_scale(spec: Mapping[str, Any], page: ImageSize) -> float:
    """The scale (CSS px per world unit) at which the spec's opening bounds fill the image."""
    bounds = (spec.get("view") or {}).get("bounds")
    if not bounds:
        return 8.0
    (south, west), (north, east) = bounds
    (x0, x1), (y0, y1) = project([north, south], [west, east])
    return float(
        min(page.width_in * 96 / max(x1 - x0, 1e-9), page.height_in * 96 / max(y1 - y0, 1e-9))
    )


def _draw(
    fig: Figure, spec: Mapping[str, Any], page: ImageSize, *, frame_only: bool = False
) -> float:
    """Draw the spec on ``fig``; return the image's scale (CSS px per world unit). With
    ``frame_only``, stop once the view is framed (the boxes drawn, no layer or flow)."""
    width, height = page.width_in * 96, page.height_in * 96
    em = height / 60  # the body text size in CSS px: 18 px on a 1080-px slide
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    curves = spec_curves(spec)
    made, scale_area = boxes(ax, spec, em, len(curves))
    extents = [b.get_window_extent(renderer) for b in made]
    # The frame keeps clear of the boxes' nominal sizes, the same in every language, so
    # that the English, Kyrgyz and Russian images of a map frame it alike; and of the
    # overview inset in the top-right corner, when flows leave the view (as the page).
    corners = nominal_corners(spec, em)
    inset = inset_box(spec, width, height)
    if inset is not None:
        corners.append((True, False, width - inset[0], inset[1] + inset[3]))
    cx, cy, s = _frame(spec, curves, width, height, corners)
    if frame_only:
        return s
    ax.set_xlim(cx - width / 2 / s, cx + width / 2 / s)
    ax.set_ylim(cy + height / 2 / s, cy - height / 2 / s)
    labels = draw_layers(ax, spec, em)
    laned = _lanes(spec, curves, s)
    _flows(ax, spec, laned, s, (cx, cy, width / 2 / s, height / 2 / s))
    names, circles = places_of(ax, spec, em)
    frame = Frame(cx, cy, s, width, height)
    if inset is not None:
        half_w, half_h = width / 2 / s, height / 2 / s
        view = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
        mini = draw_inset(fig, spec, curves, inset, (width, height), view)
        extents.append(mini.get_window_extent(renderer))
    edges = edge_labels(ax, spec, curves, frame, em)
    counts = np.asarray(spec["flows"]["c"], dtype=np.float64)
    widths = np.floor(width_px(spec["scale"], counts) * 2 + 0.5) / 2 if curves else counts
    lines = shown_flows(laned, widths, frame)
    place_labels(ax, names + labels + edges, circles, extents, frame, renderer, lines)
    scale_bar(scale_area, cy, s, em, spec)
    return s


def _lanes(spec: Mapping[str, Any], curves: Sequence[np.ndarray], s: float) -> list[np.ndarray]:
    """Return the curves on their lanes at scale ``s``, as the page draws them: parallel
    flows side by side where they start and end (:func:`~flowmap.engine.curves.corridor_lanes`)."""
    if not curves:
        return list(curves)
    flows, places, kinds = spec["flows"], spec["places"], spec["style"]["kinds"]
    counts = np.asarray(flows["c"], dtype=np.float64)
    once = np.array([kinds[k].get("kind") == "once" for k in (flows.get("k") or [0] * len(counts))])
    widths = np.where(once, float(spec["scale"]["minPx"]), width_px(spec["scale"], counts))
    lanes = corridor_lanes(
        flows["o"], flows["d"], places["lat"], places["lon"], np.floor(widths * 2 + 0.5) / 2
    )
    return [lane_curve(c, s, float(a), float(b)) for c, (a, b) in zip(curves, lanes, strict=True)]


def _frame(
    spec: Mapping[str, Any],
    curves: Sequence[np.ndarray],
    width: float,
    height: float,
    corners: Sequence[tuple[bool, bool, float, float]],
) -> tuple[float, float, float]:
    """Return the view's centre (world units) and scale (CSS px per world unit), as the
    page's ``fitAvoiding(map, curveBounds(...))`` finds them."""
    bounds = (spec.get("view") or {}).get("bounds")
    if not bounds:
        x, y = project(30.0, 0.0)
        return float(x), float(y), 8.0  # the page's opening view: zoom 3
    (south, west), (north, east) = bounds
    (x0, x1), (y0, y1) = project([north, south], [west, east])
    box = [float(x0), float(y0), float(x1), float(y1)]
    lat = np.asarray(spec["places"]["lat"], dtype=np.float64)
    lon = np.asarray(spec["places"]["lon"], dtype=np.float64)
    mid = (west + east) / 2
    near = lon - 360 * np.round((lon - mid) / 360)
    eps = 1e-6  # the bounds' rounding: an end on them is inside
    inside = (
        (lat >= south - eps) & (lat <= north + eps) & (near >= west - eps) & (near <= east + eps)
    )
    points: list[np.ndarray] = []  # what a filled frame keeps in view (frame.js's fill)
    largest = np.argsort(-np.asarray(spec["flows"]["c"], dtype=np.float64), kind="stable")
    for o, d, c in zip(spec["flows"]["o"], spec["flows"]["d"], curves, strict=True):
        if inside[o] and inside[d]:
            shift = (near[o] - lon[o]) / 360 * WORLD
            box = [
                min(box[0], c[:, 0].min() + shift),
                min(box[1], c[:, 1].min()),
                max(box[2], c[:, 0].max() + shift),
                max(box[3], c[:, 1].max()),
            ]
    # One world width at most, as the page's curveBounds (360° around the bounds' middle).
    box[0], box[2] = max(box[0], mid / 360 * WORLD), min(box[2], (mid + 360) / 360 * WORLD)
    best: tuple[float, float, float, float, float] | None = None
    for mask in range(1 << len(corners)):
        pad = {"t": 0.0, "l": 0.0, "b": 0.0, "r": 0.0}
        for i, (at_top, at_left, w, h) in enumerate(corners):
            side = ("t" if at_top else "b") if mask >> i & 1 else ("l" if at_left else "r")
            pad[side] = max(pad[side], h if side in "tb" else w)
        left, top, right, bottom = (pad[k] + 16 for k in "ltrb")
        scale = min(
            max(1.0, width - left - right) / max(box[2] - box[0], 1e-12),
            max(1.0, height - top - bottom) / max(box[3] - box[1], 1e-12),
        )
        zoom = math.floor(math.log2(scale) / 0.001 + 0.5) * 0.001  # Leaflet's zoom snap
        zoom = min(18.0, max(0.0, math.floor(zoom / 0.1) * 0.1))
        if best is None or zoom > best[0]:
            best = (zoom, left, top, right, bottom)
    assert best is not None
    zoom, left, top, right, bottom = best
    # One copy of the world at most, as the page's fitAvoiding: no view wider than 360°.
    zoom = max(zoom, math.ceil(math.log2(width / WORLD) * 10 - 1e-6) / 10)
    s = 2.0**zoom
    cx = (box[0] + box[2]) / 2 + (right - left) / 2 / s
    cy = (box[1] + box[3]) / 2 + (bottom - top) / 2 / s
    for k in largest:
        o, d = spec["flows"]["o"][k], spec["flows"]["d"][k]
        if inside[o] and inside[d] and len(points) < FILL_FLOWS:
            points.append(curves[k] + np.array([(near[o] - lon[o]) / 360 * WORLD, 0.0]))
    area = [(float(a), float(b)) for a, b in (spec.get("view") or {}).get("area") or []]
    if area:
        ax_, ay_ = project(
            [a for a, _ in area], [mid + (b - mid + 180) % 360 - 180 for _, b in area]
        )
        points.append(np.column_stack([ax_, ay_]))
    rects = [
        (0.0 if at_left else width - w, 0.0 if at_top else height - h, w, h)
        for at_top, at_left, w, h in corners
    ]
    shown = np.vstack(points) if points else np.empty((0, 2))
    filled = fill_frame(shown, zoom, (width, height), rects)
    # ...unless that brings another flow end into view under a box (frame.js likewise).
    if filled is not None and not _ends_under(spec, filled, (width, height), rects):
        cx, cy, s = filled
    return cx, cy, s


def _ends_under(
    spec: Mapping[str, Any],
    view: tuple[float, float, float],
    size: tuple[float, float],
    rects: Sequence[tuple[float, float, float, float]],
) -> bool:
    """Whether a flow end shows in the ``view`` (centre, scale) under one of the boxes."""
    used = sorted(set(spec["flows"]["o"]) | set(spec["flows"]["d"]))
    lat = np.asarray(spec["places"]["lat"], dtype=np.float64)[used]
    x, y = project(lat, np.asarray(spec["places"]["lon"], dtype=np.float64)[used])
    cx, cy, s = view
    for copy in (-1, 0, 1):
        px, py = (x + copy * WORLD - cx) * s + size[0] / 2, (y - cy) * s + size[1] / 2
        for left, top, w, h in rects:
            if ((px >= left) & (px <= left + w) & (py >= top) & (py <= top + h)).any():
                return True
    return False


def _flows(
    ax: Any,
    spec: Mapping[str, Any],
    curves: Sequence[np.ndarray],
    s: float,
    view: tuple[float, float, float, float],
) -> None:
    """Draw the flows as the page does: grouped by width, opacity, kind, dash and
    paleness, faded by count (:func:`~flowmap.render._image_parts.boxes.alpha_of`, the
    page's ``scales.alpha``), the largest on top, each group's arrowheads over its lines."""
    if not curves:
        return
    flows, style, scale = spec["flows"], spec["style"], spec["scale"]
    counts = np.asarray(flows["c"], dtype=np.float64)
    kinds = style["kinds"]
    once = np.array(
        [kinds[k].get("kind") == "once" for k in (flows.get("k") or [0] * len(counts))], bool
    )  # a map of change: a pair in one period only, no change: thinnest and faintest
    widths = np.where(once, float(scale["minPx"]), width_px(scale, counts))
    widths = np.floor(widths * 2 + 0.5) / 2
    basis = (flows.get("a") or {}).get(style.get("styleBy") or "")
    dashed, pale = _codes(style.get("dashed")), _codes(style.get("pale"))
    faint = np.array([(basis[i] if basis else -1) in pale for i in range(len(counts))], bool)
    lines_a, heads_a = alpha_of(scale, style.get("fade"), np.where(once, 0, counts), faint)
    ramp = list(style.get("ramp") or [])
    shares = np.sqrt(np.clip(counts, 0, None) / max(float(scale["maxCount"]), 1e-12))
    groups: dict[tuple[float, float, float, str, bool, bool], list[np.ndarray]] = {}
    cx, cy, half_w, half_h = view
    for i in np.argsort(-counts, kind="stable"):
        code = basis[i] if basis else -1
        kind = flows["k"][i] if flows.get("k") else 0
        colour = (
            ramp[ramp_index(min(1.0, float(shares[i])), len(ramp))]
            if ramp
            else str(kinds[kind].get("colour"))
        )
        key = (
            float(widths[i]),
            float(lines_a[i]),
            float(heads_a[i]),
            colour,
            code in dashed,
            code in pale,
        )
        c, pad = curves[i], widths[i] / s
        for copy in (-1, 0, 1):
            dx = copy * WORLD
            if (
                c[:, 0].max() + dx < cx - half_w - pad
                or c[:, 0].min() + dx > cx + half_w + pad
                or c[:, 1].max() < cy - half_h - pad
                or c[:, 1].min() > cy + half_h + pad
            ):
                continue
            groups.setdefault(key, []).append(c + np.array([dx, 0.0]))
    # Narrowest (then faintest) first: the widest, most opaque groups end on top.
    for (w, line_a, head_a, css, dash, _), lines in sorted(
        groups.items(), key=lambda g: (g[0][0], g[0][1])
    ):
        colour = css_colour(css, "#555555")
        look = dash_look(w, dash)
        ax.add_collection(
            LineCollection(
                lines[::-1],  # the group's largest last: on top
                colors=[colour],
                alpha=line_a * look.alpha,
                linewidths=w * PT,
                linestyles=[(0, tuple(v * PT for v in look.dash))] if look.dash else "solid",
                capstyle="butt" if dash else "round",
                joinstyle="round",
                zorder=2,
            )
        )
        if look.outline:  # a wide modelled flow: a pale band in a fine dashed outline
            edges = [offset_line(c, side * look.edge / s) for c in lines for side in (-1, 1)]
            ax.add_collection(
                LineCollection(
                    edges,
                    colors=[colour],
                    alpha=line_a,
                    linewidths=look.outline * PT,
                    linestyles=[(0, tuple(v * PT for v in look.outline_dash))],
                    capstyle="butt",
                    zorder=2,
                )
            )
        ax.add_collection(
            PolyCollection(
                [t for t in (arrow(c, w, s) for c in lines) if t is not None],
                facecolors=[colour],
                alpha=head_a,
                linewidths=0,
                zorder=2,
            )
        )


def _codes(value: Any) -> set[int]:
    """The codes a ``dashed``/``pale`` mapping marks (JSON keys are text, Python's ints)."""
    out: set[int] = set()
    for key, on in (value or {}).items():
        if on and str(key).lstrip("-").isdigit():
            out.add(int(key))
    return out
