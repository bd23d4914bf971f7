"""Issue 11's acceptance test: a reader of a Kyrgyz or Russian page, map, image or
command-line output sees no English.

Every surface is rendered for real (maps in Debian's Chromium, the app on a real Streamlit
server, the command line as a subprocess) and its text searched for runs of four or more
ASCII letters. A run is allowed only inside a name of :data:`ALLOWED` (sources, software),
an id shown on purpose (:data:`ID`) or a web address. A failure lists every line with such a
run, with its surface (and where on it: visible text, a tooltip, a title attribute...), so
it says exactly what leaked.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from playwright.sync_api import FrameLocator, Page

from flowmap.cli.commands import main
from flowmap.text.i18n import t
from tests.conftest import OfflinePage
from tests.test_browser_app import open_app
from tests.test_image import svg_texts

# The tests that open a page are marked browser (and server) from their fixtures
# (tests/conftest.py); the command-line and SVG checks need neither.

ALLOWED: tuple[str, ...] = (
    # Software, credited by name.
    "Leaflet",  # the map library (the attribution's link)
    "Streamlit",  # the app's framework
    "Vega-Lite",  # the app's charts ("copy the Vega-Lite spec" in their menu)
    # Sources of the data and geometry, cited by name.
    "OpenStreetMap",  # the online tiles and their attribution
    "Natural Earth",  # country outlines and borders
    "GeoNames",  # the gazetteer
    "geoBoundaries",  # the district boundaries
    "Runfola",  # geoBoundaries' authors (Runfola et al. 2020)
    "News Central Asia",  # news agencies cited for the 2025 border treaty
    "Interfax",
    "flowmap.blue",  # the flow-mapping tool whose pair of tables "Your data" reads
    # Names of file formats, written as they are in Kyrgyz and Russian too ("CSV" and
    # "UTF-8" need no entry: three letters, an id).
    "HTML",
    "JSON",
    "GEOJSON",
    "GeoJSON",
    "TOPOJSON",
    "TopoJSON",
    "GPKG",
    "XLSX",
    # Ids shown on purpose next to their names (ids with a hyphen, such as KG-OTHER or the
    # transcription's value ids such as T2-arr-total-2021, are matched by ID below).
    "ABROAD",  # the place id of "abroad" (data/places.csv), in `flowmap data show`
    # The language switch names each language in itself.
    "English",
)
"""Names (one or more words) a ky or ru reader may see in ASCII letters. Keep this list
small: anything else is a leak."""

LANGS: tuple[str, ...] = ("ky", "ru")

RUN = re.compile(r"[A-Za-z]{4,}")
"""A run of four or more ASCII letters: a word of English (or of any Latin-script text)."""

ADDRESS = re.compile(r"\bhttps?://\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:kg|org|com|net|int|io)\b\S*")
"""Web addresses (of sources) are shown on purpose and are not words."""

ID = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Za-z0-9]+)+\b")
"""An id shown on purpose: capitals or digits, then hyphenated parts (KG-OTHER,
T2-arr-total-2021, PI18-arr)."""


def leaks(surface: str, texts: Iterable[str], also: Iterable[str] = ()) -> list[str]:
    """Return the lines of ``texts`` with runs of ASCII letters outside the names of
    :data:`ALLOWED` and ``also``, as "surface: 'run', 'run' in «the line»" (each line once,
    a long line cut around its first run)."""
    names = sorted({*ALLOWED, *also}, key=len, reverse=True)
    allowed = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
    found: list[str] = []
    for text in texts:
        for line in str(text).replace("\u00a0", " ").splitlines():  # a name kept on one line
            runs = RUN.findall(allowed.sub("·", ID.sub("·", ADDRESS.sub("·", line))))
            if not runs:
                continue
            line = " ".join(line.split())
            start = max(0, line.find(runs[0]) - 80)
            shown = ("…" if start else "") + line[start : start + 240]
            shown += "…" if start + 240 < len(line) else ""
            item = f"{surface}: {', '.join(map(repr, dict.fromkeys(runs)))} in «{shown}»"
            if item not in found:
                found.append(item)
    return found


def assert_no_english(found: Sequence[str]) -> None:
    """Fail listing every leaked line, when there is any (a line seen on several surfaces,
    such as the app's sidebar on each tab, once: with the first)."""
    first: dict[str, str] = {}
    for item in found:
        first.setdefault(item.split(": ", 1)[-1], item)
    found = list(first.values())
    shown = "\n".join(found[:300]) + ("\n…" if len(found) > 300 else "")
    assert not found, f"{len(found)} English run(s) a reader sees:\n{shown}"


MAP_TEXTS = """() => {
    // Every text of a map page, by where it is: [kind, text] pairs.
    const out = [], fm = window.flowmap, map = fm.map, layer = fm.layer;
    // Every overlay on, so that its labels and tooltips exist too.
    for (const input of document.querySelectorAll("input.leaflet-control-layers-selector")) {
        if (!input.checked) { input.click(); }
    }
    out.push(["visible text", document.body.innerText]);
    out.push(["document title", document.title]);
    // All text in the page, folded or hidden too (the layer control, a folded legend).
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const tag = node.parentElement ? node.parentElement.tagName : "";
        if (["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"].includes(tag)) { continue; }
        if (node.textContent.trim()) { out.push(["page text", node.textContent]); }
    }
    for (const name of ["title", "aria-label", "placeholder", "alt"]) {
        for (const e of document.querySelectorAll("[" + name + "]")) {
            out.push([name + " attribute", e.getAttribute(name)]);
        }
    }
    // The tooltip of every flow, as the page writes it on hovering.
    const tips = new Set();
    for (let i = 0; i < layer.n; i++) {
        layer.showTip({ x: 0, y: 0 }, layer.describe(i));
        tips.add(layer.tip.innerText);
    }
    layer.hideTip();
    for (const tip of tips) { out.push(["flow tooltip", tip]); }
    // The tooltip of every place circle and area.
    const placeTips = new Set();
    map.eachLayer((l) => {
        const tip = l.getTooltip && l.getTooltip();
        if (!tip) { return; }
        try { l.openTooltip(); } catch (e) { return; }
        const node = tip.getElement();
        if (node) { placeTips.add(node.innerText); }
        l.closeTooltip();
    });
    for (const tip of placeTips) { out.push(["place tooltip", tip]); }
    return out;
}"""
"""The page's visible and hidden text, attributes read aloud or shown on hover, and every
flow's and place's tooltip (opened programmatically), as ``[kind, text]`` pairs."""


def map_leaks(surface: str, pairs: Sequence[Sequence[str]]) -> list[str]:
    """Return the leaks in the ``[kind, text]`` pairs of :data:`MAP_TEXTS`."""
    found: list[str] = []
    for kind in dict.fromkeys(k for k, _ in pairs):
        found += leaks(f"{surface} [{kind}]", (text for k, text in pairs if k == kind))
    return found


def export(tmp_path: Path, name: str, *args: str) -> Path:
    """Write a map or image with the command line's ``export``; return its path."""
    out = tmp_path / name
    assert main(["export", *args, "--out", str(out)], io.StringIO()) == 0
    return out


def page_leaks(page: OfflinePage, path: Path, surface: str) -> list[str]:
    """Open an exported map offline; return what English it shows."""
    page.page.goto(path.as_uri())
    page.page.wait_for_selector("html[data-flowmap-complete='1']", state="attached")
    pairs: list[list[str]] = page.page.evaluate(MAP_TEXTS)
    assert page.errors == []
    return map_leaks(surface, pairs)


STATIC_VIEWS: dict[str, tuple[str, ...]] = {
    "default view": (),
    "all directions and bases, 2014-2023": (
        "--direction",
        "all",
        "--basis",
        "all",
        "--period",
        "2014-2023",
    ),
    "arrivals 2021 (a resolution note)": ("--direction", "in", "--year", "2021"),
    "arrivals 2023 (a resolution note)": ("--direction", "in", "--year", "2023"),
    # An empty map is not written (the command stops with the reason): Russia has no
    # figure in 2019, said beside the Osh flow.
    "a missing figure (Russia 2019, with Osh)": ("--year", "2019", "--dest", "RU,KG-GO"),
    "online tiles (their attribution)": ("--online-tiles",),
}


@pytest.mark.parametrize("view", list(STATIC_VIEWS))
@pytest.mark.parametrize("lang", LANGS)
def test_static_export(tmp_path: Path, offline_page: OfflinePage, lang: str, view: str) -> None:
    path = export(tmp_path, "map.html", "--static", "--lang", lang, *STATIC_VIEWS[view])
    assert_no_english(page_leaks(offline_page, path, f"static {lang} map, {view}"))


@pytest.mark.parametrize("lang", LANGS)
def test_playable_export(tmp_path: Path, offline_page: OfflinePage, lang: str) -> None:
    path = export(tmp_path, "map.html", "--lang", lang, "--period", "2014-2023")
    assert_no_english(page_leaks(offline_page, path, f"playable {lang} map"))


def test_english_playable_export_switched_to_russian(
    tmp_path: Path, offline_page: OfflinePage
) -> None:
    path = export(tmp_path, "map.html", "--lang", "en", "--period", "2014-2023")
    page = offline_page.page
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-flowmap-complete='1']", state="attached")
    page.select_option("select.fm-p-lang", "ru")
    page.wait_for_selector("html[lang='ru'][data-flowmap-complete='1']", state="attached")
    pairs: list[list[str]] = page.evaluate(MAP_TEXTS)
    assert offline_page.errors == []
    assert_no_english(map_leaks("English playable map switched to ru", pairs))


