"""One period per map, never a total beside its own parts (issue 16, item 1).

Every view the Batken preset can produce draws flows of one period and one group, and never
an aggregate ("abroad", "other oblasts") together with the rows it splits into: the app's
views and the command line's selections (checked on the selection level, all periods ×
directions × sexes × bases, every pair of them in ``make check``, destinations sampled),
and each view of a playable page (each stop × direction × destination boxes, through the
page's own JavaScript rule run in Node). The default export in every format draws exactly
the app's default view.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import itertools
import json
import random
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from allpairspy import AllPairs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flowmap.cli.exportview
import flowmap.render.image
from flowmap.app.table import table_for
from flowmap.app.view import (
    BASES,
    DESTINATIONS,
    DIRECTIONS,
    PERIODS,
    SEXES,
    YEARS,
    ViewState,
    flows_for,
)
from flowmap.batken.dataset import MapData
from flowmap.batken.export import make_map, playable_map
from flowmap.batken.query import (
    DEFAULT_PERIOD,
    Selection,
    ancestors,
    check_one_view,
    drawable_flows,
    parents_of,
)
from flowmap.cli.commands import main
from flowmap.core.errors import FlowmapError
from flowmap.core.langs import LANGS
from flowmap.render._assets import asset
from flowmap.text.period import Period
from tests.conftest import QUICK, examples, map_spec

PERIOD_CHOICES: tuple[tuple[int | None, str | None], ...] = (
    *((y, None) for y in YEARS),
    *((None, p) for p in PERIODS),
)


@pytest.fixture(scope="module")
def data() -> MapData:
    return MapData.load()


def assert_one_view(
    rows: Iterable[tuple[str, str, str, str]], places: pd.DataFrame, what: object
) -> None:
    """Check drawn flows given as (view, counterpart, period, group): one period, one group,
    and no counterpart drawn with one of its aggregates in the same view."""
    rows = list(rows)
    assert len({r[2] for r in rows}) <= 1, f"{what}: several periods {rows}"
    assert len({r[3] for r in rows}) <= 1, f"{what}: several groups {rows}"
    by_view: dict[str, set[str]] = {}
    for view, counterpart, _, _ in rows:
        by_view.setdefault(view, set()).add(counterpart)
    parents = parents_of(places)
    for view, counterparts in by_view.items():
        for c in counterparts:
            both = set(ancestors(parents, c)) & counterparts
            assert not both, f"{what}: {view} draws {sorted(both)} beside its part {c}"


def _drawn_rows(drawn: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    return [
        (str(r.view), str(r.counterpart), str(r.period), f"{r.sex}|{r.age}")
        for r in drawn.itertuples(index=False)
    ]


def app_views() -> list[tuple[tuple[int | None, str | None], str, str, str]]:
    """Return the app's views with all destinations, as (period choice, direction, sex,
    basis): every combination in ``make test``; in ``make check`` (``FLOWMAP_QUICK=1``) a
    pairwise covering array of them (every pair of values of any two controls, every period
    in it at least three times), a ninth as many."""
    factors = (PERIOD_CHOICES, DIRECTIONS, SEXES, BASES)
    if not QUICK:
        return list(itertools.product(*factors))
    return [
        (PERIOD_CHOICES[a], DIRECTIONS[b], SEXES[c], BASES[d])
        for a, b, c, d in AllPairs([list(range(len(f))) for f in factors])
    ]


def test_every_app_view_with_all_destinations_draws_one_period_and_no_total_beside_parts(
    data: MapData,
) -> None:
    views = app_views()
    assert {v[0] for v in views} == set(PERIOD_CHOICES)
    for (year, period), direction, sex, basis in views:
        state = ViewState(year=year, period=period, direction=direction, sex=sex, basis=basis)
        drawn = drawable_flows(flows_for(data, state), data.places)
        assert_one_view(_drawn_rows(drawn), data.places, state)


@settings(max_examples=examples(250), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    when=st.sampled_from(PERIOD_CHOICES),
    direction=st.sampled_from((*DIRECTIONS, "both")),
    sex=st.sampled_from(SEXES),
    basis=st.sampled_from(BASES),
    dest=st.sets(st.sampled_from(DESTINATIONS)),
    lang=st.sampled_from(LANGS),
)
def test_any_view_draws_one_period_and_no_total_beside_its_parts(
    when: tuple[int | None, str | None],
    direction: str,
    sex: str,
    basis: str,
    dest: set[str],
    lang: str,
) -> None:
    data = _data()
    year, period = when
    chosen = tuple(d for d in DESTINATIONS if d in dest)
    if direction == "both":  # the command line's both directions
        state = ViewState(year=year, period=period, dest=chosen, sex=sex, basis=basis)
        selection = ViewState.selection(state, data.places)
        frame = data.selected(Selection(**{**selection.__dict__, "direction": "both"}))
    else:
        state = ViewState(
            lang=lang,
            year=year,
            period=period,
            dest=chosen,
            direction=direction,
            sex=sex,
            basis=basis,
        )
        frame = flows_for(data, state)
    drawn = drawable_flows(frame, data.places)
    assert_one_view(_drawn_rows(drawn), data.places, (when, direction, sex, basis, chosen))
    # The table behind the map lists the same rows, in one period.
    table = table_for(frame, data.places, lang)
    assert len(table) == len(drawn)
    assert table.iloc[:, 2].nunique() <= 1


@functools.cache
def _data() -> MapData:
    return MapData.load()


def test_a_map_refuses_mixed_periods_and_groups(data: MapData) -> None:
    every = data.flows.assign(view="out", counterpart=data.flows["destination"])
    with pytest.raises(FlowmapError, match="several periods"):
        check_one_view(every)
    with pytest.raises(FlowmapError, match="one group"):
        data.selected(Selection(age="any"))
    with pytest.raises(FlowmapError, match="one group"):
        make_map(data, Selection(sex="any", period=Period(2020, 2020)))
    mixed = data.flows[data.flows["period"] == "2024"].assign(
        direction="out", counterpart=data.flows["destination"], view="out"
    )
    with pytest.raises(FlowmapError, match="several sexes"):
        make_map(data, Selection(period=Period(2024, 2024)), selected=mixed)


def test_no_period_means_the_default_view_not_every_period(data: MapData) -> None:
    assert data.resolve(Selection()).period == DEFAULT_PERIOD
    assert ViewState().selection(data.places).period == DEFAULT_PERIOD
    assert set(data.selected(Selection())["period"]) == {"2014-2023"}


def test_the_periods_are_worked_out_once_per_focus_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every view, map and player stop asks the data for its periods: they are worked out
    once per focus place, each answer a new list, and data made anew by
    :func:`dataclasses.replace` works them out again from its own tables."""
    fresh = MapData.load()
    first = fresh.periods()
    assert Period(2024, 2024) in first
    assert DEFAULT_PERIOD in first

    def no_more(text: str) -> Period:
        raise AssertionError(f"periods worked out again ({text})")

    with monkeypatch.context() as patch:
        patch.setattr(Period, "parse", no_more)
        again = fresh.periods()
        assert again == first
        assert again is not first
        again.clear()
        assert fresh.periods() == first
        assert fresh.resolve(Selection()).period == DEFAULT_PERIOD
    flows, balances = fresh.flows, fresh.balances
    older = dataclasses.replace(
        fresh,
        flows=flows[flows["period"] != "2024"],
        balances=balances[balances["period"] != "2024"],
    )
    assert Period(2024, 2024) not in older.periods()
    assert Period(2024, 2024) in fresh.periods()


