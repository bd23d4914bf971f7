"""Selecting the flows of a map (:mod:`flowmap.engine.flows`): by place, direction, period and
attribute, aggregated over time, as net flows, and the totals of each place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from flowmap.core import lazy
from flowmap.core.errors import FlowmapError
from flowmap.engine.choices import DIRECTIONS as DIRECTIONS
from flowmap.engine.choices import Direction as Direction
from flowmap.engine.flows.cleaning import same_place
from flowmap.engine.flows.periods import choose_period
from flowmap.engine.flows.sums import check_sums
from flowmap.text.i18n import msg
from flowmap.text.period import Period

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy.module("pandas")  # imported on first use (flowmap.core.lazy)

KINDS: tuple[str, ...] = ("out", "in", "between", "net")
"""What a drawn flow is: from a chosen place, to one, between other places, or a net."""


def select(
    flows: pd.DataFrame,
    *,
    places: Sequence[str] = (),
    direction: str = "both",
    period: Period | str | int | None = None,
    filters: Mapping[str, str | Sequence[str]] | None = None,
    top: int | None = None,
    min_count: int = 0,
    by_time: bool = False,
    measure: str = "flow",
    ordered: bool = True,
) -> pd.DataFrame:
    """Return the flows of a map of one period, one row per origin and destination (and
    time, with ``by_time``), counts summed over a span only when it is asked for.

    Parameters
    ----------
    flows
        A normalised flows table (:func:`flowmap.io.tables.as_flows`).
    places
        Show only flows touching these place ids; all flows when empty.
    direction
        ``out`` (leaving the chosen places), ``in`` (entering them), ``both``, or ``net``
        (for each pair, the larger direction minus the smaller, drawn the larger way).
        ``out``, ``in`` and ``net`` need chosen places, except ``net`` over all flows.
    period
        A year or span (see :func:`choose_period`): rows labelled with exactly that span
        when there are any, else the yearly rows inside it, summed. When None, the latest
        time value of a table that has several (never their sum; all times with
        ``by_time``).
    filters
        Attribute column -> the value (or values) to keep, e.g. ``{"sex": "total"}``.
    top, min_count
        Keep the ``top`` largest flows (``None`` or 0: every flow), and those of at least
        ``min_count`` people.
    by_time
        Keep one row per time label instead of summing over the period.
    measure
        ``flow`` (the default) or ``stock``: a stock table refuses to sum a span (see
        :data:`MEASURES`).
    ordered
        Largest first with ids as text (the default); False leaves the rows in the order
        met and the ids as categories, for callers that only count (a million flows are
        not sorted for nothing).

    Returns
    -------
    pandas.DataFrame
        ``origin``, ``dest``, ``count``, ``time`` (the label of what was summed),
        ``kind`` (one of :data:`KINDS`) and the attribute columns (the value shared by
        every summed row, or ``""`` when they differ), largest first.

    Raises
    ------
    FlowmapError
        For an unknown direction or filter column, ``in``/``out`` without places, or a
        span of a stock table.
    """
    if direction not in DIRECTIONS:
        options = ", ".join(DIRECTIONS)
        raise FlowmapError(
            msg("user.choice", name="direction", options=options, value=repr(direction))
        )
    chosen = list(dict.fromkeys(str(p) for p in places))
    if direction in ("in", "out") and not chosen:
        raise FlowmapError(msg("user.needs_places", direction=repr(direction)))
    keep = pd.Series(True, index=flows.index)
    for column, wanted in (filters or {}).items():
        if column not in flows.columns:
            columns = ", ".join(map(str, flows.columns))
            raise FlowmapError(msg("user.no_filter_column", column=repr(column), columns=columns))
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        keep &= flows[column].isin(values)
    choice = choose_period(flows["time"], period, measure=measure)
    if choice.period is not None and not (by_time and period is None):
        keep &= flows["time"].isin(choice.labels)
    if chosen:
        touches = flows["origin"].isin(chosen) | flows["dest"].isin(chosen)
        if direction == "out":
            touches = flows["origin"].isin(chosen)
        elif direction == "in":
            touches = flows["dest"].isin(chosen)
        keep &= touches
    frame = flows[keep]
    table = _aggregate(frame, by_time=by_time, label=choice.label)
    if direction == "net":
        table = _net(table, chosen)
    elif chosen:
        table["kind"] = np.where(
            table["origin"].isin(chosen),
            "out",
            np.where(table["dest"].isin(chosen), "in", "between"),
        )
    else:
        table["kind"] = "between"
    table = table[table["count"] >= max(min_count, 1)]
    if top:  # None or 0: every flow (as on a map, flowmap.engine.flows.limit)
        table = table.nlargest(max(0, int(top)), "count", keep="first")
    if not ordered:
        return table.reset_index(drop=True)
    for column in ("origin", "dest", "time"):
        table[column] = table[column].astype(str)
    table = table.sort_values(["count", "origin", "dest"], ascending=[False, True, True])
    return table.reset_index(drop=True)


def _aggregate(frame: pd.DataFrame, *, by_time: bool, label: str) -> pd.DataFrame:
    """Return counts summed per origin and destination (and time), labelled with the
    period ``label`` (each group's own time when there is none); attributes kept when all
    summed rows share them."""
    keys = ["origin", "dest", "time"] if by_time else ["origin", "dest"]
    attrs = [c for c in frame.columns if c not in ("origin", "dest", "count", "time")]
    grouped = frame.groupby(keys, sort=False, observed=True)
    check_sums(frame["count"], [frame[k] for k in keys], lambda key: _flow_name(key, label))
    table = grouped["count"].sum().reset_index()
    if not by_time:
        table["time"] = label if label else _shared(grouped, "time", "")
    for column in attrs:
        table[column] = _shared(grouped, column, "")
    return table


def _shared(grouped: pd.api.typing.DataFrameGroupBy, column: str, mixed: str) -> np.ndarray:
    """Return each group's value of ``column`` when all its rows share it, else ``mixed``."""
    first = grouped[column].first().to_numpy()
    single = grouped[column].nunique().to_numpy() <= 1
    return np.where(single, first, mixed)


def _net(table: pd.DataFrame, chosen: Sequence[str]) -> pd.DataFrame:
    """Return, for each pair of places, the net flow drawn from the net loser to the net
    gainer (with chosen places: each counterpart's net with them)."""
    if table.empty:
        table = table.copy()
        table["kind"] = pd.Series(dtype=object)
        return table
    origin = table["origin"].astype(str).to_numpy()
    dest = table["dest"].astype(str).to_numpy()
    keep = origin != dest
    table, origin, dest = table[keep], origin[keep], dest[keep]
    a = np.where(origin < dest, origin, dest)
    b = np.where(origin < dest, dest, origin)
    sign = np.where(origin == a, 1, -1)
    pair = table.assign(a=a.astype(str), b=b.astype(str), signed=table["count"] * sign)
    net = pair.groupby(["a", "b"], sort=False)["signed"].sum().reset_index()
    net = net[net["signed"] != 0]
    out = pd.DataFrame(
        {
            "origin": np.where(net["signed"] > 0, net["a"], net["b"]),
            "dest": np.where(net["signed"] > 0, net["b"], net["a"]),
            "count": net["signed"].abs().astype("int64"),
        }
    )
    out["time"] = table["time"].iloc[0] if table["time"].nunique() == 1 else ""
    out["kind"] = "net"
    return out


def _flow_name(key: tuple[Any, ...], label: str = "") -> str:
    """Return a flow's key (origin, destination and maybe time) as ``A → B (2019)``, the
    time being ``label`` (the period summed) when the key has none."""
    origin, dest, *time = (str(part) for part in key)
    when = time[0] if time else label
    return f"{origin} → {dest}" + (f" ({when})" if when else "")


def location_totals(flows: pd.DataFrame) -> pd.DataFrame:
    """Return, for each place of a flows table, ``incoming``, ``outgoing``, ``net``
    (incoming − outgoing) and ``internal`` (flows whose both ends are that place)."""
    origin, dest = flows["origin"].astype(str), flows["dest"].astype(str)
    same = same_place(flows).to_numpy()
    count = flows["count"]
    check_sums(count[same], [origin[same]], lambda key: f"{key[0]} → {key[0]}")
    check_sums(count[~same], [dest[~same]], lambda key: f"→ {key[0]}")
    check_sums(count[~same], [origin[~same]], lambda key: f"{key[0]} →")
    internal = flows["count"][same].groupby(origin[same]).sum()
    incoming = flows["count"][~same].groupby(dest[~same]).sum()
    outgoing = flows["count"][~same].groupby(origin[~same]).sum()
    index = incoming.index.union(outgoing.index).union(internal.index)
    totals = pd.DataFrame(
        {
            "incoming": incoming.reindex(index, fill_value=0),
            "outgoing": outgoing.reindex(index, fill_value=0),
            "internal": internal.reindex(index, fill_value=0),
        }
    ).astype("int64")
    totals.insert(2, "net", totals["incoming"] - totals["outgoing"])
    totals.index.name = "id"
    return totals


__all__ = ["DIRECTIONS", "KINDS", "Direction", "location_totals", "select"]
