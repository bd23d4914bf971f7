"""Everything a Batken map needs, loaded once, and the export of a selection as one HTML
file.

:class:`MapData` bundles the tables, anchor points and the width scale. The app caches one
``MapData``; the command line builds one per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

from flowmap.batken import MapOptions, batken_map
from flowmap.build import compute_balances
from flowmap.data import load_balances, load_flows, load_places, load_populations
from flowmap.geometry import LatLon, WidthScale, anchor_points
from flowmap.maps import save_html
from flowmap.query import Selection, net_as_flows, select_balances, select_flows


@dataclass(frozen=True)
class MapData:
    """The data behind every map of a data set."""

    places: pd.DataFrame
    flows: pd.DataFrame
    balances: pd.DataFrame
    anchors: dict[str, LatLon]
    scale: WidthScale

    @classmethod
    def load(
        cls,
        flows: Path | str | None = None,
        places: Path | str | None = None,
        *,
        focus: str = "KG-B",
    ) -> MapData:
        """Return the map data of the embedded tables, or of the given flows/places files.

        For a user's flows file, net balances are computed for ``focus`` (arrivals −
        departures); the embedded data ships its own, with the article's printed nets.
        """
        place_table = load_places(places)
        flow_table = load_flows(flows, place_table)
        balances = load_balances() if flows is None else compute_balances(flow_table, focus)
        populations = load_populations(places=place_table).to_dict() if places is None else {}
        anchors = anchor_points(place_table, populations)
        scale = WidthScale.for_flows(flow_table)
        return cls(place_table, flow_table, balances, anchors, scale)

    def selected(self, selection: Selection) -> pd.DataFrame:
        """Return the flows of a selection (net balances as flows for ``direction="net"``)."""
        if selection.direction == "net":
            return net_as_flows(select_balances(self.balances, selection), selection.focus)
        return select_flows(self.flows, selection)


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
