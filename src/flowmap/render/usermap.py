"""Your own data, ready to map: a user's flows and places read by :mod:`flowmap.io.userdata`
(whatever their layout, delimiter, encoding and container), their rows that no map can draw
counted (:func:`flowmap.engine.flows.clean_flows`), and maps drawn of them
(:meth:`UserData.flow_map`).

Odd rows are skipped with a count and the first rows of each kind, never silently and
never as errors: blank or NaN counts (while reading), self-flows, zero counts and flows
whose places have no coordinates (here). Real errors raise one
:class:`~flowmap.core.errors.DataValidationError` naming file, row, column and value. Input
files are only read.

    >>> data = load_user_data("flows.csv", "locations.csv")  # doctest: +SKIP
    >>> print(*data.describe(), sep="\\n")  # doctest: +SKIP
    read flows.csv: long table, ';'-separated, cp1251, 1,204 rows
    read locations.csv: places, ','-separated, utf-8, 40 rows
    >>> m = data.flow_map(period="2014-2016", top=100)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import folium
import pandas as pd

from flowmap.core.budget import CLI, Budget
from flowmap.engine.flows import MEASURES, Skipped, clean_flows
from flowmap.engine.unplaced import NotDrawn, not_drawn
from flowmap.io.problems import check_choice
from flowmap.io.userdata import Detected, read_user_data
from flowmap.render.maps import flow_map
from flowmap.text.i18n import localise, msg


@dataclass(frozen=True)
class UserData:
    """A user's flows and places, ready for :func:`flowmap.flow_map`.

    ``flows`` keeps self-flows, zero counts and flows without coordinates (the map skips
    them and says so; totals count self-flows as internal); ``skipped`` is everything a
    map of all the flows leaves out, with the first rows of each kind; ``unlocated``
    lists the places left without coordinates (not in the gazetteer, ambiguous, or
    written ``NaN``); ``notes`` says which places the gazetteer located.
    """

    flows: pd.DataFrame
    places: pd.DataFrame
    detected: tuple[Detected, ...]
    skipped: Skipped
    read_skipped: Skipped
    """The rows left out while reading (blank counts): pass to ``flow_map(skipped=...)``."""
    unlocated: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    measure: str = "flow"
    """``flow`` or ``stock`` (see :data:`flowmap.engine.flows.MEASURES`): a stock table's maps
    refuse to sum a span of years."""
    hints: str = "python"
    """Where messages are read (one of :data:`~flowmap.io.problems.HINTS`), so that an
    error names that place's own option (``allow_missing=True`` in Python,
    ``--allow-missing`` on the command line)."""
    replaced: int = 0
    """How many distinct names and values had control or text-direction characters made
    visible (:func:`flowmap.core._escape.visible_text`): said once among the warnings and in
    the map's notes."""

    def describe(self) -> list[str]:
        """Return one line per file read (each a :class:`~flowmap.text.i18n.Message`)."""
        return [d.describe() for d in self.detected]

    def warnings(self, lang: str = "en") -> list[str]:
        """Return the skipped rows (the map's note, then the first rows of each kind) and
        the places without coordinates, one line each, in ``lang``.

        In English (the default) each line is a :class:`~flowmap.text.i18n.Message`, so a caller
        may still render it in another language with :func:`flowmap.text.i18n.localise`.
        """
        lines: list[str] = (
            [self.skipped.summary()] if self.skipped.total or self.skipped.cells else []
        )
        lines += [msg("user.indent", line=line) for line in self.skipped.examples]
        lines += self.unlocated
        if self.replaced:
            lines.append(msg("note.replaced"))
        return list(lines) if lang == "en" else [localise(line, lang) for line in lines]

    def cleaned(self) -> pd.DataFrame:
        """Return the flows a map can draw (see :func:`flowmap.engine.flows.clean_flows`)."""
        return clean_flows(self.flows, self.places)[0]

    def not_drawn(self, period: str | int | None = None) -> NotDrawn:
        """Return the flows (of ``period``, or of the latest period when None, as a map
        shows them) that no map can draw because a place has no coordinates, with their
        share of the volume (:func:`flowmap.engine.unplaced.not_drawn`)."""
        return not_drawn(self.flows, self.places, period=period, measure=self.measure)

    def map_texts(self, lang: str = "en") -> tuple[list[str], list[str]]:
        """Return what a map of these flows says of how they were read: notes (a matrix's
        orientation taken from its corner cell or given) and alerts shown under the title
        (an orientation assumed), in ``lang``."""
        notes: list[str] = []
        alerts: list[str] = []
        for found in self.detected:
            orientation = found.orientation()
            if orientation is None:
                continue
            line = msg("user.orient.map", what=orientation).text(lang)
            (alerts if found.orient_from == "assumed" else notes).append(line)
        return notes, alerts

    def flow_map(self, *, allow_missing: bool = True, **options: Any) -> folium.Map:
        """Return :func:`flowmap.flow_map` of these flows and places; ``options`` are its
        keyword options (``measure`` is this table's unless given). The map's note counts
        the rows and cells skipped while reading too, and says how a matrix was read; its
        title box says how many flows (and what share of the volume) have no coordinates.
        With ``allow_missing=False`` it raises :class:`~flowmap.core.errors.FlowmapError`
        instead when that share is over 5% (as the command line does without
        ``--allow-missing``)."""
        grouped = sorted({"selection", "style", "wording"} & set(options))
        if grouped:  # their period, language and notes would be missed here: refused
            raise TypeError(
                f"UserData.flow_map takes flow_map's single keywords, not {grouped[0]}="
            )
        self.not_drawn(options.get("period")).check(allow_missing, hints=self.hints)
        lang = str(options.get("lang", "en"))
        notes, alerts = self.map_texts(lang)
        if self.replaced:  # flow_map says it once: the places' count may not travel
            notes.append(msg("note.replaced").text(lang))
        options["notes"] = [*options.get("notes", ()), *notes]
        options["alerts"] = [*alerts, *options.get("alerts", ())]
        options.setdefault("measure", self.measure)
        return flow_map(self.flows, self.places, skipped=self.read_skipped, **options)


