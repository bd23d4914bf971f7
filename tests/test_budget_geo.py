"""Boundary files within a budget (issue 17): parts, vertices, JSON values, Shapefile
records, GeoPackage blobs and non-regular files, counted before anything big is built.

Every hostile file is generated here at a small scale and read with small
:class:`BoundaryLimits`; the full-size cases are run by ``make stress``.
"""

from __future__ import annotations

import io
import json
import math
import os
import sqlite3
import stat
import struct
import tempfile
import zipfile
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import shapefile
import shapely

import flowmap.io._polygons
import flowmap.io._shprecords
import flowmap.io._topojson
from flowmap.batken.districts import districts_from_bytes
from flowmap.io.geoio import (
    APP_LIMITS,
    DEFAULT_LIMITS,
    BoundaryFileError,
    BoundaryLimits,
    read_boundaries,
    read_boundary_file,
)
from flowmap.text.i18n import error_text


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
    real = flowmap.io._polygons.assemble

    def spy(polygons: Any) -> Any:
        built.append(polygons)
        return real(polygons)

    monkeypatch.setattr(flowmap.io._polygons, "assemble", spy)
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


# --------------------------------------------------------------------------- Shapefile

PRJ = (
    'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],'
    'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
)


def _square(x: float, y: float, size: float, clockwise: bool = True) -> list[list[float]]:
    ring = [[x, y], [x, y + size], [x + size, y + size], [x + size, y], [x, y]]
    return ring if clockwise else ring[::-1]


def _shapefile(polygons: list[list[list[list[float]]]]) -> dict[str, bytes]:
    """Return the .shp, .shx, .dbf and .prj of one polygon record per item (its rings)."""
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON) as writer:
        writer.field("NAME", "C", size=20)
        for number, rings in enumerate(polygons, start=1):
            writer.poly(rings)
            writer.record(f"d{number}")
    return {
        ".shp": shp.getvalue(),
        ".shx": shx.getvalue(),
        ".dbf": dbf.getvalue(),
        ".prj": PRJ.encode(),
    }


def _zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for ext, content in parts.items():
            archive.writestr("d" + ext, content)
    return out.getvalue()


def _record_starts(shp: bytes) -> list[int]:
    """Return the byte offsets of the record headers of a well-formed .shp."""
    starts, pos = [], 100
    while pos < len(shp):
        starts.append(pos)
        pos += 8 + struct.unpack_from(">i", shp, pos + 4)[0] * 2
    return starts


def _patched(parts: dict[str, bytes], offset: int, value: int, fmt: str = ">i") -> bytes:
    shp = bytearray(parts[".shp"])
    struct.pack_into(fmt, shp, offset, value)
    return _zipped({**parts, ".shp": bytes(shp)})


TWO = [[_square(70.0, 40.0, 0.1)], [_square(71.0, 40.0, 0.1)]]


def test_a_record_length_past_the_end_of_the_shp_is_refused() -> None:
    parts = _shapefile(TWO)
    assert len(read_boundaries(_zipped(parts), name="d.zip").frame) == 2
    second = _record_starts(parts[".shp"])[1]
    data = _patched(parts, second + 4, 5000)  # the content length, in 16-bit words
    text = _refused(data, BoundaryLimits(), name="d.zip")
    assert "record 2 of the .shp: the record header says 10000 bytes, but only" in text


def test_a_record_too_short_for_its_points_is_refused() -> None:
    parts = _shapefile(TWO)
    first = _record_starts(parts[".shp"])[0]
    data = _patched(parts, first + 8 + 40, 50, "<i")  # numPoints: 50 instead of 5
    text = _refused(data, BoundaryLimits(), name="d.zip")
    assert "record 1 of the .shp: 50 points in 1 rings need 848 bytes" in text


