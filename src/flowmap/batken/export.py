"""The last stage of the Batken preset: the map of a selection of a :class:`MapData`,
and its export as one self-contained HTML file.

An exported file plays by default: it carries every year of the selection, each direction
and the three languages, with a year slider, a play button and toggles
(:mod:`flowmap.batken.player`). ``static=True`` (``flowmap export --static``) writes the single
view instead, as the app shows it."""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from flowmap.batken.dataset import MapData
from flowmap.batken.mapspec import make_spec
from flowmap.batken.options import MapOptions
from flowmap.batken.player import add_player, opening_selection
from flowmap.batken.query import Selection
from flowmap.render.maps import save_html, spec_map


def make_map(
    data: MapData,
    selection: Selection,
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
    selected: pd.DataFrame | None = None,
) -> folium.Map:
    """Return the folium map of ``selection`` (of ``selected`` flows, when given); without
    a period it is the map of the data set's default period
    (:meth:`~flowmap.batken.dataset.MapData.resolve`). Its spec is
    :func:`flowmap.batken.mapspec.make_spec`'s."""
    spec = make_spec(data, selection, options, districts, selected)
    options = options or MapOptions()
    return spec_map(spec, tiles=options.online_tiles, lang=options.lang, height=options.height)


def playable_map(
    data: MapData,
    selection: Selection,
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Return the playable map of ``selection``: it opens at the selection's period (or the
    whole period) and carries every year, direction and language (:mod:`flowmap.batken.player`)."""
    fmap = make_map(data, opening_selection(data, selection), options, districts)
    return add_player(fmap, data, selection, options, districts)


def export_html(
    data: MapData,
    selection: Selection,
    out: Path | str,
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
    *,
    static: bool = False,
) -> Path:
    """Write the map of ``selection`` to ``out`` as one self-contained HTML file: playable
    (every year of the selection, with its own controls), or only the selection's view
    when ``static``."""
    if static:
        return save_html(make_map(data, selection, options, districts), out)
    return save_html(playable_map(data, selection, options, districts), out)
