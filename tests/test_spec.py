"""The typed, versioned page spec: built once, carried by the map, read by the page, the
images and the player, never read back from the page's elements."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import folium
import pandas as pd
import pytest

import flowmap
from flowmap.batken.dataset import MapData
from flowmap.batken.export import make_map
from flowmap.batken.player import add_player, opening_selection
from flowmap.batken.query import Selection
from flowmap.core.errors import FlowmapError
from flowmap.render.element import add_flow_layer, map_spec, page_spec
from flowmap.render.image import render_image
from flowmap.render.layer import LayerText, LineStyles, build_spec
from flowmap.render.spec import SPEC_VERSION, FlowSpec, Scale, visible
from flowmap.text.period import Period
from tests.conftest import map_spec as html_spec

PLACES = pd.DataFrame(
    {"id": ["A", "B", "C"], "name": ["Alpha", "Beta", "Gamma"], "lat": [42.9, 40.5, 41.0]}
).assign(lon=[74.6, 72.8, 70.0])
FLOWS = pd.DataFrame(
    {"origin": ["A", "B", "A"], "dest": ["B", "C", "C"], "count": [120, 40, 7], "basis": "x"}
)


def test_the_map_carries_its_typed_spec_and_the_page_its_json() -> None:
    m = flowmap.flow_map(FLOWS, PLACES, select_places=["B"])
    spec = page_spec(m)
    assert isinstance(spec, FlowSpec)
    assert spec.version == SPEC_VERSION
    assert spec.places.ids == ("A", "B", "C")
    assert spec.flows.count == (120, 40)
    assert [k.kind for k in spec.style.kinds] == ["out", "in"]
    # The page's JSON is the spec's one wire form, with the version the scripts can check.
    page = html_spec(flowmap.map_html(m))
    assert page == json.loads(json.dumps(spec.wire()))
    assert page["version"] == SPEC_VERSION
    assert page["flows"]["o"] == [0, 1]
    assert page["flows"]["d"] == [1, 2]
    assert page["flows"]["k"] == [1, 0]
    assert map_spec(m) == spec.wire()
    assert map_spec(m) is not map_spec(m)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.version = 2  # type: ignore[misc]


def test_a_map_without_a_flow_layer_and_a_second_layer() -> None:
    plain = folium.Map()
    with pytest.raises(FlowmapError, match="no flow layer"):
        map_spec(plain)
    m = flowmap.flow_map(FLOWS, PLACES)
    with pytest.raises(ValueError, match="flow layer already"):
        add_flow_layer(m, page_spec(m))


def test_every_text_of_the_typed_spec_is_made_visible() -> None:
    """The guard walks the nested parts (kinds, attributes, line styles), not only text."""
    styles = LineStyles("basis", dashed=("x",), legend={"x": "dashed\x1b"})
    spec = build_spec(
        flowmap.select(flowmap.as_flows(FLOWS), places=["A"]),
        PLACES.set_index("id", drop=False),
        text=LayerText(title="t\x07", kinds={"out": "out\u202e"}),
        scale=Scale(120, 28.0, 1.5),
        legend_counts=[10, 100],
        chosen=["A"],
        styles=styles,
    )
    assert spec.text.title == "t[U+0007]"
    assert spec.style.kinds[0].legend == "out[U+202E]"
    assert spec.style.legend[0].label == "dashed[U+001B]"
    assert spec.text.notes[-1].startswith("Some names")  # the map says so, once
    again, changed = visible(spec)
    assert again is spec
    assert not changed


def test_images_refuse_a_spec_of_another_version(tmp_path: Path) -> None:
    wire = map_spec(flowmap.flow_map(FLOWS, PLACES))
    with pytest.raises(FlowmapError, match="version 99"):
        render_image({**wire, "version": 99}, tmp_path / "map.svg")
    typed = render_image(page_spec(flowmap.flow_map(FLOWS, PLACES)), tmp_path / "a.svg")
    assert typed.read_bytes() == render_image(wire, tmp_path / "b.svg").read_bytes()


def test_the_player_makes_a_new_page_and_leaves_the_map_as_it_was() -> None:
    data = MapData.load()
    selection = Selection(period=Period(2014, 2023))
    static = make_map(data, opening_selection(data, selection))
    before = page_spec(static)
    playable = add_player(static, data, selection)
    assert playable is not static
    assert page_spec(static) is before
    assert before.player is None
    after = page_spec(playable)
    assert after.player is not None
    assert len(after.flows.count) > len(before.flows.count)
    assert after.scale == before.scale
    assert after.bounds == before.bounds
    assert after.text.subtitle == before.text.subtitle
    assert "flowmap.play = {" in flowmap.map_html(playable)
    assert "flowmap.play = {" not in flowmap.map_html(static)
