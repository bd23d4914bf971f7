"""Benchmark of the app in a browser: how long a person waits for the map.

Starts one Streamlit server (``loadtest.streamlit_server``) and Debian's Chromium
(Playwright, offline flags of ``_chromium.py``), then measures

- the cold load: from navigation to the app's address to the map drawn (target 2 s), for
  the first session after the server has started (the server, ``streamlit run
  server.py``, builds the default view before it takes connections: ``webapp/warm.py``),
  which is also the browser's first visit (Streamlit's scripts fetched and compiled), for
  new sessions of a browser that has been before (median of 3), and for a link to a view
  no session has opened (no target);
- a year change in the sidebar to the map redrawn in the same frame (the median of 10:
  target 0.25 s), on the app's live map (``webapp/livemap.py``), twice: the next key as
  soon as the map is drawn (the views built ahead after each change are still being built
  in the server, and Chromium is still painting), and at a person's pace, 1 s to read each
  map;
- beside it, the browser's part of each approach on the same views: a redraw of the live
  map with a view's spec (``flowmap.redraw``) and a new frame of the whole 0.6 MB map page
  (``srcdoc``: what every change cost before the live map).

Prints each target beside its figure, and the machine's load (a busy machine is slower).
Asserts nothing: targets are for people. Run with ``make bench`` (or
``.venv/bin/python scripts/bench_app.py``).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _chromium import CHROMIUM, CHROMIUM_ARGS
from loadtest import SERVER_ENV, streamlit_server
from playwright.sync_api import Frame, Page, sync_playwright

from flowmap.app import view
from flowmap.batken.dataset import MapData
from flowmap.batken.export import make_map
from flowmap.batken.preset import MapOptions
from flowmap.render.maps import map_html

CHANGES = 10
COLD_TARGET = 2.0
CHANGE_TARGET = 0.25
BEFORE = "before the live map (issue 20, this machine): cold 5.7-11.9 s, a year change 0.49-0.70 s"

# The live map's frame (same origin as the app) and how many views it has drawn.
DRAWS = """() => {
    const f = document.querySelector("iframe[title]");
    const w = f && f.contentWindow;
    if (!w || !w.flowmap || w.document.documentElement.getAttribute("data-flowmap-ready") !== "1")
        return 0;
    return w.flowmap.draws || 0;
}"""


def load() -> str:
    """The machine's load averages (1, 5 and 15 minutes) and its cores."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def row(label: str, seconds: float, target: float | None = None) -> None:
    """Print one figure, with its target when it has one."""
    aim = ""
    if target is not None:
        aim = f"  (target <= {target:.2f} s: {'met' if seconds <= target else 'NOT met'})"
    print(f"  {label:<58} {seconds:7.3f} s{aim}")


# The whole page is drawn: the controls in the sidebar, the downloads and the tabs (a
# session's first run draws the map alone, the next run the rest: webapp/livemap.py).
WHOLE = """() => document.querySelectorAll("[data-testid=stSidebar] [data-testid=stRadio]")
    .length > 0 && document.querySelectorAll("[data-testid=stDownloadButton]").length > 0
    && document.querySelectorAll("[data-testid=stTab]").length > 0"""


def cold(page: Page, url: str, whole: list[float] | None = None) -> float:
    """Seconds from navigation to the map drawn; with ``whole``, wait on for the whole page
    and append its seconds there."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(f"() => ({DRAWS})() >= 1", timeout=120_000)
    seconds = time.perf_counter() - started
    if whole is not None:
        page.wait_for_function(WHOLE, timeout=120_000)
        whole.append(time.perf_counter() - started)
    return seconds


READING = 1000
"""Milliseconds a person looks at a year's map before the next change (the load test's
sessions think 1-3 s)."""


def year_changes(page: Page, pause_ms: int = 0) -> list[float]:
    """Move the year slider one stop at a time (down, then up), ``pause_ms`` after the
    map of the last change was drawn; the seconds of each change to the new view drawn in
    the same document."""
    slider = page.locator("[data-testid=stSlider] input[type=range]").first
    out = []
    for i in range(CHANGES):
        before = int(page.evaluate(DRAWS))
        slider.focus()
        page.wait_for_timeout(pause_ms)
        started = time.perf_counter()
        page.keyboard.press("ArrowLeft" if i < CHANGES // 2 else "ArrowRight")
        page.wait_for_function(f"() => ({DRAWS})() > {before}", timeout=60_000)
        out.append(time.perf_counter() - started)
    return out


def frame_of(page: Page) -> Frame:
    """The live map's frame."""
    handle = page.locator("iframe[title]").first.element_handle()
    frame = handle.content_frame() if handle is not None else None
    assert frame is not None
    return frame


