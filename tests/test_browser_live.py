"""The app's live map (flowmap.render.live, assets/live.js) in Chromium: a view drawn in
place of another on the same Leaflet map ends up exactly as a new map of that view (the
Batken views, and tables of towns around the world and of many places)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from flowmap import flow_map
from flowmap.app import view
from flowmap.batken.dataset import MapData
from flowmap.batken.export import make_map
from flowmap.batken.preset import MapOptions
from flowmap.render.live import live_map, live_page
from tests.conftest import OfflinePage

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, dict[str, Any]]]:
    """The live page's address, and what it is sent for a few views (by name)."""
    folder = tmp_path_factory.mktemp("live")
    page = folder / "index.html"
    page.write_text(live_page(), encoding="utf-8")
    data = MapData.load()
    views = {}
    for name, query in {
        "2023": {"year": "2023"},
        "2022": {"year": "2022"},
        "2022 ru": {"year": "2022", "lang": "ru"},
        "2022 dark": {"year": "2022", "theme": "dark"},
    }.items():
        state = view.state_from_query(query)
        fmap = make_map(
            data,
            state.selection(data.places),
            MapOptions(lang=state.lang, border_overlay=True, theme=state.theme),
            None,
            view.flows_for(data, state),
        )
        views[name] = live_map(fmap).payload()
    return Path(page).as_uri(), views


