"""The strict loaders of the data set's tables: places, flows, net balances, text tables
and populations. Each reads its file read-only, collects every problem it finds and raises one
:class:`~flowmap.core.errors.DataValidationError` naming file, row, column and value."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from flowmap.batken.data.parse import (
    _at_pair,
    _check_choice,
    _got,
    _parse_coordinate,
    _parse_count,
    _parse_range,
    _period,
    _period_problem,
    _problem,
    _visible,
)
from flowmap.batken.data.schema import (
    _ID_RE,
    AGES,
    BALANCE_COLUMNS,
    BALANCE_OPTIONAL,
    BASES,
    FLOW_COLUMNS,
    FLOW_OPTIONAL,
    PLACE_COLUMNS,
    PLACE_KINDS,
    PLACE_OPTIONAL,
    RANGE_COLUMNS,
    SCHEMA_PLACES,
    SEXES,
    schema_budget,
)
from flowmap.core.budget import CLI, Budget
from flowmap.core.langs import LANGS
from flowmap.core.paths import data_dir
from flowmap.io._csvio import ProblemList, Record, read_records
from flowmap.io.land import swapped_coordinates
from flowmap.text.period import Period


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
