"""Bad flows and places files: one clear error listing every problem; the file is untouched."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from flowmap.batken.data import load_flows, load_places
from flowmap.core.errors import DataValidationError, FlowmapError

GOOD = "KG-B,RU,2014-2023,total,all,7529,reported,P-ABROAD,,"


def _load_unchanged(path: Path, places_file: Path) -> DataValidationError:
    """Load ``path`` expecting an error; check that the file is byte-for-byte unchanged."""
    before = path.read_bytes()
    stat = os.stat(path)
    with pytest.raises(DataValidationError) as info:
        load_flows(path, load_places(places_file))
    assert path.read_bytes() == before
    assert os.stat(path).st_mtime_ns == stat.st_mtime_ns
    return info.value


def test_a_good_file_loads(write_flows: Callable[..., Path], places_file: Path) -> None:
    flows = load_flows(write_flows(GOOD), load_places(places_file))
    assert flows.to_dict(orient="records")[0]["count"] == 7529


def test_missing_column(write_flows: Callable[..., Path], places_file: Path) -> None:
    path = write_flows(
        "KG-B,RU,2014-2023,total,all,reported,P-ABROAD",
        header="origin,destination,period,sex,age,basis,source_ref\n",
    )
    error = _load_unchanged(path, places_file)
    assert error.problems == [
        "missing column(s) 'count'; the header has 'origin', 'destination', 'period', 'sex', "
        "'age', 'basis', 'source_ref'"
    ]
    assert str(error).startswith(f"{path}: 1 problem:")


def test_unknown_place_id(write_flows: Callable[..., Path], places_file: Path) -> None:
    error = _load_unchanged(
        write_flows(GOOD, "KG-B,<script>,2014-2023,total,all,5,reported,P-ABROAD,,"), places_file
    )
    assert error.problems == ["row 2 (line 3), column 'destination': unknown place id '<script>'"]


WHOLE = "must be a whole number written with the digits 0-9, got"


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("-5", "row 1 (line 2), column 'count': must be >= 0, got '-5'"),
        ("many", f"row 1 (line 2), column 'count': {WHOLE} 'many'"),
        ("12.5", f"row 1 (line 2), column 'count': {WHOLE} '12.5'"),
        ("", f"row 1 (line 2), column 'count': {WHOLE} ''"),
        # 10**19 used to wrap around to a negative int64 and pass the ">= 0" check.
        (
            "10000000000000000000",
            "row 1 (line 2), column 'count': must be below 1,000,000,000,000, "
            "got a 20-digit number '10000000000000000000'",
        ),
        (
            "1000000000000",
            "row 1 (line 2), column 'count': must be below 1,000,000,000,000, got '1000000000000'",
        ),
        # 30 and 5000 digits used to crash with OverflowError / ValueError.
        (
            "9" * 30,
            "row 1 (line 2), column 'count': must be below 1,000,000,000,000, "
            f"got a 30-digit number '{'9' * 30}'",
        ),
        (
            "9" * 5000,
            "row 1 (line 2), column 'count': must be below 1,000,000,000,000, "
            f"got a 5000-digit number '{'9' * 39}…'",
        ),
        # Arabic-Indic and full-width digits used to pass as counts.
        ("\u0661\u0662", f"row 1 (line 2), column 'count': {WHOLE} '\u0661\u0662'"),
        ("\uff11\uff12", f"row 1 (line 2), column 'count': {WHOLE} '\uff11\uff12'"),
    ],
)
def test_bad_count(
    write_flows: Callable[..., Path], places_file: Path, count: str, message: str
) -> None:
    error = _load_unchanged(
        write_flows(f"KG-B,RU,2014-2023,total,all,{count},reported,P-ABROAD,,"), places_file
    )
    assert error.problems == [message]


def test_duplicate_key(write_flows: Callable[..., Path], places_file: Path) -> None:
    error = _load_unchanged(write_flows(GOOD, GOOD.replace("7529", "7000")), places_file)
    assert error.problems == [
        "row 2 (line 3): duplicate flow KG-B/RU/2014-2023/total/all (first at row 1 (line 2))"
    ]


def test_not_utf8(write_flows: Callable[..., Path], places_file: Path) -> None:
    path = write_flows(GOOD, "KG-B,UZ,2019,total,all,5,reported,Таблица,,", encoding="cp1251")
    error = _load_unchanged(path, places_file)
    assert len(error.problems) == 1
    assert error.problems[0].startswith("line 3: not valid UTF-8 (byte b'\\xd2' at offset")
    assert error.problems[0].endswith("save the file as UTF-8 and try again")


def test_every_problem_is_listed_at_once(
    write_flows: Callable[..., Path], places_file: Path
) -> None:
    path = write_flows(
        GOOD,
        "KG-B,XX,2019,total,all,-1,reported,T1,,",
        "KG-B,UZ,20x9,both,all,3,guessed,,,",
        "KG-B,UZ,2019,total,all,3,modelled,T1,,",
    )
    error = _load_unchanged(path, places_file)
    assert error.problems == [
        "row 2 (line 3), column 'destination': unknown place id 'XX'",
        "row 2 (line 3), column 'count': must be >= 0, got '-1'",
        "row 3 (line 4), column 'period': period must look like 2019 or 2014-2023, got '20x9'",
        "row 3 (line 4), column 'sex': must be one of total, male, female, got 'both'",
        "row 3 (line 4), column 'basis': must be one of reported, derived, modelled, got 'guessed'",
        "row 3 (line 4), column 'source_ref': must name the source of the row",
        "row 4 (line 5), column 'method': a modelled row must say how it was made",
    ]
    assert str(error).startswith(f"{path}: 7 problems:")


def test_ragged_row(write_flows: Callable[..., Path], places_file: Path) -> None:
    error = _load_unchanged(write_flows(GOOD, "KG-B,RU,2019"), places_file)
    assert error.problems == ["row 2 (line 3): has 3 cells, the header has 10"]


def test_empty_and_missing_files(tmp_path: Path, places_file: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DataValidationError, match="the file is empty: expected a header row"):
        load_flows(empty, load_places(places_file))
    with pytest.raises(DataValidationError, match="file not found"):
        load_flows(tmp_path / "nope.csv", load_places(places_file))


def test_bad_places_file(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(
        "id,kind,name_en,name_ky,name_ru,parent,lat,lon\n"
        "KG-B,oblast,Batken,Баткен,Баткен,ZZ,40,71\n"
        "KG-B,planet,Batken,Баткен,,,,71\n"
        "ru,country,Russia,Россия,Россия,,95,37\n",
        encoding="utf-8",
    )
    before = path.read_bytes()
    with pytest.raises(DataValidationError) as info:
        load_places(path)
    assert path.read_bytes() == before
    assert info.value.problems == [
        "row 2 (line 3), column 'id': duplicate id 'KG-B' (first at row 1 (line 2))",
        "row 2 (line 3), column 'kind': must be one of country, oblast, city, district, "
        "aggregate, got 'planet'",
        "row 2 (line 3), column 'name_ru': must not be empty",
        "row 2 (line 3), columns 'lat'/'lon': give both or neither",
        "row 3 (line 4), column 'id': must be upper-case letters, digits and hyphens such as "
        "KG-B or RU, got 'ru'",
        "row 3 (line 4), column 'lat': must lie in [-90, 90], got '95'",
        "row 1 (line 2), column 'parent': unknown place id 'ZZ'",
    ]


def test_places_parent_cycle(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(
        "id,kind,name_en,name_ky,name_ru,parent\nA,aggregate,A,A,A,B\nB,aggregate,B,B,B,A\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError, match=r"the parents form a cycle A -> B -> A"):
        load_places(path)


def test_errors_are_flowmap_errors() -> None:
    assert issubclass(DataValidationError, FlowmapError)
    assert issubclass(FlowmapError, ValueError)


def test_swapped_coordinates_are_refused(tmp_path: Path) -> None:
    """Batken at (71.591, 39.853) lies in the Barents Sea: it used to pass silently."""
    path = tmp_path / "places.csv"
    path.write_text(
        "id,kind,name_en,name_ky,name_ru,parent,lat,lon,anchor\n"
        "KG-B,oblast,Batken oblast,Баткен облусу,Баткенская область,,71.591,39.853,\n"
        "RU,country,Russia,Россия,Россия,,55.75,37.62,Moscow\n"
        "XX,aggregate,Abroad,Чет өлкөлөр,Зарубежье,,42.0,50.5,symbolic point at sea\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError) as info:
        load_places(path)
    assert info.value.problems == [
        "row 1 (line 2), columns 'lat'/'lon': (71.591, 39.853) lies at sea, but (39.853, 71.591) "
        "is in KG: are latitude and longitude swapped? lat is north-south (-90..90), "
        "lon east-west"
    ]


RANGED = "origin,destination,period,sex,age,count,basis,source_ref,method,note,low,high\n"


def test_a_modelled_row_loads_with_its_range(
    write_flows: Callable[..., Path], places_file: Path
) -> None:
    path = write_flows(
        GOOD + ",,",
        "KG-B,UZ,2023,total,all,118,modelled,P-EXT-2023,my-model: x,,61,222",
        header=RANGED,
    )
    flows = load_flows(path, load_places(places_file))
    assert flows["low"].isna().tolist() == [True, False]
    assert (flows.at[1, "low"], flows.at[1, "high"]) == (61, 222)
    assert str(flows["low"].dtype) == "Int64"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            GOOD + ",7000,8000",
            "only a modelled row has a range (low, high); this row is 'reported'",
        ),
        ("KG-B,UZ,2023,total,all,118,modelled,T1,m: x,,61,", "a range needs both its low"),
        ("KG-B,UZ,2023,total,all,118,modelled,T1,m: x,,120,222", "does not hold the figure 118"),
        ("KG-B,UZ,2023,total,all,118,modelled,T1,m: x,,61,lots", "got 'lots'"),
    ],
)
def test_a_bad_range_is_refused(
    write_flows: Callable[..., Path], places_file: Path, row: str, message: str
) -> None:
    error = _load_unchanged(write_flows(row, header=RANGED), places_file)
    assert len(error.problems) == 1
    assert "row 1 (line 2)" in error.problems[0]
    assert message in error.problems[0]
