"""What was left out of a map, and said: the rows (and cells) skipped while reading a table
and while cleaning its flows, each kind with its count and its first rows
(:class:`Skipped`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flowmap.io.problems import _join
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


__all__ = ["Skipped"]
