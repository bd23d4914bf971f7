"""Select flows and net balances for a view: period, counterparts, direction, sex, basis.

The command line, the map export and the Streamlit app all select data through
:func:`select_flows` and :func:`select_balances`, so that they always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from flowmap.data import AGES, FLOW_COLUMNS, FLOW_OPTIONAL, SEXES, Period
from flowmap.errors import FlowmapError
from flowmap.i18n import msg

DIRECTIONS: tuple[str, ...] = ("out", "in", "net", "all")
BASIS_FILTERS: tuple[str, ...] = ("reported", "all")
SEX_FILTERS: tuple[str, ...] = (*SEXES, "any")
AGE_FILTERS: tuple[str, ...] = (*AGES, "any")


@dataclass(frozen=True)
class Selection:
    """What a user asked to see.

    Attributes
    ----------
    period
        One year or a span; None for every period.
    dest
        Counterpart place ids (destinations of departures, origins of arrivals); empty
        for all.
    direction
        ``out`` (departures), ``in`` (arrivals), ``net`` (arrivals − departures) or ``all``
        (departures and arrivals).
    sex
        ``total``, ``male``, ``female`` or ``any``.
    age
        ``all`` (all ages), ``working`` (working age) or ``any``.
    basis
        ``reported``: figures printed in the source and arithmetic on them (derived), no
        modelled estimates; ``all``: modelled estimates too.
    focus
        The place whose migration is shown.
    """

    period: Period | None = None
    dest: tuple[str, ...] = ()
    direction: str = "out"
    sex: str = "total"
    age: str = "any"
    basis: str = "all"
    focus: str = "KG-B"

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
    inward = flows["destination"] == selection.focus
    if selection.direction == "out":
        ends = out
    elif selection.direction == "in":
        ends = inward
    elif selection.direction == "all":
        ends = out | inward
    else:
        ends = pd.Series(False, index=flows.index)
    frame = flows[ends & _common(flows, selection)].copy()
    frame["direction"] = frame["origin"].eq(selection.focus).map({True: "out", False: "in"})
    frame["counterpart"] = frame["destination"].where(frame["direction"] == "out", frame["origin"])
    if selection.dest:
        frame = frame[frame["counterpart"].isin(selection.dest)]
    return frame.reset_index(drop=True)


def select_balances(balances: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Return the net balances of the focus place that match ``selection``."""
    frame = balances[(balances["place"] == selection.focus) & _common(balances, selection)]
    if selection.dest:
        frame = frame[frame["counterpart"].isin(selection.dest)]
    return frame.reset_index(drop=True)


def drawable_flows(selected: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Return the finest set of flows to draw: an aggregate's row is left out when the rows
    of its parts (same direction, period, sex, age) are also selected, so people are never
    drawn twice (for example "other oblasts" versus Osh city, Bishkek, Chüy and the rest).
    """
    if selected.empty:
        return selected
    parents = places["parent"].to_dict()
    keys = ["direction", "period", "sex", "age"]
    covered: set[tuple[Any, ...]] = set()
    for row in selected.itertuples(index=False):
        parent = parents.get(row.counterpart, "")
        if parent:
            covered.add((parent, *(getattr(row, k) for k in keys)))
    mask = [
        (row.counterpart, *(getattr(row, k) for k in keys)) not in covered
        for row in selected.itertuples(index=False)
    ]
    return selected[mask].reset_index(drop=True)


def net_as_flows(balances: pd.DataFrame, focus: str) -> pd.DataFrame:
    """Return net balances as flows: a net loss points away from ``focus``, a gain to it."""
    rows = []
    for row in balances.itertuples(index=False):
        loss = row.net < 0
        rows.append(
            {
                "origin": focus if loss else row.counterpart,
                "destination": row.counterpart if loss else focus,
                "period": row.period,
                "sex": row.sex,
                "age": row.age,
                "count": abs(int(row.net)),
                "basis": row.basis,
                "source_ref": row.source_ref,
                "method": "",
                "note": f"{row.arrivals} − {row.departures} = {row.net}",
                "low": getattr(row, "low", None),  # a modelled net's range, signed
                "high": getattr(row, "high", None),
                "direction": "out" if loss else "in",
                "counterpart": row.counterpart,
            }
        )
    columns = [*FLOW_COLUMNS, *FLOW_OPTIONAL, "direction", "counterpart"]
    return pd.DataFrame(rows, columns=columns)
