"""The map of change between two periods of the Batken data set (``flowmap export
--compare 2017 2023``, ``flowmap data show --compare``, the app's "Compare two periods"),
drawn by the general map of change (:func:`flowmap.engine.flows.compare.change`) with the
data set's own truth rules:

- A change is arithmetic: a change of two reported (or derived) figures is **derived**
  (drawn pale) and a change with a modelled figure on either side is **modelled** (drawn
  dashed); a pair with a figure in one period only keeps that figure's basis and no change
  is computed (the general rule: never taken as 0). Modelled changes are drawn, never
  hidden; ``--basis reported`` leaves them out.
- Two periods compare when they are of the same length and do not overlap (a span beside
  one of its own years would be a total beside its part).
- A period with no figure for the selection is refused, saying why and what to choose
  instead: a period with figures for both sexes together only (2013–2016, 2024) names the
  periods that have figures by sex; a period that gives only the total for a counterpart
  whose parts the other gives would compare a total with its parts, and is refused too.
- Net balances are not compared (the net of a pair may turn direction).
- The symbolic points ("Abroad", "other oblasts") never stretch the frame: out of view, they
  are named at its edge, like the destinations abroad; where they are the only ends at home
  (reported figures), "other oblasts" is framed with Batken (:func:`home_frame`).
- The title box says one line of counts and one sentence on how the change is computed and
  what its pale and dashed lines are, only what applies to the map.
"""

from __future__ import annotations

from dataclasses import replace

import folium
import numpy as np
import pandas as pd

from flowmap.batken.dataset import MapData, periods_have
from flowmap.batken.layers import (
    batken_districts_layer,
    border_layer,
    oblast_layers,
)
from flowmap.batken.mapspec import engine_tables, home_frame
from flowmap.batken.options import MapOptions
from flowmap.batken.query import Selection, ancestors, drawable_flows, parents_of, select_flows
from flowmap.core.errors import FlowmapError
from flowmap.render.layer import Attribute, LineStyles
from flowmap.render.maps import flow_map
from flowmap.render.options import Selection as MapSelection
from flowmap.render.options import Style, Wording
from flowmap.text.i18n import Message, msg, t
from flowmap.text.period import Period
from flowmap.text.places import place_name

BASES = ("reported", "derived", "modelled")


def _drawable(data: MapData, asked: Selection, period: Period) -> pd.DataFrame:
    """Return the flows a map of ``asked`` in ``period`` draws (the finest parts)."""
    return drawable_flows(data.selected(replace(asked, period=period)), data.places)


def _why_none(data: MapData, asked: Selection, period: Period) -> Message:
    """Return why ``asked`` has no flow to compare in ``period``: figures for both sexes
    (or all ages) together only, only modelled ones under ``--basis reported``, or none."""
    rows = select_flows(data.flows, replace(asked, period=None, sex="any", age="any"))
    for column, value, everyone in (("sex", asked.sex, "total"), ("age", asked.age, "all")):
        if value == everyone:
            continue
        have = {Period.parse(str(p)) for p in rows.loc[rows[column] == value, "period"]}
        here = rows[(rows["period"] == str(period)) & (rows[column] == everyone)]
        if len(here) and period not in have:
            return msg(
                "compare.group",
                period=period.label(),
                group=msg(f"{column}.{value}"),
                everyone=msg(f"{column}.{everyone}"),
                have=periods_have(have) if have else "—",
            )
    if asked.basis == "reported" and len(_drawable(data, replace(asked, basis="all"), period)):
        return msg("compare.unreported", period=period.label())
    return msg("compare.none", period=period.label())


def compare_periods(
    data: MapData, asked: Selection, first: str, second: str
) -> tuple[Period, Period]:
    """Return the two periods of a change of ``asked``, checked (see the module doc).

    Raises
    ------
    FlowmapError
        For ``net``, two equal periods, a period the data set does not have, two periods
        of different lengths or that overlap, or a period with no figure for ``asked``
        (saying why and what to choose instead).
    """
    if asked.direction == "net":
        raise FlowmapError(msg("compare.net"))
    wanted = (Period.parse(str(first)), Period.parse(str(second)))
    if wanted[0] == wanted[1]:
        raise FlowmapError(msg("compare.pair", value=repr((first, second))))
    have = data.periods(asked.focus)
    for period in wanted:
        if period not in have:
            raise FlowmapError(
                msg("query.no_period", period=period.label(), have=periods_have(have))
            )
    a, b = wanted
    if len(a.years) != len(b.years) or (a.start <= b.end and b.start <= a.end):
        raise FlowmapError(msg("compare.spans", first=a.label(), second=b.label()))
    for period in wanted:
        if _drawable(data, asked, period).empty:
            raise FlowmapError(_why_none(data, asked, period))
    return wanted


