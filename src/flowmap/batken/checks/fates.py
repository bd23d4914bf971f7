"""What happened to each transcribed figure a contradiction involves: shipped (as what) or not."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from flowmap.batken.article import source_text
from flowmap.batken.checks.finding import _ends
from flowmap.batken.checks.values import Flow, _figure, _flow
from flowmap.batken.data import BASES
from flowmap.text import numbers
from flowmap.text.deferred import Deferred
from flowmap.text.i18n import t
from flowmap.text.period import Period


@dataclass(frozen=True)
class Fate(Deferred):
    """What happened to one transcribed figure: shipped (as what, with which value) or not."""

    fig_id: str
    ref: str
    printed_period: str
    value: str
    read_as: str = ""
    kind: str = "none"
    shipped_as: str = ""
    shipped_value: str = ""
    basis: str = ""
    source: str = ""
    flow: Flow | None = None
    """The shipped flow's ends (``shipped_as`` says them with ids, for English)."""
    flow_period: str = ""
    """The shipped flow's period, as the data writes it."""

    def text(self, lang: str = "en") -> str:
        """Return the fate in words, in ``lang``."""
        figure = _figure(self.value, self.ref, self.printed_period, self.fig_id, lang)
        period = numbers.period(self.read_as, lang)
        flow, source = self.shipped_as, self.source
        if lang != "en":
            source = source_text(self.source, lang)
            if self.flow is not None:
                flow = f"{self.flow.text(lang)}, {numbers.period(self.flow_period, lang)}"
        moved = t("quality.fate.read_as", lang, period=period) if self.read_as else ""
        shipped = numbers.numeral(self.shipped_value, lang)
        if self.kind == "share":
            return t("quality.fate.share", lang, figure=figure, moved=moved)
        if not self.shipped_value:
            return t("quality.fate.not_shipped", lang, figure=figure)
        if self.kind == "net":
            return t("quality.fate.net", lang, figure=figure, moved=moved, value=shipped)
        return t(
            "quality.fate.flow",
            lang,
            figure=figure,
            moved=moved,
            flow=flow,
            value=shipped,
            basis=t(f"basis.{self.basis}", lang) if self.basis in BASES else self.basis,
            source=source,
        )


def _fate(
    row: pd.Series,
    resolved: pd.DataFrame,
    flows: pd.DataFrame,
    nets: pd.DataFrame,
    places: pd.DataFrame | None = None,
) -> Fate:
    """Return what happened to one transcribed figure: where it is shipped, or that it is not.

    ``places`` gives the names of a shipped flow's ends in Kyrgyz and Russian.
    """
    fate = Fate(str(row["fig_id"]), str(row["ref"]), str(row["period"]), str(row["value"]))
    if row["fig_id"] not in resolved.index:
        return fate
    now = resolved.loc[row["fig_id"]]
    period = str(Period.parse(str(now["period"])))
    if now["period"] != row["period"]:
        fate = replace(fate, read_as=period)
    if row["unit"] != "persons":
        return replace(fate, kind="share")
    if row["measure"] == "net":
        match = nets[
            (nets["place"] == row["place"])
            & (nets["counterpart"] == row["counterpart"])
            & (nets["period"] == period)
            & (nets["sex"] == row["sex"])
            & (nets["age"] == row["age"])
        ]
        if match.empty:
            return fate
        return replace(fate, kind="net", shipped_value=str(match.iloc[0]["net"]))
    origin, destination = _ends(str(row["measure"]), row["place"], row["counterpart"]).split(">")
    match = flows[
        (flows["origin"] == origin)
        & (flows["destination"] == destination)
        & (flows["period"] == period)
        & (flows["sex"] == row["sex"])
        & (flows["age"] == row["age"])
    ]
    if match.empty:
        return fate
    shipped = match.iloc[0]
    return replace(
        fate,
        kind="flow",
        shipped_as=f"{origin}→{destination} {period}",
        shipped_value=str(shipped["count"]),
        basis=str(shipped["basis"]),
        source=str(shipped["source_ref"]),
        flow=_flow(places, f"{origin}>{destination}"),
        flow_period=period,
    )
