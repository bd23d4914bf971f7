"""The looks of a map: ``light`` (the default) and ``dark`` (like flowmap.blue's: a
near-black sea, dark land with light outlines, light flows that glow on it), and the
perceptual colour ramp of a busy map's flows.

Colours are worked out in OKLab (Ottosson 2020), a perceptual space whose ``L`` is the
lightness a reader sees: a ramp made by straight steps between two end colours in OKLab
steps its lightness evenly, so equal steps of count read as equal steps of ink. The end
colours are ours (documented in :data:`RAMP_STOPS`); no other project's table is copied.

Pure Python: the page, the images and the app all read the colours this module puts in
the spec (:class:`flowmap.render.spec.Style`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal, get_args

Theme = Literal["light", "dark"]
"""The look of a map: ``light`` or ``dark``."""
THEMES: tuple[Theme, ...] = get_args(Theme)
"""The looks, in :data:`Theme`'s order."""

Palette = Literal["default", "colourblind"]
"""The colours of the kinds of flow: a key of :data:`PALETTES`. A user's choice is checked
once, by the options object made at the edge (:class:`flowmap.render.options.Style`,
:class:`flowmap.batken.preset.MapOptions`); the functions below it trust a ``Palette``."""

PALETTES: dict[str, dict[str, str]] = {
    "default": {
        "out": "#b2182b",
        "in": "#2166ac",
        "between": "#8c510a",
        "net": "#6a3d9a",
    },
    "colourblind": {
        "out": "#c85a00",
        "in": "#0072b2",
        "between": "#008662",
        "net": "#aa3377",
    },
}
"""Colour of each kind of flow, by palette; a map, its legend, its images and the app's
charts all use the same palette, so departures, arrivals and net never swap colours.

``default``
    ColorBrewer red and blue (departures red, arrivals blue), brown between places,
    purple net. Under deuteranopia its departures and between-places colours, and its
    arrivals and net colours, look almost the same (CIEDE2000 ΔE about 3–4 in the
    Machado et al. 2009 simulation).
``colourblind``
    Based on the Okabe–Ito palette (Okabe & Ito 2008), which stays distinct for
    protanopia, deuteranopia and tritanopia: departures vermillion (#D55E00 darkened
    6 % to #C85A00), arrivals blue (#0072B2 as is), between places bluish green (#009E73
    darkened 15 % to #008662) and net a deeper reddish purple (#AA3377 instead of the pale
    #CC79A7). The darker shades give every colour a contrast of at least 3:1 (WCAG 2.x
    non-text contrast) on both the offline basemap's land (#f4f1ea) and its sea
    (#dde8ef); the original Okabe–Ito bluish green and reddish purple reach only
    2.5–3.0:1 there. In the Machado et al. (2009) simulations of the three dichromacies,
    every pair of these colours keeps a CIEDE2000 difference of 7.6 or more, and the pairs
    drawn on one map or chart together (departures, arrivals, net) 11 or more; departures
    and arrivals stay 48 apart.
"""

RAMP_STEPS = 8
"""How many colours a count ramp has (lines of one colour are stroked together)."""

RAMP_STOPS: dict[str, tuple[str, ...]] = {
    "light": ("#f0a84a", "#b63755", "#3d0c4f"),
    "dark": ("#1f5f6e", "#f7f4c9"),
}
"""The colours a busy map's flows run through, smallest to largest, by theme: on the
light look from a light amber (OKLab L 0.78) through a crimson (L 0.53) to a deep plum
(L 0.28), the larger the darker; on the dark look from a dim teal (L 0.45) to a pale warm
white (L 0.96), the larger the brighter (light flows glowing on the dark land, as on
flowmap.blue). Lightness carries the order, in equal steps, so the ramp reads in
greyscale and for every kind of colour blindness; the hue only helps."""

CHANGE_COLOURS: dict[str, str] = {
    "gain": "#5e3c99",
    "loss": "#e66101",
    "once": "#8c8c8c",
}
"""The colours of a map of change between two periods: ColorBrewer's purple–orange pair
(PuOr, marked colourblind-safe), purple for a gain and orange for a loss; grey for a pair
with a figure in one period only (no change computed). Direction colours (departures red,
arrivals blue) are not reused, so a change never reads as a direction."""

