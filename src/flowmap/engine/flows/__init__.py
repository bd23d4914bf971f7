"""Which flows a map shows: cleaning, selection, aggregation over time, net flows, totals.

Everything works on the normalised tables of :mod:`flowmap.io.tables` (``origin``, ``dest``,
``count``, ``time`` and attribute columns) with vectorised pandas, so that a table of a
million rows is selected and aggregated in about a second.

The parts: :mod:`~flowmap.engine.flows.cleaning` (rows that cannot be drawn),
:mod:`~flowmap.engine.flows.periods` (the one period a map shows),
:mod:`~flowmap.engine.flows.selection` (selection, aggregation, net flows, totals) and
:mod:`~flowmap.engine.flows.sums` (sums that 64-bit integers hold).
"""

from __future__ import annotations

from flowmap.engine.flows.cleaning import Skipped, clean_flows, same_place
from flowmap.engine.flows.periods import (
    MEASURES,
    Coverage,
    PeriodChoice,
    as_period,
    choose_period,
    coverage,
    years_text,
)
from flowmap.engine.flows.selection import (
    DIRECTIONS,
    KINDS,
    Direction,
    location_totals,
    select,
)
from flowmap.engine.flows.sums import check_sums

__all__ = [
    "DIRECTIONS",
    "KINDS",
    "MEASURES",
    "Coverage",
    "Direction",
    "PeriodChoice",
    "Skipped",
    "as_period",
    "check_sums",
    "choose_period",
    "clean_flows",
    "coverage",
    "location_totals",
    "same_place",
    "select",
    "years_text",
]
