"""The gazetteer's table: ``gazetteer.csv`` (next to the package, built by
``geo/build_gazetteer.py``) read once into an index of codes, names, bare names and
alternate names (no network)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib.resources import files

import pandas as pd

from flowmap.core.errors import FlowmapError
from flowmap.io.gazetteer.entries import Place
from flowmap.io.gazetteer.keys import kind_words, level_of, normalise
from flowmap.text.i18n import msg

TABLE = "gazetteer.csv"

MIN_ALTERNATE = 3
"""Alternate names of fewer letters are never matched ("PA" is not Chongqing)."""

COLUMNS = (
    "id",
    "kind",
    "country",
    "iso3",
    "name",
    "name_ru",
    "name_ky",
    "names",
    "alternates",
    "lat",
    "lon",
    "population",
    "geonameid",
    "anchor",
)
"""Columns of ``gazetteer.csv``; ``names`` and ``alternates`` are ``|``-separated lists."""


@dataclass(frozen=True)
class _Index:
    places: tuple[Place, ...]
    codes: Mapping[str, int]
    names: Mapping[str, tuple[int, ...]]
    bare: Mapping[str, tuple[int, ...]]
    alternates: Mapping[str, tuple[int, ...]]
    countries: Mapping[str, str] = field(default_factory=dict)  # ISO2/ISO3 -> ISO2


def _number(text: str) -> int | None:
    return int(text) if text else None


def _parse(text: str, source: str) -> _Index:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise FlowmapError(msg("user.gaz.bad_table", source=source, columns=str(reader.fieldnames)))
    places: list[Place] = []
    codes: dict[str, int] = {}
    names: dict[str, list[int]] = {}
    bare: dict[str, list[int]] = {}
    alternates: dict[str, list[int]] = {}
    countries: dict[str, str] = {}

    def add(index: dict[str, list[int]], key: str, i: int) -> None:
        if key:
            bucket = index.setdefault(key, [])
            if not bucket or bucket[-1] != i:
                bucket.append(i)

    for i, row in enumerate(reader):
        place = Place(
            id=row["id"],
            kind=row["kind"],
            country=row["country"],
            iso3=row["iso3"],
            name=row["name"],
            name_ru=row["name_ru"],
            name_ky=row["name_ky"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=_number(row["population"]),
            geonameid=_number(row["geonameid"] or (row["id"] if row["id"].isdigit() else "")),
        )
        places.append(place)
        if place.kind in ("country", "region", "oblast") or (
            place.kind == "city" and "-" in place.id
        ):
            codes[place.id.upper()] = i
        if place.kind == "country":
            countries[place.id.upper()] = place.id
            if place.iso3:
                codes[place.iso3.upper()] = i
                countries[place.iso3.upper()] = place.id
        own = [place.name, place.name_ru, place.name_ky, *row["names"].split("|")]
        for j, name in enumerate(own):
            key = normalise(name)
            add(names, key, i)
            if place.kind == "country" or (place.kind == "city" and j == 0):
                continue  # "Mexico City" is not "Mexico"
            # "Osh oblast", "Баткен району", "город Ош" are also found by their bare name.
            for base, kind in kind_words(key):
                if level_of(kind) == level_of(place.kind):
                    add(bare, base, i)
        for name in row["alternates"].split("|"):
            key = normalise(name)
            if len(key.replace(" ", "")) >= MIN_ALTERNATE:
                add(alternates, key, i)
    return _Index(
        places=tuple(places),
        codes=codes,
        names={k: tuple(v) for k, v in names.items()},
        bare={k: tuple(v) for k, v in bare.items()},
        alternates={k: tuple(v) for k, v in alternates.items()},
        countries=countries,
    )


@cache
def _index() -> _Index:
    """Read ``gazetteer.csv`` once (no network)."""
    text = files("flowmap").joinpath(TABLE).read_text(encoding="utf-8")
    return _parse(text, f"flowmap/{TABLE}")


def places() -> pd.DataFrame:
    """Return the whole gazetteer as a table (one row per place, without name lists)."""
    index = _index()
    table = pd.DataFrame([asdict(p) for p in index.places])
    return table.astype({"population": "Int64", "geonameid": "Int64"})


__all__ = ["COLUMNS", "MIN_ALTERNATE", "TABLE", "places"]
