"""Playable exports: one offline HTML file that carries every year of a selection, each
direction and the three languages, with its own controls (``assets/player*.js``).

The page is the map of the opening view (:func:`flowmap.batken.export.make_map`) whose flow layer
carries more: the flows of every period of the selection for departures, arrivals and net
migration (net from the balance table), each once, as place indices and codes. The spec
gains a ``player`` entry that says which flows belong to which view:

``sets``, ``v``, ``views``
    The direction sets (``out``, ``in``, ``net``), the set of each flow, and per slider
    stop and set the flows of that view (:func:`player_flows`: one period, one group).
``cp``, ``boxes``, ``box``
    The counterpart place of each flow, the places that get a checkbox (in places-table
    order) and each flow's checkbox (``-1`` for an aggregate whose parts have boxes).
``agg``, ``under``
    ``[flow, [parts]]`` for each aggregate flow, deepest first, its parts being every flow
    of the same view whose place lies under it: it is drawn only when one of its members'
    boxes (``under[place]``) is ticked and none of its parts is drawn, so a total and its
    split are never drawn together (as :func:`flowmap.batken.query.drawable_flows`).
``stops``, ``span``, ``onlyTotal``
    The slider's periods as time codes (years first, then the multi-year totals) and
    which are totals. A total is only drawn on its own stop: on a year, flows published
    only as a total are not drawn and the page says so: ``onlyTotal[set][box]`` is the
    stop of a reported total of a place the source gives no yearly figure for in that
    direction, else -1 (a place whose total is modelled, such as Osh city in 2014–2023, is
    never "only a total": in 2024 it simply has no figure).
``dirs``, ``start``, ``langs``
    The direction choices, the opening view, and per language the place names, texts,
    legend lines, tooltip labels and values (group, basis, source, method, note), what the
    legend and tooltips say in each direction (``byDir``: net as gain and loss, with signs)
    and the player's own words.

The rule (``flowmap.play.mask`` in ``assets/playview.js``): a view draws only its own flows;
a flow with a box is drawn when its box is ticked; an aggregate as said above. Direction
"both" is the union of the departures and arrivals views of the stop.

The page's layers gain what the language switch needs besides: each named layer its
``names`` and each feature with a tooltip its ``_tips``, by language
(:func:`localised_layers`), so that no text stays in the language the file was written in.

Widths keep the data set's one scale, so the years compare.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from flowmap.batken.dataset import MapData
from flowmap.batken.layers import overlay_legend
from flowmap.batken.preset import (
    MapOptions,
    batken_map,
    engine_tables,
    group_of,
    map_text,
    value_labels,
)
from flowmap.batken.query import DEFAULT_PERIOD, Selection, check_map_group, parents_of
from flowmap.batken.query import ancestors as ancestors_of
from flowmap.core.langs import LANGS
from flowmap.render._assets import player_scripts
from flowmap.render.layer import Attribute, FlowLayerElement, LineStyles, flow_spec
from flowmap.text import numbers
from flowmap.text.i18n import LANG_LABELS, method_text, t
from flowmap.text.period import Period

SETS: tuple[str, ...] = ("out", "in", "net")
"""The direction sets a playable page carries, in the order of its ``v`` codes."""
STEP_MS = 1200
"""How long the player shows each year, in milliseconds."""
LOCALES: dict[str, str] = {"en": "en", "ky": "ky-KG", "ru": "ru-RU"}
BASES: tuple[str, ...] = ("reported", "derived", "modelled")


def player_periods(periods: Sequence[str], selection: Selection) -> list[Period]:
    """Return the slider's periods: the years, then the multi-year totals, found in
    ``periods``; within the selection's span when it is one, all of them otherwise."""
    found = sorted({Period.parse(p) for p in periods})
    chosen = selection.period
    if chosen is not None and not chosen.is_year:
        found = [p for p in found if chosen.start <= p.start and p.end <= chosen.end]
    return [p for p in found if p.is_year] + [p for p in found if not p.is_year]


