"""Select flows and net balances for a view: period, counterparts, direction, sex, basis.

The command line, the map export and the Streamlit app all select data through
:func:`select_flows` and :func:`select_balances`, so that they always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from flowmap.batken.choices import AGE_FILTERS as AGE_FILTERS
from flowmap.batken.choices import BASIS_FILTERS as BASIS_FILTERS
from flowmap.batken.choices import DEFAULT_AGE, DEFAULT_SEX
from flowmap.batken.choices import SEX_FILTERS as SEX_FILTERS
from flowmap.batken.data import FLOW_COLUMNS, FLOW_OPTIONAL
from flowmap.batken.facts import DEFAULT_PERIOD as DEFAULT_PERIOD
from flowmap.batken.facts import FOCUS
from flowmap.core.errors import FlowmapError
from flowmap.engine.flows import DIRECTIONS as DIRECTIONS
from flowmap.text.i18n import msg
from flowmap.text.period import Period


@dataclass(frozen=True)
class Selection:
    """What a user asked to see.

    Attributes
    ----------
    period
        One year or a span. None is "not chosen": a table (:func:`select_flows`) lists every
        period, a map draws the data set's default period
        (:meth:`flowmap.batken.dataset.MapData.resolve`): a map never shows two periods.
    dest
        Counterpart place ids (destinations of departures, origins of arrivals); empty
        for all.
    direction
        One of :data:`flowmap.engine.flows.DIRECTIONS`: ``out`` (departures), ``in``
        (arrivals), ``net`` (arrivals − departures) or ``both`` (departures and arrivals).
    sex
        ``total``, ``male``, ``female`` or ``any``.
    age
        ``all`` (all ages, the default), ``working`` (working age) or ``any`` (both: a
        table only, since a working-age row is a part of its all-ages row).
    basis
        ``reported``: figures printed in the source and arithmetic on them (derived), no
        modelled estimates; ``all``: modelled estimates too.
    focus
        The place whose migration is shown.
    """

    period: Period | None = None
    dest: tuple[str, ...] = ()
    direction: str = "out"
    sex: str = DEFAULT_SEX
    age: str = DEFAULT_AGE
    basis: str = "all"
    focus: str = FOCUS

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("direction", self.direction, DIRECTIONS),
            ("sex", self.sex, SEX_FILTERS),
            ("age", self.age, AGE_FILTERS),
            ("basis", self.basis, BASIS_FILTERS),
        ):
            if value not in allowed:
                raise FlowmapError(
                    msg(
                        "query.option",
                        name=name,
                        detail=msg(
                            "data.choice", options=", ".join(allowed), value=repr(value[:40])
                        ),
                    )
                )


def default_period(periods: Iterable[Period]) -> Period | None:
    """Return the period shown when none is chosen, among a data set's ``periods``:
    :data:`DEFAULT_PERIOD` when there, else the longest span, else the latest year (a
    user's own flows file); None when there is none."""
    found = set(periods)
    if DEFAULT_PERIOD in found:
        return DEFAULT_PERIOD
    spans = [p for p in found if not p.is_year]
    if spans:
        return max(spans, key=lambda p: (p.end - p.start, p.start))
    return max(found, key=lambda p: p.start) if found else None


def parse_dest(text: str | Iterable[str], places: pd.DataFrame) -> tuple[str, ...]:
    """Return the place ids named in ``text`` (comma-separated, any letter case).

    Raises
    ------
    FlowmapError
        Naming every id that is not in the places table, and the ids that are.
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    wanted = [i.strip().upper() for i in items if i.strip()]
    unknown = [i for i in wanted if i not in places.index]
    if unknown:
        raise FlowmapError(
            msg(
                "query.unknown_ids",
                unknown=", ".join(repr(u) for u in unknown),
                known=", ".join(places.index),
            )
        )
    return tuple(dict.fromkeys(wanted))


def period_from(year: int | str | None = None, period: str | None = None) -> Period | None:
    """Return the period chosen with ``--year`` or ``--period`` (at most one of them).

    Raises
    ------
    FlowmapError
        If both are given or the text is not a year or span.
    """
    if year is not None and period is not None:
        raise FlowmapError(msg("query.year_or_period"))
    if year is not None:
        parsed = Period.parse(str(year))
        if not parsed.is_year:
            raise FlowmapError(msg("query.single_year", value=repr(str(year)[:40])))
        return parsed
    if period is not None:
        return Period.parse(period)
    return None


def _common(frame: pd.DataFrame, selection: Selection) -> pd.Series:
    """Return the rows that match period, sex, age and basis."""
    keep = pd.Series(True, index=frame.index)
    if selection.period is not None:
        keep &= frame["period"] == str(selection.period)
    if selection.sex != "any":
        keep &= frame["sex"] == selection.sex
    if selection.age != "any":
        keep &= frame["age"] == selection.age
    if selection.basis == "reported":
        keep &= frame["basis"] != "modelled"
    return keep


def select_flows(flows: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Return the departures and/or arrivals of the focus place that match ``selection``.

    Two columns are added: ``direction`` (``out`` or ``in``) and ``counterpart`` (the other
    end of the flow). ``direction="net"`` returns no flows: use :func:`select_balances`.
    """
    out = flows["origin"] == selection.focus
    if selection.direction == "out":
        ends = out
    elif selection.direction == "in":
        ends = flows["destination"] == selection.focus
    elif selection.direction == "both":
        ends = out | (flows["destination"] == selection.focus)
    else:
        ends = pd.Series(False, index=flows.index)
    keep = ends & _common(flows, selection)
    if selection.dest:  # the counterpart is the other end: chosen ones only
        keep &= flows["destination"].where(out, flows["origin"]).isin(selection.dest)
    frame = flows[keep].reset_index(drop=True)
    outward = out[keep].to_numpy()
    direction = pd.Series(["out" if o else "in" for o in outward], dtype=frame["origin"].dtype)
    return frame.assign(
        direction=direction,
        counterpart=frame["destination"].where(outward, frame["origin"]),
        view=direction,
    )


def select_balances(balances: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Return the net balances of the focus place that match ``selection``."""
    frame = balances[(balances["place"] == selection.focus) & _common(balances, selection)]
    if selection.dest:
        frame = frame[frame["counterpart"].isin(selection.dest)]
    return frame.reset_index(drop=True)


def check_map_group(selection: Selection) -> None:
    """Check that ``selection`` names one group of people, as a map needs.

    ``sex="any"`` would draw men, women and their total on top of each other, and
    ``age="any"`` a working-age row beside the all-ages rows that contain it.

    Raises
    ------
    FlowmapError
        For ``sex`` or ``age`` ``"any"``.
    """
    if "any" in (selection.sex, selection.age):
        raise FlowmapError(msg("query.map_group"))


def check_one_view(drawn: pd.DataFrame) -> None:
    """Check that flows about to be drawn on one map are of one period and one group.

    The last guard before drawing (:func:`flowmap.batken.preset.batken_map` calls it): whatever a
    caller selected, a map never shows two periods, or two sexes or age groups, at once.

    Raises
    ------
    FlowmapError
        Naming the periods or groups that are mixed.
    """
    if "period" in drawn.columns and drawn["period"].nunique() > 1:
        periods = sorted({Period.parse(str(p)) for p in drawn["period"]})
        values = ", ".join(p.label() for p in periods)
        raise FlowmapError(msg("query.map_periods", values=values))
    for column in ("sex", "age"):
        if column in drawn.columns and drawn[column].nunique() > 1:
            raise FlowmapError(msg("query.map_groups"))


def _view_keys(selected: pd.DataFrame) -> list[str]:
    """Return the columns that make rows one view: the view (``view``, else ``direction``,
    when there) and the period, sex and age group."""
    view = [c for c in ("view", "direction") if c in selected.columns][:1]
    return [*view, "period", "sex", "age"]


def ancestors(parents: Mapping[str, str], pid: str) -> list[str]:
    """Return the aggregates a place belongs to, nearest first: its parent, the parent's
    parent and so on (``parents`` maps each place id to its parent id, ``""`` for none, as
    the places table's ``parent`` column). A parent that is not a place ends the walk."""
    out: list[str] = []
    parent = parents.get(pid, "")
    while parent and parent in parents and parent not in out:
        out.append(parent)
        parent = parents.get(parent, "")
    return out


def parents_of(places: pd.DataFrame) -> dict[str, str]:
    """Return each place's parent id (``""`` for none), for :func:`ancestors`."""
    return {str(k): str(v) for k, v in places["parent"].fillna("").items()}


def totals_of(selected: pd.DataFrame, places: pd.DataFrame) -> list[tuple[str, ...]]:
    """Return, for each row of ``selected``, the counterparts of the rows it is the total
    of: the rows of its parts, at any depth, in the same view, period, sex and age group,
    that are not totals themselves (the rows a map draws in its place, as
    :func:`drawable_flows` selects them). Empty for a row whose parts are not selected.

    ``selected`` has a ``counterpart`` column (flows from :func:`select_flows`, balances
    from :func:`select_balances`). A table that lists such a total beside its parts says
    so on its face (``flowmap data show``'s ``total_of`` column), so that its count column
    is never summed as if they added up.
    """
    if selected.empty:
        return []
    parents = parents_of(places)
    keys = _view_keys(selected)
    # The rows as (counterpart, view key) pairs, read from the five columns only.
    counterparts = list(selected["counterpart"])
    views = _rows(selected, keys)
    covered: dict[tuple[Any, ...], list[str]] = {}
    for counterpart, key in zip(counterparts, views, strict=True):
        for parent in ancestors(parents, str(counterpart)):
            covered.setdefault((parent, *key), []).append(str(counterpart))
    out = []
    for counterpart, key in zip(counterparts, views, strict=True):
        parts = covered.get((counterpart, *key), [])
        # Only the finest parts: a part that is itself a total is split further.
        out.append(tuple(p for p in dict.fromkeys(parts) if (p, *key) not in covered))
    return out


def drawable_flows(selected: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Return the finest set of flows to draw: an aggregate's row is left out when rows of
    its parts, at any depth (same view, period, sex, age), are also selected, so people are
    never drawn twice (for example "other oblasts" versus Osh city, Bishkek, Chüy and the
    rest). The view is the ``view`` column (``out``, ``in`` or ``net``: a net loss to an
    aggregate and a net gain from one of its parts are still the total and its part), else
    the direction. :func:`totals_of` names the parts of each row left out.
    """
    if selected.empty:
        return selected
    mask = [not parts for parts in totals_of(selected, places)]
    return selected[mask].reset_index(drop=True)


def _rows(
    frame: pd.DataFrame, names: Iterable[str], optional: Iterable[str] = ()
) -> list[tuple[Any, ...]]:
    """Return the rows of ``frame`` as tuples of the columns ``names``: the values
    ``itertuples`` gives, read from those columns only (None for an ``optional`` column
    the frame lacks)."""
    missing = [None] * len(frame)
    columns = [
        missing if n in optional and n not in frame.columns else list(frame[n]) for n in names
    ]
    return list(zip(*columns, strict=True))


def net_as_flows(
    balances: pd.DataFrame, focus: str, flows: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return net balances as flows: a net loss points away from ``focus``, a gain to it.

    With ``flows`` (the table the balances are computed from), a modelled net carries the
    method of its modelled flows (the departures' first, else the arrivals'), so that its
    tooltip says how it was modelled, as the flows' tooltips do.
    """
    methods: dict[tuple[str, str, str, str], str] = {}
    if flows is not None and "method" in flows.columns:
        modelled = flows[(flows["basis"] == "modelled") & (flows["method"].astype(str) != "")]
        # Arrivals first, so that a departures flow's method wins for the same corridor.
        for origin_is_focus in (False, True):
            ends = modelled[
                (modelled["origin"] if origin_is_focus else modelled["destination"]) == focus
            ]
            other = "destination" if origin_is_focus else "origin"
            for counterpart, period, sex, age, method in _rows(
                ends, (other, "period", "sex", "age", "method")
            ):
                methods[(str(counterpart), str(period), str(sex), str(age))] = str(method)
    rows = []
    names: tuple[str, ...] = ("net", "basis", "counterpart", "period", "sex", "age")
    names += ("source_ref", "arrivals", "departures", "low", "high")
    for values in _rows(balances, names, optional=("low", "high")):
        row = dict(zip(names, values, strict=True))
        counterpart, loss = row["counterpart"], row["net"] < 0
        method = ""
        if row["basis"] == "modelled":
            key = (str(counterpart), str(row["period"]), str(row["sex"]), str(row["age"]))
            method = methods.get(key, "")
        rows.append(
            {
                "origin": focus if loss else counterpart,
                "destination": counterpart if loss else focus,
                "period": row["period"],
                "sex": row["sex"],
                "age": row["age"],
                "count": abs(int(row["net"])),
                "basis": row["basis"],
                "source_ref": row["source_ref"],
                "method": method,
                "note": f"{row['arrivals']} − {row['departures']} = {row['net']}",
                "low": row["low"],  # a modelled net's range, signed (None without the column)
                "high": row["high"],
                "direction": "out" if loss else "in",
                "counterpart": counterpart,
                "view": "net",
            }
        )
    columns = [*FLOW_COLUMNS, *FLOW_OPTIONAL, "direction", "counterpart", "view"]
    return pd.DataFrame(rows, columns=columns)
