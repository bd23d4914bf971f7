"""Benchmark: how long maps take to build and how big they are, for the embedded data and
for large synthetic flow sets. Prints figures; asserts nothing (targets are for people).

Run with ``make bench`` (or ``.venv/bin/python scripts/bench.py --flows 10000``).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from flowmap.batken.dataset import MapData
from flowmap.batken.export import make_map, playable_map
from flowmap.batken.query import Selection
from flowmap.io.land import country_at
from flowmap.render.element import map_spec
from flowmap.render.image import render_image
from flowmap.render.maps import map_html
from flowmap.text.period import Period


def synthetic(folder: Path, places: int, flows: int, seed: int = 1) -> tuple[Path, Path]:
    """Write a places file and a flows file with random points and counts."""
    rng = random.Random(seed)
    place_rows = ["id,kind,name_en,name_ky,name_ru,parent,lat,lon,anchor"]
    place_rows.append("KG-B,oblast,Batken,Баткен,Баткен,,39.853,71.591,")
    ids = []
    for i in range(places):
        pid = f"P{i}"
        ids.append(pid)
        lat, lon = rng.uniform(25, 60), rng.uniform(20, 110)
        while not country_at(lat, lon):  # places are on land (a place at sea is refused)
            lat, lon = rng.uniform(25, 60), rng.uniform(20, 110)
        place_rows.append(f"{pid},city,Place {i},Жер {i},Место {i},,{lat:.4f},{lon:.4f},")
    flow_rows = ["origin,destination,period,sex,age,count,basis,source_ref,method,note"]
    seen = set()
    while len(flow_rows) <= flows:
        dest = rng.choice(ids)
        # One period: a map draws one period, so every synthetic flow is drawn.
        year = 2020
        origin, destination = ("KG-B", dest) if rng.random() < 0.5 else (dest, "KG-B")
        if (origin, destination, year) in seen:
            continue
        seen.add((origin, destination, year))
        basis = rng.choice(["reported", "derived", "modelled"])
        method = "synthetic" if basis == "modelled" else ""
        flow_rows.append(
            f"{origin},{destination},{year},total,all,{rng.randrange(1, 5000)},{basis},bench,"
            f"{method},"
        )
    places_file, flows_file = folder / "places.csv", folder / "flows.csv"
    places_file.write_text("\n".join(place_rows) + "\n", encoding="utf-8")
    flows_file.write_text("\n".join(flow_rows) + "\n", encoding="utf-8")
    return places_file, flows_file


def measure(label: str, data: MapData, selection: Selection) -> None:
    """Print the time to build and render one map and the size of its HTML."""
    start = time.perf_counter()
    fmap = make_map(data, selection)
    built = time.perf_counter()
    html = map_html(fmap)
    done = time.perf_counter()
    flows = len(data.selected(selection))
    print(
        f"{label:<38} {flows:>6} flows  build {1000 * (built - start):7.0f} ms  "
        f"render {1000 * (done - built):7.0f} ms  HTML {len(html.encode()) / 1e6:6.2f} MB"
    )


def measure_playable(label: str, data: MapData, selection: Selection) -> None:
    """Print the time to build and render a playable export (every year, direction and
    language of the selection) and its size, against the 1 MB budget of the Batken export."""
    start = time.perf_counter()
    html = map_html(playable_map(data, selection))
    took = time.perf_counter() - start
    size = len(html.encode())
    print(
        f"{label:<38} playable  build+render {1000 * took:7.0f} ms  "
        f"HTML {size / 1e6:6.2f} MB ({size / 1024:.0f} KiB, budget 1024 KiB)"
    )


def measure_images(data: MapData, folder: Path) -> None:
    """Print the time to draw the embedded map as each image format (the first image, which
    loads fonts and caches, is drawn before timing)."""
    spec = map_spec(make_map(data, Selection(period=Period(2014, 2023))))
    render_image(spec, folder / "warm.png")
    kinds = (("png", "1920x1080"), ("png", "1280x720"), ("svg", "1920x1080"), ("pdf", "a4"))
    for fmt, size in kinds:
        start = time.perf_counter()
        out = render_image(spec, folder / f"map-{size}.{fmt}", size=size)
        took = time.perf_counter() - start
        print(
            f"image of the embedded map, {fmt.upper()} {size:<9} {1000 * took:7.0f} ms  "
            f"{out.stat().st_size / 1e6:6.2f} MB"
        )


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--flows", type=int, nargs="*", default=[1000, 10000])
    args = parser.parse_args()
    start = time.perf_counter()
    data = MapData.load()
    print(
        f"load embedded data, anchors and geometry: {1000 * (time.perf_counter() - start):.0f} ms"
    )
    measure("embedded, 2014-2023, departures", data, Selection(period=Period(2014, 2023)))
    measure(
        "embedded, 2022, all directions",
        data,
        Selection(period=Period(2022, 2022), direction="both"),
    )
    measure_playable("embedded, all years, exported", data, Selection())
    measure_playable("embedded, 2014-2023, exported", data, Selection(period=Period(2014, 2023)))
    with tempfile.TemporaryDirectory() as folder:
        measure_images(data, Path(folder))
    for count in args.flows:
        with tempfile.TemporaryDirectory() as folder:
            # Two flows (out and in) per place at most in one period: enough places.
            places, flows = synthetic(Path(folder), max(300, count // 2 + 50), count)
            start = time.perf_counter()
            big = MapData.load(flows, places)
            loaded = time.perf_counter() - start
            print(f"load {count} synthetic flows and their geometry: {1000 * loaded:.0f} ms")
            measure(f"synthetic, {count} flows, all", big, Selection(direction="both"))


if __name__ == "__main__":
    main()
