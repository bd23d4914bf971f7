"""A playable export in a real browser (Debian's Chromium), opened from a file with every
request that is not ``file:`` blocked and recorded: play through the years, toggle a
destination, the direction and the language."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flowmap.cli.commands import main
from flowmap.text.i18n import LANG_LABELS, t
from tests.conftest import OfflinePage, map_spec
from tests.test_browser_map import hover_flow

pytestmark = pytest.mark.browser


@pytest.fixture
def file_only_page(browser: Any) -> Iterator[OfflinePage]:
    """An :class:`OfflinePage` that lets through ``file:`` URLs only, and records every
    request the page makes to anything else (even one the route would not see)."""
    page = OfflinePage(browser, ("file:",))
    page.page.on(
        "request",
        lambda request: (
            None if request.url.startswith("file:") else page.blocked.append(request.url)
        ),
    )
    yield page
    page.close()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded Batken data exported with every year (the default command)."""
    out = tmp_path_factory.mktemp("player") / "batken.html"
    assert main(["export", "--out", str(out)], io.StringIO()) == 0
    return out


def open_page(page: OfflinePage, path: Path) -> None:
    page.page.goto(path.as_uri())
    page.page.wait_for_selector("html[data-flowmap-ready='1']", state="attached")
    page.page.wait_for_selector(".fm-player")


def drawn(page: OfflinePage) -> list[tuple[str, str, int]]:
    flows: list[dict[str, Any]] = page.page.evaluate("() => window.flowmap.drawnFlows()")
    return sorted((f["origin"], f["dest"], f["count"]) for f in flows)


def year_label(page: OfflinePage) -> str:
    label: str = page.page.inner_text(".fm-p-year")
    return label


def carried(spec: dict[str, Any], label: str, direction: str) -> set[tuple[str, str, int]]:
    f, ids, player = spec["flows"], spec["places"]["id"], spec["player"]
    code, set_code = spec["times"].index(label), player["sets"].index(direction)
    return {
        (ids[f["o"][i]], ids[f["d"][i]], f["c"][i])
        for i in range(len(f["c"]))
        if f["t"][i] == code and player["v"][i] == set_code
    }


def test_play_animates_through_the_years(exported: Path, file_only_page: OfflinePage) -> None:
    spec = map_spec(exported.read_text(encoding="utf-8"))
    open_page(file_only_page, exported)
    page = file_only_page.page
    assert year_label(file_only_page) == "2014–2023"
    period = drawn(file_only_page)
    assert ("KG-B", "RU", 7529) in period
    size = page.eval_on_selector(".fm-p-year", "e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 20  # the year is shown prominently
    page.click(".fm-p-play")
    seen: list[tuple[str, list[tuple[str, str, int]]]] = []
    while len(seen) < 4:
        label = year_label(file_only_page)
        if not seen or seen[-1][0] != label:
            seen.append((label, drawn(file_only_page)))
        if len(seen) < 4:
            page.wait_for_function(
                "(label) => document.querySelector('.fm-p-year').textContent !== label",
                arg=label,
                timeout=5000,
            )
    labels = [label for label, _ in seen]
    assert labels == ["2013", "2014", "2015", "2016"]
    for (label, flows), (_, following) in itertools.pairwise(seen):
        assert flows != following, label
    for label, flows in seen:
        # Each year draws that year's flows only, never the 2014-2023 total.
        assert flows
        assert set(flows) <= carried(spec, label, "out"), label
        assert not set(flows) & set(period), label
    # Russia is published for 2014-2023 only as a total: a year view says so.
    assert "2014" in labels
    note = page.inner_text(".fm-p-note")
    assert "Russia" in note
    assert "2014–2023" in note
    assert page.get_attribute(".fm-p-play", "aria-pressed") == "true"
    page.click(".fm-p-play")  # pause
    assert page.get_attribute(".fm-p-play", "aria-pressed") == "false"
    paused = year_label(file_only_page)
    page.wait_for_timeout(1500)
    assert year_label(file_only_page) == paused
    # From the last year but one, playing shows the last year and stops.
    page.evaluate("() => window.flowmap.playback.setStop(10)")
    assert year_label(file_only_page) == "2023"
    page.click(".fm-p-play")
    page.wait_for_function("() => !window.flowmap.playback.state().playing", timeout=5000)
    assert year_label(file_only_page) == "2024"
    assert file_only_page.errors == []
    assert file_only_page.blocked == []


def test_2024_draws_the_countries_once_and_says_nothing_false(
    exported: Path, file_only_page: OfflinePage
) -> None:
    """2024: the modelled countries (1,650 in all), never the working-age "abroad" total
    beside them; Osh, Bishkek, Chüy and the remaining oblasts have no figure (the source has
    none within Kyrgyzstan for 2024), not "only a 2014–2023 total"; the net toggle says
    gain and loss."""
    spec = map_spec(exported.read_text(encoding="utf-8"))
    open_page(file_only_page, exported)
    page = file_only_page.page
    stops = [spec["times"][s] for s in spec["player"]["stops"]]
    page.evaluate("(k) => window.flowmap.playback.setStop(k)", stops.index("2024"))
    flows = drawn(file_only_page)
    assert all(dest != "ABROAD" for _, dest, _ in flows)
    assert sum(count for _, _, count in flows) == 1650
    note = page.inner_text(".fm-p-note")
    assert "Osh" in note
    assert "No figure for 2024" in note
    assert "2014–2023" not in note
    page.click("[data-dir=net]")
    legend = page.inner_text(".leaflet-control-container")
    assert t("legend.colour.net_loss", "en") in legend
    assert t("legend.colour.out", "en") not in legend
    # The edge label gives the signed net (arrivals − departures) with a true minus.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.fm-edge')].some(e => e.innerText.includes('\u2212'))"
    )
    edges = page.locator(".fm-edge").all_inner_texts()
    assert "→ Abroad −1,485" in edges, edges


