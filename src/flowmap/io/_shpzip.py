"""Zipped Shapefiles, checked member by member and read in memory with pure-Python pyshp.

Nothing is extracted to disk. Before any member is decompressed the archive must pass:
member count, declared total uncompressed size, compression ratio, no absolute or ``..``
member names, no encryption, exactly one ``.shp`` with its ``.shx`` and ``.dbf``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import lzma
import re
import struct
import warnings
import zipfile
import zlib
from typing import Any

import shapefile
from pyproj import CRS

from flowmap.io._files import Megabytes
from flowmap.io._geobase import (
    BoundaryFileError,
    BoundaryLimits,
    RawFeature,
    RawLayer,
    shown,
)
from flowmap.io._polygons import joined
from flowmap.io._shprecords import check_records, record_at, shape_geometry
from flowmap.text.i18n import Count, msg

SHP_MAGIC = b"\x00\x00\x27\x0a"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_MIB = 1024 * 1024
_MAX_SIDECAR = 64 * 1024  # .prj and .cpg are a few hundred bytes
_DBF_CODEPAGES = {0x01: "cp437", 0x02: "cp850", 0x03: "cp1252", 0x26: "cp866", 0x65: "cp866"}
_DBF_CODEPAGES |= {0x57: "", 0xC8: "cp1250", 0xC9: "cp1251", 0x7D: "cp1255", 0x7E: "cp1256"}
# What zipfile raises on damaged archives (RuntimeError: encrypted; NotImplementedError:
# unknown compression or version; the rest: damaged headers or compressed data).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    struct.error,
    NotImplementedError,
    RuntimeError,
    EOFError,
    OSError,
    ValueError,
)
_DRIVE = re.compile(r"^[A-Za-z]:")


def _check_name(name: str) -> None:
    pieces = re.split(r"[/\\]", name)
    if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in pieces or "\x00" in name:
        raise BoundaryFileError(msg("geo.zip.bad_name", name=repr(shown(name))))


def _junk(name: str) -> bool:
    """Return True for macOS resource forks and folder entries, which are ignored."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return name.endswith("/") or name.startswith("__MACOSX/") or base.startswith("._")


def _checked_members(archive: zipfile.ZipFile, limits: BoundaryLimits) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > limits.max_zip_members:
        raise BoundaryFileError(
            msg(
                "geo.zip.members",
                count=Count(len(infos)),
                limit=Count(limits.max_zip_members),
            )
        )
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > limits.max_zip_bytes:
        raise BoundaryFileError(
            msg("geo.zip.declared", size=Megabytes(total), limit=Megabytes(limits.max_zip_bytes))
        )
    for info in [*infos, None]:
        size, small = (info.file_size, info.compress_size) if info else (total, packed)
        if size > _MIB and size > limits.max_zip_ratio * max(small, 1):
            ratio = round(size / max(small, 1))
            values = {
                "ratio": Count(ratio),
                "n": ratio,
                "limit": Count(round(limits.max_zip_ratio)),
            }
            raise BoundaryFileError(
                msg("geo.zip.bomb_member", name=repr(shown(info.filename)), **values)
                if info
                else msg("geo.zip.bomb", **values)
            )
    for info in infos:
        _check_name(info.filename)
        if info.flag_bits & 0x1:
            raise BoundaryFileError(msg("geo.zip.encrypted", name=repr(shown(info.filename))))
    return [i for i in infos if not _junk(i.filename)]


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(info) as member:
            content = member.read(info.file_size + 1)
    except _ZIP_ERRORS:
        raise BoundaryFileError(
            msg("geo.zip.member_damaged", name=repr(shown(info.filename)))
        ) from None
    if len(content) != info.file_size:
        raise BoundaryFileError(msg("geo.zip.member_size", name=repr(shown(info.filename))))
    return content


