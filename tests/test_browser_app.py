"""The real app (``streamlit run`` on 127.0.0.1) driven in Debian's Chromium; every other
host is blocked."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, FrameLocator

from flowmap.text.i18n import t
from tests.conftest import OfflinePage

pytestmark = pytest.mark.browser


# The whole Batken page is drawn: its controls, downloads and tabs (a session's first run
# draws the map alone, the next run the rest: webapp/livemap.py).
WHOLE = """() => document.querySelectorAll("[data-testid=stSidebar] [data-testid=stRadio]")
    .length >= 8 && document.querySelector("[data-testid=stSidebar] [data-testid=stMultiSelect]")
    && document.querySelectorAll("[data-testid=stDownloadButton]").length === 4
    && document.querySelector("[data-testid=stTab]")"""


def open_app(page: OfflinePage, url: str) -> FrameLocator:
    """Open the app at ``url``; wait for its map and for the whole page; return the map's
    frame."""
    page.page.goto(url)
    frame: FrameLocator = page.page.frame_locator("iframe[title]").first
    frame.locator("html[data-flowmap-ready='1']").wait_for(state="attached", timeout=60_000)
    page.page.wait_for_function(WHOLE, timeout=60_000)
    return frame


# How many views the app's live map (webapp/livemap.py) has drawn in its document, once
# the last one is drawn (0 before).
DRAWS = """() => {
    const f = document.querySelector("iframe[title]");
    const w = f && f.contentWindow;
    const root = w && w.document.documentElement;
    if (!root || !w.flowmap || root.getAttribute("data-flowmap-ready") !== "1") return 0;
    return w.flowmap.draws || 0;
}"""


def draws(page: OfflinePage) -> int:
    """Return how many views the map has drawn in its document."""
    return int(page.page.evaluate(DRAWS))


def wait_for_map_change(page: OfflinePage, before: int) -> FrameLocator:
    """Wait until the map has drawn a view after the ``before``-th; return its frame."""
    page.page.wait_for_function(f"() => ({DRAWS})() > {before}", timeout=60_000)
    frame: FrameLocator = page.page.frame_locator("iframe[title]").first
    return frame


def drawn(frame: FrameLocator) -> dict[str, float]:
    """Return the width of each flow the map in ``frame`` drew, by its other end."""
    flows = frame.locator("html").evaluate("() => window.flowmap.drawnFlows()")
    return {(f["dest"] if f["origin"] == "KG-B" else f["origin"]): f["width"] for f in flows}


def width(frame: FrameLocator, dest: str) -> float:
    return float(drawn(frame)[dest])


def test_newcomer_sees_flows_to_eight_destinations(
    app_page: OfflinePage, streamlit_url: str
) -> None:
    frame = open_app(app_page, streamlit_url)
    assert set(drawn(frame)) >= {"KG-GO", "KG-GB", "KG-C", "RU", "UZ", "KZ", "TR", "US"}
    assert frame.locator("path.leaflet-interactive").count() >= 10  # the border overlay
    assert app_page.page.locator("[data-testid=stException]").count() == 0
    assert app_page.errors == []
    assert app_page.blocked == []
    assert "period=2014-2023" in app_page.page.url


GRID_SCRIPTS = """() => performance.getEntriesByType("resource").map((e) => e.name)
  .filter((name) => /static\\/js\\/(DataFrame|arrowFormatUtils)\\./.test(name))"""
"""The scripts of Streamlit's data grid the page has fetched (none until a grid is shown)."""


