"""The places of a user's table (:func:`read_user_places`), or of its flows alone
(:func:`places_of`), with missing coordinates found in the offline gazetteer
(:func:`find_coordinates`) and swapped ones noted, never swapped."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from flowmap.core.budget import CLI, Budget
from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.io.gazetteer import fill_places
from flowmap.io.land import country_at, on_land, swapped_coordinates
from flowmap.io.problems import HINTS, Problems, _in_column, _quoted, _row, check_choice
from flowmap.io.tables import (
    as_places,
)
from flowmap.io.userdata.columns import _DECIMAL_COMMA, BLANK
from flowmap.io.userdata.detected import PlacesRead
from flowmap.io.userdata.layouts import detect_layout
from flowmap.io.userdata.reader import read_any
from flowmap.text.i18n import Message, msg


def read_user_places(
    source: Path | str | bytes,
    *,
    name: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
    hints: str = "python",
    budget: Budget = CLI,
) -> PlacesRead:
    """Return the places of a table with ``id`` (or only ``name``), ``name``, ``lat`` and
    ``lon`` columns, normalised by :func:`flowmap.io.tables.as_places`.

    Coordinates may be blank (found later in the gazetteer by name or code); ``NaN`` is
    read as blank and noted; a decimal comma (``42,87``) is read as a point.

    Raises
    ------
    DataValidationError
        Naming file, row, column and value: repeated ids, coordinates out of range; or
        naming the file, its header and the option of ``hints`` when its id (or name),
        lat or lon column cannot be found (a column named ``Breite`` is never taken for
        the latitude without ``lat='Breite'``).
    """
    frame, detected = read_any(source, name=name, sheet=sheet, budget=budget)
    label = detected.source
    found, roles = detect_layout(frame, columns=columns, layout="places", source=label, hints=hints)
    absent = [role for role in ("lat", "lon") if role not in roles]
    if absent:  # a places file is given for its coordinates: never ignored silently
        header = [str(c) for c in frame.columns]
        shown = _quoted(header[:20]) + (", …" if len(header) > 20 else "")
        hint = msg(f"user.hint.places.{check_choice('hints', hints, HINTS)}")
        problem = msg("user.places_no_coordinates", roles=_quoted(absent), header=shown, hint=hint)
        raise DataValidationError(label, [problem])
    out = frame.copy()
    notes = Problems(label)
    coordinates = [roles[role] for role in ("lat", "lon") if role in roles]
    nan = np.zeros(len(out), dtype=bool)
    for column in coordinates:
        text = out[column].astype(str).str.strip()
        odd = (text.str.lower().isin(BLANK) & (text != "")).to_numpy()
        notes.add_rows(
            "nan coordinates",
            odd,
            _in_column(column, msg("user.nan_coordinates")),
            text,
        )
        nan |= odd
        comma = text.str.fullmatch(_DECIMAL_COMMA.pattern)
        out[column] = text.where(~comma, text.str.replace(",", ".", regex=False))
    for column in coordinates:  # "NaN" in either makes the pair missing
        out[column] = out[column].where(~nan, "")
    renamed: dict[str, str] = {}
    for role, column in roles.items():
        if column != role:
            renamed[column] = role
    clashing = [role for column, role in renamed.items() if role in out.columns]
    out = out.drop(columns=clashing).rename(columns=renamed)
    if "id" not in roles:
        out["id"] = out["name"]
    places = as_places(out, source=label)
    _swapped(places, f"'{roles['lat']}'/'{roles['lon']}'", notes)
    return PlacesRead(
        places=places,
        detected=replace(detected, layout=found, columns=roles),
        notes=tuple(notes.lines()),
    )


def _swapped(places: pd.DataFrame, columns: str, notes: Problems) -> None:
    """Note the places whose latitude and longitude look swapped, never swapping them: a
    point at sea that swapped is on land (as the data set's places are checked, with
    :func:`flowmap.batken.data.swapped_coordinates`), or a place whose id is a country code
    (``RU``) and that only swapped lies in that country."""
    lat, lon = places["lat"].to_numpy(dtype=float), places["lon"].to_numpy(dtype=float)
    given, flipped = on_land(lat, lon), on_land(lon, lat)
    ids = places["id"].astype(str).str.strip().str.upper().to_numpy()
    coded = np.array([len(i) == 2 and i.isalpha() for i in ids], dtype=bool)
    for i in np.flatnonzero(flipped & (~given | coded)):
        pair = float(lat[i]), float(lon[i])
        detail: str = swapped_coordinates(*pair) if not given[i] else ""
        if not detail and coded[i] and country_at(*pair) != ids[i] == country_at(*pair[::-1]):
            detail = msg("user.swapped_country", lat=f"{pair[0]:g}", lon=f"{pair[1]:g}", id=ids[i])
        if detail:
            line = msg("data.at_columns", where=_row(int(i)), columns=columns, detail=detail)
            notes.add("swapped coordinates", line)


def places_of(flows: pd.DataFrame) -> pd.DataFrame:
    """Return the places of a flows table without a places file: its distinct ids, named
    by themselves, without coordinates (see :func:`find_coordinates`)."""
    ends = pd.concat([flows["origin"], flows["dest"]], ignore_index=True)
    ids = list(dict.fromkeys(str(v) for v in pd.unique(ends)))  # each id once, in order
    frame = pd.DataFrame({"id": ids, "name": ids, "lat": np.nan, "lon": np.nan})
    return as_places(frame)


def find_coordinates(places: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Return places with missing coordinates filled from the offline gazetteer
    (:func:`flowmap.io.gazetteer.fill_places`: by code or name, never a guess), what was
    found (one line) and the places left without coordinates (one line each), the lines
    being :class:`~flowmap.text.i18n.Message` objects. A place whose name is its id (``RU``)
    takes the gazetteer's name (``Russia``), and its Kyrgyz and Russian names in
    ``name_ky`` and ``name_ru`` columns (added when the table has none) for maps in those
    languages."""
    if not (places["lat"].isna() | places["lon"].isna()).any():
        return places, [], []
    try:
        filled, report = fill_places(places.reset_index(drop=True))
    except (ImportError, OSError, FlowmapError) as exc:
        first = exc.args[0] if exc.args else None
        reason = first if isinstance(first, Message) else str(exc).splitlines()[0][:200]
        return places, [], [msg("user.no_gazetteer", reason=reason)]
    # A place named by its code alone (no places file) takes the gazetteer's name.
    found = filled["id"].astype(str).map({pid: m.place.name for pid, m in report.filled.items()})
    bare = (filled["name"].astype(str) == filled["id"].astype(str)) & found.notna()
    filled["name"] = found.where(bare, filled["name"])
    for column in ("name_ky", "name_ru"):  # and its names in Kyrgyz and Russian for the map
        if bare.any() and column not in filled.columns:
            local = {pid: getattr(m.place, column) for pid, m in report.filled.items()}
            filled[column] = filled["id"].astype(str).map(local).where(bare, "").fillna("")
    problems = report.problems().lines()
    found_lines = report.lines()[: -len(problems) or None]
    return as_places(filled, source="places"), found_lines, problems


__all__ = ["find_coordinates", "places_of", "read_user_places"]
