"""Origin–destination tables of any data set: read, check and normalise flows and places.

The minimum is the flowmap.blue convention: flows ``origin, dest, count`` (``destination``
works too) and places ``id, name, lat, lon``. Every other column is optional: a time column
(``time``, ``year`` or ``period``), names in other languages (``name_ky``, ``name_ru``),
and any attribute columns (sex, age, basis, source, method…) that maps can filter on and
show in tooltips.

Checks collect every problem and raise one :class:`~flowmap.errors.DataValidationError`;
thousands of problems of one kind are summarised ("… and 4,051 more like this").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from flowmap.errors import DataValidationError, FlowmapError

MAX_COUNT = 10**12
TIME_COLUMNS = ("time", "year", "period")
DEST_COLUMNS = ("dest", "destination")
_COUNT_RE = r"[0-9]{1,13}"
_PERIOD_RE = r"[0-9]{4}(?:\s*[-–]\s*[0-9]{4})?"
SHOWN_PER_KIND = 5
"""How many problems of one kind are listed before the rest is summarised."""


class Problems:
    """Problems found in a table, grouped by kind so that thousands stay readable."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._kinds: dict[str, list[str]] = defaultdict(list)
        self._counts: dict[str, int] = defaultdict(int)

    def add(self, kind: str, message: str) -> None:
        """Record one problem of ``kind`` (only the first few of each kind keep their text)."""
        self._counts[kind] += 1
        if len(self._kinds[kind]) < SHOWN_PER_KIND:
            self._kinds[kind].append(message)

    def add_rows(self, kind: str, rows: pd.Index, describe: pd.Series) -> None:
        """Record one problem per row of a column check: ``describe`` gives each message."""
        if len(rows) == 0:
            return
        self._counts[kind] += len(rows)
        room = SHOWN_PER_KIND - len(self._kinds[kind])
        self._kinds[kind].extend(str(m) for m in describe.loc[rows[:room]])

    def __bool__(self) -> bool:
        return bool(self._counts)

    def lines(self) -> list[str]:
        """Return the problems, each kind followed by how many more there are."""
        out: list[str] = []
        for kind, shown in self._kinds.items():
            out.extend(shown)
            more = self._counts[kind] - len(shown)
            if more > 0:
                out.append(f"… and {more:,} more like this")
        return out

    def raise_if_any(self) -> None:
        """Raise :class:`DataValidationError` listing the problems, if there are any."""
        if self:
            raise DataValidationError(self.source, self.lines(), total=sum(self._counts.values()))


