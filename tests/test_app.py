"""The Streamlit app's wiring, through Streamlit's AppTest (no browser, no JavaScript)."""

from __future__ import annotations

import asyncio
import importlib
import itertools
import json
import re
import threading
import tomllib
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from allpairspy import AllPairs
from streamlit import env_util, string_util
from streamlit.runtime.caching.ttl_cache import TTLCache
from streamlit.runtime.memory_session_storage import MemorySessionStorage
from streamlit.runtime.session_manager import SessionInfo
from streamlit.runtime.state import SessionState
from streamlit.testing.v1 import AppTest

from flowmap.app import view, worker
from flowmap.app.table import table_for
from flowmap.app.view import (
    DESTINATIONS,
    YEARS,
    ViewState,
    explain,
    flows_for,
    state_from_query,
    with_parents,
)
from flowmap.batken.article import source_text
from flowmap.batken.data import load_places
from flowmap.batken.dataset import MapData
from flowmap.batken.query import drawable_flows
from flowmap.batken.wording import missing_note
from flowmap.core._escape import NO_LINK
from flowmap.render.layer import PALETTES
from flowmap.text.i18n import t
from flowmap.text.places import place_name
from tests.conftest import ROOT, HtmlTable, drawn_flows, html_table, map_spec
from webapp import ahead, cached, livemap, sessions, warm
from webapp.livemap import WHOLE_PAGE
from webapp.style import DOWNLOAD_ICON, PAGE_ICON

APP = str(ROOT / "app.py")


def run_app(**query: str) -> AppTest:
    """Run the app as a new session opened on a link with ``query``, as once the map's
    frame has said it has its view (a session's first run draws the map alone:
    :func:`webapp.livemap.map_first`, tested with :func:`first_run`)."""
    return new_session(query, whole=True)


def first_run(**query: str) -> AppTest:
    """Run a new session's first run, opened on a link with ``query``."""
    return new_session(query, whole=False)


def new_session(query: dict[str, str], whole: bool) -> AppTest:
    """Run the app as a new session opened on a link with ``query`` (``whole``: as once
    the map's frame has said it has its view)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    if whole:
        at.session_state[WHOLE_PAGE] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_tab(at: AppTest, kind: str) -> AppTest:
    """Open the tab ``kind`` under the map (``table``, ``charts``, ``quality``...) as a
    click does, and rerun: only the open tab is built."""
    lang = at.session_state["lang"]
    at.session_state["tab"] = t(f"app.tab.{kind}", lang)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def numbers_tables(at: AppTest) -> list[HtmlTable]:
    """Return the numbers tables the page shows (HTML tables, ``st.html``), parsed."""
    return [html_table(h.value) for h in at.html if 'class="fm-table"' in h.value]


def element(at: AppTest, kind: str) -> Any:
    """Return the first element of a kind (AppTest types it as Element | Block)."""
    found = at.get(kind)
    assert found, f"no {kind} on the page"
    return found[0]


def map_args(at: AppTest) -> dict[str, Any]:
    """Return the arguments the app sent its map component on the last run."""
    maps = at.get("component_instance")
    assert len(maps) == 1
    args: dict[str, Any] = json.loads(maps[0].proto.json_args)
    return args


def map_srcdoc(at: AppTest) -> str:
    """Return what the app sent its live map on the last run (webapp/livemap.py): the
    spec's JSON (first, as :func:`tests.conftest.map_spec` reads it), the GeoJSON of the
    layers sent with it and the tile layers, as text."""
    args = map_args(at)
    parts = [args["spec"], *args["features"].values(), json.dumps(args["tiles"])]
    return "\n".join(parts)


def drawn(at: AppTest) -> set[str]:
    """Return the destinations or origins of the flows drawn on the app's map."""
    flows = drawn_flows(map_srcdoc(at))
    return {f["dest"] for f in flows} | {f["origin"] for f in flows} - {"KG-B"}


def shown(markdown: object) -> str:
    """Return the text a reader sees for Markdown whose punctuation is backslash-escaped
    (and whose URLs hold an invisible word joiner, ``NO_LINK``)."""
    return re.sub(r"\\(.)", r"\1", str(markdown)).replace(NO_LINK, "")


def infos(at: AppTest) -> str:
    """Return the explanations above the map: the line (the expander's label) and the
    notes folded under it."""
    texts = [shown(e.value) for e in at.info]
    for box in at.expander:
        texts.append(shown(box.label))
        texts.extend(shown(m.value) for m in box.markdown)
    return "\n".join(texts)


def test_a_single_year_says_what_it_leaves_out_in_one_line_not_in_the_map() -> None:
    at = run_app(year="2016")
    line = shown(at.expander[0].label)
    # One statement names the five destinations without a yearly figure...
    assert line.startswith("No reported yearly figure for Russia, Uzbekistan, ")
    assert line.endswith(" and USA in 2016.")
    assert line.count("No reported") == 1
    # ...the notes place by place are folded under it, and the map's title box does not
    # repeat them (its notes still say what is left out).
    assert infos(at).count("No reported yearly figure exists for") == 5
    text = map_spec(map_srcdoc(at))["text"]
    assert text["alerts"] == []
    assert any("Russia" in note for note in text["notes"])
    assert text["title"] == "Departures · 2016 · both sexes"
    # With reported figures only, each reason is one statement naming its places.
    line = shown(run_app(year="2016", basis="reported").expander[0].label)
    assert line.startswith("Osh, Bishkek, Chüy oblast and remaining oblasts, 2016: only modelled")
    assert "No reported yearly figure for Russia, Uzbekistan, Kazakhstan, Turkey and USA" in line