def opening_stop(stops: Sequence[Period], selection: Selection) -> int:
    """Return the slider position the page opens at: the selection's period, else the
    default period (:data:`flowmap.batken.query.DEFAULT_PERIOD`, the app's default view), else the
    longest total, else the last year."""
    for period in (selection.period, DEFAULT_PERIOD):
        if period is not None and period in stops:
            return list(stops).index(period)
    spans = [i for i, p in enumerate(stops) if not p.is_year]
    if spans:
        return max(spans, key=lambda i: (stops[i].end - stops[i].start, stops[i].start))
    return len(stops) - 1 if stops else 0


def player_flows(data: MapData, selection: Selection) -> tuple[pd.DataFrame, list[Period]]:
    """Return the flows of every view of the page, and the slider's periods.

    A view is a slider period and a direction set (``out``, ``in``, ``net``): its flows are
    those :meth:`MapData.selected <flowmap.batken.dataset.MapData.selected>` gives for that period
    and direction (one period, the selection's one sex and age group), with the view's
    ``stop`` (slider position) and direction ``set`` code. The destination boxes only ever
    hide some of a view's flows (the rule is in the module doc).

    The slider has every period the data set gives for the focus place, whatever the
    destinations chosen: a year without a figure for them is shown empty and says why.
    Only flows whose two ends have a point are kept (as on the static map).

    Raises
    ------
    FlowmapError
        When the selection does not name one sex and one age group.
    """
    check_map_group(selection)
    stops = player_periods([str(p) for p in data.periods(selection.focus)], selection)
    frames = []
    for stop, period in enumerate(stops):
        for code, direction in enumerate(SETS):
            frame = data.selected(replace(selection, period=period, direction=direction))
            if len(frame):
                frames.append(frame.assign(set=code, stop=stop))
    if not frames:
        return pd.DataFrame(columns=["set", "stop"]), stops
    union = pd.concat(frames, ignore_index=True)
    keep = union["origin"].isin(data.anchors) & union["destination"].isin(data.anchors)
    return union[keep].reset_index(drop=True), stops


def _structure(
    located: pd.DataFrame, places: pd.DataFrame, place_ids: Sequence[str], spans: Sequence[bool]
) -> dict[str, Any]:
    """Return the views, the checkboxes and the aggregate rules of the player (see the
    module doc)."""
    index = {p: i for i, p in enumerate(place_ids)}
    counterparts = [str(c) for c in located["counterpart"]]
    present = list(dict.fromkeys(counterparts))
    parents = parents_of(places)
    ancestors = {c: ancestors_of(parents, c) for c in present}
    covered = {a for c in present for a in ancestors[c] if a in present}
    boxes = [p for p in places.index if p in present and p not in covered]
    boxes += [p for p in present if p not in boxes and p not in covered]
    position = {p: i for i, p in enumerate(boxes)}
    views = [(int(s), int(v)) for s, v in zip(located["stop"], located["set"], strict=True)]
    members: dict[tuple[str, int, int], list[int]] = {}
    for j, c in enumerate(counterparts):
        for a in ancestors[c]:
            members.setdefault((a, views[j][0], views[j][1]), []).append(j)
    # Every flow of the same view whose counterpart lies under the aggregate, at any depth.
    aggregates = [
        (len(ancestors[c]), i, members.get((c, views[i][0], views[i][1]), []))
        for i, c in enumerate(counterparts)
        if c not in position
    ]
    aggregates.sort(key=lambda a: -a[0])
    under = {
        str(index[c]): [position[b] for b in boxes if c in ancestors[b]] for c in sorted(covered)
    }
    lists: list[list[list[int]]] = [[[] for _ in SETS] for _ in range(len(spans))]
    for j, (stop, code) in enumerate(views):
        lists[stop][code].append(j)
    # A box whose place has, in a direction, no yearly figure from the source (reported or
    # derived; modelled years do not count) but a reported total: on a year without its
    # flow the page says the source gives only that total (the stop of the total).
    only_total = [[-1] * len(boxes) for _ in SETS]
    reported = located["basis"].astype(str) != "modelled"
    for b, place in enumerate(boxes):
        for code in range(len(SETS)):
            mine = [j for j, c in enumerate(counterparts) if c == place and views[j][1] == code]
            if any(not spans[views[j][0]] and reported.iloc[j] for j in mine):
                continue
            totals = [views[j][0] for j in mine if reported.iloc[j]]
            only_total[code][b] = totals[0] if totals else -1
    return {
        "views": lists,
        "onlyTotal": only_total,
        "cp": [index[c] for c in counterparts],
        "boxes": [index[b] for b in boxes],
        "named": [0 if places.at[b, "kind"] == "aggregate" else 1 for b in boxes],
        "box": [position.get(c, -1) for c in counterparts],
        "agg": [[i, parts] for _, i, parts in aggregates],
        "under": under,
    }


