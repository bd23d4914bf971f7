"""Your own data: the tables people have, read whatever their layout, delimiter, encoding
and container, into the flows and places of :mod:`flowmap.io.tables`.

Layouts (:data:`LAYOUTS`, :mod:`~flowmap.io.userdata.layouts`), detected from the header:

* ``long``: one row per flow, ``origin``, ``dest``, ``count``, optionally a year or period
  column and any attribute columns (the flowmap.blue flows table is one);
* ``wide``: ``origin``, ``dest`` and one count column per year (``1975``, ``1976``, …),
  turned long with a ``year`` column;
* ``matrix``: a square origin–destination matrix, places as row and column labels (the
  first column holds the origins, every other column is a destination);
* ``places``: ``id``, ``name``, ``lat``, ``lon`` (the flowmap.blue locations table).

Columns are found by their usual names in any case (``from``/``to``/``n``,
``Latitude``…, see :data:`COLUMN_NAMES`, :mod:`~flowmap.io.userdata.columns`); an explicit
mapping overrides the detection. Files are comma-, semicolon- or tab-separated text in UTF-8
(with or without a BOM), UTF-16 (with a BOM) or CP1251, optionally gzip-compressed
(:mod:`~flowmap.io.userdata.reader`), or XLSX workbooks (:mod:`~flowmap.io.userdata.xlsx`).
Every cell is read as text, so ids keep their leading zeros and ``*ST`` is an id like any
other.

Odd rows are skipped with a count and the first rows of each kind, never silently and
never as errors: blank or NaN counts (here), self-flows, zero counts and flows whose places
have no coordinates (:func:`flowmap.engine.flows.clean_flows`, counted by
:func:`flowmap.render.usermap.load_user_data`, which makes a map-ready
:class:`~flowmap.render.usermap.UserData` of what :func:`read_user_data` reads). Real errors
(a count of ``abc``, a negative count, a file that is not a table) raise one
:class:`~flowmap.core.errors.DataValidationError` naming file, row, column and value. Input
files are only read.
"""

from __future__ import annotations

from flowmap.io.problems import HINTS
from flowmap.io.userdata.columns import BLANK, COLUMN_NAMES, FLOW_ROLES, PLACE_ROLES
from flowmap.io.userdata.detected import Detected, FlowsRead, PlacesRead
from flowmap.io.userdata.flows import read_user_flows
from flowmap.io.userdata.layouts import (
    LAYOUTS,
    ORIENTS,
    detect_layout,
    is_total,
    matrix_orientation,
)
from flowmap.io.userdata.load import UserRead, read_user_data
from flowmap.io.userdata.places import find_coordinates, places_of, read_user_places
from flowmap.io.userdata.reader import read_any

__all__ = [
    "BLANK",
    "COLUMN_NAMES",
    "FLOW_ROLES",
    "HINTS",
    "LAYOUTS",
    "ORIENTS",
    "PLACE_ROLES",
    "Detected",
    "FlowsRead",
    "PlacesRead",
    "UserRead",
    "detect_layout",
    "find_coordinates",
    "is_total",
    "matrix_orientation",
    "places_of",
    "read_any",
    "read_user_data",
    "read_user_flows",
    "read_user_places",
]