def test_default_view_shows_all_eight_destinations() -> None:
    at = run_app()
    assert at.title[0].value == "Migration of the population of Batken oblast"
    assert drawn(at) >= {"KG-GO", "KG-GB", "KG-C", "RU", "UZ", "KZ", "TR", "US"}
    assert at.query_params["period"] == "2014-2023"
    assert at.query_params["dest"] == ",".join(DESTINATIONS)
    assert len(at.get("download_button")) == 4  # HTML, CSV, PNG, PDF
    assert not at.warning


def test_kyrgyz_link_with_two_destinations() -> None:
    at = run_app(lang="ky", period="2014-2023", dest="RU,UZ")
    assert drawn(at) == {"RU", "UZ"}
    assert at.title[0].value == t("map.title", "ky")
    assert at.radio(key="direction").label == t("app.direction", "ky")
    html = map_srcdoc(at)
    assert "Россия" in html
    assert t("legend.title", "ky") in html
    assert t("app.download_html", "ky") == element(at, "download_button").label


def test_russia_2019_reported_is_explained() -> None:
    at = run_app(year="2019", dest="RU", basis="reported")
    assert "No reported yearly figure exists for Russia in 2019" in infos(at)
    assert drawn(at) == set()
    assert not at.exception


def test_aggregate_total_is_explained_when_reported_only() -> None:
    at = run_app(year="2022", dest="KG-GO", basis="reported")
    assert drawn(at) == {"KG-OTHER"}
    assert "Shown as a total: other oblasts of Kyrgyzstan" in infos(at)
    assert "only a modelled estimate exists" in infos(at)


@pytest.mark.parametrize(
    ("query", "bad"),
    [
        ({"lang": "fr"}, "lang=fr"),
        ({"year": "1999"}, "year=1999"),
        ({"year": "twenty"}, "year=twenty"),
        ({"period": "2000-2001"}, "period=2000-2001"),
        ({"dest": "RU,<script>"}, "dest=<SCRIPT>"),
        ({"direction": "sideways"}, "direction=sideways"),
        ({"sex": "x"}, "sex=x"),
        ({"basis": "guess"}, "basis=guess"),
        ({"border": "maybe"}, "border=maybe"),
        ({"palette": "rainbow"}, "palette=rainbow"),
    ],
)
def test_bad_query_values_fall_back_with_a_note(query: dict[str, str], bad: str) -> None:
    at = run_app(**query)
    notes = "\n".join(shown(w.value) for w in at.warning)
    assert f"The link's value {bad} is not valid" in notes
    assert map_srcdoc(at)  # the map is still drawn


def test_url_round_trip() -> None:
    at = run_app()
    at.radio(key="lang").set_value("ru").run()
    at.radio(key="when").set_value("year").run()
    at.select_slider(key="year").set_value(2021).run()
    at.multiselect(key="dest").set_value(["KG-GB", "RU"]).run()
    at.radio(key="direction").set_value("net").run()
    at.radio(key="sex").set_value("female").run()
    at.radio(key="basis").set_value("reported").run()
    at.checkbox(key="border").uncheck().run()
    at.radio(key="palette").set_value("colourblind").run()
    query = dict(at.query_params)
    assert query == {
        "lang": "ru",
        "year": "2021",
        "dest": "KG-GB,RU",
        "direction": "net",
        "sex": "female",
        "basis": "reported",
        "border": "off",
        "palette": "colourblind",
    }
    again = run_app(**query)
    for key, value in (
        ("lang", "ru"),
        ("when", "year"),
        ("direction", "net"),
        ("sex", "female"),
        ("basis", "reported"),
        ("palette", "colourblind"),
    ):
        assert again.radio(key=key).value == value
    assert again.select_slider(key="year").value == 2021
    assert again.multiselect(key="dest").value == ["KG-GB", "RU"]
    assert again.checkbox(key="border").value is False


def test_select_all_and_none_buttons() -> None:
    at = run_app(dest="RU")
    at.button[1].click().run()  # none
    assert at.multiselect(key="dest").value == []
    assert t("app.no_dest", "en") in infos(at)
    assert drawn(at) == set()
    at.button[0].click().run()  # all
    assert at.multiselect(key="dest").value == list(DESTINATIONS)


def test_each_control_changes_the_map() -> None:
    at = run_app()
    before = map_srcdoc(at)
    at.radio(key="direction").set_value("in").run()
    flows = drawn_flows(map_srcdoc(at))
    assert flows
    assert {f["dest"] for f in flows} == {"KG-B"}
    at.radio(key="basis").set_value("reported").run()
    assert t("basis.modelled") not in {f["basis"] for f in drawn_flows(map_srcdoc(at))}
    at.radio(key="basemap").set_value("tiles").run()
    assert "tile.openstreetmap.org" in map_srcdoc(at)
    assert at.query_params["tiles"] == "on"
    assert t("layer.border") in map_srcdoc(at)
    at.checkbox(key="border").uncheck().run()
    assert t("layer.border") not in map_srcdoc(at)
    assert map_srcdoc(at) != before


def test_district_upload() -> None:
    at = run_app()
    content = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "Кадамжай району"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[71.5, 39.9], [72.2, 39.9], [72.2, 40.3], [71.5, 39.9]]],
                    },
                }
            ],
        }
    ).encode()
    element(at, "file_uploader").upload("d.geojson", content).run()
    assert not at.exception
    assert "Кадамжай району" in map_srcdoc(at)
    assert any("1 area drawn, 1 matched" in str(c.value) for c in at.caption)


def test_broken_district_upload_shows_an_error() -> None:
    at = run_app()
    element(at, "file_uploader").upload("d.geojson", b"{broken").run()
    assert not at.exception
    assert any("cannot be read as a boundary file" in shown(e.value) for e in at.error)