def _attributes(flows: pd.DataFrame, lang: str) -> list[Attribute]:
    """Return the tooltip attributes in ``lang``: the codes are of language-free values
    (``sex|age``, basis, the source references, the method and the note as the data gives
    them), the labels in the language (sources and notes by
    :func:`flowmap.batken.preset.value_labels`, methods by
    :func:`flowmap.text.i18n.method_text`)."""
    groups = {}
    for group in flows["group"].unique():
        sex, age = str(group).split("|")
        groups[str(group)] = f"{t('sex.' + sex, lang)}, {t('age.' + age, lang)}"
    methods = {str(m): method_text(str(m), lang) for m in flows["method"].unique() if m}
    labels = value_labels(flows, lang)
    return [
        Attribute("range", t("tip.range", lang), labels["range"]),
        Attribute("group", t("tip.group", lang), groups),
        Attribute("basis", t("tip.basis", lang), {b: t("basis." + b, lang) for b in BASES}),
        Attribute("source_ref", t("tip.source", lang), labels["source_ref"]),
        Attribute("method", t("tip.method", lang), methods),
        Attribute("note", t("tip.note", lang), labels["note"]),
    ]


def _words(lang: str, selection: Selection) -> dict[str, Any]:
    """Return the player's own words in ``lang``."""
    return {
        "play": t("player.play", lang),
        "pause": t("player.pause", lang),
        "slider": t("player.slider", lang),
        "span": t("player.span", lang),
        "year": t("player.year", lang),
        "dests": t("app.dest", lang),
        "destsByDir": {d: t("player.list." + d, lang) for d in (*SETS, "all")},
        "all": t("app.select_all", lang),
        "none": t("app.select_none", lang),
        "direction": t("app.direction", lang),
        "language": t("app.language", lang),
        "onlyTotal": t("player.only_total", lang, places="{places}", period="{period}"),
        "noFigure": t("player.no_figure", lang, places="{places}", period="{period}"),
        "dirs": {d: t("player.dir." + d, lang) for d in (*SETS, "all")},
        "dirsLong": {d: t("direction." + d, lang) for d in (*SETS, "all")},
        "group": group_of(selection, lang),
    }


def overlay_languages(
    data: MapData,
    selection: Selection,
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
    langs: Sequence[str] = LANGS,
) -> dict[str, list[Mapping[str, Any]]]:
    """Return the layers (basemap and overlays) of the opening view's map of ``selection``
    in each of ``langs``, drawn as :func:`flowmap.batken.preset.batken_map` draws them."""
    options = options or MapOptions()
    opening = opening_selection(data, selection)
    selected = data.selected(opening)
    out: dict[str, list[Mapping[str, Any]]] = {}
    for lang in langs:
        fmap = batken_map(
            selected,
            opening,
            places=data.places,
            anchors=data.anchors,
            scale=data.scale,
            options=replace(options, lang=lang),
            districts=districts,
        )
        spec = flow_element(fmap).payload["spec"]
        if not isinstance(spec, Mapping):
            raise TypeError("the flow layer carries no spec")
        out[lang] = list(spec["layers"])
    return out


