"""Everything the maps of one data set need, loaded once: tables, anchor points and the
width scale (the read-and-select stages of the Batken preset).

The app caches one :class:`MapData`; the command line builds one per run. Later stages
(:mod:`flowmap.app.view` for the app's tables, :mod:`flowmap.batken.export` for maps) take it
as input.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from flowmap.batken.balances import compute_balances
from flowmap.batken.data import load_balances, load_flows, load_places, load_populations
from flowmap.batken.facts import FOCUS
from flowmap.batken.query import (
    Selection,
    check_map_group,
    default_period,
    net_as_flows,
    select_balances,
    select_flows,
)
from flowmap.core.budget import CLI, Budget
from flowmap.core.errors import FlowmapError
from flowmap.engine.geometry import LatLon, WidthScale, anchor_points
from flowmap.text.i18n import Message, msg
from flowmap.text.period import Period


def periods_have(periods: Iterable[Period]) -> Message:
    """Return what periods a data set has, for a message: runs of single years as one span
    of years (``the single years 2013–2024``), then the summed spans (``and the span
    2014–2023``), each as :meth:`~flowmap.batken.data.Period.label` writes it."""
    found = sorted(set(periods))
    runs: list[Period] = []
    for year in sorted(p.start for p in found if p.is_year):
        if runs and runs[-1].end == year - 1:
            runs[-1] = Period(runs[-1].start, year)
        else:
            runs.append(Period(year, year))
    years = ", ".join(p.label() for p in runs)
    spans = ", ".join(p.label() for p in found if not p.is_year)
    if years and spans:
        return msg("query.periods.both", years=years, spans=spans)
    return (
        msg("query.periods.years", years=years)
        if years
        else msg("query.periods.spans", spans=spans)
    )


@dataclass(frozen=True)
class MapData:
    """The data behind every map of a data set."""

    places: pd.DataFrame
    flows: pd.DataFrame
    balances: pd.DataFrame
    anchors: dict[str, LatLon]
    scale: WidthScale
    _periods: dict[str, tuple[Period, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """The periods of each focus place asked for so far (:meth:`periods`): the tables are
    not changed after loading (:func:`dataclasses.replace` makes a new, empty one)."""

    @classmethod
    def load(
        cls,
        flows: Path | str | None = None,
        places: Path | str | None = None,
        *,
        focus: str = FOCUS,
        budget: Budget = CLI,
    ) -> MapData:
        """Return the map data of the embedded tables, or of the given flows/places files
        (read within ``budget``).

        For a user's flows file, net balances are computed for ``focus`` (arrivals −
        departures); the embedded data ships its own, with the article's printed nets.
        """
        place_table = load_places(places, budget=budget)
        flow_table = load_flows(flows, place_table, budget=budget)
        balances = load_balances() if flows is None else compute_balances(flow_table, focus)
        populations = load_populations(places=place_table).to_dict() if places is None else {}
        anchors = anchor_points(place_table, populations)
        scale = WidthScale.for_flows(flow_table)
        return cls(place_table, flow_table, balances, anchors, scale)

    def periods(self, focus: str = FOCUS) -> list[Period]:
        """Return the periods of the flows and balances of ``focus``, sorted (years first,
        then spans, as :class:`~flowmap.batken.data.Period` orders them).

        Worked out once per focus place (every map, view and player stop asks again);
        each call returns a new list."""
        if focus not in self._periods:
            flows, balances = self.flows, self.balances
            ends = (flows["origin"] == focus) | (flows["destination"] == focus)
            texts = {
                *flows.loc[ends, "period"].astype(str),
                *balances.loc[balances["place"] == focus, "period"].astype(str),
            }
            self._periods[focus] = tuple(sorted({Period.parse(p) for p in texts}))
        return list(self._periods[focus])

    def default_period(self, focus: str = FOCUS) -> Period | None:
        """Return the period a map of ``focus`` opens on
        (:func:`flowmap.batken.query.default_period` of its periods: 2014–2023, the app's
        default view, for the Batken data)."""
        return default_period(self.periods(focus))

    def resolve(self, selection: Selection) -> Selection:
        """Return the selection a map draws: the default period (:meth:`default_period`,
        which the map's subtitle names) when none is chosen.

        Raises
        ------
        FlowmapError
            When the selection does not name one sex and one age group
            (:func:`flowmap.batken.query.check_map_group`), or names a period the data set does
            not have (naming the periods it has).
        """
        check_map_group(selection)
        if selection.period is None:
            return replace(selection, period=self.default_period(selection.focus))
        periods = self.periods(selection.focus)
        if selection.period not in periods:
            raise FlowmapError(
                msg("query.no_period", period=selection.period.label(), have=periods_have(periods))
            )
        return selection

    def selected(self, selection: Selection) -> pd.DataFrame:
        """Return the flows a map of ``selection`` may draw (net balances as flows for
        ``direction="net"``): one period, one group (:meth:`resolve`). An aggregate and its
        parts may both be here; the map draws the finest
        (:func:`flowmap.batken.query.drawable_flows`)."""
        selection = self.resolve(selection)
        if selection.direction == "net":
            balances = select_balances(self.balances, selection)
            return net_as_flows(balances, selection.focus, self.flows)
        return select_flows(self.flows, selection)


__all__ = ["MapData", "periods_have"]
