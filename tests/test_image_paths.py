"""The geometry of a map image's layers read without a shapely object per feature (issue 20:
a Batken PNG in 1.5 s): every ring and line the same, turned the same way, as shapely's
``orient`` gives them, for the committed boundary files and for odd geometries (which the
fast reader leaves to shapely)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from flowmap.core.paths import geo_dir
from flowmap.render._image_parts.paths import _shapely_parts, geometry_parts, geometry_paths

SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
BIG = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
ODD: list[Any] = [
    {"type": "Polygon", "coordinates": [SQUARE]},
    {"type": "Polygon", "coordinates": [SQUARE[::-1]]},  # clockwise: turned
    {"type": "Polygon", "coordinates": [BIG[::-1], SQUARE, SQUARE[::-1]]},  # holes both ways
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},  # bow tie
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]},  # not closed
    {"type": "Polygon", "coordinates": [[[0, 0, 5], [1, 0, 5], [1, 1, 5], [0, 0, 5]]]},
    {"type": "Polygon", "coordinates": []},
    {"type": "Polygon", "coordinates": [[[0, 0], [0, 0], [0, 0], [0, 0]]]},
    {"type": "Polygon", "coordinates": [[[0, 0], [1, "x"], [1, 1], [0, 0]]]},
    {"type": "Polygon", "coordinates": [[[0, 0], [1, float("nan")], [1, 1], [0, 0]]]},
    {"type": "MultiPolygon", "coordinates": [[SQUARE], [[[2, 2], [2, 3], [3, 3], [2, 2]]]]},
    {"type": "MultiPolygon", "coordinates": [[SQUARE], [[[2, 2], [2, 3]]]]},  # one part bad
    {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
    {"type": "LineString", "coordinates": [[0, 0]]},
    {"type": "MultiLineString", "coordinates": [[[0, 0], [1, 1]], [[2, 2], [3, 3], [4, 2]]]},
    {"type": "Point", "coordinates": [0, 0]},
    {
        "type": "GeometryCollection",
        "geometries": [
            {"type": "Point", "coordinates": [0, 0]},
            {"type": "Polygon", "coordinates": [SQUARE[::-1]]},
        ],
    },
    None,
    {},
    {"type": "Curve", "coordinates": [[0, 0], [1, 1]]},
]


def _committed() -> list[Any]:
    geometries = []
    for name in ("countries.geojson", "oblasts.geojson", "border.geojson", "districts.geojson"):
        features = json.loads((geo_dir() / name).read_text("utf-8"))["features"]
        geometries += [f["geometry"] for f in features]
    return geometries


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # shapely on the NaN ring
@pytest.mark.parametrize("geometries", [_committed(), ODD], ids=["committed", "odd"])
def test_the_same_rings_as_shapely_orients_them(geometries: list[Any]) -> None:
    fast = geometry_parts(geometries)
    assert len(fast) == len(geometries)
    for geometry, parts in zip(geometries, fast, strict=True):
        reference = _shapely_parts(geometry)
        assert [closed for _, closed in parts] == [closed for _, closed in reference], geometry
        for (ours, _), (theirs, _) in zip(parts, reference, strict=True):
            assert np.array_equal(ours, theirs, equal_nan=True), geometry


def test_outer_rings_turn_counter_clockwise_and_holes_clockwise() -> None:
    (outer, _), (hole, _), (other, _) = geometry_parts([ODD[2]])[0]

    def area(ring: np.ndarray) -> float:
        x, y = ring[:, 0], ring[:, 1]
        return float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]) / 2)

    assert area(outer) > 0 > area(hole)
    assert area(other) < 0


def test_a_path_per_geometry_none_without_area_or_line() -> None:
    paths = geometry_paths([*ODD[:3], ODD[15]])
    assert [p is None for p in paths] == [False, False, False, True]
    third = paths[2]
    assert third is not None
    assert np.asarray(third.vertices).shape == (15, 2)


def test_the_paths_are_kept_for_equal_geometries_only() -> None:
    """The cache is keyed by the geometries' values: equal copies (a spec read again from
    its pickle or JSON) get the kept paths; a changed position, or a number of another
    type, is read anew; geometries that do not pickle are read without the cache."""
    first = geometry_paths(json.loads(json.dumps(ODD[:3])))
    assert geometry_paths(json.loads(json.dumps(ODD[:3]))) is first
    moved = json.loads(json.dumps(ODD[:3]))
    moved[0]["coordinates"][0][2] = [1, 2]
    changed = geometry_paths(moved)
    assert changed is not first
    assert changed[0] is not None
    assert first[0] is not None
    assert not np.array_equal(changed[0].vertices, first[0].vertices)
    floats = json.loads(json.dumps(ODD[:3]).replace("1]", "1.0]"))
    assert geometry_paths(floats) is not first
    unpicklable = [{**ODD[0], "note": lambda: None}]
    assert geometry_paths(unpicklable) is not geometry_paths(unpicklable)
    assert [p is None for p in geometry_paths(unpicklable)] == [False]
