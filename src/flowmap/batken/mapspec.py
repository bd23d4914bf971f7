"""The page spec of a Batken map, built without folium: the Batken rows in the general
engine's tables, their tooltip labels, notes and layers, framed
(:func:`flowmap.render.pagespec.map_page_spec`).

:func:`batken_spec` is the spec of one view; :func:`flowmap.batken.preset.batken_map` puts it
on a ``folium.Map`` (the app's page, an HTML export), and ``flowmap export --out map.png``
draws it (:func:`make_spec`) without importing folium, branca or geopandas.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from flowmap.batken.article import note_text, source_text
from flowmap.batken.dataset import MapData
from flowmap.batken.layers import (
    area_bounds,
    batken_districts_layer,
    border_layer,
    district_layer,
    home_points,
    oblast_layers,
    overlay_legend,
)
from flowmap.batken.options import MapOptions
from flowmap.batken.query import Selection, check_one_view, drawable_flows, totals_of
from flowmap.batken.wording import (
    AT_EDGE,
    SYMBOLIC,
    map_text,
)
from flowmap.core._escape import REPLACED, replaced_in
from flowmap.engine.geometry import LatLon, WidthScale
from flowmap.render.layer import Attribute, LayerText, LineStyles
from flowmap.render.pagespec import map_page_spec
from flowmap.render.spec import FlowSpec
from flowmap.text import numbers
from flowmap.text.i18n import method_text, t
from flowmap.text.period import Period
from flowmap.text.places import place_name
from flowmap.text.ranges import range_key, range_labels, range_notes

if TYPE_CHECKING:
    import geopandas as gpd


def engine_tables(
    drawn: pd.DataFrame, places: pd.DataFrame, anchors: dict[str, LatLon], lang: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the drawn flows and their places in the general engine's form."""
    located = drawn[drawn["origin"].isin(anchors) & drawn["destination"].isin(anchors)]
    flows = pd.DataFrame(
        {
            "origin": located["origin"],
            "dest": located["destination"],
            "count": located["count"].astype("int64"),
            "kind": located["direction"],
            "time": [Period.parse(p).label() for p in located["period"]],
            "group": [
                f"{t('sex.' + s, lang)}, {t('age.' + a, lang)}"
                for s, a in zip(located["sex"], located["age"], strict=True)
            ],
            "basis": located["basis"],
            "source_ref": located["source_ref"],
            "method": [method_text(m, lang) for m in located["method"]],
            # A modelled row's note names the total it is a share of ("22.2% of the
            # reported 561 arrivals from other oblasts"): the tooltip says it too.
            "note": located["note"],
            "range": _range_keys(located),
        }
    ).reset_index(drop=True)
    ids = sorted(anchors)
    table = pd.DataFrame(
        {
            "id": ids,
            "name": [place_name(places, p, lang) for p in ids],
            "lat": [anchors[p][0] for p in ids],
            "lon": [anchors[p][1] for p in ids],
        }
    ).set_index("id", drop=False)
    # Names made visible while the data set was read: the map says so (flowmap.render.layer).
    table.attrs[REPLACED] = replaced_in(drawn, places)
    return flows, table


def _range_keys(located: pd.DataFrame) -> list[str]:
    """Return each flow's range as a language-free key (:func:`flowmap.text.ranges.range_key`)."""
    if "low" not in located.columns or "high" not in located.columns:
        return [""] * len(located)
    return [range_key(lo, hi) for lo, hi in zip(located["low"], located["high"], strict=True)]


def home_frame(
    place_table: pd.DataFrame, ends: Collection[str], focus: str
) -> tuple[list[list[float]], tuple[str, ...]]:
    """Return what a Batken map's frame must hold (the focus's oblast and the drawn ends
    at home, :func:`~flowmap.batken.layers.home_points`) and the ends that never stretch
    it: the symbolic points, and, when ends at home are drawn, the countries beyond
    Uzbekistan (:data:`~flowmap.batken.wording.AT_EDGE`), named at the edge. Where the
    only ends at home are symbolic points ("other oblasts" with "abroad", as in the figures
    reported by year), those points at home are framed: a view of the oblast alone would
    send its flow at home off the frame. A view of flows abroad only frames them as any
    map does.

    >>> table = pd.DataFrame({"lat": [40.9, 43.0], "lon": [73.9, 60.0]},
    ...                      index=["KG-OTHER", "ABROAD"])
    >>> area, edge = home_frame(table, {"KG-B", "KG-OTHER", "ABROAD"}, "KG-B")
    >>> area[-1], "ABROAD" in edge
    ([40.9, 73.9], True)
    """
    skip = {focus, *AT_EDGE}
    home = home_points(place_table, ends, skip) or home_points(
        place_table, ends, skip - set(SYMBOLIC)
    )
    return [*(area_bounds(focus) or []), *home], (AT_EDGE if home else SYMBOLIC)


def value_labels(flows: pd.DataFrame, lang: str) -> dict[str, dict[str, str]]:
    """Return, for the ``source_ref`` and ``note`` columns of ``flows`` (as from
    :func:`engine_tables`), each value shown in tooltips in ``lang``: sources as readers name
    them (``T1`` -> ``Table 1``, ``табл. 1``; :func:`flowmap.batken.article.source_text`), notes
    translated (:func:`flowmap.batken.article.note_text`) and modelled ranges written with the
    language's numbers (:func:`flowmap.text.ranges.range_labels`). The flows keep their
    language-free values, so one table serves every language (the player labels them per
    language)."""

    def distinct(column: str) -> Iterable[str]:
        return (str(v) for v in pd.unique(flows[column].astype(str)) if v)

    return {
        "source_ref": {r: source_text(r, lang) for r in distinct("source_ref")},
        "note": {n: note_text(n, lang) for n in distinct("note")},
        "range": range_labels(distinct("range"), lang) if "range" in flows.columns else {},
    }


