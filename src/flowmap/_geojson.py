"""GeoJSON and TopoJSON files, parsed with the ``json`` module (no GDAL)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from pyproj import CRS

from flowmap._geobase import (
    GEOMETRY_TYPES,
    BoundaryFileError,
    BoundaryLimits,
    RawFeature,
    RawLayer,
    epsg_crs,
    human,
    shown,
)
from flowmap._topojson import decode_topology

_EPSG_NAME = re.compile(
    r"^(?:urn:ogc:def:crs:epsg:[\d.]*:|epsg:{1,2}|https?://www\.opengis\.net/def/crs/epsg/[\d.]+/)"
    r"(\d{1,6})$",
    re.IGNORECASE,
)
_CRS84_NAME = re.compile(
    r"^(?:urn:ogc:def:crs:ogc:[\d.]*:crs84|ogc:crs84|crs84|"
    r"https?://www\.opengis\.net/def/crs/ogc/[\d.]+/crs84)$",
    re.IGNORECASE,
)


def _parse(data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BoundaryFileError(
            f"cannot be read as a boundary file: it starts like JSON but is not UTF-8 text "
            f"(byte {exc.start + 1})"
        ) from None
    try:
        return json.loads(text)
    except RecursionError:
        raise BoundaryFileError(
            "cannot be read as a boundary file: its JSON is nested too deeply"
        ) from None
    except json.JSONDecodeError as exc:
        raise BoundaryFileError(
            "cannot be read as a boundary file: it is not valid JSON "
            f"(line {exc.lineno}, column {exc.colno}: {shown(exc.msg)})"
        ) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise BoundaryFileError(
            f"cannot be read as a boundary file: it is not valid JSON ({shown(str(exc))})"
        ) from None


def _crs(member: Any) -> tuple[CRS | None, str]:
    """Return the CRS named by a GeoJSON (2008) ``crs`` member, and how it was written."""
    if member is None:
        return None, ""
    if not isinstance(member, Mapping):
        raise BoundaryFileError(f"'crs' must be an object, got {shown(member)}")
    props = member.get("properties")
    props = props if isinstance(props, Mapping) else {}
    if member.get("type") == "EPSG" and isinstance(props.get("code"), int):
        return epsg_crs(props["code"], "'crs'"), f"EPSG:{props['code']}"
    name = props.get("name")
    if member.get("type") == "name" and isinstance(name, str):
        if _CRS84_NAME.match(name.strip()):
            return CRS.from_user_input("OGC:CRS84"), shown(name)
        match = _EPSG_NAME.match(name.strip())
        if match:
            return epsg_crs(int(match.group(1)), "'crs'"), shown(name)
        raise BoundaryFileError(
            f"'crs' name {shown(name)!r} is not an EPSG code (such as urn:ogc:def:crs:EPSG::32642)"
        )
    raise BoundaryFileError(
        f"'crs' {shown(member)} is not understood; only named EPSG codes are read"
    )


def _kind_of(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _features(items: list[Any], limits: BoundaryLimits) -> list[RawFeature]:
    if len(items) > limits.max_features:
        raise BoundaryFileError(
            f"has {human(len(items))} features, more than the limit of {human(limits.max_features)}"
        )
    features: list[RawFeature] = []
    for number, item in enumerate(items, start=1):
        where = f"feature {number}"
        if not isinstance(item, Mapping):
            raise BoundaryFileError(f"{where}: must be an object, got {_kind_of(item)}")
        if item.get("type", "Feature") != "Feature":
            raise BoundaryFileError(
                f"{where}, member 'type': expected 'Feature', got {shown(item.get('type'))!r}"
            )
        props = item.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, Mapping):
            raise BoundaryFileError(
                f"{where}, member 'properties': must be an object, got {_kind_of(props)}"
            )
        geometry = item.get("geometry")
        if geometry is not None and not isinstance(geometry, Mapping):
            raise BoundaryFileError(
                f"{where}, member 'geometry': must be an object, got {_kind_of(geometry)}"
            )
        fid = item.get("id")
        if "id" not in props and isinstance(fid, str | int) and not isinstance(fid, bool):
            props = {"id": fid, **props}
        features.append(RawFeature(number, props, geometry))
    return features


def read_json(data: bytes, limits: BoundaryLimits) -> RawLayer:
    """Return the features of a GeoJSON or TopoJSON file.

    Raises
    ------
    BoundaryFileError
        If the text is not JSON, not GeoJSON or TopoJSON, malformed, or exceeds ``limits``.
    """
    if data.count(b"[") > 2 * limits.max_vertices + 4 * limits.max_features:
        raise BoundaryFileError(f"has more than {human(limits.max_vertices)} vertices (the limit)")
    value = _parse(data)
    if not isinstance(value, Mapping):
        raise BoundaryFileError(
            f"cannot be read as a boundary file: it is JSON, but {_kind_of(value)}, "
            "not a GeoJSON or TopoJSON object"
        )
    kind = value.get("type")
    if kind == "Topology":
        items: list[Any] = decode_topology(value, limits)
        return RawLayer("TopoJSON", _features(items, limits))
    crs, crs_text = _crs(value.get("crs"))
    if kind == "FeatureCollection":
        found = value.get("features")
        if not isinstance(found, list):
            raise BoundaryFileError(f"member 'features' must be a list, got {_kind_of(found)}")
        items = found
    elif kind == "Feature":
        items = [value]
    elif isinstance(kind, str) and kind in GEOMETRY_TYPES:
        items = [{"type": "Feature", "properties": {}, "geometry": value}]
    else:
        raise BoundaryFileError(
            "cannot be read as a boundary file: it is JSON, but its 'type' is "
            f"{shown(kind)!r}, not FeatureCollection, Feature, a geometry or Topology"
        )
    return RawLayer("GeoJSON", _features(items, limits), crs, crs_text)
