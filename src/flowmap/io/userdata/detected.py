"""What reading a user's file found and gave: its container, encoding, delimiter, layout and
columns said in one line for people (:class:`Detected`), and the flows (:class:`FlowsRead`)
or places (:class:`PlacesRead`) read from it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from flowmap.io.problems import _join, _quoted, _row
from flowmap.io.skipped import Skipped
from flowmap.io.userdata.columns import _PLAIN, _role
from flowmap.io.userdata.layouts import LAYOUTS
from flowmap.text.i18n import Count, Message, msg


@dataclass(frozen=True)
class Detected:
    """What was found in a file: say it to the user ("read flows.csv: long table,
    ';'-separated, cp1251, 1,204 rows")."""

    source: str
    """The file's name as given."""
    layout: str = ""
    """One of :data:`LAYOUTS`."""
    container: str = "csv"
    """``csv``, ``tsv``, ``xlsx``, ``csv.gz`` or ``tsv.gz``."""
    encoding: str | None = None
    """``utf-8``, ``utf-8-sig`` (with a BOM), ``utf-16-le``, ``utf-16-be`` or ``cp1251``;
    None for a workbook."""
    delimiter: str | None = None
    """``,``, ``;`` or a tab; None for a workbook."""
    sheet: str | None = None
    """The workbook's sheet that was read."""
    columns: Mapping[str, str] = field(default_factory=dict)
    """Role (``origin``, ``dest``, ``count``, ``time``, ``id``, ``name``, ``lat``, ``lon``)
    -> the file's column."""
    years: tuple[str, ...] = ()
    """A wide table's year columns, in the file's order."""
    rows: int = 0
    """Data rows read."""
    orient: str | None = None
    """How a matrix was read: one of :data:`ORIENTS`."""
    orient_from: str = ""
    """Why: ``corner`` (its corner cell says so), ``given`` (``orient=``) or ``assumed``."""
    total_rows: int = 0
    """Rows left out because their place is a total (``Total``, ``Всего``…)."""
    total_labels: tuple[str, ...] = ()
    """Those totals' labels, as written."""
    total_columns: tuple[str, ...] = ()
    """Columns left out because they are totals."""

    def orientation(self) -> Message | None:
        """Return how a matrix was read and why ("rows are destinations, columns origins
        (the corner cell 'Current x Origin' says so)"), or None for other layouts."""
        if self.orient is None:
            return None
        rows = "origins" if self.orient == "rows-are-origins" else "destinations"
        corner = self.columns.get("origin", "")
        why = self.orient_from
        if why == "assumed" and re.fullmatch(r"column \d+", corner):
            why = "empty"  # the corner cell was empty: read_any named the column
        # Quoted as written (repr would double a backslash).
        return msg(f"user.orient.{rows}.{why}", corner=f"'{corner}'")

    def describe(self) -> Message:
        """Return one line for people: what was read and how (a
        :class:`~flowmap.text.i18n.Message`: ``.text(lang)`` says it in Kyrgyz or Russian)."""
        layout: str
        if self.layout == "wide" and self.years:
            layout = msg("user.layout.wide_years", first=self.years[0], last=self.years[-1])
        elif self.layout in LAYOUTS or not self.layout:
            layout = msg(f"user.layout.{self.layout or 'table'}")
        else:
            layout = self.layout
        parts: list[str] = [layout]
        if self.container.endswith(".gz"):
            parts.append(msg("user.detect.gzip"))
        if self.container == "xlsx":
            parts.append(msg("user.detect.sheet", sheet=repr(self.sheet)))
        if self.delimiter == "\t":
            parts.append(msg("user.detect.tab"))
        elif self.delimiter is not None:
            parts.append(msg("user.detect.separated", delimiter=repr(self.delimiter)))
        if self.encoding == "utf-8-sig":
            parts.append(msg("user.detect.bom", encoding="utf-8"))
        elif self.encoding is not None:
            parts.append(self.encoding)
        parts.append(msg("user.detect.rows", count=Count(self.rows), n=self.rows))
        renamed = [
            msg("user.detect.column", role=_role(role), column=repr(column))
            for role, column in self.columns.items()
            if column not in _PLAIN.get(role, (role,))
        ]
        if renamed and self.layout != "matrix":
            parts.append(msg("user.detect.columns", columns=_join(renamed)))
        orientation = self.orientation()
        if orientation is not None:
            parts.append(orientation)
        if self.total_rows:
            labels = _quoted(self.total_labels[:5]) + (", …" if len(self.total_labels) > 5 else "")
            n = self.total_rows
            parts.append(msg("user.detect.total_rows", count=Count(n), n=n, labels=labels))
        if self.total_columns:
            n = len(self.total_columns)
            labels = _quoted(self.total_columns[:5]) + (", …" if n > 5 else "")
            parts.append(msg("user.detect.total_columns", count=Count(n), n=n, labels=labels))
        return msg("user.detect.read", file=Path(self.source).name, parts=_join(parts))


@dataclass(frozen=True)
class FlowsRead:
    """A flows file read: the normalised flows (:func:`flowmap.io.tables.as_flows`, blank
    counts left out), what was detected and the rows skipped."""

    flows: pd.DataFrame
    detected: Detected
    skipped: Skipped
    rows: np.ndarray
    """For each flow, its 0-based data row in the file."""
    cells: np.ndarray | None = None
    """For each flow of a wide table or matrix, the file's column it came from."""

    def where(self, position: int) -> Message:
        """Return where flow ``position`` is in the file: "row 3 (line 4), column '1976'"."""
        row = _row(int(self.rows[position]))
        if self.cells is None:
            return row
        return msg("user.row_column", row=row, column=repr(str(self.cells[position])))


@dataclass(frozen=True)
class PlacesRead:
    """A places file read: the normalised places (:func:`flowmap.io.tables.as_places`),
    what was detected and notes on odd rows (coordinates written ``NaN``)."""

    places: pd.DataFrame
    detected: Detected
    notes: tuple[str, ...] = ()


__all__ = ["Detected", "FlowsRead", "PlacesRead"]
