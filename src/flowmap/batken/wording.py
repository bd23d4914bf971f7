"""The wording of a Batken map: its title and subtitle, the group and period it shows, the
notes saying which chosen destinations it leaves out and why, and the legend's and tooltips'
texts, in the map's language (:func:`map_text`)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from flowmap.batken.options import MapOptions
from flowmap.batken.query import Selection
from flowmap.engine.geometry import WidthScale
from flowmap.render.layer import LayerText
from flowmap.text import numbers
from flowmap.text.i18n import plural_forms, t
from flowmap.text.places import place_name

SYMBOLIC = ("ABROAD", "KG-OTHER", "KG-REST")
"""Aggregates drawn to symbolic points: the map says so."""
AT_EDGE = (*SYMBOLIC, "RU", "KZ", "TR", "US")
"""Ends that never stretch a Batken map's frame (out of view, their flows are named at its
edge with their figures): the symbolic points, and the countries abroad beyond the
neighbouring Uzbekistan. The map is about the oblast and its destinations at home, which
fill the frame in every view: a year in which Russia is the largest flow (2023) opened on
Moscow, with Batken in a corner."""
LEGEND_KINDS: dict[str, dict[str, str]] = {
    "default": {"out": "legend.colour.out", "in": "legend.colour.in"},
    "colourblind": {"out": "legend.colour.out_orange", "in": "legend.colour.in"},
}
"""The message keys of the legend's colour lines by palette (they name the colour)."""
NET_LEGEND_KINDS: dict[str, dict[str, str]] = {
    "default": {"out": "legend.colour.net_loss", "in": "legend.colour.net_gain"},
    "colourblind": {"out": "legend.colour.net_loss_orange", "in": "legend.colour.net_gain"},
}
"""The same in a net view: a net loss is drawn away from Batken oblast in the departures
colour, a net gain towards it in the arrivals colour (:func:`flowmap.batken.query.net_as_flows`)."""


def group_of(selection: Selection, lang: str) -> str:
    """Return the group a map shows in ``lang``: the sex, and the age group when it is not
    all ages (a working-age figure is a part of all departures, and the map must say so)."""
    group = t("sex." + (selection.sex if selection.sex != "any" else "total"), lang)
    if selection.age not in ("all", "any"):
        group += ", " + t("age." + selection.age, lang)
    return group


def subtitle_of(selection: Selection, lang: str, places: pd.DataFrame) -> str:
    """Return what a map shows: direction, period, group and up to four destinations."""
    group = group_of(selection, lang)
    parts = [t("direction." + selection.direction, lang)]
    if selection.period is not None:
        parts.append(selection.period.label())
    text = " · ".join([*parts, group])
    chosen = [d for d in selection.dest if places.at[d, "kind"] != "aggregate"]
    if 0 < len(chosen) <= 4:
        text += " · " + ", ".join(place_name(places, d, lang) for d in chosen)
    return text


def missing_destinations(
    selection: Selection,
    places: pd.DataFrame,
    drawn: pd.DataFrame,
    candidates: Sequence[str] | None = None,
) -> list[str]:
    """Return the chosen counterparts that have no line in ``drawn`` (the selected flows,
    with a ``counterpart`` column), in the order chosen.

    ``candidates`` are the counterparts the view stands for: ``selection.dest`` by default.
    An aggregate that is the parent of another candidate (such as "abroad", which the app
    adds for Russia so that a total the source does not split is still shown) is never
    named: its parts are.
    """
    chosen = [str(d) for d in (selection.dest if candidates is None else candidates)]
    parents = {str(places.at[d, "parent"]) for d in chosen if d in places.index}
    shown = set(drawn["counterpart"].astype(str)) if "counterpart" in drawn.columns else set()
    return [d for d in chosen if d not in parents and d not in shown]


def missing_note(
    selection: Selection,
    places: pd.DataFrame,
    drawn: pd.DataFrame,
    lang: str,
    candidates: Sequence[str] | None = None,
) -> str | None:
    """Return the sentence saying which chosen counterparts the view leaves out for lack of
    a figure, and what the source gives for this direction (None when none is left out).

    A net map draws the article's balances, which exist only with the other oblasts taken
    together and with abroad taken together: a user who chose Russia would otherwise lose
    it without a word. The map, the app and the command line show this same sentence.
    """
    missing = missing_destinations(selection, places, drawn, candidates)
    if not missing:
        return None
    names = ", ".join(place_name(places, d, lang) if d in places.index else d for d in missing)
    direction = selection.direction
    why = "out" if direction == "both" else direction
    return f"{t('note.missing.' + direction, lang, places=names)} {t('note.why.' + why, lang)}"


