"""The app's map as a custom component that stays loaded.

The component's page (:func:`flowmap.render.live.live_page`: Leaflet, its style sheet and
the page's scripts, inlined) is written once per server process to a folder of its own
and served by Streamlit from there (offline). Each page of the app shows its map with
:func:`show_map`: the component's frame and document stay while the view changes, and a
change sends only the view's spec (a few kB) and the GeoJSON of layers the frame has not
been sent yet (the countries, about 300 kB, once per frame).

A session's first run draws the map alone (:func:`map_first`): Streamlit's page draws the
elements of a run together, so on a first visit the map's frame was made only once the
sidebar's controls, the downloads and the tabs had been drawn too (each kind of element
loads its script on first use). The frame says when it has its view, and the page is then
drawn whole, the frame kept.

Why a bidirectional ``components.v1`` component and not ``st.components.v2``: a v2
component runs in Streamlit's own document (in a shadow root), where Leaflet's style sheet,
the page's ``window.flowmap`` scripts and the document-wide things they use (``<html
lang>``, ``document.elementFromPoint``, the page's dark background) would be shared with
the app; a v1 component is its own document in a frame, exactly as the map page was.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.components.v1 import declare_component

from flowmap.render.live import LiveMap, live_page

_SENT = "fm_live_sent"
"""Session state: per component key, the digests of the features its frame holds, and the
last request for missing ones that was answered."""


WHOLE_PAGE = "fm_whole_page"
"""Session state: set once the session's page is drawn whole (see :func:`map_first`)."""

_MAP_FIRST_SINCE = "fm_map_first_since"
"""Session state: when (``time.monotonic``) the session's map was first drawn alone."""

WAIT_SECONDS = 5.0
"""How long the page waits for the map's frame to say it has its view before it is drawn
whole anyway (a frame that failed to load says nothing)."""


FRAME_NAME = f"{__name__}.map"
"""The title Streamlit gives the component's frame (its module path and name; Streamlit has
no setting for it): the app's Streamlit-words script shows the map's name instead."""


@st.cache_resource(show_spinner=False)
def component_folder() -> str:
    """Write the component's page to a folder named by a digest of it (once per process;
    servers of the same version share it, so none leaves a folder of its own behind);
    return its path."""
    page = live_page()
    digest = hashlib.sha256(page.encode("utf-8")).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"flowmap-live-{digest}"
    index = folder / "index.html"
    if not index.is_file() or index.read_text(encoding="utf-8") != page:
        folder.mkdir(mode=0o755, exist_ok=True)
        part = folder / f"index.{os.getpid()}.part"  # written whole, then renamed
        part.write_text(page, encoding="utf-8")
        part.replace(index)
    return str(folder)


def forget_maps(keep: str) -> None:
    """Forget what the map frames other than ``keep`` held: the page that shows them is
    not shown on this run, so their frames are gone (a frame made anew holds nothing)."""
    sent: dict[str, dict[str, Any]] = st.session_state.setdefault(_SENT, {})
    for other in [k for k in sent if k != keep]:
        del sent[other]


def map_first(key: str) -> bool:
    """Whether this run draws the map (component ``key``) alone, before the rest of the
    page: on a session's first runs, until the map's frame says it has its view (its
    value ``{"ready": ...}``, sent when :func:`show_map` asks with ``report``).

    On a first visit Streamlit's page loads a script for each kind of element the first
    time one is drawn, and shows a run's elements together: the map's frame was made only
    after the controls, the downloads and the tabs were drawn (0.4-0.9 s on this machine).
    Drawn alone, the frame is made as soon as its element arrives and loads while the
    rest of the page is drawn (the next run, which keeps the frame: the map's element is
    in the same place)."""
    state = st.session_state
    if state.get(WHOLE_PAGE):
        return False
    value = state.get(key)
    if isinstance(value, dict) and value.get("ready"):
        state[WHOLE_PAGE] = True
        return False
    state.setdefault(_MAP_FIRST_SINCE, time.monotonic())
    return True


def whole_page_now() -> None:
    """Draw the whole page at once, on a run that has no map to draw first."""
    st.session_state[WHOLE_PAGE] = True
    st.rerun()


@st.fragment(run_every=WAIT_SECONDS)
def whole_page_anyway() -> None:
    """Drawn (invisibly) with a map drawn alone: if the map's frame has not said it has
    its view after :data:`WAIT_SECONDS` (a frame that failed to load), the browser's timer
    reruns this fragment, which then draws the whole page. A whole page no longer has the
    fragment, so the timer stops."""
    since = st.session_state.get(_MAP_FIRST_SINCE)
    if since is not None and time.monotonic() - since >= WAIT_SECONDS:
        whole_page_now()


def show_map(live: LiveMap, key: str, title: str, report: bool = False) -> None:
    """Show ``live`` in the app's map component ``key`` (one per app page: the other
    page's frame is gone, so what it held is forgotten); ``title`` names the map for
    screen readers (the title of the frame's document). With ``report``, the frame says
    when it has the view (its value becomes ``{"ready": ...}``, which reruns the page:
    see :func:`map_first`), and the page is drawn whole anyway should it never say.

    The first time, and whenever the frame says it lacks a layer's features (a frame
    made anew), the features go with the spec; else only their digests."""
    component = declare_component("map", path=component_folder())  # named FRAME_NAME
    forget_maps(key)
    sent: dict[str, dict[str, Any]] = st.session_state[_SENT]
    mine = sent.setdefault(key, {"held": set(), "answered": None})
    asked = st.session_state.get(key)
    if isinstance(asked, dict) and asked.get("ask") != mine["answered"]:
        mine["answered"] = asked.get("ask")
        mine["held"] -= set(asked.get("need") or ())
    payload = live.payload(mine["held"])
    mine["held"] |= set(live.digests())
    with st.container(key="fm-map"):
        component(key=key, default=None, title=title, report=report, **payload)
    if report:
        whole_page_anyway()
