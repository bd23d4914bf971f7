"""The reported and derived rows of the build: one flow per key from the transcribed figures
(after the resolutions), multi-year sums, and net migration per counterpart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from flowmap.batken.article import FLOW_MEASURES, Article, resolved_figures, split_list
from flowmap.batken.balances import compute_balances as compute_balances
from flowmap.batken.build.settings import Key
from flowmap.core.errors import BuildError
from flowmap.text.period import Period


def _flow_key(row: pd.Series) -> Key:
    """Return the flow key of a figure: departures leave ``place``, arrivals reach it."""
    if row["measure"] == "departures":
        origin, destination = row["place"], row["counterpart"]
    else:
        origin, destination = row["counterpart"], row["place"]
    return (origin, destination, str(Period.parse(row["period"])), row["sex"], row["age"])


def _ordered(refs: Iterable[str], order: Sequence[str]) -> str:
    """Return the unique references in the order they appear in references.csv."""
    unique = set(refs)
    return "; ".join(r for r in order if r in unique)


def reported_flows(article: Article) -> list[dict[str, object]]:
    """Return one reported flow row per key, merging the figures that agree.

    Raises
    ------
    BuildError
        If two figures with the same key disagree after the resolutions are applied.
    """
    figures = resolved_figures(article)
    order = list(article.references.index)
    is_flow = (
        (figures["unit"] == "persons")
        & figures["measure"].isin(FLOW_MEASURES)
        & (figures["counterpart"] != "")
    )
    grouped: dict[Key, list[pd.Series]] = defaultdict(list)
    for _, row in figures[is_flow].iterrows():
        grouped[_flow_key(row)].append(row)
    notes: dict[Key, list[str]] = defaultdict(list)
    every = article.figures
    for res in article.resolutions.itertuples():
        if res.action not in ("exclude", "relabel"):
            continue
        for fig in split_list(res.figures):
            row = every.loc[fig]
            if row["unit"] != "persons" or row["measure"] not in FLOW_MEASURES:
                continue
            if res.action == "exclude":
                notes[_flow_key(row)].append(
                    f"{row['ref']} prints {row['value']} (not shipped; resolution {res.id})"
                )
            else:
                moved = row.copy()
                moved["period"] = res.new_period
                notes[_flow_key(moved)].append(
                    f"{row['ref']} prints this under {row['period']} (resolution {res.id})"
                )
    rows: list[dict[str, object]] = []
    problems: list[str] = []
    for key, group in grouped.items():
        values = {int(r["value"]) for r in group}
        if len(values) > 1:
            seen = ", ".join(f"{r['fig_id']}={r['value']}" for r in group)
            problems.append(f"flow {'/'.join(key)}: figures disagree ({seen})")
            continue
        rows.append(
            {
                **dict(zip(("origin", "destination", "period", "sex", "age"), key, strict=True)),
                "count": values.pop(),
                "basis": "reported",
                "source_ref": _ordered((r["ref"] for r in group), order),
                "method": "",
                "note": "; ".join(notes.get(key, [])),
            }
        )
    if problems:
        raise BuildError("\n".join(problems))
    return rows


def derived_totals(
    rows: Sequence[Mapping[str, object]], periods: Iterable[Period]
) -> list[dict[str, object]]:
    """Return multi-year totals for flows reported in every year of each period."""
    yearly: dict[tuple[str, str, str, str], dict[int, Mapping[str, object]]] = defaultdict(dict)
    existing = {_row_key(r) for r in rows}
    for row in rows:
        period = Period.parse(str(row["period"]))
        if period.is_year:
            base = (str(row["origin"]), str(row["destination"]), str(row["sex"]), str(row["age"]))
            yearly[base][period.start] = row
    out: list[dict[str, object]] = []
    for period in periods:
        for (origin, destination, sex, age), by_year in yearly.items():
            if not all(y in by_year for y in period.years):
                continue
            if (origin, destination, str(period), sex, age) in existing:
                continue
            refs = sorted({str(by_year[y]["source_ref"]).split("; ")[0] for y in period.years})
            out.append(
                {
                    "origin": origin,
                    "destination": destination,
                    "period": str(period),
                    "sex": sex,
                    "age": age,
                    "count": sum(int(str(by_year[y]["count"])) for y in period.years),
                    "basis": "derived",
                    "source_ref": "; ".join(refs),
                    "method": f"sum-v1: sum of the yearly figures {period.label()}",
                    "note": "",
                }
            )
    return out


def _row_key(row: Mapping[str, object]) -> Key:
    """Return the key of a flow row."""
    return (
        str(row["origin"]),
        str(row["destination"]),
        str(row["period"]),
        str(row["sex"]),
        str(row["age"]),
    )


def reported_net_figures(article: Article) -> dict[Key, tuple[int, str]]:
    """Return the printed net figures (after resolutions) by balance key."""
    figures = resolved_figures(article)
    nets = figures[(figures["measure"] == "net") & (figures["unit"] == "persons")]
    out: dict[Key, tuple[int, str]] = {}
    for _, row in nets.iterrows():
        key = (
            row["place"],
            row["counterpart"],
            str(Period.parse(row["period"])),
            row["sex"],
            row["age"],
        )
        out[key] = (int(row["value"]), str(row["ref"]))
    return out
