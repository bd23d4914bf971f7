"""Flows that no map can draw because a place has no coordinates: how many, and what share
of the table's volume (:func:`not_drawn`). The map's title box says it
(:func:`flowmap.render.maps.flow_map`), so does the app's Your-data page, and the command line
stops when more than :data:`MISSING_SHARE` of the volume is left out, unless
``--allow-missing`` (:meth:`NotDrawn.check`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from flowmap.core.errors import FlowmapError
from flowmap.engine.flows import same_place, select
from flowmap.io.tables import HINTS, check_choice
from flowmap.text.deferred import Percent
from flowmap.text.i18n import Count, Message, Texts, msg
from flowmap.text.numbers import percent
from flowmap.text.period import Period

MISSING_SHARE = 0.05
"""The share of a table's volume whose places cannot be drawn above which the command line
stops (unless ``--allow-missing``) and :meth:`NotDrawn.check` raises."""


@dataclass(frozen=True)
class NotDrawn:
    """Flows that cannot be drawn because a place has no coordinates: how many, their
    volume, the table's volume (self-flows and zero counts left out) and the places."""

    flows: int = 0
    volume: float = 0.0
    total: float = 0.0
    places: tuple[str, ...] = ()

    @property
    def share(self) -> float:
        """The share of the volume not drawn (0 when the table is empty)."""
        return self.volume / self.total if self.total else 0.0

    def message(self) -> Message:
        """Return "3 flows (12% of the volume) not drawn: places without coordinates (…)"
        (the map's title box says it)."""
        share = self.share
        digits = 0 if share >= 0.1 else 1  # "5.2%", never a rounded "5%" over the limit
        shown = ", ".join(self.places[:8]) + (", …" if len(self.places) > 8 else "")
        return msg(
            "general.not_drawn",
            count=Count(self.flows),
            n=self.flows,
            share=Texts({lang: percent(share, lang, digits) for lang in ("en", "ky", "ru")}),
            places=shown or "—",
        )

    def check(
        self, allowed: bool = False, limit: float = MISSING_SHARE, *, hints: str = "python"
    ) -> None:
        """Raise :class:`~flowmap.core.errors.FlowmapError` when more than ``limit`` of the
        volume cannot be drawn, unless ``allowed``; the message names the way round it
        where it is read (``hints``, one of :data:`flowmap.io.tables.HINTS`:
        ``allow_missing=True`` in Python, ``--allow-missing`` on the command line, no
        option in the app)."""
        where = check_choice("hints", hints, HINTS)
        if not allowed and self.flows and self.share > limit:
            share = Percent(Decimal(str(limit)) * 100, 0)
            key = f"user.too_much_missing.{where}"
            raise FlowmapError(msg(key, line=self.message(), limit=share))


def not_drawn(
    flows: pd.DataFrame,
    places: pd.DataFrame,
    *,
    period: Period | str | int | None = None,
    measure: str = "flow",
) -> NotDrawn:
    """Return the flows of a normalised table that cannot be drawn because a place has no
    coordinates or is unknown: those of the one period a map shows (``period``, or the
    latest when None, as :func:`select` chooses and sums them)."""
    located = places.index[places["lat"].notna() & places["lon"].notna()]
    kept = flows[~same_place(flows) & (flows["count"] != 0)]
    if kept.empty:
        return NotDrawn()
    chosen = select(kept, period=period, measure=measure, ordered=False)
    lacking = ~(chosen["origin"].isin(located) & chosen["dest"].isin(located))
    volume = chosen["count"].abs()
    ends = {str(v) for column in ("origin", "dest") for v in chosen.loc[lacking, column].unique()}
    missing = sorted(ends - {str(p) for p in located})
    return NotDrawn(
        flows=int(lacking.sum()),
        volume=float(volume[lacking].sum()),
        total=float(volume.sum()),
        places=tuple(missing),
    )


__all__ = ["MISSING_SHARE", "NotDrawn", "not_drawn"]
