"""A table of texts located as a whole (:func:`locate`): each text looked up at the table's
level, and the texts that name a place the table does not mean (another level, a far country,
a bare name beside explicit kinds) held as doubtful, never guessed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from flowmap.io.gazetteer.entries import Doubt, Located, Lookup, Match, Place
from flowmap.io.gazetteer.keys import _LEVEL_KINDS, LEVELS, kind_words, level_of, normalise
from flowmap.io.gazetteer.matcher import _country, _kinds, _lookup, _table_level, _text

FAR_KM = 1500.0
"""A place in another country than the rest of a table and farther than this (km) from
all of them is doubtful ("Virginia" in South Africa among US states)."""


def _explicit(query: str, place: Place, how: str) -> bool:
    """Return whether a text names its place's level itself: by a code, or by a kind word
    of that level ("Osh oblast", "г. Ош")."""
    if how == "code":
        return True
    return any(level_of(k) == level_of(place.kind) for _, k in kind_words(normalise(query)))


def _decide(
    query: str,
    level: str | None,
    lookups: Callable[[frozenset[str]], tuple[Lookup, str]],
    kinds: frozenset[str],
    explicit: bool = False,
) -> tuple[Lookup, str, Doubt | None]:
    """Return the lookup of a text within the table's level; a text found only at another
    level is doubtful unless its place is a country, the text says its level or the row
    its kind (``explicit``); the caller keeps it when it lies in one of the table's
    countries (:func:`_in_table_countries`)."""
    if level is not None:
        narrowed = kinds & _LEVEL_KINDS[level]
        if narrowed:
            result, text = lookups(narrowed)
            if result.candidates:
                return result, text, None
    result, text = lookups(kinds)
    match = result.match
    if (
        level is None
        or match is None
        or explicit
        or level_of(match.place.kind) in (level, "country")
        or _explicit(text, match.place, match.how)
    ):
        return result, text, None
    return result, text, Doubt(match.place, "level", level)


def _both_kinds_named(
    found: Mapping[str, Match],
    candidates_of: Callable[[str], tuple[Place, ...]],
    level: str | None,
    given: Iterable[str] = (),
) -> dict[str, Doubt]:
    """Return the texts of ``found`` that name no kind (``"Ош"``) while their candidates
    are of several levels that the table itself names explicitly ("Ошская область",
    "город Ош"): such a table mixes kinds, so its level does not decide, and the text is
    doubtful. ``candidates_of`` gives a key's candidates at every level; ``given`` are keys
    whose row gives its kind."""
    given = set(given)
    named: dict[str, list[str]] = {}
    bare: list[str] = []
    for key, match in found.items():
        if key in given or _explicit(match.query, match.place, match.how):
            named.setdefault(level_of(match.place.kind), []).append(match.query)
        else:
            bare.append(key)
    out: dict[str, Doubt] = {}
    if len(named) < 2:
        return out
    for key in bare:
        candidates = candidates_of(key)
        levels = {level_of(p.kind) for p in candidates}
        both = [lv for lv in LEVELS if lv in levels and lv in named]
        if len(both) >= 2:
            shown = tuple(text for lv in both for text in named[lv][:2])
            place = found[key].place
            out[key] = Doubt(place, "kinds", level or "", candidates=candidates, named=shown)
    return out


def _main_country(found: Iterable[Place]) -> str | None:
    """Return the country of at least half of the places found (countries left out), when
    there are three or more; else None."""
    inner = [p.country for p in found if p.kind != "country"]
    if len(inner) < 3:
        return None
    main, n = Counter(inner).most_common(1)[0]
    return main if n * 2 >= len(inner) else None


def _in_main_country(
    ambiguous: Mapping[str, tuple[Place, ...]], found: Iterable[Place]
) -> dict[str, Place]:
    """Return the ambiguous texts with exactly one candidate (not a country) in the
    table's main country: "Florida" among US states is the state, not the department of
    Uruguay."""
    main = _main_country(found)
    out: dict[str, Place] = {}
    if main is None:
        return out
    for key, candidates in ambiguous.items():
        home = [p for p in candidates if p.country == main and p.kind != "country"]
        if len(home) == 1:
            out[key] = home[0]
    return out


def _countries_beside(
    found: Mapping[str, Place], level: str | None, country_of: Callable[[str], Match | None]
) -> dict[str, Match]:
    """Return the texts of a table of divisions or districts found as a division outside
    the table's main country that also name a country ("Mexico" among US states is the
    country, not the State of México): ``country_of`` looks a text up among countries."""
    if level not in ("region", "district"):
        return {}
    main = _main_country(found.values())
    out: dict[str, Match] = {}
    if main is None:
        return out
    for key, place in found.items():
        if place.kind != "country" and place.country != main:
            match = country_of(key)
            if match is not None and match.how != "alternate name":
                out[key] = match
    return out


def _in_table_countries(doubts: Mapping[str, Doubt], found: Iterable[Place]) -> dict[str, Doubt]:
    """Return the doubts of another level whose place lies in none of the countries of the
    places found at the table's level ("Bishkek" in a table of countries with Kyrgyzstan
    is kept; "Kutaisi" in a table of US states is doubtful)."""
    countries = {p.country for p in found}
    return {
        k: d for k, d in doubts.items() if d.reason != "level" or d.place.country not in countries
    }


def _far_from_the_rest(found: Mapping[str, Place], level: str | None) -> dict[str, Doubt]:
    """Return the places (not countries) of a table of divisions or districts that lie in
    another country than most of the table's places and farther than :data:`FAR_KM` from
    every place of that country."""
    if level not in ("region", "district"):
        return {}
    inner = {k: p for k, p in found.items() if p.kind != "country"}
    counts = Counter(p.country for p in inner.values())
    if len(inner) < 3 or not counts:
        return {}
    main, n = counts.most_common(1)[0]
    if n * 2 < len(inner):
        return {}
    home = np.radians([(p.lat, p.lon) for p in inner.values() if p.country == main])
    out: dict[str, Doubt] = {}
    for key, place in inner.items():
        if place.country == main:
            continue
        lat, lon = np.radians(place.lat), np.radians(place.lon)
        h = (
            np.sin((home[:, 0] - lat) / 2) ** 2
            + np.cos(lat) * np.cos(home[:, 0]) * np.sin((home[:, 1] - lon) / 2) ** 2
        )
        if 2 * 6371.0 * np.arcsin(np.sqrt(np.minimum(1.0, h.min()))) > FAR_KM:
            out[key] = Doubt(place, "country", level, main)
    return out


def locate(
    names: Iterable[object],
    *,
    kind: str | Iterable[str] | None = None,
    country: str | None = None,
) -> Located:
    """Find each name or code in the gazetteer.

    Parameters
    ----------
    names
        Place names or codes, e.g. ``["KG", "Россия", "Ош облусу", "Istanbul"]``.
        Repeated texts are looked up once; blank texts are unknown.
    kind
        Only places of this kind (or kinds): ``"country"``, ``"oblast"``, ``"district"``,
        ``"city"``.
    country
        Only places inside this country (ISO alpha-2 or alpha-3 code); countries themselves
        are always found.

    Returns
    -------
    Located
        ``found`` (text -> :class:`Match`), ``ambiguous`` (text -> candidates, largest
        kind and population first) and ``unknown`` texts.

    Raises
    ------
    FlowmapError
        If ``kind`` or ``country`` is not a known value.
    """
    kinds = _kinds(kind)
    code = _country(country)
    queries = list(dict.fromkeys(_text(raw) for raw in names))
    level = _table_level(queries, kinds, code)
    found: dict[str, Match] = {}
    ambiguous: dict[str, tuple[Place, ...]] = {}
    unknown: list[str] = []
    doubtful: dict[str, Doubt] = {}
    for query in queries:

        def lookups(chosen: frozenset[str], query: str = query) -> tuple[Lookup, str]:
            return _lookup(query, chosen, code), query

        result, _, doubt = _decide(query, level, lookups, kinds)
        match = result.match
        if doubt is not None:
            doubtful[query] = doubt
        elif match is not None:
            found[query] = match
        elif result.candidates:
            ambiguous[query] = result.candidates
        else:
            unknown.append(query)
    mixed = _both_kinds_named(found, lambda q: _lookup(q, kinds, code).candidates, level)
    for query, doubt in mixed.items():
        del found[query]
        doubtful[query] = doubt
    for query, place in _in_main_country(ambiguous, [m.place for m in found.values()]).items():
        del ambiguous[query]
        found[query] = Match(query, place, "name")
    for query, country_match in _countries_beside(
        {q: m.place for q, m in found.items()},
        level,
        lambda q: _lookup(q, frozenset({"country"}), code).match,
    ).items():
        found[query] = country_match
    far = _far_from_the_rest({q: m.place for q, m in found.items()}, level)
    kept = _in_table_countries(doubtful, [m.place for q, m in found.items() if q not in far])
    for query in [q for q in doubtful if q not in kept]:
        found[query] = Match(query, doubtful.pop(query).place, "name")
    for query, doubt in far.items():
        del found[query]
        doubtful[query] = doubt
    return Located(
        found=found, ambiguous=ambiguous, unknown=tuple(unknown), doubtful=doubtful, level=level
    )


__all__ = ["FAR_KM", "locate"]
