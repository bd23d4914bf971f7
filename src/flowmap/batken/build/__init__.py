"""Build the shipped tables ``data/flows.csv`` and ``data/balances.csv`` from the transcription.

The build is deterministic and is rerun by ``flowmap data build`` (``make data``); a test
checks that the committed files equal a fresh build. It

1. applies the documented resolutions to the transcribed figures,
2. turns arrivals and departures into *reported* flows, one row per key, merging figures
   that agree (their references are all kept) and failing on figures that do not,
3. adds *derived* multi-year totals (the sum over 2014–2023 of yearly figures),
4. adds *modelled* splits: internal flows among Osh city, Bishkek, Chüy and the remaining
   oblasts (gravity model) and yearly departures abroad among the five countries (their
   2014–2023 shares), each row carrying its method,
5. computes net migration per counterpart, marked reported where the article prints it.

The parts: :mod:`~flowmap.batken.build.settings`, :mod:`~flowmap.batken.build.reported`
(steps 1-3 and 5), :mod:`~flowmap.batken.build.modelled` (step 4 and the ranges) and
:mod:`~flowmap.batken.build.tables` (the whole build, and writing its files).
"""

from flowmap.batken.build.modelled import country_shares, internal_shares, scenario_counts
from flowmap.batken.build.reported import (
    compute_balances,
    derived_totals,
    reported_flows,
    reported_net_figures,
)
from flowmap.batken.build.settings import (
    ABROAD,
    COUNTRY_SHARE_PERIOD,
    DERIVED_PERIODS,
    FOCUS,
    BuildSettings,
    Key,
)
from flowmap.batken.build.tables import build_tables, rendered_tables, write_tables

__all__ = [
    "ABROAD",
    "COUNTRY_SHARE_PERIOD",
    "DERIVED_PERIODS",
    "FOCUS",
    "BuildSettings",
    "Key",
    "build_tables",
    "compute_balances",
    "country_shares",
    "derived_totals",
    "internal_shares",
    "rendered_tables",
    "reported_flows",
    "reported_net_figures",
    "scenario_counts",
    "write_tables",
]
