"""The exported HTML map in a real browser (Debian's Chromium), with the network blocked."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from flowmap.batken.data import load_flows
from flowmap.cli.commands import main
from flowmap.text.ranges import range_text
from tests.conftest import OfflinePage

pytestmark = pytest.mark.browser

EIGHT = ["KG-GO", "KG-GB", "KG-C", "RU", "UZ", "KZ", "TR", "US"]


def export(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "map.html"
    assert main(["export", *args, "--out", str(out)], io.StringIO()) == 0
    return out


def open_map(page: OfflinePage, path: Path) -> None:
    page.page.goto(path.as_uri())
    page.page.wait_for_selector("html[data-flowmap-ready='1']", state="attached")


def drawn(page: OfflinePage) -> list[dict[str, Any]]:
    """Return the flows the canvas layer drew: ids, count and width in pixels."""
    flows: list[dict[str, Any]] = page.page.evaluate("() => window.flowmap.drawnFlows()")
    return flows


def widths(page: OfflinePage) -> dict[str, float]:
    """Return the width of each drawn flow by its other end (not Batken)."""
    return {(f["dest"] if f["origin"] == "KG-B" else f["origin"]): f["width"] for f in drawn(page)}


def hover_flow(page: OfflinePage, other: str) -> None:
    """Move the mouse onto a drawn flow between Batken and ``other``, where it is drawn (in a
    playable page, among the flows of the view shown)."""
    point = page.page.evaluate(
        """(other) => {
            const layer = window.flowmap.layer, spec = layer.spec;
            for (const d of layer.drawn) {
                const i = d.i, ids = spec.places.id;
                const ends = [ids[spec.flows.o[i]], ids[spec.flows.d[i]]];
                if (!ends.includes(other)) { continue; }
                for (let t = 0.3; t < 0.95; t += 0.05) {
                    const p = layer.pointOf(i, t);
                    if (layer.pick(p) === i && window.flowmap.free(p)) { return [p.x, p.y]; }
                }
            }
            return null;
        }""",
        other,
    )
    assert point is not None, f"no point of the flow with {other} picks it"
    box = page.page.locator(".leaflet-container").first.bounding_box()  # not the inset's
    assert box is not None
    page.page.mouse.move(box["x"] + point[0], box["y"] + point[1])


def test_2014_2023_map_offline(tmp_path: Path, offline_page: OfflinePage) -> None:
    path = export(tmp_path, "--period", "2014-2023")
    assert path.stat().st_size < 1024 * 1024  # playable: every year, direction and language
    open_map(offline_page, path)
    page = offline_page.page
    sizes = widths(offline_page)
    assert set(EIGHT) <= set(sizes)
    assert max(sizes, key=lambda k: sizes[k]) == "RU"
    spec = page.evaluate("() => window.flowmap.spec")
    basis = {a["key"]: a["labels"] for a in spec["attributes"]}["basis"]
    modelled = basis.index("modelled estimate")
    assert spec["flows"]["a"]["basis"].count(modelled) >= 3  # Osh, Bishkek, Chüy
    # One flow canvas on the map, one in the overview inset (flows leave the frame).
    assert page.locator(".folium-map > .leaflet-map-pane canvas.fm-canvas").count() == 1
    assert page.locator(".fm-inset canvas.fm-canvas").count() == 1
    assert page.locator(".fm-inset").is_visible()
    assert page.locator("path.leaflet-interactive").count() >= 10  # borders, enclaves, centres
    assert page.locator("svg path").count() > 150  # country outlines of the basemap
    assert page.locator(".fm-label", has_text="Sulukta").count() == 1
    assert page.locator(".fm-legend").is_visible()
    assert "Migration of the population of Batken oblast" in page.inner_text(".fm-title")
    # The view opens at a valid longitude.
    centre = page.evaluate("() => window.flowmap.map.getCenter()")
    assert -180 <= centre["lng"] < 180
    assert offline_page.errors == []
    assert offline_page.blocked == []


def test_tooltip_of_a_modelled_flow(tmp_path: Path, offline_page: OfflinePage) -> None:
    open_map(offline_page, export(tmp_path, "--year", "2022", "--dest", "KG-GB"))
    page = offline_page.page
    hover_flow(offline_page, "KG-GB")
    tooltip = page.locator(".fm-tip")
    tooltip.wait_for()
    text = tooltip.inner_text()
    assert "Bishkek" in text
    assert "modelled estimate" in text
    assert "Osh city, Bishkek and Chüy together get two thirds" in text
    flows = load_flows()
    row = flows[
        (flows["destination"] == "KG-GB") & (flows["period"] == "2022") & (flows["sex"] == "total")
    ].iloc[0]
    assert f"Range (model's assumptions): {range_text(row['low'], row['high'], 'en')}" in text


def test_widths_per_person_match_across_years(tmp_path: Path, offline_page: OfflinePage) -> None:
    open_map(offline_page, export(tmp_path, "--year", "2022", "--basis", "reported"))
    w2022 = widths(offline_page)["KG-OTHER"]
    open_map(offline_page, export(tmp_path, "--year", "2016", "--basis", "reported"))
    w2016 = widths(offline_page)["KG-OTHER"]
    # 2169 and 1355 departures: the same pixels per square root of a person.
    assert w2022 / 2169**0.5 == pytest.approx(w2016 / 1355**0.5, rel=0.01)


def test_dest_and_basis_filters(tmp_path: Path, offline_page: OfflinePage) -> None:
    open_map(offline_page, export(tmp_path, "--period", "2014-2023", "--dest", "RU,UZ"))
    assert set(widths(offline_page)) == {"RU", "UZ"}
    open_map(offline_page, export(tmp_path, "--year", "2023", "--basis", "reported"))
    assert set(widths(offline_page)) == {"KG-OTHER", "ABROAD"}


def test_overview_inset_and_edge_labels(tmp_path: Path, offline_page: OfflinePage) -> None:
    """Flows abroad leave the frame: their far ends are named at the edge, and the inset
    shows the whole picture with a rectangle where the map is; the layer control hides it."""
    open_map(offline_page, export(tmp_path, "--period", "2014-2023"))
    page = offline_page.page
    page.wait_for_selector(".fm-edge")
    edges = page.locator(".fm-edge").all_inner_texts()
    assert "→ Russia 7,529" in edges  # reported: no range
    inset = page.locator(".fm-inset")
    assert inset.is_visible()
    assert inset.locator("path").count() > 100  # countries and the map's rectangle
    page.locator(".leaflet-control-layers").hover()
    page.get_by_label("Overview map").uncheck()
    assert not inset.is_visible()
    page.get_by_label("Overview map").check()
    assert inset.is_visible()
    # A map whose flows all stay in the frame opens without it.
    open_map(offline_page, export(tmp_path, "--period", "2014-2023", "--dest", "KG-GO,KG-GB"))
    assert page.locator(".fm-inset").count() == 0
    assert page.locator(".fm-edge").count() == 0
    # A modelled flow's edge label gives its range, in the page's language.
    open_map(offline_page, export(tmp_path, "--year", "2023", "--static", "--lang", "ru"))
    page.wait_for_selector(".fm-edge")
    edges = page.locator(".fm-edge").all_inner_texts()
    assert "→ США 22 (11–43)" in edges, edges
    # A net page's edge labels give the signed net (arrivals − departures), a true minus.
    open_map(offline_page, export(tmp_path, "--year", "2023", "--direction", "net", "--static"))
    # Zoomed on Batken oblast, the flow abroad leaves the frame.
    page.evaluate(
        "() => { for (const k in window) { const m = window[k];"
        " if (k.startsWith('map_') && m && m.setView) {"
        " m.setView([40.0, 71.0], 7, { animate: false }); } } }"
    )
    page.wait_for_selector(".fm-edge")
    edges = page.locator(".fm-edge").all_inner_texts()
    assert "→ Abroad −1,607" in edges, edges
    assert offline_page.errors == []
    assert offline_page.blocked == []


@pytest.mark.parametrize(("lang", "static"), [("ky", True), ("ru", False)])
def test_tooltip_numbers_in_kyrgyz_and_russian(
    tmp_path: Path, offline_page: OfflinePage, lang: str, static: bool
) -> None:
    # Chromium's Intl has no Kyrgyz number data: the page formats with the symbols Babel
    # gives (a non-breaking space between thousands), not "7,529".
    args = ["--period", "2014-2023", "--dest", "RU", "--lang", lang]
    open_map(offline_page, export(tmp_path, *args, *(["--static"] if static else [])))
    page = offline_page.page
    assert page.evaluate("() => window.flowmap.layer.fmt.format(-1607)") == "\u22121\u00a0607"
    hover_flow(offline_page, "RU")
    tooltip = page.locator(".fm-tip")
    tooltip.wait_for()
    text = tooltip.text_content() or ""
    assert "7\u00a0529" in text
    assert "7,529" not in text


@pytest.mark.parametrize(
    ("lang", "words"), [("en", ("km", "Zoom in")), ("ru", ("км", "Увеличить"))]
)
def test_leaflet_controls_in_the_language(
    tmp_path: Path, offline_page: OfflinePage, lang: str, words: tuple[str, str]
) -> None:
    """The scale bar is in kilometres with its unit in the map's language; the zoom buttons,
    the layer switch and the link to Leaflet have titles (read aloud) in it too, and the
    page says its language."""
    open_map(offline_page, export(tmp_path, "--static", "--lang", lang))
    page = offline_page.page
    unit, zoom_in = words
    scale = page.locator(".leaflet-control-scale-line").all_inner_texts()
    assert len(scale) == 1  # metric only: no miles
    assert re.fullmatch(r"[0-9\u00a0]+\u00a0" + unit, scale[0]), scale
    button = page.locator(".leaflet-control-zoom-in")
    assert button.get_attribute("title") == zoom_in
    assert button.get_attribute("aria-label") == zoom_in
    titles = page.evaluate(
        """() => [...document.querySelectorAll(
            ".leaflet-control-layers-toggle, .leaflet-control-attribution a")].map(e => e.title)"""
    )
    expected = {
        "en": ["Layers", "A library for interactive maps"],
        "ru": ["Слои", "Библиотека для интерактивных карт"],
    }[lang]
    assert titles == expected
    assert page.evaluate("() => document.documentElement.lang") == lang


def test_scale_bar_follows_the_language_switch(tmp_path: Path, offline_page: OfflinePage) -> None:
    """A playable export switched from English to Kyrgyz writes its scale bar in км and its
    zoom buttons' titles in Kyrgyz."""
    open_map(offline_page, export(tmp_path, "--lang", "en", "--period", "2014-2023"))
    page = offline_page.page
    assert page.locator(".leaflet-control-scale-line").inner_text().endswith("\u00a0km")
    page.select_option("select.fm-p-lang", "ky")
    page.wait_for_selector("html[lang='ky']", state="attached")
    assert page.locator(".leaflet-control-scale-line").inner_text().endswith("\u00a0км")
    assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == "Кичирейтүү"


