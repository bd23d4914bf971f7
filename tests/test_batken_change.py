"""The Batken map of change (issue 19, Batken items): a change with a modelled figure drawn
and marked modelled, one of reported figures derived, refusals that say what to choose,
symbolic points that never stretch the frame, the change as a table (``data show
--compare``) and in the app; lanes for parallel corridors, enclaves over the flows, one
name per place, and what the circles and legend samples of a map of change say."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from flowmap.app.view import ViewState, state_from_query
from flowmap.batken.compare import change_basis, change_rows, compare_map
from flowmap.batken.dataset import MapData
from flowmap.batken.export import make_map
from flowmap.batken.options import MapOptions
from flowmap.batken.query import Selection
from flowmap.cli.commands import main
from flowmap.engine.curves import corridor_lanes, lane_curve
from flowmap.render._image_parts.boxes import legend_sample
from flowmap.render.element import map_spec
from flowmap.text.i18n import t
from tests.conftest import map_spec as page_spec
from tests.test_app import map_srcdoc, run_app

DATA = Path(__file__).resolve().parents[1] / "data" / "flows.csv"


@pytest.fixture(scope="module")
def data() -> MapData:
    return MapData.load()


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


def _shipped(period: str, basis: str | None = None) -> dict[tuple[str, str], tuple[int, str]]:
    """The shipped departures of Batken (total, all ages) in ``period``: (count, basis)."""
    with DATA.open(encoding="utf-8") as f:
        return {
            (r["origin"], r["destination"]): (int(r["count"]), r["basis"])
            for r in csv.DictReader(f)
            if r["period"] == period
            and r["origin"] == "KG-B"
            and (r["sex"], r["age"]) == ("total", "all")
            and (basis is None or r["basis"] == basis)
        }


def _drawn(spec: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Each drawn flow's destination id: (its kind, its basis value)."""
    ids, flows = spec["places"]["id"], spec["flows"]
    labels = next(a for a in spec["attributes"] if a["key"] == "basis")["labels"]
    code = {t(f"basis.{b}", "en"): b for b in ("reported", "derived", "modelled")}
    return {
        ids[d]: (spec["style"]["kinds"][k]["kind"], code[labels[b]])
        for d, k, b in zip(flows["d"], flows["k"], flows["a"]["basis"], strict=True)
    }


def test_a_change_of_modelled_figures_is_drawn_and_marked_modelled(data: MapData) -> None:
    spec = map_spec(compare_map(data, Selection(), "2017", "2023", MapOptions()))
    drawn = _drawn(spec)
    first, second = _shipped("2017"), _shipped("2023")
    # The internal parts are modelled in both years: the change is drawn, as modelled.
    for place in ("KG-GB", "KG-C", "KG-GO", "KG-REST"):
        assert first[("KG-B", place)][1] == second[("KG-B", place)][1] == "modelled"
        assert drawn[place][1] == "modelled"
        i = [spec["places"]["id"][d] for d in spec["flows"]["d"]].index(place)
        before, after = spec["change"]["before"][i], spec["change"]["after"][i]
        assert (before, after) == (first[("KG-B", place)][0], second[("KG-B", place)][0])
    # The countries abroad have (modelled) figures in 2023 only: in one period, modelled.
    assert drawn["RU"] == ("once", "modelled")
    # Never a total beside its own parts, never "reported".
    assert "KG-OTHER" not in drawn
    assert "ABROAD" not in drawn
    assert all(b != "reported" for _, b in drawn.values())
    # The title box never calls a modelled change derived: in one sentence, how a change is
    # computed and that each drawn one is modelled (dashed); one line of counts.
    periods = {"first": "2017", "second": "2023"}
    alerts = spec["text"]["alerts"]
    assert t("general.compare.how_modelled_lines", "en", **periods) in alerts
    assert len(alerts) == 2
    assert not any("derived" in a or "pale" in a for a in alerts)
    # Batken and its destinations at home fill the frame; Russia, Turkey and the USA, in
    # 2023 only, are named at its edge (it opened on the world before).
    (_south, west), (north, east) = spec["view"]["bounds"]
    assert east - west < 20
    assert north < 50