def localised_layers(
    layers: Sequence[Mapping[str, Any]], by_lang: Mapping[str, Sequence[Mapping[str, Any]]]
) -> list[dict[str, Any]]:
    """Return ``layers`` (a map page's) with what the language switch needs: each named
    layer's ``names`` and each feature's tooltip lines ``_tips``, by language, from the same
    layers drawn in each language (``by_lang``, as :func:`overlay_languages` returns them).

    Raises
    ------
    ValueError
        If the layers of a language do not match ``layers`` feature for feature.
    """
    out: list[dict[str, Any]] = []
    for k, layer in enumerate(layers):
        features = list(layer["features"]["features"])
        versions: dict[str, list[Any]] = {}
        for lang, drawn in by_lang.items():
            if len(drawn) != len(layers) or len(drawn[k]["features"]["features"]) != len(features):
                raise ValueError(f"the map's layers in {lang!r} do not match its own")
            versions[lang] = list(drawn[k]["features"]["features"])
        entry = dict(layer)
        if layer.get("name"):
            entry["names"] = {lang: str(by_lang[lang][k]["name"]) for lang in by_lang}
        for m, feature in enumerate(features):
            if "_tip" not in feature["properties"]:
                continue
            tips = {lang: list(versions[lang][m]["properties"].get("_tip", [])) for lang in by_lang}
            features[m] = {**feature, "properties": {**feature["properties"], "_tips": tips}}
        entry["features"] = {**layer["features"], "features": features}
        out.append(entry)
    return out


