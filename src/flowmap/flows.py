"""Which flows a map shows: cleaning, selection, aggregation over time, net flows, totals.

Everything works on the normalised tables of :mod:`flowmap.tables` (``origin``, ``dest``,
``count``, ``time`` and attribute columns) with vectorised pandas, so that a table of a
million rows is selected and aggregated in about a second.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from flowmap.data import Period
from flowmap.errors import FlowmapError

DIRECTIONS: tuple[str, ...] = ("both", "out", "in", "net")
"""Relative to the chosen places: flows leaving them, entering them, both, or the net."""

KINDS: tuple[str, ...] = ("out", "in", "between", "net")
"""What a drawn flow is: from a chosen place, to one, between other places, or a net."""


@dataclass(frozen=True)
class Skipped:
    """Rows left out of a map, each kind with its count and the first few examples."""

    self_flows: int = 0
    zero_counts: int = 0
    no_coordinates: int = 0
    unknown_places: tuple[str, ...] = ()
    missing_coordinates: tuple[str, ...] = ()
    examples: tuple[str, ...] = field(default=())

    @property
    def total(self) -> int:
        """Return how many rows were skipped."""
        return self.self_flows + self.zero_counts + self.no_coordinates


def _same_place(flows: pd.DataFrame) -> pd.Series:
    """Return rows whose origin and destination are the same place."""
    origin, dest = flows["origin"], flows["dest"]
    if (
        isinstance(origin.dtype, pd.CategoricalDtype)
        and isinstance(dest.dtype, pd.CategoricalDtype)
        and origin.cat.categories.equals(dest.cat.categories)
    ):
        return pd.Series(
            origin.cat.codes.to_numpy() == dest.cat.codes.to_numpy(), index=flows.index
        )
    return origin.astype(str) == dest.astype(str)


def clean_flows(flows: pd.DataFrame, places: pd.DataFrame) -> tuple[pd.DataFrame, Skipped]:
    """Return the flows that can be drawn and what was skipped: self-flows, zero counts,
    and flows whose places are unknown or have no coordinates."""
    self_flow = _same_place(flows)
    zero = flows["count"] == 0
    located = places.index[places["lat"].notna() & places["lon"].notna()]
    known = set(places.index)
    ends = pd.concat([flows["origin"], flows["dest"]])
    unknown = sorted(set(ends[~ends.isin(known)]))
    unlocated = sorted(set(ends[ends.isin(known) & ~ends.isin(located)]))
    no_coords = ~(flows["origin"].isin(located) & flows["dest"].isin(located))
    keep = ~self_flow & ~zero & ~no_coords
    skipped = Skipped(
        self_flows=int(self_flow.sum()),
        zero_counts=int((zero & ~self_flow).sum()),
        no_coordinates=int((no_coords & ~self_flow & ~zero).sum()),
        unknown_places=tuple(unknown),
        missing_coordinates=tuple(unlocated),
    )
    return flows[keep], skipped


def _period_mask(times: pd.Series, period: Period) -> pd.Series:
    """Return rows labelled with a year inside ``period`` or with exactly that span (each
    distinct label is checked once)."""
    distinct = (
        times.cat.categories
        if isinstance(times.dtype, pd.CategoricalDtype)
        else pd.unique(times.astype(str).to_numpy())
    )
    labels = pd.Series(list(distinct), dtype=object).astype(str)
    years = pd.to_numeric(labels.where(labels.str.fullmatch(r"[0-9]{4}")), errors="coerce")
    wanted = set(labels[years.between(period.start, period.end) | (labels == str(period))])
    return times.isin(wanted)


def as_period(value: Period | str | int | None) -> Period | None:
    """Return a period from ``2019``, ``"2019"``, ``"2014-2023"`` or a :class:`Period`."""
    if value is None or isinstance(value, Period):
        return value
    return Period.parse(str(value))


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
) -> pd.DataFrame:
    """Return the flows of a map, one row per origin and destination (and time, with
    ``by_time``), counts summed over the chosen years.

    Parameters
    ----------
    flows
        A normalised flows table (:func:`flowmap.tables.as_flows`).
    places
        Show only flows touching these place ids; all flows when empty.
    direction
        ``out`` (leaving the chosen places), ``in`` (entering them), ``both``, or ``net``
        (for each pair, the larger direction minus the smaller, drawn the larger way).
        ``out``, ``in`` and ``net`` need chosen places, except ``net`` over all flows.
    period
        A year or span: yearly rows inside it are summed, and rows labelled with exactly
        that span are kept. All times when None.
    filters
        Attribute column -> the value (or values) to keep, e.g. ``{"sex": "total"}``.
    top, min_count
        Keep the ``top`` largest flows, and those of at least ``min_count`` people.
    by_time
        Keep one row per time label instead of summing over the period.

    Returns
    -------
    pandas.DataFrame
        ``origin``, ``dest``, ``count``, ``time`` (the label of what was summed),
        ``kind`` (one of :data:`KINDS`) and the attribute columns (the value shared by
        every summed row, or ``""`` when they differ), largest first.

    Raises
    ------
    FlowmapError
        For an unknown direction or filter column, or ``in``/``out`` without places.
    """
    if direction not in DIRECTIONS:
        raise FlowmapError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
    chosen = list(dict.fromkeys(str(p) for p in places))
    if direction in ("in", "out") and not chosen:
        raise FlowmapError(f"direction {direction!r} needs chosen places (places=[...])")
    keep = pd.Series(True, index=flows.index)
    for column, wanted in (filters or {}).items():
        if column not in flows.columns:
            raise FlowmapError(
                f"cannot filter on {column!r}: the flows have no such column "
                f"(columns: {', '.join(map(str, flows.columns))})"
            )
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        keep &= flows[column].isin(values)
    span = as_period(period)
    if span is not None:
        keep &= _period_mask(flows["time"], span)
    if chosen:
        touches = flows["origin"].isin(chosen) | flows["dest"].isin(chosen)
        if direction == "out":
            touches = flows["origin"].isin(chosen)
        elif direction == "in":
            touches = flows["dest"].isin(chosen)
        keep &= touches
    frame = flows[keep]
    label = str(span) if span is not None else ""
    table = _aggregate(frame, by_time=by_time, label=label)
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
    if top is not None:
        table = table.nlargest(max(0, int(top)), "count", keep="first")
    for column in ("origin", "dest", "time"):
        table[column] = table[column].astype(str)
    table = table.sort_values(["count", "origin", "dest"], ascending=[False, True, True])
    return table.reset_index(drop=True)


def _aggregate(frame: pd.DataFrame, *, by_time: bool, label: str) -> pd.DataFrame:
    """Return counts summed per origin and destination (and time); attributes kept when
    all summed rows share them."""
    keys = ["origin", "dest", "time"] if by_time else ["origin", "dest"]
    attrs = [c for c in frame.columns if c not in ("origin", "dest", "count", "time")]
    grouped = frame.groupby(keys, sort=False, observed=True)
    table = grouped["count"].sum().reset_index()
    if not by_time:
        table["time"] = _shared(grouped, "time", label)
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


def location_totals(flows: pd.DataFrame) -> pd.DataFrame:
    """Return, for each place of a flows table, ``incoming``, ``outgoing``, ``net``
    (incoming − outgoing) and ``internal`` (flows whose both ends are that place)."""
    origin, dest = flows["origin"].astype(str), flows["dest"].astype(str)
    same = _same_place(flows).to_numpy()
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


__all__ = [
    "DIRECTIONS",
    "KINDS",
    "Skipped",
    "as_period",
    "clean_flows",
    "location_totals",
    "select",
]
