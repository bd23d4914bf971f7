"""The map of change between two periods of the Batken data set (``flowmap export
--compare 2017 2023``), drawn by the general map of change
(:func:`flowmap.engine.flows.compare.change`) with the data set's own truth rules:

- Only periods with reported figures for the selection can be compared: a period whose
  flows are all modelled estimates is refused, naming the periods that can be.
- A change is arithmetic, so a change of two reported figures is **derived** (drawn pale)
  and a change with a modelled figure on either side is **modelled** (drawn dashed); a
  pair with a figure in one period only keeps that figure's basis and no change is
  computed (the general rule: never taken as 0).
- Net balances are not compared (the net of a pair may turn direction).
"""

from __future__ import annotations

from dataclasses import replace

import folium
import numpy as np
import pandas as pd

from flowmap.batken.dataset import MapData, periods_have
from flowmap.batken.layers import batken_districts_layer, border_layer, oblast_layers
from flowmap.batken.options import MapOptions
from flowmap.batken.preset import engine_tables
from flowmap.batken.query import Selection, drawable_flows
from flowmap.core.errors import FlowmapError
from flowmap.render.layer import Attribute, LineStyles
from flowmap.render.maps import flow_map
from flowmap.render.options import Selection as MapSelection
from flowmap.render.options import Style, Wording
from flowmap.text.i18n import msg, t
from flowmap.text.period import Period

BASES = ("reported", "derived", "modelled")


def _reported(data: MapData, asked: Selection, period: Period) -> pd.DataFrame:
    """Return the drawable flows of ``asked`` in ``period``."""
    return drawable_flows(data.selected(replace(asked, period=period)), data.places)


def change_basis(table: pd.DataFrame, first: str, second: str) -> pd.DataFrame:
    """Return ``table`` (engine flows of the two periods, ``time`` and ``basis`` columns)
    with each pair present in both periods given the basis of its change in both rows:
    ``modelled`` when either figure is modelled, else ``derived`` (arithmetic on reported
    or derived figures); a pair in one period keeps its own basis.

    >>> t = pd.DataFrame({"origin": ["a", "a", "b"], "dest": ["x", "x", "x"],
    ...                   "time": ["2017", "2023", "2017"],
    ...                   "basis": ["reported", "reported", "modelled"]})
    >>> change_basis(t, "2017", "2023")["basis"].tolist()
    ['derived', 'derived', 'modelled']
    """
    keys = [table["origin"].astype(str), table["dest"].astype(str)]
    periods = table.groupby(keys)["time"].transform(lambda s: s.isin([first, second]).sum())
    modelled = table["basis"].eq("modelled").groupby(keys).transform("any")
    both = periods >= 2  # a row in each of the two periods
    basis = np.where(both & modelled, "modelled", np.where(both, "derived", table["basis"]))
    return table.assign(basis=basis)


def compare_map(
    data: MapData, asked: Selection, first: str, second: str, options: MapOptions
) -> folium.Map:
    """Return the map of the change of ``asked`` (its places, direction, sex and age)
    from period ``first`` to ``second`` (see the module doc).

    Raises
    ------
    FlowmapError
        For ``net``, a period the data set does not have or has no reported figure in
        for this selection (naming the periods that can be compared), or two equal periods.
    """
    if asked.direction == "net":
        raise FlowmapError(msg("compare.net"))
    wanted = [Period.parse(str(p)) for p in (first, second)]
    if wanted[0] == wanted[1]:
        raise FlowmapError(msg("compare.pair", value=repr((first, second))))
    comparable = [
        p
        for p in data.periods(asked.focus)
        if _reported(data, asked, p)["basis"].isin(("reported", "derived")).any()
    ]
    for period in wanted:
        if period not in comparable and asked.basis != "reported":
            totals = _reported(data, replace(asked, basis="reported"), period)
            if len(totals):  # reported totals whose drawn parts are modelled
                raise FlowmapError(msg("compare.totals_only", period=period.label()))
        if period not in comparable:
            raise FlowmapError(
                msg(
                    "compare.unreported",
                    period=period.label(),
                    periods=periods_have(comparable) if comparable else "—",
                )
            )
    lang = options.lang
    parts, places = [], None
    for period in wanted:
        flows, places = engine_tables(
            _reported(data, asked, period), data.places, data.anchors, lang
        )
        parts.append(flows)
    assert places is not None
    labels = [p.label() for p in wanted]
    table = change_basis(pd.concat(parts, ignore_index=True), *labels)
    table = table[["origin", "dest", "count", "time", "basis"]]
    layers = oblast_layers(data.places, lang, asked.focus)
    if options.border_overlay:
        layers += [batken_districts_layer(lang), border_layer(data.places, lang, options.palette)]
    return flow_map(
        table,
        places.reset_index(drop=True),
        selection=MapSelection(
            places=[asked.focus],
            direction="both" if asked.direction == "both" else asked.direction,  # type: ignore[arg-type]
            compare=(labels[0], labels[1]),
            top=None,
        ),
        style=Style(
            palette=options.palette,
            theme=options.theme,
            basemap="tiles" if options.online_tiles else "offline",
            layers=layers,
            lines=LineStyles(
                "basis",
                dashed=("modelled",),
                pale=("derived",),
                legend={b: t(f"legend.style.{b}", lang) for b in BASES},
            ),
        ),
        wording=Wording(
            lang=lang,  # type: ignore[arg-type]
            title=options.title or t("map.title", lang),
            source=t("note.source", lang),
            attributes=[
                Attribute("basis", t("tip.basis", lang), {b: t(f"basis.{b}", lang) for b in BASES})
            ],
        ),
    )


__all__ = ["change_basis", "compare_map"]