def test_the_numbers_are_an_html_table_and_no_data_grid_is_fetched(
    app_page: OfflinePage, streamlit_url: str
) -> None:
    """The first tab under the map was Streamlit's data grid, whose 1.7 MB of scripts a
    first visit fetched and compiled before the map's frame was made: now an HTML table,
    its columns headed for a screen reader, and the grid's scripts only come with the
    coverage grid."""
    open_app(app_page, streamlit_url)
    page = app_page.page
    table = page.locator(".fm-table[role=region] table")
    table.wait_for(timeout=60_000)
    assert table.locator("th[scope=col]").count() == 11
    assert table.locator("tbody tr").count() == 9
    assert "3,379" in table.locator("td.fm-num").all_inner_texts()
    assert page.evaluate(GRID_SCRIPTS) == []
    page.get_by_role("tab", name="Coverage").click()
    page.locator("[data-testid=stDataFrame]").wait_for(timeout=60_000)
    assert page.evaluate(GRID_SCRIPTS) != []  # the check sees a grid's scripts


def test_changing_year_changes_widths(app_page: OfflinePage, streamlit_url: str) -> None:
    frame = open_app(app_page, f"{streamlit_url}/?year=2022&basis=reported")
    before = width(frame, "KG-OTHER")
    slider = app_page.page.locator("[data-testid=stSlider] input[type=range]").first
    slider.focus()
    for _ in range(6):  # 2022 -> 2016
        app_page.page.keyboard.press("ArrowLeft")
    # The key presses cause reruns for 2021, 2020, ... as well: wait for the map whose own
    # title says 2016, not merely for a new map (reading an intermediate one was a race).
    app_page.page.wait_for_function("() => location.search.includes('year=2016')")
    app_page.page.wait_for_function(
        """() => {
            const d = document.querySelector("iframe[title]").contentDocument;
            return d.title.includes("2016") &&
                d.documentElement.getAttribute("data-flowmap-ready") === "1";
        }""",
        timeout=60_000,
    )
    frame = app_page.page.frame_locator("iframe[title]").first
    after = width(frame, "KG-OTHER")
    assert before / after == pytest.approx((2169 / 1355) ** 0.5, rel=0.02)


def test_a_year_change_redraws_the_map_in_the_same_document(
    app_page: OfflinePage, streamlit_url: str
) -> None:
    """Issue 20: the map stays loaded; a year change sends the new view, drawn in the
    same document (Leaflet and the page's scripts are not loaded again), also from a year
    with nothing left out (2023) to one whose notes show above the map (2022): the map's
    place among the page's elements stays the same."""
    frame = open_app(app_page, f"{streamlit_url}/?year=2023")
    assert app_page.page.locator(".st-key-fm-notes summary").count() == 0
    root = frame.locator("html")
    root.evaluate("() => { window.fmSameDocument = 'still here'; }")
    assert "2023" in frame.locator(".fm-title h1").inner_text()
    before = draws(app_page)
    app_page.page.locator("[data-testid=stSlider] input[type=range]").first.focus()
    app_page.page.keyboard.press("ArrowLeft")  # 2023 -> 2022
    frame = wait_for_map_change(app_page, before)
    assert "2022" in frame.locator(".fm-title h1").inner_text()
    assert "2023" not in frame.locator(".fm-title h1").inner_text()
    app_page.page.locator(".st-key-fm-notes summary").first.wait_for()
    assert frame.locator("html").evaluate("() => window.fmSameDocument") == "still here"
    assert frame.locator(".fm-title").count() == 1  # the old map and its boxes are gone


# Kept by the page from its start: when the map's frame was made, how many controls the
# sidebar had then, and how many map frames were ever made.
ORDER = """
window.fmOrder = {frames: 0, controlsThen: null};
new MutationObserver(() => {
    const frame = document.querySelector(".st-key-fm-map iframe");
    if (frame && frame !== window.fmOrder.frame) {
        window.fmOrder.frame = frame;
        window.fmOrder.frames += 1;
        if (window.fmOrder.controlsThen === null)
            window.fmOrder.controlsThen =
                document.querySelectorAll("[data-testid=stSidebar] [data-testid=stRadio]").length;
    }
}).observe(document, {childList: true, subtree: true});
"""


