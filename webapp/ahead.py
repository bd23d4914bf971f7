"""The notes and tables of the Batken page's views, cached for every session, and the views
a year change will ask for next, built ahead.

When the year slider moves, one background thread builds the same view of the next years
(two on in the direction the slider moved, one back; on a session's first one-year view,
the years on either side): its notes, table and live map, into
the process-wide caches, where the next stop of the slider finds them ready (a view is
built once for all sessions). The thread runs no Streamlit function: the page's script
hands it the data and the caches."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace

import geopandas as gpd
import pandas as pd
import streamlit as st

from flowmap.app import view
from flowmap.app.cache import ByteLRU, size_of_frame
from flowmap.app.table import table_for
from flowmap.batken.dataset import MapData
from flowmap.batken.preset import missing_note
from flowmap.render.live import live_map
from flowmap.text.i18n import t
from webapp.cached import build_map, live_cache, map_data

Query = tuple[tuple[str, str], ...]
"""A view, as its URL's query (sorted pairs): the key of the caches of views."""


@dataclass(frozen=True)
class ViewFacts:
    """What the page says of one view besides its map: the notes on what it leaves out,
    the one line above the map that says them together ("" when there are none) and the
    table of the flows it draws."""

    notes: tuple[str, ...]
    line: str
    table: pd.DataFrame

    @property
    def size(self) -> int:
        """Roughly the bytes it holds (the cache of views' facts is bounded by it)."""
        return size_of_frame(self.table) + 4 * sum(len(n) for n in (*self.notes, self.line))


# The notes and tables of views: a few kB each.
FACTS_CACHE_BYTES = 8 * 1024 * 1024


@st.cache_resource(show_spinner=False)
def facts_cache() -> ByteLRU[Query, ViewFacts]:
    """The process-wide cache of views' notes and tables, keyed by the view's query."""
    return ByteLRU(FACTS_CACHE_BYTES, size_of=lambda facts: facts.size)


def view_facts(data: MapData, query: Query) -> ViewFacts:
    """Return the notes and the table of one view (``query``: its URL), once per view for
    all sessions (built ahead for the years next to a shown one: :mod:`webapp.ahead`)."""
    return facts_cache().get_or_compute(query, lambda: _facts(data, query))


def _facts(data: MapData, query: Query) -> ViewFacts:
    """Work out the notes and the table of one view (:func:`view_facts`)."""
    state = view.state_from_query(dict(query))
    lang = state.lang
    drawn = view.flows_for(data, state)
    table = table_for(drawn, data.places, lang)
    notes = [t("app.no_dest", lang)] if not state.dest else []
    missing = missing_note(state.selection(data.places), data.places, drawn, lang)
    notes += [missing] if missing else []  # the map's own note
    explained, line = view.explained(data.flows, state, data.places, drawn)
    notes += explained
    if not notes:
        return ViewFacts((), "", table)
    return ViewFacts(tuple(notes), (line if state.dest else "") or notes[0], table)


def view_notes(query: Query) -> tuple[list[str], str]:
    """Return the notes on what one view (``query``: its URL) leaves out, and the one line
    above the map that says them together ("" when there are none)."""
    facts = view_facts(map_data(), query)
    return list(facts.notes), facts.line


def view_table(query: Query) -> pd.DataFrame:
    """Return (a copy of) the table of the flows one view draws
    (:func:`flowmap.app.table.table_for`)."""
    return view_facts(map_data(), query).table.copy()


# --------------------------------------------------------------------------- built ahead

AHEAD_QUEUE = 6
"""Views waiting to be built ahead, at most (the newest; older requests are dropped)."""

_SHOWN = "fm_ahead_shown"
"""Session state: the query of the one-year view the page showed last."""


