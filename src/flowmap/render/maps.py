"""``flow_map``: a flow map of any origin–destination table, on a new ``folium.Map`` or on
yours.

    >>> import pandas as pd, flowmap
    >>> places = pd.DataFrame({"id": ["A", "B"], "name": ["Alpha", "Beta"],
    ...                        "lat": [42.9, 40.5], "lon": [74.6, 72.8]})
    >>> flows = pd.DataFrame({"origin": ["A"], "dest": ["B"], "count": [120]})
    >>> m = flowmap.flow_map(flows, places, wording=flowmap.Wording(title="Moves"))
    >>> type(m).__name__
    'Map'

The pipeline: check and normalise the tables (:mod:`flowmap.io.tables`) → select and
aggregate (:mod:`flowmap.engine.flows`) → frame the view (:mod:`flowmap.engine.framing`) → the
flow layer (:class:`flowmap.render.flowlayer.FlowLayer`) on an offline Leaflet map.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
import pandas as pd
from branca.element import Figure

from flowmap.core._escape import visible_text
from flowmap.engine.flows import Coverage, Skipped, years_text
from flowmap.engine.geometry import WidthScale
from flowmap.io._files import write_text
from flowmap.render._assets import leaflet_assets
from flowmap.render._elements import Raw, title_element
from flowmap.render.element import add_flow_layer
from flowmap.render.flowlayer import FlowLayer, skipped_note
from flowmap.render.layer import Attribute, LayerText, LineStyles
from flowmap.render.options import (
    BASEMAPS,
    Basemap,
    Palette,
    Selection,
    Style,
    Wording,
    default_text,
    grouped,
)
from flowmap.render.pagespec import basemap_layer, default_scale, map_page_spec
from flowmap.render.spec import FlowSpec, PageText
from flowmap.text.i18n import t

if TYPE_CHECKING:
    from typing import Unpack

    from flowmap.render.options import Keywords


def flow_map(
    flows: pd.DataFrame,
    places: pd.DataFrame,
    m: folium.Map | None = None,
    *,
    selection: Selection | None = None,
    style: Style | None = None,
    wording: Wording | None = None,
    origin: str = "origin",
    dest: str | None = None,
    count: str = "count",
    time: str | None = None,
    skipped: Skipped | None = None,
    fit_bounds: bool | None = None,
    **keywords: Unpack[Keywords],
) -> folium.Map:
    """Return a flow map of an origin–destination table: curved lines whose widths scale
    with the counts, on an offline basemap or on your own map ``m``.

    >>> import folium, pandas as pd
    >>> from flowmap import Selection, Style, Wording, flow_map
    >>> places = pd.DataFrame({"id": ["A", "B", "C"], "lat": [42.9, 40.5, 55.8],
    ...                        "lon": [74.6, 72.8, 37.6]})
    >>> flows = pd.DataFrame({"origin": ["A", "B"], "dest": ["C", "C"], "count": [90, 40]})
    >>> mine = folium.Map(location=[50, 60], zoom_start=4)
    >>> folium.Marker([42.9, 74.6], tooltip="Office").add_to(mine)  # doctest: +ELLIPSIS
    <folium.map.Marker object at ...>
    >>> flow_map(flows, places, mine, selection=Selection(places=["C"], direction="in"),
    ...          style=Style(palette="colourblind"), wording=Wording(lang="ru")) is mine
    True

    Parameters
    ----------
    flows
        ``origin``, ``dest`` (or ``destination``) and ``count`` columns; optionally a time
        column (``time``, ``year`` or ``period``) and attribute columns, shown in tooltips.
    places
        ``id``, ``name``, ``lat`` and ``lon`` columns (``name`` may be missing; a place's
        ``name_<lang>`` column is shown when the map is in that language).
    m
        Your map: the flows are added to it as a :class:`~flowmap.render.flowlayer.FlowLayer`
        (its tiles, layers and markers stay, and so does its view unless ``fit_bounds``);
        by default a new map on the offline basemap, opened at the flows.
    selection, style, wording
        Which flows (:class:`~flowmap.render.options.Selection`: places, direction,
        period, filters, top, min_count, measure, compare), how they are drawn
        (:class:`~flowmap.render.options.Style`: palette, basemap, scale, lines, layers,
        height, theme) and what the map says (:class:`~flowmap.render.options.Wording`: lang,
        title, subtitle, source, notes, alerts, attributes, text). A map is of one period:
        without ``selection.period``, a table with several years shows the latest, and the
        title says so ("2023, the latest of 35 years"); a span is summed only when asked,
        and the title says how many years it sums and which are missing; see
        :func:`flowmap.engine.flows.choose_period`. Flows whose places have no
        coordinates are said under the title ("3 flows (12% of the volume) not drawn").
    origin, dest, count, time
        Column names, when they differ from the defaults.
    skipped
        Rows already skipped before the flows came here (blank counts, see
        :func:`flowmap.io.userdata.load_user_data`): counted in the map's note on skipped
        rows together with the self-flows, zero counts and flows without coordinates
        skipped here.
    fit_bounds
        Open at the flows; by default on a new map only.
    **keywords
        The single options of earlier versions (``select_places``, ``direction``,
        ``palette``, ``title``, ``lang``, …: :class:`~flowmap.render.options.Keywords`),
        still accepted: each takes its place in the objects above.

    Raises
    ------
    FlowmapError
        For bad tables (every problem listed) or options, or a span of a stock table.
    """
    selection, style, wording = grouped(keywords, selection, style, wording)
    layer = FlowLayer(
        flows,
        places,
        selection=selection,
        style=Style(**{**style.__dict__, "basemap": style.basemap or _basemap(m)}),
        wording=wording,
        origin=origin,
        dest=dest,
        count=count,
        time=time,
        skipped=skipped,
        fit_bounds=fit_bounds if fit_bounds is not None else m is None,
    )
    if m is None:
        m = new_map(layer.bounds, layer.layer_text, style.basemap or "offline", style.height)
        if style.basemap == "tiles":
            add_tiles(m, wording.lang)
    layer.add_to(m)
    return m


def _basemap(m: folium.Map | None) -> str:
    """Return the default basemap: the offline one on a new map, none on yours."""
    return "offline" if m is None else "none"


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
    basemap: Basemap = "offline",
    height: str = "100%",
    frame_also: Sequence[Sequence[float]] = (),
    palette: Palette = "default",
    theme: str = "light",
    edge: Sequence[str] = (),
) -> folium.Map:
    """Return the map of flows already selected (:func:`flowmap.engine.flows.select` or a
    preset's own selection): the last stage of :func:`flow_map`. Its spec is
    :func:`flowmap.render.pagespec.map_page_spec`'s (see there for the arguments), put on
    a new map (:func:`spec_map`) ``height`` high.
    """
    spec = map_page_spec(
        drawn,
        places,
        text=text,
        scale=scale,
        chosen=chosen,
        attributes=attributes,
        styles=styles,
        layers=layers,
        lang=lang,
        basemap=basemap,
        frame_also=frame_also,
        palette=palette,
        theme=theme,
        edge=edge,
    )
    return spec_map(spec, tiles=basemap == "tiles", lang=lang, height=height)


def spec_map(
    spec: FlowSpec, *, tiles: bool = False, lang: str = "en", height: str = "100%"
) -> folium.Map:
    """Return the offline Leaflet page of a map spec: opening on the spec's view, titled
    with its title, with its flow layer (:func:`flowmap.render.element.add_flow_layer`) and,
    with ``tiles``, an online OpenStreetMap layer named in ``lang``."""
    fmap = new_map(spec.bounds, spec.text, "tiles" if tiles else "none", height)
    if tiles:
        add_tiles(fmap, lang)
    return add_flow_layer(fmap, spec)


def new_map(
    bounds: Sequence[Sequence[float]] | None,
    text: LayerText | PageText,
    basemap: str,
    height: str,
) -> folium.Map:
    """Return a new map for a flow layer: opening at ``bounds``, no tiles of its own,
    Leaflet inlined (no CDN), the page titled with ``text``'s title and subtitle."""
    js, css = leaflet_assets()
    fmap = folium.Map(
        location=bounds_centre(bounds), zoom_start=3, tiles=None, zoom_snap=0.1, height=height
    )
    fmap.default_js = []
    fmap.default_css = [("leaflet_css", css)]
    root = fmap.get_root()
    if isinstance(root, Figure):
        root.header.add_child(Raw(f"<script>{js}</script>"), name="leaflet")
        page_title = f"{text.title} · {text.subtitle}" if text.subtitle else text.title
        root.header.add_child(title_element(visible_text(page_title)[0]), name="title")
    return fmap


def add_tiles(fmap: folium.Map, lang: str) -> None:
    """Add the online OpenStreetMap tiles to ``fmap``, attributed in ``lang``."""
    folium.TileLayer(
        "OpenStreetMap", name=t("layer.tiles", lang), attr=osm_attribution(lang)
    ).add_to(fmap)


def osm_attribution(lang: str) -> str:
    """Return the attribution of the OpenStreetMap tiles in ``lang`` (HTML: "© OpenStreetMap
    contributors", the name a link to its copyright page)."""
    link = '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    return t("map.osm", lang, osm=link)


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
    "FlowLayer",
    "Selection",
    "Style",
    "Wording",
    "add_tiles",
    "basemap_layer",
    "bounds_centre",
    "coverage_note",
    "default_scale",
    "default_text",
    "draw_map",
    "flow_map",
    "map_html",
    "new_map",
    "osm_attribution",
    "save_html",
    "skipped_note",
    "spec_map",
]