HOSTILE_NAME = "Osh\u202eevil\x00x"
SHOWN_NAME = "Osh[U+202E]evil[U+0000]x"


def hostile_map(lang: str = "en") -> Any:
    """Return a map (Python API, from small CSV text) whose place name and attribute value
    hold a RIGHT-TO-LEFT OVERRIDE and a NUL; the attribute also styles the lines, so its
    value is in the legend."""
    import pandas as pd

    from flowmap.render.layer import LineStyles
    from flowmap.render.maps import flow_map

    places = pd.read_csv(
        io.StringIO(
            f'id,name,lat,lon\nA,"{HOSTILE_NAME}",40.5,72.8\n'
            "M,Moscow,55.75,37.62\nT,Tashkent,41.3,69.2\n"
        ),
        dtype=str,
    )
    reason = "work\u202e\x00er"
    flows = pd.read_csv(
        io.StringIO(
            f"origin,dest,count,reason\nA,M,1200,{reason}\nA,T,800,study\nM,A,300,{reason}\n"
        ),
        dtype=str,
    )
    styles = LineStyles("reason", dashed=(reason,), legend={reason: f"{reason} (dashed)"})
    return flow_map(flows, places, styles=styles, lang=lang)


def test_control_and_direction_characters_show_as_inert_text(
    tmp_path: Path, offline_page: OfflinePage
) -> None:
    """A name with U+202E and a NUL is shown as visible codes in the place labels, the
    legend, the tooltips and the edge labels, the map says so once, and the SVG of the
    same map is valid XML."""
    import xml.etree.ElementTree as ET

    from flowmap.render.element import map_spec
    from flowmap.render.image import render_image
    from flowmap.render.maps import save_html

    fmap = hostile_map()
    path = save_html(fmap, tmp_path / "hostile.html")
    source = path.read_text(encoding="utf-8")
    assert "\u202e" not in source
    assert "\x00" not in source
    open_map(offline_page, path)
    page = offline_page.page
    labels = page.locator(".fm-place-label").all_inner_texts()
    assert SHOWN_NAME in labels, labels
    legend = page.locator(".fm-legend").inner_text()
    assert "work[U+202E][U+0000]er (dashed)" in legend
    notes = page.locator(".fm-notes")
    notes.locator("summary").click()
    assert notes.inner_text().count("cannot hide or reorder text") == 1
    hover_flow(offline_page, "M")
    tooltip = page.locator(".fm-tip")
    tooltip.wait_for()
    tip = tooltip.inner_text()
    assert SHOWN_NAME in tip
    assert "work[U+202E][U+0000]er" in tip
    assert not any(c in tip + legend + "".join(labels) for c in "\u202e\x00")
    # Zoomed on Moscow, the flows to and from the hostile place leave the frame.
    page.evaluate(
        "() => { for (const k in window) { const m = window[k];"
        " if (k.startsWith('map_') && m && m.setView) {"
        " m.setView([55.75, 37.62], 7, { animate: false }); } } }"
    )
    page.wait_for_selector(".fm-edge")
    edges = page.locator(".fm-edge").all_inner_texts()
    assert any(SHOWN_NAME in e for e in edges), edges
    everything = page.evaluate("() => document.body.innerText + document.body.textContent")
    assert "\u202e" not in everything
    assert "\x00" not in everything
    assert offline_page.errors == []
    assert offline_page.blocked == []
    svg = render_image(map_spec(fmap), tmp_path / "hostile.svg", size="1280x720")
    root = ET.fromstring(svg.read_bytes())
    assert root.tag.endswith("svg")