# Streamlit's render message, as the app's component gets it (live.js listens for messages
# from its parent: the page itself when it is opened alone); resolves once drawn.
RENDER = """async (args) => {
    const before = window.flowmap.draws || 0;
    window.postMessage({ type: "streamlit:render", args: args }, "*");
    const drawn = () => (window.flowmap.draws || 0) > before &&
        document.documentElement.getAttribute("data-flowmap-ready") === "1";
    while (!drawn()) { await new Promise((r) => requestAnimationFrame(r)); }
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""

# Everything a view puts on the map, counted or read: the map's handlers by event, its
# layers by kind, the elements in its container by tag and class, the paths' outlines in
# their order, the view, the flows drawn, the boxes' and controls' text, the labels shown
# and where (in any order: each has its own z-index), and the inset.
SNAPSHOT = """() => {
    const fm = window.flowmap, map = fm.map, box = map.getContainer();
    const handlers = {};
    for (const type in map._events) {
        if (map._events[type].length) { handlers[type] = map._events[type].length; }
    }
    const layers = {};
    map.eachLayer((l) => {
        const kind = l instanceof L.Renderer ? "renderer" : l instanceof L.Path ? "path"
            : l instanceof L.Marker ? "marker" : l instanceof L.LayerGroup ? "group" : "other";
        layers[kind] = (layers[kind] || 0) + 1;
    });
    const elements = {};
    box.querySelectorAll("*").forEach((n) => {
        const key = n.tagName + "." + (n.getAttribute("class") || "");
        elements[key] = (elements[key] || 0) + 1;
    });
    let outline = 0;
    const d = [...box.querySelectorAll("path")].map((p) => p.getAttribute("d") || "").join("|");
    for (let i = 0; i < d.length; i++) { outline = (outline * 31 + d.charCodeAt(i)) | 0; }
    const labels = [...box.querySelectorAll(".fm-label")]
        .filter((n) => getComputedStyle(n).visibility === "visible")
        .map((n) => [n.textContent, (n.firstElementChild || n).style.left,
                     (n.firstElementChild || n).style.top, n.style.transform].join(" "))
        .sort();
    const c = map.getCenter();
    return {
        handlers, layers, elements, outline, paths: d.length, labels,
        view: [map.getZoom(), c.lat.toFixed(6), c.lng.toFixed(6)],
        flows: fm.drawnFlows(),
        text: [...box.querySelectorAll(".leaflet-control")].map((n) => n.textContent),
        inset: fm.insetMap && [fm.insetMap.getZoom(), Object.keys(fm.insetMap._layers).length],
        title: document.title, lang: document.documentElement.lang,
        look: [box.className, document.body.className],
    };
}"""


def draw(page: OfflinePage, url: str, *payloads: dict[str, Any]) -> dict[str, Any]:
    """Open the live page, draw the views in turn; return the snapshot of the last."""
    page.page.goto(url)
    for payload in payloads:
        page.page.evaluate(RENDER, payload)
    snapshot: dict[str, Any] = page.page.evaluate(SNAPSHOT)
    return snapshot


def test_a_view_drawn_in_place_is_the_same_as_on_a_new_map(
    offline_page: OfflinePage, live: tuple[str, dict[str, dict[str, Any]]]
) -> None:
    url, views = live
    new = draw(offline_page, url, views["2022"])
    assert new["flows"]
    assert new["labels"]
    assert new["paths"] > 0
    assert new["inset"] is None  # the overview is off (the flows stay in view) ...
    # 2023's map has a layer of its own (what it leaves out) among the base layers: that
    # one is drawn anew on the way back and forth, the others stay.
    refs = [
        [layer["featuresRef"] for layer in json.loads(views[y]["spec"])["layers"]]
        for y in ("2022", "2023")
    ]
    assert 0 < sum(a == b for a, b in zip(*refs, strict=True)) < len(refs[0])
    offline_page.page.goto(url)
    offline_page.page.evaluate(RENDER, views["2022"])
    first = offline_page.page.evaluate(
        """() => {
            const p = document.querySelector(".leaflet-overlay-pane path");
            p.fmMark = "still here";
            return window.flowmap.map._leaflet_id;
        }"""
    )
    # ... but turned on here (the layer control's entry): it goes with the view.
    offline_page.page.evaluate(
        """() => [...document.querySelectorAll(".leaflet-control-layers-overlays label")]
            .find((l) => l.textContent.includes(window.flowmap.spec.text.layers.inset))
            .querySelector("input").click()"""
    )
    assert offline_page.page.evaluate("() => !!window.flowmap.insetMap")
    for name in ("2023", "2022", "2023", "2022"):
        offline_page.page.evaluate(RENDER, views[name])
    again = offline_page.page.evaluate(SNAPSHOT)
    # The same map, its countries' outlines the same elements (not read and drawn again).
    assert offline_page.page.evaluate("() => window.flowmap.map._leaflet_id") == first
    assert offline_page.page.evaluate(
        """() => [...document.querySelectorAll(".leaflet-overlay-pane path")]
            .some((p) => p.fmMark === "still here")"""
    )
    assert offline_page.page.evaluate("() => window.flowmap.draws") == 5
    # Nothing of the views before is left: no handler, layer, element or label more.
    assert again == new
    assert offline_page.errors == []


def test_a_change_of_language_draws_a_new_map(
    offline_page: OfflinePage, live: tuple[str, dict[str, dict[str, Any]]]
) -> None:
    url, views = live
    new = draw(offline_page, url, views["2022 ru"])
    assert new["lang"] == "ru"
    offline_page.page.goto(url)
    offline_page.page.evaluate(RENDER, views["2022"])
    first = offline_page.page.evaluate("() => window.flowmap.map._leaflet_id")
    offline_page.page.evaluate(RENDER, views["2022 ru"])
    assert offline_page.page.evaluate("() => window.flowmap.map._leaflet_id") != first
    assert offline_page.page.evaluate(SNAPSHOT) == new
    assert offline_page.errors == []


def _table(seed: int, places: pd.DataFrame, n: int) -> pd.DataFrame:
    """Random flows of ``n`` pairs among ``places``."""
    rng = np.random.default_rng(seed)
    ids = places["id"].to_numpy()
    flows = pd.DataFrame(
        {
            "origin": rng.choice(ids, n),
            "dest": rng.choice(ids, n),
            "count": rng.integers(5, 5000, n),
        }
    )
    return flows[flows.origin != flows.dest].drop_duplicates(["origin", "dest"])


def _places(seed: int, n: int, west: float, east: float) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "id": [f"P{i}" for i in range(n)],
            "name": [f"Town {i}" for i in range(n)],
            "lat": rng.uniform(-40, 60, n).round(3),
            "lon": rng.uniform(west, east, n).round(3),
        }
    )


def test_a_table_of_the_world_drawn_in_place_is_the_same_as_on_a_new_map(
    offline_page: OfflinePage, live: tuple[str, dict[str, dict[str, Any]]]
) -> None:
    """Two tables of towns around the world: their views differ (the countries stay on the
    map and are projected once at the new view), as do the copies of the world they span."""
    url, _ = live
    places = _places(1, 40, -170, 170)
    one, two = (live_map(flow_map(_table(s, places, 60), places)).payload() for s in (1, 3))
    new = draw(offline_page, url, two)
    assert draw(offline_page, url, one)["view"] != new["view"]
    offline_page.page.goto(url)
    offline_page.page.evaluate(RENDER, one)
    first = offline_page.page.evaluate("() => window.flowmap.map._leaflet_id")
    offline_page.page.evaluate(RENDER, two)
    assert offline_page.page.evaluate("() => window.flowmap.map._leaflet_id") == first
    assert offline_page.page.evaluate(SNAPSHOT) == new
    assert offline_page.errors == []


def test_a_clustered_map_is_drawn_anew(
    offline_page: OfflinePage, live: tuple[str, dict[str, dict[str, Any]]]
) -> None:
    """What a map of many places shows first depends on the zoom it opens at: each view is
    a new map, the same as a map of it opened alone."""
    url, _ = live
    places = _places(3, 900, 20, 90)
    one, two = (live_map(flow_map(_table(s, places, 1500), places)).payload() for s in (7, 9))
    assert json.loads(str(two["spec"])).get("clusters")
    new = draw(offline_page, url, two)
    offline_page.page.goto(url)
    offline_page.page.evaluate(RENDER, one)
    first = offline_page.page.evaluate("() => window.flowmap.map._leaflet_id")
    offline_page.page.evaluate(RENDER, two)
    assert offline_page.page.evaluate("() => window.flowmap.map._leaflet_id") != first
    assert offline_page.page.evaluate(SNAPSHOT) == new
    assert offline_page.errors == []


def test_a_light_view_after_a_dark_one_is_light(
    offline_page: OfflinePage, live: tuple[str, dict[str, dict[str, Any]]]
) -> None:
    """The dark look's classes went with the dark map (the light map after it was drawn
    in the dark look's colours)."""
    url, views = live
    assert "fm-dark" in draw(offline_page, url, views["2022 dark"])["look"][0]
    new = draw(offline_page, url, views["2022"])
    assert "fm-dark" not in new["look"][0]
    assert draw(offline_page, url, views["2022 dark"], views["2022"]) == new
    assert offline_page.errors == []
