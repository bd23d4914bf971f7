"""The compact flow layer: the JSON a map page carries, and the folium element that puts it
on the page.

The page holds each place once (id, name, coordinates) and each flow as two place indices,
a count, a kind and attribute codes. ``assets/flowlayer.js`` computes curves, widths and
arrowheads in the browser and draws them on a canvas; ``assets/flowmap.js`` builds the
boxes, circles, labels and overlays. The JSON goes in through a
:class:`~flowmap._elements.DataElement`, so no text from data is ever read by Jinja.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from folium.template import Template

from flowmap import numbers
from flowmap._assets import asset
from flowmap._elements import DataElement
from flowmap._escape import replaced_in, visible_text, visible_tree
from flowmap.data import LANGS
from flowmap.flows import check_sums
from flowmap.i18n import t
from flowmap.tables import check_choice

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
COLOURS: dict[str, str] = PALETTES["default"]
"""Colour of each kind of flow in the default palette (an alias of
``PALETTES["default"]``): departures red, arrivals blue."""


def kind_colours(palette: str = "default") -> dict[str, str]:
    """Return the colour of each kind of flow (``out``, ``in``, ``between``, ``net``) in
    ``palette``.

    Raises
    ------
    FlowmapError
        Naming the option when ``palette`` is not one of :data:`PALETTES`.
    """
    return dict(PALETTES[check_choice("palette", palette, PALETTES)])


@dataclass(frozen=True)
class LayerText:
    """Every text of the map page, already in the map's language."""

    title: str
    subtitle: str = ""
    source: str = "Source"
    notes: tuple[str, ...] = ()
    alerts: tuple[str, ...] = ()
    """Shown under the title, not folded away: what this view leaves out."""
    empty: str = "No flow matches this selection."
    tip: Mapping[str, str] = field(default_factory=dict)
    legend: Mapping[str, Any] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)
    layers: Mapping[str, str] = field(default_factory=dict)
    still: Mapping[str, Any] = field(default_factory=dict)
    """What a still image (:mod:`flowmap.image`) says instead: ``credits`` (the source box's
    lines, naming every source drawn; an empty list when ``source`` is only the caption of
    the page's folding box of notes) and ``labels`` (a legend text or note -> its version
    without hovering or tooltips). An image gives the notes in its source box."""


@dataclass(frozen=True)
class Attribute:
    """An attribute column shown in tooltips: its label and how to show each value."""

    key: str
    label: str
    labels: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The tables' names and values were made visible when read: so are these, to match.
        object.__setattr__(self, "key", _shown(self.key))
        object.__setattr__(self, "labels", {_shown(k): v for k, v in self.labels.items()})


@dataclass(frozen=True)
class LineStyles:
    """Line styles by the values of one attribute (for example ``basis``): dashed or pale
    lines with their legend entries, so that style, not colour alone, tells them apart."""

    column: str
    dashed: tuple[str, ...] = ()
    pale: tuple[str, ...] = ()
    legend: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The tables' names and values were made visible when read: so are these, to match.
        object.__setattr__(self, "column", _shown(self.column))
        object.__setattr__(self, "dashed", tuple(_shown(v) for v in self.dashed))
        object.__setattr__(self, "pale", tuple(_shown(v) for v in self.pale))
        object.__setattr__(self, "legend", {_shown(k): v for k, v in self.legend.items()})


def _shown(value: str) -> str:
    """Return a column name or value as :func:`~flowmap._escape.visible_text` shows it."""
    return visible_text(value)[0]


def control_words(lang: str) -> dict[str, str]:
    """Return the words of Leaflet's own controls in ``lang``: the scale's units (km and
    m only, never miles), the zoom buttons' and layer switch's titles, and the title of
    the link to Leaflet in the attribution."""
    return {
        "km": t("scale.km", lang),
        "m": t("scale.m", lang),
        "zoomIn": t("map.zoom_in", lang),
        "zoomOut": t("map.zoom_out", lang),
        "layers": t("map.layers", lang),
        "leaflet": t("map.leaflet", lang),
    }


def _codes(values: pd.Series) -> tuple[list[int], list[str]]:
    """Return integer codes of text values (``-1`` for ``""``) and the distinct values."""
    codes, uniques = pd.factorize(values.astype(str).replace("", np.nan), sort=True)
    return codes.tolist(), [str(u) for u in uniques]


