"""What the build needs besides the data: the focus place, the derived spans and the models."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flowmap.batken import facts
from flowmap.batken.model import GravityParams
from flowmap.text.period import Period

FOCUS = facts.FOCUS
"""The place whose migration the embedded data describes."""

DERIVED_PERIODS: tuple[Period, ...] = facts.SPANS
"""Spans for which yearly reported flows are summed into derived totals."""

ABROAD = "ABROAD"
COUNTRY_SHARE_PERIOD = facts.ARTICLE_PERIOD

Key = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class BuildSettings:
    """Everything the build needs besides the data: the focus place and the model."""

    focus: str = FOCUS
    internal_aggregate: str = "KG-OTHER"
    gravity: GravityParams = field(default_factory=GravityParams)
    derived_periods: tuple[Period, ...] = DERIVED_PERIODS
    abroad: str = ABROAD
    country_share_period: Period = COUNTRY_SHARE_PERIOD
    abroad_odds_factor: float = 2.0
    """The sensitivity of the split abroad: each country's odds of being the year's
    destination divided and multiplied by this factor
    (:func:`flowmap.batken.model.odds_scenarios`)."""

    def abroad_method(self, shares: Mapping[str, float]) -> str:
        """Return the method text of the modelled yearly flows abroad."""
        parts = ", ".join(f"{k} {v:.1%}" for k, v in shares.items())
        return (
            "abroad-shares-v1: the year's reported departures abroad × each country's share "
            f"of the departures to the five named countries in "
            f"{self.country_share_period.label()} ({parts}; P-ABROAD); assumes those shares "
            "hold in the year and that every departure abroad went to one of these five "
            "countries; largest-remainder rounding so the parts add up to the total; range: "
            "the smallest and largest value with each country's odds of being the destination "
            f"divided and multiplied by {self.abroad_odds_factor:g} (the other countries keeping "
            "their relative sizes), the parts adding up to the total at every setting"
        )
