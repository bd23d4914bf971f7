"""Playable exports: what the page carries (every year, direction and language), its size,
and that hostile text in it stays escaped."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from flowmap.batken.dataset import MapData
from flowmap.batken.export import export_html, playable_map
from flowmap.batken.player import localised_layers, player_periods
from flowmap.batken.query import Selection
from flowmap.cli.commands import main
from flowmap.core.langs import LANGS
from flowmap.render.maps import map_html
from flowmap.text.i18n import t
from flowmap.text.period import Period
from tests.conftest import map_spec
from tests.test_template_injection import PAYLOADS, _assert_literal

YEARS = [str(y) for y in range(2013, 2025)]
ONE_MB = 1024 * 1024


@pytest.fixture(scope="module")
def data() -> MapData:
    return MapData.load()


@pytest.fixture(scope="module")
def all_years(data: MapData, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded Batken export with every year (no period chosen)."""
    return export_html(data, Selection(), tmp_path_factory.mktemp("play") / "all.html")


def spec_of(path: Path) -> dict[str, Any]:
    return map_spec(path.read_text(encoding="utf-8"))


def flows_at(spec: dict[str, Any], label: str, direction: str) -> list[tuple[str, str, int]]:
    """Return (origin, destination, count) of the carried flows of one period and set."""
    f, ids, player = spec["flows"], spec["places"]["id"], spec["player"]
    code, set_code = spec["times"].index(label), player["sets"].index(direction)
    return sorted(
        (ids[f["o"][i]], ids[f["d"][i]], f["c"][i])
        for i in range(len(f["c"]))
        if f["t"][i] == code and player["v"][i] == set_code
    )


def test_all_years_export_carries_every_year_and_the_period(all_years: Path) -> None:
    spec = spec_of(all_years)
    player = spec["player"]
    labels = [spec["times"][code] for code in player["stops"]]
    assert labels == [*YEARS, "2014–2023"]
    assert player["span"] == [0] * len(YEARS) + [1]
    # It opens on the whole period (a total), never on a sum of years.
    assert labels[player["start"]["stop"]] == "2014–2023"
    assert player["dirs"] == ["out", "in", "net"]
    for year in YEARS:
        assert flows_at(spec, year, "out"), year
        assert flows_at(spec, year, "in"), year
        assert flows_at(spec, year, "net"), year
    # Abroad is published for 2014-2023 only as a total: no single year carries Russia
    # then, except the modelled splits of 2013, 2023 and 2024.
    russia = {year for year in YEARS if any(d == "RU" for _, d, _ in flows_at(spec, year, "out"))}
    assert russia == {"2013", "2023", "2024"}
    assert ("KG-B", "RU", 7529) in flows_at(spec, "2014–2023", "out")


def test_net_figures_come_from_the_balance_table(all_years: Path, data: MapData) -> None:
    spec = spec_of(all_years)
    net = flows_at(spec, "2017", "net")
    balances = data.balances[
        (data.balances["period"] == "2017")
        & (data.balances["sex"] == "total")
        & (data.balances["counterpart"] == "KG-GO")
    ]
    assert int(balances["net"].iloc[0]) == -200
    assert ("KG-B", "KG-GO", 200) in net  # a net loss points away from Batken


def test_each_flow_is_carried_once_as_codes(all_years: Path) -> None:
    spec = spec_of(all_years)
    f, player = spec["flows"], spec["player"]
    n = len(f["c"])
    assert all(len(f[k]) == n for k in ("o", "d", "k", "t"))
    assert len(player["v"]) == len(player["cp"]) == len(player["box"]) == n
    rows = set(zip(f["o"], f["d"], f["c"], f["t"], player["v"], f["a"]["group"], strict=True))
    assert len(rows) == n
    assert len(spec["places"]["id"]) == len(set(spec["places"]["id"]))
    # Strings are not repeated per flow: times and attribute values are codes.
    assert all(isinstance(code, int) for code in f["t"] + f["a"]["basis"])


def test_aggregates_give_way_to_their_parts(all_years: Path) -> None:
    spec = spec_of(all_years)
    player, ids, f = spec["player"], spec["places"]["id"], spec["flows"]
    boxes = [ids[b] for b in player["boxes"]]
    assert boxes == ["KG-GB", "KG-GO", "KG-C", "KG-REST", "RU", "UZ", "KZ", "TR", "US"]
    abroad_2013 = [
        entry
        for entry in player["agg"]
        if ids[player["cp"][entry[0]]] == "ABROAD"
        and spec["times"][f["t"][entry[0]]] == "2013"
        and player["sets"][player["v"][entry[0]]] == "out"
    ]
    assert len(abroad_2013) == 1
    parts = {ids[player["cp"][j]] for j in abroad_2013[0][1]}
    assert parts == {"RU", "UZ", "KZ", "TR", "US"}
    under = {ids[player["boxes"][b]] for b in player["under"][str(ids.index("ABROAD"))]}
    assert under == {"RU", "UZ", "KZ", "TR", "US"}


