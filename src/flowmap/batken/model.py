"""Modelled estimates: splitting reported totals that the article does not break down.

Two models, both *conservative*: the integer parts they return always add up to the
reported total they split.

- :func:`gravity_shares` splits flows between Batken and "other oblasts" among Osh city,
  Bishkek, Chüy and the remaining oblasts, with the gravity model of Zipf (1946): the
  weight of destination *j* is ``population_j ** alpha / distance_j ** beta``. A group of
  places (the remaining oblasts) weighs the sum of its members' weights. Because the
  article says most internal migrants go to Osh, Bishkek and Chüy, those three together
  get ``named_share`` (two thirds) and the gravity weights split it among them.
- :func:`apportion` splits a yearly total of departures abroad by the countries' shares of
  the 2014–2023 total.

All parameters live in :class:`GravityParams`; its ``describe`` text is written into the
``method`` column of every modelled row.

Both models rest on assumptions the article does not fix, so every modelled figure also
gets a low–high range: the build reruns the models under the *scenarios* of their
documented sensitivity (:meth:`GravityParams.scenarios`, :func:`odds_scenarios`) and keeps
the smallest and largest value each figure takes. Within every scenario the parts are
apportioned again, so they still add up exactly to the reported total they split.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from pyproj import Geod

from flowmap.core.errors import FlowmapError

_EARTH_RADIUS_KM = 6371.0088
"""The IUGG mean Earth radius R1."""
_SPHERE = Geod(a=_EARTH_RADIUS_KM * 1000, f=0)
"""Geodesics on the sphere of radius :data:`_EARTH_RADIUS_KM`."""


@dataclass(frozen=True)
class GravityParams:
    """Parameters of the gravity model that splits internal flows.

    Attributes
    ----------
    alpha
        Exponent of the destination's population.
    beta
        Exponent of the great-circle distance (km) from Batken's anchor point.
    targets
        The destinations to split into, in output order; each is a place id, or an
        aggregate whose members are summed.
    named
        The destinations the article names as the main ones (Osh city, Bishkek, Chüy).
    named_share
        The share of all internal migrants that goes to ``named`` together. The article
        says they go there «басымдуу түрдө» (predominantly) but gives no figure; we read
        that as two thirds. Within ``named``, and within the other targets, people are
        split by the gravity weights. ``None`` gives the pure gravity model (which sends
        only about 30% to the named destinations, contradicting the article).
    """

    alpha: float = 1.0
    beta: float = 1.0
    targets: tuple[str, ...] = ("KG-GO", "KG-GB", "KG-C", "KG-REST")
    named: tuple[str, ...] = ("KG-GO", "KG-GB", "KG-C")
    named_share: float | None = 2 / 3
    version: str = field(default="gravity-v2")
    named_share_range: tuple[float, float] = (1 / 2, 4 / 5)
    """The sensitivity of ``named_share``: «басымдуу түрдө» read as anything from one half
    (a bare majority) to four fifths."""
    exponent_range: tuple[float, float] = (1 / 2, 2.0)
    """The sensitivity of ``alpha`` and ``beta``: each from half to twice Zipf's 1 (our
    assumption, not an estimate; steeper or flatter distance decay and population pull)."""
    exponent_steps: int = 5
    """How many values of each exponent the sensitivity tries, spaced evenly in logarithm
    between the ends of ``exponent_range`` (5: ½, 1/√2, 1, √2, 2), so that a share that
    peaks between the ends is still caught."""

    def __post_init__(self) -> None:
        if self.named_share is not None and not 0 < self.named_share < 1:
            raise FlowmapError(f"named_share must lie in (0, 1), got {self.named_share!r}")
        low, high = self.named_share_range
        if not 0 < low <= high < 1:
            raise FlowmapError(f"named_share_range must lie in (0, 1), got {(low, high)!r}")
        if not 0 < self.exponent_range[0] <= self.exponent_range[1] or self.exponent_steps < 2:
            raise FlowmapError(
                f"exponent_range must be positive and increasing with at least two steps, "
                f"got {self.exponent_range!r} in {self.exponent_steps!r} steps"
            )

    def scenarios(self) -> list[GravityParams]:
        """Return the parameter sets of the model's sensitivity, the model itself first.

        ``named_share`` takes the ends of ``named_share_range`` and its own value, ``alpha``
        and ``beta`` each take ``exponent_steps`` values over ``exponent_range`` (every
        combination). The range of a modelled figure is its smallest and largest value over
        these scenarios; a share moves monotonically with ``named_share``, so its ends are
        enough, while a middle destination's share can peak between the exponents' ends.
        """
        low, high = self.exponent_range
        steps = self.exponent_steps - 1
        exponents = sorted({round(low * (high / low) ** (i / steps), 12) for i in range(steps + 1)})
        shares: list[float | None] = [None]
        if self.named_share is not None:
            shares = [*sorted({*self.named_share_range, self.named_share})]
        out = [self]
        for share in shares:
            for alpha in exponents:
                for beta in exponents:
                    scenario = replace(self, named_share=share, alpha=alpha, beta=beta)
                    if scenario != self:
                        out.append(scenario)
        return out

    def describe_range(self) -> str:
        """Return the sentence on the sensitivity that the ranges of this model's rows show."""
        low, high = self.named_share_range
        a, b = self.exponent_range
        return (
            f"range: the smallest and largest value with Osh city, Bishkek and Chüy's share "
            f"from {low:.0%} to {high:.0%} and each exponent from {a:g} to {b:g}, the parts "
            "adding up to the total at every setting"
        )
        if not set(self.named) <= set(self.targets):
            raise FlowmapError(f"named {self.named!r} must be among targets {self.targets!r}")

    def describe(self) -> str:
        """Return the one-line method text stored with every row this model makes."""
        constraint = (
            f"Osh city, Bishkek and Chüy together get {self.named_share:.1%} (the article says "
            "most go there, «басымдуу түрдө», without a figure), split among them in "
            f"proportion to P_j^{self.alpha:g} / d_j^{self.beta:g}; the remaining oblasts get "
            "the rest"
            if self.named_share is not None
            else f"share of destination j = P_j^{self.alpha:g} / d_j^{self.beta:g} over the sum "
            "for Osh city, Bishkek, Chüy and the remaining oblasts"
        )
        return (
            f"{self.version}: {constraint} (P: 2018 population, nsc-2018-population; d: "
            "great-circle km between anchor points in places.csv; gravity model of Zipf 1946, "
            "zipf-1946); largest-remainder rounding so the parts add up to the total; "
            + self.describe_range()
        )


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km between two points on the mean-radius sphere.

    The gravity model keeps the sphere (not the WGS84 ellipsoid): its modelled counts in
    ``data/flows.csv`` were built with spherical distances, and the ellipsoid moves some of
    them by one person.
    """
    return float(_SPHERE.inv(lon1, lat1, lon2, lat2)[2]) / 1000


def gravity_weights(
    distances_km: Mapping[str, float],
    populations: Mapping[str, float],
    *,
    alpha: float = 1.0,
    beta: float = 1.0,
) -> dict[str, float]:
    """Return the gravity weight ``P ** alpha / d ** beta`` of each place.

    Raises
    ------
    FlowmapError
        If a place has no population, or a distance or population that is not positive.
    """
    weights: dict[str, float] = {}
    for place, distance in distances_km.items():
        if place not in populations:
            raise FlowmapError(f"gravity model: no population for {place!r}")
        population = populations[place]
        if not distance > 0 or not population > 0:
            raise FlowmapError(
                f"gravity model: distance and population must be > 0 for {place!r}, "
                f"got {distance!r} km and {population!r}"
            )
        weights[place] = population**alpha / distance**beta
    return weights


def shares_of(weights: Mapping[str, float]) -> dict[str, float]:
    """Return each weight divided by their sum.

    Raises
    ------
    FlowmapError
        If there is no weight or the weights do not add up to a positive number.
    """
    total = math.fsum(weights.values())
    if not weights or not total > 0:
        raise FlowmapError(f"cannot form shares from weights {dict(weights)!r}")
    return {k: w / total for k, w in weights.items()}


def apportion(total: int, shares: Mapping[str, float]) -> dict[str, int]:
    """Return ``total`` split into whole numbers proportional to ``shares``.

    Uses the largest-remainder (Hamilton) method: every part is the floor of its exact
    quota, and the people left over go one each to the largest remainders (ties to the
    earlier key). The parts always add up to ``total``.

    Raises
    ------
    FlowmapError
        If ``total`` is negative or the shares are empty, negative or add up to zero.
    """
    if total < 0:
        raise FlowmapError(f"cannot apportion a negative total, got {total}")
    if any(s < 0 for s in shares.values()):
        raise FlowmapError(f"shares must be >= 0, got {dict(shares)!r}")
    normalised = shares_of(shares)
    quotas = {k: total * s for k, s in normalised.items()}
    parts = {k: math.floor(q) for k, q in quotas.items()}
    left = total - sum(parts.values())
    order: Sequence[str] = sorted(
        quotas, key=lambda k: (-(quotas[k] - parts[k]), list(quotas).index(k))
    )
    for key in order[:left]:
        parts[key] += 1
    return parts


def gravity_shares(
    origin: tuple[float, float],
    targets: Mapping[str, Sequence[tuple[str, float, float]]],
    populations: Mapping[str, float],
    params: GravityParams,
) -> dict[str, float]:
    """Return the share of each target in the gravity model seen from ``origin``.

    Parameters
    ----------
    origin
        ``(lat, lon)`` of the origin's anchor point.
    targets
        For each target id, its member places as ``(place_id, lat, lon)``; a single place
        is its own only member.
    populations
        Population by place id.
    params
        The exponents.
    """
    weights: dict[str, float] = {}
    for target, places in targets.items():
        distances = {
            pid: great_circle_km(origin[0], origin[1], lat, lon) for pid, lat, lon in places
        }
        member_weights = gravity_weights(
            distances, populations, alpha=params.alpha, beta=params.beta
        )
        weights[target] = math.fsum(member_weights.values())
    if params.named_share is None:
        return shares_of(weights)
    named = shares_of({k: w for k, w in weights.items() if k in params.named})
    rest = shares_of({k: w for k, w in weights.items() if k not in params.named})
    return {
        k: named[k] * params.named_share if k in named else rest[k] * (1 - params.named_share)
        for k in weights
    }


def odds_scenarios(shares: Mapping[str, float], factor: float) -> list[dict[str, float]]:
    """Return the shares of the sensitivity of a split by fixed shares, the shares first.

    For each key in turn, its odds ``p / (1 - p)`` are divided and multiplied by ``factor``
    and the other keys keep their relative sizes (they share ``1 - p'`` in their own
    proportions), so every scenario's shares still add up to one. Odds, unlike the share
    itself, can be doubled without passing 100% (Russia's 88.7% becomes 94.0%, the USA's
    1.2% becomes 2.4%).

    Raises
    ------
    FlowmapError
        If ``factor`` is not at least 1 or the shares cannot be normalised.
    """
    if not factor >= 1:
        raise FlowmapError(f"the odds factor must be at least 1, got {factor!r}")
    base = shares_of(shares)
    out = [base]
    for key, share in base.items():
        if not 0 < share < 1:
            continue
        for f in (1 / factor, factor):
            moved = f * share / (f * share + 1 - share)
            rest = (1 - moved) / (1 - share)
            out.append({k: moved if k == key else v * rest for k, v in base.items()})
    return out
