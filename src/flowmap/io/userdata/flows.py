"""The flows of a user's table, whatever its layout (:func:`read_user_flows`): a long table
as it is, a wide table or a matrix turned long cell by cell, blank and marked cells counted,
totals left out and said."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from flowmap.core.budget import CLI, Budget
from flowmap.core.errors import DataValidationError
from flowmap.io._counts import _counts, _parse_counts
from flowmap.io.problems import HINTS, Problems, _in_column, _row, check_choice
from flowmap.io.skipped import Skipped
from flowmap.io.tables import (
    as_flows,
)
from flowmap.io.userdata.columns import _blank, _year
from flowmap.io.userdata.detected import FlowsRead
from flowmap.io.userdata.layouts import (
    ORIENTS,
    _total_rows,
    detect_layout,
    is_total,
    matrix_orientation,
)
from flowmap.io.userdata.reader import read_any
from flowmap.text.i18n import Count, msg


def read_user_flows(
    source: Path | str | bytes,
    *,
    name: str | None = None,
    columns: Mapping[str, str] | None = None,
    layout: str | None = None,
    sheet: str | None = None,
    orient: str | None = None,
    hints: str = "python",
    budget: Budget = CLI,
) -> FlowsRead:
    """Return the flows of a long table, a wide table or a matrix (see the module's
    documentation), normalised by :func:`flowmap.io.tables.as_flows`.

    Rows whose count is blank or NaN (and empty rows) are left out and counted in
    ``skipped.blank_counts``; the empty cells of a wide table or matrix are counted as
    cells (``skipped.empty_cells``, ``skipped.missing_cells``), not rows. Self-flows, zero
    counts and flows without coordinates are kept for :func:`flowmap.engine.flows.clean_flows`.
    Rows and columns of totals (:func:`is_total`) are left out and named in
    :meth:`Detected.describe`.

    A matrix is read as its corner cell says (:func:`matrix_orientation`), else with
    rows as origins, said as assumed; ``orient`` (one of :data:`ORIENTS`) decides instead
    (it has no effect on long and wide tables). ``hints`` (one of :data:`HINTS`) names the
    place the messages are read in.

    Raises
    ------
    DataValidationError
        Naming file, row, column and value: counts that are not whole numbers from 0
        (``abc``, ``-5``), empty ids, a table that is not flows.
    """
    if orient is not None:
        check_choice("orient", orient, ORIENTS)
    check_choice("hints", hints, HINTS)
    frame, detected = read_any(source, name=name, sheet=sheet, budget=budget)
    label = detected.source
    found, roles = detect_layout(frame, columns=columns, layout=layout, source=label, hints=hints)
    if found == "places":
        raise DataValidationError(label, [msg("user.places_not_flows")])
    cells: np.ndarray | None = None
    years: tuple[str, ...] = ()
    orientation: str | None = None
    said = ""
    total_columns: list[str] = []
    if found == "long":
        totals, total_labels = _total_rows(frame, [roles["origin"], roles["dest"]])
        blank = _blank(frame[roles["count"]]) & ~totals
        keep = ~blank & ~totals
        rows = np.flatnonzero(keep)
        flows = as_flows(
            frame[keep],
            origin=roles["origin"],
            dest=roles["dest"],
            count=roles["count"],
            time=roles.get("time", ""),
            source=label,
            where=lambda i: _row(int(rows[i])),
        )
        written = frame[roles["count"]].astype(str).str.strip()
        empty = blank & (written == "").to_numpy()
        marked = blank & ~empty  # "..", "x", "N/A": said as marked, as in wide tables
        skipped_rows = Problems(label)
        no_count = _in_column(roles["count"], msg("user.no_count"))
        skipped_rows.add_rows("blank count", empty, no_count)
        marked_missing = _in_column(roles["count"], msg("user.marked_missing"))
        skipped_rows.add_rows("marked count", marked, marked_missing, written)
        skipped = Skipped(
            blank_counts=int(np.count_nonzero(empty)),
            marked_counts=int(np.count_nonzero(marked)),
            missing_marks=tuple(sorted(set(written[marked]))),
            examples=tuple(skipped_rows.lines()),
        )
    else:
        origin = roles["origin"]
        value_columns, keys, total_columns = _value_columns(frame, found, roles)
        if found == "wide":
            years = tuple(value_columns)  # a year is never a total
        totals, total_labels = _total_rows(frame, keys)
        kept = np.flatnonzero(~totals)
        body = frame[~totals].reset_index(drop=True) if totals.any() else frame
        attributes = [
            c
            for c in body.columns
            if c not in value_columns and c not in keys and str(c) not in total_columns
        ]
        _check_cells(len(body), len(value_columns), label, budget)  # before melting
        text = _stacked(body, value_columns)  # column after column
        # Plain digits (most cells) are read at once; the rest is checked cell by cell.
        plain = text.str.fullmatch(r"[0-9]{1,12}").to_numpy(dtype=bool, na_value=False)
        counts = np.zeros(len(text), dtype=np.int64)
        counts[plain] = _digits(text[plain])
        others = np.flatnonzero(~plain)
        other = text.iloc[others].str.strip()
        del text
        empty = np.zeros(len(plain), dtype=bool)
        marked = np.zeros(len(plain), dtype=bool)
        empty[others] = (other == "").to_numpy(dtype=bool)
        marked[others] = _blank(other) & ~empty[others]
        blank = empty | marked
        numbers, bad_others, _ = _parse_counts(other.where(~blank[others], "0"))
        counts[others] = numbers.fillna(0).to_numpy(dtype=np.int64)
        bad = np.zeros(len(plain), dtype=bool)
        bad[others] = bad_others
        if bad.any():  # said column by column, as a long table's counts are
            problems = Problems(label, where=lambda i: _row(int(kept[i])))
            n = len(body)
            for i in np.unique(np.flatnonzero(bad) // n):
                column = value_columns[int(i)]
                _counts(body[column].where(~blank[i * n : (i + 1) * n], "0"), column, problems)
            problems.raise_if_any()
        marks = sorted(set(other[marked[others]].unique()))
        long, positions, melted = _melt(body, keys, attributes, value_columns, blank, counts, found)
        rows = kept[positions]
        cells = melted
        if found == "matrix":
            detected_orient = matrix_orientation(origin)
            orientation = orient or detected_orient or ORIENTS[0]
            said = "given" if orient else ("corner" if detected_orient else "assumed")
            if orientation == "rows-are-destinations":
                long = long.rename(columns={"origin": "dest", "dest": "origin"})
        flows = as_flows(
            long,
            origin="origin",
            dest="dest",
            count="count",
            time="year" if found == "wide" else "",
            source=label,
            where=lambda i: msg("user.row_column", row=_row(int(rows[i])), column=repr(melted[i])),
        )
        skipped = Skipped(
            unit="cells",
            empty_cells=int(np.count_nonzero(empty)),
            missing_cells=int(np.count_nonzero(marked)),
            missing_marks=tuple(marks),
        )
    detected = replace(
        detected,
        layout=found,
        columns=roles,
        years=tuple(str(y) for y in years),
        orient=orientation,
        orient_from=said,
        total_rows=int(np.count_nonzero(totals)),
        total_labels=tuple(total_labels),
        total_columns=tuple(total_columns),
    )
    return FlowsRead(flows=flows, detected=detected, skipped=skipped, rows=rows, cells=cells)


def _stacked(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """Return the cells of ``columns`` as one text series, column after column."""
    if not columns:
        return pd.Series([], dtype="str")
    stacked = pd.concat([frame[c] for c in columns], ignore_index=True)
    return stacked if isinstance(stacked.dtype, pd.StringDtype) else stacked.astype("str")


def _value_columns(
    frame: pd.DataFrame, found: str, roles: Mapping[str, str]
) -> tuple[list[str], list[str], list[str]]:
    """Return a wide table's or matrix's count columns, its place columns (keys) and its
    columns of totals (left out)."""
    origin = roles["origin"]
    if found == "wide":
        value_columns = [c for c in frame.columns if _year(str(c)) and c not in roles.values()]
        keys = [origin, roles["dest"]]
    else:
        value_columns = [c for c in frame.columns if c != origin]
        keys = [origin]
    total_columns = [str(c) for c in frame.columns if c not in keys and is_total(c)]
    return [c for c in value_columns if str(c) not in total_columns], keys, total_columns


def check_cells(
    frame: pd.DataFrame, found: str, roles: Mapping[str, str], source: str, budget: Budget
) -> None:
    """Refuse a wide table or matrix read as text (``frame``, of the layout ``found`` with
    the columns ``roles`` that :func:`detect_layout` gave) of more count columns or cells
    than ``budget`` melts, as :func:`read_user_flows` does before melting; other layouts
    pass. For a first look at a table (the app's, before a user chooses its columns), so
    that a table refused for its size is refused there, without being read again."""
    if found not in ("wide", "matrix"):
        return
    value_columns, keys, _ = _value_columns(frame, found, roles)
    totals, _ = _total_rows(frame, keys)
    _check_cells(len(frame) - int(np.count_nonzero(totals)), len(value_columns), source, budget)


def _check_cells(rows: int, columns: int, source: str, budget: Budget) -> None:
    """Refuse a wide table or matrix of more count columns or cells than ``budget``
    allows (``columns``; ``cells`` and ``melt_cells``), before its cells are turned into
    flows."""
    if columns > budget.columns:
        too_wide = msg("user.wide_columns", columns=Count(columns), max=Count(budget.columns))
        raise DataValidationError(source, [too_wide])
    limit = min(budget.cells, budget.melt_cells)
    if rows * columns > limit:
        too_many = msg(
            "user.wide_cells",
            rows=Count(rows),
            columns=Count(columns),
            cells=Count(rows * columns),
            max=Count(limit),
        )
        raise DataValidationError(source, [too_many])


def _digits(text: pd.Series) -> np.ndarray:
    """Return text of plain digits (at most twelve) as int64."""
    try:  # arrow parses a million digit strings in a tenth of a second
        return np.asarray(text.astype("int64[pyarrow]").to_numpy(dtype="int64"))
    except (TypeError, ValueError):
        return np.asarray(text.astype("int64").to_numpy())


def _melt(
    frame: pd.DataFrame,
    keys: Sequence[str],
    attributes: Sequence[str],
    value_columns: Sequence[str],
    blank: np.ndarray,
    counts: np.ndarray,
    layout: str,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Return a wide table or matrix as long rows (blank cells left out), with each row's
    position and column in the file.

    ``blank`` and ``counts`` hold the cells column after column (see :func:`_stacked`);
    the places are categories, each label kept once however many cells name it.
    """
    n = len(frame)
    keep = ~blank
    # Column after column: the kept cells' columns and rows, without a full-size index.
    which, positions = (a.astype(np.int32) for a in np.nonzero(keep.reshape(-1, max(n, 1))))
    names = [str(c) for c in value_columns]
    columns = np.array(names, dtype=object)[which]

    def spread(values: pd.Series) -> pd.Categorical:
        codes, labels = pd.factorize(values.astype(str), use_na_sentinel=False)
        return pd.Categorical.from_codes(codes[positions], categories=labels)

    dest: object = spread(frame[keys[1]]) if layout == "wide" else columns
    if layout != "wide" and len(set(names)) == len(names):
        dest = pd.Categorical.from_codes(which, categories=names)
    out = pd.DataFrame({"origin": spread(frame[keys[0]]), "dest": dest, "count": counts[keep]})
    if layout == "wide":
        years = [_year(c) for c in names]
        if len(set(years)) == len(years):
            out["year"] = pd.Categorical.from_codes(which, categories=years)
        else:
            out["year"] = np.array(years, dtype=object)[which]
    for column in attributes:
        if column not in out.columns:
            out[column] = frame[column].to_numpy()[positions]
    return out, positions, columns


__all__ = ["check_cells", "read_user_flows"]
