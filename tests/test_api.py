"""The public API in folium's style: ``FlowLayer`` on any ``folium.Map``, ``flow_map(m=...)``,
the grouped options, the public exceptions, the doctests and the README's examples."""

from __future__ import annotations

import doctest
import importlib
import json
import pickle
import re
from pathlib import Path
from typing import Any, get_args

import folium
import pandas as pd
import pytest

import flowmap
from flowmap.core.errors import BoundaryFileError, FlowmapError
from flowmap.core.langs import LANGS
from flowmap.engine.flows import DIRECTIONS, MEASURES
from flowmap.render.element import map_spec
from flowmap.render.layer import PALETTES
from flowmap.render.options import BASEMAPS, Basemap, Direction, Lang, Measure, Palette
from flowmap.text.i18n import error_text, msg

ROOT = Path(__file__).resolve().parents[1]

PLACES = pd.DataFrame(
    {
        "id": ["A", "B", "C"],
        "name": ["{{ 7*7 }}", "Beta", "Gamma"],
        "lat": [42.87, 40.53, 55.76],
        "lon": [74.59, 72.80, 37.62],
    }
)
FLOWS = pd.DataFrame({"origin": ["A", "B", "A"], "dest": ["C", "C", "B"], "count": [900, 400, 70]})


def users_map() -> folium.Map:
    """A map as a user makes it: OpenStreetMap tiles and a marker."""
    m = folium.Map(location=[48.0, 60.0], zoom_start=4)
    folium.Marker([41.0, 73.0], tooltip="Our office").add_to(m)
    return m


def spec_in(html_text: str) -> dict[str, Any]:
    """Return the one flow spec a page carries (its JSON block, parsed)."""
    blocks = re.findall(
        r'<script type="application/json" id="fm-spec-[^"]+">(.*?)</script>', html_text, re.S
    )
    assert len(blocks) == 1
    spec: dict[str, Any] = json.loads(blocks[0])
    return spec


def test_flow_layer_on_a_users_map_keeps_their_marker_and_tiles_and_template_text_inert() -> None:
    m = users_map()
    layer = flowmap.FlowLayer(FLOWS, PLACES, wording=flowmap.Wording(title="Moves {{ 6*7 }}"))
    assert layer.add_to(m) is layer
    page = m.get_root().render()
    assert "L.marker(" in page
    assert "Our office" in page
    assert "tile.openstreetmap.org" in page  # the user's tiles
    spec = spec_in(page)
    assert spec["places"]["name"][spec["places"]["id"].index("A")] == "{{ 7*7 }}"
    assert spec["text"]["title"] == "Moves {{ 6*7 }}"
    assert "49" not in json.dumps(spec["places"]["name"])
    assert "42" not in spec["text"]["title"]
    assert spec["view"]["bounds"] is None  # the user's view stays
    assert all(not layer_.get("base") for layer_ in spec["layers"])  # no opaque outlines
    assert f"window.flowmap.app({m.get_name()}, JSON.parse(" in page


def test_flow_layer_inlines_its_assets_once_and_leaflet_in_place_of_the_cdn() -> None:
    m = users_map()
    assert "leaflet" in dict(folium.Map.default_js)  # folium links Leaflet from a CDN
    flowmap.FlowLayer(FLOWS, PLACES).add_to(m)
    flowmap.FlowLayer(FLOWS, PLACES, selection=flowmap.Selection(places=["A"])).add_to(m)
    page = m.get_root().render()
    assert dict(folium.Map.default_js)["leaflet"] not in page
    assert dict(folium.Map.default_css)["leaflet_css"] not in page
    assert (
        page.count("flowmap.FlowLayer = FlowLayer") == 1
    )  # assets/flowlayer.js, once for two layers
    assert page.count("flowmap.app = function") == 1
    assert page.count("window.flowmap.app(" + m.get_name()) == 2
    head = page.split("</head>")[0]
    # Leaflet's default marker finds its images by the style sheet's file name, which an
    # inlined sheet lacks: the images are given to it (a user's folium.Marker shows).
    assert 'L.Icon.Default.prototype.options.iconUrl="data:image/png;base64,' in head
    assert head.index("@preserve\n * Leaflet ") < head.index(
        "flowmap.FlowLayer = FlowLayer"
    )  # Leaflet first
    for name, file in [*flowmap.FlowLayer.default_js, *flowmap.FlowLayer.default_css]:
        assert name.startswith("flowmap")
        assert not file.startswith(("http", "//"))


def test_flow_layer_in_a_feature_group_draws_on_its_map() -> None:
    m = users_map()
    group = folium.FeatureGroup(name="mine").add_to(m)
    flowmap.FlowLayer(FLOWS, PLACES).add_to(group)
    assert f"window.flowmap.app({m.get_name()}, JSON.parse(" in m.get_root().render()


def test_flow_map_draws_on_an_existing_map_and_fits_only_when_asked() -> None:
    m = users_map()
    children = list(m._children)
    assert flowmap.flow_map(FLOWS, PLACES, m) is m
    assert list(m._children)[: len(children)] == children  # tiles and marker kept, in order
    assert isinstance(list(m._children.values())[-1], flowmap.FlowLayer)
    assert map_spec(m)["view"]["bounds"] is None
    fitted = flowmap.flow_map(FLOWS, PLACES, users_map(), fit_bounds=True)
    assert (
        map_spec(fitted)["view"]["bounds"]
        == map_spec(flowmap.flow_map(FLOWS, PLACES))["view"]["bounds"]
    )
    own = flowmap.flow_map(FLOWS, PLACES)  # a new map: offline outlines, fitted
    assert own is not m
    assert map_spec(own)["layers"][0]["base"] is True


