"""The modelled rows of the build: internal flows split by the gravity model, yearly
departures abroad split by the countries' shares, and each modelled figure's range over the
models' sensitivity."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import pandas as pd

from flowmap.batken.build.reported import _row_key
from flowmap.batken.build.settings import BuildSettings, Key
from flowmap.batken.data import SEXES
from flowmap.batken.model import GravityParams, apportion, gravity_shares, odds_scenarios, shares_of
from flowmap.core.errors import BuildError
from flowmap.text.period import Period
from flowmap.text.places import members


def internal_shares(
    places: pd.DataFrame, populations: Mapping[str, int], settings: BuildSettings
) -> dict[str, float]:
    """Return the gravity-model share of each internal target seen from the focus place.

    Raises
    ------
    BuildError
        If a target or the focus place has no anchor point.
    """
    targets: dict[str, list[tuple[str, float, float]]] = {}
    for target in settings.gravity.targets:
        ids = members(places, target) if places.at[target, "kind"] == "aggregate" else [target]
        targets[target] = [(pid, *_anchor(places, pid)) for pid in ids]
    return gravity_shares(_anchor(places, settings.focus), targets, populations, settings.gravity)


def _anchor(places: pd.DataFrame, pid: str) -> tuple[float, float]:
    """Return ``(lat, lon)`` of a place's anchor point."""
    lat, lon = places.at[pid, "lat"], places.at[pid, "lon"]
    if pd.isna(lat) or pd.isna(lon):
        raise BuildError(f"place {pid!r} has no anchor point (lat/lon) in places.csv")
    return float(lat), float(lon)


def modelled_splits(
    rows: Sequence[Mapping[str, object]],
    whole: str,
    shares: Mapping[str, float],
    *,
    focus: str,
    method: str,
    phrases: Mapping[str, str],
) -> list[dict[str, object]]:
    """Return rows splitting each flow between ``focus`` and ``whole`` by ``shares``.

    ``phrases`` maps the directions to split (``"out"``, ``"in"``) to the words used in the
    note, such as ``"departures to other oblasts"``. Single years are apportioned; for a
    sex other than the total, the last one (female) gets the total's part minus the other
    sex's, so that male + female = total holds for modelled rows too. A multi-year row is
    the sum of its years' parts when every year was split (so that both the years and the
    span add up), else apportioned. Parts that already have a reported row are left out.
    """
    wanted = set(phrases)
    existing = {_row_key(r) for r in rows}
    sources = [
        r
        for r in rows
        if ("out" in wanted and r["origin"] == focus and r["destination"] == whole)
        or ("in" in wanted and r["origin"] == whole and r["destination"] == focus)
    ]
    sources.sort(key=lambda r: (Period.parse(str(r["period"])), SEXES.index(str(r["sex"]))))
    parts_by_key: dict[Key, int] = {}
    out: list[dict[str, object]] = []
    for row in sources:
        period = Period.parse(str(row["period"]))
        total = int(str(row["count"]))
        outward = row["origin"] == focus
        if period.is_year:
            parts = _complement(row, shares, parts_by_key, focus=focus, outward=outward)
            if parts is None:
                parts = apportion(total, shares)
        else:
            parts = {}
            for target in shares:
                year_keys = [
                    (focus, target, str(y), str(row["sex"]), str(row["age"]))
                    if outward
                    else (target, focus, str(y), str(row["sex"]), str(row["age"]))
                    for y in period.years
                ]
                if not all(k in parts_by_key for k in year_keys):
                    parts = apportion(total, shares)
                    break
                parts[target] = sum(parts_by_key[k] for k in year_keys)
        for target, count in parts.items():
            origin, destination = (focus, target) if outward else (target, focus)
            key = (origin, destination, str(period), str(row["sex"]), str(row["age"]))
            if key in existing:
                continue
            parts_by_key[key] = count
            out.append(
                {
                    "origin": origin,
                    "destination": destination,
                    "period": str(period),
                    "sex": row["sex"],
                    "age": row["age"],
                    "count": count,
                    "basis": "modelled",
                    "source_ref": row["source_ref"],
                    "method": method,
                    "note": (
                        f"{shares[target]:.1%} of the {row['basis']} {total} "
                        f"{phrases['out' if outward else 'in']}"
                    ),
                }
            )
    return out


def _complement(
    row: Mapping[str, object],
    shares: Mapping[str, float],
    parts_by_key: Mapping[Key, int],
    *,
    focus: str,
    outward: bool,
) -> dict[str, int] | None:
    """Return the female parts as total minus male, or None where that is not possible."""
    if row["sex"] != SEXES[-1]:
        return None
    parts: dict[str, int] = {}
    for target in shares:
        ends = (focus, target) if outward else (target, focus)
        keys = [(*ends, str(row["period"]), sex, str(row["age"])) for sex in SEXES[:2]]
        if not all(k in parts_by_key for k in keys):
            return None
        parts[target] = parts_by_key[keys[0]] - parts_by_key[keys[1]]
    if any(v < 0 for v in parts.values()) or sum(parts.values()) != int(str(row["count"])):
        return None
    return parts