SHADES: dict[str, dict[str, str]] = {
    "light": {
        "sea": "#dde8ef",
        "land": "#f4f1ea",
        "outline": "#9a9a9a",
        "ink": "#222222",
        "halo": "#ffffff",
        "box": "#ffffff",
        "neutral": "#555555",
    },
    "dark": {
        "sea": "#0b0e13",
        "land": "#1b1f26",
        "outline": "#6f7885",
        "ink": "#e8e8e8",
        "halo": "#0b0e13",
        "box": "#1b1f26",
        "neutral": "#b8b8b8",
    },
}
"""The page's and the images' own colours by theme: sea, land and its outlines, text and
its halo, the boxes and the legend's neutral swatches. On the dark look every text colour
keeps a WCAG contrast of at least 4.5:1 on the boxes and the sea (a test checks)."""


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def rgb(colour: str) -> tuple[float, float, float]:
    """Return the sRGB channels (0–1) of a ``#rrggbb`` or ``#rgb`` colour."""
    text = colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    r, g, b = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def hex_of(channels: Sequence[float]) -> str:
    """Return ``#rrggbb`` of sRGB channels (0–1, clipped)."""
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02x}" for c in channels)


def oklab(colour: str) -> tuple[float, float, float]:
    """Return the OKLab ``(L, a, b)`` of a ``#rrggbb`` colour.

    >>> [round(v, 3) for v in oklab("#ffffff")]
    [1.0, 0.0, -0.0]
    """
    r, g, b = (_linear(c) for c in rgb(colour))
    lo = 0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b
    mo = 0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b
    so = 0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b
    lc, mc, sc = (math.copysign(abs(v) ** (1 / 3), v) for v in (lo, mo, so))
    return (
        0.2104542553 * lc + 0.7936177850 * mc - 0.0040720468 * sc,
        1.9779984951 * lc - 2.4285922050 * mc + 0.4505937099 * sc,
        0.0259040371 * lc + 0.7827717662 * mc - 0.8086757660 * sc,
    )


def from_oklab(lab: Sequence[float]) -> str:
    """Return the ``#rrggbb`` colour of OKLab ``(L, a, b)`` (clipped to sRGB)."""
    lightness, a, b = lab
    lc = lightness + 0.3963377774 * a + 0.2158037573 * b
    mc = lightness - 0.1055613458 * a - 0.0638541728 * b
    sc = lightness - 0.0894841775 * a - 1.2914855480 * b
    lo, mo, so = lc**3, mc**3, sc**3
    r = 4.0767416621 * lo - 3.3077115913 * mo + 0.2309699292 * so
    g = -1.2684380046 * lo + 2.6097574011 * mo - 0.3413193965 * so
    bl = -0.0041960863 * lo - 0.7034186147 * mo + 1.7076147010 * so
    return hex_of([_gamma(r), _gamma(g), _gamma(bl)])


def ramp(stops: Sequence[str], steps: int = RAMP_STEPS) -> tuple[str, ...]:
    """Return ``steps`` colours through the colours ``stops`` (first to last), in straight
    lines of OKLab between them, each stop placed by its lightness: the colours step the
    perceived lightness evenly (the stops' lightness must rise or fall throughout).

    >>> ramp(["#000000", "#ffffff"], 3)
    ('#000000', '#636363', '#ffffff')
    """
    labs = [oklab(c) for c in stops]
    if steps < 2 or len(labs) < 2:
        return (stops[0],)
    first, last = labs[0][0], labs[-1][0]
    out = []
    for i in range(steps):
        lightness = first + (last - first) * i / (steps - 1)
        for a, b in itertools.pairwise(labs):
            lo, hi = sorted((a[0], b[0]))
            if lo - 1e-9 <= lightness <= hi + 1e-9:
                f = (lightness - a[0]) / (b[0] - a[0]) if b[0] != a[0] else 0.0
                out.append(from_oklab([a[k] + (b[k] - a[k]) * f for k in range(3)]))
                break
    return tuple(out)


def count_ramp(theme: str = "light") -> tuple[str, ...]:
    """Return the colours of a busy map's flows by count, smallest first, on ``theme``
    (:data:`RAMP_STOPS`)."""
    return ramp(RAMP_STOPS[theme])


def ramp_index(share: float, steps: int = RAMP_STEPS) -> int:
    """Return the ramp colour of a flow whose width share (the square root of its count
    over the largest, 0–1) is ``share``: the page's ``scales.rampIndex``.

    >>> ramp_index(0.0), ramp_index(0.5), ramp_index(1.0)
    (0, 4, 7)
    """
    return min(steps - 1, max(0, math.floor(share * steps)))