def read_zip(data: bytes, limits: BoundaryLimits) -> RawLayer:
    """Return the features of the one Shapefile in a zip archive.

    Raises
    ------
    BoundaryFileError
        If the archive breaks a rule (see the module text), is damaged, or the Shapefile
        is damaged or exceeds ``limits``.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        raise BoundaryFileError(msg("geo.zip.damaged")) from None
    with archive:
        files = _checked_members(archive, limits)
        shps = [i for i in files if i.filename.lower().endswith(".shp")]
        if len(shps) != 1:
            listed = joined(repr(shown(i.filename, 40)) for i in (shps or files)[:6])
            raise BoundaryFileError(
                msg("geo.zip.shp_count", count=Count(len(shps)), n=len(shps), members=listed)
            )
        stem = shps[0].filename[:-4].lower()
        parts: dict[str, bytes] = {}
        for ext in PARTS:
            match = [i for i in files if i.filename.lower() == stem + ext]
            if match:
                if ext in (".prj", ".cpg") and match[0].file_size > _MAX_SIDECAR:
                    name = repr(shown(match[0].filename))
                    raise BoundaryFileError(msg("geo.zip.sidecar_big", name=name))
                parts[ext] = _read_member(archive, match[0])
    return read_shapefile(parts, shown(shps[0].filename), limits)


def _encoding(parts: dict[str, bytes], name: str, notes: list[str]) -> str:
    if ".cpg" in parts:
        label = parts[".cpg"].decode("ascii", "replace").strip()
        label = {"utf8": "utf-8", "ansi 1251": "cp1251"}.get(label.lower(), label)
        try:
            return codecs.lookup(label).name
        except (LookupError, ValueError):
            notes.append(msg("geo.shp.note.cpg_unknown", name=name, label=repr(shown(label))))
            return "utf-8"
    dbf = parts[".dbf"]
    codepage = _DBF_CODEPAGES.get(dbf[29], "") if len(dbf) > 29 else ""
    if codepage:
        return codepage
    try:
        dbf[32:].decode("utf-8")
    except UnicodeDecodeError:
        notes.append(msg("geo.shp.note.cp1251", name=name))
        return "cp1251"
    return "utf-8"


def _crs(parts: dict[str, bytes], name: str, notes: list[str]) -> tuple[CRS | None, str]:
    if ".prj" not in parts:
        notes.append(msg("geo.shp.note.no_prj", name=name))
        return None, ""
    text = parts[".prj"].decode("utf-8", "replace").strip()
    try:
        crs = CRS.from_wkt(text)
    except Exception:  # pyproj raises CRSError for text PROJ does not understand
        raise BoundaryFileError(
            msg("geo.shp.prj_bad", name=name, start=repr(shown(text, 40)))
        ) from None
    return crs, shown(crs.name)


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def read_shapefile(parts: dict[str, bytes], name: str, limits: BoundaryLimits) -> RawLayer:
    """Return the features of a Shapefile given as ``{".shp": bytes, ".shx": ..., ...}``.

    Raises
    ------
    BoundaryFileError
        If the ``.shp``, ``.shx`` or ``.dbf`` is missing or damaged, or ``limits`` are
        exceeded.
    """
    missing = [ext for ext in (".shp", ".shx", ".dbf") if ext not in parts]
    if missing:
        raise BoundaryFileError(
            msg("geo.shp.lacks", name=name, missing=joined(missing, key="geo.and"))
        )
    if parts[".shp"][:4] != SHP_MAGIC or len(parts[".shp"]) < 100:
        raise BoundaryFileError(msg("geo.shp.bad_header", name=name))
    notes: list[str] = []
    encoding = _encoding(parts, name, notes)
    crs, crs_text = _crs(parts, name, notes)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyshp warns about padding it could decode
            features = _shapefile_features(parts, encoding, limits, notes)
    except BoundaryFileError:
        raise
    except Exception as exc:  # pyshp raises many types on damaged input: struct.error, ...
        reason = shown(str(exc)) or type(exc).__name__
        raise BoundaryFileError(msg("geo.shp.damaged", name=name, reason=reason)) from None
    return RawLayer("Shapefile", features, crs, crs_text, notes)


def _shapefile_features(
    parts: dict[str, bytes], encoding: str, limits: BoundaryLimits, notes: list[str]
) -> list[RawFeature]:
    shp = parts[".shp"]
    shx_count = max(0, (len(parts[".shx"]) - 100) // 8)
    reader = shapefile.Reader(
        dbf=io.BytesIO(parts[".dbf"]),
        encoding=encoding,
        encodingErrors="replace",
    )
    with reader:
        records = reader.numRecords or 0
        if max(records, shx_count) > limits.max_features:
            raise BoundaryFileError(
                msg(
                    "geo.too_many_features",
                    count=Count(max(records, shx_count)),
                    limit=Count(limits.max_features),
                )
            )
        if records != shx_count:
            raise BoundaryFileError(
                msg("geo.shp.dbf_shx", records=Count(records), shapes=Count(shx_count))
            )
        fields = [f.name for f in reader.fields if f.name != "DeletionFlag"]
        if len(fields) > limits.max_fields:
            limit = limits.max_fields
            raise BoundaryFileError(msg("geo.too_many_fields", limit=Count(limit), n=limit))
        shapes = check_records(shp, parts[".shx"], limits)
        features: list[RawFeature] = []
        deleted = 0
        pairs = zip(shapes, reader.iterRecords(deleted_as_None=True), strict=True)
        for number, (shape, record) in enumerate(pairs, start=1):
            if record is None:
                deleted += 1
                continue
            geometry = shape_geometry(shp, shape, record_at(number))
            props = {f: _value(v) for f, v in zip(fields, list(record), strict=False)}
            features.append(RawFeature(number, props, geometry))
    if deleted:
        notes.append(msg("geo.shp.note.deleted", count=Count(deleted), n=deleted))
    return features
