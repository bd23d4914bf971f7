"""What a map of change between two periods says (:func:`flowmap.engine.flows.compare.change`):
its subtitle ("Change from 2017 to 2023"), the counts and the derivation in the title
box, the legend's kinds and width line, and both periods' figures for the tooltips."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from flowmap.engine.flows.compare import Compared
from flowmap.render.layer import LineStyles
from flowmap.render.spec import Change
from flowmap.text.i18n import t
from flowmap.text.numbers import count
from flowmap.text.period import Period


def _label(period: str) -> str:
    """A period as the map writes it (``2014–2016`` with an en dash)."""
    try:
        return Period.parse(period).label()
    except ValueError:  # pragma: no cover - the labels were parsed already
        return period


@dataclass(frozen=True)
class CompareWords:
    """The wording of a map of change, in its language."""

    subtitle: str
    """"Change from 2017 to 2023"."""
    alerts: tuple[str, ...]
    """The counts of gains, losses, unchanged and one-period pairs; that it is derived."""
    kinds: dict[str, str]
    """The legend line of each kind (``gain``, ``loss``, ``once``)."""
    width: str
    """The legend's line on widths (the size of the change)."""
    dots: str
    """The legend's note on the places: dots of one size, no circle sizes."""


def compare_words(
    said: Compared,
    lang: str,
    *,
    modelled: bool = False,
    derived: bool = True,
    lines: LineStyles | None = None,
) -> CompareWords:
    """Return the wording of a map of change in ``lang``: one line of counts and one
    sentence on how the change is computed. A change is derived arithmetic, and the map
    says so, unless a figure of it is ``modelled`` (a table's ``basis``): then it says how
    the change is computed. Where the map's ``lines`` draw ``basis`` ``derived`` pale and
    ``modelled`` dashed, the same sentence says so (a modelled estimate where either figure
    is one, else derived; only the first when no drawn change is ``derived``); else the
    map's own notes say what a modelled change is.

    >>> said = Compared("2017", "2023", gains=0, losses=1, same=0, once=1)
    >>> words = compare_words(said, "en", lines=LineStyles("basis", ("modelled",), ("derived",)))
    >>> words.alerts[1]
    'The change is derived (pale): for each pair of places with a figure in both periods, \
the 2023 figure minus the 2017 figure of the same table.'
    """
    periods = {"first": _label(said.first), "second": _label(said.second)}
    counts = {key: count(getattr(said, key), lang) for key in ("gains", "losses", "same", "once")}
    styled = (
        lines is not None
        and lines.column == "basis"
        and "modelled" in lines.dashed
        and "derived" in lines.pale
    )
    if not styled:
        how = "general.compare.how" if modelled else "general.compare.derived"
    elif modelled and not derived:
        how = "general.compare.how_modelled_lines"
    else:
        how = "general.compare.how_lines" if modelled else "general.compare.derived_lines"
    return CompareWords(
        subtitle=t("general.compare", lang, **periods),
        alerts=(
            t("general.compare.counts", lang, **counts),
            t(how, lang, **periods),
        ),
        kinds={k: t(f"general.kind.{k}", lang, **periods) for k in ("gain", "loss", "once")},
        width=t("legend.change_width", lang),
        dots=t("legend.change_dots", lang),
    )


def change_of(drawn: pd.DataFrame, said: Compared) -> Change:
    """Return both periods' figures of each drawn flow, in the order drawn (``None``
    where the table has no row for the pair in that period)."""

    def figures(column: str) -> tuple[int | None, ...]:
        return tuple(
            None if (v is None or (isinstance(v, float) and math.isnan(v))) else int(v)
            for v in drawn[column].tolist()
        )

    return Change(
        first=_label(said.first),
        second=_label(said.second),
        before=figures("before"),
        after=figures("after"),
    )


__all__ = ["CompareWords", "change_of", "compare_words"]
