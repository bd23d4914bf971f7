"""Load and validate the migration tables: places, flows, net balances, sources, populations.

The model is generic: any origin–destination migration table fits. A *place* has a stable
id (ISO 3166 codes where they exist), a kind, names in English, Kyrgyz and Russian, the
aggregate it belongs to and an anchor point. A *flow* is a count of people moving from an
origin to a destination during a period (one year or a span of years), for a sex and an age
group, with its *basis*: ``reported`` (printed in a source), ``derived`` (arithmetic on
reported figures) or ``modelled`` (an estimate whose ``method`` says how it was made).

Every loader reads its file read-only, collects every problem it finds and raises one
:class:`~flowmap.core.errors.DataValidationError` naming file, row, column and value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import pandas as pd

from flowmap.core._escape import REPLACED, visible_frame
from flowmap.core.budget import CLI, Budget
from flowmap.core.errors import FlowmapError
from flowmap.core.langs import LANGS
from flowmap.core.paths import data_dir
from flowmap.io._csvio import ProblemList, Record, msg, read_records
from flowmap.io.land import swapped_coordinates
from flowmap.text.i18n import Count, Message
from flowmap.text.period import Period

BASES: tuple[str, ...] = ("reported", "derived", "modelled")
SEXES: tuple[str, ...] = ("total", "male", "female")
AGES: tuple[str, ...] = ("all", "working")
PLACE_KINDS: tuple[str, ...] = ("country", "oblast", "city", "district", "aggregate")

PLACE_COLUMNS: tuple[str, ...] = ("id", "kind", "name_en", "name_ky", "name_ru", "parent")
PLACE_OPTIONAL: tuple[str, ...] = ("lat", "lon", "anchor")
FLOW_KEY: tuple[str, ...] = ("origin", "destination", "period", "sex", "age")
FLOW_COLUMNS: tuple[str, ...] = (*FLOW_KEY, "count", "basis", "source_ref")
FLOW_OPTIONAL: tuple[str, ...] = ("method", "note", "low", "high")
RANGE_COLUMNS: tuple[str, ...] = ("low", "high")
"""The range of a modelled figure (flows and balances): its smallest and largest value
under the model's documented sensitivity; empty for reported and derived figures."""
BALANCE_KEY: tuple[str, ...] = ("place", "counterpart", "period", "sex", "age")
BALANCE_COLUMNS: tuple[str, ...] = (
    *BALANCE_KEY,
    "arrivals",
    "departures",
    "net",
    "basis",
    "source_ref",
    "note",
)
BALANCE_OPTIONAL: tuple[str, ...] = RANGE_COLUMNS

_ID_RE = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$")
_INT_RE = re.compile(r"[+-]?[0-9]{1,13}", re.ASCII)
_FLOAT_RE = re.compile(r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{0,12})?|\.[0-9]{1,12})", re.ASCII)
MAX_COUNT = 10**12
"""Counts must be below this: no migration table counts a trillion people."""
SCHEMA_ROWS = 50_000
"""The most rows a table in the data set's own schema may have (whatever the budget):
each row is checked in Python, one by one. A larger table goes through the general
engine (:mod:`flowmap.io.userdata`: ``origin, dest, count``)."""


SCHEMA_PLACES = 10_000
"""The most places a places file in the data set's own schema may have: the coordinates of
each are also checked against the country outlines (:func:`swapped_coordinates`, a
fraction of a millisecond a place)."""


def schema_budget(budget: Budget, rows: int = SCHEMA_ROWS) -> Budget:
    """Return ``budget`` with at most ``rows`` rows (:data:`SCHEMA_ROWS`)."""
    return replace(budget, rows=min(budget.rows, rows))


def _count(n: int) -> Count:
    """Return :class:`flowmap.text.i18n.Count` of ``n``."""
    return Count(n)


def _at(record: Record, column: str, detail: str) -> Message:
    """Return ``"row N (line M), column 'C': detail"``, a problem in one cell."""
    return msg("data.at_column", where=record.where(), column=repr(column), detail=detail)