def test_quality_and_coverage_tabs() -> None:
    at = open_tab(run_app(), "quality")
    expanders = [e.label for e in at.expander]
    assert any(label.startswith("C1. 2021 arrivals") for label in expanders)
    text = "\n".join(str(x.value) for x in at.text)
    assert "261 (T1 2021, T1-arr-2021): not shipped" in text
    assert numbers_tables(at) == []  # the numbers table is built only in its own tab
    assert len(at.dataframe) == 0
    frames = open_tab(at, "coverage").dataframe
    assert len(frames) == 1  # the coverage grid
    assert "Russia" in frames[0].value.index


def test_only_the_open_tab_is_built_and_it_stays_open_in_another_language() -> None:
    """A change of view rebuilt the charts, the data-quality report and the coverage grid
    under the map although only one tab shows: now only the open tab is built (a click on
    another reruns the page), and a change of language keeps that tab open."""
    at = run_app(year="2022")
    assert len(numbers_tables(at)) == 1  # the numbers, an HTML table: no data grid
    assert len(at.dataframe) == 0
    assert _charts(at) == []
    assert not any(e.label.startswith("C1.") for e in at.expander)  # no findings
    open_tab(at, "charts")
    assert len(_charts(at)) == 2
    assert numbers_tables(at) == []
    at.select_slider(key="year").set_value(2021).run()
    assert len(_charts(at)) == 2  # the tab stays open across a change of view
    at.radio(key="lang").set_value("ru").run()
    assert at.session_state["tab"] == t("app.tab.charts", "ru")
    assert [tab.label for tab in at.tabs][1] == t("app.tab.charts", "ru")
    assert len(_charts(at)) == 2
    assert numbers_tables(at) == []


def test_a_year_change_builds_the_next_years_views_ahead(map_data: MapData) -> None:
    """A year change built its view (notes, table, live map) while the user waited: now,
    after one, the same view of the next years (two on in the direction the slider moved,
    one back) is built in the background, and the page shows what was built ahead; a
    session's first one-year view has the years on either side built."""
    query = {"lang": "ky", "direction": "in", "sex": "female", "basis": "all"}
    query.update(border="off", palette="colourblind", theme="dark", dest="KG-GB,RU,KG-GO")
    at = run_app(year="2019", **query)
    state = state_from_query({**query, "year": "2018"})
    keys = {y: ahead.query_of(replace(state, year=y)) for y in (2017, 2016, 2019, 2015, 2020)}
    facts, lives = ahead.facts_cache(), cached.live_cache()
    ahead_of_2018 = (keys[2017], keys[2016])
    assert keys[2019] in facts  # the view shown
    assert not any(k in facts or (k, "") in lives for k in (*ahead_of_2018, keys[2015]))
    assert ahead.ahead().wait(60)  # a first view builds the years on either side
    for year in (2018, 2020):
        assert (ahead.query_of(replace(state, year=year)), "") in lives
    assert not any(k in facts for k in ahead_of_2018)
    at.select_slider(key="year").set_value(2018).run()
    assert ahead.ahead().wait(60)
    for year in (2017, 2016, 2019):
        assert keys[year] in facts
        assert (keys[year], "") in lives
    assert keys[2015] not in facts  # three views, not every year
    built = facts.get(keys[2017])
    assert built is not None
    again = ahead._facts(map_data, keys[2017])
    assert (built.notes, built.line) == (again.notes, again.line)
    pd.testing.assert_frame_equal(built.table, again.table)
    at.select_slider(key="year").set_value(2017).run()  # shows what was built ahead
    expected = drawable_flows(flows_for(map_data, replace(state, year=2017)), map_data.places)
    assert drawn(at) - {"KG-B"} == set(expected["counterpart"])
    assert built.notes
    assert all(note in infos(at) for note in built.notes)


def test_a_first_view_builds_the_years_on_either_side() -> None:
    assert ahead.first_years(2018) == [2017, 2019]
    assert ahead.first_years(min(YEARS)) == [min(YEARS) + 1]
    assert ahead.first_years(max(YEARS)) == [max(YEARS) - 1]


def test_next_years_go_on_in_the_slider_s_direction() -> None:
    assert ahead.next_years(2018, 2019) == [2017, 2016, 2019]
    assert ahead.next_years(2018, 2017) == [2019, 2020, 2017]
    first, last = YEARS[0], YEARS[-1]
    assert ahead.next_years(first, YEARS[1]) == [YEARS[1]]
    assert ahead.next_years(last, YEARS[-2]) == [YEARS[-2]]


# --------------------------------------------------------------------------- every value


CONTROLS: dict[str, list[Any]] = {
    "lang": ["en", "ky", "ru"],
    # One year of each shape of the data: 2013 (Table 1 and abroad), 2015 (Table 1 only),
    # 2019 (Table 2 by sex), 2021 (the C1 contradiction), 2023 (abroad modelled by
    # country), 2024 (abroad only, working age), and the period. Every year with every
    # direction, sex and basis is checked at the library level (tests/test_one_view.py).
    "time": [("year", y) for y in (2013, 2015, 2019, 2021, 2023, 2024)] + [("period", "2014-2023")],
    # All, none, home only, abroad only, and one place of each kind (a city, an oblast, an
    # aggregate's member, the largest and a small country): every single destination in
    # every year is checked at the library level (tests/test_one_view.py), so the app run
    # needs only the kinds of choice, which keeps the covering array at ~90 rows, not 143.
    "dest": [
        list(DESTINATIONS),
        [],
        [d for d in DESTINATIONS if d.startswith("KG-")],
        [d for d in DESTINATIONS if not d.startswith("KG-")],
        ["KG-GB"],
        ["KG-REST"],
        ["RU"],
        ["US"],
    ],
    "direction": ["out", "in", "net"],
    "sex": ["total", "male", "female"],
    "basis": ["reported", "all"],
    "border": [True, False],
    "basemap": ["offline", "tiles"],
}