def data_destinations(flows: pd.DataFrame, focus: str) -> tuple[str, ...]:
    """Return every counterpart of ``focus`` in ``flows`` (either direction, any period),
    sorted by id: what a view of "all destinations" stands for, for :func:`missing_note`."""
    ends = flows[(flows["origin"] == focus) | (flows["destination"] == focus)]
    other = ends["destination"].where(ends["origin"] == focus, ends["origin"]).astype(str)
    return tuple(sorted(set(other) - {focus}))


def map_text(
    selection: Selection,
    options: MapOptions,
    places: pd.DataFrame,
    drawn: pd.DataFrame,
    scale: WidthScale,
    districts_drawn: bool | None = None,
) -> LayerText:
    """Return the wording of a Batken map in the options' language.

    ``districts_drawn`` says whether geoBoundaries' districts are on the map (by default
    with the border overlay): a still image's credits then name geoBoundaries (CC BY-SA).
    """
    lang = options.lang
    palette = options.palette
    net = selection.direction == "net"
    # Counts are whole: "under N" is true of exactly the counts below the exact threshold
    # when N is rounded up (a floor left out the count at the threshold).
    threshold = math.ceil((scale.min_px / scale.px_per_sqrt_person) ** 2)
    title = options.title if options.title is not None else t("map.title", lang)
    subtitle = options.subtitle
    if subtitle is None:
        subtitle = subtitle_of(selection, lang, places)
    missing = missing_note(selection, places, drawn, lang)
    notes = [missing] if missing else []
    notes.append(t("note.border_2025", lang))
    if options.border_overlay:
        notes.append(t("note.districts_source", lang))
    if len(drawn) and (drawn["basis"] == "modelled").any():
        notes.append(t("note.modelled", lang))
    if len(drawn) and drawn["counterpart"].isin(SYMBOLIC).any():
        notes.append(t("note.symbolic", lang))
    notes.extend(options.notes)
    keys = ("from", "to", "place", "with", "period", "count", "net", "arrivals", "departures")
    tip = {key: t(f"tip.{key}", lang) for key in keys}
    tip.update(netFocus=t("tip.net_focus", lang), netWith=t("tip.net_with", lang))
    # A net view: flows of the kind "out" are losses; tooltips and circles show the sign.
    tip["signed"] = "out" if net else ""
    modelled = t("legend.style.modelled", lang)
    credits = [t("note.source", lang)]
    if districts_drawn if districts_drawn is not None else options.border_overlay:
        credits.append(t("note.districts_source", lang))
    return LayerText(
        title=title,
        subtitle=subtitle,
        source=t("note.source", lang),
        notes=tuple(notes),
        alerts=(missing,) if missing and options.alerts else (),
        empty=t("note.empty", lang),
        tip=tip,
        legend={
            "title": t("legend.title", lang),
            "width": t("legend.width", lang),
            "people": t("legend.people", lang, count="{count}"),
            "peopleForms": plural_forms("legend.people", lang, count="{count}"),
            "notes": [
                t("legend.arrows", lang),
                t("legend.circles_net" if net else "legend.circles", lang),
                t(
                    "legend.min_width",
                    lang,
                    count=numbers.count(threshold, lang),
                    n=threshold,
                    px=numbers.number(scale.min_px, lang),
                ),
            ],
        },
        kinds={
            k: t(key, lang)
            for k, key in (NET_LEGEND_KINDS if net else LEGEND_KINDS)[palette].items()
        },
        layers={
            "places": t("layer.circles", lang),
            "labels": t("layer.labels", lang),
            "inset": t("layer.inset", lang),
        },
        still={
            "credits": credits,
            "labels": {modelled: t("legend.style.modelled_still", lang)},
        },
    )


__all__ = [
    "AT_EDGE",
    "LEGEND_KINDS",
    "NET_LEGEND_KINDS",
    "SYMBOLIC",
    "data_destinations",
    "group_of",
    "map_text",
    "missing_destinations",
    "missing_note",
    "subtitle_of",
]
