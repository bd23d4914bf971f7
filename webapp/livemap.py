"""The app's map as a custom component that stays loaded.

The component's page (:func:`flowmap.render.live.live_page`: Leaflet, its style sheet and
the page's scripts, inlined) is written once per server process to a folder of its own
and served by Streamlit from there (offline). Each page of the app shows its map with
:func:`show_map`: the component's frame and document stay while the view changes, and a
change sends only the view's spec (a few kB) and the GeoJSON of layers the frame has not
been sent yet (the countries, about 300 kB, once per frame).

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
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.components.v1 import declare_component

from flowmap.render.live import LiveMap, live_page

_SENT = "fm_live_sent"
"""Session state: per component key, the digests of the features its frame holds, and the
last request for missing ones that was answered."""


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


def show_map(live: LiveMap, key: str, title: str) -> None:
    """Show ``live`` in the app's map component ``key`` (one per app page: the other
    page's frame is gone, so what it held is forgotten); ``title`` names the map for
    screen readers (the title of the frame's document).

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
        component(key=key, default=None, title=title, **payload)
