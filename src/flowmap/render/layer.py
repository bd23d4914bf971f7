"""The compact flow layer: its colours and wording, and its spec built from the tables
(:func:`build_spec`; the folium element is :mod:`flowmap.render.element`).

The page holds each place once (id, name, coordinates) and each flow as two place indices,
a count, a kind and attribute codes (:class:`~flowmap.render.spec.FlowSpec`).
``assets/flowlayer.js`` computes curves, widths and arrowheads in the browser and draws them
on a canvas; ``assets/flowmap.js`` builds the boxes, circles, labels and overlays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from flowmap.core import lazy
from flowmap.core._escape import replaced_in, visible_text, visible_tree
from flowmap.core.langs import LANGS
from flowmap.engine.flows import check_sums
from flowmap.io.tables import check_choice
from flowmap.render.spec import (
    AttributeColumn,
    Change,
    FlowSpec,
    FlowTable,
    KindStyle,
    PageText,
    PlaceTable,
    PlaceTotals,
    Scale,
    Style,
    StyleEntry,
    bounds_of,
    visible,
    with_note,
)
from flowmap.render.theme import (
    CHANGE_COLOURS,
    PALETTES,
    Palette,
    count_ramp,
    dark_layer,
    dark_legend,
    for_dark,
)
from flowmap.text import numbers
from flowmap.text.i18n import t

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy.module("pandas")  # imported on first use (flowmap.core.lazy)

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
    """What a still image (:mod:`flowmap.render.image`) says instead: ``credits`` (the source box's
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
    """Return a column name or value as :func:`~flowmap.core._escape.visible_text` shows it."""
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


FADE_FROM = 50
"""Maps of more flows than this fade their small ones (:func:`flow_fade`); the Batken
maps, of a handful of flows, look as they always did."""

NO_FADE = (0.85, 0.85)
"""Every line at the same opacity (a map of few flows; the Batken player, whose views
each show a few)."""


def flow_fade(flows: int) -> tuple[float, float]:
    """Return the opacity of the smallest and the largest line of a map of ``flows``
    flows (:attr:`flowmap.render.spec.Style.fade`): 0.85 for every line on a map of up to
    :data:`FADE_FROM` flows; on a busier map from 0.15 up to 0.85, so that the many
    small flows recede and the few large ones read on top of them."""
    return (0.15, NO_FADE[1]) if flows > FADE_FROM else NO_FADE


def build_spec(
    flows: pd.DataFrame,
    places: pd.DataFrame,
    *,
    text: LayerText,
    scale: Scale,
    legend_counts: Sequence[int],
    chosen: Sequence[str] = (),
    attributes: Sequence[Attribute] = (),
    styles: LineStyles | None = None,
    layers: Sequence[Mapping[str, Any]] = (),
    bounds: Sequence[Sequence[float]] | None = None,
    locale: str = "en",
    bend: float = 0.12,
    names: pd.Series | None = None,
    palette: Palette = "default",
    lang: str | None = None,
    fade: tuple[float, float] | None = None,
    theme: str = "light",
    change: Change | None = None,
) -> FlowSpec:
    """Return the spec of a flow map page (:class:`~flowmap.render.spec.FlowSpec`).

    Parameters
    ----------
    flows
        The flows to draw (:func:`flowmap.engine.flows.select`): ``origin``, ``dest``, ``count``,
        ``kind``, ``time`` and attribute columns.
    places
        The places table, indexed by id, with ``lat`` and ``lon``.
    names
        The name to show for each place id (default: the ``name`` column).
    palette
        The colours of the kinds of flow: one of :data:`PALETTES`, already checked (by
        the options object the user gave).
    lang
        The language of Leaflet's own controls (:func:`control_words`); by default the
        language of ``locale`` (``ru-RU``: ``ru``).
    fade
        The opacity of the smallest and largest line (by default :func:`flow_fade` of
        the number of flows). A faded map of flows between places only (no direction to
        colour) colours its flows by count on :func:`~flowmap.render.theme.count_ramp`.
    theme
        ``light`` or ``dark`` (already checked): on ``dark`` the kinds' colours are
        lightened (:func:`~flowmap.render.theme.for_dark`) and the ``layers`` restyled
        (:func:`~flowmap.render.theme.dark_layer`).
    change
        Both periods' figures of each flow, on a map of change (its kinds ``gain``,
        ``loss`` and ``once``).

    Every text goes through :func:`~flowmap.core._escape.visible_text` (the last guard
    before a page or an image); the map's notes say so once when that changed a text here
    or while the tables were read.
    """
    if lang is None:
        lang = locale.partition("-")[0] if locale.partition("-")[0] in LANGS else "en"
    colours = {**PALETTES[palette], **CHANGE_COLOURS}
    if theme == "dark":
        colours = {k: for_dark(v) for k, v in colours.items()}
        layers = [dark_layer(layer) for layer in layers]
        text = replace(text, legend=dark_legend(text.legend))
    used = pd.unique(pd.concat([flows["origin"], flows["dest"], pd.Series(list(chosen))]))
    used = [str(p) for p in used if p in places.index]
    shown = names if names is not None else places["name"]
    kinds = [k for k in colours if (flows["kind"] == k).any()] or ["out"]
    kind_index = {k: i for i, k in enumerate(kinds)}
    times, time_labels = _codes(flows["time"]) if "time" in flows else ([], [])
    columns: list[AttributeColumn] = []
    codes: dict[str, tuple[int, ...]] = {}
    for attr in attributes:
        if attr.key not in flows.columns:
            continue
        values, uniques = _codes(flows[attr.key])
        codes[attr.key] = tuple(values)
        columns.append(
            AttributeColumn(attr.key, attr.label, tuple(attr.labels.get(u, u) for u in uniques))
        )
    fade = fade if fade is not None else flow_fade(len(flows))
    ramp = count_ramp(theme) if kinds == ["between"] and fade[0] < fade[1] else ()
    if ramp:  # the kind's swatch and edge labels in the ramp's colour of the largest
        colours = {**colours, "between": ramp[-1]}
    style = Style(
        bend=bend,
        kinds=tuple(KindStyle(k, colours[k], text.kinds.get(k, "")) for k in kinds),
        style_by=styles.column if styles is not None else "",
        fade=fade,
        theme=theme,
        ramp=ramp,
        max_radius=DOT_RADIUS if change is not None else 0.0,
    )
    if styles is not None and styles.column in flows.columns:
        values, uniques = _codes(flows[styles.column])
        codes.setdefault(styles.column, tuple(values))
        style = replace(
            style,
            dashed=tuple(i for i, u in enumerate(uniques) if u in styles.dashed),
            pale=tuple(i for i, u in enumerate(uniques) if u in styles.pale),
            legend=tuple(
                StyleEntry(label, value in styles.dashed, value in styles.pale)
                for value, label in styles.legend.items()
                if value in uniques
            ),
        )
    where = places.loc[used, ["lat", "lon"]].astype("float64").round(5)
    names_shown = shown.reindex(used)
    positions = pd.Index(used)
    spec = FlowSpec(
        locale=locale,
        numbers=numbers.symbols(locale),
        places=PlaceTable(
            ids=tuple(used),
            names=tuple(
                str(n) if isinstance(n, str) else p for p, n in zip(used, names_shown, strict=True)
            ),
            lat=tuple(where["lat"].tolist()),
            lon=tuple(where["lon"].tolist()),
            focus=tuple(p in chosen for p in used),
        ),
        flows=FlowTable(
            origin=tuple(positions.get_indexer(flows["origin"].astype(str)).tolist()),
            dest=tuple(positions.get_indexer(flows["dest"].astype(str)).tolist()),
            count=tuple(int(c) for c in flows["count"].tolist()),
            kind=tuple(kind_index[k] for k in flows["kind"].tolist()),
            time=tuple(times),
            attributes=codes,
        ),
        times=tuple(time_labels),
        attributes=tuple(columns),
        totals=_place_totals(flows, used),
        scale=scale,
        legend_counts=tuple(legend_counts),
        style=style,
        text=PageText(
            title=text.title,
            subtitle=text.subtitle,
            source=text.source,
            notes=tuple(text.notes),
            alerts=tuple(text.alerts),
            empty=text.empty,
            tip=dict(text.tip),
            legend=dict(text.legend),
            layers=dict(text.layers),
            still=dict(text.still),
            controls=control_words(lang),
        ),
        layers=tuple(layers),
        bounds=bounds_of(bounds),
        change=change,
    )
    cleaned, changed = visible(spec)
    if changed or replaced_in(flows, places):
        cleaned = with_note(cleaned, t("note.replaced", lang if lang in LANGS else "en"))
    return cleaned


def visible_spec(spec: dict[str, Any], lang: str) -> dict[str, Any]:
    """Return the JSON of a map's spec (:meth:`FlowSpec.wire`, or one read back from a
    page) with every text through :func:`~flowmap.core._escape.visible_text`, adding the
    map's note that says so once when text was changed here."""
    cleaned, changed = visible_tree(spec)
    if not changed or not isinstance(cleaned, dict):
        return spec
    note = t("note.replaced", lang if lang in LANGS else "en")
    text = cleaned.get("text")
    if isinstance(text, dict) and note not in text.get("notes", ()):
        cleaned = {**cleaned, "text": {**text, "notes": [*text.get("notes", ()), note]}}
    return cleaned


DOT_RADIUS = 3.0
"""The radius (px) of every place circle on a map of change: a dot, the page's smallest."""


def _place_totals(flows: pd.DataFrame, used: Sequence[str]) -> PlaceTotals:
    """Return arrivals, departures and their sum per place index, over the drawn flows."""
    check_sums(flows["count"], [flows["dest"].astype(str)], lambda key: f"→ {key[0]}")
    check_sums(flows["count"], [flows["origin"].astype(str)], lambda key: f"{key[0]} →")
    incoming = flows["count"].groupby(flows["dest"].astype(str)).sum()
    outgoing = flows["count"].groupby(flows["origin"].astype(str)).sum()
    into = [int(incoming.get(p, 0)) for p in used]
    out = [int(outgoing.get(p, 0)) for p in used]
    total = tuple(a + b for a, b in zip(into, out, strict=True))
    return PlaceTotals(arrivals=tuple(into), departures=tuple(out), total=total)


__all__ = [
    "COLOURS",
    "FADE_FROM",
    "NO_FADE",
    "PALETTES",
    "Attribute",
    "LayerText",
    "LineStyles",
    "Palette",
    "build_spec",
    "control_words",
    "flow_fade",
    "kind_colours",
    "visible_spec",
]
