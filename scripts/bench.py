"""Benchmark: the command line's targets of issue 20, then how long maps take to build and
how big they are, for the embedded data and for large synthetic flow sets. Prints figures;
asserts nothing (targets are for people).

The targets are measured in fresh interpreters (as a person waits for them): ``import
flowmap`` (<= 0.5 s) and ``flowmap --help`` (<= 0.3 s), each beside the eager imports they
avoid (the naive figure, same run); a Batken PNG (<= 1.5 s), beside the same command drawing
in its own process on one core (``taskset -c 0``: no drawing process), and a PNG of a table
the size of the 4,061-town map (4,061 places, 42,000 flows, clustered; <= 5 s). Each figure is the
median wall time of a few runs, with its CPU time (user + system, the machine is shared)
and the machine's load average (``os.getloadavg()``) next to it.

Run with ``make bench`` (or ``.venv/bin/python scripts/bench.py --flows 10000``;
``--targets`` for the targets only).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
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


def towns(folder: Path, places: int = 4061, flows: int = 42_000, seed: int = 20) -> list[str]:
    """Write a national table the size of the 4,061-town map of issue 20 (``places`` towns
    in France, ``flows`` flows between them by a gravity model: populations times
    closeness); return the ``flowmap export`` options that read it."""
    rng = random.Random(seed)
    where: list[tuple[str, float, float]] = []
    while len(where) < places:
        lat, lon = rng.uniform(42.5, 51), rng.uniform(-4.5, 8)
        if country_at(lat, lon, tolerance_km=0) == "FR":
            where.append((f"Town{len(where):04d}", lat, lon))
    people = {p: min(rng.paretovariate(1.1), 300.0) for p, _, _ in where}
    rows: set[tuple[str, str]] = set()
    lines: list[str] = []
    while len(lines) < flows:
        (p, lat, lon), (q, qlat, qlon) = rng.sample(where, 2)
        if (p, q) in rows:
            continue
        rows.add((p, q))
        near = 1 / (0.2 + abs(lat - qlat) + abs(lon - qlon)) ** 1.5
        lines.append(f"{p},{q},{int(5 * people[p] * people[q] * near) + 1}")
    places_file, flows_file = folder / "towns-places.csv", folder / "towns-flows.csv"
    places_file.write_text(
        "id,name,lat,lon\n" + "".join(f"{p},{p},{a:.4f},{b:.4f}\n" for p, a, b in where),
        encoding="utf-8",
    )
    flows_file.write_text("origin,dest,count\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return ["--flows", str(flows_file), "--places", str(places_file)]


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


FLOWMAP = Path(sys.executable).with_name("flowmap")
"""The command line of this environment (``.venv/bin/flowmap``)."""


def load() -> str:
    """Return the machine's load averages over 1, 5 and 15 minutes, for the figures."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def timed(command: Sequence[str], runs: int) -> tuple[float, float]:
    """Return the median wall time and the median CPU time (user + system) of ``runs`` runs
    of ``command`` in a fresh process, in seconds; stop when it fails."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return statistics.median(walls), statistics.median(cpus)


def target(label: str, goal: float, command: Sequence[str], runs: int, naive: str = "") -> None:
    """Print one target of issue 20 beside its figure (and the naive figure, when given)."""
    wall, cpu = timed(command, runs)
    verdict = "met" if wall <= goal else "NOT met"
    print(
        f"{label:<44} target <= {goal:4.1f} s  measured {wall:5.2f} s (cpu {cpu:5.2f} s, "
        f"median of {runs}) {verdict:<7}  {load()}{naive}",
        flush=True,
    )


def measure_targets(runs: int) -> None:
    """Print the command line's targets of issue 20, each measured in fresh processes."""
    python = sys.executable
    print(f"targets of issue 20 ({load()} at the start)")
    eager = "import pandas, folium, matplotlib, babel"
    naive_wall, naive_cpu = timed([python, "-c", eager], runs)
    naive = f"\n{'':<4}naive: `{eager}` {naive_wall:5.2f} s (cpu {naive_cpu:5.2f} s)"
    target("import flowmap", 0.5, [python, "-c", "import flowmap"], runs, naive)
    # The old command line built its parser after importing every command's module.
    old = (
        "import flowmap.cli.export, flowmap.cli.data_commands, flowmap.cli.userdata; "
        "from flowmap.cli.parser import make_parser; make_parser().format_help()"
    )
    old_wall, old_cpu = timed([python, "-c", old], runs)
    naive = (
        f"\n{'':<4}naive: the parser after every command's imports {old_wall:5.2f} s "
        f"(cpu {old_cpu:5.2f} s)"
    )
    target("flowmap --help", 0.3, [str(FLOWMAP), "--help"], runs, naive)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        png = [str(FLOWMAP), "export", "--out", str(folder / "map.png")]
        naive = ""
        if shutil.which("taskset"):  # on one core the command draws in its own process
            one_wall, one_cpu = timed(["taskset", "-c", "0", *png], runs)
            naive = (
                f"\n{'':<4}naive: in one process (`taskset -c 0`, no drawing process) "
                f"{one_wall:5.2f} s (cpu {one_cpu:5.2f} s)"
            )
        target("Batken PNG (flowmap export --out map.png)", 1.5, png, runs, naive)
        shape = towns(folder)
        target(
            "4,061 towns, 42,000 flows, clustered PNG",
            5.0,
            [str(FLOWMAP), "export", *shape, "--out", str(folder / "towns.png")],
            max(1, runs - 1),
        )
    print(f"targets done ({load()})", flush=True)


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--flows", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs of each target (median)")
    parser.add_argument("--targets", action="store_true", help="only the targets of issue 20")
    args = parser.parse_args()
    measure_targets(args.runs)
    if args.targets:
        return
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
