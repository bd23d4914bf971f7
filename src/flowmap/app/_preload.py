"""Imported by the fork server of :mod:`flowmap.app.worker` only: import the readers and fill
their caches (the gazetteer's index, the languages' number formats) once, so that every
child forked from it reads an upload without paying for them again.

Importing this module reads three tiny tables and one tiny boundary file (about 2 s).
"""

from __future__ import annotations

import gc
import io
import json

import openpyxl  # noqa: F401 (for the children: the XLSX reader imports it when it runs)
import pandas as pd

from flowmap.app.userview import Upload, assign
from flowmap.batken.districts import districts_from_bytes
from flowmap.render.usermap import load_user_data

_TABLE = b"origin,dest,count,year\nKGZ,RUS,5,2023\nKGZ,KAZ,3,2023\n"
_AREA = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Batken"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[70.0, 39.5], [71.0, 39.5], [71.0, 40.0], [70.0, 39.5]]],
            },
        }
    ],
}


def _workbook() -> bytes:
    """Return the tiny table as an XLSX workbook."""
    book = io.BytesIO()
    frame = pd.read_csv(io.BytesIO(_TABLE))
    with pd.ExcelWriter(book, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False)
    return book.getvalue()


def warm() -> None:
    """Read a tiny table (CSV and XLSX) and a tiny boundary file the way the app does."""
    assign([Upload("warm.csv", _TABLE)])
    load_user_data(_TABLE, flows_name="warm.csv", hints="app")
    load_user_data(_workbook(), flows_name="warm.xlsx", hints="app")
    districts_from_bytes("warm.geojson", json.dumps(_AREA).encode("utf-8"))


warm()
# Children never collect what the fork server holds: their garbage collector then leaves
# those pages unwritten (shared with the fork server instead of copied).
gc.freeze()