def test_three_languages(all_years: Path) -> None:
    spec = spec_of(all_years)
    langs = {entry["code"]: entry for entry in spec["player"]["langs"]}
    assert list(langs) == ["en", "ky", "ru"]
    ids = spec["places"]["id"]
    russia = ids.index("RU")
    assert langs["en"]["names"][russia] == "Russia"
    assert langs["ru"]["names"][russia] == "Россия"
    assert langs["ky"]["text"]["title"] == "Баткен облусунун калкынын миграциясы"
    assert langs["ru"]["words"]["play"] == "Воспроизвести"
    for entry in langs.values():
        assert len(entry["names"]) == len(ids)
        assert len(entry["attributes"]) == len(spec["attributes"])
        for said in entry["byDir"].values():
            assert len(said["kinds"]) == len(spec["style"]["kinds"])
        assert "{places}" in entry["words"]["onlyTotal"]
        assert "{period}" in entry["words"]["onlyTotal"]
    # The codes are of language-free values: the labels of one code differ by language.
    basis = [a["key"] for a in spec["attributes"]].index("basis")
    assert langs["ru"]["attributes"][basis]["labels"] != langs["en"]["attributes"][basis]["labels"]
    assert len(langs["ru"]["attributes"][basis]["labels"]) == len(
        langs["en"]["attributes"][basis]["labels"]
    )


def test_layers_and_tooltip_values_in_every_language(all_years: Path) -> None:
    """The layer control's names, the overlays' tooltips and the flows' source, method
    and note come in each language, so the language switch leaves no English behind."""
    spec = spec_of(all_years)
    named = [layer for layer in spec["layers"] if layer.get("name")]
    assert len(named) >= 4  # countries, oblasts, districts, border overlay
    for layer in named:
        assert list(layer["names"]) == list(LANGS)
        assert layer["names"]["en"] == layer["name"]
    names = {layer["name"]: layer["names"] for layer in named}
    assert names[t("layer.countries", "en")]["ru"] == t("layer.countries", "ru")
    assert names[t("layer.border", "en")]["ky"] == t("layer.border", "ky")
    shapes = [f["properties"] for layer in spec["layers"] for f in layer["features"]["features"]]
    tips = [p["_tips"] for p in shapes if "_tip" in p]
    assert len(tips) >= 13  # 3 districts, 2 borders, 3 enclaves, 5 centres
    assert all(list(tip) == list(LANGS) for tip in tips)
    assert [p["_tip"] for p in shapes if "_tip" in p] == [tip["en"] for tip in tips]
    enclaves = [" ".join(tip["ru"]) for tip in tips if "Sokh" in " ".join(tip["en"])]
    assert enclaves
    assert "Сох" in enclaves[0]
    for tip in tips:
        for lang in ("ky", "ru"):
            assert not re.search(r"[A-Za-z]{4,}", " ".join(tip[lang]).replace("Natural Earth", ""))
    langs = {entry["code"]: entry for entry in spec["player"]["langs"]}
    keys = [a["key"] for a in spec["attributes"]]
    values = {
        lang: {key: langs[lang]["attributes"][keys.index(key)]["labels"] for key in keys}
        for lang in LANGS
    }
    assert "Table 1" in values["en"]["source_ref"]
    assert "табл. 1" in values["ru"]["source_ref"]
    for lang in ("ky", "ru"):
        for key in ("source_ref", "method", "note", "group", "basis"):
            assert len(values[lang][key]) == len(values["en"][key]), key
            for label in values[lang][key]:
                assert not re.search(r"[A-Za-z]{4,}", label), (lang, key, label)


def _tip_layer(name: str, tip: str) -> dict[str, Any]:
    """A layer of one feature with a tooltip line."""
    feature = {"type": "Feature", "properties": {"_tip": [tip]}}
    return {"name": name, "features": {"type": "FeatureCollection", "features": [feature]}}


def test_localised_layers_must_match() -> None:
    layer, ru = _tip_layer("Borders", "A border"), _tip_layer("Границы", "Граница")
    out = localised_layers([layer], {"en": [layer], "ru": [ru]})
    assert out[0]["names"] == {"en": "Borders", "ru": "Границы"}
    assert out[0]["features"]["features"][0]["properties"]["_tips"] == {
        "en": ["A border"],
        "ru": ["Граница"],
    }
    assert "_tips" not in layer["features"]["features"][0]["properties"]  # not changed
    with pytest.raises(ValueError, match="'ru' do not match"):
        localised_layers([layer], {"en": [layer], "ru": []})


