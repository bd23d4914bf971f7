"""The app server's housekeeping: the fork server that reads uploads, the thread that frees
the sessions (and uploaded files) of closed pages, and the choices a language switch keeps."""

from __future__ import annotations

import gc
import logging
import threading
import time
from typing import Any

import streamlit as st
from streamlit import runtime

from flowmap.app import worker

UNSETTABLE: tuple[str, ...] = ("districts_file", "own_files", "download_", "own_download_", "fm-")
"""Keys (or key prefixes) of widgets whose value cannot be set through the session: the
uploaders, the download buttons and the map components. They hold no choice to keep."""


def keep_choices() -> None:
    """Callback of the language switch: keep every choice made with the widgets.

    Streamlit (1.67) sends a radio's, select's or multiselect's value to the page as the
    option's label (``format_func``), and reads it back by that label. Our labels are in
    the page's language, so after a switch the page sent labels of the old language that
    match no option: from the second switch on, every radio came back empty and the
    destinations with it (the map said "no destination chosen"). Setting each value
    again here makes Streamlit take it from the session, not from the page's label."""
    for key in list(st.session_state.keys()):
        if key == "lang" or str(key).startswith(UNSETTABLE):
            continue
        st.session_state[key] = st.session_state[key]


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
