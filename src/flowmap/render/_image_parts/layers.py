"""The GeoJSON layers of a map image (:mod:`flowmap.render._image_parts`), with their Leaflet
styles, circle markers and labels styled as ``flowmap.css`` styles them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.path import Path as MPath

from flowmap.engine.curves import WORLD, project
from flowmap.render._image_parts.ink import INK, PT, Label, css_colour, dashes, label, num
from flowmap.render._image_parts.paths import geometry_paths
from flowmap.render.labelplace import LabelBox, rank


def _features(layer: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    data = layer.get("features")
    if isinstance(data, Mapping):
        data = data.get("features") if data.get("type") == "FeatureCollection" else [data]
    return [f for f in data or [] if isinstance(f, Mapping)]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def draw_base(ax: Any, spec: Mapping[str, Any]) -> None:
    """Draw only the base layers (the countries), without labels: the overview inset's
    map (``inset.js``)."""
    draw_layers(ax, spec, 12.0, base_only=True)


def draw_layers(
    ax: Any, spec: Mapping[str, Any], em: float, *, base_only: bool = False
) -> list[Label]:
    """Draw the GeoJSON layers with their Leaflet styles; return their labels (none with
    ``base_only``: only the base layers' areas)."""
    labels: list[Label] = []
    for layer in spec.get("layers") or []:
        if not isinstance(layer, Mapping) or layer.get("show") is False:
            continue
        if base_only and not layer.get("base"):
            continue
        features = _features(layer)
        drawn: list[tuple[MPath, tuple[Any, Any, float, Any]]] = []
        above: list[tuple[MPath, tuple[Any, Any, float, Any]]] = []
        for feature, path in zip(
            features, geometry_paths([f.get("geometry") for f in features]), strict=True
        ):
            props = _mapping(feature.get("properties"))
            style, geometry = _mapping(props.get("_style")), _mapping(feature.get("geometry"))
            if path is not None:
                # An _above feature (an enclave) is drawn over the flows, as on the page.
                (above if props.get("_above") else drawn).append(
                    (path, _path_style(style, "Polygon" in str(geometry.get("type"))))
                )
            elif base_only:
                continue
            elif (point := _point(geometry)) is not None:
                if "_label" in props:
                    labels.append(_layer_label(ax, props, *point, em))
                else:
                    _marker(ax, style, *point, zorder=2.5 if props.get("_above") else 1)
        for paths, zorder in ((drawn, 1.0), (above, 2.5)):
            _paths(ax, layer, spec, paths, zorder)
    return labels


def _paths(
    ax: Any,
    layer: Mapping[str, Any],
    spec: Mapping[str, Any],
    drawn: list[tuple[MPath, tuple[Any, Any, float, Any]]],
    zorder: float,
) -> None:
    """Draw a layer's areas and lines (in every copy of the world it needs) at ``zorder``:
    under the flows (2), or over them."""
    if not drawn:
        return
    shifts = _copies(layer, spec)
    drawn = [(_shifted(path, dx), style) for dx in shifts for path, style in drawn]
    faces, edges, widths, patterns = zip(*(style for _, style in drawn), strict=True)
    if len(patterns) == 2:  # matplotlib would read two dash patterns as one (offset, dashes)
        patterns = (*patterns, patterns[-1])
    ax.add_collection(
        PathCollection(
            [path for path, _ in drawn],
            facecolors=faces,
            edgecolors=edges,
            linewidths=widths,
            linestyles=list(patterns),
            capstyle="round",
            joinstyle="round",
            zorder=zorder,
        )
    )


def _copies(layer: Mapping[str, Any], spec: Mapping[str, Any]) -> list[float]:
    """World-unit shifts of a layer's copies: a base layer (the countries) also east or
    west of ±180 when the view's bounds reach there (``geoLayer`` in the page)."""
    bounds = (spec.get("view") or {}).get("bounds")
    shifts = [0.0]
    if layer.get("base") and bounds:
        (_, west), (_, east) = bounds
        shifts += [WORLD] if east > 180 else []
        shifts += [-WORLD] if west < -180 else []
    return shifts


def _shifted(path: MPath, dx: float) -> MPath:
    """``path`` moved ``dx`` world units east (itself when dx is 0)."""
    return path if dx == 0 else MPath(path.vertices + np.array([dx, 0.0]), path.codes)


def _point(geometry: Mapping[str, Any]) -> tuple[float, float] | None:
    """(lon, lat) of a GeoJSON point, or None."""
    if geometry.get("type") != "Point":
        return None
    try:
        lon, lat = (float(v) for v in geometry["coordinates"][:2])
    except (TypeError, ValueError, KeyError):
        return None
    return (lon, lat) if math.isfinite(lon) and math.isfinite(lat) else None


def _path_style(style: Mapping[str, Any], polygon: bool) -> tuple[Any, Any, float, Any]:
    """Face and edge colour, width (pt) and dashes of a Leaflet path's options (with
    Leaflet's defaults: blue, 3 px, polygons filled at 0.2)."""
    colour = style.get("color", "#3388ff")
    fill = style.get("fill", polygon)
    face = css_colour(style.get("fillColor", colour), "#3388ff", num(style.get("fillOpacity"), 0.2))
    stroke = style.get("stroke", True) is not False
    edge = css_colour(colour, "#3388ff", num(style.get("opacity"), 1.0) if stroke else 0.0)
    width = num(style.get("weight"), 3.0) * PT
    return face if fill else (0.0, 0.0, 0.0, 0.0), edge, width, dashes(style.get("dashArray"))


def _marker(ax: Any, style: Mapping[str, Any], lon: float, lat: float, zorder: float = 1.0) -> None:
    """A Leaflet circle marker (radius in CSS px), at ``zorder``."""
    face, edge, width, _ = _path_style(style, True)
    x, y = project(lat, lon)
    radius = num(style.get("radius"), 10.0)
    ax.scatter(
        [x],
        [y],
        s=(2 * radius * PT) ** 2,
        c=[face],
        edgecolors=[edge],
        linewidths=width,
        zorder=zorder,
    )


LABEL_STYLES: dict[str, tuple[float, str, str]] = {
    "fm-country": (12, "#777777", "normal"),
    "fm-oblast": (11, "#555555", "normal"),
    "fm-centre": (11, INK, "bold"),
    "fm-place-label": (11, INK, "bold"),
    "fm-district": (12, "#6b5227", "bold"),
    "fm-enclave": (10, "#4a2a5e", "bold"),
}
"""Size (CSS px), colour and weight of the labels' CSS classes."""


def _layer_label(ax: Any, props: Mapping[str, Any], lon: float, lat: float, em: float) -> Label:
    """A label of a layer, styled by its CSS classes as ``flowmap.css`` does, ranked as the
    page ranks it (:func:`flowmap.render.labelplace.rank`: its ``_rank``, else by its
    classes)."""
    classes = str(props.get("_class") or "").split()
    size, colour, weight = next(
        (LABEL_STYLES[c] for c in reversed(classes) if c in LABEL_STYLES),
        (11, "#555555", "normal"),
    )
    text = str(props.get("_label"))
    if "fm-country" in classes:
        text = text.upper()
    if "fm-batken" in classes:
        colour, weight = "#8a6d00", "bold"
    x, y = project(lat, lon)
    size *= em / 12
    value = num(props.get("_value"), 0.0)
    box = LabelBox(kind="area", rank=rank(props.get("_class"), props.get("_rank")), value=value)
    # Upright even where the page uses italics: one font less to embed in a PDF.
    return label(ax, text, float(x), float(y), size, colour, bold=weight == "bold", box=box)


__all__ = ["LABEL_STYLES", "draw_base", "draw_layers"]