def flow_spec(
    flows: pd.DataFrame,
    places: pd.DataFrame,
    *,
    text: LayerText,
    scale: Mapping[str, float],
    legend_counts: Sequence[int],
    chosen: Sequence[str] = (),
    attributes: Sequence[Attribute] = (),
    styles: LineStyles | None = None,
    layers: Sequence[Mapping[str, Any]] = (),
    bounds: Sequence[Sequence[float]] | None = None,
    locale: str = "en",
    bend: float = 0.12,
    names: pd.Series | None = None,
    palette: str = "default",
    lang: str | None = None,
) -> dict[str, Any]:
    """Return the JSON of a flow map page.

    Parameters
    ----------
    flows
        The flows to draw (:func:`flowmap.flows.select`): ``origin``, ``dest``, ``count``,
        ``kind``, ``time`` and attribute columns.
    places
        The places table, indexed by id, with ``lat`` and ``lon``.
    names
        The name to show for each place id (default: the ``name`` column).
    palette
        The colours of the kinds of flow: one of :data:`PALETTES`.
    lang
        The language of Leaflet's own controls (:func:`control_words`); by default the
        language of ``locale`` (``ru-RU``: ``ru``).
    """
    if lang is None:
        lang = locale.partition("-")[0] if locale.partition("-")[0] in LANGS else "en"
    colours = kind_colours(palette)
    used = pd.unique(pd.concat([flows["origin"], flows["dest"], pd.Series(list(chosen))]))
    used = [str(p) for p in used if p in places.index]
    shown = names if names is not None else places["name"]
    kinds = [k for k in ("out", "in", "between", "net") if (flows["kind"] == k).any()] or ["out"]
    kind_index = {k: i for i, k in enumerate(kinds)}
    times, time_labels = _codes(flows["time"]) if "time" in flows else ([], [])
    spec_attrs: list[dict[str, Any]] = []
    codes: dict[str, list[int]] = {}
    for attr in attributes:
        if attr.key not in flows.columns:
            continue
        values, uniques = _codes(flows[attr.key])
        codes[attr.key] = values
        spec_attrs.append(
            {
                "key": attr.key,
                "label": attr.label,
                "labels": [attr.labels.get(u, u) for u in uniques],
            }
        )
    style_codes: dict[str, list[int]] = {}
    dashed: dict[int, bool] = {}
    pale: dict[int, bool] = {}
    style_legend: list[dict[str, Any]] = []
    if styles is not None and styles.column in flows.columns:
        values, uniques = _codes(flows[styles.column])
        style_codes[styles.column] = values
        codes.setdefault(styles.column, values)
        dashed = {i: True for i, u in enumerate(uniques) if u in styles.dashed}
        pale = {i: True for i, u in enumerate(uniques) if u in styles.pale}
        style_legend = [
            {"label": label, "dashed": value in styles.dashed, "pale": value in styles.pale}
            for value, label in styles.legend.items()
            if value in uniques
        ]
    totals = _place_totals(flows, used)
    where = places.loc[used, ["lat", "lon"]].astype("float64").round(5)
    names_shown = shown.reindex(used)
    positions = pd.Index(used)
    spec = {
        "locale": locale,
        "numbers": numbers.symbols(locale),
        "places": {
            "id": used,
            "name": [
                str(n) if isinstance(n, str) else p for p, n in zip(used, names_shown, strict=True)
            ],
            "lat": where["lat"].tolist(),
            "lon": where["lon"].tolist(),
            "focus": [1 if p in chosen else 0 for p in used],
        },
        "flows": {
            "o": positions.get_indexer(flows["origin"].astype(str)).tolist(),
            "d": positions.get_indexer(flows["dest"].astype(str)).tolist(),
            "c": [int(c) for c in flows["count"].tolist()],
            "k": [kind_index[k] for k in flows["kind"].tolist()],
            "t": times,
            "a": codes,
        },
        "times": time_labels,
        "attributes": spec_attrs,
        "totals": totals,
        "scale": dict(scale),
        "legend": {"counts": list(legend_counts)},
        "style": {
            "bend": bend,
            "kinds": [
                {
                    "colour": colours[k],
                    "legend": text.kinds.get(k, ""),
                    "net": k == "net",
                    "kind": k,
                }
                for k in kinds
            ],
            "styleBy": styles.column if styles is not None else "",
            "dashed": dashed,
            "pale": pale,
            "legend": style_legend,
        },
        "text": {
            "title": text.title,
            "subtitle": text.subtitle,
            "source": text.source,
            "notes": list(text.notes),
            "alerts": list(text.alerts),
            "empty": text.empty,
            "tip": dict(text.tip),
            "legend": dict(text.legend),
            "layers": dict(text.layers),
            "still": dict(text.still),
            "controls": control_words(lang),
        },
        "layers": list(layers),
        "view": {"bounds": [list(b) for b in bounds] if bounds is not None else None},
    }
    return visible_spec(spec, lang, noted=bool(replaced_in(flows, places)))