# The app runs a smaller array (AppTest reruns the whole page, ~0.2 s a run): one value of
# each kind where the full list above has several. Every value the app's wiring treats apart
# is here: each language, a year with figures by sex (2019), the abroad-only year (2024) and
# the period; all, none, one abroad and one at home; every direction, sex, basis, border and
# basemap. The full lists run through the view functions themselves (below).
APP_CONTROLS: dict[str, list[Any]] = {
    **CONTROLS,
    "time": [("year", 2019), ("year", 2024), ("period", "2014-2023")],
    "dest": [list(DESTINATIONS), [], ["RU"], ["KG-GB"]],
}


def covering_rows(controls: dict[str, list[Any]] = CONTROLS) -> list[dict[str, Any]]:
    """Return settings of all controls such that every pair of values of any two controls
    appears in at least one row (a pairwise covering array made by allpairspy)."""
    names = list(controls)
    indices = [list(range(len(controls[name]))) for name in names]
    return [
        {name: controls[name][i] for name, i in zip(names, row, strict=True)}
        for row in AllPairs(indices)
    ]


def view_state(row: dict[str, Any]) -> ViewState:
    """Return the view that the app's controls set to ``row`` choose."""
    when, value = row["time"]
    return ViewState(
        lang=row["lang"],
        year=value if when == "year" else None,
        period=value if when == "period" else None,
        dest=tuple(d for d in DESTINATIONS if d in row["dest"]),
        direction=row["direction"],
        sex=row["sex"],
        basis=row["basis"],
        border=row["border"],
        tiles=row["basemap"] == "tiles",
    )


def apply(at: AppTest, row: dict[str, Any]) -> None:
    """Set the app's controls to ``row`` and rerun (twice when "year or period" changes,
    since that choice decides which of the two time widgets is on the page)."""
    at.radio(key="lang").set_value(row["lang"])
    when, value = row["time"]
    if at.radio(key="when").value != when:
        at.radio(key="when").set_value(when)
        at.run()
    if when == "year":
        at.select_slider(key="year").set_value(value)
    else:
        at.selectbox(key="period").set_value(value)
    at.multiselect(key="dest").set_value(row["dest"])
    at.radio(key="direction").set_value(row["direction"])
    at.radio(key="sex").set_value(row["sex"])
    at.radio(key="basis").set_value(row["basis"])
    at.checkbox(key="border").set_value(row["border"])
    at.radio(key="basemap").set_value(row["basemap"])
    at.run()


@pytest.mark.parametrize("controls", [CONTROLS, APP_CONTROLS], ids=["views", "app"])
def test_covering_rows_cover_every_pair(controls: dict[str, list[Any]]) -> None:
    rows = covering_rows(controls)
    for a, b in itertools.combinations(controls, 2):
        seen = {(repr(r[a]), repr(r[b])) for r in rows}
        assert len(seen) == len(controls[a]) * len(controls[b]), (a, b)
    # A covering array needs at least (values of the largest) x (of the next) rows.
    sizes = sorted((len(values) for values in controls.values()), reverse=True)
    assert len(rows) <= 2 * sizes[0] * sizes[1]


@pytest.fixture(scope="module")
def map_data() -> MapData:
    return MapData.load()


def test_every_pair_of_control_values_gives_a_consistent_view(map_data: MapData) -> None:
    """The view functions the Batken page calls, for every pair of values of any two
    controls (the full lists): the URL gives the same view back, no destination is drawn
    when none is chosen, only chosen destinations (or their aggregates) are drawn, every
    chosen destination is drawn or explained, and the notes and table are in the language."""
    places = map_data.places
    for row in covering_rows():
        state = view_state(row)
        again = state_from_query(state.to_query())
        assert again == state, row
        assert again.notes == (), row
        selection = state.selection(places)
        drawn = flows_for(map_data, state)
        counterparts = set(drawable_flows(drawn, places)["counterpart"]) if len(drawn) else set()
        assert counterparts <= set(with_parents(state.dest, places)), row
        notes = explain(map_data.flows, state, places, drawn)
        if not state.dest:
            assert drawn.empty, row
        elif state.direction != "net":
            for dest in set(state.dest) - counterparts:
                # A group is named in sentence form inside a note («остальные области»).
                name = place_name(places, dest, state.lang).casefold()
                assert any(name in note.casefold() for note in notes), (row, dest, notes)
        missing_note(selection, places, drawn, state.lang)
        table = table_for(drawn, places, state.lang)
        assert table.empty == drawn.empty, row
        assert table.columns[0] == t("tip.from", state.lang), row


def test_every_pair_of_control_values_runs_in_the_app(map_data: MapData) -> None:
    """The app, with its controls set to each row of a pairwise covering array: no
    exception, the title in the chosen language, and the map draws exactly the flows the
    view functions give for the same choice."""
    at = run_app()
    failures = []
    rows = sorted(covering_rows(APP_CONTROLS), key=lambda r: r["time"][0])  # fewer reruns
    for row in rows:
        apply(at, row)
        if at.exception:
            failures.append((row, [e.value for e in at.exception]))
            continue
        assert at.title[0].value == t("map.title", row["lang"])
        state = view_state(row)
        expected = drawable_flows(flows_for(map_data, state), map_data.places)
        counterparts = set(expected["counterpart"]) if len(expected) else set()
        assert drawn(at) - {"KG-B"} == counterparts, row
        assert at.query_params["lang"] == row["lang"]
    assert failures == []