def test_destination_direction_and_language(exported: Path, file_only_page: OfflinePage) -> None:
    spec = map_spec(exported.read_text(encoding="utf-8"))
    open_page(file_only_page, exported)
    page = file_only_page.page
    before = drawn(file_only_page)
    # A destination: Russia off, the rest stays.
    page.click(".fm-p-dests summary")
    page.uncheck(".fm-p-dests input[data-place='RU']")
    after = drawn(file_only_page)
    assert [f for f in before if f[1] != "RU"] == after
    assert page.inner_text(".fm-p-dests summary").endswith("8/9")
    page.check(".fm-p-dests input[data-place='RU']")
    assert drawn(file_only_page) == before
    # The direction: arrivals all end in Batken; net shows the printed balances.
    page.click(".fm-p-dirs button[data-dir='in']")
    arrivals = drawn(file_only_page)
    assert arrivals
    assert {d for _, d, _ in arrivals} == {"KG-B"}
    assert set(arrivals) <= carried(spec, "2014–2023", "in")
    assert "Arrivals" in page.inner_text(".fm-title p")
    # Arrivals come from the listed places: the list says origins, and the legend's line
    # style samples take the arrivals' colour, not the departures' red.
    assert page.inner_text(".fm-p-dests summary").startswith(t("player.list.in", "en") + " ·")
    colour = {k["kind"]: k["colour"] for k in spec["style"]["kinds"]}
    samples = page.evaluate(
        "(label) => [...document.querySelectorAll('.fm-legend tr')]"
        ".filter(r => r.innerText.includes(label))"
        ".map(r => r.querySelector('line, rect').getAttribute('stroke'))",
        t("legend.style.modelled", "en"),
    )
    assert samples == [colour["in"]]
    page.click(".fm-p-dirs button[data-dir='net']")
    assert page.inner_text(".fm-p-dests summary").startswith(t("player.list.net", "en") + " ·")
    net = drawn(file_only_page)
    assert ("KG-B", "KG-C", 1964) in net  # 1415 − 3379
    assert set(net) <= carried(spec, "2014–2023", "net")
    # The language: title, subtitle, controls, legend, notes, names and tooltips.
    page.select_option(".fm-p-lang", "ru")
    title = page.inner_text(".fm-title")
    assert "Миграция населения Баткенской области" in title
    assert "Сальдо миграции" in title
    assert "Сальдо" in page.inner_text(".fm-p-dirs")
    assert page.inner_text(".fm-p-dests label:has(input[data-place='RU'])") == "Россия"
    assert "Условные обозначения" in page.inner_text(".fm-legend")
    assert "Источник" in page.inner_text(".fm-notes")
    assert page.evaluate("() => document.documentElement.lang") == "ru"
    names = page.evaluate("() => window.flowmap.spec.places.name")
    assert "Россия" in names
    page.wait_for_function(
        "() => [...document.querySelectorAll('.fm-place-label')]"
        ".some(e => e.textContent.includes('город Ош'))"
    )
    rows = page.evaluate(
        "() => { const l = window.flowmap.layer; return l.describe(l.drawn[0].i); }"
    )
    assert rows[0][0] == t("tip.place", "ru")  # a net is a balance, not "from … to"
    assert drawn(file_only_page) == net  # the language changes no flow
    # The overlay's labels (enclaves, towns, districts, oblasts) follow too.
    overlay = page.locator(".fm-enclave, .fm-centre, .fm-district, .fm-oblast").all_text_contents()
    assert "Сох" in overlay
    assert "Сулюкта" in overlay
    assert "Sokh" not in overlay
    page.select_option(".fm-p-lang", "ky")
    assert "Баткен облусунун калкынын миграциясы" in page.inner_text(".fm-title")
    assert file_only_page.errors == []
    assert file_only_page.blocked == []
    assert file_only_page.dialogs == []


ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")
"""A run of four or more ASCII letters: an English word (or an untranslated code)."""
ALLOWED_WORDS = frozenset(
    {"Leaflet", "OpenStreetMap", "Natural", "Earth", "GeoNames", "geoBoundaries"}
)
"""Names of sources and software, the same in every language."""

