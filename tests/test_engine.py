"""The general engine: any origin–destination table, from frames in memory, with no Batken
wording; selection, totals, summarised problems; curves and scale in a real browser."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flowmap
import flowmap.render.layer
from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.engine.flows import clean_flows
from flowmap.render.maps import skipped_note
from flowmap.text.i18n import error_text
from tests.conftest import OfflinePage, drawn_flows, map_spec

PLACES = pd.DataFrame(
    {
        "id": ["001", "002", "*ST", "X"],
        "name": ["Alpha", "Beta", "Gamma", "Delta"],
        "lat": [42.9, 40.5, 55.7, 41.0],
        "lon": [74.6, 72.8, 37.6, 28.9],
    }
)
FLOWS = pd.DataFrame(
    {
        "origin": ["001", "002", "001", "*ST", "X", "001"],
        "dest": ["002", "001", "*ST", "001", "001", "001"],
        "count": [120, 40, 300, 10, 5, 7],
        "year": [2019, 2019, 2020, 2020, 2019, 2019],
    }
)


def html_of(fmap: Any) -> str:
    return flowmap.map_html(fmap)


def test_frames_in_memory_make_a_map_without_batken_wording() -> None:
    page = html_of(flowmap.flow_map(FLOWS, PLACES, title="Moves", period="2019-2020"))
    flows = drawn_flows(page)
    assert {(f["origin"], f["dest"]) for f in flows} == {
        ("001", "002"),
        ("002", "001"),
        ("001", "*ST"),
        ("*ST", "001"),
        ("X", "001"),
    }
    for word in ("Batken", "Баткен", "oblast", "облус", "2013–2024", "departures from"):
        assert word not in page, word
    assert "<title>Moves · 2019–2020, sum of 2 years</title>" in page
    spec = map_spec(page)
    assert any("from a place to itself" in note for note in spec["text"]["notes"])


def test_flowmap_blue_columns_and_destination() -> None:
    renamed = FLOWS.rename(columns={"dest": "destination"})
    page = html_of(flowmap.flow_map(renamed, PLACES, period="2019-2020"))
    assert len(drawn_flows(page)) == 5


def test_ids_are_text_and_keep_leading_zeros() -> None:
    spec = map_spec(html_of(flowmap.flow_map(FLOWS, PLACES, period="2019-2020")))
    assert {"001", "002", "*ST"} <= set(spec["places"]["id"])


def test_top_and_min_count() -> None:
    top = drawn_flows(html_of(flowmap.flow_map(FLOWS, PLACES, top=2, period="2019-2020")))
    assert [f["count"] for f in top] == [300, 120]
    least = drawn_flows(html_of(flowmap.flow_map(FLOWS, PLACES, min_count=40, period="2019-2020")))
    assert sorted(f["count"] for f in least) == [40, 120, 300]


def test_selected_places_and_directions() -> None:
    both: dict[str, Any] = {"period": "2019-2020"}
    out = drawn_flows(
        html_of(flowmap.flow_map(FLOWS, PLACES, select_places=["001"], direction="out", **both))
    )
    assert {f["dest"] for f in out} == {"002", "*ST"}
    into = drawn_flows(
        html_of(flowmap.flow_map(FLOWS, PLACES, select_places=["001"], direction="in", **both))
    )
    assert {f["origin"] for f in into} == {"002", "*ST", "X"}
    net = drawn_flows(html_of(flowmap.flow_map(FLOWS, PLACES, direction="net", **both)))
    assert {(f["origin"], f["dest"], f["count"]) for f in net} == {
        ("001", "002", 80),
        ("001", "*ST", 290),
        ("X", "001", 5),
    }
    with pytest.raises(FlowmapError, match="direction 'out' needs chosen places"):
        flowmap.flow_map(FLOWS, PLACES, direction="out")
    with pytest.raises(FlowmapError, match="unknown place id"):
        flowmap.flow_map(FLOWS, PLACES, select_places=["KG-B"])


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("basemap", None, "basemap must be one of offline, tiles, none, got None"),
        ("basemap", "{{ 7*7 }}", r"basemap must be one of .*, got '\{\{ 7\*7 \}\}'"),
        ("direction", 3, "direction must be one of .*, got 3"),
    ],
)
def test_a_wrong_option_is_named(option: str, value: object, message: str) -> None:
    options: dict[str, Any] = {option: value}
    with pytest.raises(FlowmapError, match=message):
        flowmap.flow_map(FLOWS, PLACES, **options)


def test_years_are_summed_over_a_period() -> None:
    frame = pd.DataFrame(
        {"origin": ["001"] * 3, "dest": ["002"] * 3, "count": [1, 2, 4], "year": [2018, 2019, 2020]}
    )
    drawn = drawn_flows(html_of(flowmap.flow_map(frame, PLACES, period="2019-2020")))
    assert [(f["count"], f["time"]) for f in drawn] == [(6, "2019-2020")]
    one = drawn_flows(html_of(flowmap.flow_map(frame, PLACES, period=2018)))
    assert [(f["count"], f["time"]) for f in one] == [(1, "2018")]


def test_a_map_of_several_years_shows_the_latest_and_says_so() -> None:
    """Issue 16: years are never summed silently; the title says which one is drawn."""
    page = html_of(flowmap.flow_map(FLOWS, PLACES))
    assert {(f["origin"], f["dest"], f["count"], f["time"]) for f in drawn_flows(page)} == {
        ("001", "*ST", 300, "2020"),
        ("*ST", "001", 10, "2020"),
    }
    spec = map_spec(page)
    assert spec["text"]["subtitle"] == "2020, the latest of 2 years"
    ru = map_spec(html_of(flowmap.flow_map(FLOWS, PLACES, lang="ru")))
    assert ru["text"]["subtitle"] == "2020, последний из 2 лет"
    ky = map_spec(html_of(flowmap.flow_map(FLOWS, PLACES, lang="ky")))
    assert ky["text"]["subtitle"] == "2020: 2 жылдын акыркысы"
    # A subtitle of one's own keeps its place; the period goes first under the title.
    own = map_spec(html_of(flowmap.flow_map(FLOWS, PLACES, subtitle="Moves")))
    assert own["text"]["subtitle"] == "Moves"
    assert own["text"]["alerts"][0] == "2020, the latest of 2 years"


def test_a_span_is_summed_only_when_asked_and_says_how_many_years() -> None:
    page = html_of(flowmap.flow_map(FLOWS, PLACES, period="2019-2020"))
    assert map_spec(page)["text"]["subtitle"] == "2019–2020, sum of 2 years"
    assert sum(f["count"] for f in drawn_flows(page)) == 475
    gap = FLOWS.assign(year=[2014, 2014, 2017, 2017, 2014, 2014])
    spec = map_spec(html_of(flowmap.flow_map(gap, PLACES, period="2014-2017", lang="ru")))
    assert spec["text"]["subtitle"] == "2014–2017, сумма за 2 из 4 лет (нет данных за 2015–2016)"


def test_a_span_row_is_never_drawn_beside_its_own_years() -> None:
    frame = pd.DataFrame(
        {
            "origin": ["001", "001", "001"],
            "dest": ["002", "002", "002"],
            "count": [10, 20, 30],
            "period": ["2019", "2020", "2019-2020"],
        }
    )
    drawn = drawn_flows(html_of(flowmap.flow_map(frame, PLACES, period="2019-2020")))
    assert [(f["count"], f["time"]) for f in drawn] == [(30, "2019-2020")]
    latest = drawn_flows(html_of(flowmap.flow_map(frame, PLACES)))
    assert [(f["count"], f["time"]) for f in latest] == [(20, "2020")]


def test_rows_without_a_year_are_said_not_drawn_beside_a_year() -> None:
    frame = FLOWS.assign(year=["2019", "2020", "2020", "", "2020", "2019"])
    spec = map_spec(html_of(flowmap.flow_map(frame, PLACES, lang="ru")))
    assert spec["text"]["subtitle"] == "2020, последний из 2 лет"
    assert (
        "Строки без года или периода не нарисованы (1): карта показывает один период."
        in (spec["text"]["notes"])
    )


def test_a_stock_table_refuses_a_span() -> None:
    with pytest.raises(FlowmapError, match=r"stocks .* cannot be summed over years") as caught:
        flowmap.flow_map(FLOWS, PLACES, period="2019-2020", measure="stock")
    assert "2019–2020" in error_text(caught.value, "ru")
    assert "нельзя суммировать" in error_text(caught.value, "ru")
    assert "кошууга болбойт" in error_text(caught.value, "ky")
    one = drawn_flows(html_of(flowmap.flow_map(FLOWS, PLACES, period=2019, measure="stock")))
    assert {f["time"] for f in one} == {"2019"}
    with pytest.raises(FlowmapError, match="measure must be one of flow, stock"):
        flowmap.flow_map(FLOWS, PLACES, measure="stocks")


def test_attributes_filter_and_show() -> None:
    frame = FLOWS.assign(sex=["m", "f", "m", "f", "m", "m"])
    page = html_of(
        flowmap.flow_map(
            frame,
            PLACES,
            filters={"sex": "m"},
            attributes=[flowmap.render.layer.Attribute("sex", "Sex")],
        )
    )
    flows = drawn_flows(page)
    assert {f["sex"] for f in flows} == {"m"}
    with pytest.raises(FlowmapError, match="cannot filter on 'age'"):
        flowmap.flow_map(frame, PLACES, filters={"age": "all"})


def test_location_totals() -> None:
    totals = flowmap.location_totals(flowmap.as_flows(FLOWS))
    assert totals.loc["001"].to_dict() == {
        "incoming": 55,
        "outgoing": 420,
        "net": -365,
        "internal": 7,
    }
    assert totals.loc["X"].to_dict() == {"incoming": 0, "outgoing": 5, "net": -5, "internal": 0}


def test_ten_thousand_errors_are_summarised(tmp_path: Path) -> None:
    path = tmp_path / "flows.csv"
    path.write_text(
        "origin,dest,count\n" + "".join(f"A{i},B,many\n" for i in range(10_000)), encoding="utf-8"
    )
    with pytest.raises(DataValidationError) as info:
        flowmap.read_flows(path)
    problems = info.value.problems
    assert len(problems) == 6
    assert problems[0] == (
        "row 1 (line 2), column 'count': must be a whole number from 0 to 999,999,999,999 "
        "written with the digits 0-9 (thousands may be grouped: 1,000 or 1 000), got 'many'"
    )
    assert problems[-1] == "… and 9,995 more like this"
    assert str(info.value).startswith(f"{path}: 10000 problems:")


def test_validate_lists_unknown_places() -> None:
    problems = flowmap.validate(
        FLOWS.assign(dest=["002", "nowhere", "*ST", "001", "001", "001"]), PLACES
    )
    assert problems == ["row 2 (line 3), column 'dest': unknown place id 'nowhere'"]


def test_view_opens_at_a_valid_longitude() -> None:
    """Fiji to Samoa crosses the antimeridian: the frame is one box around it."""
    places = pd.DataFrame(
        {
            "id": ["FJ", "WS"],
            "name": ["Suva", "Apia"],
            "lat": [-18.1, -13.8],
            "lon": [178.4, -171.8],
        }
    )
    flows = pd.DataFrame({"origin": ["FJ"], "dest": ["WS"], "count": [10]})
    fmap = flowmap.flow_map(flows, places)
    (_, west), (_, east) = map_spec(html_of(fmap))["view"]["bounds"]
    assert east - west < 20  # not 350 degrees around the world
    assert -180 <= fmap.location[1] < 180


# --------------------------------------------------------------------------- in the browser


@pytest.fixture
def curve_page(offline_page: OfflinePage, tmp_path: Path) -> OfflinePage:
    page = html_of(flowmap.flow_map(FLOWS, PLACES))
    path = tmp_path / "map.html"
    path.write_text(page, encoding="utf-8")
    offline_page.page.goto(path.as_uri())
    offline_page.page.wait_for_selector("html[data-flowmap-ready='1']", state="attached")
    return offline_page


def _curve(
    page: OfflinePage, a: tuple[float, float], b: tuple[float, float], bend: float
) -> list[float]:
    points: list[float] = page.page.evaluate(
        "([a, b, bend]) => Array.from(window.flowmap.geo.curve(a[0], a[1], b[0], b[1], bend))",
        [list(a), list(b), bend],
    )
    return points


def _length(points: list[float]) -> float:
    return sum(
        math.dist(points[i : i + 2], points[i + 2 : i + 4]) for i in range(0, len(points) - 2, 2)
    )


coordinates = st.tuples(
    st.floats(min_value=-70, max_value=70, allow_nan=False),
    st.floats(min_value=-180, max_value=180, allow_nan=False),
)


@pytest.mark.browser
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(a=coordinates, b=coordinates, bend=st.floats(min_value=0, max_value=0.3))
def test_curvature_is_bounded(
    curve_page: OfflinePage, a: tuple[float, float], b: tuple[float, float], bend: float
) -> None:
    """Whatever the ends, a bent curve starts and ends at them, strays from the unbent
    line by at most ``bend`` times the line's length, and never loops."""
    straight = _curve(curve_page, a, b, 0.0)
    bent = _curve(curve_page, a, b, bend)
    assert len(straight) == len(bent)
    assert bent[:2] == pytest.approx(straight[:2], abs=1e-6)
    assert bent[-2:] == pytest.approx(straight[-2:], abs=1e-6)
    chord = math.dist(straight[:2], straight[-2:])
    offsets = [math.dist(bent[i : i + 2], straight[i : i + 2]) for i in range(0, len(bent), 2)]
    assert max(offsets) <= bend * chord + 1e-6
    assert _length(bent) <= 1.5 * _length(straight) + 1e-6
    # Every point stays on the map (nothing beyond the poles' cut-off is drawn).
    assert all(-1 <= y <= 257 for y in bent[1::2])