def _check_same_level(
    parts: list[pd.DataFrame], wanted: tuple[Period, Period], data: MapData, lang: str
) -> None:
    """Refuse a change of a total in one period against its own parts in the other (the
    two periods split a counterpart differently): it would be drawn as unrelated pairs."""
    parents = parents_of(data.places)
    shown = [set(zip(p["direction"], p["counterpart"], strict=True)) for p in parts]
    for i, j in ((0, 1), (1, 0)):
        for direction, place in sorted(shown[j]):
            for total in ancestors(parents, str(place)):
                if (direction, total) in shown[i]:
                    raise FlowmapError(
                        msg(
                            "compare.totals_only",
                            period=wanted[i].label(),
                            other=wanted[j].label(),
                            place=place_name(data.places, total, lang),
                        )
                    )


def compare_tables(
    data: MapData, asked: Selection, first: str, second: str, lang: str = "en"
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[str, str]]:
    """Return the engine's flows of both periods (``time`` the period's label, ``basis``
    the basis of each pair's change, :func:`change_basis`), their places and the two
    labels: what the map of change draws and ``flowmap data show --compare`` lists.

    Raises
    ------
    FlowmapError
        As :func:`compare_periods`, or when one period gives a total whose parts the
        other gives.
    """
    wanted = compare_periods(data, asked, first, second)
    drawn = [_drawable(data, asked, p) for p in wanted]
    _check_same_level(drawn, wanted, data, lang)
    parts, places = [], None
    for rows in drawn:
        flows, places = engine_tables(rows, data.places, data.anchors, lang)
        parts.append(flows)
    assert places is not None
    labels = (wanted[0].label(), wanted[1].label())
    table = change_basis(pd.concat(parts, ignore_index=True), *labels)
    return table, places, labels


def change_rows(data: MapData, asked: Selection, first: str, second: str) -> pd.DataFrame:
    """Return the change of each pair from ``first`` to ``second``, as ``flowmap data show
    --compare`` lists it: ``direction``, ``origin``, ``destination`` (ids), ``first`` and
    ``second`` (the periods), ``before``, ``after`` (empty: no figure in that period, never
    taken as 0), ``change`` (empty unless both are there), ``kind`` (``gain``, ``loss``,
    ``same`` or ``once``) and ``basis`` (of the change, :func:`change_basis`), largest
    change first.

    Raises
    ------
    FlowmapError
        As :func:`compare_tables`.
    """
    table, _, labels = compare_tables(data, asked, first, second)
    keys = ["origin", "dest"]
    one, two = (table[table["time"] == label] for label in labels)
    both = one.merge(two, on=keys, how="outer", suffixes=("_a", "_b"))
    before = both["count_a"].to_numpy(dtype="float64", na_value=np.nan)
    after = both["count_b"].to_numpy(dtype="float64", na_value=np.nan)
    delta = after - before
    kind = np.where(
        np.isnan(delta), "once", np.where(delta > 0, "gain", np.where(delta < 0, "loss", "same"))
    )
    out = pd.DataFrame(
        {
            "direction": np.where(both["origin"] == asked.focus, "out", "in"),
            "origin": both["origin"],
            "destination": both["dest"],
            "first": labels[0],
            "second": labels[1],
            "before": pd.array(before, dtype="Float64").astype("Int64"),
            "after": pd.array(after, dtype="Float64").astype("Int64"),
            "change": pd.array(delta, dtype="Float64").astype("Int64"),
            "kind": kind,
            "basis": both["basis_b"].fillna(both["basis_a"]),
        }
    )
    size = np.nan_to_num(np.abs(delta), nan=-1.0)
    order = np.lexsort((out["destination"], out["origin"], -size))
    return out.iloc[order].reset_index(drop=True)


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
    """Return the map of the change of ``asked`` (its places, direction, sex, age and
    basis) from period ``first`` to ``second`` (see the module doc).

    Raises
    ------
    FlowmapError
        As :func:`compare_tables`.
    """
    lang = options.lang
    table, places, labels = compare_tables(data, asked, first, second, lang)
    table = table[["origin", "dest", "count", "time", "basis"]]
    ends = {*table["origin"].astype(str), *table["dest"].astype(str)}
    area, edge = home_frame(places, ends, asked.focus)
    layers = oblast_layers(data.places, lang, asked.focus, named=ends)
    if options.border_overlay:
        layers += [batken_districts_layer(lang), border_layer(data.places, lang, options.palette)]
    return flow_map(
        table,
        places.reset_index(drop=True),
        selection=MapSelection(
            places=[asked.focus],
            direction="both" if asked.direction == "both" else asked.direction,  # type: ignore[arg-type]
            compare=labels,
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
            area=area,
            edge=edge,
            # The data set's one width scale: a change of 54 people is as wide as 54 people
            # on every Batken map, never blown up to the widest line.
            scale=data.scale,
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


__all__ = ["change_basis", "change_rows", "compare_map", "compare_periods", "compare_tables"]