def country_shares(
    rows: Sequence[Mapping[str, object]], settings: BuildSettings, places: pd.DataFrame
) -> dict[str, float]:
    """Return each country's share of the reported departures abroad over the share period."""
    countries = set(members(places, settings.abroad))
    counts = {
        str(r["destination"]): float(str(r["count"]))
        for r in rows
        if r["origin"] == settings.focus
        and r["destination"] in countries
        and r["period"] == str(settings.country_share_period)
        and r["sex"] == "total"
        and r["age"] == "all"
        and r["basis"] == "reported"
    }
    return shares_of(counts)


def _modelled_rows(
    rows: Sequence[Mapping[str, object]],
    internal: Mapping[str, float],
    countries: Mapping[str, float],
    settings: BuildSettings,
    *,
    gravity: GravityParams | None = None,
) -> list[dict[str, object]]:
    """Return the modelled rows that split ``rows`` (reported and derived) by the internal
    shares and the countries' shares; ``gravity`` only words the method."""
    gravity = gravity or settings.gravity
    out = modelled_splits(
        rows,
        settings.internal_aggregate,
        internal,
        focus=settings.focus,
        method=gravity.describe(),
        phrases={"out": "departures to other oblasts", "in": "arrivals from other oblasts"},
    )
    yearly_abroad = [
        r
        for r in rows
        if r["destination"] == settings.abroad
        and Period.parse(str(r["period"])).is_year
        and r["age"] == "all"
    ]
    out += modelled_splits(
        yearly_abroad,
        settings.abroad,
        countries,
        focus=settings.focus,
        method=settings.abroad_method(countries),
        phrases={"out": "departures abroad"},
    )
    return out


def scenario_counts(
    rows: Sequence[Mapping[str, object]],
    places: pd.DataFrame,
    populations: Mapping[str, int],
    settings: BuildSettings,
) -> list[dict[Key, int]]:
    """Return the modelled counts under every scenario of the models' sensitivity.

    The gravity model runs under each of :meth:`GravityParams.scenarios` (the countries'
    shares fixed), the split abroad under each of :func:`flowmap.batken.model.odds_scenarios`
    (the internal shares fixed); the models' own figures come first. Every scenario
    splits the same reported totals with the same rounding, so its parts add up to them;
    a multi-year part is the sum of its years' parts *in the same scenario*.
    """
    countries = country_shares(rows, settings, places)
    internal = internal_shares(places, populations, settings)
    runs = [
        (internal_shares(places, populations, replace(settings, gravity=g)), countries)
        for g in settings.gravity.scenarios()
    ]
    runs += [(internal, c) for c in odds_scenarios(countries, settings.abroad_odds_factor)[1:]]
    return [
        {_row_key(r): int(str(r["count"])) for r in _modelled_rows(rows, i, c, settings)}
        for i, c in runs
    ]


def _with_ranges(rows: list[dict[str, object]], runs: Sequence[Mapping[Key, int]]) -> None:
    """Set ``low`` and ``high`` of every modelled row: its extremes over ``runs``."""
    for row in rows:
        if row["basis"] != "modelled":
            continue
        values = [run[_row_key(row)] for run in runs]
        row["low"], row["high"] = min(values), max(values)


def _balance_ranges(
    balances: pd.DataFrame, flows: pd.DataFrame, runs: Sequence[Mapping[Key, int]]
) -> pd.DataFrame:
    """Return ``balances`` with ``low`` and ``high`` of every modelled net: the extremes of
    arrivals − departures over ``runs``, both sides taken in the same scenario."""
    point = {
        (r.origin, r.destination, r.period, r.sex, r.age): int(r.count)
        for r in flows.itertuples(index=False)
    }
    lows: list[int | None] = []
    highs: list[int | None] = []
    for row in balances.itertuples(index=False):
        if row.basis != "modelled":
            lows.append(None)
            highs.append(None)
            continue
        back = (row.counterpart, row.place, row.period, row.sex, row.age)
        out = (row.place, row.counterpart, row.period, row.sex, row.age)
        nets = [run.get(back, point[back]) - run.get(out, point[out]) for run in runs]
        lows.append(min(nets))
        highs.append(max(nets))
    frame = balances.copy()
    frame["low"] = pd.array(lows, dtype="Int64")
    frame["high"] = pd.array(highs, dtype="Int64")
    return frame