@pytest.mark.browser
def test_antimeridian_line_is_continuous(curve_page: OfflinePage) -> None:
    """Tokyo to Anchorage crosses the antimeridian: no jump across the whole map."""
    points = _curve(curve_page, (35.7, 139.7), (61.2, -149.9), 0.12)
    xs = points[0::2]
    assert max(abs(x2 - x1) for x1, x2 in itertools.pairwise(xs)) < 20
    assert xs[-1] > 256  # drawn east of the world's edge, as one line


@pytest.mark.browser
def test_forty_thousand_flows_offline_with_a_tooltip(
    offline_page: OfflinePage, tmp_path: Path
) -> None:
    import numpy as np

    rng = np.random.default_rng(3)
    n = 202
    places = pd.DataFrame(
        {
            "id": [f"P{i}" for i in range(n)],
            "name": [f"Place {i}" for i in range(n)],
            "lat": rng.uniform(25, 60, n),
            "lon": rng.uniform(20, 110, n),
        }
    )
    pairs = [(o, d) for o in range(n) for d in range(n) if o != d][:40_000]
    flows = pd.DataFrame(
        {
            "origin": [f"P{o}" for o, _ in pairs],
            "dest": [f"P{d}" for _, d in pairs],
            "count": rng.integers(1, 5000, len(pairs)),
        }
    )
    path = tmp_path / "big.html"
    flowmap.save_html(flowmap.flow_map(flows, places, title="Forty thousand", top=None), path)
    assert path.stat().st_size < 3_000_000
    page = offline_page.page
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-flowmap-ready='1']", state="attached", timeout=60_000)
    # Busy maps are drawn progressively, largest flows first: wait for the last batch.
    page.wait_for_selector("html[data-flowmap-complete='1']", state="attached", timeout=60_000)
    assert page.evaluate("() => window.flowmap.layer.drawn.length") >= 40_000
    point = page.evaluate(
        """() => {
            const layer = window.flowmap.layer;
            for (const i of layer.order.slice(-200)) {
                for (let t = 0.3; t < 0.9; t += 0.1) {
                    const p = layer.pointOf(i, t);
                    if (layer.pick(p) >= 0 && window.flowmap.free(p)) { return [p.x, p.y]; }
                }
            }
            return null;
        }"""
    )
    assert point is not None
    box = page.locator(".leaflet-container").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + point[0], box["y"] + point[1])
    tip = page.locator(".fm-tip")
    tip.wait_for()
    assert "Place" in tip.inner_text()
    assert offline_page.errors == []
    assert offline_page.blocked == []