SEEN = """() => {
    const map = window.flowmap.map, layer = window.flowmap.layer, tips = [], seen = new Set();
    const lines = (node) => [...node.childNodes].map((n) => n.textContent).join("\\n");
    const walk = (l) => {
        if (seen.has(l)) { return; }
        seen.add(l);
        const tip = l.getTooltip && l.getTooltip();
        if (tip) {
            const c = tip.getContent();
            tips.push(typeof c === "string" ? c : lines(c));
        }
        if (l.eachLayer) { l.eachLayer(walk); }
    };
    map.eachLayer(walk);
    const flows = [];
    for (let i = 0; i < layer.n; i++) { flows.push(layer.describe(i)); }
    const said = [];
    for (const e of document.querySelectorAll("[title], [aria-label], [aria-valuetext]")) {
        for (const name of ["title", "aria-label", "aria-valuetext"]) {
            if (e.hasAttribute(name)) { said.push(e.getAttribute(name)); }
        }
    }
    return {
        text: document.body.innerText,
        title: document.title,
        lang: document.documentElement.lang,
        options: [...document.querySelectorAll(".fm-p-lang option")].map((o) => o.textContent),
        layers: [...document.querySelectorAll(".leaflet-control-layers-list label")].map(
            (e) => e.textContent.trim()
        ),
        tips: tips,
        flows: flows,
        said: said,
    };
}"""
"""The script :func:`seen` runs in the page."""


def seen(page: OfflinePage) -> dict[str, Any]:
    """Return what a reader can see or hear on the page: its text and title, the language
    switch's options, the layer control's entries, every tooltip of the overlays and
    circles, the tooltip rows of every flow the page carries (all periods and directions),
    and the titles and names read aloud of its elements."""
    page.page.hover(".leaflet-control-layers")  # the control's entries, unfolded
    found: dict[str, Any] = page.page.evaluate(SEEN)
    page.page.mouse.move(5, 5)
    return found


def english_left(found: dict[str, Any]) -> list[str]:
    """Return the English words in what :func:`seen` found (the language switch names each
    language in that language, so its option labels are left out)."""
    options = set(found["options"])
    text = [line for line in found["text"].splitlines() if line.strip() not in options]
    parts = [*text, found["title"], *found["layers"], *found["tips"], *found["said"]]
    parts += [f"{label}: {value}" for rows in found["flows"] for label, value in rows]
    return sorted(
        {
            f"{word} (in {part.strip()[:80]!r})"
            for part in parts
            for word in ENGLISH_WORD.findall(str(part))
            if word not in ALLOWED_WORDS
        }
    )