def test_a_playable_page_never_opens_on_another_year_than_the_one_asked_for(
    data: MapData,
) -> None:
    """A year the data set lacks used to give a playable page that opened, without a word,
    on 2014–2023; a static map already refused it."""
    with pytest.raises(FlowmapError, match="no figures for 2030"):
        playable_map(data, Selection(period=Period(2030, 2030)))
    assert playable_map(data, Selection(period=Period(2019, 2019))) is not None


def test_2024_departures_abroad_are_the_countries_once(data: MapData) -> None:
    """The working-age "abroad" row (1,519) is never drawn beside the modelled countries,
    which split the all-ages 1,650."""
    drawn = drawable_flows(data.selected(Selection(period=Period(2024, 2024))), data.places)
    assert set(drawn["age"]) == {"all"}
    assert "ABROAD" not in set(drawn["counterpart"])
    assert drawn["count"].sum() == 1650


# ---------------------------------------------------------------- playable pages

NODE = shutil.which("node")

_HARNESS = """
const fs = require("fs");
const play = require(process.argv[2]);
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const out = input.cases.map(function (c) {
  const vis = play.mask(input.player, c[0], c[1], Uint8Array.from(c[2]));
  const shown = [];
  for (let j = 0; j < vis.length; j++) { if (vis[j]) { shown.push(j); } }
  return shown;
});
process.stdout.write(JSON.stringify(out));
"""