@pytest.mark.parametrize("lang", LANGS)
def test_svg_image(tmp_path: Path, lang: str) -> None:
    path = export(tmp_path, "map.svg", "--lang", lang)
    texts = svg_texts(path)
    assert texts  # the SVG keeps its texts as text
    assert_no_english(leaks(f"{lang} SVG image", texts))


@pytest.mark.parametrize("command", [("data", "check"), ("data", "show")])
@pytest.mark.parametrize("lang", LANGS)
def test_command_line(
    lang: str, command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    """What ``flowmap data check`` and ``data show`` print. In Russian the installed
    ``flowmap`` script runs as a subprocess (a C.UTF-8 locale, the terminal's own streams);
    in Kyrgyz the same command line runs in this process (``main``, stdout and stderr
    captured), which prints the same text a second or two sooner."""
    surface = f"`flowmap {' '.join(command)} --lang {lang}`"
    if lang == "ru":
        flowmap = Path(sys.executable).with_name("flowmap")
        env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
        done = subprocess.run(
            [str(flowmap), *command, "--lang", lang],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=300,
            check=False,
        )
        stdout, stderr = done.stdout, done.stderr
    else:
        out = io.StringIO()
        main([*command, "--lang", lang], out)
        stdout, stderr = out.getvalue(), capsys.readouterr().err
    assert stdout.strip()
    found = leaks(f"{surface} stdout", stdout.splitlines())
    found += leaks(f"{surface} stderr", stderr.splitlines())
    assert_no_english(found)


# --------------------------------------------------------------------------- the app


HIDE_ICONS = "[data-testid='stIconMaterial'] { display: none !important; }"
"""Streamlit draws icons as Material Symbols ligatures: the text ``keyboard_arrow_down`` is
shown as an arrow, never read as a word, so icons are left out of the page's text."""


def settled(page: Page) -> None:
    """Wait until the app's script has finished running."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=90_000
    )


APP_LABELS = """() => [...document.querySelectorAll("[aria-label], [placeholder], [title]")]
  .filter((el) => !el.closest("[data-testid='stIconMaterial']"))
  .flatMap((el) => ["aria-label", "placeholder", "title"].map((a) => el.getAttribute(a) || ""))
  .filter((v) => v.trim())"""
"""Streamlit's labels for screen readers and hover (its toolbars, selects and uploaders)."""


def app_text(page: Page) -> str:
    """Return the visible text of the app's page, with the labels of its elements."""
    text: str = page.locator("[data-testid='stApp']").inner_text()
    labels: list[str] = page.evaluate(APP_LABELS)
    return "\n".join([text, *labels])


def frame_leaks(frame: FrameLocator, surface: str) -> list[str]:
    """Return the English in the map in the app's iframe ``frame``."""
    frame.locator("html[data-flowmap-complete='1']").wait_for(state="attached", timeout=90_000)
    pairs: list[list[str]] = frame.locator("html").evaluate(MAP_TEXTS)
    return map_leaks(surface, pairs)


TABS: tuple[str, ...] = ("table", "charts", "quality", "coverage", "about")


@pytest.mark.parametrize("lang", LANGS)
def test_app(app_page: OfflinePage, streamlit_url: str, lang: str) -> None:
    frame = open_app(app_page, f"{streamlit_url}/?lang={lang}")
    page = app_page.page
    page.add_style_tag(content=HIDE_ICONS)
    settled(page)
    found = leaks(f"{lang} app, main page", [app_text(page)])
    found += frame_leaks(frame, f"{lang} app, map")
    # The table tab's numbers are drawn on a canvas: its CSV download holds the same table.
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name=t("app.download_csv", lang), exact=True).click()
    table = Path(info.value.path()).read_text(encoding="utf-8-sig")
    found += leaks(f"{lang} app, table download (CSV)", [table])
    for tab in TABS:
        page.get_by_role("tab", name=t(f"app.tab.{tab}", lang), exact=True).click()
        # Only the open tab is built: the click reruns the page, which fills its panel.
        page.locator("[data-testid=stTabPanel] [data-testid=stElementContainer]").first.wait_for(
            timeout=90_000
        )
        settled(page)
        if tab == "quality":
            for summary in page.locator("[data-testid='stExpander'] summary").all():
                summary.click()
        found += leaks(f"{lang} app, tab {tab}", [app_text(page)])
    assert app_page.errors == []
    assert_no_english(found)


