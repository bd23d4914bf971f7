"""Property-based tests: every reader and the URL parser either succeed or fail cleanly.

A clean failure is a :class:`~flowmap.core.errors.FlowmapError` whose message names the problem;
anything else (an ``IndexError``, ``OverflowError``, ``UnicodeError``…) is a bug.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowmap.app.view import (
    BASES,
    DESTINATIONS,
    DIRECTIONS,
    PALETTE_NAMES,
    PERIODS,
    SEXES,
    YEARS,
    state_from_query,
)
from flowmap.batken.data import MAX_COUNT, load_flows, load_places
from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.core.langs import LANGS
from tests.conftest import examples

SETTINGS = settings(
    max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
PLACES = (
    "id,kind,name_en,name_ky,name_ru,parent,lat,lon,anchor\n"
    "KG-B,oblast,Batken,Баткен,Баткен,,40.0,71.0,\n"
    "RU,country,Russia,Россия,Россия,,55.75,37.62,\n"
)
HEADER = "origin,destination,period,sex,age,count,basis,source_ref,method,note\n"

cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["KG-B", "RU", "2019", "2014-2023", "total", "all", "reported", "modelled"]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["NaN", "inf", "-0", "1e400", "١٢", "１２", "²", "9" * 5000, '"', "\x00"]),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=12), max_size=6)


def _csv(table: list[list[str]]) -> str:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    return "".join(",".join(cell(c) for c in row) + "\n" for row in table)


FOLDER = tempfile.TemporaryDirectory(prefix="flowmap-fuzz-")  # removed at exit


def _attempt(read: Callable[[], pd.DataFrame]) -> pd.DataFrame | DataValidationError:
    """Return what ``read`` returns, or the validation error it raises (any other
    exception propagates and fails the test)."""
    try:
        return read()
    except DataValidationError as exc:
        return exc


def _write(text: str | bytes, name: str = "table.csv") -> Path:
    path = Path(FOLDER.name) / name
    path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    return path


@SETTINGS
@given(rows)
def test_flows_reader(table: list[list[str]]) -> None:
    places_path = _write(PLACES, "places.csv")
    places = load_places(places_path)
    path = _write(HEADER + _csv(table))
    before = path.read_bytes()
    flows = _attempt(lambda: load_flows(path, places))
    if isinstance(flows, DataValidationError):
        assert flows.problems
        assert all(len(p) < 1000 for p in flows.problems)
    else:
        assert (flows["count"] >= 0).all()
        assert (flows["count"] < MAX_COUNT).all()
        assert set(flows["origin"]) | set(flows["destination"]) <= {"KG-B", "RU"}
    assert path.read_bytes() == before


@SETTINGS
@given(rows)
def test_places_reader(table: list[list[str]]) -> None:
    path = _write("id,kind,name_en,name_ky,name_ru,parent,lat,lon,anchor\n" + _csv(table))
    places = _attempt(lambda: load_places(path))
    if isinstance(places, DataValidationError):
        assert places.problems
    else:
        assert places["lat"].dropna().between(-90, 90).all()
        assert places["lon"].dropna().between(-180, 180).all()


@SETTINGS
@given(st.binary(max_size=400))
def test_readers_take_any_bytes(raw: bytes) -> None:
    path = _write(raw)
    places = load_places(_write(PLACES, "places.csv"))
    for result in (
        _attempt(lambda: load_places(path)),
        _attempt(lambda: load_flows(path, places)),
    ):
        assert isinstance(result, (pd.DataFrame, FlowmapError))


query_values = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["2019", "²", "٢٠١٩", "9" * 5000, "2014–2023", "RU,UZ", "x\n\n# BIG"]),
    st.lists(st.text(max_size=10), max_size=3),
)
query_keys = st.sampled_from(
    [
        *("lang", "year", "period", "dest", "direction", "sex", "basis"),
        *("border", "tiles", "palette", "x"),
    ]
)


@SETTINGS
@given(st.dictionaries(query_keys, query_values, max_size=8))
def test_url_parsing(query: dict[str, str | list[str]]) -> None:
    state = state_from_query(query)
    assert state.lang in LANGS
    assert state.year is None or state.year in YEARS
    assert state.period is None or state.period in PERIODS
    assert set(state.dest) <= set(DESTINATIONS)
    assert state.direction in DIRECTIONS
    assert state.sex in SEXES
    assert state.basis in BASES
    assert state.palette in PALETTE_NAMES
    for note in state.notes:
        assert "\n" not in note
        assert len(note) < 300
    state_from_query(state.to_query())  # what we write, we read back without notes
    assert state_from_query(state.to_query()).notes == ()
