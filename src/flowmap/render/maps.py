"""``flow_map``: a flow map of any origin–destination table, as a ``folium.Map``.

    >>> import pandas as pd, flowmap
    >>> places = pd.DataFrame({"id": ["A", "B"], "name": ["Alpha", "Beta"],
    ...                        "lat": [42.9, 40.5], "lon": [74.6, 72.8]})
    >>> flows = pd.DataFrame({"origin": ["A"], "dest": ["B"], "count": [120]})
    >>> m = flowmap.flow_map(flows, places, title="Moves")
    >>> flowmap.save_html(m, "moves.html")  # doctest: +SKIP

The pipeline: check and normalise the tables (:mod:`flowmap.io.tables`) → select and
aggregate (:mod:`flowmap.engine.flows`) → frame the view (:mod:`flowmap.engine.framing`) → the
compact flow layer (:mod:`flowmap.render.layer`) on an offline Leaflet map.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import folium
import pandas as pd
from branca.element import Figure

from flowmap.core._escape import visible_text
from flowmap.core.errors import FlowmapError
from flowmap.core.paths import geo_dir
from flowmap.engine.flows import (
    DIRECTIONS,
    MEASURES,
    Coverage,
    Skipped,
    choose_period,
    clean_flows,
    select,
    years_text,
)
from flowmap.engine.framing import frame_bounds
from flowmap.engine.geometry import WidthScale
from flowmap.engine.unplaced import not_drawn
from flowmap.io._files import write_text
from flowmap.io.tables import as_flows, as_places, check_choice, is_flows, replaced_in
from flowmap.render._assets import leaflet_assets
from flowmap.render._elements import Raw, title_element
from flowmap.render.element import add_flow_layer
from flowmap.render.layer import PALETTES, Attribute, LayerText, LineStyles, build_spec
from flowmap.render.spec import FlowSpec, Scale
from flowmap.text import numbers
from flowmap.text.i18n import plural_forms, t

BASEMAPS: tuple[str, ...] = ("offline", "tiles", "none")


@cache
def _countries() -> str:
    """Return the offline country outlines as GeoJSON text (read once)."""
    return (geo_dir() / "countries.geojson").read_text(encoding="utf-8")


def basemap_layer(lang: str) -> dict[str, Any]:
    """Return the offline basemap layer: country outlines, no labels, no tiles."""
    data = json.loads(_countries())
    for feature in data["features"]:
        feature["properties"] = {
            "_style": {"color": "#9a9a9a", "weight": 0.7, "fillColor": "#f4f1ea", "fillOpacity": 1}
        }
    return {
        "name": t("layer.countries", lang),
        "features": data,
        "interactive": False,
        "base": True,  # also drawn in the overview inset
    }


def default_text(lang: str, **overrides: Any) -> LayerText:
    """Return the general wording of a flow map in ``lang`` (no data set's own wording)."""
    values: dict[str, Any] = {
        "title": t("general.title", lang),
        "source": t("general.source", lang),
        "empty": t("note.empty", lang),
        "tip": {
            key: t(f"tip.{key}", lang)
            for key in ("from", "to", "period", "count", "net", "arrivals", "departures")
        },
        "legend": {
            "title": t("legend.title", lang),
            "width": t("legend.width", lang),
            "people": t("legend.people", lang, count="{count}"),
            "peopleForms": plural_forms("legend.people", lang, count="{count}"),
            "notes": [],
        },
        "kinds": {k: t(f"general.kind.{k}", lang) for k in ("out", "in", "between", "net")},
        "layers": {
            "places": t("layer.circles", lang),
            "labels": t("layer.labels", lang),
            "inset": t("layer.inset", lang),
        },
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    if overrides.get("source") is None and overrides.get("still") is None:
        # "Source and notes" only captions the page's folding box: an image says no source
        # line then, only the notes (flowmap.render._image_parts.credits).
        values["still"] = {"credits": []}
    return LayerText(**values)


def flow_map(
    flows: pd.DataFrame,
    places: pd.DataFrame,
    *,
    origin: str = "origin",
    dest: str | None = None,
    count: str = "count",
    time: str | None = None,
    select_places: Sequence[str] = (),
    direction: str = "both",
    period: str | int | None = None,
    filters: Mapping[str, str | Sequence[str]] | None = None,
    top: int | None = None,
    min_count: int = 0,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    notes: Sequence[str] = (),
    alerts: Sequence[str] = (),
    skipped: Skipped | None = None,
    measure: str = "flow",
    lang: str = "en",
    basemap: str = "offline",
    scale: WidthScale | None = None,
    attributes: Sequence[Attribute] | None = None,
    styles: LineStyles | None = None,
    layers: Sequence[Mapping[str, Any]] = (),
    text: LayerText | None = None,
    height: str = "100%",
    palette: str = "default",
) -> folium.Map:
    """Return a flow map of an origin–destination table: curved lines whose widths scale
    with the counts, on an offline basemap.

    Parameters
    ----------
    flows
        ``origin``, ``dest`` (or ``destination``) and ``count`` columns; optionally a time
        column (``time``, ``year`` or ``period``) and attribute columns, shown in tooltips.
    places
        ``id``, ``name``, ``lat`` and ``lon`` columns (``name`` may be missing).
    origin, dest, count, time
        Column names, when they differ from the defaults.
    select_places
        Show only flows touching these place ids (all flows when empty).
    direction
        ``both``, ``out`` or ``in`` (relative to ``select_places``), or ``net``.
    period, filters, top, min_count
        Which flows: a year or span, attribute values to keep, the largest ``top`` flows,
        flows of at least ``min_count``. A map is of one period: without ``period``, a
        table with several years (or periods) shows the latest, and the title says so
        ("2023, the latest of 35 years"); a span is summed only when asked, and the title
        says how many years it sums and which are missing ("2014–2020, sum of 6 of 7
        years (no data for 2017)"); see :func:`flowmap.engine.flows.choose_period`.
    measure
        ``flow`` (counts of moves: a span may be summed, the default) or ``stock``
        (people present at a date, such as refugees at the end of each year): a stock
        table refuses a span.
    title, subtitle, source, notes, alerts
        The map's wording (``title`` defaults to a neutral "Flows"). The period shown is
        said under the title (in ``subtitle`` when it is not given, else first among the
        ``alerts``, which are shown under the title, not folded away like ``notes``).
    skipped
        Rows already skipped before the flows came here (blank counts, see
        :func:`flowmap.io.userdata.load_user_data`): counted in the map's note on skipped
        rows together with the self-flows, zero counts and flows without coordinates
        skipped here. Flows whose places have no coordinates are also said under the
        title: "3 flows (12% of the volume) not drawn" (:func:`flowmap.engine.unplaced.not_drawn`).
    lang
        Language of the map's own wording: ``en``, ``ky`` or ``ru``.
    basemap
        ``offline`` (country outlines shipped with the package), ``tiles`` (adds an online
        OpenStreetMap layer, which needs the internet) or ``none``.
    scale
        A fixed width scale, so that several maps compare; by default the largest drawn
        flow is drawn 28 px wide.
    attributes
        The attribute columns shown in tooltips (by default every column of ``flows``
        besides origin, destination, count and time, labelled with its name).
    styles, layers, text
        Line styles by an attribute (for example dashed for modelled figures), extra
        GeoJSON layers, and the complete wording (used by presets such as
        :mod:`flowmap.batken.preset`).
    palette
        The colours of the flows and their legend: ``default`` (departures red, arrivals
        blue) or ``colourblind`` (Okabe–Ito based, distinct for red–green and blue–yellow
        colour blindness); see :data:`flowmap.render.layer.PALETTES`.

    Names: a place's ``name_<lang>`` column (``name_ky``, ``name_ru``) is shown when the map
    is in that language, ``name`` otherwise.

    Raises
    ------
    FlowmapError
        For bad tables (every problem listed) or options, or a span of a stock table.
    """
    check_choice("basemap", basemap, BASEMAPS)
    check_choice("direction", direction, DIRECTIONS)
    check_choice("palette", palette, PALETTES)
    check_choice("measure", measure, MEASURES)
    place_table = as_places(places)
    table = (
        flows
        if is_flows(flows) and (origin, dest, count, time) == ("origin", None, "count", None)
        else as_flows(flows, origin=origin, dest=dest, count=count, time=time)
    )
    # Ids and values were made visible when the tables were read: so are the ones asked for.
    select_places = [visible_text(str(p))[0] for p in select_places]
    if filters is not None:
        filters = {
            visible_text(k)[0]: (
                visible_text(v)[0] if isinstance(v, str) else [visible_text(x)[0] for x in v]
            )
            for k, v in filters.items()
        }
    unknown = [p for p in select_places if str(p) not in place_table.index]
    if unknown:
        raise FlowmapError(
            f"select_places: unknown place id(s) {', '.join(map(repr, unknown[:10]))}"
        )
    missing = not_drawn(table, place_table, period=period, measure=measure)
    table, skipped_here = clean_flows(table, place_table)
    chosen = [str(p) for p in select_places]
    shown = choose_period(table["time"], period, measure=measure)
    drawn = select(
        table,
        places=chosen,
        direction=direction,
        period=shown.label or None,
        filters=filters,
        top=top,
        min_count=min_count,
        measure=measure,
    )
    width = scale or default_scale(drawn)
    dropped = skipped_here if skipped is None else skipped.merged(skipped_here)
    if dropped.total or dropped.cells:
        notes = [*notes, skipped_note(dropped, lang)]
    statement = shown.statement()
    untimed = int((table["time"].astype(str) == "").sum()) if shown.period is not None else 0
    if untimed:  # rows without a year belong to no period: said, not drawn
        notes = [*notes, t("general.untimed", lang, count=numbers.count(untimed, lang), n=untimed)]
    replaced = t("note.replaced", lang)
    if replaced_in(table, place_table, places) and replaced not in notes:
        notes = [*notes, replaced]
    said = statement.text(lang) if statement is not None else None
    if said is not None and subtitle is None:
        subtitle = said
    elif said is not None:
        alerts = (said, *alerts)
    if missing.flows:  # in the title box, not only in the notes
        alerts = (*alerts, missing.message().text(lang))
    wording = text or default_text(
        lang,
        title=title,
        subtitle=subtitle,
        source=source,
        notes=tuple(notes) or None,
        alerts=tuple(alerts) or None,
    )
    if attributes is None:
        extra = [c for c in table.columns if c not in ("origin", "dest", "count", "time")]
        attributes = [Attribute(c, c) for c in extra]
    localised = f"name_{lang}"
    if localised in place_table.columns:
        shown = place_table[localised].astype("string").fillna("").str.strip()
        place_table = place_table.assign(name=shown.where(shown != "", place_table["name"]))
    fmap = draw_map(
        drawn,
        place_table,
        text=wording,
        scale=width,
        chosen=chosen,
        attributes=attributes,
        styles=styles,
        layers=layers,
        lang=lang,
        basemap=basemap,
        height=height,
        palette=palette,
    )
    return fmap


def skipped_note(skipped: Skipped, lang: str) -> str:
    """Return the map's note on skipped rows, naming only the kinds there are: "12 rows
    skipped: 10 from a place to itself, 2 without coordinates (XK, ZZ)"."""
    return skipped.summary().text(lang)


def coverage_note(found: Coverage, lang: str) -> str:
    """Return how many years a map sums and which are missing ("2014–2016: 3 years",
    "2014–2020: 6 of 7 years, 2017 missing"); see :func:`flowmap.engine.flows.coverage`."""
    label = found.period.label()
    if not found.missing:
        return t("general.coverage", lang, period=label, count=len(found.years))
    return t(
        "general.coverage.missing",
        lang,
        period=label,
        count=len(found.years),
        total=len(found.period.years),
        missing=years_text(found.missing),
    )


def draw_map(
    drawn: pd.DataFrame,
    places: pd.DataFrame,
    *,
    text: LayerText,
    scale: WidthScale,
    chosen: Sequence[str] = (),
    attributes: Sequence[Attribute] = (),
    styles: LineStyles | None = None,
    layers: Sequence[Mapping[str, Any]] = (),
    lang: str = "en",
    basemap: str = "offline",
    height: str = "100%",
    frame_also: Sequence[Sequence[float]] = (),
    palette: str = "default",
) -> folium.Map:
    """Return the map of flows already selected (:func:`flowmap.engine.flows.select` or a
    preset's own selection): the last stage of :func:`flow_map`.

    ``places`` is indexed by id with ``name``, ``lat`` and ``lon``; ``frame_also`` lists
    points (lat, lon) the opening view must include, such as a focus area's corners;
    ``palette`` is one of :data:`flowmap.render.layer.PALETTES`.

    Raises
    ------
    FlowmapError
        For an unknown ``basemap`` or ``palette``.
    """
    check_choice("basemap", basemap, BASEMAPS)
    check_choice("palette", palette, PALETTES)
    bounds = frame_bounds(drawn, places, chosen, also=frame_also)
    base = [basemap_layer(lang)] if basemap == "offline" else []
    spec = build_spec(
        drawn,
        places,
        text=text,
        scale=Scale.of(scale),
        legend_counts=scale.legend_counts(),
        chosen=chosen,
        attributes=attributes,
        styles=styles,
        layers=[*base, *layers],
        bounds=bounds,
        locale={"ky": "ky-KG", "ru": "ru-RU"}.get(lang, "en"),
        palette=palette,
        lang=lang,
    )
    return spec_map(spec, tiles=basemap == "tiles", lang=lang, height=height)


def spec_map(
    spec: FlowSpec, *, tiles: bool = False, lang: str = "en", height: str = "100%"
) -> folium.Map:
    """Return the offline Leaflet page of a map spec: opening on the spec's view, titled
    with its title, with its flow layer (:func:`flowmap.render.element.add_flow_layer`) and,
    with ``tiles``, an online OpenStreetMap layer named in ``lang``."""
    js, css = leaflet_assets()
    fmap = folium.Map(
        location=bounds_centre(spec.bounds), zoom_start=3, tiles=None, zoom_snap=0.1, height=height
    )
    fmap.default_js = []
    fmap.default_css = [("leaflet_css", css)]
    root = fmap.get_root()
    if isinstance(root, Figure):
        root.header.add_child(Raw(f"<script>{js}</script>"), name="leaflet")
        text = spec.text
        page_title = f"{text.title} · {text.subtitle}" if text.subtitle else text.title
        root.header.add_child(title_element(visible_text(page_title)[0]), name="title")
    if tiles:
        folium.TileLayer(
            "OpenStreetMap", name=t("layer.tiles", lang), attr=osm_attribution(lang)
        ).add_to(fmap)
    return add_flow_layer(fmap, spec)


def osm_attribution(lang: str) -> str:
    """Return the attribution of the OpenStreetMap tiles in ``lang`` (HTML: "© OpenStreetMap
    contributors", the name a link to its copyright page)."""
    link = '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    return t("map.osm", lang, osm=link)


def default_scale(drawn: pd.DataFrame) -> WidthScale:
    """Return the width scale of a map without a fixed one: the largest drawn flow is
    28 px wide on a map of up to 200 flows, thinner on busier maps (a 40,000-flow map
    would otherwise be one solid blob), never under 6 px."""
    largest = max(1, int(drawn["count"].max()) if len(drawn) else 1)
    widest = min(28.0, max(6.0, 28.0 * (200 / max(1, len(drawn))) ** 0.5))
    return WidthScale(max_count=largest, max_px=round(widest, 1))


def bounds_centre(bounds: Sequence[Sequence[float]] | None) -> list[float]:
    """Return the centre of ``[[south, west], [north, east]]`` with a longitude in
    [-180, 180) (the map never opens at longitude 430)."""
    if not bounds:
        return [30.0, 0.0]
    (south, west), (north, east) = bounds
    lon = ((west + east) / 2 + 180) % 360 - 180
    return [(south + north) / 2, lon]


def map_html(fmap: folium.Map) -> str:
    """Return the map as one self-contained HTML document."""
    html_text: str = fmap.get_root().render()
    return html_text


def save_html(fmap: folium.Map, path: Path | str) -> Path:
    """Write the self-contained HTML of ``fmap`` to ``path`` (atomically); return the path."""
    return write_text(path, map_html(fmap))


__all__ = [
    "BASEMAPS",
    "basemap_layer",
    "coverage_note",
    "default_text",
    "draw_map",
    "flow_map",
    "map_html",
    "osm_attribution",
    "save_html",
    "skipped_note",
    "spec_map",
]