def test_quality_findings_in_kyrgyz_and_russian() -> None:
    ky = open_tab(run_app(lang="ky"), "quality")
    assert any(e.label.startswith("C1. 2021-жылы көчүп келгендер") for e in ky.expander)
    ky_text = "\n".join(str(x.value) for x in ky.text)
    assert "561 колдонулат" in ky_text
    # The resolutions' numbers are written by the formatter: −1 017 = 561 − 1 578.
    assert "\u22121\u00a0017 = 561 \u2212 1\u00a0578" in ky_text
    ru = open_tab(run_app(lang="ru"), "quality")
    assert any(e.label.startswith("C1. Прибывшие в 2021 г.") for e in ru.expander)
    assert "не используется" in "\n".join(str(x.value) for x in ru.text)


# --------------------------------------------------------------------------- hostile values


@pytest.mark.parametrize("value", ["²", "9" * 5000, "٢٠١٩", "2019\n", "-2019"])
def test_strange_years_in_the_url_fall_back(value: str) -> None:
    """`/?year=²` and 5000 digits used to show a traceback with server paths."""
    at = run_app(year=value)
    assert at.radio(key="when").value == "period"
    notes = [shown(w.value) for w in at.warning]
    assert len(notes) == 1
    assert notes[0].startswith("The link's value year=")
    assert len(notes[0]) < 200


def test_url_values_are_plain_text() -> None:
    """URL values used to be echoed as Markdown: an image fetched, a heading rendered."""
    at = run_app(
        sex="![x](http://127.0.0.1:9/p.png)",
        direction="x\n\n# BIG",
        basis="$x^2$ :red[red]",
        lang="<img src=x>",
    )
    raw = [str(w.value) for w in at.warning]
    assert len(raw) == 4
    for body in raw:
        assert "\n" not in body
        assert "![" not in body
        assert "](" not in body
        assert not re.search(r"(?<!\\)[$#<]", body)
    text = "\n".join(shown(b) for b in raw)
    assert "sex=![x](http://127.0.0.1:9/p.png)" in text
    assert "direction=x  # BIG" in text
    assert "basis=$x^2$ :red[red]" in text
    assert "lang=<img src=x>" in text


def _geojson(name: str, ring: list[list[float]]) -> bytes:
    feature = {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def test_upload_with_template_syntax_is_shown_as_typed() -> None:
    at = run_app()
    ring = [[71.5, 39.9], [72.2, 39.9], [72.2, 40.3], [71.5, 39.9]]
    element(at, "file_uploader").upload("d.geojson", _geojson("T{{ 7*7 }}T {#x", ring)).run()
    assert not at.exception
    page = map_srcdoc(at)
    assert "T{{ 7*7 }}T {#x" in page
    assert "T49T" not in page


@pytest.mark.parametrize(
    "content",
    [
        b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},'
        b'"geometry":{"type":"Polygon","coordinates":[[[71.5,NaN],[72,39.9],[72,40],[71.5,39.9]]]}}]}',
        b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},'
        b'"geometry":{"type":"Polygon","coordinates":[[[71.5,39.9],[72,39.9]]]}}]}',
        b"<OGRVRTDataSource><OGRVRTLayer name='x'><SrcDataSource>/etc/passwd</SrcDataSource>"
        b"</OGRVRTLayer></OGRVRTDataSource>",
    ],
    ids=["nan", "short-ring", "vrt"],
)
def test_broken_uploads_give_a_message_without_server_paths(content: bytes) -> None:
    at = run_app()
    element(at, "file_uploader").upload("my districts.geojson", content).run()
    assert not at.exception
    texts = [shown(e.value) for e in at.error] + [shown(c.value) for c in at.caption]
    joined = "\n".join(texts)
    assert "my districts.geojson" in joined
    assert "/tmp" not in joined
    assert "Traceback" not in joined
    assert "root:" not in map_srcdoc(at)


def _charts(at: AppTest) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        for child in getattr(node, "children", {}).values():
            walk(child)
        if getattr(node, "type", "") == "vega_lite_chart":
            found.append(json.loads(node.proto.spec))

    walk(at._tree)
    return found


def test_chart_colours_match_the_map() -> None:
    """The yearly chart showed departures light blue and net red; the map uses red for
    departures and blue for arrivals."""
    colour = _charts(open_tab(run_app(), "charts"))[0]["encoding"]["color"]["scale"]
    assert dict(zip(colour["domain"], colour["range"], strict=True)) == {
        "Arrivals": "#2166ac",
        "Departures": "#b2182b",
        "Net": "#6a3d9a",
    }


def kind_colours(at: AppTest) -> list[str]:
    """The colours of the kinds of flow on the app's map."""
    return [k["colour"] for k in map_spec(map_srcdoc(at))["style"]["kinds"]]


def chart_colours(at: AppTest) -> list[dict[str, str]]:
    """Each chart's colour by series label."""
    scales = [chart["encoding"]["color"]["scale"] for chart in _charts(at)]
    return [dict(zip(s["domain"], s["range"], strict=True)) for s in scales]


def test_colour_blind_palette_from_the_url() -> None:
    """Map, legend and charts take the palette of ``?palette=``; departures, arrivals and
    net keep their colours on every one of them."""
    at = run_app(palette="colourblind", direction="in", lang="ru")
    colours = PALETTES["colourblind"]
    assert at.radio(key="palette").value == "colourblind"
    assert at.radio(key="palette").label == t("app.palette", "ru")
    assert at.query_params["palette"] == "colourblind"
    assert kind_colours(at) == [colours["in"]]
    yearly, by_sex = chart_colours(open_tab(at, "charts"))
    assert yearly == {
        t("direction.in", "ru"): colours["in"],
        t("direction.out", "ru"): colours["out"],
        t("tip.net", "ru"): colours["net"],
    }
    assert by_sex[t("app.chart.arrivals_male", "ru")] == colours["in"]
    assert by_sex[t("app.chart.departures_male", "ru")] == colours["out"]
    at.radio(key="palette").set_value("default").run()
    assert kind_colours(at) == [PALETTES["default"]["in"]]
    assert "palette" not in at.query_params
    assert chart_colours(at)[1][t("app.chart.departures_female", "ru")] != colours["out"]


