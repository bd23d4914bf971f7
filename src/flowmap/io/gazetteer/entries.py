"""What the gazetteer holds and finds: a place (:class:`Place`), a text found
(:class:`Match`), a text's candidates (:class:`Lookup`), a doubtful text (:class:`Doubt`) and
a table's texts located (:class:`Located`), each said as a translatable message; and the
distances that make candidates one place (:func:`one_per_point`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from flowmap.io.problems import Problems, _join, _quoted
from flowmap.text.i18n import Count, Message, Texts, msg
from flowmap.text.numbers import decimal

SAME_POINT_KM = 5.0
"""Candidates of one country this close (km) are one place (Singapore the country and the
city; Luxembourg, Monaco)."""

SHOWN_CANDIDATES = 5
"""How many candidates of an ambiguous name are named in a report line."""


@dataclass(frozen=True)
class Place:
    """One place of the gazetteer."""

    id: str
    kind: str
    country: str
    iso3: str
    name: str
    name_ru: str
    name_ky: str
    lat: float
    lon: float
    population: int | None
    geonameid: int | None

    def describe(self) -> Message:
        """Return e.g. ``"Osh (city KG-GO, KG, 40.5283, 72.7985)"`` (a
        :class:`~flowmap.text.i18n.Message`: in Russian
        «Ош (город KG-GO, KG; 40,5283; 72,7985)»)."""
        values = {
            "name": self.label(),
            "kind": msg(f"user.gaz.kind.{self.kind}"),
            "id": self.id,
            "lat": _coordinate(self.lat),
            "lon": _coordinate(self.lon),
        }
        if self.kind == "country":
            return msg("user.gaz.place", **values)
        return msg("user.gaz.place_in", country=self.country, **values)

    def label(self) -> Message:
        """Return the place's name, in each language where the gazetteer has one."""
        return Texts({"en": self.name, "ky": self.name_ky, "ru": self.name_ru})


@dataclass(frozen=True)
class Match:
    """A text found in the gazetteer: the place and how it was found (``"code"``,
    ``"name"`` or ``"alternate name"``)."""

    query: str
    place: Place
    how: str

    def describe(self) -> Message:
        """Return e.g. ``"'RU' -> Russia (country RU, 55.7520, 37.6178) by code"``."""
        return msg(
            "user.gaz.match",
            query=repr(self.query),
            place=self.place.describe(),
            how=_how(self.how),
        )


@dataclass(frozen=True)
class Lookup:
    """What one text gives: no candidate (unknown), one (found) or several (ambiguous)."""

    query: str
    candidates: tuple[Place, ...]
    how: str = ""

    @property
    def match(self) -> Match | None:
        """The match when there is exactly one candidate, else None."""
        if len(self.candidates) == 1:
            return Match(self.query, self.candidates[0], self.how)
        return None


def _coordinate(value: float) -> Message:
    """Return a latitude or longitude with four decimals, as each language writes it."""
    return Texts(
        {"en": f"{value:.4f}", "ky": decimal(value, "ky", 4), "ru": decimal(value, "ru", 4)}
    )


def _how(how: str) -> str:
    """Return how a text was found (``code``, ``name``, ``alternate name``) as words."""
    keys = {"code": "code", "name": "name", "alternate name": "alternate"}
    return msg(f"user.gaz.how.{keys[how]}") if how in keys else how


def _candidates_text(candidates: tuple[Place, ...]) -> str:
    shown = _join([p.describe() for p in candidates[:SHOWN_CANDIDATES]], ";")
    more = len(candidates) - SHOWN_CANDIDATES
    if more > 0:
        return msg("user.and_more_semicolon", items=shown, count=Count(more), n=more)
    return shown


