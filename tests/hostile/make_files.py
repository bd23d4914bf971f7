"""Rebuild the small hostile and broken boundary files in this folder.

Run ``.venv/bin/python tests/hostile/make_files.py`` from the repository root. The files it
writes are committed; ``tests/test_geoio.py`` reads the committed files, so rebuilding is
only needed when one of them should change. Every file stays under about 100 kB.
"""

from __future__ import annotations

import io
import json
import random
import sqlite3
import struct
import tempfile
import zipfile
from contextlib import closing
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import Polygon

HERE = Path(__file__).resolve().parent
MB = 1024 * 1024

# Batken oblast lies at about 39.5-40.4 N, 69.3-72.0 E.
DISTRICTS = {
    "Лейлек району": [(69.3, 39.7), (70.0, 39.7), (70.0, 40.1), (69.3, 40.1)],
    "Batken": [(70.0, 39.7), (71.0, 39.7), (71.0, 40.1), (70.0, 40.1)],
    "Kadamjay": [(71.0, 39.7), (72.0, 39.7), (72.0, 40.2), (71.0, 40.2)],
}


def feature(name: Any, ring: list[Any], kind: str = "Polygon") -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": kind, "coordinates": [ring]},
    }


def closed(ring: list[tuple[float, float]]) -> list[list[float]]:
    return [list(p) for p in [*ring, ring[0]]]