def visible_spec(spec: dict[str, Any], lang: str, *, noted: bool = False) -> dict[str, Any]:
    """Return a map's spec with every text through :func:`~flowmap._escape.visible_text`
    (the last guard before a page or an image: names, labels, notes, layer properties),
    adding the map's note that says so once when text was changed here or, ``noted``,
    while the tables were read."""
    cleaned, changed = visible_tree(spec)
    if not (changed or noted) or not isinstance(cleaned, dict):
        return spec
    note = t("note.replaced", lang if lang in LANGS else "en")
    text = cleaned.get("text")
    if isinstance(text, dict) and note not in text.get("notes", ()):
        cleaned = {**cleaned, "text": {**text, "notes": [*text.get("notes", ()), note]}}
    return cleaned


def _place_totals(flows: pd.DataFrame, used: Sequence[str]) -> dict[str, list[int]]:
    """Return arrivals, departures and their sum per place index, over the drawn flows."""
    check_sums(flows["count"], [flows["dest"].astype(str)], lambda key: f"→ {key[0]}")
    check_sums(flows["count"], [flows["origin"].astype(str)], lambda key: f"{key[0]} →")
    incoming = flows["count"].groupby(flows["dest"].astype(str)).sum()
    outgoing = flows["count"].groupby(flows["origin"].astype(str)).sum()
    into = [int(incoming.get(p, 0)) for p in used]
    out = [int(outgoing.get(p, 0)) for p in used]
    return {"in": into, "out": out, "total": [a + b for a, b in zip(into, out, strict=True)]}


class FlowLayerElement(DataElement):
    """The flow map's scripts and styles, and its JSON (never parsed by Jinja).

    The JSON sits in a ``<script type="application/json">`` block that the page reads with
    ``JSON.parse``: browsers parse JSON many times faster than a JavaScript literal of the
    same size (40,000 flows: a fraction of a second instead of seconds)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}<style>{{ this.raw("css") }}</style>{% endmacro %}
        {% macro html(this, kwargs) %}<script type="application/json" id="fm-spec-{{
            this.get_name() }}">{{ this.slot("spec") }}</script>{% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this.raw("layer_js") }}
        {{ this.raw("labelplace_js") }}
        {{ this.raw("labels_js") }}
        {{ this.raw("inset_js") }}
        {{ this.raw("player_js") }}
        {{ this.raw("app_js") }}
        flowmapApp({{ this._parent.get_name() }}, JSON.parse(
            document.getElementById("fm-spec-{{ this.get_name() }}").textContent));
        {% endmacro %}
        """
    )

    def __init__(self, spec: Mapping[str, Any]) -> None:
        super().__init__()
        self._name = "FlowLayer"
        self.payload = {"spec": spec}
        self.code = {
            "css": asset("flowmap.css"),
            "layer_js": asset("flowlayer.js"),
            "labelplace_js": asset("labelplace.js"),
            "labels_js": asset("labels.js"),
            "inset_js": asset("inset.js"),
            "player_js": "",  # assets/player.js on a playable page (flowmap.player)
            "app_js": asset("flowmap.js"),
        }


__all__ = [
    "COLOURS",
    "PALETTES",
    "Attribute",
    "FlowLayerElement",
    "LayerText",
    "LineStyles",
    "control_words",
    "flow_spec",
    "kind_colours",
    "visible_spec",
]
