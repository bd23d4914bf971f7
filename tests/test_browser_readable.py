"""Readable at any scale (issue 19, acceptance): default maps of four shapes of table, made
here from seeded random numbers (nothing downloaded), opened once each in Chromium at
1400 × 900.

- a world matrix of 200 countries (the offline gazetteer's country points, flows by a
  gravity model of their populations),
- a national table of 3,000 towns (clustered by zoom),
- a small regional pair (two neighbouring regions of 14 districts each),
- a single-origin star (one city to 40 others),
- a world star (one city to 40 places around the world: opens on all of them).

Each map must:

- draw strongly inked flows on at most 15% of its pixels. Measured on the flow canvas
  itself (``.fm-canvas``, read with ``getImageData`` once the progressive draw is complete):
  the share of its pixels whose alpha is above one half (128 of 255), that is, where the
  flows drawn there cover the map beneath by more than half. The canvas holds only flows and
  arrowheads, so basemap, circles and labels never count as ink;
- show at least ten place names (labels of ``.fm-place-label`` set visible by the placer,
  inside the map);
- span at most one world width (360° of longitude) and hold the bulk of the volume: more
  than half of the table's volume flows between ends that are both in view (in any copy
  of the world).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import flowmap
from flowmap.render.cluster import view_at
from flowmap.render.element import map_spec
from tests.conftest import OfflinePage

pytestmark = pytest.mark.browser

Table = tuple[pd.DataFrame, pd.DataFrame]


def world_matrix() -> Table:
    """200 countries at their gazetteer points; each sends to 40 others, by population and
    distance (heavy-tailed, as a real matrix)."""
    gazetteer = pd.read_csv(
        str(files("flowmap") / "gazetteer.csv"), keep_default_na=False, dtype=str
    )
    countries = gazetteer[(gazetteer["kind"] == "country") & (gazetteer["population"] != "")]
    rng = np.random.default_rng(19)
    chosen = countries.sample(200, random_state=19)
    lat, lon = chosen["lat"].astype(float).to_numpy(), chosen["lon"].astype(float).to_numpy()
    pop = chosen["population"].astype(float).to_numpy() + 1e4
    rows = []
    for i in range(200):
        for j in rng.choice(200, 40, replace=False):
            if i == j:
                continue
            km = 111 * math.hypot(
                lat[i] - lat[j], (lon[i] - lon[j]) * math.cos(math.radians(lat[i]))
            )
            rows.append((i, int(j), pop[i] ** 0.5 * pop[j] ** 0.5 / (km + 300) * rng.pareto(1.5)))
    ids = chosen["id"].tolist()
    flows = pd.DataFrame(
        {
            "origin": [ids[i] for i, _, _ in rows],
            "dest": [ids[j] for _, j, _ in rows],
            "count": [int(c) + 1 for _, _, c in rows],
        }
    )
    places = pd.DataFrame({"id": ids, "name": chosen["name"].tolist(), "lat": lat, "lon": lon})
    return flows, places


def national() -> Table:
    """3,000 towns around 30 cities of a France-sized box; 20,000 flows, most near."""
    rng = np.random.default_rng(7)
    n = 3000
    centres = np.column_stack([rng.uniform(43, 50.5, 30), rng.uniform(-3.5, 7.5, 30)])
    at = centres[rng.integers(0, 30, n)] + rng.normal(0, 0.45, (n, 2))
    size = rng.pareto(1.2, n) + 1
    o = rng.choice(n, 50_000, p=size / size.sum())
    d = rng.choice(n, 50_000, p=size / size.sum())
    pairs = pd.DataFrame({"o": o, "d": d}).query("o != d").drop_duplicates().head(20_000)
    near = np.hypot(*(at[pairs["o"]] - at[pairs["d"]]).T) + 0.2
    ids = [f"T{i:04d}" for i in range(n)]
    flows = pd.DataFrame(
        {
            "origin": [ids[i] for i in pairs["o"]],
            "dest": [ids[i] for i in pairs["d"]],
            "count": (rng.pareto(1.4, len(pairs)) * 30 / near).astype(int) + 1,
        }
    )
    places = pd.DataFrame({"id": ids, "name": [f"Town {i}" for i in range(n)],
                           "lat": at[:, 0], "lon": at[:, 1]})  # fmt: skip
    return flows, places


def regional_pair() -> Table:
    """Two neighbouring regions of 14 districts each; every district sends to 10 others."""
    rng = np.random.default_rng(3)
    lat = np.r_[rng.uniform(46.0, 46.8, 14), rng.uniform(46.9, 47.6, 14)]
    lon = np.r_[rng.uniform(7.0, 8.2, 14), rng.uniform(7.4, 8.8, 14)]
    ids = [f"D{i:02d}" for i in range(28)]
    rows = [(i, int(j)) for i in range(28) for j in rng.choice(28, 10, replace=False) if i != j]
    flows = pd.DataFrame(
        {
            "origin": [ids[i] for i, _ in rows],
            "dest": [ids[j] for _, j in rows],
            "count": (rng.pareto(1.3, len(rows)) * 200).astype(int) + 1,
        }
    )
    places = pd.DataFrame({"id": ids, "name": [f"District {i}" for i in range(28)],
                           "lat": lat, "lon": lon})  # fmt: skip
    return flows, places


def _star(
    seed: int,
    names: tuple[str, str, str],
    hub: tuple[float, float],
    box: tuple[float, float, float, float],
    tail: tuple[float, int],
) -> Table:
    """One hub (``names``: its name, its spokes' names and id prefix; ``hub``: lat, lon)
    to 40 spokes at random in ``box`` (lat and lon ranges), their counts Pareto-tailed
    (``tail``: shape and scale)."""
    rng = np.random.default_rng(seed)
    name, spoke, prefix = names
    ids = ["HUB", *(f"{prefix}{i:02d}" for i in range(40))]
    lat = np.r_[hub[0], rng.uniform(box[0], box[1], 40)]
    lon = np.r_[hub[1], rng.uniform(box[2], box[3], 40)]
    counts = (rng.pareto(tail[0], 40) * tail[1]).astype(int) + 1
    flows = pd.DataFrame({"origin": "HUB", "dest": ids[1:], "count": counts})
    labels = [name, *(f"{spoke} {i}" for i in range(40))]
    places = pd.DataFrame({"id": ids, "name": labels, "lat": lat, "lon": lon})
    return flows, places


def star() -> Table:
    """One city to 40 others over a continent."""
    return _star(11, ("Hub city", "City", "C"), (50.0, 14.0), (36, 64, -9, 40), (1.1, 500))


def world_star() -> Table:
    """One city (Tashkent) to 40 places around the world, a few taking most people."""
    return _star(40, ("Hub", "Spoke", "W"), (41.3, 69.3), (-35, 60, -120, 150), (1.0, 300))


MEASURE = """() => {
  var fm = window.flowmap, map = fm.map, canvas = document.querySelector('.fm-canvas');
  var data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  var strong = 0;
  for (var i = 3; i < data.length; i += 4) { if (data[i] > 128) { strong++; } }
  var box = map.getContainer().getBoundingClientRect(), names = [];
  document.querySelectorAll('.fm-place-label').forEach(function (node) {
    var r = (node.firstChild || node).getBoundingClientRect();
    if (node.style.visibility === 'visible' && r.width > 0 && r.left >= box.left &&
        r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom) {
      names.push(node.textContent);
    }
  });
  var b = map.getBounds();
  return {ink: strong / (data.length / 4), names: names, west: b.getWest(), east: b.getEast(),
          south: b.getSouth(), north: b.getNorth(), zoom: map.getZoom(),
          page: {places: fm.spec.places.id.length, totals: fm.spec.totals}};
}"""


def _open(page: Any, path: Path) -> dict[str, Any]:
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-flowmap-complete='1']", state="attached", timeout=60_000)
    page.wait_for_timeout(300)  # the placer runs on the next animation frame
    found: dict[str, Any] = page.evaluate(MEASURE)
    return found


def _in_view(lat: np.ndarray, lon: np.ndarray, view: dict[str, Any]) -> np.ndarray:
    """Whether each point is in the view, in any copy of the world."""
    inside = np.zeros(len(lat), bool)
    for shift in (-360, 0, 360):
        inside |= (
            (lat >= view["south"])
            & (lat <= view["north"])
            & (lon + shift >= view["west"])
            & (lon + shift <= view["east"])
        )
    return inside


@pytest.mark.parametrize(
    "make", [world_matrix, national, regional_pair, star, world_star], ids=lambda f: f.__name__
)
def test_default_maps_are_readable(
    make: Callable[[], Table], tmp_path: Path, offline_page: OfflinePage
) -> None:
    flows, places = make()
    fmap = flowmap.flow_map(flows, places)
    spec = map_spec(fmap)
    out = flowmap.save_html(fmap, tmp_path / "map.html")
    page = offline_page.page
    page.set_viewport_size({"width": 1400, "height": 900})
    view = _open(page, out)
    assert offline_page.errors == []
    assert view["ink"] <= 0.15, view["ink"]
    assert len(view["names"]) >= 10, view["names"]
    assert view["east"] - view["west"] <= 360 + 1e-6
    # The flows' ends (the frame chosen by the cut of fewest flows) in view and near its
    # middle, not pulled off by great circles bulging one way (a world matrix opened 56°
    # east of them); the boxes on one side (title, inset, legend) move it less than that.
    (_, west), (_, east) = spec["view"]["bounds"]
    assert view["west"] <= west
    assert east <= view["east"]
    assert abs((view["west"] + view["east"]) / 2 - (west + east) / 2) <= 35
    where = places.set_index("id")
    o, d = where.loc[flows["origin"]], where.loc[flows["dest"]]
    both = _in_view(o["lat"].to_numpy(), o["lon"].to_numpy(), view) & _in_view(
        d["lat"].to_numpy(), d["lon"].to_numpy(), view
    )
    assert flows["count"][both].sum() > 0.5 * flows["count"].sum()
    if make is world_star:  # its ends fit in one world: all in view, none an edge label
        assert _in_view(places["lat"].to_numpy(), places["lon"].to_numpy(), view).all()
    if "clusters" in spec:
        # The page's clusters are the ones the images cut at that scale, with the same
        # totals: the sums of their members'.
        same = view_at(spec, 2.0 ** view["zoom"])
        assert view["page"]["places"] == len(same["places"]["id"])
        assert view["page"]["totals"]["total"] == same["totals"]["total"]
        assert view["page"]["places"] < len(spec["places"]["id"])
        # A zoom-in splits clusters; names stay.
        page.evaluate("() => { window.flowmap.map.setZoom(window.flowmap.map.getZoom() + 2); }")
        page.wait_for_timeout(600)
        page.wait_for_selector("html[data-flowmap-complete='1']", state="attached")
        closer = page.evaluate(MEASURE)
        assert closer["page"]["places"] > view["page"]["places"]
        assert len(closer["names"]) >= 10
