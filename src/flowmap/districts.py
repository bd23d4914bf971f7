"""User-supplied district boundaries (GeoJSON, GeoPackage, Shapefile or TopoJSON).

No registry package ships the rayon boundaries of Kyrgyzstan, so users may bring their own.
Each feature is drawn as an area and matched by name, in English, Kyrgyz or Russian, to
Batken's districts and cities.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
from pyogrio import errors as ogr_errors

from flowmap.errors import FlowmapError

# Canonical English name -> names in the three languages (and common spellings).
KNOWN_UNITS: dict[str, tuple[str, ...]] = {
    "Batken district": ("Batken", "Баткен", "Batkenskiy", "Баткенский"),
    "Leilek district": ("Leilek", "Leylek", "Lailak", "Лейлек", "Лейлекский"),
    "Kadamjay district": ("Kadamjay", "Kadamzhay", "Kadamdzhai", "Кадамжай", "Кадамжайский"),
    "Kyzyl-Kiya city": ("Kyzyl-Kiya", "Kyzyl-Kyya", "Кызыл-Кыя", "Кызыл-Кия"),
    "Sulukta city": ("Sulukta", "Suluktu", "Сүлүктү", "Сулюкта"),
}
_NAME_COLUMNS = (
    "name",
    "name_en",
    "name_ky",
    "name_ru",
    "shapename",
    "name_2",
    "district",
    "rayon",
    "raion",
    "adm2_en",
    "adm2_ru",
    "adm2_ky",
    "nl_name_2",
)
_DROP_WORDS = r"\b(district|rayon|raion|region|району|район|районы|city|шаары|город|г)\b"
_READ_ERRORS = (
    ogr_errors.DataSourceError,
    ogr_errors.DataLayerError,
    ogr_errors.FeatureError,
    ogr_errors.FieldError,
    ogr_errors.GeometryError,
    ogr_errors.CRSError,
)
READABLE = (".geojson", ".json", ".gpkg", ".shp", ".topojson", ".zip")


def normalise(name: str) -> str:
    """Return a name folded for matching: no accents, case, 'district' words or punctuation."""
    text = re.sub(_DROP_WORDS, " ", name.casefold())
    text = re.sub(r"(ский|skiy|skii|sky)\b", "", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", text)


_LOOKUP = {normalise(alias): unit for unit, names in KNOWN_UNITS.items() for alias in names}


def match_unit(name: str) -> str:
    """Return the canonical name of the Batken unit called ``name``, or ``""``."""
    return _LOOKUP.get(normalise(name), "")


def load_districts(path: Path | str) -> gpd.GeoDataFrame:
    """Return the district areas of a boundary file, in EPSG:4326, with ``label`` (the name in
    the file) and ``matched`` (the Batken unit it was matched to, or ``""``).

    Raises
    ------
    FlowmapError
        If the file is missing, cannot be read, is empty, has no polygons, or has
        coordinates that are not longitude/latitude and no CRS to convert them.
    """
    path = Path(path)
    if not path.is_file():
        raise FlowmapError(f"districts file {path}: not found")
    if path.suffix.lower() not in READABLE:
        raise FlowmapError(
            f"districts file {path}: unsupported type {path.suffix!r}; use one of "
            + ", ".join(READABLE)
        )
    try:
        frame = gpd.read_file(path)
    except (*_READ_ERRORS, ValueError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FlowmapError(
            f"districts file {path}: cannot be read as a boundary file ({reason})"
        ) from exc
    if frame.empty:
        raise FlowmapError(f"districts file {path}: has no features")
    polygons = frame[frame.geometry.notna() & frame.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polygons.empty:
        kinds = ", ".join(sorted(set(frame.geom_type.dropna()))) or "none"
        raise FlowmapError(f"districts file {path}: has no polygon geometry (found: {kinds})")
    if polygons.crs is None:
        minx, miny, maxx, maxy = polygons.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise FlowmapError(
                f"districts file {path}: has no coordinate reference system and its coordinates "
                "are not longitude/latitude"
            )
        polygons = polygons.set_crs("EPSG:4326")
    polygons = polygons.to_crs("EPSG:4326")
    column = next(
        (c for c in polygons.columns if str(c).casefold() in _NAME_COLUMNS),
        next(
            (c for c in polygons.columns if c != "geometry" and polygons[c].dtype == object), None
        ),
    )
    labels = (
        polygons[column].fillna("").astype(str)
        if column is not None
        else pd.Series([f"#{i + 1}" for i in range(len(polygons))], index=polygons.index)
    )
    return gpd.GeoDataFrame(
        {
            "label": labels.to_list(),
            "matched": [match_unit(label) for label in labels],
        },
        geometry=polygons.geometry.to_list(),
        crs="EPSG:4326",
    )