def test_a_change_of_reported_figures_is_derived_and_abroad_never_stretches_the_frame(
    data: MapData,
) -> None:
    asked = Selection(basis="reported")
    spec = map_spec(compare_map(data, asked, "2017", "2023", MapOptions()))
    drawn = _drawn(spec)
    assert drawn["KG-OTHER"][1] == "derived"
    assert drawn["ABROAD"] == ("once", "reported")
    (south, west), (north, east) = spec["view"]["bounds"]
    # "Abroad" is a symbolic point in the Caspian (50.5° E): named at the edge, not framed.
    assert west > 60
    lat, lon = (spec["places"][k][spec["places"]["id"].index("KG-B")] for k in ("lat", "lon"))
    assert south < lat < north
    assert west < lon < east
    # The frame keeps Batken oblast's own area in view (as the single-period maps), and the
    # end at home that is drawn: "other oblasts" (it ran off the frame, Batken alone framed).
    assert spec["view"]["area"]
    ids = spec["places"]["id"]
    other = [spec["places"][k][ids.index("KG-OTHER")] for k in ("lat", "lon")]
    assert south <= other[0] <= north + 1e-4  # the frame's edge, as the page rounds it
    assert west <= other[1] <= east + 1e-4
    # Nothing on it is modelled: the title box and the legend say only what applies (the
    # change derived, drawn pale), never how a modelled change is drawn.
    periods = {"first": "2017", "second": "2023"}
    for lang in ("en", "ky", "ru"):
        said = map_spec(compare_map(data, asked, "2017", "2023", MapOptions(lang=lang)))
        alerts = said["text"]["alerts"]
        assert alerts[-1] == t("general.compare.derived_lines", lang, **periods)
        assert len(alerts) == 2
        legend = said["style"]["legend"]
        assert not any(row["dashed"] for row in legend)
        for text in [*alerts, *(row["label"] for row in legend)]:
            assert t("basis.modelled", lang) not in text


def test_the_change_table_traces_every_number(data: MapData) -> None:
    rows = change_rows(data, Selection(basis="reported"), "2017", "2023")
    by_dest = {r["destination"]: r for r in rows.to_dict(orient="records")}
    first, second = _shipped("2017", "reported"), _shipped("2023", "reported")
    other = by_dest["KG-OTHER"]
    assert other["before"] == first[("KG-B", "KG-OTHER")][0]
    assert other["after"] == second[("KG-B", "KG-OTHER")][0]
    assert other["change"] == other["after"] - other["before"]
    assert other["basis"] == "derived"
    abroad = by_dest["ABROAD"]
    assert (abroad["kind"] == "once" and abroad["before"] is None) or np.isnan(abroad["before"])
    assert abroad["after"] == second[("KG-B", "ABROAD")][0]


def test_data_show_compare_lists_both_figures_the_change_and_its_basis() -> None:
    code, text = _run("data", "show", "--compare", "2017", "2023", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(text)))
    chuy = next(r for r in rows if r["destination"] == "KG-C")
    shipped = _shipped("2017")[("KG-B", "KG-C")][0], _shipped("2023")[("KG-B", "KG-C")][0]
    assert (int(chuy["before"]), int(chuy["after"])) == shipped
    assert int(chuy["change"]) == shipped[1] - shipped[0]
    assert chuy["basis"] == "modelled"
    assert next(r for r in rows if r["destination"] == "RU")["before"] == ""
    code, text = _run("data", "show", "--compare", "2017", "2023", "--lang", "ru")
    assert code == 0
    assert "изменение" in text
    assert "модельн" in text


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        # Figures by sex exist for 2017-2023 only: the year and what to choose are named.
        (("--sex", "female", "--compare", "2014", "2023"), ("2014", "both sexes", "2017–2023")),
        # A span beside one of its own years: a total beside its part.
        (("--compare", "2014-2023", "2017"), ("2014–2023", "same length")),
        (("--compare", "2017", "2023", "--direction", "net"), ("net flows cannot be compared",)),
        (("--compare", "2012", "2023"), ("no figures for 2012",)),
    ],
)
def test_a_change_that_cannot_be_drawn_is_refused_saying_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], said: tuple[str]
) -> None:
    code, _ = _run("export", *argv, "--out", str(tmp_path / "m.html"))
    assert code != 0
    err = capsys.readouterr().err
    assert all(s in err for s in said), err
    assert not (tmp_path / "m.html").exists()


def test_change_basis_keeps_a_one_period_figure_s_own_basis() -> None:
    import pandas as pd

    table = pd.DataFrame(
        {
            "origin": ["B", "B", "B", "B"],
            "dest": ["x", "x", "y", "y"],
            "time": ["2017", "2023", "2017", "2023"],
            "basis": ["reported", "modelled", "reported", "reported"],
        }
    )
    assert change_basis(table, "2017", "2023")["basis"].tolist() == [
        "modelled",
        "modelled",
        "derived",
        "derived",
    ]


def test_a_map_of_change_draws_dots_of_one_size_and_says_so(data: MapData) -> None:
    spec = map_spec(compare_map(data, Selection(), "2017", "2023", MapOptions(lang="ky")))
    assert spec["style"]["maxRadius"] == 3
    assert any("чекит" in n for n in spec["text"]["legend"]["notes"])
    plain = map_spec(make_map(data, data.resolve(Selection()), MapOptions()))
    assert "maxRadius" not in plain["style"]


