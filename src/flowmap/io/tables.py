"""Origin–destination tables of any data set: read, check and normalise flows and places.

The minimum is the flowmap.blue convention: flows ``origin, dest, count`` (``destination``
works too) and places ``id, name, lat, lon``. Every other column is optional: a time column
(``time``, ``year`` or ``period``), names in other languages (``name_ky``, ``name_ru``),
and any attribute columns (sex, age, basis, source, method…) that maps can filter on and
show in tooltips.

Checks collect every problem and raise one :class:`~flowmap.core.errors.DataValidationError`;
thousands of problems of one kind are summarised ("… and 4,051 more like this",
:class:`flowmap.io.problems.Problems`, re-exported here with :data:`HINTS` and
:func:`check_choice`); counts are read by :mod:`flowmap.io._counts`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from flowmap.core import lazy
from flowmap.core._escape import REPLACED, replaced_in, visible_frame, visible_text, visible_values
from flowmap.core.budget import CLI, Budget
from flowmap.core.errors import DataValidationError
from flowmap.io._counts import MAX_COUNT, _counts
from flowmap.io._textread import read_file
from flowmap.io._textshape import count_rows, measure, refuse_rows
from flowmap.io.problems import HINTS, Problems, _in_column, _quoted, check_choice
from flowmap.io.problems import _join as _join
from flowmap.text.i18n import msg

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy.module("pandas")  # imported on first use (flowmap.core.lazy)

TIME_COLUMNS = ("time", "year", "period")
DEST_COLUMNS = ("dest", "destination")
_PERIOD_RE = r"[0-9]{4}(?:\s*[-–]\s*[0-9]{4})?"


class _Visible:
    """Stripping and :func:`~flowmap.core._escape.visible_text` for :func:`_by_unique`,
    counting the distinct values changed."""

    def __init__(self) -> None:
        self.count = 0

    def strip(self, values: pd.Series) -> pd.Series:
        cleaned, changed = visible_values(_strip(values))
        self.count += changed
        return cleaned

    def columns(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Return ``frame`` with stripped column names, made visible."""
        names = [visible_text(str(c).strip()) for c in frame.columns]
        self.count += sum(1 for _, did in names if did)
        frame.columns = pd.Index([name for name, _ in names])
        return frame


