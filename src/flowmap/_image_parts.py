"""The parts of a map image besides the flows (:mod:`flowmap.image`): the GeoJSON layers
with their Leaflet styles, labels with a white halo, and the title, legend and source boxes
with the scale, laid out as ``assets/flowmap.js`` and ``flowmap.css`` lay out the page.

Sizes are CSS pixels (``PT`` points each); every text is drawn with ``parse_math=False``.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np
from babel import Locale
from babel.numbers import format_decimal
from matplotlib import colors as mcolors
from matplotlib import patheffects
from matplotlib.collections import PathCollection
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.offsetbox import AnchoredOffsetbox, DrawingArea, HPacker, TextArea, VPacker
from matplotlib.patches import Circle, Rectangle
from matplotlib.path import Path as MPath
from matplotlib.text import Text
from shapely.geometry import shape
from shapely.geometry.polygon import orient

from flowmap.curves import project
from flowmap.labelplace import LabelBox, rank

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
    itself as text), at world point (x, y), with what :mod:`flowmap.labelplace` needs to
    place it (``box``: its kind, rank, value, circle; the size and anchor come later) and
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
    :func:`flowmap._image_labels.place` moves it or hides it."""
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
    return (rgba[0], rgba[1], rgba[2], rgba[3] * _num(alpha, 1.0))


