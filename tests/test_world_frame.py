"""One world, centred on the data: a world-scale map opens on one copy of the world, cut
where the fewest flows cross (flowmap.engine.framing.world_cut)."""

from __future__ import annotations

import itertools
import random

import pandas as pd
import pytest

from flowmap.engine.curves import WORLD
from flowmap.engine.framing import frame_bounds, shift_places, world_cut
from flowmap.render._image_parts.layers import _copies

# Capitals (rounded) of two worlds: around the Pacific and around the Atlantic.
PACIFIC = {
    "JP": (35.7, 139.7),
    "CN": (39.9, 116.4),
    "KR": (37.6, 127.0),
    "PH": (14.6, 121.0),
    "AU": (-35.3, 149.1),
    "NZ": (-41.3, 174.8),
    "FJ": (-18.1, 178.4),
    "US": (38.9, -77.0),
    "CA": (45.4, -75.7),
    "MX": (19.4, -99.1),
    "PE": (-12.0, -77.0),
    "CL": (-33.4, -70.7),
}
ATLANTIC = {
    "GB": (51.5, -0.1),
    "FR": (48.9, 2.4),
    "ES": (40.4, -3.7),
    "DE": (52.5, 13.4),
    "NG": (9.1, 7.5),
    "SN": (14.7, -17.4),
    "US": (38.9, -77.0),
    "CA": (45.4, -75.7),
    "BR": (-15.8, -47.9),
    "AR": (-34.6, -58.4),
    "IN": (28.6, 77.2),
    "JP": (35.7, 139.7),
}


