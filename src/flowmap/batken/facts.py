"""The facts of the Batken data set, in one place: whose migration it describes, which years
and spans it has, the view a map opens on, and the counterparts a reader can choose.

The preset (:mod:`flowmap.batken.build`, :mod:`flowmap.batken.query`,
:mod:`flowmap.batken.dataset`), the command line and the app read them from here; a test
(``tests/test_facts.py``) checks them against the embedded tables.
"""

from __future__ import annotations

from flowmap.text.period import Period

FOCUS = "KG-B"
"""The place whose migration the embedded data describes (Batken oblast)."""

FOCUS_NAME = "Batken"
"""The focus place's short English name, for the command line's ``--help``."""

YEARS: tuple[int, ...] = tuple(range(2013, 2025))
"""The single years the data set has figures for, earliest first."""

ARTICLE_PERIOD = Period(2014, 2023)
"""The article's whole period: the span its multi-year totals and shares cover."""

SPANS: tuple[Period, ...] = (ARTICLE_PERIOD,)
"""The spans of years the data set sums (derived from the yearly figures)."""

DEFAULT_PERIOD = ARTICLE_PERIOD
"""The period a map of the Batken data opens on when none is chosen: the article's whole
period. It is the period of the app's default view (:class:`flowmap.app.view.ViewState`), of
the command line's exports and of ``data show`` alike;
:meth:`flowmap.batken.dataset.MapData.resolve` puts it into a selection."""

DEFAULT_YEAR = 2023
"""The year the app's year slider starts on when a reader switches from a span to a year."""

PERIOD_ALL = Period(YEARS[0], YEARS[-1])
"""Every year of the data set as one span: what a file name says when no period is chosen."""

INTERNAL = "KG-OTHER"
"""The aggregate of the other oblasts of Kyrgyzstan (the counterpart of Tables 1 and 2)."""

ABROAD = "ABROAD"
"""The aggregate of every country abroad."""

DESTINATIONS: tuple[str, ...] = ("KG-GO", "KG-GB", "KG-C", "KG-REST", "RU", "UZ", "KZ", "TR", "US")
"""The counterparts a reader can choose, in display order."""

AGGREGATES: tuple[str, ...] = (INTERNAL, ABROAD)
"""The totals the source gives without splitting them into the chosen counterparts."""
