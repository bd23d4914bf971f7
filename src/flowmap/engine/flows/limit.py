"""The default limit on the flows a map draws: the largest by count, said on the map.

A table of 11,000 or 40,000 flows drawn whole is one solid blob of ink; flowmap.gl draws
the largest 5,000 by default. :data:`DEFAULT_TOP` is lower (1,000): on a 1400×900 view
1,000 faded curves already cover a world matrix's land (5,000 would be the blob again),
while they hold most of the volume of the heavy-tailed tables we tried (68% of a
10,755-flow, 200-country matrix; 79% of a 7,014-flow, 3,000-place national table), so what
is left out is the long tail of small flows. Whenever flows are left out,
:meth:`Limited.message` says so in the title box ("Largest 1,000 of 10,755 flows shown,
68% of the volume"): never silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flowmap.core import lazy
from flowmap.engine.choices import DEFAULT_TOP as DEFAULT_TOP
from flowmap.text.i18n import Message, Texts, msg
from flowmap.text.numbers import count, percent

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy.module("pandas")  # imported on first use (flowmap.core.lazy)


@dataclass(frozen=True)
class Limited:
    """What a limit left out: ``shown`` of ``total`` flows drawn, holding ``volume`` of
    the ``whole`` volume."""

    shown: int
    total: int
    volume: float
    whole: float

    @property
    def share(self) -> float:
        """The share of the volume drawn (1 when the table is empty)."""
        return self.volume / self.whole if self.whole else 1.0

    def message(self) -> Message:
        """Return "Largest 1,000 of 11,155 flows shown, 96% of the volume"."""
        share = self.share
        digits = 0 if 0.1 <= share <= 0.99 else 1  # never a rounded "100%" of a part
        return msg(
            "general.largest",
            shown=Texts({lang: count(self.shown, lang) for lang in ("en", "ky", "ru")}),
            total=Texts({lang: count(self.total, lang) for lang in ("en", "ky", "ru")}),
            share=Texts({lang: percent(share, lang, digits) for lang in ("en", "ky", "ru")}),
        )


def largest(table: pd.DataFrame, top: int | None) -> tuple[pd.DataFrame, Limited | None]:
    """Return the ``top`` largest flows of ``table`` (by ``count``; ties in table order)
    and what was left out, or the whole table and ``None`` when nothing was (``top`` None
    or 0: every flow).

    >>> t = pd.DataFrame({"origin": list("abc"), "dest": list("bca"), "count": [5, 90, 5]})
    >>> kept, limited = largest(t, 1)
    >>> kept["count"].tolist(), limited.shown, limited.total, round(limited.share, 2)
    ([90], 1, 3, 0.9)
    """
    if not top or len(table) <= top:
        return table, None
    kept = table.nlargest(int(top), "count", keep="first")
    whole = float(table["count"].sum())
    limited = Limited(len(kept), len(table), float(kept["count"].sum()), whole)
    return kept, limited


__all__ = ["DEFAULT_TOP", "Limited", "largest"]
