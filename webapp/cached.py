"""The app's slow work, cached for every session: the Batken data and its data-quality
report, map pages and images of views, read uploads (district files and users' tables) and
the map pages of users' data. Every cache is bounded in bytes; uploads are read in a worker
process (:mod:`flowmap.app.worker`)."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st

from flowmap.app import userview, view, worker
from flowmap.app.cache import ByteLRU, size_of_frame, size_of_html, size_of_live
from flowmap.app.charts import series_colours, year_chart, yearly_by_sex, yearly_totals
from flowmap.app.table import table_html
from flowmap.app.userview import Upload
from flowmap.batken.checks import report_json, run_checks
from flowmap.batken.compare import compare_map
from flowmap.batken.dataset import MapData
from flowmap.batken.districts import districts_from_bytes
from flowmap.batken.export import make_map, playable_map
from flowmap.batken.preset import MapOptions
from flowmap.batken.wording import subtitle_of
from flowmap.core.budget import APP
from flowmap.core.errors import FlowmapError
from flowmap.io.geoio import APP_LIMITS
from flowmap.render.element import map_spec
from flowmap.render.image import render_image
from flowmap.render.live import LiveMap, live_map
from flowmap.render.maps import map_html
from flowmap.render.usermap import UserData
from flowmap.text.i18n import t
from flowmap.text.places import place_name

if TYPE_CHECKING:
    import altair as alt


@st.cache_resource(show_spinner=False)
def map_data() -> MapData:
    """Load the embedded tables and compute anchors, flow lines and the width scale once."""
    return MapData.load()


@st.cache_data(show_spinner=False)
def quality(lang: str) -> dict[str, Any]:
    """Run the data-quality checks (once per language)."""
    return report_json(run_checks(), lang)


@st.cache_data(show_spinner=False, max_entries=256)
def table_page(query: tuple[tuple[str, str], ...], _table: pd.DataFrame) -> str:
    """Return the HTML of the table of one view (``query``: its URL, which determines
    ``_table``), once per view for every session (:func:`flowmap.app.table.table_html`)."""
    return table_html(_table, view.state_from_query(dict(query)).lang)


def show_table(query: tuple[tuple[str, str], ...], _table: pd.DataFrame) -> None:
    """Show the table of one view (``query``: its URL; ``_table``: its table, which the
    query determines), numbers written the way its language writes them, as an HTML
    table: Streamlit's data grid would make a first visit load and compile 1.7 MB more
    scripts before the map's frame is made."""
    st.html(table_page(query, _table))


@st.cache_resource(show_spinner=False)
def place_names(lang: str) -> dict[str, str]:
    """Return the names of the destinations in ``lang`` (the controls' option labels)."""
    places = map_data().places
    return {d: place_name(places, d, lang) for d in view.DESTINATIONS}


@st.cache_data(show_spinner=False)
def coverage_grid() -> pd.DataFrame:
    """Return which destination has data of which basis in which period (once)."""
    data = map_data()
    return view.coverage(data.flows, data.places)


@st.cache_resource(show_spinner=False, max_entries=24)
def year_charts(lang: str, palette: str) -> tuple[alt.Chart, alt.Chart]:
    """Return the charts of arrivals, departures and net by year (Table 1) and by sex
    (Table 2), in ``lang`` and the colours of the map's ``palette`` (built once each)."""
    balances = map_data().balances
    axes = {
        "x_label": t("app.chart.year", lang),
        "y_label": t("app.chart.people", lang),
        "series_label": t("app.chart.series", lang),
    }
    labels = {
        "arrivals": t("direction.in", lang),
        "departures": t("direction.out", lang),
        "net": t("tip.net", lang),
    }
    yearly = yearly_totals(balances)
    colours = series_colours(list(yearly.columns), palette)
    yearly = yearly.rename(columns=labels)
    first = year_chart(yearly, colours, lang, description=t("app.chart.yearly", lang), **axes)
    by_sex = yearly_by_sex(balances)
    colours = series_colours(list(by_sex.columns), palette)
    by_sex = by_sex.rename(columns={c: t(f"app.chart.{c}", lang) for c in by_sex.columns})
    second = year_chart(by_sex, colours, lang, description=t("app.chart.by_sex", lang), **axes)
    return first, second


# What the app keeps between reruns and sessions is bounded in bytes, 232 MB in all: read
# district uploads 32 MB, Batken map pages (downloads) 64 MB, what the live map is sent per
# Batken view 32 MB, users' read tables 64 MB, their map pages 40 MB (the least recently used
# go first).
MB = 1024 * 1024
UPLOAD_CACHE_BYTES = 32 * MB
USER_DATA_CACHE_BYTES = 64 * MB
USER_MAP_CACHE_BYTES = 40 * MB