def test_all_years_export_is_under_one_megabyte(all_years: Path) -> None:
    size = all_years.stat().st_size
    assert size < ONE_MB, f"{size / 1024:.0f} kB"
    text = all_years.read_text(encoding="utf-8")
    assert not re.search(r"""\bsrc\s*=\s*["']?(https?:)?//""", text)
    assert not re.search(r"""<link[^>]*\bhref\s*=\s*["']?(https?:)?//""", text)
    assert "flowmap.player = function" in text


def test_period_selection_plays_its_years(data: MapData) -> None:
    spec = map_spec(map_html(playable_map(data, Selection(period=Period(2014, 2023)))))
    labels = [spec["times"][code] for code in spec["player"]["stops"]]
    assert labels == [str(y) for y in range(2014, 2024)] + ["2014–2023"]
    year = map_spec(map_html(playable_map(data, Selection(period=Period(2019, 2019)))))
    player = year["player"]
    assert year["times"][player["stops"][player["start"]["stop"]]] == "2019"
    assert len(player["stops"]) == len(YEARS) + 1


def test_slider_periods_order() -> None:
    found = player_periods(["2014-2023", "2016", "2013", "2024"], Selection())
    assert [str(p) for p in found] == ["2013", "2016", "2024", "2014-2023"]
    inside = player_periods(["2014-2023", "2016", "2013"], Selection(period=Period(2014, 2023)))
    assert [str(p) for p in inside] == ["2016", "2014-2023"]


def test_static_export_has_no_player(data: MapData, tmp_path: Path) -> None:
    static = export_html(data, Selection(), tmp_path / "static.html", static=True)
    text = static.read_text(encoding="utf-8")
    assert "player" not in map_spec(text)
    assert "flowmap.player = function" not in text
    out = tmp_path / "cli-static.html"
    assert main(["export", "--static", "--year", "2022", "--out", str(out)], io.StringIO()) == 0
    assert "player" not in spec_of(out)
    played = tmp_path / "cli.html"
    assert main(["export", "--year", "2022", "--out", str(played)], io.StringIO()) == 0
    assert "player" in spec_of(played)


def test_net_export_opens_on_net(tmp_path: Path) -> None:
    out = tmp_path / "net.html"
    assert main(["export", "--direction", "net", "--out", str(out)], io.StringIO()) == 0
    player = spec_of(out)["player"]
    assert player["start"]["dir"] == "net"


# --------------------------------------------------------------------------- hostile text


@pytest.fixture
def hostile_tables(tmp_path: Path) -> tuple[Path, Path]:
    """Places whose names in every language, and flows whose text columns, are payloads."""
    from tests.test_hostile import HOSTILE

    names = [h.replace('"', '""') for h in [*HOSTILE, *PAYLOADS]]
    places = tmp_path / "places.csv"
    places.write_text(
        "id,kind,name_en,name_ky,name_ru,parent,lat,lon,anchor\n"
        f'KG-B,oblast,"{names[0]}","{names[4]}","{names[5]}",,39.853,71.591,x\n'
        f'RU,country,"{names[1]}","{names[2]}","{names[3]}",,55.752,37.618,x\n'
        f'UZ,country,"{names[6]}","{names[7]}","{names[8]}",,41.265,69.216,x\n'
        f'KZ,country,"{names[9]}","{names[10]}","{names[1]}",,43.25,76.91,x\n',
        encoding="utf-8",
    )
    flows = tmp_path / "flows.csv"
    flows.write_text(
        "origin,destination,period,sex,age,count,basis,source_ref,method,note\n"
        f'KG-B,RU,2014-2023,total,all,7529,reported,"{names[3]}",,"{names[0]}"\n'
        f'KG-B,RU,2019,total,all,700,modelled,"{names[6]}","{names[2]}","{names[1]}"\n'
        f'KG-B,UZ,2019,total,all,566,reported,"{names[1]}",,"{names[7]}"\n'
        f'KZ,KG-B,2020,total,all,40,reported,"{names[8]}",,"{names[9]}"\n',
        encoding="utf-8",
    )
    return places, flows


def test_hostile_names_stay_escaped_in_the_player_data(
    tmp_path: Path, hostile_tables: tuple[Path, Path]
) -> None:
    from tests.test_hostile import HOSTILE

    places, flows = hostile_tables
    out = tmp_path / "hostile.html"
    argv = ["export", "--places", str(places), "--flows", str(flows), "--out", str(out)]
    assert main(argv, io.StringIO()) == 0
    text = out.read_text(encoding="utf-8")
    for raw in ("<script>alert", "<img src=x", "onerror=alert('img')>", "</script><script>"):
        assert raw not in text
    # Every language's names are in the player's data, escaped for the script block.
    _assert_literal(text, PAYLOADS)
    assert "\\u003cimg src=x onerror=alert(\\u0027img\\u0027)\\u003e" in text
    spec = map_spec(text)
    names = {name for lang in spec["player"]["langs"] for name in lang["names"]}
    assert set(HOSTILE) <= names
    assert set(PAYLOADS) <= names
