"""The app's live map, its library side (flowmap.render.live): the page loaded once and what
it is sent for each view."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from flowmap import Style, flow_map
from flowmap.render import live
from flowmap.render.element import map_spec
from flowmap.render.live import LIVE_SCRIPTS, live_map, live_page

real_json = live._json

PLACES = pd.DataFrame(
    {
        "id": ["A", "B", "C"],
        "name": ["Alpha", "Beta", "Gamma"],
        "lat": [42.9, 40.5, 55.8],
        "lon": [74.6, 72.8, 37.6],
    }
)
FLOWS = pd.DataFrame({"origin": ["A", "B"], "dest": ["C", "C"], "count": [90, 40]})


def resolved(payload: dict[str, object], held: dict[str, str]) -> dict[str, object]:
    """The spec the page draws: each layer's features put back from what it holds."""
    spec = json.loads(str(payload["spec"]))
    features = payload["features"]
    assert isinstance(features, dict)
    held.update(features)
    for layer in spec["layers"]:
        layer["features"] = json.loads(held[layer.pop("featuresRef")])
    assert isinstance(spec, dict)
    return spec


def test_the_page_gets_the_same_spec_as_the_map_page_and_each_layer_once() -> None:
    first = flow_map(FLOWS, PLACES)
    second = flow_map(FLOWS.assign(count=[10, 400]), PLACES)
    one, two = live_map(first), live_map(second)
    assert one.features
    assert one.digests() == two.digests()  # the same countries
    held: dict[str, str] = {}
    assert resolved(one.payload(), held) == map_spec(first)
    sent = two.payload(set(held))
    assert sent["features"] == {}  # held already: only the spec goes
    assert len(str(sent["spec"])) < len(json.dumps(map_spec(second))) / 10
    assert resolved(sent, held) == map_spec(second)


def test_online_tiles_go_with_the_map_in_leaflet_s_words() -> None:
    tiles = live_map(flow_map(FLOWS, PLACES, style=Style(basemap="tiles"))).payload()["tiles"]
    assert isinstance(tiles, list)
    assert len(tiles) == 1
    assert tiles[0]["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert tiles[0]["options"]["maxZoom"] == 19
    assert "OpenStreetMap" in tiles[0]["options"]["attribution"]
    assert live_map(flow_map(FLOWS, PLACES)).payload()["tiles"] == []


@pytest.fixture(scope="module")
def page() -> str:
    return live_page()


def test_the_live_page_is_offline_and_carries_the_redraw(page: str) -> None:
    assert "flowmap.redraw = function" in page
    assert "streamlit:componentReady" in page
    assert "L.version" in page or "Leaflet" in page
    # Nothing is fetched: no script, style sheet or image from any address.
    assert not re.search(r"""<(script|link|img)[^>]*(src|href)=["']?(https?:)?//""", page)
    assert re.search(r'<link rel="stylesheet" href="data:text/css', page)
    assert "player.js" not in LIVE_SCRIPTS
    assert page.count("<script>") == 2


def test_views_share_one_copy_of_each_layer_s_text() -> None:
    one = live_map(flow_map(FLOWS, PLACES))
    two = live_map(flow_map(FLOWS.assign(count=[5, 6]), PLACES))
    assert all(a is b for (_, a), (_, b) in zip(one.features, two.features, strict=True))


def test_the_countries_are_read_and_written_once_for_all_views(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every view parsed the 0.3 MB of country outlines and wrote them out again as JSON to
    find their digest (a third of the time a year change took to build): now the maps share
    one parsed copy and its text is written once."""
    first = flow_map(FLOWS, PLACES)
    second = flow_map(FLOWS.assign(count=[7, 8]), PLACES)
    base = [layer for layer in map_spec(first)["layers"] if layer.get("base")]
    assert len(base) == 1
    one = live_map(first)
    written: list[object] = []

    def counted(data: object) -> str:
        written.append(data)
        return real_json(data)

    monkeypatch.setattr(live, "_json", counted)
    two = live_map(second)
    assert one.digests() == two.digests()
    assert one.features[0] == two.features[0]  # the countries: the same digest and text
    # The second map's spec and its other layers are written; the countries are not.
    assert len(written) == 1 + len(two.features) - 1
    held: dict[str, str] = {}
    assert resolved(two.payload(), held) == map_spec(second)
