"""Batken Flowmap: the Streamlit app.

This file only wires widgets to library functions (``flowmap``) and caches the slow ones.
Every choice is mirrored in the URL query string, so a view can be shared as a link.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import streamlit as st
from streamlit import runtime

from flowmap.app import userview, view, worker
from flowmap.app.cache import ByteLRU, size_of_frame, size_of_html
from flowmap.app.userview import MAX_ROWS, MAX_UPLOAD_MB, ROLES, Upload
from flowmap.batken.checks import report_json, run_checks, summary_text
from flowmap.batken.dataset import MapData
from flowmap.batken.districts import KNOWN_UNITS, districts_from_bytes, unit_name
from flowmap.batken.export import make_map, playable_map
from flowmap.batken.preset import MapOptions, missing_note
from flowmap.core._escape import markdown_lines, markdown_literal, printable
from flowmap.core.budget import APP
from flowmap.core.errors import FlowmapError
from flowmap.core.langs import LANGS
from flowmap.engine.flows import MEASURES
from flowmap.io.geoio import APP_LIMITS
from flowmap.io.userdata import LAYOUTS, ORIENTS
from flowmap.render.image import map_spec, render_image
from flowmap.render.maps import map_html
from flowmap.render.usermap import UserData
from flowmap.text import numbers
from flowmap.text.i18n import LANG_LABELS, error_text, localise, t
from flowmap.text.period import Period
from flowmap.text.places import place_name


def _page_lang() -> str:
    """The language of the browser tab's title: the session's, else the link's, else English."""
    lang = st.session_state.get("lang") or st.query_params.get("lang", "en")
    return lang if lang in LANGS else "en"


st.set_page_config(page_title=t("app.page_title", _page_lang()), page_icon="🗺️", layout="wide")


# --------------------------------------------------------------------------- cached work


@st.cache_resource(show_spinner=False)
def map_data() -> MapData:
    """Load the embedded tables and compute anchors, flow lines and the width scale once."""
    return MapData.load()


@st.cache_resource(show_spinner=False)
def reading_worker() -> bool:
    """Start, once, the fork server that reads every upload in a short-lived child process
    (``flowmap.app.worker``): its memory goes back to the system when the child ends."""
    worker.start()
    return True


# A closed page's session (its uploaded files with it, up to 50 MB each) is kept for
# ``server.disconnectedSessionTTL`` seconds (120) so that a page that reconnects resumes it.
# Streamlit (1.67) then drops an expired session from its store only when another page
# disconnects, and without shutting it down: on a quiet server the last sessions' uploads
# stayed for good (+195 MB after the load test's upload phase). A thread reaps them.
SESSION_REAP_SECONDS = 15.0


def reap_closed_sessions() -> int:
    """Shut down the stored sessions of closed pages whose time to reconnect is over (which
    removes their uploaded files), collect the garbage and give the freed memory back to the
    system; return how many sessions were shut down.

    This reads Streamlit's private session store (the ``WebsocketSessionManager`` and
    ``MemorySessionStorage`` of Streamlit 1.67); if that is not there, nothing is done.
    """
    if not runtime.exists():
        return 0
    manager: Any = getattr(runtime.get_instance(), "_session_mgr", None)
    cache: Any = getattr(getattr(manager, "_session_storage", None), "_cache", None)
    lock: Any = getattr(manager, "_storage_lock", None)
    if lock is None or not callable(getattr(cache, "expire", None)):
        return 0
    with lock:
        expired: list[Any] = list(cache.expire())
    count = len(expired)
    while expired:  # no name is left holding a session when the garbage is collected
        session = expired.pop()[1].session
        session.shutdown()
        # Streamlit's event loop may still name the last session it served: its widget
        # values (the uploaded files) go now all the same.
        session.session_state.clear()
        del session
    if count:
        gc.collect()  # a session's state lives in reference cycles
        worker.trim()
    return count


def _reap_forever() -> None:
    """Reap closed sessions every :data:`SESSION_REAP_SECONDS`, for the server's life."""
    while True:
        time.sleep(SESSION_REAP_SECONDS)
        try:
            reap_closed_sessions()
        except Exception:
            logging.getLogger("flowmap.app").exception("reaping closed sessions failed")


@st.cache_resource(show_spinner=False)
def session_reaper() -> threading.Thread:
    """Start, once, the thread that frees closed pages' sessions (see
    :func:`reap_closed_sessions`)."""
    thread = threading.Thread(target=_reap_forever, name="flowmap-session-reaper", daemon=True)
    thread.start()
    return thread


