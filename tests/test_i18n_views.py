"""In Kyrgyz and Russian, the Batken map's tooltips, the table behind a map and its CSV
download carry no English: sources are named as readers name them (``табл. 1``), notes,
methods, periods and headings come from the catalogue. English names ``Table 1``."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest

from flowmap.app.charts import series_colours, year_chart, yearly_totals
from flowmap.app.table import csv_bytes, shown_table, table_for
from flowmap.app.view import ViewState, flows_for, state_from_query
from flowmap.batken.article import note_text
from flowmap.batken.dataset import MapData
from flowmap.batken.districts import KNOWN_UNITS, unit_name
from flowmap.batken.export import make_map
from flowmap.batken.preset import MapOptions, value_labels
from flowmap.core.errors import FlowmapError
from flowmap.render.element import map_spec
from flowmap.text.i18n import localise, t

#: A run of four or more Latin letters: an English word (ids such as ``C1`` are shorter).
ENGLISH = re.compile(r"[A-Za-z]{4,}")
#: Names of sources and software a reader may see in any language.
ALLOWED = frozenset({"Leaflet", "OpenStreetMap", "Natural", "Earth", "GeoNames", "geoBoundaries"})

VIEWS: dict[str, ViewState] = {
    "whole period": ViewState(period="2014-2023"),
    "one year": ViewState(year=2021, period=None),
}
DIRECTIONS = ("out", "in", "net")


@pytest.fixture(scope="module")
def data() -> MapData:
    return MapData.load()


def english_words(text: object) -> set[str]:
    """Return the English-looking words of ``text`` that are not on the allow-list."""
    return set(ENGLISH.findall(str(text))) - ALLOWED


def view_of(name: str, lang: str, direction: str) -> ViewState:
    return replace(VIEWS[name], lang=lang, direction=direction)


def tooltips(spec: dict[str, Any]) -> list[dict[str, str]]:
    """Return what the tooltip of each drawn flow shows: attribute label -> shown value
    (as the page's script reads them: a code indexes the attribute's labels)."""
    attributes = spec["attributes"]
    codes = spec["flows"]["a"]
    out = []
    for i in range(len(spec["flows"]["c"])):
        shown = {"": spec["times"][spec["flows"]["t"][i]] if spec["flows"]["t"] else ""}
        for attribute in attributes:
            code = codes[attribute["key"]][i]
            shown[attribute["label"]] = attribute["labels"][code] if code >= 0 else ""
        out.append(shown)
    return out


def map_of(data: MapData, state: ViewState) -> dict[str, Any]:
    options = MapOptions(lang=state.lang)
    selection = state.selection(data.places)
    return map_spec(make_map(data, selection, options, None, flows_for(data, state)))


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_map_tooltips_have_no_english(data: MapData, lang: str, view: str, direction: str) -> None:
    spec = map_of(data, view_of(view, lang, direction))
    tips = tooltips(spec)
    assert tips, "the view draws no flow"
    found = {
        word
        for tip in tips
        for label, value in tip.items()
        for word in english_words(label) | english_words(value)
    }
    assert not found, found
    sources = {tip[t("tip.source", lang)] for tip in tips}
    assert all(s and not re.search(r"\bT\d|P-", s) for s in sources), sources


def test_map_tooltips_in_russian_name_the_tables(data: MapData) -> None:
    tips = tooltips(map_of(data, view_of("one year", "ru", "out")))
    assert "табл. 1; табл. 2" in {tip["Источник"] for tip in tips}


@pytest.mark.parametrize("view", VIEWS)
def test_english_map_names_table_1_and_keeps_its_notes(data: MapData, view: str) -> None:
    state = view_of(view, "en", "out")
    tips = tooltips(map_of(data, state))
    sources = {tip["Source"] for tip in tips}
    assert any(s.startswith("Table 1") for s in sources), sources
    assert not any(re.search(r"\bT\d", s) for s in sources), sources
    notes = {note_text(str(n), "en") for n in flows_for(data, state)["note"] if n}
    assert {tip["Note"] for tip in tips if tip["Note"]} <= notes  # shown as note_text writes


def test_net_notes_write_numbers_the_languages_way() -> None:
    assert note_text("1607 − 1017 = 590", "en") == "1,607 − 1,017 = 590"
    assert note_text("1607 − 1017 = 590", "ru") == "1\u00a0607 − 1\u00a0017 = 590"
    assert note_text("-1607 − 1017 = -2624", "ky") == "−1\u00a0607 − 1\u00a0017 = −2\u00a0624"
    assert note_text("a note of my own", "ru") == "a note of my own"


def test_value_labels_keep_the_codes_as_keys() -> None:
    flows = pd.DataFrame({"source_ref": ["T1", "T1; T2", "my survey"], "note": ["", "x", ""]})
    labels = value_labels(flows, "ru")
    assert labels["source_ref"] == {
        "T1": "табл. 1",
        "T1; T2": "табл. 1; табл. 2",
        "my survey": "my survey",
    }
    assert labels["note"] == {"x": "x"}
    assert value_labels(flows, "en")["source_ref"]["T1"] == "Table 1"


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_table_and_csv_have_no_english(data: MapData, lang: str, view: str, direction: str) -> None:
    state = view_of(view, lang, direction)
    table = table_for(flows_for(data, state), data.places, lang)
    assert len(table)
    cells = [*table.columns, *table.astype(str).to_numpy().ravel()]
    found = set().union(*(english_words(cell) for cell in cells))
    assert not found, found
    text = csv_bytes(table).decode("utf-8")
    assert not english_words(text), english_words(text)
    # Counts stay plain digits, machine-readable.
    counts = table[t("tip.count", lang)]
    assert pd.api.types.is_integer_dtype(counts)
    assert f",{abs(int(counts.iloc[0]))}," in text.replace(",-", ",")


def test_russian_table_of_2021_says_which_table_and_year(data: MapData) -> None:
    state = view_of("one year", "ru", "out")
    table = table_for(flows_for(data, state), data.places, "ru")
    assert set(table["Период"]) == {"2021\u00a0г."}
    assert set(table["Источник"]) == {"табл. 1; табл. 2"}


@pytest.mark.parametrize("view", VIEWS)
def test_english_table_names_table_1(data: MapData, view: str) -> None:
    state = view_of(view, "en", "out")
    table = table_for(flows_for(data, state), data.places, "en")
    assert any(s.startswith("Table 1") for s in table["Source"])
    assert "Table 1" in csv_bytes(table).decode("utf-8")
    assert not any(re.search(r"\bT\d", s) for s in table["Source"])


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("en", ["7,529", "−1,017", "55.75"]),
        ("ru", ["7\u00a0529", "−1\u00a0017", "55,75"]),
        ("ky", ["7\u00a0529", "−1\u00a0017", "55,75"]),
    ],
)
def test_shown_table_writes_numbers_the_languages_way(lang: str, shown: list[str]) -> None:
    frame = pd.DataFrame(
        {"id": ["RU", "KZ"], "count": [7529, -1017], "lat": [55.75, float("nan")], "ok": [1, 0]}
    ).astype({"ok": bool})
    styler = shown_table(frame, lang)
    rows = styler.to_string(delimiter="|").splitlines()
    assert rows[1:] == [
        f"0|RU|{shown[0]}|{shown[2]}|True",
        f"1|KZ|{shown[1]}||False",
    ]
    assert styler.data["count"].tolist() == [7529, -1017]  # still numbers: they sort so


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_bad_link_notes_are_shown_in_the_page_language(lang: str) -> None:
    state = state_from_query({"lang": "en", "year": "1999"})
    assert state.notes == (t("app.bad_query", "en", key="year", value="1999"),)
    assert localise(state.notes[0], lang) == t("app.bad_query", lang, key="year", value="1999")


def test_chart_series_error_is_translated() -> None:
    with pytest.raises(FlowmapError) as caught:
        series_colours(["people"])
    assert str(caught.value) == "no colour for the chart series 'people'"
    assert localise(caught.value.args[0], "ru") == "нет цвета для ряда диаграммы 'people'"


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_matched_districts_are_named_in_the_language(lang: str) -> None:
    names = [unit_name(unit, lang) for unit in KNOWN_UNITS]
    assert not set().union(*(english_words(n) for n in names))
    assert len(set(names)) == len(KNOWN_UNITS)
    assert unit_name("", lang) == ""
    assert unit_name("Leilek district", "en") == "Leilek district"
    with pytest.raises(FlowmapError, match="not a district or city of Batken oblast: Osh"):
        unit_name("Osh", lang)


@pytest.mark.parametrize("lang", ["en", "ky", "ru"])
def test_year_charts_write_numbers_and_headings_in_the_language(data: MapData, lang: str) -> None:
    frame = yearly_totals(data.balances).rename(
        columns={"arrivals": "Прибывшие", "departures": "Выбывшие", "net": "Сальдо"}
    )
    labels = {
        "x_label": t("app.chart.year", lang),
        "y_label": t("app.chart.people", lang),
        "series_label": t("app.chart.series", lang),
    }
    spec = year_chart(frame, ["#000000"] * 3, lang, **labels).to_dict()
    symbols = spec["config"]["locale"]["number"]
    expected = ("," if lang == "en" else "\u00a0", "." if lang == "en" else ",", "−")
    assert (symbols["thousands"], symbols["decimal"], symbols["minus"]) == expected
    assert spec["encoding"]["y"]["axis"]["format"] == ",d"  # whole numbers, grouped
    columns = set(next(iter(spec["datasets"].values()))[0])
    assert columns == set(labels.values())  # the chart's data table has no English heading
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Прибывшие", "Выбывшие", "Сальдо"]
