"""The Batken data set's option values (sexes, ages, bases a view may filter by) and the
size limits of its own schema, in a module that imports nothing heavy: the command line's
parser reads them without loading pandas. :mod:`flowmap.batken.data` and
:mod:`flowmap.batken.query` export them too."""

from __future__ import annotations

SEXES: tuple[str, ...] = ("total", "male", "female")
AGES: tuple[str, ...] = ("all", "working")

BASIS_FILTERS: tuple[str, ...] = ("reported", "all")
SEX_FILTERS: tuple[str, ...] = (*SEXES, "any")
AGE_FILTERS: tuple[str, ...] = (*AGES, "any")

DEFAULT_SEX = "total"
"""The sex a view shows unless told (:class:`flowmap.batken.query.Selection`)."""
DEFAULT_AGE = "all"
"""The ages a view shows unless told (:class:`flowmap.batken.query.Selection`)."""

SCHEMA_ROWS = 50_000
"""The most rows a table in the data set's own schema may have (whatever the budget):
each row is checked in Python, one by one. A larger table goes through the general
engine (:mod:`flowmap.io.userdata`: ``origin, dest, count``)."""

SCHEMA_PLACES = 10_000
"""The most places a places file in the data set's own schema may have: the coordinates of
each are also checked against the country outlines (:func:`swapped_coordinates`, a
fraction of a millisecond a place)."""
