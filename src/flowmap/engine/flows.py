"""Which flows a map shows: cleaning, selection, aggregation over time, net flows, totals.

Everything works on the normalised tables of :mod:`flowmap.io.tables` (``origin``, ``dest``,
``count``, ``time`` and attribute columns) with vectorised pandas, so that a table of a
million rows is selected and aggregated in about a second.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from flowmap.core.errors import FlowmapError
from flowmap.io.skipped import Skipped
from flowmap.io.tables import Problems
from flowmap.text.i18n import Count, Message, msg
from flowmap.text.period import Period

DIRECTIONS: tuple[str, ...] = ("both", "out", "in", "net")
"""Relative to the chosen places: flows leaving them, entering them, both, or the net."""

KINDS: tuple[str, ...] = ("out", "in", "between", "net")
"""What a drawn flow is: from a chosen place, to one, between other places, or a net."""


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


def clean_flows(
    flows: pd.DataFrame,
    places: pd.DataFrame,
    *,
    source: str = "flows",
    where: Callable[[int], str] | None = None,
) -> tuple[pd.DataFrame, Skipped]:
    """Return the flows that can be drawn and what was skipped: self-flows, zero counts,
    and flows whose places are unknown or have no coordinates, with the first rows of
    each kind as examples (``where`` names a row from its position, as in
    :class:`flowmap.io.tables.Problems`)."""
    self_flow = _same_place(flows)
    zero = flows["count"] == 0
    located = places.index[places["lat"].notna() & places["lon"].notna()]
    known = set(places.index)
    # Each id once (from the categories' codes when both ends share them: a table of
    # millions of rows has a few thousand places).
    ids = set(pd.unique(pd.concat([flows["origin"], flows["dest"]], ignore_index=True)))
    unknown = sorted(i for i in ids if i not in known)
    placed = set(located)
    unlocated = sorted(i for i in ids if i in known and i not in placed)
    origin_located = flows["origin"].isin(located)
    no_coords = ~(origin_located & flows["dest"].isin(located))
    keep = ~self_flow & ~zero & ~no_coords
    rows = Problems(source, where=where)
    rows.add_rows(
        "self-flow",
        self_flow.to_numpy(),
        msg("user.same_place"),
        flows["origin"],
    )
    rows.add_rows("zero count", (zero & ~self_flow).to_numpy(), msg("user.zero_count"))
    lacking = no_coords & ~self_flow & ~zero
    if lacking.any():
        # The place without coordinates; made from the ids' categories, not from millions
        # of strings.
        origin, dest = flows["origin"], flows["dest"]
        if not (
            isinstance(origin.dtype, pd.CategoricalDtype)
            and isinstance(dest.dtype, pd.CategoricalDtype)
            and origin.cat.categories.equals(dest.cat.categories)
        ):
            origin, dest = origin.astype(str), dest.astype(str)
        place = dest.where(origin_located.to_numpy(), origin)
        detail = msg("user.no_coordinates")
        rows.add_rows("no coordinates", lacking.to_numpy(), detail, place)
    skipped = Skipped(
        self_flows=int(self_flow.sum()),
        zero_counts=int((zero & ~self_flow).sum()),
        no_coordinates=int(lacking.sum()),
        unknown_places=tuple(unknown),
        missing_coordinates=tuple(unlocated),
        examples=tuple(rows.lines()),
    )
    return flows[keep], skipped


def as_period(value: Period | str | int | None) -> Period | None:
    """Return a period from ``2019``, ``"2019"``, ``"2014-2023"`` or a :class:`Period`."""
    if value is None or isinstance(value, Period):
        return value
    return Period.parse(str(value))


@dataclass(frozen=True)
class Coverage:
    """Which years of a period the data has: a map of a span says how many it sums."""

    period: Period
    years: tuple[int, ...]
    """The years of ``period`` with at least one row."""
    missing: tuple[int, ...]
    """The years of ``period`` without any row."""


def coverage(times: pd.Series, period: Period | str | int | None = None) -> Coverage | None:
    """Return the years of ``period`` that the time labels ``times`` cover (a yearly row
    covers its year; a row labelled with exactly the span covers all of it), or, without a
    period, of the span from the first to the last year of the data. None when there is
    nothing to say: no years, or a single year."""
    distinct = (
        times.cat.remove_unused_categories().cat.categories
        if isinstance(times.dtype, pd.CategoricalDtype)
        else pd.unique(times.astype(str).to_numpy())
    )
    labels = [str(v) for v in distinct if str(v).strip()]
    span = as_period(period)
    covered: set[int] = set()
    for label in labels:
        try:
            found = Period.parse(label)
        except FlowmapError:
            continue
        if span is None or found == span or (found.is_year and found.start in span.years):
            covered.update(found.years)
    if span is None:
        if not covered:
            return None
        span = Period(min(covered), max(covered))
    if span.is_year:
        return None
    return Coverage(
        period=span,
        years=tuple(y for y in span.years if y in covered),
        missing=tuple(y for y in span.years if y not in covered),
    )


MEASURES: tuple[str, ...] = ("flow", "stock")
"""What a table's counts are: ``flow`` (moves during each period, summable over a span:
the default) or ``stock`` (people living somewhere at a date, such as refugees at the end
of each year: a sum of several years would count the same people again)."""


@dataclass(frozen=True)
class PeriodChoice:
    """The one period a map or table shows, and why: asked for, or the latest of several.

    Made by :func:`choose_period`; :meth:`statement` says it for the title.
    """

    period: Period | None
    """The period shown; None when the table has no time values."""
    labels: frozenset[str]
    """The time labels of the rows shown (one year; the years of a span summed; or the
    span's own label when rows have exactly that label)."""
    latest: bool = False
    """True when no period was asked and the table has several: the latest is shown."""
    values: int = 0
    """How many distinct time values the table has."""
    years_only: bool = True
    """True when every time value is a single year (else some are spans)."""
    coverage: Coverage | None = None
    """For a span summed from yearly rows: the years found and missing."""

    @property
    def label(self) -> str:
        """Return the period as a time label (``2023``, ``2014-2023``), ``""`` without one."""
        return "" if self.period is None else str(self.period)

    def statement(self) -> Message | None:
        """Return what the map shows, for its title: "2023, the latest of 35 years",
        "2014–2023, sum of 10 years", "2014–2020, sum of 6 of 7 years (no data for 2017)",
        or the period alone ("2019"); None for a table without time values."""
        if self.period is None:
            return None
        label = self.period.label()
        if self.latest:
            key = "general.period.latest" if self.years_only else "general.period.latest_periods"
            return msg(key, period=label, count=Count(self.values), n=self.values)
        found = self.coverage
        if found is None:
            return msg("general.period.one", period=label)
        if not found.missing:
            n = len(found.years)
            return msg("general.period.sum", period=label, count=Count(n), n=n)
        total = len(found.period.years)
        return msg(
            "general.period.sum_missing",
            period=label,
            count=Count(len(found.years)),
            n=total,  # "6 of 7 years": the noun goes with the total
            total=Count(total),
            missing=years_text(found.missing),
        )


def years_text(years: Sequence[int], limit: int = 6) -> str:
    """Return years as runs: ``2017, 2019–2021`` (at most ``limit`` runs, then "…")."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    return ", ".join(parts[:limit]) + (", …" if len(parts) > limit else "")


def _time_values(times: pd.Series) -> dict[str, Period]:
    """Return the distinct non-empty time labels of ``times`` and their periods."""
    distinct = (
        times.cat.remove_unused_categories().cat.categories
        if isinstance(times.dtype, pd.CategoricalDtype)
        else pd.unique(times.astype(str).to_numpy())
    )
    out: dict[str, Period] = {}
    for value in distinct:
        label = str(value).strip()
        if not label or label == "nan":
            continue
        try:
            out[str(value)] = Period.parse(label)
        except FlowmapError:
            continue
    return out


def choose_period(
    times: pd.Series,
    period: Period | str | int | None = None,
    *,
    measure: str = "flow",
) -> PeriodChoice:
    """Return the one period a map of these time labels shows.

    Without ``period``, a table with several time values shows the latest (the one ending
    last; a single year before a span ending the same year), never their sum. A year
    shows that year's rows. A span shows the rows labelled with exactly that span when
    there are any (never together with the yearly rows inside it: they are its parts),
    else the sum of the yearly rows inside it, which a ``stock`` table refuses.

    Raises
    ------
    FlowmapError
        For an unknown ``measure``, or a span of a stock table.
    """
    if measure not in MEASURES:
        options = ", ".join(MEASURES)
        raise FlowmapError(msg("user.choice", name="measure", options=options, value=repr(measure)))
    values = _time_values(times)
    years_only = all(p.is_year for p in values.values())
    count = len(values)
    span = as_period(period)
    if span is None:
        if not values:
            return PeriodChoice(None, frozenset(), values=0)
        label, latest = max(values.items(), key=lambda kv: (kv[1].end, kv[1].start))
        return PeriodChoice(
            latest,
            frozenset({label}),
            latest=count > 1,
            values=count,
            years_only=years_only,
        )
    exact = frozenset(label for label, p in values.items() if p == span)
    if exact or span.is_year:
        return PeriodChoice(span, exact, values=count, years_only=years_only)
    if measure == "stock":
        raise FlowmapError(msg("user.stock_span", period=span.label(), year=span.end))
    inside = {label: p for label, p in values.items() if p.is_year and p.start in span.years}
    found = {p.start for p in inside.values()}
    covered = Coverage(
        period=span,
        years=tuple(y for y in span.years if y in found),
        missing=tuple(y for y in span.years if y not in found),
    )
    return PeriodChoice(
        span, frozenset(inside), values=count, years_only=years_only, coverage=covered
    )


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
        Keep the ``top`` largest flows, and those of at least ``min_count`` people.
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
    if top is not None:
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


INT64_MAX = int(np.iinfo(np.int64).max)
_SAFE = 2**62
"""Counts whose absolute values add up to less than this cannot overflow in any sum."""


def check_sums(
    counts: pd.Series, by: Sequence[pd.Series], name: Callable[[tuple[Any, ...]], str]
) -> None:
    """Refuse sums of ``counts`` grouped by ``by`` that 64-bit integers cannot hold (numpy
    would wrap them round, silently, to a wrong or negative number).

    One float sum of all the counts says whether any group could overflow; only then are
    the groups that could be summed again exactly, as two 64-bit sums of each count's
    high and low 32 bits (no Python integer per row).

    Raises
    ------
    FlowmapError
        Naming the first group that overflows (``name`` of its key, such as ``A → B``),
        its exact sum and the limit.
    """
    values = counts.to_numpy(dtype=np.int64)
    if len(values) == 0 or float(np.abs(values.astype("float64")).sum()) < _SAFE:
        return
    options: dict[str, Any] = {"sort": False, "observed": True}
    keys = list(by)
    near = pd.Series(values.astype("float64"), index=counts.index).groupby(keys, **options).sum()
    if not (near.abs() >= _SAFE).any():
        return
    high = pd.Series(values >> 32, index=counts.index).groupby(keys, **options).sum()
    low = pd.Series(values & 0xFFFFFFFF, index=counts.index).groupby(keys, **options).sum()
    for key, is_near, up, down in zip(near.index, near.abs() >= _SAFE, high, low, strict=True):
        total = int(up) * 2**32 + int(down)
        if is_near and abs(total) > INT64_MAX:
            parts = key if isinstance(key, tuple) else (key,)
            raise FlowmapError(
                msg(
                    "general.sum_overflow",
                    flow=name(parts),
                    total=Count(total),
                    max=Count(INT64_MAX),
                )
            )


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
    same = _same_place(flows).to_numpy()
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


__all__ = [
    "DIRECTIONS",
    "KINDS",
    "MEASURES",
    "Coverage",
    "PeriodChoice",
    "Skipped",
    "as_period",
    "check_sums",
    "choose_period",
    "clean_flows",
    "coverage",
    "location_totals",
    "select",
    "years_text",
]
