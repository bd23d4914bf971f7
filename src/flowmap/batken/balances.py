"""Net migration per counterpart (arrivals − departures) from a flow table, and the
canonical order of the data set's rows.

Kept apart from the build (:mod:`flowmap.batken.build`, which models flows and imports
pyproj): :class:`flowmap.batken.dataset.MapData` computes the nets of a user's flows file
with it, and a map of the embedded data loads without the build.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from flowmap.batken.data import AGES, BALANCE_COLUMNS, BASES, SEXES
from flowmap.core.errors import BuildError
from flowmap.text.period import Period

if TYPE_CHECKING:
    from flowmap.batken.build.settings import Key


def compute_balances(
    flows: pd.DataFrame, focus: str, reported_nets: Mapping[Key, tuple[int, str]] | None = None
) -> pd.DataFrame:
    """Return net migration (arrivals − departures) of ``focus`` with each counterpart.

    A net is ``reported`` when ``reported_nets`` holds a printed figure for its key (which
    must then equal arrivals − departures); otherwise its basis is the weaker of its two
    inputs (reported < derived < modelled), and a net of two reported figures is ``derived``.

    Raises
    ------
    BuildError
        If a printed net differs from the arrivals and departures shipped for it.
    """
    reported_nets = reported_nets or {}
    index = {
        (r.origin, r.destination, r.period, r.sex, r.age): r for r in flows.itertuples(index=False)
    }
    rows: list[dict[str, object]] = []
    problems: list[str] = []
    for (origin, destination, period, sex, age), out in index.items():
        if origin != focus:
            continue
        back = index.get((destination, focus, period, sex, age))
        if back is None:
            continue
        net = int(back.count) - int(out.count)
        key: Key = (focus, destination, period, sex, age)
        printed = reported_nets.get(key)
        if printed is not None and printed[0] != net:
            problems.append(
                f"net {'/'.join(key)}: printed {printed[0]}, but arrivals {back.count} − "
                f"departures {out.count} = {net}"
            )
        if printed is not None:
            basis, source = "reported", printed[1]
        else:
            worst = max(BASES.index(str(back.basis)), BASES.index(str(out.basis)))
            basis = BASES[max(worst, BASES.index("derived"))]
            refs = {*str(back.source_ref).split("; "), *str(out.source_ref).split("; ")}
            source = "; ".join(sorted(refs))
        rows.append(
            {
                "place": focus,
                "counterpart": destination,
                "period": period,
                "sex": sex,
                "age": age,
                "arrivals": int(back.count),
                "departures": int(out.count),
                "net": net,
                "basis": basis,
                "source_ref": source,
                "note": "" if printed else "arrivals − departures",
            }
        )
    if problems:
        raise BuildError("\n".join(problems))
    frame = pd.DataFrame(rows, columns=list(BALANCE_COLUMNS))
    return sorted_rows(frame, ("place", "counterpart"))


def sorted_rows(frame: pd.DataFrame, ends: tuple[str, str]) -> pd.DataFrame:
    """Return ``frame`` in the canonical order: period (years first), ends, sex, age."""
    periods = frame["period"].map(Period.parse)
    order = pd.DataFrame(
        {
            "span": periods.map(lambda p: p.end - p.start),
            "start": periods.map(lambda p: p.start),
            "a": frame[ends[0]],
            "b": frame[ends[1]],
            "sex": frame["sex"].map(SEXES.index),
            "age": frame["age"].map(AGES.index),
        }
    )
    idx = order.sort_values(["span", "start", "a", "b", "sex", "age"], kind="stable").index
    return frame.loc[idx].reset_index(drop=True)


__all__ = ["compute_balances", "sorted_rows"]