def test_a_record_elsewhere_than_the_shx_says_is_refused() -> None:
    parts = _shapefile(TWO)
    shx = bytearray(parts[".shx"])
    struct.pack_into(">i", shx, 100 + 8, 1000)  # record 2's offset, in 16-bit words
    data = _zipped({**parts, ".shx": bytes(shx)})
    text = _refused(data, BoundaryLimits(), name="d.zip")
    assert "record 2 of the .shp: the .shx index puts the record at byte 2000" in text


def test_shapefile_rings_and_points_are_counted_from_the_record_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read: list[object] = []
    real = flowmap.io._shprecords._rings

    def spy(*args: Any) -> Any:
        read.append(args)
        return real(*args)

    monkeypatch.setattr(flowmap.io._shprecords, "_rings", spy)
    many = [_square(70.0 + i * 0.01, 40.0, 0.005) for i in range(30)]
    data = _zipped(_shapefile([[_square(69.0, 40.0, 0.1)], many]))
    text = _refused(data, BoundaryLimits(max_parts=20), name="d.zip")
    assert "record 2 of the .shp: the file has more than 20 polygon rings" in text
    text = _refused(data, BoundaryLimits(max_vertices=100), name="d.zip")
    assert "record 2 of the .shp: the file has more than 100 vertices" in text
    assert read == []  # no coordinate was read before the refusal
    assert len(read_boundaries(data, name="d.zip").frame) == 2


def test_shapefile_holes_go_to_the_smallest_ring_around_them() -> None:
    rings = [
        _square(70.0, 40.0, 1.0),  # outer ring A
        _square(70.2, 40.2, 0.6, clockwise=False),  # hole in A
        _square(70.3, 40.3, 0.4),  # island B inside that hole
        _square(70.4, 40.4, 0.2, clockwise=False),  # hole in B, not in A
        _square(72.0, 40.0, 0.5),  # outer ring C, no hole
        _square(75.0, 40.0, 0.5, clockwise=False),  # a hole inside nothing: an outer ring
    ]
    data = _zipped(_shapefile([rings]))
    geometry = read_boundaries(data, name="d.zip").frame.geometry.iloc[0]
    expected = (1.0 - 0.36) + (0.16 - 0.04) + 0.25 + 0.25
    assert geometry.area == pytest.approx(expected)
    assert len(shapely.get_parts(geometry)) == 4
    assert geometry.is_valid


# --------------------------------------------------------------------------- GeoPackage


def _wkb_polygon(rings: list[list[list[float]]], declared: int | None = None) -> bytes:
    """Return little-endian WKB of a polygon; ``declared`` overrides its first ring's count."""
    out = struct.pack("<BII", 1, 3, len(rings))
    for k, ring in enumerate(rings):
        count = declared if declared is not None and k == 0 else len(ring)
        out += struct.pack("<I", count) + struct.pack(
            f"<{2 * len(ring)}d", *(v for point in ring for v in point)
        )
    return out


