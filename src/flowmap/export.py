"""The last stage of the Batken preset: the map of a selection of a :class:`MapData`,
and its export as one self-contained HTML file."""

from __future__ import annotations

from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from flowmap.batken import MapOptions, batken_map
from flowmap.dataset import MapData
from flowmap.maps import save_html
from flowmap.query import Selection


def make_map(
    data: MapData,
    selection: Selection,
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
    selected: pd.DataFrame | None = None,
) -> folium.Map:
    """Return the folium map of ``selection`` (of ``selected`` flows, when given)."""
    return batken_map(
        data.selected(selection) if selected is None else selected,
        selection,
        places=data.places,
        anchors=data.anchors,
        scale=data.scale,
        options=options,
        districts=districts,
    )


def export_html(
    data: MapData,
    selection: Selection,
    out: Path | str,
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
) -> Path:
    """Write the map of ``selection`` to ``out`` as one self-contained HTML file."""
    return save_html(make_map(data, selection, options, districts), out)
