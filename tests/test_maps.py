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

from flowmap.batken.dataset import MapData
from flowmap.batken.districts import load_districts, match_unit
from flowmap.batken.export import export_html, make_map
from flowmap.batken.mapspec import make_spec
from flowmap.batken.preset import MapOptions
from flowmap.batken.query import Selection
from flowmap.cli.commands import main
from flowmap.core.errors import FlowmapError
from flowmap.render.element import page_spec
from flowmap.render.maps import map_html
from flowmap.text import numbers
from flowmap.text.i18n import t
from flowmap.text.period import Period
from tests.conftest import drawn_flows, map_spec

EIGHT = {"KG-GO", "KG-GB", "KG-C", "RU", "UZ", "KZ", "TR", "US"}


@pytest.fixture(scope="module")
def data() -> MapData:
    return MapData.load()


def spec_of(fmap: folium.Map) -> dict[str, Any]:
    return map_spec(map_html(fmap))


def flows_of(fmap: folium.Map) -> list[dict[str, Any]]:
    return drawn_flows(map_html(fmap))


def layer(fmap: folium.Map, key: str, lang: str = "en") -> list[dict[str, Any]]:
    """Return the feature properties of the page layer called ``t(key)``."""
    name = t(key, lang)
    found = [item for item in spec_of(fmap)["layers"] if item["name"] == name]
    if not found:
        raise LookupError(name)
    return [f["properties"] for f in found[0]["features"]["features"]]


def widths(fmap: folium.Map) -> dict[str, float]:
    """Return each drawn flow's width in pixels, by its counterpart, as the page computes
    it (the square root scale of the whole data set, at least ``minPx``)."""
    spec = spec_of(fmap)
    scale = spec["scale"]
    out = {}
    for flow in drawn_flows(map_html(fmap)):
        width = scale["maxPx"] * (flow["count"] / scale["maxCount"]) ** 0.5
        other = flow["dest"] if flow["origin"] == "KG-B" else flow["origin"]
        out[other] = max(scale["minPx"], width)
    return out


def test_2014_2023_map_has_the_eight_destinations(data: MapData) -> None:
    fmap = make_map(data, Selection(period=Period(2014, 2023), direction="out"))
    flows = flows_of(fmap)
    destinations = {f["dest"] for f in flows}
    assert destinations >= EIGHT
    assert destinations - EIGHT == {"KG-REST"}
    widest = max(flows, key=lambda f: f["count"])
    assert widest["dest"] == "RU"
    # "Other oblasts" (KG-OTHER) is replaced by its parts, never drawn twice.
    assert "KG-OTHER" not in destinations
    # The page carries each place once and each flow as indices.
    spec = spec_of(fmap)
    assert len(spec["places"]["id"]) == len(set(spec["places"]["id"]))
    assert all(isinstance(i, int) for i in spec["flows"]["o"] + spec["flows"]["d"])


def test_exported_file_is_small_and_self_contained(data: MapData, tmp_path: Path) -> None:
    out = export_html(
        data, Selection(period=Period(2014, 2023), direction="out"), tmp_path / "m.html"
    )
    text = out.read_text(encoding="utf-8")
    # Playable by default (every year, direction and language): under 1 MB (issue 9).
    assert out.stat().st_size < 1024 * 1024
    static = export_html(
        data,
        Selection(period=Period(2014, 2023), direction="out"),
        tmp_path / "static.html",
        static=True,
    )
    assert static.stat().st_size < 600_000  # 0.6 MB, the bound
    # Nothing is loaded from elsewhere: no script, image or frame source and no stylesheet
    # link outside the file. (Leaflet's own attribution link to leafletjs.com is a link a
    # reader may follow, not something the page loads.)
    assert not re.search(r"""\bsrc\s*=\s*["']?(https?:)?//""", text)
    assert not re.search(r"""<link[^>]*\bhref\s*=\s*["']?(https?:)?//""", text)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    assert "cdn." not in text
    assert text.count("Leaflet 1.9.") == 1  # Leaflet, inlined once as a script
    assert "<script src=" not in text
    assert 'href="data:text/css;base64,' in text