@pytest.mark.parametrize("value", ["rainbow", "COLOURBLIND", "<script>", "colourblind\n", ""])
def test_a_hostile_palette_falls_back_to_the_default(value: str) -> None:
    at = run_app(palette=value, direction="in")
    assert at.radio(key="palette").value == "default"
    assert kind_colours(at) == [PALETTES["default"]["in"]]
    yearly = chart_colours(open_tab(at, "charts"))[0]
    assert yearly[t("direction.out")] == PALETTES["default"]["out"]
    assert "palette" not in at.query_params


def test_views_that_drop_destinations_say_so() -> None:
    """A net map has no figure for single countries: the app says which, above the map,
    in the same words as the map's note (and arrivals too exist only as totals)."""
    places = load_places()
    for lang, direction in (("en", "net"), ("ky", "net"), ("ru", "in")):
        at = run_app(lang=lang, direction=direction, dest="RU,KG-GB,UZ")
        names = ", ".join(place_name(places, p, lang) for p in ("RU", "UZ"))
        expected = t(f"note.missing.{direction}", lang, places=names)
        expected += " " + t(f"note.why.{direction}", lang)
        assert map_spec(map_srcdoc(at))["text"]["notes"][0] == expected
        assert f"- {expected}" in infos(at).splitlines()
        assert {"RU", "UZ"}.isdisjoint(drawn(at))
        assert "KG-GB" in drawn(at)
    quiet = run_app(period="2014-2023", dest="RU,KG-GB")  # departures: both are drawn
    assert "figure for" not in infos(quiet)


def test_net_table_shows_the_sign_and_no_double_counting() -> None:
    at = run_app(year="2021", direction="net", basis="reported")
    [table] = numbers_tables(at)
    assert table.column(t("tip.count")) == ["−1,017"]  # the loss with its sign (U+2212)
    at = run_app(period="2014-2023")
    names = numbers_tables(at)[0].column(t("tip.to"))
    assert "Other oblasts of Kyrgyzstan" not in names  # its modelled parts are listed
    assert {"Osh", "Bishkek", "Chüy oblast", "Remaining oblasts"} <= set(names)


def test_downloads_for_slides_and_spreadsheets() -> None:
    at = run_app(period="2014-2023", dest="RU")
    labels = {b.proto.label for b in at.get("download_button")}
    assert {t("app.download_png"), t("app.download_pdf"), t("app.download_csv")} <= labels
    import pandas as pd

    from flowmap.app.table import csv_bytes

    text = csv_bytes(pd.DataFrame({"a": ["=HYPERLINK(1)", "ok"], "n": [-5, 3]})).decode()
    assert text.splitlines() == ["a,n", "'=HYPERLINK(1),-5", "ok,3"]


# --------------------------------------------------------------------------- in the page's language


def test_russian_tables_charts_and_link_notes_use_russian_forms() -> None:
    at = run_app(lang="ru", period="2014-2023", dest="RU", sex="x")
    [table] = numbers_tables(at)
    assert table.column(t("tip.count", "ru")) == ["7\u00a0529"]  # shown the Russian way
    assert table.label == t("app.tab.table.caption", "ru")
    sources = table.column(t("tip.source", "ru"))
    assert sources == [source_text("P-ABROAD", "ru")]
    assert sources[0].startswith("абзацы о международной миграции")
    charts = _charts(open_tab(at, "charts"))
    assert len(charts) == 2
    for chart in charts:
        locale = chart["config"]["locale"]["number"]
        assert (locale["thousands"], locale["decimal"]) == ("\u00a0", ",")
    warnings = "\n".join(shown(w.value) for w in at.warning)
    assert t("app.bad_query", "ru", key="sex", value="x") in warnings
    at.radio(key="lang").set_value("ky").run()
    warnings = "\n".join(shown(w.value) for w in at.warning)
    assert t("app.bad_query", "ky", key="sex", value="x") in warnings


def test_matched_districts_are_listed_in_the_page_language() -> None:
    at = run_app(lang="ru")
    content = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "Kadamjay"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[71.5, 39.9], [72.2, 39.9], [72.2, 40.3], [71.5, 39.9]]],
                    },
                }
            ],
        }
    ).encode()
    element(at, "file_uploader").upload("d.geojson", content).run()
    captions = "\n".join(str(c.value) for c in at.caption)
    assert t("app.districts.matched", "ru", names="Кадамжайский район") in captions
    assert "Kadamjay district" not in captions


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_broken_district_upload_error_is_in_the_page_language(lang: str) -> None:
    from flowmap.batken.districts import districts_from_bytes
    from flowmap.core.errors import FlowmapError
    from flowmap.text.i18n import error_text

    with pytest.raises(FlowmapError) as caught:
        districts_from_bytes("d.geojson", b"{broken")
    at = run_app(lang=lang)
    element(at, "file_uploader").upload("d.geojson", b"{broken").run()
    errors = [shown(e.value).replace("  \n", "\n") for e in at.error]
    assert errors == [error_text(caught.value, lang)]


# --------------------------------------------------------------------------- your data


def own_data(content: bytes, name: str = "m.csv", lang: str = "en") -> AppTest:
    """Return the app on "Your data" with one uploaded flows file."""
    at = run_app(lang=lang) if lang != "en" else run_app()
    at.radio(key="data_source").set_value("own").run()
    element(at, "file_uploader").upload(name, content).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


WIDE_YEARS = ("origin,dest,2019,2020,2021\n" + "KG,RU,10,20,40\nKG,KZ,1,2,4\n").encode()


