"""The playable page (:mod:`flowmap.batken.player`): the spec of the opening view's map
with the flows of every period and direction and the ``player`` entry, and its page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import folium
import geopandas as gpd

from flowmap.batken.dataset import MapData
from flowmap.batken.layers import overlay_legend
from flowmap.batken.player.languages import (
    BASES,
    by_direction,
    language,
    localised_layers,
    overlay_languages,
    tip_attributes,
)
from flowmap.batken.player.views import SETS, opening_stop, player_flows, structure
from flowmap.batken.preset import MapOptions, engine_tables, map_text
from flowmap.batken.query import Selection
from flowmap.core.langs import LANGS
from flowmap.render.element import page_spec
from flowmap.render.layer import NO_FADE, LineStyles, build_spec
from flowmap.render.maps import spec_map
from flowmap.render.spec import FlowSpec
from flowmap.text import numbers
from flowmap.text.i18n import t

STEP_MS = 1200
"""How long the player shows each year, in milliseconds."""
LOCALES: dict[str, str] = {"en": "en", "ky": "ky-KG", "ru": "ru-RU"}


def player_spec(
    data: MapData,
    selection: Selection,
    page: FlowSpec,
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
    overlays: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> FlowSpec:
    """Return ``page`` (the spec of the opening view's map) with the flows of every period
    and direction of ``selection`` and the ``player`` entry (see :mod:`flowmap.batken.player`).

    ``overlays`` are the page's layers in each language (:func:`overlay_languages`): with
    them the names of the layers and the tooltips of their features switch language too
    (:func:`localised_layers`)."""
    options = options or MapOptions()
    located, stops = player_flows(data, selection)
    if located.empty:
        return page
    flows, _ = engine_tables(located, data.places, data.anchors, options.lang)
    if len(flows) != len(located):
        raise RuntimeError("engine_tables dropped located flows")
    flows = flows.assign(
        group=(located["sex"].astype(str) + "|" + located["age"].astype(str)).to_numpy(),
        method=located["method"].astype(str).to_numpy(),
    )
    own = districts is not None and len(districts) > 0
    text_selection = replace(selection, period=stops[opening_stop(stops, selection)])
    specs: dict[str, FlowSpec] = {}
    for lang in LANGS:
        _, table = engine_tables(located, data.places, data.anchors, lang)
        text = map_text(
            text_selection, replace(options, lang=lang), data.places, located, data.scale
        )
        extra = overlay_legend(
            lang,
            border=options.border_overlay,
            districts=options.border_overlay or own,
            palette=options.palette,
        )
        text = replace(text, legend={**text.legend, "extra": extra})
        specs[lang] = build_spec(
            flows,
            table,
            text=text,
            scale=page.scale,
            legend_counts=page.legend_counts,
            chosen=[selection.focus],
            attributes=tip_attributes(flows, lang),
            styles=LineStyles(
                "basis",
                dashed=("modelled",),
                pale=("derived",),
                legend={b: t("legend.style." + b, lang) for b in BASES},
            ),
            locale=LOCALES[lang],
            palette=options.palette,
            theme=options.theme,
            fade=NO_FADE,  # each view shows a few flows: none fades
        )
    base = specs[options.lang]
    # Periods without a flow of the selection still get a slider stop (and a label).
    times = [*base.times, *(p.label() for p in stops if p.label() not in base.times)]
    start_dir = selection.direction
    dirs = list(SETS)
    if selection.direction == "both":
        dirs.insert(2, "both")
    if start_dir not in dirs:
        start_dir = dirs[0]
    kinds = [k.kind for k in base.style.kinds]
    said = {
        lang: by_direction(text_selection, dirs, kinds, replace(options, lang=lang), data, located)
        for lang in LANGS
    }
    player = {
        "sets": list(SETS),
        "v": [int(v) for v in located["set"]],
        **structure(located, data.places, base.places.ids, [not p.is_year for p in stops]),
        "stops": [times.index(p.label()) for p in stops],
        "span": [0 if p.is_year else 1 for p in stops],
        "dirs": dirs,
        "start": {"stop": opening_stop(stops, selection), "dir": start_dir, "lang": options.lang},
        "step": STEP_MS,
        "subtitle": options.subtitle,
        "langs": [language(specs[lang], lang, selection, said[lang]) for lang in LANGS],
    }
    layers = page.layers if overlays is None else tuple(localised_layers(page.layers, overlays))
    # The page's language, scale, legend counts, view and subtitle (the opening view's),
    # with the flows, places, texts and styles of every view.
    return replace(
        page,
        layers=layers,
        places=base.places,
        flows=base.flows,
        times=tuple(times),
        attributes=base.attributes,
        totals=base.totals,
        style=replace(base.style, bend=page.style.bend),
        text=replace(base.text, subtitle=page.text.subtitle),
        player=player,
    )


def add_player(
    fmap: folium.Map,
    data: MapData,
    selection: Selection,
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Return the playable page of ``fmap``, the map of the opening view of ``selection``
    (:func:`flowmap.batken.export.make_map` with ``options``): a new page made from the
    spec of ``fmap`` and :func:`player_spec`; ``fmap`` is left as it is."""
    options = options or MapOptions()
    page = page_spec(fmap)
    # The page's own layers serve its language; the others are drawn in theirs.
    lang = options.lang
    others = overlay_languages(data, selection, options, districts, [c for c in LANGS if c != lang])
    overlays = {code: page.layers if code == lang else others[code] for code in LANGS}
    spec = player_spec(data, selection, page, options, districts, overlays)
    return spec_map(spec, tiles=options.online_tiles, lang=lang, height=options.height)


def summary(fmap: folium.Map, lang: str = "en") -> str:
    """Return what a map page carries, for people, in ``lang``: for a playable page its
    periods, directions and flows ("playable: 11 periods 2013 to 2023, out/in/net, 38
    flows"; directions by their codes in English, by name in Kyrgyz and Russian)."""
    spec = page_spec(fmap)
    player = spec.player
    if player is None:
        return t("cli.playable.one_view", lang)
    stops = [str(spec.times[code]) for code in player["stops"]]
    flows = len(spec.flows.count)
    return t(
        "cli.playable",
        lang,
        periods=t(
            "cli.playable.periods", lang, count=numbers.count(len(stops), lang), n=len(stops)
        ),
        first=stops[0],
        last=stops[-1],
        dirs="/".join(d if lang == "en" else t(f"player.dir.{d}", lang) for d in player["dirs"]),
        flows=t("cli.playable.flows", lang, count=numbers.count(flows, lang), n=flows),
    )


__all__ = ["STEP_MS", "add_player", "player_spec", "summary"]
