"""The boxes of a map image (:mod:`flowmap.render._image_parts`): title, legend and source
with the scale's place, laid out as ``assets/flowmap.js`` and ``flowmap.css`` lay out the
page, and the texts they say (people, distances, credits, notes)."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np
from babel import Locale
from babel.numbers import format_decimal
from matplotlib import patheffects
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.offsetbox import AnchoredOffsetbox, DrawingArea, HPacker, TextArea, VPacker
from matplotlib.patches import Circle, Rectangle

from flowmap.render._image_parts.ink import (
    ALERT,
    GREY,
    INK,
    PT,
    RED,
    css_colour,
    dash_look,
    dashes,
)

SAMPLE_BAND = 10.0
"""The width (CSS px) of the legend's sample of the modelled (dashed) style: a band."""


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
    look = dash_look(width, dashed)
    if look.outline:  # a wide modelled flow, as the map draws it: a pale band, dashed outline
        face = (*colour[:3], alpha * look.alpha)
        band = Rectangle(
            (2 * ui * PT, height / 2 - look.edge * PT),
            44 * ui * PT,
            2 * look.edge * PT,
            facecolor=face,
            edgecolor=(*colour[:3], alpha),
            linewidth=look.outline * PT,
            linestyle=(0, tuple(v * PT for v in look.outline_dash)),
        )
        area.add_artist(band)
        return area
    line = Line2D(
        [2 * ui * PT, 46 * ui * PT],
        [height / 2, height / 2],
        color=colour,
        alpha=alpha,
        linewidth=width * PT,
        solid_capstyle="butt",
        dash_capstyle="butt",
    )
    if look.dash:
        line.set_dashes(tuple(v * ui * PT for v in look.dash))
    area.add_artist(line)
    return area


def _ramp_swatch(ramp: list[str], ui: float) -> DrawingArea:
    """The page's ramp swatch: the colours by count in a row of blocks, smallest left."""
    area = DrawingArea(48 * ui * PT, 12 * PT)
    step = 44 * ui * PT / len(ramp)
    for i, colour in enumerate(ramp):
        face = css_colour(colour, "#555555")
        area.add_artist(
            Rectangle((2 * ui * PT + i * step, 2 * PT), step + 0.2, 8 * PT, fc=face, lw=0)
        )
    return area


def _shape_swatch(shape: str, colour: Any, ui: float, dash: Any = None) -> DrawingArea:
    """The page's swatch of an overlay: a 4-px line, a point or a pale area; a line or an
    area's outline is dashed with ``dash`` (a Leaflet ``dashArray``) when given."""
    area = DrawingArea(48 * ui * PT, 14 * PT)
    middle, mid_y = 24 * ui * PT, 7 * PT
    pattern = dashes(dash)
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
    """The width in CSS px of flows of ``counts`` people (a number or an array), at most
    ``maxPx`` (larger flows as wide as the widest line, as the page's ``scales.width``)."""
    top = max(float(scale["maxCount"]), 1e-12)
    ratio = np.minimum(1.0, np.sqrt(np.maximum(0, np.asarray(counts, dtype=np.float64)) / top))
    return np.maximum(float(scale["minPx"]), float(scale["maxPx"]) * ratio)


def alpha_of(
    scale: Mapping[str, Any], fade: Any, counts: Any, pale: Any = False
) -> tuple[Any, Any]:
    """The opacity of lines and of arrowheads of ``counts`` people, as the page's
    ``scales.alpha`` gives it: from ``fade[0]`` up to ``fade[1]`` with the square root of the
    count, in steps of 0.05, a pale line at 0.6 of that, arrowheads at 0.95 for the largest
    and in proportion below (numbers or arrays)."""
    lo, hi = (float(fade[0]), float(fade[1])) if fade else (0.85, 0.85)
    top = max(float(scale["maxCount"]), 1e-12)
    share = np.minimum(1.0, np.sqrt(np.maximum(0, np.asarray(counts, dtype=np.float64)) / top))
    a = lo + (hi - lo) * share
    line = np.floor(np.where(pale, a * 0.6, a) * 20 + 0.5) / 20
    return line, np.floor(0.95 * a / hi * 20 + 0.5) / 20


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