USER_FLOWS = "origin,dest,count\nОШ,БШ,500\nБШ,ОШ,300\nБТ,ОШ,120\nБТ,БШ,80\nБШ,БШ,9\n"
USER_PLACES = "id,name,lat,lon\nОШ,Ош,40.53,72.80\nБШ,Бишкек,42.87,74.59\nБТ,Баткен,40.06,70.82\n"
COLUMN_NAMES: frozenset[str] = frozenset({"origin", "dest", "count", "name"})
"""The column names of the flowmap.blue convention (``id``, ``lat``, ``lon`` are short):
"Your data" names them on purpose (its help says which headers a file needs), and the
uploaded files use them."""


@pytest.mark.parametrize("lang", LANGS)
def test_app_your_data(
    app_page: OfflinePage, streamlit_url: str, tmp_path: Path, lang: str
) -> None:
    flows, places = tmp_path / "потоки.csv", tmp_path / "места.csv"
    flows.write_text(USER_FLOWS, encoding="utf-8")
    places.write_text(USER_PLACES, encoding="utf-8")
    page = app_page.page
    page.goto(f"{streamlit_url}/?lang={lang}")
    page.locator("iframe[title]").first.wait_for(timeout=60_000)
    page.add_style_tag(content=HIDE_ICONS)
    settled(page)
    page.get_by_text(t("app.data.own", lang), exact=True).first.click()
    settled(page)
    found = leaks(f"{lang} app, your data (empty)", [app_text(page)], also=COLUMN_NAMES)
    page.locator("input[type=file][accept*='.csv']").set_input_files([str(flows), str(places)])
    frame: FrameLocator = page.frame_locator("iframe[title]").first
    frame.locator("html[data-flowmap-ready='1']").wait_for(state="attached", timeout=60_000)
    settled(page)
    found += leaks(f"{lang} app, your data", [app_text(page)], also=COLUMN_NAMES)
    found += frame_leaks(frame, f"{lang} app, your data map")
    assert app_page.errors == []
    assert_no_english(found)


