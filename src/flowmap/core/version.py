"""The package's version, in a module of its own so that the command line can say it
(``flowmap --version``) without importing the whole library."""

from __future__ import annotations

__version__ = "0.1.0"