def _num(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


def _features(layer: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    data = layer.get("features")
    if isinstance(data, Mapping):
        data = data.get("features") if data.get("type") == "FeatureCollection" else [data]
    return [f for f in data or [] if isinstance(f, Mapping)]


@lru_cache(maxsize=32)
def _geometry_paths(text: str) -> tuple[MPath | None, ...]:
    """The matplotlib path (world units) of each GeoJSON geometry of a layer, given as the
    JSON text of the list of geometries, parsed and projected once per process."""
    paths: list[MPath | None] = []
    for geometry in json.loads(text):
        parts: list[tuple[np.ndarray, bool]] = []
        try:
            _rings(shape(geometry), parts)
        except Exception:
            parts = []
        if not parts:
            paths.append(None)
            continue
        vertices, codes = [], []
        for coords, closed in parts:
            x, y = project(coords[:, 1], coords[:, 0])
            vertices.append(np.column_stack([x, y]))
            kind = np.full(len(coords), MPath.LINETO, dtype=np.uint8)
            kind[0] = MPath.MOVETO
            if closed:
                kind[-1] = MPath.CLOSEPOLY
            codes.append(kind)
        paths.append(MPath(np.concatenate(vertices), np.concatenate(codes)))
    return tuple(paths)


def _rings(geom: Any, out: list[tuple[np.ndarray, bool]]) -> None:
    """Collect the rings (holes turning the other way) and lines of a shapely geometry."""
    kind = geom.geom_type
    if kind == "Polygon" and not geom.is_empty:
        geom = orient(geom, 1.0)
        for ring in (geom.exterior, *geom.interiors):
            out.append((np.asarray(ring.coords)[:, :2], True))
    elif kind == "LineString" and len(geom.coords) >= 2:
        out.append((np.asarray(geom.coords)[:, :2], False))
    elif kind in ("MultiPolygon", "MultiLineString", "GeometryCollection"):
        for part in geom.geoms:
            _rings(part, out)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def draw_layers(ax: Any, spec: Mapping[str, Any], em: float) -> list[Label]:
    """Draw the GeoJSON layers with their Leaflet styles; return their labels."""
    labels: list[Label] = []
    for layer in spec.get("layers") or []:
        if not isinstance(layer, Mapping) or layer.get("show") is False:
            continue
        features = _features(layer)
        text = json.dumps([f.get("geometry") for f in features], default=str)
        drawn: list[tuple[MPath, tuple[Any, Any, float, Any]]] = []
        for feature, path in zip(features, _geometry_paths(text), strict=True):
            props = _mapping(feature.get("properties"))
            style, geometry = _mapping(props.get("_style")), _mapping(feature.get("geometry"))
            if path is not None:
                drawn.append((path, _path_style(style, "Polygon" in str(geometry.get("type")))))
            elif (point := _point(geometry)) is not None:
                if "_label" in props:
                    labels.append(_layer_label(ax, props, *point, em))
                else:
                    _marker(ax, style, *point)
        if drawn:
            faces, edges, widths, dashes = zip(*(style for _, style in drawn), strict=True)
            ax.add_collection(
                PathCollection(
                    [path for path, _ in drawn],
                    facecolors=faces,
                    edgecolors=edges,
                    linewidths=widths,
                    linestyles=dashes,
                    capstyle="round",
                    joinstyle="round",
                    zorder=1,
                )
            )
    return labels


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
    face = css_colour(
        style.get("fillColor", colour), "#3388ff", _num(style.get("fillOpacity"), 0.2)
    )
    stroke = style.get("stroke", True) is not False
    edge = css_colour(colour, "#3388ff", _num(style.get("opacity"), 1.0) if stroke else 0.0)
    width = _num(style.get("weight"), 3.0) * PT
    return face if fill else (0.0, 0.0, 0.0, 0.0), edge, width, _dashes(style.get("dashArray"))


def _marker(ax: Any, style: Mapping[str, Any], lon: float, lat: float) -> None:
    """A Leaflet circle marker (radius in CSS px)."""
    face, edge, width, _ = _path_style(style, True)
    x, y = project(lat, lon)
    radius = _num(style.get("radius"), 10.0)
    ax.scatter([x], [y], s=(2 * radius * PT) ** 2, c=[face], edgecolors=[edge], linewidths=width)


def _dashes(value: Any) -> Any:
    """A Leaflet ``dashArray`` ("3 3") as a matplotlib dash pattern in points."""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list | tuple) or not value:
        return "solid"
    lengths = [_num(v, -1.0) for v in value]
    if any(v < 0 for v in lengths) or sum(lengths) <= 0:
        return "solid"
    lengths = lengths * (2 if len(lengths) % 2 else 1)
    return (0, tuple(v * PT for v in lengths))


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
    page ranks it (:func:`flowmap.labelplace.rank`: its ``_rank``, else by its classes)."""
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
    value = _num(props.get("_value"), 0.0)
    box = LabelBox(kind="area", rank=rank(props.get("_class"), props.get("_rank")), value=value)
    # Upright even where the page uses italics: one font less to embed in a PDF.
    return label(ax, text, float(x), float(y), size, colour, bold=weight == "bold", box=box)


def _para(
    text: Any, size: float, width: float, colour: str = INK, *, bold: bool = False
) -> TextArea:
    """A paragraph of ``size`` CSS px, wrapped to about ``width`` CSS px."""
    chars = max(8, int(width / (size * (0.62 if bold else 0.56))))
    lines = textwrap.wrap(str(text), chars, break_long_words=True, break_on_hyphens=False)
    return TextArea(
        "\n".join(lines) or " ",
        textprops={
            "fontsize": size * PT,
            "color": colour,
            "fontweight": "bold" if bold else "normal",
            "parse_math": False,
            "linespacing": 1.2,
        },
    )


def _anchored(child: Any, loc: str, em: float) -> AnchoredOffsetbox:
    """A white box with rounded corners in a corner of the map, 10 CSS px (scaled) in."""
    box = AnchoredOffsetbox(
        loc,
        child=child,
        pad=0.5,
        borderpad=10 / 12,
        frameon=True,
        prop=FontProperties(size=em * PT),
    )
    box.patch.set_boxstyle("round,pad=0,rounding_size=0.35")
    box.patch.set_facecolor((1, 1, 1, 0.93))
    box.patch.set_edgecolor("#c4c4c4")
    box.patch.set_linewidth(0.6)
    box.patch.set_path_effects(
        [patheffects.SimplePatchShadow(offset=(0.8, -0.8), alpha=0.2), patheffects.Normal()]
    )
    box.set_zorder(5)
    return box


def _swatch(width: float, colour: Any, ui: float, *, dashed: bool, alpha: float) -> DrawingArea:
    """The page's legend swatch: a 48-px line of a flow's width (true CSS px)."""
    height = max(10, math.ceil(width) + 4) * PT
    area = DrawingArea(48 * ui * PT, height)
    line = Line2D(
        [2 * ui * PT, 46 * ui * PT],
        [height / 2, height / 2],
        color=colour,
        alpha=alpha,
        linewidth=width * PT,
        solid_capstyle="butt",
        dash_capstyle="butt",
    )
    if dashed:
        line.set_dashes((8 * ui * PT, 5 * ui * PT))
    area.add_artist(line)
    return area


def _shape_swatch(shape: str, colour: Any, ui: float, dash: Any = None) -> DrawingArea:
    """The page's swatch of an overlay: a 4-px line, a point or a pale area; a line or an
    area's outline is dashed with ``dash`` (a Leaflet ``dashArray``) when given."""
    area = DrawingArea(48 * ui * PT, 14 * PT)
    middle, mid_y = 24 * ui * PT, 7 * PT
    pattern = _dashes(dash)
    if pattern != "solid":  # scaled with the swatch, as the flows' dashed swatch is
        pattern = (0, tuple(v * ui for v in pattern[1]))
    if shape == "line":
        line = Line2D([2 * ui * PT, 46 * ui * PT], [mid_y, mid_y], color=colour, lw=3)
        if pattern != "solid":
            line.set_linestyle(pattern)
        area.add_artist(line)
    elif shape == "point":
        area.add_artist(Circle((middle, mid_y), 4 * PT, color=colour))
    else:
        face = (*colour[:3], 0.35)
        box = Rectangle((middle - 14 * PT, PT), 28 * PT, 12 * PT, fc=face, ec=colour, lw=1.5 * PT)
        if pattern != "solid":
            box.set_linestyle(pattern)
        area.add_artist(box)
    return area


@cache
def _locale(tag: str) -> Locale:
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (ValueError, TypeError, LookupError):
        return Locale("en")


def people(spec: Mapping[str, Any], count: int) -> str:
    """Return the legend's text for ``count`` people in its plural form ("1 person",
    "10,000 people"), the number formatted for the spec's locale."""
    legend = (spec.get("text") or {}).get("legend") or {}
    locale = _locale(str(spec.get("locale") or "en"))
    forms = legend.get("peopleForms") or {}
    text = forms.get(locale.plural_form(count)) or forms.get("other") or legend.get("people")
    return str(text or "{count}").replace("{count}", format_decimal(count, locale=locale))


def distance(spec: Mapping[str, Any], metres: float) -> str:
    """Return the scale bar's text for a round distance: kilometres from 1 km up, metres
    below, never miles; the unit in the spec's language ("1 000 км") and the number
    formatted for its locale, as the page's scale bar writes it."""
    words = (spec.get("text") or {}).get("controls") or {}
    locale = _locale(str(spec.get("locale") or "en"))
    if metres >= 1000:
        number, unit = metres / 1000, str(words.get("km") or "km")
    else:
        number, unit = metres, str(words.get("m") or "m")
    return f"{format_decimal(number, locale=locale)}\u00a0{unit}"


def width_px(scale: Mapping[str, Any], counts: Any) -> Any:
    """The width in CSS px of flows of ``counts`` people (a number or an array)."""
    top = max(float(scale["maxCount"]), 1e-12)
    ratio = np.sqrt(np.maximum(0, np.asarray(counts, dtype=np.float64)) / top)
    return np.maximum(float(scale["minPx"]), float(scale["maxPx"]) * ratio)


def still_label(spec: Mapping[str, Any], text: Any) -> Any:
    """Return a legend text as a still image says it (``text.still.labels``: without
    hovering or tooltips, which an image does not have)."""
    labels = ((spec.get("text") or {}).get("still") or {}).get("labels") or {}
    return labels.get(text, text) if isinstance(text, str) else text


def credits(spec: Mapping[str, Any]) -> str:
    """Return the source line of a still image: ``text.still.credits`` (every source drawn),
    else the page's source line; empty when ``text.still.credits`` is an empty list (the
    page's ``source`` is then only the caption of its folding box of notes, "Source and
    notes", which an image has no use for)."""
    text = spec.get("text") or {}
    lines = (text.get("still") or {}).get("credits")
    if lines is None:
        return str(text.get("source", ""))
    return " ".join(str(line) for line in lines)


def still_notes(spec: Mapping[str, Any]) -> list[str]:
    """Return the notes of the page's folding box as a still image gives them, in its source
    box: each as :func:`still_label` says it (without hovering or tooltips), leaving out
    those the image already says (in its source line or under the title)."""
    text = spec.get("text") or {}
    said = {credits(spec), *(str(a) for a in text.get("alerts") or [])}
    said.update(str(line) for line in (text.get("still") or {}).get("credits") or [])
    out: list[str] = []
    for note in text.get("notes") or []:
        line = str(still_label(spec, note))
        if line.strip() and line not in said and line not in out:
            out.append(line)
    return out


def _legend(spec: Mapping[str, Any], em: float) -> VPacker:
    t = (spec.get("text") or {}).get("legend") or {}
    style, ui, size = spec.get("style") or {}, em / 12, em * 0.85
    wrap, kinds = 300 * ui, style.get("kinds") or [{}]

    def row(swatch: DrawingArea, label: Any) -> HPacker:
        text = _para(still_label(spec, label), size, wrap - 54 * ui)
        return HPacker(children=[swatch, text], align="center", pad=0, sep=6 * ui * PT)

    rows: list[Any] = [_para(t.get("title", ""), size * 1.08, wrap, bold=True)]
    if t.get("width"):
        rows.append(_para(t["width"], size * 0.9, wrap, GREY))
    for count in (spec.get("legend") or {}).get("counts") or []:
        width = float(width_px(spec["scale"], count))
        rows.append(
            row(_swatch(width, "#555555", ui, dashed=False, alpha=0.85), people(spec, count))
        )
    for kind in kinds:
        if kind.get("legend"):
            colour = css_colour(kind.get("colour"), "#555555")
            rows.append(row(_swatch(4, colour, ui, dashed=False, alpha=0.85), kind["legend"]))
    for entry in style.get("legend") or []:
        colour = css_colour(kinds[0].get("colour"), "#555555")
        alpha = 0.5 if entry.get("pale") else 0.85
        swatch = _swatch(4, colour, ui, dashed=bool(entry.get("dashed")), alpha=alpha)
        rows.append(row(swatch, entry.get("label", "")))
    for entry in t.get("extra") or []:
        swatch = _shape_swatch(
            str(entry.get("shape")),
            css_colour(entry.get("colour"), "#555555"),
            ui,
            entry.get("dash"),
        )
        rows.append(row(swatch, entry.get("label", "")))
    rows.extend(
        _para(still_label(spec, note), size * 0.85, wrap, GREY) for note in t.get("notes") or []
    )
    # A still image has no tooltip: each modelled figure is given here with its range.
    rows.extend(_para(line, size * 0.8, wrap, GREY) for line in t.get("ranges") or [])
    return VPacker(children=rows, align="left", pad=0, sep=size * 0.3 * PT)


def boxes(
    ax: Any, spec: Mapping[str, Any], em: float, flows: int
) -> tuple[list[AnchoredOffsetbox], DrawingArea]:
    """Add the source (with the scale), title and legend boxes; return them in that order
    and the area the scale is drawn in once the view is known (:func:`scale_bar`)."""
    text, ui = spec.get("text") or {}, em / 12
    rows: list[Any] = [_para(text.get("title", ""), em * 1.45, 360 * ui, "#111111", bold=True)]
    if text.get("subtitle"):
        rows.append(_para(text["subtitle"], em, 360 * ui, GREY))
    if flows == 0:
        rows.append(_para(text.get("empty", ""), em, 360 * ui, RED, bold=True))
    for alert in text.get("alerts") or []:
        rows.append(_para(alert, em * 0.9, 360 * ui, ALERT))
    title = _anchored(
        VPacker(children=rows, align="left", pad=0, sep=em * 0.3 * PT), "upper left", em
    )
    area = DrawingArea(100 * ui * PT, em * 1.5 * PT)
    source: list[Any] = [area]
    line = credits(spec)
    if line:
        source.append(_para(line, em * 0.8, 440 * ui, "#333333"))
    # The notes of the page's folding box, short and grey (its caption is not repeated).
    source.extend(_para(note, em * 0.7, 440 * ui, GREY) for note in still_notes(spec))
    bottom = VPacker(children=source, align="left", pad=0, sep=em * 0.3 * PT)
    made = [
        _anchored(bottom, "lower left", em),
        title,
        _anchored(_legend(spec, em), "lower right", em),
    ]
    for box in made:
        ax.add_artist(box)
    return made, area


__all__ = [
    "PT",
    "Label",
    "boxes",
    "credits",
    "distance",
    "draw_layers",
    "label",
    "people",
    "still_label",
    "still_notes",
    "width_px",
]