def test_flow_layer_on_a_users_map_offline(tmp_path: Path, offline_page: OfflinePage) -> None:
    """A FlowLayer on a user's own folium.Map with a marker, in the browser with the network
    blocked: the flows are drawn, the marker shows its image, the place named {{ 7*7 }} is
    labelled as that text, and only the user's own online parts (tiles, folium's plugins) are
    blocked."""
    import folium
    import pandas as pd

    import flowmap

    places = pd.DataFrame(
        {
            "id": ["A", "M", "T"],
            "name": ["{{ 7*7 }}", "Moscow", "Tashkent"],
            "lat": [40.53, 55.75, 41.3],
            "lon": [72.8, 37.62, 69.2],
        }
    )
    flows = pd.DataFrame({"origin": ["A", "A"], "dest": ["M", "T"], "count": [1200, 800]})
    m = folium.Map(location=[48.0, 58.0], zoom_start=4)
    folium.Marker([40.53, 72.8], tooltip="Office").add_to(m)
    flowmap.FlowLayer(flows, places, wording=flowmap.Wording(title="Moves")).add_to(m)
    path = flowmap.save_html(m, tmp_path / "mine.html")
    open_map(offline_page, path)
    page = offline_page.page
    assert len(drawn(offline_page)) == 2
    assert "{{ 7*7 }}" in page.locator(".fm-place-label").all_inner_texts()
    assert (
        page.locator("img.leaflet-marker-icon")
        .get_attribute("src", timeout=5000)
        .startswith("data:image/png")
    )
    assert page.evaluate("() => window.flowmap.map.getZoom()") == 4  # the user's view
    assert not offline_page.errors
    assert not offline_page.dialogs
    assert offline_page.blocked  # the user's tiles and folium's plugin links, online
    assert not [u for u in offline_page.blocked if "leaflet@" in u or "/leaflet.js" in u]


