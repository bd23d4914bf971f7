"""The Batken preset: the article's data, wording, border overlay and provenance styling,
drawn by the general engine (:func:`flowmap.render.maps.draw_map`).

The engine knows nothing about Batken; everything particular to this data set is here:
the selection through :mod:`flowmap.batken.query` (aggregates such as "other oblasts" are left out
when their parts are drawn, net flows come from the printed balances), the title and notes,
the oblast and border layers, and line styles by basis (reported solid, derived pale,
modelled dashed).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import folium
import geopandas as gpd
import pandas as pd

from flowmap.batken.article import note_text, source_text
from flowmap.batken.layers import (
    area_bounds,
    batken_districts_layer,
    border_layer,
    district_layer,
    oblast_layers,
    overlay_legend,
)
from flowmap.batken.query import Selection, check_one_view, drawable_flows, totals_of
from flowmap.core._escape import REPLACED, replaced_in
from flowmap.engine.geometry import LatLon, WidthScale
from flowmap.io.tables import check_choice
from flowmap.render.layer import PALETTES, Attribute, LayerText, LineStyles, Palette
from flowmap.render.maps import draw_map
from flowmap.text import numbers
from flowmap.text.i18n import method_text, plural_forms, t
from flowmap.text.period import Period
from flowmap.text.places import place_name
from flowmap.text.ranges import range_key, range_labels, range_notes

SYMBOLIC = ("ABROAD", "KG-OTHER", "KG-REST")
"""Aggregates drawn to symbolic points: the map says so."""
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


@dataclass(frozen=True)
class MapOptions:
    """How to draw: language, overlays, basemap and wording."""

    lang: str = "en"
    border_overlay: bool = True
    online_tiles: bool = False
    height: str = "100%"
    notes: tuple[str, ...] = field(default_factory=tuple)
    title: str | None = None
    """The map's title; the data set's own title when None."""
    subtitle: str | None = None
    """The line under the title; what is shown (direction, period, group) when None."""
    palette: Palette = "default"
    """The colours of flows, legend and border overlay: a key of
    :data:`flowmap.render.layer.PALETTES` (``default`` or ``colourblind``)."""

    def __post_init__(self) -> None:
        # The one check of the palette on a Batken map's path (a FlowmapError naming it).
        check_choice("palette", self.palette, PALETTES)


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
        alerts=(missing,) if missing else (),
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


def engine_tables(
    drawn: pd.DataFrame, places: pd.DataFrame, anchors: dict[str, LatLon], lang: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the drawn flows and their places in the general engine's form."""
    located = drawn[drawn["origin"].isin(anchors) & drawn["destination"].isin(anchors)]
    flows = pd.DataFrame(
        {
            "origin": located["origin"],
            "dest": located["destination"],
            "count": located["count"].astype("int64"),
            "kind": located["direction"],
            "time": [Period.parse(p).label() for p in located["period"]],
            "group": [
                f"{t('sex.' + s, lang)}, {t('age.' + a, lang)}"
                for s, a in zip(located["sex"], located["age"], strict=True)
            ],
            "basis": located["basis"],
            "source_ref": located["source_ref"],
            "method": [method_text(m, lang) for m in located["method"]],
            # A modelled row's note names the total it is a share of ("22.2% of the
            # reported 561 arrivals from other oblasts"): the tooltip says it too.
            "note": located["note"],
            "range": _range_keys(located),
        }
    ).reset_index(drop=True)
    ids = sorted(anchors)
    table = pd.DataFrame(
        {
            "id": ids,
            "name": [place_name(places, p, lang) for p in ids],
            "lat": [anchors[p][0] for p in ids],
            "lon": [anchors[p][1] for p in ids],
        }
    ).set_index("id", drop=False)
    # Names made visible while the data set was read: the map says so (flowmap.render.layer).
    table.attrs[REPLACED] = replaced_in(drawn, places)
    return flows, table


def _range_keys(located: pd.DataFrame) -> list[str]:
    """Return each flow's range as a language-free key (:func:`flowmap.text.ranges.range_key`)."""
    if "low" not in located.columns or "high" not in located.columns:
        return [""] * len(located)
    return [range_key(lo, hi) for lo, hi in zip(located["low"], located["high"], strict=True)]


def value_labels(flows: pd.DataFrame, lang: str) -> dict[str, dict[str, str]]:
    """Return, for the ``source_ref`` and ``note`` columns of ``flows`` (as from
    :func:`engine_tables`), each value shown in tooltips in ``lang``: sources as readers name
    them (``T1`` -> ``Table 1``, ``табл. 1``; :func:`flowmap.batken.article.source_text`), notes
    translated (:func:`flowmap.batken.article.note_text`) and modelled ranges written with the
    language's numbers (:func:`flowmap.text.ranges.range_labels`). The flows keep their
    language-free values, so one table serves every language (the player labels them per
    language)."""

    def distinct(column: str) -> Iterable[str]:
        return (str(v) for v in pd.unique(flows[column].astype(str)) if v)

    return {
        "source_ref": {r: source_text(r, lang) for r in distinct("source_ref")},
        "note": {n: note_text(n, lang) for n in distinct("note")},
        "range": range_labels(distinct("range"), lang) if "range" in flows.columns else {},
    }