REDRAW = """async () => {
    const fm = window.flowmap, spec = fm.spec, el = document.getElementById("fm-live");
    const how = { centre: fm.map.getCenter(), tiles: [] };
    const ready = () => document.documentElement.getAttribute("data-flowmap-ready") === "1";
    const started = performance.now();
    fm.redraw(el, JSON.parse(JSON.stringify(spec)), how);
    while (!ready()) { await new Promise((r) => requestAnimationFrame(r)); }
    return (performance.now() - started) / 1000;
}"""

SRCDOC = """async (html) => {
    const f = document.createElement("iframe");
    f.style.cssText = "position:fixed;left:0;top:0;width:1100px;height:700px;border:0";
    const started = performance.now();
    f.srcdoc = html;
    document.body.appendChild(f);
    const ready = () => f.contentDocument && f.contentDocument.documentElement &&
        f.contentDocument.documentElement.getAttribute("data-flowmap-ready") === "1";
    while (!ready()) { await new Promise((r) => setTimeout(r, 5)); }
    const seconds = (performance.now() - started) / 1000;
    f.remove();
    return seconds;
}"""


def browser_parts(page: Page) -> tuple[list[float], list[float]]:
    """The browser's part of a change, each way, ``CHANGES`` times: a redraw of the live map
    and a new frame of the whole map page of the same view."""
    frame = frame_of(page)
    redraws = [float(frame.evaluate(REDRAW)) for _ in range(CHANGES)]
    data = MapData.load()
    state = view.state_from_query({"year": "2022"})
    fmap = make_map(
        data,
        state.selection(data.places),
        MapOptions(border_overlay=True),
        None,
        view.flows_for(data, state),
    )
    html = map_html(fmap)
    pages = [float(page.evaluate(SRCDOC, html)) for _ in range(CHANGES)]
    return redraws, pages


def main() -> int:
    """Run the benchmark; print the figures."""
    print(f"bench_app: the app in Chromium; {load()}")
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "server.log"
        with (
            log_path.open("wb") as log,
            streamlit_server(SERVER_ENV, log) as (url, _),
            sync_playwright() as play,
        ):
            browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                wholes: list[float] = []
                first = cold(page, url, wholes)
                row("cold load, first session after the server started", first, COLD_TARGET)
                print("    (the browser's first visit: Streamlit's scripts fetched and compiled)")
                row("  the whole page drawn (controls, downloads, tabs)", wholes[0])
                # Later visitors' browsers hold Streamlit's scripts (cached, compiled): a new
                # session each, on the app's address.
                again = []
                for _ in range(3):
                    other = browser.new_page(viewport={"width": 1400, "height": 900})
                    again.append(cold(other, url, wholes))
                    other.close()
                row(
                    "cold load, a new session of a browser that has been (median of 3)",
                    statistics.median(again),
                    COLD_TARGET,
                )
                print(f"    each: {' '.join(f'{s:.3f}' for s in again)}")
                row("  the whole page drawn (median of 3)", statistics.median(wholes[1:]))
                # A link to a view no session has opened yet: built on the way.
                other = browser.new_page(viewport={"width": 1400, "height": 900})
                third = cold(other, f"{url}/?year=2016&lang=ru&direction=in")
                row("cold load, a link to a view not built yet", third)
                other.close()
                page.goto(f"{url}/?year=2022")
                page.wait_for_function(f"() => ({DRAWS})() >= 1", timeout=120_000)
                page.wait_for_function(WHOLE, timeout=120_000)  # the slider is there
                for pause, how in ((0, "one after another"), (READING, "1 s to read each")):
                    changes = year_changes(page, pause)
                    row(
                        f"year change to the map redrawn, {how} (median of {CHANGES})",
                        statistics.median(changes),
                        CHANGE_TARGET,
                    )
                    print(f"    each: {' '.join(f'{s:.3f}' for s in changes)}")
                redraws, pages = browser_parts(page)
                row(
                    "  in the browser: live map redrawn with a spec (median)",
                    statistics.median(redraws),
                )
                row(
                    "  in the browser: the old way, a new 0.6 MB page (median)",
                    statistics.median(pages),
                )
            finally:
                browser.close()
    print(f"  {BEFORE}")
    print(f"  {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