@st.cache_data(show_spinner=False)
def quality(lang: str) -> dict[str, Any]:
    """Run the data-quality checks (once per language)."""
    return report_json(run_checks(), lang)


# What the app keeps between reruns and sessions is bounded in bytes, 200 MB in all: read
# district uploads 32 MB, Batken map pages 64 MB, users' read tables 64 MB, their map pages
# 40 MB (the least recently used go first).
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


# Map pages are 0.5-20 MB of HTML each: they are cached by size, not by count.
MAP_CACHE_BYTES = 64 * MB

MapKey = tuple[tuple[tuple[str, str], ...], str]


@st.cache_resource(show_spinner=False)
def map_cache() -> ByteLRU[MapKey, str]:
    """The process-wide cache of map pages, keyed by (view query, districts digest)."""
    return ByteLRU(MAP_CACHE_BYTES, size_of=size_of_html)


def map_page(
    query: tuple[tuple[str, str], ...], digest: str, _districts: gpd.GeoDataFrame | None
) -> str:
    """Return the self-contained HTML of the map of one view (``query``: the view's URL).

    ``digest`` identifies ``_districts`` (empty when there are none); together with
    ``query`` it is the cache key, so the same view is built once for all sessions.
    """

    def build() -> str:
        data = map_data()
        state = view.state_from_query(dict(query))
        options = MapOptions(
            lang=state.lang,
            border_overlay=state.border,
            online_tiles=state.tiles,
            palette=state.palette,
        )
        selection = state.selection(data.places)
        fmap = make_map(data, selection, options, _districts, view.flows_for(data, state))
        return map_html(fmap)

    return map_cache().get_or_compute((query, digest), build)


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
        if not state.dest:
            return map_page(query, digest, _districts)
        options = MapOptions(
            lang=state.lang,
            border_overlay=state.border,
            online_tiles=state.tiles,
            palette=state.palette,
        )
        return map_html(playable_map(data, state.selection(data.places), options, _districts))

    return map_cache().get_or_compute(((*query, ("export", "playable")), digest), build)


def image_maker(
    state: view.ViewState, districts: gpd.GeoDataFrame | None, kind: str, size: str
) -> Callable[[], bytes]:
    """Return a function that draws the view as an image (run only when a user clicks)."""

    def make() -> bytes:
        data = map_data()
        options = MapOptions(lang=state.lang, border_overlay=state.border, palette=state.palette)
        fmap = make_map(
            data, state.selection(data.places), options, districts, view.flows_for(data, state)
        )
        with tempfile.TemporaryDirectory() as folder:
            path = render_image(map_spec(fmap), Path(folder) / f"map.{kind}", size=size)
            return path.read_bytes()

    return make


# --------------------------------------------------------------------------- state and URL


def start_from_url() -> None:
    """On a new session, set every widget from the URL query string (or the defaults).

    Later, after a visit to "Your data" (where Streamlit forgets the Batken widgets), put
    back the defaults of any widget that is gone."""
    started = "started" in st.session_state
    state = view.state_from_query({} if started else st.query_params.to_dict())
    values = {
        "started": True,
        "lang": state.lang,
        "when": "year" if state.year is not None else "period",
        "year": state.year if state.year is not None else 2023,
        "period": state.period or view.PERIODS[0],
        "dest": list(state.dest),
        "direction": state.direction,
        "sex": state.sex,
        "basis": state.basis,
        "border": state.border,
        "basemap": "tiles" if state.tiles else "offline",
        "palette": state.palette,
        "url_notes": list(state.notes),
    }
    for key, value in values.items():
        if not started or key not in st.session_state:
            st.session_state[key] = value


def current_state() -> view.ViewState:
    """Return the view chosen with the widgets."""
    s = st.session_state
    return view.ViewState(
        lang=s.lang,
        year=s.year if s.when == "year" else None,
        period=s.period if s.when == "period" else None,
        dest=tuple(d for d in view.DESTINATIONS if d in s.dest),
        direction=s.direction,
        sex=s.sex,
        basis=s.basis,
        border=s.border,
        tiles=s.basemap == "tiles",
        palette=s.palette,
    )


def set_dest(values: list[str]) -> None:
    """Callback of the "all" and "none" buttons."""
    st.session_state.dest = values


# --------------------------------------------------------------------------- sidebar