def _at_pair(record: Record, columns: str, detail: str) -> Message:
    """Return ``"row N (line M), columns 'A'/'B': detail"``, a problem in two cells."""
    return msg("data.at_columns", where=record.where(), columns=columns, detail=detail)


def _problem(
    problems: ProblemList,
    record: Record,
    column: str,
    key: str,
    /,
    *,
    first: Record | None = None,
    **values: object,
) -> None:
    """Record the problem ``msg(key, **values)`` in one cell of ``record`` (in two cells
    when ``column`` is ``'a'/'b'``; in the row when it is empty), its text made only if
    it is shown; ``first`` is where a repeated value was first met."""

    def make() -> str:
        if first is not None:
            values["first"] = first.where()
        detail = msg(key, **values)
        if not column:
            return msg("user.at_colon", where=record.where(), detail=detail)
        if "/" in column:
            return _at_pair(record, column, detail)
        return _at(record, column, detail)

    problems.add(make)


def _parse_count(
    value: str,
    record: Record,
    column: str,
    problems: ProblemList,
    *,
    allow_negative: bool = False,
) -> int | None:
    """Return ``value`` as an int, or record a problem and return None.

    Only ASCII digits are accepted (not Arabic-Indic or full-width ones), and the number
    must be below :data:`MAX_COUNT` in size.
    """
    if not _INT_RE.fullmatch(value):
        if re.fullmatch(r"[+-]?[0-9]{14,}", value, re.ASCII):
            digits = len(value.lstrip("+-"))
            problems.add(
                lambda: _at(
                    record,
                    column,
                    msg(
                        "data.count_digits", max=_count(MAX_COUNT), digits=digits, value=_got(value)
                    ),
                )
            )
        else:
            problems.add(lambda: _at(record, column, msg("data.count_whole", value=_got(value))))
        return None
    number = int(value)
    if abs(number) >= MAX_COUNT:
        problems.add(
            lambda: _at(
                record, column, msg("data.count_below", max=_count(MAX_COUNT), value=_got(value))
            )
        )
        return None
    if number < 0 and not allow_negative:
        problems.add(lambda: _at(record, column, msg("data.count_negative", value=_got(value))))
        return None
    return number


def _parse_coordinate(
    value: str, record: Record, column: str, limit: float, problems: ProblemList
) -> float | None:
    """Return a latitude or longitude in ``[-limit, limit]``, or record a problem."""
    if value == "":
        return None
    if not _FLOAT_RE.fullmatch(value):
        problems.add(lambda: _at(record, column, msg("data.decimal", value=_got(value))))
        return None
    number = float(value)
    if not math.isfinite(number) or abs(number) > limit:
        problems.add(
            lambda: _at(record, column, msg("data.range", limit=f"{limit:g}", value=_got(value)))
        )
        return None
    return number


