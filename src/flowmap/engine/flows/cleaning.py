"""Cleaning a flows table for a map (:mod:`flowmap.engine.flows`): the rows that cannot be
drawn (self-flows, zero counts, places unknown or without coordinates) and what a map says
about them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flowmap.core import lazy
from flowmap.io.skipped import Skipped
from flowmap.io.tables import Problems
from flowmap.text.i18n import msg

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy.module("pandas")  # imported on first use (flowmap.core.lazy)


def same_place(flows: pd.DataFrame) -> pd.Series:
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
    self_flow = same_place(flows)
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


__all__ = ["Skipped", "clean_flows", "same_place"]
