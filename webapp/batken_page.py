"""The Batken page: the sidebar's controls, the map of the chosen view (its state, mirrored
in the URL, is :mod:`webapp.batken_state`) with its downloads, and the tabs under it."""

from __future__ import annotations

import hashlib

import streamlit as st

from flowmap.app import view
from flowmap.app.table import change_table, csv_bytes
from flowmap.batken import facts
from flowmap.batken.checks import summary_text
from flowmap.batken.compare import change_rows
from flowmap.batken.districts import KNOWN_UNITS, unit_name
from flowmap.core._escape import markdown_lines, markdown_literal
from flowmap.core.errors import FlowmapError
from flowmap.core.langs import LANGS
from flowmap.text import numbers
from flowmap.text.i18n import LANG_LABELS, error_text, localise, t
from flowmap.text.period import Period
from flowmap.text.places import place_name
from webapp.ahead import build_next, view_notes, view_table
from webapp.batken_state import current_state
from webapp.cached import (
    DistrictsRead,
    coverage_grid,
    export_page,
    image_maker,
    live_view,
    map_data,
    place_names,
    quality,
    show_table,
    uploaded_districts,
    year_charts,
)
from webapp.livemap import show_map, whole_page_now
from webapp.sessions import keep_choices
from webapp.style import DOWNLOAD_ICON

TABS = ("table", "charts", "quality", "coverage", "about")
"""The tabs under the map, in their order (their labels: the ``app.tab.*`` messages)."""

TAB_KEY = "tab"
"""Session state: the label of the open tab (in the language it was opened in)."""


def keep_tab(labels: dict[str, str]) -> None:
    """Keep the open tab open when the language changes: its label (the tabs' state) is
    put in the page's language (``labels``: each tab's label by kind)."""
    shown = st.session_state.get(TAB_KEY)
    if shown is None or shown in labels.values():
        return
    for kind in TABS:
        if shown in {t(f"app.tab.{kind}", lang) for lang in LANGS}:
            st.session_state[TAB_KEY] = labels[kind]
            return


def set_dest(values: list[str]) -> None:
    """Callback of the "all" and "none" buttons."""
    st.session_state.dest = values


# --------------------------------------------------------------------------- sidebar


def sidebar(read: DistrictsRead) -> None:
    """Draw the controls, and what was ``read`` of the uploaded district areas."""
    lang = st.session_state.lang
    bar = st.sidebar
    bar.radio(
        t("app.language", lang),
        LANGS,
        format_func=LANG_LABELS.get,
        key="lang",
        horizontal=True,
        on_change=keep_choices,
    )
    lang = st.session_state.lang
    # The map of change between two periods, like "Compare two periods" on Your data:
    # its two periods take the place of the year or period.
    if bar.toggle(t("app.compare", lang), key="compare_on"):
        for key in ("compare_first", "compare_second"):
            bar.selectbox(
                t(f"app.compare.{key.split('_')[1]}", lang),
                view.COMPARABLE,
                key=key,
                format_func=lambda p: Period.parse(p).label(),
            )
    else:
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
        format_func=place_names(lang).__getitem__,
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
    bar.radio(
        t("app.theme", lang),
        view.THEME_NAMES,
        key="theme",
        format_func=lambda k: t(f"app.theme.{k}", lang),
    )
    bar.file_uploader(
        t("app.districts", lang),
        type=["geojson", "json", "gpkg", "topojson", "zip"],
        help=t("app.districts.help", lang),
        key="districts_file",
    )
    districts = read.districts
    if read.refused is not None:
        bar.error(markdown_lines(error_text(read.refused, lang)))
    if districts is None:
        return
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


@st.cache_data(show_spinner=False, max_entries=24)
def charts(lang: str, palette: str) -> None:
    """Arrivals, departures and net by year (Table 1), and by sex (Table 2), in the colours
    of the map's ``palette`` (built once per language and palette; Streamlit replays them
    from this cache)."""
    yearly, by_sex = year_charts(lang, palette)
    st.subheader(t("app.chart.yearly", lang))
    # One colour meaning everywhere: arrivals, departures and net as on the map; numbers
    # written the page language's way.
    st.altair_chart(yearly)
    st.caption(t("app.chart.note_2021", lang))
    st.subheader(t("app.chart.by_sex", lang))
    st.altair_chart(by_sex)
    st.caption(t("app.chart.by_sex_note", lang))


@st.cache_data(show_spinner=False)
def quality_tab(lang: str) -> None:
    """The data-quality findings: contradictions and how they were resolved (built once
    per language; Streamlit replays them from this cache)."""
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


