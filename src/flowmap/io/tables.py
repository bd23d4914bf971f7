"""Origin–destination tables of any data set: read, check and normalise flows and places.

The minimum is the flowmap.blue convention: flows ``origin, dest, count`` (``destination``
works too) and places ``id, name, lat, lon``. Every other column is optional: a time column
(``time``, ``year`` or ``period``), names in other languages (``name_ky``, ``name_ru``),
and any attribute columns (sex, age, basis, source, method…) that maps can filter on and
show in tooltips.

Checks collect every problem and raise one :class:`~flowmap.core.errors.DataValidationError`;
thousands of problems of one kind are summarised ("… and 4,051 more like this").
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from flowmap.core._escape import REPLACED, replaced_in, visible_frame, visible_text, visible_values
from flowmap.core.budget import CLI, Budget
from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.io._textread import count_rows, measure, read_file, refuse_rows
from flowmap.text.i18n import Count, Message, msg

MAX_COUNT = 10**12
TIME_COLUMNS = ("time", "year", "period")
DEST_COLUMNS = ("dest", "destination")
_COUNT_RE = r"[0-9]{1,13}"
_GROUPED_RE = r"[0-9]{1,3}([,'\u2019 \u00a0\u202f\u2009])[0-9]{3}(?:\1[0-9]{3}){0,3}"
"""A whole number with thousands separators as statistical offices print them: ``101,466``
(a comma: inside quotes in a comma-separated file), ``1 000`` (a space, a no-break space,
a narrow no-break space or a thin space), ``1'000`` (an apostrophe); one separator
throughout, groups of three digits."""
_PERIOD_RE = r"[0-9]{4}(?:\s*[-–]\s*[0-9]{4})?"
SHOWN_PER_KIND = 5
"""How many problems of one kind are listed before the rest is summarised."""


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


class Problems:
    """Problems found in a table, grouped by kind so that thousands stay readable.

    Lines are :class:`~flowmap.text.i18n.Message` objects (English text that
    :func:`flowmap.text.i18n.error_text` and :func:`flowmap.text.i18n.localise` say in Kyrgyz or
    Russian); ``detail`` texts given as messages translate with them.
    """

    def __init__(self, source: str, *, where: Callable[[int], str] | None = None) -> None:
        self.source = source
        self.where = where or _row
        """Where a row is, from its 0-based position: "row N (line M)" by default (a table
        made from another, such as a wide table turned long, names the original row)."""
        self._kinds: dict[str, list[str]] = defaultdict(list)
        self._counts: dict[str, int] = defaultdict(int)

    def add(self, kind: str, message: str) -> None:
        """Record one problem of ``kind`` (only the first few of each kind keep their text)."""
        self._counts[kind] += 1
        if len(self._kinds[kind]) < SHOWN_PER_KIND:
            self._kinds[kind].append(message)

    def add_rows(
        self, kind: str, mask: np.ndarray, detail: str, values: pd.Series | None = None
    ) -> None:
        """Record one problem per row where ``mask`` is true: "row N (line M), ``detail``"
        followed by the row's value from ``values`` (quoted, cut to 40 characters). Texts
        are made only for the few rows that are shown."""
        positions = np.flatnonzero(mask)
        if len(positions) == 0:
            return
        self._counts[kind] += len(positions)
        room = max(0, SHOWN_PER_KIND - len(self._kinds[kind]))
        for i in positions[:room]:
            where = self.where(int(i))
            if values is None:
                self._kinds[kind].append(msg("user.at", where=where, detail=detail))
            else:
                value = _short(values.iloc[int(i)])
                self._kinds[kind].append(
                    msg("user.at_value", where=where, detail=detail, value=value)
                )

    def __bool__(self) -> bool:
        return any(self._counts.values())

    def counts(self) -> dict[str, int]:
        """Return how many problems of each kind there are, in the order first met."""
        return {kind: n for kind, n in self._counts.items() if n}

    def extend(self, other: Problems) -> None:
        """Add the problems of ``other`` (its shown examples and its counts)."""
        for kind, shown in other._kinds.items():
            room = max(0, SHOWN_PER_KIND - len(self._kinds[kind]))
            self._kinds[kind].extend(shown[:room])
        for kind, n in other._counts.items():
            self._counts[kind] += n

    def lines(self) -> list[str]:
        """Return the problems, each kind followed by how many more there are."""
        out: list[str] = []
        for kind, shown in self._kinds.items():
            out.extend(shown)
            more = self._counts[kind] - len(shown)
            if more > 0:
                out.append(msg("user.more_like_this", count=Count(more), n=more))
        return out

    def raise_if_any(self) -> None:
        """Raise :class:`DataValidationError` listing the problems, if there are any."""
        if self:
            raise DataValidationError(self.source, self.lines(), total=sum(self._counts.values()))


HINTS: tuple[str, ...] = ("python", "cli", "app")
"""Where a user reads the messages: the hints name that place's own way of saying which
column is which (``flow_columns=`` in Python, ``--columns`` on the command line, "Layout
and columns" in the app)."""


def _short(value: object, limit: int = 40) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _row(position: int) -> Message:
    """Return "row N (line M)" for a 0-based position in a table read from CSV."""
    return msg("user.row", row=position + 1, line=position + 2)


def _column(column: str) -> Message:
    """Return "column 'name'" (the name quoted as the user wrote it)."""
    return msg("user.column", column=repr(column))


def _in_column(column: str, detail: Message) -> Message:
    """Return "column 'name': detail"."""
    return msg("user.at_colon", where=_column(column), detail=detail)


def _quoted(values: Iterable[object]) -> str:
    """Return values as a list of quoted names: ``'a', 'b'`` (user data, not translated)."""
    return ", ".join(map(repr, values))


def _join(items: Sequence[str], separator: str = ",") -> str:
    """Return ``items`` joined by ``", "`` (or ``"; "`` with ``separator=";"``): a
    :class:`~flowmap.text.i18n.Message` when an item is one, so the list translates with it."""
    key = "user.join.semicolon" if separator == ";" else "user.join.comma"
    if not any(isinstance(item, Message) for item in items):
        return f"{separator} ".join(items)
    out: str = items[0]
    for item in items[1:]:
        out = msg(key, a=out, b=item)
    return out


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


def _counts(values: pd.Series, column: str, problems: Problems) -> pd.Series:
    """Return counts as int64, recording every value that is not a whole number from 0 to
    10^12 - 1 (text must use the digits 0-9, optionally grouped by thousands as in
    ``101,466``, ``1 000`` or ``1'000``, see :data:`_GROUPED_RE`)."""
    number, bad, dotted = _parse_counts(values)
    problems.add_rows(
        "bad count",
        bad & ~dotted,
        _in_column(column, msg("user.bad_count", max=Count(MAX_COUNT - 1))),
        values,
    )
    ambiguous = _in_column(column, msg("user.dotted_count"))
    problems.add_rows("ambiguous count", bad & dotted, ambiguous, values)
    return number.where(~bad, 0).fillna(0).astype("int64")


def _parse_counts(values: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Return counts as numbers (see :func:`_counts`), a mask of the values that are not
    counts, and a mask of those written like ``1.000`` (ambiguous)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype(str)
    dotted = np.zeros(len(values), dtype=bool)
    if pd.api.types.is_integer_dtype(values.dtype) and not values.hasnans:
        ints = values.to_numpy(dtype=np.int64)  # counts already read (a melted matrix)
        return values, np.asarray((ints < 0) | (ints >= MAX_COUNT)), dotted
    if pd.api.types.is_numeric_dtype(values.dtype):
        number = values.astype("float64")
    else:
        # Plain digits are converted directly (a regular expression and a cast: fast for a
        # million rows); "12.0" is accepted too. Anything else is a problem.
        text = values.astype("string").str.strip()
        digits = text.str.fullmatch(r"[0-9]{1,12}", na=False)
        if not digits.all():
            # "12.0" and "12.00" are whole numbers; "1.000" is not taken for 1 (in much of
            # Europe it is a thousand): it stays a problem, said as ambiguous.
            grouped_by_dots = text.str.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", na=False)
            dotted = grouped_by_dots.to_numpy(dtype=bool)
            decimal = text.str.fullmatch(r"[0-9]{1,12}\.0*", na=False) & ~grouped_by_dots
            text = text.where(~decimal, text.str.replace(r"\.0*$", "", regex=True))
            grouped = text.str.fullmatch(_GROUPED_RE, na=False)
            text = text.where(~grouped, text.str.replace(r"[^0-9]", "", regex=True))
            digits = digits | decimal | grouped
        filled = text.where(digits, "0")
        try:  # arrow parses a million digit strings in a tenth of a second
            whole_numbers = filled.astype("int64[pyarrow]").to_numpy(dtype="int64")
        except (TypeError, ValueError):
            whole_numbers = filled.astype("int64").to_numpy()
        number = pd.Series(whole_numbers, index=values.index, dtype="float64").where(digits)
    whole = number.notna() & np.isfinite(number) & (number % 1 == 0)
    bad = np.asarray((~whole | (number < 0) | (number >= MAX_COUNT)).to_numpy(), dtype=bool)
    return number, bad, dotted


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

    The text is measured before it is parsed (:func:`flowmap.io._textread.measure`; the
    rows of quoted text are counted by :func:`flowmap.io._textread.count_rows`): a line
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


def check_choice(name: str, value: object, allowed: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``allowed``.

    Raises
    ------
    FlowmapError
        Naming the option, the value and the allowed values.
    """
    options = tuple(allowed)
    if not isinstance(value, str) or value not in options:
        shown = repr(value[:40]) if isinstance(value, str) else repr(value)[:40]
        raise FlowmapError(msg("user.choice", name=name, options=", ".join(options), value=shown))
    return value


__all__ = [
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