def sidebar(data: MapData) -> gpd.GeoDataFrame | None:
    """Draw the controls; return uploaded district areas, if any."""
    lang = st.session_state.lang
    bar = st.sidebar
    bar.radio(
        t("app.language", lang), LANGS, format_func=LANG_LABELS.get, key="lang", horizontal=True
    )
    lang = st.session_state.lang
    bar.radio(
        t("app.when", lang),
        ("year", "period"),
        key="when",
        horizontal=True,
        format_func=lambda v: t(f"app.when.{v}", lang),
    )
    if st.session_state.when == "year":
        bar.select_slider(t("app.year", lang), options=view.YEARS, key="year")
    else:
        bar.selectbox(
            t("app.period", lang),
            view.PERIODS,
            key="period",
            format_func=lambda p: Period.parse(p).label(),
        )
    bar.multiselect(
        t("app.dest", lang),
        view.DESTINATIONS,
        key="dest",
        format_func=lambda d: place_name(data.places, d, lang),
        placeholder=t("app.choose", lang),
    )
    left, right = bar.columns(2)
    left.button(
        t("app.select_all", lang),
        on_click=set_dest,
        args=(list(view.DESTINATIONS),),
        width="stretch",
    )
    right.button(t("app.select_none", lang), on_click=set_dest, args=([],), width="stretch")
    bar.radio(
        t("app.direction", lang),
        view.DIRECTIONS,
        key="direction",
        format_func=lambda d: t(f"direction.{d}", lang),
    )
    bar.radio(
        t("app.sex", lang),
        view.SEXES,
        key="sex",
        horizontal=True,
        format_func=lambda s: t(f"sex.{s}", lang),
    )
    bar.radio(
        t("app.basis", lang),
        view.BASES,
        key="basis",
        format_func=lambda b: t(f"app.basis.{b}", lang),
    )
    bar.checkbox(t("app.border", lang), key="border")
    bar.radio(
        t("app.basemap", lang),
        ("offline", "tiles"),
        key="basemap",
        format_func=lambda b: t(f"app.basemap.{b}", lang),
    )
    bar.radio(
        t("app.palette", lang),
        view.PALETTE_NAMES,
        key="palette",
        format_func=lambda p: t(f"app.palette.{p}", lang),
    )
    upload = bar.file_uploader(
        t("app.districts", lang),
        type=["geojson", "json", "gpkg", "topojson", "zip"],
        help=t("app.districts.help", lang),
        key="districts_file",
    )
    if upload is None:
        return None
    try:
        districts = districts_from_upload(upload.name, upload.getvalue())
    except FlowmapError as exc:
        bar.error(markdown_lines(error_text(exc, lang)))
        return None
    bar.caption(
        t(
            "app.districts.loaded",
            lang,
            count=numbers.count(len(districts), lang),
            n=len(districts),
            matched=numbers.count(int((districts["matched"] != "").sum()), lang),
        )
    )
    matched = sorted({str(u) for u in districts["matched"] if u}, key=list(KNOWN_UNITS).index)
    if matched:
        names = ", ".join(unit_name(u, lang) for u in matched)
        bar.caption(t("app.districts.matched", lang, names=names))
    for note in districts.attrs.get("notes", ()):
        bar.caption(markdown_literal(localise(note, lang)))
    return districts


# --------------------------------------------------------------------------- main area


def charts(data: MapData, lang: str, palette: str) -> None:
    """Arrivals, departures and net by year (Table 1), and by sex (Table 2), in the colours
    of the map's ``palette``."""
    labels = {
        "arrivals": t("direction.in", lang),
        "departures": t("direction.out", lang),
        "net": t("tip.net", lang),
    }
    axes = {
        "x_label": t("app.chart.year", lang),
        "y_label": t("app.chart.people", lang),
        "series_label": t("app.chart.series", lang),
    }
    yearly = view.yearly_totals(data.balances)
    colours = view.series_colours(list(yearly.columns), palette)
    yearly = yearly.rename(columns=labels)
    st.subheader(t("app.chart.yearly", lang))
    # One colour meaning everywhere: arrivals, departures and net as on the map; numbers
    # written the page language's way.
    st.altair_chart(
        view.year_chart(yearly, colours, lang, description=t("app.chart.yearly", lang), **axes)
    )
    st.caption(t("app.chart.note_2021", lang))
    by_sex = view.yearly_by_sex(data.balances)
    colours = view.series_colours(list(by_sex.columns), palette)
    by_sex = by_sex.rename(columns={c: t(f"app.chart.{c}", lang) for c in by_sex.columns})
    st.subheader(t("app.chart.by_sex", lang))
    st.altair_chart(
        view.year_chart(by_sex, colours, lang, description=t("app.chart.by_sex", lang), **axes)
    )
    st.caption(t("app.chart.by_sex_note", lang))