def test_a_first_visit_makes_the_map_frame_before_the_controls_and_keeps_it(
    browser: Browser, streamlit_url: str
) -> None:
    """Issue 20: a session's first run draws the map alone (Streamlit's page made the
    map's frame only once every control was drawn); the controls, downloads and tabs
    come on the run the frame asks for, and the frame is kept."""
    visit = OfflinePage(browser, (streamlit_url, "data:", "blob:", "about:"))
    try:
        visit.context.add_init_script(ORDER)
        frame = open_app(visit, f"{streamlit_url}/?year=2019")
        page = visit.page
        page.locator("[data-testid=stSlider] input[type=range]").wait_for(timeout=60_000)
        assert page.locator("[data-testid=stSidebar] [data-testid=stRadio]").count() == 9
        order = page.evaluate("() => [window.fmOrder.frames, window.fmOrder.controlsThen]")
        assert order == [1, 0]  # one frame, made while the sidebar had no control
        assert "2019" in frame.locator(".fm-title h1").inner_text()
        assert draws(visit) == 1  # the whole page's run did not draw the view again
        assert visit.errors == []
        assert visit.blocked == []
    finally:
        visit.close()


def test_the_whole_page_comes_even_when_the_map_frame_never_loads(
    browser: Browser, streamlit_url: str
) -> None:
    """A map frame that fails to load never says it has its view: the controls, downloads
    and tabs still come, by the browser's timer, after ``WAIT_SECONDS``."""
    allowed = (streamlit_url, "data:", "blob:", "about:")
    visit = OfflinePage(browser, allowed)
    try:
        visit.context.route("**/component/**", lambda route: route.abort())
        visit.page.goto(streamlit_url)
        radios = visit.page.locator("[data-testid=stSidebar] [data-testid=stRadio]")
        visit.page.locator("[data-testid=stDownloadButton]").nth(3).wait_for(timeout=60_000)
        radios.nth(8).wait_for(timeout=60_000)
        assert radios.count() == 9
    finally:
        visit.close()


def test_removing_a_destination_removes_its_line(app_page: OfflinePage, streamlit_url: str) -> None:
    frame = open_app(app_page, f"{streamlit_url}/?period=2014-2023")
    assert "RU" in drawn(frame)
    before = draws(app_page)
    app_page.page.locator("button[aria-label='Remove Russia']").click()
    frame = wait_for_map_change(app_page, before)
    assert "RU" not in drawn(frame)
    assert "UZ" in drawn(frame)
    assert "RU" not in app_page.page.url.split("dest=")[1].split("&")[0]


def test_switching_language_changes_the_page(app_page: OfflinePage, streamlit_url: str) -> None:
    open_app(app_page, streamlit_url)
    page = app_page.page
    assert "Migration of the population of Batken oblast" in page.locator("h1").first.inner_text()
    before = draws(app_page)
    page.get_by_text("Кыргызча", exact=True).click()
    frame = wait_for_map_change(app_page, before)
    page.wait_for_function(
        "() => document.querySelector('h1').innerText.includes('Баткен облусунун')"
    )
    assert "Көчүп кеткендер" in frame.locator(".fm-title").inner_text()
    assert "lang=ky" in page.url
    # The map's frame is named for screen readers in the page's language, never by the
    # component's module path (which Streamlit gives it).
    page.wait_for_function(
        "(name) => [...document.querySelectorAll('iframe')].some((f) => f.title === name)",
        arg=t("app.map_alt", "ky"),
    )
    titles = page.locator("iframe").evaluate_all("(fs) => fs.map((f) => f.title)")
    assert not [title for title in titles if "webapp" in title]


