"""Modelled figures carry their range wherever they are shown, in three languages; reported
and derived figures never do: map tooltips (static and playable), the app's table and its
CSV, ``flowmap data show`` and the legend of a still image."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from flowmap.app import view
from flowmap.app.table import csv_bytes, shown_table, table_for
from flowmap.batken.dataset import MapData
from flowmap.batken.export import export_html, make_map
from flowmap.batken.preset import MapOptions
from flowmap.batken.query import Selection, net_as_flows, select_balances
from flowmap.cli.commands import main
from flowmap.core.langs import LANGS
from flowmap.render.element import map_spec
from flowmap.render.image import render_image
from flowmap.text.i18n import t
from flowmap.text.period import Period
from flowmap.text.ranges import figure_text, range_notes, range_text
from tests.conftest import map_spec as page_spec

NBSP = "\u00a0"
# Batken -> Chüy oblast over 2014–2023: 3,379, modelled, from 1,039 to 5,235 (data/flows.csv).
CHUY = {"en": "1,039–5,235", "ky": f"1{NBSP}039–5{NBSP}235", "ru": f"1{NBSP}039–5{NBSP}235"}
SPAN = Selection(period=Period(2014, 2023))


@pytest.fixture(scope="module")
def data() -> MapData:
    return MapData.load()


def test_ranges_are_written_as_each_language_writes_numbers() -> None:
    assert range_text(1039, 5235, "en") == CHUY["en"]
    assert range_text(1039, 5235, "ru") == CHUY["ru"]
    assert figure_text(3379, 1039, 5235, "en") == "3,379 (1,039–5,235)"
    # A negative end is never joined by a dash that reads as a minus.
    assert range_text(-331, -66, "en") == "\u2212331 to \u221266"
    assert range_text(-331, -66, "ru") == "от \u2212331 до \u221266"
    assert range_text(None, 5, "en") == ""
    assert range_text(pd.NA, pd.NA, "ky") == ""
    assert figure_text(247, pd.NA, pd.NA, "en") == "247"


def _tooltip_ranges(spec: dict[str, Any]) -> dict[tuple[str, str], str]:
    """Return the range shown in the tooltip of each drawn flow, by (origin, destination)."""
    ids, flows = spec["places"]["id"], spec["flows"]
    attribute = next(a for a in spec["attributes"] if a["key"] == "range")
    codes = flows["a"]["range"]
    return {
        (ids[o], ids[d]): attribute["labels"][c] if c >= 0 else ""
        for o, d, c in zip(flows["o"], flows["d"], codes, strict=True)
    }


@pytest.mark.parametrize("lang", LANGS)
def test_static_map_tooltips_show_the_range_of_modelled_flows_only(
    data: MapData, lang: str
) -> None:
    spec = map_spec(make_map(data, SPAN, MapOptions(lang=lang)))
    attribute = next(a for a in spec["attributes"] if a["key"] == "range")
    assert attribute["label"] == t("tip.range", lang)
    shown = _tooltip_ranges(spec)
    assert shown[("KG-B", "KG-C")] == CHUY[lang]
    assert shown[("KG-B", "RU")] == ""  # reported: no range
    assert shown[("KG-B", "KG-GO")] != ""
    if lang != "en":
        assert not re.search(r"[A-Za-z]{4,}", attribute["label"] + " ".join(attribute["labels"]))


def test_a_net_tooltip_gives_the_signed_range(data: MapData) -> None:
    selection = Selection(period=Period(2023, 2023), direction="net")
    spec = map_spec(make_map(data, selection, MapOptions(lang="ru")))
    shown = _tooltip_ranges(spec)
    assert shown[("KG-B", "KG-C")] == "от \u2212331 до \u221266"
    assert shown[("KG-B", "ABROAD")] == ""  # derived from two reported figures


def test_the_playable_export_carries_the_range_in_each_language(
    data: MapData, tmp_path: Path
) -> None:
    spec = page_spec(export_html(data, Selection(), tmp_path / "play.html").read_text("utf-8"))
    keys = [a["key"] for a in spec["attributes"]]
    at = keys.index("range")
    langs = {entry["code"]: entry for entry in spec["player"]["langs"]}
    for lang in LANGS:
        entry = langs[lang]["attributes"][at]
        assert entry["label"] == t("tip.range", lang)
        assert CHUY[lang] in entry["labels"]
    ids, flows = spec["places"]["id"], spec["flows"]
    for i, code in enumerate(flows["a"]["range"]):
        basis = spec["attributes"][keys.index("basis")]["labels"][flows["a"]["basis"][i]]
        modelled = basis == t("basis.modelled", "en")
        assert (code >= 0) == modelled, (ids[flows["o"][i]], ids[flows["d"][i]], basis)


@pytest.mark.parametrize("lang", LANGS)
def test_the_apps_table_and_its_csv_give_both_ends(data: MapData, lang: str) -> None:
    drawn = view.flows_for(data, view.ViewState())
    table = table_for(drawn, data.places, lang)
    low, high = t("range.column.low", lang), t("range.column.high", lang)
    chuy = table[table[t("tip.to", lang)] == data.places.at["KG-C", f"name_{lang}"]]
    assert (int(chuy[low].item()), int(chuy[high].item())) == (1039, 5235)
    reported = table[table[t("tip.basis", lang)] == t("basis.reported", lang)]
    assert len(reported) > 0
    assert reported[low].isna().all()
    assert reported[high].isna().all()
    text = csv_bytes(table).decode("utf-8")
    assert f"3379,1039,5235,{t('basis.modelled', lang)}" in text
    shown = shown_table(table, lang)
    assert f"1{',' if lang == 'en' else NBSP}039" in shown.to_html()
    # Streamlit writes a missing cell as "None": a figure without a range shows nothing.
    assert set(shown.data.loc[reported.index, low]) == {""}
    assert shown.data[t("tip.count", lang)].dtype == "int64"


def _show(*argv: str) -> str:
    out = io.StringIO()
    assert main(["data", "show", *argv], out) == 0
    return out.getvalue()


@pytest.mark.parametrize("lang", LANGS)
def test_data_show_prints_the_range(lang: str) -> None:
    text = _show("--period", "2014-2023", "--lang", lang)
    assert t("cli.show.range", lang) in text.splitlines()[0]
    chuy = next(line for line in text.splitlines() if "3,379" in line or f"3{NBSP}379" in line)
    assert CHUY[lang] in chuy
    russia = next(line for line in text.splitlines() if "7,529" in line or f"7{NBSP}529" in line)
    assert "–" not in russia.replace("2014–2023", "")


def test_data_show_csv_and_json_have_the_ends() -> None:
    csv_text = _show("--period", "2014-2023", "--format", "csv")
    assert csv_text.splitlines()[0].split(",")[7:9] == ["low", "high"]
    assert "out,2014-2023,KG-B,KG-C,total,all,3379,1039,5235,modelled" in csv_text
    assert "out,2014-2023,KG-B,RU,total,all,7529,,,reported" in csv_text
    rows = json.loads(_show("--period", "2023", "--direction", "net", "--format", "json"))
    by = {r["counterpart"]: r for r in rows}
    assert (by["KG-C"]["low"], by["KG-C"]["net"], by["KG-C"]["high"]) == (-331, -214, -66)
    assert by["KG-OTHER"]["low"] is None
    assert by["KG-OTHER"]["high"] is None


def test_image_legend_lists_each_modelled_figure_with_its_range(
    data: MapData, tmp_path: Path
) -> None:
    for lang in LANGS:
        spec = map_spec(make_map(data, SPAN, MapOptions(lang=lang)))
        lines = spec["text"]["legend"]["ranges"]
        assert lines[0] == t("range.heading", lang)
        assert len(lines) == 1 + 4  # Osh, Bishkek, Chüy, the remaining oblasts; not Russia
        chuy = next(line for line in lines if data.places.at["KG-C", f"name_{lang}"] in line)
        assert CHUY[lang] in chuy
        assert t("basis.modelled", "en") not in chuy or lang == "en"
        if lang != "en":
            assert not re.search(r"[A-Za-z]{4,}", " ".join(lines))
    svg = render_image(spec, tmp_path / "map.svg")
    texts = " ".join(
        "".join(e.itertext())
        for e in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}text")
    )
    assert f"3{NBSP}379 ({CHUY['ru']}), модельная оценка" in texts
    english = map_spec(make_map(data, SPAN, MapOptions(lang="en")))
    assert (
        "Batken oblast → Chüy oblast: 3,379 (1,039–5,235), modelled"
        in (english["text"]["legend"]["ranges"])
    )


def test_a_net_image_line_gives_the_signed_net(data: MapData) -> None:
    selection = Selection(period=Period(2023, 2023), direction="net")
    drawn = net_as_flows(select_balances(data.balances, selection), "KG-B")
    lines = range_notes(drawn, data.places, "en", net=True)
    # A balance of Batken oblast with a place, not a flow "→" with a minus.
    assert (
        "Batken oblast with Chüy oblast: net \u2212214 (\u2212331 to \u221266), modelled" in lines
    )
    assert not any("→" in line for line in lines)
    assert range_notes(drawn[drawn["basis"] != "modelled"], data.places, "en", net=True) == []
