"""Benchmark of the general engine against plain folium, in one run. Prints figures and
asserts nothing (targets are for people; see README "Performance").

- 40,000 flows among 200 places: ``flowmap.flow_map`` + ``save_html`` beside plain folium
  with one ``PolyLine`` per flow (the naive approach): build-and-write time, HTML size, and
  Chromium's time to first draw of each file (offline, Debian's Chromium).
- A long table of 1,000,000 rows (origin, dest, year, count): read, aggregate and map, with
  peak memory, measured in a fresh process for 250,000, 500,000 and 1,000,000 rows to show
  that memory grows linearly.

Run with ``make bench`` or ``.venv/bin/python scripts/bench_engine.py``.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import folium
import numpy as np
import pandas as pd
from _chromium import CHROMIUM, CHROMIUM_ARGS
from branca.element import Figure

import flowmap
from flowmap.render._assets import leaflet_assets
from flowmap.render._elements import Raw


def synthetic(places: int, flows: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return random places (over Eurasia) and distinct flows among them."""
    rng = np.random.default_rng(seed)
    ids = [f"P{i:04d}" for i in range(places)]
    place_frame = pd.DataFrame(
        {
            "id": ids,
            "name": [f"Place {i}" for i in range(places)],
            "lat": rng.uniform(25, 60, places).round(4),
            "lon": rng.uniform(20, 110, places).round(4),
        }
    )
    every = np.arange(places * places)
    every = every[(every // places) != (every % places)]
    pairs = rng.choice(every, size=min(flows, len(every)), replace=False)
    flow_frame = pd.DataFrame(
        {
            "origin": [ids[i] for i in pairs // places],
            "dest": [ids[i] for i in pairs % places],
            "count": rng.integers(1, 5000, len(pairs)),
        }
    )
    return place_frame, flow_frame


def polyline_map(flows: pd.DataFrame, places: pd.DataFrame) -> folium.Map:
    """Return the naive map: one folium PolyLine per flow (Leaflet inlined the same way)."""
    js, css = leaflet_assets()
    fmap = folium.Map(location=[45, 65], zoom_start=3, tiles=None)
    fmap.default_js = []
    fmap.default_css = [("leaflet_css", css)]
    root = fmap.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(Raw(f"<script>{js}</script>"), name="leaflet")
    where = places.set_index("id")[["lat", "lon"]]
    top = flows["count"].max()
    for row in flows.itertuples(index=False):
        a, b = where.loc[row.origin], where.loc[row.dest]
        line = folium.PolyLine(  # type: ignore[no-untyped-call]
            [[a.lat, a.lon], [b.lat, b.lon]], weight=max(1.0, 28 * (row.count / top) ** 0.5)
        )
        line.add_to(fmap)
    return fmap


def first_draw_ms(path: Path, ready: str, complete: str | None = None) -> tuple[float, ...]:
    """Return Chromium's times for one file (ms), offline.

    - from navigation to ``ready`` being true and painted, as seen from outside the page;
    - the page's own clock at its first draw (ms since navigation start; NaN for a page
      without our flow layer) and at its first paint;
    - from navigation to ``complete`` being true (every flow drawn; NaN without it).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route(
            "**/*", lambda r: r.abort() if not r.request.url.startswith("file:") else r.continue_()
        )
        start = time.perf_counter()
        page.goto(path.as_uri(), wait_until="commit")
        page.wait_for_function(ready, timeout=120_000, polling=20)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(0)))")
        elapsed = 1000 * (time.perf_counter() - start)
        done = math.nan
        if complete:
            page.wait_for_function(complete, timeout=120_000, polling=20)
            done = 1000 * (time.perf_counter() - start)
        inside = page.evaluate("() => window.flowmap ? window.flowmap.readyAt : NaN")
        paint = page.evaluate(
            "() => (performance.getEntriesByType('paint')[0] || {startTime: NaN}).startTime"
        )
        browser.close()
    return elapsed, float(inside), float(paint), done


def median_draw(path: Path, runs: int, ready: str, complete: str | None = None) -> list[float]:
    """Return the median of each figure of :func:`first_draw_ms` over ``runs`` fresh loads."""
    rows = [first_draw_ms(path, ready, complete) for _ in range(runs)]
    return [statistics.median(column) for column in zip(*rows, strict=True)]


def bench_40k(count: int, folder: Path, runs: int = 3) -> None:
    """Print ours beside the PolyLine map for ``count`` flows among 200 places."""
    # 200 places have only 39,800 ordered pairs: 202 places give 40,000 distinct flows.
    n_places = max(200, int((1 + (1 + 4 * count) ** 0.5) / 2) + 1)
    places, flows = synthetic(n_places, count)
    start = time.perf_counter()
    ours = folder / "ours.html"
    flowmap.save_html(flowmap.flow_map(flows, places, title="Synthetic", top=None), ours)
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    naive = folder / "polyline.html"
    polyline_map(flows, places).save(str(naive))
    naive_s = time.perf_counter() - start
    ours_mb, naive_mb = ours.stat().st_size / 1e6, naive.stat().st_size / 1e6
    print(f"\n{len(flows):,} flows among {n_places} places")
    print(f"  {'':<22}{'build+write':>12}{'HTML':>10}{'first draw':>12}")
    attr = "() => document.documentElement.getAttribute('data-flowmap-{}') === '1'"
    ours_draw, ours_inside, ours_paint, ours_done = median_draw(
        ours, runs, attr.format("ready"), attr.format("complete")
    )
    naive_draw, _, naive_paint, _ = median_draw(
        naive, runs, "() => document.querySelectorAll('path.leaflet-interactive').length > 0"
    )
    print(f"  {'flowmap.flow_map':<22}{ours_s:>11.2f}s{ours_mb:>8.2f}MB{ours_draw / 1000:>11.2f}s")
    print(
        f"  {'folium PolyLine':<22}{naive_s:>11.2f}s{naive_mb:>8.2f}MB{naive_draw / 1000:>11.2f}s"
    )
    print(f"  faster: {naive_s / ours_s:.0f}x   smaller: {naive_mb / ours_mb:.1f}x")
    print(
        f"  Chromium, median of {runs} loads: first draw seen from outside (navigation to "
        f"first flows drawn and painted) {ours_draw / 1000:.2f}s; by the page's own clock, "
        f"first flows drawn {ours_inside / 1000:.2f}s, first paint {ours_paint / 1000:.2f}s "
        f"(PolyLine: {naive_paint / 1000:.2f}s); all {len(flows):,} flows drawn "
        f"{ours_done / 1000:.2f}s"
    )


def bench_first_frame(count: int, folder: Path, runs: int = 3) -> None:
    """Print Chromium's first frame of ``count`` flows among 200 and among 4,000 places,
    as exported by default (the largest 1,000 flows) and with every flow (``top=None``),
    beside the target of issue 19 (1.5 s, navigation to first flows drawn and painted)."""
    target = FIRST_FRAME_TARGET_S
    print(f"\nfirst frame in Chromium (median of {runs} loads; target {target:.1f} s)")
    head = f"{'places':>7}{'flows drawn':>14}{'HTML':>9}{'first frame':>13}{'all drawn':>11}"
    print(f"  {head}  target")
    attr = "() => document.documentElement.getAttribute('data-flowmap-{}') === '1'"
    for n_places in (max(202, int((1 + (1 + 4 * count) ** 0.5) / 2) + 1), 4000):
        places, flows = synthetic(n_places, count)
        for top in (1000, None):
            out = folder / f"first-{n_places}-{top}.html"
            flowmap.save_html(flowmap.flow_map(flows, places, title="Synthetic", top=top), out)
            ready, complete = attr.format("ready"), attr.format("complete")
            first, _, _, done = median_draw(out, runs, ready, complete)
            drawn = f"{min(top, len(flows)):,}" if top else f"all {len(flows):,}"
            met = "met" if first / 1000 <= target else "MISSED"
            print(
                f"  {n_places:>7,}{drawn:>14}{out.stat().st_size / 1e6:>7.2f}MB"
                f"{first / 1000:>12.2f}s{done / 1000:>10.2f}s  {met}"
            )


FIRST_FRAME_TARGET_S = 1.5

LONG_TABLE = """
import resource, sys, time
import numpy as np, pandas as pd
import flowmap
# The package imports its parts when first used: import them before the clock starts, so
# the figures are of reading and mapping, not of importing pandas, folium and SciPy.
_ = (flowmap.read_flows, flowmap.read_places, flowmap.flow_map, flowmap.map_html)
rows, path = int(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
flows = flowmap.read_flows(path)
places = flowmap.read_places(path.replace("flows", "places"))
read = time.perf_counter()
m = flowmap.flow_map(flows, places, period="2000-2019", top=5000)
html = flowmap.map_html(m)
done = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{rows},{read - start:.2f},{done - read:.2f},{peak:.0f},{len(html) / 1e6:.2f}")
"""


def bench_long(rows: int, folder: Path) -> str:
    """Return "rows,read s,map s,peak MB,HTML MB" measured in a fresh process."""
    rng = np.random.default_rng(2)
    places, _ = synthetic(2000, 10)
    ids = places["id"].to_numpy()
    frame = pd.DataFrame(
        {
            "origin": ids[rng.integers(0, len(ids), rows)],
            "dest": ids[rng.integers(0, len(ids), rows)],
            "year": rng.integers(2000, 2020, rows),
            "count": rng.integers(0, 500, rows),
        }
    )
    flows_path, places_path = folder / f"flows-{rows}.csv", folder / f"places-{rows}.csv"
    frame.to_csv(flows_path, index=False)
    places.to_csv(places_path, index=False)
    result = subprocess.run(
        [sys.executable, "-c", LONG_TABLE, str(rows), str(flows_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--flows", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=3, help="Chromium loads per file")
    parser.add_argument("--rows", type=int, nargs="*", default=[250_000, 500_000, 1_000_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print(f"machine load (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        bench_40k(args.flows, folder, args.runs)
        bench_first_frame(args.flows, folder, args.runs)
        print("\nlong table (origin, dest, year, count), fresh process each")
        print(f"  {'rows':>10}{'read':>8}{'map':>8}{'peak':>10}{'HTML':>8}")
        for rows in args.rows:
            n, read, made, peak, size = bench_long(rows, folder).split(",")
            print(f"  {int(n):>10,}{read:>7}s{made:>7}s{peak:>8}MB{size:>6}MB")


if __name__ == "__main__":
    main()
