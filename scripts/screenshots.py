"""Screenshots for the README and issue 19's acceptance: Chromium (Debian's, offline) views of
the Batken exports, the app, and four made-up table shapes in each look.

Run with ``make screenshots`` (or ``.venv/bin/python scripts/screenshots.py --only shapes``).
Writes PNGs to ``docs/screenshots/`` (as palette PNGs of 256 exact colours, so that the
committed set stays small) and prints their total size. Every request other than
``file:`` (and, for the app, the local server) is blocked: nothing needs the internet.

- Batken: the default view, net, a single year, the change from 2017 to 2023 and the playable
  export, in en, ky and ru, at
  1400×900 and 1920×1080 (the HTML files ``flowmap export`` writes, opened with ``file://``).
- The app (``streamlit run server.py`` on a free local port) at 1400×900 in en, ky and ru.
- Shapes (seeded, written by this script): a world matrix of 200 countries, a national table
  of 3,000 places, a small regional pair and a single-origin star, at 1400×900, in the light
  look and, when the installed flowmap has ``--theme``, the dark one (else a notice).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from _chromium import CHROMIUM, CHROMIUM_ARGS
from loadtest import streamlit_server

from flowmap.cli.commands import main as flowmap_cli
from flowmap.cli.parser import make_parser
from flowmap.io.land import country_at

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "ky", "ru")
SIZES = ((1400, 900), (1920, 1080))
BATKEN_VIEWS: dict[str, list[str]] = {
    "default": ["--static"],
    "net": ["--static", "--direction", "net"],
    "year": ["--static", "--year", "2016"],
    "change": ["--static", "--compare", "2017", "2023"],
    "playable": [],
}
"""The Batken views: ``flowmap export`` options of each (the default view is the app's)."""
THEMES = ("light", "dark")


def has_theme() -> bool:
    """Return True when ``flowmap export`` takes ``--theme`` (another change adds it)."""
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            make_parser().parse_args(["export", "--out", "x.html", "--theme", "dark"])
    except SystemExit:
        return False
    return True


def export(out: Path, args: list[str]) -> None:
    """Write one map with the command line (in this process); stop on a failure."""
    log = io.StringIO()
    with contextlib.redirect_stderr(log):
        status = flowmap_cli(["export", "--out", str(out), *args], log)
    if status != 0:
        raise SystemExit(f"flowmap export {' '.join(args)} failed:\n{log.getvalue()}")


# --------------------------------------------------------------------------- shapes


def _write(
    folder: Path, name: str, places: list[tuple[str, float, float]], rows: list[str]
) -> list[str]:
    """Write a shape's places and flows; return the export options that read them."""
    where, flows = folder / f"{name}-places.csv", folder / f"{name}-flows.csv"
    where.write_text(
        "id,name,lat,lon\n" + "".join(f"{p},{p},{a:.4f},{b:.4f}\n" for p, a, b in places),
        encoding="utf-8",
    )
    flows.write_text("origin,dest,count\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return ["--flows", str(flows), "--places", str(where)]


def _on_land(
    rng: random.Random, box: tuple[float, float, float, float], country: str = ""
) -> tuple[float, float]:
    """Return a random point of ``box`` (south, north, west, east) on land (in ``country``)."""
    south, north, west, east = box
    while True:
        lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        found = country_at(lat, lon, tolerance_km=0)
        if found and (not country or found == country):
            return lat, lon


def shapes(folder: Path) -> dict[str, list[str]]:
    """Write the four test shapes (seeded, places on land); return the options of each."""
    rng = random.Random(19)
    out: dict[str, list[str]] = {}
    # A world matrix: 200 countries on every continent, each sending to 30 others (~6,000
    # flows), counts by the product of two heavy-tailed sizes.
    boxes = [(-35, 50, -120, -40), (-30, 60, -10, 45), (-35, 50, 60, 150)]
    world = [(f"Country{k:03d}", *_on_land(rng, boxes[k % 3])) for k in range(200)]
    size = {p: rng.paretovariate(1.2) for p, _, _ in world}
    rows = [
        f"{p},{q},{int(100 * size[p] * size[q]) + 1}"
        for p, _, _ in world
        for q, _, _ in rng.sample(world, 30)
        if q != p
    ]
    out["world"] = _write(folder, "world", world, rows)
    # A national table: 3,000 towns in France, each sending to 7 towns (~21,000 flows),
    # counts by a gravity model (populations times closeness).
    towns = [(f"Town{k:04d}", *_on_land(rng, (42.5, 51, -4.5, 8), "FR")) for k in range(3000)]
    people = {p: min(rng.paretovariate(1.1), 300.0) for p, _, _ in towns}
    rows = []
    for p, lat, lon in towns:
        for q, qlat, qlon in rng.sample(towns, 7):
            if q != p:
                near = 1 / (0.2 + abs(lat - qlat) + abs(lon - qlon)) ** 1.5
                rows.append(f"{p},{q},{int(5 * people[p] * people[q] * near) + 1}")
    out["national"] = _write(folder, "national", towns, rows)
    # A small regional pair: two neighbouring towns and the villages around them.
    region = [("Northtown", 47.20, 8.50), ("Southtown", 46.95, 8.60)]
    region += [(f"Village{k}", *_on_land(rng, (46.8, 47.35, 8.2, 8.9))) for k in range(8)]
    rows = ["Northtown,Southtown,1840", "Southtown,Northtown,1310"]
    rows += [
        f"{v},{rng.choice(('Northtown', 'Southtown'))},{rng.randint(20, 400)}"
        for v, _, _ in region[2:]
    ]
    out["regional"] = _write(folder, "regional", region, rows)
    # A single-origin star: one city sending to 40 places around the world.
    star = [("Hub", 41.3, 69.3)]
    star += [(f"Spoke{k:02d}", *_on_land(rng, (-35, 60, -120, 150))) for k in range(40)]
    rows = [f"Hub,{p},{int(rng.paretovariate(1.0) * 300)}" for p, _, _ in star[1:]]
    out["star"] = _write(folder, "star", star, rows)
    return out


# --------------------------------------------------------------------------- browser


def small_png(path: Path, colours: int = 256, apart: int = 10) -> None:
    """Rewrite a screenshot as a palette PNG of at most ``colours`` colours (a third of the
    size) without moving any colour that matters.

    A map's colours are few and exact (the background, land, each kind of flow, a circle,
    a border) among many anti-aliased shades. The palette takes the most frequent colours
    first, each at least ``apart`` (in every channel) from those taken, so that a small
    yellow circle or a thin purple border keeps its own colour (median cut, Pillow's
    default, merged them away); every pixel then takes its nearest palette colour.
    """
    from PIL import Image

    with Image.open(path) as image:
        rgb = np.asarray(image.convert("RGB"))
    distinct, inverse, counts = np.unique(
        rgb.reshape(-1, 3).astype(np.int32), axis=0, return_inverse=True, return_counts=True
    )
    palette = np.empty((colours, 3), dtype=np.int32)
    taken = 0
    for k in np.argsort(-counts, kind="stable"):
        colour = distinct[k]
        if taken and np.abs(palette[:taken] - colour).max(axis=1).min() < apart:
            continue
        palette[taken] = colour
        taken += 1
        if taken == colours:
            break
    palette = palette[:taken]
    nearest = np.empty(len(distinct), dtype=np.uint8)
    for start in range(0, len(distinct), 4096):  # distinct colours x palette, in slices
        part = distinct[start : start + 4096]
        gaps = ((part[:, None, :] - palette[None, :, :]) ** 2).sum(axis=2)
        nearest[start : start + 4096] = gaps.argmin(axis=1)
    out = Image.fromarray(nearest[inverse.reshape(-1)].reshape(rgb.shape[:2]), "P")
    out.putpalette(palette.astype(np.uint8).reshape(-1).tolist())
    out.save(path, optimize=True)


def shoot(
    browser: Any, url: str, out: Path, size: tuple[int, int], allowed: tuple[str, ...]
) -> None:
    """Open ``url`` at ``size`` with every other host blocked, wait for the map, screenshot."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(allowed) else route.abort(),
    )
    page = context.new_page()
    try:
        page.goto(url)
        if url.startswith("file:"):
            page.wait_for_selector(
                "html[data-flowmap-complete='1']", state="attached", timeout=90_000
            )
        else:
            frame = page.frame_locator("iframe[title]").first
            frame.locator("html[data-flowmap-complete='1']").wait_for(
                state="attached", timeout=90_000
            )
            # A first visit draws the map alone, then the whole page (webapp/livemap.py).
            page.locator("[data-testid=stSidebar] [data-testid=stRadio]").first.wait_for(
                timeout=90_000
            )
            page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')")
        page.wait_for_timeout(600)  # labels placed after the last frame, fonts settled
        page.screenshot(path=str(out))
    finally:
        context.close()
    small_png(out)
    shown = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    print(f"{shown}  {out.stat().st_size / 1024:.0f} KB")


@contextlib.contextmanager
def app_server() -> Iterator[str]:
    """Run the app on a free loopback port (as the load test does); yield its URL."""
    with open(os.devnull, "wb") as log, streamlit_server({}, log) as (url, _):
        yield url


def run(out: Path, only: set[str], app_sizes: list[tuple[int, int]]) -> None:
    """Write every screenshot asked for under ``out``."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    theme = has_theme()
    if not theme:
        print("notice: this flowmap has no --theme yet: the dark shapes are skipped")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        if "batken" in only:
            for view, args in BATKEN_VIEWS.items():
                for lang in LANGS:
                    html = folder / f"batken-{view}-{lang}.html"
                    export(html, [*args, "--lang", lang])
                    for w, h in SIZES:
                        target = out / f"batken-{view}-{lang}-{w}x{h}.png"
                        shoot(browser, html.as_uri(), target, (w, h), ("file:", "data:"))
        if "shapes" in only:
            for name, args in shapes(folder).items():
                for look in THEMES:
                    if look == "dark" and not theme:
                        continue
                    html = folder / f"{name}-{look}.html"
                    export(html, [*args, *(["--theme", look] if theme else []), "--lang", "en"])
                    target = out / f"shape-{name}-{look}-1400x900.png"
                    shoot(browser, html.as_uri(), target, (1400, 900), ("file:", "data:"))
        if "app" in only:
            with app_server() as url:
                for lang in LANGS:
                    for w, h in app_sizes:
                        target = out / f"app-{lang}-{w}x{h}.png"
                        shoot(
                            browser,
                            f"{url}/?lang={lang}",
                            target,
                            (w, h),
                            (url, "data:", "blob:", "about:"),
                        )
        browser.close()
    total = sum(p.stat().st_size for p in out.glob("*.png"))
    print(f"{len(list(out.glob('*.png')))} screenshots in {out}: {total / 2**20:.1f} MB in all")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--only", default="batken,shapes,app", help="comma-separated: batken, shapes, app"
    )
    parser.add_argument(
        "--app-sizes", default="1400x900", help="the app's sizes, e.g. 1400x900,1920x1080"
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    options = parse()
    sizes = [tuple(int(v) for v in s.split("x")) for s in options.app_sizes.split(",")]
    run(options.out, set(options.only.split(",")), [(w, h) for w, h in sizes])