def test_switching_language_twice_keeps_every_choice(
    app_page: OfflinePage, streamlit_url: str
) -> None:
    """Streamlit reads a radio's or multiselect's value back by its label, which is in the
    page's language: from the second switch on, every choice came back empty (no
    destination, no direction) unless the switch keeps them."""
    choices = "year=2019&dest=RU%2CUZ&direction=in&sex=female"
    open_app(app_page, f"{streamlit_url}/?{choices}")
    page = app_page.page
    for lang, name in (("ky", "Кыргызча"), ("ru", "Русский"), ("en", "English")):
        before = draws(app_page)
        page.get_by_text(name, exact=True).click()
        wait_for_map_change(app_page, before)
        page.wait_for_function("(lang) => location.search.includes('lang=' + lang)", arg=lang)
        assert choices in page.url, (lang, page.url)
    checked = page.locator("[data-testid=stRadio] input:checked")
    assert checked.count() == page.locator("[data-testid=stRadio]").count()


def test_kyrgyz_link_with_two_destinations(app_page: OfflinePage, streamlit_url: str) -> None:
    frame = open_app(app_page, f"{streamlit_url}/?lang=ky&period=2014-2023&dest=RU,UZ")
    assert set(drawn(frame)) == {"RU", "UZ"}
    assert "Баткен облусунун калкынын миграциясы" in app_page.page.locator("h1").first.inner_text()


def test_russia_2019_explained(app_page: OfflinePage, streamlit_url: str) -> None:
    page = app_page.page
    page.goto(f"{streamlit_url}/?year=2019&dest=RU&basis=reported")
    # The line above the map (its notes are folded under it).
    line = page.locator(".st-key-fm-notes summary")
    line.get_by_text("No reported yearly figure exists for Russia in 2019").wait_for()
    frame = page.frame_locator("iframe[title]").first
    frame.locator(".fm-empty").wait_for(state="attached")
    assert drawn(frame) == {}
    assert page.locator("[data-testid=stException]").count() == 0


def test_download_gives_a_working_html_file(
    app_page: OfflinePage,
    streamlit_url: str,
    browser: Browser,
    tmp_path: Path,
) -> None:
    open_app(app_page, f"{streamlit_url}/?period=2014-2023&dest=RU,KZ")
    with app_page.page.expect_download() as info:
        app_page.page.get_by_role("button", name="Map (HTML)").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".html"
    offline = OfflinePage(browser)
    try:
        offline.page.goto(path.as_uri())
        offline.page.wait_for_selector("html[data-flowmap-ready='1']", state="attached")
        flows = offline.page.evaluate("() => window.flowmap.drawnFlows()")
        assert {f["dest"] for f in flows} == {"RU", "KZ"}
        assert offline.errors == []
        assert offline.blocked == []
    finally:
        offline.close()


# The text of controls that the page cuts off: an element inside a button, a select, the
# chosen destinations or the explanation line whose content is wider (or, for the list of
# destinations, taller) than its box.
CLIPPED = """() => {
  const out = [];
  const boxes = document.querySelectorAll(
    "button, [data-baseweb=select], [data-testid=stExpander] summary, label");
  for (const box of boxes) {
    for (const e of [box, ...box.querySelectorAll("*")]) {
      if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 &&
          (e.innerText || "").trim()) {
        out.push(e.innerText.trim().slice(0, 60));
      }
    }
  }
  for (const e of document.querySelectorAll("[data-testid=stMultiSelectTagsContainer]")) {
    if (e.scrollHeight > e.clientHeight + 1) { out.push("destinations: " + e.innerText); }
  }
  return out;
}"""


@pytest.mark.parametrize("lang", ["en", "ky", "ru"])
def test_the_map_fills_the_screen_and_no_control_text_is_cut_off(
    app_page: OfflinePage, streamlit_url: str, lang: str
) -> None:
    """At 1400×900 a single-year view (five destinations without a yearly figure) gives the
    map at least 70% of the screen's height, says what it leaves out in one line above it
    and not again in the map's title box, opens with an opaque legend, and cuts off no
    control's text (download buttons, selects, the list of destinations)."""
    page = app_page.page
    page.set_viewport_size({"width": 1400, "height": 900})
    frame = open_app(app_page, f"{streamlit_url}/?lang={lang}&year=2016")
    share = page.evaluate(
        """() => {
          const r = document.querySelector("iframe[title]").getBoundingClientRect();
          return (Math.min(r.bottom, innerHeight) - Math.max(r.top, 0)) / innerHeight;
        }"""
    )
    assert share >= 0.70
    assert page.locator(".st-key-fm-notes summary").count() == 1
    assert frame.locator(".fm-alert").count() == 0
    legend = frame.locator(".fm-legend")
    assert legend.locator("details").evaluate("d => d.open")
    assert legend.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    assert page.evaluate(CLIPPED) == []
    assert app_page.errors == []