def test_old_keywords_give_the_same_map_as_the_grouped_options() -> None:
    old = flowmap.flow_map(
        FLOWS,
        PLACES,
        select_places=["A"],
        direction="out",
        top=1,
        palette="colourblind",
        title="T",
        lang="ru",
        notes=["n"],
    )
    new = flowmap.flow_map(
        FLOWS,
        PLACES,
        selection=flowmap.Selection(places=["A"], direction="out", top=1),
        style=flowmap.Style(palette="colourblind"),
        wording=flowmap.Wording(title="T", lang="ru", notes=["n"]),
    )
    assert map_spec(old) == map_spec(new)
    assert map_spec(new)["flows"]["c"] == [900]
    with pytest.raises(TypeError, match="'colour'"):
        flowmap.flow_map(FLOWS, PLACES, colour="red")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: flowmap.Selection(direction="all"), "direction"),  # type: ignore[arg-type]
        (lambda: flowmap.Selection(measure="people"), "measure"),  # type: ignore[arg-type]
        (lambda: flowmap.Style(palette="sepia"), "palette"),  # type: ignore[arg-type]
        (lambda: flowmap.Style(basemap="satellite"), "basemap"),  # type: ignore[arg-type]
        (lambda: flowmap.Wording(lang="de"), "lang"),  # type: ignore[arg-type]
    ],
)
def test_options_check_their_choices_when_made(make: Any, name: str) -> None:
    with pytest.raises(FlowmapError, match=f"{name} must be one of"):
        make()


def test_an_unknown_place_is_named_in_each_language() -> None:
    with pytest.raises(FlowmapError) as info:
        flowmap.FlowLayer(FLOWS, PLACES, selection=flowmap.Selection(places=["A", "XX"]))
    assert str(info.value) == "places: unknown place id(s) 'XX'"
    assert "'XX'" in error_text(info.value, "ky")
    assert error_text(info.value, "ru") == "среди выбранных мест неизвестные коды мест: 'XX'"


def test_user_data_refuses_option_objects_it_would_misread(tmp_path: Path) -> None:
    PLACES.to_csv(tmp_path / "p.csv", index=False)
    FLOWS.to_csv(tmp_path / "f.csv", index=False)
    data = flowmap.load_user_data(tmp_path / "f.csv", tmp_path / "p.csv")
    with pytest.raises(TypeError, match="not selection="):
        data.flow_map(selection=flowmap.Selection(period=2015))


def test_the_choice_types_name_the_same_values_as_the_engine() -> None:
    assert get_args(Direction) == DIRECTIONS
    assert get_args(Measure) == MEASURES
    assert get_args(Palette) == tuple(PALETTES)
    assert get_args(Lang) == LANGS
    assert get_args(Basemap) == BASEMAPS


def test_public_exceptions_are_importable_from_flowmap_and_errors() -> None:
    from flowmap.io import _geobase, geoio

    assert flowmap.BoundaryFileError is BoundaryFileError is _geobase.BoundaryFileError
    assert geoio.BoundaryFileError is BoundaryFileError
    assert flowmap.BuildError.__module__ == "flowmap.core.errors"
    for name in ("FlowmapError", "DataValidationError", "BuildError", "BoundaryFileError"):
        assert issubclass(getattr(flowmap, name), flowmap.FlowmapError)


def test_a_boundary_error_is_said_in_each_language_also_after_a_worker_process() -> None:
    from flowmap.io._geobase import named_error

    error = named_error(msg("geo.folder"), "regions.json")
    assert isinstance(error, BoundaryFileError)
    plain = BoundaryFileError(msg("geo.folder"), "regions.json")  # the same text in English
    assert (
        str(error)
        == str(plain)
        == str(msg("geo.named", name="regions.json", detail=msg("geo.folder")))
    )
    back = pickle.loads(pickle.dumps(error))
    assert (back.detail, back.name) == ("" + error.detail, "regions.json")
    for lang in LANGS:
        assert error_text(back, lang) == error_text(error, lang)
    assert error_text(back, "ru") != error_text(back, "en")


PUBLIC = [
    "flowmap",
    "flowmap.core.errors",
    "flowmap.render.options",
    "flowmap.render.flowlayer",
    "flowmap.render.maps",
    "flowmap.engine.flows",
    "flowmap.io.tables",
]


@pytest.mark.parametrize("name", PUBLIC)
def test_doctests_of_the_public_api(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # any file a doctest writes lands here
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    if name in PUBLIC[:5]:
        assert result.attempted > 0
    assert list(tmp_path.iterdir()) == []


def readme_blocks() -> list[str]:
    """Return the README's ``python`` code blocks, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)


def test_readme_has_the_examples() -> None:
    blocks = readme_blocks()
    assert any("flowmap.flow_map(" in b for b in blocks)
    mine = [b for b in blocks if "folium.Marker(" in b and "FlowLayer(" in b]
    assert len(mine) == 1
    assert "folium.Map(" in mine[0]


@pytest.mark.parametrize("index", range(len(readme_blocks())))
def test_readme_python_examples_run_as_written(
    index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    # The files the examples name as the reader's own (flows.csv, locations.csv).
    PLACES.assign(name=["Bishkek", "Osh", "Moscow"]).to_csv("locations.csv", index=False)
    FLOWS.assign(year=2015).to_csv("flows.csv", index=False)
    before = set(tmp_path.iterdir())
    exec(compile(readme_blocks()[index], f"README.md python block {index + 1}", "exec"), {})
    for made in set(tmp_path.iterdir()) - before:
        if made.suffix == ".html":
            page = made.read_text(encoding="utf-8")
            assert "window.flowmap.app(" in page
            assert "cdn.jsdelivr.net/npm/leaflet@" not in page
