"""A world matrix in a real browser: one copy of the world, edge labels only for ends out
of view (issue 19, item 3)."""

from __future__ import annotations

import io
import random
import re
from pathlib import Path
from typing import Any

import pytest

from flowmap.cli.commands import main
from tests.conftest import OfflinePage

pytestmark = pytest.mark.browser

# Where the 200 made-up countries lie: (lat, lon) boxes of three continents' worth of land.
REGIONS = [
    ((-35.0, 50.0), (-120.0, -40.0)),
    ((-30.0, 60.0), (-10.0, 45.0)),
    ((-35.0, 50.0), (60.0, 150.0)),
]


def world_matrix(tmp_path: Path) -> tuple[Path, Path]:
    """Write a 200-country matrix (long form, ~6,000 flows) and its places."""
    rng = random.Random(19)
    places = []
    for k in range(200):
        (s, n), (w, e) = REGIONS[k % 3]
        places.append((f"C{k:03d}", f"Place {k:03d}", rng.uniform(s, n), rng.uniform(w, e)))
    size = {p[0]: rng.paretovariate(1.2) for p in places}
    rows = []
    for pid, *_ in places:
        for other, *_ in rng.sample(places, 30):
            if other != pid:
                rows.append(f"{pid},{other},{int(100 * size[pid] * size[other]) + 1}")
    flows = tmp_path / "world_flows.csv"
    flows.write_text("origin,dest,count\n" + "\n".join(rows) + "\n", encoding="utf-8")
    where = tmp_path / "world_places.csv"
    where.write_text(
        "id,name,lat,lon\n" + "".join(f"{i},{n},{a:.4f},{b:.4f}\n" for i, n, a, b in places),
        encoding="utf-8",
    )
    return flows, where


def _export_and_open(offline_page: OfflinePage, flows: Path, where: Path, out: Path) -> Any:
    """Export ``flows`` and ``where`` with the command line to ``out`` and open it at
    1400×900; return the page once the map is ready."""
    args = ["export", "--flows", str(flows), "--places", str(where), "--out", str(out)]
    assert main(args, io.StringIO()) == 0
    page = offline_page.page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(out.as_uri())
    page.wait_for_selector("html[data-flowmap-ready='1']", state="attached")
    return page


def test_world_matrix_opens_on_one_world_without_edge_labels_for_places_in_view(
    tmp_path: Path, offline_page: OfflinePage
) -> None:
    flows, where = world_matrix(tmp_path)
    page = _export_and_open(offline_page, flows, where, tmp_path / "world.html")
    west, east = page.evaluate(
        "() => { var b = window.flowmap.map.getBounds(); return [b.getWest(), b.getEast()]; }"
    )
    assert east - west <= 360 + 1e-6
    # The places whose point (in any copy of the world) is inside the view.
    in_view: list[str] = page.evaluate(
        """() => {
          var map = window.flowmap.map, b = map.getBounds(), out = [];
          var spec = JSON.parse(document.querySelector('script[id^="fm-spec-"]').textContent);
          var p = spec.places;
          for (var k = 0; k < p.id.length; k++) {
            for (var c = -1; c <= 1; c++) {
              if (b.contains([p.lat[k], p.lon[k] + 360 * c])) { out.push(p.name[k]); break; }
            }
          }
          return out;
        }"""
    )
    assert len(in_view) >= 150  # the bulk of the places is in view
    edges = page.locator(".fm-edge").all_inner_texts()
    named = {m.group(1) for text in edges if (m := re.search(r"(Place \d{3})", text))}
    assert not named & set(in_view), edges
    assert offline_page.errors == []


def test_overview_of_a_pacific_star_is_centred_on_the_pacific(
    tmp_path: Path, offline_page: OfflinePage
) -> None:
    """A star from Tokyo to Japan, Korea, Los Angeles, Honolulu and Sydney opens on Japan
    with an overview inset; the inset holds every end on one side of ±180° (Los Angeles
    east of Tokyo, not a whole Atlantic-centred world with Tokyo on its edge)."""
    places = {
        "TYO": ("Tokyo", 35.68, 139.69),
        "OSA": ("Osaka", 34.69, 135.50),
        "SEO": ("Seoul", 37.57, 126.98),
        "SAP": ("Sapporo", 43.06, 141.35),
        "LAX": ("Los Angeles", 34.05, -118.24),
        "HNL": ("Honolulu", 21.31, -157.86),
        "SYD": ("Sydney", -33.87, 151.21),
    }
    counts = {"OSA": 50000, "SEO": 30000, "SAP": 20000, "LAX": 4000, "HNL": 3000, "SYD": 2000}
    where, flows, out = tmp_path / "p.csv", tmp_path / "f.csv", tmp_path / "star.html"
    where.write_text(
        "id,name,lat,lon\n" + "".join(f"{k},{n},{a},{b}\n" for k, (n, a, b) in places.items()),
        encoding="utf-8",
    )
    flows.write_text(
        "origin,dest,count\n" + "".join(f"TYO,{k},{c}\n" for k, c in counts.items()),
        encoding="utf-8",
    )
    page = _export_and_open(offline_page, flows, where, out)
    page.wait_for_function("() => !!window.flowmap.insetMap")
    west, east = page.evaluate(
        "() => { var b = window.flowmap.insetMap.getBounds(); return [b.getWest(), b.getEast()]; }"
    )
    assert west <= 127  # Seoul in view ...
    assert east >= 360 - 158  # ... and Honolulu east of it, across ±180°
    assert east - west < 300  # one part of the world, not the whole of it
    assert offline_page.errors == []
