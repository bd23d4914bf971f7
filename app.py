"""Batken Flowmap: the Streamlit app.

This file is the script each session runs (``server.py`` serves it: ``streamlit run
server.py``, as ``make run`` does): it sets up the page and chooses between
its two pages, the Batken data (:mod:`webapp.batken_page`) and "Your data"
(:mod:`webapp.own_page`). Those only wire widgets to library functions (``flowmap``) and
cache the slow ones (:mod:`webapp.cached`). Every choice is mirrored in the URL query
string, so a view can be shared as a link.
"""

from __future__ import annotations

import logging

import streamlit as st

from flowmap.app import view
from flowmap.core._escape import markdown_lines
from flowmap.core.errors import FlowmapError
from flowmap.core.langs import LANGS
from flowmap.text.i18n import error_text, t
from webapp.batken_page import batken_page
from webapp.batken_state import start_from_url
from webapp.livemap import FRAME_NAME, forget_maps, map_first
from webapp.own_page import your_data
from webapp.sessions import reading_worker, session_reaper
from webapp.style import PAGE_CSS, PAGE_ICON


def _page_lang() -> str:
    """The language of the browser tab's title: the session's, else the link's, else English."""
    lang = st.session_state.get("lang") or st.query_params.get("lang", "en")
    return lang if lang in LANGS else "en"


st.set_page_config(page_title=t("app.page_title", _page_lang()), page_icon=PAGE_ICON, layout="wide")


def main() -> None:
    """The page."""
    reading_worker()
    session_reaper()
    start_from_url()
    lang = st.session_state.lang
    st.html(PAGE_CSS)
    first = map_first("fm-live")  # a session's first run: the Batken map alone, then the rest
    source = "batken"
    if not first:
        source = st.sidebar.radio(
            t("app.data", lang),
            ("batken", "own"),
            format_func=lambda k: t(f"app.data.{k}", lang),
            key="data_source",
            horizontal=True,
        )
    forget_maps("fm-live-own" if source == "own" else "fm-live")  # the other page's map is gone
    if source == "own":
        your_data()
    else:
        batken_page(first)
    # Streamlit's own words (skip link, file uploader) in the page's language. The map
    # frame's title names the map, not the component's module. Last: the map's element
    # comes early in the run, so Streamlit's page draws a new view sooner.
    names = {FRAME_NAME: t("app.map_alt", lang)}
    st.sidebar.html(view.streamlit_words(lang, names), unsafe_allow_javascript=True)


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
