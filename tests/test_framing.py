"""Where maps open: the frame follows the bulk of the flow volume (flowmap.engine.framing)."""

from __future__ import annotations

import pandas as pd

from flowmap.engine.framing import frame_bounds

PLACES = pd.DataFrame(
    {
        "id": ["B", "OSH", "BISH", "CHUY", "REST", "ALM", "MOS", "NYC", "TASH"],
        "lat": [39.85, 40.53, 42.87, 42.80, 41.50, 43.24, 55.75, 40.71, 41.30],
        "lon": [71.59, 72.80, 74.59, 74.80, 74.50, 76.95, 37.62, -74.01, 69.24],
    }
).set_index("id", drop=False)


def flows(counts: dict[str, int], origin: str = "B") -> pd.DataFrame:
    return pd.DataFrame(
        {"origin": [origin] * len(counts), "dest": list(counts), "count": list(counts.values())}
    )


def contains(bounds: list[list[float]], pid: str) -> bool:
    (south, west), (north, east) = bounds
    lat, lon = PLACES.at[pid, "lat"], PLACES.at[pid, "lon"]
    eps = 1e-9
    return bool(south - eps <= lat <= north + eps and west - eps <= lon <= east + eps)


def test_two_near_destinations_of_equal_size_are_both_framed() -> None:
    bounds = frame_bounds(flows({"OSH": 3283, "BISH": 3462}), PLACES, ["B"])
    assert bounds is not None
    assert all(contains(bounds, p) for p in ("B", "OSH", "BISH"))


# Departures from Batken oblast, 2014-2023, as the article gives them (rounded places).
BATKEN = {"OSH": 3283, "BISH": 3462, "CHUY": 3379, "REST": 5062, "TASH": 566}


def test_far_and_small_destinations_leave_the_frame() -> None:
    counts = {**BATKEN, "ALM": 247, "MOS": 7529, "NYC": 105}
    bounds = frame_bounds(flows(counts), PLACES, ["B"])
    assert bounds is not None
    assert all(contains(bounds, p) for p in ("B", *BATKEN))
    assert not contains(bounds, "MOS")  # far, although the largest single flow
    assert not contains(bounds, "NYC")
    assert not contains(bounds, "ALM")  # just beyond the bulk, and small


def test_a_near_end_with_a_real_share_joins_the_frame() -> None:
    counts = {**BATKEN, "ALM": 2500, "MOS": 7529}
    bounds = frame_bounds(flows(counts), PLACES, ["B"])
    assert bounds is not None
    assert contains(bounds, "ALM")
    assert not contains(bounds, "MOS")


def test_without_a_chosen_place_the_bulk_decides() -> None:
    table = pd.concat([flows({"BISH": 900}, "OSH"), flows({"NYC": 10}, "MOS")])
    bounds = frame_bounds(table, PLACES)
    assert bounds is not None
    assert contains(bounds, "OSH")
    assert contains(bounds, "BISH")
    assert not contains(bounds, "NYC")


def test_a_frame_across_the_antimeridian_is_one_box() -> None:
    places = pd.DataFrame(
        {"id": ["A", "B"], "lat": [60.0, 62.0], "lon": [170.0, -170.0]}
    ).set_index("id", drop=False)
    bounds = frame_bounds(flows({"B": 10}, "A"), places, ["A"])
    assert bounds is not None
    (_, west), (_, east) = bounds
    assert east - west == 20.0  # not 340 degrees the long way round
    assert -180 <= (west + east) / 2 < 180 + 20


def test_no_flows_no_frame_but_the_chosen_place() -> None:
    assert frame_bounds(flows({}), PLACES) is None
    assert frame_bounds(flows({}), PLACES, ["B"]) == [[39.85, 71.59], [39.85, 71.59]]
