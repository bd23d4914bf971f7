"""One check's outcome (:class:`Finding`) and the helpers every family of checks shares."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from flowmap.text.deferred import Deferred
from flowmap.text.i18n import localise, t

#: A value of a check's message: text shown as it is (ids, ``=``), or a deferred text said
#: in the report's language (a catalogue message, a number, a term, a flow...).
Part = str | Deferred


@dataclass(frozen=True)
class Finding(Deferred):
    """The outcome of one check.

    ``message`` is the English text; ``key`` and ``values`` give it in any language
    through the catalogue (:meth:`text`), numbers formatted by :mod:`flowmap.text.numbers`.
    """

    check: str
    kind: str
    ok: bool
    message: str
    key: str = ""
    values: tuple[tuple[str, Part], ...] = ()

    def text(self, lang: str = "en") -> str:
        """Return the message in ``lang`` (the English ``message`` itself in English)."""
        if lang == "en" or not self.key:
            return self.message
        return t(self.key, lang, **{name: localise(value, lang) for name, value in self.values})


def _op(ok: bool) -> str:
    return "=" if ok else "≠"


def _persons(figures: pd.DataFrame) -> pd.DataFrame:
    """Return the figures counted in persons that describe migration."""
    return figures[
        (figures["unit"] == "persons")
        & figures["measure"].isin(("arrivals", "departures", "net"))
        & (figures["counterpart"] != "")
    ]


def _ends(measure: str, place: str, counterpart: str) -> str:
    """Return ``origin>destination`` for flows and ``place~counterpart`` for a net."""
    if measure == "departures":
        return f"{place}>{counterpart}"
    if measure == "arrivals":
        return f"{counterpart}>{place}"
    return f"{place}~{counterpart}"


def _cited(row: pd.Series) -> tuple[str, str, str, str]:
    """Return a figure's value, ref, printed period and id, for :class:`Cited`."""
    return (str(row["value"]), str(row["ref"]), str(row["period"]), str(row["fig_id"]))


def _cite(row: pd.Series) -> str:
    """Return a figure as ``value (ref, printed period)``."""
    return f"{row['value']} ({row['ref']} {row['period']}, {row['fig_id']})"
