"""The option values of reading a user's table (the column names each role takes, the
layouts, how a matrix is read), in a module that imports nothing heavy: the command line's
parser reads them without loading pandas. :mod:`flowmap.io.userdata` exports them too."""

from __future__ import annotations

from collections.abc import Mapping

COLUMN_NAMES: Mapping[str, tuple[str, ...]] = {
    "origin": (
        "origin",
        "orig",
        "from",
        "source",
        "origin_id",
        "from_id",
        "source_id",
        "country_of_origin",
        "origin_country",
        "откуда",
        "место_выбытия",
        "кайдан",
    ),
    "dest": (
        "dest",
        "destination",
        "to",
        "target",
        "dest_id",
        "destination_id",
        "to_id",
        "target_id",
        "country_of_asylum",
        "country_of_destination",
        "destination_country",
        "куда",
        "место_прибытия",
        "кайда",
    ),
    "count": (
        "count",
        "flow",
        "value",
        "n",
        "weight",
        "counts",
        "flows",
        "values",
        "число",
        "количество",
        "сан",
        "саны",
    ),
    "time": ("year", "period", "time", "год", "период", "жыл", "мезгил"),
    "id": ("id", "code", "place_id", "location_id", "iso", "iso3", "iso2"),
    "name": ("name", "label", "place", "place_name", "location"),
    "lat": ("lat", "latitude", "y"),
    "lon": ("lon", "lng", "long", "longitude", "x"),
}
"""For each role, the column names that take it (compared case-insensitively, with spaces,
hyphens and dots read as ``_``), the first that the header has winning."""

LAYOUTS: tuple[str, ...] = ("long", "wide", "matrix", "places")
"""The layouts a table may have; see the module's documentation."""

ORIENTS: tuple[str, ...] = ("rows-are-origins", "rows-are-destinations")
"""How a matrix is read: its rows (the first column's labels) are the origins and its
columns the destinations, or the other way round."""