LANE_POINTS = """() => {
    // Batken's departures drawn side by side in lanes: of two neighbours (adjacent bearings
    // in one bundle) drawn farthest off their plain curves, a point of each one's DRAWN lane
    // near Batken that no other drawn lane reaches; for at least one of them, a point that
    // no plain (un-offset) curve reaches either.
    const fm = window.flowmap, layer = fm.layer, spec = layer.spec, f = spec.flows;
    const p = spec.places, focus = p.id.indexOf("KG-B"), tr = layer.transform();
    const home = fm.map.latLngToContainerPoint([p.lat[focus], p.lon[focus]]);
    const screen = (c, dx) => {
        const out = [];
        for (let k = 0; k < c.length; k += 2) {
            out.push([c[k] * tr.s + tr.x + dx, c[k + 1] * tr.s + tr.y]);
        }
        return out;
    };
    const reach = (pts, q) => Math.min(...pts.slice(1).map((b, k) => {
        const a = pts[k], vx = b[0] - a[0], vy = b[1] - a[1], l2 = vx * vx + vy * vy;
        const t = l2 ? Math.max(0, Math.min(1, ((q[0] - a[0]) * vx + (q[1] - a[1]) * vy) / l2)) : 0;
        return Math.hypot(q[0] - a[0] - t * vx, q[1] - a[1] - t * vy);
    }));
    const drawn = layer.drawn.map((d) => ({ i: d.i, w: d.w,
        lane: screen(layer.laneOf(d.i, tr), d.dx), plain: screen(layer.curveOf(d.i), d.dx) }));
    const bearing = (i) => fm.geo.bearing(
        p.lat[f.o[i]], p.lon[f.o[i]], p.lat[f.d[i]], p.lon[f.d[i]]);
    const out = drawn.filter((d) => f.o[d.i] === focus && layer.lanes[2 * d.i] !== 0)
        .sort((a, b) => bearing(a.i) - bearing(b.i));
    const pointOn = (d, strict) => {
        for (const q of d.lane) {
            if (Math.hypot(q[0] - home.x, q[1] - home.y) < 20) { continue; }  // off the dot
            if (!fm.free({ x: q[0], y: q[1] })) { continue; }
            const alone = drawn.every((e) => e.i === d.i || reach(e.lane, q) > e.w / 2 + 4);
            const plain = drawn.every((e) => reach(e.plain, q) > e.w / 2 + 4);
            if (alone && (plain || !strict)) { return [q[0], q[1]]; }
        }
        return null;
    };
    let best = null;
    for (let k = 0; k + 1 < out.length; k++) {
        const pair = [out[k], out[k + 1]];
        if (bearing(pair[1].i) - bearing(pair[0].i) > 20) { continue; }
        const strict = pair.map((d) => pointOn(d, true));
        const points = pair.map((d, j) => strict[j] || pointOn(d, false));
        const off = Math.abs(layer.lanes[2 * pair[0].i]) + Math.abs(layer.lanes[2 * pair[1].i]);
        if ((strict[0] || strict[1]) && points[0] && points[1] && (!best || off > best.off)) {
            best = { off, flows: pair.map((d, j) => ({ i: d.i, name: p.name[f.d[d.i]],
                point: points[j], lane: layer.lanes[2 * d.i] })) };
        }
    }
    return best;
}"""