def run_mask(
    player: dict[str, Any], cases: Sequence[tuple[int, str, list[int]]], tmp: Path
) -> list[list[int]]:
    """Return the flows ``flowmap.play.mask`` (assets/playview.js) draws for each case
    (stop, direction, ticked boxes), run by Node on the page's own script."""
    assert NODE is not None
    script, harness = tmp / "playview.js", tmp / "harness.js"
    script.write_text(asset("playview.js"), encoding="utf-8")
    (tmp / "format.js").write_text(asset("format.js"), encoding="utf-8")
    harness.write_text(_HARNESS, encoding="utf-8")
    done = subprocess.run(
        [NODE, str(harness), str(script)],
        input=json.dumps({"player": player, "cases": cases}),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: list[list[int]] = json.loads(done.stdout)
    return result


def box_cases(boxes: int, rng: random.Random) -> list[list[int]]:
    """All ticked, none, each one alone, all but each one, and random subsets."""
    cases = [[1] * boxes, [0] * boxes]
    for k in range(boxes):
        cases.append([1 if i == k else 0 for i in range(boxes)])
        cases.append([0 if i == k else 1 for i in range(boxes)])
    cases += [[rng.randint(0, 1) for _ in range(boxes)] for _ in range(12)]
    return cases


def check_player(spec: dict[str, Any], places: pd.DataFrame, tmp: Path) -> None:
    player, f, ids = spec["player"], spec["flows"], spec["places"]["id"]
    group = f["a"]["group"]
    # Python side: every view is one period, one group, one direction set, and each
    # aggregate's parts are every flow of its view under it.
    for stop, sets in enumerate(player["views"]):
        for code, flows in enumerate(sets):
            assert {f["t"][j] for j in flows} <= {player["stops"][stop]}
            assert {player["v"][j] for j in flows} <= {code}
            assert len({group[j] for j in flows}) <= 1
    parts_of = {agg: set(parts) for agg, parts in player["agg"]}
    parents = parents_of(places)
    for stop, sets in enumerate(player["views"]):
        for flows in sets:
            for j in flows:
                for k in flows:
                    if ids[player["cp"][j]] in ancestors(parents, ids[player["cp"][k]]):
                        assert k in parts_of.get(j, set()), (stop, j, k)
    # The page's own rule, run by Node: each stop × direction × destination boxes.
    rng = random.Random(16)
    cases = [
        (stop, direction, boxes)
        for stop in range(len(player["stops"]))
        for direction in player["dirs"]
        for boxes in box_cases(len(player["boxes"]), rng)
    ]
    shown = run_mask(player, cases, tmp)
    for (stop, direction, boxes), drawn in zip(cases, shown, strict=True):
        rows = [
            (player["sets"][player["v"][j]], ids[player["cp"][j]], str(f["t"][j]), str(group[j]))
            for j in drawn
        ]
        assert_one_view(rows, places, (spec["times"][player["stops"][stop]], direction, boxes))
        for j in drawn:
            assert player["v"][j] in [
                player["sets"].index(s)
                for s in (("out", "in") if direction == "both" else (direction,))
            ]
            box = player["box"][j]
            if box >= 0:
                assert boxes[box], "a flow to an unticked place is drawn"
            else:
                under = player["under"][str(player["cp"][j])]
                assert any(boxes[b] for b in under), "an aggregate of unticked places is drawn"


@pytest.mark.skipif(NODE is None, reason="needs Node to run the page's script")
@pytest.mark.parametrize(
    "options",
    [{}, {"basis": "reported", "sex": "female", "direction": "both"}, {"sex": "male"}],
)
def test_every_view_of_a_playable_page_draws_one_period_and_no_total_beside_parts(
    data: MapData,
    options: dict[str, str],
    tmp_path: Path,
    batken_playable: Callable[[Selection], dict[str, Any]],
) -> None:
    spec = batken_playable(Selection(**options))  # type: ignore[arg-type]
    check_player(spec, data.places, tmp_path)


@pytest.mark.skipif(NODE is None, reason="needs Node to run the page's script")
def test_playable_2024_draws_the_countries_once_not_the_working_age_total(
    tmp_path: Path, batken_playable: Callable[[Selection], dict[str, Any]]
) -> None:
    spec = batken_playable(Selection())
    player, f, ids = spec["player"], spec["flows"], spec["places"]["id"]
    stop = [spec["times"][s] for s in player["stops"]].index("2024")
    [drawn] = run_mask(player, [(stop, "out", [1] * len(player["boxes"]))], tmp_path)
    counterparts = {ids[player["cp"][j]]: f["c"][j] for j in drawn}
    assert "ABROAD" not in counterparts
    assert sum(counterparts.values()) == 1650


# ---------------------------------------------------------------- the default export


def app_default_flows(data: MapData) -> set[tuple[str, str, str, int]]:
    drawn = drawable_flows(flows_for(data, ViewState()), data.places)
    return {
        (str(r.origin), str(r.destination), Period.parse(str(r.period)).label(), int(r.count))
        for r in drawn.itertuples(index=False)
    }


def spec_flows(spec: dict[str, Any], which: Iterable[int] | None = None) -> set[Any]:
    f, ids = spec["flows"], spec["places"]["id"]
    chosen = range(len(f["c"])) if which is None else which
    return {(ids[f["o"][i]], ids[f["d"][i]], spec["times"][f["t"][i]], f["c"][i]) for i in chosen}


@pytest.mark.parametrize("kind", ["png", "svg", "pdf"])
def test_default_image_export_draws_the_apps_default_view(
    data: MapData, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[dict[str, Any]] = []
    real = flowmap.render.image.render_image

    def spy(spec: dict[str, Any], path: Path, **kwargs: Any) -> Path:
        drawn.append(spec)
        return real(spec, path, **kwargs)

    monkeypatch.setattr(flowmap.cli.exportview, "render_image", spy)  # where the CLI calls it
    out = io.StringIO()
    target = tmp_path / f"map.{kind}"
    assert main(["export", "--out", str(target)], out) == 0
    assert target.stat().st_size > 1000
    [spec] = drawn
    expected = app_default_flows(data)
    assert len(expected) == 9
    assert spec_flows(spec) == expected
    assert "9 flows drawn" in out.getvalue()
    assert "2014–2023" in spec["text"]["subtitle"]


def test_default_static_html_export_draws_the_apps_default_view(
    data: MapData, tmp_path: Path
) -> None:
    target = tmp_path / "map.html"
    assert main(["export", "--static", "--out", str(target)], io.StringIO()) == 0
    spec = map_spec(target.read_text(encoding="utf-8"))
    assert "player" not in spec
    assert spec_flows(spec) == app_default_flows(data)


@pytest.mark.skipif(NODE is None, reason="needs Node to run the page's script")
def test_default_playable_export_opens_on_the_apps_default_view(
    data: MapData, tmp_path: Path
) -> None:
    target = tmp_path / "map.html"
    assert main(["export", "--out", str(target)], io.StringIO()) == 0
    spec = map_spec(target.read_text(encoding="utf-8"))
    player = spec["player"]
    start = player["start"]
    assert spec["times"][player["stops"][start["stop"]]] == "2014–2023"
    assert start["dir"] == "out"
    [shown] = run_mask(player, [(start["stop"], "out", [1] * len(player["boxes"]))], tmp_path)
    assert spec_flows(spec, shown) == app_default_flows(data)
    # It still carries every year, 2013 to 2024.
    labels = [spec["times"][s] for s in player["stops"]]
    assert labels[0] == "2013"
    assert "2024" in labels


def test_data_show_defaults_to_the_apps_view_and_lists_every_period_when_asked(
    data: MapData,
) -> None:
    out = io.StringIO()
    assert main(["data", "show", "--format", "json"], out) == 0
    rows = json.loads(out.getvalue())
    assert {r["period"] for r in rows} == {"2014-2023"}
    assert {r["age"] for r in rows} == {"all"}
    shown = {(r["origin"], r["destination"], int(r["count"])) for r in rows}
    app = {(o, d, c) for o, d, _, c in app_default_flows(data)}
    assert app <= shown  # the table also lists the totals the map leaves out
    every = io.StringIO()
    assert main(["data", "show", "--period", "all", "--format", "json"], every) == 0
    assert len({r["period"] for r in json.loads(every.getvalue())}) > 1
    err = io.StringIO()
    assert main(["export", "--period", "all", "--out", "x.png"], err) == 2


@pytest.mark.parametrize("lang", LANGS)
def test_a_working_age_map_says_working_age(data: MapData, lang: str) -> None:
    """A working-age map (2024: "Abroad 1,519", a part of 1,650 departures of all ages) names
    its age group under the title in the map and in the playable page; all ages is not said."""
    from flowmap.batken.preset import MapOptions, subtitle_of
    from flowmap.text.i18n import t

    working = Selection(period=Period(2024, 2024), age="working")
    options = MapOptions(lang=lang)
    spec = map_spec(make_map(data, working, options).get_root().render())
    assert t("age.working", lang) in spec["text"]["subtitle"]
    everyone = subtitle_of(Selection(period=Period(2024, 2024)), lang, data.places)
    assert t("age.working", lang) not in everyone
    assert t("age.all", lang) not in everyone
    page = map_spec(playable_map(data, working, options).get_root().render())
    for entry in page["player"]["langs"]:
        assert t("age.working", entry["code"]) in entry["words"]["group"]