def test_language_switch_leaves_no_english(exported: Path, file_only_page: OfflinePage) -> None:
    """An English playable page switched to Russian or Kyrgyz shows no English word (bar
    names of sources and software): texts, layer control, tooltips of the overlays, the
    circles and the flows, titles; switched back, it is the English page again."""
    open_page(file_only_page, exported)
    page = file_only_page.page
    english = seen(file_only_page)
    assert english["lang"] == "en"
    assert english["options"] == list(LANG_LABELS.values())
    assert "Countries" in english["layers"]
    assert any("Enclave of Uzbekistan: Sokh" in tip for tip in english["tips"])
    assert english["title"].startswith("Migration of the population of Batken oblast · ")
    assert len(english["tips"]) >= 13  # districts, borders, enclaves, centres (and circles)
    for lang, title in (
        ("ru", "Миграция населения Баткенской области"),
        ("ky", "Баткен облусунун калкынын миграциясы"),
    ):
        page.select_option(".fm-p-lang", lang)
        found = seen(file_only_page)
        assert found["lang"] == lang
        assert found["title"].startswith(title + " · ")
        assert len(found["layers"]) == len(english["layers"])
        assert len(found["tips"]) == len(english["tips"])
        assert english_left(found) == [], lang
        scale = page.inner_text(".leaflet-control-scale")  # its unit is in the language too
        assert t("scale.km", lang) in scale or t("scale.m", lang) in scale, scale
        # A flow's tooltip as it is shown on the map, on hover.
        hover_flow(file_only_page, "KG-GB")  # Bishkek: a modelled flow, with its method
        tooltip = page.locator(".fm-tip:visible")  # the map's (the inset has one too)
        tooltip.wait_for()
        shown = tooltip.inner_text()
        assert t("tip.method", lang) in shown
        assert not ENGLISH_WORD.findall(shown), lang
        page.mouse.move(5, 5)
    page.select_option(".fm-p-lang", "en")
    back = seen(file_only_page)
    for key in ("lang", "title", "layers", "tips", "flows", "said"):
        assert back[key] == english[key], key
    assert file_only_page.errors == []
    assert file_only_page.blocked == []


def test_hostile_names_in_the_controls_are_text(
    tmp_path: Path, file_only_page: OfflinePage
) -> None:
    from tests.test_hostile import HOSTILE

    names = [h.replace('"', '""') for h in HOSTILE]
    places = tmp_path / "places.csv"
    places.write_text(
        "id,kind,name_en,name_ky,name_ru,parent,lat,lon,anchor\n"
        f'KG-B,oblast,"{names[0]}",Баткен,Баткен,,39.853,71.591,x\n'
        f'RU,country,"{names[1]}","{names[2]}","{names[3]}",,55.752,37.618,x\n'
        f'UZ,country,"{names[2]}","{names[3]}","{names[0]}",,41.265,69.216,x\n',
        encoding="utf-8",
    )
    flows = tmp_path / "flows.csv"
    flows.write_text(
        "origin,destination,period,sex,age,count,basis,source_ref,method,note\n"
        f'KG-B,RU,2014-2023,total,all,7529,reported,"{names[3]}",,"{names[0]}"\n'
        "KG-B,RU,2019,total,all,700,reported,x,,\n"
        "KG-B,UZ,2020,total,all,566,reported,x,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "hostile.html"
    argv = ["export", "--places", str(places), "--flows", str(flows), "--out", str(out)]
    assert main(argv, io.StringIO()) == 0
    open_page(file_only_page, out)
    page = file_only_page.page
    page.click(".fm-p-dests summary")
    for lang, russia in (("en", HOSTILE[1]), ("ky", HOSTILE[2]), ("ru", HOSTILE[3])):
        page.select_option(".fm-p-lang", lang)
        assert page.inner_text(".fm-p-dests label:has(input[data-place='RU'])") == russia
    page.click(".fm-p-play")
    page.wait_for_function("() => !window.flowmap.playback.state().playing", timeout=8000)
    assert page.locator("img[src='x']").count() == 0
    assert file_only_page.dialogs == []
    assert file_only_page.errors == []
    assert file_only_page.blocked == []