def with_lightness(colour: str, lightness: float, *, at_least: bool = True) -> str:
    """Return ``colour`` with its OKLab lightness raised to ``lightness`` (``at_least``:
    only when below it), its hue kept and its chroma scaled with it."""
    lab = oklab(colour)
    if at_least and lab[0] >= lightness:
        return colour
    k = lightness / lab[0] if lab[0] > 1e-6 else 1.0
    k = min(k, 1.6)
    return from_oklab((lightness, lab[1] * k, lab[2] * k))


def for_dark(colour: str) -> str:
    """Return a flow colour as the dark look draws it: the same hue, light enough (OKLab L
    0.72) to read on the near-black sea (departures stay red, arrivals blue)."""
    return with_lightness(colour, 0.72)


def luminance(colour: str) -> float:
    """Return the WCAG 2.x relative luminance of a colour."""
    r, g, b = (_linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """Return the WCAG 2.x contrast ratio of two colours (1–21).

    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    """
    hi, lo = sorted((luminance(one), luminance(other)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _dark_style(style: Mapping[str, Any]) -> dict[str, Any]:
    """A Leaflet path style on the dark look: fills darkened (their lightness mirrored into
    the dark range, a pale area just above the land's, hue kept), strokes lightened to
    read on it."""
    out = dict(style)
    for key in ("fillColor", "color"):
        value = out.get(key)
        if not isinstance(value, str) or not value.startswith("#"):
            continue
        try:
            lab = oklab(value)
        except ValueError:
            continue
        if key == "fillColor" and out.get("fillOpacity", 0.2) and "fillColor" in style:
            lightness = 0.28 + 0.35 * (1 - lab[0])  # a pale area a little above the land
            k = lightness / lab[0] if lab[0] > 1e-6 else 1.0
            out[key] = from_oklab((lightness, lab[1] * k, lab[2] * k))
        else:
            out[key] = with_lightness(value, 0.68)
    return out


def dark_legend(legend: Mapping[str, Any]) -> dict[str, Any]:
    """Return a legend's texts with the swatches of its overlays (``extra``: ``colour``)
    in the colours :func:`dark_layer` draws them."""
    extra = legend.get("extra")
    if not isinstance(extra, list | tuple):
        return dict(legend)
    swatches = [
        {**e, "colour": with_lightness(e["colour"], 0.68)}
        if isinstance(e, Mapping) and str(e.get("colour", "")).startswith("#")
        else e
        for e in extra
    ]
    return {**legend, "extra": swatches}


def dark_layer(layer: Mapping[str, Any]) -> dict[str, Any]:
    """Return a GeoJSON layer (``name``, ``features``, Leaflet options) as the dark look
    draws it: the offline basemap's land and outlines in :data:`SHADES` ``dark``, every
    other style's fills darkened and strokes lightened (the layer itself is not changed)."""
    out = dict(layer)
    if isinstance(out.get("style"), Mapping):
        out["style"] = _dark_style(out["style"])
    data = out.get("features")
    if isinstance(data, Mapping) and isinstance(data.get("features"), list):
        shades = SHADES["dark"]
        features = []
        for feature in data["features"]:
            props = feature.get("properties") if isinstance(feature, Mapping) else None
            own = props.get("_style") if isinstance(props, Mapping) else None
            if not isinstance(own, Mapping):
                features.append(feature)
                continue
            if layer.get("base") and own.get("fillColor") == SHADES["light"]["land"]:
                styled = {**own, "fillColor": shades["land"], "color": shades["outline"]}
            else:
                styled = _dark_style(own)
            features.append({**feature, "properties": {**dict(props or {}), "_style": styled}})
        out["features"] = {**data, "features": features}
    return out


__all__ = [
    "CHANGE_COLOURS",
    "RAMP_STEPS",
    "RAMP_STOPS",
    "SHADES",
    "THEMES",
    "Theme",
    "contrast",
    "count_ramp",
    "dark_layer",
    "dark_legend",
    "for_dark",
    "from_oklab",
    "hex_of",
    "luminance",
    "oklab",
    "ramp",
    "ramp_index",
    "rgb",
    "with_lightness",
]