def test_online_tiles_only_when_asked(data: MapData) -> None:
    selection = Selection(period=Period(2014, 2023))
    assert "tile.openstreetmap.org" not in map_html(make_map(data, selection))
    tiles = map_html(make_map(data, selection, MapOptions(online_tiles=True)))
    assert "tile.openstreetmap.org" in tiles


def test_same_pixel_width_per_person_in_two_years(data: MapData) -> None:
    a = make_map(data, Selection(period=Period(2022, 2022)))
    b = make_map(data, Selection(period=Period(2016, 2016)))
    assert spec_of(a)["scale"] == spec_of(b)["scale"]
    assert spec_of(a)["scale"]["maxCount"] == data.scale.max_count
    same, other = widths(a), widths(b)
    # 2022 had more departures than 2016 (2169 vs 1355): every line is wider.
    assert same.keys() == other.keys()
    assert all(same[k] > other[k] for k in same)


def test_dest_filter_draws_only_those_flows(data: MapData) -> None:
    fmap = make_map(data, Selection(period=Period(2014, 2023), dest=("RU", "UZ")))
    assert {f["dest"] for f in flows_of(fmap)} == {"RU", "UZ"}


def test_reported_basis_draws_no_modelled_flow(data: MapData) -> None:
    fmap = make_map(data, Selection(period=Period(2022, 2022), basis="reported"))
    flows = flows_of(fmap)
    assert flows
    assert {f["basis"] for f in flows} == {t("basis.reported")}
    assert {f["dest"] for f in flows} == {"KG-OTHER"}


def test_modelled_flows_are_dashed_and_explained(data: MapData) -> None:
    fmap = make_map(data, Selection(period=Period(2022, 2022)))
    spec = spec_of(fmap)
    assert spec["style"]["styleBy"] == "basis"
    modelled = [f for f in flows_of(fmap) if f["basis"] == t("basis.modelled")]
    assert modelled
    codes = {a["key"]: a["labels"] for a in spec["attributes"]}["basis"]
    assert spec["style"]["dashed"] == {str(codes.index(t("basis.modelled"))): True}
    assert spec["style"]["pale"] == {}
    assert all(
        "Osh city, Bishkek and Chüy together get two thirds" in f["method"] for f in modelled
    )
    labels = {a["label"] for a in spec["attributes"]} | set(spec["text"]["tip"].values())
    for label in ("From", "To", "Period", "People", "Basis", "Source", "Method"):
        assert label in labels


@pytest.mark.parametrize("lang", ["en", "ky", "ru"])
def test_a_split_total_and_its_contradiction_stay_on_the_map(data: MapData, lang: str) -> None:
    """Arrivals 2021: the map draws the four modelled parts of 561 (Table 2); the tooltips
    give each part's share of 561 and a legend note (an image's too) names 561 with its C1
    note (Table 1 prints 261), in every language."""
    fmap = make_map(
        data, Selection(period=Period(2021, 2021), direction="in"), MapOptions(lang=lang)
    )
    spec = spec_of(fmap)
    modelled = [f for f in flows_of(fmap) if f["basis"] == t("basis.modelled", lang)]
    assert len(modelled) == 4
    share = {"en": "of the reported 561", "ky": "561", "ru": "561"}[lang]
    assert all(share in f["note"] and "%" in f["note"] for f in modelled)
    total = [n for n in spec["text"]["legend"]["notes"] if "C1" in n]
    assert len(total) == 1
    assert "561" in total[0]
    assert "261" in total[0]
    assert t("basis.reported", lang) in total[0]
    # A total without a note of its own adds none (2014-2023: "other oblasts" is a sum).
    spec = spec_of(make_map(data, Selection(period=Period(2014, 2023)), MapOptions(lang=lang)))
    assert not [n for n in spec["text"]["legend"]["notes"] if numbers.count(15186, lang) in n]