def test_the_legend_samples_of_several_kinds_are_neutral() -> None:
    style = {
        "kinds": [
            {"kind": "gain", "colour": "#7b3294", "legend": "gain"},
            {"kind": "loss", "colour": "#e66101", "legend": "loss"},
        ]
    }
    assert legend_sample(style) == "#555555"
    assert legend_sample({**style, "theme": "dark"}) == "#b8b8b8"
    one = {"kinds": [{"kind": "out", "colour": "#c0392b", "legend": "departures"}]}
    assert legend_sample(one) == "#c0392b"


# --- lanes ----------------------------------------------------------------------------


def test_parallel_corridors_lie_in_lanes_that_never_overlap() -> None:
    # Batken -> Bishkek, Chüy, the remaining oblasts (nearly one direction), and -> Dushanbe.
    lat, lon = [39.85, 42.87, 42.57, 41.15, 38.54], [71.59, 74.59, 74.62, 74.07, 68.78]
    widths = np.array([12.0, 9.0, 6.5, 4.0])
    lanes = corridor_lanes([0, 0, 0, 0], [1, 2, 3, 4], lat, lon, widths)
    start = lanes[:, 0]
    for a in range(3):
        for b in range(a + 1, 3):
            assert abs(start[a] - start[b]) >= (widths[a] + widths[b]) / 2
    # The bundle is centred on Batken; the flow alone in its direction keeps its curve,
    # and the flows end where they always did.
    assert abs(start[:3].min() + start[:3].max()) < max(widths)
    assert start[3] == 0
    assert np.all(lanes[:, 1] == 0)
    # Arrivals from the same places get lanes at their end, on the other side of travel.
    back = corridor_lanes([1, 2, 3, 4], [0, 0, 0, 0], lat, lon, widths)
    assert np.all(back[:, 0] == 0)
    assert back[:3, 1].tolist() == (-start[:3]).tolist()
    # A departure and an arrival on one corridor (a net gain from Osh beside the losses to
    # Bishkek) share its lanes: each lies right of its own travel, apart from the other.
    pair = corridor_lanes([0, 1], [1, 0], [40, 43], [71, 74.6], [10, 6])
    assert pair.tolist() == [[-3.5, -3.5], [-5.5, -5.5]]


def test_a_lane_tapers_to_the_curve_and_keeps_the_arrowhead_s_end() -> None:
    c = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0]])
    moved = lane_curve(c, 10.0, 5.0, 0.0)
    assert moved[0, 1] == pytest.approx(-0.5)  # 5 px left of travel (north: y up is -)
    assert moved[-1].tolist() == c[-1].tolist()
    assert lane_curve(c, 10.0, 0.0, 0.0) is c


# --- names and enclaves -----------------------------------------------------------------


def _labels(spec: dict[str, Any]) -> list[str]:
    return [
        f["properties"]["_label"]
        for layer in spec["layers"]
        for f in layer["features"]["features"]
        if "_label" in f["properties"]
    ]


def test_each_place_is_named_once_and_enclaves_are_over_the_flows(data: MapData) -> None:
    spec = map_spec(make_map(data, data.resolve(Selection()), MapOptions()))
    places = dict(zip(spec["places"]["id"], spec["places"]["name"], strict=True))
    labels = _labels(spec)
    # Chüy oblast is drawn (a flow's end, named by its circle): no area label besides.
    assert "KG-C" in places
    assert places["KG-C"] not in labels
    enclaves = [
        f["properties"]
        for layer in spec["layers"]
        for f in layer["features"]["features"]
        if f["properties"].get("_tip") and "Shakhimardan" in str(f["properties"]["_tip"])
    ]
    assert enclaves
    assert all(p.get("_above") for p in enclaves)


# --- the app ------------------------------------------------------------------------


def test_the_compare_link_round_trips_and_bad_values_are_said() -> None:
    state = ViewState(compare=("2017", "2023"))
    assert state.to_query()["compare"] == "2017,2023"
    assert state_from_query(state.to_query()).compare == ("2017", "2023")
    bad = state_from_query({"compare": "2017,<b>"})
    assert bad.compare is None
    assert bad.notes
    assert state_from_query({"compare": "2017"}).compare is None


def test_the_app_draws_the_map_of_change_from_its_control_and_its_link() -> None:
    at = run_app(compare="2017,2023")
    assert at.toggle(key="compare_on").value is True
    spec = page_spec(map_srcdoc(at))
    assert spec["change"]["to"] == "2023"
    assert "2017,2023" in str(at.query_params["compare"])
    # Women in 2014: figures by sex exist for 2017-2023 only; the page says so, no map.
    at.radio(key="sex").set_value("female").run()
    at.selectbox(key="compare_first").set_value("2014").run()
    assert at.error
    assert "2014" in at.error[0].value
    at.radio(key="sex").set_value("total").run()
    at.toggle(key="compare_on").set_value(False).run()
    assert "compare" not in at.query_params
    assert "change" not in page_spec(map_srcdoc(at))
