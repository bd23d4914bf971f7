"""What the app shows, as plain functions: view state and its URL, explanations of empty
selections, the data-coverage grid, chart series and the table behind a map.

``app.py`` only wires Streamlit widgets to these; the tests call them directly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pandas as pd
from pandas.io.formats.style import Styler

from flowmap.batken.article import note_text, source_text
from flowmap.batken.data import with_ranges
from flowmap.batken.dataset import MapData
from flowmap.batken.query import DEFAULT_PERIOD, Selection, drawable_flows, select_flows
from flowmap.core._escape import csv_cell, csv_header, printable, script_json
from flowmap.core.errors import FlowmapError
from flowmap.core.langs import LANGS
from flowmap.render._assets import asset
from flowmap.render.layer import PALETTES, kind_colours
from flowmap.text import numbers
from flowmap.text.i18n import MESSAGES, method_text, msg, t
from flowmap.text.period import Period
from flowmap.text.places import place_name

if TYPE_CHECKING:
    import altair as alt

DESTINATIONS: tuple[str, ...] = ("KG-GO", "KG-GB", "KG-C", "KG-REST", "RU", "UZ", "KZ", "TR", "US")
"""The destinations a user can pick, in display order."""

YEARS: tuple[int, ...] = tuple(range(2013, 2025))
PERIODS: tuple[str, ...] = ("2014-2023",)
DIRECTIONS: tuple[str, ...] = ("out", "in", "net")
SEXES: tuple[str, ...] = ("total", "male", "female")
BASES: tuple[str, ...] = ("reported", "all")
PALETTE_NAMES: tuple[str, ...] = tuple(PALETTES)
"""The colour palettes a user can pick (:data:`flowmap.render.layer.PALETTES`)."""


@dataclass(frozen=True)
class ViewState:
    """Every choice of the app: it is mirrored in the URL and restored from it.

    The defaults are the library's (:data:`flowmap.batken.query.DEFAULT_PERIOD` and the defaults of
    :class:`~flowmap.batken.query.Selection`), so that the app, the command line's exports and
    ``data show`` open on one and the same view.
    """

    lang: str = "en"
    year: int | None = None
    period: str | None = str(DEFAULT_PERIOD)
    dest: tuple[str, ...] = DESTINATIONS
    direction: str = Selection.direction
    sex: str = Selection.sex
    basis: str = Selection.basis
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

    Invalid values fall back to the default of their key; each fallback adds a note that the
    app shows (a :class:`~flowmap.text.i18n.Message`: show it with
    ``localise(note, lang)`` in the page's language). Unknown keys are ignored.
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
        msg("app.bad_query", key=printable(key, 20), value=printable(value, 40))
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
            raise FlowmapError(msg("view.no_colour", series=repr(printable(column, 40))))
        colour = colours[kinds[measure]]
        out.append(_lighter(colour, 0.45) if sex == "female" else colour)
    return out


def year_chart(
    frame: pd.DataFrame,
    colours: Sequence[str],
    lang: str,
    *,
    x_label: str,
    y_label: str,
    series_label: str,
    description: str = "",
) -> alt.Chart:
    """Return a bar chart of ``frame`` (years as the index, one column per series, as from
    :func:`yearly_totals` with the columns named in ``lang``), the series side by side in
    ``colours``, with numbers written the way ``lang`` writes them (``2 000`` on the axis and
    in the tooltips: the chart's number locale is set from :func:`flowmap.text.numbers.symbols`).
    The labels are the axes' and the tooltip's headings, in ``lang``; ``description`` (by
    default ``y_label``) is what a screen reader says of the chart.
    """
    import altair as alt

    series = [str(c) for c in frame.columns]
    # The data's columns carry the headings: the chart's "show data" table shows them.
    year, name, value = x_label, series_label, y_label
    long = frame.set_axis(series, axis=1).rename_axis(year).reset_index()
    long = long.melt(id_vars=year, var_name=name, value_name=value)
    symbols = numbers.symbols(lang)
    locale = alt.Locale(
        number=alt.NumberLocale(
            decimal=symbols["decimal"],
            thousands=symbols["group"],
            grouping=[3],
            currency=["", ""],
            minus=symbols["minus"],
        )
    )
    colour = alt.Color(
        field=_vega_field(name),
        type="nominal",
        scale=alt.Scale(domain=series, range=list(colours)),
        sort=series,
        legend=alt.Legend(title=None, orient="bottom", aria=False),
    )
    chart: alt.Chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(
                field=_vega_field(year), type="ordinal", axis=alt.Axis(labelAngle=0, aria=False)
            ),
            xOffset=alt.XOffset(field=_vega_field(name), type="nominal", sort=series),
            y=alt.Y(
                field=_vega_field(value),
                type="quantitative",
                axis=alt.Axis(format=",d", aria=False),
            ),
            color=colour,
            tooltip=[
                alt.Tooltip(field=_vega_field(year), type="ordinal", title=year),
                alt.Tooltip(field=_vega_field(name), type="nominal", title=name),
                alt.Tooltip(
                    field=_vega_field(value), type="quantitative", title=value, format=",d"
                ),
            ],
        )
        # Vega's own screen-reader texts of axes and legends are English ("X-axis titled
        # …"): they are off (aria=False above), and the chart is described in ``lang``.
        .properties(description=description or y_label)
        .configure(locale=locale)
    )
    return chart


def _vega_field(column: str) -> str:
    """Return a column name as a Vega field (``.``, ``[`` and ``]`` escaped: no nesting)."""
    return re.sub(r"([\\.\[\]])", r"\\\1", column)


def _lighter(colour: str, amount: float) -> str:
    """Return ``#rrggbb`` mixed with white by ``amount`` (0: unchanged, 1: white)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def table_for(drawn: pd.DataFrame, places: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the rows behind a map, for display and CSV, every text cell in ``lang``.

    Places by name, periods as running text writes them (``2019-жыл``), group, basis,
    source (``Table 1``, ``табл. 1``), method and note in the language; the counts stay
    numbers (a loss negative in a net view), and so do the two ends of a modelled figure's
    range (empty for reported and derived figures; a net's range keeps its sign)."""
    columns = {
        "origin": t("tip.from", lang),
        "destination": t("tip.to", lang),
        "period": t("tip.period", lang),
        "sex": t("tip.group", lang),
        "count": t("tip.count", lang),
        "low": t("range.column.low", lang),
        "high": t("range.column.high", lang),
        "basis": t("tip.basis", lang),
        "source_ref": t("tip.source", lang),
        "method": t("tip.method", lang),
        "note": t("tip.note", lang),
    }
    if drawn.empty:
        return pd.DataFrame(columns=list(columns.values()))
    # The same rows as the map: a total is left out when its parts are shown, so that a
    # total and its modelled split are never listed as if they added up.
    drawn = with_ranges(drawable_flows(drawn, places))
    frame = drawn[list(columns)].copy()
    if "direction" in drawn.columns and drawn["note"].str.contains("−", regex=False).any():
        # Net rows: a loss is shown with its sign (the map draws its size).
        loss = (drawn["direction"] == "out").to_numpy()
        frame["count"] = frame["count"].where(~loss, -frame["count"])
    frame["origin"] = [place_name(places, p, lang) for p in frame["origin"]]
    frame["destination"] = [place_name(places, p, lang) for p in frame["destination"]]
    frame["period"] = [numbers.period(str(Period.parse(p)), lang) for p in frame["period"]]
    frame["sex"] = [t("sex." + s, lang) for s in frame["sex"]]
    frame["basis"] = [t("basis." + b, lang) for b in frame["basis"]]
    frame["source_ref"] = [source_text(r, lang) for r in frame["source_ref"]]
    frame["method"] = [method_text(m, lang) for m in frame["method"]]
    frame["note"] = [note_text(n, lang) for n in frame["note"]]
    return frame.rename(columns=columns).reset_index(drop=True)


def shown_table(frame: pd.DataFrame, lang: str) -> Styler:
    """Return a table as the app shows it: numbers written the way ``lang`` writes them.

    Whole numbers are shown ``7 529`` (``numbers.count``), other numbers with up to six
    decimals and a decimal comma in Kyrgyz and Russian (``numbers.number``); the cells stay
    numbers, so a column still sorts by value (Streamlit's ``st.dataframe`` shows a
    :class:`~pandas.io.formats.style.Styler`'s display values). A whole-number column with
    empty cells (a range, which only modelled figures have) is shown as text, its empty
    cells empty.
    """
    if frame.columns.is_unique:
        frame = _blank_missing_whole_numbers(frame, lang)
    style = frame.style
    if not frame.columns.is_unique:
        return style

    def whole(value: int) -> str:
        return numbers.count(int(value), lang) if pd.notna(value) else ""

    def fraction(value: float) -> str:
        finite = pd.notna(value) and math.isfinite(value)
        return numbers.number(value, lang, 6) if finite else ""

    for column in frame.columns:
        dtype = frame[column].dtype
        if pd.api.types.is_bool_dtype(dtype):
            continue
        if pd.api.types.is_integer_dtype(dtype):
            style = style.format(whole, subset=[column])
        elif pd.api.types.is_float_dtype(dtype):
            style = style.format(fraction, subset=[column])
    return style


def _blank_missing_whole_numbers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return ``frame`` with each whole-number column that has missing cells (the range of
    a figure that has none) as text: the numbers written for ``lang``, the missing cells
    empty. Streamlit writes a missing cell as the English word "None" whatever the
    Styler says; a column without missing cells stays numeric and sorts by value."""
    out = frame
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_integer_dtype(values.dtype) and values.isna().any():
            if out is frame:
                out = frame.copy()
            out[column] = [numbers.count(int(v), lang) if pd.notna(v) else "" for v in values]
    return out


def csv_bytes(table: pd.DataFrame) -> bytes:
    """Return a table as UTF-8 CSV for download, with cells and headers a spreadsheet
    would run as formulas (``=``, ``+``, ``-``, ``@``…) escaped and control characters
    shown (:func:`~flowmap.core._escape.csv_cell`, :func:`~flowmap.core._escape.csv_header`);
    numbers stay numbers."""
    safe = table.copy()
    for position in range(safe.shape[1]):
        values = safe.iloc[:, position]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            safe.isetitem(position, values.map(csv_cell))
        elif isinstance(values.dtype, pd.CategoricalDtype):
            safe.isetitem(position, values.astype(object).map(csv_cell))
    header = [csv_header(c) for c in safe.columns]
    text: str = safe.to_csv(index=False, header=header)
    return text.encode("utf-8")


def streamlit_words(lang: str) -> str:
    """Return the HTML (one ``<script>``) that puts the words Streamlit writes itself in
    ``lang``: its skip link, the file uploader's button, size line and file chips, and its
    own labels and pop-ups (``Download as CSV``, ``Choose an option``, ``No results``…:
    the catalogue's ``app.st.ui.*`` messages, whose English is Streamlit's own text).

    The words come from the catalogue, as JSON escaped for ``<script>``; no data is in it.
    The app passes it to ``st.html(..., unsafe_allow_javascript=True)``.
    """
    keys = [key for key in MESSAGES if key.startswith("app.st.ui.")]
    words = {
        "skip": t("app.st.skip", lang),
        "upload": t("app.st.upload", lang),
        "add": t("app.st.ui.add", lang),
        "limit": t("app.st.limit", lang, size="{size}"),
        "units": {u: t(f"app.st.unit.{u.lower()}", lang) for u in ("KB", "MB", "GB")},
        "ui": {t(key, "en"): t(key, lang) for key in keys},
        "prefixes": [
            ["Remove ", t("app.st.remove", lang, name="{name}")],
            ["Help for ", t("app.st.help", lang, name="{name}")],
        ],
    }
    return (
        "<script>(window.flowmap = window.flowmap || {}).streamlitWords = "
        f"{script_json(words)};\n{asset('streamlit_words.js')}</script>"
    )
