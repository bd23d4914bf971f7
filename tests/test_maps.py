"""Maps and HTML export, checked through what the map and the file contain."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pytest
from shapely.geometry import Polygon

from flowmap.cli import main
from flowmap.data import Period
from flowmap.districts import load_districts, match_unit
from flowmap.errors import FlowmapError
from flowmap.export import MapData, export_html, make_map
from flowmap.i18n import t
from flowmap.query import Selection
from flowmap.render import JsonLayer, MapOptions, esc, map_html, script_json

EIGHT = {"KG-GO", "KG-GB", "KG-C", "RU", "UZ", "KZ", "TR", "US"}


@pytest.fixture(scope="module")
def data() -> MapData:
    return MapData.load()


def layer(fmap: folium.Map, key: str, lang: str = "en") -> JsonLayer:
    """Return the JsonLayer called ``t(key)``."""
    name = t(key, lang)
    found = [c for c in fmap._children.values() if isinstance(c, JsonLayer)]
    return next(c for c in found if c.layer_name == name)


def flows_of(fmap: folium.Map, lang: str = "en") -> list[dict[str, Any]]:
    return [f["properties"] for f in layer(fmap, "layer.flows", lang).features]


def test_2014_2023_map_has_the_eight_destinations(data: MapData) -> None:
    fmap = make_map(data, Selection(period=Period(2014, 2023), direction="out"))
    flows = flows_of(fmap)
    destinations = {f["destination"] for f in flows}
    assert destinations >= EIGHT
    assert destinations - EIGHT == {"KG-REST"}
    widest = max(flows, key=lambda f: f["_style"]["weight"])
    assert widest["destination"] == "RU"
    # "Other oblasts" (KG-OTHER) is replaced by its parts, never drawn twice.
    assert "KG-OTHER" not in destinations


def test_exported_file_is_small_and_self_contained(data: MapData, tmp_path: Path) -> None:
    out = export_html(
        data, Selection(period=Period(2014, 2023), direction="out"), tmp_path / "m.html"
    )
    text = out.read_text(encoding="utf-8")
    assert out.stat().st_size < 2 * 1024 * 1024
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    assert "cdn." not in text
    assert text.count('src="data:text/javascript;base64,') == 1  # Leaflet, inlined
    assert 'href="data:text/css;base64,' in text


def test_online_tiles_only_when_asked(data: MapData) -> None:
    selection = Selection(period=Period(2014, 2023))
    assert "tile.openstreetmap.org" not in map_html(make_map(data, selection))
    tiles = map_html(make_map(data, selection, MapOptions(online_tiles=True)))
    assert "tile.openstreetmap.org" in tiles


def test_same_pixel_width_per_person_in_two_years(data: MapData) -> None:
    a = flows_of(make_map(data, Selection(period=Period(2022, 2022))))
    b = flows_of(make_map(data, Selection(period=Period(2016, 2016))))
    per_person = {
        round(f["_style"]["weight"] / f["count"] ** 0.5, 4)
        for f in a + b
        if f["_style"]["weight"] > data.scale.min_px
    }
    assert len(per_person) >= 1
    assert max(per_person) - min(per_person) < 0.002  # rounding of widths to 0.01 px
    same = {f["destination"]: f["_style"]["weight"] for f in a}
    other = {f["destination"]: f["_style"]["weight"] for f in b}
    # 2022 had more departures than 2016 (2169 vs 1355): every line is wider.
    assert all(same[k] > other[k] for k in same)


def test_dest_filter_draws_only_those_flows(data: MapData) -> None:
    fmap = make_map(data, Selection(period=Period(2014, 2023), dest=("RU", "UZ")))
    assert {f["destination"] for f in flows_of(fmap)} == {"RU", "UZ"}


def test_reported_basis_draws_no_modelled_flow(data: MapData) -> None:
    fmap = make_map(data, Selection(period=Period(2022, 2022), basis="reported"))
    flows = flows_of(fmap)
    assert flows
    assert {f["basis"] for f in flows} == {"reported"}
    assert all("dashArray" not in f["_style"] for f in flows)
    assert {f["destination"] for f in flows} == {"KG-OTHER"}


def test_modelled_flows_are_dashed_and_explained(data: MapData) -> None:
    flows = flows_of(make_map(data, Selection(period=Period(2022, 2022))))
    modelled = [f for f in flows if f["basis"] == "modelled"]
    assert modelled
    assert all("dashArray" in f["_style"] for f in modelled)
    assert all("Osh city, Bishkek and Chüy together get two thirds" in f["_tip"] for f in modelled)
    tip = modelled[0]["_tip"]
    for label in ("From", "To", "Period", "People", "Basis", "Source", "Method"):
        assert f"<b>{label}</b>" in tip


def test_net_map(data: MapData) -> None:
    reported = Selection(period=Period(2021, 2021), direction="net", basis="reported")
    flows = flows_of(make_map(data, reported))
    assert [(f["destination"], f["count"], f["direction"]) for f in flows] == [
        ("KG-OTHER", 1017, "out")
    ]
    # With modelled estimates, the net of "other oblasts" is drawn as its four parts.
    split = flows_of(make_map(data, Selection(period=Period(2021, 2021), direction="net")))
    assert {f["destination"] for f in split} == {"KG-GO", "KG-GB", "KG-C", "KG-REST"}
    assert sum(f["count"] for f in split) == 1017


def test_legend_title_notes_and_citation(data: MapData) -> None:
    text = map_html(make_map(data, Selection(period=Period(2014, 2023)), MapOptions(lang="ru")))
    for key in ("legend.title", "legend.style.modelled", "note.border_2025", "note.source"):
        assert script_json(esc(t(key, "ru")))[1:-1] in text


def test_border_overlay_layer(data: MapData) -> None:
    fmap = make_map(data, Selection(period=Period(2014, 2023)))
    border = [f["properties"] for f in layer(fmap, "layer.border").features]
    kinds = {p.get("kind") for p in border}
    assert {"border", "enclave", "centre"} <= kinds
    assert {p["country"] for p in border if p.get("kind") == "border"} == {"UZ", "TJ"}
    assert {"sokh", "shakhimardan", "vorukh"} <= {
        p["id"] for p in border if p.get("kind") == "enclave"
    }
    assert any(" km" in p["_tip"] for p in border if p.get("kind") == "border")
    without = make_map(data, Selection(period=Period(2014, 2023)), MapOptions(border_overlay=False))
    with pytest.raises(StopIteration):
        layer(without, "layer.border")


def test_kyrgyz_map_uses_kyrgyz_names(data: MapData) -> None:
    flows = flows_of(
        make_map(data, Selection(period=Period(2014, 2023)), MapOptions(lang="ky")), "ky"
    )
    tips = " ".join(f["_tip"] for f in flows)
    assert "Баткен облусу" in tips
    assert "Кайдан" in tips


# --------------------------------------------------------------------------- districts


def _write_districts(path: Path, driver: str | None = None) -> Path:
    frame = gpd.GeoDataFrame(
        {"name": ["Лейлек району", "Kadamjay", "Somewhere else"]},
        geometry=[
            Polygon([(69.3, 39.7), (70.0, 39.7), (70.0, 40.1), (69.3, 40.1)]),
            Polygon([(71.5, 39.9), (72.2, 39.9), (72.2, 40.3), (71.5, 40.3)]),
            Polygon([(70.5, 39.5), (70.9, 39.5), (70.9, 39.8), (70.5, 39.8)]),
        ],
        crs="EPSG:4326",
    )
    frame.to_file(path, driver=driver) if driver else frame.to_file(path)
    return path


@pytest.mark.parametrize(
    ("name", "driver"), [("d.geojson", "GeoJSON"), ("d.gpkg", "GPKG"), ("d.shp", "ESRI Shapefile")]
)
def test_district_files_are_read_and_matched(tmp_path: Path, name: str, driver: str) -> None:
    districts = load_districts(_write_districts(tmp_path / name, driver))
    assert list(districts["matched"]) == ["Leilek district", "Kadamjay district", ""]
    assert districts.crs.to_epsg() == 4326


def test_topojson_districts(tmp_path: Path) -> None:
    topo = {
        "type": "Topology",
        "objects": {
            "districts": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0]], "properties": {"name": "Баткен району"}}
                ],
            }
        },
        "arcs": [[[70.5, 39.8], [71.2, 39.8], [71.2, 40.2], [70.5, 40.2], [70.5, 39.8]]],
    }
    path = tmp_path / "d.topojson"
    path.write_text(json.dumps(topo), encoding="utf-8")
    districts = load_districts(path)
    assert list(districts["matched"]) == ["Batken district"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot be read as a boundary file"),
        ('{"type": "FeatureCollection", "features": []}', "has no features"),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},'
            ' "geometry": {"type": "Point", "coordinates": [70, 40]}}]}',
            r"has no polygon geometry \(found: Point\)",
        ),
    ],
)
def test_broken_district_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(FlowmapError, match=message):
        load_districts(path)
    assert path.read_bytes() == before


def test_match_names_in_three_languages() -> None:
    assert match_unit("Лейлекский район") == "Leilek district"
    assert match_unit("Kadamjay District") == "Kadamjay district"
    assert match_unit("КЫЗЫЛ-КЫЯ шаары") == "Kyzyl-Kiya city"
    assert match_unit("Сүлүктү") == "Sulukta city"
    assert match_unit("Osh") == ""


def test_districts_are_drawn(data: MapData, tmp_path: Path) -> None:
    districts = load_districts(_write_districts(tmp_path / "d.geojson"))
    fmap = make_map(data, Selection(period=Period(2014, 2023)), districts=districts)
    features = layer(fmap, "layer.districts").features
    assert len(features) == 3
    assert "Leilek district" in features[0]["properties"]["_tip"]


# --------------------------------------------------------------------------- command line


def run(*argv: str) -> int:
    return main(list(argv), io.StringIO())


def test_cli_export(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    assert run("export", "--period", "2014-2023", "--out", str(out)) == 0
    assert out.stat().st_size < 2 * 1024 * 1024
    assert "fm-to-RU" in out.read_text(encoding="utf-8")


def test_cli_export_with_districts(tmp_path: Path) -> None:
    districts = _write_districts(tmp_path / "d.geojson")
    out = tmp_path / "map.html"
    assert run("export", "--year", "2022", "--districts", str(districts), "--out", str(out)) == 0
    assert "Лейлек району" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "map.csv"], "--out must name an .html file"),
        (["--out", "m.html", "--districts", "missing.geojson"], "not found"),
        (["--out", "m.html", "--dest", "ZZ"], "unknown place id(s) 'ZZ'"),
    ],
)
def test_cli_export_errors(
    tmp_path: Path,
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("export", *args) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "m.html").exists()


def test_cli_export_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    districts = _write_districts(tmp_path / "d.geojson")
    before = districts.read_bytes()
    assert run("export", "--districts", str(districts), "--out", str(districts)) == 2
    assert districts.read_bytes() == before
