"""Everything the maps of one data set need, loaded once: tables, anchor points and the
width scale (the read-and-select stages of the Batken preset).

The app caches one :class:`MapData`; the command line builds one per run. Later stages
(:mod:`flowmap.view` for the app's tables, :mod:`flowmap.export` for maps) take it as input.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from flowmap.build import compute_balances
from flowmap.data import load_balances, load_flows, load_places, load_populations
from flowmap.geometry import LatLon, WidthScale, anchor_points
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


__all__ = ["MapData"]