def _by_unique(values: pd.Series, clean: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Return ``clean`` applied to each distinct value only, spread back to every row as a
    categorical (a million rows usually hold a few thousand distinct ids or years, and
    selections, joins and groupings on categories are fast)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned = clean(pd.Series(uniques, dtype=object)).fillna("").astype(str)
    # Plain Python text categories: pandas turns categories of arrow text into a full
    # array of values when it groups on them (1.5 s for a million flows).
    categories = pd.Index(pd.unique(cleaned.to_numpy()), dtype=object)
    remap = categories.get_indexer(cleaned.to_numpy())
    new_codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    if (codes < 0).any():
        if "" not in categories:
            categories = categories.append(pd.Index([""]))
        new_codes = np.where(codes >= 0, new_codes, categories.get_loc(""))
    return pd.Series(
        pd.Categorical.from_codes(new_codes, categories=categories), index=values.index
    )


def as_places(frame: pd.DataFrame, *, source: str = "places") -> pd.DataFrame:
    """Return a places table with ``id`` (text, the index), ``name``, ``lat``, ``lon`` and
    every other column kept; coordinates may be missing (NaN).

    Raises
    ------
    DataValidationError
        Missing columns, empty or repeated ids, coordinates out of range or given alone.
    """
    problems = Problems(source)
    prior = replaced_in(frame)
    frame = frame.reset_index(drop=True)
    frame.columns = pd.Index([str(c).strip() for c in frame.columns])
    frame, replaced = visible_frame(frame)
    columns = list(frame.columns)
    missing = [c for c in ("id",) if c not in columns]
    if missing:
        problems.add("columns", msg("user.missing_id", header=_quoted(columns)))
        problems.raise_if_any()
    ids = _by_unique(frame["id"], _strip)
    empty = (ids.isna() | (ids == "")).to_numpy()
    problems.add_rows("empty id", empty, _in_column("id", msg("user.not_empty")))
    dupes = (ids.duplicated(keep="first") & ~empty).to_numpy()
    problems.add_rows("duplicate id", dupes, _in_column("id", msg("user.duplicate_id")), ids)
    out = frame.copy()
    out["id"] = ids.astype(object)
    if "name" not in out.columns:
        name_en = out.get("name_en")
        out["name"] = name_en if name_en is not None else out["id"]
    out["name"] = out["name"].astype("string").fillna(out["id"]).astype(object)
    for column, limit in (("lat", 90.0), ("lon", 180.0)):
        if column not in out.columns:
            out[column] = np.nan
            continue
        text = out[column].astype("string").str.strip().fillna("")
        blank = (text == "").to_numpy()
        number = pd.to_numeric(text.where(~blank), errors="coerce")
        ascii_ok = text.str.fullmatch(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", na=False)
        bad = ~blank & (~ascii_ok | number.isna() | (number.abs() > limit)).to_numpy()
        problems.add_rows(
            f"bad {column}",
            bad,
            _in_column(column, msg("user.bad_coordinate", limit=f"{limit:g}")),
            text,
        )
        out[column] = number.where(~bad).astype("float64")
    alone = (out["lat"].isna() != out["lon"].isna()).to_numpy()
    problems.add_rows("coordinate pair", alone, msg("user.coordinate_pair"))
    problems.raise_if_any()
    out = out.set_index("id", drop=False)
    out.attrs[REPLACED] = prior + replaced
    return out


def as_flows(
    frame: pd.DataFrame,
    *,
    origin: str = "origin",
    dest: str | None = None,
    count: str = "count",
    time: str | None = None,
    source: str = "flows",
    where: Callable[[int], str] | None = None,
) -> pd.DataFrame:
    """Return a flows table with ``origin``, ``dest`` (text), ``count`` (int64), ``time``
    (text, ``""`` when the table has no time) and every other column as an attribute.

    Self-flows and zero counts are kept here; :func:`flowmap.engine.flows.clean_flows` skips them
    with a count. ``where`` names a row in messages from its position (see
    :class:`Problems`).

    Raises
    ------
    DataValidationError
        Missing columns, empty ids, and counts that are not whole numbers in [0, 10^12)
        written with the digits 0-9.
    """
    problems = Problems(source, where=where)
    prior = replaced_in(frame)
    visible = _Visible()
    frame = visible.columns(frame.reset_index(drop=True))
    columns = list(frame.columns)
    dest = dest or next((c for c in DEST_COLUMNS if c in columns), "dest")
    time = time if time is not None else next((c for c in TIME_COLUMNS if c in columns), None)
    missing = [c for c in (origin, dest, count) if c not in columns]
    if missing:
        problems.add(
            "columns",
            msg("user.missing_columns", columns=_quoted(missing), header=_quoted(columns)),
        )
        problems.raise_if_any()
    out = pd.DataFrame(index=frame.index)
    for name, column in (("origin", origin), ("dest", dest)):
        ids = _by_unique(frame[column], visible.strip)
        empty = (ids == "").to_numpy()
        problems.add_rows(f"empty {name}", empty, _in_column(column, msg("user.not_empty")))
        out[name] = ids
    both = out["origin"].cat.categories.union(out["dest"].cat.categories)
    for name in ("origin", "dest"):
        out[name] = out[name].cat.set_categories(both)
    out["count"] = _counts(frame[count], count, problems)
    if time is not None and time in columns:
        text = _by_unique(frame[time], _time_label)
        bad = (text == "\0").to_numpy()
        problems.add_rows(
            "bad time",
            bad,
            _in_column(time, msg("user.bad_time")),
            frame[time],
        )
        out["time"] = (
            text.cat.rename_categories(lambda c: "" if c == "\0" else c)
            if "\0" not in text.cat.categories or not bad.any()
            else text
        )
    else:
        out["time"] = pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8), [""])
    for column in columns:
        if column not in (origin, dest, count, time):
            # An attribute named like an output column ("count" when the counts are in
            # "n") keeps its values under another name.
            key = column if column not in out.columns else f"{column} (attribute)"
            out[key] = _by_unique(frame[column], visible.strip)
    problems.raise_if_any()
    out["count"] = out["count"].astype("int64")
    out.attrs["flowmap"] = "flows"
    out.attrs[REPLACED] = prior + visible.count
    return out


def is_flows(frame: pd.DataFrame) -> bool:
    """Return True for a table :func:`as_flows` made (so it need not be checked again)."""
    return (
        frame.attrs.get("flowmap") == "flows"
        and {"origin", "dest", "count", "time"} <= set(frame.columns)
        and frame["count"].dtype == "int64"
    )


def _strip(values: pd.Series) -> pd.Series:
    """Return values as stripped text."""
    return values.astype(str).str.strip()


def _time_label(values: pd.Series) -> pd.Series:
    """Return time values as ``2019`` or ``2014-2023``; ``"\\0"`` marks a bad one."""
    text = values.astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    text = text.where(text != "nan", "")
    ok = (text == "") | text.str.fullmatch(_PERIOD_RE)
    return text.str.replace(r"\s*[-–]\s*", "-", regex=True).where(ok, "\0")


