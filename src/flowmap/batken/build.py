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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from flowmap.batken import facts
from flowmap.batken.article import (
    FLOW_MEASURES,
    Article,
    load_article,
    resolved_figures,
    split_list,
)
from flowmap.batken.data import (
    AGES,
    BALANCE_COLUMNS,
    BALANCE_OPTIONAL,
    BASES,
    FLOW_COLUMNS,
    FLOW_OPTIONAL,
    SEXES,
    _flows_frame,
    load_places,
    load_populations,
)
from flowmap.batken.model import GravityParams, apportion, gravity_shares, odds_scenarios, shares_of
from flowmap.core.errors import BuildError
from flowmap.core.paths import data_dir
from flowmap.io._csvio import render_rows
from flowmap.io._files import write_text
from flowmap.text.period import Period
from flowmap.text.places import members

FOCUS = facts.FOCUS
"""The place whose migration the embedded data describes."""

DERIVED_PERIODS: tuple[Period, ...] = facts.SPANS
"""Spans for which yearly reported flows are summed into derived totals."""

ABROAD = "ABROAD"
COUNTRY_SHARE_PERIOD = facts.ARTICLE_PERIOD

Key = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class BuildSettings:
    """Everything the build needs besides the data: the focus place and the model."""

    focus: str = FOCUS
    internal_aggregate: str = "KG-OTHER"
    gravity: GravityParams = field(default_factory=GravityParams)
    derived_periods: tuple[Period, ...] = DERIVED_PERIODS
    abroad: str = ABROAD
    country_share_period: Period = COUNTRY_SHARE_PERIOD
    abroad_odds_factor: float = 2.0
    """The sensitivity of the split abroad: each country's odds of being the year's
    destination divided and multiplied by this factor
    (:func:`flowmap.batken.model.odds_scenarios`)."""

    def abroad_method(self, shares: Mapping[str, float]) -> str:
        """Return the method text of the modelled yearly flows abroad."""
        parts = ", ".join(f"{k} {v:.1%}" for k, v in shares.items())
        return (
            "abroad-shares-v1: the year's reported departures abroad × each country's share "
            f"of the departures to the five named countries in "
            f"{self.country_share_period.label()} ({parts}; P-ABROAD); assumes those shares "
            "hold in the year and that every departure abroad went to one of these five "
            "countries; largest-remainder rounding so the parts add up to the total; range: "
            "the smallest and largest value with each country's odds of being the destination "
            f"divided and multiplied by {self.abroad_odds_factor:g} (the other countries keeping "
            "their relative sizes), the parts adding up to the total at every setting"
        )


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


def compute_balances(
    flows: pd.DataFrame, focus: str, reported_nets: Mapping[Key, tuple[int, str]] | None = None
) -> pd.DataFrame:
    """Return net migration (arrivals − departures) of ``focus`` with each counterpart.

    A net is ``reported`` when ``reported_nets`` holds a printed figure for its key (which
    must then equal arrivals − departures); otherwise its basis is the weaker of its two
    inputs (reported < derived < modelled), and a net of two reported figures is ``derived``.

    Raises
    ------
    BuildError
        If a printed net differs from the arrivals and departures shipped for it.
    """
    reported_nets = reported_nets or {}
    index = {
        (r.origin, r.destination, r.period, r.sex, r.age): r for r in flows.itertuples(index=False)
    }
    rows: list[dict[str, object]] = []
    problems: list[str] = []
    for (origin, destination, period, sex, age), out in index.items():
        if origin != focus:
            continue
        back = index.get((destination, focus, period, sex, age))
        if back is None:
            continue
        net = int(back.count) - int(out.count)
        key: Key = (focus, destination, period, sex, age)
        printed = reported_nets.get(key)
        if printed is not None and printed[0] != net:
            problems.append(
                f"net {'/'.join(key)}: printed {printed[0]}, but arrivals {back.count} − "
                f"departures {out.count} = {net}"
            )
        if printed is not None:
            basis, source = "reported", printed[1]
        else:
            worst = max(BASES.index(str(back.basis)), BASES.index(str(out.basis)))
            basis = BASES[max(worst, BASES.index("derived"))]
            refs = {*str(back.source_ref).split("; "), *str(out.source_ref).split("; ")}
            source = "; ".join(sorted(refs))
        rows.append(
            {
                "place": focus,
                "counterpart": destination,
                "period": period,
                "sex": sex,
                "age": age,
                "arrivals": int(back.count),
                "departures": int(out.count),
                "net": net,
                "basis": basis,
                "source_ref": source,
                "note": "" if printed else "arrivals − departures",
            }
        )
    if problems:
        raise BuildError("\n".join(problems))
    frame = pd.DataFrame(rows, columns=list(BALANCE_COLUMNS))
    return _sorted(frame, ("place", "counterpart"))


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


def _sorted(frame: pd.DataFrame, ends: tuple[str, str]) -> pd.DataFrame:
    """Return ``frame`` in the canonical order: period (years first), ends, sex, age."""
    periods = frame["period"].map(Period.parse)
    order = pd.DataFrame(
        {
            "span": periods.map(lambda p: p.end - p.start),
            "start": periods.map(lambda p: p.start),
            "a": frame[ends[0]],
            "b": frame[ends[1]],
            "sex": frame["sex"].map(SEXES.index),
            "age": frame["age"].map(AGES.index),
        }
    )
    idx = order.sort_values(["span", "start", "a", "b", "sex", "age"], kind="stable").index
    return frame.loc[idx].reset_index(drop=True)


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
    flows = _sorted(_flows_frame(rows), ("origin", "destination"))
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


__all__ = [
    "BuildSettings",
    "build_tables",
    "compute_balances",
    "rendered_tables",
    "scenario_counts",
    "write_tables",
]
