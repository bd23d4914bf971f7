"""Net says net, and every note is true for the view it is on (issue 16, items 2 and 3).

The net view's legend speaks of gain and loss, its flow tooltips and place circles show
the signed net with a true minus (the pages' own scripts, run in Node), in English, Kyrgyz
and Russian, on static and playable pages and in images; images never mention hovering or
tooltips and credit geoBoundaries when districts are drawn; the playable page's 2024 notes
and the coverage note are true.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flowmap.batken.checks import run_checks
from flowmap.batken.dataset import MapData
from flowmap.batken.export import make_map
from flowmap.batken.preset import MapOptions
from flowmap.batken.query import Selection
from flowmap.core.langs import LANGS
from flowmap.render._assets import asset
from flowmap.render.element import map_spec
from flowmap.render.image import render_image
from flowmap.text import numbers
from flowmap.text.i18n import t
from flowmap.text.period import Period

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="needs Node to run the page's scripts")
PERIOD = Period(2014, 2023)

_HARNESS = """
const fs = require("fs");
const format = require(process.argv[2]), tips = require(process.argv[3]);
const spec = JSON.parse(fs.readFileSync(0, "utf8"));
const fmt = format.numberFormat(spec.numbers);
const flows = spec.flows.c.map(function (c, i) { return tips.flowRows(spec, fmt, i); });
const circles = spec.places.id.map(function (id, i) { return tips.circleRows(spec, i, fmt); });
process.stdout.write(JSON.stringify({ flows: flows, circles: circles }));
"""


@pytest.fixture(scope="module")
def data() -> MapData:
    return MapData.load()


@pytest.fixture(scope="module")
def playable(
    batken_playable: Callable[[Selection], dict[str, Any]],
) -> Callable[[Selection], dict[str, Any]]:
    """Return the spec of the playable page of a selection, each built once per run
    (``tests/conftest.py``; the tests only read them)."""
    return batken_playable


def page_tips(spec: dict[str, Any], tmp: Path) -> dict[str, Any]:
    """Return the tooltip lines the page's scripts write for each flow and place circle."""
    assert NODE is not None
    files = []
    for name in ("format.js", "tips.js"):
        path = tmp / name
        path.write_text(asset(name), encoding="utf-8")
        files.append(str(path))
    harness = tmp / "harness.js"
    harness.write_text(_HARNESS, encoding="utf-8")
    done = subprocess.run(
        [NODE, str(harness), *files],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def net_spec(data: MapData, lang: str, **options: Any) -> dict[str, Any]:
    selection = Selection(period=PERIOD, direction="net")
    return map_spec(make_map(data, selection, MapOptions(lang=lang, **options)))


@pytest.mark.parametrize("lang", LANGS)
def test_net_legend_speaks_of_gain_and_loss(data: MapData, lang: str) -> None:
    spec = net_spec(data, lang)
    legends = {k["kind"]: k["legend"] for k in spec["style"]["kinds"]}
    assert legends["out"] == t("legend.colour.net_loss", lang)
    assert t("legend.colour.out", lang) not in legends.values()
    assert t("legend.circles_net", lang) in spec["text"]["legend"]["notes"]
    assert t("legend.circles", lang) not in spec["text"]["legend"]["notes"]
    word = {"en": "net loss", "ky": "терс сальдо", "ru": "отрицательное сальдо"}[lang]
    assert word in legends["out"]
    colourblind = net_spec(data, lang, palette="colourblind")
    assert t("legend.colour.net_loss_orange", lang) in [
        k["legend"] for k in colourblind["style"]["kinds"]
    ]
    # Departures keep their own words.
    out = map_spec(make_map(data, Selection(period=PERIOD), MapOptions(lang=lang)))
    assert t("legend.colour.out", lang) in [k["legend"] for k in out["style"]["kinds"]]
    assert not out["text"]["tip"]["signed"]


@needs_node
@pytest.mark.parametrize("lang", LANGS)
def test_net_tooltips_and_circles_show_the_signed_net(
    data: MapData, lang: str, tmp_path: Path
) -> None:
    spec = net_spec(data, lang)
    tips = page_tips(spec, tmp_path)
    ids, f = spec["places"]["id"], spec["flows"]
    net = t("tip.net_focus", lang)
    bishkek = ids.index("KG-GB")
    [i] = [i for i in range(len(f["c"])) if bishkek in (f["o"][i], f["d"][i])]
    row = {str(label): str(value) for label, value in tips["flows"][i]}
    # 1,447 arrivals − 3,462 departures: the table's −2,015, with a true minus, said as the
    # balance of Batken oblast with Bishkek, not as a flow "from" one "to" the other (which
    # with a minus read as a double negative).
    assert row[net] == numbers.signed(-2015, lang)
    assert row[net].startswith("−")
    assert row[t("tip.place", lang)] == spec["places"]["name"][ids.index("KG-B")]
    assert row[t("tip.with", lang)] == spec["places"]["name"][bishkek]
    assert t("tip.from", lang) not in row
    assert t("tip.to", lang) not in row
    # A modelled net (dashed, the legend points to the method) gives its method.
    assert row[t("tip.method", lang)] == t("method.gravity-v2", lang)
    assert t("tip.count", lang) not in row
    assert tips["circles"][bishkek] == [[t("tip.net_with", lang), numbers.signed(-2015, lang)]]
    for circle in tips["circles"]:
        labels = [line[0] for line in circle]
        assert t("tip.arrivals", lang) not in labels
        assert t("tip.departures", lang) not in labels
    batken = ids.index("KG-B")
    balances = data.balances
    total = balances[
        (balances["period"] == "2014-2023")
        & (balances["sex"] == "total")
        & balances["counterpart"].isin(["KG-OTHER", "ABROAD"])
    ]["net"].sum()
    shown = tips["circles"][batken][0]
    assert shown == [t("tip.net_focus", lang), numbers.signed(int(total), lang, plus=True)]
    # Departures: no sign, people counted.
    out = map_spec(make_map(data, Selection(period=PERIOD), MapOptions(lang=lang)))
    plain = page_tips(out, tmp_path)
    assert all(not row[1].startswith(("−", "+")) for rows in plain["flows"] for row in rows[3:4])
    assert t("tip.departures", lang) in [line[0] for line in plain["circles"][batken]]


def test_playable_page_words_net_as_net_in_every_language(
    playable: Callable[[Selection], dict[str, Any]],
) -> None:
    spec = playable(Selection())
    assert isinstance(spec, dict)
    kinds = [k["kind"] for k in spec["style"]["kinds"]]
    for entry in spec["player"]["langs"]:
        lang = entry["code"]
        net, out = entry["byDir"]["net"], entry["byDir"]["out"]
        assert net["signed"] == "out"
        assert not out["signed"]
        assert net["kinds"][kinds.index("out")] == t("legend.colour.net_loss", lang)
        assert net["kinds"][kinds.index("in")] == t("legend.colour.net_gain", lang)
        assert out["kinds"][kinds.index("out")] == t("legend.colour.out", lang)
        assert t("legend.circles_net", lang) in net["notes"]
        assert t("legend.circles", lang) in out["notes"]


def svg_text(spec: dict[str, Any], path: Path) -> str:
    render_image(spec, path, format="svg")
    texts = re.findall(r"<text[^>]*>(.*?)</text>", path.read_text(encoding="utf-8"), re.S)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", "", x) for x in texts))


@pytest.mark.parametrize("lang", LANGS)
def test_net_image_legend_speaks_of_gain_and_loss(data: MapData, lang: str, tmp_path: Path) -> None:
    spec = net_spec(data, lang)
    squeezed = " ".join(svg_text(spec, tmp_path / "net.svg").split())
    drawn = {k["kind"] for k in spec["style"]["kinds"]}
    assert "out" in drawn  # 2014–2023: every balance is a loss
    for kind, key in (("out", "legend.colour.net_loss"), ("in", "legend.colour.net_gain")):
        if kind in drawn:
            first = t(key, lang).split(" (")[0]
            assert first in squeezed, first
    assert t("legend.colour.out", lang) not in squeezed


HOVER_WORDS = {
    "en": ("tooltip", "hover", "point at"),
    "ky": ("түшүндүрмө",),
    "ru": ("подсказк", "наведите"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_images_never_mention_tooltips_and_credit_every_source_drawn(
    data: MapData, lang: str, tmp_path: Path
) -> None:
    spec = map_spec(make_map(data, Selection(period=PERIOD), MapOptions(lang=lang)))
    assert t("legend.style.modelled", lang) in [e["label"] for e in spec["style"]["legend"]]
    text = " ".join(svg_text(spec, tmp_path / "map.svg").split()).lower()
    for word in HOVER_WORDS[lang]:
        assert word not in text
    assert "geoboundaries" in text
    assert "cc by-sa" in text
    assert "natural earth" in text
    # Without districts (no border overlay) nothing claims geoBoundaries.
    bare = map_spec(
        make_map(data, Selection(period=PERIOD), MapOptions(lang=lang, border_overlay=False))
    )
    assert "geoboundaries" not in svg_text(bare, tmp_path / "bare.svg").lower()


@needs_node
def test_playable_2024_notes_say_nothing_false(
    playable: Callable[[Selection], dict[str, Any]],
) -> None:
    """At 2024 the internal destinations have no figure (the source has none for 2024; their
    2014–2023 values are modelled): the page must not say the source gives only a total."""
    for selection in (Selection(), Selection(basis="reported")):
        spec = playable(selection)
        assert isinstance(spec, dict)
        player, ids = spec["player"], spec["places"]["id"]
        boxes = [ids[b] for b in player["boxes"]]
        out = player["sets"].index("out")
        only = {boxes[b]: s for b, s in enumerate(player["onlyTotal"][out]) if s >= 0}
        for place in ("KG-GO", "KG-GB", "KG-C", "KG-REST"):
            assert place not in only, (selection, place)
        # Countries are printed only as 2014–2023 totals (their yearly figures are
        # modelled): that note is true.
        assert set(only) == {"RU", "UZ", "KZ", "TR", "US"}
        labels = [spec["times"][s] for s in player["stops"]]
        assert {labels[s] for s in only.values()} == {"2014–2023"}


def test_coverage_note_rounds_the_yearly_average() -> None:
    report = run_checks()
    notes = [n.text("en") for n in report.notes if "Coverage" in n.text("en")]
    assert notes
    assert "about 849 a year" in notes[0]
    assert "about 848 a year" not in notes[0]


@needs_node
@pytest.mark.parametrize("lang", LANGS)
def test_a_net_gain_is_blue_and_has_a_plus(lang: str, tmp_path: Path, write_flows: Any) -> None:
    """A table where more people arrive than leave: the net flow points to Batken, in the
    arrivals colour, said as a gain, with a plus in tooltips and circles."""
    path = write_flows(
        "KG-B,RU,2020,total,all,100,reported,survey,,",
        "RU,KG-B,2020,total,all,1130,reported,survey,,",
    )
    data = MapData.load(path)
    selection = Selection(period=Period(2020, 2020), direction="net")
    spec = map_spec(make_map(data, selection, MapOptions(lang=lang)))
    assert [k["legend"] for k in spec["style"]["kinds"]] == [t("legend.colour.net_gain", lang)]
    tips = page_tips(spec, tmp_path)
    [rows] = tips["flows"]
    gain = "+" + numbers.count(1030, lang)
    assert [t("tip.net_focus", lang), gain] in rows
    names = dict(zip(spec["places"]["id"], spec["places"]["name"], strict=True))
    assert [t("tip.place", lang), names["KG-B"]] in rows  # the gain is Batken's
    assert [t("tip.with", lang), names["RU"]] in rows
    ids = spec["places"]["id"]
    assert tips["circles"][ids.index("RU")] == [[t("tip.net_with", lang), gain]]
    assert tips["circles"][ids.index("KG-B")] == [[t("tip.net_focus", lang), gain]]
