"""The range of a modelled figure in every place it is shown: tooltips, tables, the command
line and the legend of a still image.

A modelled flow or net carries ``low`` and ``high`` (``data/flows.csv``,
``data/balances.csv``): its smallest and largest value under the model's documented
sensitivity, computed by :mod:`flowmap.batken.build`. Reported and derived figures carry none, and
nothing here invents one: a row without both ends shows no range.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from flowmap.text import numbers
from flowmap.text.i18n import t
from flowmap.text.places import place_name


def ends(low: Any, high: Any) -> tuple[int, int] | None:
    """Return ``(low, high)`` as whole numbers, or None when either end is missing."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return None
    return int(low), int(high)


def range_key(low: Any, high: Any) -> str:
    """Return a language-free key of a range (``"61..222"``; ``""`` without one): the
    value a map's attribute column holds, labelled per language by :func:`range_labels`."""
    pair = ends(low, high)
    return "" if pair is None else f"{pair[0]}..{pair[1]}"


def range_text(low: Any, high: Any, lang: str) -> str:
    """Return a range as the language writes it: ``1,039–5,235``, ``1 039–5 235``; a range
    with a negative end is written with words (``−366 to −23``, ``от −366 до −23``) so the
    dash is never read as a minus. ``""`` without a range."""
    pair = ends(low, high)
    if pair is None:
        return ""
    key = "range.span_signed" if min(pair) < 0 else "range.span"
    return t(key, lang, low=numbers.count(pair[0], lang), high=numbers.count(pair[1], lang))


def range_labels(keys: Iterable[str], lang: str) -> dict[str, str]:
    """Return the text in ``lang`` of each key of :func:`range_key` (empty keys skipped)."""
    out: dict[str, str] = {}
    for key in keys:
        if key and key not in out:
            low, _, high = key.partition("..")
            out[key] = range_text(int(low), int(high), lang)
    return out


def figure_text(value: int, low: Any, high: Any, lang: str) -> str:
    """Return a figure with its range, ``3,379 (1,039–5,235)``; the figure alone without."""
    text = numbers.count(int(value), lang)
    span = range_text(low, high, lang)
    return t("range.figure", lang, figure=text, range=span) if span else text


def plain_ranges(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with ``low`` and ``high`` as plain ``int`` or ``None`` cells (object
    columns), for JSON and CSV writers that do not know pandas' missing value."""
    frame = frame.copy()
    for column in ("low", "high"):
        if column in frame.columns:
            frame[column] = pd.Series(
                [None if pd.isna(v) else int(v) for v in frame[column]],
                index=frame.index,
                dtype=object,
            )
    return frame


def range_notes(
    drawn: pd.DataFrame, places: pd.DataFrame, lang: str, *, net: bool = False
) -> list[str]:
    """Return the lines that give every drawn modelled figure with its range, for the
    legend of a still image (which has no tooltip): a heading, then one line per flow,
    ``Batken oblast → Chüy oblast: 3,379 (1,039–5,235), modelled``. Empty when no drawn row
    has a range.

    ``drawn`` holds the flows as drawn (``origin``, ``destination``, ``count``, ``low``,
    ``high``). With ``net``, they are net balances drawn as flows
    (:func:`flowmap.batken.query.net_as_flows`: ``count`` is the size, ``direction`` ``out`` a
    loss) and the line gives the balance of the focus with the place, ``Batken oblast with
    Chüy oblast: net −1,964 (−3,045 to −605), modelled``.
    """
    if drawn.empty or "low" not in drawn.columns:
        return []
    lines: list[str] = []
    for row in drawn.itertuples(index=False):
        pair = ends(row.low, row.high)
        if pair is None:
            continue
        value = int(row.count)
        origin = place_name(places, str(row.origin), lang)
        destination = place_name(places, str(row.destination), lang)
        if net:
            # A net is a balance of the focus with a place, not a flow from one to the
            # other: a loss is drawn by its size away from the focus; the line gives its sign.
            loss = getattr(row, "direction", "") == "out"
            figure = figure_text(-value if loss else value, pair[0], pair[1], lang)
            place, other = (origin, destination) if loss else (destination, origin)
            lines.append(t("range.net_row", lang, place=place, other=other, figure=figure))
            continue
        flow = t("range.flow", lang, origin=origin, destination=destination)
        figure = figure_text(value, pair[0], pair[1], lang)
        lines.append(t("range.row", lang, flow=flow, figure=figure))
    return [t("range.heading", lang), *lines] if lines else []


__all__ = [
    "ends",
    "figure_text",
    "plain_ranges",
    "range_key",
    "range_labels",
    "range_notes",
    "range_text",
]
