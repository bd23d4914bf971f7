"""Shared pieces of the boundary-file readers: limits, raw features (the error type,
:class:`~flowmap.core.errors.BoundaryFileError`, and :func:`shown` are imported from
:mod:`flowmap.core`; importing them from here still works)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pyproj import CRS

from flowmap.core._escape import SHOWN_CHARS, shown
from flowmap.core.errors import BoundaryFileError
from flowmap.text.i18n import msg

__all__ = [
    "GEOMETRY_TYPES",
    "SHOWN_CHARS",
    "BoundaryFileError",
    "BoundaryLimits",
    "RawFeature",
    "RawLayer",
    "epsg_crs",
    "is_lonlat",
    "named_error",
    "shown",
]

GEOMETRY_TYPES = frozenset(
    {
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    }
)
"""The geometry types of GeoJSON, GeoPackage and the Simple Features standard."""


@dataclass(frozen=True)
class BoundaryLimits:
    """The limits a boundary file must stay within; exceeding one is an error.

    Parameters
    ----------
    max_bytes
        Size of the file (of each file, for a Shapefile given as separate files).
    max_features
        Number of features (rows), counted before the geometries are built.
    max_vertices
        Number of coordinate pairs in all geometries together, counted before they are
        built: in a GeoJSON file from the text before it is parsed, in a Shapefile from
        each record's header, in a GeoPackage from each geometry's WKB header.
    max_parts
        Number of rings (outer rings and holes of polygons, or parts of other
        geometries) in all geometries together, counted like ``max_vertices``.
    max_json_values
        Number of values (numbers, strings, lists and objects) in a GeoJSON or TopoJSON
        file, estimated from its commas and brackets before it is parsed: parsing holds
        every value in memory at once.
    max_blob_bytes
        Size of one GeoPackage geometry, checked before it is parsed.
    simplify_above
        Above this many vertices the polygons are simplified (keeping shared borders
        shared) until they have at most this many; a note says so.
    max_zip_members
        Number of entries in a zip archive.
    max_zip_bytes
        Declared total uncompressed size of a zip archive's entries.
    max_zip_ratio
        Uncompressed size divided by compressed size, for the archive and each entry
        larger than 1 MiB (deflate's best ratio on real data is far below this).
    max_fields
        Number of distinct attribute names.
    """

    max_bytes: int = 50 * 1024 * 1024
    max_features: int = 20_000
    max_vertices: int = 600_000
    max_parts: int = 10_000
    max_json_values: int = 2_400_000
    max_blob_bytes: int = 12 * 1024 * 1024
    simplify_above: int = 300_000
    max_zip_members: int = 64
    max_zip_bytes: int = 200 * 1024 * 1024
    max_zip_ratio: float = 200.0
    max_fields: int = 500


@dataclass
class RawFeature:
    """One feature as read from a file, before its geometry is checked.

    Parameters
    ----------
    number
        1-based position in the file, used in messages.
    properties
        Attribute name -> value (any JSON-like value).
    geometry
        A GeoJSON-like geometry mapping (``type`` and ``coordinates`` or
        ``geometries``), or None.
    """

    number: int
    properties: Mapping[str, Any]
    geometry: Mapping[str, Any] | None


@dataclass
class RawLayer:
    """The features of a file, its format and its coordinate reference system."""

    kind: str
    features: list[RawFeature]
    crs: CRS | None = None
    crs_text: str = ""
    notes: list[str] = field(default_factory=list)


def named_error(detail: str, name: str) -> BoundaryFileError:
    """Return the error of the boundary file the user named ``name``: ``detail`` after the
    file's name, as the catalogue message ``geo.named`` (said in any language)."""
    return BoundaryFileError(detail, name, msg("geo.named", name=shown(name), detail=detail))


def epsg_crs(code: int, where: str) -> CRS:
    """Return the CRS with EPSG ``code``, or raise naming ``where`` it was declared.

    Raises
    ------
    BoundaryFileError
        If PROJ does not know the code.
    """
    try:
        return CRS.from_epsg(code)
    except Exception as exc:  # pyproj raises CRSError, or TypeError/OverflowError
        raise BoundaryFileError(msg("geo.crs.epsg_unknown", where=where, code=shown(code))) from exc


def is_lonlat(crs: CRS) -> bool:
    """Return True if ``crs`` is WGS 84 longitude/latitude in either axis order."""
    if crs.to_epsg() == 4326:
        return True
    return bool(crs.equals(CRS.from_epsg(4326), ignore_axis_order=True))