def _short(value: str, limit: int = 40) -> str:
    """Return ``value`` cut to ``limit`` characters for an error message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _got(value: str) -> str:
    """Return ``value`` cut and quoted for an error message: ``'abc'``."""
    return repr(_short(value))


def _check_choice(
    value: str, choices: Iterable[str], record: Record, column: str, problems: ProblemList
) -> None:
    """Record a problem when ``value`` is not one of ``choices``."""
    allowed = tuple(choices)
    if value not in allowed:
        options = ", ".join(allowed)
        problems.add(
            lambda: _at(record, column, msg("data.choice", options=options, value=_got(value)))
        )


def load_places(path: Path | str | None = None, *, budget: Budget = CLI) -> pd.DataFrame:
    """Return the places table, indexed by ``id``, after checking every row.

    Parameters
    ----------
    path
        A places CSV; the embedded ``data/places.csv`` when None.

    Raises
    ------
    DataValidationError
        Listing every bad row: bad or repeated id, unknown kind, missing name, unknown
        parent, parent cycle, coordinate out of range or given without its pair.
    """
    path = Path(path) if path is not None else data_dir() / "places.csv"
    records = read_records(
        path,
        PLACE_COLUMNS,
        optional=PLACE_OPTIONAL,
        budget=schema_budget(budget, SCHEMA_PLACES),
    )
    problems = ProblemList()
    rows: list[dict[str, object]] = []
    seen: dict[str, Record] = {}
    for rec in records:
        v = rec.values
        pid = v["id"]
        if not _ID_RE.match(pid):
            _problem(problems, rec, "id", "data.id_format", value=_got(pid))
        elif pid in seen:
            _problem(problems, rec, "id", "data.duplicate_id", value=_got(pid), first=seen[pid])
        else:
            seen[pid] = rec
        _check_choice(v["kind"], PLACE_KINDS, rec, "kind", problems)
        for lang in LANGS:
            if not v[f"name_{lang}"]:
                _problem(problems, rec, f"name_{lang}", "data.not_empty")
        lat = _parse_coordinate(v["lat"], rec, "lat", 90, problems)
        lon = _parse_coordinate(v["lon"], rec, "lon", 180, problems)
        if (v["lat"] == "") != (v["lon"] == ""):
            _problem(problems, rec, "'lat'/'lon'", "data.both_or_neither")
        elif lat is not None and lon is not None and v["kind"] != "aggregate":
            swapped = swapped_coordinates(lat, lon)
            if swapped:
                problems.append(_at_pair(rec, "'lat'/'lon'", swapped))
        rows.append(
            {
                "id": pid,
                "kind": v["kind"],
                "name_en": v["name_en"],
                "name_ky": v["name_ky"],
                "name_ru": v["name_ru"],
                "parent": v["parent"],
                "lat": lat,
                "lon": lon,
                "anchor": v["anchor"],
            }
        )
    parents = {str(r["id"]): str(r["parent"]) for r in rows}
    for rec in records:
        parent = rec.values["parent"]
        if parent and parent not in parents:
            _problem(problems, rec, "parent", "data.unknown_place", value=_got(parent))
    done: set[str] = set()  # places whose chain up is walked: each is walked once
    for start, rec in seen.items():
        chain = [start]
        on_chain = {start}
        node = parents.get(start, "")
        while node and node in parents and node not in done:
            if node in on_chain:
                cycle = " -> ".join([*chain, node])
                _problem(problems, rec, "parent", "data.parent_cycle", chain=cycle)
                break
            chain.append(node)
            on_chain.add(node)
            node = parents[node]
        done.update(chain)
    problems.raise_if_any(str(path))
    frame = pd.DataFrame(rows, columns=[*PLACE_COLUMNS, *PLACE_OPTIONAL])
    frame["lat"] = frame["lat"].astype("float64")
    frame["lon"] = frame["lon"].astype("float64")
    return _visible(frame).set_index("id", drop=False)


def load_flows(
    path: Path | str | None = None,
    places: pd.DataFrame | None = None,
    *,
    budget: Budget = CLI,
) -> pd.DataFrame:
    """Return the flows table after checking every row against the places table.

    Parameters
    ----------
    path
        A flows CSV; the embedded ``data/flows.csv`` when None.
    places
        The places table; the embedded one when None.

    Raises
    ------
    DataValidationError
        Listing every bad row: missing column, unknown place id, bad period, sex, age or
        basis, negative or non-numeric count, a modelled row without its method, a row
        without its source, or a key (origin, destination, period, sex, age) given twice.
    """
    path = Path(path) if path is not None else data_dir() / "flows.csv"
    if places is None:
        places = load_places()
    known = set(places.index)
    records = read_records(path, FLOW_COLUMNS, optional=FLOW_OPTIONAL, budget=schema_budget(budget))
    problems = ProblemList()
    rows: list[dict[str, object]] = []
    keys: dict[tuple[str, ...], Record] = {}
    periods: dict[str, Period | None] = {}  # each period as written, parsed once
    for rec in records:
        v = rec.values
        for column in ("origin", "destination"):
            if v[column] not in known:
                _problem(problems, rec, column, "data.unknown_place", value=_got(v[column]))
        if v["origin"] and v["origin"] == v["destination"]:
            same = _got(v["origin"])
            _problem(problems, rec, "'origin'/'destination'", "data.same_place", value=same)
        if v["period"] not in periods:
            periods[v["period"]] = _period(v["period"])
        period = periods[v["period"]]
        if period is None:
            _period_problem(problems, rec, v["period"])
        _check_choice(v["sex"], SEXES, rec, "sex", problems)
        _check_choice(v["age"], AGES, rec, "age", problems)
        _check_choice(v["basis"], BASES, rec, "basis", problems)
        count = _parse_count(v["count"], rec, "count", problems)
        if not v["source_ref"]:
            _problem(problems, rec, "source_ref", "data.no_source")
        if v["basis"] == "modelled" and not v["method"]:
            _problem(problems, rec, "method", "data.no_method")
        low, high = _parse_range(rec, count, problems, basis=v["basis"])
        if period is not None:
            key = (v["origin"], v["destination"], str(period), v["sex"], v["age"])
            if key in keys:
                _problem(
                    problems, rec, "", "data.duplicate_flow", key="/".join(key), first=keys[key]
                )
            else:
                keys[key] = rec
        rows.append(
            {
                "origin": v["origin"],
                "destination": v["destination"],
                "period": str(period) if period else v["period"],
                "sex": v["sex"],
                "age": v["age"],
                "count": count,
                "basis": v["basis"],
                "source_ref": v["source_ref"],
                "method": v["method"],
                "note": v["note"],
                "low": low,
                "high": high,
            }
        )
    problems.raise_if_any(str(path))
    return _visible(_flows_frame(rows))


def _visible(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a table read with its names and texts through
    :func:`flowmap.core._escape.visible_text`, counted in its ``attrs`` (:data:`REPLACED`)."""
    frame, replaced = visible_frame(frame)
    frame.attrs[REPLACED] = replaced
    return frame


