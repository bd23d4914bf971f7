"""Load and validate the migration tables: places, flows, net balances, sources, populations.

The model is generic: any origin–destination migration table fits. A *place* has a stable
id (ISO 3166 codes where they exist), a kind, names in English, Kyrgyz and Russian, the
aggregate it belongs to and an anchor point. A *flow* is a count of people moving from an
origin to a destination during a period (one year or a span of years), for a sex and an age
group, with its *basis*: ``reported`` (printed in a source), ``derived`` (arithmetic on
reported figures) or ``modelled`` (an estimate whose ``method`` says how it was made).

Every loader reads its file read-only, collects every problem it finds and raises one
:class:`~flowmap.core.errors.DataValidationError` naming file, row, column and value.

The parts: :mod:`~flowmap.batken.data.schema` (columns, allowed values, limits),
:mod:`~flowmap.batken.data.parse` (reading one cell, recording its problem) and
:mod:`~flowmap.batken.data.loaders` (the loaders).
"""

from flowmap.batken.data.loaders import (
    load_balances,
    load_flows,
    load_places,
    load_populations,
    load_table,
    with_ranges,
)
from flowmap.batken.data.schema import (
    AGES,
    BALANCE_COLUMNS,
    BALANCE_KEY,
    BALANCE_OPTIONAL,
    BASES,
    FLOW_COLUMNS,
    FLOW_KEY,
    FLOW_OPTIONAL,
    MAX_COUNT,
    PLACE_COLUMNS,
    PLACE_KINDS,
    PLACE_OPTIONAL,
    RANGE_COLUMNS,
    SCHEMA_PLACES,
    SCHEMA_ROWS,
    SEXES,
    schema_budget,
)

__all__ = [
    "AGES",
    "BALANCE_COLUMNS",
    "BALANCE_KEY",
    "BALANCE_OPTIONAL",
    "BASES",
    "FLOW_COLUMNS",
    "FLOW_KEY",
    "FLOW_OPTIONAL",
    "MAX_COUNT",
    "PLACE_COLUMNS",
    "PLACE_KINDS",
    "PLACE_OPTIONAL",
    "RANGE_COLUMNS",
    "SCHEMA_PLACES",
    "SCHEMA_ROWS",
    "SEXES",
    "load_balances",
    "load_flows",
    "load_places",
    "load_populations",
    "load_table",
    "schema_budget",
    "with_ranges",
]