@st.cache_data(show_spinner=False)
def coverage_tab(lang: str) -> None:
    """Which destination has reported, derived, modelled or no data in which year (built
    once per language; Streamlit replays it from this cache)."""
    data = map_data()
    grid = coverage_grid()
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


def batken_page(first: bool = False) -> None:
    """The Batken page: the map of the chosen view, then the controls (their values are in
    the session's state: Streamlit's page draws the map sooner when it comes early in the
    run), its downloads and the tabs under it (table, charts, quality, coverage, about).
    ``first``: draw the title and the map alone (a session's first run, see
    :func:`webapp.livemap.map_first`)."""
    data = map_data()
    read = uploaded_districts()  # before the sidebar: the map comes first
    districts = read.districts
    state = current_state()
    lang = state.lang
    st.query_params.from_dict(state.to_query())

    st.title(t("map.title", lang), help=t("app.subtitle", lang))
    for note in st.session_state.url_notes:
        st.warning(markdown_literal(localise(note, lang)))
    selection = state.selection(data.places)
    query = tuple(sorted(state.to_query().items()))
    changes = None
    if state.compare is not None:  # the map of change: its rows, or why it is refused
        try:
            changes = change_rows(data, selection, *state.compare)
        except FlowmapError as exc:
            if first:  # no map to draw first
                whole_page_now()
            st.error(markdown_lines(error_text(exc, lang)))
            sidebar(read)
            return
    else:
        notes, line = view_notes(query)  # what the view leaves out: once per view, cached
        box = st.container(key="fm-notes")  # always here: the map keeps its place and its frame
        if notes:
            # One line above the map (the notes grouped into one statement); the notes
            # themselves folded under it.
            with box.expander(markdown_literal(line), icon=":material/info:"):
                st.markdown("\n".join(f"- {markdown_literal(note)}" for note in notes))

    digest = ""
    if districts is not None:
        digest = hashlib.sha256(districts.to_json().encode("utf-8")).hexdigest()
    # The map stays loaded: a change sends only the new view (webapp/livemap.py).
    live = live_view(query, digest, districts)
    show_map(live, "fm-live", t("app.map_alt", lang), report=first)
    if first:  # the rest when the map's frame has its view
        return
    sidebar(read)

    if state.compare is not None and changes is not None:
        table = change_table(changes, data.places, lang)
        period = "-".join(state.compare) + "-change"
    else:
        table = view_table(query)
        period = (selection.period or facts.PERIOD_ALL).label().replace("–", "-")
    left, right, png, pdf = st.columns(4)
    left.download_button(
        t("app.download_html", lang),
        help=t("app.download_html.help", lang),
        icon=DOWNLOAD_ICON,
        data=lambda: export_page(query, digest, districts).encode("utf-8"),
        mime="text/html",
        file_name=f"batken-flowmap-{state.direction}-{period}-{lang}.html",
        key="download_html",
        on_click="ignore",
    )
    right.download_button(
        t("app.download_csv", lang),
        help=t("app.download_csv.help", lang),
        icon=DOWNLOAD_ICON,
        mime="text/csv",
        data=lambda: csv_bytes(table),
        file_name=f"batken-flowmap-{state.direction}-{period}-{lang}.csv",
        key="download_csv",
        on_click="ignore",
    )
    for column, kind, size, mime in (
        (png, "png", "1920x1080", "image/png"),
        (pdf, "pdf", "a4", "application/pdf"),
    ):
        column.download_button(
            t(f"app.download_{kind}", lang),
            help=t(f"app.download_{kind}.help", lang),
            icon=DOWNLOAD_ICON,
            data=image_maker(state, districts, kind, size),
            mime=mime,
            file_name=f"batken-flowmap-{state.direction}-{period}-{lang}.{kind}",
            key=f"download_{kind}",
            on_click="ignore",
        )

    # Only the open tab is built (a click on another reruns the page): a change of view
    # builds the table, not the charts, the data-quality report and the coverage grid.
    labels = {kind: t(f"app.tab.{kind}", lang) for kind in TABS}
    keep_tab(labels)
    shown = st.tabs(list(labels.values()), key=TAB_KEY, on_change="rerun")
    tabs = dict(zip(TABS, shown, strict=True))
    with tabs["table"]:
        if tabs["table"].open:
            show_table(query, table)  # the same table for the same view
    with tabs["charts"]:
        if tabs["charts"].open:
            charts(lang, state.palette)
    with tabs["quality"]:
        if tabs["quality"].open:
            quality_tab(lang)
    with tabs["coverage"]:
        if tabs["coverage"].open:
            coverage_tab(lang)
    with tabs["about"]:
        if tabs["about"].open:
            st.write(t("app.about", lang))
    # After a year change, the views of the next years are built while this one is read.
    build_next(state, digest, districts)
