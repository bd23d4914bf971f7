"""Batken Flowmap's server: ``streamlit run server.py`` (what ``make run`` does).

It serves the app (``app.py``, the script each session runs) as Streamlit's ``st.App``,
whose lifespan warms the server up before it takes its first connection
(:mod:`webapp.warm`): the first person to open the app gets the map as fast as the next;
and first turns Nagle's algorithm off on the server's socket (:mod:`webapp.nodelay`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit import config

from webapp.nodelay import no_delay


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Warm up (in a thread) before the first connection. The app's modules are imported
    here, once Streamlit's runtime has started, so their caches are the runtime's. A failed
    warm-up is logged and the server starts anyway: the first session builds its view."""
    log = logging.getLogger("flowmap.app")
    # Before the first connection: every connection then sends small writes at once.
    set_on = no_delay(config.get_option("server.port"))
    log.info("Nagle's algorithm off on %d listening socket(s)", set_on)
    try:
        from webapp.warm import warm  # after the runtime has started (see above)

        log.info("warmed up in %.2f s", await asyncio.to_thread(warm))
    except Exception:
        log.warning("the warm-up failed; the first session builds its view", exc_info=True)
    yield


app = st.App(Path(__file__).with_name("app.py"), lifespan=lifespan)
