"""The change between two periods of one table (:mod:`flowmap.engine.flows`): for each pair
of places, the second period's figure minus the first's.

A change is derived arithmetic, and the map says so. A pair with a row in one period only
is never taken as 0 in the other (an absent row may be an unreported figure, not nobody):
it is kept as a pair "in one period only", drawn apart (grey, thinnest and faintest: it
claims no size of change) and counted on the map's face, with no change computed. A pair
whose figure is the same in both periods has no change to draw: it is counted, not drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from flowmap.core import lazy
from flowmap.core.errors import FlowmapError
from flowmap.engine.flows.periods import _time_values
from flowmap.engine.flows.selection import select
from flowmap.text.i18n import msg
from flowmap.text.period import Period

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy.module("pandas")  # imported on first use (flowmap.core.lazy)

CHANGE_KINDS: tuple[str, ...] = ("gain", "loss", "once")
"""The kinds of flow on a map of change: more people in the second period (``gain``),
fewer (``loss``), or a figure in one of the two periods only (``once``)."""


def check_pair(
    compare: Sequence[str | int], period: str | int | None = None
) -> tuple[str | int, str | int]:
    """Return ``compare`` as a pair of two different periods (as given).

    >>> check_pair(["2017", 2023])
    ('2017', 2023)

    Raises
    ------
    FlowmapError
        When it is not two different periods, or a ``period`` is asked as well.
    """
    pair = tuple(compare) if not isinstance(compare, str | bytes) else (compare,)
    if len(pair) != 2 or str(pair[0]).strip() == str(pair[1]).strip():
        raise FlowmapError(msg("compare.pair", value=repr(compare)[:60]))
    if period is not None:
        raise FlowmapError(msg("compare.period"))
    return pair[0], pair[1]


@dataclass(frozen=True)
class Compared:
    """What a map of change shows: the two periods (time labels of the table) and how
    many pairs gained, lost, stayed the same (not drawn) or have a figure in one period
    only."""

    first: str
    second: str
    gains: int
    losses: int
    same: int
    once: int


def periods_of(times: pd.Series, wanted: str | int) -> str:
    """Return the time label of ``times`` that is the period ``wanted``.

    Raises
    ------
    FlowmapError
        Naming the period and the table's periods when it has no such period.
    """
    values = _time_values(times)
    try:
        asked = Period.parse(str(wanted))
    except FlowmapError:
        asked = None
    for label, period in values.items():
        if period == asked:
            return label
    have = ", ".join(
        p.label() for p in sorted(set(values.values()), key=lambda p: (p.start, p.end))
    )
    raise FlowmapError(msg("compare.unknown", period=repr(str(wanted))[:40], periods=have or "—"))


def change(
    table: pd.DataFrame,
    first: str | int,
    second: str | int,
    *,
    places: Sequence[str] = (),
    direction: str = "both",
    filters: Mapping[str, str | Sequence[str]] | None = None,
    min_count: int = 0,
    measure: str = "flow",
) -> tuple[pd.DataFrame, Compared]:
    """Return the change of each flow from period ``first`` to ``second`` and what it says.

    >>> t = pd.DataFrame({"origin": ["a", "a", "a", "b"], "dest": ["b", "b", "c", "c"],
    ...                   "count": [10, 25, 7, 4], "time": ["2017", "2023", "2017", "2023"]})
    >>> flows, said = change(t, 2017, 2023)
    >>> flows[["origin", "dest", "before", "after", "count", "kind"]].values.tolist()[:2]
    [['a', 'b', 10.0, 25.0, 15, 'gain'], ['a', 'c', 7.0, nan, 7, 'once']]

    Returns
    -------
    pandas.DataFrame, Compared
        ``origin``, ``dest``, ``before`` and ``after`` (``NaN``: no row in that period),
        ``change`` (``NaN`` unless both are there), ``count`` (the size of the change, or
        the one figure of a pair in one period only), ``kind`` (:data:`CHANGE_KINDS`),
        ``time`` (empty) and the attributes both periods share, largest first; and the
        :class:`Compared` counts.

    Raises
    ------
    FlowmapError
        For a period the table does not have (naming the ones it has), or ``net`` (a
        pair's net can turn direction between the periods: no flow to compare).
    """
    if direction == "net":
        raise FlowmapError(msg("compare.net"))
    a, b = periods_of(table["time"], first), periods_of(table["time"], second)
    one = {"places": places, "direction": direction, "filters": filters, "measure": measure}
    before = select(table, period=a, **one)  # type: ignore[arg-type]
    after = select(table, period=b, **one)  # type: ignore[arg-type]
    keys = ["origin", "dest"]
    attrs = [c for c in before.columns if c not in ("origin", "dest", "count", "time", "kind")]
    both = before.merge(after, on=keys, how="outer", suffixes=("_a", "_b"))
    out = both[keys].copy()
    out["before"] = both["count_a"].astype("float64")
    out["after"] = both["count_b"].astype("float64")
    out["change"] = out["after"] - out["before"]
    present = out["before"].notna() & out["after"].notna()
    out["count"] = np.where(
        present, out["change"].abs(), out["before"].fillna(out["after"])
    ).astype("int64")
    out["kind"] = np.where(
        ~present,
        "once",
        np.where(out["change"] > 0, "gain", np.where(out["change"] < 0, "loss", "")),
    )
    out["time"] = ""
    for column in attrs:
        x, y = both[f"{column}_a"], both[f"{column}_b"]
        out[column] = np.where(x.isna() | (x == y), y.fillna(x), np.where(y.isna(), x, ""))
    said = Compared(
        first=a,
        second=b,
        gains=int((out["kind"] == "gain").sum()),
        losses=int((out["kind"] == "loss").sum()),
        same=int((out["kind"] == "").sum()),
        once=int((out["kind"] == "once").sum()),
    )
    out = out[(out["kind"] != "") & (out["count"] >= max(min_count, 1))]
    out = out.sort_values(["count", "origin", "dest"], ascending=[False, True, True])
    return out.reset_index(drop=True), said


def changed(flows: pd.DataFrame) -> pd.Series:
    """Return the size of each flow's change (0 for a pair in one period only, which has
    none): what a map of change ranks, limits and sizes its lines by."""
    return flows["count"].where(flows["kind"] != "once", 0)


__all__ = ["CHANGE_KINDS", "Compared", "change", "changed", "check_pair", "periods_of"]
