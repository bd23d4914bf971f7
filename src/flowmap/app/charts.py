"""The app's charts: arrivals, departures and net by year (Table 1) and by sex (Table 2), in
the colours of the map's palette, with numbers written the page language's way.

altair is imported only when a chart is drawn (the app's extra, not the library's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from flowmap.batken import facts
from flowmap.core._escape import printable
from flowmap.core.errors import FlowmapError
from flowmap.render.layer import kind_colours
from flowmap.text import numbers
from flowmap.text.i18n import msg

if TYPE_CHECKING:
    import altair as alt


def yearly_totals(balances: pd.DataFrame, counterpart: str = facts.INTERNAL) -> pd.DataFrame:
    """Return arrivals, departures and net by year (total) with ``counterpart`` (Table 1)."""
    frame = balances[
        (balances["counterpart"] == counterpart)
        & (balances["sex"] == "total")
        & (balances["age"] == "all")
        & ~balances["period"].str.contains("-")
    ]
    out = frame.set_index(frame["period"].astype(int))[["arrivals", "departures", "net"]]
    return out.sort_index()


def yearly_by_sex(balances: pd.DataFrame, counterpart: str = facts.INTERNAL) -> pd.DataFrame:
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