def test_server_starts_on_loopback_without_outside_requests(
    streamlit_server: tuple[str, Path],
) -> None:
    """Started with only a port, as `make run` is, the server listens on 127.0.0.1 and never
    asks an outside service for the machine's address (it used to print an External URL)."""
    url, log = streamlit_server
    text = log.read_text(encoding="utf-8", errors="replace")
    assert f"URL: {url}" in text
    assert "External URL" not in text
    assert "Network URL" not in text


def test_your_data_maps_an_uploaded_flowmap_blue_pair(
    app_page: OfflinePage, streamlit_url: str, browser: Browser, tmp_path: Path
) -> None:
    """A newcomer drops the two tables of the flowmap.blue convention on "Your data" and
    gets a map of them, with their own title and no Batken wording; the zip holds the map
    and the cleaned tables."""
    places = tmp_path / "locations.csv"
    places.write_text(
        "id,name,lat,lon\n"
        "001,Lyon,45.76,4.84\n002,Paris,48.86,2.35\n003,Marseille,43.30,5.37\n"
        "*ST,Strasbourg <b>,48.57,7.75\n",
        encoding="utf-8",
    )
    flows = tmp_path / "flows.csv"
    flows.write_text(
        "origin,dest,count\n001,002,500\n002,001,300\n003,001,120\n*ST,002,80\n002,002,9\n",
        encoding="utf-8",
    )
    page = app_page.page
    page.goto(streamlit_url)
    page.locator("iframe[title]").first.wait_for(timeout=60_000)
    page.get_by_text("Your data").first.click()
    page.get_by_text("Drop a file to start").wait_for(timeout=60_000)
    page.locator("input[type=file][accept*='.csv']").set_input_files([str(flows), str(places)])
    frame: FrameLocator = page.frame_locator("iframe[title]").first
    frame.locator("html[data-flowmap-ready='1']").wait_for(state="attached", timeout=60_000)
    title = frame.locator(".fm-title h1").inner_text()
    assert "Batken" not in title
    drawn_flows = frame.locator("html").evaluate("() => window.flowmap.drawnFlows()")
    assert {(f["origin"], f["dest"], f["count"]) for f in drawn_flows} == {
        ("001", "002", 500),
        ("002", "001", 300),
        ("003", "001", 120),
        ("*ST", "002", 80),
    }
    assert frame.locator(".fm-place-label", has_text="Strasbourg <b>").count() == 1
    page.get_by_text("read flows.csv").first.wait_for()
    page.get_by_text("from a place to itself").first.wait_for()  # the self-flow, skipped
    # An editable title reaches the map.
    box = page.get_by_label("Title", exact=True)
    box.fill("Moves between French cities")
    box.press("Enter")
    page.wait_for_function(
        """() => {
            const f = document.querySelector("iframe[title]");
            const h = f && f.contentDocument && f.contentDocument.querySelector(".fm-title h1");
            return h && h.textContent === "Moves between French cities";
        }""",
        timeout=60_000,
    )
    # Wait for the rerun to finish, so the button clicked is the one that stays.
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000
    )
    with page.expect_download(timeout=90_000) as info:
        page.get_by_text("Map and cleaned tables (zip)").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {
            "map.html",
            "flows.csv",
            "places.csv",
            "totals.csv",
            "README.txt",
        }
        assert "*ST" in archive.read("flows.csv").decode("utf-8")
    assert app_page.errors == []
    assert app_page.blocked == []