def test_your_data_shows_the_latest_year_and_sums_a_span_only_when_asked() -> None:
    """Issue 16: a wide table is never summed silently; the span is a control."""
    at = own_data(WIDE_YEARS, "wide.csv")
    page = map_srcdoc(at)
    assert {f["count"] for f in drawn_flows(page)} == {40, 4}
    assert map_spec(page)["text"]["subtitle"] == "2021, the latest of 3 years"
    at.select_slider(key="own_time").set_value("2019").run()
    assert {f["count"] for f in drawn_flows(map_srcdoc(at))} == {10, 1}
    at.toggle(key="own_sum").set_value(True).run()
    page = map_srcdoc(at)
    assert {f["count"] for f in drawn_flows(page)} == {70, 7}
    assert map_spec(page)["text"]["subtitle"] == "2019–2021, sum of 3 years"
    # A stock table: the span control is off and disabled; one year is drawn.
    at.radio(key="own_measure").set_value("stock").run()
    assert not at.exception
    assert at.toggle(key="own_sum").proto.disabled
    page = map_srcdoc(at)
    assert map_spec(page)["text"]["subtitle"] == "2021, the latest of 3 years"


def test_your_data_says_how_a_matrix_is_read_and_which_totals_are_dropped() -> None:
    matrix = (
        b"Current x Origin,KG,RU,KZ,Total\n"
        b'KG,N/A,"1,500",20,"1,520"\n'
        b"RU,30,N/A,5,35\n"
        b"KZ,7,9,N/A,16\n"
        b'Total,37,"1,509",25,"1,571"\n'
    )
    at = own_data(matrix, "matrix.csv", lang="ru")
    captions = "\n".join(shown(c.value) for c in at.caption)
    assert "строки — места прибытия, столбцы — места выбытия" in captions
    assert "итоговые строки исключены — 1 ('Total')" in captions
    assert "итоговый столбец исключён ('Total')" in captions
    flows = {(f["origin"], f["dest"], f["count"]) for f in drawn_flows(map_srcdoc(at))}
    assert ("RU", "KG", 1500) in flows
    warnings = "\n".join(shown(w.value) for w in at.warning)
    assert "3 ячейки с отметкой «нет данных» ('N/A')" in warnings
    # The other orientation, chosen under "Layout and columns".
    at.selectbox(key="own_orient").set_value("rows-are-origins").run()
    flows = {(f["origin"], f["dest"], f["count"]) for f in drawn_flows(map_srcdoc(at))}
    assert ("KG", "RU", 1500) in flows


def test_your_data_hints_point_to_layout_and_columns() -> None:
    at = own_data(b"a,b,c\n1,2,3\n", "odd.csv")
    errors = "\n".join(shown(e.value) for e in at.error)
    assert "“Layout and columns”" in errors
    assert "--columns" not in errors
    assert "flow_columns" not in errors


def test_uploads_are_read_in_a_worker_within_its_time_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 17: an upload is parsed in a child process, which is killed at the time limit
    (here 1 ms: no child gets that far) with one line, and the page goes on."""
    monkeypatch.setattr(worker, "TIME_LIMIT", 0.001)
    at = run_app()
    at.radio(key="data_source").set_value("own").run()
    element(at, "file_uploader").upload("tiny.csv", WIDE_YEARS).run()
    assert not at.exception
    assert [shown(e.value) for e in at.error] == [
        "tiny.csv took longer than 1 s to read, the most the app allows: make the file "
        "smaller or use the command line"
    ]


class _Session:
    """A stand-in for Streamlit's ``AppSession``: its state holds an upload."""

    def __init__(self, id: str, upload: bytes) -> None:
        self.id = id
        self.session_state = SessionState()
        self.session_state["upload"] = upload
        self.shut_down = False

    def shutdown(self) -> None:
        self.shut_down = True


def test_closed_pages_sessions_and_their_uploads_are_freed_once_their_time_is_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 17: Streamlit drops a closed page's expired session from its store only when
    another page disconnects, and never shuts it down, so its uploaded files stayed in the
    server; ``reap_closed_sessions`` shuts down and clears the expired ones only."""
    now = [0.0]
    storage = MemorySessionStorage(ttl_seconds=120)
    storage._cache = TTLCache(maxsize=128, ttl=120, timer=lambda: now[0])
    manager = SimpleNamespace(_session_storage=storage, _storage_lock=threading.Lock())
    fake_runtime = SimpleNamespace(
        exists=lambda: True, get_instance=lambda: SimpleNamespace(_session_mgr=manager)
    )
    monkeypatch.setattr(sessions, "runtime", fake_runtime)  # the app's own function
    reap = sessions.reap_closed_sessions

    old, recent = _Session("old", b"x" * 1000), _Session("recent", b"y" * 1000)
    for session in (old, recent):
        storage.save(SessionInfo(client=None, session=session))  # type: ignore[arg-type]
        now[0] += 100
    assert reap() == 1  # 200 s after "old" closed, 100 s after "recent"
    assert old.shut_down
    assert "upload" not in old.session_state
    assert not recent.shut_down
    assert recent.session_state["upload"] == b"y" * 1000
    assert [info.session for info in storage.list()] == [recent]  # type: ignore[comparison-overlap]
    assert reap() == 0


def test_the_warm_up_builds_what_the_first_session_opens_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server builds the default view before it takes connections (``server.py``'s
    lifespan runs :func:`webapp.warm.warm`): the first session's first run then builds no
    view of its own; every later look-up of its notes, table (and the table's HTML) and
    live map is a hit."""
    facts, lives = ahead.facts_cache(), cached.live_cache()
    facts.clear()
    lives.clear()
    cached.table_page.clear()
    assert warm.warm() > 0
    built: list[str] = []

    def table_html(table: pd.DataFrame, lang: str) -> str:
        built.append(lang)
        return ""

    monkeypatch.setattr(cached, "table_html", table_html)
    query = warm.default_query()
    assert query in facts
    assert (query, "") in lives
    misses = (facts.stats().misses, lives.stats().misses)
    at = first_run()  # the map alone, then the whole page
    assert drawn(at)  # the page drew the map it was given
    frame_has_its_view(at)
    assert ahead.query_of(view.state_from_query({})) == query
    assert (facts.stats().misses, lives.stats().misses) == misses
    assert built == []
    assert len(numbers_tables(at)) == 1


