"""The languages every text of Batken Flowmap is written in."""

from __future__ import annotations

LANGS: tuple[str, ...] = ("en", "ky", "ru")
"""English, Kyrgyz and Russian: every visible text has a form in each."""
