"""What the app shows, as plain functions: view state and its URL, explanations of empty
selections, the data-coverage grid, chart series and the table behind a map.

``app.py`` only wires Streamlit widgets to these; the tests call them directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from flowmap._escape import printable, spreadsheet_cell
from flowmap.data import LANGS, Period, place_name
from flowmap.dataset import MapData
from flowmap.errors import FlowmapError
from flowmap.i18n import method_text, t
from flowmap.layer import PALETTES, kind_colours
from flowmap.query import Selection, drawable_flows, select_flows

DESTINATIONS: tuple[str, ...] = ("KG-GO", "KG-GB", "KG-C", "KG-REST", "RU", "UZ", "KZ", "TR", "US")
"""The destinations a user can pick, in display order."""

YEARS: tuple[int, ...] = tuple(range(2013, 2025))
PERIODS: tuple[str, ...] = ("2014-2023",)
DIRECTIONS: tuple[str, ...] = ("out", "in", "net")
SEXES: tuple[str, ...] = ("total", "male", "female")
BASES: tuple[str, ...] = ("reported", "all")
PALETTE_NAMES: tuple[str, ...] = tuple(PALETTES)
"""The colour palettes a user can pick (:data:`flowmap.layer.PALETTES`)."""


@dataclass(frozen=True)
class ViewState:
    """Every choice of the app: it is mirrored in the URL and restored from it."""

    lang: str = "en"
    year: int | None = None
    period: str | None = "2014-2023"
    dest: tuple[str, ...] = DESTINATIONS
    direction: str = "out"
    sex: str = "total"
    basis: str = "all"
    border: bool = True
    tiles: bool = False
    palette: str = "default"
    notes: tuple[str, ...] = field(default=(), compare=False)

    def selection(self, places: pd.DataFrame) -> Selection:
        """Return the library selection of this view (destinations widened to their
        aggregates, so that reported totals such as "other oblasts" stay visible)."""
        period = Period(self.year, self.year) if self.year is not None else None
        if period is None and self.period is not None:
            period = Period.parse(self.period)
        return Selection(
            period=period,
            dest=with_parents(self.dest, places),
            direction=self.direction,
            sex=self.sex,
            age="all",
            basis=self.basis,
        )

    def to_query(self) -> dict[str, str]:
        """Return the URL query parameters of this view."""
        query = {"lang": self.lang}
        if self.year is not None:
            query["year"] = str(self.year)
        elif self.period is not None:
            query["period"] = self.period
        query["dest"] = ",".join(self.dest)
        query.update(direction=self.direction, sex=self.sex, basis=self.basis)
        if not self.border:
            query["border"] = "off"
        if self.tiles:
            query["tiles"] = "on"
        if self.palette != "default":
            query["palette"] = self.palette
        return query


def _first(value: str | Sequence[str] | None) -> str | None:
    """Return a query value (Streamlit gives the last one when a key repeats)."""
    if value is None or isinstance(value, str):
        return value
    return value[-1] if value else None


def state_from_query(query: Mapping[str, str | Sequence[str]]) -> ViewState:
    """Return the view described by URL query parameters.

    Invalid values fall back to the default of their key; each fallback adds a note (in the
    view's language) that the app shows. Unknown keys are ignored.
    """
    default = ViewState()
    problems: list[tuple[str, str]] = []
    lang = _first(query.get("lang"))
    if lang is not None and lang not in LANGS:
        problems.append(("lang", lang))
        lang = None
    state = replace(default, lang=lang or default.lang)

    def choose(key: str, allowed: Sequence[str]) -> str | None:
        value = _first(query.get(key))
        if value is None:
            return None
        if value not in allowed:
            problems.append((key, value))
            return None
        return value

    year_text = _first(query.get("year"))
    period_text = _first(query.get("period"))
    if year_text is not None:
        if re.fullmatch(r"[0-9]{4}", year_text, re.ASCII) and int(year_text) in YEARS:
            state = replace(state, year=int(year_text), period=None)
        else:
            problems.append(("year", year_text))
    if period_text is not None and state.year is None:
        normalised = period_text.replace("–", "-")
        if normalised in PERIODS:
            state = replace(state, period=normalised)
        else:
            problems.append(("period", period_text))
    dest_text = _first(query.get("dest"))
    if dest_text is not None:
        wanted = [d.strip().upper() for d in dest_text.split(",") if d.strip()]
        good = tuple(d for d in DESTINATIONS if d in wanted)
        bad = [d for d in wanted if d not in DESTINATIONS]
        if bad:
            problems.append(("dest", ",".join(bad)))
        if good or not wanted:
            state = replace(state, dest=good)
    direction = choose("direction", DIRECTIONS)
    sex = choose("sex", SEXES)
    basis = choose("basis", BASES)
    state = replace(
        state,
        direction=direction or state.direction,
        sex=sex or state.sex,
        basis=basis or state.basis,
    )
    border = choose("border", ("on", "off"))
    if border is not None:
        state = replace(state, border=border == "on")
    tiles = choose("tiles", ("on", "off"))
    if tiles is not None:
        state = replace(state, tiles=tiles == "on")
    palette = choose("palette", PALETTE_NAMES)
    if palette is not None:
        state = replace(state, palette=palette)
    texts = tuple(
        t("app.bad_query", state.lang, key=printable(key, 20), value=printable(value, 40))
        for key, value in problems
    )
    return replace(state, notes=texts)


def flows_for(data: MapData, state: ViewState) -> pd.DataFrame:
    """Return the flows to draw for a view: none when no destination is chosen."""
    frame = data.selected(state.selection(data.places))
    return frame.iloc[0:0] if not state.dest else frame


def with_parents(dest: Sequence[str], places: pd.DataFrame) -> tuple[str, ...]:
    """Return ``dest`` plus the aggregates its places belong to (Osh city -> other oblasts,
    Russia -> abroad), so that a total the source does not split is still shown."""
    out = list(dest)
    for pid in dest:
        parent = str(places.at[pid, "parent"]) if pid in places.index else ""
        while parent and parent in places.index and places.at[parent, "kind"] == "aggregate":
            if parent not in out:
                out.append(parent)
            parent = str(places.at[parent, "parent"])
    return tuple(out)


def explain(
    flows: pd.DataFrame, state: ViewState, places: pd.DataFrame, drawn: pd.DataFrame
) -> list[str]:
    """Return plain-language notes on what the data cannot show for this view.

    ``drawn`` holds the selected flows (as from :func:`flows_for`). For each chosen
    destination with no line on the map, say so, and say what the source does give for it
    (another period, a total, or modelled estimates).
    """
    lang = state.lang
    selection = state.selection(places)
    period_label = selection.period.label() if selection.period else ""
    notes: list[str] = []
    shown = set(drawable_flows(drawn, places)["counterpart"]) if len(drawn) else set()
    if selection.direction == "net":
        if not shown and state.dest:
            notes.append(t("app.explain.no_net", lang, period=period_label))
        return notes
    for dest in state.dest:
        if dest in shown:
            continue
        name = place_name(places, dest, lang)
        any_basis = select_flows(
            flows,
            replace(selection, dest=(dest,), basis="all", period=None),
        )
        same_period = any_basis[any_basis["period"] == str(selection.period)]
        if not same_period.empty and state.basis == "reported":
            notes.append(t("app.explain.only_modelled", lang, place=name, period=period_label))
            continue
        reported = any_basis[any_basis["basis"] != "modelled"]
        if not reported.empty:
            periods = ", ".join(
                sorted({Period.parse(p).label() for p in reported["period"]}, key=str)
            )
            key = "app.explain.other_periods"
            if selection.period is not None and selection.period.is_year:
                key += "_year"
            notes.append(t(key, lang, place=name, period=period_label, periods=periods))
        else:
            notes.append(t("app.explain.nothing", lang, place=name, period=period_label))
    aggregates = set(with_parents(state.dest, places)) - set(state.dest)
    for agg in sorted(aggregates & shown):
        notes.append(t("app.explain.aggregate", lang, place=place_name(places, agg, lang)))
    return notes


def coverage(flows: pd.DataFrame, places: pd.DataFrame, *, direction: str = "out") -> pd.DataFrame:
    """Return, for each destination and year, the best basis available: ``reported``,
    ``derived``, ``modelled`` or ``""`` (no data). Columns are the years plus the spans."""
    periods = [str(y) for y in YEARS] + list(PERIODS)
    rank = {"reported": 0, "derived": 1, "modelled": 2}
    rows = {}
    for dest in (*DESTINATIONS, "KG-OTHER", "ABROAD"):
        selection = Selection(dest=(dest,), direction=direction, sex="any", age="any")
        rows_for = select_flows(flows, selection)
        best: dict[str, str] = {}
        for row in rows_for.itertuples(index=False):
            current = best.get(row.period)
            if current is None or rank[row.basis] < rank[current]:
                best[row.period] = row.basis
        rows[dest] = [best.get(p, "") for p in periods]
    return pd.DataFrame.from_dict(rows, orient="index", columns=periods)


def yearly_totals(balances: pd.DataFrame, counterpart: str = "KG-OTHER") -> pd.DataFrame:
    """Return arrivals, departures and net by year (total) with ``counterpart`` (Table 1)."""
    frame = balances[
        (balances["counterpart"] == counterpart)
        & (balances["sex"] == "total")
        & (balances["age"] == "all")
        & ~balances["period"].str.contains("-")
    ]
    out = frame.set_index(frame["period"].astype(int))[["arrivals", "departures", "net"]]
    return out.sort_index()


def yearly_by_sex(balances: pd.DataFrame, counterpart: str = "KG-OTHER") -> pd.DataFrame:
    """Return arrivals and departures of men and women by year (Table 2)."""
    frame = balances[
        (balances["counterpart"] == counterpart)
        & balances["sex"].isin(["male", "female"])
        & ~balances["period"].str.contains("-")
    ]
    wide = frame.pivot_table(index="period", columns="sex", values=["arrivals", "departures"])
    wide.columns = [f"{measure}_{sex}" for measure, sex in wide.columns]
    wide.index = wide.index.astype(int)
    return wide.sort_index().astype(int)


def series_colours(columns: Sequence[str], palette: str = "default") -> list[str]:
    """Return the colour of each chart series, as on the map: ``arrivals…`` in the arrivals
    colour, ``departures…`` in the departures colour, ``net`` in the net colour, each in
    ``palette``. Women's series (``…_female``) are a lighter shade of the same colour.

    Raises
    ------
    FlowmapError
        For an unknown palette, or a series that is none of the three.
    """
    colours = kind_colours(palette)
    kinds = {"arrivals": "in", "departures": "out", "net": "net"}
    out: list[str] = []
    for column in columns:
        measure, _, sex = str(column).partition("_")
        if measure not in kinds:
            raise FlowmapError(f"no colour for the chart series {printable(column, 40)!r}")
        colour = colours[kinds[measure]]
        out.append(_lighter(colour, 0.45) if sex == "female" else colour)
    return out


def _lighter(colour: str, amount: float) -> str:
    """Return ``#rrggbb`` mixed with white by ``amount`` (0: unchanged, 1: white)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def table_for(drawn: pd.DataFrame, places: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the rows behind a map, with place names, basis and source, for display/CSV."""
    columns = {
        "origin": t("tip.from", lang),
        "destination": t("tip.to", lang),
        "period": t("tip.period", lang),
        "sex": t("tip.group", lang),
        "count": t("tip.count", lang),
        "basis": t("tip.basis", lang),
        "source_ref": t("tip.source", lang),
        "method": t("tip.method", lang),
        "note": t("tip.note", lang),
    }
    if drawn.empty:
        return pd.DataFrame(columns=list(columns.values()))
    # The same rows as the map: a total is left out when its parts are shown, so that a
    # total and its modelled split are never listed as if they added up.
    drawn = drawable_flows(drawn, places)
    frame = drawn[list(columns)].copy()
    if "direction" in drawn.columns and drawn["note"].str.contains("−", regex=False).any():
        # Net rows: a loss is shown with its sign (the map draws its size).
        loss = (drawn["direction"] == "out").to_numpy()
        frame["count"] = frame["count"].where(~loss, -frame["count"])
    frame["origin"] = [place_name(places, p, lang) for p in frame["origin"]]
    frame["destination"] = [place_name(places, p, lang) for p in frame["destination"]]
    frame["period"] = [Period.parse(p).label() for p in frame["period"]]
    frame["sex"] = [t("sex." + s, lang) for s in frame["sex"]]
    frame["basis"] = [t("basis." + b, lang) for b in frame["basis"]]
    frame["method"] = [method_text(m, lang) for m in frame["method"]]
    return frame.rename(columns=columns).reset_index(drop=True)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """Return a table as UTF-8 CSV for download, with cells a spreadsheet would run as
    formulas (``=``, ``+``, ``-``, ``@``…) escaped; numbers stay numbers."""
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(spreadsheet_cell)
    text: str = safe.to_csv(index=False)
    return text.encode("utf-8")