def _period(text: str) -> Period | None:
    """Return the period written as ``text``, or None when it is not one."""
    try:
        return Period.parse(text)
    except FlowmapError:
        return None


def _period_problem(problems: ProblemList, record: Record, text: str) -> None:
    """Record why ``text`` in the ``period`` cell of ``record`` is not a period (the text
    made only if it is shown)."""

    def make() -> str:
        try:
            Period.parse(text)
        except FlowmapError as exc:
            reason = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
            return _at(record, "period", reason)
        return _at(record, "period", text)  # pragma: no cover - only called for bad periods

    problems.add(make)


def _parse_range(
    rec: Record, value: int | None, problems: ProblemList, *, basis: str, signed: bool = False
) -> tuple[int | None, int | None]:
    """Return the ``low`` and ``high`` cells of a row as numbers (None when empty), or
    record a problem: a range on a row that is not modelled, only one end given, or ends
    that do not hold ``value`` (``low <= value <= high``)."""
    cells = {c: rec.values.get(c, "") or "" for c in RANGE_COLUMNS}
    if not any(cells.values()):
        return None, None
    if basis != "modelled":
        _problem(problems, rec, "'low'/'high'", "data.range_not_modelled", basis=_got(basis))
        return None, None
    ends = [
        _parse_count(cells[c], rec, c, problems, allow_negative=signed) if cells[c] else None
        for c in RANGE_COLUMNS
    ]
    low, high = ends
    if low is None or high is None:
        if all(cells.values()):
            return None, None
        _problem(problems, rec, "'low'/'high'", "data.range_one_end")
        return None, None
    if value is not None and not low <= value <= high:
        low_, value_, high_ = _count(low), _count(value), _count(high)
        _problem(
            problems, rec, "'low'/'high'", "data.range_outside", low=low_, value=value_, high=high_
        )
    return low, high


