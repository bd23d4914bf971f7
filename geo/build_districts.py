"""Build ``geo/districts.geojson``: the districts of Batken oblast from geoBoundaries ADM2.

``geo/build_geo.py`` (``make geo``) runs this step after writing ``oblasts.geojson`` and
``border.geojson``; alone: ``.venv/bin/python geo/build_districts.py --districts-source PATH``.
The ADM2 units with more than half their area inside Batken oblast's polygon in
``oblasts.geojson`` are selected (names alone are not trusted), simplified together as a
coverage (shared borders stay shared, holes stay holes), rounded to 4 decimals and written
with sorted features and fixed JSON formatting, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

GEO_DIR = Path(__file__).resolve().parent
SOURCE_NAME = "geoBoundaries-KGZ-ADM2_simplified.geojson"
DEFAULT_SOURCE_TEXT = f"../shared/geo-sources/{SOURCE_NAME}"  # relative to the repository
DEFAULT_SOURCE = GEO_DIR.parent / DEFAULT_SOURCE_TEXT
OUTPUT = "districts.geojson"
BATKEN = "KG-B"

MIN_OVERLAP = 0.5  # share of a unit's area inside Batken oblast for it to be selected
REPORT_OVERLAP = 0.01  # neighbours overlapping more than this are listed in SOURCES.md
TOLERANCE = 0.002  # degrees, shapely.coverage_simplify (Visvalingam-Whyatt)
DECIMALS = 4
LABEL_PRECISION_M = 100.0  # polylabel precision, metres
# Lambert azimuthal equal-area centred on Batken oblast, for areas and label points.
EQUAL_AREA = "+proj=laea +lat_0=40 +lon_0=71 +datum=WGS84 +units=m +no_defs"
TO_METRES = Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True)
TO_DEGREES = Transformer.from_crs(EQUAL_AREA, "EPSG:4326", always_xy=True)

LICENCE = "CC BY-SA 3.0"
LICENCE_URL = "https://creativecommons.org/licenses/by-sa/3.0/"
CITATION = (
    "Runfola, D. et al. (2020) geoBoundaries: A global database of political "
    "administrative boundaries. PLOS ONE 15(4): e0231866. "
    "https://doi.org/10.1371/journal.pone.0231866"
)
ATTRIBUTION = (
    "District boundaries of Batken oblast adapted (selected, simplified, renamed) from "
    "geoBoundaries gbOpen KGZ ADM2 (William & Mary geoLab), licensed under "
    f"{LICENCE} ({LICENCE_URL}). {CITATION}"
)
MAP_ATTRIBUTION = f"Districts: geoBoundaries (Runfola et al. 2020), {LICENCE}, simplified"


@dataclass(frozen=True)
class Unit:
    """A district or city of Batken oblast that the source may hold as a polygon."""

    id: str
    kind: str  # "district" or "city"
    spellings: str  # source ``shapeName`` values meaning this unit, separated by "|"
    name_ky: str
    name_ru: str


# fmt: off
UNITS: tuple[Unit, ...] = tuple(Unit(*row) for row in (
    ("batken-district", "district", "Batken", "Баткен району", "Баткенский район"),
    ("leilek-district", "district", "Leilek|Lailak|Leylek", "Лейлек району", "Лейлекский район"),
    ("kadamjay-district", "district", "Kadamjay|Kadamzhay", "Кадамжай району",
     "Кадамжайский район"),
    ("kyzyl-kiya-city", "city", "City of Kyzyl-Kiya|City of Kyzyl-Kyya|Kyzyl-Kiya|Kyzyl-Kyya",
     "Кызыл-Кыя шаары", "город Кызыл-Кия"),
    ("sulukta-city", "city", "City of Sulukta|City of Suluktu|Sulukta|Suluktu",
     "Сүлүктү шаары", "город Сулюкта"),
    ("batken-city", "city", "City of Batken|Batken City", "Баткен шаары", "город Баткен"),
))
# fmt: on
REQUIRED = ("batken-district", "kadamjay-district", "leilek-district")


@dataclass
class DistrictResult:
    """Figures of one build, for SOURCES.md and stderr."""

    source_sha256: str
    source_bytes: int
    source_units: int
    selected: list[tuple[str, str, str, float, float]]  # id, shapeName, shapeID, share, km²
    neighbours: list[tuple[str, float]]  # shapeName, share inside Batken oblast
    cities_missing: list[str]  # city ids without a polygon of their own in the source
    holes: list[tuple[str, float, float, float, str]]  # id, lon, lat, km², what lies there
    towns: list[str]  # where each Batken town point lies in the source
    vertices: tuple[int, int]  # before, after simplification
    max_shift_m: float
    size: int
    feature_count: int


def _norm(name: str) -> str:
    """Return a spelling key: case-folded, letters and digits only."""
    return "".join(c for c in name.casefold() if c.isalnum())


UNIT_BY_SPELLING = {_norm(s): u for u in UNITS for s in u.spellings.split("|")}


def to_metres(geom: BaseGeometry) -> BaseGeometry:
    """Project a lon/lat geometry to the equal-area plane (metres)."""
    return shapely.transform(geom, lambda xy: np.column_stack(TO_METRES.transform(*xy.T)))


def area_km2(geom: BaseGeometry) -> float:
    """Return the area of a lon/lat geometry in km² on the equal-area projection."""
    return float(to_metres(geom).area) / 1e6


def label_point(geom: BaseGeometry) -> tuple[float, float]:
    """Return a (lon, lat) label point well inside the largest part of a polygon.

    The pole of inaccessibility is found on the equal-area plane, rounded to
    ``DECIMALS`` and checked to lie inside; otherwise a representative point is used.
    """
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon)]
    largest = max(parts, key=lambda p: p.area)
    planar = to_metres(largest)
    assert isinstance(planar, Polygon)
    centre = polylabel(planar, tolerance=LABEL_PRECISION_M)
    lon, lat = TO_DEGREES.transform(centre.x, centre.y)
    point = (round(float(lon), DECIMALS), round(float(lat), DECIMALS))
    if not largest.contains(Point(point)):
        rep = largest.representative_point()
        point = (round(rep.x, DECIMALS), round(rep.y, DECIMALS))
    assert geom.contains(Point(point)), point
    return point


def read_geojson(path: Path) -> list[dict[str, Any]]:
    """Return the features of a GeoJSON FeatureCollection."""
    data = json.loads(path.read_text(encoding="utf-8"))
    features: list[dict[str, Any]] = data["features"]
    return features


def _rounded(value: Any) -> Any:
    """Round nested coordinates to ``DECIMALS`` (as lists; -0.0 becomes 0.0)."""
    if isinstance(value, int | float):
        rounded = round(float(value), DECIMALS)
        return 0.0 if rounded == 0 else rounded
    return [_rounded(v) for v in value]


def write_features(path: Path, features: Sequence[dict[str, Any]]) -> None:
    """Write a compact GeoJSON FeatureCollection, one feature per line (as build_geo)."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def _landmarks(geo_dir: Path) -> list[tuple[str, BaseGeometry]]:
    """Return (label, geometry) of enclaves and towns in ``border.geojson``, if present."""
    path = geo_dir / "border.geojson"
    if not path.exists():
        return []
    labels = {"enclave": "{name_en} enclave ({country})", "centre": "{name_en} town point"}
    return [
        (labels[f["properties"]["kind"]].format(**f["properties"]), shape(f["geometry"]))
        for f in read_geojson(path)
        if f["properties"]["kind"] in labels
    ]