def quality_tab(lang: str) -> None:
    """The data-quality findings: contradictions and how they were resolved."""
    report = quality(lang)
    counts = report["counts"]
    st.write(summary_text("app.quality.summary", counts, lang))
    for item in report["contradictions"]:
        with st.expander(f"{item['id']}. {item['title']}"):
            st.markdown(f"**{t('app.quality.rule', lang)}**")
            st.text(item["rule"])
            st.markdown(f"**{t('app.quality.values', lang)}**")
            st.text("\n".join(item["values"]))
    st.markdown(f"**{t('app.quality.notes', lang)}**")
    st.text("\n\n".join(report["notes"]))


def coverage_tab(data: MapData, lang: str) -> None:
    """Which destination has reported, derived, modelled or no data in which year."""
    grid = view.coverage(data.flows, data.places)
    names = {d: place_name(data.places, d, lang) for d in grid.index}
    labels = {b: t(f"basis.{b}", lang) for b in ("reported", "derived", "modelled")}
    labels[""] = t("app.coverage.none", lang)
    shown = grid.rename(index=names, columns=lambda p: Period.parse(p).label())
    shown = shown.map(lambda b: labels[b])
    st.caption(t("app.coverage.caption", lang))
    colours = {
        labels["reported"]: "#c7e9c0",
        labels["derived"]: "#e5f5e0",
        labels["modelled"]: "#fee8c8",
        labels[""]: "#f0f0f0",
    }
    st.dataframe(shown.style.map(lambda v: f"background-color: {colours.get(v, '')}"))


# --------------------------------------------------------------------------- your data


UserKey = tuple[str, ...]


@st.cache_resource(show_spinner=False)
def user_data_cache() -> ByteLRU[tuple[UserKey, tuple[tuple[str, str], ...]], UserData]:
    """The process-wide cache of users' read tables, keyed by (uploads, reading choices)."""
    return ByteLRU(USER_DATA_CACHE_BYTES, size_of=userview.size_of)


@st.cache_resource(show_spinner=False)
def user_map_cache() -> ByteLRU[tuple[Any, ...], str]:
    """The process-wide cache of the map pages of users' data."""
    return ByteLRU(USER_MAP_CACHE_BYTES, size_of=size_of_html)


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
) -> str:
    """Return the map page of a user's data for one set of options (``key`` identifies
    the data: the upload's digest and column mapping)."""
    return user_map_cache().get_or_compute(
        (key, options), lambda: map_html(user.flow_map(**dict(options)))
    )


def user_image(user: UserData, options: tuple[tuple[str, Any], ...]) -> Callable[[], bytes]:
    """Return a function that draws the user's map as a 1920×1080 PNG (run on click)."""

    def make() -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            fmap = user.flow_map(**dict(options))
            return render_image(map_spec(fmap), Path(folder) / "map.png").read_bytes()

    return make