@st.cache_resource(show_spinner=False)
def upload_cache() -> ByteLRU[tuple[str, str], gpd.GeoDataFrame]:
    """The process-wide cache of read district uploads, keyed by (name, content digest)."""
    return ByteLRU(UPLOAD_CACHE_BYTES, size_of=size_of_frame)


def districts_from_upload(name: str, content: bytes) -> gpd.GeoDataFrame:
    """Read an uploaded district boundary file from memory (never written to disk); errors
    name the upload, never a server path."""
    key = (name, hashlib.sha256(content).hexdigest())
    return upload_cache().get_or_compute(
        key, lambda: worker.run(districts_from_bytes, name, content, APP_LIMITS, name=name)
    )


@dataclass(frozen=True)
class DistrictsRead:
    """What was read of the district areas uploaded in the sidebar: the areas, or why the
    file is refused (both none without an upload)."""

    districts: gpd.GeoDataFrame | None = None
    refused: FlowmapError | None = None


def uploaded_districts() -> DistrictsRead:
    """Read the district areas of the upload in the sidebar, once per run: the page reads
    them before the sidebar is drawn (the widget's value is in the session's state from the
    run before: :mod:`webapp.batken_page` draws the map before the sidebar), and the
    sidebar says what was read."""
    upload = st.session_state.get("districts_file")
    if upload is None:
        return DistrictsRead()
    try:
        return DistrictsRead(districts_from_upload(upload.name, upload.getvalue()))
    except FlowmapError as exc:
        return DistrictsRead(refused=exc)


# Map pages are 0.5-20 MB of HTML each: they are cached by size, not by count.
MAP_CACHE_BYTES = 64 * MB

MapKey = tuple[tuple[tuple[str, str], ...], str]


@st.cache_resource(show_spinner=False)
def map_cache() -> ByteLRU[MapKey, str]:
    """The process-wide cache of map pages, keyed by (view query, districts digest)."""
    return ByteLRU(MAP_CACHE_BYTES, size_of=size_of_html)


def live_view(
    query: tuple[tuple[str, str], ...], digest: str, _districts: gpd.GeoDataFrame | None
) -> LiveMap:
    """Return what the app's live map is sent to draw one view (``query``: the view's
    URL; :func:`flowmap.render.live.live_map`).

    ``digest`` identifies ``_districts`` (empty when there are none); together with
    ``query`` it is the cache key, so the same view is built once for all sessions.
    """
    return live_cache().get_or_compute(
        (query, digest), lambda: live_map(_view_map(query, _districts, in_app=True))
    )


# What the live map is sent for a view: its spec (a few kB) and its layers' GeoJSON
# (counted whole in each, though views share it).
LIVE_CACHE_BYTES = 32 * MB


@st.cache_resource(show_spinner=False)
def live_cache() -> ByteLRU[MapKey, LiveMap]:
    """The process-wide cache of live maps of views, keyed as :func:`map_cache`."""
    return ByteLRU(LIVE_CACHE_BYTES, size_of=size_of_live)


def options_of(state: view.ViewState, *, tiles: bool = True) -> MapOptions:
    """The map options a view asks for: language, border, basemap tiles (never on an
    image: ``tiles=False``), palette and look."""
    return MapOptions(
        lang=state.lang,
        border_overlay=state.border,
        online_tiles=tiles and state.tiles,
        palette=state.palette,
        theme=state.theme,
    )


def _view_page(
    query: tuple[tuple[str, str], ...], districts: gpd.GeoDataFrame | None, *, in_app: bool
) -> str:
    """Return the map page of one view (:func:`_view_map`)."""
    return map_html(_view_map(query, districts, in_app=in_app))


def _view_map(
    query: tuple[tuple[str, str], ...], districts: gpd.GeoDataFrame | None, *, in_app: bool
) -> folium.Map:
    """Return the map of one view. ``in_app``: for the app, where the page's heading
    gives the title and the line above the map what the view leaves out; the map's title
    box then says only what is shown (its notes still say what is left out)."""
    return build_map(map_data(), query, districts, in_app)


def build_map(
    data: MapData,
    query: tuple[tuple[str, str], ...],
    districts: gpd.GeoDataFrame | None,
    in_app: bool,
) -> folium.Map:
    """Return the map of one view of ``data`` (:func:`_view_map`)."""
    state = view.state_from_query(dict(query))
    selection = state.selection(data.places)
    options = options_of(state)
    if state.compare is not None:  # the map of change between two periods
        return compare_map(data, selection, *state.compare, options)
    if in_app:
        subtitle = subtitle_of(selection, state.lang, data.places)
        options = replace(options, title=subtitle, subtitle="", alerts=False)
    return make_map(data, selection, options, districts, view.flows_for(data, state))