def locate_towns(
    units: Sequence[tuple[str, BaseGeometry]], landmarks: Sequence[tuple[str, BaseGeometry]]
) -> list[str]:
    """Say in which source unit (or hole of one) each town point lies."""
    result = []
    for label, point in landmarks:
        if point.geom_type != "Point":
            continue
        inside = [n for n, g in units if g.covers(point)]
        outlines = [(n, [Polygon(q.exterior) for q in shapely.get_parts(g)]) for n, g in units]
        holed = [n for n, qs in outlines if n not in inside and any(q.covers(point) for q in qs)]
        where = inside or [f"a hole of {n}" for n in holed] or ["no unit"]
        result.append(f"{label.removesuffix(' town point')}: {', '.join(where)}")
    return result


def describe_holes(
    unit_id: str, geom: BaseGeometry, notes: Sequence[tuple[str, BaseGeometry]]
) -> list[tuple[str, float, float, float, str]]:
    """Return (unit id, lon, lat, km², what lies there) for each hole, smallest first."""
    result = []
    rings = [r for part in shapely.get_parts(geom) for r in part.interiors]
    for hole in sorted((Polygon(r) for r in rings), key=lambda h: h.area):
        rep = hole.representative_point()
        what = ", ".join(n for n, g in notes if hole.intersects(g))
        result.append((unit_id, round(rep.x, 3), round(rep.y, 3), round(area_km2(hole), 1), what))
    return result


