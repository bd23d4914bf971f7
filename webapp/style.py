"""The app page's own style sheet (``page.css``): a tighter page, and the map as tall as the
screen allows."""

from __future__ import annotations

from pathlib import Path

PAGE_CSS = Path(__file__).resolve().parent / "page.css"
"""The style sheet the app puts in its page (``st.html``)."""

__all__ = ["PAGE_CSS"]
