"""The server's warm-up: before it takes its first connection, the app's modules are
imported and the Batken page's default view is built into the process-wide caches, so the
first person to open the app waits no longer than the next (``server.py`` imports this
module and runs :func:`warm` in Streamlit's ``st.App`` lifespan, after Streamlit's runtime
has started, so the caches are the runtime's, and before the server accepts connections)."""

from __future__ import annotations

import time

from streamlit import env_util, string_util

from flowmap.app import view
from flowmap.core.langs import LANGS
from webapp import ahead, cached, livemap
from webapp.batken_page import batken_page  # noqa: F401  (imported for the first run)
from webapp.own_page import your_data  # noqa: F401  (imported for the first run)
from webapp.style import DOWNLOAD_ICON, PAGE_ICON


def default_query() -> ahead.Query:
    """The query of the view a new session opens on (a link without a query)."""
    return ahead.query_of(view.state_from_query({}))


def warm() -> float:
    """Build what the first session's first run needs: the data, the component's page,
    the places' names in every language and the default view's notes, table (and its
    HTML) and live map (into the caches the page reads: :mod:`webapp.cached`,
    :mod:`webapp.ahead`); return the seconds it took."""
    started = time.perf_counter()
    data = cached.map_data()
    livemap.component_folder()
    for lang in LANGS:
        cached.place_names(lang)
    query = default_query()
    ahead.view_facts(data, query)
    cached.table_page(query, ahead.view_table(query))
    cached.live_view(query, "", None)
    streamlit_first_run()
    return time.perf_counter() - started


def streamlit_first_run() -> None:
    """Do what Streamlit itself does once per process on the first run of a page, about
    half a second on this machine before the first map could be drawn: it checks the
    page's icon against its catalogue of emoji (:func:`streamlit.string_util.is_emoji`
    imports and compiles it) and, with the first element, whether it runs in a REPL
    (:func:`streamlit.env_util.is_repl` reads the call stack, which makes Python's
    ``inspect`` map every loaded module to its file); and, on the run that draws the
    whole page, the download buttons' icon against its catalogue of Material icons
    (:func:`streamlit.string_util.validate_icon_or_emoji`, as the buttons do, imports it:
    0.02 s)."""
    string_util.is_emoji(PAGE_ICON)
    env_util.is_repl()
    string_util.validate_icon_or_emoji(DOWNLOAD_ICON)
