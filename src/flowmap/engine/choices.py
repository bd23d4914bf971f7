"""The engine's option values (directions, measures, the default number of flows drawn),
in a module that imports nothing heavy: the command line's parser reads them without loading
pandas, so that ``flowmap --help`` is quick. :mod:`flowmap.engine.flows` exports them too."""

from __future__ import annotations

from typing import Literal, get_args

Direction = Literal["both", "out", "in", "net"]
"""Which flows of the chosen places: ``both`` ways (departures and arrivals), ``out`` of
them, ``in`` to them, or ``net`` (for each pair, the larger direction minus the smaller).
The one vocabulary of directions: the Batken preset, its player, the CLI and the app use it
too (``all``, an older word for ``both``, is read only where users type it: the CLI)."""

DIRECTIONS: tuple[Direction, ...] = get_args(Direction)
"""The values of :data:`Direction`, in its order."""

MEASURES: tuple[str, ...] = ("flow", "stock")
"""What a table's counts are: ``flow`` (moves during each period, summable over a span:
the default) or ``stock`` (people living somewhere at a date, such as refugees at the end
of each year: a sum of several years would count the same people again)."""

DEFAULT_TOP = 1000
"""How many flows a map of a user's table draws unless told (the largest by count)."""