def test_hover_finds_the_flow_drawn_on_its_lane(tmp_path: Path, offline_page: OfflinePage) -> None:
    """Flows that leave Batken in nearly one direction are drawn side by side (lanes, up
    to about 25 px off their plain curves at Batken): a real mouse on the drawn lane of each
    of two neighbours shows that flow's card (the hit test used to look at the plain curve
    and showed another flow's card, or none)."""
    page = offline_page.page
    page.set_viewport_size({"width": 1400, "height": 900})
    path = export(tmp_path, "--period", "2014-2023")  # the Batken default view
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-flowmap-complete='1']", state="attached")
    found = page.evaluate(LANE_POINTS)
    assert found is not None, "no two neighbouring flows in lanes near Batken"
    assert max(abs(f["lane"]) for f in found["flows"]) > 10
    box = page.locator(".leaflet-container").first.bounding_box()  # not the inset's
    assert box is not None
    for flow in found["flows"]:
        x, y = flow["point"]
        page.evaluate("() => { window.flowmap.layer.hovered = undefined; }")
        page.mouse.move(box["x"] + x, box["y"] + y, steps=3)
        page.wait_for_function("() => window.flowmap.layer.hovered !== undefined")
        tip = page.locator(".fm-tip:visible")  # the map's card (the inset has its own)
        assert tip.count() == 1, f"no card on the drawn line of {flow['name']}"
        assert page.evaluate("() => window.flowmap.layer.hovered") == flow["i"]
        assert flow["name"] in tip.inner_text()
    assert offline_page.errors == []