def export_page(
    query: tuple[tuple[str, str], ...], digest: str, _districts: gpd.GeoDataFrame | None
) -> str:
    """Return the HTML file the "Download HTML" button gives for one view: a playable page
    that carries every year, direction and language of the view's destinations, with its
    own slider, play button and toggles (the view's own page when no destination is
    chosen). Built when a user clicks, cached like the map pages."""

    def build() -> str:
        data = map_data()
        state = view.state_from_query(dict(query))
        if not state.dest or state.compare is not None:
            return _view_page(query, _districts, in_app=False)
        options = options_of(state)
        return map_html(playable_map(data, state.selection(data.places), options, _districts))

    return map_cache().get_or_compute(((*query, ("export", "playable")), digest), build)


def image_maker(
    state: view.ViewState, districts: gpd.GeoDataFrame | None, kind: str, size: str
) -> Callable[[], bytes]:
    """Return a function that draws the view as an image (run only when a user clicks)."""

    def make() -> bytes:
        data = map_data()
        options = options_of(state, tiles=False)
        if state.compare is not None:
            fmap = compare_map(data, state.selection(data.places), *state.compare, options)
        else:
            fmap = make_map(
                data, state.selection(data.places), options, districts, view.flows_for(data, state)
            )
        with tempfile.TemporaryDirectory() as folder:
            path = render_image(map_spec(fmap), Path(folder) / f"map.{kind}", size=size)
            return path.read_bytes()

    return make


UserKey = tuple[str, ...]


@st.cache_resource(show_spinner=False)
def user_data_cache() -> ByteLRU[tuple[UserKey, tuple[tuple[str, str], ...]], UserData]:
    """The process-wide cache of users' read tables, keyed by (uploads, reading choices)."""
    return ByteLRU(USER_DATA_CACHE_BYTES, size_of=userview.size_of)


@st.cache_resource(show_spinner=False)
def user_map_cache() -> ByteLRU[tuple[Any, ...], tuple[str, LiveMap]]:
    """The process-wide cache of the map pages of users' data (with their live maps)."""
    return ByteLRU(
        USER_MAP_CACHE_BYTES, size_of=lambda both: size_of_html(both[0]) + size_of_live(both[1])
    )


def upload_key(flows: Upload, places: Upload | None) -> UserKey:
    """Identify one or two uploads by name and content digest."""
    key: UserKey = (flows.name, hashlib.sha256(flows.data).hexdigest())
    if places is not None:
        key += (places.name, hashlib.sha256(places.data).hexdigest())
    return key


def user_roles(uploads: list[Upload]) -> userview.Roles:
    """Which upload holds the flows and which the places: the files are read in a worker."""
    names = ", ".join(u.name for u in uploads)
    return userview.assign(uploads, worker.run(userview.classify, uploads, name=names))


def user_data(
    key: UserKey,
    flows: Upload,
    places: Upload | None,
    columns: tuple[tuple[str, str], ...],
    layout: str | None,
    orient: str | None = None,
    measure: str = "flow",
) -> UserData:
    """Read a user's upload(s) in a worker, once per content (``key``), column mapping,
    matrix orientation and measure; errors name "Layout and columns", and a table of more
    rows than the app maps is refused there."""
    choices = (*columns, ("layout", layout or ""), ("orient", orient or ""), ("measure", measure))
    return user_data_cache().get_or_compute(
        (key, choices),
        lambda: worker.run(
            userview.read_upload,
            flows,
            places,
            columns=dict(columns),
            layout=layout,
            orient=orient,
            measure=measure,
            budget=APP,
            name=flows.name,
        ),
    )


def user_map_page(
    user: UserData, key: tuple[Any, ...], options: tuple[tuple[str, Any], ...]
) -> tuple[str, LiveMap]:
    """Return the map page of a user's data for one set of options (``key`` identifies
    the data: the upload's digest and column mapping), and what the app's live map is sent
    to draw it; both from one map, built once."""

    def build() -> tuple[str, LiveMap]:
        fmap = user.flow_map(**dict(options))
        return map_html(fmap), live_map(fmap)

    return user_map_cache().get_or_compute((key, options), build)


def user_image(user: UserData, options: tuple[tuple[str, Any], ...]) -> Callable[[], bytes]:
    """Return a function that draws the user's map as a 1920×1080 PNG (run on click)."""

    def make() -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            fmap = user.flow_map(**dict(options))
            return render_image(map_spec(fmap), Path(folder) / "map.png").read_bytes()

    return make
