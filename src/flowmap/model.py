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
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pyproj import Geod

from flowmap.errors import FlowmapError

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

    def __post_init__(self) -> None:
        if self.named_share is not None and not 0 < self.named_share < 1:
            raise FlowmapError(f"named_share must lie in (0, 1), got {self.named_share!r}")
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
            "zipf-1946); largest-remainder rounding so the parts add up to the total"
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