def test_the_warm_up_does_streamlits_own_first_run_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamlit's first run of a page checked the page's icon against its emoji catalogue
    (importing and compiling it) and read the call stack to see whether it runs in a REPL:
    about half a second of the first visitor's wait; and the download buttons' Material icon
    against its catalogue. The warm-up does all three before the first connection, with
    the icons the page sets."""
    assert string_util.is_emoji(PAGE_ICON)  # Streamlit takes the emoji path for this icon
    assert "page_icon=PAGE_ICON" in (ROOT / "app.py").read_text(encoding="utf-8")
    seen: list[object] = []

    def is_emoji(text: str) -> bool:
        seen.append(text)
        return True

    def is_repl() -> bool:
        seen.append("repl")
        return False

    def is_material_icon(name: str) -> bool:
        seen.append(name)
        return True

    monkeypatch.setattr(string_util, "is_emoji", is_emoji)
    monkeypatch.setattr(env_util, "is_repl", is_repl)
    monkeypatch.setattr(string_util, "is_material_icon", is_material_icon)
    warm.streamlit_first_run()
    assert seen == [PAGE_ICON, "repl", "download"]
    assert string_util.validate_icon_or_emoji(DOWNLOAD_ICON) != ""  # the icon the page sets
    assert seen == [PAGE_ICON, "repl", "download", "download"]  # Streamlit checks the same


def test_no_full_garbage_collection_after_each_run() -> None:
    """Streamlit's collection after every run held Python's lock 0.08-0.2 s after the page's
    messages were queued (README.md, "The app's map"); Python's own thresholds still
    collect (the load test's memory stays flat)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False


def test_the_server_serves_the_app_and_warms_up_in_its_lifespan() -> None:
    """``streamlit run server.py`` (``make run``) serves ``app.py`` as an ``st.App`` whose
    lifespan builds the default view before it yields (before the first connection)."""
    server = importlib.import_module("server")
    assert isinstance(server.app, st.App)
    assert server.app.script_path == ROOT / "app.py"
    facts, lives = ahead.facts_cache(), cached.live_cache()
    facts.clear()
    lives.clear()

    async def start() -> None:
        async with server.lifespan(server.app):
            assert (warm.default_query(), "") in lives

    asyncio.run(start())
    assert warm.default_query() in facts


def frame_has_its_view(at: AppTest) -> AppTest:
    """Rerun as the map's frame does when it has the view it was asked to report (its
    value, live.js)."""
    at.session_state["fm-live"] = {"ready": 1}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_first_visit_draws_the_map_alone_then_the_whole_page_in_the_same_place() -> None:
    """Issue 20: Streamlit's page shows a run's elements together, so a first visit's map
    frame was made only after the controls, downloads and tabs were drawn. A session's
    first run draws the title and the map alone and asks the frame to say when it has the
    view; the next run draws the whole page, the map's element in the same place (its
    frame kept), the same view as a whole page drawn at once."""
    at = first_run(year="2019", lang="ru")
    assert map_args(at)["report"] is True
    assert at.title
    assert "Баткен" in at.title[0].value
    assert len(at.radio) == 0
    assert len(at.get("download_button")) == 0
    assert len(at.tabs) == 0
    first = map_spec(map_srcdoc(at))
    assert first["text"]["title"].endswith("2019 · оба пола")
    assert "2019" in str(at.query_params["year"])
    again = at.run()  # the frame has not said yet: still the map alone
    assert len(again.radio) == 0
    assert map_args(again)["report"] is True
    frame_has_its_view(at)
    args = map_args(at)
    assert args["report"] is False
    assert args["features"] == {}  # the frame holds them: only the view's spec is sent
    assert map_spec(args["spec"]) == first
    assert at.radio(key="lang").value == "ru"
    assert at.radio(key="data_source").value == "batken"
    assert len(at.get("download_button")) == 4
    assert len(at.tabs) == 5
    whole = run_app(year="2019", lang="ru")
    assert map_spec(map_srcdoc(whole)) == first
    assert [r.value for r in whole.radio] == [r.value for r in at.radio]
    frame_has_its_view(at)  # later runs stay whole, and do not ask again
    assert map_args(at)["report"] is False
    assert len(at.radio) == 9


def test_a_first_visit_with_no_map_to_draw_is_drawn_whole_at_once() -> None:
    """A link whose map of change is refused (figures by sex exist from 2017 on) has no
    map to draw first: the first run draws the whole page, the refusal and the controls."""
    at = first_run(compare="2014,2023", sex="female")
    assert at.error
    assert "2014" in at.error[0].value
    assert at.radio(key="data_source").value == "batken"
    assert at.toggle(key="compare_on").value is True


def test_the_page_is_drawn_whole_when_the_frame_never_says_it_has_its_view() -> None:
    """A frame that fails to load says nothing: after ``WAIT_SECONDS`` the fragment the
    map-alone page carries (rerun by the browser's timer) draws the whole page."""
    at = first_run()
    assert len(at.radio) == 0
    at.session_state["fm_map_first_since"] -= livemap.WAIT_SECONDS  # as if that long ago
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.radio) == 9
    assert len(at.tabs) == 5