MENU_SHOWS = """([selector, label]) => [...document.querySelectorAll(selector)]
  .some((el) => el.getAttribute("aria-label") === label)"""
"""True once an element toolbar's button has the given label."""


def test_streamlit_words_follow_the_language_switch(
    app_page: OfflinePage, streamlit_url: str
) -> None:
    """Streamlit's own words are rewritten in the page's language and come back in English
    when the reader switches to English (the script keeps their original text)."""
    open_app(app_page, f"{streamlit_url}/?lang=ru")
    page = app_page.page
    settled(page)
    skip = page.locator("[data-testid='stSkipToContent']")
    upload = page.locator(
        "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p"
    ).first
    chart_menu = "[data-testid='stBaseButton-elementToolbar'][aria-label]"

    def shown() -> tuple[str, str, list[str]]:
        labels: list[str] = page.eval_on_selector_all(
            chart_menu, "(els) => els.map((el) => el.getAttribute('aria-label'))"
        )
        return skip.text_content() or "", upload.inner_text().strip(), labels

    page.wait_for_function(
        "(text) => document.querySelector(\"[data-testid='stSkipToContent']\")"
        ".textContent === text",
        arg=t("app.st.skip", "ru"),
    )
    # The numbers under the map are an HTML table; the coverage grid is a data grid, with
    # Streamlit's toolbar (drawn after the script has run: wait for it).
    page.get_by_role("tab", name=t("app.tab.coverage", "ru")).click()
    settled(page)
    page.wait_for_function(MENU_SHOWS, arg=[chart_menu, t("app.st.ui.csv", "ru")], timeout=60_000)
    text, button, labels = shown()
    assert (text, button) == (t("app.st.skip", "ru"), t("app.st.upload", "ru"))
    assert t("app.st.ui.csv", "ru") in labels
    page.get_by_text("English", exact=True).first.click()
    settled(page)
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='stSkipToContent']\")"
        ".textContent === 'Skip to main content'"
    )
    page.wait_for_function(MENU_SHOWS, arg=[chart_menu, "Download as CSV"], timeout=60_000)
    text, button, labels = shown()
    assert (text, button) == ("Skip to main content", "Upload")
    assert "Download as CSV" in labels
    assert t("app.st.ui.csv", "ru") not in labels
    assert app_page.errors == []
