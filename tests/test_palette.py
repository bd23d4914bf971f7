"""The colour-blind-safe palette: its colours, and that map, legend, border overlay, images,
command line and app charts all follow the chosen palette."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

import flowmap
from flowmap.app.charts import series_colours
from flowmap.batken.data import load_places
from flowmap.batken.dataset import MapData
from flowmap.batken.export import make_map
from flowmap.batken.layers import BORDER_DASHES, BORDER_PALETTES, border_layer, overlay_legend
from flowmap.batken.preset import MapOptions
from flowmap.batken.query import Selection
from flowmap.cli.commands import main
from flowmap.core.errors import FlowmapError
from flowmap.render._image_parts.boxes import _shape_swatch
from flowmap.render.element import map_spec
from flowmap.render.layer import COLOURS, PALETTES, Palette, kind_colours
from flowmap.text.i18n import t
from flowmap.text.period import Period
from tests.conftest import map_spec as page_spec

PLACES = pd.DataFrame(
    {
        "id": ["A", "B", "C"],
        "name": ["Alpha", "Beta", "Gamma"],
        "lat": [42.9, 40.5, 55.7],
        "lon": [74.6, 72.8, 37.6],
    }
)
FLOWS = pd.DataFrame({"origin": ["A", "B", "A"], "dest": ["B", "A", "C"], "count": [120, 40, 300]})
LAND, SEA = "#f4f1ea", "#dde8ef"
"""The offline basemap's land and the page's sea (``.leaflet-container``)."""

# Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB.
DICHROMACIES = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


def linear(colour: str) -> np.ndarray:
    """Linear-light RGB of ``#rrggbb``."""
    c = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of linear RGB."""
    to_xyz = np.array(
        [
            [0.4124564, 0.3575761, 0.1804375],
            [0.2126729, 0.7151522, 0.0721750],
            [0.0193339, 0.1191920, 0.9503041],
        ]
    )
    xyz = to_xyz @ np.clip(rgb, 0, 1)
    r = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(r > (6 / 29) ** 3, np.cbrt(r), r / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours."""
    la, lb = (float(np.dot([0.2126, 0.7152, 0.0722], linear(c))) for c in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def closest_pair(colours: dict[str, str], vision: str) -> float:
    """The smallest CIELAB ΔE (1976) between two of ``colours`` as ``vision`` sees them."""
    m = np.array(DICHROMACIES[vision])
    seen = {k: lab(m @ linear(c)) for k, c in colours.items()}
    return min(float(np.linalg.norm(seen[a] - seen[b])) for a, b in itertools.combinations(seen, 2))


def batken_spec(palette: Palette, **options: Any) -> dict[str, Any]:
    data = MapData.load()
    selection = Selection(period=Period(2014, 2023), direction=options.pop("direction", "out"))
    return map_spec(make_map(data, selection, MapOptions(palette=palette, **options)))


# --- the palettes -----------------------------------------------------------------------


def test_palettes_cover_every_kind_and_default_is_unchanged() -> None:
    assert set(PALETTES) == {"default", "colourblind"}
    for colours in PALETTES.values():
        assert set(colours) == {"out", "in", "between", "net"}
        assert len(set(colours.values())) == 4
    assert COLOURS is PALETTES["default"]
    assert COLOURS == {"out": "#b2182b", "in": "#2166ac", "between": "#8c510a", "net": "#6a3d9a"}
    assert kind_colours("colourblind") == PALETTES["colourblind"]


@pytest.mark.parametrize("colour", sorted(PALETTES["colourblind"].values()))
def test_colourblind_colours_stand_out_on_the_basemap(colour: str) -> None:
    """Every flow colour has a 3:1 contrast (WCAG non-text) on land and on the sea."""
    assert contrast(colour, LAND) >= 3
    assert contrast(colour, SEA) >= 3


@pytest.mark.parametrize("vision", sorted(DICHROMACIES))
def test_colourblind_colours_stay_apart_for_each_dichromacy(vision: str) -> None:
    colours = PALETTES["colourblind"]
    assert closest_pair(colours, vision) > 10
    together = {k: colours[k] for k in ("out", "in", "net")}  # on one chart
    assert closest_pair(together, vision) > 18
    # The Batken map: departures, arrivals and the two borders.
    batken = {"out": colours["out"], "in": colours["in"], **BORDER_PALETTES["colourblind"]}
    assert closest_pair(batken, vision) > 15


def test_default_palette_is_the_one_that_fails_deuteranopia() -> None:
    """Why the option exists: the default arrivals blue and net purple nearly merge."""
    assert closest_pair(PALETTES["default"], "deuteranopia") < 10


def test_series_colours_keep_the_map_meaning() -> None:
    for palette, colours in PALETTES.items():
        assert series_colours(["arrivals", "departures", "net"], palette) == [
            colours["in"],
            colours["out"],
            colours["net"],
        ]
    sexes = series_colours(["arrivals_female", "arrivals_male", "departures_male"], "colourblind")
    assert sexes[1:] == [PALETTES["colourblind"]["in"], PALETTES["colourblind"]["out"]]
    assert sexes[0] not in PALETTES["colourblind"].values()  # women: a lighter shade
    assert contrast(sexes[0], "#ffffff") < contrast(sexes[1], "#ffffff")
    with pytest.raises(FlowmapError, match="palette must be one of default, colourblind"):
        series_colours(["net"], "sepia")
    with pytest.raises(FlowmapError, match="no colour for the chart series 'people'"):
        series_colours(["people"])


# --- the general engine -----------------------------------------------------------------


@pytest.mark.parametrize("palette", sorted(PALETTES))
def test_general_engine_kind_colours_follow_the_palette(palette: str) -> None:
    both = map_spec(flowmap.flow_map(FLOWS, PLACES, select_places=["A"], palette=palette))
    kinds = {k["legend"]: k["colour"] for k in both["style"]["kinds"]}
    assert kinds == {
        t("general.kind.out"): PALETTES[palette]["out"],
        t("general.kind.in"): PALETTES[palette]["in"],
    }
    net = map_spec(flowmap.flow_map(FLOWS, PLACES, direction="net", palette=palette))
    assert [k["colour"] for k in net["style"]["kinds"]] == [PALETTES[palette]["net"]]
    between = map_spec(flowmap.flow_map(FLOWS, PLACES, palette=palette))
    assert [k["colour"] for k in between["style"]["kinds"]] == [PALETTES[palette]["between"]]


def test_general_engine_defaults_to_the_default_palette() -> None:
    spec = map_spec(flowmap.flow_map(FLOWS, PLACES, select_places=["A"]))
    assert [k["colour"] for k in spec["style"]["kinds"]] == [COLOURS["out"], COLOURS["in"]]


@pytest.mark.parametrize("value", ["rainbow", "", "Default", None, 3, "{{ 7*7 }}"])
def test_a_bad_palette_is_a_clear_error(value: Any) -> None:
    """Wherever a user gives a palette, the options object made there refuses a bad one
    (the functions below it, such as ``draw_map`` and ``build_spec``, trust it)."""
    message = "palette must be one of default, colourblind, got "
    entries: dict[str, Callable[[], object]] = {
        "flow_map(palette=)": lambda: flowmap.flow_map(FLOWS, PLACES, palette=value),
        "flow_map(style=)": lambda: flowmap.flow_map(
            FLOWS, PLACES, style=flowmap.Style(palette=value)
        ),
        "FlowLayer(style=)": lambda: flowmap.FlowLayer(
            FLOWS, PLACES, style=flowmap.Style(palette=value)
        ),
        "the Batken map": lambda: make_map(MapData.load(), Selection(), MapOptions(palette=value)),
        "the app's charts": lambda: series_colours(["out"], value),
    }
    for call in entries.values():
        with pytest.raises(FlowmapError, match=message):
            call()


# --- the Batken preset ------------------------------------------------------------------


@pytest.mark.parametrize("palette", sorted(PALETTES))
def test_batken_map_follows_the_palette(palette: Palette) -> None:
    spec = batken_spec(palette, direction="both")
    kinds = spec["style"]["kinds"]
    assert [k["colour"] for k in kinds] == [PALETTES[palette]["out"], PALETTES[palette]["in"]]
    words = "red:" if palette == "default" else "orange:"
    assert kinds[0]["legend"].startswith(words)
    assert kinds[1]["legend"].startswith("blue:")
    # The border overlay: each border its palette's colour and its own dash pattern.
    border = next(layer for layer in spec["layers"] if layer["name"] == t("layer.border"))
    lines = {}
    for feature in border["features"]["features"]:
        style = feature["properties"].get("_style", {})
        tip = " ".join(feature["properties"].get("_tip", []))
        if "radius" not in style and style:
            country = "UZ" if "Uzbekistan" in tip else "TJ"
            assert style["color"] == BORDER_PALETTES[palette][country], tip
            assert style.get("dashArray", "") == BORDER_DASHES[country], tip
            lines[country] = style
    assert set(lines) == {"UZ", "TJ"}
    assert BORDER_DASHES["UZ"] != BORDER_DASHES["TJ"]
    # The legend's swatches match the lines they explain.
    extra = {e["label"]: e for e in spec["text"]["legend"]["extra"]}
    uz, tj = extra[t("legend.border.uz")], extra[t("legend.border.tj")]
    assert (uz["colour"], uz.get("dash", "")) == (BORDER_PALETTES[palette]["UZ"], "10 6")
    assert (tj["colour"], tj.get("dash", "")) == (BORDER_PALETTES[palette]["TJ"], "")
    assert extra[t("legend.enclave")]["dash"] == BORDER_DASHES["UZ"]


def test_overlay_defaults_keep_todays_colours() -> None:
    places = load_places()
    features = border_layer(places, "en")["features"]["features"]
    colours = {f["properties"]["_style"]["color"] for f in features if "_style" in f["properties"]}
    assert {"#7b3294", "#1b7837"} <= colours
    legend = overlay_legend("en", border=True, districts=False)
    assert [e["colour"] for e in legend[:2]] == ["#1b7837", "#7b3294"]


def test_image_legend_swatch_draws_the_dash() -> None:
    """The overlay legend's swatch in an image: "10 6" CSS px is 7.5 and 4.5 pt, scaled with
    the legend (ui 2: a legend twice the page's size)."""
    colour = (0.5, 0.1, 0.4, 1.0)
    dashed = _shape_swatch("line", colour, 2.0, "10 6").get_children()[0]
    solid = _shape_swatch("line", colour, 2.0).get_children()[0]
    area = _shape_swatch("area", colour, 2.0, "10 6").get_children()[0]
    assert isinstance(dashed, Line2D)
    assert isinstance(solid, Line2D)
    assert isinstance(area, Rectangle)
    assert dashed.get_linestyle() == "--"
    assert solid.get_linestyle() == "-"
    assert area.get_linestyle() == (0, (15.0, 9.0))


# --- command line -----------------------------------------------------------------------


def export(*argv: str) -> int:
    return main(["export", "--period", "2014-2023", *argv], io.StringIO())


def near(pixels: np.ndarray, colour: str, within: float = 30) -> int:
    """How many pixels are within ``within`` (0-255 RGB distance) of ``colour``."""
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return int((np.linalg.norm(pixels[..., :3] - rgb, axis=-1) < within / 255).sum())


@pytest.mark.parametrize("palette", sorted(PALETTES))
def test_cli_palette_for_html(tmp_path: Path, palette: str) -> None:
    out = tmp_path / "map.html"
    assert export("--direction", "all", "--palette", palette, "--out", str(out)) == 0
    spec = page_spec(out.read_text(encoding="utf-8"))
    colours = [k["colour"] for k in spec["style"]["kinds"]]
    assert colours == [PALETTES[palette]["out"], PALETTES[palette]["in"]]


def test_cli_palette_for_png(tmp_path: Path) -> None:
    """The image draws departures in the palette's colour, and no default red is left."""
    images = {}
    for palette in ("default", "colourblind"):
        out = tmp_path / f"{palette}.png"
        assert export("--palette", palette, "--size", "1280x720", "--out", str(out)) == 0
        images[palette] = mpimg.imread(out)
    red, vermillion = PALETTES["default"]["out"], PALETTES["colourblind"]["out"]
    assert near(images["colourblind"], vermillion) > 500
    assert near(images["colourblind"], red) == 0
    assert near(images["default"], red) > 500
    assert near(images["default"], vermillion) == 0
    # The borders follow the palette too.
    assert near(images["colourblind"], BORDER_PALETTES["colourblind"]["TJ"]) > 500
    assert near(images["colourblind"], BORDER_PALETTES["default"]["TJ"]) == 0


def test_cli_rejects_an_unknown_palette(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        export("--palette", "rainbow", "--out", "map.html")
    assert exit_info.value.code == 2
    assert "--palette: invalid choice: 'rainbow'" in capsys.readouterr().err