def load_user_data(
    flows: Path | str | bytes,
    places: Path | str | bytes | None = None,
    *,
    flows_name: str | None = None,
    places_name: str | None = None,
    flow_columns: Mapping[str, str] | None = None,
    place_columns: Mapping[str, str] | None = None,
    layout: str | None = None,
    sheet: str | None = None,
    gazetteer: bool = True,
    orient: str | None = None,
    measure: str = "flow",
    hints: str = "python",
    budget: Budget = CLI,
) -> UserData:
    """Return a user's flows and places, read from files or uploaded bytes.

    Parameters
    ----------
    flows, places
        Paths, or bytes (named ``flows_name``, ``places_name`` in messages). Without
        ``places``, the places are the distinct ids of the flows (country codes or names,
        say), located in the gazetteer.
    flow_columns, place_columns
        Role -> column mappings overriding the detection, e.g.
        ``{"origin": "Herkunft", "dest": "Ziel", "count": "Anzahl"}``.
    layout, sheet
        Force the flows' layout (one of :data:`~flowmap.io.userdata.LAYOUTS`); a workbook's sheet.
    gazetteer
        Fill missing coordinates from the offline gazetteer.
    orient
        How a matrix is read, one of :data:`~flowmap.io.userdata.ORIENTS` (by default as
        its corner cell says, else rows as origins, said as assumed); no effect on other
        layouts.
    measure
        ``flow`` (the default: counts of moves, summable over years) or ``stock`` (people
        present at a date): maps of a stock table refuse to sum a span.
    hints
        Where messages are read (one of :data:`~flowmap.io.problems.HINTS`): an error
        names ``flow_columns=`` in Python, ``--columns`` on the command line, "Layout and
        columns" in the app; kept in :attr:`UserData.hints` for the errors of its maps.
    budget
        The most each file may hold (:class:`flowmap.core.budget.Budget`): the command line's
        and the Python API's :data:`flowmap.core.budget.CLI` by default, the app's
        :data:`flowmap.core.budget.APP`.

    Raises
    ------
    DataValidationError
        For real errors in either file (see :func:`~flowmap.io.userdata.read_user_flows`).
    """
    check_choice("measure", measure, MEASURES)
    read = read_user_data(
        flows,
        places,
        flows_name=flows_name,
        places_name=places_name,
        flow_columns=flow_columns,
        place_columns=place_columns,
        layout=layout,
        sheet=sheet,
        gazetteer=gazetteer,
        orient=orient,
        hints=hints,
        budget=budget,
    )
    flows_read = read.flows
    where: Callable[[int], str] = flows_read.where
    source = flows_read.detected.source
    _, cleaned = clean_flows(flows_read.flows, read.places, source=source, where=where)
    if flows_read.cells is not None:  # a wide table's or matrix's flows are its cells
        cleaned = replace(cleaned, unit="cells")
    return UserData(
        flows=flows_read.flows,
        places=read.places,
        detected=read.detected,
        skipped=flows_read.skipped.merged(cleaned),
        read_skipped=flows_read.skipped,
        unlocated=read.unlocated,
        notes=read.notes,
        measure=measure,
        hints=hints,
        replaced=read.replaced,
    )


__all__ = ["UserData", "load_user_data"]
