"""The modelled estimates: conservation of totals and the gravity model's behaviour."""

from __future__ import annotations

import random

import pytest

from flowmap.batken.article import load_article
from flowmap.batken.build import (
    BuildSettings,
    Key,
    derived_totals,
    internal_shares,
    reported_flows,
    scenario_counts,
)
from flowmap.batken.data import FLOW_KEY, load_balances, load_flows, load_places, load_populations
from flowmap.batken.model import (
    GravityParams,
    apportion,
    gravity_weights,
    great_circle_km,
    odds_scenarios,
)
from flowmap.core.errors import FlowmapError


@pytest.mark.parametrize("seed", range(50))
def test_apportion_conserves_the_total(seed: int) -> None:
    rng = random.Random(seed)
    total = rng.randrange(0, 20000)
    shares = {f"k{i}": rng.random() for i in range(rng.randrange(1, 8))}
    parts = apportion(total, shares)
    assert sum(parts.values()) == total
    exact = {k: total * s / sum(shares.values()) for k, s in shares.items()}
    assert all(abs(parts[k] - exact[k]) < 1 for k in shares)


def test_apportion_gives_leftovers_to_the_largest_remainders() -> None:
    assert apportion(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert apportion(7, {"a": 0.5, "b": 0.25, "c": 0.25}) == {"a": 3, "b": 2, "c": 2}


@pytest.mark.parametrize(
    ("total", "shares", "message"),
    [
        (-1, {"a": 1.0}, "cannot apportion a negative total, got -1"),
        (5, {}, "cannot form shares from weights {}"),
        (5, {"a": -1.0, "b": 2.0}, "shares must be >= 0"),
    ],
)
def test_apportion_rejects_bad_input(total: int, shares: dict[str, float], message: str) -> None:
    with pytest.raises(FlowmapError, match=message):
        apportion(total, shares)


def test_great_circle_distance() -> None:
    # Bishkek to Moscow is about 2,990 km.
    assert great_circle_km(42.87, 74.59, 55.75, 37.62) == pytest.approx(2990, rel=0.01)
    assert great_circle_km(40.0, 71.0, 40.0, 71.0) == 0


def test_gravity_weights_follow_population_and_distance() -> None:
    weights = gravity_weights({"a": 100.0, "b": 200.0}, {"a": 1000, "b": 1000}, beta=2)
    assert weights["a"] == pytest.approx(4 * weights["b"])
    with pytest.raises(FlowmapError, match="no population for 'c'"):
        gravity_weights({"c": 10.0}, {})
    with pytest.raises(FlowmapError, match="must be > 0 for 'a'"):
        gravity_weights({"a": 0.0}, {"a": 10})


def test_internal_shares_sum_to_one_and_favour_near_large_places() -> None:
    places = load_places()
    populations = load_populations(places=places).to_dict()
    shares = internal_shares(places, populations, BuildSettings())
    assert list(shares) == ["KG-GO", "KG-GB", "KG-C", "KG-REST"]
    assert sum(shares.values()) == pytest.approx(1)
    closer = internal_shares(places, populations, BuildSettings(gravity=GravityParams(beta=3.0)))
    # A steeper distance decay moves people from far Bishkek to near Osh.
    assert closer["KG-GO"] / closer["KG-GB"] > shares["KG-GO"] / shares["KG-GB"]


def test_every_modelled_row_says_how_it_was_made() -> None:
    flows = load_flows()
    modelled = flows[flows["basis"] == "modelled"]
    assert len(modelled) > 0
    assert modelled["method"].str.len().min() > 40
    assert set(modelled["method"].str.split(":").str[0]) == {"gravity-v2", "abroad-shares-v1"}
    assert (flows[flows["basis"] == "reported"]["method"] == "").all()


def test_2022_departures_split_adds_up_to_2169() -> None:
    flows = load_flows()
    rows = flows[
        (flows["origin"] == "KG-B") & (flows["period"] == "2022") & (flows["sex"] == "total")
    ]
    by = dict(zip(rows["destination"], zip(rows["count"], rows["basis"], strict=True), strict=True))
    assert by["KG-OTHER"] == (2169, "reported")
    parts = [by[k] for k in ("KG-GO", "KG-GB", "KG-C", "KG-REST")]
    assert {b for _, b in parts} == {"modelled"}
    assert sum(c for c, _ in parts) == 2169


def test_modelled_yearly_flows_abroad_add_up_to_the_yearly_totals() -> None:
    flows = load_flows()
    for year, total in (("2013", 1657), ("2023", 1774), ("2024", 1650)):
        rows = flows[
            (flows["origin"] == "KG-B")
            & (flows["period"] == year)
            & flows["destination"].isin(["RU", "UZ", "KZ", "TR", "US"])
        ]
        assert len(rows) == 5
        assert set(rows["basis"]) == {"modelled"}
        assert rows["count"].sum() == total


def test_no_yearly_figure_for_russia_in_2019() -> None:
    flows = load_flows()
    assert flows[(flows["destination"] == "RU") & (flows["period"] == "2019")].empty


def test_span_parts_are_the_sum_of_their_years() -> None:
    flows = load_flows()
    for target in ("KG-GO", "KG-GB", "KG-C", "KG-REST"):
        rows = flows[
            (flows["origin"] == "KG-B")
            & (flows["destination"] == target)
            & (flows["sex"] == "total")
        ]
        years = rows[rows["period"].isin([str(y) for y in range(2014, 2024)])]["count"].sum()
        span = rows[rows["period"] == "2014-2023"]["count"].item()
        assert span == years


# --------------------------------------------------------------------------- ranges


def _scenarios() -> tuple[list[dict[Key, int]], list[dict[str, object]]]:
    """Return the build's scenario counts and its reported and derived rows."""
    places = load_places()
    populations = load_populations(places=places).to_dict()
    settings = BuildSettings()
    rows = reported_flows(load_article())
    rows += derived_totals(rows, settings.derived_periods)
    return scenario_counts(rows, places, populations, settings), rows


def test_every_modelled_row_has_a_range_holding_its_figure_and_no_other_row_has_one() -> None:
    flows = load_flows()
    modelled = flows[flows["basis"] == "modelled"]
    assert modelled["low"].notna().all()
    assert modelled["high"].notna().all()
    assert (modelled["low"] <= modelled["count"]).all()
    assert (modelled["count"] <= modelled["high"]).all()
    # A range says something: the model's assumptions move every modelled figure.
    assert (modelled["low"] < modelled["high"]).all()
    others = flows[flows["basis"] != "modelled"]
    assert len(others) > 0
    assert others["low"].isna().all()
    assert others["high"].isna().all()
    balances = load_balances()
    nets = balances[balances["basis"] == "modelled"]
    assert len(nets) > 0
    assert ((nets["low"] <= nets["net"]) & (nets["net"] <= nets["high"])).all()
    assert balances[balances["basis"] != "modelled"]["low"].isna().all()


def test_the_share_of_osh_bishkek_and_chuy_moves_from_one_half_to_four_fifths() -> None:
    flows = load_flows()
    span = flows[
        (flows["origin"] == "KG-B") & (flows["period"] == "2014-2023") & (flows["sex"] == "total")
    ].set_index("destination")
    total = int(span.at["KG-OTHER", "count"])
    named = span.loc[["KG-GO", "KG-GB", "KG-C"]]
    # Together the three get at least half and at most four fifths of the reported total,
    # whatever the exponents: the remaining oblasts' range is the complement.
    rest_low, rest_high = int(span.at["KG-REST", "low"]), int(span.at["KG-REST", "high"])
    assert rest_low == pytest.approx(total / 5, abs=10)
    assert rest_high == pytest.approx(total / 2, abs=10)
    assert (named["low"] < named["count"]).all()
    assert (named["count"] < named["high"]).all()


def test_every_scenario_conserves_the_reported_totals_and_the_sexes() -> None:
    runs, rows = _scenarios()
    assert len(runs) == 75 + 10  # 3 shares x 5 x 5 exponents; 5 countries x 2 odds
    reported = {
        (
            str(r["origin"]),
            str(r["destination"]),
            str(r["period"]),
            str(r["sex"]),
            str(r["age"]),
        ): int(str(r["count"]))
        for r in rows
    }
    flows = load_flows()
    point = {tuple(k): c for *k, c in flows[[*FLOW_KEY, "count"]].itertuples(index=False)}
    assert dict(runs[0].items()) == {k: point[k] for k in runs[0]}
    parents = {"KG-GO": "KG-OTHER", "KG-GB": "KG-OTHER", "KG-C": "KG-OTHER", "KG-REST": "KG-OTHER"}
    parents |= dict.fromkeys(("RU", "UZ", "KZ", "TR", "US"), "ABROAD")
    for run in runs:
        sums: dict[Key, int] = {}
        for (o, d, p, s, a), count in run.items():
            whole = (o, parents[d], p, s, a) if o == "KG-B" else (parents[o], d, p, s, a)
            sums[whole] = sums.get(whole, 0) + count
            if s == "total" and (o, d, p, "male", a) in run:
                assert run[(o, d, p, "male", a)] + run[(o, d, p, "female", a)] == count
        assert sums == {k: reported[k] for k in sums}


def test_a_span_range_is_the_sum_of_its_years_in_the_same_scenario() -> None:
    runs, _ = _scenarios()
    flows = load_flows().set_index(list(FLOW_KEY))
    for target in ("KG-GO", "KG-GB", "KG-C", "KG-REST"):
        key = ("KG-B", target, "2014-2023", "total", "all")
        years = [("KG-B", target, str(y), "total", "all") for y in range(2014, 2024)]
        sums = [sum(run[k] for k in years) for run in runs]
        assert runs[0][key] == sums[0]
        assert all(run[key] == total for run, total in zip(runs, sums, strict=True))
        low, high = flows.loc[key, "low"], flows.loc[key, "high"]
        assert (low, high) == (min(sums), max(sums))
        # Not the sum of the years' own ranges, which would need the years' worst cases
        # under different settings at once.
        assert low >= sum(flows.loc[k, "low"] for k in years)
        assert high <= sum(flows.loc[k, "high"] for k in years)


def test_odds_scenarios_keep_the_shares_whole_and_move_each_country_by_its_odds() -> None:
    shares = {"RU": 7529.0, "UZ": 566.0, "KZ": 247.0, "TR": 40.0, "US": 105.0}
    scenarios = odds_scenarios(shares, 2.0)
    assert len(scenarios) == 1 + 2 * len(shares)
    for scenario in scenarios:
        assert sum(scenario.values()) == pytest.approx(1)
    base = scenarios[0]
    ru = [s["RU"] for s in scenarios]
    odds = base["RU"] / (1 - base["RU"])
    assert max(ru) / (1 - max(ru)) == pytest.approx(2 * odds)
    assert min(ru) / (1 - min(ru)) == pytest.approx(odds / 2)
    with pytest.raises(FlowmapError, match="at least 1"):
        odds_scenarios(shares, 0.5)


def test_gravity_scenarios_cover_the_documented_ends() -> None:
    params = GravityParams()
    scenarios = params.scenarios()
    assert scenarios[0] == params
    assert {s.named_share for s in scenarios} == {0.5, 2 / 3, 0.8}
    assert {s.alpha for s in scenarios} == {s.beta for s in scenarios}
    assert min(s.alpha for s in scenarios) == 0.5
    assert max(s.alpha for s in scenarios) == 2
    with pytest.raises(FlowmapError, match="named_share_range"):
        GravityParams(named_share_range=(0.5, 1.0))