def test_net_map(data: MapData) -> None:
    reported = Selection(period=Period(2021, 2021), direction="net", basis="reported")
    flows = flows_of(make_map(data, reported))
    assert [(f["dest"], f["count"], f["colour"]) for f in flows] == [("KG-OTHER", 1017, "#b2182b")]
    # With modelled estimates, the net of "other oblasts" is drawn as its four parts.
    split = flows_of(make_map(data, Selection(period=Period(2021, 2021), direction="net")))
    assert {f["dest"] for f in split} == {"KG-GO", "KG-GB", "KG-C", "KG-REST"}
    assert sum(f["count"] for f in split) == 1017


def test_legend_title_notes_and_citation(data: MapData) -> None:
    spec = spec_of(make_map(data, Selection(period=Period(2014, 2023)), MapOptions(lang="ru")))
    assert spec["text"]["legend"]["title"] == t("legend.title", "ru")
    assert t("legend.style.modelled", "ru") in {s["label"] for s in spec["style"]["legend"]}
    assert t("note.border_2025", "ru") in spec["text"]["notes"]
    assert spec["text"]["source"] == t("note.source", "ru")


def test_border_overlay_layer(data: MapData) -> None:
    fmap = make_map(data, Selection(period=Period(2014, 2023)))
    border = layer(fmap, "layer.border")
    colours = {p["_style"]["color"] for p in border if p.get("_style", {}).get("weight") == 4}
    assert colours == {"#7b3294", "#1b7837"}  # Uzbekistan, Tajikistan
    tips = [" ".join(p.get("_tip", [])) for p in border]
    assert any(" km" in tip for tip in tips)
    for enclave in ("Sokh", "Shakhimardan", "Vorukh"):
        assert any(enclave in tip for tip in tips), enclave
    assert any(p.get("_label") == "Isfana" for p in border)
    without = make_map(data, Selection(period=Period(2014, 2023)), MapOptions(border_overlay=False))
    with pytest.raises(LookupError):
        layer(without, "layer.border")


def test_kyrgyz_map_uses_kyrgyz_names(data: MapData) -> None:
    spec = spec_of(make_map(data, Selection(period=Period(2014, 2023)), MapOptions(lang="ky")))
    assert "Баткен облусу" in spec["places"]["name"]
    assert spec["text"]["tip"]["from"] == "Кайдан"
    assert spec["locale"] == "ky-KG"


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
    features = layer(fmap, "layer.districts")
    assert len(features) == 3
    assert "Leilek district" in features[0]["_tip"]


# --------------------------------------------------------------------------- command line


def run(*argv: str) -> int:
    return main(list(argv), io.StringIO())


def test_cli_export(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    assert run("export", "--period", "2014-2023", "--out", str(out)) == 0
    assert out.stat().st_size < 2 * 1024 * 1024
    assert "RU" in {f["dest"] for f in drawn_flows(out.read_text(encoding="utf-8"))}


def test_cli_export_with_districts(tmp_path: Path) -> None:
    districts = _write_districts(tmp_path / "d.geojson")
    out = tmp_path / "map.html"
    assert run("export", "--year", "2022", "--districts", str(districts), "--out", str(out)) == 0
    assert "Лейлек району" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "map.csv"], "--out must name an .html, .png, .svg or .pdf file"),
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


@pytest.mark.parametrize(
    ("selection", "options"),
    [
        (Selection(), MapOptions()),
        (Selection(period=Period(2022, 2022), direction="both"), MapOptions(lang="ky")),
        (Selection(direction="net"), MapOptions(lang="ru", palette="colourblind")),
        (Selection(period=Period(2021, 2021)), MapOptions(border_overlay=False, theme="dark")),
    ],
)
def test_the_image_path_draws_the_spec_the_folium_map_carries(
    data: MapData, selection: Selection, options: MapOptions
) -> None:
    # flowmap export --out map.png builds the spec without a folium map (cli/image.py):
    # it is the very spec that the HTML page of the same view carries.
    assert (
        make_spec(data, selection, options).wire()
        == page_spec(make_map(data, selection, options)).wire()
    )
