"""User-supplied district boundaries (GeoJSON, GeoPackage, Shapefile or TopoJSON).

No registry package ships the rayon boundaries of Kyrgyzstan, so users may bring their own.
Each feature is drawn as an area and matched by name, in English, Kyrgyz or Russian, to
Batken's districts and cities.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from flowmap.batken.units import KNOWN_UNITS as KNOWN_UNITS
from flowmap.batken.units import UNIT_KEYS as UNIT_KEYS
from flowmap.batken.units import match_unit as match_unit
from flowmap.batken.units import normalise as normalise
from flowmap.batken.units import unit_name as unit_name
from flowmap.io.geoio import (
    DEFAULT_LIMITS,
    Boundaries,
    BoundaryLimits,
    read_boundaries,
    read_boundary_file,
)

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
READABLE = (".geojson", ".json", ".gpkg", ".shp", ".topojson", ".zip")


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
