"""The data set's own schema: the columns of its tables, the values a column allows, and
the limits a table in this schema must keep."""

from __future__ import annotations

import re
from dataclasses import replace

from flowmap.batken.choices import AGES as AGES
from flowmap.batken.choices import SCHEMA_PLACES as SCHEMA_PLACES
from flowmap.batken.choices import SCHEMA_ROWS as SCHEMA_ROWS
from flowmap.batken.choices import SEXES as SEXES
from flowmap.core.budget import Budget

BASES: tuple[str, ...] = ("reported", "derived", "modelled")
PLACE_KINDS: tuple[str, ...] = ("country", "oblast", "city", "district", "aggregate")

PLACE_COLUMNS: tuple[str, ...] = ("id", "kind", "name_en", "name_ky", "name_ru", "parent")
PLACE_OPTIONAL: tuple[str, ...] = ("lat", "lon", "anchor")
FLOW_KEY: tuple[str, ...] = ("origin", "destination", "period", "sex", "age")
FLOW_COLUMNS: tuple[str, ...] = (*FLOW_KEY, "count", "basis", "source_ref")
FLOW_OPTIONAL: tuple[str, ...] = ("method", "note", "low", "high")
RANGE_COLUMNS: tuple[str, ...] = ("low", "high")
"""The range of a modelled figure (flows and balances): its smallest and largest value
under the model's documented sensitivity; empty for reported and derived figures."""
BALANCE_KEY: tuple[str, ...] = ("place", "counterpart", "period", "sex", "age")
BALANCE_COLUMNS: tuple[str, ...] = (
    *BALANCE_KEY,
    "arrivals",
    "departures",
    "net",
    "basis",
    "source_ref",
    "note",
)
BALANCE_OPTIONAL: tuple[str, ...] = RANGE_COLUMNS

_ID_RE = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$")
MAX_COUNT = 10**12
"""Counts must be below this: no migration table counts a trillion people."""


def schema_budget(budget: Budget, rows: int = SCHEMA_ROWS) -> Budget:
    """Return ``budget`` with at most ``rows`` rows (:data:`SCHEMA_ROWS`)."""
    return replace(budget, rows=min(budget.rows, rows))
