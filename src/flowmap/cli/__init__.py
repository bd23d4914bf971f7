"""The ``flowmap`` command line.

:func:`main` runs it (tests and other programs call it in their own process);
:func:`entry` is the installed ``flowmap`` command: :func:`main`, with Python's garbage
collector tuned for one short run (:data:`SHORT_RUN_GC`) and an image drawn by a second
process where that helps (:mod:`flowmap.cli.painter`).
"""

from __future__ import annotations

import gc
import sys
from typing import NoReturn

from flowmap.cli import painter
from flowmap.cli.commands import main

SHORT_RUN_GC = (50_000, 20, 100)
"""The collector's thresholds for one command (Python's are 700, 10, 10).

A command lives a second or two and allocates most of its objects once, in its imports
(pandas, matplotlib) and its tables; at the default thresholds the collector walks those
same objects again and again, for about a tenth of a second of a Batken PNG's 1.5 s (issue
20), and as long again for the pickled spec the drawing process reads
(:mod:`flowmap.cli.painter`). At these thresholds cycles are still collected, every 50,000
new containers instead of every 700: memory stays bounded."""


def entry() -> NoReturn:
    """Run the command line of ``sys.argv`` and exit with its status; an image export may
    be drawn by a second process (:mod:`flowmap.cli.painter`, only here).

    Before Python's own exit, every object the run made is moved out of the collector's
    reach (``gc.freeze``): the exit's last full collection then has next to nothing to
    walk (0.1 s saved after pandas). Nothing else changes: exit handlers run, files are
    closed and objects freed as at any exit.
    """
    gc.set_threshold(*SHORT_RUN_GC)
    painter.enable()
    status = main()
    gc.freeze()
    sys.exit(status)


__all__ = ["SHORT_RUN_GC", "entry", "main"]