def your_data() -> None:
    """The "Your data" page: upload, check what was read, choose, map and download."""
    bar = st.sidebar
    bar.radio(
        t("app.language", st.session_state.lang),
        LANGS,
        format_func=LANG_LABELS.get,
        key="lang",
        horizontal=True,
    )
    lang = st.session_state.lang
    st.title(t("app.own.title", lang))
    st.caption(t("app.own.limits", lang, mb=MAX_UPLOAD_MB, rows=numbers.count(MAX_ROWS, lang)))
    files = st.file_uploader(
        t("app.own.upload", lang),
        type=["csv", "tsv", "txt", "xlsx", "gz"],
        accept_multiple_files=True,
        key="own_files",
    )
    if not files:
        st.info(t("app.own.empty", lang))
        return
    roles = user_roles([Upload(f.name, f.getvalue()) for f in files])
    key = upload_key(roles.flows, roles.places)
    columns = roles.columns.get(roles.flows.name, ())
    auto = t("app.own.detected", lang)
    with st.expander(t("app.own.mapping", lang)):
        layout = st.selectbox(
            t("app.own.layout", lang),
            ("auto", *[k for k in LAYOUTS if k != "places"]),
            format_func=lambda k: t(f"app.own.layout.{k}", lang),
            key="own_layout",
        )
        chosen: list[tuple[str, str]] = []
        for role in ROLES:
            column = st.selectbox(
                t(f"app.own.role.{role}", lang),
                (auto, *columns),
                format_func=lambda c: printable(c, 60),
                key=f"own_role_{role}",
            )
            if column != auto:
                chosen.append((role, column))
        orient = st.selectbox(
            t("app.own.orient", lang),
            ("auto", *ORIENTS),
            format_func=lambda k: t(f"app.own.orient.{k}", lang),
            key="own_orient",
        )
        measure = st.radio(
            t("app.own.measure", lang),
            MEASURES,
            format_func=lambda k: t(f"app.own.measure.{k}", lang),
            key="own_measure",
        )
    user = user_data(
        key,
        roles.flows,
        roles.places,
        tuple(chosen),
        None if layout == "auto" else layout,
        None if orient == "auto" else orient,
        measure,
    )
    for line in [*user.describe(), *user.notes]:
        st.caption(markdown_literal(localise(line, lang), 300))
    warnings = [localise(line, lang) for line in user.warnings(lang)[:30]]
    if warnings:
        st.warning("\n".join(f"- {markdown_literal(line, 300)}" for line in warnings))
    # One period per map: the latest unless another, or a span of years (never for a
    # stock), is chosen; the map's title says which.
    years = userview.years_of(user)
    times = userview.time_values(user)
    period: str | None = None
    summing = len(years) > 1 and bar.toggle(
        t("app.own.sum", lang),
        key="own_sum",
        disabled=user.measure == "stock",
        help=t(f"app.own.sum.help.{user.measure}", lang),
    )
    if summing and user.measure != "stock":
        span = bar.select_slider(
            t("app.own.period", lang), options=years, value=(years[0], years[-1]), key="own_years"
        )
        period = f"{span[0]}-{span[1]}" if span[0] != span[1] else str(span[0])
    elif len(times) > 1:
        shown = bar.select_slider(
            t("app.own.year", lang),
            options=times,
            value=times[-1],
            format_func=lambda label: label.replace("-", "–"),
            key="own_time",
        )
        period = None if shown == times[-1] else shown  # the latest: the map says so
    missing = user.not_drawn(period)
    if missing.flows:  # said above the map too, not only in the skipped rows
        st.warning(markdown_literal(localise(missing.message(), lang), 300))
    choices = userview.place_choices(user)
    picked = bar.multiselect(
        t("app.own.places", lang),
        list(choices),
        format_func=lambda pid: choices.get(pid, pid),
        key="own_places",
        placeholder=t("app.choose", lang),
    )
    direction = bar.radio(
        t("app.own.direction", lang),
        ("both", "out", "in", "net"),
        format_func=lambda d: t(f"direction.{d}", lang),
        key="own_direction",
        disabled=not picked,
    )
    top = bar.number_input(t("app.own.top", lang), min_value=0, value=0, step=100, key="own_top")
    least = bar.number_input(t("app.own.min", lang), min_value=0, value=0, key="own_min")
    bar.radio(
        t("app.palette", lang),
        ("default", "colourblind"),
        format_func=lambda p: t(f"app.palette.{p}", lang),
        key="palette",
        horizontal=True,
    )
    title = bar.text_input(t("app.own.title_input", lang), key="own_title", max_chars=200)
    subtitle = bar.text_input(t("app.own.subtitle_input", lang), key="own_subtitle", max_chars=200)
    source = bar.text_input(t("app.own.source_input", lang), key="own_source", max_chars=300)
    options: tuple[tuple[str, Any], ...] = (
        ("period", period),
        ("select_places", tuple(picked)),
        ("direction", direction if picked else "both"),
        ("top", int(top) or None),
        ("min_count", int(least)),
        ("title", title.strip() or None),
        ("subtitle", subtitle.strip() or None),
        ("source", source.strip() or None),
        ("lang", lang),
        ("palette", st.session_state.palette),
    )
    html = user_map_page(user, (key, tuple(chosen), layout, orient, measure), options)
    st.iframe(html, height=640, alt=t("app.map_alt", lang))

    left, middle, right = st.columns(3)
    left.download_button(
        t("app.download_html", lang),
        data=html.encode("utf-8"),
        mime="text/html",
        file_name="flowmap.html",
        key="own_download_html",
    )
    middle.download_button(
        t("app.own.download_zip", lang),
        data=lambda: userview.bundle(user, html, title=title or "flowmap", lang=lang),
        mime="application/zip",
        file_name="flowmap.zip",
        key="own_download_zip",
        on_click="ignore",
    )
    right.download_button(
        t("app.download_png", lang),
        data=user_image(user, options),
        mime="image/png",
        file_name="flowmap.png",
        key="own_download_png",
        on_click="ignore",
    )
    tabs = st.tabs([t(f"app.own.tab.{k}", lang) for k in ("flows", "places", "totals")])
    tables = (
        userview.preview(user.flows, lang=lang),
        userview.preview(user.places, lang=lang),
        userview.preview(userview.totals_table(user, lang), 500, lang),
    )
    for tab, table in zip(tabs, tables, strict=True):
        with tab:
            st.dataframe(view.shown_table(table, lang), hide_index=True)


