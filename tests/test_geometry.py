"""Flow geometry: anchors, great circles, bends, corridors and the width scale."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from flowmap.batken.data import load_places, load_populations
from flowmap.batken.model import great_circle_km
from flowmap.core.errors import FlowmapError
from flowmap.engine.curves import _direct, _inverse, bearings, corridor_bends, curve, unproject
from flowmap.engine.geometry import WidthScale, anchor_points

BATKEN = (39.853, 71.591)
MOSCOW = (55.752, 37.618)
NEW_YORK = (40.714, -74.006)


def test_anchor_points_of_places_and_aggregates() -> None:
    places = load_places()
    anchors = anchor_points(places, load_populations(places=places).to_dict())
    assert anchors["RU"] == pytest.approx(MOSCOW, abs=1e-3)
    assert anchors["KG-B"] == pytest.approx(BATKEN)
    # "Other oblasts" has no coordinates of its own: it gets its members' weighted centre,
    # which lies inside Kyrgyzstan.
    lat, lon = anchors["KG-REST"]
    assert 39.5 < lat < 42.5
    assert 71.0 < lon < 78.0
    assert "KG" not in anchors  # a country without an anchor city is not drawn


def _lat_lon(line: np.ndarray) -> list[tuple[float, float]]:
    lat, lon = unproject(line[:, 0], line[:, 1])
    return list(zip(lat.tolist(), lon.tolist(), strict=True))


def test_great_circle_ends_and_length() -> None:
    line = _lat_lon(curve(*BATKEN, *MOSCOW, 0.0))
    assert line[0] == pytest.approx(BATKEN)
    assert line[-1] == pytest.approx(MOSCOW)
    length = sum(great_circle_km(*a, *b) for a, b in itertools.pairwise(line))
    assert length == pytest.approx(great_circle_km(*BATKEN, *MOSCOW), rel=1e-3)


def test_long_flows_follow_the_great_circle_north() -> None:
    line = _lat_lon(curve(*BATKEN, 48.0, 2.35, 0.0))  # Paris
    # The shortest way from Batken to Paris bows north of both ends.
    assert max(lat for lat, _ in line) > 50
    # To New York it passes far north (drawn as a great circle: under 75 degrees).
    assert max(lat for lat, _ in _lat_lon(curve(*BATKEN, *NEW_YORK, 0.0))) > 70


def test_longitudes_are_unwrapped_across_the_antimeridian() -> None:
    line = _lat_lon(curve(60.0, 170.0, 60.0, -170.0, 0.0))
    lons = [lon for _, lon in line]
    assert all(abs(b - a) < 10 for a, b in itertools.pairwise(lons))
    assert lons[-1] == pytest.approx(190.0)


def test_inflow_and_outflow_bend_to_opposite_sides() -> None:
    out = _lat_lon(curve(*BATKEN, *MOSCOW, 0.15))
    back = _lat_lon(curve(*MOSCOW, *BATKEN, 0.15))
    straight = _lat_lon(curve(*BATKEN, *MOSCOW, 0.0))
    assert out[0] == pytest.approx(BATKEN)
    assert out[-1] == pytest.approx(MOSCOW)
    mid_out, mid_back, mid = out[len(out) // 2], back[len(back) // 2], straight[len(out) // 2]
    # The two middles lie on opposite sides of the straight great circle, well apart.
    assert great_circle_km(*mid_out, *mid_back) > 400
    assert great_circle_km(*mid_out, *mid) > 150
    assert great_circle_km(*mid_back, *mid) > 150


def test_curves_go_to_the_right_of_travel() -> None:
    line = _lat_lon(curve(40.0, 70.0, 40.0, 80.0, 0.2))  # due east
    straight = _lat_lon(curve(40.0, 70.0, 40.0, 80.0, 0.0))
    assert line[len(line) // 2][0] < straight[len(line) // 2][0]  # right of east is south


def test_bearings_are_compass_bearings() -> None:
    north, east = bearings([0.0, 0.0], [0.0, 0.0], [10.0, 0.0], [0.0, 10.0])
    assert (north, east) == pytest.approx((0.0, 90.0))
    assert float(bearings(*BATKEN, *MOSCOW)) == pytest.approx(316.9, abs=0.1)


def test_flows_in_one_corridor_fan_out() -> None:
    # Places: Batken, Bishkek, Tokmok (same corridor, 14 degrees), Moscow (another).
    lat = [BATKEN[0], 42.87, 42.84, MOSCOW[0]]
    lon = [BATKEN[1], 74.59, 75.29, MOSCOW[1]]
    bends = corridor_bends([0, 0, 0], [1, 2, 3], lat, lon)
    assert bends[0] == pytest.approx(0.12)  # the nearer end of the corridor
    assert bends[1] == pytest.approx(0.18)  # the farther one bends more
    assert bends[2] == pytest.approx(0.12)
    crowded = corridor_bends([0] * 20, [1] * 20, lat, lon)
    assert max(crowded) == pytest.approx(0.3)  # never more than the cap


def test_width_scale_is_square_root_and_fixed() -> None:
    scale = WidthScale(max_count=10_000, max_px=30, min_px=1.5)
    assert scale.width(10_000) == 30
    assert scale.width(2_500) == 15
    assert scale.width(1) == 1.5  # never thinner than min_px
    assert scale.width(0) == 1.5
    assert scale.px_per_sqrt_person == pytest.approx(0.3)
    assert scale.legend_counts() == [100, 1000, 10000]
    with pytest.raises(FlowmapError, match="max_count must be > 0"):
        WidthScale(max_count=0)


def test_width_ratio_is_the_square_root_of_the_count_ratio() -> None:
    scale = WidthScale(max_count=15_186)
    assert scale.width(7529) / scale.width(566) == pytest.approx(math.sqrt(7529 / 566), rel=0.01)


def test_great_circles_agree_with_pyproj_on_the_sphere() -> None:
    """The curves' great circles (numpy, issue 20: no pyproj import on the image path) are
    pyproj's geodesics on the mean-radius sphere, to 1e-9 degrees."""
    from pyproj import Geod  # the reference only

    sphere = Geod(a=6_371_008.8, f=0.0)
    rng = np.random.default_rng(20)
    lat1, lat2 = rng.uniform(-85, 85, 2000), rng.uniform(-85, 85, 2000)
    lon1, lon2 = rng.uniform(-180, 180, 2000), rng.uniform(-180, 180, 2000)
    azimuth, angle = _inverse(lat1, lon1, lat2, lon2)
    their_azimuth, _, metres = sphere.inv(lon1, lat1, lon2, lat2)
    turn = np.abs(azimuth - their_azimuth) % 360
    assert np.minimum(turn, 360 - turn).max() < 1e-9
    assert np.abs(angle * sphere.a - metres).max() < 1e-3  # a millimetre
    lat, lon = _direct(lat1, lon1, azimuth, angle * 0.37)
    their_lon, their_lat, _ = sphere.fwd(lon1, lat1, azimuth, angle * 0.37 * sphere.a)
    assert np.abs(lat - their_lat).max() < 1e-9
    east = np.abs(lon - their_lon) % 360
    assert np.minimum(east, 360 - east).max() < 1e-9