@pytest.mark.parametrize("lang", ["en", "ky", "ru"])
def test_the_skipped_rows_summary_is_the_maps_note_in_every_language(lang: str) -> None:
    flows = FLOWS.assign(
        count=[120, 0, 300, 10, 5, 7], dest=["002", "001", "*ST", "001", "Я", "001"]
    )
    _, skipped = clean_flows(flowmap.as_flows(flows), flowmap.as_places(PLACES))
    summary = skipped.summary()
    assert summary.text(lang) == skipped_note(skipped, lang)
    assert summary == skipped_note(skipped, "en")
    if lang != "en":
        assert not re.findall(r"[A-Za-z]{4,}", summary.text(lang))
    assert summary.text("ru") == (
        "Пропущено строк — 3: 1 из места в то же место, 1 с нулевым числом, 1 без координат (Я)."
    )


def test_option_and_row_errors_read_in_russian() -> None:
    with pytest.raises(FlowmapError) as caught:
        flowmap.flow_map(FLOWS, PLACES, direction="out")
    assert error_text(caught.value, "ru") == (
        "для направления 'out' нужно выбрать места (places=[...])"
    )
    with pytest.raises(FlowmapError) as caught:
        flowmap.flow_map(FLOWS, PLACES, filters={"возраст": "все"})
    assert error_text(caught.value, "ky").startswith(
        "'возраст' боюнча тандоого болбойт: агымдар таблицасында мындай тилке жок"
    )
    with pytest.raises(FlowmapError) as caught:
        flowmap.flow_map(FLOWS, PLACES, basemap="спутник")
    assert error_text(caught.value, "ru").startswith("basemap: допустимые значения — offline")
    with pytest.raises(DataValidationError) as caught:
        flowmap.as_flows(FLOWS.assign(count=[1, 2, "три", 4, 5, 6], year="двадцать"))
    assert error_text(caught.value, "ru").splitlines() == [
        "flows: 7 проблем:",
        "  - строка 3 (строка файла 4), столбец 'count': должно быть целое число от 0 до "
        "999\xa0999\xa0999\xa0999, записанное цифрами 0-9 (разряды можно разделять: 1,000 или "
        "1 000); получено: 'три'",
        "  - строка 1 (строка файла 2), столбец 'year': должен быть год (например, 2019) или "
        "период (например, 2014-2023); получено: 'двадцать'",
        "  - строка 2 (строка файла 3), столбец 'year': должен быть год (например, 2019) или "
        "период (например, 2014-2023); получено: 'двадцать'",
        "  - строка 3 (строка файла 4), столбец 'year': должен быть год (например, 2019) или "
        "период (например, 2014-2023); получено: 'двадцать'",
        "  - строка 4 (строка файла 5), столбец 'year': должен быть год (например, 2019) или "
        "период (например, 2014-2023); получено: 'двадцать'",
        "  - строка 5 (строка файла 6), столбец 'year': должен быть год (например, 2019) или "
        "период (например, 2014-2023); получено: 'двадцать'",
        "  - … и ещё подобных: 1",
    ]