def collection(*features: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", **extra, "features": list(features)}


def write_json(name: str, value: Any) -> None:
    (HERE / name).write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")


def frame(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    districts = gpd.GeoDataFrame(
        {"name": list(DISTRICTS), "code": ["417-L", "417-B", "417-K"]},
        geometry=[Polygon(r) for r in DISTRICTS.values()],
        crs="EPSG:4326",
    )
    return districts.to_crs(crs)


def gpkg(name: str, crs: str) -> None:
    path = HERE / name
    path.unlink(missing_ok=True)
    frame(crs).to_file(path, driver="GPKG", layer="districts", SPATIAL_INDEX="NO")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("VACUUM")


def shapefile_parts(crs: str) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "districts.shp"
        frame(crs).to_file(path, driver="ESRI Shapefile")
        return {p.suffix: p.read_bytes() for p in Path(folder).iterdir()}


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_of_zeros(name: str, size: int, method: int) -> bytes:
    """Return a zip whose one member is ``size`` zero bytes, compressed in a stream."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive, archive.open(name, "w") as member:
        chunk = bytes(MB)
        for _ in range(size // MB):
            member.write(chunk)
    return buffer.getvalue()


def lying_zip() -> bytes:
    """Return a zip whose member declares 1,000 bytes but inflates to 30 MB."""
    data = bytearray(zip_of_zeros("lie.shp", 30 * MB, zipfile.ZIP_DEFLATED))
    local = data.index(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, 1000)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 1000)
    return bytes(data)


VRT = """<OGRVRTDataSource>
  <OGRVRTLayer name="districts">
    <SrcDataSource relativeToVRT="0">CSV:/etc/passwd</SrcDataSource>
    <SrcSQL dialect="SQLITE">SELECT field_1 AS name FROM passwd</SrcSQL>
  </OGRVRTLayer>
  <OGRVRTLayer name="beacon">
    <SrcDataSource>/vsicurl/http://attacker.invalid/collect</SrcDataSource>
  </OGRVRTLayer>
</OGRVRTDataSource>
"""

HOSTILE_NAMES = [
    "{{ 7*7 }}",
    "{% if 1 %}yes{% endif %}",
    "</script><script>alert(1)</script>",
    "`${alert(1)}`",
]


def main() -> None:
    batken = closed(DISTRICTS["Batken"])
    (HERE / "vrt_named.geojson").write_text(VRT, encoding="utf-8")
    (HERE / "empty.geojson").write_bytes(b"")
    (HERE / "garbage.geojson").write_bytes(random.Random(7).randbytes(2048))
    rings = [
        closed([(69.5 + i * 0.5, 39.7), (69.9 + i * 0.5, 39.7), (69.7 + i * 0.5, 40.0)])
        for i in range(len(HOSTILE_NAMES))
    ]
    write_json(
        "hostile_names.geojson",
        collection(*(feature(n, r) for n, r in zip(HOSTILE_NAMES, rings, strict=True))),
    )
    nan = collection(feature("fine", batken), feature("broken", [*batken[:2], ["NaN", 39.9]]))
    text = json.dumps(nan, ensure_ascii=False).replace('"NaN"', "NaN")
    (HERE / "nan_coordinate.geojson").write_text(text, encoding="utf-8")
    write_json("unclosed_ring.geojson", collection(feature("Batken", batken[:-1])))
    write_json("short_ring.geojson", collection(feature("A", batken), feature("B", batken[:2])))
    bowtie = [[70.0, 39.7], [71.0, 40.1], [71.0, 39.7], [70.0, 40.1], [70.0, 39.7]]
    write_json("bowtie.geojson", collection(feature("Batken", bowtie)))
    write_json(
        "mixed.geojson",
        collection(
            feature("Batken", batken),
            {"type": "Feature", "properties": {"name": "town"}, "geometry": None},
            {
                "type": "Feature",
                "properties": {"name": "Batken town"},
                "geometry": {"type": "Point", "coordinates": [70.82, 40.06]},
            },
        ),
    )
    utm = json.loads(frame("EPSG:32642").to_json())
    write_json("projected_no_crs.geojson", collection(*utm["features"]))
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32642"}}
    write_json("projected_with_crs.geojson", collection(*utm["features"], crs=crs))
    swapped = [[[y, x] for x, y in closed(r)] for r in DISTRICTS.values()]
    write_json(
        "swapped_latlon.geojson",
        collection(*(feature(n, r) for n, r in zip(DISTRICTS, swapped, strict=True))),
    )
    # Two districts sharing one arc (arc 1, used forwards by the first and reversed, as
    # ~1 = -2, by the second), quantised with a transform and delta-encoded. Decoded:
    # arc 0: (70.0, 40.1) (69.3, 40.1) (69.3, 39.7) (70.0, 39.7)
    # arc 1: (70.0, 39.7) (70.0, 40.1), the shared border
    # arc 2: (70.0, 40.1) (71.0, 40.1) (71.0, 39.7) (70.0, 39.7)
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.001, 0.001], "translate": [69.3, 39.7]},
        "objects": {
            "districts": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "Leilek"}},
                    {"type": "Polygon", "arcs": [[-2, -3]], "id": "KG-B-BA"},
                    {"type": "Point", "coordinates": [1520, 360], "properties": {"name": "town"}},
                ],
            }
        },
        "arcs": [
            [[700, 400], [-700, 0], [0, -400], [700, 0]],
            [[700, 0], [0, 400]],
            [[700, 400], [1000, 0], [0, -400], [-1000, 0]],
        ],
    }
    write_json("quantised.topojson", topology)
    gpkg("districts.gpkg", "EPSG:4326")
    gpkg("districts_utm.gpkg", "EPSG:32642")
    injection = HERE / "injection.gpkg"
    injection.write_bytes((HERE / "districts.gpkg").read_bytes())
    evil = 'x"; DROP TABLE gpkg_contents; --'
    with closing(sqlite3.connect(injection)) as conn, conn:
        conn.execute(f'ALTER TABLE districts RENAME TO "{evil.replace(chr(34), chr(34) * 2)}"')
        for table in ("gpkg_contents", "gpkg_geometry_columns"):
            conn.execute(f"UPDATE {table} SET table_name = ?", (evil,))
    parts = shapefile_parts("EPSG:32642")
    (HERE / "districts_shp.zip").write_bytes(
        zip_of({f"districts/districts{ext}": data for ext, data in parts.items()})
    )
    (HERE / "bare.shp").write_bytes(parts[".shp"])
    traversal = {f"../../districts{ext}": data for ext, data in parts.items()}
    (HERE / "traversal.zip").write_bytes(zip_of(traversal))
    many = {f"part{i:03}.txt": b"x" for i in range(100)}
    (HERE / "many_members.zip").write_bytes(zip_of(many, zipfile.ZIP_STORED))
    (HERE / "bomb_bzip2.zip").write_bytes(zip_of_zeros("bomb.shp", 250 * MB, zipfile.ZIP_BZIP2))
    (HERE / "bomb_ratio.zip").write_bytes(zip_of_zeros("bomb.dbf", 60 * MB, zipfile.ZIP_DEFLATED))
    (HERE / "lying_size.zip").write_bytes(lying_zip())
    for path in sorted(HERE.iterdir()):
        if path.suffix != ".py" and path.is_file():
            assert path.stat().st_size < 110_000, path
            print(f"{path.name:28} {path.stat().st_size:>8,} bytes")


if __name__ == "__main__":
    main()
