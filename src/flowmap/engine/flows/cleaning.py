"""Cleaning a flows table for a map (:mod:`flowmap.engine.flows`): the rows that cannot be
drawn (self-flows, zero counts, places unknown or without coordinates) and what a map says
about them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from flowmap.io.tables import Problems, _join
from flowmap.text.i18n import Count, Message, msg


@dataclass(frozen=True)
class Skipped:
    """Rows left out of a map, each kind with its count and the first few examples.

    ``examples`` lists the first rows of each kind ("row 5 (line 6), origin and
    destination are the same place: 'KG'"), then "… and 4,051 more like this".
    ``blank_counts`` are rows of a long table whose count was blank, and ``marked_counts``
    those whose count was marked missing (``..``, ``x``, ``N/A``; the marks in
    ``missing_marks``), skipped while reading (:mod:`flowmap.io.userdata`); ``empty_cells``
    and ``missing_cells`` are the cells of a wide table or matrix left empty or marked
    missing (``N/A``, ``x``, ``..``; the marks as written in ``missing_marks``): cells, not
    rows, so not in :attr:`total`. The
    examples and :meth:`summary` are :class:`~flowmap.text.i18n.Message` objects:
    ``.text(lang)`` gives them in Kyrgyz or Russian.
    """

    self_flows: int = 0
    zero_counts: int = 0
    no_coordinates: int = 0
    unknown_places: tuple[str, ...] = ()
    missing_coordinates: tuple[str, ...] = ()
    examples: tuple[str, ...] = field(default=())
    blank_counts: int = 0
    marked_counts: int = 0
    empty_cells: int = 0
    missing_cells: int = 0
    missing_marks: tuple[str, ...] = ()
    unit: str = "rows"
    """``rows``, or ``cells`` when the flows are the cells of a wide table or matrix (a
    zero cell of a 200-row matrix is not a row skipped)."""

    @property
    def total(self) -> int:
        """Return how many rows were skipped."""
        blank = self.blank_counts + self.marked_counts
        return self.self_flows + self.zero_counts + self.no_coordinates + blank

    @property
    def cells(self) -> int:
        """Return how many cells of a wide table or matrix were empty or marked missing."""
        return self.empty_cells + self.missing_cells

    def merged(self, other: Skipped) -> Skipped:
        """Return the rows skipped here and in ``other`` together (counted in this one's
        :attr:`unit`)."""
        return Skipped(
            self_flows=self.self_flows + other.self_flows,
            zero_counts=self.zero_counts + other.zero_counts,
            no_coordinates=self.no_coordinates + other.no_coordinates,
            unknown_places=tuple(sorted({*self.unknown_places, *other.unknown_places})),
            missing_coordinates=tuple(
                sorted({*self.missing_coordinates, *other.missing_coordinates})
            ),
            examples=(*self.examples, *other.examples),
            blank_counts=self.blank_counts + other.blank_counts,
            marked_counts=self.marked_counts + other.marked_counts,
            empty_cells=self.empty_cells + other.empty_cells,
            missing_cells=self.missing_cells + other.missing_cells,
            missing_marks=tuple(dict.fromkeys((*self.missing_marks, *other.missing_marks))),
            unit=self.unit,
        )

    def summary(self) -> Message:
        """Return the note on the rows skipped, naming only the kinds there are: "12 rows
        skipped: 10 from a place to itself, 2 without coordinates (XK, ZZ)." (the map's
        note, :func:`flowmap.render.maps.skipped_note`, in any language with ``.text(lang)``),
        followed by the empty cells of a wide table or matrix: "Not drawn, as no figure is
        given: 6,000 empty cells, 200 cells marked missing ('N/A')." (cells, never counted
        as rows)."""
        if not self.cells:
            return self._rows_summary()
        rows = self._rows_summary() if self.total else None
        marks = ", ".join(repr(m) for m in self.missing_marks[:5])
        parts = [
            msg(f"general.cells.{key}", count=Count(n), n=n, marks=marks)
            for key, n in (("empty", self.empty_cells), ("missing", self.missing_cells))
            if n
        ]
        cells = msg("general.cells", parts=_join(parts))
        return cells if rows is None else msg("general.sentences", a=rows, b=cells)

    def _rows_summary(self) -> Message:
        """Return the note on the rows skipped (see :meth:`summary`)."""
        places = [*self.unknown_places, *self.missing_coordinates]
        shown = ", ".join(places[:8]) + (", …" if len(places) > 8 else "")
        marks = ", ".join(repr(m) for m in self.missing_marks[:5])
        parts = [
            msg(f"general.skip.{key}", count=Count(n), n=n, places=shown or "—", marks=marks)
            for key, n in (
                ("self", self.self_flows),
                ("zero", self.zero_counts),
                ("blank", self.blank_counts),
                ("marked", self.marked_counts),
                ("located", self.no_coordinates),
            )
            if n
        ]
        total = self.total
        return msg(f"general.skipped_{self.unit}", total=Count(total), n=total, parts=_join(parts))


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
