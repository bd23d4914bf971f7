"""Looks (issue 19, items 2 and 5): busy maps coloured by count on a perceptual ramp, a
light and a dark theme, and maps of the change between two periods."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import flowmap
from flowmap import Selection, Style
from flowmap.batken.options import MapOptions
from flowmap.cli.commands import main
from flowmap.core.errors import FlowmapError
from flowmap.engine.flows.compare import change, check_pair
from flowmap.render.element import map_spec
from flowmap.render.layer import PALETTES
from flowmap.render.theme import (
    CHANGE_COLOURS,
    SHADES,
    THEMES,
    contrast,
    count_ramp,
    dark_layer,
    for_dark,
    oklab,
    ramp,
    ramp_index,
)
from tests.conftest import map_spec as page_spec
from tests.test_app import map_srcdoc, run_app


def _busy(n_places: int = 40, n_flows: int = 300, seed: int = 5) -> tuple[pd.DataFrame, ...]:
    rng = np.random.default_rng(seed)
    ids = [f"P{i}" for i in range(n_places)]
    places = pd.DataFrame(
        {"id": ids, "lat": rng.uniform(40, 55, n_places), "lon": rng.uniform(0, 30, n_places)}
    )
    pairs = [(o, d) for o in ids for d in ids if o != d]
    pick = rng.choice(len(pairs), n_flows, replace=False)
    flows = pd.DataFrame(
        {
            "origin": [pairs[k][0] for k in pick],
            "dest": [pairs[k][1] for k in pick],
            "count": (rng.pareto(1.2, n_flows) * 40 + 1).astype(int),
        }
    )
    return flows, places


# --- the ramp -------------------------------------------------------------------------


@pytest.mark.parametrize("theme", THEMES)
def test_the_count_ramp_steps_lightness_evenly_one_way(theme: str) -> None:
    colours = count_ramp(theme)
    lightness = [oklab(c)[0] for c in colours]
    steps = np.diff(lightness)
    # Monotone: darker with count on the light look, brighter on the dark one.
    assert (steps < 0).all() if theme == "light" else (steps > 0).all()
    # Even: every step the same size in perceived lightness (to rounding to 8-bit sRGB).
    assert np.ptp(np.abs(steps)) < 0.01
    # Wide enough to read: more than a third of the lightness scale end to end.
    assert abs(lightness[-1] - lightness[0]) > 0.4
    # The largest flows stand out from the theme's land and sea.
    shades = SHADES[theme]
    assert contrast(colours[-1], shades["land"]) >= 3
    assert contrast(colours[-1], shades["sea"]) >= 3


def test_ramp_goes_through_its_stops_and_indexes_by_the_width_share() -> None:
    assert ramp(["#000000", "#ffffff"], 2) == ("#000000", "#ffffff")
    assert ramp(["#ff0000", "#ffffff"], 5)[0] == "#ff0000"
    assert [ramp_index(s, 8) for s in (0.0, 0.124, 0.125, 0.99, 1.0)] == [0, 0, 1, 7, 7]


def test_a_busy_map_between_places_is_coloured_by_count_others_keep_their_colours() -> None:
    flows, places = _busy()
    spec = map_spec(flowmap.flow_map(flows, places))
    assert spec["style"]["ramp"] == list(count_ramp("light"))
    # The legend names the ramp, and the kind's swatch (and edge labels) take its darkest.
    assert spec["text"]["legend"]["ramp"].startswith("colour by number of people")
    assert spec["style"]["kinds"][0]["colour"] == count_ramp("light")[-1]
    # A few flows: no fading, so no ramp; the kind keeps the palette's colour.
    few = map_spec(flowmap.flow_map(flows.head(20), places))
    assert few["style"]["ramp"] == []
    assert few["style"]["kinds"][0]["colour"] == PALETTES["default"]["between"]
    # Departures and arrivals of a chosen place keep their meaning: red and blue, no ramp.
    chosen = map_spec(flowmap.flow_map(flows, places, selection=Selection(places=["P1"])))
    assert chosen["style"]["ramp"] == []
    assert {k["colour"] for k in chosen["style"]["kinds"]} <= set(PALETTES["default"].values())


# --- the themes -----------------------------------------------------------------------


def test_theme_is_checked_with_a_clear_error() -> None:
    with pytest.raises(FlowmapError, match="theme must be one of light, dark, got 'night'"):
        Style(theme="night")  # type: ignore[arg-type]
    with pytest.raises(FlowmapError, match="theme must be one of light, dark"):
        flowmap.flow_map(*_busy(n_flows=10), theme="sepia")
    with pytest.raises(FlowmapError, match="theme"):
        MapOptions(theme="black")  # type: ignore[arg-type]


def test_the_dark_look_restyles_the_basemap_and_lightens_the_kinds() -> None:
    flows, places = _busy(n_flows=20)
    light = map_spec(flowmap.flow_map(flows, places, selection=Selection(places=["P1"])))
    dark = map_spec(
        flowmap.flow_map(flows, places, selection=Selection(places=["P1"]), theme="dark")
    )
    assert (light["style"]["theme"], dark["style"]["theme"]) == ("light", "dark")
    land = dark["layers"][0]["features"]["features"][0]["properties"]["_style"]
    assert (land["fillColor"], land["color"]) == (SHADES["dark"]["land"], SHADES["dark"]["outline"])
    for k in dark["style"]["kinds"]:  # same hue, lighter: readable on the dark sea
        assert contrast(k["colour"], SHADES["dark"]["sea"]) >= 4.5
        assert k["colour"] == for_dark(PALETTES["default"][k["kind"]])


def test_dark_text_colours_keep_a_readable_contrast() -> None:
    shades = SHADES["dark"]
    css = (Path(flowmap.__file__).parent / "assets" / "flowmap.css").read_text()
    dark_rules = css[css.index("fm-dark") :]
    texts = {c.lower() for c in re.findall(r"(?<![-\w])color:(#[0-9a-fA-F]{6})", dark_rules)}
    assert len(texts) >= 8
    for colour in texts | {shades["ink"]}:
        for ground in (shades["box"], shades["sea"]):
            assert contrast(colour, ground) >= 4.5, (colour, ground)


def test_dark_layer_darkens_fills_and_lightens_strokes() -> None:
    layer: dict[str, Any] = {
        "name": "areas",
        "style": {"color": "#222222", "fillColor": "#ffe9a8", "fillOpacity": 0.5},
        "features": {"type": "FeatureCollection", "features": []},
    }
    out = dark_layer(layer)
    assert layer["style"]["color"] == "#222222"  # the caller's layer is not changed
    assert oklab(out["style"]["fillColor"])[0] < 0.4
    assert oklab(out["style"]["color"])[0] >= 0.67


def test_a_dark_image_has_a_dark_sea_and_light_title(tmp_path: Path) -> None:
    from matplotlib.image import imread

    from flowmap.render.image import render_image

    flows, places = _busy(n_flows=80)
    spec = map_spec(flowmap.flow_map(flows, places, theme="dark", title="Dark"))
    path = render_image(spec, tmp_path / "dark.png", format="png", size="1280x720")
    pixels = imread(str(path))[..., :3]
    median = np.median(pixels.reshape(-1, 3), axis=0)
    assert median.max() < 0.2  # mostly near-black sea and dark land
    corner = pixels[20:60, 20:200]  # the title box: dark face, light title text
    assert np.median(corner) < 0.25
    assert corner.max() > 0.85


# --- change between two periods -------------------------------------------------------


def _two_years() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "origin": ["a", "a", "a", "b", "c", "c", "a", "a"],
            "dest": ["b", "b", "c", "c", "a", "a", "d", "d"],
            "count": [10, 25, 7, 4, 30, 12, 5, 5],
            "time": ["2017", "2023", "2017", "2023", "2017", "2023", "2017", "2023"],
        }
    )


def test_change_is_the_second_minus_the_first_and_missing_pairs_are_never_zero() -> None:
    flows, said = change(_two_years(), 2017, 2023)
    rows = {(r.origin, r.dest): r for r in flows.itertuples()}
    assert (rows["a", "b"].change, rows["a", "b"].count, rows["a", "b"].kind) == (15, 15, "gain")
    assert (rows["c", "a"].change, rows["c", "a"].count, rows["c", "a"].kind) == (-18, 18, "loss")
    # In one period only: kept, grey kind, its one figure, and no change computed.
    only = rows["a", "c"]
    assert only.kind == "once"
    assert only.before == 7
    assert math.isnan(only.after)
    assert math.isnan(only.change)
    assert only.count == 7
    assert rows["b", "c"].kind == "once"
    assert math.isnan(rows["b", "c"].before)
    # The same in both: not drawn, but counted.
    assert ("a", "d") not in rows
    assert (said.gains, said.losses, said.same, said.once) == (1, 1, 1, 2)


def test_compare_refuses_unknown_periods_net_and_bad_pairs() -> None:
    with pytest.raises(FlowmapError, match=r"no period '2016'; its periods: 2017, 2023"):
        change(_two_years(), 2016, 2023)
    with pytest.raises(FlowmapError, match="net flows cannot be compared"):
        change(_two_years(), 2017, 2023, direction="net")
    with pytest.raises(FlowmapError, match="two different periods"):
        check_pair(("2017", "2017"))
    with pytest.raises(FlowmapError, match="two different periods"):
        Selection(compare=("2017",))  # type: ignore[arg-type]
    with pytest.raises(FlowmapError, match="give no period of its own"):
        Selection(compare=(2017, 2023), period=2023)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_map_of_change_says_so_and_carries_both_figures(lang: str) -> None:
    places = pd.DataFrame({"id": list("abcd"), "lat": [40, 41, 42, 43], "lon": [70, 71, 72, 73]})
    fmap = flowmap.flow_map(
        _two_years(), places, selection=Selection(compare=(2017, 2023)), lang=lang
    )
    spec = map_spec(fmap)
    text = spec["text"]
    assert (
        text["subtitle"]
        == {"en": "Change from 2017 to 2023", "ru": "Изменение: 2023 по сравнению с 2017"}[lang]
    )
    assert any("1" in a and ("Gains" in a or "Рост" in a) for a in text["alerts"])
    assert any("derived" in a or "рассчитано" in a for a in text["alerts"])
    kinds = {k["kind"]: k for k in spec["style"]["kinds"]}
    assert set(kinds) == {"gain", "loss", "once"}
    assert kinds["gain"]["colour"] == CHANGE_COLOURS["gain"]
    assert spec["style"]["ramp"] == []
    change_ = spec["change"]
    assert (change_["from"], change_["to"]) == ("2017", "2023")
    by_pair = {
        (spec["places"]["id"][o], spec["places"]["id"][d]): (b, a)
        for o, d, b, a in zip(
            spec["flows"]["o"], spec["flows"]["d"], change_["before"], change_["after"], strict=True
        )
    }
    assert by_pair["a", "b"] == (10, 25)
    assert by_pair["b", "c"] == (None, 4)  # no row in 2017: null, not 0


# --- the command line -------------------------------------------------------------------


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


def test_cli_theme_and_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flows, places = tmp_path / "flows.csv", tmp_path / "places.csv"
    _two_years().rename(columns={"time": "year"}).to_csv(flows, index=False)
    pd.DataFrame({"id": list("abcd"), "lat": [40, 41, 42, 43], "lon": [70, 71, 72, 73]}).to_csv(
        places, index=False
    )
    out = tmp_path / "map.html"
    common = ("export", "--flows", str(flows), "--places", str(places), "--out", str(out))
    code, _ = _run(*common, "--theme", "dark", "--compare", "2017", "2023")
    assert code == 0
    spec = page_spec(out.read_text(encoding="utf-8"))
    assert spec["style"]["theme"] == "dark"
    assert spec["change"]["to"] == "2023"
    code, _ = _run(*common, "--compare", "2016", "2023")
    assert code != 0
    assert "2017, 2023" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        _run(*common, "--theme", "sepia")


def test_the_app_takes_the_dark_look_from_its_control_and_its_link() -> None:
    at = run_app(theme="dark")
    assert at.radio(key="theme").value == "dark"
    assert page_spec(map_srcdoc(at))["style"]["theme"] == "dark"
    at.radio(key="theme").set_value("light").run()
    assert "theme" not in at.query_params
    assert page_spec(map_srcdoc(at))["style"]["theme"] == "light"


def test_batken_change_is_derived_or_modelled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "change.html"
    code, _ = _run(
        "export", "--compare", "2017", "2023", "--basis", "reported", "--static", "--out", str(out)
    )
    assert code == 0
    spec = page_spec(out.read_text(encoding="utf-8"))
    ids, flows = spec["places"]["id"], spec["flows"]
    basis = next(a for a in spec["attributes"] if a["key"] == "basis")
    drawn = {
        ids[d]: (spec["style"]["kinds"][k]["kind"], basis["labels"][b])
        for d, k, b in zip(flows["d"], flows["k"], flows["a"]["basis"], strict=True)
    }
    # Reported in both years: the change is arithmetic on them, so derived (and pale).
    assert drawn["KG-OTHER"] == ("loss", "derived: arithmetic on reported figures")
    # Reported in 2023 only: drawn as a figure of one period, no change, its own basis.
    assert drawn["ABROAD"][0] == "once"
    assert spec["change"]["before"][flows["d"].index(ids.index("ABROAD"))] is None
    # The yearly departures' parts are modelled: compared too, and drawn as modelled
    # (tests/test_batken_change.py checks each flow).
    code, _ = _run("export", "--compare", "2017", "2023", "--static", "--out", str(out))
    assert code == 0
    spec = page_spec(out.read_text(encoding="utf-8"))
    basis = next(a for a in spec["attributes"] if a["key"] == "basis")
    assert {basis["labels"][b] for b in spec["flows"]["a"]["basis"]} == {"modelled estimate"}
    code, _ = _run("export", "--compare", "2017", "2023", "--direction", "net", "--out", str(out))
    assert code != 0
    assert "net flows cannot be compared" in capsys.readouterr().err


def test_a_pair_in_one_period_never_sets_the_scale_nor_crowds_out_changes() -> None:
    flows = pd.DataFrame(
        {
            "origin": ["a", "a", "b", "c", "c"],
            "dest": ["b", "b", "c", "a", "a"],
            "count": [10, 20, 1000, 50, 45],
            "time": ["2017", "2023", "2023", "2017", "2023"],
        }
    )
    places = pd.DataFrame({"id": list("abc"), "lat": [40, 41, 42], "lon": [70, 71, 72]})
    spec = map_spec(flowmap.flow_map(flows, places, compare=(2017, 2023), top=1))
    # The width scale goes by the largest change (10), not by the one-period figure 1,000.
    assert spec["scale"]["maxCount"] == 10
    # The limit keeps the largest change; the one-period pair comes last.
    assert spec["flows"]["c"] == [10]
    assert spec["change"]["before"] == [10]
    assert any("1 of 3" in a for a in spec["text"]["alerts"])


def test_every_dark_text_of_the_light_look_has_a_dark_rule() -> None:
    """A text coloured for the light look that would be unreadable on the dark boxes (the
    legend's notes were #444 on near-black) is coloured again under ``.fm-dark``."""
    css = (Path(flowmap.__file__).parent / "assets" / "flowmap.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", css)
    dark_selectors = " ".join(sel for sel, _ in rules if "fm-dark" in sel)
    box = SHADES["dark"]["box"]
    unreadable = []
    for selector, body in rules:
        if "fm-dark" in selector or "@" in selector:
            continue
        for found in re.findall(r"(?<![-\w])color:#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", body):
            colour = "#" + (found if len(found) == 6 else "".join(c * 2 for c in found))
            if contrast(colour, box) >= 4.5:
                continue
            for one in selector.split(","):
                classes = re.findall(r"\.(fm-[\w-]+)", one)
                if classes and classes[-1] not in dark_selectors:
                    unreadable.append((one.strip(), colour))
    assert unreadable == []
