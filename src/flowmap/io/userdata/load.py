"""A user's flows and places read together (:func:`read_user_data`): the flows file in any
layout, the places file (or the flows' own place ids), and missing coordinates found in the
offline gazetteer. Nothing is cleaned or selected here: that is
:func:`flowmap.render.usermap.load_user_data`'s, which makes a map-ready
:class:`~flowmap.render.usermap.UserData` of this."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from flowmap.core.budget import CLI, Budget
from flowmap.io.tables import replaced_in
from flowmap.io.userdata.detected import Detected, FlowsRead
from flowmap.io.userdata.flows import read_user_flows
from flowmap.io.userdata.places import find_coordinates, places_of, read_user_places


@dataclass(frozen=True)
class UserRead:
    """A user's files read: the flows as read (:class:`FlowsRead`), the places (from the
    places file, or the flows' distinct ids; coordinates filled from the gazetteer when
    asked), what was detected in each file, the places left without coordinates and the
    places the gazetteer located (one line each), and how many names and values had
    control or text-direction characters made visible."""

    flows: FlowsRead
    places: pd.DataFrame
    detected: tuple[Detected, ...]
    unlocated: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    replaced: int = 0


def read_user_data(
    flows: Path | str | bytes,
    places: Path | str | bytes | None = None,
    *,
    flows_name: str | None = None,
    places_name: str | None = None,
    flow_columns: Mapping[str, str] | None = None,
    place_columns: Mapping[str, str] | None = None,
    layout: str | None = None,
    sheet: str | None = None,
    gazetteer: bool = True,
    orient: str | None = None,
    hints: str = "python",
    budget: Budget = CLI,
) -> UserRead:
    """Return a user's flows and places read from files or uploaded bytes (the options are
    :func:`flowmap.render.usermap.load_user_data`'s, but ``measure``).

    Raises
    ------
    DataValidationError
        For real errors in either file (see :func:`read_user_flows`).
    """
    read = read_user_flows(
        flows,
        name=flows_name,
        columns=flow_columns,
        layout=layout,
        sheet=sheet,
        orient=orient,
        hints=hints,
        budget=budget,
    )
    notes: list[str] = []
    unlocated: list[str] = []
    detected = [read.detected]
    if places is None:
        place_table = places_of(read.flows)
    else:
        place_read = read_user_places(
            places, name=places_name, columns=place_columns, hints=hints, budget=budget
        )
        place_table = place_read.places
        detected.append(place_read.detected)
        unlocated.extend(place_read.notes)
    replaced = replaced_in(read.flows, place_table)
    if gazetteer:
        place_table, found, missing = find_coordinates(place_table)
        notes.extend(found)
        unlocated.extend(missing)
    return UserRead(
        flows=read,
        places=place_table,
        detected=tuple(detected),
        unlocated=tuple(unlocated),
        notes=tuple(notes),
        replaced=replaced,
    )


__all__ = ["UserRead", "read_user_data"]