def table(where: dict[str, tuple[float, float]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    places = pd.DataFrame(
        {
            "id": list(where),
            "lat": [a for a, _ in where.values()],
            "lon": [b for _, b in where.values()],
        }
    ).set_index("id", drop=False)
    pairs = list(itertools.permutations(where, 2))
    counts = [1000 + 37 * (k % 11) for k in range(len(pairs))]
    flows = pd.DataFrame(
        {"origin": [a for a, _ in pairs], "dest": [b for _, b in pairs], "count": counts}
    )
    return flows, places


def inside_share(bounds: list[list[float]], flows: pd.DataFrame, places: pd.DataFrame) -> float:
    """The share of the flow volume whose two ends are inside the bounds (any copy)."""
    (south, west), (north, east) = bounds

    def inside(pid: str) -> bool:
        lat, lon = places.at[pid, "lat"], places.at[pid, "lon"]
        lons = (lon - 360, lon, lon + 360)
        return bool(south <= lat <= north and any(west <= x <= east for x in lons))

    ok = [inside(o) and inside(d) for o, d in zip(flows["origin"], flows["dest"], strict=True)]
    return float(flows["count"][ok].sum() / flows["count"].sum())


def test_pacific_table_is_cut_in_the_atlantic_and_centred_on_the_pacific() -> None:
    flows, places = table(PACIFIC)
    cut = world_cut(flows, places)
    assert -60 <= cut <= 100  # between the Americas and East Asia, the Atlantic way
    bounds = frame_bounds(flows, places)
    assert bounds is not None
    (_, west), (_, east) = bounds
    assert east - west <= 360
    centre = ((west + east) / 2 + 180) % 360 - 180
    assert abs(abs(centre) - 180) < 60  # Pacific-centred
    assert inside_share(bounds, flows, places) >= 0.8


def test_atlantic_table_is_cut_in_the_pacific_and_centred_on_the_atlantic() -> None:
    flows, places = table(ATLANTIC)
    cut = world_cut(flows, places)
    assert cut >= 140 or cut <= -100  # between Japan and the Americas
    bounds = frame_bounds(flows, places)
    assert bounds is not None
    (_, west), (_, east) = bounds
    assert east - west <= 360
    assert -60 <= (west + east) / 2 <= 60  # Atlantic-centred
    assert inside_share(bounds, flows, places) >= 0.8


def test_no_flow_of_a_pacific_table_crosses_the_cut() -> None:
    flows, places = table(PACIFIC)
    bounds = frame_bounds(flows, places)
    assert bounds is not None
    moved = shift_places(places, bounds)
    (_, west), (_, east) = bounds
    assert moved["lon"].between(west - 1e-9, east + 1e-9).all()
    # Each flow runs the short way between its shifted ends: none wraps past the frame.
    lon = moved["lon"]
    span = (lon[flows["dest"]].to_numpy() - lon[flows["origin"]].to_numpy()).__abs__()
    assert (span <= 180).all()


def test_regional_frames_are_not_shifted() -> None:
    flows, places = table({"B": (39.85, 71.59), "OSH": (40.53, 72.8), "MOS": (55.75, 37.62)})
    bounds = frame_bounds(flows, places)
    assert bounds is not None
    assert shift_places(places, bounds) is places


def test_the_image_draws_the_countries_across_the_antimeridian_of_a_pacific_frame() -> None:
    flows, places = table(PACIFIC)
    bounds = frame_bounds(flows, places)
    assert bounds is not None
    view = {"view": {"bounds": bounds}}
    # The frame runs across the antimeridian: one more copy of the countries, on its side.
    (_, west), (_, east) = bounds
    side = WORLD if east > 180 else -WORLD
    assert west < -180 or east > 180
    assert _copies({"base": True}, view) == [0.0, side]
    assert _copies({"base": False}, view) == [0.0]  # an overlay of the user's: once
    regional = {"view": {"bounds": [[39.0, 66.0], [44.0, 77.0]]}}
    assert _copies({"base": True}, regional) == [0.0]


def test_a_world_matrix_dominated_by_one_hub_opens_on_the_whole_world() -> None:
    """200 countries on three continents, one hub in the Americas sending most of the
    volume: the bulk alone is the Americas and Europe, but the ends it leaves out are many
    and carry more than a tenth of the volume, so the frame holds every country (before,
    it left Asia out and named its largest flows at the edge)."""
    rng = random.Random(19)
    boxes = [(-35, 50, -120, -40), (-30, 60, -10, 45), (-35, 50, 60, 150)]
    rows = []
    for k in range(200):
        s, n, w, e = boxes[k % 3]
        rows.append((f"C{k:03d}", rng.uniform(s, n), rng.uniform(w, e)))
    places = pd.DataFrame(rows, columns=["id", "lat", "lon"]).set_index("id")
    size = {pid: rng.paretovariate(1.2) for pid in places.index}
    size["C000"] = 500.0  # the hub, in the Americas
    flows = pd.DataFrame(
        [
            (a, b, int(100 * size[a] * size[b]) + 1)
            for a in places.index
            for b in rng.sample(list(places.index), 30)
            if a != b
        ],
        columns=["origin", "dest", "count"],
    )
    bounds = frame_bounds(flows, places)
    assert bounds is not None
    (south, west), (north, east) = bounds
    lon = (places["lon"] - west) % 360 + west
    inside = places["lat"].between(south, north) & lon.between(west, east)
    assert inside.all()
    assert east - west <= 360


def _star(
    spokes: list[tuple[float, float]], counts: list[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One hub (Tashkent) sending to each spoke."""
    ids = ["HUB", *(f"S{k:02d}" for k in range(len(spokes)))]
    places = pd.DataFrame(
        {"lat": [41.3, *(a for a, _ in spokes)], "lon": [69.3, *(b for _, b in spokes)]},
        index=pd.Index(ids, name="id"),
    )
    flows = pd.DataFrame({"origin": "HUB", "dest": ids[1:], "count": counts})
    return flows, places


def _holds(bounds: list[list[float]] | None, places: pd.DataFrame) -> pd.Series:
    assert bounds is not None
    (south, west), (north, east) = bounds
    lon = (places["lon"] - west + 1e-9) % 360 + west - 1e-9  # a place on the west edge too
    return places["lat"].between(south, north) & lon.between(west - 1e-9, east + 1e-9)


@pytest.mark.parametrize("seed", [19, 40])
def test_a_world_star_opens_on_all_its_spokes(seed: int) -> None:
    """One city to 40 places around the world, a few of them taking most people. Seed 19:
    the bulk alone spans a continent, and holding every spoke costs less than one and a half zoom
    levels (before, it opened on the bulk with 19 spokes as edge labels: too few for the
    rule of many ends left out). Seed 40: the two largest spokes lie near the hub, and the
    bulk's frame would leave out 35 of the 41 ends, most of the map: it holds them all."""
    rng = random.Random(seed)
    spokes = [(rng.uniform(-35, 60), rng.uniform(-120, 150)) for _ in range(40)]
    counts = [int(rng.paretovariate(1.0) * 300) + 1 for _ in spokes]
    if seed == 40:  # the largest two near the hub (Tehran, Baku)
        spokes[:2], counts[:2] = [(35.7, 51.4), (40.4, 49.9)], [900_000, 400_000]
    flows, places = _star(spokes, counts)
    bounds = frame_bounds(flows, places)
    assert _holds(bounds, places).all()
    assert bounds is not None
    assert bounds[1][1] - bounds[0][1] <= 360


def test_a_regional_table_names_its_far_destinations_at_the_edge() -> None:
    """Batken's shape: a hub and its region, with five countries abroad (the largest
    flow among them): holding them would zoom out by more than one and a half levels and shrink the
    region to a dot, so they stay out of the frame (named at its edge)."""
    rng = random.Random(5)
    near = [(41.3 + rng.uniform(-1.5, 1.5), 69.3 + rng.uniform(-2.5, 2.5)) for _ in range(12)]
    far = [(55.75, 37.62), (41.0, 28.98), (24.45, 54.38), (37.57, 126.98), (43.24, 76.89)]
    counts = [rng.randint(300, 3000) for _ in near] + [7529, 400, 150, 60, 900]
    flows, places = _star(near + far, counts)
    held = _holds(frame_bounds(flows, places, ["HUB"]), places)
    assert held.iloc[: 1 + len(near)].all()
    # Moscow, Istanbul, Abu Dhabi and Seoul out; Almaty, near and large enough, may be in.
    assert not held.iloc[1 + len(near) : -1].any()


def test_a_handful_of_far_ends_stays_at_the_edge_even_when_they_are_most_ends() -> None:
    """Batken's map of change: three places in its region and five countries abroad (in
    one period only). The five are most of the ends, but so few that their edge labels read
    as a list: the frame keeps the region, not the world (before, it opened on the world
    with the region a dot in a corner)."""
    near = [(40.53, 72.8), (42.87, 74.59), (42.6, 74.0)]
    far = [(55.75, 37.62), (41.0, 28.98), (40.71, -74.0), (25.2, 55.27), (37.57, 126.98)]
    flows, places = _star(near + far, [900, 800, 700, 50, 8, 22, 52, 30])
    held = _holds(frame_bounds(flows, places, ["HUB"]), places)
    assert held.iloc[: 1 + len(near)].all()
    assert not held.iloc[1 + len(near) :].any()
