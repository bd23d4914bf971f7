"""Boundary files within a budget (issue 17): parts, vertices, JSON values, Shapefile
records, GeoPackage blobs and non-regular files, counted before anything big is built.

Every hostile file is generated here at a small scale and read with small
:class:`BoundaryLimits`; the full-size cases are run by ``make stress``.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import shapely.geometry

from flowmap.districts import districts_from_bytes
from flowmap.geoio import (
    APP_LIMITS,
    DEFAULT_LIMITS,
    BoundaryFileError,
    BoundaryLimits,
    read_boundaries,
    read_boundary_file,
)
from flowmap.i18n import error_text


def _triangles(count: int, x: float = 70.0, y: float = 40.0) -> list[list[list[list[float]]]]:
    """Return ``count`` tiny triangles near Batken, as MultiPolygon coordinates."""
    out = []
    for i in range(count):
        a, b = x + (i % 50) * 0.002, y + (i // 50) * 0.002
        out.append([[[a, b], [a, b + 0.001], [a + 0.001, b], [a, b]]])
    return out


def _geojson(*geometries: dict[str, Any], extra: dict[str, Any] | None = None) -> bytes:
    features = [
        {"type": "Feature", "properties": {"name": f"d{i}"}, "geometry": g}
        for i, g in enumerate(geometries, start=1)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features, **(extra or {})}).encode()


def _spy_on_json(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record every call of ``json.loads`` (the GeoJSON reader's parser) in the list."""
    calls: list[int] = []
    real = json.loads

    def spy(text: str) -> Any:
        calls.append(1)
        return real(text)

    monkeypatch.setattr(json, "loads", spy)
    return calls


def _refused(data: bytes, limits: BoundaryLimits, name: str = "d.geojson") -> str:
    with pytest.raises(BoundaryFileError) as info:
        read_boundaries(data, name=name, limits=limits)
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(f"boundary file '{name}': ")
    for lang in ("ky", "ru"):
        assert "\n" not in error_text(info.value, lang)
    return text


def test_app_limits_are_smaller_than_the_command_line_ones() -> None:
    for field in (
        "max_bytes",
        "max_features",
        "max_vertices",
        "max_parts",
        "max_json_values",
        "max_blob_bytes",
        "max_zip_bytes",
    ):
        assert getattr(APP_LIMITS, field) < getattr(DEFAULT_LIMITS, field), field


# --------------------------------------------------------------------------- GeoJSON


def test_geojson_parts_are_refused_before_shapely_builds_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[object] = []
    real = shapely.geometry.shape

    def spy(geometry: Any) -> Any:
        built.append(geometry)
        return real(geometry)

    monkeypatch.setattr("flowmap._polygons.shape", spy)
    small = _geojson({"type": "MultiPolygon", "coordinates": _triangles(8)})
    data = _geojson(
        {"type": "MultiPolygon", "coordinates": _triangles(8)},
        {"type": "MultiPolygon", "coordinates": _triangles(30)},
    )
    limits = BoundaryLimits(max_parts=20)
    assert len(read_boundaries(small, name="d.geojson", limits=limits).frame) == 1
    built.clear()
    text = _refused(data, limits)
    assert "feature 2, geometry: the file has more than 20 polygon rings" in text
    assert len(built) == 1  # feature 1 only: feature 2 stopped while its rings were counted


def test_geojson_vertices_are_counted_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _geojson({"type": "MultiPolygon", "coordinates": _triangles(30)})  # 120 positions
    calls = _spy_on_json(monkeypatch)
    text = _refused(data, BoundaryLimits(max_vertices=100))
    assert "has more than 100 vertices (the limit)" in text
    assert calls == []  # refused from the bytes, never parsed
    pretty = json.dumps(json.loads(data), indent=2).encode()  # one number a line
    assert "more than 100 vertices" in _refused(pretty, BoundaryLimits(max_vertices=100))
    assert len(read_boundaries(pretty, name="d.geojson", limits=BoundaryLimits()).frame) == 1


def test_geojson_values_are_counted_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    # A valid district with a long list of numbers beside it: few vertices, many values.
    geometry = {"type": "Polygon", "coordinates": _triangles(1)[0]}
    data = _geojson(geometry, extra={"padding": [0] * 5000})
    calls = _spy_on_json(monkeypatch)
    text = _refused(data, BoundaryLimits(max_json_values=2000))
    assert "JSON values (numbers, strings, lists and objects), more than the limit of 2,000" in text
    assert calls == []
    assert len(read_boundaries(data, name="d.geojson").frame) == 1


def test_topojson_parts_are_counted() -> None:
    arcs = [[[i * 2, 0], [0, 1], [1, -1], [-1, 0]] for i in range(30)]
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.001, 0.001], "translate": [70.0, 40.0]},
        "arcs": arcs,
        "objects": {
            "d": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "MultiPolygon", "arcs": [[[i]] for i in range(30)]},
                ],
            }
        },
    }
    data = json.dumps(topology).encode()
    assert len(read_boundaries(data, name="d.topojson").frame) == 1
    text = _refused(data, BoundaryLimits(max_parts=20), name="d.topojson")
    assert "feature 1, geometry: the file has more than 20 polygon rings" in text


# --------------------------------------------------------------------------- files


def test_fifo_and_device_are_refused_before_they_are_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real = os.open

    def spy(path: Any, *args: Any, **kwargs: Any) -> int:
        opened.append(str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    devices = [Path("/dev/null")] if stat.S_ISCHR(os.stat("/dev/null").st_mode) else []
    for path in [fifo, *devices]:
        with pytest.raises(BoundaryFileError, match="is not a regular file"):
            read_boundary_file(path)
    assert opened == []


def test_the_app_limits_reach_the_district_reader() -> None:
    data = _geojson({"type": "MultiPolygon", "coordinates": _triangles(30)})
    assert len(districts_from_bytes("d.geojson", data)) == 1
    with pytest.raises(BoundaryFileError, match="more than 20 polygon rings"):
        districts_from_bytes("d.geojson", data, limits=BoundaryLimits(max_parts=20))