def read_table(path: Path | str, *, budget: Budget = CLI) -> pd.DataFrame:
    """Return a UTF-8 CSV file as text columns (ids keep their leading zeros).

    Raises
    ------
    DataValidationError
        If the file is missing, not a regular file, not UTF-8, empty, not a table, or
        beyond ``budget`` (see :func:`parse_csv`).
    """
    return parse_csv(Path(path), source=str(path), budget=budget)


def parse_csv(
    data: Path | bytes, *, source: str, sep: str = ",", budget: Budget = CLI
) -> pd.DataFrame:
    """Return UTF-8 CSV text (a file, or its bytes) as text columns separated by ``sep``.

    The text is measured before it is parsed (:func:`flowmap.io._textshape.measure`; the
    rows of quoted text are counted by :func:`flowmap.io._textshape.count_rows`): a line
    longer than ``budget.line`` characters, more than ``budget.columns`` columns,
    ``budget.rows`` rows or ``budget.cells`` cells are refused, naming the line.

    Raises
    ------
    DataValidationError
        Naming ``source``, if the text is not UTF-8, is empty, is not a table or is
        beyond ``budget``.
    """
    if not isinstance(data, bytes):
        data = read_file(data, source, budget)
    shape = measure(data, source, sep, budget)
    options: dict[str, Any] = {
        "dtype": str,
        "keep_default_na": False,
        "encoding": "utf-8-sig",
        "sep": sep,
    }
    if shape.quoted:
        count_rows(data, source, sep, budget, shape)
    try:
        # pyarrow reads a million rows in a quarter of a second; on any complaint the C
        # parser reads the text again to say precisely what is wrong.
        frame = pd.read_csv(io.BytesIO(data), engine="pyarrow", **options)
    except Exception:
        try:
            frame = pd.read_csv(io.BytesIO(data), engine="c", **options)
        except UnicodeDecodeError as exc:
            raise DataValidationError(source, [msg("user.not_utf8", offset=exc.start)]) from None
        except pd.errors.EmptyDataError:
            raise DataValidationError(source, [msg("user.empty_file")]) from None
        except (pd.errors.ParserError, ValueError, OverflowError) as exc:
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise DataValidationError(source, [msg("user.not_csv", reason=reason)]) from None
    if len(frame) > shape.allowed:
        refuse_rows(source, budget, shape)
    if frame.empty:
        raise DataValidationError(source, [msg("user.no_rows")])
    return frame


def read_flows(
    path: Path | str,
    *,
    origin: str = "origin",
    dest: str | None = None,
    count: str = "count",
    time: str | None = None,
    budget: Budget = CLI,
) -> pd.DataFrame:
    """Return the flows of a CSV file, checked and normalised (see :func:`as_flows`; for
    other layouts, encodings and workbooks see :mod:`flowmap.io.userdata`), read within
    ``budget``."""
    table = read_table(path, budget=budget)
    return as_flows(table, origin=origin, dest=dest, count=count, time=time, source=str(path))


def read_places(path: Path | str, *, budget: Budget = CLI) -> pd.DataFrame:
    """Return the places of a CSV file, checked and normalised (see :func:`as_places`),
    read within ``budget``."""
    return as_places(read_table(path, budget=budget), source=str(path))


def validate(
    flows: pd.DataFrame, places: pd.DataFrame | None = None, *, source: str = "flows"
) -> list[str]:
    """Return every problem of a flows table (and its places), summarised; ``[]`` when
    the tables can be mapped."""
    try:
        table = as_flows(flows, source=source)
        place_table = as_places(places, source="places") if places is not None else None
    except DataValidationError as exc:
        return exc.problems
    if place_table is None:
        return []
    problems = Problems(source)
    known = set(place_table.index)
    for column in ("origin", "dest"):
        values = table[column]
        problems.add_rows(
            f"unknown {column}",
            (~values.isin(known)).to_numpy(),
            _in_column(column, msg("user.unknown_place")),
            values,
        )
    return problems.lines()


def place_ids(values: Iterable[object]) -> list[str]:
    """Return ids as stripped text (numbers keep the form they were written in)."""
    return [str(v).strip() for v in values]


__all__ = [
    "HINTS",
    "MAX_COUNT",
    "REPLACED",
    "Problems",
    "as_flows",
    "as_places",
    "check_choice",
    "read_flows",
    "read_places",
    "read_table",
    "replaced_in",
    "validate",
]
