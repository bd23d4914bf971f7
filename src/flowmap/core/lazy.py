"""Modules imported on first use.

pandas takes about 0.35 s to import. The modules an image's drawing reaches (the page spec's
types, the framing, the clustered views) import it at the top for the functions that read
tables, not for the ones that draw: with :func:`module`, a drawing process
(:mod:`flowmap.cli.painter`) starts drawing without it, and any other use imports it on
its first attribute, as a plain import would have. Each such module writes::

    if TYPE_CHECKING:
        import pandas as pd
    else:
        pd = lazy.module("pandas")

so that type checkers see the real module.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any


class LazyModule(ModuleType):
    """A stand-in for the module of its name: the first attribute read imports the module
    and copies its names in, so later reads cost what a module's do."""

    def __getattr__(self, attr: str) -> Any:
        """Import the module (once), take its names, and return its attribute ``attr``."""
        real = importlib.import_module(self.__name__)
        self.__dict__.update(real.__dict__)
        return getattr(real, attr)


def module(name: str) -> ModuleType:
    """Return the module ``name`` when it is already imported, else a :class:`LazyModule`
    that imports it on first use.

    >>> module("json").dumps([1])
    '[1]'
    """
    return sys.modules.get(name) or LazyModule(name)


__all__ = ["LazyModule", "module"]