def legend_sample(style: Mapping[str, Any]) -> str:
    """The colour of the legend's line-style samples (reported, derived, modelled): the
    one kind the view draws; with several (gains and losses on a map of change), the
    legend's neutral grey, as ``legend.js`` does: the kinds' own rows show their colours,
    the samples only the style."""
    kinds = style.get("kinds") or [{}]
    shown = [str(k.get("colour")) for k in kinds if k.get("legend")]
    neutral = "#b8b8b8" if style.get("theme") == "dark" else "#555555"
    if len(shown) == 1:
        return shown[0]
    return neutral if shown else str(kinds[0].get("colour") or "#555555")


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
    widest = (spec.get("legend") or {}).get("atLeast")
    if widest:  # larger flows are drawn as wide (legend.js)
        said = str(t.get("orMore") or "{people}").replace("{people}", people(spec, widest))
        swatch = _swatch(
            float(width_px(spec["scale"], widest)), "#555555", ui, dashed=False, alpha=0.85
        )
        rows.append(row(swatch, said))
    ramp = style.get("ramp") or []
    if ramp:  # the colours by count, as legend.js's ramp row
        said = t.get("rampDark" if style.get("theme") == "dark" else "ramp", "")
        rows.append(row(_ramp_swatch(ramp, ui), said))
    for kind in kinds:
        if kind.get("legend"):
            colour = css_colour(kind.get("colour"), "#555555")
            rows.append(row(_swatch(4, colour, ui, dashed=False, alpha=0.85), kind["legend"]))
    sample = legend_sample(style)
    for entry in style.get("legend") or []:
        colour = css_colour(sample, "#555555")
        alpha = 0.5 if entry.get("pale") else 0.85
        dashed = bool(entry.get("dashed"))
        # The modelled style's sample is a band as wide as the page's (legend.js).
        swatch = _swatch(SAMPLE_BAND if dashed else 4, colour, ui, dashed=dashed, alpha=alpha)
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


def nominal_corners(spec: Mapping[str, Any], em: float) -> list[tuple[bool, bool, float, float]]:
    """The title, source and legend boxes' reach from their corners (top?, left?, width,
    height in CSS px), from what they hold, not how long its words are: each box as wide
    as its texts wrap and each text given a set number of lines (a title two, a note
    three, a legend row one and a half). So the frame is the same in every language, and
    keeps clear of the boxes as the texts of any language fill them."""
    text, style = spec.get("text") or {}, spec.get("style") or {}
    legend = text.get("legend") or {}
    ui, line, sep = em / 12, 1.2 * em, 0.3 * em
    edge = 10 * ui + em  # the box's distance from the page's edge and its padding
    title = 1.45 * line * 2 + sum(
        [
            line + sep if text.get("subtitle") else 0.0,
            sum(0.9 * line * 2 + sep for _ in text.get("alerts") or []),
        ]
    )
    notes = [credits(spec), *still_notes(spec)]
    source = 1.5 * em + sum(0.8 * line * 3 + sep for n in notes if n)
    rows = (
        len((spec.get("legend") or {}).get("counts") or [])
        + (1 if (spec.get("legend") or {}).get("atLeast") else 0)
        + sum(1 for k in style.get("kinds") or [] if k.get("legend"))
        + len(style.get("legend") or [])
        + len(legend.get("extra") or [])
    )
    key = 0.92 * line + (0.77 * line * 2 if legend.get("width") else 0.0)
    key += rows * (0.85 * line * 1.5 + 0.255 * em)
    key += len(legend.get("notes") or []) * (0.72 * line * 2 + 0.255 * em)
    key += len(legend.get("ranges") or []) * (0.68 * line + 0.255 * em)
    return [  # (top?, left?, width, height) in the page's order of corners
        (True, True, edge + 320 * ui, edge + title),
        (False, True, edge + 440 * ui, edge + source),
        (False, False, edge + 300 * ui, edge + key),
    ]


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
    "alpha_of",
    "boxes",
    "credits",
    "distance",
    "nominal_corners",
    "people",
    "still_label",
    "still_notes",
    "width_px",
]
