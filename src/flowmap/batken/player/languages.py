"""What a playable page (:mod:`flowmap.batken.player`) says in each language: tooltip
attributes, the player's own words, the legend and tooltips of each direction, and the
layers' names and tooltips."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import geopandas as gpd
import pandas as pd

from flowmap.batken.dataset import MapData
from flowmap.batken.player.views import opening_selection
from flowmap.batken.preset import MapOptions, batken_map, group_of, map_text, value_labels
from flowmap.batken.query import DIRECTIONS, Selection
from flowmap.core.langs import LANGS
from flowmap.render.element import page_spec
from flowmap.render.layer import Attribute
from flowmap.render.spec import FlowSpec
from flowmap.text.i18n import LANG_LABELS, method_text, t

BASES: tuple[str, ...] = ("reported", "derived", "modelled")


def tip_attributes(flows: pd.DataFrame, lang: str) -> list[Attribute]:
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
        "destsByDir": {d: t("player.list." + d, lang) for d in DIRECTIONS},
        "all": t("app.select_all", lang),
        "none": t("app.select_none", lang),
        "direction": t("app.direction", lang),
        "language": t("app.language", lang),
        "onlyTotal": t("player.only_total", lang, places="{places}", period="{period}"),
        "noFigure": t("player.no_figure", lang, places="{places}", period="{period}"),
        "dirs": {d: t("player.dir." + d, lang) for d in DIRECTIONS},
        "dirsLong": {d: t("direction." + d, lang) for d in DIRECTIONS},
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
        out[lang] = list(page_spec(fmap).layers)
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


def by_direction(
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


def language(
    spec: FlowSpec, lang: str, selection: Selection, by_dir: Mapping[str, Any]
) -> dict[str, Any]:
    """Return what changes with the language: names, texts, legend and tooltip labels,
    and what the legend and tooltips say in each direction (``byDir``)."""
    text = spec.text.wire()
    del text["subtitle"]
    return {
        "code": lang,
        "label": LANG_LABELS[lang],
        "locale": spec.locale,
        "numbers": dict(spec.numbers),
        "names": list(spec.places.names),
        "text": text,
        "byDir": dict(by_dir),
        "styles": [s.label for s in spec.style.legend],
        "attributes": [{"label": a.label, "labels": list(a.labels)} for a in spec.attributes],
        "words": _words(lang, selection),
    }


__all__ = [
    "BASES",
    "by_direction",
    "language",
    "localised_layers",
    "overlay_languages",
    "tip_attributes",
]