def _flows_frame(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """Return flow rows as a DataFrame with the canonical columns and dtypes."""
    frame = pd.DataFrame(list(rows), columns=[*FLOW_COLUMNS, *FLOW_OPTIONAL])
    frame["count"] = frame["count"].astype("int64")
    for column in ("method", "note"):
        frame[column] = frame[column].fillna("").astype(str)
    return with_ranges(frame)


def with_ranges(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with ``low`` and ``high`` as nullable whole numbers (``Int64``;
    missing where a figure has no range), adding them empty when absent."""
    frame = frame.copy()
    for column in RANGE_COLUMNS:
        values = frame[column] if column in frame.columns else pd.Series([None] * len(frame))
        frame[column] = pd.array([None if pd.isna(v) else int(v) for v in values], dtype="Int64")
    return frame


def load_balances(path: Path | str | None = None, *, budget: Budget = CLI) -> pd.DataFrame:
    """Return the net-migration table (``data/balances.csv`` by default).

    Raises
    ------
    DataValidationError
        If a column is missing or a number is not a whole number.
    """
    path = Path(path) if path is not None else data_dir() / "balances.csv"
    records = read_records(
        path, BALANCE_COLUMNS, optional=BALANCE_OPTIONAL, budget=schema_budget(budget)
    )
    problems = ProblemList()
    rows: list[dict[str, object]] = []
    for rec in records:
        row: dict[str, object] = dict(rec.values)
        for column in ("arrivals", "departures", "net"):
            row[column] = _parse_count(
                rec.values[column], rec, column, problems, allow_negative=column == "net"
            )
        _check_choice(rec.values["basis"], BASES, rec, "basis", problems)
        net = row["net"] if isinstance(row["net"], int) else None
        row["low"], row["high"] = _parse_range(
            rec, net, problems, basis=rec.values["basis"], signed=True
        )
        rows.append(row)
    problems.raise_if_any(str(path))
    frame = pd.DataFrame(rows, columns=[*BALANCE_COLUMNS, *BALANCE_OPTIONAL])
    for column in ("arrivals", "departures", "net"):
        frame[column] = frame[column].astype("int64")
    return _visible(with_ranges(frame))


def load_table(
    name: str, required: Iterable[str], path: Path | str | None = None, *, budget: Budget = CLI
) -> pd.DataFrame:
    """Return one of the embedded text tables (sources, references, figures, ...) as strings.

    Raises
    ------
    DataValidationError
        If the file is not UTF-8 or lacks a required column.
    """
    path = Path(path) if path is not None else data_dir() / name
    records = read_records(path, tuple(required), budget=schema_budget(budget))
    columns = list(records[0].values) if records else list(required)
    frame = pd.DataFrame([r.values for r in records], columns=columns, dtype=str)
    frame.insert(0, "line", [r.line for r in records])
    return _visible(frame)


def load_populations(
    path: Path | str | None = None, places: pd.DataFrame | None = None, *, budget: Budget = CLI
) -> pd.Series:
    """Return population by place id from ``data/populations.csv``.

    Raises
    ------
    DataValidationError
        If a place is unknown or repeated, or a population is not a positive whole number.
    """
    path = Path(path) if path is not None else data_dir() / "populations.csv"
    if places is None:
        places = load_places()
    records = read_records(
        path, ("place", "population", "year", "source_id"), budget=schema_budget(budget)
    )
    problems = ProblemList()
    values: dict[str, int] = {}
    for rec in records:
        place = rec.values["place"]
        if place not in places.index:
            _problem(problems, rec, "place", "data.unknown_place", value=_got(place))
        elif place in values:
            _problem(problems, rec, "place", "data.given_twice", value=_got(place))
        number = _parse_count(rec.values["population"], rec, "population", problems)
        if number is not None and number > 0 and place not in values:
            values[place] = number
        elif number == 0:
            _problem(problems, rec, "population", "data.count_positive", value="'0'")
    problems.raise_if_any(str(path))
    return pd.Series(values, name="population", dtype="int64")
