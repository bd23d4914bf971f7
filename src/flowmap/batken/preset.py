"""The Batken preset: the article's data, wording, border overlay and provenance styling,
drawn by the general engine (:func:`flowmap.render.maps.draw_map`).

The engine knows nothing about Batken; everything particular to this data set is here:
the selection through :mod:`flowmap.batken.query` (aggregates such as "other oblasts" are left out
when their parts are drawn, net flows come from the printed balances), the title and notes,
the oblast and border layers, and line styles by basis (reported solid, derived pale,
modelled dashed). The options are :class:`flowmap.batken.options.MapOptions`, the words
:mod:`flowmap.batken.wording` (both re-exported here); :mod:`flowmap.batken.mapspec` turns
the Batken rows into the engine's tables and a page spec (without folium, for images), and
this module puts that spec on a map.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from flowmap.batken.mapspec import batken_spec, engine_tables, split_total_notes, value_labels
from flowmap.batken.options import MapOptions
from flowmap.batken.query import Selection
from flowmap.batken.wording import (
    LEGEND_KINDS,
    NET_LEGEND_KINDS,
    SYMBOLIC,
    data_destinations,
    group_of,
    map_text,
    missing_destinations,
    missing_note,
    subtitle_of,
)
from flowmap.engine.geometry import LatLon, WidthScale
from flowmap.render.maps import spec_map


def batken_map(
    selected: pd.DataFrame,
    selection: Selection,
    *,
    places: pd.DataFrame,
    anchors: dict[str, LatLon],
    scale: WidthScale,
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Return the Batken flow map of ``selected`` flows (from
    :func:`flowmap.batken.query.select_flows`, or :func:`flowmap.batken.query.net_as_flows` for net
    migration), drawn on the data set's one width scale: the page spec of
    :func:`flowmap.batken.mapspec.batken_spec` on a new map.

    Raises
    ------
    FlowmapError
        When ``selected`` mixes periods or groups of people
        (:func:`flowmap.batken.query.check_one_view`): a map shows one of each.
    """
    options = options or MapOptions()
    spec = batken_spec(
        selected,
        selection,
        places=places,
        anchors=anchors,
        scale=scale,
        options=options,
        districts=districts,
    )
    return spec_map(spec, tiles=options.online_tiles, lang=options.lang, height=options.height)


__all__ = [
    "LEGEND_KINDS",
    "NET_LEGEND_KINDS",
    "SYMBOLIC",
    "MapOptions",
    "batken_map",
    "data_destinations",
    "engine_tables",
    "group_of",
    "map_text",
    "missing_destinations",
    "missing_note",
    "split_total_notes",
    "subtitle_of",
    "value_labels",
]
