"""The views of a playable page (:mod:`flowmap.batken.player`): the slider's periods, the
flows of every period and direction, and which flows each view, checkbox and aggregate
draws."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from flowmap.batken.dataset import MapData
from flowmap.batken.query import (
    DEFAULT_PERIOD,
    DIRECTIONS,
    Selection,
    check_map_group,
    net_as_flows,
    parents_of,
    select_balances,
    select_flows,
)
from flowmap.batken.query import ancestors as ancestors_of
from flowmap.text.period import Period

SETS: tuple[str, ...] = tuple(d for d in DIRECTIONS if d != "both")
"""The direction sets a playable page carries, in the order of its ``v`` codes: ``out``,
``in``, ``net`` (``both`` is drawn as the union of ``out`` and ``in``)."""


def player_periods(periods: Sequence[str], selection: Selection) -> list[Period]:
    """Return the slider's periods: the years, then the multi-year totals, found in
    ``periods``; within the selection's span when it is one, all of them otherwise."""
    found = sorted({Period.parse(p) for p in periods})
    chosen = selection.period
    if chosen is not None and not chosen.is_year:
        found = [p for p in found if chosen.start <= p.start and p.end <= chosen.end]
    return [p for p in found if p.is_year] + [p for p in found if not p.is_year]


def opening_stop(stops: Sequence[Period], selection: Selection) -> int:
    """Return the slider position the page opens at: the selection's period, else the
    default period (:data:`flowmap.batken.query.DEFAULT_PERIOD`, the app's default view), else the
    longest total, else the last year."""
    for period in (selection.period, DEFAULT_PERIOD):
        if period is not None and period in stops:
            return list(stops).index(period)
    spans = [i for i, p in enumerate(stops) if not p.is_year]
    if spans:
        return max(spans, key=lambda i: (stops[i].end - stops[i].start, stops[i].start))
    return len(stops) - 1 if stops else 0


def player_flows(data: MapData, selection: Selection) -> tuple[pd.DataFrame, list[Period]]:
    """Return the flows of every view of the page, and the slider's periods.

    A view is a slider period and a direction set (``out``, ``in``, ``net``): its flows are
    those :meth:`MapData.selected <flowmap.batken.dataset.MapData.selected>` gives for that period
    and direction (one period, the selection's one sex and age group), with the view's
    ``stop`` (slider position) and direction ``set`` code. The destination boxes only ever
    hide some of a view's flows (the rule is in the module doc).

    The slider has every period the data set gives for the focus place, whatever the
    destinations chosen: a year without a figure for them is shown empty and says why.
    Only flows whose two ends have a point are kept (as on the static map).

    Raises
    ------
    FlowmapError
        When the selection does not name one sex and one age group.
    """
    check_map_group(selection)
    stops = player_periods([str(p) for p in data.periods(selection.focus)], selection)
    stop_of = {str(period): stop for stop, period in enumerate(stops)}
    frames = []
    # Each direction's flows of every period at once, then split by period: the same rows
    # as MapData.selected gives each view (its filters are row by row), in the same order
    # (by stop, then set), without one selection per view (39 of them for the Batken data).
    for code, direction in enumerate(SETS):
        every = replace(selection, period=None, direction=direction)
        if direction == "net":
            frame = net_as_flows(select_balances(data.balances, every), every.focus, data.flows)
        else:
            frame = select_flows(data.flows, every)
        stop = frame["period"].astype(str).map(stop_of)
        frame = frame[stop.notna()]
        if len(frame):
            frames.append(frame.assign(set=code, stop=stop[stop.notna()].astype(int)))
    if not frames:
        return pd.DataFrame(columns=["set", "stop"]), stops
    union = pd.concat(frames, ignore_index=True)
    union = union.sort_values(["stop", "set"], kind="stable", ignore_index=True)
    keep = union["origin"].isin(data.anchors) & union["destination"].isin(data.anchors)
    return union[keep].reset_index(drop=True), stops


def structure(
    located: pd.DataFrame, places: pd.DataFrame, place_ids: Sequence[str], spans: Sequence[bool]
) -> dict[str, Any]:
    """Return the views, the checkboxes and the aggregate rules of the player (see the
    module doc)."""
    index = {p: i for i, p in enumerate(place_ids)}
    counterparts = [str(c) for c in located["counterpart"]]
    present = list(dict.fromkeys(counterparts))
    parents = parents_of(places)
    ancestors = {c: ancestors_of(parents, c) for c in present}
    covered = {a for c in present for a in ancestors[c] if a in present}
    boxes = [p for p in places.index if p in present and p not in covered]
    boxes += [p for p in present if p not in boxes and p not in covered]
    position = {p: i for i, p in enumerate(boxes)}
    views = [(int(s), int(v)) for s, v in zip(located["stop"], located["set"], strict=True)]
    members: dict[tuple[str, int, int], list[int]] = {}
    for j, c in enumerate(counterparts):
        for a in ancestors[c]:
            members.setdefault((a, views[j][0], views[j][1]), []).append(j)
    # Every flow of the same view whose counterpart lies under the aggregate, at any depth.
    aggregates = [
        (len(ancestors[c]), i, members.get((c, views[i][0], views[i][1]), []))
        for i, c in enumerate(counterparts)
        if c not in position
    ]
    aggregates.sort(key=lambda a: -a[0])
    under = {
        str(index[c]): [position[b] for b in boxes if c in ancestors[b]] for c in sorted(covered)
    }
    lists: list[list[list[int]]] = [[[] for _ in SETS] for _ in range(len(spans))]
    for j, (stop, code) in enumerate(views):
        lists[stop][code].append(j)
    # A box whose place has, in a direction, no yearly figure from the source (reported or
    # derived; modelled years do not count) but a reported total: on a year without its
    # flow the page says the source gives only that total (the stop of the total).
    only_total = [[-1] * len(boxes) for _ in SETS]
    reported = located["basis"].astype(str) != "modelled"
    for b, place in enumerate(boxes):
        for code in range(len(SETS)):
            mine = [j for j, c in enumerate(counterparts) if c == place and views[j][1] == code]
            if any(not spans[views[j][0]] and reported.iloc[j] for j in mine):
                continue
            totals = [views[j][0] for j in mine if reported.iloc[j]]
            only_total[code][b] = totals[0] if totals else -1
    return {
        "views": lists,
        "onlyTotal": only_total,
        "cp": [index[c] for c in counterparts],
        "boxes": [index[b] for b in boxes],
        "named": [0 if places.at[b, "kind"] == "aggregate" else 1 for b in boxes],
        "box": [position.get(c, -1) for c in counterparts],
        "agg": [[i, parts] for _, i, parts in aggregates],
        "under": under,
    }


def opening_selection(data: MapData, selection: Selection) -> Selection:
    """Return the selection of the view a playable page opens at (its slider position).

    Raises
    ------
    FlowmapError
        For a year the data set does not have (:meth:`~flowmap.batken.dataset.MapData.resolve`):
        the page never opens silently on another period than the one asked for. A span is
        the slider's range.
    """
    if selection.period is not None and selection.period.is_year:
        data.resolve(selection)
    stops = player_periods([str(p) for p in data.periods(selection.focus)], selection)
    if not stops:
        return data.resolve(selection)
    return replace(selection, period=stops[opening_stop(stops, selection)])


__all__ = [
    "SETS",
    "opening_selection",
    "opening_stop",
    "player_flows",
    "player_periods",
    "structure",
]
