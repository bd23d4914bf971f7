"""The table behind a map, as the app shows it and lets a reader download it: every text
cell in the page's language, numbers written its way (kept numbers in a data grid, or an
escaped HTML table), and CSV cells that a spreadsheet would run as formulas escaped."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import cast

import pandas as pd
from pandas.io.formats.style import Styler

from flowmap.batken.article import note_text, source_text
from flowmap.batken.data import with_ranges
from flowmap.batken.query import drawable_flows
from flowmap.core._escape import csv_cell, csv_header, esc, visible_text
from flowmap.text import numbers
from flowmap.text.i18n import method_text, t
from flowmap.text.period import Period
from flowmap.text.places import place_name


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


def change_table(changes: pd.DataFrame, places: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the rows behind a map of change
    (:func:`flowmap.batken.compare.change_rows`), for display and CSV: places by name, the
    two periods' figures under the periods' names (empty: no figure in that period, never
    taken as 0), the change and its basis in ``lang``."""
    if changes.empty:
        return pd.DataFrame()
    first, second = (Period.parse(str(changes[c].iloc[0])) for c in ("first", "second"))
    return pd.DataFrame(
        {
            t("tip.from", lang): [place_name(places, p, lang) for p in changes["origin"]],
            t("tip.to", lang): [place_name(places, p, lang) for p in changes["destination"]],
            numbers.period(str(first), lang): changes["before"],
            numbers.period(str(second), lang): changes["after"],
            t("cli.show.change", lang): changes["change"],
            t("tip.basis", lang): [t("basis." + b, lang) for b in changes["basis"]],
        }
    )


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
    for column in frame.columns:
        writer = _number_writer(frame[column].dtype, lang)
        if writer is not None:
            style = style.format(writer, subset=[column])
    return style


def _number_writer(dtype: object, lang: str) -> Callable[[object], str] | None:
    """Return how a cell of a number column of ``dtype`` is written in ``lang`` (none for
    text and true/false): whole numbers ``7 529`` (``numbers.count``), others with up to six
    decimals (``numbers.number``), a missing or infinite cell empty."""
    if pd.api.types.is_bool_dtype(dtype):
        return None
    if pd.api.types.is_integer_dtype(dtype):

        def whole(value: object) -> str:
            return numbers.count(int(cast(int, value)), lang) if pd.notna(value) else ""

        return whole
    if pd.api.types.is_float_dtype(dtype):

        def fraction(value: object) -> str:
            finite = pd.notna(value) and math.isfinite(cast(float, value))
            return numbers.number(cast(float, value), lang, 6) if finite else ""

        return fraction
    return None


LONG_TEXT = 40
"""A text cell longer than this (characters) wraps in the HTML table, two lines of it shown
until a reader opens it."""


def table_html(frame: pd.DataFrame, lang: str) -> str:
    """Return a table as the app's Batken page shows it: an HTML ``<table>`` (for
    ``st.html``; a data grid makes the page load 1.7 MB more scripts on a first visit).

    Numbers are written as :func:`shown_table` writes them (``7 529``, ``−1 017``,
    ``55,75`` in Kyrgyz and Russian; the missing ends of a range empty), right-aligned in
    tabular figures; text is left-aligned, a long text (a method, a note) in a
    ``<details>`` whose summary is the whole text, two lines of it shown until it is
    opened (``webapp/page.css``). Every header and cell is escaped (place names,
    sources and notes are data, never markup), and characters that would not show are
    marked (:func:`~flowmap.core._escape.visible_text`). The rows keep their order; the
    headers are ``<th scope="col">``; the table sits in a box of its own that scrolls
    sideways on a narrow screen and is named in ``lang`` (``app.tab.table.caption``).
    The look (``fm-table`` in ``webapp/page.css``) takes the page's text colour, so it
    reads in Streamlit's light and dark themes.
    """
    writers = [_number_writer(frame.iloc[:, i].dtype, lang) for i in range(frame.shape[1])]
    cell_writers = [_text_cell if w is None else w for w in writers]
    texts = [[write(v) for v in frame.iloc[:, i]] for i, write in enumerate(cell_writers)]
    # Numbers right-aligned; text of more than a few words (a method, a note) wraps in a
    # column of its own, its first two lines shown until a reader opens it (all of it is in
    # the page); shorter text (a place, a period) stays on one line.
    long = [
        w is None and any(len(cell) > LONG_TEXT for cell in column)
        for w, column in zip(writers, texts, strict=True)
    ]
    kinds = [
        ' class="fm-num"' if w is not None else ' class="fm-long"' if wide else ""
        for w, wide in zip(writers, long, strict=True)
    ]

    def text(value: object) -> str:
        return esc(visible_text(value)[0])

    def cell(i: int, value: str) -> str:
        if long[i] and len(value) > LONG_TEXT:
            return f"<td{kinds[i]}><details><summary>{text(value)}</summary></details></td>"
        return f"<td{kinds[i]}>{text(value)}</td>"

    header = "".join(
        f'<th scope="col"{kinds[i]}>{text(name)}</th>' for i, name in enumerate(frame.columns)
    )
    rows = [
        "<tr>" + "".join(cell(i, column[r]) for i, column in enumerate(texts)) + "</tr>"
        for r in range(frame.shape[0])
    ]
    name = text(t("app.tab.table.caption", lang))
    return (
        f'<div class="fm-table" role="region" aria-label="{name}" tabindex="0">'
        f"<table><caption>{name}</caption><thead><tr>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _text_cell(value: object) -> str:
    """Return a text cell as it is shown: empty for ``None``, ``NaN`` and ``pd.NA``."""
    try:
        missing = bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array in a cell: shown as it is
        missing = False
    return "" if missing else str(value)


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