class Ahead:
    """One daemon thread that runs queued jobs, the newest first; at most ``limit`` jobs
    wait (the oldest are dropped). A job that fails is logged and skipped: the page, which
    builds the view itself when it is not cached, shows the error if there is one."""

    def __init__(self, limit: int) -> None:
        self._jobs: deque[Callable[[], object]] = deque(maxlen=limit)
        self._busy = False
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="flowmap-ahead", daemon=True)
        self._thread.start()

    def submit(self, jobs: list[Callable[[], object]]) -> None:
        """Queue ``jobs`` to run before those waiting, in their order."""
        with self._wake:
            self._jobs.extend(reversed(jobs))  # the last in runs first
            self._wake.notify_all()

    def wait(self, timeout: float) -> bool:
        """Wait until no job waits or runs, at most ``timeout`` seconds; return whether
        none does."""
        with self._wake:
            return self._wake.wait_for(lambda: not self._jobs and not self._busy, timeout)

    def _run(self) -> None:
        """Run the jobs, for the server's life."""
        while True:
            with self._wake:
                self._wake.wait_for(lambda: bool(self._jobs))
                job = self._jobs.pop()
                self._busy = True
            try:
                job()
            except Exception:
                logging.getLogger("flowmap.app").warning("building a view ahead failed")
            finally:
                with self._wake:
                    self._busy = False
                    self._wake.notify_all()


@st.cache_resource(show_spinner=False)
def ahead() -> Ahead:
    """The server's one thread that builds views ahead (started once)."""
    return Ahead(AHEAD_QUEUE)


def next_years(year: int, previous: int) -> list[int]:
    """Return the years the slider reaches next after moving from ``previous`` to
    ``year``, nearest first: two stops on in the direction it moved, then one back."""
    years = list(view.YEARS)
    at = years.index(year)
    on = 1 if year > previous else -1
    stops = (at + on, at + 2 * on, at - on)
    return [years[i] for i in stops if 0 <= i < len(years)]


def first_years(year: int) -> list[int]:
    """Return the years next to ``year`` on the slider, the one before first (a session's
    first move, either way, finds its view built)."""
    years = list(view.YEARS)
    at = years.index(year)
    return [years[i] for i in (at - 1, at + 1) if 0 <= i < len(years)]


def build_next(state: view.ViewState, digest: str, districts: gpd.GeoDataFrame | None) -> None:
    """After a year change (the view shown last in this session differs from ``state``
    only in its year), queue the views of the next years to be built ahead; on the first
    one-year view a session shows, the years on either side (either way the slider may
    move first). Other changes build nothing ahead: a change of several controls at once
    does not say which view comes next."""
    if state.year is None or state.compare is not None:
        st.session_state.pop(_SHOWN, None)
        return
    query = query_of(state)
    last = st.session_state.get(_SHOWN)
    st.session_state[_SHOWN] = query
    if last == query:
        return
    if last is None:
        years = first_years(state.year)
    else:
        before = view.state_from_query(dict(last))
        if before.year is None or replace(before, year=state.year) != replace(state, notes=()):
            return
        years = next_years(state.year, before.year)
    queries = [query_of(replace(state, year=y)) for y in years]
    ahead().submit(ahead_jobs(map_data(), queries, digest, districts))


def query_of(state: view.ViewState) -> Query:
    """The query of a view, as the caches of views are keyed."""
    return tuple(sorted(state.to_query().items()))


def ahead_jobs(
    data: MapData, queries: list[Query], digest: str, districts: gpd.GeoDataFrame | None
) -> list[Callable[[], object]]:
    """Return a job per view of ``queries`` that builds its notes, table and live map
    into the caches (as the page does: :func:`view_facts`, :func:`webapp.cached.live_view`
    with the districts ``districts`` of digest ``digest``)."""
    facts, lives = facts_cache(), live_cache()

    def job(query: Query) -> Callable[[], object]:
        def build() -> object:
            facts.get_or_compute(query, lambda: _facts(data, query))
            return lives.get_or_compute(
                (query, digest), lambda: live_map(build_map(data, query, districts, True))
            )

        return build

    return [job(q) for q in queries]