def split_total_notes(selected: pd.DataFrame, places: pd.DataFrame, lang: str) -> list[str]:
    """Return a map note, in ``lang``, for each total in ``selected`` that the map does not
    draw because its parts are drawn (:func:`flowmap.batken.query.totals_of`) and that has a
    note of its own: the total and its note would otherwise vanish from the map ("Arrivals,
    Other oblasts of Kyrgyzstan, 2021: 561 (reported in the source) is the total that the
    modelled flows drawn split. Table 1 prints 261 (not shipped; resolution C1)"). A net
    row's note, its arithmetic, is not such a note."""
    notes = []
    rows = selected.to_dict(orient="records")
    for row, parts in zip(rows, totals_of(selected, places), strict=True):
        view = str(row.get("view", row["direction"]))
        if not parts or not row["note"] or view == "net":
            continue
        notes.append(
            t(
                "note.split_total",
                lang,
                what=t(f"player.dir.{view}", lang),
                place=place_name(places, str(row["counterpart"]), lang),
                period=numbers.period(str(Period.parse(str(row["period"]))), lang),
                count=numbers.count(int(row["count"]), lang),
                basis=t(f"basis.{row['basis']}", lang),
                note=_capitalised(note_text(str(row["note"]), lang)),
            )
        )
    return notes


def _capitalised(text: str) -> str:
    """Return ``text`` with its first letter upper-case, to start a sentence."""
    return text[:1].upper() + text[1:]


def batken_map(
    selected: pd.DataFrame,
    selection: Selection,
    *,
    places: pd.DataFrame,
    anchors: dict[str, LatLon],
    scale: WidthScale,
    options: MapOptions | None = None,
    districts: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Return the Batken flow map of ``selected`` flows (from
    :func:`flowmap.batken.query.select_flows`, or :func:`flowmap.batken.query.net_as_flows` for net
    migration), drawn on the data set's one width scale.

    Raises
    ------
    FlowmapError
        When ``selected`` mixes periods or groups of people
        (:func:`flowmap.batken.query.check_one_view`): a map shows one of each.
    """
    options = options or MapOptions()
    lang = options.lang
    drawn = drawable_flows(selected, places)
    check_one_view(drawn)
    if selection.period is None and len(drawn):
        selection = replace(selection, period=Period.parse(str(drawn["period"].iloc[0])))
    flows, place_table = engine_tables(drawn, places, anchors, lang)
    layers = oblast_layers(places, lang, selection.focus)
    own = districts is not None and len(districts) > 0
    if districts is not None and own:
        layers.append(district_layer(districts, lang))
    elif options.border_overlay:
        layers.append(batken_districts_layer(lang))
    if options.border_overlay:
        layers.append(border_layer(places, lang, options.palette))
    area = area_bounds(selection.focus) or []
    labels = value_labels(flows, lang)
    attributes = [
        Attribute("range", t("tip.range", lang), labels["range"]),
        Attribute("group", t("tip.group", lang)),
        Attribute(
            "basis",
            t("tip.basis", lang),
            {b: t("basis." + b, lang) for b in ("reported", "derived", "modelled")},
        ),
        Attribute("source_ref", t("tip.source", lang), labels["source_ref"]),
        Attribute("method", t("tip.method", lang)),
        Attribute("note", t("tip.note", lang), labels["note"]),
    ]
    styles = LineStyles(
        "basis",
        dashed=("modelled",),
        pale=("derived",),
        legend={b: t("legend.style." + b, lang) for b in ("reported", "derived", "modelled")},
    )
    text = map_text(selection, options, places, drawn, scale, options.border_overlay and not own)
    extra = overlay_legend(
        lang,
        border=options.border_overlay,
        districts=options.border_overlay or own,
        palette=options.palette,
    )
    ranges = range_notes(drawn, places, lang, net=selection.direction == "net")
    # The total the drawn modelled parts split, with its own note, is said in the legend
    # (an image's too), beside the modelled figures' ranges.
    notes = [*text.legend.get("notes", []), *split_total_notes(selected, places, lang)]
    legend = {**text.legend, "notes": notes, "extra": extra, "ranges": ranges}
    text = LayerText(**{**text.__dict__, "legend": legend})
    return draw_map(
        flows,
        place_table,
        text=text,
        scale=scale,
        chosen=[selection.focus],
        attributes=attributes,
        styles=styles,
        layers=layers,
        lang=lang,
        basemap="tiles" if options.online_tiles else "offline",
        height=options.height,
        frame_also=area,
        palette=options.palette,
    )


__all__ = [
    "MapOptions",
    "batken_map",
    "data_destinations",
    "engine_tables",
    "map_text",
    "missing_destinations",
    "missing_note",
    "split_total_notes",
    "subtitle_of",
    "value_labels",
]