def _gpkg(*wkbs: bytes) -> bytes:
    """Return a GeoPackage (EPSG:4326) with one feature per WKB geometry."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.gpkg"
        with closing(sqlite3.connect(path)) as conn:
            conn.executescript(
                "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY,"
                " organization TEXT, organization_coordsys_id INTEGER, definition TEXT);"
                "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, '');"
                "CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT,"
                " srs_id INTEGER);"
                "INSERT INTO gpkg_contents VALUES ('d', 'features', 4326);"
                "CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT,"
                " geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);"
                "INSERT INTO gpkg_geometry_columns VALUES ('d', 'geom', 'POLYGON', 4326, 0, 0);"
                "CREATE TABLE d (fid INTEGER PRIMARY KEY, geom BLOB, name TEXT);"
            )
            for number, wkb in enumerate(wkbs, start=1):
                blob = b"GP\x00\x01" + struct.pack("<i", 4326) + wkb
                conn.execute("INSERT INTO d (geom, name) VALUES (?, ?)", (blob, f"d{number}"))
            conn.commit()
        return path.read_bytes()


def _spy_on_wkb(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record every call of ``shapely.from_wkb`` (the GeoPackage reader's parser)."""
    calls: list[int] = []
    real = shapely.from_wkb

    def spy(wkb: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(wkb, *args, **kwargs)

    monkeypatch.setattr(shapely, "from_wkb", spy)
    return calls


def test_a_giant_geopackage_geometry_is_refused_before_it_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ring = [[70.0 + 0.5 * math.cos(t / 1000), 40.0 + 0.3 * math.sin(t / 1000)] for t in range(7000)]
    data = _gpkg(_wkb_polygon([_square(70.0, 40.0, 0.1)]), _wkb_polygon([[*ring, ring[0]]]))
    calls = _spy_on_wkb(monkeypatch)
    text = _refused(data, BoundaryLimits(max_blob_bytes=100_000), name="d.gpkg")
    assert "feature 2, column 'geom': the geometry is 0.1 MB, larger than the limit of 0 MB" in text
    assert calls == [1]  # feature 1 only
    assert len(read_boundaries(data, name="d.gpkg").frame) == 2


def test_geopackage_rings_and_points_are_counted_from_the_wkb(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    holes = [_square(70.1 + i * 0.02, 40.1, 0.01, clockwise=False) for i in range(30)]
    data = _gpkg(_wkb_polygon([_square(70.0, 40.0, 1.0), *holes]))
    calls = _spy_on_wkb(monkeypatch)
    text = _refused(data, BoundaryLimits(max_parts=20), name="d.gpkg")
    assert "feature 1, column 'geom': the file has more than 20 polygon rings" in text
    text = _refused(data, BoundaryLimits(max_vertices=100), name="d.gpkg")
    assert "feature 1, column 'geom': the file has more than 100 vertices" in text
    assert calls == []
    geometry = read_boundaries(data, name="d.gpkg").frame.geometry.iloc[0]
    assert len(geometry.interiors) == 30


def test_a_wkb_declaring_more_points_than_it_holds_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _gpkg(_wkb_polygon([_square(70.0, 40.0, 0.1)], declared=1_000_000_000))
    calls = _spy_on_wkb(monkeypatch)
    text = _refused(data, BoundaryLimits(), name="d.gpkg")
    assert "feature 1, column 'geom': the geometry declares more points or rings than its" in text
    assert calls == []


def test_the_command_line_help_states_the_boundary_limits() -> None:
    from flowmap.cli.parser import make_parser

    parser = make_parser()
    export = next(
        action.choices["export"]
        for action in parser._actions
        if isinstance(action.choices, dict) and "export" in action.choices
    )
    help_text = next(a.help for a in export._actions if "--districts" in a.option_strings)
    limits = (DEFAULT_LIMITS.max_vertices, DEFAULT_LIMITS.max_parts, APP_LIMITS.max_vertices)
    assert all(f"{n:,}" in (help_text or "") for n in limits)
    assert f"{DEFAULT_LIMITS.max_bytes // 2**20} MB" in (help_text or "")


def test_a_topojson_arc_used_over_and_over_is_counted_as_it_is_joined(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One arc of 50 points, used 2,000 times by one ring: a small file, 100,000 vertices.
    joined: list[int] = []
    real = flowmap.io._topojson._Decoder.arc

    def spy(self: Any, index: int) -> Any:
        joined.append(index)
        return real(self, index)

    monkeypatch.setattr(flowmap.io._topojson._Decoder, "arc", spy)
    arc = [[0, 0], *([[1, 0]] * 24), *([[0, 1]] * 12), *([[-1, 0]] * 12)]
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.001, 0.001], "translate": [70.0, 40.0]},
        "arcs": [arc],
        "objects": {"d": {"type": "Polygon", "arcs": [[0] * 2000]}},
    }
    data = json.dumps(topology).encode()
    text = _refused(data, BoundaryLimits(max_vertices=1000), name="d.topojson")
    assert "feature 1: the file has more than 1,000 vertices (the limit)" in text
    assert len(joined) < 100  # stopped at the limit, not after joining all 2,000 uses