@dataclass(frozen=True)
class Doubt:
    """A text that names one place, but not one a table of its kind means: the place is
    at another level than the table's (``reason`` ``"level"``: "Kutaisi" in a table of US
    states) or in another country than the table's, far from it (``"country"``); or a bare
    text of places of several kinds in a table that names those kinds explicitly
    (``"kinds"``: "Ош" beside "Ошская область" and "город Ош"). Doubtful places are not
    drawn."""

    place: Place
    reason: str
    level: str
    country: str = ""
    candidates: tuple[Place, ...] = ()
    """For ``reason`` ``"kinds"``: the places of several kinds the bare text names."""
    named: tuple[str, ...] = ()
    """For ``reason`` ``"kinds"``: texts of the table naming those kinds explicitly."""

    def describe(self, query: str) -> Message:
        """Return e.g. "'Kutaisi' is only a city here, Kutaisi (city …), while the table's
        places are first-level divisions …: doubtful, not drawn; …"."""
        values = {
            "query": query,
            "place": self.place.describe(),
            "kind": msg(f"user.gaz.kind.{self.place.kind}"),
            "level": msg(f"user.gaz.level.{self.level}") if self.level else "—",
            "country": self.country,
            "candidates": _candidates_text(self.candidates),
            "named": _quoted(self.named),
            "hint": msg("user.gaz.hint"),
        }
        return msg(f"user.gaz.doubtful_{self.reason}", **values)


@dataclass(frozen=True)
class Located:
    """The result of :func:`locate`: texts found (with their place), ambiguous texts (with
    their candidates) and unknown texts, each in the order first given."""

    found: Mapping[str, Match]
    ambiguous: Mapping[str, tuple[Place, ...]]
    unknown: tuple[str, ...]
    doubtful: Mapping[str, Doubt] = field(default_factory=dict)
    """Texts found only at another level than the table's, or in a far country (not
    found: see :class:`Doubt`)."""
    level: str | None = None
    """The table's level (:func:`table_level`), None for a mixed or empty table."""

    @property
    def complete(self) -> bool:
        """True when every text was found."""
        return not self.ambiguous and not self.unknown and not self.doubtful

    def coordinates(self) -> dict[str, tuple[float, float]]:
        """Return ``{text: (lat, lon)}`` of every text found."""
        return {q: (m.place.lat, m.place.lon) for q, m in self.found.items()}

    def problems(self, source: str = "places") -> Problems:
        """Return the ambiguous and unknown texts as :class:`~flowmap.io.tables.Problems`."""
        problems = Problems(source)
        for query, candidates in self.ambiguous.items():
            problems.add(
                "ambiguous",
                msg(
                    "user.gaz.ambiguous",
                    query=repr(query),
                    count=Count(len(candidates)),
                    n=len(candidates),
                    candidates=_candidates_text(candidates),
                    hint=msg("user.gaz.hint"),
                ),
            )
        for query in self.unknown:
            problems.add("unknown", msg("user.gaz.unknown", query=repr(query)))
        for query, doubt in self.doubtful.items():
            problems.add("doubtful", doubt.describe(repr(query)))
        return problems

    def lines(self) -> list[str]:
        """Return one line per ambiguous or unknown text (thousands summarised)."""
        return self.problems().lines()


def distance_km(a: Place, b: Place) -> float:
    """Return the great-circle distance between two places in km."""
    lat1, lon1, lat2, lon2 = map(np.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return float(2 * 6371.0 * np.arcsin(np.sqrt(min(1.0, h))))


def one_per_point(candidates: tuple[Place, ...]) -> tuple[Place, ...]:
    """Return candidates without those of the same country within :data:`SAME_POINT_KM` of
    an earlier (larger) one of another kind, or of a city near another record of a city:
    Singapore the country and Singapore the city are one place (the country), Moscow the
    federal city and Moscow the city too (the city). Two divisions are never merged (a
    database may put an oblast's point on its capital, a division of its own)."""
    kept: list[Place] = []
    for place in candidates:
        same = [
            i
            for i, k in enumerate(kept)
            if k.country == place.country
            and (k.kind != place.kind or k.kind == "city")
            and distance_km(k, place) <= SAME_POINT_KM
        ]
        if not same:
            kept.append(place)
        elif kept[same[0]].kind in ("region", "oblast", "district") and place.kind == "city":
            kept[same[0]] = place  # a division at its city's point is the city (Moscow)
    return tuple(kept)


__all__ = [
    "SAME_POINT_KM",
    "SHOWN_CANDIDATES",
    "Doubt",
    "Located",
    "Lookup",
    "Match",
    "Place",
    "distance_km",
    "one_per_point",
]
