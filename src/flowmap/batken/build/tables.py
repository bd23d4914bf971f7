"""The built tables, and writing them: ``data/flows.csv`` and ``data/balances.csv`` as a
fresh build makes them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from flowmap.batken.article import Article, load_article
from flowmap.batken.balances import compute_balances, sorted_rows
from flowmap.batken.build.modelled import (
    _balance_ranges,
    _modelled_rows,
    _with_ranges,
    country_shares,
    internal_shares,
    scenario_counts,
)
from flowmap.batken.build.reported import (
    derived_totals,
    reported_flows,
    reported_net_figures,
)
from flowmap.batken.build.settings import BuildSettings
from flowmap.batken.data import (
    BALANCE_COLUMNS,
    BALANCE_OPTIONAL,
    FLOW_COLUMNS,
    FLOW_OPTIONAL,
    load_places,
    load_populations,
)
from flowmap.batken.data.loaders import _flows_frame
from flowmap.core.paths import data_dir
from flowmap.io._csvio import render_rows
from flowmap.io._files import write_text


def build_tables(
    article: Article | None = None,
    places: pd.DataFrame | None = None,
    populations: Mapping[str, int] | None = None,
    settings: BuildSettings | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``(flows, balances)`` built from the transcription, resolutions and models.

    Every modelled flow and net gets ``low`` and ``high``: its smallest and largest value
    over the scenarios of :func:`scenario_counts`; reported and derived rows get none.
    """
    article = article if article is not None else load_article()
    places = places if places is not None else load_places()
    populations = populations if populations is not None else load_populations(places=places)
    settings = settings or BuildSettings()
    rows = reported_flows(article)
    rows += derived_totals(rows, settings.derived_periods)
    runs = scenario_counts(rows, places, populations, settings)
    internal = internal_shares(places, populations, settings)
    rows += _modelled_rows(rows, internal, country_shares(rows, settings, places), settings)
    _with_ranges(rows, runs)
    flows = sorted_rows(_flows_frame(rows), ("origin", "destination"))
    balances = compute_balances(flows, settings.focus, reported_net_figures(article))
    return flows, _balance_ranges(balances, flows, runs)


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Return a frame's rows as dicts for CSV writing."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict(orient="records")]


def rendered_tables(folder: Path | None = None) -> dict[Path, str]:
    """Return the text of ``flows.csv`` and ``balances.csv`` as a fresh build writes them."""
    folder = folder or data_dir()
    places = load_places(folder / "places.csv")
    flows, balances = build_tables(
        load_article(folder / "article"),
        places,
        load_populations(folder / "populations.csv", places),
    )
    return {
        folder / "flows.csv": render_rows((*FLOW_COLUMNS, *FLOW_OPTIONAL), _records(flows)),
        folder / "balances.csv": render_rows(
            (*BALANCE_COLUMNS, *BALANCE_OPTIONAL), _records(balances)
        ),
    }


def write_tables(folder: Path | None = None) -> list[Path]:
    """Rebuild and write ``flows.csv`` and ``balances.csv``; return the files that changed."""
    changed: list[Path] = []
    for path, text in rendered_tables(folder).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_text(path, text)
            changed.append(path)
    return changed
