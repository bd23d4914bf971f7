"""GeoJSON and TopoJSON files, parsed with the ``json`` module (no GDAL)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
from pyproj import CRS

from flowmap.io._geobase import (
    GEOMETRY_TYPES,
    BoundaryFileError,
    BoundaryLimits,
    RawFeature,
    RawLayer,
    epsg_crs,
    shown,
)
from flowmap.io._polygons import feature_at
from flowmap.io._topojson import decode_topology
from flowmap.text.i18n import Count, Message, msg

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
# The bytes that may follow the ``[`` of a position ``[x, y]`` (in TopoJSON, also of a
# list of arc indexes): the first character of a number.
_NUMBER_START = np.zeros(256, dtype=bool)
_NUMBER_START[list(b"-0123456789")] = True
_CHUNK = 1 << 22
# What the json module says is wrong -> the key of the same reason in the catalogue.
_JSON_REASONS = {
    "Expecting value": "geo.json.reason.value",
    "Expecting property name enclosed in double quotes": "geo.json.reason.name",
    "Expecting ',' delimiter": "geo.json.reason.comma",
    "Expecting ':' delimiter": "geo.json.reason.colon",
    "Unterminated string starting at": "geo.json.reason.unterminated",
    "Invalid control character at": "geo.json.reason.control",
    "Invalid \\escape": "geo.json.reason.escape",
    "Invalid \\uXXXX escape": "geo.json.reason.unicode",
    "Extra data": "geo.json.reason.extra",
}
# The JSON kinds of a value -> the key of their name ("an object", "a list", ...).
_KINDS: dict[type, str] = {
    dict: "geo.json.kind.object",
    list: "geo.json.kind.list",
    str: "geo.json.kind.string",
}


def _parse(data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BoundaryFileError(msg("geo.json.not_utf8", byte=exc.start + 1)) from None
    try:
        return json.loads(text)
    except RecursionError:
        raise BoundaryFileError(msg("geo.json.too_deep")) from None
    except json.JSONDecodeError as exc:
        key = _JSON_REASONS.get(exc.msg)
        reason = msg(key) if key else shown(exc.msg)
        raise BoundaryFileError(
            msg("geo.json.invalid_at", line=exc.lineno, column=exc.colno, reason=reason)
        ) from None
    except ValueError:  # an integer with more digits than Python converts
        raise BoundaryFileError(msg("geo.json.big_number")) from None


def _crs(member: Any) -> tuple[CRS | None, str]:
    """Return the CRS named by a GeoJSON (2008) ``crs`` member, and how it was written."""
    if member is None:
        return None, ""
    if not isinstance(member, Mapping):
        raise BoundaryFileError(msg("geo.crs.not_object", value=shown(member)))
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
        raise BoundaryFileError(msg("geo.crs.name_not_epsg", name=repr(shown(name))))
    raise BoundaryFileError(msg("geo.crs.not_understood", value=shown(member)))


def _kind_of(value: Any) -> Message:
    """Return what kind of JSON value ``value`` is: ``a list``, ``null``, ``a number``…"""
    if value is None:
        return msg("geo.json.kind.null")
    if isinstance(value, bool):
        return msg("geo.json.kind.bool")
    return msg(_KINDS.get(type(value), "geo.json.kind.number"))


def _member(number: int, name: str) -> Message:
    """Return where a message about a member of feature ``number`` points."""
    return msg("geo.at.member", where=feature_at(number), member=repr(name))


def _features(items: list[Any], limits: BoundaryLimits) -> list[RawFeature]:
    if len(items) > limits.max_features:
        raise BoundaryFileError(
            msg(
                "geo.too_many_features",
                count=Count(len(items)),
                limit=Count(limits.max_features),
            )
        )
    features: list[RawFeature] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            where = feature_at(number)
            raise BoundaryFileError(msg("geo.not_object", where=where, kind=_kind_of(item)))
        if item.get("type", "Feature") != "Feature":
            value = repr(shown(item.get("type")))
            raise BoundaryFileError(
                msg("geo.json.not_feature", where=_member(number, "type"), value=value)
            )
        props = item.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, Mapping):
            where = _member(number, "properties")
            raise BoundaryFileError(msg("geo.not_object", where=where, kind=_kind_of(props)))
        geometry = item.get("geometry")
        if geometry is not None and not isinstance(geometry, Mapping):
            where = _member(number, "geometry")
            raise BoundaryFileError(msg("geo.not_object", where=where, kind=_kind_of(geometry)))
        fid = item.get("id")
        if "id" not in props and isinstance(fid, str | int) and not isinstance(fid, bool):
            props = {"id": fid, **props}
        features.append(RawFeature(number, props, geometry))
    return features


def _positions(data: bytes) -> int:
    """Return the number of ``[`` followed by a number (whitespace aside) in ``data``."""
    compact = np.frombuffer(data.translate(None, b" \t\r\n"), dtype=np.uint8)
    count = 0
    for start in range(0, max(len(compact) - 1, 0), _CHUNK):
        chunk = compact[start : start + _CHUNK + 1]
        count += int(np.count_nonzero((chunk[:-1] == ord("[")) & _NUMBER_START[chunk[1:]]))
    return count


def _check_size(data: bytes, limits: BoundaryLimits) -> None:
    """Refuse a JSON text with more positions or values than ``limits`` allow, unparsed.

    Parsing holds every number, string, list and object in memory at once (a position
    ``[70.1, 40.2]`` takes about 120 bytes), so the counts are estimated from the bytes
    first: positions by the ``[`` that start them, values by commas and brackets (an
    upper bound: commas inside strings count too).

    Raises
    ------
    BoundaryFileError
        If the text has more positions than ``limits.max_vertices`` or more values than
        ``limits.max_json_values``.
    """
    brackets = data.count(b"[")
    if brackets > limits.max_vertices and _positions(data) > limits.max_vertices:
        limit = limits.max_vertices
        raise BoundaryFileError(msg("geo.vertex_limit", limit=Count(limit), n=limit))
    values = data.count(b",") + brackets + data.count(b"{") + 1
    if values > limits.max_json_values:
        raise BoundaryFileError(
            msg("geo.json.values", count=Count(values), limit=Count(limits.max_json_values))
        )


def read_json(data: bytes, limits: BoundaryLimits) -> RawLayer:
    """Return the features of a GeoJSON or TopoJSON file.

    Raises
    ------
    BoundaryFileError
        If the text is not JSON, not GeoJSON or TopoJSON, malformed, or exceeds ``limits``.
    """
    _check_size(data, limits)
    value = _parse(data)
    if not isinstance(value, Mapping):
        raise BoundaryFileError(msg("geo.json.not_object", kind=_kind_of(value)))
    kind = value.get("type")
    if kind == "Topology":
        items: list[Any] = decode_topology(value, limits)
        return RawLayer("TopoJSON", _features(items, limits))
    crs, crs_text = _crs(value.get("crs"))
    if kind == "FeatureCollection":
        found = value.get("features")
        if not isinstance(found, list):
            raise BoundaryFileError(msg("geo.json.features_not_list", kind=_kind_of(found)))
        items = found
    elif kind == "Feature":
        items = [value]
    elif isinstance(kind, str) and kind in GEOMETRY_TYPES:
        items = [{"type": "Feature", "properties": {}, "geometry": value}]
    else:
        raise BoundaryFileError(msg("geo.json.bad_type", kind=repr(shown(kind))))
    return RawLayer("GeoJSON", _features(items, limits), crs, crs_text)
