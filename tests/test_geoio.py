"""Boundary files are read without GDAL: hostile, broken and valid files, limits, fuzzing.

The files in ``tests/hostile/`` are committed (``tests/hostile/make_files.py`` rebuilds
them); every test here runs on every test run.
"""

from __future__ import annotations

import dataclasses
import importlib.abc
import io
import itertools
import json
import math
import os
import random
import re
import sqlite3
import sys
import tempfile
import zipfile
from collections.abc import Callable, Collection, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, mapping

from flowmap.batken.districts import districts_from_bytes, load_districts
from flowmap.core.errors import FlowmapError
from flowmap.io._files import check_target
from flowmap.io._geobase import GEOMETRY_TYPES
from flowmap.io.geoio import (
    ACCEPTED,
    Boundaries,
    BoundaryFileError,
    BoundaryLimits,
    read_boundaries,
    read_boundary_file,
)
from flowmap.io.land import country_at
from flowmap.text.i18n import MESSAGES, Count, Message, error_text, localise, msg
from tests.conftest import examples

HOSTILE = Path(__file__).resolve().parent / "hostile"
BATKEN = {
    "Лейлек району": [(69.3, 39.7), (70.0, 39.7), (70.0, 40.1), (69.3, 40.1)],
    "Batken": [(70.0, 39.7), (71.0, 39.7), (71.0, 40.1), (70.0, 40.1)],
    "Kadamjay": [(71.0, 39.7), (72.0, 39.7), (72.0, 40.2), (71.0, 40.2)],
}
HOSTILE_NAMES = [
    "{{ 7*7 }}",
    "{% if 1 %}yes{% endif %}",
    "</script><script>alert(1)</script>",
    "`${alert(1)}`",
]
VALID_FILES = [
    "districts.gpkg",
    "districts_utm.gpkg",
    "districts_shp.zip",
    "projected_with_crs.geojson",
    "quantised.topojson",
]
HOSTILE_FILES = sorted(p.name for p in HOSTILE.iterdir() if p.is_file() and p.suffix != ".py")
FUZZ = settings(
    max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def read(name: str, limits: BoundaryLimits | None = None) -> Boundaries:
    data = (HOSTILE / name).read_bytes()
    if limits is None:
        return read_boundaries(data, name=name)
    return read_boundaries(data, name=name, limits=limits)


def check_result(result: Boundaries) -> None:
    """Every successful read has the promised shape."""
    frame = result.frame
    assert isinstance(frame, gpd.GeoDataFrame)
    assert frame.crs.to_epsg() == 4326
    assert len(frame) > 0
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    assert frame.geometry.is_valid.all()
    assert not frame.geometry.is_empty.any()
    for column in frame.columns.drop("geometry"):
        assert all(isinstance(v, str) for v in frame[column])
    assert result.notes
    assert result.notes[0].startswith("format: ")


def outcome(data: bytes) -> None:
    """Read ``data``: a valid result or a FlowmapError, never another exception."""
    try:
        result = read_boundaries(data, name="fuzz.geojson")
    except FlowmapError as exc:
        text = str(exc)
        assert text.startswith("boundary file 'fuzz.geojson': ")
        assert "Traceback" not in text
        return
    check_result(result)


# --------------------------------------------------------------------------- no GDAL


#: The GDAL bindings a boundary reader could reach (pyogrio comes with geopandas).
GDAL_MODULES = ("pyogrio", "fiona", "osgeo")
GDAL_CALLS = {
    "pyogrio": ("read_dataframe", "read_info", "list_layers", "read_arrow", "open_arrow"),
    "pyogrio.raw": ("read", "read_arrow", "open_arrow"),
}


class _GdalBlocker(importlib.abc.MetaPathFinder):
    """Refuse (and remember) every import of a GDAL binding while a test runs."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.split(".")[0] in GDAL_MODULES:
            self.asked.append(name)
            raise AssertionError(f"a user file reached GDAL ({name})")


@pytest.fixture
def no_gdal_no_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail the test if GDAL is imported or asked to open anything, or a temp file or
    extraction is made. GDAL's bindings are never imported here: a blocker on
    ``sys.meta_path`` refuses them (with any copy already imported taken out of
    ``sys.modules`` for the test), and the functions of a copy already imported elsewhere
    refuse too."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a user file reached GDAL or the disk")

    for module_name, names in GDAL_CALLS.items():
        module = sys.modules.get(module_name)
        for name in names:
            if module is not None and hasattr(module, name):
                monkeypatch.setattr(module, name, refuse)
    for module_name in list(sys.modules):
        if module_name.split(".")[0] in GDAL_MODULES:
            monkeypatch.delitem(sys.modules, module_name)
    blocker = _GdalBlocker()
    monkeypatch.setattr(sys, "meta_path", [blocker, *sys.meta_path])
    for module, name in [
        (gpd, "read_file"),
        (tempfile, "mkstemp"),
        (tempfile, "mkdtemp"),
        (tempfile, "NamedTemporaryFile"),
        (tempfile, "TemporaryFile"),
        (tempfile, "TemporaryDirectory"),
        (zipfile.ZipFile, "extract"),
        (zipfile.ZipFile, "extractall"),
    ]:
        monkeypatch.setattr(module, name, refuse)
    yield
    assert not blocker.asked, f"GDAL was imported: {blocker.asked}"


@pytest.mark.usefixtures("no_gdal_no_disk")
@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_no_file_reaches_gdal_or_disk(name: str) -> None:
    try:
        result = read(name)
    except BoundaryFileError as exc:
        message = str(exc)
    else:
        check_result(result)
        message = f"boundary file '{name}': read"
    assert message.startswith(f"boundary file '{name}': ")


# --------------------------------------------------------------------------- refused files


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("vrt_named.geojson", r"looks like a GDAL virtual dataset \(VRT, XML\), which is never"),
        ("empty.geojson", "is empty"),
        ("garbage.geojson", "looks like binary data"),
        ("bare.shp", "looks like a bare Shapefile .shp"),
    ],
)
def test_other_content_is_refused_by_content_not_extension(name: str, message: str) -> None:
    with pytest.raises(BoundaryFileError, match=message) as info:
        read(name)
    assert ACCEPTED in str(info.value)
    assert "root:" not in str(info.value)


@pytest.mark.parametrize(
    ("content", "looks_like"),
    [
        (b"name,lat,lon\nBatken,40.06,70.82\n", "comma-separated text (CSV)"),
        (b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"/>', "KML"),
        (b"<html><body>hi</body></html>", "an HTML page"),
        (b"POLYGON ((70 40, 71 40, 71 41, 70 40))", "WKT text"),
        (b"\x1f\x8b\x08\x00garbage", "gzip-compressed data"),
        (b"hello", "plain text starting 'hello'"),
    ],
)
def test_unaccepted_formats_say_what_they_look_like(content: bytes, looks_like: str) -> None:
    with pytest.raises(BoundaryFileError, match="its content looks like") as info:
        read_boundaries(content, name="upload.geojson")
    assert looks_like in str(info.value)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bomb_bzip2.zip", "declares 250.0 MB uncompressed, more than the limit of 200.0 MB"),
        ("bomb_ratio.zip", "member 'bomb.dbf' expands 1,029 times .* looks like a zip bomb"),
        ("lying_size.zip", "member 'lie.shp' is (damaged|not the size its header declares)"),
        ("traversal.zip", r"member '\.\./\.\./districts\..{3}' has an absolute path or '\.\.'"),
        ("many_members.zip", "has 100 members, more than the limit of 64"),
        ("nan_coordinate.geojson", r"feature 2, geometry: coordinate \[nan, 39\.9\] is not a"),
        ("short_ring.geojson", "feature 2, geometry: a polygon ring has 2 distinct points"),
        (
            "projected_no_crs.geojson",
            r"feature 1 has the coordinate \(525719\.6442, 4394504\.028\), which is not a "
            "longitude/latitude: the file looks projected and needs a coordinate reference",
        ),
        (
            "swapped_latlon.geojson",
            "the coordinates look like latitude, longitude order: feature 1 is centred at "
            "longitude 39.9000, latitude 69.6500, at sea, while swapped it would be in KG",
        ),
    ],
)
def test_hostile_and_broken_files_give_clear_errors(name: str, message: str) -> None:
    with pytest.raises(BoundaryFileError, match=message) as info:
        read(name)
    text = str(info.value)
    assert text.startswith(f"boundary file '{name}': ")
    assert str(HOSTILE) not in text
    assert "Traceback" not in text
    assert isinstance(info.value, FlowmapError)


def test_messages_name_the_upload_and_never_a_server_path(tmp_path: Path) -> None:
    with pytest.raises(FlowmapError) as info:
        districts_from_bytes("my districts.geojson", b"{not json")
    assert str(info.value).startswith("boundary file 'my districts.geojson': ")
    assert tempfile.gettempdir() not in str(info.value)


def test_messages_drop_control_characters_and_cut_long_values() -> None:
    name = "evil\x1b[31m\u202e\x00name.geojson"
    with pytest.raises(BoundaryFileError) as info:
        read_boundaries(b"{", name=name)
    assert str(info.value).startswith("boundary file 'evil[31mname.geojson': ")
    bad_type = json.dumps({"type": "Feature\x07" + "x" * 200})
    with pytest.raises(BoundaryFileError, match=r"'type' is 'Featurex+…'") as info:
        read_boundaries(bad_type.encode(), name="a.geojson")
    assert "\x07" not in str(info.value)
    assert max(len(part) for part in str(info.value).split("'")) <= 80


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([1, 2], "it is JSON, but a list, not a GeoJSON or TopoJSON object"),
        ({"type": "Nope"}, "its 'type' is 'Nope', not FeatureCollection"),
        ({"type": "FeatureCollection", "features": {}}, "'features' must be a list"),
        ({"type": "FeatureCollection", "features": [3]}, "feature 1: must be an object"),
        (
            {"type": "Feature", "properties": [], "geometry": None},
            "feature 1, member 'properties': must be an object, got a list",
        ),
        (
            {"type": "Polygon", "coordinates": [[[70, 40], [71, 40], ["x", 41], [70, 40]]]},
            r"feature 1, geometry: coordinate \['x', 41\] is not a pair of finite numbers",
        ),
        (
            {"type": "Feature", "geometry": {"type": "Circle", "radius": 3}},
            "feature 1, geometry, member 'type': 'Circle' is not a GeoJSON geometry type",
        ),
        ({"type": "Polygon", "coordinates": [[[70, 40], [1e400, 40], [70, 41]]]}, "not a pair"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[70, 40], [71, 40], [71, 41], [70, 40]]],
                "crs": {"type": "name", "properties": {"name": "EPSG:999999"}},
            },
            "EPSG code 999999 is not known to PROJ",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[70, 40], [71, 40], [71, 41], [70, 40]]],
                "crs": {"type": "link", "properties": {"href": "http://x.invalid/crs"}},
            },
            "only named EPSG codes are read",
        ),
        ({"type": "FeatureCollection", "features": []}, "has no features"),
        (
            {"type": "Point", "coordinates": [70, 40]},
            r"has no polygon geometry \(found: Point\)",
        ),
        ({"type": "Topology", "objects": {}, "arcs": []}, "'objects' must be an object holding"),
        (
            {"type": "Topology", "objects": {"a": {"type": "Polygon", "arcs": [[5]]}}, "arcs": []},
            "feature 1: arc index 5 is not one of the 0 arcs",
        ),
    ],
)
def test_malformed_json_names_feature_and_value(value: Any, message: str) -> None:
    with pytest.raises(BoundaryFileError, match=message):
        read_boundaries(json.dumps(value).encode(), name="x.json")


def test_deeply_nested_json_is_an_error_not_a_crash() -> None:
    with pytest.raises(BoundaryFileError, match=r"nested too deeply|not valid JSON"):
        read_boundaries(b"[" * 100_000 + b"]" * 100_000, name="deep.json")


# --------------------------------------------------------------------------- valid files


@pytest.mark.parametrize("name", VALID_FILES[:4])
def test_valid_files_of_every_format(name: str) -> None:
    result = read(name)
    check_result(result)
    frame = result.frame
    assert list(frame["name"]) == list(BATKEN)
    assert list(frame["code"]) == ["417-L", "417-B", "417-K"]
    for geom, ring in zip(frame.geometry, BATKEN.values(), strict=True):
        assert geom.normalize().equals_exact(Polygon(ring).normalize(), tolerance=1e-6)
    kind = {".gpkg": "GeoPackage", ".zip": "Shapefile", ".geojson": "GeoJSON"}
    assert result.notes[0] == f"format: {kind[Path(name).suffix]}, 3 feature(s)"
    crs_note = next(n for n in result.notes if n.startswith("coordinates:"))
    if "utm" in name or "zip" in name or "projected" in name:
        assert "converted from" in crs_note
        assert "to longitude/latitude (EPSG:4326)" in crs_note


def test_topojson_quantised_arcs_and_reversed_shared_arc() -> None:
    result = read("quantised.topojson")
    check_result(result)
    frame = result.frame
    assert list(frame["name"]) == ["Leilek", ""]
    assert list(frame["id"]) == ["", "KG-B-BA"]
    leilek, batken = frame.geometry
    assert leilek.normalize().equals_exact(Polygon(BATKEN["Лейлек району"]).normalize(), 1e-9)
    assert batken.normalize().equals_exact(Polygon(BATKEN["Batken"]).normalize(), 1e-9)
    assert batken.exterior.is_ccw
    shared = leilek.intersection(batken)
    assert shared.geom_type == "LineString"
    assert shared.length == pytest.approx(0.4)
    assert "skipped 1 feature(s) that are not polygons (Point: 1)" in result.notes


def test_hostile_names_stay_plain_text() -> None:
    districts = districts_from_bytes(
        "names.geojson", (HOSTILE / "hostile_names.geojson").read_bytes()
    )
    assert list(districts["label"]) == HOSTILE_NAMES
    assert list(districts["matched"]) == [""] * 4


def test_repairs_are_reported() -> None:
    unclosed = read("unclosed_ring.geojson")
    check_result(unclosed)
    assert "closed the unclosed rings of feature(s) 1" in unclosed.notes
    bowtie = read("bowtie.geojson")
    check_result(bowtie)
    assert "repaired invalid polygons with make_valid: feature(s) 1" in bowtie.notes
    assert bowtie.frame.geometry[0].geom_type == "MultiPolygon"
    mixed = read("mixed.geojson")
    assert len(mixed.frame) == 1
    assert "skipped 2 feature(s) that are not polygons (Point: 1, no geometry: 1)" in mixed.notes


def test_sql_in_a_geopackage_table_name_is_only_a_name() -> None:
    before = (HOSTILE / "injection.gpkg").read_bytes()
    result = read("injection.gpkg")
    check_result(result)
    assert len(result.frame) == 3
    assert (HOSTILE / "injection.gpkg").read_bytes() == before


def test_bare_shp_path_reads_its_sidecars(tmp_path: Path) -> None:
    with zipfile.ZipFile(HOSTILE / "districts_shp.zip") as archive:
        for info in archive.infolist():
            (tmp_path / Path(info.filename).name).write_bytes(archive.read(info))
    districts = load_districts(tmp_path / "districts.shp")
    assert list(districts["matched"]) == ["Leilek district", "Batken district", "Kadamjay district"]
    assert "format: Shapefile, 3 feature(s)" in districts.attrs["notes"]
    (tmp_path / "districts.dbf").unlink()
    with pytest.raises(BoundaryFileError, match=r"lacks its \.dbf file"):
        load_districts(tmp_path / "districts.shp")


def _gpkg_with(sql: str, name: str = "districts.gpkg") -> bytes:
    """Return a changed copy of a committed GeoPackage, changed in memory only."""
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.deserialize((HOSTILE / name).read_bytes())
        conn.executescript(sql)
        return conn.serialize()


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "CREATE VIEW v AS SELECT * FROM districts; UPDATE gpkg_contents SET table_name = 'v';"
            " UPDATE gpkg_geometry_columns SET table_name = 'v';",
            "layer 'v' is a view; only tables are read",
        ),
        ("DROP TABLE gpkg_geometry_columns;", "it is an SQLite database, but not a GeoPackage"),
        ("UPDATE gpkg_contents SET data_type = 'tiles';", "the GeoPackage has no feature layer"),
        (
            "UPDATE districts SET geom = X'0102' WHERE fid = 2;",
            "feature 2, column 'geom': the value is not a GeoPackage geometry",
        ),
        (
            "UPDATE districts SET geom = X'47500001E6100000FFFF' WHERE fid = 3;",
            "feature 3, column 'geom': the geometry is not valid WKB",
        ),
        (
            "UPDATE gpkg_geometry_columns SET srs_id = 12345;",
            "spatial reference 12345: not listed in gpkg_spatial_ref_sys",
        ),
    ],
)
def test_broken_geopackages(sql: str, message: str) -> None:
    with pytest.raises(BoundaryFileError, match=message):
        read_boundaries(_gpkg_with(sql), name="d.gpkg")


def test_geopackage_variants() -> None:
    second = (
        "CREATE TABLE second AS SELECT * FROM districts;"
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id)"
        " VALUES ('second', 'features', 'second', 4326);"
        "INSERT INTO gpkg_geometry_columns VALUES ('second', 'geom', 'POLYGON', 4326, 0, 0);"
    )
    result = read_boundaries(_gpkg_with(second), name="two.gpkg")
    assert "read layer 'districts'; ignored 1 other(s): 'second'" in result.notes
    undefined = read_boundaries(
        _gpkg_with("UPDATE gpkg_geometry_columns SET srs_id = 0;"), name="u.gpkg"
    )
    assert "coordinates: no CRS given; read as longitude/latitude (EPSG:4326)" in undefined.notes
    wal = bytearray((HOSTILE / "districts.gpkg").read_bytes())
    wal[18:20] = b"\x02\x02"
    check_result(read_boundaries(bytes(wal), name="wal.gpkg"))


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _shapefile_members() -> dict[str, bytes]:
    with zipfile.ZipFile(HOSTILE / "districts_shp.zip") as archive:
        return {Path(i.filename).suffix: archive.read(i) for i in archive.infolist()}


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"a.shp": ".shp", "b.shp": ".shp"}, r"exactly one Shapefile \(\.shp\), but holds 2"),
        ({"d.shp": ".shp", "d.shx": ".shx"}, r"lacks its \.dbf file"),
        ({"/etc/d.shp": ".shp", "/etc/d.shx": ".shx"}, "has an absolute path"),
        ({"..\\d.shp": ".shp"}, "has an absolute path or '..'"),
        ({"C:d.shp": ".shp"}, "has an absolute path"),
        ({"readme.txt": ".prj"}, r"but holds 0 \(members: 'readme.txt'\)"),
        ({"d.shp": ".dbf", "d.shx": ".shx", "d.dbf": ".dbf"}, r"d\.shp is not a Shapefile"),
    ],
)
def test_zip_member_rules(members: dict[str, str], message: str) -> None:
    parts = _shapefile_members()
    data = _zip({name: parts[ext] for name, ext in members.items()})
    with pytest.raises(BoundaryFileError, match=message):
        read_boundaries(data, name="d.zip")


def test_zip_junk_is_ignored_and_encryption_refused() -> None:
    parts = _shapefile_members()
    members = {f"x/d{ext}": data for ext, data in parts.items()}
    members |= {"__MACOSX/x/._d.shp": b"junk", "x/._d.shp": b"junk"}
    check_result(read_boundaries(_zip(members), name="mac.zip"))
    encrypted = bytearray(_zip({f"d{ext}": data for ext, data in parts.items()}))
    central = encrypted.index(b"PK\x01\x02")
    encrypted[central + 8] |= 1
    with pytest.raises(BoundaryFileError, match="is encrypted"):
        read_boundaries(bytes(encrypted), name="secret.zip")


# --------------------------------------------------------------------------- files on disk


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    with pytest.raises(BoundaryFileError, match="not found"):
        read_boundary_file(tmp_path / "missing.geojson")
    with pytest.raises(BoundaryFileError, match="is a folder, not a file"):
        read_boundary_file(tmp_path)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.geojson")
        with pytest.raises(BoundaryFileError, match="is not a regular file"):
            read_boundary_file(tmp_path / "pipe.geojson")
    if Path("/dev/zero").exists():
        with pytest.raises(BoundaryFileError, match="is not a regular file"):
            read_boundary_file("/dev/zero")


def test_file_size_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.geojson"
    path.write_bytes(b" " * 2048)
    with pytest.raises(BoundaryFileError, match=r"is 0\.0 MB, larger than the limit"):
        read_boundary_file(path, limits=BoundaryLimits(max_bytes=1024))
    with pytest.raises(BoundaryFileError, match="larger than the limit"):
        read_boundaries(bytes(2048), name="big.gpkg", limits=BoundaryLimits(max_bytes=1024))
    result = read_boundary_file(HOSTILE / "districts.gpkg", name="mine.gpkg")
    check_result(result)


# --------------------------------------------------------------------------- limits


def test_limits_are_frozen_with_the_documented_defaults() -> None:
    limits = BoundaryLimits()
    assert (limits.max_bytes, limits.max_features, limits.max_vertices) == (
        50 * 1024 * 1024,
        20_000,
        600_000,
    )
    assert (limits.max_parts, limits.max_json_values, limits.max_blob_bytes) == (
        10_000,
        2_400_000,
        12 * 1024 * 1024,
    )
    assert (limits.simplify_above, limits.max_zip_members, limits.max_zip_bytes) == (
        300_000,
        64,
        200 * 1024 * 1024,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        limits.max_features = 1  # type: ignore[misc]


@pytest.mark.parametrize("name", VALID_FILES)
def test_feature_and_vertex_limits(name: str) -> None:
    features = 1 if name.endswith("topojson") else 2
    with pytest.raises(BoundaryFileError, match=f"more than the limit of {features}"):
        read(name, BoundaryLimits(max_features=features))
    with pytest.raises(BoundaryFileError, match="more than 6 vertices"):
        read(name, BoundaryLimits(max_vertices=6))


def test_zip_limits() -> None:
    with pytest.raises(BoundaryFileError, match=r"more than the limit of 0\.0 MB"):
        read("districts_shp.zip", BoundaryLimits(max_zip_bytes=1000))
    with pytest.raises(BoundaryFileError, match="more than the limit of 4"):
        read("districts_shp.zip", BoundaryLimits(max_zip_members=4))


def _wiggly_grid(cells: int, points: int) -> dict[str, Any]:
    """Return a GeoJSON grid of ``cells`` x ``cells`` districts whose shared edges zigzag."""
    rng = random.Random(3)
    step = 0.5 / cells
    corner = {
        (i, j): (70.0 + i * step, 39.8 + j * step)
        for i in range(cells + 1)
        for j in range(cells + 1)
    }
    edges: dict[tuple[tuple[int, int], tuple[int, int]], list[tuple[float, float]]] = {}

    def path(a: tuple[int, int], b: tuple[int, int]) -> list[tuple[float, float]]:
        """Return the points from corner a (included) to corner b (excluded)."""
        if (b, a) in edges:
            return [corner[a], *reversed(edges[(b, a)][1:])]
        (ax, ay), (bx, by) = corner[a], corner[b]
        line = []
        for k in range(points):
            t = k / points
            off = rng.uniform(-0.1, 0.1) * step * math.sin(math.pi * t)
            line.append(
                (
                    ax + (bx - ax) * t + off * (by - ay) / step,
                    ay + (by - ay) * t + off * (bx - ax) / step,
                )
            )
        edges[(a, b)] = line
        return line

    features = []
    for i in range(cells):
        for j in range(cells):
            loop = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1), (i, j)]
            ring = [pt for a, b in itertools.pairwise(loop) for pt in path(a, b)]
            features.append(
                {
                    "type": "Feature",
                    "properties": {"cell": f"{i},{j}"},
                    "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def test_big_files_are_simplified_keeping_shared_borders() -> None:
    data = json.dumps(_wiggly_grid(3, 400)).encode()
    plain = read_boundaries(data, name="grid.geojson")
    assert int(shapely.get_num_coordinates(plain.frame.geometry.values).sum()) > 14_000
    assert not any("simplified" in n for n in plain.notes)
    result = read_boundaries(data, name="grid.geojson", limits=BoundaryLimits(simplify_above=2000))
    check_result(result)
    note = next(n for n in result.notes if n.startswith("simplified"))
    assert "shared borders kept shared" in note
    geoms = result.frame.geometry
    assert int(shapely.get_num_coordinates(geoms.values).sum()) <= 2000
    union = shapely.union_all(geoms.values)
    assert union.area == pytest.approx(shapely.area(geoms.values).sum(), rel=1e-9)  # no overlaps
    assert union.geom_type == "Polygon"  # no gaps between districts
    assert not union.interiors


# --------------------------------------------------------------------------- land


def test_country_at() -> None:
    assert country_at(40.06, 70.82) == "KG"  # Batken town
    assert country_at(55.75, 37.62) == "RU"  # Moscow
    assert country_at(70.5, 40.0) == ""  # Barents Sea: Batken with lat and lon swapped
    assert country_at(0.0, -30.0) == ""  # Atlantic
    assert country_at(math.nan, 70.0) == ""
    assert country_at(95.0, 70.0) == ""
    coast = (60.05, 24.9)  # off Helsinki, outside the coarse outline of Finland
    assert country_at(*coast, tolerance_km=0) == ""
    assert country_at(*coast) == "FI"


# --------------------------------------------------------------------------- fuzzing

MAGIC_PREFIXES = [
    b"",
    b"{",
    b'{"type": "Topology", ',
    b'{"type": "FeatureCollection", "features": [',
    b"SQLite format 3\x00",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x00\x00\x27\x0a",
    b"<",
    b"\xef\xbb\xbf[",
]


@FUZZ
@given(st.sampled_from(MAGIC_PREFIXES), st.binary(max_size=1024))
def test_arbitrary_bytes_give_a_result_or_a_flowmap_error(prefix: bytes, data: bytes) -> None:
    outcome(prefix + data)


@FUZZ
@given(
    st.sampled_from(VALID_FILES),
    st.lists(st.tuples(st.integers(0, 2**20), st.integers(0, 255)), min_size=1, max_size=6),
    st.none() | st.integers(0, 2**20),
)
def test_damaged_valid_files_give_a_result_or_a_flowmap_error(
    name: str, flips: list[tuple[int, int]], cut: int | None
) -> None:
    data = bytearray((HOSTILE / name).read_bytes())
    for position, value in flips:
        data[position % len(data)] = value
    outcome(bytes(data if cut is None else data[: cut % len(data)]))


KEYS = st.sampled_from(
    [
        "type",
        "coordinates",
        "geometries",
        "geometry",
        "features",
        "properties",
        "arcs",
        "objects",
        "transform",
        "scale",
        "translate",
        "crs",
        "name",
        "id",
    ]
)
TYPES = st.sampled_from(
    [
        "FeatureCollection",
        "Feature",
        "Topology",
        *sorted(GEOMETRY_TYPES),
        "name",
        "EPSG",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(69, 72)
    | st.integers(-3, 3)
    | TYPES
    | st.text(max_size=12)
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=6)
        | st.dictionaries(KEYS | st.text(max_size=6), children, max_size=6)
    ),
    max_leaves=40,
)


@FUZZ
@given(JSON_VALUES)
def test_arbitrary_json_gives_a_result_or_a_flowmap_error(value: Any) -> None:
    outcome(json.dumps(value).encode())


@FUZZ
@given(st.dictionaries(KEYS, JSON_VALUES, max_size=5), TYPES)
def test_arbitrary_geojson_like_objects_give_a_result_or_a_flowmap_error(
    value: dict[str, Any], kind: str
) -> None:
    outcome(json.dumps({**value, "type": kind}).encode())


# --------------------------------------------------------------------------- round trips


@st.composite
def star_polygons(draw: Callable[..., Any], grid: bool = False) -> Polygon:
    """A simple polygon around a centre in Batken: vertices sorted by angle."""
    angles = sorted(draw(st.sets(st.integers(0, 359), min_size=3, max_size=12)))
    radii = draw(st.lists(st.integers(5, 100), min_size=len(angles), max_size=len(angles)))
    cx, cy = draw(st.integers(0, 2000)), draw(st.integers(0, 600))  # thousandths of a degree
    points = []
    for angle, radius in zip(angles, radii, strict=True):
        x = cx + radius * math.cos(math.radians(angle))
        y = cy + radius * math.sin(math.radians(angle))
        points.append((round(x), round(y)) if grid else (69.6 + x / 1000, 39.7 + y / 1000))
    if grid:  # integer grid of a quantised TopoJSON with scale 0.001, translate (69.6, 39.7)
        points = list(dict.fromkeys(points))
    polygon = Polygon(points) if len(points) >= 3 else Polygon()
    if polygon.is_empty or not polygon.is_valid or polygon.area < (1 if grid else 1e-6):
        polygon = Polygon([(cx, cy), (cx + 9, cy), (cx, cy + 9)])
        if not grid:
            polygon = shapely.affinity.affine_transform(polygon, [1e-3, 0, 0, 1e-3, 69.6, 39.7])
    return polygon


def _topology(polygons: list[Polygon], quantised: bool, reverse: list[bool]) -> dict[str, Any]:
    """Encode polygons as TopoJSON, one arc per ring; some arcs stored reversed (as ~i)."""
    arcs: list[list[list[float]]] = []
    geometries = []
    for number, (polygon, backwards) in enumerate(zip(polygons, reverse, strict=True)):
        rings = []
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = [list(c) for c in ring.coords]
            if backwards:
                coords.reverse()
            if quantised:
                coords = [coords[0]] + [
                    [b[0] - a[0], b[1] - a[1]] for a, b in itertools.pairwise(coords)
                ]
            arcs.append(coords)
            index = len(arcs) - 1
            rings.append([~index if backwards else index])
        geometries.append({"type": "Polygon", "arcs": rings, "properties": {"n": number}})
    topology: dict[str, Any] = {
        "type": "Topology",
        "objects": {"districts": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }
    if quantised:
        topology["transform"] = {"scale": [0.001, 0.001], "translate": [69.6, 39.7]}
    return topology


def _same(result: Boundaries, polygons: list[Polygon], tolerance: float) -> None:
    check_result(result)
    assert len(result.frame) == len(polygons)
    for got, want in zip(result.frame.geometry, polygons, strict=True):
        assert got.normalize().equals_exact(want.normalize(), tolerance=tolerance)


@FUZZ
@given(st.lists(star_polygons(), min_size=1, max_size=4), st.data())
def test_polygons_round_trip_through_geojson_and_topojson(
    polygons: list[Polygon], data: st.DataObject
) -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"n": i}, "geometry": mapping(p)}
            for i, p in enumerate(polygons)
        ],
    }
    geojson = read_boundaries(json.dumps(collection).encode(), name="p.geojson")
    _same(geojson, polygons, 1e-12)
    assert list(geojson.frame["n"]) == [str(i) for i in range(len(polygons))]
    reverse = data.draw(st.lists(st.booleans(), min_size=len(polygons), max_size=len(polygons)))
    topojson = _topology(polygons, quantised=False, reverse=reverse)
    _same(read_boundaries(json.dumps(topojson).encode(), name="p.topojson"), polygons, 1e-12)


@FUZZ
@given(st.lists(star_polygons(grid=True), min_size=1, max_size=4), st.data())
def test_polygons_round_trip_through_quantised_topojson(
    polygons: list[Polygon], data: st.DataObject
) -> None:
    reverse = data.draw(st.lists(st.booleans(), min_size=len(polygons), max_size=len(polygons)))
    topojson = _topology(polygons, quantised=True, reverse=reverse)
    result = read_boundaries(json.dumps(topojson).encode(), name="q.topojson")
    expected = [
        shapely.affinity.affine_transform(p, [1e-3, 0, 0, 1e-3, 69.6, 39.7]) for p in polygons
    ]
    _same(result, expected, 1e-9)


# --------------------------------------------------------------------------- in Kyrgyz and Russian

SRC = Path(__file__).resolve().parents[1] / "src" / "flowmap"
#: The modules that read boundary files (and write files), whose messages are ``geo.*`` keys.
GEO_MODULES = tuple(str(path.relative_to(SRC)) for path in sorted((SRC / "io").rglob("*.py")))
"""Every module of the reading stage (``flowmap.io``), where the boundary readers live."""
#: Words a Kyrgyz or Russian message may keep in Latin letters: names of formats and
#: software, the GeoPackage file extension, and the formats' own keywords (JSON members,
#: type values, GeoPackage tables) that a user has to write or look for in the file.
LATIN = frozenset(
    {
        "JSON",
        "GeoJSON",
        "TopoJSON",
        "GeoPackage",
        "Shapefile",
        "SQLite",
        "EPSG",
        "PROJ",
        "GDAL",
        "HTML",
        "gpkg",
        "type",
        "properties",
        "features",
        "geometry",
        "geometries",
        "arcs",
        "objects",
        "transform",
        "Feature",
        "FeatureCollection",
        "Topology",
        "MultiPolygon",
        "gpkg_contents",
        "gpkg_geometry_columns",
        "gpkg_spatial_ref_sys",
    }
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEY_USE = re.compile(r"[\"'](geo\.[a-z0-9_.-]+)[\"']")
UPLOAD = "upload.geojson"
Action = Callable[[Path], object]


def english_words(text: str, allowed: Collection[str] = LATIN) -> set[str]:
    """Return the words of ``text`` with a run of 4 or more Latin letters, except ``allowed``."""
    return {w for w in _WORD.findall(text) if re.search("[A-Za-z]{4}", w) and w not in allowed}


def missing_keys(source: str) -> set[str]:
    """Return the ``geo.*`` keys named in ``source`` that the catalogue lacks."""
    return {key for key in _KEY_USE.findall(source) if key not in MESSAGES}


def _upload(data: bytes, name: str = UPLOAD) -> Action:
    return lambda _: read_boundaries(data, name=name)


def _json(value: Any) -> Action:
    return _upload(json.dumps(value).encode())


def _hostile(name: str, limits: BoundaryLimits | None = None) -> Action:
    return lambda _: read(name, limits)


def _zipped(members: dict[str, str]) -> Action:
    parts = _shapefile_members()
    return _upload(_zip({name: parts[ext] for name, ext in members.items()}), "d.zip")


SQUARE = [[[70, 40], [71, 40], [71, 41], [70, 40]]]
TRANSLATED = [
    # GeoJSON and the detection of the format
    pytest.param(_upload(b"{not json"), (UPLOAD,), id="bad-json"),
    pytest.param(_upload(b"[1, 2]"), (UPLOAD,), id="json-list"),
    pytest.param(_json({"type": "Nope"}), (UPLOAD, "'Nope'"), id="json-type"),
    pytest.param(_json({"type": "FeatureCollection", "features": {}}), (UPLOAD,), id="features"),
    pytest.param(
        _json({"type": "Feature", "properties": [], "geometry": None}), (UPLOAD,), id="properties"
    ),
    pytest.param(
        _json({"type": "Feature", "geometry": {"type": "Circle"}}),
        (UPLOAD, "'Circle'"),
        id="geometry-type",
    ),
    pytest.param(_json({"type": "Point", "coordinates": [70, 40]}), (UPLOAD,), id="no-polygons"),
    pytest.param(_json({"type": "FeatureCollection", "features": []}), (UPLOAD,), id="empty-fc"),
    pytest.param(
        _json({"type": "Polygon", "coordinates": [[[70, 40], [71, 40], [70, 40]]]}),
        (UPLOAD,),
        id="short-ring",
    ),
    pytest.param(
        _json({"type": "Polygon", "coordinates": [[[70, 40], [71, 40], ["x", 41], [70, 40]]]}),
        (UPLOAD,),
        id="coordinate",
    ),
    pytest.param(
        _json(
            {
                "type": "Polygon",
                "coordinates": SQUARE,
                "crs": {"type": "name", "properties": {"name": "EPSG:999999"}},
            }
        ),
        (UPLOAD,),
        id="unknown-epsg",
    ),
    pytest.param(
        _json({"type": "Polygon", "coordinates": SQUARE, "crs": {"type": "link"}}),
        (UPLOAD, "{'type': 'link'}"),
        id="crs-not-understood",
    ),
    pytest.param(_hostile("nan_coordinate.geojson"), ("nan_coordinate.geojson",), id="nan"),
    pytest.param(_hostile("projected_no_crs.geojson"), ("projected_no_crs.geojson",), id="proj"),
    pytest.param(_hostile("swapped_latlon.geojson"), ("swapped_latlon.geojson",), id="swapped"),
    pytest.param(_hostile("vrt_named.geojson"), ("vrt_named.geojson",), id="vrt"),
    pytest.param(_hostile("garbage.geojson"), ("garbage.geojson",), id="binary"),
    pytest.param(_hostile("empty.geojson"), ("empty.geojson",), id="empty"),
    pytest.param(_hostile("bare.shp"), ("bare.shp",), id="bare-shp"),
    pytest.param(
        _upload(b"name,lat,lon\nBatken,40.06,70.82\n"), (UPLOAD, "'name,lat,lon'"), id="csv"
    ),
    pytest.param(_upload(b"%PDF-1.4"), (UPLOAD,), id="pdf"),
    pytest.param(_upload(b"<html><body>hi</body></html>"), (UPLOAD,), id="html"),
    pytest.param(_upload(b"hello"), (UPLOAD, "'hello'"), id="text"),
    # TopoJSON
    pytest.param(_json({"type": "Topology", "objects": {}, "arcs": []}), (UPLOAD,), id="topo"),
    pytest.param(
        _json(
            {"type": "Topology", "objects": {"a": {"type": "Polygon", "arcs": [[5]]}}, "arcs": []}
        ),
        (UPLOAD,),
        id="topo-arc",
    ),
    pytest.param(
        _json(
            {
                "type": "Topology",
                "objects": {"a": {"type": "Polygon", "arcs": [[0]]}},
                "arcs": [[[1, 2]]],
            }
        ),
        (UPLOAD,),
        id="topo-short-arc",
    ),
    # limits
    pytest.param(
        _hostile("districts.gpkg", BoundaryLimits(max_features=2)),
        ("districts.gpkg",),
        id="too-many-features",
    ),
    pytest.param(
        _hostile("districts_shp.zip", BoundaryLimits(max_vertices=6)),
        ("districts_shp.zip",),
        id="too-many-vertices",
    ),
    pytest.param(
        _hostile("quantised.topojson", BoundaryLimits(max_vertices=6)),
        ("quantised.topojson",),
        id="topo-vertices",
    ),
    pytest.param(
        _hostile("mixed.geojson", BoundaryLimits(max_fields=0)),
        ("mixed.geojson",),
        id="too-many-fields",
    ),
    pytest.param(
        _hostile("districts.gpkg", BoundaryLimits(max_bytes=1024)),
        ("districts.gpkg",),
        id="too-large",
    ),
    # GeoPackage
    pytest.param(
        lambda _: read_boundaries(
            _gpkg_with(
                "CREATE VIEW v AS SELECT * FROM districts; UPDATE gpkg_contents SET "
                "table_name = 'v'; UPDATE gpkg_geometry_columns SET table_name = 'v';"
            ),
            name="d.gpkg",
        ),
        (),
        id="gpkg-view",
    ),
    pytest.param(
        lambda _: read_boundaries(_gpkg_with("DROP TABLE gpkg_geometry_columns;"), name="d.gpkg"),
        (),
        id="not-gpkg",
    ),
    pytest.param(
        lambda _: read_boundaries(
            _gpkg_with("UPDATE gpkg_contents SET data_type = 'tiles';"), name="d.gpkg"
        ),
        (),
        id="missing-layer",
    ),
    pytest.param(
        lambda _: read_boundaries(
            _gpkg_with("UPDATE districts SET geom = X'47500001E6100000FFFF' WHERE fid = 3;"),
            name="d.gpkg",
        ),
        ("'geom'",),
        id="gpkg-wkb",
    ),
    pytest.param(
        lambda _: read_boundaries(
            _gpkg_with("UPDATE gpkg_geometry_columns SET srs_id = 12345;"), name="d.gpkg"
        ),
        ("'districts'",),
        id="gpkg-srs",
    ),
    pytest.param(_upload(b"SQLite format 3\x00" + bytes(200), "d.gpkg"), (), id="damaged-sqlite"),
    # zipped Shapefiles
    pytest.param(_upload(b"PK\x03\x04garbage", "d.zip"), (), id="bad-zip"),
    pytest.param(_hostile("bomb_ratio.zip"), ("bomb_ratio.zip", "'bomb.dbf'"), id="zip-bomb"),
    pytest.param(_hostile("bomb_bzip2.zip"), ("bomb_bzip2.zip",), id="zip-declared"),
    pytest.param(_hostile("many_members.zip"), ("many_members.zip",), id="zip-members"),
    pytest.param(_hostile("traversal.zip"), ("traversal.zip", "districts"), id="zip-traversal"),
    pytest.param(_zipped({"a.shp": ".shp", "b.shp": ".shp"}), (), id="two-shapefiles"),
    pytest.param(_zipped({"readme.txt": ".prj"}), ("'readme.txt'",), id="no-shapefile"),
    pytest.param(_zipped({"d.shp": ".shp", "d.shx": ".shx"}), (), id="missing-dbf"),
    pytest.param(_zipped({"d.shp": ".shp"}), (), id="missing-shx-dbf"),
    pytest.param(
        _zipped({"d.shp": ".shp", "d.shx": ".shx", "d.dbf": ".dbf"}), (), id="shp-without-prj"
    ),
    pytest.param(_zipped({"d.shp": ".dbf", "d.shx": ".shx", "d.dbf": ".dbf"}), (), id="bad-shp"),
    # files on disk and files written
    pytest.param(
        lambda tmp: read_boundary_file(tmp / "missing.geojson"), ("missing.geojson",), id="missing"
    ),
    pytest.param(read_boundary_file, (), id="folder"),
    pytest.param(
        lambda tmp: check_target(tmp / "nope" / "map.html"), ("nope", "map.html"), id="w1"
    ),
    pytest.param(check_target, (), id="write-folder"),
]


@pytest.mark.parametrize("lang", ["ky", "ru"])
@pytest.mark.parametrize(("action", "own"), TRANSLATED)
def test_errors_read_in_kyrgyz_and_russian(
    tmp_path: Path, action: Action, own: tuple[str, ...], lang: str
) -> None:
    """Every reader's errors say it all in the reader's language: no English is left but
    names of formats and software, the formats' keywords, and the user's own file name
    and values."""
    with pytest.raises(FlowmapError) as info:
        action(tmp_path)
    error = info.value
    assert isinstance(error.args[0], Message)
    assert error_text(error, "en") == str(error)
    text = error_text(error, lang)
    assert text != str(error)
    seen = text.replace(str(tmp_path), "")
    for value in own:
        seen = seen.replace(value, "")
    assert not english_words(seen), text


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_notes_read_in_kyrgyz_and_russian(lang: str) -> None:
    second = (
        "CREATE TABLE second AS SELECT * FROM districts;"
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id)"
        " VALUES ('second', 'features', 'second', 4326);"
        "INSERT INTO gpkg_geometry_columns VALUES ('second', 'geom', 'POLYGON', 4326, 0, 0);"
    )
    notes = [
        *read("mixed.geojson").notes,
        *read("bowtie.geojson").notes,
        *read("unclosed_ring.geojson").notes,
        *read("districts_utm.gpkg").notes,
        *read_boundaries(_gpkg_with(second), name="two.gpkg").notes,
        *read("districts_shp.zip").notes,
    ]
    assert len(notes) >= 12
    for note in notes:
        assert isinstance(note, Message)
        text = localise(note, lang)
        assert text != note
        for own in ("'districts'", "'second'", "WGS 84 / UTM zone 42N"):  # names in the files
            text = text.replace(own, "")
        assert not english_words(text), text


def test_russian_counts_take_their_plural_forms() -> None:
    mixed = [localise(note, "ru") for note in read("mixed.geojson").notes]
    assert "формат: GeoJSON, 3 объекта" in mixed
    assert "пропущено 2 объекта, не являющихся полигонами (точка: 1, без геометрии: 1)" in mixed
    assert localise(read("bowtie.geojson").notes[0], "ru") == "формат: GeoJSON, 1 объект"
    with pytest.raises(BoundaryFileError) as info:
        read("short_ring.geojson")
    assert "в контуре полигона 2 различные точки, а нужно не меньше 3" in error_text(
        info.value, "ru"
    )
    with pytest.raises(BoundaryFileError) as info:
        read("bomb_ratio.zip")
    assert "увеличивается в 1\u00a0029 раз (предел 200)" in error_text(info.value, "ru")
    forms = {n: msg("geo.vertex_limit", limit=Count(n), n=n).text("ru") for n in (1, 2, 5, 21)}
    assert forms == {
        1: "в файле больше 1 вершины (это предел)",
        2: "в файле больше 2 вершин (это предел)",
        5: "в файле больше 5 вершин (это предел)",
        21: "в файле больше 21 вершины (это предел)",
    }
    assert msg("geo.vertex_limit", limit=Count(5_000_000), n=5_000_000).text("ky") == (
        "файлдагы чокулар 5\u00a0000\u00a0000 чегинен ашат"
    )


def test_every_geo_key_used_is_in_the_catalogue() -> None:
    used: set[str] = set()
    for module in GEO_MODULES:
        source = (SRC / module).read_text(encoding="utf-8")
        assert missing_keys(source) == set(), module
        used |= set(_KEY_USE.findall(source))
    assert len(used) > 150
    # Every geo.* message of the catalogue is used by these modules, and a key that is not
    # in the catalogue is found.
    assert {key for key in MESSAGES if key.startswith("geo.")} <= used
    assert missing_keys('raise BoundaryFileError(msg("geo.no_such_key"))') == {"geo.no_such_key"}
