"""Flow geometry: anchors, great circles, bends, corridors and the width scale."""

from __future__ import annotations

import itertools
import math

import pytest

from flowmap.data import load_places, load_populations
from flowmap.errors import FlowmapError
from flowmap.geometry import (
    WidthScale,
    anchor_points,
    bearing,
    corridor_bends,
    curved_line,
    great_circle,
)
from flowmap.model import great_circle_km

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


def test_great_circle_ends_and_length() -> None:
    line = great_circle(BATKEN, MOSCOW, steps=32)
    assert len(line) == 33
    assert line[0] == pytest.approx(BATKEN)
    assert line[-1] == pytest.approx(MOSCOW)
    length = sum(great_circle_km(*a, *b) for a, b in itertools.pairwise(line))
    assert length == pytest.approx(great_circle_km(*BATKEN, *MOSCOW), rel=1e-6)


def test_long_flows_follow_the_great_circle_north() -> None:
    line = great_circle(BATKEN, NEW_YORK)
    # The shortest way from Batken to New York passes far north, over the Arctic.
    assert max(lat for lat, _ in line) > 70


def test_longitudes_are_unwrapped_across_the_antimeridian() -> None:
    line = great_circle((60.0, 170.0), (60.0, -170.0), steps=8)
    lons = [lon for _, lon in line]
    assert all(abs(b - a) < 10 for a, b in itertools.pairwise(lons))
    assert lons[-1] == pytest.approx(190.0)


def test_inflow_and_outflow_bend_to_opposite_sides() -> None:
    out = curved_line(BATKEN, MOSCOW, 0.15)
    back = curved_line(MOSCOW, BATKEN, 0.15)
    assert out[0] == pytest.approx(BATKEN)
    assert out[-1] == pytest.approx(MOSCOW)
    mid_out, mid_back = out[len(out) // 2], back[len(back) // 2]
    straight = great_circle(BATKEN, MOSCOW)[len(out) // 2]
    # The two middles lie on opposite sides of the straight great circle, well apart.
    assert great_circle_km(*mid_out, *mid_back) > 400
    assert great_circle_km(*mid_out, *straight) > 150
    assert great_circle_km(*mid_back, *straight) > 150


def test_curves_go_to_the_right_of_travel() -> None:
    line = curved_line((40.0, 70.0), (40.0, 80.0), 0.2)  # due east
    middle = line[len(line) // 2]
    straight = great_circle((40.0, 70.0), (40.0, 80.0))[len(line) // 2]
    assert middle[0] < straight[0]  # right of eastward travel is south


def test_flows_in_one_corridor_fan_out() -> None:
    ends = [(BATKEN, (42.87, 74.59)), (BATKEN, (42.57, 74.61)), (BATKEN, MOSCOW)]
    assert abs(bearing(*ends[0]) - bearing(*ends[1])) < 15
    bends = corridor_bends(ends)
    assert bends[0] != bends[1]
    assert bends[2] == pytest.approx(0.12)


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