def split_total_notes(selected: pd.DataFrame, places: pd.DataFrame, lang: str) -> list[str]:
    """Return a map note, in ``lang``, for each total in ``selected`` that the map does not
    draw because its parts are drawn (:func:`flowmap.batken.query.totals_of`) and that has a
    note of its own: the total and its note would otherwise vanish from the map ("Arrivals,
    Other oblasts of Kyrgyzstan, 2021: 561 (reported in the source) is the total that the
    modelled flows drawn split. Table 1 prints 261 (not shipped; resolution C1)"). A net
    row's note, its arithmetic, is not such a note."""
    notes = []
    rows = selected.to_dict(orient="records")
    for row, parts in zip(rows, totals_of(selected, places), strict=True):
        view = str(row.get("view", row["direction"]))
        if not parts or not row["note"] or view == "net":
            continue
        notes.append(
            t(
                "note.split_total",
                lang,
                what=t(f"player.dir.{view}", lang),
                place=place_name(places, str(row["counterpart"]), lang),
                period=numbers.period(str(Period.parse(str(row["period"]))), lang),
                count=numbers.count(int(row["count"]), lang),
                basis=t(f"basis.{row['basis']}", lang),
                note=_capitalised(note_text(str(row["note"]), lang)),
            )
        )
    return notes


def _capitalised(text: str) -> str:
    """Return ``text`` with its first letter upper-case, to start a sentence."""
    return text[:1].upper() + text[1:]


def batken_spec(
    selected: pd.DataFrame,
    selection: Selection,
    *,
    places: pd.DataFrame,
    anchors: dict[str, LatLon],
    scale: WidthScale,
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
) -> FlowSpec:
    """Return the page spec of the Batken flow map of ``selected`` flows (from
    :func:`flowmap.batken.query.select_flows`, or :func:`flowmap.batken.query.net_as_flows` for net
    migration), drawn on the data set's one width scale.

    Raises
    ------
    FlowmapError
        When ``selected`` mixes periods or groups of people
        (:func:`flowmap.batken.query.check_one_view`): a map shows one of each.
    """
    options = options or MapOptions()
    lang = options.lang
    drawn = drawable_flows(selected, places)
    check_one_view(drawn)
    if selection.period is None and len(drawn):
        selection = replace(selection, period=Period.parse(str(drawn["period"].iloc[0])))
    flows, place_table = engine_tables(drawn, places, anchors, lang)
    ends = {*flows["origin"].astype(str), *flows["dest"].astype(str)}
    layers = oblast_layers(places, lang, selection.focus, named=ends)
    own = districts is not None and len(districts) > 0
    if districts is not None and own:
        layers.append(district_layer(districts, lang))
    elif options.border_overlay:
        layers.append(batken_districts_layer(lang))
    if options.border_overlay:
        layers.append(border_layer(places, lang, options.palette))
    area, edge = home_frame(place_table, ends, selection.focus)
    labels = value_labels(flows, lang)
    attributes = [
        Attribute("range", t("tip.range", lang), labels["range"]),
        Attribute("group", t("tip.group", lang)),
        Attribute(
            "basis",
            t("tip.basis", lang),
            {b: t("basis." + b, lang) for b in ("reported", "derived", "modelled")},
        ),
        Attribute("source_ref", t("tip.source", lang), labels["source_ref"]),
        Attribute("method", t("tip.method", lang)),
        Attribute("note", t("tip.note", lang), labels["note"]),
    ]
    styles = LineStyles(
        "basis",
        dashed=("modelled",),
        pale=("derived",),
        legend={b: t("legend.style." + b, lang) for b in ("reported", "derived", "modelled")},
    )
    text = map_text(selection, options, places, drawn, scale, options.border_overlay and not own)
    extra = overlay_legend(
        lang,
        border=options.border_overlay,
        districts=options.border_overlay or own,
        palette=options.palette,
    )
    ranges = range_notes(drawn, places, lang, net=selection.direction == "net")
    # The total the drawn modelled parts split, with its own note, is said in the legend
    # (an image's too), beside the modelled figures' ranges.
    notes = [*text.legend.get("notes", []), *split_total_notes(selected, places, lang)]
    legend = {**text.legend, "notes": notes, "extra": extra, "ranges": ranges}
    text = LayerText(**{**text.__dict__, "legend": legend})
    return map_page_spec(
        flows,
        place_table,
        text=text,
        scale=scale,
        chosen=[selection.focus],
        attributes=attributes,
        styles=styles,
        layers=layers,
        lang=lang,
        basemap="tiles" if options.online_tiles else "offline",
        frame_also=area,
        edge=edge,
        palette=options.palette,
        theme=options.theme,
    )


def make_spec(
    data: MapData,
    selection: Selection,
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
    selected: pd.DataFrame | None = None,
) -> FlowSpec:
    """Return the page spec of the map of ``selection`` (of ``selected`` flows, when
    given); without a period it is the map of the data set's default period
    (:meth:`~flowmap.batken.dataset.MapData.resolve`). :func:`flowmap.batken.export.make_map`
    puts it on a map."""
    selection = data.resolve(selection)
    return batken_spec(
        data.selected(selection) if selected is None else selected,
        selection,
        places=data.places,
        anchors=data.anchors,
        scale=data.scale,
        options=options,
        districts=districts,
    )


__all__ = [
    "batken_spec",
    "engine_tables",
    "home_frame",
    "make_spec",
    "split_total_notes",
    "value_labels",
]
