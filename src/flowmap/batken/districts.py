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

from flowmap.core._escape import printable
from flowmap.core.errors import FlowmapError
from flowmap.io.geoio import (
    DEFAULT_LIMITS,
    Boundaries,
    BoundaryLimits,
    read_boundaries,
    read_boundary_file,
)
from flowmap.text.i18n import msg, t

# Canonical English name -> names in the three languages (and common spellings).
KNOWN_UNITS: dict[str, tuple[str, ...]] = {
    "Batken district": ("Batken", "Баткен", "Batkenskiy", "Баткенский"),
    "Leilek district": ("Leilek", "Leylek", "Lailak", "Лейлек", "Лейлекский"),
    "Kadamjay district": ("Kadamjay", "Kadamzhay", "Kadamdzhai", "Кадамжай", "Кадамжайский"),
    "Kyzyl-Kiya city": ("Kyzyl-Kiya", "Kyzyl-Kyya", "Кызыл-Кыя", "Кызыл-Кия"),
    "Sulukta city": ("Sulukta", "Suluktu", "Сүлүктү", "Сулюкта"),
}
UNIT_KEYS: dict[str, str] = {
    "Batken district": "app.unit.batken",
    "Leilek district": "app.unit.leilek",
    "Kadamjay district": "app.unit.kadamjay",
    "Kyzyl-Kiya city": "app.unit.kyzyl_kiya",
    "Sulukta city": "app.unit.sulukta",
}
"""The catalogue key of each unit's name (:data:`KNOWN_UNITS`), for :func:`unit_name`."""
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


def unit_name(unit: str, lang: str = "en") -> str:
    """Return a matched unit's name (a key of :data:`KNOWN_UNITS`, as in the ``matched``
    column) as readers of ``lang`` write it (``Лейлекский район``); ``""`` stays ``""``.

    Raises
    ------
    FlowmapError
        If ``unit`` is not a known unit or ``lang`` is not a language of the catalogue.
    """
    if not unit:
        return ""
    if unit not in UNIT_KEYS:
        raise FlowmapError(msg("app.unit.unknown", unit=printable(unit, 60)))
    return t(UNIT_KEYS[unit], lang)


def _districts(boundaries: Boundaries) -> gpd.GeoDataFrame:
    """Return ``label``, ``matched`` and geometry of the polygons read from a file."""
    polygons = boundaries.frame
    attributes = [c for c in polygons.columns if c != "geometry"]
    column = next(
        (c for c in attributes if str(c).casefold() in _NAME_COLUMNS),
        next((c for c in attributes if (polygons[c] != "").any()), None),
    )
    labels = (
        [str(v) for v in polygons[column]]
        if column is not None
        else [f"#{i + 1}" for i in range(len(polygons))]
    )
    districts = gpd.GeoDataFrame(
        {"label": labels, "matched": [match_unit(label) for label in labels]},
        geometry=polygons.geometry.to_list(),
        crs="EPSG:4326",
    )
    districts.attrs["notes"] = list(boundaries.notes)
    return districts


def load_districts(path: Path | str, limits: BoundaryLimits = DEFAULT_LIMITS) -> gpd.GeoDataFrame:
    """Return the district areas of a boundary file, in EPSG:4326, with ``label`` (the name in
    the file) and ``matched`` (the Batken unit it was matched to, or ``""``).

    The file is read by :func:`flowmap.io.geoio.read_boundary_file` (never by GDAL): its format
    is recognised by content, and ``attrs["notes"]`` of the result says what was detected.

    Parameters
    ----------
    path
        The file.
    limits
        Sizes the file must stay within (:data:`flowmap.io.geoio.DEFAULT_LIMITS`).

    Raises
    ------
    FlowmapError
        If the file is missing, not a regular file, too large, not an accepted format,
        cannot be read, is empty, has no polygons, or has coordinates that are not
        longitude/latitude and no CRS to convert them.
    """
    return _districts(read_boundary_file(path, limits=limits))


def districts_from_bytes(
    name: str, content: bytes, limits: BoundaryLimits = DEFAULT_LIMITS
) -> gpd.GeoDataFrame:
    """Return the district areas of an uploaded boundary file, like :func:`load_districts`.

    Parameters
    ----------
    name
        The file name the user gave (used in messages only; nothing is written to disk).
    content
        The file's bytes.
    limits
        Sizes the file must stay within; the app passes the smaller
        :data:`flowmap.io.geoio.APP_LIMITS`.

    Raises
    ------
    FlowmapError
        As :func:`load_districts`; messages name the file by ``name``.
    """
    return _districts(read_boundaries(content, name=name, limits=limits))