def main() -> None:
    """The page."""
    reading_worker()
    session_reaper()
    start_from_url()
    lang = st.session_state.lang
    # Streamlit's own words (skip link, file uploader) in the page's language.
    st.sidebar.html(view.streamlit_words(lang), unsafe_allow_javascript=True)
    source = st.sidebar.radio(
        t("app.data", lang),
        ("batken", "own"),
        format_func=lambda k: t(f"app.data.{k}", lang),
        key="data_source",
        horizontal=True,
    )
    if source == "own":
        your_data()
        return
    data = map_data()
    districts = sidebar(data)
    state = current_state()
    lang = state.lang
    st.query_params.from_dict(state.to_query())

    st.title(t("map.title", lang))
    st.caption(t("app.subtitle", lang))
    for note in st.session_state.url_notes:
        st.warning(markdown_literal(localise(note, lang)))
    selection = state.selection(data.places)
    drawn = view.flows_for(data, state)
    notes = [t("app.no_dest", lang)] if not state.dest else []
    missing = missing_note(selection, data.places, drawn, lang)  # the map's own note
    notes += [missing] if missing else []
    notes += view.explain(data.flows, state, data.places, drawn)
    if notes:
        st.info("\n".join(f"- {markdown_literal(note)}" for note in notes))

    digest = ""
    if districts is not None:
        digest = hashlib.sha256(districts.to_json().encode("utf-8")).hexdigest()
    html = map_page(tuple(sorted(state.to_query().items())), digest, districts)
    st.iframe(html, height=640, alt=t("app.map_alt", lang))

    table = view.table_for(drawn, data.places, lang)
    period = (selection.period or Period(2013, 2024)).label().replace("–", "-")
    left, right, png, pdf = st.columns(4)
    query = tuple(sorted(state.to_query().items()))
    left.download_button(
        t("app.download_html", lang),
        data=lambda: export_page(query, digest, districts).encode("utf-8"),
        mime="text/html",
        file_name=f"batken-flowmap-{state.direction}-{period}-{lang}.html",
        key="download_html",
        on_click="ignore",
    )
    right.download_button(
        t("app.download_csv", lang),
        mime="text/csv",
        data=view.csv_bytes(table),
        file_name=f"batken-flowmap-{state.direction}-{period}-{lang}.csv",
        key="download_csv",
    )
    for column, kind, size, mime in (
        (png, "png", "1920x1080", "image/png"),
        (pdf, "pdf", "a4", "application/pdf"),
    ):
        column.download_button(
            t(f"app.download_{kind}", lang),
            data=image_maker(state, districts, kind, size),
            mime=mime,
            file_name=f"batken-flowmap-{state.direction}-{period}-{lang}.{kind}",
            key=f"download_{kind}",
            on_click="ignore",
        )

    tabs = st.tabs(
        [t(f"app.tab.{k}", lang) for k in ("table", "charts", "quality", "coverage", "about")]
    )
    with tabs[0]:
        st.dataframe(view.shown_table(table, lang), hide_index=True)
    with tabs[1]:
        charts(data, lang, state.palette)
    with tabs[2]:
        quality_tab(lang)
    with tabs[3]:
        coverage_tab(data, lang)
    with tabs[4]:
        st.write(t("app.about", lang))


def run() -> None:
    """Run the page; an unexpected error is logged on the server and shown as a short note."""
    try:
        main()
    except FlowmapError as exc:
        st.error(markdown_lines(error_text(exc, _page_lang())))
    except Exception:
        logging.getLogger("flowmap.app").exception("the page failed")
        st.error(t("app.error", st.session_state.get("lang", "en")))


run()