def _short(value: object, limit: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _row_label(index: pd.Index) -> pd.Series:
    """Return "row N (line M)" for each 0-based position of a frame read from CSV."""
    return pd.Series([f"row {i + 1} (line {i + 2})" for i in index], index=index)


def as_places(frame: pd.DataFrame, *, source: str = "places") -> pd.DataFrame:
    """Return a places table with ``id`` (text, the index), ``name``, ``lat``, ``lon`` and
    every other column kept; coordinates may be missing (NaN).

    Raises
    ------
    DataValidationError
        Missing columns, empty or repeated ids, coordinates out of range or given alone.
    """
    problems = Problems(source)
    frame = frame.reset_index(drop=True)
    columns = [str(c).strip() for c in frame.columns]
    frame.columns = pd.Index(columns)
    missing = [c for c in ("id",) if c not in columns]
    if missing:
        problems.add(
            "columns", f"missing column 'id'; the header has {', '.join(map(repr, columns))}"
        )
        problems.raise_if_any()
    ids = frame["id"].astype("string").str.strip()
    rows = _row_label(frame.index)
    empty = ids.isna() | (ids == "")
    problems.add_rows("empty id", frame.index[empty], rows + ", column 'id': must not be empty")
    dupes = ids.duplicated(keep="first") & ~empty
    problems.add_rows(
        "duplicate id", frame.index[dupes], rows + ", column 'id': duplicate id " + ids.map(_short)
    )
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
        raw = out[column]
        text = raw.astype("string").str.strip()
        blank = raw.isna() | (text == "")
        number = pd.to_numeric(text.where(~blank), errors="coerce")
        ascii_ok = text.str.fullmatch(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", na=False)
        bad = ~blank & (~ascii_ok | number.isna() | (number.abs() > limit))
        problems.add_rows(
            f"bad {column}",
            frame.index[bad],
            rows
            + f", column '{column}': must be a number in [-{limit:g}, {limit:g}] written with "
            + "the digits 0-9 and a point, got "
            + text.map(_short),
        )
        out[column] = number.where(~bad).astype("float64")
    alone = out["lat"].isna() != out["lon"].isna()
    problems.add_rows(
        "coordinate pair", frame.index[alone], rows + ", columns 'lat'/'lon': give both or neither"
    )
    problems.raise_if_any()
    return out.set_index("id", drop=False)


def as_flows(
    frame: pd.DataFrame,
    *,
    origin: str = "origin",
    dest: str | None = None,
    count: str = "count",
    time: str | None = None,
    source: str = "flows",
) -> pd.DataFrame:
    """Return a flows table with ``origin``, ``dest`` (text), ``count`` (int64), ``time``
    (text, ``""`` when the table has no time) and every other column as an attribute.

    Self-flows and zero counts are kept here; :func:`flowmap.flows.clean_flows` skips them
    with a count.

    Raises
    ------
    DataValidationError
        Missing columns, empty ids, and counts that are not whole numbers in [0, 10^12)
        written with the digits 0-9.
    """
    problems = Problems(source)
    frame = frame.reset_index(drop=True)
    frame.columns = pd.Index([str(c).strip() for c in frame.columns])
    columns = list(frame.columns)
    dest = dest or next((c for c in DEST_COLUMNS if c in columns), "dest")
    time = time if time is not None else next((c for c in TIME_COLUMNS if c in columns), None)
    missing = [c for c in (origin, dest, count) if c not in columns]
    if missing:
        problems.add(
            "columns",
            f"missing column(s) {', '.join(map(repr, missing))}; "
            f"the header has {', '.join(map(repr, columns))}",
        )
        problems.raise_if_any()
    rows = _row_label(frame.index)
    out = pd.DataFrame(index=frame.index)
    for name, column in (("origin", origin), ("dest", dest)):
        ids = frame[column].astype("string").str.strip()
        empty = ids.isna() | (ids == "")
        problems.add_rows(
            f"empty {name}", frame.index[empty], rows + f", column '{column}': must not be empty"
        )
        out[name] = ids.fillna("").astype(object)
    out["count"] = _counts(frame[count], count, rows, problems)
    if time is not None and time in columns:
        text = frame[time].astype("string").str.strip().fillna("")
        text = text.str.replace(r"\.0$", "", regex=True)
        bad = (text != "") & ~text.str.fullmatch(_PERIOD_RE, na=False)
        problems.add_rows(
            "bad time",
            frame.index[bad],
            rows + f", column '{time}': must be a year such as 2019 or a span such as "
            "2014-2023, got " + text.map(_short),
        )
        out["time"] = text.str.replace(r"\s*[-–]\s*", "-", regex=True).astype(object)
    else:
        out["time"] = ""
    for column in columns:
        if column not in (origin, dest, count, time):
            out[column] = frame[column].astype("string").fillna("").str.strip().astype(object)
    problems.raise_if_any()
    out["count"] = out["count"].astype("int64")
    return out


def _counts(values: pd.Series, column: str, rows: pd.Series, problems: Problems) -> pd.Series:
    """Return counts as int64, recording every value that is not a whole number in range."""
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype("string")
    if pd.api.types.is_integer_dtype(values.dtype):
        number = values.astype("float64")
        bad = values.isna() | (number < 0) | (number >= MAX_COUNT)
    elif pd.api.types.is_float_dtype(values.dtype):
        number = values
        bad = ~np.isfinite(number) | (number < 0) | (number >= MAX_COUNT) | (number % 1 != 0)
    else:
        text = values.astype("string").str.strip().str.replace(r"\.0+$", "", regex=True)
        ok = text.str.fullmatch(_COUNT_RE, na=False)
        number = pd.to_numeric(text.where(ok), errors="coerce")
        bad = ~ok | number.isna() | (number >= MAX_COUNT)
    problems.add_rows(
        "bad count",
        values.index[bad],
        rows
        + f", column '{column}': must be a whole number from 0 to {MAX_COUNT - 1:,} written "
        + "with the digits 0-9, got "
        + values.astype("string").fillna("").map(_short),
    )
    return number.where(~bad, 0).fillna(0).astype("int64")


def read_table(path: Path | str) -> pd.DataFrame:
    """Return a UTF-8 CSV file as text columns (ids keep their leading zeros).

    Raises
    ------
    DataValidationError
        If the file is missing, not UTF-8, empty or not a table.
    """
    from flowmap._csvio import MAX_BYTES

    path = Path(path)
    if not path.is_file():
        reason = "is a folder, not a table" if path.is_dir() else "file not found"
        raise DataValidationError(str(path), [reason])
    if path.stat().st_size > MAX_BYTES:
        raise DataValidationError(str(path), [f"is larger than {MAX_BYTES // 2**20} MB"])
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            skipinitialspace=True,
            engine="c",
        )
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            str(path), [f"not valid UTF-8 (byte offset {exc.start}); save the file as UTF-8"]
        ) from None
    except pd.errors.EmptyDataError:
        raise DataValidationError(str(path), ["the file is empty: expected a header row"]) from None
    except (pd.errors.ParserError, ValueError, OverflowError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise DataValidationError(str(path), [f"not a valid CSV table ({reason})"]) from None
    if frame.empty:
        raise DataValidationError(str(path), ["the file has a header but no rows"])
    return frame


def read_flows(path: Path | str, **columns: str) -> pd.DataFrame:
    """Return the flows of a CSV file, checked and normalised (see :func:`as_flows`)."""
    return as_flows(read_table(path), source=str(path), **columns)


def read_places(path: Path | str) -> pd.DataFrame:
    """Return the places of a CSV file, checked and normalised (see :func:`as_places`)."""
    return as_places(read_table(path), source=str(path))


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
        unknown = ~table[column].isin(known)
        problems.add_rows(
            f"unknown {column}",
            table.index[unknown],
            _row_label(table.index)
            + f", column '{column}': unknown place id "
            + table[column].map(_short),
        )
    return problems.lines()


def place_ids(values: Iterable[object]) -> list[str]:
    """Return ids as stripped text (numbers keep the form they were written in)."""
    return [str(v).strip() for v in values]


def check_choice(name: str, value: str, allowed: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``allowed``.

    Raises
    ------
    FlowmapError
        Naming the option, the value and the allowed values.
    """
    options = tuple(allowed)
    if value not in options:
        raise FlowmapError(f"{name} must be one of {', '.join(options)}, got {value[:40]!r}")
    return value


__all__ = [
    "MAX_COUNT",
    "Problems",
    "as_flows",
    "as_places",
    "check_choice",
    "read_flows",
    "read_places",
    "read_table",
    "validate",
]
