"""The "Your data" page: upload a table, check what was read, choose what to map, and
download the map (HTML, PNG) or a bundle of map and tables."""

from __future__ import annotations

from typing import Any

import streamlit as st

from flowmap.app import userview
from flowmap.app.table import shown_table
from flowmap.app.userview import MAX_ROWS, MAX_UPLOAD_MB, ROLES, Upload
from flowmap.core._escape import markdown_literal, printable
from flowmap.core.langs import LANGS
from flowmap.engine.flows import DIRECTIONS, MEASURES
from flowmap.engine.flows.limit import DEFAULT_TOP
from flowmap.io.userdata import LAYOUTS, ORIENTS
from flowmap.render.theme import THEMES
from flowmap.text import numbers
from flowmap.text.i18n import LANG_LABELS, localise, t
from webapp.cached import upload_key, user_data, user_image, user_map_page, user_roles
from webapp.livemap import show_map
from webapp.sessions import keep_choices
from webapp.style import DOWNLOAD_ICON


def your_data() -> None:
    """The "Your data" page: upload, check what was read, choose, map and download."""
    bar = st.sidebar
    bar.radio(
        t("app.language", st.session_state.lang),
        LANGS,
        format_func=LANG_LABELS.get,
        key="lang",
        horizontal=True,
        on_change=keep_choices,
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
        DIRECTIONS,
        # "both" is worded for any places here; the other words are the Batken page's
        format_func=lambda d: t(
            "app.own.direction.both" if d == "both" else f"direction.{d}", lang
        ),
        key="own_direction",
        disabled=not picked,
    )
    top = bar.number_input(
        t("app.own.top", lang), min_value=0, value=DEFAULT_TOP, step=100, key="own_top"
    )
    least = bar.number_input(t("app.own.min", lang), min_value=0, value=0, key="own_min")
    bar.radio(
        t("app.palette", lang),
        ("default", "colourblind"),
        format_func=lambda p: t(f"app.palette.{p}", lang),
        key="palette",
        horizontal=True,
    )
    bar.radio(
        t("app.theme", lang),
        THEMES,
        format_func=lambda k: t(f"app.theme.{k}", lang),
        key="theme",
        horizontal=True,
    )
    compare = None  # the change between two periods, where the table has two or more
    if len(times) > 1 and bar.toggle(t("app.compare", lang), key="own_compare"):
        first = bar.selectbox(t("app.compare.first", lang), times, index=0, key="own_first")
        second = bar.selectbox(
            t("app.compare.second", lang), times, index=len(times) - 1, key="own_second"
        )
        compare, period = (first, second), None
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
        ("theme", st.session_state.theme),
        ("compare", compare),
    )
    html, live = user_map_page(user, (key, tuple(chosen), layout, orient, measure), options)
    show_map(live, "fm-live-own", t("app.map_alt", lang))  # stays loaded (webapp/livemap.py)

    left, middle, right = st.columns(3)
    left.download_button(
        t("app.download_html", lang),
        help=t("app.download_html.help", lang),
        icon=DOWNLOAD_ICON,
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
        help=t("app.download_png.help", lang),
        icon=DOWNLOAD_ICON,
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
            st.dataframe(shown_table(table, lang), hide_index=True)