def build_districts(source: Path, geo_dir: Path, out_dir: Path) -> DistrictResult:
    """Select, simplify and write ``out_dir/districts.geojson``; return figures for SOURCES.md.

    ``source`` is the geoBoundaries KGZ ADM2 GeoJSON; ``geo_dir`` holds ``oblasts.geojson``
    (Batken oblast, id ``KG-B``) and, optionally, ``border.geojson`` (enclaves and town
    points, only used to describe holes in SOURCES.md). Raises ``ValueError`` if a selected
    unit has an unknown name, a required district is missing, or the polygons are not a
    valid coverage before or after simplification.
    """
    raw = source.read_bytes()
    features = json.loads(raw)["features"]
    oblast = next(
        shape(f["geometry"])
        for f in read_geojson(geo_dir / "oblasts.geojson")
        if f["properties"]["id"] == BATKEN
    )
    oblast_m = to_metres(oblast)
    picked: list[tuple[Unit, dict[str, Any], BaseGeometry, float]] = []
    every: list[tuple[str, BaseGeometry]] = []
    neighbours: list[tuple[str, float]] = []
    for f in features:
        props = f["properties"]
        if props.get("shapeType") != "ADM2" or props.get("shapeGroup") != "KGZ":
            raise ValueError(f"{source.name}: not a KGZ ADM2 unit: {props}")
        geom = shape(f["geometry"])
        every.append((props["shapeName"], geom))
        geom_m = to_metres(geom)
        share = float(geom_m.intersection(oblast_m).area / geom_m.area)
        if share <= MIN_OVERLAP:
            if share > REPORT_OVERLAP:
                neighbours.append((props["shapeName"], round(share, 3)))
            continue
        unit = UNIT_BY_SPELLING.get(_norm(props["shapeName"]))
        if unit is None:
            raise ValueError(f"unit {props['shapeName']!r} lies in {BATKEN} but has no names")
        picked.append((unit, props, geom, share))
    picked.sort(key=lambda item: item[0].id)
    ids = [u.id for u, *_ in picked]
    if len(set(ids)) != len(ids) or not set(REQUIRED) <= set(ids):
        raise ValueError(f"selected units {ids}, expected each of {REQUIRED} once")

    originals = [g for *_, g, _ in picked]
    if not shapely.coverage_is_valid(originals):
        raise ValueError(f"{source.name}: the selected polygons overlap")
    simple = shapely.coverage_simplify(originals, TOLERANCE)
    simple = shapely.transform(simple, lambda xy: np.round(xy, DECIMALS))
    simple = shapely.orient_polygons(simple, exterior_cw=False)  # RFC 7946 winding
    holes_before = [int(shapely.get_num_interior_rings(g)) for g in originals]
    holes_after = [int(shapely.get_num_interior_rings(g)) for g in simple]
    if not (shapely.is_valid(simple).all() and shapely.coverage_is_valid(simple)):
        raise ValueError("simplified districts are invalid or overlap")
    if holes_before != holes_after:
        raise ValueError(f"holes changed in simplification: {holes_before} -> {holes_after}")

    out: list[dict[str, Any]] = []
    selected, holes = [], []
    notes = _landmarks(geo_dir)
    for (unit, props, geom, share), geom_out in zip(picked, simple, strict=True):
        km2 = round(area_km2(geom), 1)
        lon, lat = label_point(geom_out)
        properties = {
            "id": unit.id,
            "kind": unit.kind,
            "name_en": props["shapeName"],
            "name_ky": unit.name_ky,
            "name_ru": unit.name_ru,
            "source": props["shapeID"],
            "area_km2": km2,
            "label_lat": lat,
            "label_lon": lon,
        }
        mapped = mapping(geom_out)
        coords = _rounded(mapped["coordinates"])
        geometry = {"type": mapped["type"], "coordinates": coords}
        out.append({"type": "Feature", "properties": properties, "geometry": geometry})
        selected.append((unit.id, props["shapeName"], props["shapeID"], round(share, 3), km2))
        holes.extend(describe_holes(unit.id, geom, notes))

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / OUTPUT
    write_features(path, out)
    shift = max(
        float(to_metres(a).hausdorff_distance(to_metres(b)))
        for a, b in zip(originals, simple, strict=True)
    )
    return DistrictResult(
        source_sha256=hashlib.sha256(raw).hexdigest(),
        source_bytes=len(raw),
        source_units=len(features),
        selected=selected,
        neighbours=sorted(neighbours, key=lambda n: (-n[1], n[0])),
        cities_missing=[u.id for u in UNITS if u.kind == "city" and u.id not in ids],
        towns=locate_towns(every, notes),
        holes=holes,
        vertices=(
            int(shapely.get_num_coordinates(originals).sum()),
            int(shapely.get_num_coordinates(simple).sum()),
        ),
        max_shift_m=round(shift, -1),
        size=path.stat().st_size,
        feature_count=len(out),
    )