def player_spec(
    data: MapData,
    selection: Selection,
    page: Mapping[str, Any],
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
    overlays: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> dict[str, Any]:
    """Return ``page`` (the spec of the opening view's map) with the flows of every period
    and direction of ``selection`` and the ``player`` entry (see the module doc).

    ``overlays`` are the page's layers in each language (:func:`overlay_languages`): with
    them the names of the layers and the tooltips of their features switch language too
    (:func:`localised_layers`)."""
    options = options or MapOptions()
    located, stops = player_flows(data, selection)
    if located.empty:
        return dict(page)
    flows, _ = engine_tables(located, data.places, data.anchors, options.lang)
    if len(flows) != len(located):
        raise RuntimeError("engine_tables dropped located flows")
    flows = flows.assign(
        group=(located["sex"].astype(str) + "|" + located["age"].astype(str)).to_numpy(),
        method=located["method"].astype(str).to_numpy(),
    )
    own = districts is not None and len(districts) > 0
    text_selection = replace(selection, period=stops[opening_stop(stops, selection)])
    specs: dict[str, dict[str, Any]] = {}
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
        specs[lang] = flow_spec(
            flows,
            table,
            text=text,
            scale=page["scale"],
            legend_counts=page["legend"]["counts"],
            chosen=[selection.focus],
            attributes=_attributes(flows, lang),
            styles=LineStyles(
                "basis",
                dashed=("modelled",),
                pale=("derived",),
                legend={b: t("legend.style." + b, lang) for b in BASES},
            ),
            locale=LOCALES[lang],
            palette=options.palette,
        )
    base = specs[options.lang]
    # Periods without a flow of the selection still get a slider stop (and a label).
    times = [*base["times"], *(p.label() for p in stops if p.label() not in base["times"])]
    start_dir = selection.direction
    dirs = list(SETS)
    if selection.direction == "all":
        dirs.insert(2, "all")
    if start_dir not in dirs:
        start_dir = dirs[0]
    kinds = [str(k["kind"]) for k in base["style"]["kinds"]]
    said = {
        lang: _by_direction(text_selection, dirs, kinds, replace(options, lang=lang), data, located)
        for lang in LANGS
    }
    player = {
        "sets": list(SETS),
        "v": [int(v) for v in located["set"]],
        **_structure(located, data.places, base["places"]["id"], [not p.is_year for p in stops]),
        "stops": [times.index(p.label()) for p in stops],
        "span": [0 if p.is_year else 1 for p in stops],
        "dirs": dirs,
        "start": {"stop": opening_stop(stops, selection), "dir": start_dir, "lang": options.lang},
        "step": STEP_MS,
        "subtitle": options.subtitle,
        "langs": [_language(specs[lang], lang, selection, said[lang]) for lang in LANGS],
    }
    style = dict(page["style"])
    style.update({k: base["style"][k] for k in ("kinds", "styleBy", "dashed", "pale", "legend")})
    layers = page.get("layers", [])
    if overlays is not None:
        layers = localised_layers(layers, overlays)
    return {
        **page,
        "layers": layers,
        "places": base["places"],
        "flows": base["flows"],
        "times": times,
        "attributes": base["attributes"],
        "totals": base["totals"],
        "style": style,
        "text": {**page["text"], **{k: v for k, v in base["text"].items() if k != "subtitle"}},
        "player": player,
    }


def _by_direction(
    selection: Selection,
    dirs: Sequence[str],
    kinds: Sequence[str],
    options: MapOptions,
    data: MapData,
    located: pd.DataFrame,
) -> dict[str, dict[str, Any]]:
    """Return, for each direction of the page, what its legend and tooltips say in the
    options' language: the colour line of each kind of flow (``kinds``, the page's order),
    the legend's notes, and the kind that is a loss (``signed``, net only), as
    :func:`flowmap.batken.preset.map_text` words the static map of that direction."""
    out: dict[str, dict[str, Any]] = {}
    for direction in dirs:
        text = map_text(
            replace(selection, direction=direction), options, data.places, located, data.scale
        )
        out[direction] = {
            "kinds": [text.kinds.get(k, "") for k in kinds],
            "notes": list(text.legend.get("notes", [])),
            "signed": text.tip.get("signed", ""),
        }
    return out


def _language(
    spec: Mapping[str, Any], lang: str, selection: Selection, by_dir: Mapping[str, Any]
) -> dict[str, Any]:
    """Return what changes with the language: names, texts, legend and tooltip labels,
    and what the legend and tooltips say in each direction (``byDir``)."""
    return {
        "code": lang,
        "label": LANG_LABELS[lang],
        "locale": spec["locale"],
        "numbers": spec["numbers"],
        "names": spec["places"]["name"],
        "text": {k: v for k, v in spec["text"].items() if k != "subtitle"},
        "byDir": dict(by_dir),
        "styles": [s["label"] for s in spec["style"]["legend"]],
        "attributes": [{"label": a["label"], "labels": a["labels"]} for a in spec["attributes"]],
        "words": _words(lang, selection),
    }


def flow_element(fmap: folium.Map) -> FlowLayerElement:
    """Return the flow layer element of a map.

    Raises
    ------
    ValueError
        If the map has none.
    """
    for child in fmap._children.values():
        if isinstance(child, FlowLayerElement):
            return child
    raise ValueError("the map has no flow layer")


def add_player(
    fmap: folium.Map,
    data: MapData,
    selection: Selection,
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Turn the map of the opening view of ``selection`` into a playable page; return it."""
    element = flow_element(fmap)
    page = element.payload["spec"]
    if not isinstance(page, Mapping):
        raise TypeError("the flow layer carries no spec")
    # The page's own layers serve its language; the others are drawn in theirs.
    lang = (options or MapOptions()).lang
    others = overlay_languages(data, selection, options, districts, [c for c in LANGS if c != lang])
    overlays = {code: page["layers"] if code == lang else others[code] for code in LANGS}
    spec = player_spec(data, selection, page, options, districts, overlays)
    element.payload = {**element.payload, "spec": spec}
    if "player" in spec:
        element.code = {**element.code, "player_js": player_scripts()}
    return fmap


def summary(fmap: folium.Map, lang: str = "en") -> str:
    """Return what a map page carries, for people, in ``lang``: for a playable page its
    periods, directions and flows ("playable: 11 periods 2013 to 2023, out/in/net, 38
    flows"; directions by their codes in English, by name in Kyrgyz and Russian)."""
    spec = flow_element(fmap).payload["spec"]
    if not isinstance(spec, Mapping) or "player" not in spec:
        return t("cli.playable.one_view", lang)
    player, times = spec["player"], spec["times"]
    stops = [str(times[code]) for code in player["stops"]]
    flows = len(spec["flows"]["c"])
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


def opening_selection(data: MapData, selection: Selection) -> Selection:
    """Return the selection of the view a playable page opens at (its slider position).

    Raises
    ------
    FlowmapError
        For a year the data set does not have (:meth:`~flowmap.batken.dataset.MapData.resolve`):
        the page never opens silently on another period than the one asked for. A span is
        the slider's range.
    """
    if selection.period is not None and selection.period.is_year:
        data.resolve(selection)
    stops = player_periods([str(p) for p in data.periods(selection.focus)], selection)
    if not stops:
        return data.resolve(selection)
    return replace(selection, period=stops[opening_stop(stops, selection)])


__all__ = [
    "SETS",
    "STEP_MS",
    "add_player",
    "flow_element",
    "localised_layers",
    "opening_selection",
    "overlay_languages",
    "player_flows",
    "player_periods",
    "player_spec",
    "summary",
]
