"""Batken Flowmap: migration flows of Batken oblast with provenance, as tables and maps."""

from __future__ import annotations

__version__ = "0.1.0"