def _wrap(text: str, first: str = "  ") -> str:
    """Wrap a Markdown paragraph to 88 columns, continuation lines indented by two."""
    return textwrap.fill(
        text, 88, initial_indent=first, subsequent_indent="  ", break_on_hyphens=False
    )


def sources_section(result: DistrictResult) -> str:
    """Return the SOURCES.md section (Markdown) describing ``districts.geojson``."""
    by_id = {u.id: u for u in UNITS}
    rows = "\n".join(
        f"  | `{uid}` | {name} | {by_id[uid].name_ky} / {by_id[uid].name_ru} | `{sid}` "
        f"| {share:.1%} | {km2:,.1f} |"
        for uid, name, sid, share, km2 in result.selected
    )
    neighbours = ", ".join(f"{name} ({share:.1%})" for name, share in result.neighbours)
    missing = ", ".join(f"{by_id[c].name_ru} (`{c}`)" for c in result.cities_missing)
    holes = "\n".join(
        f"  - `{uid}`: {km2} km² at {lon}E {lat}N" + (f" ({what})" if what else "")
        for uid, lon, lat, km2, what in result.holes
    )
    towns = "; ".join(result.towns) or "not known (no border.geojson)"
    cities = (
        f"- City territories: the file has no polygon of its own for {missing or 'none'}; "
        f"`{OUTPUT}` holds districts only (`kind` `district`); a city polygon in a later "
        "release would be taken with `kind` `city`. Where the GeoNames town points of "
        f"`border.geojson` lie in the file: {towns}."
    )
    source = (
        "- Source: geoBoundaries (William & Mary geoLab), release gbOpen, country KGZ, level "
        f"ADM2, simplified file `{SOURCE_NAME}` ({result.source_units} units), as mirrored "
        "in the public GitHub repository MOWENS117/MOWENS117.github.io (the geoBoundaries "
        "repository itself stores it in Git LFS). No package registry holds it: the file and "
        "its provenance (README.md) are kept in `../shared/geo-sources/`. That README gives "
        f"no release version or date; the file used has {result.source_bytes:,} bytes and "
        f"SHA-256 `{result.source_sha256}`."
    )
    before, after = result.vertices
    return f"""## District polygons (`{OUTPUT}`)

{_wrap(source, "")}
- Licence: {LICENCE}, as recorded in the file's geoBoundaries metadata when it was
  fetched (licence text: {LICENCE_URL});
  gbOpen requires attribution. `{OUTPUT}` is an adaptation of it and is shared
  under the same licence ({LICENCE}, share-alike), not under the project's MIT licence.
- Attribution (to keep with the file and its copies):
{_wrap(ATTRIBUTION)}
- Map attribution: {MAP_ATTRIBUTION}
- Build: `make geo` runs
  `geo/build_geo.py --districts-source {DEFAULT_SOURCE_TEXT}`
  (the default; a given path is relative to the current folder), which calls
  `geo/build_districts.py` after writing `oblasts.geojson`. That script also runs alone,
  with the same option (it then leaves this file as it is). Rebuilds are byte-identical.
- Selection: every ADM2 unit with more than {MIN_OVERLAP:.0%} of its area inside Batken
  oblast's polygon (`oblasts.geojson`, id `{BATKEN}`), areas compared on a Lambert
  azimuthal equal-area projection centred on 40°N 71°E. Names only supply the Kyrgyz and
  Russian names; a selected unit with an unknown name stops the build.

  | id | name in the file | Kyrgyz / Russian | geoBoundaries shapeID | inside KG-B | km² |
  |---|---|---|---|---|---|
{rows}

  Neighbours overlapping the oblast polygon a little (the two sources draw the oblast
  border differently): {neighbours or "none"}.
{_wrap(cities, "")}
- Holes are kept as in the source (Sokh is a gap between the Batken and Kadamjay
  districts, not a hole). What lies in each, from `border.geojson` (Natural Earth
  enclaves, GeoNames town points):
{holes}
- Properties: `id`, `kind`, `name_en` (spelt as in the file), `name_ky`, `name_ru`,
  `source` (geoBoundaries shapeID), `area_km2` (of the unsimplified source polygon,
  holes excluded, on the equal-area projection), `label_lat`/`label_lon` (pole of
  inaccessibility of the largest part, {LABEL_PRECISION_M:g} m precision, inside it).
- Simplification: `shapely.coverage_simplify` of the selected polygons together
  (Visvalingam–Whyatt, tolerance {TOLERANCE}°), so shared borders stay identical and
  no hole is lost; coordinates then rounded to {DECIMALS} decimals. Vertices:
  {before:,} -> {after:,}; largest shift about {result.max_shift_m:,.0f} m.
- Output: {result.feature_count} features, EPSG:4326 longitude/latitude (RFC 7946
  winding), {result.size:,} bytes.
- Caveat: the boundaries predate the 2022–2025 Kyrgyz–Tajik and Kyrgyz–Uzbek border
  agreements and do not follow Natural Earth's oblast outline exactly.
"""


def add_source_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--districts-source PATH`` (shared with ``build_geo.py``) to a parser."""
    parser.add_argument(
        "--districts-source",
        type=Path,
        default=DEFAULT_SOURCE,
        help=f"geoBoundaries KGZ ADM2 GeoJSON (default: {DEFAULT_SOURCE_TEXT} beside the "
        "repository)",
    )


def report(result: DistrictResult) -> None:
    """Print a short summary of a build to stderr."""
    print(f"districts: {[s[:2] for s in result.selected]}", file=sys.stderr)
    print(f"districts: cities without a polygon: {result.cities_missing}", file=sys.stderr)
    print(f"districts: {result.feature_count} features, {result.size} bytes", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Build ``districts.geojson`` alone (``SOURCES.md`` is written by ``build_geo.py``)."""
    parser = argparse.ArgumentParser(description=f"Build geo/{OUTPUT} from geoBoundaries.")
    add_source_option(parser)
    parser.add_argument("--geo-dir", type=Path, default=GEO_DIR, help="has oblasts.geojson")
    parser.add_argument("--out-dir", type=Path, default=GEO_DIR, help="output folder (geo/)")
    args = parser.parse_args(argv)
    report(build_districts(args.districts_source, args.geo_dir, args.out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
