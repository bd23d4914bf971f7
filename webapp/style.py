"""The app page's own style sheet (``page.css``): a tighter page, and the map as tall as the
screen allows."""

from __future__ import annotations

from pathlib import Path

PAGE_ICON = "🗺️"
"""The page's icon (``st.set_page_config`` in ``app.py``; the warm-up checks it as
Streamlit does on a first run: :func:`webapp.warm.streamlit_first_run`)."""

DOWNLOAD_ICON = ":material/download:"
"""The download buttons' icon (the warm-up checks it as Streamlit does on their first run)."""

PAGE_CSS = Path(__file__).resolve().parent / "page.css"
"""The style sheet the app puts in its page (``st.html``)."""

__all__ = ["PAGE_CSS"]
