"""The modelled estimates: conservation of totals and the gravity model's behaviour."""

from __future__ import annotations

import random

import pytest

from flowmap.build import BuildSettings, internal_shares
from flowmap.data import load_flows, load_places, load_populations
from flowmap.errors import FlowmapError
from flowmap.model import GravityParams, apportion, gravity_weights, great_circle_km


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
